/* Editing one node of a draft criteria table and reordering it among its
 * siblings (features/criteria.h; docs/scoring.md "Editing a table"). The
 * rules are node_add's: a code, a name, points 0..10,000, points per
 * occurrence for a per-occurrence criterion, a cap only on a group; and the
 * tree stays a tree: a group with children stays a group. */
#include <string.h>

#include "db/db.h"
#include "domain/scoring.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/criteria_internal.h"
#include "lib/i18n.h"

/* The node {node} of table t, or NULL after failing (404) and rolling back. */
static json_t *node_of(struct request *req, json_t *t)
{
    int64_t node = req_path_int(req, "node");
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(t, "nodes"), i, nd)
    {
        if (json_integer_value(json_object_get(nd, "id")) == node)
            return nd;
    }
    db_rollback(req->db);
    req_fail(req, E_NOTFOUND, NULL, _("Bảng tiêu chí không có mục số hiệu %lld."),
             (long long)node);
    return NULL;
}

static bool has_children(json_t *t, int64_t node)
{
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(t, "nodes"), i, nd)
    {
        json_t *p = json_object_get(nd, "parent_id");
        if (json_is_integer(p) && json_integer_value(p) == node)
            return true;
    }
    return false;
}

/* True when the table's tie-break list names group:<node>. */
static bool tiebreak_names(json_t *t, int64_t node)
{
    char item[40];
    snprintf(item, sizeof item, "group:%lld", (long long)node);
    const char *list = json_string_value(json_object_get(t, "tie_breaks"));
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p = end ? end + 1 : p + len;
    }
    return false;
}

/* A text field of the edit: the request's value when the field came (empty
 * is an error), else the node's own. */
static const char *text_field(struct request *req, json_t *nd, const char *field, const char *msg)
{
    if (!crit_seen(req, field))
        return json_string_value(json_object_get(nd, field));
    const char *v = req_text(req, field);
    if (!v)
        req_field_error(req, field, "%s", msg);
    return v;
}

/* Marks the edited row on the page again (its form open, the messages in it). */
static enum result edit_again(struct request *req, json_t *t, int64_t node)
{
    json_t *errs = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(req->field_errors, k, v)
    {
        json_array_append(errs, v);
    }
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(t, "nodes"), i, nd)
    {
        if (json_integer_value(json_object_get(nd, "id")) == node) {
            json_object_set_new(nd, "edit_open", json_true());
            json_object_set(nd, "edit_errors", errs);
        }
    }
    json_decref(errs);
    return crit_show_again(req, t);
}

enum result criteria_node_update(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_edit(req);
    if (!t)
        return req->err.code;
    json_t *nd = node_of(req, t);
    if (!nd) {
        json_decref(t);
        return req->err.code;
    }
    int64_t id = crit_tid(t), node = json_integer_value(json_object_get(nd, "id"));
    const char *kind = text_field(req, nd, "kind", _("Hãy chọn loại tiêu chí."));
    const char *code =
        text_field(req, nd, "code", _("Hãy nhập số thứ tự, ký hiệu của tiêu chí (ví dụ I, 1.2)."));
    const char *name = text_field(req, nd, "name", _("Hãy nhập tên tiêu chí."));
    bool group = kind && strcmp(kind, "group") == 0;
    bool occurrence = kind && strcmp(kind, "occurrence") == 0;
    bool was_group = json_is_true(json_object_get(nd, "is_group"));
    if (kind && was_group && !group && has_children(t, node))
        req_field_error(req, "kind",
                        _("Nhóm %s “%s” còn tiêu chí bên trong nên phải vẫn là nhóm tiêu chí."),
                        json_string_value(json_object_get(nd, "code")),
                        json_string_value(json_object_get(nd, "name")));
    else if (kind && was_group && !group && tiebreak_names(t, node))
        req_field_error(req, "kind",
                        _("Nhóm %s “%s” đang là một tiêu chí phụ xếp hạng; hãy bỏ nó khỏi danh "
                          "sách tiêu chí phụ trước khi đổi loại."),
                        json_string_value(json_object_get(nd, "code")),
                        json_string_value(json_object_get(nd, "name")));
    int64_t max = json_integer_value(json_object_get(nd, "max_x100")), each = 0;
    if (crit_seen(req, "max"))
        crit_points(req, "max", _("Điểm tối đa"), &max);
    if (occurrence) {
        json_t *old_each = json_object_get(nd, "each_x100");
        if (crit_seen(req, "each") || !json_is_integer(old_each))
            crit_points(req, "each", _("Điểm mỗi lần"), &each);
        else
            each = json_integer_value(old_each);
    }
    bool capped = json_is_true(json_object_get(nd, "capped"));
    if (crit_seen(req, "capped"))
        capped = req_text(req, "capped") && strcmp(req_text(req, "capped"), "yes") == 0;
    if (capped && !group) {
        if (crit_seen(req, "capped"))
            req_field_error(req, "capped", _("Chỉ nhóm tiêu chí mới có mức trần."));
        capped = false; /* a group turned criterion loses its cap */
    }
    if (req_has_errors(req)) {
        db_rollback(req->db);
        return edit_again(req, t, node);
    }
    if (crit_touch(req, id, NULL) != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    struct db_stmt *s = db_query(req->db, "UPDATE criteria_nodes SET kind = ?, code = ?, name = ?, "
                                          "max_x100 = ?, each_x100 = ?, capped = ? WHERE id = ? "
                                          "AND table_id = ?");
    db_bind_text(s, 1, kind);
    db_bind_text(s, 2, code);
    db_bind_text(s, 3, name);
    db_bind_int(s, 4, max);
    if (occurrence)
        db_bind_int(s, 5, each);
    else
        db_bind_null(s, 5);
    db_bind_int(s, 6, capped ? 1 : 0);
    db_bind_int(s, 7, node);
    db_bind_int(s, 8, id);
    if (db_run(s) != DB_DONE) {
        json_decref(t);
        return crit_db_failed(req);
    }
    const char *back = crit_page_of(req, t);
    if (audit_commit(req, "node_update", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "%s#node-%lld", back, (long long)node),
                        _("Đã sửa mục của bảng tiêu chí."));
}

enum result criteria_node_move(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_edit(req);
    if (!t)
        return req->err.code;
    json_t *nd = node_of(req, t);
    if (!nd) {
        json_decref(t);
        return req->err.code;
    }
    const char *dir = req_text(req, "dir");
    if (!dir) {
        json_decref(t);
        db_rollback(req->db);
        return req_reject(req, "dir", _("Hãy chọn chuyển lên hay chuyển xuống."));
    }
    bool up = strcmp(dir, "up") == 0;
    int64_t id = crit_tid(t), node = json_integer_value(json_object_get(nd, "id"));
    struct db_stmt *me = db_query(req->db, "SELECT position, coalesce(parent_id, 0) FROM "
                                           "criteria_nodes WHERE id = ?");
    db_bind_int(me, 1, node);
    int64_t pos = 0, parent = 0;
    if (db_step(me) == DB_ROW) {
        pos = db_col_int(me, 0);
        parent = db_col_int(me, 1);
    }
    db_done(me);
    /* the neighbour among the siblings, in the order the tree shows them */
    struct db_stmt *s = db_query(
        req->db, up ? "SELECT id, position FROM criteria_nodes WHERE table_id = ? AND "
                      "coalesce(parent_id, 0) = ? AND (position < ? OR (position = ? AND id < ?)) "
                      "ORDER BY position DESC, id DESC LIMIT 1"
                    : "SELECT id, position FROM criteria_nodes WHERE table_id = ? AND "
                      "coalesce(parent_id, 0) = ? AND (position > ? OR (position = ? AND id > ?)) "
                      "ORDER BY position, id LIMIT 1");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, parent);
    db_bind_int(s, 3, pos);
    db_bind_int(s, 4, pos);
    db_bind_int(s, 5, node);
    int64_t other = 0, other_pos = 0;
    if (db_step(s) == DB_ROW) {
        other = db_col_int(s, 0);
        other_pos = db_col_int(s, 1);
    }
    db_done(s);
    if (!other) {
        const char *msg = arena_printf(
            req->arena,
            up ? _("%s “%s” đã ở đầu nhóm nên không chuyển lên được nữa.")
               : _("%s “%s” đã ở cuối nhóm nên không chuyển xuống được nữa."),
            json_string_value(json_object_get(nd, "code")),
            json_string_value(json_object_get(nd, "name")));
        json_decref(t);
        db_rollback(req->db);
        return req_reject(req, "dir", "%s", msg);
    }
    /* equal positions (never written by tdkt, but harmless) would swap to
     * no change: the moving node then takes one step past its neighbour */
    int64_t new_pos = other_pos == pos ? (up ? pos - 1 : pos + 1) : other_pos;
    if (crit_touch(req, id, NULL) != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    s = db_query(req->db, "UPDATE criteria_nodes SET position = ? WHERE id = ? AND table_id = ?");
    db_bind_int(s, 1, new_pos);
    db_bind_int(s, 2, node);
    db_bind_int(s, 3, id);
    bool ok = db_run(s) == DB_DONE;
    if (ok) {
        s = db_query(req->db, "UPDATE criteria_nodes SET position = ? WHERE id = ? AND "
                              "table_id = ?");
        db_bind_int(s, 1, pos);
        db_bind_int(s, 2, other);
        db_bind_int(s, 3, id);
        ok = db_run(s) == DB_DONE;
    }
    if (!ok) {
        json_decref(t);
        return crit_db_failed(req);
    }
    const char *back = crit_page_of(req, t);
    if (audit_commit(req, "node_move", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "%s#node-%lld", back, (long long)node),
                        up ? _("Đã chuyển lên.") : _("Đã chuyển xuống."));
}
