/* Data scope checks (see scope.h). */
#include "features/scope.h"

#include <string.h>

#include "db/db.h"
#include "features/registry.h"
#include "lib/date.h"
#include "lib/i18n.h"

int64_t scope_root(const struct request *req)
{
    if (!req->user || req->user->role != ROLE_UNIT)
        return 0;
    /* an officer without a unit (the schema forbids it) sees nothing, not all */
    return req->user->unit_id ? req->user->unit_id : -1;
}

bool scope_has_unit(struct request *req, int64_t unit_id)
{
    int64_t root = scope_root(req);
    if (!root)
        return req->user != NULL;
    if (unit_id == root)
        return true;
    struct db_stmt *s = db_query(req->db, "SELECT 1 FROM units WHERE id = ? AND id IN ("
                                          SCOPE_SUBTREE_SQL ")");
    db_bind_int(s, 1, unit_id);
    db_bind_int(s, 2, root);
    bool inside = db_step(s) == DB_ROW;
    db_done(s);
    return inside;
}

enum result scope_require_unit(struct request *req, int64_t unit_id)
{
    if (scope_has_unit(req, unit_id))
        return OK;
    return req_fail(req, E_FORBIDDEN, NULL,
                    _("Bạn chỉ xem và sửa được dữ liệu của đơn vị mình (%s) và các đơn vị trực "
                      "thuộc."),
                    req->user && req->user->unit_name ? req->user->unit_name : "");
}

unsigned derived_roles_of(struct db *db, int64_t unit_id, int64_t group_id, const char *date)
{
    struct db_stmt *s = db_query(db, "SELECT role FROM role_grants WHERE unit_id = ? AND "
                                     "scope_kind = 'group' AND scope_id = ? AND valid_from <= ? "
                                     "AND valid_to > ?");
    db_bind_int(s, 1, unit_id);
    db_bind_int(s, 2, group_id);
    db_bind_text(s, 3, date);
    db_bind_text(s, 4, date);
    unsigned roles = 0;
    while (db_step(s) == DB_ROW)
        roles |= strcmp(db_col_text(s, 0), "head") == 0 ? DERIVED_HEAD : DERIVED_DEPUTY;
    db_done(s);
    return roles;
}

enum result derived_role_grant(struct db *db, int64_t unit_id, int64_t group_id,
                               enum derived_role role, const char *from, const char *to)
{
    char f[11], t[11];
    if (!date_parse(from, f) || !date_parse(to, t) || strcmp(t, f) <= 0)
        return E_INVALID;
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "INSERT INTO role_grants (unit_id, scope_kind, scope_id, "
                                     "role, valid_from, valid_to, created_at) "
                                     "VALUES (?, 'group', ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, unit_id);
    db_bind_int(s, 2, group_id);
    db_bind_text(s, 3, role == DERIVED_HEAD ? "head" : "deputy");
    db_bind_text(s, 4, f);
    db_bind_text(s, 5, t);
    db_bind_text(s, 6, now);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

unsigned scope_group_roles(struct request *req, int64_t group_id)
{
    if (!req->user || req->user->role != ROLE_UNIT || !req->user->unit_id)
        return 0;
    char today[11];
    date_today(today);
    return derived_roles_of(req->db, req->user->unit_id, group_id, today);
}

enum result scope_require_group_role(struct request *req, int64_t group_id, unsigned roles)
{
    if (scope_group_roles(req, group_id) & roles)
        return OK;
    return req_fail(req, E_FORBIDDEN, NULL, "%s",
                    roles & DERIVED_DEPUTY
                        ? _("Chỉ cán bộ của đơn vị Trưởng khối hoặc Phó khối năm nay mới làm được "
                            "việc này.")
                        : _("Chỉ cán bộ của đơn vị Trưởng khối năm nay mới làm được việc này."));
}
