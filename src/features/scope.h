/* Data scope: what a signed-in user may read and write beyond the route's
 * role check. Admin, office and council see the whole province; a unit
 * officer sees their own unit and the units under it, and nothing else —
 * enforced here and in the list queries (list_query.scope_unit), so changing
 * an id in the URL or the JSON reaches nothing outside. */
#ifndef TDKT_FEATURES_SCOPE_H
#define TDKT_FEATURES_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

/* The unit that bounds the user's data (0: no bound). */
int64_t scope_root(const struct request *req);

/* True when unit_id is inside the user's scope. */
bool scope_has_unit(struct request *req, int64_t unit_id);

/* OK, or fails the request with 403 and a message naming the unit scope. */
enum result scope_require_unit(struct request *req, int64_t unit_id);

#endif
