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

struct db;

/* The unit that bounds the user's data (0: no bound; -1: nothing at all). */
int64_t scope_root(const struct request *req);

/* True when unit_id is inside the user's scope. */
bool scope_has_unit(struct request *req, int64_t unit_id);

/* OK, or fails the request with 403 and a message naming the unit scope. */
enum result scope_require_unit(struct request *req, int64_t unit_id);

/* Derived roles (DESIGN.md §2): the officers of this year's head or deputy
 * unit of an emulation group get that group's rights (conferences, review 1,
 * ballots and dossiers of the group) while the grant lasts. Grants are rows
 * of role_grants, written when a conference elects the units. */
enum derived_role { DERIVED_HEAD = 1, DERIVED_DEPUTY = 2 };

/* The derived roles (DERIVED_… bits) unit_id holds over group_id on date
 * (ISO yyyy-mm-dd). 0 when none. */
unsigned derived_roles_of(struct db *db, int64_t unit_id, int64_t group_id, const char *date);

/* Grants role over group_id to unit_id for [from, to) (ISO dates, to
 * exclusive: a year is [yyyy-01-01, yyyy+1-01-01)). Runs in the caller's
 * transaction; E_INVALID when to is not after from. */
enum result derived_role_grant(struct db *db, int64_t unit_id, int64_t group_id,
                               enum derived_role role, const char *from, const char *to);

/* The signed-in user's derived roles over group_id today: those of their
 * unit (unit officers only; admin and office act by their own roles). */
unsigned scope_group_roles(struct request *req, int64_t group_id);

/* OK when the user holds one of roles over group_id today; otherwise the
 * request fails with 403 naming what is needed. */
enum result scope_require_group_role(struct request *req, int64_t group_id, unsigned roles);

#endif
