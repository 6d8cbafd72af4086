/* The pledge of a group's year (features/pledges.h): reading it, its page,
 * creating and editing it, and the Bản giao ước. Items, opening and signing
 * are in pledges_flow.c. */
#include "features/pledges.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/audit.h"
#include "features/doc_template_pages.h"
#include "features/groups.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

static const char *status_name(const char *status)
{
    if (strcmp(status, "open") == 0)
        return _("Đang ký kết");
    if (strcmp(status, "signed") == 0)
        return _("Đã ký đủ");
    return _("Dự thảo");
}

static json_t *items_of(struct db *db, int64_t pledge_id)
{
    struct db_stmt *s = db_query(
        db, "SELECT i.id, i.position, i.content, i.measure, i.target_x100, i.movement_target_id, "
            "m.id, m.name, t.name FROM pledge_items i LEFT JOIN movement_targets t ON t.id = "
            "i.movement_target_id LEFT JOIN movements m ON m.id = t.movement_id WHERE "
            "i.pledge_id = ? ORDER BY i.position, i.id");
    db_bind_int(s, 1, pledge_id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        bool has = !db_col_is_null(s, 4);
        char num[32] = "";
        if (has)
            bloc_format_x100(db_col_int(s, 4), num);
        const char *measure = db_col_text(s, 3);
        json_t *movement = db_col_is_null(s, 6)
                               ? json_null()
                               : json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, 6),
                                           "name", db_col_text(s, 7), "target_name",
                                           db_col_text(s, 8));
        json_t *item = json_pack(
            "{s:I,s:I,s:s,s:s,s:o,s:s?,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "n",
            (json_int_t)db_col_int(s, 1), "content", db_col_text(s, 2), "measure", measure,
            "target_x100", has ? json_integer(db_col_int(s, 4)) : json_null(), "target",
            has ? num : NULL, "movement_target_id",
            db_col_is_null(s, 5) ? json_null() : json_integer(db_col_int(s, 5)), "movement",
            movement);
        /* "15 mô hình", "100 %": the target as the document prints it */
        char *text = NULL;
        if (has) {
            size_t n = strlen(num) + strlen(measure) + 2;
            text = xmalloc(n);
            snprintf(text, n, *measure ? "%s %s" : "%s", num, measure);
        }
        json_object_set_new(item, "target_text", text ? json_string(text) : json_null());
        free(text);
        json_array_append_new(out, item);
    }
    db_done(s);
    return out;
}

static json_t *signatures_of(struct db *db, int64_t pledge_id)
{
    struct db_stmt *s = db_query(
        db, "SELECT s.unit_id, u.name, s.signer_name, s.signer_title, s.signed_on, s.user_id, "
            "s.created_at FROM pledge_signatures s JOIN units u ON u.id = s.unit_id WHERE "
            "s.pledge_id = ? ORDER BY u.sort_key, u.id");
    db_bind_int(s, 1, pledge_id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW) {
        char dmy[11];
        date_to_dmy(db_col_text(s, 4), dmy);
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "unit_id",
                           (json_int_t)db_col_int(s, 0), "unit_name", db_col_text(s, 1),
                           "signer_name", db_col_text(s, 2), "signer_title", db_col_text(s, 3),
                           "signed_on", db_col_text(s, 4), "signed_on_dmy", dmy, "user_id",
                           db_col_is_null(s, 5) ? json_null() : json_integer(db_col_int(s, 5)),
                           "created_at", db_col_text(s, 6)));
    }
    db_done(s);
    return out;
}

json_t *pledge_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(
        db, "SELECT p.id, p.group_id, p.year, p.title, p.basis, p.status, p.opened_on, "
            "p.signed_on, p.document_id, p.version, p.created_at, p.updated_at, g.name, g.code "
            "FROM pledges p JOIN emulation_groups g ON g.id = p.group_id WHERE p.id = ?");
    db_bind_int(s, 1, id);
    json_t *p = NULL;
    if (db_step(s) == DB_ROW) {
        char opened[11] = "", signed_on[11] = "";
        if (!db_col_is_null(s, 6))
            date_to_dmy(db_col_text(s, 6), opened);
        if (!db_col_is_null(s, 7))
            date_to_dmy(db_col_text(s, 7), signed_on);
        const char *status = db_col_text(s, 5);
        p = json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:s?,s:s,s:s?,s:s,s:o,s:I,"
                      "s:s,s:s}",
                      "id", (json_int_t)db_col_int(s, 0), "group_id", (json_int_t)db_col_int(s, 1),
                      "year", (json_int_t)db_col_int(s, 2), "group_name", db_col_text(s, 12),
                      "group_code", db_col_text(s, 13), "title", db_col_text(s, 3), "basis",
                      db_col_text(s, 4), "status", status, "is_draft",
                      strcmp(status, "draft") == 0, "is_open", strcmp(status, "open") == 0,
                      "is_signed", strcmp(status, "signed") == 0, "opened_on",
                      db_col_is_null(s, 6) ? NULL : db_col_text(s, 6), "opened_on_dmy", opened,
                      "signed_on", db_col_is_null(s, 7) ? NULL : db_col_text(s, 7),
                      "signed_on_dmy", signed_on, "document_id",
                      db_col_is_null(s, 8) ? json_null() : json_integer(db_col_int(s, 8)),
                      "version", (json_int_t)db_col_int(s, 9), "created_at", db_col_text(s, 10),
                      "updated_at", db_col_text(s, 11));
        json_object_set_new(p, "status_name", json_string(status_name(status)));
    }
    db_done(s);
    if (p) {
        json_object_set_new(p, "items", items_of(db, id));
        json_object_set_new(p, "signatures", signatures_of(db, id));
    }
    return p;
}

json_t *pledge_of_path(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *p = pledge_get(req->db, id);
    if (!p) {
        req_fail(req, E_NOTFOUND, NULL, _("Không có giao ước thi đua số hiệu %lld."),
                 (long long)id);
        return NULL;
    }
    if (!group_can_view_year(req, pledge_group(p), pledge_year(p))) {
        json_decref(p);
        req_fail(req, E_FORBIDDEN, NULL,
                 _("Đơn vị của bạn không là thành viên của khối, cụm thi đua này nên không xem "
                   "được giao ước của khối."));
        return NULL;
    }
    return p;
}

int64_t pledge_group(json_t *p)
{
    return json_integer_value(json_object_get(p, "group_id"));
}

int pledge_year(json_t *p)
{
    return (int)json_integer_value(json_object_get(p, "year"));
}

const char *pledge_status(json_t *p)
{
    return json_string_value(json_object_get(p, "status"));
}

enum result pledge_touch(struct db *db, int64_t id)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "UPDATE pledges SET version = version + 1, updated_at = ? "
                                     "WHERE id = ?");
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, id);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

void pledge_signature_counts(struct db *db, json_t *pledge, int *asked, int *signed_count,
                             char last[11])
{
    int64_t group = pledge_group(pledge);
    int year = pledge_year(pledge);
    /* a unit that left is not asked; one that joined late is (RULES.md §8) */
    struct db_stmt *s = db_query(db, "SELECT count(*) FROM group_members WHERE group_id = ? AND "
                                     "year = ? AND left_on IS NULL");
    db_bind_int(s, 1, group);
    db_bind_int(s, 2, year);
    *asked = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : 0;
    db_done(s);
    s = db_query(db, "SELECT count(*), max(s.signed_on) FROM pledge_signatures s JOIN "
                     "group_members m ON m.unit_id = s.unit_id AND m.group_id = ? AND m.year = ? "
                     "AND m.left_on IS NULL WHERE s.pledge_id = ?");
    db_bind_int(s, 1, group);
    db_bind_int(s, 2, year);
    db_bind_int(s, 3, json_integer_value(json_object_get(pledge, "id")));
    *signed_count = 0;
    last[0] = '\0';
    if (db_step(s) == DB_ROW) {
        *signed_count = (int)db_col_int(s, 0);
        snprintf(last, 11, "%s", db_col_text(s, 1));
    }
    db_done(s);
}

static json_t *signature_of(json_t *pledge, int64_t unit)
{
    size_t i;
    json_t *sig;
    json_array_foreach(json_object_get(pledge, "signatures"), i, sig)
    {
        if (json_integer_value(json_object_get(sig, "unit_id")) == unit)
            return sig;
    }
    return NULL;
}

/* The members of the year, each with its signature (or null) and whether
 * it is asked to sign. */
static json_t *members_with_signatures(struct request *req, json_t *pledge)
{
    json_t *members = group_members(req->db, pledge_group(pledge), pledge_year(pledge));
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        json_t *sig = signature_of(pledge, json_integer_value(json_object_get(m, "unit_id")));
        bool left = json_is_true(json_object_get(m, "left"));
        json_object_set(m, "signature", sig ? sig : json_null());
        json_object_set_new(m, "asked", json_boolean(!left));
        json_object_set_new(m, "late", json_boolean(!json_is_null(json_object_get(m, "joined_on"))));
    }
    return members;
}

/* Units the caller may sign for: their own (or one under it) that is a
 * member, has not left and has not signed. Only unit officers sign. */
static json_t *sign_units(struct request *req, json_t *members)
{
    json_t *out = json_array();
    if (!req->user || req->user->role != ROLE_UNIT)
        return out;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        int64_t unit = json_integer_value(json_object_get(m, "unit_id"));
        if (!json_is_true(json_object_get(m, "asked")) ||
            !json_is_null(json_object_get(m, "signature")) || !scope_has_unit(req, unit))
            continue;
        json_array_append_new(out, json_pack("{s:I,s:O,s:b}", "value", (json_int_t)unit, "name",
                                             json_object_get(m, "name"),
                                             "selected", unit == req->user->unit_id));
    }
    return out;
}

void pledge_show_model(struct request *req, json_t *pledge)
{
    json_t *m = req->model;
    int64_t group = pledge_group(pledge);
    int year = pledge_year(pledge);
    int64_t id = json_integer_value(json_object_get(pledge, "id"));
    json_object_set(m, "pledge", pledge);
    json_t *g = group_get(req->db, group);
    json_object_set_new(m, "group", g ? g : json_null());
    json_t *y = group_year_get(req->db, group, year);
    json_object_set_new(m, "group_year", y ? y : json_null());
    json_t *members = members_with_signatures(req, pledge);
    int asked, signed_count;
    char last[11];
    pledge_signature_counts(req->db, pledge, &asked, &signed_count, last);
    /* signed by all, then a unit joined: it is still to sign, late */
    json_object_set_new(m, "counts",
                        json_pack("{s:i,s:i,s:b,s:i}", "asked", asked, "signed", signed_count,
                                  "complete", asked > 0 && signed_count == asked, "late",
                                  strcmp(pledge_status(pledge), "signed") == 0 &&
                                          signed_count < asked
                                      ? asked - signed_count
                                      : 0));
    const char *status = pledge_status(pledge);
    bool draft = strcmp(status, "draft") == 0;
    bool manage = group_can_manage(req, group, year);
    size_t nitems = json_array_size(json_object_get(pledge, "items"));
    size_t nsigs = json_array_size(json_object_get(pledge, "signatures"));
    json_object_set_new(m, "can_manage", json_boolean(manage));
    json_object_set_new(m, "can_edit", json_boolean(manage && draft));
    json_object_set_new(m, "can_open", json_boolean(manage && draft && nitems > 0));
    json_object_set_new(m, "can_draft",
                        json_boolean(manage && strcmp(status, "open") == 0 && nsigs == 0));
    json_object_set_new(m, "has_items", json_boolean(nitems > 0));
    char today[11], dmy[11];
    date_today(today);
    date_to_dmy(today, dmy);
    json_object_set_new(m, "today_dmy", json_string(dmy));
    if (manage && draft) {
        json_object_set_new(m, "item_form",
                            json_pack("{s:s,s:s,s:s,s:o}", "content", "", "measure", "", "target",
                                      "", "targets", pledge_target_options(req->db, group, year, 0)));
    }
    json_t *units = sign_units(req, members);
    if (!draft && json_array_size(units) > 0)
        json_object_set_new(m, "sign_form",
                            json_pack("{s:o,s:s,s:s,s:s}", "units", units, "signer_name", "",
                                      "signer_title", "", "signed_on", dmy));
    else
        json_decref(units);
    /* admin and office record nothing for a unit: each officer signs */
    json_object_set_new(m, "sign_note",
                        json_boolean(!draft && req->user && req->user->role != ROLE_UNIT));
    json_object_set_new(m, "members", members);
    json_object_set_new(
        m, "links",
        json_pack("{s:s,s:s,s:s,s:s}", "docx",
                  arena_printf(req->arena, "/pledges/%lld/document.docx", (long long)id), "pdf",
                  arena_printf(req->arena, "/pledges/%lld/document.pdf", (long long)id), "group",
                  arena_printf(req->arena, "/groups/%lld", (long long)group), "year",
                  arena_printf(req->arena, "/groups/%lld/%d", (long long)group,
                               pledge_year(pledge))));
}

enum result pledge_show_again(struct request *req, json_t *pledge, const char *form, json_t *typed)
{
    pledge_show_model(req, pledge);
    if (form && typed) {
        json_t *f = json_object_get(req->model, form);
        /* a form the caller may not use stays away; error_list says why */
        if (f)
            json_object_update(f, typed);
    }
    json_decref(typed);
    /* the messages again in one list, for a form the page does not show */
    json_t *list = json_array();
    const char *field;
    json_t *msg;
    json_object_foreach(req->field_errors, field, msg)
    {
        json_array_append_new(list, json_pack("{s:s,s:O}", "field", field, "message", msg));
    }
    json_object_set_new(req->model, "has_error_list", json_boolean(json_array_size(list) > 0));
    json_object_set_new(req->model, "error_list", list);
    req->status = 422;
    req->template = "pledges/show";
    return OK;
}

enum result pledges_show(struct request *req)
{
    json_t *p = pledge_of_path(req);
    if (!p)
        return req->err.code;
    pledge_show_model(req, p);
    json_decref(p);
    return OK;
}

/* GET /groups/{id}/{year}/pledge: the year's pledge, if there is one. */
enum result pledges_of_group(struct request *req)
{
    json_t *g = group_of_path(req);
    if (!g)
        return req->err.code;
    json_decref(g);
    int year = (int)req_path_int(req, "year");
    int64_t id = pledge_id_of(req->db, req_path_int(req, "id"), year);
    if (!id)
        return req_fail(req, E_NOTFOUND, NULL,
                        _("Khối chưa có giao ước thi đua năm %d."), year);
    return req_redirect(req, arena_printf(req->arena, "/pledges/%lld", (long long)id), NULL);
}

int64_t pledge_id_of(struct db *db, int64_t group, int year)
{
    struct db_stmt *s = db_query(db, "SELECT id FROM pledges WHERE group_id = ? AND year = ?");
    db_bind_int(s, 1, group);
    db_bind_int(s, 2, year);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    return id;
}

/* The group and year of the path when the caller may manage that year;
 * NULL after failing the request. */
static json_t *managed_group_of_path(struct request *req, int *year)
{
    json_t *g = group_of_path(req);
    if (!g)
        return NULL;
    *year = (int)req_path_int(req, "year");
    if (group_require_manage(req, req_path_int(req, "id"), *year) != OK) {
        json_decref(g);
        return NULL;
    }
    json_t *y = group_year_get(req->db, req_path_int(req, "id"), *year);
    if (!y) {
        json_decref(g);
        req_fail(req, E_NOTFOUND, NULL,
                 _("Khối, cụm thi đua chưa có danh sách thành viên năm %d; hãy lập năm đó "
                   "trước."),
                 *year);
        return NULL;
    }
    json_decref(y);
    return g;
}

static const char *default_title(struct request *req, json_t *group, int year)
{
    return arena_printf(req->arena, _("Giao ước thi đua năm %d của %s"), year,
                        json_string_value(json_object_get(group, "name")));
}

/* The pledge that already exists: 409 with a link to it. */
static enum result already_exists(struct request *req, int64_t id, int year)
{
    const char *where = arena_printf(req->arena, "/pledges/%lld", (long long)id);
    const char *msg = arena_printf(req->arena,
                                   _("Khối đã có giao ước thi đua năm %d; mỗi năm chỉ một bản. "
                                     "Hãy mở giao ước đó để sửa."),
                                   year);
    json_object_set_new(req->model, "error",
                        json_pack("{s:i,s:s}", "status", 409, "message", msg));
    json_object_set_new(req->model, "location", json_string(where));
    json_object_set_new(req->model, "existing_id", json_integer(id));
    req->status = 409;
    req->template = "pledges/exists";
    return OK;
}

static void form_model(struct request *req, json_t *group, int year, json_t *typed, bool creating)
{
    json_object_set_new(req->model, "pledge", typed);
    json_object_set(req->model, "group", group);
    json_object_set_new(req->model, "year", json_integer(year));
    json_object_set_new(req->model, "creating", json_boolean(creating));
    json_object_set_new(req->model, "action",
                        json_string(creating ? arena_printf(req->arena, "/groups/%lld/%d/pledge",
                                                            (long long)json_integer_value(
                                                                json_object_get(group, "id")),
                                                            year)
                                             : arena_printf(req->arena, "/pledges/%lld",
                                                            (long long)json_integer_value(
                                                                json_object_get(typed, "id")))));
}

enum result pledges_new(struct request *req)
{
    int year;
    json_t *g = managed_group_of_path(req, &year);
    if (!g)
        return req->err.code;
    int64_t existing = pledge_id_of(req->db, req_path_int(req, "id"), year);
    if (existing) {
        json_decref(g);
        return already_exists(req, existing, year);
    }
    bool last_year = pledge_id_of(req->db, req_path_int(req, "id"), year - 1) != 0;
    form_model(req, g,  year,
               json_pack("{s:s,s:s,s:b,s:b}", "title", default_title(req, g, year), "basis", "",
                         "copy", false, "can_copy", last_year),
               true);
    json_decref(g);
    return OK;
}

enum result pledges_create(struct request *req)
{
    int year;
    json_t *g = managed_group_of_path(req, &year);
    if (!g)
        return req->err.code;
    int64_t group = req_path_int(req, "id");
    const char *title = req_text(req, "title");
    const char *basis = req_text(req, "basis");
    bool copy = req_text(req, "copy") && strcmp(req_text(req, "copy"), "yes") == 0;
    if (!title)
        title = default_title(req, g, year);
    if (db_begin(req->db) != OK) {
        json_decref(g);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    int64_t existing = pledge_id_of(req->db, group, year);
    if (existing) {
        db_rollback(req->db);
        json_decref(g);
        return already_exists(req, existing, year);
    }
    int64_t previous = copy ? pledge_id_of(req->db, group, year - 1) : 0;
    if (copy && !previous)
        req_field_error(req, "copy", _("Năm %d khối chưa có giao ước để chép nội dung."),
                        year - 1);
    if (req_has_errors(req)) {
        db_rollback(req->db);
        form_model(req, g, year,
                   json_pack("{s:s,s:s,s:b,s:b}", "title", title, "basis", basis ? basis : "",
                             "copy", copy, "can_copy", previous != 0),
                   true);
        json_decref(g);
        req->status = 422;
        req->template = "pledges/form";
        return OK;
    }
    json_decref(g);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "INSERT INTO pledges (group_id, year, title, basis, "
                                          "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                                          "RETURNING id");
    db_bind_int(s, 1, group);
    db_bind_int(s, 2, year);
    db_bind_text(s, 3, title);
    db_bind_text(s, 4, basis ? basis : "");
    db_bind_text(s, 5, now);
    db_bind_text(s, 6, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    enum result rc = db_done(s) == DB_ERROR || !id ? E_DB : OK;
    if (rc == OK && previous) {
        /* the wording and targets carry over; the links to last year's
         * movements do not (a target belongs to its own year's movement) */
        s = db_query(req->db, "INSERT INTO pledge_items (pledge_id, position, content, measure, "
                              "target_x100) SELECT ?, position, content, measure, target_x100 "
                              "FROM pledge_items WHERE pledge_id = ?");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, previous);
        rc = db_run(s) == DB_DONE ? OK : E_DB;
    }
    if (rc == OK)
        rc = audit_commit(req, "create", "pledge", id, NULL, pledge_get);
    else
        db_rollback(req->db);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "pledge", pledge_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/pledges/%lld", (long long)id),
                        _("Đã lập giao ước thi đua (dự thảo). Hãy thêm các nội dung giao ước."));
}

/* The pledge of the path when the caller may manage it and it is still a
 * draft; NULL after failing the request. */
json_t *pledge_for_edit(struct request *req)
{
    json_t *p = pledge_of_path(req);
    if (!p)
        return NULL;
    if (group_require_manage(req, pledge_group(p), pledge_year(p)) != OK) {
        json_decref(p);
        return NULL;
    }
    if (strcmp(pledge_status(p), "draft") != 0) {
        json_decref(p);
        req_fail(req, E_CONFLICT, NULL,
                 _("Giao ước đã mở để các đơn vị ký nên không sửa được nữa; khi chưa đơn vị "
                   "nào ký, có thể đưa giao ước về dự thảo rồi sửa."));
        return NULL;
    }
    return p;
}

enum result pledges_edit(struct request *req)
{
    json_t *p = pledge_for_edit(req);
    if (!p)
        return req->err.code;
    json_t *g = group_get(req->db, pledge_group(p));
    form_model(req, g, pledge_year(p), p, false);
    json_decref(g);
    return OK;
}

enum result pledges_update(struct request *req)
{
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *p = pledge_for_edit(req);
    if (!p) {
        db_rollback(req->db);
        return req->err.code;
    }
    const char *title = req_text(req, "title"), *basis = req_text(req, "basis");
    int64_t id = json_integer_value(json_object_get(p, "id"));
    if (!req_value(req, "version"))
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
    if (!title)
        req_field_error(req, "title", _("Hãy nhập tên giao ước."));
    if (req_has_errors(req)) {
        db_rollback(req->db);
        json_t *g = group_get(req->db, pledge_group(p));
        json_t *typed = json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)id, "title",
                                  title ? title : "", "basis", basis ? basis : "", "version",
                                  (json_int_t)req_int(req, "version", 0));
        form_model(req, g, pledge_year(p), typed, false);
        json_decref(g);
        json_decref(p);
        req->status = 422;
        req->template = "pledges/form";
        return OK;
    }
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(req->db, "UPDATE pledges SET title = ?, basis = ?, version = "
                                          "version + 1, updated_at = ? WHERE id = ? AND version = "
                                          "? RETURNING id");
    db_bind_text(s, 1, title);
    db_bind_text(s, 2, basis ? basis : "");
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    db_bind_int(s, 5, req_int(req, "version", 0));
    bool changed = db_step(s) == DB_ROW;
    enum result rc = db_done(s) == DB_ERROR ? E_DB : changed ? OK : E_CONFLICT;
    if (rc == OK) {
        if (audit_commit(req, "update", "pledge", id, p, pledge_get) != OK)
            return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
        json_object_set_new(req->model, "pledge", pledge_get(req->db, id));
        return req_redirect(req, arena_printf(req->arena, "/pledges/%lld", (long long)id),
                            _("Đã lưu thay đổi."));
    }
    db_rollback(req->db);
    json_decref(p);
    if (rc == E_CONFLICT)
        return req_fail(req, E_CONFLICT, "version",
                        _("Giao ước vừa được người khác sửa. Hãy mở lại trang để xem bản mới "
                          "nhất rồi sửa lại."));
    return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
}

/* "Bắc Ninh" of the province the database was set up for ("Tỉnh Bắc Ninh"). */
static const char *place_of(struct request *req)
{
    struct db_stmt *s = db_query(req->db, "SELECT value FROM meta WHERE key = 'province'");
    const char *place = NULL;
    if (db_step(s) == DB_ROW)
        place = arena_strdup(req->arena, db_col_text(s, 0));
    db_done(s);
    static const char *const prefixes[] = {"Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ", NULL};
    for (int i = 0; place && prefixes[i]; i++)
        if (strncmp(place, prefixes[i], strlen(prefixes[i])) == 0)
            place += strlen(prefixes[i]);
    return place && *place ? place : "……";
}

static const char *upper(struct request *req, const char *s)
{
    char *u = text_upper(s ? s : "");
    const char *out = arena_strdup(req->arena, u ? u : "");
    free(u);
    return out;
}

/* The model of the giao_uoc document template (doctemplates/samples). */
static json_t *document_model(struct request *req, json_t *p)
{
    int64_t group = pledge_group(p);
    int year = pledge_year(p);
    json_t *g = group_get(req->db, group);
    json_t *y = group_year_get(req->db, group, year);
    json_t *head = y ? json_object_get(y, "head") : NULL;
    const char *group_name = json_string_value(json_object_get(g, "name"));
    /* the head unit issues the bloc's documents under its own name (RULES.md §8.2) */
    json_t *issuer =
        head && json_is_object(head)
            ? json_pack("{s:s,s:s,s:O}", "parent", upper(req, group_name), "name",
                        upper(req, json_string_value(json_object_get(head, "name"))),
                        "name_sentence", json_object_get(head, "name"))
            : json_pack("{s:n,s:s,s:s}", "parent", "name", upper(req, group_name),
                        "name_sentence", group_name);
    char today[11];
    date_today(today);
    const char *date = json_string_value(json_object_get(p, "signed_on"));
    if (!date)
        date = json_string_value(json_object_get(p, "opened_on"));
    if (!date)
        date = today;
    /* the kind line says "BẢN GIAO ƯỚC THI ĐUA"; the subject is the rest */
    const char *title = json_string_value(json_object_get(p, "title"));
    const char *prefix = _("Giao ước thi đua năm ");
    const char *subject = strncmp(title, prefix, strlen(prefix)) == 0
                              ? arena_printf(req->arena, _("Năm %s"), title + strlen(prefix))
                              : title;
    const char *basis = json_string_value(json_object_get(p, "basis"));
    if (!basis || !*basis)
        basis = arena_printf(req->arena, _("nhiệm vụ chính trị và phong trào thi đua năm %d"),
                             year);
    json_t *items = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(p, "items"), i, it)
    {
        /* the template ends each item with its own full stop, after the target */
        const char *content = json_string_value(json_object_get(it, "content"));
        size_t len = strlen(content);
        while (len > 0 && (content[len - 1] == '.' || content[len - 1] == ';' ||
                           content[len - 1] == ' '))
            len--;
        json_array_append_new(items,
                              json_pack("{s:O,s:s%,s:O}", "n", json_object_get(it, "n"), "text",
                                        content, len, "target",
                                        json_object_get(it, "target_text")));
    }
    json_t *members = members_with_signatures(req, p), *blocks = json_array();
    json_t *m;
    int copies = 1;
    json_array_foreach(members, i, m)
    {
        json_t *sig = json_object_get(m, "signature");
        bool signed_it = json_is_object(sig);
        /* a unit that left is not asked; its signature, if given, stays */
        if (!json_is_true(json_object_get(m, "asked")) && !signed_it)
            continue;
        copies++;
        json_array_append_new(
            blocks,
            json_pack("{s:O,s:s,s:s,s:s}", "unit", json_object_get(m, "name"), "prefix", "",
                      "title",
                      signed_it ? upper(req, json_string_value(json_object_get(sig, "signer_title")))
                                : "",
                      "signer",
                      signed_it ? json_string_value(json_object_get(sig, "signer_name")) : ""));
    }
    json_decref(members);
    json_t *model = json_pack(
        "{s:o,s:s,s:s,s:s,s:s,s:{s:s},s:i,s:i,s:O,s:o,s:o}", "issuer", issuer, "place",
        place_of(req), "date", date, "subject", subject, "basis", basis, "group", "name",
        group_name, "year", year, "copies", copies, "organiser", json_object_get(g, "organiser"),
        "items", items, "members", blocks);
    /* a pledge not yet open is printed for discussion, marked as a draft */
    json_object_set_new(model, "draft", json_boolean(strcmp(pledge_status(p), "draft") == 0));
    json_decref(g);
    json_decref(y);
    return model;
}

static enum result send_document(struct request *req, bool pdf)
{
    json_t *p = pledge_of_path(req);
    if (!p)
        return req->err.code;
    json_t *model = document_model(req, p);
    const char *base = arena_printf(req->arena, "giao-uoc-thi-dua-%d-%lld", pledge_year(p),
                                    (long long)pledge_group(p));
    json_decref(p);
    enum result rc = doc_send(req, "giao_uoc", model, pdf, base);
    json_decref(model);
    return rc;
}

enum result pledges_document_docx(struct request *req)
{
    return send_document(req, false);
}

enum result pledges_document_pdf(struct request *req)
{
    return send_document(req, true);
}
