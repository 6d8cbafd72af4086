/* Bonuses (điểm thưởng), deductions (điểm trừ, with the agency that
 * reported them) and vetoes (vi phạm một phiếu phủ quyết) on a score sheet
 * (score_adjustments): entered in review 1 by the head and deputy units and
 * in review 2 by the office — the same people who may change the answers
 * then (score_require_reviewer) — each with its reason and an optional
 * evidence file; withdrawn with a reason, never deleted. The final score is
 * domain score_final's (score_model.c). docs/scoring.md. */
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "domain/scoring.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/files.h"
#include "features/score_int.h"
#include "features/score_sheets.h"
#include "lib/date.h"
#include "lib/i18n.h"

/* In a new transaction: the table and unit of the path, the table locked,
 * the caller a reviewer of the sheet in the current stage; the stage in
 * *stage. NULL after failing (rolled back). */
static json_t *review_table(struct request *req, int64_t *unit, const char **stage)
{
    if (db_begin(req->db) != OK) {
        req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
        return NULL;
    }
    json_t *t = score_table_for(req, unit);
    if (t && json_is_true(json_object_get(t, "is_draft"))) {
        json_decref(t);
        t = NULL;
        req_reject(req, "table", _("Bảng tiêu chí chưa khóa nên chưa chấm điểm được."));
    }
    if (t && score_require_reviewer(req, t, *unit, stage) != OK) {
        json_decref(t);
        t = NULL;
    }
    if (t)
        *stage = arena_strdup(req->arena, *stage);
    else
        db_rollback(req->db);
    return t;
}

static enum result done(struct request *req, int64_t tid, int64_t unit, const char *flash)
{
    json_t *again = criteria_get(req->db, tid);
    json_object_set_new(req->model, "sheet", score_sheet_model(req, again, unit));
    json_decref(again);
    return req_redirect(req,
                        arena_printf(req->arena, "/criteria/%lld/units/%lld", (long long)tid,
                                     (long long)unit),
                        flash);
}

/* Whether a file was chosen: a browser sends an empty part (no name, no
 * bytes) for a file input left empty, and the evidence is optional here. */
static bool chose_file(struct request *req)
{
    const struct param_value *f = req_value(req, "file");
    return f && f->present && (f->len > 0 || (f->text && *f->text));
}

enum result score_adjustment_add(struct request *req)
{
    int64_t unit = 0;
    const char *stage = NULL;
    json_t *t = review_table(req, &unit, &stage);
    if (!t)
        return req->err.code;
    int64_t tid = sj_int(t, "id");
    json_decref(t);
    const char *kind = req_text(req, "kind");
    const char *pts = req_text(req, "points");
    const char *agency = req_text(req, "agency");
    int64_t points = 0;
    const char *reason = NULL, *type = NULL;
    bool ok = false, veto = kind && strcmp(kind, "veto") == 0;
    if (!kind)
        req_reject(req, "kind", _("Hãy chọn loại: điểm thưởng, điểm trừ hay vi phạm một phiếu "
                                  "phủ quyết."));
    else if (veto && pts && (!bloc_parse_x100(pts, &points) || points != 0))
        req_reject(req, "points", _("Vi phạm một phiếu phủ quyết không có điểm: để trống hoặc 0."));
    else if (!veto && (!pts || !bloc_parse_x100(pts, &points) || points <= 0 ||
                       points > SCORE_MAX_LIMIT))
        req_reject(req, "points", _("Số điểm phải là một số dương, ví dụ 10 hoặc 1,5."));
    else if (strcmp(kind, "deduction") == 0 && !agency)
        req_reject(req, "agency", _("Điểm trừ phải ghi cơ quan, đơn vị đã báo vi phạm."));
    else if ((reason = score_reason(req, "reason")) != NULL)
        ok = !chose_file(req) || (type = score_evidence_check(req, "file")) != NULL;
    if (!ok) {
        db_rollback(req->db);
        return score_sheet_again(req);
    }
    char now[21];
    date_now_utc(now);
    int64_t sheet = score_sheet_ensure(req->db, tid, unit, now);
    json_t *before = sheet ? score_sheet_get(req->db, sheet) : NULL;
    int64_t file = 0;
    const struct param_value *f = req_value(req, "file");
    if (!sheet || score_sheet_touch(req, sheet, NULL, stage, now) != OK ||
        (type && file_store(req->db, f->text, type, f->data, f->len, &file) != OK)) {
        json_decref(before);
        return score_db_failed(req);
    }
    struct db_stmt *s = db_query(req->db, "INSERT INTO score_adjustments (sheet_id, kind, "
                                          "points_x100, reason, agency, file_id, user_id, "
                                          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, sheet);
    db_bind_text(s, 2, kind);
    db_bind_int(s, 3, points);
    db_bind_text(s, 4, reason);
    db_bind_text(s, 5, agency);
    if (file)
        db_bind_int(s, 6, file);
    else
        db_bind_null(s, 6);
    db_bind_int(s, 7, req->user->id);
    db_bind_text(s, 8, now);
    if (db_run(s) != DB_DONE) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "adjust", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    req->status = 201;
    return done(req, tid, unit,
                veto ? _("Đã ghi vi phạm một phiếu phủ quyết.") : _("Đã ghi điểm thưởng, trừ."));
}

/* The adjustment {aid} of the path on (table, unit)'s sheet: its sheet and
 * whether it was withdrawn; 0 when none. */
static int64_t adjustment_of(struct request *req, int64_t tid, int64_t unit, bool *withdrawn,
                             int64_t *file)
{
    struct db_stmt *s = db_query(req->db, "SELECT a.sheet_id, a.withdrawn_at, a.file_id FROM "
                                          "score_adjustments a JOIN score_sheets h ON h.id = "
                                          "a.sheet_id WHERE a.id = ? AND h.table_id = ? AND "
                                          "h.unit_id = ?");
    db_bind_int(s, 1, req_path_int(req, "aid"));
    db_bind_int(s, 2, tid);
    db_bind_int(s, 3, unit);
    int64_t sheet = 0;
    if (db_step(s) == DB_ROW) {
        sheet = db_col_int(s, 0);
        *withdrawn = !db_col_is_null(s, 1);
        *file = db_col_is_null(s, 2) ? 0 : db_col_int(s, 2);
    }
    db_done(s);
    return sheet;
}

enum result score_adjustment_withdraw(struct request *req)
{
    int64_t unit = 0, file = 0;
    const char *stage = NULL;
    json_t *t = review_table(req, &unit, &stage);
    if (!t)
        return req->err.code;
    int64_t tid = sj_int(t, "id");
    json_decref(t);
    bool withdrawn = false;
    int64_t sheet = adjustment_of(req, tid, unit, &withdrawn, &file);
    if (!sheet) {
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có khoản điểm thưởng, trừ số hiệu %lld."),
                        (long long)req_path_int(req, "aid"));
    }
    if (withdrawn) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL, _("Khoản này đã được rút trước đó."));
    }
    const char *reason = score_reason(req, "reason");
    if (!reason) {
        db_rollback(req->db);
        return score_sheet_again(req);
    }
    char now[21];
    date_now_utc(now);
    json_t *before = score_sheet_get(req->db, sheet);
    struct db_stmt *s = db_query(req->db, "UPDATE score_adjustments SET withdrawn_at = ?, "
                                          "withdrawn_by = ?, withdrawn_reason = ? WHERE id = ?");
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, req->user->id);
    db_bind_text(s, 3, reason);
    db_bind_int(s, 4, req_path_int(req, "aid"));
    if (db_run(s) != DB_DONE || score_sheet_touch(req, sheet, NULL, stage, now) != OK) {
        json_decref(before);
        return score_db_failed(req);
    }
    if (audit_commit(req, "adjust_withdraw", "score_sheet", sheet, before, score_sheet_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return done(req, tid, unit, _("Đã rút khoản điểm thưởng, trừ."));
}

enum result score_adjustment_file(struct request *req)
{
    int64_t unit = 0, file = 0;
    json_t *t = score_table_for(req, &unit);
    if (!t)
        return req->err.code;
    int64_t tid = sj_int(t, "id");
    json_decref(t);
    bool withdrawn = false;
    if (!adjustment_of(req, tid, unit, &withdrawn, &file) || !file)
        return req_fail(req, E_NOTFOUND, NULL, _("Khoản điểm thưởng, trừ này không có tệp."));
    return score_file_send(req, file);
}
