/* Mustache templates over jansson values: every HTML page is one of these.
 *
 * The engine implements the whole Mustache specification except lambdas
 * (interpolation, sections, inverted sections, comments, set delimiters,
 * partials, and the optional dynamic names and template inheritance), and
 * must pass the official spec files in shared/conformance/mustache.
 *
 * Templates are compiled once into a set (a page template and the partials
 * and layouts it uses live in the same set, looked up by name when they are
 * rendered); rendering only reads the set, so server threads share one set.
 *
 * Semantics worth knowing when writing templates:
 *  - {{name}} is HTML-escaped (& < > " '), {{{name}}} and {{&name}} are not.
 *  - Falsey for sections: a missing name, null, false, "", 0, 0.0 and the
 *    empty list (the spec's `!!data` is JavaScript truthiness, as in
 *    mustache.js). An object, even an empty one, is truthy.
 *  - Numbers print as JavaScript would: 85, 1.21, 1e-07; true/false print as
 *    "true"/"false"; null prints nothing.
 *  - In {{#_}}Đơn vị{{/_}}, with a translate hook, the literal text is
 *    translated once at compile time (see struct mst_options).
 */
#ifndef TDKT_VIEW_MUSTACHE_H
#define TDKT_VIEW_MUSTACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "lib/result.h"

/* Nesting bound, both for one template's sections at compile time and for
 * partials + parents + blocks + sections at render time, so a partial that
 * includes itself ends in an error instead of a stack overflow. */
#define MST_MAX_DEPTH 64
/* Largest template source mst_set_add accepts. */
#define MST_MAX_SOURCE (1024u * 1024u)
/* Largest output one mst_render may produce, and the most nodes it may
 * visit: a loop over nested lists can otherwise run for ever. */
#define MST_MAX_OUTPUT (64u * 1024u * 1024u)
#define MST_MAX_STEPS (1ul << 24)

struct mst_options {
    /* Interpolating a name that does not resolve, an object or a list, a
     * dynamic partial name that does not resolve to a string, or a partial or
     * parent that is not in the set is an error (E_INVALID naming template
     * and line) instead of rendering nothing. Sections over missing names are
     * falsey in both modes. Meant for tests; production leaves it false. */
    bool strict;
    /* When not NULL, a section named exactly `_` whose content is literal
     * text ({{#_}}Đơn vị{{/_}}) is replaced at compile time by
     * translate(text) (NULL from the hook keeps the text); a `_` section
     * holding any tag is a compile error. When NULL, `_` is an ordinary name.
     * Called only from mst_set_add. */
    const char *(*translate)(const char *msgid);
    /* How {{name}} escapes a value: NULL is HTML escaping (& < > " '); the
     * document templates use their own (docs/doc_markup.h), so a value can
     * never become markup. {{{name}}} and {{&name}} never escape. */
    void (*escape)(struct buf *out, const char *s, size_t len);
    /* Bounds of one render: output bytes and steps (0: MST_MAX_OUTPUT,
     * MST_MAX_STEPS). Documents keep theirs far lower than pages. */
    size_t max_output;
    unsigned long max_steps;
};

struct mst_set;

/* Creates an empty template set that compiles with the given options (NULL
 * means all defaults: not strict, no translation). Never returns NULL. */
struct mst_set *mst_set_new(const struct mst_options *opt);

/* Frees the set and every template in it; NULL is allowed. No render may be
 * running on the set. */
void mst_set_free(struct mst_set *set);

/* Compiles source[0..len) and stores it under name (copied). Partials and
 * parents it names are looked up when rendering, so templates may be added in
 * any order. Returns OK; E_TOOBIG when len exceeds MST_MAX_SOURCE;
 * E_CONFLICT when the name is already in the set; E_INVALID for a syntax
 * error, with e->msg such as "layout.mustache:12: section 'rows' is not
 * closed" (template name, line, what is wrong). On error the set is
 * unchanged. Must not run concurrently with renders of the same set. */
enum result mst_set_add(struct mst_set *set, const char *name, const char *source, size_t len,
                        struct err *e);

/* Whether a template of that name is in the set. */
bool mst_set_has(const struct mst_set *set, const char *name);

/* Renders template `name` of the set over context (may be NULL: no data) and
 * appends the text to out. Returns OK; E_NOTFOUND when the template is not in
 * the set; E_INVALID when nesting exceeds MST_MAX_DEPTH or, in strict mode,
 * on a missing name (see mst_options.strict), with template name and line in
 * e->msg; E_TOOBIG past MST_MAX_OUTPUT or MST_MAX_STEPS. On error out is
 * restored to what it held before the call. Reads the set and the context
 * only (no reference counts are touched), so any number of threads may
 * render from one set at once, over shared or separate contexts. */
enum result mst_render(const struct mst_set *set, const char *name, json_t *context,
                       struct buf *out, struct err *e);

#endif
