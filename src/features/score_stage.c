/* The scoring stage of a table (criteria_tables.stage, migration 0007):
 * self → review1 → explain → review2 → locked, one step at a time, each
 * step by those who run it, audited; the page that shows where the table
 * stands (docs/scoring.md "Scoring stages"). */
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/groups.h"
#include "features/score_int.h"
#include "features/score_sheets.h"
#include "lib/date.h"
#include "lib/i18n.h"

static const char *const stages[] = {"self", "review1", "explain", "review2", "locked", NULL};

static int stage_index(const char *s)
{
    for (int i = 0; stages[i]; i++)
        if (s && strcmp(stages[i], s) == 0)
            return i;
    return -1;
}

/* Who may move the table from stage i to i + 1: the group's managers (the
 * office, admin, this year's head and deputy) close the self-scoring and
 * the head's review; the office alone opens and closes its own review. */
static bool may_advance(struct request *req, json_t *t, int from)
{
    if (from <= 1)
        return group_can_manage(req, sj_int(t, "group_id"), (int)sj_int(t, "year"));
    return req->user && (req->user->role == ROLE_ADMIN || req->user->role == ROLE_OFFICE);
}

/* The current members (on today) with their sheet's status. */
static json_t *members_of(struct request *req, json_t *t, size_t *missing)
{
    char today[11];
    date_today(today);
    json_t *out = json_array();
    json_t *members = group_members(req->db, sj_int(t, "group_id"), (int)sj_int(t, "year"));
    size_t i;
    json_t *mb;
    *missing = 0;
    json_array_foreach(members, i, mb)
    {
        int64_t unit = sj_int(mb, "unit_id");
        if (!group_is_member(req->db, sj_int(t, "group_id"), (int)sj_int(t, "year"), unit, today))
            continue;
        char status[16];
        int64_t sheet = score_sheet_of(req->db, sj_int(t, "id"), unit, status, NULL);
        bool submitted = strcmp(status, "submitted") == 0;
        *missing += !submitted;
        json_array_append_new(
            out, json_pack("{s:I,s:I,s:s,s:b,s:s,s:s}", "unit_id", (json_int_t)unit, "sheet_id",
                           (json_int_t)sheet, "name", sj_str(mb, "name"), "submitted", submitted,
                           "status_name", submitted ? _("Đã nộp") : _("Chưa nộp"), "href",
                           arena_printf(req->arena, "/criteria/%lld/units/%lld",
                                        (long long)sj_int(t, "id"), (long long)unit)));
    }
    json_decref(members);
    return out;
}

/* True when today is after the self-scoring deadline (none: never). */
static bool self_overdue(json_t *t)
{
    const char *due = json_string_value(json_object_get(t, "self_due"));
    char today[11];
    date_today(today);
    return due && strcmp(today, due) > 0;
}

enum result score_stage_show(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *t = criteria_get(req->db, id);
    if (!t)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."),
                        (long long)id);
    if (!group_can_view_year(req, sj_int(t, "group_id"), (int)sj_int(t, "year"))) {
        json_decref(t);
        return req_fail(req, E_FORBIDDEN, NULL,
                        _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này nên không "
                          "xem được bảng tiêu chí của khối."));
    }
    int cur = stage_index(sj_str(t, "stage"));
    char today[11];
    date_today(today);
    json_t *list = json_array();
    for (int i = 0; stages[i]; i++) {
        char key[24], dmy[11] = "";
        snprintf(key, sizeof key, "%s_due", stages[i]);
        const char *due = json_string_value(json_object_get(t, key));
        if (due)
            date_to_dmy(due, dmy);
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b}", "code", stages[i], "name",
                            criteria_stage_name(stages[i]), "due_dmy", dmy, "has_due", due != NULL,
                            "overdue", due && i == cur && strcmp(today, due) > 0, "current",
                            i == cur, "done", i < cur));
    }
    size_t missing = 0;
    json_t *members = members_of(req, t, &missing);
    /* past the self stage: each sheet's points, final score and veto, and a
     * sheet never submitted named so */
    size_t k;
    json_t *mb;
    json_array_foreach(members, k, mb)
    {
        bool show = cur > 0;
        json_object_set_new(mb, "show_scores", json_boolean(show));
        if (!show)
            continue;
        json_t *sm = score_sheet_model(req, t, sj_int(mb, "unit_id"));
        json_object_set(mb, "total", json_object_get(sm, "total"));
        json_object_set(mb, "final", json_object_get(sm, "final"));
        json_object_set(mb, "vetoed", json_object_get(sm, "vetoed"));
        if (!json_is_true(json_object_get(mb, "submitted")))
            json_object_set_new(mb, "status_name", json_string(_("Không nộp đúng hạn")));
        json_decref(sm);
    }
    bool draft = json_is_true(json_object_get(t, "is_draft"));
    bool can = !draft && cur >= 0 && stages[cur + 1] && may_advance(req, t, cur);
    json_t *m = req->model;
    json_object_set_new(m, "stages", list);
    json_object_set_new(m, "members", members);
    json_object_set_new(m, "show_scores", json_boolean(cur > 0));
    json_object_set_new(m, "missing", json_integer((json_int_t)missing));
    json_object_set_new(m, "can_advance", json_boolean(can));
    json_object_set_new(m, "late_zeroes",
                        json_boolean(cur == 0 && missing > 0 && self_overdue(t)));
    json_object_set_new(m, "next",
                        cur >= 0 && stages[cur + 1]
                            ? json_pack("{s:s,s:s}", "code", stages[cur + 1], "name",
                                        criteria_stage_name(stages[cur + 1]))
                            : json_null());
    json_object_set_new(m, "links",
                        json_pack("{s:s,s:s}", "criteria",
                                  arena_printf(req->arena, "/groups/%lld/%d/criteria",
                                               (long long)sj_int(t, "group_id"),
                                               (int)sj_int(t, "year")),
                                  "self",
                                  arena_printf(req->arena, "/criteria/%lld/stage", (long long)id)));
    json_object_del(t, "nodes");
    json_object_set_new(m, "table", t);
    return OK;
}

/* A sheet not submitted by the self deadline is closed as it stands: each
 * criterion it left blank is written 0 (a target criterion: actual 0 against
 * a target of 1, which the formula scores 0) with a review-1 change giving
 * the reason, so the ranking can compute every unit. In the transaction. */
static enum result close_late(struct request *req, json_t *t, int64_t unit, const char *now)
{
    int64_t sheet = score_sheet_ensure(req->db, sj_int(t, "id"), unit, now);
    if (!sheet)
        return E_DB;
    json_t *before = score_sheet_get(req->db, sheet);
    struct score_tree tr;
    score_tree_of(t, &tr);
    enum result rc = OK;
    const char *reason = _(SCORE_LATE_REASON);
    for (size_t k = 0; k < tr.n && rc == OK; k++) {
        if (tr.nodes[k].kind == SCORE_GROUP)
            continue;
        bool target = tr.nodes[k].kind == SCORE_TARGET;
        struct db_stmt *s = db_query(req->db, "SELECT 1 FROM score_answers WHERE sheet_id = ? "
                                              "AND node_id = ?");
        db_bind_int(s, 1, sheet);
        db_bind_int(s, 2, tr.ids[k]);
        bool has = db_step(s) == DB_ROW;
        db_done(s);
        if (has)
            continue;
        s = db_query(req->db, "INSERT INTO score_answers (sheet_id, node_id, value_x100, "
                              "target_x100, note, updated_at) VALUES (?, ?, 0, ?, ?, ?)");
        db_bind_int(s, 1, sheet);
        db_bind_int(s, 2, tr.ids[k]);
        if (target)
            db_bind_int(s, 3, 100);
        else
            db_bind_null(s, 3);
        db_bind_text(s, 4, reason);
        db_bind_text(s, 5, now);
        if (db_run(s) != DB_DONE)
            rc = E_DB;
        s = db_query(req->db, "INSERT INTO score_changes (sheet_id, node_id, stage, "
                              "old_value_x100, new_value_x100, old_target_x100, new_target_x100, "
                              "reason, user_id, created_at) VALUES (?, ?, 'review1', NULL, 0, "
                              "NULL, ?, ?, ?, ?)");
        db_bind_int(s, 1, sheet);
        db_bind_int(s, 2, tr.ids[k]);
        if (target)
            db_bind_int(s, 3, 100);
        else
            db_bind_null(s, 3);
        db_bind_text(s, 4, reason);
        db_bind_int(s, 5, req->user->id);
        db_bind_text(s, 6, now);
        if (rc == OK && db_run(s) != DB_DONE)
            rc = E_DB;
    }
    score_tree_free(&tr);
    if (rc == OK)
        rc = score_sheet_touch(req, sheet, NULL, NULL, now);
    if (rc == OK) {
        json_t *after = score_sheet_get(req->db, sheet);
        rc = audit_record(req, "close_late", "score_sheet", sheet, before, after);
        json_decref(after);
    }
    json_decref(before);
    return rc;
}

enum result score_stage_advance(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    int64_t id = req_path_int(req, "id");
    json_t *t = criteria_get(req->db, id);
    enum result rc = OK;
    if (!t) {
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."),
                        (long long)id);
    }
    int cur = stage_index(sj_str(t, "stage"));
    const char *to = req_text(req, "to");
    int want = stage_index(to);
    int64_t group = sj_int(t, "group_id");
    int year = (int)sj_int(t, "year");
    if (!group_can_view_year(req, group, year) || !group_can_manage(req, group, year))
        rc = group_require_manage(req, group, year);
    else if (json_is_true(json_object_get(t, "is_draft")))
        rc = req_fail(req, E_CONFLICT, NULL,
                      _("Bảng tiêu chí chưa khóa: hãy khóa bảng trước khi chuyển giai đoạn chấm."));
    else if (cur < 0 || !stages[cur + 1])
        rc = req_fail(req, E_CONFLICT, NULL,
                      _("Kết quả chấm điểm đã khóa, không chuyển giai đoạn được nữa."));
    else if (want != cur + 1)
        rc = req_reject(req, "to",
                        _("Chỉ chuyển được sang giai đoạn kế tiếp (%s): không bỏ qua, không quay "
                          "lại."),
                        criteria_stage_name(stages[cur + 1]));
    else if (!may_advance(req, t, cur))
        rc = req_fail(req, E_FORBIDDEN, NULL,
                      _("Chỉ cơ quan thường trực Thi đua, khen thưởng mở và kết thúc thẩm định lần "
                        "2."));
    else if (req_value(req, "version") && req_int(req, "version", 0) != sj_int(t, "version"))
        rc = req_fail(req, E_CONFLICT, "version",
                      _("Bảng tiêu chí vừa được người khác sửa. Hãy mở lại trang để xem bản mới "
                        "nhất rồi làm lại."));
    char now[21];
    date_now_utc(now);
    if (rc == OK && cur == 0) {
        size_t missing = 0;
        json_t *members = members_of(req, t, &missing);
        bool late = self_overdue(t);
        size_t i;
        json_t *mb;
        if (missing && !late) {
            const char *names = "";
            json_array_foreach(members, i, mb)
            {
                if (!json_is_true(json_object_get(mb, "submitted")))
                    names = arena_printf(req->arena, "%s%s%s", names, *names ? ", " : "",
                                         sj_str(mb, "name"));
            }
            rc = req_reject(req, "to",
                            _("Chưa kết thúc tự chấm được: %zu đơn vị chưa nộp phiếu (%s) và "
                              "chưa quá hạn tự chấm."),
                            missing, names);
        } else {
            json_array_foreach(members, i, mb)
            {
                if (rc == OK && !json_is_true(json_object_get(mb, "submitted")))
                    rc = close_late(req, t, sj_int(mb, "unit_id"), now);
            }
            if (rc != OK && rc != E_INVALID) {
                json_decref(members);
                json_decref(t);
                return score_db_failed(req);
            }
        }
        json_decref(members);
    }
    if (rc != OK) {
        json_decref(t);
        db_rollback(req->db);
        return rc;
    }
    struct db_stmt *s = db_query(req->db, "UPDATE criteria_tables SET stage = ?, version = "
                                          "version + 1, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, stages[cur + 1]);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    if (db_run(s) != DB_DONE) {
        json_decref(t);
        return score_db_failed(req);
    }
    if (audit_commit(req, "stage", "criteria", id, t, criteria_get) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "table", criteria_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/criteria/%lld/stage", (long long)id),
                        arena_printf(req->arena, _("Đã chuyển sang giai đoạn: %s."),
                                     criteria_stage_name(stages[cur + 1])));
}
