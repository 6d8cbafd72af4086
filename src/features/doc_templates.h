/* Documents from templates: a view model and a template name (a file of
 * doctemplates/, or the office's version of it in doc_templates) give a
 * struct doc ready for the DOCX and PDF writers. */
#ifndef TDKT_FEATURES_DOC_TEMPLATES_H
#define TDKT_FEATURES_DOC_TEMPLATES_H

#include <jansson.h>

#include "docs/doc.h"
#include "lib/result.h"

struct db;

/* Renders template `name` over model into *out (doc_free). Before rendering,
 * model (not consumed; a copy is extended) gains "place_date" ("Bắc Ninh,
 * ngày 05 tháng 01 năm 2026", ND30's padding: day < 10 and months 1–2) and
 * "date_dmy" from its "place" and ISO "date". E_INVALID when the model lacks
 * a field the template uses (e->field names it, e->msg says so in
 * Vietnamese with the template and line), when the template is not valid
 * Mustache or the result not valid markup; E_NOTFOUND for an unknown name.
 * db may be NULL (built-in templates only). */
enum result doc_render(struct db *db, const char *name, json_t *model, struct doc **out,
                       struct err *e);

/* The templates the office may edit, ended by {NULL, NULL}: the kinds
 * (each with a sample model in doctemplates/samples/) and the shared parts. */
struct doc_template_info {
    const char *name;  /* "quyet_dinh", "partials/header" */
    const char *label; /* msgid */
};
extern const struct doc_template_info doc_template_list[];

/* The sample model of a kind (embedded doctemplates/samples/NAME.json), used
 * to check and preview the office's versions; NULL when there is none. */
json_t *doc_template_sample(const char *kind);

/* Checks a version of template `name` before it is saved: it must compile,
 * and every kind with a sample must still render into valid markup with it
 * (so a broken shared part is caught by the kinds that use it). E_INVALID
 * with a Vietnamese message naming the kind, the line and what is wrong. */
enum result doc_template_check(struct db *db, const char *name, const char *body, struct err *e);

/* "ngày 05 tháng 01 năm 2026" for ISO "2026-01-05"; "ngày 12 tháng 3 năm
 * 2026" for "2026-03-12". Returns false for a date that does not exist. */
bool doc_date_words(const char *iso, char *out, size_t size);

#endif
