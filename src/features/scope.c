/* Data scope checks (see scope.h). */
#include "features/scope.h"

#include "db/db.h"
#include "features/registry.h"
#include "lib/i18n.h"

int64_t scope_root(const struct request *req)
{
    return req->user && req->user->role == ROLE_UNIT ? req->user->unit_id : 0;
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
