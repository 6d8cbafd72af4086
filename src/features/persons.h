/* Handlers of the persons pages (/persons …). */
#ifndef TDKT_FEATURES_PERSONS_H
#define TDKT_FEATURES_PERSONS_H

#include "http/http.h"

enum result persons_list(struct request *req);
enum result persons_show(struct request *req);
enum result persons_new(struct request *req);
enum result persons_edit(struct request *req);
enum result persons_create(struct request *req);
enum result persons_update(struct request *req);
enum result persons_deactivate(struct request *req);
enum result persons_activate(struct request *req);
enum result persons_export(struct request *req);
enum result persons_import_form(struct request *req);
enum result persons_import(struct request *req);

#endif
