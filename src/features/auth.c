/* Accounts and sessions. Sessions live in the database (several servers can
 * share one PostgreSQL), known only by the SHA-256 of their token; the token
 * itself exists in the browser's cookie and nowhere else. */
#include "features/auth.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "lib/i18n.h"
#include "text/text.h"

static struct auth_config config = {.idle_s = 2 * 3600, .max_s = 12 * 3600, .mfa_s = 300};

void auth_configure(const struct auth_config *cfg)
{
    if (cfg->idle_s > 0)
        config.idle_s = cfg->idle_s;
    if (cfg->max_s > 0)
        config.max_s = cfg->max_s;
    if (cfg->mfa_s > 0)
        config.mfa_s = cfg->mfa_s;
}

const struct auth_config *auth_config_get(void)
{
    return &config;
}

static const struct {
    enum role_bit role;
    const char *name;
    const char *label;
} roles[] = {
    {ROLE_ADMIN, "admin", N_("Quản trị hệ thống")},
    {ROLE_OFFICE, "office", N_("Cơ quan thường trực TĐKT")},
    {ROLE_COUNCIL, "council", N_("Thành viên Hội đồng TĐKT")},
    {ROLE_UNIT, "unit", N_("Cán bộ đơn vị")},
};

enum role_bit auth_role_of(const char *name)
{
    for (size_t i = 0; name && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, name) == 0)
            return roles[i].role;
    return 0;
}

const char *auth_role_name(enum role_bit role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return roles[i].name;
    return "";
}

const char *auth_role_label(enum role_bit role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return _(roles[i].label);
    return "";
}

const char *auth_login_normalise(const char *typed, char out[LOGIN_MAX + 1])
{
    out[0] = '\0';
    if (!typed)
        return _("Hãy nhập tên đăng nhập.");
    while (*typed == ' ')
        typed++;
    size_t n = strlen(typed);
    while (n > 0 && typed[n - 1] == ' ')
        n--;
    if (n == 0)
        return _("Hãy nhập tên đăng nhập.");
    if (n > LOGIN_MAX)
        return _("Tên đăng nhập dài quá 64 ký tự.");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)typed[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return _("Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . _ -");
        out[i] = (char)c;
    }
    out[n] = '\0';
    return NULL;
}

const char *auth_password_problem(const char *password, const char *login)
{
    size_t points = password ? text_length(password) : 0;
    if (points < PASSWORD_MIN)
        return _("Mật khẩu cần ít nhất 10 ký tự.");
    if (points > PASSWORD_MAX)
        return _("Mật khẩu dài quá 200 ký tự.");
    if (login && strcasecmp(password, login) == 0)
        return _("Mật khẩu không được trùng tên đăng nhập.");
    return NULL;
}

/* --- password hashing, at most HASH_SLOTS at once ----------------------- */

enum { HASH_SLOTS = 2 };
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_free = PTHREAD_COND_INITIALIZER;
static int slots_busy;

static void slot_take(void)
{
    pthread_mutex_lock(&slot_lock);
    while (slots_busy >= HASH_SLOTS)
        pthread_cond_wait(&slot_free, &slot_lock);
    slots_busy++;
    pthread_mutex_unlock(&slot_lock);
}

static void slot_give(void)
{
    pthread_mutex_lock(&slot_lock);
    slots_busy--;
    pthread_cond_signal(&slot_free);
    pthread_mutex_unlock(&slot_lock);
}

bool auth_password_hash(const char *password, char out[128])
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
    slot_take();
    int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    slot_give();
    return rc == 0;
}

static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    char pw[33];
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
    if (!auth_password_hash(pw, dummy_hash))
        dummy_hash[0] = '\0';
}

bool auth_password_verify(const char *hash, const char *password)
{
    if (!hash || !*hash) {
        pthread_once(&dummy_once, dummy_make);
        slot_take();
        /* the same work as a real check; its answer is not used */
        volatile int sink = dummy_hash[0]
                                ? crypto_pwhash_str_verify(dummy_hash, password, strlen(password))
                                : 0;
        (void)sink;
        slot_give();
        return false;
    }
    slot_take();
    bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    slot_give();
    return ok;
}

/* --- throttling ----------------------------------------------------------- */

/* A login name gets 5 free failures; a client address 20, since a whole
 * office may sign in from behind one address and one person's typos should
 * not lock out the others. Rows of old failures are dropped after a day. */
enum { FREE_FAILURES = 5, FREE_FAILURES_ADDRESS = 20, MAX_WAIT_S = 900, FORGET_AFTER_S = 86400 };

long auth_throttle_wait(struct db *db, const char *key, time_t now)
{
    struct db_stmt *s = db_query(db, "SELECT blocked_until FROM login_throttle WHERE key = ?");
    db_bind_text(s, 1, key);
    long wait = 0;
    if (db_step(s) == DB_ROW) {
        int64_t until = db_col_int(s, 0);
        if (until > now)
            wait = (long)(until - now);
    }
    db_done(s);
    return wait;
}

void auth_throttle_fail(struct db *db, const char *key, time_t now)
{
    /* read-modify-write under the write lock, so parallel failures all count */
    if (db_begin(db) != OK)
        return;
    struct db_stmt *s = db_query(db, "SELECT failures FROM login_throttle WHERE key = ?");
    db_bind_text(s, 1, key);
    int64_t failures = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    failures++;
    int64_t wait = 0;
    int64_t free_failures = strncmp(key, "a:", 2) == 0 ? FREE_FAILURES_ADDRESS : FREE_FAILURES;
    if (failures > free_failures) {
        int64_t shift = failures - free_failures - 1;
        wait = shift >= 10 ? MAX_WAIT_S : (int64_t)1 << shift;
        if (wait > MAX_WAIT_S)
            wait = MAX_WAIT_S;
    }
    s = db_query(db, failures == 1
                         ? "INSERT INTO login_throttle (failures, blocked_until, last_failure, key) "
                           "VALUES (?, ?, ?, ?)"
                         : "UPDATE login_throttle SET failures = ?, blocked_until = ?, "
                           "last_failure = ? WHERE key = ?");
    db_bind_int(s, 1, failures);
    db_bind_int(s, 2, (int64_t)now + wait);
    db_bind_int(s, 3, (int64_t)now);
    db_bind_text(s, 4, key);
    enum db_step rc = db_run(s);
    if (rc == DB_DONE) {
        s = db_query(db, "DELETE FROM login_throttle WHERE last_failure < ? AND blocked_until < ?");
        db_bind_int(s, 1, (int64_t)now - FORGET_AFTER_S);
        db_bind_int(s, 2, (int64_t)now);
        rc = db_run(s);
    }
    if (rc == DB_DONE)
        db_commit(db);
    else
        db_rollback(db);
}

void auth_throttle_clear(struct db *db, const char *key)
{
    struct db_stmt *s = db_query(db, "DELETE FROM login_throttle WHERE key = ?");
    db_bind_text(s, 1, key);
    db_run(s);
}

/* --- sessions ------------------------------------------------------------- */

void auth_sha256_hex(const char *s, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, h, sizeof h);
}

const char *auth_cookie_name(const struct request *req)
{
    return req->secure ? "__Host-tdkt_session" : "tdkt_session";
}

static bool token_shape_ok(const char *t)
{
    if (!t || strlen(t) != 43)
        return false;
    for (const char *p = t; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
            return false;
    return true;
}

static void random_token(char out[44])
{
    unsigned char rnd[32];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2base64(out, 44, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static enum result session_delete(struct db *db, const char *token_hash)
{
    struct db_stmt *s = db_query(db, "DELETE FROM sessions WHERE token_hash = ?");
    db_bind_text(s, 1, token_hash);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

enum result auth_session_start(struct request *req, int64_t user_id, bool mfa_pending)
{
    const char *old = req_cookie(req, auth_cookie_name(req));
    if (token_shape_ok(old)) {
        char h[65];
        auth_sha256_hex(old, h);
        session_delete(req->db, h);
    }
    char token[44], csrf[44], hash[65];
    random_token(token);
    random_token(csrf);
    auth_sha256_hex(token, hash);
    time_t now = time(NULL);
    /* sessions nobody came back to are dropped here, a sign-in at a time */
    struct db_stmt *purge = db_query(req->db, "DELETE FROM sessions WHERE expires_at < ?");
    db_bind_int(purge, 1, now);
    if (db_run(purge) != DB_DONE)
        return req_fail(req, E_DB, NULL, _("Không tạo được phiên làm việc. Hãy thử lại."));
    struct db_stmt *s = db_query(
        req->db, "INSERT INTO sessions (token_hash, user_id, stage, csrf, created_at, last_seen, "
                 "expires_at, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, hash);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, mfa_pending ? "mfa" : "full");
    db_bind_text(s, 4, csrf);
    db_bind_int(s, 5, now);
    db_bind_int(s, 6, now);
    db_bind_int(s, 7, now + (mfa_pending ? config.mfa_s : config.max_s));
    db_bind_text(s, 8, req->client_addr);
    if (db_run(s) != DB_DONE)
        return req_fail(req, E_DB, NULL, _("Không tạo được phiên làm việc. Hãy thử lại."));
    req_set_cookie(req, auth_cookie_name(req), token, -1);
    return OK;
}

enum result auth_session_end(struct request *req)
{
    const char *hash = req->user ? req->user->token_hash : req->pending_token_hash;
    if (req->nset_cookies == 0 || !strstr(req->set_cookies[req->nset_cookies - 1], "Max-Age=0"))
        req_set_cookie(req, auth_cookie_name(req), "", 0);
    return hash ? session_delete(req->db, hash) : OK;
}

enum result auth_sessions_end_user(struct db *db, int64_t user_id)
{
    struct db_stmt *s = db_query(db, "DELETE FROM sessions WHERE user_id = ?");
    db_bind_int(s, 1, user_id);
    return db_run(s) == DB_DONE ? OK : E_DB;
}

/* Refreshing last_seen on every request would make every page a write; once
 * a minute is exact enough for an idle limit counted in hours. */
enum { TOUCH_EVERY_S = 60 };

void auth_authenticate(struct request *req)
{
    const char *token = req_cookie(req, auth_cookie_name(req));
    if (!token)
        return;
    if (!token_shape_ok(token)) {
        req->session_expired = true;
        return;
    }
    char hash[65];
    auth_sha256_hex(token, hash);
    struct db_stmt *s = db_query(
        req->db,
        "SELECT s.user_id, s.stage, s.csrf, s.last_seen, s.expires_at, u.login, u.display_name, "
        "u.role, u.unit_id, u.disabled, u.totp_enabled, un.name FROM sessions s "
        "JOIN users u ON u.id = s.user_id LEFT JOIN units un ON un.id = u.unit_id "
        "WHERE s.token_hash = ?");
    db_bind_text(s, 1, hash);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        req->session_expired = true;
        return;
    }
    time_t now = time(NULL);
    int64_t last_seen = db_col_int(s, 3), expires = db_col_int(s, 4);
    bool full = strcmp(db_col_text(s, 1), "full") == 0;
    bool over = db_col_int(s, 9) != 0 || now >= expires || (full && now - last_seen >= config.idle_s);
    if (over) {
        db_done(s);
        session_delete(req->db, hash);
        req->session_expired = true;
        return;
    }
    const char *token_hash = arena_strdup(req->arena, hash);
    if (!full) {
        req->pending_user_id = db_col_int(s, 0);
        req->pending_token_hash = token_hash;
        db_done(s);
        return;
    }
    struct request_user *u = arena_alloc(req->arena, sizeof *u);
    u->id = db_col_int(s, 0);
    u->csrf = arena_strdup(req->arena, db_col_text(s, 2));
    u->login = arena_strdup(req->arena, db_col_text(s, 5));
    u->display_name = arena_strdup(req->arena, db_col_text(s, 6));
    u->role = auth_role_of(db_col_text(s, 7));
    u->role_name = auth_role_name(u->role);
    u->role_label = auth_role_label(u->role);
    u->unit_id = db_col_is_null(s, 8) ? 0 : db_col_int(s, 8);
    u->unit_name = db_col_is_null(s, 11) ? NULL : arena_strdup(req->arena, db_col_text(s, 11));
    u->totp_enabled = db_col_int(s, 10) != 0;
    u->token_hash = token_hash;
    db_done(s);
    if (!u->role)
        return; /* a role this version does not know: no rights at all */
    req->user = u;
    if (now - last_seen >= TOUCH_EVERY_S) {
        s = db_query(req->db, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?");
        db_bind_int(s, 1, now);
        db_bind_text(s, 2, hash);
        db_run(s);
    }
}
