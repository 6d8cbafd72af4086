/* What is recorded at a conference (conferences.h): attendance, chairs, the
 * units' figures against the pledge and their progress, tasks for the next
 * period, conclusions and the election of next year's head and deputy.
 * Every write is one transaction with its audit entry; a conclusion or an
 * election is refused unless the quorum is present. */
#include "features/conferences.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/groups.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"

/* --- the review: figures against the pledge -------------------------------- */

static const char *progress_name(enum bloc_progress p)
{
    switch (p) {
    case BLOC_MET: return _("Đạt");
    case BLOC_ON_TRACK: return _("Đúng tiến độ");
    case BLOC_BEHIND: return _("Chậm");
    default: return _("Chưa có số liệu");
    }
}

static const char *progress_code(enum bloc_progress p)
{
    switch (p) {
    case BLOC_MET: return "met";
    case BLOC_ON_TRACK: return "on_track";
    case BLOC_BEHIND: return "behind";
    default: return "no_figure";
    }
}

json_t *conference_review(struct db *db, json_t *conf)
{
    const char *kind = conf_str(conf, "kind");
    bool midyear = strcmp(kind, "midyear") == 0;
    if (!midyear && strcmp(kind, "yearend") != 0)
        return json_null();
    enum bloc_period period = midyear ? BLOC_MIDYEAR : BLOC_YEAREND;
    int64_t g = conf_int(conf, "group_id");
    int year = (int)conf_int(conf, "year");
    const char *on = conf_str(conf, "held_on");
    json_t *out = json_pack(
        "{s:s,s:s}", "period", midyear ? "midyear" : "yearend", "rule",
        _("Sơ kết 6 tháng: chỉ tiêu số lượng cần đạt ít nhất một nửa chỉ tiêu năm (làm tròn "
          "lên), chỉ tiêu tỷ lệ (%) cần đạt đủ; tổng kết năm: cần đạt đủ chỉ tiêu. Đơn vị đúng "
          "tiến độ khi không có chỉ tiêu nào chậm."));
    struct db_stmt *s = db_query(db, "SELECT id, title, status FROM pledges WHERE group_id = ? "
                                     "AND year = ?");
    db_bind_int(s, 1, g);
    db_bind_int(s, 2, year);
    int64_t pledge = 0;
    if (db_step(s) == DB_ROW) {
        pledge = db_col_int(s, 0);
        json_object_set_new(out, "pledge", json_pack("{s:I,s:s,s:s}", "id", (json_int_t)pledge,
                                                     "title", db_col_text(s, 1), "status",
                                                     db_col_text(s, 2)));
    } else {
        json_object_set_new(out, "pledge", json_null());
    }
    db_done(s);

    /* the items, with their targets */
    json_t *items = json_array();
    size_t nitems = 0;
    s = db_query(db, "SELECT id, position, content, measure, target_x100 FROM pledge_items WHERE "
                     "pledge_id = ? ORDER BY position, id");
    db_bind_int(s, 1, pledge);
    while (db_step(s) == DB_ROW) {
        char target[32] = "";
        if (!db_col_is_null(s, 4))
            bloc_format_x100(db_col_int(s, 4), target);
        json_array_append_new(
            items, json_pack("{s:I,s:I,s:s,s:s,s:o,s:s,s:b,s:b}", "id", (json_int_t)db_col_int(s, 0),
                             "position", (json_int_t)db_col_int(s, 1), "content",
                             db_col_text(s, 2), "measure", db_col_text(s, 3), "target_x100",
                             db_col_is_null(s, 4) ? json_null() : json_integer(db_col_int(s, 4)),
                             "target_text", target, "rate", strcmp(db_col_text(s, 3), "%") == 0,
                             "qualitative", db_col_is_null(s, 4)));
        nitems++;
    }
    db_done(s);

    /* the members on the day, each with a cell per item */
    s = db_query(db, "SELECT m.unit_id, u.name, r.pledge_item_id, r.actual_x100, r.note FROM "
                     "group_members m JOIN units u ON u.id = m.unit_id LEFT JOIN "
                     "conference_reports r ON r.conference_id = ? AND r.unit_id = m.unit_id "
                     "WHERE m.group_id = ? AND m.year = ? AND (m.joined_on IS NULL OR "
                     "m.joined_on <= ?) AND (m.left_on IS NULL OR m.left_on > ?) ORDER BY "
                     "u.sort_key, u.id");
    db_bind_int(s, 1, conf_int(conf, "id"));
    db_bind_int(s, 2, g);
    db_bind_int(s, 3, year);
    db_bind_text(s, 4, on);
    db_bind_text(s, 5, on);
    json_t *units = json_array(), *figures = json_object(); /* "unit:item" → [actual, note] */
    int64_t last = 0;
    while (db_step(s) == DB_ROW) {
        int64_t unit = db_col_int(s, 0);
        if (unit != last)
            json_array_append_new(units, json_pack("{s:I,s:s}", "unit_id", (json_int_t)unit,
                                                   "name", db_col_text(s, 1)));
        last = unit;
        if (!db_col_is_null(s, 2)) {
            char key[48];
            snprintf(key, sizeof key, "%lld:%lld", (long long)unit, (long long)db_col_int(s, 2));
            json_object_set_new(figures, key,
                                json_pack("{s:o,s:s}", "actual",
                                          db_col_is_null(s, 3) ? json_null()
                                                               : json_integer(db_col_int(s, 3)),
                                          "note", db_col_text(s, 4)));
        }
    }
    db_done(s);
    size_t i, k;
    json_t *u, *item;
    json_array_foreach(units, i, u)
    {
        int64_t unit = json_integer_value(json_object_get(u, "unit_id"));
        /* counts over the measured items; a qualitative item is reported or
         * not, and counts for neither side */
        int counts[4] = {0}, measured = 0, qual_reported = 0;
        json_t *cells = json_array();
        json_array_foreach(items, k, item)
        {
            char key[48], actual[32] = "";
            snprintf(key, sizeof key, "%lld:%lld", (long long)unit,
                     (long long)json_integer_value(json_object_get(item, "id")));
            json_t *f = json_object_get(figures, key);
            json_t *a = f ? json_object_get(f, "actual") : NULL;
            bool has_actual = a && json_is_integer(a);
            if (has_actual)
                bloc_format_x100(json_integer_value(a), actual);
            json_t *t = json_object_get(item, "target_x100");
            enum bloc_progress p = bloc_progress_of(
                has_actual ? json_integer_value(a) : 0, has_actual, json_integer_value(t),
                json_is_integer(t), json_is_true(json_object_get(item, "rate")), period);
            /* a qualitative item is reported (a figure or a note), or not */
            bool qualitative = json_is_true(json_object_get(item, "qualitative"));
            if (qualitative)
                qual_reported += f != NULL;
            else {
                counts[p]++;
                measured++;
            }
            const char *pname = !qualitative ? progress_name(p)
                                : f          ? _("Đã báo cáo")
                                             : _("Chưa báo cáo");
            json_array_append_new(
                cells, json_pack("{s:O,s:s,s:b,s:s,s:s,s:s}", "item_id", json_object_get(item, "id"),
                                 "actual_text", actual, "has_actual", has_actual, "progress",
                                 progress_code(p), "progress_name", pname, "note",
                                 f ? json_string_value(json_object_get(f, "note")) : ""));
        }
        int good = counts[BLOC_MET] + counts[BLOC_ON_TRACK];
        bool reported = good + counts[BLOC_BEHIND] + qual_reported > 0;
        const char *name = json_string_value(json_object_get(u, "name"));
        char line[600];
        if (!reported)
            snprintf(line, sizeof line, _("%s: chưa báo cáo kết quả"), name);
        else if (measured == 0)
            snprintf(line, sizeof line, _("%s: đã báo cáo kết quả"), name);
        else
            snprintf(line, sizeof line, _("%s: %d/%d chỉ tiêu định lượng đạt hoặc đúng tiến độ"),
                     name, good, measured);
        json_object_set_new(u, "cells", cells);
        json_object_set_new(u, "met", json_integer(counts[BLOC_MET]));
        json_object_set_new(u, "on_track", json_integer(counts[BLOC_ON_TRACK]));
        json_object_set_new(u, "behind", json_integer(counts[BLOC_BEHIND]));
        json_object_set_new(u, "no_figure", json_integer(counts[BLOC_NO_FIGURE]));
        json_object_set_new(u, "total", json_integer((json_int_t)nitems));
        json_object_set_new(u, "measured", json_integer(measured));
        /* on track only with every measured item reported and none behind */
        bool complete = counts[BLOC_NO_FIGURE] == 0;
        json_object_set_new(u, "ok", json_boolean(reported && complete &&
                                                  counts[BLOC_BEHIND] == 0));
        json_object_set_new(u, "ok_name",
                            json_string(!reported                    ? _("Chưa báo cáo")
                                        : counts[BLOC_BEHIND] > 0   ? _("Có chỉ tiêu chậm")
                                        : !complete                 ? _("Chưa báo cáo đủ")
                                                                    : _("Đúng tiến độ")));
        json_object_set_new(u, "summary_line", json_string(line));
    }
    json_decref(figures);
    json_object_set_new(out, "items", items);
    json_object_set_new(out, "units", units);
    return out;
}

/* --- shared steps of every write ------------------------------------------- */

/* Opens the write: the conference of the path for a manager (or for anyone
 * who may see it when !manage), the optional version checked. NULL when the
 * request has failed. */
static json_t *begin_write(struct request *req, bool manage, enum result *rc)
{
    json_t *c = conference_of_path(req, manage);
    if (!c) {
        *rc = req->err.code;
        return NULL;
    }
    conference_version_ok(req, c, false, rc);
    if (*rc != OK) {
        json_decref(c);
        return NULL;
    }
    return c;
}

/* Re-shows the page with the field errors recorded so far (422). */
static enum result show_errors(struct request *req, json_t *c)
{
    conference_page_model(req, c);
    json_decref(c);
    req->status = 422;
    req->template = "conferences/show";
    return OK;
}

/* Audits the change (the snapshot before, read inside the transaction),
 * commits, and sends the caller back to the page. */
static enum result finish(struct request *req, json_t *c, const char *action, json_t *before,
                          const char *flash)
{
    int64_t id = conf_int(c, "id");
    json_decref(c);
    bool bump = strcmp(action, "attendance") != 0 && strcmp(action, "report") != 0;
    enum result rc = conference_touch(req->db, id, req_int(req, "version", 0), bump);
    if (rc == OK)
        rc = audit_commit(req, action, "conference", id, before, conference_snapshot);
    else
        json_decref(before);
    if (rc == E_CONFLICT) {
        db_rollback(req->db);
        return conference_conflict(req, id);
    }
    if (rc != OK) {
        db_rollback(req->db);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    json_object_set_new(req->model, "conference", conference_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/conferences/%lld", (long long)id), flash);
}

static json_t *begin_tx(struct request *req, int64_t id)
{
    if (db_begin(req->db) != OK)
        return NULL;
    return conference_snapshot(req->db, id);
}

static enum result db_failed(struct request *req, json_t *c, json_t *before)
{
    db_rollback(req->db);
    json_decref(c);
    json_decref(before);
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

static void require_member(struct request *req, json_t *c, const char *field, int64_t unit,
                           bool required)
{
    if (json_object_get(req->field_errors, field))
        return;
    if (!unit) {
        if (required)
            req_field_error(req, field, _("Hãy chọn đơn vị."));
        return;
    }
    if (!conference_member(req->db, c, unit))
        req_field_error(req, field, _("Đơn vị này không là thành viên của khối, cụm vào ngày "
                                      "họp %s."),
                        conf_str(c, "held_on_dmy"));
}

static const char *text_or_empty(struct request *req, const char *name)
{
    const char *t = req_text(req, name);
    return t ? t : "";
}

/* --- attendance ------------------------------------------------------------- */

enum result conference_attendance_set(struct request *req)
{
    enum result rc;
    json_t *c = begin_write(req, true, &rc);
    if (!c)
        return rc;
    if (conference_not_held_yet(req, c, &rc)) {
        json_decref(c);
        return rc;
    }
    int64_t unit = req_int(req, "unit_id", 0);
    const char *present = req_text(req, "present");
    require_member(req, c, "unit_id", unit, true);
    if (!present && !json_object_get(req->field_errors, "present"))
        req_field_error(req, "present", _("Hãy chọn có mặt hay vắng."));
    if (req_has_errors(req))
        return show_errors(req, c);
    json_t *before = begin_tx(req, conf_int(c, "id"));
    if (!before)
        return db_failed(req, c, NULL);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO conference_attendance (conference_id, unit_id, present, "
                 "representative, representative_title, note) VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (conference_id, unit_id) DO UPDATE SET present = excluded.present, "
                 "representative = excluded.representative, representative_title = "
                 "excluded.representative_title, note = excluded.note");
    db_bind_int(s, 1, conf_int(c, "id"));
    db_bind_int(s, 2, unit);
    db_bind_int(s, 3, strcmp(present, "yes") == 0 ? 1 : 0);
    db_bind_text(s, 4, text_or_empty(req, "representative"));
    db_bind_text(s, 5, text_or_empty(req, "representative_title"));
    db_bind_text(s, 6, text_or_empty(req, "note"));
    if (db_run(s) != DB_DONE)
        return db_failed(req, c, before);
    return finish(req, c, "attendance", before, _("Đã ghi thành phần dự họp."));
}

/* --- chairs ----------------------------------------------------------------- */

enum result conference_chair_add(struct request *req)
{
    enum result rc;
    json_t *c = begin_write(req, true, &rc);
    if (!c)
        return rc;
    int64_t unit = req_int(req, "unit_id", 0);
    require_member(req, c, "unit_id", unit, true);
    if (!req_text(req, "person_name") && !json_object_get(req->field_errors, "person_name"))
        req_field_error(req, "person_name", _("Hãy nhập họ và tên người chủ trì."));
    if (req_has_errors(req))
        return show_errors(req, c);
    int64_t id = conf_int(c, "id");
    json_t *before = begin_tx(req, id);
    if (!before)
        return db_failed(req, c, NULL);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO conference_chairs (conference_id, position, unit_id, person_name, "
                 "person_title) SELECT ?, COALESCE(max(position), 0) + 1, ?, ?, ? FROM "
                 "conference_chairs WHERE conference_id = ?");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, unit);
    db_bind_text(s, 3, req_text(req, "person_name"));
    db_bind_text(s, 4, text_or_empty(req, "person_title"));
    db_bind_int(s, 5, id);
    if (db_run(s) != DB_DONE)
        return db_failed(req, c, before);
    return finish(req, c, "chair_add", before, _("Đã thêm người chủ trì."));
}

/* The shared steps of removing one row of a conference's list (a chair, a
 * task, a conclusion): the manager's conference with its current version
 * (a position is reused once the last one goes: the version says which),
 * the DELETE (sql: conference id then the path's `key`, RETURNING a column),
 * a 404 naming what was missing, and the audited commit. */
static enum result delete_row(struct request *req, const char *sql, const char *key,
                              const char *action, const char *missing, const char *flash)
{
    enum result rc;
    json_t *c = conference_of_path(req, true);
    if (!c)
        return req->err.code;
    if (!conference_version_ok(req, c, true, &rc)) {
        if (rc != OK) {
            json_decref(c);
            return rc;
        }
        return show_errors(req, c);
    }
    int64_t id = conf_int(c, "id"), which = req_path_int(req, key);
    json_t *before = begin_tx(req, id);
    if (!before)
        return db_failed(req, c, NULL);
    struct db_stmt *s = db_query(req->db, sql);
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, which);
    bool gone = db_step(s) == DB_ROW;
    if (db_done(s) == DB_ERROR)
        return db_failed(req, c, before);
    if (!gone) {
        db_rollback(req->db);
        json_decref(c);
        json_decref(before);
        return req_fail(req, E_NOTFOUND, NULL, missing, (long long)which);
    }
    return finish(req, c, action, before, flash);
}

enum result conference_chair_delete(struct request *req)
{
    return delete_row(req,
                      "DELETE FROM conference_chairs WHERE conference_id = ? AND position = ? "
                      "RETURNING position",
                      "pos", "chair_delete", _("Hội nghị không có người chủ trì thứ %lld."),
                      _("Đã bỏ người chủ trì."));
}

/* --- reports against the pledge --------------------------------------------- */

enum result conference_report_set(struct request *req)
{
    enum result rc;
    /* a member's own officer reports for it; managers for anyone */
    json_t *c = begin_write(req, false, &rc);
    if (!c)
        return rc;
    if (conference_not_held_yet(req, c, &rc)) {
        json_decref(c);
        return rc;
    }
    bool qualitative = false;
    int64_t unit = req_int(req, "unit_id", 0), item = req_int(req, "pledge_item_id", 0);
    if (unit && !group_can_manage(req, conf_int(c, "group_id"), (int)conf_int(c, "year")) &&
        !scope_has_unit(req, unit)) {
        json_decref(c);
        return req_fail(req, E_FORBIDDEN, "unit_id",
                        _("Bạn chỉ báo cáo được số liệu của đơn vị mình."));
    }
    const char *kind = conf_str(c, "kind");
    if (strcmp(kind, "midyear") != 0 && strcmp(kind, "yearend") != 0) {
        req_field_error(req, "pledge_item_id", _("Chỉ hội nghị sơ kết, tổng kết mới ghi số liệu "
                                                 "thực hiện giao ước."));
        return show_errors(req, c);
    }
    require_member(req, c, "unit_id", unit, true);
    if (!item) {
        if (!json_object_get(req->field_errors, "pledge_item_id"))
            req_field_error(req, "pledge_item_id", _("Hãy chọn chỉ tiêu của giao ước."));
    } else {
        struct db_stmt *s = db_query(req->db, "SELECT i.target_x100 IS NULL FROM pledge_items i "
                                              "JOIN pledges p ON "
                                              "p.id = i.pledge_id WHERE i.id = ? AND "
                                              "p.group_id = ? AND p.year = ? AND p.status <> "
                                              "'draft'");
        db_bind_int(s, 1, item);
        db_bind_int(s, 2, conf_int(c, "group_id"));
        db_bind_int(s, 3, conf_int(c, "year"));
        bool ours = db_step(s) == DB_ROW;
        qualitative = ours && db_col_int(s, 0) != 0;
        db_done(s);
        if (!ours)
            req_field_error(req, "pledge_item_id",
                            _("Chỉ tiêu này không thuộc giao ước thi đua năm %lld của khối, "
                              "cụm (hoặc giao ước còn là dự thảo, chưa mở ký)."),
                            (long long)conf_int(c, "year"));
    }
    const char *actual = req_text(req, "actual");
    int64_t x100 = 0;
    /* a qualitative item is reported in words (the note), a figure optional */
    if (!actual && qualitative) {
        if (!req_text(req, "note"))
            req_field_error(req, "note", _("Nội dung định tính: hãy ghi kết quả thực hiện vào ô "
                                           "ghi chú."));
    } else if (!actual) {
        if (!json_object_get(req->field_errors, "actual"))
            req_field_error(req, "actual", _("Hãy nhập kết quả thực hiện."));
    } else if (!bloc_parse_x100(actual, &x100) || x100 < 0) {
        req_field_error(req, "actual", _("Kết quả thực hiện phải là một số không âm, tối đa hai "
                                         "chữ số thập phân, ví dụ 12,5."));
    }
    if (req_has_errors(req))
        return show_errors(req, c);
    json_t *before = begin_tx(req, conf_int(c, "id"));
    if (!before)
        return db_failed(req, c, NULL);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO conference_reports (conference_id, unit_id, pledge_item_id, "
                 "actual_x100, note, reported_by, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (conference_id, unit_id, pledge_item_id) DO UPDATE SET "
                 "actual_x100 = excluded.actual_x100, note = excluded.note, reported_by = "
                 "excluded.reported_by, reported_at = excluded.reported_at");
    db_bind_int(s, 1, conf_int(c, "id"));
    db_bind_int(s, 2, unit);
    db_bind_int(s, 3, item);
    if (actual)
        db_bind_int(s, 4, x100);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, text_or_empty(req, "note"));
    db_bind_int(s, 6, req->user->id);
    db_bind_text(s, 7, now);
    if (db_run(s) != DB_DONE)
        return db_failed(req, c, before);
    return finish(req, c, "report", before, _("Đã ghi kết quả thực hiện."));
}

/* --- tasks for the next period ------------------------------------------------ */

enum result conference_task_add(struct request *req)
{
    enum result rc;
    json_t *c = begin_write(req, true, &rc);
    if (!c)
        return rc;
    int64_t unit = req_int(req, "unit_id", 0);
    require_member(req, c, "unit_id", unit, false);
    if (!req_text(req, "content") && !json_object_get(req->field_errors, "content"))
        req_field_error(req, "content", _("Hãy nhập nội dung nhiệm vụ."));
    const struct param_value *due = req_value(req, "due_on");
    const char *due_on = due && due->present && !json_object_get(req->field_errors, "due_on")
                             ? due->text
                             : NULL;
    if (due_on && strcmp(due_on, conf_str(c, "held_on")) < 0)
        req_field_error(req, "due_on", _("Hạn hoàn thành không được trước ngày họp (%s)."),
                        conf_str(c, "held_on_dmy"));
    if (req_has_errors(req))
        return show_errors(req, c);
    int64_t id = conf_int(c, "id");
    json_t *before = begin_tx(req, id);
    if (!before)
        return db_failed(req, c, NULL);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO conference_tasks (conference_id, position, content, unit_id, "
                 "due_on) SELECT ?, COALESCE(max(position), 0) + 1, ?, ?, ? FROM "
                 "conference_tasks WHERE conference_id = ?");
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, req_text(req, "content"));
    if (unit)
        db_bind_int(s, 3, unit);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, due_on);
    db_bind_int(s, 5, id);
    if (db_run(s) != DB_DONE)
        return db_failed(req, c, before);
    return finish(req, c, "task_add", before, _("Đã thêm nhiệm vụ."));
}

enum result conference_task_delete(struct request *req)
{
    return delete_row(req,
                      "DELETE FROM conference_tasks WHERE conference_id = ? AND id = ? RETURNING id",
                      "task", "task_delete", _("Hội nghị không có nhiệm vụ số hiệu %lld."),
                      _("Đã bỏ nhiệm vụ."));
}

/* --- decisions ------------------------------------------------------------------ */

/* Refuses (field "quorum", 422) when the quorum is not present; the message
 * gives the numbers. Read inside the write transaction, so attendance cannot
 * change between the check and the decision. */
static bool quorum_or_refuse(struct request *req, json_t *c)
{
    json_t *g = group_get(req->db, conf_int(c, "group_id"));
    json_t *q = conference_quorum(req->db, c, g);
    json_decref(g);
    bool met = json_is_true(json_object_get(q, "met"));
    if (!met)
        req_field_error(req, "quorum",
                        _("Chưa đủ số đơn vị dự họp để biểu quyết: %lld/%lld đơn vị có mặt, cần "
                          "ít nhất %lld. Hãy ghi đủ thành phần dự họp trước."),
                        (long long)json_integer_value(json_object_get(q, "present")),
                        (long long)json_integer_value(json_object_get(q, "members")),
                        (long long)json_integer_value(json_object_get(q, "needed")));
    json_decref(q);
    return met;
}

static enum result insert_decision(struct db *db, int64_t conf, const char *kind,
                                   const char *content, int64_t head, int64_t deputy,
                                   int64_t user)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        db, "INSERT INTO conference_decisions (conference_id, position, kind, content, "
            "head_unit_id, deputy_unit_id, created_by, created_at) SELECT ?, "
            "COALESCE(max(position), 0) + 1, ?, ?, ?, ?, ?, ? FROM conference_decisions WHERE "
            "conference_id = ?");
    db_bind_int(s, 1, conf);
    db_bind_text(s, 2, kind);
    db_bind_text(s, 3, content);
    if (head)
        db_bind_int(s, 4, head);
    else
        db_bind_null(s, 4);
    if (deputy)
        db_bind_int(s, 5, deputy);
    else
        db_bind_null(s, 5);
    db_bind_int(s, 6, user);
    db_bind_text(s, 7, now);
    db_bind_int(s, 8, conf);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

enum result conference_decision_add(struct request *req)
{
    enum result rc;
    json_t *c = begin_write(req, true, &rc);
    if (!c)
        return rc;
    if (conference_not_held_yet(req, c, &rc)) {
        json_decref(c);
        return rc;
    }
    const char *content = req_text(req, "content");
    if (!content && !json_object_get(req->field_errors, "content"))
        req_field_error(req, "content", _("Hãy nhập nội dung kết luận."));
    if (req_has_errors(req))
        return show_errors(req, c);
    int64_t id = conf_int(c, "id");
    json_t *before = begin_tx(req, id);
    if (!before)
        return db_failed(req, c, NULL);
    if (!quorum_or_refuse(req, c)) {
        db_rollback(req->db);
        json_decref(before);
        return show_errors(req, c);
    }
    if (insert_decision(req->db, id, "conclusion", content, 0, 0, req->user->id) != OK)
        return db_failed(req, c, before);
    return finish(req, c, "decision", before, _("Đã ghi kết luận của hội nghị."));
}

static char *unit_name(struct request *req, int64_t id)
{
    struct db_stmt *s = db_query(req->db, "SELECT name FROM units WHERE id = ?");
    db_bind_int(s, 1, id);
    char *n = db_step(s) == DB_ROW ? arena_strdup(req->arena, db_col_text(s, 0)) : NULL;
    db_done(s);
    return n;
}

enum result conference_election(struct request *req)
{
    enum result rc;
    json_t *c = begin_write(req, true, &rc);
    if (!c)
        return rc;
    if (conference_not_held_yet(req, c, &rc)) {
        json_decref(c);
        return rc;
    }
    if (strcmp(conf_str(c, "kind"), "yearend") != 0) {
        req_field_error(req, "head_unit_id", _("Chỉ hội nghị tổng kết năm mới bầu Trưởng khối, "
                                               "Phó khối năm sau."));
        return show_errors(req, c);
    }
    int64_t head = req_int(req, "head_unit_id", 0), deputy = req_int(req, "deputy_unit_id", 0);
    if (!head && !json_object_get(req->field_errors, "head_unit_id"))
        req_field_error(req, "head_unit_id", _("Hãy chọn đơn vị Trưởng khối."));
    if (!deputy && !json_object_get(req->field_errors, "deputy_unit_id"))
        req_field_error(req, "deputy_unit_id", _("Hãy chọn đơn vị Phó khối."));
    if (req_has_errors(req))
        return show_errors(req, c);
    int64_t id = conf_int(c, "id"), g = conf_int(c, "group_id");
    int next = (int)conf_int(c, "year") + 1;
    json_t *before = begin_tx(req, id);
    if (!before)
        return db_failed(req, c, NULL);
    if (!quorum_or_refuse(req, c)) {
        db_rollback(req->db);
        json_decref(before);
        return show_errors(req, c);
    }
    struct err e = {0};
    json_t *year_before = NULL;
    rc = group_year_ensure(req->db, g, next, &e);
    if (rc == OK) {
        year_before = group_year_get(req->db, g, next);
        rc = group_set_leaders(req->db, g, next, head, deputy, id, &e);
    }
    if (rc == E_INVALID) {
        db_rollback(req->db);
        json_decref(before);
        json_decref(year_before);
        req_field_error(req, e.field[0] ? e.field : "head_unit_id", "%s", e.msg);
        return show_errors(req, c);
    }
    /* a second election at the same conference replaces the first */
    struct db_stmt *s = db_query(req->db, "DELETE FROM conference_decisions WHERE conference_id "
                                          "= ? AND kind = 'election'");
    db_bind_int(s, 1, id);
    if (rc == OK && db_run(s) != DB_DONE)
        rc = E_DB;
    if (rc == OK) {
        json_t *group = group_get(req->db, g);
        const char *kind = group ? json_string_value(json_object_get(group, "kind")) : "khoi";
        const char *content = arena_printf(
            req->arena, _("Hội nghị thống nhất bầu %s làm %s, %s làm %s năm %d."),
            unit_name(req, head), group_head_title(kind), unit_name(req, deputy),
            group_deputy_title(kind), next);
        json_decref(group);
        rc = insert_decision(req->db, id, "election", content, head, deputy, req->user->id);
    }
    if (rc == OK) {
        /* next year's head and deputy change with their rights: logged too */
        json_t *year_after = group_year_get(req->db, g, next);
        rc = audit_record(req, "elect", "group_year", g, year_before, year_after) == OK ? OK : E_DB;
        json_decref(year_after);
    }
    json_decref(year_before);
    if (rc != OK)
        return db_failed(req, c, before);
    return finish(req, c, "election", before,
                  arena_printf(req->arena, _("Đã ghi kết quả bầu Trưởng khối, Phó khối năm %d."),
                               next));
}

/* POST /conferences/{id}/decisions/{decision}/delete: a conclusion typed in
 * error goes (until the minutes are registered); an election is replaced by
 * electing again, not deleted. */
enum result conference_decision_delete(struct request *req)
{
    return delete_row(req,
                      "DELETE FROM conference_decisions WHERE conference_id = ? AND id = ? AND "
                      "kind = 'conclusion' RETURNING id",
                      "decision", "decision_delete",
                      _("Hội nghị không có kết luận số hiệu %lld (kết quả bầu thì bầu lại để "
                        "thay)."),
                      _("Đã bỏ kết luận."));
}
