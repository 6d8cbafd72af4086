/* Route matching and parameter validation: the part of the HTTP layer that
 * needs no network, so it is unit-tested and fuzzed directly. */
#ifndef TDKT_HTTP_ROUTER_H
#define TDKT_HTTP_ROUTER_H

#include "http/form.h"
#include "http/http.h"

/* The route for method and path, with its path parameters stored in req.
 * NULL when none matches; *wrong_method is then true when the path matches a
 * route of another method (405 rather than 404). */
const struct route *router_match(const struct route *routes, size_t n, enum http_method method,
                                 const char *path, struct request *req, bool *wrong_method);

/* Checks fields (query string and body together) against req->route->params
 * and fills req->values. Refuses with E_INVALID an undeclared or repeated
 * name, text that is not UTF-8 or has control characters, and values longer
 * than declared (E_TOOBIG); these are 400s naming the field. Type errors of a
 * declared field (not a number, a date that does not exist, a value outside
 * its range, a required field left empty) are recorded in req->field_errors
 * so the form can be shown again with each message beside its field. */
enum result router_bind_params(struct request *req, const struct form_field *fields,
                               struct err *e);

/* Parses "2026-01-05" or "05/01/2026" (also d/m/yyyy) into ISO "2026-01-05".
 * Returns false for anything that is not a real calendar day. */
bool router_parse_date(const char *s, char out[11]);

#endif
