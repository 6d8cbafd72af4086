/* The register of outgoing documents and their numbers: /documents …
 * (routes in routes.c; numbering rules in docnum.h). */
#ifndef TDKT_FEATURES_DOCUMENTS_H
#define TDKT_FEATURES_DOCUMENTS_H

#include <jansson.h>

#include "http/http.h"

struct db;

/* A registered document: {id, issuer {id, name, code}, year, series, number,
 * symbol, number_text "05/QĐ-UBND", kind, kind_name, subject, issued_on …};
 * NULL when absent. */
json_t *document_get(struct db *db, int64_t id);

enum result documents_list(struct request *req);
enum result documents_show(struct request *req);
enum result documents_new(struct request *req);
enum result documents_create(struct request *req);

#endif
