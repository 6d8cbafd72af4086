/* Accounts and sessions: password hashing, session tokens, login throttling,
 * roles. The pages that use them are in accounts.c and users.c. */
#ifndef TDKT_FEATURES_AUTH_H
#define TDKT_FEATURES_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "http/http.h"
#include "lib/result.h"

struct db;

/* Session lifetimes in seconds; set once at start-up (tdkt serve options). */
struct auth_config {
    long idle_s;      /* a session unused this long ends (default 2 h) */
    long max_s;       /* a session ends this long after sign-in (default 12 h) */
    long mfa_s;       /* time to type the second factor (5 min) */
};
void auth_configure(const struct auth_config *cfg);
const struct auth_config *auth_config_get(void);

enum { LOGIN_MAX = 64, PASSWORD_MIN = 10, PASSWORD_MAX = 200 };

/* The role of a name ("admin", "office", "council", "unit"), 0 when unknown. */
enum role_bit auth_role_of(const char *name);
const char *auth_role_name(enum role_bit role);
/* The role's name for people (Vietnamese, translated). */
const char *auth_role_label(enum role_bit role);

/* Normalises a typed login name (trim, lower-case ASCII) into out. Returns
 * NULL when valid, else the message for people (too long, bad characters). */
const char *auth_login_normalise(const char *typed, char out[LOGIN_MAX + 1]);
/* NULL when the password may be used, else why not (length, equal to login). */
const char *auth_password_problem(const char *password, const char *login);

/* Argon2id (libsodium, interactive limits). At most two hashes run at once in
 * the whole process, so a burst of logins is bounded in memory (2 × 64 MiB);
 * the others wait their turn. Returns false only when out of memory. */
bool auth_password_hash(const char *password, char out[128]);
/* Checks password against hash. A NULL hash (unknown user) is checked
 * against a fixed dummy hash, so the answer takes about the same time. */
bool auth_password_verify(const char *hash, const char *password);

/* Login throttling per key ("u:login", "a:address"): after 5 failures in a
 * row each further one doubles the wait (1 s … 15 min). Returns the seconds
 * still to wait (0 = may try now). */
long auth_throttle_wait(struct db *db, const char *key, time_t now);
void auth_throttle_fail(struct db *db, const char *key, time_t now);
void auth_throttle_clear(struct db *db, const char *key);

/* Starts a session ('full', or 'mfa' while the second factor is due): a new
 * 32-byte random token, stored only as its SHA-256. Sets the cookie on req.
 * Any session the request came with is ended first (a new token at login). */
enum result auth_session_start(struct request *req, int64_t user_id, bool mfa_pending);
/* Ends the request's session (full or pending) and removes the cookie. */
enum result auth_session_end(struct request *req);
/* Ends every session of a user (password change, disabled account). E_DB
 * when the delete failed: the caller must not commit the change then. */
enum result auth_sessions_end_user(struct db *db, int64_t user_id);
/* The server's authenticate hook: finds the session of the cookie. */
void auth_authenticate(struct request *req);

/* The session cookie's name: __Host- prefixed when Secure. */
const char *auth_cookie_name(const struct request *req);

/* Hex SHA-256 of a string (session tokens, recovery codes). */
void auth_sha256_hex(const char *s, char out[65]);

#endif
