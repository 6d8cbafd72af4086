/* News for the public portal: /news … An article is a draft until the office
 * publishes it; the public sees only published ones, and a draft's address
 * answers 404 to them as if it did not exist. The head unit of a group may
 * draft from its conference (features/news_draft.c); the office edits and
 * publishes. */
#include "features/news.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/groups.h"
#include "features/listing.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "text/slug.h"
#include "text/text.h"

#define NEWS_COLUMNS                                                                         \
    "id, slug, title, summary, body, conference_id, status, published_on, version, "         \
    "created_at, updated_at"

static bool is_office(const struct request *req)
{
    return req->user && (req->user->role & (ROLE_ADMIN | ROLE_OFFICE));
}

/* The body as paragraphs (split on blank lines) of lines, so the page shows
 * it with <p> and <br> while every character goes through the escaping
 * template: no markup is ever taken from the body. */
static json_t *paragraphs_of(const char *body)
{
    json_t *out = json_array(), *lines = NULL;
    const char *p = body;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t k = n;
        while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
            k--;
        size_t lead = 0;
        while (lead < k && (p[lead] == ' ' || p[lead] == '\t'))
            lead++;
        if (lead == k) {
            lines = NULL; /* a blank line ends the paragraph */
        } else {
            if (!lines) {
                lines = json_array();
                json_array_append_new(out, json_pack("{s:o}", "lines", lines));
            }
            json_array_append_new(lines, json_pack("{s:s%,s:b}", "text", p + lead, k - lead,
                                                   "first", json_array_size(lines) == 0));
        }
        p += n + (end ? 1 : 0);
    }
    return out;
}

static json_t *news_row(struct db_stmt *s)
{
    char dmy[11];
    date_to_dmy(db_col_text(s, 7), dmy);
    const char *status = db_col_text(s, 6);
    bool published = strcmp(status, "published") == 0;
    json_t *n = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:b,s:s?,s:s,s:I,s:s,s:s}", "id",
        (json_int_t)db_col_int(s, 0), "slug", db_col_text(s, 1), "title", db_col_text(s, 2),
        "summary", db_col_text(s, 3), "body", db_col_text(s, 4), "paragraphs",
        paragraphs_of(db_col_text(s, 4)), "conference_id",
        db_col_is_null(s, 5) ? json_null() : json_integer(db_col_int(s, 5)), "status", status,
        "status_name", published ? _("Đã đăng") : _("Bản nháp"), "published", published,
        "published_on", db_col_is_null(s, 7) ? NULL : db_col_text(s, 7), "published_on_dmy", dmy,
        "version", (json_int_t)db_col_int(s, 8), "created_at", db_col_text(s, 9), "updated_at",
        db_col_text(s, 10));
    /* the public address: what links and the JSON's clients follow */
    struct buf url = BUF_INIT;
    buf_adds(&url, "/news/");
    buf_adds(&url, db_col_text(s, 1));
    json_object_set_new(n, "url", json_string(buf_cstr(&url)));
    buf_free(&url);
    return n;
}

json_t *news_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT " NEWS_COLUMNS " FROM news WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *n = db_step(s) == DB_ROW ? news_row(s) : NULL;
    db_done(s);
    return n;
}

static bool slug_taken(struct db *db, const char *slug, int64_t self)
{
    struct db_stmt *s = db_query(db, "SELECT id FROM news WHERE slug = ? AND id <> ?");
    db_bind_text(s, 1, slug);
    db_bind_int(s, 2, self);
    bool taken = db_step(s) == DB_ROW;
    db_done(s);
    return taken;
}

/* "new" is the page for a new article: an article there could not be reached */
static bool slug_reserved(const char *slug)
{
    return strcmp(slug, "new") == 0;
}

const char *news_unique_slug(struct request *req, const char *title, int64_t self)
{
    char *base = text_slug(title, NEWS_SLUG_MAX);
    const char *slug = arena_strdup(req->arena, *base ? base : "tin-tuc");
    free(base);
    for (int n = 2; slug_taken(req->db, slug, self) || slug_reserved(slug); n++) {
        char suffix[24];
        snprintf(suffix, sizeof suffix, "-%d", n);
        /* the number must fit too: the title part gives way, at a word's end */
        char *cut = text_slug(title, NEWS_SLUG_MAX - strlen(suffix));
        slug = arena_printf(req->arena, "%s%s", *cut ? cut : "tin-tuc", suffix);
        free(cut);
    }
    return slug;
}

/* --- the list and the article ---------------------------------------------- */

enum result news_list(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    bool office = is_office(req);
    /* the public sees published articles whatever the filter says */
    const char *status = office ? req_text(req, "status") : "published";
    int64_t page = req_int(req, "page", 1), per_page = req_int(req, "per_page", 20);
    const char *where = status ? " WHERE status = ?" : "";
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        /* drafts first (the office's work), then the newest published */
        struct db_stmt *s = db_query(
            req->db,
            pass == 0 ? arena_printf(req->arena, "SELECT count(*) FROM news%s", where)
                      : arena_printf(req->arena,
                                     "SELECT " NEWS_COLUMNS " FROM news%s ORDER BY CASE WHEN "
                                     "status = 'draft' THEN 0 ELSE 1 END, published_on DESC, "
                                     "updated_at DESC, id DESC LIMIT ? OFFSET ?",
                                     where));
        int i = 1;
        if (status)
            db_bind_text(s, i++, status);
        if (pass == 1) {
            db_bind_int(s, i++, per_page);
            db_bind_int(s, i, (page - 1) * per_page);
        }
        while (db_step(s) == DB_ROW) {
            if (pass == 0) {
                total = db_col_int(s, 0);
                continue;
            }
            json_t *n = news_row(s);
            /* a list carries no bodies: the summary and the link are enough */
            json_object_del(n, "body");
            json_object_del(n, "paragraphs");
            json_object_set_new(n, "edit_url",
                                json_string(office ? arena_printf(req->arena, "/news/%lld/edit",
                                                                  (long long)json_integer_value(
                                                                      json_object_get(n, "id")))
                                                   : ""));
            json_array_append_new(items, n);
        }
        if (db_done(s) == DB_ERROR) {
            json_decref(items);
            return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
        }
    }
    json_t *m = req->model;
    json_object_set_new(m, "items", items);
    json_object_set_new(m, "total", json_integer(total));
    json_object_set_new(m, "can_edit", json_boolean(office));
    static const char *const texts[] = {"status", NULL};
    static const char *const ints[] = {"per_page", NULL};
    json_t *query = listing_query(req, texts, ints);
    if (!office)
        json_object_set_new(query, "status", json_null());
    json_object_set(m, "query", query);
    static const char *const values[] = {"draft", "published", NULL};
    static const char *const names[] = {N_("Bản nháp"), N_("Đã đăng"), NULL};
    json_object_set_new(m, "statuses", listing_choices(status, values, names));
    static const char *const no_sort[] = {NULL};
    listing_page_model(req, m, "/news", query, total, page, per_page, no_sort, "");
    json_decref(query);
    return OK;
}

static int64_t created_by_of(struct db *db, int64_t id)
{
    return db_scalar_int_arg(db, "SELECT COALESCE(created_by, 0) FROM news WHERE id = ?", id);
}

enum result news_show(struct request *req)
{
    const char *slug = req->path_texts[0];
    int64_t id = 0;
    struct db_stmt *s = db_query(req->db, "SELECT id FROM news WHERE slug = ?");
    db_bind_text(s, 1, slug ? slug : "");
    if (db_step(s) == DB_ROW)
        id = db_col_int(s, 0);
    db_done(s);
    json_t *n = id ? news_get(req->db, id) : NULL;
    /* a draft is read by the office, the admin and the one who drafted it
     * (a head unit's officer checking what they sent); to anyone else it
     * does not exist yet */
    bool preview = n && !json_is_true(json_object_get(n, "published"));
    if (preview && !is_office(req) && !(req->user && created_by_of(req->db, id) == req->user->id)) {
        json_decref(n);
        n = NULL;
    }
    if (!n)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bản tin này, hoặc bản tin chưa được "
                                                 "đăng."));
    json_object_set_new(req->model, "news", n);
    json_object_set_new(req->model, "preview", json_boolean(preview));
    json_object_set_new(req->model, "can_edit", json_boolean(is_office(req)));
    return OK;
}

/* --- writing ----------------------------------------------------------------- */

static void form_model(struct request *req, json_t *n, bool creating)
{
    json_object_set(req->model, "news", n);
    json_object_set_new(req->model, "creating", json_boolean(creating));
    char today[11], dmy[11];
    date_today(today);
    date_to_dmy(today, dmy);
    /* what was typed stays in the field: a valid date as people write it */
    const struct param_value *v = req_value(req, "published_on");
    if (v && v->present && v->text) {
        char typed[11];
        date_to_dmy(v->text, typed);
        json_object_set_new(req->model, "publish_on", json_string(typed[0] ? typed : v->text));
    } else {
        json_object_set_new(req->model, "publish_on", json_string(dmy));
    }
}

/* The form again with what was typed and a message beside each field. */
static enum result show_again(struct request *req, int64_t id)
{
    json_t *n = id ? news_get(req->db, id) : json_object();
    if (!n)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bản tin số %lld."), (long long)id);
    const char *fields[] = {"title", "slug", "summary", "body"};
    for (int i = 0; i < 4; i++) {
        const struct param_value *v = req_value(req, fields[i]);
        json_object_set_new(n, fields[i], json_string(v && v->text ? v->text : ""));
    }
    json_object_set_new(n, "version", json_integer(req_int(req, "version", 0)));
    form_model(req, n, id == 0);
    json_decref(n);
    req->status = 422;
    req->template = "news/form";
    return OK;
}

enum result news_new(struct request *req)
{
    json_t *n = json_pack("{s:s,s:s,s:s,s:s,s:i}", "title", "", "slug", "", "summary", "", "body",
                          "", "version", 0);
    form_model(req, n, true);
    json_decref(n);
    return OK;
}

enum result news_edit(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *n = news_get(req->db, id);
    if (!n)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bản tin số %lld."), (long long)id);
    form_model(req, n, false);
    json_decref(n);
    return OK;
}

/* Checks title, body and slug of the form (inside the write transaction, so
 * a slug found free stays free until the commit). Returns the slug to store:
 * the one typed; else current (an edit), or one made from the title (a new
 * article). */
static const char *check_input(struct request *req, int64_t self, const char *current)
{
    const char *title = req_text(req, "title"), *body = req_text(req, "body");
    const char *slug = req_text(req, "slug");
    if (!title)
        req_field_error(req, "title", _("Hãy nhập tiêu đề bản tin."));
    if (!body)
        req_field_error(req, "body", _("Hãy nhập nội dung bản tin."));
    if (slug) {
        if (!text_slug_valid(slug, NEWS_SLUG_MAX))
            req_field_error(req, "slug",
                            _("Địa chỉ bản tin chỉ gồm chữ thường không dấu (a-z), chữ số và dấu - "
                              "giữa các từ, không quá %d ký tự, ví dụ khoi-mttq-so-ket-2026."),
                            NEWS_SLUG_MAX);
        else if (slug_reserved(slug))
            req_field_error(req, "slug", _("Địa chỉ \"%s\" dành cho trang viết bản tin mới; hãy "
                                           "chọn địa chỉ khác."),
                            slug);
        else if (slug_taken(req->db, slug, self))
            req_field_error(req, "slug", _("Địa chỉ \"%s\" đã được dùng cho bản tin khác."), slug);
        return slug;
    }
    if (current)
        return current; /* an article keeps its address unless a new one is typed */
    return title ? news_unique_slug(req, title, self) : NULL;
}

enum result news_create(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được bản tin (lỗi cơ sở dữ liệu)."));
    const char *slug = check_input(req, 0, NULL);
    if (req_has_errors(req)) {
        db_rollback(req->db);
        return show_again(req, 0);
    }
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO news (slug, title, summary, body, status, created_by, created_at, "
                 "updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, slug);
    db_bind_text(s, 2, req_text(req, "title"));
    db_bind_text(s, 3, req_text(req, "summary") ? req_text(req, "summary") : "");
    db_bind_text(s, 4, req_text(req, "body"));
    db_bind_int(s, 5, req->user->id);
    db_bind_text(s, 6, now);
    db_bind_text(s, 7, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    enum result rc = db_done(s) == DB_ERROR || !id ? E_DB : OK;
    if (rc == OK)
        rc = audit_commit(req, "create", "news", id, NULL, news_get);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được bản tin (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "news", news_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/news/%lld/edit", (long long)id),
                        _("Đã lưu bản nháp. Bản tin chỉ hiện ra công khai sau khi đăng."));
}

static enum result conflict(struct request *req)
{
    return req_fail(req, E_CONFLICT, "version",
                    _("Bản tin này vừa được người khác sửa. Hãy mở lại trang sửa để xem bản mới "
                      "nhất rồi sửa lại."));
}

enum result news_update(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    if (!req_value(req, "version") || !req_value(req, "version")->present)
        req_field_error(req, "version", _("Thiếu số phiên bản của bản tin đang sửa (version)."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được bản tin (lỗi cơ sở dữ liệu)."));
    json_t *before = news_get(req->db, id);
    if (!before) {
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bản tin số %lld."), (long long)id);
    }
    const char *slug = check_input(
        req, id, arena_strdup(req->arena, json_string_value(json_object_get(before, "slug"))));
    if (req_has_errors(req)) {
        json_decref(before);
        db_rollback(req->db);
        return show_again(req, id);
    }
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "UPDATE news SET slug = ?, title = ?, summary = ?, body = ?, version = version + "
                 "1, updated_at = ? WHERE id = ? AND version = ? RETURNING id");
    db_bind_text(s, 1, slug);
    db_bind_text(s, 2, req_text(req, "title"));
    db_bind_text(s, 3, req_text(req, "summary") ? req_text(req, "summary") : "");
    db_bind_text(s, 4, req_text(req, "body"));
    db_bind_text(s, 5, now);
    db_bind_int(s, 6, id);
    db_bind_int(s, 7, req_int(req, "version", 0));
    bool changed = db_step(s) == DB_ROW;
    enum result rc = db_done(s) == DB_ERROR ? E_DB : changed ? OK : E_CONFLICT;
    if (rc == OK)
        rc = audit_commit(req, "update", "news", id, before, news_get);
    else
        json_decref(before);
    if (rc == E_CONFLICT) {
        db_rollback(req->db);
        return conflict(req);
    }
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được bản tin (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "news", news_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/news/%lld/edit", (long long)id),
                        _("Đã lưu thay đổi."));
}

/* Publishing and withdrawing: one change of status, with the version check
 * when the form sent one (the buttons of the edit page do). */
static enum result set_status(struct request *req, bool publish)
{
    int64_t id = req_path_int(req, "id");
    char today[11];
    date_today(today);
    const char *on = publish ? req_text(req, "published_on") : NULL;
    if (on && !json_object_get(req->field_errors, "published_on") && strcmp(on, today) > 0) {
        char dmy[11];
        date_to_dmy(today, dmy);
        req_field_error(req, "published_on", _("Ngày đăng không được sau hôm nay (%s)."), dmy);
    }
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = news_get(req->db, id);
    if (!before) {
        db_rollback(req->db);
        return req_fail(req, E_NOTFOUND, NULL, _("Không có bản tin số %lld."), (long long)id);
    }
    if (req_has_errors(req)) {
        db_rollback(req->db);
        form_model(req, before, false);
        json_decref(before);
        req->status = 422;
        req->template = "news/form";
        return OK;
    }
    const struct param_value *v = req_value(req, "version");
    if (v && v->present && v->num != json_integer_value(json_object_get(before, "version"))) {
        json_decref(before);
        db_rollback(req->db);
        return conflict(req);
    }
    bool was = json_is_true(json_object_get(before, "published"));
    const char *back = arena_printf(req->arena, "/news/%lld/edit", (long long)id);
    if (!publish && !was) {
        json_decref(before);
        db_rollback(req->db);
        json_object_set_new(req->model, "news", news_get(req->db, id));
        return req_redirect(req, back, _("Bản tin này chưa đăng."));
    }
    /* publishing again keeps the first date unless another is given */
    const char *old_on = json_string_value(json_object_get(before, "published_on"));
    const char *date = !publish ? NULL : on ? on : was && old_on ? old_on : today;
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "UPDATE news SET status = ?, published_on = ?, version "
                                          "= version + 1, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, publish ? "published" : "draft");
    db_bind_text(s, 2, date);
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    enum result rc = db_run(s) == DB_DONE ? OK : E_DB;
    if (rc == OK)
        rc = audit_commit(req, publish ? "publish" : "unpublish", "news", id, before, news_get);
    else
        json_decref(before);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *n = news_get(req->db, id);
    const char *flash =
        publish ? arena_printf(req->arena, _("Đã đăng bản tin tại %s."),
                               json_string_value(json_object_get(n, "url")))
                : _("Đã gỡ bản tin khỏi trang công khai; bản tin trở lại là bản nháp.");
    json_object_set_new(req->model, "news", n);
    return req_redirect(req, back, flash);
}

enum result news_publish(struct request *req)
{
    return set_status(req, true);
}

enum result news_unpublish(struct request *req)
{
    return set_status(req, false);
}

/* --- drafting from a conference ------------------------------------------------ */

enum result news_draft_from_conference(struct request *req)
{
    int64_t cid = req_path_int(req, "id");
    int64_t group = 0;
    int year = 0;
    enum result rc = news_draft_read_group(req->db, cid, &group, &year);
    if (rc == E_NOTFOUND)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có hội nghị số %lld."), (long long)cid);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    /* the office, or the head or deputy unit of that group's year; checked
     * before anything of the conference is read or told */
    if (group_require_manage(req, group, year) != OK)
        return E_FORBIDDEN;
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được bản tin (lỗi cơ sở dữ liệu)."));
    struct news_draft d;
    struct err e = {0};
    rc = news_draft_compose(req, cid, &d, &e);
    if (rc == OK && text_length(d.body) > NEWS_BODY_MAX)
        rc = err_set(&e, E_INVALID, "conference",
                     _("Bản tin soạn từ hội nghị này dài quá %d ký tự; hãy rút gọn phần tóm tắt "
                       "của hội nghị rồi soạn lại."),
                     NEWS_BODY_MAX);
    if (rc == E_INVALID) {
        db_rollback(req->db);
        req_field_error(req, "conference", "%s", e.msg);
        json_object_set_new(req->model, "message", json_string(e.msg));
        json_object_set_new(req->model, "conference_id", json_integer(cid));
        req->status = 422;
        return OK;
    }
    if (rc != OK) {
        db_rollback(req->db);
        return req_fail(req, rc, NULL, "%s", e.msg);
    }
    const char *slug = news_unique_slug(req, d.title, 0);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO news (slug, title, summary, body, conference_id, status, "
                 "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?) "
                 "RETURNING id");
    db_bind_text(s, 1, slug);
    db_bind_text(s, 2, d.title);
    db_bind_text(s, 3, d.summary);
    db_bind_text(s, 4, d.body);
    db_bind_int(s, 5, cid);
    db_bind_int(s, 6, req->user->id);
    db_bind_text(s, 7, now);
    db_bind_text(s, 8, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    rc = db_done(s) == DB_ERROR || !id
             ? (db_last_was_unique_violation(req->db) ? E_CONFLICT : E_DB)
             : OK;
    if (rc == OK)
        rc = audit_commit(req, "create", "news", id, NULL, news_get);
    if (rc == E_CONFLICT) {
        /* another draft took the same address in the meantime */
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, NULL,
                        _("Cùng lúc có bản tin khác được soạn với địa chỉ này; hãy thử lại."));
    }
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được bản tin (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "news", news_get(req->db, id));
    req->status = 201;
    /* the office goes on editing; a unit officer may not, and reads the draft */
    const char *next = is_office(req) ? arena_printf(req->arena, "/news/%lld/edit", (long long)id)
                                      : arena_printf(req->arena, "/news/%s", slug);
    return req_redirect(req, next,
                        is_office(req)
                            ? _("Đã soạn bản tin nháp từ hội nghị. Hãy đọc lại, sửa rồi đăng.")
                            : _("Đã soạn bản tin nháp từ hội nghị và gửi cơ quan thường trực "
                                "biên tập, đăng tải."));
}
