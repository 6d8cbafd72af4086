/* User accounts: storage and the admin pages (see users.h). */
#include "features/users.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/auth.h"
#include "features/listing.h"
#include "features/registry.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "text/text.h"

static const char *const role_names[] = {"admin", "office", "council", "unit", NULL};

/* The roles as <select> options, labelled as auth_role_label names them. */
static json_t *role_choices(const char *selected)
{
    static const char *const labels[] = {N_("Quản trị hệ thống"), N_("Cơ quan thường trực TĐKT"),
                                         N_("Thành viên Hội đồng TĐKT"), N_("Cán bộ đơn vị")};
    return listing_choices(selected, role_names, labels);
}

bool user_check(struct db *db, const struct user_input *u, int64_t self_id, json_t *errors,
                char login_out[65])
{
    bool ok = true;
#define FIELD_ERROR(field, msg)                                                    \
    do {                                                                           \
        if (!json_object_get(errors, field))                                       \
            json_object_set_new(errors, field, json_string(msg));                  \
        ok = false;                                                                \
    } while (0)
    login_out[0] = '\0';
    if (!self_id) {
        const char *problem = auth_login_normalise(u->login, login_out);
        if (problem)
            FIELD_ERROR("login", problem);
        else if (user_id_by_login(db, login_out))
            FIELD_ERROR("login", _("Tên đăng nhập này đã có người dùng."));
    }
    if (!u->display_name || !*u->display_name)
        FIELD_ERROR("display_name", _("Hãy nhập họ tên người dùng."));
    enum role_bit role = auth_role_of(u->role);
    if (!role)
        FIELD_ERROR("role", _("Hãy chọn vai trò."));
    if (role == ROLE_UNIT) {
        if (!u->unit_id)
            FIELD_ERROR("unit_id", _("Cán bộ đơn vị cần chọn đơn vị công tác."));
        else if (!db_scalar_int_arg(db, "SELECT count(*) FROM units WHERE id = ?", u->unit_id))
            FIELD_ERROR("unit_id", _("Không có đơn vị này."));
    } else if (role && u->unit_id) {
        FIELD_ERROR("unit_id", _("Chỉ cán bộ đơn vị mới gắn với một đơn vị; hãy để trống."));
    }
    if (u->email && *u->email && (!strchr(u->email, '@') || strchr(u->email, ' ')))
        FIELD_ERROR("email", _("Thư điện tử không đúng dạng (ví dụ ten@bacninh.gov.vn)."));
#undef FIELD_ERROR
    return ok;
}

enum result user_insert(struct db *db, const struct user_input *u, const char *login,
                        const char *password_hash, int64_t *id)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        db, "INSERT INTO users (login, display_name, role, unit_id, email, password_hash, "
            "password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id");
    db_bind_text(s, 1, login);
    db_bind_text(s, 2, u->display_name);
    db_bind_text(s, 3, u->role);
    if (auth_role_of(u->role) == ROLE_UNIT)
        db_bind_int(s, 4, u->unit_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, u->email ? u->email : "");
    db_bind_text(s, 6, password_hash);
    db_bind_int(s, 7, (int64_t)time(NULL));
    db_bind_text(s, 8, now);
    db_bind_text(s, 9, now);
    *id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    enum db_step rc = db_done(s);
    if (rc == DB_ERROR)
        return db_last_was_unique_violation(db) ? E_CONFLICT : E_DB;
    return *id ? OK : E_DB;
}

static json_t *user_row(struct db_stmt *s)
{
    enum role_bit role = auth_role_of(db_col_text(s, 3));
    json_t *u = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, 0),
        "login", db_col_text(s, 1), "display_name", db_col_text(s, 2), "role", db_col_text(s, 3),
        "role_label", auth_role_label(role), "email", db_col_text(s, 5), "disabled",
        db_col_int(s, 6) != 0, "totp_enabled", db_col_int(s, 7) != 0, "version",
        (json_int_t)db_col_int(s, 8), "created_at", db_col_text(s, 9), "updated_at",
        db_col_text(s, 10));
    if (!db_col_is_null(s, 4)) {
        json_object_set_new(u, "unit_id", json_integer(db_col_int(s, 4)));
        json_object_set_new(u, "unit", json_pack("{s:I,s:s}", "id", (json_int_t)db_col_int(s, 4),
                                                 "name", db_col_text(s, 11)));
    }
    return u;
}

#define USER_COLUMNS                                                                        \
    "u.id, u.login, u.display_name, u.role, u.unit_id, u.email, u.disabled, u.totp_enabled, " \
    "u.version, u.created_at, u.updated_at, coalesce(un.name, '')"

json_t *user_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "SELECT " USER_COLUMNS " FROM users u LEFT JOIN units un "
                                     "ON un.id = u.unit_id WHERE u.id = ?");
    db_bind_int(s, 1, id);
    json_t *u = db_step(s) == DB_ROW ? user_row(s) : NULL;
    db_done(s);
    return u;
}

int64_t user_id_by_login(struct db *db, const char *login)
{
    struct db_stmt *s = db_query(db, "SELECT id FROM users WHERE login = ?");
    db_bind_text(s, 1, login);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    return id;
}

enum result user_set_password(struct db *db, int64_t id, const char *password_hash)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "UPDATE users SET password_hash = ?, updated_at = ?, "
                                     "password_changed_at = ?, version = version + 1 WHERE id = ?");
    db_bind_text(s, 1, password_hash);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, (int64_t)time(NULL));
    db_bind_int(s, 4, id);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

enum result user_set_disabled(struct db *db, int64_t id, bool disabled)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "UPDATE users SET disabled = ?, updated_at = ?, "
                                     "version = version + 1 WHERE id = ?");
    db_bind_int(s, 1, disabled);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

enum result user_totp_off(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(db, "UPDATE users SET totp_enabled = 0, totp_secret = NULL, "
                                     "version = version + 1 WHERE id = ?");
    db_bind_int(s, 1, id);
    if (db_run(s) != DB_DONE)
        return E_DB;
    s = db_query(db, "DELETE FROM recovery_codes WHERE user_id = ?");
    db_bind_int(s, 1, id);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

/* --- admin pages ---------------------------------------------------------- */

static const char *const user_sort_keys[] = {"login", "name", "role", NULL};

/* The search of the list: every user whose name or login, folded like the
 * registry's search keys ("Nguyễn Thị Hà" → "nguyen thi ha"), holds the folded
 * words typed. SQL's lower() and LIKE know neither Vietnamese marks nor đ, so
 * the folding is done here; the accounts of one province are a few hundred
 * rows. Adds "AND u.id IN (…)" to where. */
static enum result search_ids(struct db *db, const char *q, struct buf *where)
{
    char *want = text_fold(q);
    if (!want)
        return E_DB;
    struct db_stmt *s = db_query(db, "SELECT id, login, display_name FROM users");
    buf_adds(where, " AND u.id IN (0");
    while (db_step(s) == DB_ROW) {
        char *name = text_fold(db_col_text(s, 2));
        char *login = text_fold(db_col_text(s, 1));
        if ((name && strstr(name, want)) || (login && strstr(login, want)))
            buf_printf(where, ", %lld", (long long)db_col_int(s, 0));
        free(name);
        free(login);
    }
    buf_addc(where, ')');
    free(want);
    return db_done(s) == DB_ERROR ? E_DB : OK;
}

enum result users_list(struct request *req)
{
    if (listing_fail_on_errors(req) != OK)
        return E_INVALID;
    const char *q = req_text(req, "q"), *role = req_text(req, "role");
    const char *status = req_text(req, "status") ? req_text(req, "status") : "active";
    const char *sort = req_text(req, "sort") ? req_text(req, "sort") : "login";
    int64_t page = req_int(req, "page", 1), per_page = req_int(req, "per_page", 20);
    struct buf where = BUF_INIT;
    buf_adds(&where, " WHERE 1 = 1");
    if (q && search_ids(req->db, q, &where) != OK) {
        buf_free(&where);
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
    }
    if (role)
        buf_adds(&where, " AND u.role = ?");
    if (strcmp(status, "active") == 0)
        buf_adds(&where, " AND u.disabled = 0");
    else if (strcmp(status, "inactive") == 0)
        buf_adds(&where, " AND u.disabled = 1");
    const char *order = strcmp(sort, "-login") == 0  ? "u.login DESC"
                        : strcmp(sort, "name") == 0  ? "u.display_name, u.login"
                        : strcmp(sort, "-name") == 0 ? "u.display_name DESC, u.login"
                        : strcmp(sort, "role") == 0  ? "u.role, u.login"
                        : strcmp(sort, "-role") == 0 ? "u.role DESC, u.login"
                                                     : "u.login";
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        char *sql = pass == 0
                        ? arena_printf(req->arena, "SELECT count(*) FROM users u%s", buf_cstr(&where))
                        : arena_printf(req->arena,
                                       "SELECT " USER_COLUMNS " FROM users u LEFT JOIN units un "
                                       "ON un.id = u.unit_id%s ORDER BY %s LIMIT ? OFFSET ?",
                                       buf_cstr(&where), order);
        struct db_stmt *s = db_query(req->db, sql);
        int i = 1;
        if (role)
            db_bind_text(s, i++, role);
        if (pass == 1) {
            db_bind_int(s, i++, per_page);
            db_bind_int(s, i++, (page - 1) * per_page);
        }
        while (db_step(s) == DB_ROW) {
            if (pass == 0)
                total = db_col_int(s, 0);
            else
                json_array_append_new(items, user_row(s));
        }
        if (db_done(s) == DB_ERROR) {
            buf_free(&where);
            json_decref(items);
            return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu."));
        }
    }
    buf_free(&where);
    json_t *m = req->model;
    json_object_set_new(m, "items", items);
    json_object_set_new(m, "total", json_integer(total));
    static const char *const texts[] = {"q", "role", "status", "sort", NULL};
    static const char *const ints[] = {"per_page", NULL};
    json_t *query = listing_query(req, texts, ints);
    json_object_set(m, "query", query);
    json_object_set_new(m, "roles", role_choices(role));
    static const char *const statuses[] = {"active", "inactive", "all", NULL};
    static const char *const status_labels[] = {N_("Đang dùng"), N_("Đã khóa"), N_("Tất cả")};
    json_object_set_new(m, "statuses", listing_choices(status, statuses, status_labels));
    listing_page_model(req, m, "/users", query, total, page, per_page, user_sort_keys, sort);
    json_decref(query);
    return OK;
}

/* The user of the path, or the request fails with 404. */
static json_t *path_user(struct request *req, int64_t *id)
{
    *id = req_path_int(req, "id");
    json_t *u = user_get(req->db, *id);
    if (!u)
        req_fail(req, E_NOTFOUND, NULL, _("Không có người dùng số %lld."), (long long)*id);
    return u;
}

enum result users_show(struct request *req)
{
    int64_t id;
    json_t *u = path_user(req, &id);
    if (!u)
        return E_NOTFOUND;
    json_object_set_new(req->model, "user", u);
    json_object_set_new(req->model, "is_self", json_boolean(id == req->user->id));
    return OK;
}

static void form_model(struct request *req, json_t *user)
{
    json_object_set(req->model, "user", user);
    json_object_set_new(req->model, "roles",
                        role_choices(json_string_value(json_object_get(user, "role"))));
    json_object_set_new(req->model, "units",
                        unit_options(req->db, json_integer_value(json_object_get(user, "unit_id")), 0, 0));
}

enum result users_new(struct request *req)
{
    json_t *u = json_pack("{s:s,s:s,s:s,s:s}", "login", "", "display_name", "", "role", "unit",
                          "email", "");
    form_model(req, u);
    json_decref(u);
    json_object_set_new(req->model, "creating", json_true());
    return OK;
}

enum result users_edit(struct request *req)
{
    int64_t id;
    json_t *u = path_user(req, &id);
    if (!u)
        return E_NOTFOUND;
    form_model(req, u);
    json_decref(u);
    return OK;
}

static struct user_input input_from(struct request *req)
{
    return (struct user_input){
        .login = req_text(req, "login"),
        .display_name = req_text(req, "display_name"),
        .role = req_text(req, "role"),
        .unit_id = req_int(req, "unit_id", 0),
        .email = req_text(req, "email"),
    };
}

static enum result show_again(struct request *req, const struct user_input *u, int64_t self)
{
    json_t *typed = json_pack("{s:s?,s:s?,s:s?,s:s?,s:I,s:I}", "login", u->login, "display_name",
                              u->display_name, "role", u->role, "email", u->email, "unit_id",
                              (json_int_t)u->unit_id, "version",
                              (json_int_t)req_int(req, "version", 0));
    if (self) {
        json_t *old = user_get(req->db, self);
        json_object_set(typed, "id", json_object_get(old, "id"));
        json_object_set(typed, "login", json_object_get(old, "login"));
        json_decref(old);
    }
    form_model(req, typed);
    json_decref(typed);
    if (!self)
        json_object_set_new(req->model, "creating", json_true());
    req->status = 422;
    req->template = "users/form";
    return OK;
}

enum result users_create(struct request *req)
{
    struct user_input u = input_from(req);
    const char *password = req_text(req, "password");
    const char *problem = auth_password_problem(password, u.login);
    if (problem)
        req_field_error(req, "password", "%s", problem);
    char login[65];
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    bool valid = user_check(req->db, &u, 0, req->field_errors, login);
    if (!valid || req_has_errors(req)) {
        db_rollback(req->db);
        return show_again(req, &u, 0);
    }
    db_rollback(req->db); /* the hash takes a while: not under the write lock */
    char hash[128];
    if (!auth_password_hash(password, hash))
        return req_fail(req, E_DB, NULL, _("Không đủ bộ nhớ để mã hóa mật khẩu; hãy thử lại."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    if (!user_check(req->db, &u, 0, req->field_errors, login)) {
        db_rollback(req->db);
        return show_again(req, &u, 0);
    }
    int64_t id = 0;
    enum result rc = user_insert(req->db, &u, login, hash, &id);
    sodium_memzero(hash, sizeof hash);
    if (rc == OK)
        rc = audit_commit(req, "create", "user", id, NULL, user_get);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    req->status = 201;
    return req_redirect(req, arena_printf(req->arena, "/users/%lld", (long long)id),
                        arena_printf(req->arena, _("Đã tạo tài khoản \"%s\"."), login));
}

enum result users_update(struct request *req)
{
    int64_t id;
    json_t *old = path_user(req, &id);
    if (!old)
        return E_NOTFOUND;
    json_decref(old);
    struct user_input u = input_from(req);
    if (!req_value(req, "version"))
        req_field_error(req, "version", _("Thiếu số phiên bản của bản ghi đang sửa (version)."));
    if (id == req->user->id && u.role && strcmp(u.role, "admin") != 0)
        req_field_error(req, "role", _("Bạn không thể tự bỏ quyền quản trị của chính mình."));
    char login[65];
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    bool valid = user_check(req->db, &u, id, req->field_errors, login);
    if (!valid || req_has_errors(req)) {
        db_rollback(req->db);
        return show_again(req, &u, id);
    }
    json_t *before = user_get(req->db, id);
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(
        req->db, "UPDATE users SET display_name = ?, role = ?, unit_id = ?, email = ?, "
                 "updated_at = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING id");
    db_bind_text(s, 1, u.display_name);
    db_bind_text(s, 2, u.role);
    if (auth_role_of(u.role) == ROLE_UNIT)
        db_bind_int(s, 3, u.unit_id);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, u.email ? u.email : "");
    db_bind_text(s, 5, now);
    db_bind_int(s, 6, id);
    db_bind_int(s, 7, req_int(req, "version", 0));
    bool found = db_step(s) == DB_ROW;
    enum result rc = db_done(s) == DB_ERROR ? E_DB : found ? OK : E_CONFLICT;
    /* a changed role or unit takes effect now: the user signs in again */
    const char *role_before = json_string_value(json_object_get(before, "role"));
    if (rc == OK && (!role_before || strcmp(role_before, u.role) != 0 ||
                     json_integer_value(json_object_get(before, "unit_id")) != u.unit_id) &&
        id != req->user->id)
        rc = auth_sessions_end_user(req->db, id);
    if (rc == OK)
        rc = audit_commit(req, "update", "user", id, before, user_get);
    else
        json_decref(before);
    if (rc == E_CONFLICT) {
        db_rollback(req->db);
        return req_fail(req, E_CONFLICT, "version",
                        _("Tài khoản này vừa được người khác sửa. Hãy mở lại trang sửa để xem "
                          "bản mới nhất."));
    }
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, arena_printf(req->arena, "/users/%lld", (long long)id),
                        _("Đã lưu thay đổi."));
}

static enum result set_disabled(struct request *req, bool disabled)
{
    int64_t id;
    json_t *old = path_user(req, &id);
    if (!old)
        return E_NOTFOUND;
    json_decref(old);
    if (disabled && id == req->user->id)
        return req_fail(req, E_INVALID, NULL, _("Bạn không thể tự khóa tài khoản của mình."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = user_get(req->db, id);
    enum result rc = user_set_disabled(req->db, id, disabled);
    if (rc == OK && disabled)
        rc = auth_sessions_end_user(req->db, id); /* a disabled user is signed out at once */
    if (rc == OK)
        rc = audit_commit(req, disabled ? "disable" : "enable", "user", id, before, user_get);
    else
        json_decref(before);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, arena_printf(req->arena, "/users/%lld", (long long)id),
                        disabled ? _("Đã khóa tài khoản; các phiên đăng nhập của tài khoản này "
                                     "đã kết thúc.")
                                 : _("Đã mở khóa tài khoản."));
}

enum result users_disable(struct request *req)
{
    return set_disabled(req, true);
}

enum result users_enable(struct request *req)
{
    return set_disabled(req, false);
}

enum result users_reset_password(struct request *req)
{
    int64_t id;
    json_t *u = path_user(req, &id);
    if (!u)
        return E_NOTFOUND;
    const char *password = req_text(req, "password");
    const char *problem =
        auth_password_problem(password, json_string_value(json_object_get(u, "login")));
    json_object_set_new(req->model, "user", u);
    if (problem) {
        req_field_error(req, "password", "%s", problem);
        req->template = "users/show";
        req->status = 422;
        return OK;
    }
    char hash[128];
    if (!auth_password_hash(password, hash))
        return req_fail(req, E_DB, NULL, _("Không đủ bộ nhớ để mã hóa mật khẩu; hãy thử lại."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    enum result rc = user_set_password(req->db, id, hash);
    sodium_memzero(hash, sizeof hash);
    if (rc == OK)
        rc = auth_sessions_end_user(req->db, id);
    /* an admin who resets their own password stays signed in, with a new session */
    if (rc == OK && id == req->user->id)
        rc = auth_session_start(req, id, false);
    json_t *what = json_pack("{s:s}", "password", "reset");
    if (rc == OK)
        rc = audit_record(req, "password_reset", "user", id, NULL, what);
    json_decref(what);
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, arena_printf(req->arena, "/users/%lld", (long long)id),
                        _("Đã đặt mật khẩu mới; người dùng cần đăng nhập lại bằng mật khẩu này."));
}

enum result users_reset_totp(struct request *req)
{
    int64_t id;
    json_t *u = path_user(req, &id);
    if (!u)
        return E_NOTFOUND;
    json_decref(u);
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    json_t *before = user_get(req->db, id);
    enum result rc = user_totp_off(req->db, id);
    if (rc == OK)
        rc = audit_commit(req, "totp_reset", "user", id, before, user_get);
    else
        json_decref(before);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, arena_printf(req->arena, "/users/%lld", (long long)id),
                        _("Đã bỏ xác thực hai lớp của tài khoản này; người dùng có thể cài lại."));
}
