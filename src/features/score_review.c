/* The reviews of a score sheet (docs/scoring.md "Scoring stages"): review 1
 * by the group's head and deputy units, review 2 by the provincial office,
 * each change with its reason in score_changes and the audit log; and the
 * unit's explanation (giải trình) between them. */
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/groups.h"
#include "features/score_int.h"
#include "features/score_sheets.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"

/* The head and deputy units of the table's group-year (0: none). */
static void leaders_of(struct request *req, json_t *t, int64_t *head, int64_t *deputy,
                       const char **head_name, const char **deputy_name)
{
    json_t *y = group_year_get(req->db, sj_int(t, "group_id"), (int)sj_int(t, "year"));
    json_t *h = y ? json_object_get(y, "head") : NULL, *d = y ? json_object_get(y, "deputy") : NULL;
    *head = h && json_is_object(h) ? sj_int(h, "id") : 0;
    *deputy = d && json_is_object(d) ? sj_int(d, "id") : 0;
    *head_name = *head ? arena_strdup(req->arena, sj_str(h, "name")) : "";
    *deputy_name = *deputy ? arena_strdup(req->arena, sj_str(d, "name")) : "";
    json_decref(y);
}

bool score_is_leader_unit(struct request *req, json_t *t)
{
    if (!req->user || req->user->role != ROLE_UNIT || !req->user->unit_id)
        return false;
    int64_t head, deputy;
    const char *head_name, *deputy_name;
    leaders_of(req, t, &head, &deputy, &head_name, &deputy_name);
    return req->user->unit_id == head || req->user->unit_id == deputy;
}

void score_year_leaders(struct request *req, json_t *table, int64_t *head, int64_t *deputy)
{
    const char *hn, *dn;
    leaders_of(req, table, head, deputy, &hn, &dn);
}

bool score_sees_all(struct request *req, json_t *table)
{
    if (!req->user)
        return false;
    if (req->user->role == ROLE_COUNCIL ||
        group_can_manage(req, sj_int(table, "group_id"), (int)sj_int(table, "year")))
        return true;
    /* the table-year's head and deputy, not group_can_manage's current
     * year: a review often runs into January of the next year */
    return score_is_leader_unit(req, table);
}

/* Why the caller may not review unit's sheet now (NULL: may), and the
 * status to answer with. */
static const char *review_refusal(struct request *req, json_t *t, int64_t unit, int *status,
                                  const char **stage)
{
    *stage = sj_str(t, "stage");
    *status = 409;
    if (strcmp(*stage, "locked") == 0)
        return _("Kết quả chấm điểm đã khóa, không thay đổi được.");
    if (strcmp(*stage, "self") == 0)
        return _("Bảng tiêu chí đang ở giai đoạn đơn vị tự chấm: chưa đến lúc thẩm định.");
    if (strcmp(*stage, "explain") == 0)
        return _("Đang giai đoạn đơn vị giải trình: không ai sửa điểm; đơn vị ghi giải trình và "
                 "bổ sung minh chứng.");
    *status = 403;
    if (!req->user)
        return _("Hãy đăng nhập.");
    bool office = req->user->role == ROLE_ADMIN || req->user->role == ROLE_OFFICE;
    if (strcmp(*stage, "review2") == 0)
        return office ? NULL
                      : _("Thẩm định lần 2 là việc của cơ quan thường trực Thi đua, khen thưởng.");
    /* review 1: the head unit's review; its own sheet goes to the deputy, the
     * deputy's to the head, and to the office only where no other unit
     * leads the group */
    int64_t head, deputy;
    const char *head_name, *deputy_name;
    leaders_of(req, t, &head, &deputy, &head_name, &deputy_name);
    bool other_reviewer = (head && head != unit) || (deputy && deputy != unit);
    if (office)
        return other_reviewer ? _("Thẩm định lần 1 là việc của đơn vị Trưởng khối, Phó khối; cơ "
                                  "quan thường trực thẩm định ở lần 2.")
                              : NULL;
    int64_t mine = req->user->role == ROLE_UNIT ? req->user->unit_id : 0;
    if (!mine || (mine != head && mine != deputy))
        return _("Chỉ cán bộ của đơn vị Trưởng khối, Phó khối thẩm định lần 1.");
    if (score_is_own(req, unit)) {
        if (mine == head && deputy && deputy != unit)
            return arena_printf(req->arena,
                                _("Đơn vị Trưởng khối không thẩm định phiếu của chính mình: đơn "
                                  "vị Phó khối (%s) thẩm định phiếu này."),
                                deputy_name);
        if (mine == deputy && head && head != unit)
            return arena_printf(req->arena,
                                _("Đơn vị Phó khối không thẩm định phiếu của chính mình: đơn vị "
                                  "Trưởng khối (%s) thẩm định phiếu này."),
                                head_name);
        return _("Đơn vị không thẩm định phiếu của chính mình: cơ quan thường trực Thi đua, khen "
                 "thưởng thẩm định phiếu này.");
    }
    return NULL;
}

enum result score_require_reviewer(struct request *req, json_t *table, int64_t unit,
                                   const char **stage)
{
    int status = 0;
    const char *why = review_refusal(req, table, unit, &status, stage);
    if (!why)
        return OK;
    return req_fail(req, status == 409 ? E_CONFLICT : E_FORBIDDEN, NULL, "%s", why);
}

bool score_may_review(struct request *req, json_t *table, int64_t unit)
{
    int status = 0;
    const char *stage;
    return review_refusal(req, table, unit, &status, &stage) == NULL;
}

const char *score_reason(struct request *req, const char *field)
{
    const char *r = req_text(req, field);
    while (r && (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r'))
        r++;
    if (!r || !*r) {
        req_reject(req, field,
                   _("Hãy ghi lý do (mọi thay đổi khi thẩm định đều phải có lý do)."));
        return NULL;
    }
    return r;
}

/* The current answer of (sheet, node): *has false when none. */
static void answer_of(struct db *db, int64_t sheet, int64_t node, bool *has, int64_t *value,
                      bool *has_target, int64_t *target)
{
    struct db_stmt *s = db_query(db, "SELECT value_x100, target_x100 FROM score_answers WHERE "
                                     "sheet_id = ? AND node_id = ?");
    db_bind_int(s, 1, sheet);
    db_bind_int(s, 2, node);
    *has = *has_target = false;
    *value = *target = 0;
    if (db_step(s) == DB_ROW) {
        *has = true;
        *value = db_col_int(s, 0);
        *has_target = !db_col_is_null(s, 1);
        *target = *has_target ? db_col_int(s, 1) : 0;
    }
    db_done(s);
}

enum result score_review_answer(struct request *req, json_t *t, int64_t unit)
{
    const char *stage = NULL;
    if (score_require_reviewer(req, t, unit, &stage) != OK) {
        json_decref(t);
        db_rollback(req->db);
        return req->err.code;
    }
    stage = arena_strdup(req->arena, stage);
    int64_t tid = sj_int(t, "id");
    char status[16];
    int64_t version = 0;
    int64_t sheet = score_sheet_of(req->db, tid, unit, status, &version);
    /* the version is required here, not only checked when present: two
     * reviewers (head and deputy, or two officers of one unit) edit the
     * same sheets at the same time, and a write without it would silently
     * overwrite the other's change. Missing: 422 naming it (a malformed
     * request); stale: 409, nothing written. A unit without a sheet yet is
     * at version 1, the version a new sheet starts at (the model says so). */
    if (!req_value(req, "version")) {
        json_decref(t);
        db_rollback(req->db);
        req_reject(req, "version",
                   _("Thiếu phiên bản của phiếu chấm (version). Hãy mở lại trang rồi làm lại."));
        return score_sheet_again(req);
    }
    if (req_int(req, "version", -1) != (sheet ? version : 1)) {
        json_decref(t);
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, "version",
                        _("Phiếu chấm vừa được người khác sửa. Hãy mở lại trang để xem bản mới "
                          "nhất rồi làm lại."));
    }
    struct score_tree tr;
    score_tree_of(t, &tr);
    size_t i = score_tree_index(&tr, req_int(req, "node_id", 0));
    int64_t value = 0, target = 0;
    const char *reason = NULL;
    bool ok;
    if (i == tr.n) {
        req_reject(req, "node_id", _("Hãy chọn một tiêu chí của bảng này."));
        ok = false;
    } else {
        ok = score_parse_answer(req, &tr.nodes[i], &value, &target) &&
             (reason = score_reason(req, "reason")) != NULL;
    }
    bool is_target = ok && tr.nodes[i].kind == SCORE_TARGET;
    int64_t node = ok ? tr.ids[i] : 0;
    score_tree_free(&tr);
    json_decref(t);
    if (!ok) {
        db_rollback(req->db);
        return score_sheet_again(req);
    }
    char now[21];
    date_now_utc(now);
    if (!sheet)
        sheet = score_sheet_ensure(req->db, tid, unit, now);
    if (!sheet)
        return score_db_failed(req);
    bool had, had_target;
    int64_t old = 0, old_target = 0;
    answer_of(req->db, sheet, node, &had, &old, &had_target, &old_target);
    if (had && old == value && (!is_target || (had_target && old_target == target))) {
        /* nothing changes: nothing to record (an autosave of the same value) */
        db_rollback(req->db);
        json_t *again = criteria_get(req->db, tid);
        json_object_set_new(req->model, "sheet", score_sheet_model(req, again, unit));
        json_decref(again);
        return req_redirect(req,
                            arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                         (long long)unit),
                            _("Điểm không thay đổi."));
    }
    json_t *before = score_sheet_get(req->db, sheet);
    if (score_sheet_touch(req, sheet, NULL, stage, now) != OK) {
        json_decref(before);
        return score_db_failed(req);
    }
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO score_answers (sheet_id, node_id, value_x100, target_x100, note, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sheet_id, node_id) DO UPDATE "
                 "SET value_x100 = excluded.value_x100, target_x100 = excluded.target_x100, "
                 "note = coalesce(excluded.note, score_answers.note), updated_at = "
                 "excluded.updated_at");
    db_bind_int(s, 1, sheet);
    db_bind_int(s, 2, node);
    db_bind_int(s, 3, value);
    if (is_target)
        db_bind_int(s, 4, target);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, req_text(req, "note"));
    db_bind_text(s, 6, now);
    bool good = db_run(s) == DB_DONE;
    s = db_query(req->db, "INSERT INTO score_changes (sheet_id, node_id, stage, old_value_x100, "
                          "new_value_x100, old_target_x100, new_target_x100, reason, user_id, "
                          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, sheet);
    db_bind_int(s, 2, node);
    db_bind_text(s, 3, stage);
    if (had)
        db_bind_int(s, 4, old);
    else
        db_bind_null(s, 4);
    db_bind_int(s, 5, value);
    if (had_target)
        db_bind_int(s, 6, old_target);
    else
        db_bind_null(s, 6);
    if (is_target)
        db_bind_int(s, 7, target);
    else
        db_bind_null(s, 7);
    db_bind_text(s, 8, reason);
    db_bind_int(s, 9, req->user->id);
    db_bind_text(s, 10, now);
    good = good && db_run(s) == DB_DONE;
    if (!good) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "review", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *again = criteria_get(req->db, tid);
    json_object_set_new(req->model, "sheet", score_sheet_model(req, again, unit));
    json_decref(again);
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                     (long long)unit),
                        _("Đã ghi điểm thẩm định và lý do."));
}

enum result score_sheet_explain(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    int64_t unit = 0;
    json_t *t = score_table_for(req, &unit);
    if (!t) {
        db_rollback(req->db);
        return req->err.code;
    }
    int64_t tid = sj_int(t, "id");
    bool draft = json_is_true(json_object_get(t, "is_draft"));
    bool explain = strcmp(sj_str(t, "stage"), "explain") == 0;
    const char *stage_name = arena_strdup(req->arena, sj_str(t, "stage_name"));
    struct score_tree tr;
    score_tree_of(t, &tr);
    int64_t node = req_int(req, "node_id", 0);
    bool node_ok = !node || score_tree_index(&tr, node) < tr.n;
    score_tree_free(&tr);
    json_decref(t);
    const char *text = req_text(req, "text");
    enum result rc = OK;
    if (draft)
        rc = req_reject(req, "table", _("Bảng tiêu chí chưa khóa nên chưa giải trình được."));
    else if (!score_is_own(req, unit))
        rc = req_fail(req, E_FORBIDDEN, NULL,
                      _("Chỉ cán bộ của chính đơn vị mới giải trình phiếu chấm của đơn vị."));
    else if (!explain)
        rc = req_fail(req, E_CONFLICT, NULL,
                      _("Chỉ giải trình được trong giai đoạn đơn vị giải trình (nay: %s)."),
                      stage_name);
    else if (!node_ok)
        rc = req_reject(req, "node_id", _("Hãy chọn một tiêu chí của bảng này."));
    else if (!text)
        rc = req_reject(req, "text", _("Hãy ghi nội dung giải trình."));
    if (rc != OK) {
        db_rollback(req->db);
        return rc == E_INVALID ? score_sheet_again(req) : rc;
    }
    char now[21];
    date_now_utc(now);
    int64_t sheet = score_sheet_ensure(req->db, tid, unit, now);
    json_t *before = sheet ? score_sheet_get(req->db, sheet) : NULL;
    if (!sheet || score_sheet_touch(req, sheet, NULL, "explain", now) != OK) {
        json_decref(before);
        return score_db_failed(req);
    }
    struct db_stmt *s;
    if (node) {
        s = db_query(req->db, "INSERT INTO score_explanations (sheet_id, node_id, text, user_id, "
                              "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sheet_id, node_id) "
                              "DO UPDATE SET text = excluded.text, user_id = excluded.user_id, "
                              "created_at = excluded.created_at");
        db_bind_int(s, 1, sheet);
        db_bind_int(s, 2, node);
        db_bind_text(s, 3, text);
        db_bind_int(s, 4, req->user->id);
        db_bind_text(s, 5, now);
    } else {
        s = db_query(req->db, "UPDATE score_sheets SET explanation = ? WHERE id = ?");
        db_bind_text(s, 1, text);
        db_bind_int(s, 2, sheet);
    }
    if (db_run(s) != DB_DONE) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "explain", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *again = criteria_get(req->db, tid);
    json_object_set_new(req->model, "sheet", score_sheet_model(req, again, unit));
    json_decref(again);
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                     (long long)unit),
                        _("Đã lưu giải trình."));
}
