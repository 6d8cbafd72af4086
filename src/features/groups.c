/* The register of emulation groups: /groups … (list, create, show, edit,
 * start a year). The year of a group — members, head and deputy, handover
 * and the timeline — is features/group_year.c. */
#include "features/groups.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/listing.h"
#include "features/registry.h"
#include "features/scope.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "text/text.h"

static const char *const kinds[] = {"khoi", "cum", NULL};
static const char *const kind_names[] = {N_("Khối thi đua"), N_("Cụm thi đua"), NULL};

static int this_year(void)
{
    char today[11];
    date_today(today);
    return atoi(today);
}

/* Groups are few (tens in a province), so the list is read whole, filtered
 * by the folded name here (marks and đ ignored alike on both databases) and
 * paged in memory. */
enum result groups_list(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    const char *q = req_text(req, "q"), *kind = req_text(req, "kind");
    int64_t year = req_int(req, "year", this_year());
    int64_t page = req_int(req, "page", 1), per_page = req_int(req, "per_page", 50);
    int64_t root = req->user->role == ROLE_UNIT ? scope_root(req) : 0;
    /* a unit officer sees the groups their unit (or one under it) belongs to */
    const char *sql = arena_printf(
        req->arena,
        "SELECT g.id, g.name, g.kind, g.code, g.active, y.year, h.name, d.name, "
        "(SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.year = ? AND "
        "m.left_on IS NULL) FROM emulation_groups g LEFT JOIN group_years y ON y.group_id = g.id "
        "AND y.year = ? LEFT JOIN units h ON h.id = y.head_unit_id LEFT JOIN units d ON d.id = "
        "y.deputy_unit_id WHERE 1 = 1%s%s ORDER BY g.kind DESC, g.code",
        kind ? " AND g.kind = ?" : "",
        root ? " AND g.id IN (SELECT group_id FROM group_members WHERE unit_id IN ("
               SCOPE_SUBTREE_SQL "))"
             : "");
    struct db_stmt *s = db_query(req->db, sql);
    int i = 1;
    db_bind_int(s, i++, year);
    db_bind_int(s, i++, year);
    if (kind)
        db_bind_text(s, i++, kind);
    if (root)
        db_bind_int(s, i++, root);
    char *fq = q ? text_fold(q) : NULL;
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        if (fq) {
            char *name = text_fold(db_col_text(s, 1)), *code = text_fold(db_col_text(s, 3));
            bool hit = strstr(name, fq) || strstr(code, fq);
            free(name);
            free(code);
            if (!hit)
                continue;
        }
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:s?,s:s?,s:I}", "id",
                             (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1), "kind",
                             db_col_text(s, 2), "kind_name",
                             strcmp(db_col_text(s, 2), "cum") == 0 ? _("Cụm thi đua")
                                                                   : _("Khối thi đua"),
                             "code", db_col_text(s, 3), "active", db_col_int(s, 4) != 0,
                             "has_year", !db_col_is_null(s, 5), "head",
                             db_col_is_null(s, 6) ? NULL : db_col_text(s, 6), "deputy",
                             db_col_is_null(s, 7) ? NULL : db_col_text(s, 7), "members",
                             (json_int_t)db_col_int(s, 8)));
    }
    free(fq);
    if (db_done(s) == DB_ERROR) {
        json_decref(items);
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    }
    int64_t total = (int64_t)json_array_size(items);
    json_t *paged = json_array();
    for (int64_t k = (page - 1) * per_page; k < total && k < page * per_page; k++)
        json_array_append(paged, json_array_get(items, (size_t)k));
    json_decref(items);
    json_t *m = req->model;
    json_object_set_new(m, "items", paged);
    json_object_set_new(m, "total", json_integer(total));
    json_object_set_new(m, "year", json_integer(year));
    static const char *const texts[] = {"q", "kind", NULL};
    static const char *const ints[] = {"year", "per_page", NULL};
    json_t *query = listing_query(req, texts, ints);
    json_object_set(m, "query", query);
    json_object_set_new(m, "kinds", listing_choices(kind, kinds, kind_names));
    static const char *const no_sort[] = {NULL};
    listing_page_model(req, m, "/groups", query, total, page, per_page, no_sort, "");
    json_decref(query);
    return OK;
}

/* The group's fields as typed, for the form and the checks. */
struct group_input {
    const char *code, *name, *kind, *organiser, *note;
    int64_t quorum_num, quorum_den;
};

static struct group_input input_from(struct request *req)
{
    struct group_input g = {
        .code = req_text(req, "code"),
        .name = req_text(req, "name"),
        .kind = req_text(req, "kind"),
        .organiser = req_text(req, "organiser"),
        .note = req_text(req, "note"),
        .quorum_num = req_int(req, "quorum_num", 2),
        .quorum_den = req_int(req, "quorum_den", 3),
    };
    return g;
}

static bool code_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static void check_input(struct request *req, struct group_input *g, bool creating)
{
    if (creating && !g->code)
        req_field_error(req, "code", _("Hãy nhập mã khối, cụm (ví dụ KHOI-MTTQ)."));
    else if (creating && !code_ok(g->code))
        req_field_error(req, "code", _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu - và _."));
    if (!g->name)
        req_field_error(req, "name", _("Hãy nhập tên khối, cụm thi đua."));
    if (!g->kind)
        req_field_error(req, "kind", _("Hãy chọn loại: khối hay cụm thi đua."));
    if (!g->organiser)
        g->organiser = _("Hội đồng Thi đua - Khen thưởng tỉnh");
    if (g->quorum_num > g->quorum_den)
        req_field_error(req, "quorum_num",
                        _("Tỷ lệ có mặt tối thiểu không thể lớn hơn 1 (tử số lớn hơn mẫu số)."));
    if (creating && g->code) {
        char *up = text_upper(g->code);
        g->code = arena_strdup(req->arena, up);
        free(up);
    }
}

static json_t *typed_group(struct request *req, const struct group_input *g)
{
    return json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:I,s:I,s:I}", "code", g->code, "name",
                     g->name, "kind", g->kind, "organiser", g->organiser, "note", g->note,
                     "quorum_num", (json_int_t)g->quorum_num, "quorum_den",
                     (json_int_t)g->quorum_den, "version",
                     (json_int_t)req_int(req, "version", 0), "first_year",
                     (json_int_t)req_int(req, "first_year", this_year()));
}

static void form_model(struct request *req, json_t *group, bool creating)
{
    json_object_set(req->model, "group", group);
    json_object_set_new(req->model, "kinds",
                        listing_choices(json_string_value(json_object_get(group, "kind")), kinds,
                                        kind_names));
    json_object_set_new(req->model, "creating", json_boolean(creating));
}

static enum result show_again(struct request *req, const struct group_input *g, int64_t id)
{
    json_t *typed = typed_group(req, g);
    if (id)
        json_object_set_new(typed, "id", json_integer(id));
    form_model(req, typed, id == 0);
    json_decref(typed);
    req->status = 422;
    req->template = "groups/form";
    return OK;
}

enum result groups_new(struct request *req)
{
    json_t *g = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:I}", "code", "", "name", "", "kind",
                          "khoi", "organiser", _("Hội đồng Thi đua - Khen thưởng tỉnh"), "note", "",
                          "quorum_num", 2, "quorum_den", 3, "first_year",
                          (json_int_t)this_year());
    form_model(req, g, true);
    json_decref(g);
    return OK;
}

static json_t *group_audit_get(struct db *db, int64_t id)
{
    return group_get(db, id);
}

enum result groups_create(struct request *req)
{
    struct group_input g = input_from(req);
    check_input(req, &g, true);
    int year = (int)req_int(req, "first_year", this_year());
    if (req_has_errors(req))
        return show_again(req, &g, 0);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO emulation_groups (kind, code, name, organiser, quorum_num, "
                 "quorum_den, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id");
    db_bind_text(s, 1, g.kind);
    db_bind_text(s, 2, g.code);
    db_bind_text(s, 3, g.name);
    db_bind_text(s, 4, g.organiser);
    db_bind_int(s, 5, g.quorum_num);
    db_bind_int(s, 6, g.quorum_den);
    db_bind_text(s, 7, g.note ? g.note : "");
    db_bind_text(s, 8, now);
    db_bind_text(s, 9, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    bool duplicate = db_done(s) == DB_ERROR && db_last_was_unique_violation(req->db);
    if (!id) {
        db_rollback(req->db);
        if (!duplicate)
            return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
        req_field_error(req, "code", _("Mã \"%s\" đã được dùng cho khối, cụm khác."), g.code);
        return show_again(req, &g, 0);
    }
    struct err e = {0};
    enum result rc = group_year_ensure(req->db, id, year, &e);
    if (rc == OK)
        rc = audit_commit(req, "create", "group", id, NULL, group_audit_get);
    else
        db_rollback(req->db);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "group", group_get(req->db, id));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/groups/%lld/%d", (long long)id, year),
                        arena_printf(req->arena, _("Đã thêm \"%s\". Hãy thêm các đơn vị thành "
                                                   "viên năm %d."),
                                     g.name, year));
}

/* The years of a group, newest first: [{year, head, deputy, members}]. */
static json_t *group_years(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(
        db, "SELECT y.year, h.name, d.name, (SELECT count(*) FROM group_members m WHERE "
            "m.group_id = y.group_id AND m.year = y.year), y.elected_at FROM group_years y LEFT "
            "JOIN units h ON h.id = y.head_unit_id LEFT JOIN units d ON d.id = y.deputy_unit_id "
            "WHERE y.group_id = ? ORDER BY y.year DESC");
    db_bind_int(s, 1, id);
    json_t *out = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(
            out, json_pack("{s:I,s:s?,s:s?,s:I,s:b}", "year", (json_int_t)db_col_int(s, 0),
                           "head", db_col_is_null(s, 1) ? NULL : db_col_text(s, 1), "deputy",
                           db_col_is_null(s, 2) ? NULL : db_col_text(s, 2), "members",
                           (json_int_t)db_col_int(s, 3), "elected", !db_col_is_null(s, 4)));
    db_done(s);
    return out;
}

enum result groups_show(struct request *req)
{
    json_t *g = group_of_path(req);
    if (!g)
        return req->err.code;
    int64_t id = json_integer_value(json_object_get(g, "id"));
    json_t *years = group_years(req->db, id);
    int next = json_array_size(years)
                   ? (int)json_integer_value(json_object_get(json_array_get(years, 0), "year")) + 1
                   : this_year();
    json_object_set_new(req->model, "group", g);
    json_object_set_new(req->model, "years", years);
    json_object_set_new(req->model, "next_year", json_integer(next));
    json_object_set_new(req->model, "can_edit",
                        json_boolean(req->user->role & (ROLE_ADMIN | ROLE_OFFICE)));
    return OK;
}

enum result groups_edit(struct request *req)
{
    json_t *g = group_of_path(req);
    if (!g)
        return req->err.code;
    form_model(req, g, false);
    json_decref(g);
    return OK;
}

enum result groups_update(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *before = group_get(req->db, id);
    if (!before)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có khối, cụm thi đua số hiệu %lld."),
                        (long long)id);
    struct group_input g = input_from(req);
    /* the code cannot change; kept in the arena, as before is freed below */
    g.code = arena_strdup(req->arena, json_string_value(json_object_get(before, "code")));
    check_input(req, &g, false);
    if (!req_value(req, "version"))
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
    if (req_has_errors(req)) {
        json_decref(before);
        return show_again(req, &g, id);
    }
    if (db_begin(req->db) != OK) {
        json_decref(before);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "UPDATE emulation_groups SET kind = ?, name = ?, organiser = ?, quorum_num = ?, "
                 "quorum_den = ?, note = ?, updated_at = ?, version = version + 1 WHERE id = ? "
                 "AND version = ? RETURNING id");
    db_bind_text(s, 1, g.kind);
    db_bind_text(s, 2, g.name);
    db_bind_text(s, 3, g.organiser);
    db_bind_int(s, 4, g.quorum_num);
    db_bind_int(s, 5, g.quorum_den);
    db_bind_text(s, 6, g.note ? g.note : "");
    db_bind_text(s, 7, now);
    db_bind_int(s, 8, id);
    db_bind_int(s, 9, req_int(req, "version", 0));
    bool updated = db_step(s) == DB_ROW;
    enum result rc = db_done(s) == DB_ERROR ? E_DB : updated ? OK : E_CONFLICT;
    if (rc == OK)
        rc = audit_commit(req, "update", "group", id, before, group_audit_get);
    else {
        json_decref(before);
        db_rollback(req->db);
    }
    if (rc == E_CONFLICT)
        return req_fail(req, E_CONFLICT, "version",
                        _("Khối, cụm này vừa được người khác sửa. Hãy mở lại trang sửa để xem "
                          "bản mới nhất rồi sửa lại."));
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_object_set_new(req->model, "group", group_get(req->db, id));
    return req_redirect(req, arena_printf(req->arena, "/groups/%lld", (long long)id),
                        _("Đã lưu thay đổi."));
}

/* POST /groups/{id}/years: starts a year with the members of the year before
 * who stayed (the office then adds and removes members). */
enum result groups_year_create(struct request *req)
{
    int64_t id = req_path_int(req, "id");
    json_t *g = group_get(req->db, id);
    if (!g)
        return req_fail(req, E_NOTFOUND, NULL, _("Không có khối, cụm thi đua số hiệu %lld."),
                        (long long)id);
    json_decref(g);
    if (req_has_errors(req) || !req_value(req, "year"))
        return req_reject(req, "year", _("Năm phải là một số từ 1990 đến 2200, ví dụ %d."),
                          this_year() + 1);
    int year = (int)req_int(req, "year", 0);
    if (year > this_year() + 1)
        return req_reject(req, "year", _("Chỉ mở được đến năm sau (%d)."), this_year() + 1);
    json_t *have = group_year_get(req->db, id, year);
    if (have) {
        json_decref(have);
        return req_fail(req, E_CONFLICT, "year", _("Năm %d của khối, cụm này đã có."), year);
    }
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    struct err e = {0};
    enum result rc = group_year_ensure(req->db, id, year, &e);
    if (rc == OK) {
        json_t *after = group_year_get(req->db, id, year);
        json_object_set_new(after, "members", group_members(req->db, id, year));
        rc = audit_record(req, "create", "group_year", id, NULL, after);
        json_decref(after);
    }
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK) {
        db_rollback(req->db);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    req->status = 201;
    json_object_set_new(req->model, "year", group_year_get(req->db, id, year));
    return req_redirect(req, arena_printf(req->arena, "/groups/%lld/%d", (long long)id, year),
                        arena_printf(req->arena, _("Đã mở năm %d với các thành viên của năm "
                                                   "trước."),
                                     year));
}
