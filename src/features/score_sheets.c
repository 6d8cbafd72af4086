/* Score sheets, stage 1 (features/score_sheets.h): a unit's answers to its
 * group-year's locked criteria table, the points of each node and the total
 * by the pure rules of domain/scoring.h, and the submission. */
#include "features/score_sheets.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "domain/scoring.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/groups.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

static const char *const kind_codes[] = {"group", "direct", "passfail", "occurrence", "target",
                                         NULL};

static enum score_kind kind_of(const char *k)
{
    for (int i = 0; kind_codes[i]; i++)
        if (strcmp(kind_codes[i], k) == 0)
            return (enum score_kind)i;
    return SCORE_DIRECT;
}

static json_t *x100(int64_t v)
{
    char buf[32];
    bloc_format_x100(v, buf);
    return json_string(buf);
}

static int64_t jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

json_t *score_sheet_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT id, table_id, unit_id, status, version, "
                                     "submitted_at FROM score_sheets WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *t = NULL;
    if (db_step(s) == DB_ROW)
        t = json_pack("{s:I,s:I,s:I,s:s,s:I,s:o}", "id", (json_int_t)db_col_int(s, 0),
                      "table_id", (json_int_t)db_col_int(s, 1), "unit_id",
                      (json_int_t)db_col_int(s, 2), "status", db_col_text(s, 3), "version",
                      (json_int_t)db_col_int(s, 4), "submitted_at",
                      db_col_is_null(s, 5) ? json_null() : json_string(db_col_text(s, 5)));
    db_done(s);
    if (!t)
        return NULL;
    json_t *answers = json_array();
    s = db_query(db, "SELECT node_id, value_x100, target_x100, note FROM score_answers WHERE "
                     "sheet_id = ? ORDER BY node_id");
    db_bind_int(s, 1, id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(
            answers, json_pack("{s:I,s:I,s:o,s:o}", "node_id", (json_int_t)db_col_int(s, 0),
                               "value_x100", (json_int_t)db_col_int(s, 1), "target_x100",
                               db_col_is_null(s, 2) ? json_null() : json_integer(db_col_int(s, 2)),
                               "note", db_col_is_null(s, 3) ? json_null()
                                                            : json_string(db_col_text(s, 3))));
    db_done(s);
    json_object_set_new(t, "answers", answers);
    return t;
}

/* The sheet of (table, unit): its id, status and version; 0 when none. */
static int64_t sheet_of(struct db *db, int64_t table, int64_t unit, char status[16],
                        int64_t *version)
{
    struct db_stmt *s = db_query(db, "SELECT id, status, version FROM score_sheets WHERE "
                                     "table_id = ? AND unit_id = ?");
    db_bind_int(s, 1, table);
    db_bind_int(s, 2, unit);
    int64_t id = 0;
    status[0] = '\0';
    if (db_step(s) == DB_ROW) {
        id = db_col_int(s, 0);
        snprintf(status, 16, "%s", db_col_text(s, 1));
        if (version)
            *version = db_col_int(s, 2);
    }
    db_done(s);
    return id;
}

/* The table's tree for the domain: nodes[i] mirrors the JSON nodes (tree
 * order, parents first). */
struct tree {
    struct score_node *nodes;
    int64_t *ids;
    size_t n;
};

static void tree_of(json_t *table, struct tree *tr)
{
    json_t *nodes = json_object_get(table, "nodes");
    tr->n = json_array_size(nodes);
    tr->nodes = xmalloc((tr->n + 1) * sizeof *tr->nodes);
    tr->ids = xmalloc((tr->n + 1) * sizeof *tr->ids);
    for (size_t i = 0; i < tr->n; i++) {
        json_t *nd = json_array_get(nodes, i);
        tr->ids[i] = jint(nd, "id");
        int parent = -1;
        int64_t pid = jint(nd, "parent_id");
        for (size_t j = 0; j < i && pid; j++)
            if (tr->ids[j] == pid)
                parent = (int)j;
        tr->nodes[i] = (struct score_node){
            .code = jstr(nd, "code"), .name = jstr(nd, "name"), .parent = parent,
            .kind = kind_of(jstr(nd, "kind")), .max = jint(nd, "max_x100"),
            .each = jint(nd, "each_x100"), .capped = json_is_true(json_object_get(nd, "capped"))};
    }
}

static void tree_free(struct tree *tr)
{
    free(tr->nodes);
    free(tr->ids);
}

static size_t index_of(const struct tree *tr, int64_t node)
{
    for (size_t i = 0; i < tr->n; i++)
        if (tr->ids[i] == node)
            return i;
    return tr->n;
}

/* Every sheet's answers of the table: units[u] owns answers[u * n …]. */
static size_t all_answers(struct db *db, int64_t table, const struct tree *tr, int64_t **units,
                          struct score_answer **answers)
{
    size_t nu = 0, cap = 8;
    *units = xmalloc(cap * sizeof **units);
    *answers = calloc(cap * (tr->n + 1), sizeof **answers);
    struct db_stmt *s = db_query(db, "SELECT s.unit_id, a.node_id, a.value_x100, a.target_x100 "
                                     "FROM score_sheets s JOIN score_answers a ON a.sheet_id = "
                                     "s.id WHERE s.table_id = ? ORDER BY s.unit_id");
    db_bind_int(s, 1, table);
    while (db_step(s) == DB_ROW) {
        int64_t unit = db_col_int(s, 0);
        if (nu == 0 || (*units)[nu - 1] != unit) {
            if (nu == cap) {
                *units = xrealloc(*units, (cap * 2) * sizeof **units);
                *answers = xrealloc(*answers, cap * 2 * (tr->n + 1) * sizeof **answers);
                memset(*answers + cap * tr->n, 0, cap * tr->n * sizeof **answers);
                cap *= 2;
            }
            (*units)[nu++] = unit;
        }
        size_t i = index_of(tr, db_col_int(s, 1));
        if (i < tr->n)
            (*answers)[(nu - 1) * tr->n + i] = (struct score_answer){
                .answered = true, .value = db_col_int(s, 2),
                .target = db_col_is_null(s, 3) ? 0 : db_col_int(s, 3)};
    }
    db_done(s);
    return nu;
}

/* Points of one answered leaf (0 when blank or refused). */
static int64_t leaf_points(const struct score_node *nd, const struct score_answer *a,
                           int64_t leader)
{
    int64_t out = 0;
    if (!a->answered)
        return 0;
    enum score_status st = SCORE_OK;
    switch (nd->kind) {
    case SCORE_DIRECT:
        st = score_direct(nd->max, a->value, &out);
        break;
    case SCORE_PASSFAIL:
        st = score_passfail(nd->max, a->value, &out);
        break;
    case SCORE_OCCURRENCE:
        st = score_per_occurrence(nd->max, nd->each, a->value, &out);
        break;
    case SCORE_TARGET:
        st = score_target(nd->max, a->value, a->target, leader, &out, NULL);
        break;
    default:
        break;
    }
    return st == SCORE_OK ? out : 0;
}

/* The sheet model: every node with its answer and points, the total and the
 * progress. */
static json_t *sheet_model(struct request *req, json_t *table, int64_t unit)
{
    struct tree tr;
    tree_of(table, &tr);
    int64_t table_id = jint(table, "id"), *units = NULL;
    struct score_answer *answers = NULL;
    size_t nu = all_answers(req->db, table_id, &tr, &units, &answers);
    int64_t *leaders = calloc(tr.n + 1, sizeof *leaders);
    struct score_table st = {tr.nodes, tr.n};
    score_leaders(&st, answers, nu, leaders);
    struct score_answer *mine = calloc(tr.n + 1, sizeof *mine);
    for (size_t u = 0; u < nu; u++)
        if (units[u] == unit)
            memcpy(mine, answers + u * tr.n, tr.n * sizeof *mine);
    int64_t *points = calloc(tr.n + 1, sizeof *points), *sums = calloc(tr.n + 1, sizeof *sums);
    size_t leaves = 0, answered = 0;
    for (size_t k = tr.n; k-- > 0;) {
        const struct score_node *nd = &tr.nodes[k];
        if (nd->kind == SCORE_GROUP) {
            points[k] = nd->capped && sums[k] > nd->max ? nd->max : sums[k];
        } else {
            leaves++;
            answered += mine[k].answered;
            points[k] = leaf_points(nd, &mine[k], leaders[k]);
        }
        if (nd->parent >= 0)
            sums[nd->parent] += points[k];
    }
    int64_t total = 0;
    for (size_t k = 0; k < tr.n; k++)
        if (tr.nodes[k].parent < 0)
            total += points[k];
    bool complete = leaves > 0 && answered == leaves;
    if (complete) {
        int at_max = 0;
        size_t bad = 0;
        if (score_unit(&st, mine, leaders, points, &total, &at_max, &bad) != SCORE_OK)
            complete = false;
    }
    char status[16];
    int64_t version = 0;
    int64_t sheet = sheet_of(req->db, table_id, unit, status, &version);
    json_t *rows = json_array();
    json_t *nodes = json_object_get(table, "nodes");
    for (size_t k = 0; k < tr.n; k++) {
        json_t *nd = json_deep_copy(json_array_get(nodes, k));
        enum score_kind kd = tr.nodes[k].kind;
        json_object_set_new(nd, "points_x100", json_integer(points[k]));
        json_object_set_new(nd, "points", x100(points[k]));
        json_object_set_new(nd, "answered", json_boolean(mine[k].answered));
        json_object_set_new(nd, "is_passfail", json_boolean(kd == SCORE_PASSFAIL));
        json_object_set_new(nd, "is_target", json_boolean(kd == SCORE_TARGET));
        json_object_set_new(nd, "is_count", json_boolean(kd == SCORE_OCCURRENCE));
        json_object_set_new(nd, "is_points", json_boolean(kd == SCORE_DIRECT));
        if (kd != SCORE_GROUP) {
            char buf[32];
            if (!mine[k].answered)
                buf[0] = '\0';
            else if (kd == SCORE_PASSFAIL || kd == SCORE_OCCURRENCE)
                snprintf(buf, sizeof buf, "%lld", (long long)mine[k].value);
            else
                bloc_format_x100(mine[k].value, buf);
            json_object_set_new(nd, "value", json_string(buf));
            json_object_set_new(nd, "passed", json_boolean(mine[k].answered && mine[k].value == 1));
            json_object_set_new(nd, "failed", json_boolean(mine[k].answered && mine[k].value == 0));
            if (kd == SCORE_TARGET) {
                if (mine[k].answered)
                    bloc_format_x100(mine[k].target, buf);
                json_object_set_new(nd, "target", json_string(buf));
                json_object_set_new(nd, "leader", x100(leaders[k]));
            }
        }
        json_array_append_new(rows, nd);
    }
    bool submitted = strcmp(status, "submitted") == 0;
    json_t *m = json_pack(
        "{s:I,s:o,s:s,s:s,s:b,s:I,s:I,s:I,s:o,s:b,s:I}", "sheet_id", (json_int_t)sheet, "nodes",
        rows, "status", status[0] ? status : "draft", "status_name",
        submitted ? _("Đã nộp") : _("Đang tự chấm"), "submitted", submitted, "version",
        (json_int_t)version, "answered", (json_int_t)answered, "criteria", (json_int_t)leaves,
        "total", x100(total), "complete", complete, "total_x100", (json_int_t)total);
    free(units);
    free(answers);
    free(leaders);
    free(mine);
    free(points);
    free(sums);
    tree_free(&tr);
    return m;
}

static json_t *unit_get(struct db *db, int64_t unit)
{
    struct db_stmt *s = db_query(db, "SELECT id, name FROM units WHERE id = ?");
    db_bind_int(s, 1, unit);
    json_t *u = NULL;
    if (db_step(s) == DB_ROW)
        u = json_pack("{s:I,s:s}", "id", (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1));
    db_done(s);
    return u;
}

static bool may_read(struct request *req, json_t *table, int64_t unit)
{
    return scope_has_unit(req, unit) ||
           group_can_manage(req, jint(table, "group_id"), (int)jint(table, "year"));
}

json_t *score_sheet_links(struct request *req, json_t *table)
{
    json_t *out = json_array();
    json_t *members =
        group_members(req->db, jint(table, "group_id"), (int)jint(table, "year"));
    size_t i;
    json_t *mb;
    json_array_foreach(members, i, mb)
    {
        int64_t unit = jint(mb, "unit_id");
        if (!may_read(req, table, unit))
            continue;
        char status[16];
        sheet_of(req->db, jint(table, "id"), unit, status, NULL);
        const char *name = strcmp(status, "submitted") == 0 ? _("Đã nộp")
                           : status[0]                      ? _("Đang tự chấm")
                                                            : _("Chưa chấm");
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s,s:s}", "unit_id", (json_int_t)unit, "name",
                           jstr(mb, "name"), "status_name", name, "href",
                           arena_printf(req->arena, "/criteria/%lld/units/%lld",
                                        (long long)jint(table, "id"), (long long)unit)));
    }
    json_decref(members);
    return out;
}

/* The table and unit of the path, checked for reading; NULL after failing. */
static json_t *table_for(struct request *req, int64_t *unit)
{
    int64_t id = req_path_int(req, "id");
    *unit = req_path_int(req, "unit");
    json_t *t = criteria_get(req->db, id);
    if (!t) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."), (long long)id);
        return NULL;
    }
    if (!may_read(req, t, *unit)) {
        json_decref(t);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Chỉ cán bộ của đơn vị, trưởng, phó khối và cơ quan thường trực xem được "
                   "phiếu tự chấm của đơn vị này."));
        return NULL;
    }
    if (!group_is_member(req->db, jint(t, "group_id"), (int)jint(t, "year"), *unit, NULL)) {
        json_decref(t);
        req_fail(req, E_NOTFOUND, NULL,
                 _("Đơn vị số hiệu %lld không là thành viên của khối, cụm trong năm này."),
                 (long long)*unit);
        return NULL;
    }
    return t;
}

enum result score_sheet_show(struct request *req)
{
    int64_t unit;
    json_t *t = table_for(req, &unit);
    if (!t)
        return req->err.code;
    json_t *m = req->model;
    bool locked = !json_is_true(json_object_get(t, "is_draft"));
    json_t *sheet = sheet_model(req, t, unit);
    bool own = req->user && req->user->role == ROLE_UNIT && scope_has_unit(req, unit);
    bool submitted = json_is_true(json_object_get(sheet, "submitted"));
    json_object_set_new(m, "can_answer", json_boolean(own && locked && !submitted));
    json_object_set_new(m, "locked", json_boolean(locked));
    json_object_set_new(m, "unit", unit_get(req->db, unit));
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s}", "criteria",
                  arena_printf(req->arena, "/groups/%lld/%d/criteria",
                               (long long)jint(t, "group_id"), (int)jint(t, "year")),
                  "self", arena_printf(req->arena, "/criteria/%lld/units/%lld",
                                       (long long)jint(t, "id"), (long long)unit)));
    json_object_del(t, "nodes");
    json_object_set_new(m, "table", t);
    json_object_set_new(m, "sheet", sheet);
    return OK;
}

static enum result db_failed(struct request *req)
{
    db_rollback(req->db);
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

/* In a transaction: the table and unit of the path, the caller the unit's
 * own officer, the unit a member, the table locked, the sheet not submitted
 * and at the version given. NULL after failing and rolling back. */
static json_t *table_for_write(struct request *req, int64_t *unit, int64_t *sheet)
{
    json_t *t = table_for(req, unit);
    char status[16] = "";
    int64_t version = 0;
    if (t && !(req->user && req->user->role == ROLE_UNIT && scope_has_unit(req, *unit))) {
        json_decref(t);
        t = NULL;
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Chỉ cán bộ của chính đơn vị mới tự chấm và nộp phiếu của đơn vị; cơ quan "
                   "thường trực và quản trị không chấm thay đơn vị."));
    }
    if (t && json_is_true(json_object_get(t, "is_draft"))) {
        json_decref(t);
        t = NULL;
        req_reject(req, "table", _("Bảng tiêu chí chưa khóa nên chưa tự chấm được."));
    }
    if (t)
        *sheet = sheet_of(req->db, jint(t, "id"), *unit, status, &version);
    if (t && strcmp(status, "submitted") == 0) {
        json_decref(t);
        t = NULL;
        req_fail(req, E_CONFLICT, NULL,
                 _("Phiếu tự chấm của đơn vị đã nộp, không sửa được."));
    }
    if (t && *sheet && req_value(req, "version") && req_int(req, "version", 0) != version) {
        json_decref(t);
        t = NULL;
        req_fail(req, E_CONFLICT, "version",
                 _("Phiếu tự chấm vừa được người khác sửa. Hãy mở lại trang để xem bản mới nhất "
                   "rồi làm lại."));
    }
    if (!t)
        db_rollback(req->db);
    return t;
}

/* Parses a number field (hundredths) in 0..limit; false after rejecting. */
static bool number(struct request *req, const char *field, const char *label, int64_t limit,
                   int64_t *out)
{
    const char *v = req_text(req, field);
    if (!v || !bloc_parse_x100(v, out) || *out < 0 || *out > limit) {
        req_reject(req, field, _("%s phải là một số không âm, ví dụ 20 hoặc 2,5."), label);
        return false;
    }
    return true;
}

/* Validates the answer to node nd; false after rejecting (422). */
static bool parse_answer(struct request *req, const struct score_node *nd, int64_t *value,
                         int64_t *target)
{
    int64_t out = 0;
    char max[32];
    bloc_format_x100(nd->max, max);
    switch (nd->kind) {
    case SCORE_DIRECT:
        if (!number(req, "value", _("Điểm tự chấm"), SCORE_VALUE_LIMIT, value))
            return false;
        if (score_direct(nd->max, *value, &out) != SCORE_OK) {
            req_reject(req, "value", _("Điểm tự chấm của tiêu chí %s phải từ 0 đến %s."),
                       nd->code, max);
            return false;
        }
        return true;
    case SCORE_PASSFAIL: {
        const char *v = req_text(req, "value");
        if (!v || !bloc_parse_x100(v, value) || (*value != 0 && *value != 100)) {
            req_reject(req, "value", _("Tiêu chí %s chỉ nhận 1 (đạt) hoặc 0 (không đạt)."),
                       nd->code);
            return false;
        }
    }
        *value /= 100;
        return true;
    case SCORE_OCCURRENCE:
        if (!number(req, "value", _("Số lần"), SCORE_VALUE_LIMIT, value) || *value % 100 != 0) {
            req_reject(req, "value", _("Số lần của tiêu chí %s phải là số nguyên không âm."),
                       nd->code);
            return false;
        }
        *value /= 100;
        return score_per_occurrence(nd->max, nd->each, *value, &out) == SCORE_OK ||
               req_reject(req, "value", _("Số lần của tiêu chí %s quá lớn."), nd->code) == OK;
    case SCORE_TARGET:
        if (!number(req, "value", _("Kết quả thực hiện"), SCORE_VALUE_LIMIT, value))
            return false;
        if (!number(req, "target", _("Chỉ tiêu đăng ký"), SCORE_VALUE_LIMIT, target))
            return false;
        return true;
    default:
        req_reject(req, "node_id", _("%s là nhóm tiêu chí, không chấm trực tiếp."), nd->code);
        return false;
    }
}

static enum result touch(struct request *req, int64_t sheet, const char *status, const char *now)
{
    struct db_stmt *s = db_query(req->db, "UPDATE score_sheets SET version = version + 1, "
                                          "updated_at = ?, status = coalesce(CAST(? AS TEXT), "
                                          "status), submitted_at = CASE WHEN CAST(? AS TEXT) IS "
                                          "NULL THEN submitted_at ELSE ? END WHERE id = ?");
    db_bind_text(s, 1, now);
    if (status) {
        db_bind_text(s, 2, status);
        db_bind_text(s, 3, now);
        db_bind_text(s, 4, now);
    } else {
        db_bind_null(s, 2);
        db_bind_null(s, 3);
        db_bind_null(s, 4);
    }
    db_bind_int(s, 5, sheet);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

/* A refused answer or submission: the sheet again (422) with the message
 * beside the table, so the officer sees what to mend where it typed it. */
static enum result sheet_again(struct request *req)
{
    const char *field = req->err.field[0] ? req->err.field : "answers";
    req_field_error(req, field, "%s", req->err.msg);
    if (score_sheet_show(req) != OK)
        return req->err.code;
    req->status = 422;
    req->template = "scores/sheet";
    return OK;
}

enum result score_sheet_answer(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    int64_t unit = 0, sheet = 0;
    json_t *t = table_for_write(req, &unit, &sheet);
    if (!t)
        return req->err.code;
    struct tree tr;
    tree_of(t, &tr);
    size_t i = index_of(&tr, req_int(req, "node_id", 0));
    int64_t value = 0, target = 0;
    bool ok = true;
    if (i == tr.n) {
        req_reject(req, "node_id", _("Hãy chọn một tiêu chí của bảng này."));
        ok = false;
    } else {
        ok = parse_answer(req, &tr.nodes[i], &value, &target);
    }
    bool is_target = ok && tr.nodes[i].kind == SCORE_TARGET;
    int64_t node = ok ? tr.ids[i] : 0;
    tree_free(&tr);
    int64_t tid = jint(t, "id");
    json_decref(t);
    if (!ok) {
        db_rollback(req->db);
        return sheet_again(req);
    }
    char now[21];
    date_now_utc(now);
    json_t *before = NULL;
    if (!sheet) {
        struct db_stmt *s = db_query(req->db, "INSERT INTO score_sheets (table_id, unit_id, "
                                              "created_at, updated_at) VALUES (?, ?, ?, ?) "
                                              "RETURNING id");
        db_bind_int(s, 1, tid);
        db_bind_int(s, 2, unit);
        db_bind_text(s, 3, now);
        db_bind_text(s, 4, now);
        sheet = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
        if (db_done(s) == DB_ERROR || !sheet)
            return db_failed(req);
    } else {
        before = score_sheet_get(req->db, sheet);
        if (touch(req, sheet, NULL, now) != OK) {
            json_decref(before);
            return db_failed(req);
        }
    }
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO score_answers (sheet_id, node_id, value_x100, target_x100, note, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sheet_id, node_id) DO UPDATE "
                 "SET value_x100 = excluded.value_x100, target_x100 = excluded.target_x100, "
                 "note = excluded.note, updated_at = excluded.updated_at");
    db_bind_int(s, 1, sheet);
    db_bind_int(s, 2, node);
    db_bind_int(s, 3, value);
    if (is_target)
        db_bind_int(s, 4, target);
    else
        db_bind_null(s, 4);
    if (req_text(req, "note"))
        db_bind_text(s, 5, req_text(req, "note"));
    else
        db_bind_null(s, 5);
    db_bind_text(s, 6, now);
    if (db_run(s) != DB_DONE) {
        json_decref(before);
        return db_failed(req);
    }
    if (audit_commit(req, before ? "answer" : "create", "score_sheet", sheet, before,
                     score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *again = criteria_get(req->db, tid);
    json_object_set_new(req->model, "sheet", sheet_model(req, again, unit));
    json_decref(again);
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                     (long long)unit),
                        _("Đã lưu điểm tự chấm."));
}

enum result score_sheet_submit(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    int64_t unit = 0, sheet = 0;
    json_t *t = table_for_write(req, &unit, &sheet);
    if (!t)
        return req->err.code;
    int64_t tid = jint(t, "id");
    json_t *m = sheet_model(req, t, unit);
    json_t *first = NULL;
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(m, "nodes"), i, nd)
    {
        if (!first && !json_is_true(json_object_get(nd, "is_group")) &&
            !json_is_true(json_object_get(nd, "answered")))
            first = nd;
    }
    if (first || !sheet) {
        const char *msg =
            first ? arena_printf(req->arena,
                                 _("Chưa nộp được: tiêu chí %s “%s” chưa chấm (điểm 0 cũng phải "
                                   "nhập là 0)."),
                                 jstr(first, "code"), jstr(first, "name"))
                  : _("Chưa nộp được: bảng tiêu chí chưa có tiêu chí nào được chấm.");
        json_decref(m);
        json_decref(t);
        db_rollback(req->db);
        req_reject(req, "answers", "%s", msg);
        return sheet_again(req);
    }
    json_decref(m);
    json_decref(t);
    char now[21];
    date_now_utc(now);
    json_t *before = score_sheet_get(req->db, sheet);
    if (touch(req, sheet, "submitted", now) != OK) {
        json_decref(before);
        return db_failed(req);
    }
    if (audit_commit(req, "submit", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *again = criteria_get(req->db, tid);
    json_object_set_new(req->model, "sheet", sheet_model(req, again, unit));
    json_decref(again);
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                     (long long)unit),
                        _("Đã nộp phiếu tự chấm."));
}
