/* Signing in and out, password change, and the second factor (accounts.h).
 *
 * A wrong login name and a wrong password get the same answer after the same
 * work (a dummy Argon2id check for unknown names), so the page does not tell
 * which names exist. Failures are counted per name and per client address;
 * past five in a row each one doubles the wait. */
#include "features/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/auth.h"
#include "features/users.h"
#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/totp.h"
#include "lib/url.h"

enum { RECOVERY_CODES = 10 };

/* Only a local path may follow sign-in: "/x", never "//host" or "/\host". */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strstr(next, "/login"))
        return "/";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x20)
            return "/";
    return next;
}

static void login_model(struct request *req, const char *login, const char *next)
{
    json_object_set_new(req->model, "login", json_string(login ? login : ""));
    json_object_set_new(req->model, "next", json_string(safe_next(next)));
}

enum result login_form(struct request *req)
{
    if (req->user)
        return req_redirect(req, safe_next(req_text(req, "next")), NULL);
    login_model(req, NULL, req_text(req, "next"));
    return OK;
}

static enum result login_refused(struct request *req, const char *login, const char *msg, int status)
{
    login_model(req, login, req_text(req, "next"));
    json_object_set_new(req->model, "login_error", json_string(msg));
    req->status = status;
    req->template = "accounts/login";
    return OK;
}

static void throttle_keys(struct request *req, const char *login, char ukey[80], char akey[80])
{
    snprintf(ukey, 80, "u:%s", login);
    snprintf(akey, 80, "a:%s", req->client_addr);
}

/* A wait to show people: "45 giây" or "3 phút". */
static const char *wait_text(struct request *req, long s)
{
    return s < 60 ? arena_printf(req->arena, _("%ld giây"), s)
                  : arena_printf(req->arena, _("%ld phút"), (s + 59) / 60);
}

/* Inside the open write transaction: the account still has the password
 * that was checked (verified_hash; NULL skips that) and is not disabled. The
 * check ran outside the lock (Argon2id takes a while), so a reset or a
 * disabling that landed meanwhile must win over this sign-in. */
static bool account_unchanged(struct request *req, int64_t user_id, const char *verified_hash)
{
    struct db_stmt *s = db_query(req->db, "SELECT password_hash, disabled FROM users WHERE id = ?");
    db_bind_int(s, 1, user_id);
    bool same = db_step(s) == DB_ROW && db_col_int(s, 1) == 0 &&
                (!verified_hash || strcmp(db_col_text(s, 0), verified_hash) == 0);
    db_done(s);
    return same;
}

/* Inside the open write transaction: the session is made and the sign-in
 * recorded; the caller commits. */
static enum result sign_in(struct request *req, int64_t user_id, const char *action)
{
    enum result rc = auth_session_start(req, user_id, false);
    struct audit_actor who = audit_actor_of(req);
    json_t *u = user_get(req->db, user_id);
    who.user_id = user_id;
    who.login = json_string_value(json_object_get(u, "login"));
    struct err e = {0};
    if (rc == OK)
        rc = audit_append(req->db, &who, action, "session", 0, NULL, NULL, &e);
    json_decref(u);
    return rc;
}

static const char WRONG_LOGIN[] = N_("Tên đăng nhập hoặc mật khẩu không đúng.");

enum result login_submit(struct request *req)
{
    const char *typed = req_text(req, "login");
    const char *password = req_text(req, "password");
    char login[LOGIN_MAX + 1];
    const char *problem = auth_login_normalise(typed, login);
    if (problem) {
        req_field_error(req, "login", "%s", problem);
        return login_refused(req, NULL, problem, 422);
    }
    if (!password) {
        req_field_error(req, "password", _("Hãy nhập mật khẩu."));
        return login_refused(req, login, _("Hãy nhập mật khẩu."), 422);
    }
    char ukey[80], akey[80];
    throttle_keys(req, login, ukey, akey);
    time_t now = time(NULL);
    long wait = auth_throttle_wait(req->db, ukey, now);
    long await = auth_throttle_wait(req->db, akey, now);
    if (await > wait)
        wait = await;
    if (wait > 0)
        return login_refused(req, login,
                             arena_printf(req->arena,
                                          _("Đã nhập sai nhiều lần. Hãy thử lại sau %s."),
                                          wait_text(req, wait)),
                             429);

    struct db_stmt *s = db_query(
        req->db, "SELECT id, password_hash, disabled, totp_enabled FROM users WHERE login = ?");
    db_bind_text(s, 1, login);
    int64_t id = 0;
    char *hash = NULL;
    bool disabled = false, totp = false;
    if (db_step(s) == DB_ROW) {
        id = db_col_int(s, 0);
        hash = arena_strdup(req->arena, db_col_text(s, 1));
        disabled = db_col_int(s, 2) != 0;
        totp = db_col_int(s, 3) != 0;
    }
    db_done(s);
    bool ok = auth_password_verify(hash, password) && id && !disabled;
    if (!ok) {
        auth_throttle_fail(req->db, ukey, now);
        auth_throttle_fail(req->db, akey, now);
        fprintf(stderr, "time=- level=warn req=%s msg=\"login refused\" login=%s ip=%s\n",
                req->request_id, login, req->client_addr);
        return login_refused(req, login, _(WRONG_LOGIN), 401);
    }
    /* the address's count is left to expire: one good sign-in must not wipe
     * out the guesses made at other accounts from the same place */
    auth_throttle_clear(req->db, ukey);
    const char *next = safe_next(req_text(req, "next"));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu; hãy thử lại."));
    if (!account_unchanged(req, id, hash)) {
        db_rollback(req->db);
        return login_refused(req, login, _(WRONG_LOGIN), 401);
    }
    enum result rc = totp ? auth_session_start(req, id, true) : sign_in(req, id, "login");
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không tạo được phiên làm việc. Hãy thử lại."));
    if (totp) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "/login/totp?next=");
        url_encode(&b, next, false);
        req_redirect(req, arena_strdup(req->arena, buf_cstr(&b)), NULL);
        buf_free(&b);
        return OK;
    }
    return req_redirect(req, next, NULL);
}

enum result login_totp_form(struct request *req)
{
    if (!req->pending_user_id)
        return req_redirect(req, "/login", _("Hãy đăng nhập lại."));
    json_object_set_new(req->model, "next", json_string(safe_next(req_text(req, "next"))));
    return OK;
}

/* Checks a code of the app or, failing that, an unused recovery code. */
static bool second_factor_ok(struct request *req, int64_t user_id, const char *code,
                             bool *used_recovery)
{
    *used_recovery = false;
    struct db_stmt *s =
        db_query(req->db, "SELECT totp_secret, totp_last_step FROM users WHERE id = ?");
    db_bind_int(s, 1, user_id);
    char *secret = NULL;
    int64_t last = 0;
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0)) {
        secret = arena_strdup(req->arena, db_col_text(s, 0));
        last = db_col_int(s, 1);
    }
    db_done(s);
    if (!secret)
        return false;
    int64_t step = 0;
    if (totp_verify(secret, (int64_t)time(NULL), code, last, &step) == 1) {
        /* the step is taken only if no one took it since it was read: of two
         * sign-ins sending the same code at once, one gets a row back */
        s = db_query(req->db, "UPDATE users SET totp_last_step = ? WHERE id = ? AND "
                              "totp_last_step < ? RETURNING id");
        db_bind_int(s, 1, step);
        db_bind_int(s, 2, user_id);
        db_bind_int(s, 3, step);
        bool taken = db_step(s) == DB_ROW;
        return db_done(s) != DB_ERROR && taken;
    }
    char h[65];
    if (!recovery_code_hash(code, h))
        return false;
    s = db_query(req->db, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND "
                          "code_hash = ? AND used_at IS NULL RETURNING user_id");
    db_bind_int(s, 1, (int64_t)time(NULL));
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, h);
    bool found = db_step(s) == DB_ROW;
    db_done(s);
    *used_recovery = found;
    return found;
}

enum result login_totp_submit(struct request *req)
{
    if (!req->pending_user_id)
        return req_redirect(req, "/login", _("Đã quá thời gian nhập mã; hãy đăng nhập lại."));
    int64_t id = req->pending_user_id;
    const char *next = safe_next(req_text(req, "next"));
    json_object_set_new(req->model, "next", json_string(next));
    char ukey[80], akey[80];
    throttle_keys(req, arena_printf(req->arena, "totp:%lld", (long long)id), ukey, akey);
    time_t now = time(NULL);
    if (auth_throttle_wait(req->db, ukey, now) > 0) {
        req_field_error(req, "code", _("Đã nhập sai nhiều lần; hãy chờ một lát rồi thử lại."));
        req->status = 429;
        return OK;
    }
    bool recovery;
    const char *code = req_text(req, "code");
    /* the code is used up, the session made and the sign-in recorded together */
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu; hãy thử lại."));
    if (!code || !account_unchanged(req, id, NULL) || !second_factor_ok(req, id, code, &recovery)) {
        db_rollback(req->db);
        auth_throttle_fail(req->db, ukey, now);
        req_field_error(req, "code", _("Mã xác thực không đúng hoặc đã được dùng."));
        return OK;
    }
    enum result rc = sign_in(req, id, recovery ? "login_recovery_code" : "login");
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không tạo được phiên làm việc. Hãy thử lại."));
    auth_throttle_clear(req->db, ukey);
    return req_redirect(req, next,
                        recovery ? _("Bạn đã dùng một mã khôi phục; mỗi mã chỉ dùng được một lần.")
                                 : NULL);
}

enum result logout_submit(struct request *req)
{
    bool recorded = db_begin(req->db) == OK && auth_session_end(req) == OK &&
                    audit_record(req, "logout", "session", 0, NULL, NULL) == OK &&
                    db_commit(req->db) == OK;
    if (!recorded) {
        /* the session ends whatever happened to its record */
        if (db_in_transaction(req->db))
            db_rollback(req->db);
        fprintf(stderr, "time=- level=error req=%s msg=\"logout not recorded\"\n",
                req->request_id);
        if (auth_session_end(req) != OK)
            return req_fail(req, E_DB, NULL, _("Chưa đăng xuất được (lỗi cơ sở dữ liệu); hãy "
                                               "thử lại."));
    }
    return req_redirect(req, "/login", _("Bạn đã đăng xuất."));
}

/* Checks the signed-in user's current password (before a change that needs
 * it), with the same growing wait as sign-in after repeated wrong guesses:
 * a session left open must not become a way to guess the password. */
static bool current_password_ok(struct request *req, const char *password, const char *field)
{
    char key[40];
    snprintf(key, sizeof key, "p:%lld", (long long)req->user->id);
    time_t now = time(NULL);
    long wait = auth_throttle_wait(req->db, key, now);
    if (wait > 0) {
        req_field_error(req, field, _("Đã nhập sai mật khẩu nhiều lần. Hãy thử lại sau %s."),
                        wait_text(req, wait));
        return false;
    }
    struct db_stmt *s = db_query(req->db, "SELECT password_hash FROM users WHERE id = ?");
    db_bind_int(s, 1, req->user->id);
    char *hash = db_step(s) == DB_ROW ? arena_strdup(req->arena, db_col_text(s, 0)) : NULL;
    db_done(s);
    if (!password || !auth_password_verify(hash, password)) {
        auth_throttle_fail(req->db, key, now);
        req_field_error(req, field, _("Mật khẩu hiện tại không đúng."));
        return false;
    }
    auth_throttle_clear(req->db, key);
    return true;
}

enum result account_show(struct request *req)
{
    json_t *u = user_get(req->db, req->user->id);
    if (!u)
        return req_fail(req, E_NOTFOUND, NULL, _("Không tìm thấy tài khoản."));
    json_object_set_new(req->model, "user", u);
    json_object_set_new(req->model, "csrf", json_string(req->user->csrf));
    json_object_set_new(req->model, "recovery_left",
                        json_integer(db_scalar_int_arg(req->db,
                                                       "SELECT count(*) FROM recovery_codes "
                                                       "WHERE user_id = ? AND used_at IS NULL",
                                                       req->user->id)));
    return OK;
}

enum result account_password_form(struct request *req)
{
    (void)req;
    return OK;
}

enum result account_password_submit(struct request *req)
{
    const char *current = req_text(req, "current_password");
    const char *fresh = req_text(req, "new_password");
    const char *again = req_text(req, "confirm_password");
    const char *problem = auth_password_problem(fresh, req->user->login);
    if (problem)
        req_field_error(req, "new_password", "%s", problem);
    else if (!again || strcmp(fresh, again) != 0)
        req_field_error(req, "confirm_password", _("Hai lần nhập mật khẩu mới không giống nhau."));
    current_password_ok(req, current, "current_password");
    if (req_has_errors(req)) {
        req->template = "accounts/password";
        return OK;
    }
    char fresh_hash[128];
    if (!auth_password_hash(fresh, fresh_hash))
        return req_fail(req, E_DB, NULL, _("Không đủ bộ nhớ để mã hóa mật khẩu; hãy thử lại."));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu; hãy thử lại."));
    enum result rc = user_set_password(req->db, req->user->id, fresh_hash);
    sodium_memzero(fresh_hash, sizeof fresh_hash);
    /* every session ends, this one included; this browser gets a new one */
    if (rc == OK)
        rc = auth_sessions_end_user(req->db, req->user->id);
    json_t *what = json_pack("{s:s}", "password", "changed");
    if (rc == OK)
        rc = audit_record(req, "password_change", "user", req->user->id, NULL, what);
    json_decref(what);
    if (rc == OK)
        rc = auth_session_start(req, req->user->id, false);
    if (rc == OK)
        rc = db_commit(req->db);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không đổi được mật khẩu (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, "/account",
                        _("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."));
}

/* Enrolment, in two steps. GET /account/totp only explains and asks for the
 * password (a GET writes nothing). POST /account/totp/start checks the
 * password, makes a fresh secret (any secret seen before is worthless from
 * then on) and shows its QR code; POST /account/totp confirms it with a code
 * within ENROL_S. */
enum { ENROL_S = 15 * 60 };

enum result account_totp_form(struct request *req)
{
    if (req->user->totp_enabled)
        json_object_set_new(req->model, "enabled", json_true());
    return OK;
}

/* The QR page of the pending secret. */
static enum result show_secret(struct request *req, const char *secret)
{
    char *uri = totp_uri("tdkt", req->user->login, secret);
    char *svg = uri ? qr_svg(uri) : NULL;
    /* grouped by four, as people copy it by hand */
    char grouped[48];
    size_t j = 0;
    for (size_t i = 0; secret[i] && j < sizeof grouped - 2; i++) {
        if (i && i % 4 == 0)
            grouped[j++] = ' ';
        grouped[j++] = secret[i];
    }
    grouped[j] = '\0';
    json_object_set_new(req->model, "confirming", json_true());
    json_object_set_new(req->model, "secret", json_string(grouped));
    json_object_set_new(req->model, "uri", json_string(uri ? uri : ""));
    json_object_set_new(req->model, "qr_svg", json_string(svg ? svg : ""));
    free(uri);
    free(svg);
    req->template = "accounts/totp";
    return OK;
}

enum result account_totp_start(struct request *req)
{
    if (req->user->totp_enabled)
        return req_redirect(req, "/account", _("Xác thực hai lớp đã bật từ trước."));
    if (!current_password_ok(req, req_text(req, "password"), "password")) {
        req->template = "accounts/totp";
        return OK;
    }
    char secret[33];
    if (!totp_secret_new(secret))
        return req_fail(req, E_IO, NULL, _("Không tạo được khóa bí mật; hãy thử lại."));
    /* recorded (without the secret) like every other write */
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu; hãy thử lại."));
    struct db_stmt *s = db_query(req->db, "UPDATE users SET totp_secret = ?, totp_pending_at = ? "
                                          "WHERE id = ? AND totp_enabled = 0");
    db_bind_text(s, 1, secret);
    db_bind_int(s, 2, (int64_t)time(NULL));
    db_bind_int(s, 3, req->user->id);
    if (db_run(s) != DB_DONE ||
        audit_record(req, "totp_setup", "user", req->user->id, NULL, NULL) != OK ||
        db_commit(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu; hãy thử lại."));
    return show_secret(req, secret);
}

enum result account_totp_enable(struct request *req)
{
    if (req->user->totp_enabled)
        return req_redirect(req, "/account", _("Xác thực hai lớp đã bật từ trước."));
    struct db_stmt *s = db_query(req->db, "SELECT totp_secret, totp_pending_at FROM users "
                                          "WHERE id = ?");
    db_bind_int(s, 1, req->user->id);
    char *secret = NULL;
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0) &&
        (int64_t)time(NULL) - db_col_int(s, 1) <= ENROL_S)
        secret = arena_strdup(req->arena, db_col_text(s, 0));
    db_done(s);
    if (!secret)
        return req_redirect(req, "/account/totp",
                            _("Đã quá 15 phút kể từ khi tạo mã QR; hãy bắt đầu lại."));
    int64_t step = 0;
    const char *code = req_text(req, "code");
    if (!code || totp_verify(secret, (int64_t)time(NULL), code, -1, &step) != 1) {
        req_field_error(req, "code", _("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong "
                                       "ứng dụng xác thực."));
        return show_secret(req, secret);
    }
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu; hãy thử lại."));
    json_t *before = user_get(req->db, req->user->id);
    /* of two confirmations at once, one turns it on; the other changes nothing */
    s = db_query(req->db, "UPDATE users SET totp_enabled = 1, totp_last_step = ?, "
                          "version = version + 1 WHERE id = ? AND totp_enabled = 0 "
                          "AND totp_secret = ? RETURNING id");
    db_bind_int(s, 1, step);
    db_bind_int(s, 2, req->user->id);
    db_bind_text(s, 3, secret);
    bool turned_on = db_step(s) == DB_ROW;
    enum result rc = db_done(s) == DB_ERROR ? E_DB : OK;
    if (rc == OK && !turned_on) {
        db_rollback(req->db);
        json_decref(before);
        return req_redirect(req, "/account", _("Xác thực hai lớp đã được bật ở một phiên khác."));
    }
    s = db_query(req->db, "DELETE FROM recovery_codes WHERE user_id = ?");
    db_bind_int(s, 1, req->user->id);
    if (db_run(s) != DB_DONE)
        rc = E_DB;
    json_t *codes = json_array();
    for (int i = 0; rc == OK && i < RECOVERY_CODES; i++) {
        char code_text[15], h[65];
        recovery_code_new(code_text);
        recovery_code_hash(code_text, h);
        s = db_query(req->db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)");
        db_bind_int(s, 1, req->user->id);
        db_bind_text(s, 2, h);
        if (db_run(s) != DB_DONE)
            rc = E_DB;
        json_array_append_new(codes, json_string(code_text));
    }
    if (rc == OK)
        rc = audit_commit(req, "totp_enable", "user", req->user->id, before, user_get);
    else
        json_decref(before);
    if (rc != OK) {
        json_decref(codes);
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    }
    /* shown once, never stored in clear */
    json_object_set_new(req->model, "recovery_codes", codes);
    req->template = "accounts/recovery";
    return OK;
}

enum result account_totp_disable(struct request *req)
{
    if (!current_password_ok(req, req_text(req, "password"), "password"))
        return req_fail(req, E_INVALID, "password", "%s",
                        json_string_value(json_object_get(req->field_errors, "password")));
    if (db_begin(req->db) != OK)
        return req_fail(req, E_DB, NULL, _("Lỗi cơ sở dữ liệu; hãy thử lại."));
    json_t *before = user_get(req->db, req->user->id);
    enum result rc = user_totp_off(req->db, req->user->id);
    if (rc == OK)
        rc = audit_commit(req, "totp_disable", "user", req->user->id, before, user_get);
    else
        json_decref(before);
    if (rc != OK)
        return req_fail(req, E_DB, NULL, _("Không lưu được (lỗi cơ sở dữ liệu)."));
    return req_redirect(req, "/account", _("Đã tắt xác thực hai lớp."));
}
