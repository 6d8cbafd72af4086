/* Criteria tables of a group's year (features/criteria.h): reading the tree,
 * its page, creating a table (empty, copied from last year's or from a
 * provincial template: criteria_templates.c), adding and removing nodes while
 * in draft, and locking it once score_table_check passes. Editing nodes is in
 * criteria_edit.c, the ranking settings and deadlines in criteria_settings.c. */
#include "features/criteria.h"
#include "features/criteria_internal.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "domain/scoring.h"
#include "features/audit.h"
#include "features/groups.h"
#include "features/score_sheets.h"
#include "lib/date.h"
#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

const char *const crit_kind_codes[] = {"group", "direct", "passfail", "occurrence", "target",
                                         NULL};

static enum score_kind kind_of(const char *k)
{
    for (int i = 0; crit_kind_codes[i]; i++)
        if (strcmp(crit_kind_codes[i], k) == 0)
            return (enum score_kind)i;
    return SCORE_DIRECT;
}

static const char *kind_name(enum score_kind k)
{
    switch (k) {
    case SCORE_GROUP:
        return _("Nhóm tiêu chí");
    case SCORE_PASSFAIL:
        return _("Đạt / không đạt");
    case SCORE_OCCURRENCE:
        return _("Tính theo lần");
    case SCORE_TARGET:
        return _("Theo chỉ tiêu");
    default:
        return _("Chấm trực tiếp");
    }
}

static const char *status_name(const char *status)
{
    return strcmp(status, "locked") == 0 ? _("Đã khóa") : _("Dự thảo");
}

struct raw_node {
    int64_t id, parent_id;
    char *code, *name;
    enum score_kind kind;
    int64_t max, each;
    bool has_each, capped;
};

/* Appends the children of parent (0: the top level) depth first. */
static void order_tree(struct raw_node *raw, size_t n, int64_t parent, int parent_index,
                       int depth, size_t *order, int *depths, int *parents, size_t *k,
                       bool *placed)
{
    for (size_t i = 0; i < n; i++) {
        if (placed[i] || raw[i].parent_id != parent)
            continue;
        placed[i] = true;
        size_t me = (*k)++;
        order[me] = i;
        depths[me] = depth;
        parents[me] = parent_index;
        order_tree(raw, n, raw[i].id, (int)me, depth + 1, order, depths, parents, k, placed);
    }
}

json_t *crit_x100(int64_t v)
{
    char buf[32];
    bloc_format_x100(v, buf);
    return json_string(buf);
}

/* Why score_table_check refused node i, in words naming it. */
static const char *check_message(const struct score_table *t, size_t i, enum score_status st,
                                 char *buf, size_t len)
{
    const struct score_node *nd = &t->nodes[i];
    if (st != SCORE_ERR_TABLE || nd->kind != SCORE_GROUP) {
        snprintf(buf, len, _("Tiêu chí %s “%s”: điểm tối đa hoặc điểm mỗi lần không hợp lệ "
                             "(phải từ 0 đến 10.000)."),
                 nd->code, nd->name);
        utf8_trim_partial(buf);
        utf8_trim_partial(buf);
    return buf;
    }
    int64_t sum = 0;
    size_t children = 0;
    for (size_t j = 0; j < t->n; j++)
        if (t->nodes[j].parent == (int)i) {
            sum += t->nodes[j].max;
            children++;
        }
    char a[32], b[32];
    bloc_format_x100(nd->max, a);
    bloc_format_x100(sum, b);
    if (children == 0)
        snprintf(buf, len, _("Nhóm tiêu chí %s “%s” chưa có tiêu chí nào."), nd->code, nd->name);
    else if (nd->capped)
        snprintf(buf, len,
                 _("Nhóm tiêu chí %s “%s” có mức trần %s điểm lớn hơn tổng điểm tối đa %s của "
                   "các tiêu chí trong nhóm."),
                 nd->code, nd->name, a, b);
    else
        snprintf(buf, len,
                 _("Nhóm tiêu chí %s “%s” có điểm tối đa %s khác tổng điểm tối đa %s của các "
                   "tiêu chí trong nhóm (nếu nhóm chỉ tính đến một mức trần, hãy đánh dấu "
                   "“có mức trần”)."),
                 nd->code, nd->name, a, b);
    utf8_trim_partial(buf);
    return buf;
}

json_t *crit_nodes_of(struct db *db, const char *sql, int64_t table_id, json_t *table)
{
    struct db_stmt *s = db_query(db, sql);
    db_bind_int(s, 1, table_id);
    size_t n = 0, cap = 16;
    struct raw_node *raw = xmalloc(cap * sizeof *raw);
    while (db_step(s) == DB_ROW) {
        if (n == cap)
            raw = xrealloc(raw, (cap *= 2) * sizeof *raw);
        raw[n] = (struct raw_node){
            .id = db_col_int(s, 0),
            .parent_id = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1),
            .kind = kind_of(db_col_text(s, 2)),
            .code = xstrdup(db_col_text(s, 3)),
            .name = xstrdup(db_col_text(s, 4)),
            .max = db_col_int(s, 5),
            .has_each = !db_col_is_null(s, 6),
            .each = db_col_is_null(s, 6) ? 0 : db_col_int(s, 6),
            .capped = db_col_int(s, 7) != 0,
        };
        n++;
    }
    db_done(s);
    size_t *order = xmalloc((n + 1) * sizeof *order);
    int *depths = xmalloc((n + 1) * sizeof *depths), *parents = xmalloc((n + 1) * sizeof *parents);
    bool *placed = calloc(n + 1, sizeof *placed);
    size_t k = 0;
    order_tree(raw, n, 0, -1, 0, order, depths, parents, &k, placed);
    struct score_node *sn = xmalloc((k + 1) * sizeof *sn);
    json_t *out = json_array();
    for (size_t j = 0; j < k; j++) {
        struct raw_node *r = &raw[order[j]];
        sn[j] = (struct score_node){.code = r->code, .name = r->name, .parent = parents[j],
                                    .kind = r->kind, .max = r->max, .each = r->each,
                                    .capped = r->capped};
        json_t *node = json_pack(
            "{s:I,s:o,s:i,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:b,s:b,s:b}", "id", (json_int_t)r->id,
            "parent_id", r->parent_id ? json_integer(r->parent_id) : json_null(), "depth",
            depths[j], "kind", crit_kind_codes[r->kind], "kind_name", kind_name(r->kind), "code",
            r->code, "name", r->name, "max_x100", (json_int_t)r->max, "max", crit_x100(r->max),
            "each_x100", r->has_each ? json_integer(r->each) : json_null(), "each",
            r->has_each ? crit_x100(r->each) : json_null(), "capped", r->capped, "is_group",
            r->kind == SCORE_GROUP, "top", depths[j] == 0);
        json_array_append_new(out, node);
    }
    struct score_table t = {sn, k};
    size_t bad = 0;
    enum score_status st = score_table_check(&t, &bad);
    int64_t total = st == SCORE_OK ? score_table_max(&t) : 0;
    json_object_set_new(table, "total_x100", json_integer(total));
    json_object_set_new(table, "total", crit_x100(total));
    json_object_set_new(table, "valid", json_boolean(st == SCORE_OK && k > 0));
    if (st != SCORE_OK) {
        char buf[4096];
        json_object_set_new(table, "check_message",
                            json_string(check_message(&t, bad, st, buf, sizeof buf)));
        json_object_set_new(table, "bad_node_id", json_integer(raw[order[bad]].id));
    } else {
        json_object_set_new(table, "check_message",
                            k ? json_null() : json_string(_("Bảng chưa có tiêu chí nào.")));
        json_object_set_new(table, "bad_node_id", json_null());
    }
    for (size_t i = 0; i < n; i++) {
        free(raw[i].code);
        free(raw[i].name);
    }
    free(raw);
    free(order);
    free(depths);
    free(parents);
    free(placed);
    free(sn);
    return out;
}

const char *criteria_stage_name(const char *stage)
{
    static const char *const codes[] = {"self", "review1", "explain", "review2", "locked"};
    const char *names[] = {_("Đơn vị tự chấm"), _("Thẩm định lần 1 (đơn vị trưởng khối/cụm)"),
                           _("Đơn vị giải trình"), _("Thẩm định lần 2 (cơ quan thường trực)"),
                           _("Đã khóa kết quả")};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strcmp(stage, codes[i]) == 0)
            return names[i];
    return stage;
}

/* The classification bands, highest first ([{position, name, min, min_x100}]). */
static json_t *bands_of(struct db *db, int64_t table_id)
{
    struct db_stmt *s = db_query(db, "SELECT position, name, min_x100 FROM criteria_bands WHERE "
                                     "table_id = ? ORDER BY position");
    db_bind_int(s, 1, table_id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(out, json_pack("{s:I,s:s,s:I,s:o}", "position",
                                             (json_int_t)db_col_int(s, 0), "name",
                                             db_col_text(s, 1), "min_x100",
                                             (json_int_t)db_col_int(s, 2), "min",
                                             crit_x100(db_col_int(s, 2))));
    db_done(s);
    return out;
}

json_t *criteria_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(
        db, "SELECT c.id, c.group_id, c.year, c.title, c.status, c.version, c.created_at, "
            "c.updated_at, g.name, g.code, c.stage, c.self_due, c.review1_due, c.explain_due, "
            "c.review2_due, c.mode, c.normalise, c.min_sample, c.bonus_cap_x100, c.tie_breaks "
            "FROM criteria_tables c JOIN emulation_groups g ON "
            "g.id = c.group_id WHERE c.id = ?");
    db_bind_int(s, 1, id);
    json_t *t = NULL;
    if (db_step(s) == DB_ROW) {
        const char *status = db_col_text(s, 4);
        t = json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:b,s:I,s:s,s:s}", "id",
                      (json_int_t)db_col_int(s, 0), "group_id", (json_int_t)db_col_int(s, 1),
                      "year", (json_int_t)db_col_int(s, 2), "title", db_col_text(s, 3), "status",
                      status, "group_name", db_col_text(s, 8), "group_code", db_col_text(s, 9),
                      "is_draft", strcmp(status, "draft") == 0, "version",
                      (json_int_t)db_col_int(s, 5), "created_at", db_col_text(s, 6),
                      "updated_at", db_col_text(s, 7));
        json_object_set_new(t, "status_name", json_string(status_name(status)));
        const char *stage = db_col_text(s, 10);
        json_object_set_new(t, "stage", json_string(stage));
        json_object_set_new(t, "stage_name", json_string(criteria_stage_name(stage)));
        static const char *const dues[] = {"self_due", "review1_due", "explain_due",
                                           "review2_due"};
        for (int i = 0; i < 4; i++)
            json_object_set_new(t, dues[i],
                                db_col_is_null(s, 11 + i) ? json_null()
                                                          : json_string(db_col_text(s, 11 + i)));
        json_object_set_new(t, "mode", json_string(db_col_text(s, 15)));
        json_object_set_new(t, "is_cross", json_boolean(strcmp(db_col_text(s, 15), "cross") == 0));
        json_object_set_new(t, "normalise", json_boolean(db_col_int(s, 16) != 0));
        json_object_set_new(t, "min_sample", json_integer(db_col_int(s, 17)));
        json_object_set_new(t, "bonus_cap_x100",
                            db_col_is_null(s, 18) ? json_null() : json_integer(db_col_int(s, 18)));
        json_object_set_new(t, "tie_breaks", json_string(db_col_text(s, 19)));
    }
    db_done(s);
    if (t) {
        json_object_set_new(t, "nodes", crit_nodes_of(db, CRIT_NODES_SQL, id, t));
        json_object_set_new(t, "bands", bands_of(db, id));
        crit_describe_settings(t);
    }
    return t;
}

int64_t criteria_id_of(struct db *db, int64_t group, int year)
{
    struct db_stmt *s =
        db_query(db, "SELECT id FROM criteria_tables WHERE group_id = ? AND year = ?");
    db_bind_int(s, 1, group);
    db_bind_int(s, 2, year);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    return id;
}

int64_t crit_tgroup(json_t *t)
{
    return json_integer_value(json_object_get(t, "group_id"));
}

int crit_tyear(json_t *t)
{
    return (int)json_integer_value(json_object_get(t, "year"));
}

int64_t crit_tid(json_t *t)
{
    return json_integer_value(json_object_get(t, "id"));
}

enum result crit_db_failed(struct request *req)
{
    db_rollback(req->db);
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

/* What the edit form and the up/down buttons of each row need: the kinds it
 * may take (a group with children stays a group), and whether a sibling
 * comes before or after it (siblings keep their order in the tree order). */
static void edit_rows(json_t *nodes)
{
    size_t n = json_array_size(nodes);
    for (size_t i = 0; i < n; i++) {
        json_t *nd = json_array_get(nodes, i);
        json_t *parent = json_object_get(nd, "parent_id");
        int64_t id = json_integer_value(json_object_get(nd, "id"));
        bool up = false, down = false, children = false;
        for (size_t j = 0; j < n; j++) {
            json_t *o = json_array_get(nodes, j);
            if (json_integer_value(json_object_get(o, "parent_id")) == id &&
                json_is_integer(json_object_get(o, "parent_id")))
                children = true;
            if (j == i || !json_equal(json_object_get(o, "parent_id"), parent))
                continue;
            if (j < i)
                up = true;
            else
                down = true;
        }
        const char *kind = json_string_value(json_object_get(nd, "kind"));
        json_t *opts = json_array();
        for (int k = 0; crit_kind_codes[k]; k++) {
            if (children && k != SCORE_GROUP)
                continue;
            json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", crit_kind_codes[k],
                                                  "label", kind_name((enum score_kind)k),
                                                  "selected", strcmp(kind, crit_kind_codes[k]) == 0));
        }
        json_object_set_new(nd, "kind_options", opts);
        json_object_set_new(nd, "can_up", json_boolean(up));
        json_object_set_new(nd, "can_down", json_boolean(down));
        json_object_set_new(nd, "has_children", json_boolean(children));
    }
}

/* The page model of table t (consumed). */
void crit_show_model(struct request *req, json_t *t)
{
    json_t *m = req->model;
    bool manage = group_can_manage(req, crit_tgroup(t), crit_tyear(t));
    bool draft = json_is_true(json_object_get(t, "is_draft"));
    json_object_set_new(m, "can_manage", json_boolean(manage));
    json_object_set_new(m, "can_edit", json_boolean(manage && draft));
    json_object_set_new(m, "has_nodes", json_boolean(json_array_size(json_object_get(t, "nodes"))));
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s}", "group", arena_printf(req->arena, "/groups/%lld", (long long)crit_tgroup(t)),
                  "year", arena_printf(req->arena, "/groups/%lld/%d", (long long)crit_tgroup(t), crit_tyear(t))));
    if (manage && draft) {
        json_t *parents = json_array();
        size_t i;
        json_t *nd;
        json_array_foreach(json_object_get(t, "nodes"), i, nd)
        {
            if (json_is_true(json_object_get(nd, "is_group")))
                json_array_append_new(parents,
                                      json_pack("{s:O,s:O,s:O}", "value", json_object_get(nd, "id"),
                                                "code", json_object_get(nd, "code"), "name",
                                                json_object_get(nd, "name")));
        }
        json_object_set_new(m, "node_form",
                            json_pack("{s:o,s:s,s:s,s:s,s:s}", "parents", parents, "code", "",
                                      "name", "", "max", "", "each", ""));
        edit_rows(json_object_get(t, "nodes"));
    }
    if (manage)
        crit_settings_forms(req, t, false);
    json_object_set_new(m, "can_template",
                        json_boolean(req->user && (req->user->role & (ROLE_ADMIN | ROLE_OFFICE))));
    if (!draft) {
        json_t *sheets = score_sheet_links(req, t);
        json_object_set_new(m, "has_sheets", json_boolean(json_array_size(sheets) > 0));
        json_object_set_new(m, "sheets", sheets);
    }
    json_object_set_new(m, "table", t);
}

/* The table of the path ({id}) if the caller may read it; NULL after failing. */
json_t *crit_table_of_path(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *t = criteria_get(req->db, id);
    if (!t) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."), (long long)id);
        return NULL;
    }
    if (!group_can_view_year(req, crit_tgroup(t), crit_tyear(t))) {
        json_decref(t);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này nên không xem "
                   "được bảng tiêu chí của khối."));
        return NULL;
    }
    return t;
}

static json_t *table_managed(struct request *req, bool draft)
{
    json_t *t = crit_table_of_path(req);
    if (t && group_require_manage(req, crit_tgroup(t), crit_tyear(t)) != OK) {
        json_decref(t);
        t = NULL;
    }
    if (t && draft && !json_is_true(json_object_get(t, "is_draft"))) {
        json_decref(t);
        t = NULL;
        req_fail(req, E_CONFLICT, NULL,
                 _("Bảng tiêu chí đã khóa nên không sửa được nữa."));
    }
    if (t && req_value(req, "version") &&
        req_int(req, "version", 0) != json_integer_value(json_object_get(t, "version"))) {
        json_decref(t);
        t = NULL;
        req_fail(req, E_CONFLICT, "version",
                 _("Bảng tiêu chí vừa được người khác sửa. Hãy mở lại trang để xem bản mới nhất "
                   "rồi làm lại."));
    }
    if (!t)
        db_rollback(req->db);
    return t;
}

json_t *crit_table_for_edit(struct request *req)
{
    return table_managed(req, true);
}

json_t *crit_table_for_manage(struct request *req)
{
    return table_managed(req, false);
}

enum result crit_reject_fields(struct request *req)
{
    const char *k;
    json_t *v;
    json_object_foreach(req->field_errors, k, v)
    {
        return req_reject(req, k, "%s", json_string_value(v));
    }
    return req_reject(req, "", "%s", _("Dữ liệu gửi lên không hợp lệ."));
}

bool crit_seen(const struct request *req, const char *name)
{
    for (size_t i = 0; i < req->nvalues; i++)
        if (strcmp(req->values[i].name, name) == 0)
            return req->values[i].seen;
    return false;
}

const char *crit_page_of(struct request *req, json_t *t)
{
    return arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)crit_tgroup(t),
                        crit_tyear(t));
}

enum result crit_touch(struct request *req, int64_t id, const char *status)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "UPDATE criteria_tables SET version = version + 1, "
                                          "updated_at = ?, status = coalesce(CAST(? AS TEXT), "
                                          "status) WHERE id = ?");
    db_bind_text(s, 1, now);
    if (status)
        db_bind_text(s, 2, status);
    else
        db_bind_null(s, 2);
    db_bind_int(s, 3, id);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

enum result criteria_show(struct request *req)
{
    json_t *g = group_of_path(req);
    if (!g)
        return req->err.code;
    json_decref(g);
    int64_t group = req_path_int(req, "id");
    int year = (int)req_path_int(req, "year");
    if (!group_can_view_year(req, group, year))
        return req_fail(req, E_FORBIDDEN, NULL,
                        _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này trong năm "
                          "%d nên không xem được bảng tiêu chí."),
                        year);
    int64_t id = criteria_id_of(req->db, group, year);
    json_t *t = id ? criteria_get(req->db, id) : NULL;
    if (!t && group_can_manage(req, group, year))
        return crit_create_form(req, group, year);
    if (!t)
        return req_fail(req, E_NOTFOUND, NULL, _("Khối chưa có bảng tiêu chí năm %d."), year);
    crit_show_model(req, t);
    return OK;
}

enum result criteria_create(struct request *req)
{
    json_t *g = group_of_path(req);
    if (!g)
        return req->err.code;
    json_decref(g);
    int64_t group = req_path_int(req, "id");
    int year = (int)req_path_int(req, "year");
    if (group_require_manage(req, group, year) != OK)
        return req->err.code;
    json_t *y = group_year_get(req->db, group, year);
    if (!y)
        return req_fail(req, E_NOTFOUND, NULL,
                        _("Khối, cụm thi đua chưa có danh sách thành viên năm %d; hãy lập năm đó "
                          "trước."),
                        year);
    json_decref(y);
    const char *title = req_text(req, "title");
    if (!title)
        title = arena_printf(req->arena, _("Bảng tiêu chí chấm điểm thi đua năm %d"), year);
    bool copy = req_text(req, "copy") && strcmp(req_text(req, "copy"), "yes") == 0;
    int64_t tpl = req_int(req, "template", 0);
    if (req_has_errors(req))
        return crit_reject_fields(req);
    if (copy && tpl)
        return req_reject(req, "template",
                          _("Chỉ chọn một nguồn: chép từ năm trước hoặc từ bảng mẫu của tỉnh."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (criteria_id_of(req->db, group, year)) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Khối đã có bảng tiêu chí năm %d; mỗi năm chỉ một bảng."), year);
    }
    int64_t previous = copy ? criteria_id_of(req->db, group, year - 1) : 0;
    if (copy && !previous) {
        db_rollback(req->db);
        return req_reject(req, "copy", _("Năm %d khối chưa có bảng tiêu chí để chép."), year - 1);
    }
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "INSERT INTO criteria_tables (group_id, year, title, "
                                          "created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                                          "RETURNING id");
    db_bind_int(s, 1, group);
    db_bind_int(s, 2, year);
    db_bind_text(s, 3, title);
    db_bind_text(s, 4, now);
    db_bind_text(s, 5, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    if (db_done(s) == DB_ERROR || !id)
        return crit_db_failed(req);
    if (previous && crit_copy_nodes(req->db, CRIT_COPY_TABLE_SQL, previous, id) != OK)
        return crit_db_failed(req);
    if (tpl) {
        enum result rc = crit_template_copy(req->db, tpl, id);
        if (rc == E_NOTFOUND) {
            db_rollback(req->db);
            return req_reject(req, "template", _("Không có bảng mẫu của tỉnh số hiệu %lld."),
                              (long long)tpl);
        }
        if (rc != OK)
            return crit_db_failed(req);
    }
    if (audit_commit(req, "create", "criteria", id, NULL, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    req->status = 201;
    return req_redirect(req,
                        arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)group, year),
                        _("Đã lập bảng tiêu chí (dự thảo)."));
}

/* The page again with the messages beside the form (422). */
enum result crit_show_again(struct request *req, json_t *t)
{
    crit_show_model(req, t);
    json_t *f = json_object_get(req->model, "node_form");
    if (f) {
        const char *keys[] = {"code", "name", "max", "each"};
        for (size_t i = 0; i < 4; i++)
            json_object_set_new(f, keys[i], json_string(req_text(req, keys[i]) ? req_text(req, keys[i]) : ""));
    }
    req->status = 422;
    req->template = "criteria/show";
    return OK;
}

/* Parses a points field; false after recording the field's message. */
bool crit_points(struct request *req, const char *field, const char *label, int64_t *out)
{
    const char *v = req_text(req, field);
    if (!v) {
        req_field_error(req, field, _("Hãy nhập %s."), label);
        return false;
    }
    if (!bloc_parse_x100(v, out) || *out < 0 || *out > SCORE_MAX_LIMIT) {
        req_field_error(req, field, _("%s phải là số điểm từ 0 đến 10.000, ví dụ 20 hoặc 2,5."),
                        label);
        return false;
    }
    return true;
}

enum result criteria_node_add(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_edit(req);
    if (!t)
        return req->err.code;
    int64_t id = crit_tid(t);
    const char *kind = req_text(req, "kind"), *code = req_text(req, "code"),
               *name = req_text(req, "name");
    if (!kind)
        req_field_error(req, "kind", _("Hãy chọn loại tiêu chí."));
    if (!code)
        req_field_error(req, "code", _("Hãy nhập số thứ tự, ký hiệu của tiêu chí (ví dụ I, 1.2)."));
    if (!name)
        req_field_error(req, "name", _("Hãy nhập tên tiêu chí."));
    int64_t max = 0, each = 0;
    crit_points(req, "max", _("Điểm tối đa"), &max);
    bool occurrence = kind && strcmp(kind, "occurrence") == 0;
    bool group = kind && strcmp(kind, "group") == 0;
    if (occurrence)
        crit_points(req, "each", _("Điểm mỗi lần"), &each);
    bool capped = req_text(req, "capped") && strcmp(req_text(req, "capped"), "yes") == 0;
    if (capped && !group)
        req_field_error(req, "capped", _("Chỉ nhóm tiêu chí mới có mức trần."));
    int64_t parent = req_int(req, "parent_id", 0);
    if (parent) {
        struct db_stmt *s = db_query(req->db, "SELECT kind FROM criteria_nodes WHERE id = ? AND "
                                              "table_id = ?");
        db_bind_int(s, 1, parent);
        db_bind_int(s, 2, id);
        bool ok = db_step(s) == DB_ROW && strcmp(db_col_text(s, 0), "group") == 0;
        db_done(s);
        if (!ok)
            req_field_error(req, "parent_id",
                            _("Thuộc nhóm: phải là một nhóm tiêu chí của bảng này, không phải một "
                              "tiêu chí."));
    }
    if (req_has_errors(req)) {
        db_rollback(req->db);
        return crit_show_again(req, t);
    }
    if (crit_touch(req, id, NULL) != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO criteria_nodes (table_id, position, parent_id, kind, code, name, "
                 "max_x100, each_x100, capped) SELECT ?, coalesce(max(position), 0) + 1, ?, ?, ?, "
                 "?, ?, ?, ? FROM criteria_nodes WHERE table_id = ?");
    db_bind_int(s, 1, id);
    if (parent)
        db_bind_int(s, 2, parent);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, kind);
    db_bind_text(s, 4, code);
    db_bind_text(s, 5, name);
    db_bind_int(s, 6, max);
    if (occurrence)
        db_bind_int(s, 7, each);
    else
        db_bind_null(s, 7);
    db_bind_int(s, 8, capped ? 1 : 0);
    db_bind_int(s, 9, id);
    if (db_run(s) != DB_DONE) {
        json_decref(t);
        return crit_db_failed(req);
    }
    if (audit_commit(req, "node_add", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/groups/%lld/%d/criteria",
                                          (long long)crit_tgroup(json_object_get(req->model, "table")),
                                          crit_tyear(json_object_get(req->model, "table"))),
                        _("Đã thêm vào bảng tiêu chí."));
}

enum result criteria_node_delete(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_edit(req);
    if (!t)
        return req->err.code;
    int64_t id = crit_tid(t), node = req_path_int(req, "node");
    json_t *found = NULL;
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(t, "nodes"), i, nd)
    {
        if (json_integer_value(json_object_get(nd, "id")) == node)
            found = nd;
    }
    if (!found) {
        json_decref(t);
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL, _("Bảng tiêu chí không có mục số hiệu %lld."),
                        (long long)node);
    }
    struct db_stmt *s =
        db_query(req->db, "SELECT count(*) FROM criteria_nodes WHERE parent_id = ?");
    db_bind_int(s, 1, node);
    int64_t children = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    if (children > 0) {
        const char *msg = arena_printf(
            req->arena, _("Nhóm %s “%s” còn %lld tiêu chí; hãy xóa các tiêu chí trong nhóm trước."),
            json_string_value(json_object_get(found, "code")),
            json_string_value(json_object_get(found, "name")), (long long)children);
        json_decref(t);
        db_rollback(req->db);
        return req_reject(req, "node", "%s", msg);
    }
    if (crit_touch(req, id, NULL) != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    if (crit_tiebreak_forget(req->db, id, node) != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    s = db_query(req->db, "DELETE FROM criteria_nodes WHERE id = ? AND table_id = ?");
    db_bind_int(s, 1, node);
    db_bind_int(s, 2, id);
    if (db_run(s) != DB_DONE) {
        json_decref(t);
        return crit_db_failed(req);
    }
    int64_t group = crit_tgroup(t);
    int year = crit_tyear(t);
    if (audit_commit(req, "node_delete", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)group, year),
                        _("Đã xóa khỏi bảng tiêu chí."));
}

enum result criteria_lock(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = crit_table_for_edit(req);
    if (!t)
        return req->err.code;
    if (!json_is_true(json_object_get(t, "valid"))) {
        const char *msg = arena_printf(req->arena, _("Chưa khóa được bảng tiêu chí: %s"),
                                       json_string_value(json_object_get(t, "check_message")));
        json_decref(t);
        db_rollback(req->db);
        return req_reject(req, "nodes", "%s", msg);
    }
    int64_t id = crit_tid(t), group = crit_tgroup(t);
    int year = crit_tyear(t);
    if (crit_touch(req, id, "locked") != OK) {
        json_decref(t);
        return crit_db_failed(req);
    }
    if (audit_commit(req, "lock", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)group, year),
                        _("Đã khóa bảng tiêu chí."));
}
