/* The audit page /audit and its XLSX export, for admin and office. */
#ifndef TDKT_FEATURES_AUDIT_PAGES_H
#define TDKT_FEATURES_AUDIT_PAGES_H

#include "http/http.h"

enum result audit_list(struct request *req);
enum result audit_export(struct request *req);

#endif
