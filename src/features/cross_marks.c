/* Cross-scoring entry (features/cross_marks.h): the marks one member unit
 * gives the others, kept in cross_marks (migration 0007); the normalisation
 * and the ranking over them are domain/ranking.h's (cross_score). */
#include "features/cross_marks.h"

#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/criteria.h"
#include "features/groups.h"
#include "lib/date.h"
#include "lib/i18n.h"

static int64_t jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

json_t *cross_mark_get(struct db *db, int64_t table, int64_t scorer, int64_t scored)
{
    struct db_stmt *s = db_query(db, "SELECT points_x100 FROM cross_marks WHERE table_id = ? AND "
                                     "scorer_unit = ? AND scored_unit = ?");
    db_bind_int(s, 1, table);
    db_bind_int(s, 2, scorer);
    db_bind_int(s, 3, scored);
    json_t *m = NULL;
    if (db_step(s) == DB_ROW)
        m = json_pack("{s:I,s:I,s:I,s:I}", "table_id", (json_int_t)table, "scorer_unit",
                      (json_int_t)scorer, "scored_unit", (json_int_t)scored, "points_x100",
                      (json_int_t)db_col_int(s, 0));
    db_done(s);
    return m;
}

/* The caller's own unit when it is a member of the table's year; 0 else. */
static int64_t scorer_of(struct request *req, json_t *t)
{
    if (!req->user || req->user->role != ROLE_UNIT || req->user->unit_id <= 0)
        return 0;
    return group_is_member(req->db, jint(t, "group_id"), (int)jint(t, "year"),
                           req->user->unit_id, NULL)
               ? req->user->unit_id
               : 0;
}

/* The table of the path if the caller sees its year; NULL after failing. */
static json_t *table_of_path(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *t = criteria_get(req->db, id);
    if (!t) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có bảng tiêu chí số hiệu %lld."), (long long)id);
        return NULL;
    }
    if (!group_can_view_year(req, jint(t, "group_id"), (int)jint(t, "year"))) {
        json_decref(t);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này nên không chấm "
                   "chéo được trong khối."));
        return NULL;
    }
    return t;
}

/* Whether marks may be given now: the table locked, in cross mode, in the
 * 'self' stage. */
static bool open_for_marks(json_t *t)
{
    return !json_is_true(json_object_get(t, "is_draft")) &&
           json_is_true(json_object_get(t, "is_cross")) &&
           strcmp(json_string_value(json_object_get(t, "stage")), "self") == 0;
}

enum result cross_marks_show(struct request *req)
{
    json_t *t = table_of_path(req);
    if (!t)
        return req->err.code;
    int64_t id = jint(t, "id"), group = jint(t, "group_id");
    int year = (int)jint(t, "year");
    int64_t scorer = scorer_of(req, t);
    bool open = open_for_marks(t);
    json_t *members = group_members(req->db, group, year);
    size_t nm = json_array_size(members);
    json_t *marks = json_array(), *progress = json_array();
    size_t i;
    json_t *mb;
    /* the scorer's own marks, one query */
    json_t *given = json_object();
    if (scorer) {
        struct db_stmt *s = db_query(req->db, "SELECT scored_unit, points_x100 FROM cross_marks "
                                              "WHERE table_id = ? AND scorer_unit = ?");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, scorer);
        while (db_step(s) == DB_ROW) {
            char key[24], buf[32];
            snprintf(key, sizeof key, "%lld", (long long)db_col_int(s, 0));
            bloc_format_x100(db_col_int(s, 1), buf);
            json_object_set_new(given, key, json_string(buf));
        }
        db_done(s);
    }
    /* how many marks each scorer gave: counts only, never the marks */
    json_t *counts = json_object();
    bool manager = group_can_manage(req, group, year) ||
                   (req->user && req->user->role == ROLE_COUNCIL);
    if (manager) {
        struct db_stmt *s = db_query(req->db, "SELECT scorer_unit, count(*) FROM cross_marks WHERE "
                                              "table_id = ? GROUP BY scorer_unit");
        db_bind_int(s, 1, id);
        while (db_step(s) == DB_ROW) {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)db_col_int(s, 0));
            json_object_set_new(counts, key, json_integer(db_col_int(s, 1)));
        }
        db_done(s);
    }
    int done = 0;
    json_array_foreach(members, i, mb)
    {
        int64_t unit = jint(mb, "unit_id");
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)unit);
        if (scorer && unit != scorer) {
            const char *p = json_string_value(json_object_get(given, key));
            json_array_append_new(
                marks, json_pack("{s:I,s:O,s:s,s:b}", "unit_id", (json_int_t)unit, "name",
                                 json_object_get(mb, "name"), "points", p ? p : "", "given",
                                 p != NULL));
        }
        if (manager) {
            int64_t n = jint(counts, key);
            done += nm > 1 && n == (int64_t)nm - 1;
            json_array_append_new(progress,
                                  json_pack("{s:I,s:O,s:I,s:I,s:b}", "unit_id", (json_int_t)unit,
                                            "name", json_object_get(mb, "name"), "given",
                                            (json_int_t)n, "of", (json_int_t)(nm ? nm - 1 : 0),
                                            "complete", nm > 1 && n == (int64_t)nm - 1));
        }
    }
    json_decref(given);
    json_decref(counts);
    json_decref(members);
    json_t *m = req->model;
    json_object_set_new(m, "is_scorer", json_boolean(scorer != 0));
    json_object_set_new(m, "can_mark", json_boolean(scorer && open));
    json_object_set_new(m, "marks", marks);
    json_object_set_new(m, "is_manager", json_boolean(manager));
    json_object_set_new(m, "progress", progress);
    json_object_set_new(m, "progress_text",
                        json_string(arena_printf(req->arena,
                                                 _("%d trên %zu đơn vị đã chấm chéo đủ"), done,
                                                 nm)));
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s,s:s}", "criteria",
                  arena_printf(req->arena, "/groups/%lld/%d/criteria", (long long)group, year),
                  "grid", arena_printf(req->arena, "/criteria/%lld/grid", (long long)id), "self",
                  arena_printf(req->arena, "/criteria/%lld/cross", (long long)id)));
    json_object_del(t, "nodes");
    json_object_set_new(m, "table", t);
    return OK;
}

/* Rolls back; a refused value (422) comes back on the page with its
 * message beside the marks, other failures as they were made. */
static enum result refuse(struct request *req, json_t *t, enum result rc)
{
    json_decref(t);
    db_rollback(req->db);
    if (rc != E_INVALID)
        return rc;
    req_field_error(req, req->err.field[0] ? req->err.field : "points", "%s", req->err.msg);
    if (cross_marks_show(req) != OK)
        return req->err.code;
    req->status = 422;
    return OK;
}

enum result cross_mark_save(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *t = table_of_path(req);
    if (!t) {
        db_rollback(req->db);
        return req->err.code;
    }
    int64_t id = jint(t, "id"), group = jint(t, "group_id");
    int year = (int)jint(t, "year");
    int64_t scorer = scorer_of(req, t);
    if (!scorer)
        return refuse(req, t,
                      req_fail(req, E_FORBIDDEN, NULL,
                               _("Chỉ cán bộ của đơn vị thành viên mới chấm chéo các đơn vị "
                                 "khác trong khối, cụm.")));
    if (json_is_true(json_object_get(t, "is_draft")))
        return refuse(req, t,
                      req_reject(req, "table",
                                 _("Bảng tiêu chí chưa khóa nên chưa chấm chéo được.")));
    if (!json_is_true(json_object_get(t, "is_cross")))
        return refuse(req, t,
                      req_fail(req, E_CONFLICT, "table",
                               _("Bảng tiêu chí này chấm theo cách đơn vị tự chấm, không chấm "
                                 "chéo.")));
    if (strcmp(json_string_value(json_object_get(t, "stage")), "self") != 0)
        return refuse(req, t,
                      req_fail(req, E_CONFLICT, NULL,
                               _("Đã hết giai đoạn chấm điểm (bảng đang ở giai đoạn: %s), không "
                                 "sửa được điểm chấm chéo."),
                               json_string_value(json_object_get(t, "stage_name"))));
    int64_t scored = req_int(req, "scored_unit", 0);
    if (!scored)
        return refuse(req, t, req_reject(req, "scored_unit", _("Hãy chọn đơn vị được chấm.")));
    if (scored == scorer)
        return refuse(req, t,
                      req_reject(req, "scored_unit",
                                 _("Đơn vị không tự chấm mình trong chấm chéo; hãy chấm các đơn "
                                   "vị khác.")));
    if (!group_is_member(req->db, group, year, scored, NULL))
        return refuse(req, t,
                      req_reject(req, "scored_unit",
                                 _("Đơn vị số hiệu %lld không là thành viên của khối, cụm trong "
                                   "năm này."),
                                 (long long)scored));
    int64_t total = jint(t, "total_x100"), points = 0;
    const char *text = req_text(req, "points");
    if (!text || !bloc_parse_x100(text, &points) || points < 0 || points > total)
        return refuse(req, t,
                      req_reject(req, "points", _("Điểm chấm chéo phải từ 0 đến %s."),
                                 json_string_value(json_object_get(t, "total"))));
    json_decref(t);
    char now[21];
    date_now_utc(now);
    json_t *before = cross_mark_get(req->db, id, scorer, scored);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO cross_marks (table_id, scorer_unit, scored_unit, points_x100, "
                 "user_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (table_id, "
                 "scorer_unit, scored_unit) DO UPDATE SET points_x100 = excluded.points_x100, "
                 "user_id = excluded.user_id, updated_at = excluded.updated_at");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, scorer);
    db_bind_int(s, 3, scored);
    db_bind_int(s, 4, points);
    db_bind_int(s, 5, req->user->id);
    db_bind_text(s, 6, now);
    json_t *after = NULL;
    enum result rc = db_run(s) == DB_DONE ? OK : E_DB;
    if (rc == OK) {
        after = cross_mark_get(req->db, id, scorer, scored);
        rc = audit_record(req, "cross_mark", "cross_mark", id, before, after);
    }
    json_decref(before);
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK) {
        json_decref(after);
        db_rollback(req->db);
        return req->err.code ? req->err.code
                             : req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    char buf[32];
    bloc_format_x100(points, buf);
    json_object_set_new(after, "points", json_string(buf));
    json_object_set_new(req->model, "mark", after);
    return req_redirect(req, arena_printf(req->arena, "/criteria/%lld/cross", (long long)id),
                        _("Đã lưu điểm chấm chéo."));
}
