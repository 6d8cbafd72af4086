/* Handlers of the unit registry pages (/units …). */
#ifndef TDKT_FEATURES_UNITS_H
#define TDKT_FEATURES_UNITS_H

#include "http/http.h"

enum result units_list(struct request *req);
enum result units_show(struct request *req);
enum result units_new(struct request *req);
enum result units_edit(struct request *req);
enum result units_create(struct request *req);
enum result units_update(struct request *req);
enum result units_deactivate(struct request *req);
enum result units_activate(struct request *req);
enum result units_export(struct request *req);
enum result units_import_form(struct request *req);
enum result units_import(struct request *req);

#endif
