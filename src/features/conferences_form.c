/* The pages to create, show and edit a conference of a group's year
 * (conferences.h): the form, its checks (a date inside the year, times of
 * day), and the optimistic version of an edit. */
#include "features/conferences.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/groups.h"
#include "lib/date.h"
#include "lib/i18n.h"

static const char *const kind_codes[] = {"pledge", "midyear", "yearend", "other", NULL};

/* The title people give such a conference, when none is typed. */
static char *default_title(struct request *req, const char *kind, int year)
{
    if (strcmp(kind, "pledge") == 0)
        return arena_printf(req->arena, _("Hội nghị ký kết giao ước thi đua năm %d"), year);
    if (strcmp(kind, "midyear") == 0)
        return arena_printf(req->arena, _("Hội nghị sơ kết 6 tháng đầu năm %d"), year);
    if (strcmp(kind, "yearend") == 0)
        return arena_printf(req->arena, _("Hội nghị tổng kết phong trào thi đua năm %d"), year);
    return arena_printf(req->arena, _("Hội nghị năm %d"), year);
}

/* --- create, show, edit ---------------------------------------------------- */

/* The group and year of the path, when the caller may manage that year. */
static json_t *group_year_of_path(struct request *req, int *year)
{
    json_t *g = group_of_path(req);
    if (!g)
        return NULL;
    *year = (int)req_path_int(req, "year");
    json_t *gy = group_year_get(req->db, conf_int(g, "id"), *year);
    if (!gy) {
        req_fail(req, E_NOTFOUND, NULL, _("%s chưa có năm %d."), conf_str(g, "name"), *year);
        json_decref(g);
        return NULL;
    }
    json_decref(gy);
    if (group_require_manage(req, conf_int(g, "id"), *year) != OK) {
        json_decref(g);
        return NULL;
    }
    return g;
}

static json_t *kind_options(const char *selected)
{
    json_t *out = json_array();
    for (int i = 0; kind_codes[i]; i++)
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "value", kind_codes[i], "name",
                                             conference_kind_name(kind_codes[i]), "selected",
                                             selected && strcmp(selected, kind_codes[i]) == 0));
    return out;
}

static const char *typed_date(struct request *req, const char *name)
{
    const struct param_value *v = req_value(req, name);
    return v && v->present ? v->text : NULL;
}

/* The form: a new conference (conf NULL) or an edit; `typed` overrides with
 * what was sent. */
static void form_model(struct request *req, json_t *group, int year, json_t *conf, bool typed)
{
    json_t *f = conf ? json_deep_copy(conf) : json_object();
    if (!conf) {
        json_object_set_new(f, "kind", json_string("midyear"));
        json_object_set_new(f, "title", json_string(""));
        json_object_set_new(f, "held_on_dmy", json_string(""));
        json_object_set_new(f, "starts_at", json_string("08:00"));
        json_object_set_new(f, "ends_at", json_string(""));
        json_object_set_new(f, "place", json_string(""));
        json_object_set_new(f, "secretary", json_string(""));
        json_object_set_new(f, "summary", json_string(""));
    }
    if (typed) {
        static const char *const texts[] = {"kind", "title", "starts_at", "ends_at", "place",
                                            "secretary", "summary", NULL};
        for (int i = 0; texts[i]; i++) {
            const struct param_value *v = req_value(req, texts[i]);
            if (v && v->seen)
                json_object_set_new(f, texts[i], json_string(v->text ? v->text : ""));
        }
        const struct param_value *d = req_value(req, "held_on");
        if (d && d->seen) {
            char dmy[11];
            date_to_dmy(d->text ? d->text : "", dmy);
            json_object_set_new(f, "held_on_dmy", json_string(dmy[0] ? dmy : (d->text ? d->text : "")));
        }
    }
    json_object_set_new(f, "is_new", json_boolean(conf == NULL));
    json_object_set_new(f, "action",
                        conf ? json_string(arena_printf(req->arena, "/conferences/%lld",
                                                        (long long)conf_int(conf, "id")))
                             : json_string(arena_printf(req->arena, "/groups/%lld/%d/conferences",
                                                        (long long)conf_int(group, "id"), year)));
    json_object_set_new(req->model, "kinds", kind_options(conf_str(f, "kind")));
    json_object_set_new(req->model, "form", f);
    json_object_set(req->model, "group", group);
    json_object_set_new(req->model, "year", json_integer(year));
}

enum result conferences_new(struct request *req)
{
    int year;
    json_t *g = group_year_of_path(req, &year);
    if (!g)
        return req->err.code;
    form_model(req, g, year, NULL, false);
    json_decref(g);
    return OK;
}

static bool time_ok(const char *t)
{
    return strlen(t) == 5 && t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' &&
           t[2] == ':' && t[3] >= '0' && t[3] <= '5' && t[4] >= '0' && t[4] <= '9' &&
           (t[0] < '2' || t[1] <= '3');
}

/* Checks the fields shared by create and edit (field errors recorded). */
static void check_fields(struct request *req, int year, const char **held_on,
                         const char **starts_at, const char **ends_at)
{
    /* the router's message for a day that does not exist stays */
    bool bad_date = json_object_get(req->field_errors, "held_on") != NULL;
    *held_on = bad_date ? NULL : typed_date(req, "held_on");
    if (!*held_on && !bad_date)
        req_field_error(req, "held_on", _("Hãy nhập ngày họp (ngày/tháng/năm)."));
    else if (*held_on && atoi(*held_on) != year)
        req_field_error(req, "held_on", _("Ngày họp phải trong năm %d."), year);
    *starts_at = req_text(req, "starts_at");
    if (!*starts_at)
        *starts_at = "08:00";
    else if (!time_ok(*starts_at))
        req_field_error(req, "starts_at", _("Giờ bắt đầu viết dạng giờ:phút, ví dụ 08:00."));
    *ends_at = req_text(req, "ends_at");
    if (!*ends_at)
        *ends_at = "";
    else if (!time_ok(*ends_at))
        req_field_error(req, "ends_at", _("Giờ kết thúc viết dạng giờ:phút, ví dụ 11:30."));
    else if (time_ok(*starts_at) && strcmp(*ends_at, *starts_at) <= 0)
        req_field_error(req, "ends_at", _("Giờ kết thúc phải sau giờ bắt đầu (%s)."), *starts_at);
}

static const char *text_or(struct request *req, const char *name, const char *dflt)
{
    const char *t = req_text(req, name);
    return t ? t : dflt;
}

enum result conferences_create(struct request *req)
{
    int year;
    json_t *g = group_year_of_path(req, &year);
    if (!g)
        return req->err.code;
    const char *kind = req_text(req, "kind"), *held_on, *starts_at, *ends_at;
    if (!kind && !json_object_get(req->field_errors, "kind"))
        req_field_error(req, "kind", _("Hãy chọn loại hội nghị."));
    check_fields(req, year, &held_on, &starts_at, &ends_at);
    if (req_has_errors(req)) {
        form_model(req, g, year, NULL, true);
        json_decref(g);
        req->status = 422;
        req->template = "conferences/form";
        return OK;
    }
    const char *title = text_or(req, "title", default_title(req, kind, year));
    int64_t gid = conf_int(g, "id");
    json_decref(g);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO conferences (group_id, year, kind, title, held_on, starts_at, "
                 "ends_at, place, secretary, summary, created_by, created_at, updated_at) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, year);
    db_bind_text(s, 3, kind);
    db_bind_text(s, 4, title);
    db_bind_text(s, 5, held_on);
    db_bind_text(s, 6, starts_at);
    db_bind_text(s, 7, ends_at);
    db_bind_text(s, 8, text_or(req, "place", ""));
    db_bind_text(s, 9, text_or(req, "secretary", ""));
    db_bind_text(s, 10, text_or(req, "summary", ""));
    db_bind_int(s, 11, req->user->id);
    db_bind_text(s, 12, now);
    db_bind_text(s, 13, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    enum result rc = db_done(s) == DB_ERROR || !id ? E_DB : OK;
    if (rc == OK)
        rc = audit_commit(req, "create", "conference", id, NULL, conference_snapshot);
    json_t *c = rc == OK ? conference_get(req->db, id) : NULL;
    if (!c)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "conference", c);
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/conferences/%lld", (long long)id),
                        _("Đã tạo hội nghị. Hãy ghi thành phần dự họp."));
}

enum result conferences_show(struct request *req)
{
    json_t *c = conference_of_path(req, false);
    if (!c)
        return req->err.code;
    conference_page_model(req, c);
    json_decref(c);
    return OK;
}

enum result conferences_edit(struct request *req)
{
    json_t *c = conference_of_path(req, true);
    if (!c)
        return req->err.code;
    json_t *g = group_get(req->db, conf_int(c, "group_id"));
    form_model(req, g, (int)conf_int(c, "year"), c, false);
    json_decref(g);
    json_decref(c);
    return OK;
}

enum result conferences_update(struct request *req)
{
    json_t *c = conference_of_path(req, true);
    if (!c)
        return req->err.code;
    int64_t id = conf_int(c, "id");
    int year = (int)conf_int(c, "year");
    const char *held_on, *starts_at, *ends_at;
    enum result rc;
    check_fields(req, year, &held_on, &starts_at, &ends_at);
    if (!req_text(req, "title") && !json_object_get(req->field_errors, "title"))
        req_field_error(req, "title", _("Hãy nhập tên hội nghị."));
    bool fresh = conference_version_ok(req, c, true, &rc);
    if (rc != OK) {
        json_decref(c);
        return rc;
    }
    if (req_has_errors(req) || !fresh) {
        json_t *g = group_get(req->db, conf_int(c, "group_id"));
        form_model(req, g, year, c, true);
        json_decref(g);
        json_decref(c);
        req->status = 422;
        req->template = "conferences/form";
        return OK;
    }
    json_decref(c);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = conference_snapshot(req->db, id);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "UPDATE conferences SET title = ?, held_on = ?, starts_at = ?, ends_at = ?, "
                 "place = ?, secretary = ?, summary = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ? AND version = ? AND minutes_document_id IS NULL RETURNING id");
    db_bind_text(s, 1, req_text(req, "title"));
    db_bind_text(s, 2, held_on);
    db_bind_text(s, 3, starts_at);
    db_bind_text(s, 4, ends_at);
    db_bind_text(s, 5, text_or(req, "place", ""));
    db_bind_text(s, 6, text_or(req, "secretary", ""));
    db_bind_text(s, 7, text_or(req, "summary", ""));
    db_bind_text(s, 8, now);
    db_bind_int(s, 9, id);
    db_bind_int(s, 10, req_int(req, "version", 0));
    bool changed = db_step(s) == DB_ROW;
    rc = db_done(s) == DB_ERROR ? E_DB : changed ? OK : E_CONFLICT;
    if (rc == OK)
        rc = audit_commit(req, "update", "conference", id, before, conference_snapshot);
    else
        json_decref(before);
    if (rc == E_CONFLICT) {
        db_rollback(req->db);
        return conference_conflict(req, id);
    }
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "conference", conference_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/conferences/%lld", (long long)id),
                        _("Đã lưu thay đổi."));
}
