/* The office's pages for the wording of documents: /documents/templates …
 * (list, edit with a check against every kind's sample, back to the
 * built-in wording, preview as PDF or DOCX). */
#ifndef TDKT_FEATURES_DOC_TEMPLATE_PAGES_H
#define TDKT_FEATURES_DOC_TEMPLATE_PAGES_H

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

#endif
