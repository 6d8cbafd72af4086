/* Provincial templates (bảng tiêu chí mẫu của tỉnh; features/criteria.h,
 * docs/scoring.md "Provincial templates"): the office saves a valid table's
 * tree under a unique name; a group's table of a year can then start as a
 * copy of it (codes, names, kinds, maxima, points per occurrence, caps and
 * the order), besides empty or as last year's copy. Templates hold no
 * ranking settings: those are the group's choice each year. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/criteria_internal.h"
#include "features/groups.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

/* The template with its nodes in tree order, like criteria_get; NULL if none. */
static json_t *template_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT t.id, t.name, t.source_table_id, t.created_at, "
                                     "coalesce(u.display_name, '') FROM criteria_templates t LEFT "
                                     "JOIN users u ON u.id = t.created_by WHERE t.id = ?");
    db_bind_int(s, 1, id);
    json_t *t = NULL;
    if (db_step(s) == DB_ROW) {
        char dmy[11];
        char day[11];
        snprintf(day, sizeof day, "%.10s", db_col_text(s, 3));
        date_to_dmy(day, dmy);
        t = json_pack("{s:I,s:s,s:o,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(s, 0), "name",
                      db_col_text(s, 1), "source_table_id",
                      db_col_is_null(s, 2) ? json_null() : json_integer(db_col_int(s, 2)),
                      "created_at", db_col_text(s, 3), "created_on", dmy, "created_by",
                      db_col_text(s, 4));
    }
    db_done(s);
    if (t) {
        json_t *nodes = crit_nodes_of(db, CRIT_TEMPLATE_NODES_SQL, id, t);
        json_object_set_new(t, "node_count", json_integer((json_int_t)json_array_size(nodes)));
        json_object_set_new(t, "nodes", nodes);
        char link[48];
        snprintf(link, sizeof link, "/criteria/templates/%lld", (long long)id);
        json_object_set_new(t, "link", json_string(link));
    }
    return t;
}

json_t *crit_template_options(struct db *db)
{
    struct db_stmt *s = db_query(db, "SELECT id, name FROM criteria_templates ORDER BY name, id");
    json_t *out = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(out, json_pack("{s:I,s:s}", "value", (json_int_t)db_col_int(s, 0),
                                             "name", db_col_text(s, 1)));
    db_done(s);
    return out;
}

enum result crit_template_copy(struct db *db, int64_t tpl, int64_t table)
{
    struct db_stmt *s = db_query(db, "SELECT count(*) FROM criteria_templates WHERE id = ?");
    db_bind_int(s, 1, tpl);
    bool found = db_step(s) == DB_ROW && db_col_int(s, 0) > 0;
    if (db_done(s) == DB_ERROR)
        return E_DB;
    if (!found)
        return E_NOTFOUND;
    return crit_copy_nodes(db, CRIT_COPY_TEMPLATE_SQL, tpl, table);
}

enum result crit_copy_nodes(struct db *db, const char *sql, int64_t from, int64_t table)
{
    struct db_stmt *s = db_query(db, sql);
    db_bind_int(s, 1, from);
    json_t *rows = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(
            rows, json_pack("{s:I,s:I,s:o,s:s,s:s,s:s,s:I,s:o,s:I}", "id",
                            (json_int_t)db_col_int(s, 0), "position", (json_int_t)db_col_int(s, 1),
                            "parent",
                            db_col_is_null(s, 2) ? json_null() : json_integer(db_col_int(s, 2)),
                            "kind", db_col_text(s, 3), "code", db_col_text(s, 4), "name",
                            db_col_text(s, 5), "max", (json_int_t)db_col_int(s, 6), "each",
                            db_col_is_null(s, 7) ? json_null() : json_integer(db_col_int(s, 7)),
                            "capped", (json_int_t)db_col_int(s, 8)));
    enum result rc = db_done(s) == DB_ERROR ? E_DB : OK;
    json_t *map = json_object(); /* template id → new node id */
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (rc != OK)
            break;
        char key[32];
        json_t *parent = json_object_get(r, "parent");
        int64_t new_parent = 0;
        if (json_is_integer(parent)) {
            snprintf(key, sizeof key, "%lld", (long long)json_integer_value(parent));
            new_parent = json_integer_value(json_object_get(map, key));
            if (!new_parent) { /* parents are saved before their children */
                rc = E_DB;
                break;
            }
        }
        s = db_query(db, "INSERT INTO criteria_nodes (table_id, position, parent_id, kind, code, "
                         "name, max_x100, each_x100, capped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id");
        db_bind_int(s, 1, table);
        db_bind_int(s, 2, json_integer_value(json_object_get(r, "position")));
        if (new_parent)
            db_bind_int(s, 3, new_parent);
        else
            db_bind_null(s, 3);
        db_bind_text(s, 4, json_string_value(json_object_get(r, "kind")));
        db_bind_text(s, 5, json_string_value(json_object_get(r, "code")));
        db_bind_text(s, 6, json_string_value(json_object_get(r, "name")));
        db_bind_int(s, 7, json_integer_value(json_object_get(r, "max")));
        json_t *each = json_object_get(r, "each");
        if (json_is_integer(each))
            db_bind_int(s, 8, json_integer_value(each));
        else
            db_bind_null(s, 8);
        db_bind_int(s, 9, json_integer_value(json_object_get(r, "capped")));
        int64_t nid = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
        if (db_done(s) == DB_ERROR || !nid)
            rc = E_DB;
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(r, "id")));
        json_object_set_new(map, key, json_integer(nid));
    }
    json_decref(map);
    json_decref(rows);
    return rc;
}

/* Writes the nodes of table t (criteria_get's, in tree order) as template
 * tpl's: local ids 1..n in that order, so a parent always precedes its
 * children and the siblings keep their order. */
static bool save_nodes(struct db *db, int64_t tpl, json_t *t)
{
    json_t *nodes = json_object_get(t, "nodes");
    size_t n = json_array_size(nodes);
    for (size_t i = 0; i < n; i++) {
        json_t *nd = json_array_get(nodes, i);
        json_t *parent = json_object_get(nd, "parent_id");
        int64_t local_parent = 0;
        for (size_t j = 0; j < i && json_is_integer(parent); j++)
            if (json_integer_value(json_object_get(json_array_get(nodes, j), "id")) ==
                json_integer_value(parent))
                local_parent = (int64_t)j + 1;
        struct db_stmt *s = db_query(
            db, "INSERT INTO criteria_template_nodes (template_id, id, position, parent_id, kind, "
                "code, name, max_x100, each_x100, capped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        db_bind_int(s, 1, tpl);
        db_bind_int(s, 2, (int64_t)i + 1);
        db_bind_int(s, 3, (int64_t)i + 1);
        if (local_parent)
            db_bind_int(s, 4, local_parent);
        else
            db_bind_null(s, 4);
        db_bind_text(s, 5, json_string_value(json_object_get(nd, "kind")));
        db_bind_text(s, 6, json_string_value(json_object_get(nd, "code")));
        db_bind_text(s, 7, json_string_value(json_object_get(nd, "name")));
        db_bind_int(s, 8, json_integer_value(json_object_get(nd, "max_x100")));
        json_t *each = json_object_get(nd, "each_x100");
        if (json_is_integer(each))
            db_bind_int(s, 9, json_integer_value(each));
        else
            db_bind_null(s, 9);
        db_bind_int(s, 10, json_is_true(json_object_get(nd, "capped")) ? 1 : 0);
        if (db_run(s) != DB_DONE)
            return false;
    }
    return true;
}

/* No table yet, and the caller may make one: the page offers the three ways
 * (empty, last year's, a provincial template). A reader gets 404 instead. */
enum result crit_create_form(struct request *req, int64_t group, int year)
{
    json_t *m = req->model;
    json_t *g = group_get(req->db, group);
    json_object_set_new(m, "table", json_null());
    json_object_set_new(
        m, "create_form",
        json_pack("{s:I,s:i,s:s,s:b,s:o,s:s}", "group_id", (json_int_t)group, "year", year,
                  "group_name", g ? json_string_value(json_object_get(g, "name")) : "",
                  "has_previous", criteria_id_of(req->db, group, year - 1) != 0, "templates",
                  crit_template_options(req->db), "title",
                  arena_printf(req->arena, _("Bảng tiêu chí chấm điểm thi đua năm %d"), year)));
    json_object_set_new(m, "previous_year", json_integer(year - 1));
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s}", "group", arena_printf(req->arena, "/groups/%lld", (long long)group),
                  "year", arena_printf(req->arena, "/groups/%lld/%d", (long long)group, year)));
    json_decref(g);
    return OK;
}

enum result criteria_template_save(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_of_path(req);
    if (!t) {
        db_rollback(req->db);
        return req->err.code;
    }
    const char *name = req_text(req, "name");
    const char *problem = NULL, *field = "name";
    if (req_has_errors(req)) {
        json_decref(t);
        db_rollback(req->db);
        return crit_reject_fields(req);
    }
    if (!name)
        problem = _("Hãy nhập tên bảng mẫu (ví dụ Bảng tiêu chí mẫu các khối sở, ngành 2026).");
    else if (!json_is_true(json_object_get(t, "valid"))) {
        field = "nodes";
        problem = arena_printf(req->arena, _("Chỉ lưu làm bảng mẫu một bảng tiêu chí hợp lệ: %s"),
                               json_string_value(json_object_get(t, "check_message")));
    }
    if (problem) {
        json_decref(t);
        db_rollback(req->db);
        return req_reject(req, field, "%s", problem);
    }
    struct db_stmt *s = db_query(req->db, "SELECT count(*) FROM criteria_templates WHERE name = ?");
    db_bind_text(s, 1, name);
    bool taken = db_step(s) == DB_ROW && db_col_int(s, 0) > 0;
    db_done(s);
    if (taken) {
        json_decref(t);
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, "name",
                        _("Đã có bảng mẫu tên “%s”; hãy đặt tên khác."), name);
    }
    char now[21];
    date_now_utc(now);
    s = db_query(req->db, "INSERT INTO criteria_templates (name, source_table_id, created_by, "
                          "created_at) VALUES (?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, name);
    db_bind_int(s, 2, crit_tid(t));
    db_bind_int(s, 3, req->user->id);
    db_bind_text(s, 4, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    bool ok = db_done(s) != DB_ERROR && id && save_nodes(req->db, id, t);
    json_decref(t);
    if (!ok)
        return crit_db_failed(req);
    if (audit_commit(req, "create", "criteria_template", id, NULL, template_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "template", template_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/criteria/templates/%lld", (long long)id),
                        _("Đã lưu bảng mẫu của tỉnh."));
}

enum result criteria_templates_list(struct request *req)
{
    struct db_stmt *s = db_query(req->db, "SELECT id FROM criteria_templates ORDER BY name, id");
    size_t n = 0, cap = 8;
    int64_t *ids = xmalloc(cap * sizeof *ids);
    while (db_step(s) == DB_ROW) {
        if (n == cap)
            ids = xrealloc(ids, (cap *= 2) * sizeof *ids);
        ids[n++] = db_col_int(s, 0);
    }
    db_done(s);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *t = template_get(req->db, ids[i]);
        if (!t)
            continue;
        json_object_del(t, "nodes"); /* the list shows counts, not trees */
        json_array_append_new(items, t);
    }
    free(ids);
    json_object_set_new(req->model, "has_items", json_boolean(json_array_size(items) > 0));
    json_object_set_new(req->model, "items", items);
    return OK;
}

enum result criteria_template_show(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *t = template_get(req->db, id);
    if (!t)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bảng mẫu số hiệu %lld."),
                        (long long)id);
    json_object_set_new(req->model, "template", t);
    return OK;
}

/* A template can always go: a table made from it holds its own copy of the
 * nodes and keeps no reference to it. confirm=yes guards against a stray
 * request (the page asks first). */
enum result criteria_template_delete(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    int64_t id = req_path_int(req, "id");
    json_t *before = template_get(req->db, id);
    if (!before) {
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bảng mẫu số hiệu %lld."),
                        (long long)id);
    }
    if (!req_text(req, "confirm")) {
        json_decref(before);
        db_rollback(req->db);
        return req_reject(req, "confirm", _("Hãy xác nhận xóa bảng mẫu."));
    }
    struct db_stmt *s =
        db_query(req->db, "DELETE FROM criteria_template_nodes WHERE template_id = ?");
    db_bind_int(s, 1, id);
    bool ok = db_run(s) == DB_DONE;
    if (ok) {
        s = db_query(req->db, "DELETE FROM criteria_templates WHERE id = ?");
        db_bind_int(s, 1, id);
        ok = db_run(s) == DB_DONE;
    }
    if (!ok) {
        json_decref(before);
        return crit_db_failed(req);
    }
    if (audit_commit(req, "delete", "criteria_template", id, before, template_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, "/criteria/templates", _("Đã xóa bảng mẫu."));
}
