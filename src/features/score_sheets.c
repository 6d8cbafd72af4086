/* Score sheets (features/score_sheets.h): the shared pieces of every scoring
 * stage (the tree, the sheet row, who reads), the page, and stage 1 — a
 * unit's own answers, its share of women and its submission. The reviews
 * are in score_review.c, the stage changes in score_stage.c, evidence in
 * score_evidence.c, bonuses/deductions/veto in score_adjust.c, the page's
 * model in score_model.c. */
#include "features/score_sheets.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "domain/scoring.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/groups.h"
#include "features/score_int.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

static const char *const kind_codes[] = {"group", "direct", "passfail", "occurrence", "target",
                                         NULL};

enum score_kind score_kind_of(const char *k)
{
    for (int i = 0; kind_codes[i]; i++)
        if (k && strcmp(kind_codes[i], k) == 0)
            return (enum score_kind)i;
    return SCORE_DIRECT;
}

json_t *score_x100(int64_t v)
{
    char buf[32];
    bloc_format_x100(v, buf);
    return json_string(buf);
}

static json_t *col_text(struct db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? json_null() : json_string(db_col_text(s, col));
}

static json_t *col_int(struct db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? json_null() : json_integer(db_col_int(s, col));
}

/* The rows of one query on the sheet as objects named by names[]. */
static json_t *rows_of(struct db *db, const char *sql, int64_t id, const char *const *names,
                       const char *types)
{
    json_t *out = json_array();
    struct db_stmt *s = db_query(db, sql);
    db_bind_int(s, 1, id);
    while (db_step(s) == DB_ROW) {
        json_t *o = json_object();
        for (int i = 0; names[i]; i++)
            json_object_set_new(o, names[i], types[i] == 'i' ? col_int(s, i) : col_text(s, i));
        json_array_append_new(out, o);
    }
    db_done(s);
    return out;
}

json_t *score_sheet_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT id, table_id, unit_id, status, version, "
                                     "submitted_at, women_pct, explanation FROM score_sheets "
                                     "WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *t = NULL;
    if (db_step(s) == DB_ROW)
        t = json_pack("{s:I,s:I,s:I,s:s,s:I,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0),
                      "table_id", (json_int_t)db_col_int(s, 1), "unit_id",
                      (json_int_t)db_col_int(s, 2), "status", db_col_text(s, 3), "version",
                      (json_int_t)db_col_int(s, 4), "submitted_at", col_text(s, 5),
                      "women_pct_x100", col_int(s, 6), "explanation", col_text(s, 7));
    db_done(s);
    if (!t)
        return NULL;
    static const char *const answer_names[] = {"node_id", "value_x100", "target_x100", "note",
                                               NULL};
    json_object_set_new(t, "answers",
                        rows_of(db, "SELECT node_id, value_x100, target_x100, note FROM "
                                    "score_answers WHERE sheet_id = ? ORDER BY node_id",
                                id, answer_names, "iiit"));
    /* the reviews' changes carry their reasons, so the audit entry of a
     * change shows why (the issue: every change audited with its reason) */
    static const char *const change_names[] = {
        "id", "node_id", "stage", "old_value_x100", "new_value_x100", "old_target_x100",
        "new_target_x100", "reason", "user_id", NULL};
    json_object_set_new(t, "changes",
                        rows_of(db, "SELECT id, node_id, stage, old_value_x100, new_value_x100, "
                                    "old_target_x100, new_target_x100, reason, user_id FROM "
                                    "score_changes WHERE sheet_id = ? ORDER BY id",
                                id, change_names, "iitiiiiti"));
    static const char *const expl_names[] = {"node_id", "text", NULL};
    json_object_set_new(t, "explanations",
                        rows_of(db, "SELECT node_id, text FROM score_explanations WHERE "
                                    "sheet_id = ? ORDER BY node_id",
                                id, expl_names, "it"));
    static const char *const ev_names[] = {"id", "node_id", "file_id", "removed_at", NULL};
    json_object_set_new(t, "evidence",
                        rows_of(db, "SELECT id, node_id, file_id, removed_at FROM "
                                    "score_evidence WHERE sheet_id = ? ORDER BY id",
                                id, ev_names, "iiit"));
    static const char *const adj_names[] = {"id", "kind", "points_x100", "reason", "agency",
                                            "file_id", "withdrawn_at", "withdrawn_reason", NULL};
    json_object_set_new(t, "adjustments",
                        rows_of(db, "SELECT id, kind, points_x100, reason, agency, file_id, "
                                    "withdrawn_at, withdrawn_reason FROM score_adjustments "
                                    "WHERE sheet_id = ? ORDER BY id",
                                id, adj_names, "itittitt"));
    return t;
}

int64_t score_sheet_of(struct db *db, int64_t table, int64_t unit, char status[16],
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

int64_t score_sheet_ensure(struct db *db, int64_t table, int64_t unit, const char *now)
{
    char status[16];
    int64_t id = score_sheet_of(db, table, unit, status, NULL);
    if (id)
        return id;
    struct db_stmt *s = db_query(db, "INSERT INTO score_sheets (table_id, unit_id, created_at, "
                                     "updated_at) VALUES (?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, table);
    db_bind_int(s, 2, unit);
    db_bind_text(s, 3, now);
    db_bind_text(s, 4, now);
    id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    if (db_done(s) == DB_ERROR)
        return 0;
    return id;
}

enum result score_sheet_touch(struct request *req, int64_t sheet, const char *status,
                              const char *mark, const char *now)
{
    /* the mark of a review or explanation: who and when, on the sheet */
    const char *extra = !mark                          ? ""
                        : strcmp(mark, "review1") == 0 ? ", review1_at = ?, review1_by = ?"
                        : strcmp(mark, "review2") == 0 ? ", review2_at = ?, review2_by = ?"
                                                       : ", explained_at = ?";
    struct db_stmt *s = db_query(
        req->db, arena_printf(req->arena,
                              "UPDATE score_sheets SET version = version + 1, updated_at = ?, "
                              "status = coalesce(CAST(? AS TEXT), status), submitted_at = CASE "
                              "WHEN CAST(? AS TEXT) IS NULL THEN submitted_at ELSE ? END%s "
                              "WHERE id = ?",
                              extra));
    int k = 1;
    db_bind_text(s, k++, now);
    if (status) {
        db_bind_text(s, k++, status);
        db_bind_text(s, k++, now);
        db_bind_text(s, k++, now);
    } else {
        db_bind_null(s, k++);
        db_bind_null(s, k++);
        db_bind_null(s, k++);
    }
    if (mark) {
        db_bind_text(s, k++, now);
        if (strncmp(mark, "review", 6) == 0) {
            if (req->user)
                db_bind_int(s, k++, req->user->id);
            else
                db_bind_null(s, k++);
        }
    }
    db_bind_int(s, k, sheet);
    return db_run(s) == DB_DONE ? OK : E_DB;
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
           group_can_manage(req, sj_int(table, "group_id"), (int)sj_int(table, "year")) ||
           score_is_leader_unit(req, table);
}

bool score_is_own(struct request *req, int64_t unit)
{
    return req->user && req->user->role == ROLE_UNIT && scope_has_unit(req, unit);
}

json_t *score_sheet_links(struct request *req, json_t *table)
{
    json_t *out = json_array();
    json_t *members = group_members(req->db, sj_int(table, "group_id"), (int)sj_int(table, "year"));
    size_t i;
    json_t *mb;
    json_array_foreach(members, i, mb)
    {
        int64_t unit = sj_int(mb, "unit_id");
        if (!may_read(req, table, unit))
            continue;
        char status[16];
        score_sheet_of(req->db, sj_int(table, "id"), unit, status, NULL);
        bool closed = strcmp(sj_str(table, "stage"), "self") != 0;
        const char *name = strcmp(status, "submitted") == 0 ? _("Đã nộp")
                           : closed                         ? _("Không nộp đúng hạn")
                           : status[0]                      ? _("Đang tự chấm")
                                                            : _("Chưa chấm");
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s,s:s,s:b}", "unit_id", (json_int_t)unit, "name",
                           sj_str(mb, "name"), "status_name", name, "href",
                           arena_printf(req->arena, "/criteria/%lld/units/%lld",
                                        (long long)sj_int(table, "id"), (long long)unit),
                           "submitted", strcmp(status, "submitted") == 0));
    }
    json_decref(members);
    return out;
}

json_t *score_table_for(struct request *req, int64_t *unit)
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
                   "phiếu chấm điểm của đơn vị này."));
        return NULL;
    }
    if (!group_is_member(req->db, sj_int(t, "group_id"), (int)sj_int(t, "year"), *unit, NULL)) {
        json_decref(t);
        req_fail(req, E_NOTFOUND, NULL,
                 _("Đơn vị số hiệu %lld không là thành viên của khối, cụm trong năm này."),
                 (long long)*unit);
        return NULL;
    }
    return t;
}

/* The due date of a stage (the table's <stage>_due) as the page shows it:
 * {due, due_dmy, overdue} — overdue when today is after it. */
static json_t *due_of(json_t *t, const char *stage)
{
    char key[24], dmy[11] = "", today[11];
    snprintf(key, sizeof key, "%s_due", stage);
    const char *due = json_string_value(json_object_get(t, key));
    date_today(today);
    if (due)
        date_to_dmy(due, dmy);
    return json_pack("{s:s,s:s,s:b,s:b}", "due", due ? due : "", "due_dmy", dmy, "has_due",
                     due != NULL, "overdue", due && strcmp(today, due) > 0);
}

enum result score_sheet_show(struct request *req)
{
    int64_t unit;
    json_t *t = score_table_for(req, &unit);
    if (!t)
        return req->err.code;
    json_t *m = req->model;
    bool locked = !json_is_true(json_object_get(t, "is_draft"));
    json_t *sheet = score_sheet_model(req, t, unit);
    const char *stage = sj_str(t, "stage");
    bool own = score_is_own(req, unit);
    bool submitted = json_is_true(json_object_get(sheet, "submitted"));
    bool self = strcmp(stage, "self") == 0;
    bool can_answer = own && locked && self && !submitted;
    bool can_explain = own && locked && strcmp(stage, "explain") == 0;
    bool can_review = locked && score_may_review(req, t, unit);
    json_object_set_new(m, "can_answer", json_boolean(can_answer));
    json_object_set_new(m, "can_explain", json_boolean(can_explain));
    json_object_set_new(m, "can_review", json_boolean(can_review));
    json_object_set_new(m, "can_add_evidence", json_boolean(can_answer || can_explain));
    json_object_set_new(m, "locked", json_boolean(locked));
    json_object_set_new(m, "stage", json_pack("{s:s,s:s,s:b,s:b,s:b,s:b,s:b}", "code", stage,
                                              "name", sj_str(t, "stage_name"), "is_self", self,
                                              "is_review1", strcmp(stage, "review1") == 0,
                                              "is_explain", strcmp(stage, "explain") == 0,
                                              "is_review2", strcmp(stage, "review2") == 0,
                                              "is_locked", strcmp(stage, "locked") == 0));
    json_object_set_new(json_object_get(m, "stage"), "deadline",
                        strcmp(stage, "locked") == 0 ? json_null() : due_of(t, stage));
    json_object_set_new(m, "unit", unit_get(req->db, unit));
    const char *self_href = arena_printf(req->arena, "/criteria/%lld/units/%lld",
                                         (long long)sj_int(t, "id"), (long long)unit);
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s,s:s}", "criteria",
                  arena_printf(req->arena, "/groups/%lld/%d/criteria",
                               (long long)sj_int(t, "group_id"), (int)sj_int(t, "year")),
                  "self", self_href, "stage",
                  arena_printf(req->arena, "/criteria/%lld/stage", (long long)sj_int(t, "id"))));
    json_object_set_new(m, "adjustment_kinds",
                        json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "value", "bonus", "name",
                                  _("Điểm thưởng"), "value", "deduction", "name", _("Điểm trừ"),
                                  "value", "veto", "name", _("Vi phạm một phiếu phủ quyết")));
    json_object_del(t, "nodes");
    json_object_set_new(m, "table", t);
    json_object_set_new(m, "sheet", sheet);
    return OK;
}

enum result score_db_failed(struct request *req)
{
    db_rollback(req->db);
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

/* In a transaction, stage 1 (self): the caller the unit's own officer, the
 * table in stage self, the sheet not submitted and at the version given.
 * False after failing and rolling back. */
static bool self_write_ok(struct request *req, json_t *t, int64_t unit, int64_t *sheet)
{
    char status[16] = "";
    int64_t version = 0;
    if (!score_is_own(req, unit)) {
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Chỉ cán bộ của chính đơn vị mới tự chấm và nộp phiếu của đơn vị; cơ quan "
                   "thường trực và quản trị không chấm thay đơn vị."));
        goto fail;
    }
    if (strcmp(sj_str(t, "stage"), "self") != 0) {
        req_fail(req, E_CONFLICT, NULL,
                 _("Bảng tiêu chí đã qua giai đoạn tự chấm (nay: %s), đơn vị không sửa phiếu "
                   "tự chấm được nữa."),
                 sj_str(t, "stage_name"));
        goto fail;
    }
    *sheet = score_sheet_of(req->db, sj_int(t, "id"), unit, status, &version);
    if (strcmp(status, "submitted") == 0) {
        req_fail(req, E_CONFLICT, NULL, _("Phiếu tự chấm của đơn vị đã nộp, không sửa được."));
        goto fail;
    }
    if (*sheet && req_value(req, "version") && req_int(req, "version", 0) != version) {
        req_fail(req, E_CONFLICT, "version",
                 _("Phiếu tự chấm vừa được người khác sửa. Hãy mở lại trang để xem bản mới nhất "
                   "rồi làm lại."));
        goto fail;
    }
    return true;
fail:
    db_rollback(req->db);
    return false;
}

/* The table and unit of the path in a new transaction, the table locked;
 * NULL after failing (rolled back). */
static json_t *table_for_write(struct request *req, int64_t *unit)
{
    if (db_begin(req->db) != OK) {
        req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
        return NULL;
    }
    json_t *t = score_table_for(req, unit);
    /* the draft check comes before who may write: a table still being
     * drafted takes no answer from anyone, whatever their role */
    if (t && json_is_true(json_object_get(t, "is_draft"))) {
        json_decref(t);
        t = NULL;
        req_reject(req, "table", _("Bảng tiêu chí chưa khóa nên chưa tự chấm được."));
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

bool score_parse_answer(struct request *req, const struct score_node *nd, int64_t *value,
                        int64_t *target)
{
    int64_t out = 0;
    char max[32];
    bloc_format_x100(nd->max, max);
    switch (nd->kind) {
    case SCORE_DIRECT:
        if (!number(req, "value", _("Điểm chấm"), SCORE_VALUE_LIMIT, value))
            return false;
        if (score_direct(nd->max, *value, &out) != SCORE_OK) {
            req_reject(req, "value", _("Điểm của tiêu chí %s phải từ 0 đến %s."), nd->code, max);
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

enum result score_sheet_again(struct request *req)
{
    const char *field = req->err.field[0] ? req->err.field : "answers";
    req_field_error(req, field, "%s", req->err.msg);
    if (score_sheet_show(req) != OK)
        return req->err.code;
    req->status = 422;
    req->template = "scores/sheet";
    return OK;
}

/* After a write: the sheet's model (for JSON callers: 200 with it) and the
 * page again (303). */
static enum result written(struct request *req, int64_t tid, int64_t unit, const char *flash)
{
    json_t *again = criteria_get(req->db, tid);
    json_object_set_new(req->model, "sheet", score_sheet_model(req, again, unit));
    json_decref(again);
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                     (long long)unit),
                        flash);
}

/* The self-score of one criterion (stage self). */
static enum result self_answer(struct request *req, json_t *t, int64_t unit)
{
    int64_t sheet = 0;
    if (!self_write_ok(req, t, unit, &sheet)) {
        json_decref(t);
        return req->err.code;
    }
    struct score_tree tr;
    score_tree_of(t, &tr);
    size_t i = score_tree_index(&tr, req_int(req, "node_id", 0));
    int64_t value = 0, target = 0;
    bool ok = true;
    if (i == tr.n) {
        req_reject(req, "node_id", _("Hãy chọn một tiêu chí của bảng này."));
        ok = false;
    } else {
        ok = score_parse_answer(req, &tr.nodes[i], &value, &target);
    }
    bool is_target = ok && tr.nodes[i].kind == SCORE_TARGET;
    int64_t node = ok ? tr.ids[i] : 0;
    score_tree_free(&tr);
    int64_t tid = sj_int(t, "id");
    json_decref(t);
    if (!ok) {
        db_rollback(req->db);
        return score_sheet_again(req);
    }
    char now[21];
    date_now_utc(now);
    json_t *before = sheet ? score_sheet_get(req->db, sheet) : NULL;
    if (!sheet)
        sheet = score_sheet_ensure(req->db, tid, unit, now);
    if (!sheet || (before && score_sheet_touch(req, sheet, NULL, NULL, now) != OK)) {
        json_decref(before);
        return score_db_failed(req);
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
    db_bind_text(s, 5, req_text(req, "note"));
    db_bind_text(s, 6, now);
    if (db_run(s) != DB_DONE) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, before ? "answer" : "create", "score_sheet", sheet, before,
                     score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return written(req, tid, unit, _("Đã lưu điểm tự chấm."));
}

enum result score_sheet_answer(struct request *req)
{
    int64_t unit = 0;
    json_t *t = table_for_write(req, &unit);
    if (!t)
        return req->err.code;
    /* the table's stage decides who may change an answer (migration 0007) */
    const char *stage = sj_str(t, "stage");
    if (strcmp(stage, "self") == 0)
        return self_answer(req, t, unit);
    if (strcmp(stage, "review1") == 0 || strcmp(stage, "review2") == 0)
        return score_review_answer(req, t, unit);
    const char *msg = strcmp(stage, "locked") == 0
                          ? _("Kết quả chấm điểm đã khóa, không thay đổi được.")
                          : _("Đang giai đoạn đơn vị giải trình: không ai sửa điểm; đơn vị ghi "
                              "giải trình và bổ sung minh chứng.");
    json_decref(t);
    db_rollback(req->db);
    return req_fail(req, E_CONFLICT, NULL, "%s", msg);
}

enum result score_sheet_submit(struct request *req)
{
    int64_t unit = 0, sheet = 0;
    json_t *t = table_for_write(req, &unit);
    if (!t)
        return req->err.code;
    if (!self_write_ok(req, t, unit, &sheet)) {
        json_decref(t);
        return req->err.code;
    }
    int64_t tid = sj_int(t, "id");
    json_t *m = score_sheet_model(req, t, unit);
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
                                 sj_str(first, "code"), sj_str(first, "name"))
                  : _("Chưa nộp được: bảng tiêu chí chưa có tiêu chí nào được chấm.");
        json_decref(m);
        json_decref(t);
        db_rollback(req->db);
        req_reject(req, "answers", "%s", msg);
        return score_sheet_again(req);
    }
    json_decref(m);
    json_decref(t);
    char now[21];
    date_now_utc(now);
    json_t *before = score_sheet_get(req->db, sheet);
    if (score_sheet_touch(req, sheet, "submitted", NULL, now) != OK) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "submit", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return written(req, tid, unit, _("Đã nộp phiếu tự chấm."));
}

enum result score_sheet_women(struct request *req)
{
    int64_t unit = 0, sheet = 0;
    json_t *t = table_for_write(req, &unit);
    if (!t)
        return req->err.code;
    bool ok = self_write_ok(req, t, unit, &sheet);
    int64_t tid = sj_int(t, "id");
    json_decref(t);
    if (!ok)
        return req->err.code;
    /* a percent with up to two decimals, stored in hundredths; empty: not given */
    const char *v = req_text(req, "women_pct");
    int64_t pct = 0;
    if (v && (!bloc_parse_x100(v, &pct) || pct < 0 || pct > 10000)) {
        db_rollback(req->db);
        req_reject(req, "women_pct",
                   _("Tỷ lệ nữ phải là một số từ 0 đến 100 (phần trăm), tối đa hai chữ số thập "
                     "phân, ví dụ 72,5."));
        return score_sheet_again(req);
    }
    char now[21];
    date_now_utc(now);
    json_t *before = sheet ? score_sheet_get(req->db, sheet) : NULL;
    if (!sheet)
        sheet = score_sheet_ensure(req->db, tid, unit, now);
    if (!sheet || (before && score_sheet_touch(req, sheet, NULL, NULL, now) != OK)) {
        json_decref(before);
        return score_db_failed(req);
    }
    struct db_stmt *s = db_query(req->db, "UPDATE score_sheets SET women_pct = ? WHERE id = ?");
    if (v)
        db_bind_int(s, 1, pct);
    else
        db_bind_null(s, 1);
    db_bind_int(s, 2, sheet);
    if (db_run(s) != DB_DONE) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "women", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return written(req, tid, unit, _("Đã lưu tỷ lệ nữ của tập thể."));
}
