/* The office's pages for the wording of documents: /documents/templates …
 * (list, edit with a check against every kind's sample, back to the
 * built-in wording, preview as PDF or DOCX). */
#ifndef TDKT_FEATURES_DOC_TEMPLATE_PAGES_H
#define TDKT_FEATURES_DOC_TEMPLATE_PAGES_H

#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"

enum result doc_templates_list(struct request *req);
enum result doc_template_edit(struct request *req);
enum result doc_template_save(struct request *req);
enum result doc_template_reset(struct request *req);
/* The sample document of a kind as it reads now (lines of text). */
enum result doc_template_preview(struct request *req);
/* The same as a PDF or DOCX download. */
enum result doc_template_sample_pdf(struct request *req);
enum result doc_template_sample_docx(struct request *req);

/* Renders document template `name` over model (not consumed) and sends it
 * as a download: PDF when pdf, else DOCX, named file_base + ".pdf"/".docx"
 * (ASCII, no path). A model missing a field fails the request with the
 * template's message (422). Used by every page that prints a document of a
 * group's year (plan, pledge, minutes …). */
enum result doc_send(struct request *req, const char *name, json_t *model, bool pdf,
                     const char *file_base);

#endif
