/* Mustache renderer: a walk over the compiled tree of mustache.c.
 *
 * All state lives in struct rs on the caller's stack (context stack,
 * argument frames of the parents being rendered, the current indentation),
 * so a set is only read and several threads can render from it at once. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/mustache.h"
#include "view/mustache_impl.h"

/* One {{<parent}} being rendered: its argument blocks and their template. */
struct frame {
    const struct mst_node *parent;
    const struct mst_tpl *owner;
};

struct rs {
    const struct mst_set *set;
    struct buf *out;
    struct err *e;
    size_t mark;              /* out->len on entry */
    unsigned long steps;
    int depth;
    int nctx;
    int nargs;
    /* Pushes happen just before the depth check of descend(), hence the
     * slack over MST_MAX_DEPTH. */
    json_t *ctx[MST_MAX_DEPTH + 4];
    struct frame args[MST_MAX_DEPTH + 4];
    /* The current indentation is ind.data[ind_from .. ind.len): partials
     * append to it, and a partial that is not standalone starts afresh. */
    struct buf ind;
    size_t ind_from;
};

static enum result render_nodes(struct rs *r, const struct mst_tpl *t, const struct mst_node *v,
                                size_t n);

static unsigned long max_steps(const struct rs *r)
{
    return r->set->opt.max_steps ? r->set->opt.max_steps : MST_MAX_STEPS;
}

static size_t max_output(const struct rs *r)
{
    return r->set->opt.max_output ? r->set->opt.max_output : MST_MAX_OUTPUT;
}

__attribute__((format(printf, 5, 6)))
static enum result rerr(struct rs *r, enum result code, const struct mst_tpl *t, unsigned line,
                        const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(r->e, code, NULL, "%s:%u: %s", t->name, line, msg);
}

static enum result descend(struct rs *r, const struct mst_tpl *t, const struct mst_node *v,
                           size_t n, unsigned line)
{
    if (r->depth >= MST_MAX_DEPTH)
        return rerr(r, E_INVALID, t, line,
                    "templates and sections nested deeper than %d (a partial including itself?)",
                    MST_MAX_DEPTH);
    if (++r->steps > max_steps(r))
        return rerr(r, E_TOOBIG, t, line, "rendering takes more than %lu steps", max_steps(r));
    r->depth++;
    enum result rc = render_nodes(r, t, v, n);
    r->depth--;
    return rc;
}

/* Spec name resolution: the first part is looked up down the context stack
 * in objects only; the other parts only inside what the first one found. */
/* "rows.0": a segment of digits after a list names one of its items, so a
 * template can test whether a list has any ({{#rows.0}}…{{/rows.0}}) and
 * wrap a table around it once. Not in the spec (which has no indices), and
 * never reached by it: only lists take digits. */
static json_t *list_item(json_t *v, const char *seg, size_t len)
{
    if (!json_is_array(v) || len == 0 || len > 6 || strspn(seg, "0123456789") != len)
        return NULL;
    return json_array_get(v, (size_t)strtoul(seg, NULL, 10));
}

static json_t *lookup(const struct rs *r, const struct mst_path *p)
{
    if (p->n == 0)
        return r->ctx[r->nctx - 1];
    const char *seg = p->segs;
    size_t len = strlen(seg);
    json_t *v = NULL;
    for (int i = r->nctx - 1; i >= 0 && !v; i--)
        if (json_is_object(r->ctx[i]))
            v = json_object_getn(r->ctx[i], seg, len);
    for (unsigned k = 1; k < p->n && v; k++) {
        seg += len + 1;
        len = strlen(seg);
        v = json_is_object(v) ? json_object_getn(v, seg, len) : list_item(v, seg, len);
    }
    return v;
}

/* JavaScript truthiness, as the spec's `!!data` says, plus the empty list. */
static bool truthy(json_t *v)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT: return true;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_TRUE: return true;
    default: return false;
    }
}

/* Integral values print without a fraction (100, not 1e+02), others with
 * the fewest digits that read back as the same double (1.21, not
 * 1.2099999999999999), as JavaScript prints numbers. */
static void put_real(struct buf *b, double x)
{
    char s[48];
    if (x == 0.0) {
        buf_addc(b, '0');
        return;
    }
    if (floor(x) == x && fabs(x) < 1e21) {
        buf_printf(b, "%.0f", x);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*g", prec, x);
        if (strtod(s, NULL) == x)
            break;
    }
    buf_adds(b, s);
}

static enum result put_var(struct rs *r, const struct mst_tpl *t, const struct mst_node *nd)
{
    json_t *v = lookup(r, &nd->path);
    struct buf *b = r->out;
    if (!v) {
        if (r->set->opt.strict) {
            rerr(r, E_INVALID, t, nd->line, "'%s' is not defined", nd->name);
            /* the missing name, for callers that explain it in their own words */
            snprintf(r->e->field, sizeof r->e->field, "%s", nd->name);
            utf8_trim_partial(r->e->field);
            return E_INVALID;
        }
        return OK;
    }
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (nd->escape)
            (r->set->opt.escape ? r->set->opt.escape : buf_add_html)(b, json_string_value(v),
                                                                    json_string_length(v));
        else
            buf_add(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: put_real(b, json_real_value(v)); break;
    case JSON_TRUE: buf_adds(b, "true"); break;
    case JSON_FALSE: buf_adds(b, "false"); break;
    case JSON_NULL: break;
    default:
        if (r->set->opt.strict)
            return rerr(r, E_INVALID, t, nd->line, "'%s' is %s, not a value to print", nd->name,
                        json_is_object(v) ? "an object" : "a list");
        break;
    }
    return OK;
}

static enum result render_section(struct rs *r, const struct mst_tpl *t, const struct mst_node *nd)
{
    json_t *v = lookup(r, &nd->path);
    bool yes = truthy(v);
    if (nd->type == MN_INVERTED)
        return yes ? OK : descend(r, t, nd->kids, nd->nkids, nd->line);
    if (!yes)
        return OK;
    enum result rc = OK;
    if (json_is_array(v)) {
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n && rc == OK; i++) {
            r->ctx[r->nctx++] = json_array_get(v, i);
            rc = descend(r, t, nd->kids, nd->nkids, nd->line);
            r->nctx--;
        }
    } else {
        r->ctx[r->nctx++] = v;
        rc = descend(r, t, nd->kids, nd->nkids, nd->line);
        r->nctx--;
    }
    return rc;
}

/* The template a partial or parent tag names, or NULL (an error in strict
 * mode, recorded in *rc). */
static const struct mst_tpl *target(struct rs *r, const struct mst_tpl *t,
                                    const struct mst_node *nd, enum result *rc)
{
    const struct mst_tpl *p;
    *rc = OK;
    if (nd->dynamic) {
        json_t *v = lookup(r, &nd->path);
        if (!json_is_string(v)) {
            if (r->set->opt.strict)
                *rc = rerr(r, E_INVALID, t, nd->line, "dynamic name '%s' is not a string",
                           nd->name);
            return NULL;
        }
        p = mst_find(r->set, json_string_value(v), json_string_length(v));
        if (!p && r->set->opt.strict)
            *rc = rerr(r, E_INVALID, t, nd->line, "template '%s' (from '*%s') is not in the set",
                       json_string_value(v), nd->name);
        return p;
    }
    p = mst_find(r->set, nd->name, strlen(nd->name));
    if (!p && r->set->opt.strict)
        *rc = rerr(r, E_INVALID, t, nd->line, "template '%s' is not in the set", nd->name);
    return p;
}

static void ind_restore(struct rs *r, size_t from, size_t len)
{
    r->ind_from = from;
    r->ind.len = len;
    if (r->ind.data)
        r->ind.data[len] = '\0';
}

/* {{>name}} and {{<name}}…{{/name}}: a standalone tag indents every line of
 * the template it names; an inline one leaves it unindented, as pasting the
 * template's text in place of the tag would. */
static enum result render_include(struct rs *r, const struct mst_tpl *t, const struct mst_node *nd)
{
    enum result rc;
    const struct mst_tpl *p = target(r, t, nd, &rc);
    if (!p)
        return rc;
    size_t from = r->ind_from, len = r->ind.len;
    if (nd->standalone)
        buf_add(&r->ind, nd->text, nd->len);
    else
        r->ind_from = r->ind.len;
    if (nd->type == MN_PARENT)
        r->args[r->nargs++] = (struct frame){nd, t};
    rc = descend(r, p, p->root, p->nroot, nd->line);
    if (nd->type == MN_PARENT)
        r->nargs--;
    ind_restore(r, from, len);
    return rc;
}

/* {{$name}}: the argument of the outermost parent that passes one (the
 * spec: top-level substitutions win), else the default content. */
static enum result render_block(struct rs *r, const struct mst_tpl *t, const struct mst_node *nd)
{
    const struct mst_node *arg = NULL;
    const struct mst_tpl *owner = NULL;
    for (int f = 0; f < r->nargs && !arg; f++) {
        const struct mst_node *pn = r->args[f].parent;
        for (size_t k = 0; k < pn->nkids; k++)
            if (strcmp(pn->kids[k].name, nd->name) == 0) {
                arg = &pn->kids[k];
                owner = r->args[f].owner;
                break;
            }
    }
    const struct mst_node *body = arg ? arg : nd;
    size_t from = r->ind_from, len = r->ind.len;
    if (nd->mode != MB_INLINE) {
        buf_add(&r->ind, nd->text, nd->len);
        /* An argument that began mid-line has no line marker to indent its
         * first line. */
        if (arg && arg->mode == MB_INLINE && arg->nkids)
            buf_add(r->out, r->ind.data + r->ind_from, r->ind.len - r->ind_from);
    } else if (arg) {
        r->ind_from = r->ind.len;
    }
    size_t start = r->out->len;
    enum result rc = descend(r, arg ? owner : t, body->kids, body->nkids, nd->line);
    if (rc == OK && nd->eol && r->out->len > start && r->out->data[r->out->len - 1] != '\n')
        buf_adds(r->out, nd->eol == 2 ? "\r\n" : "\n");
    ind_restore(r, from, len);
    return rc;
}

static enum result render_nodes(struct rs *r, const struct mst_tpl *t, const struct mst_node *v,
                                size_t n)
{
    enum result rc = OK;
    for (size_t i = 0; i < n && rc == OK; i++) {
        const struct mst_node *nd = &v[i];
        if (++r->steps > max_steps(r))
            return rerr(r, E_TOOBIG, t, nd->line, "rendering takes more than %lu steps",
                        max_steps(r));
        switch (nd->type) {
        case MN_TEXT: buf_add(r->out, nd->text, nd->len); break;
        case MN_LINE:
            if (r->ind.len > r->ind_from)
                buf_add(r->out, r->ind.data + r->ind_from, r->ind.len - r->ind_from);
            break;
        case MN_VAR: rc = put_var(r, t, nd); break;
        case MN_SECTION:
        case MN_INVERTED: rc = render_section(r, t, nd); break;
        case MN_PARTIAL:
        case MN_PARENT: rc = render_include(r, t, nd); break;
        case MN_BLOCK: rc = render_block(r, t, nd); break;
        default: break;
        }
        if (rc == OK && r->out->len - r->mark > max_output(r))
            rc = rerr(r, E_TOOBIG, t, nd->line, "output is larger than %zu bytes", max_output(r));
    }
    return rc;
}

enum result mst_render(const struct mst_set *set, const char *name, json_t *context,
                       struct buf *out, struct err *e)
{
    const struct mst_tpl *t = mst_find(set, name, strlen(name));
    if (!t)
        return err_set(e, E_NOTFOUND, NULL, "template '%s' is not in the set", name);
    struct rs rs = {.set = set, .out = out, .e = e, .mark = out->len, .nctx = 1};
    struct rs *r = &rs;
    r->ctx[0] = context;
    enum result rc = render_nodes(r, t, t->root, t->nroot);
    buf_free(&r->ind);
    if (rc != OK) {
        out->len = r->mark;
        if (out->data)
            out->data[out->len] = '\0';
    }
    return rc;
}
