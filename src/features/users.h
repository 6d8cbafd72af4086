/* User accounts: storage, and the admin pages /users … (routes in routes.c).
 * Sign-in, sign-out and a user's own account pages are in accounts.c. */
#ifndef TDKT_FEATURES_USERS_H
#define TDKT_FEATURES_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

struct db;

struct user_input {
    const char *login;        /* as typed; normalised by user_check */
    const char *display_name;
    const char *role;         /* "admin", "office", "council", "unit" */
    int64_t unit_id;          /* required for role "unit", refused otherwise */
    const char *email;
};

/* Checks u (for a new user when self_id is 0), writing messages per field
 * into errors. login_out receives the normalised login. */
bool user_check(struct db *db, const struct user_input *u, int64_t self_id, json_t *errors,
                char login_out[65]);
/* Inserts a checked user with an Argon2id hash (auth_password_hash). */
enum result user_insert(struct db *db, const struct user_input *u, const char *login,
                        const char *password_hash, int64_t *id);
/* The user without secrets: {id, login, display_name, role, role_label,
 * unit_id, unit: {id, name}, email, disabled, totp_enabled, version, …};
 * NULL when absent. */
json_t *user_get(struct db *db, int64_t id);
/* The id of a login (normalised), 0 when none. */
int64_t user_id_by_login(struct db *db, const char *login);
enum result user_set_password(struct db *db, int64_t id, const char *password_hash);
enum result user_set_disabled(struct db *db, int64_t id, bool disabled);
/* Turns the second factor off: the secret and the recovery codes go. */
enum result user_totp_off(struct db *db, int64_t id);

enum result users_list(struct request *req);
enum result users_show(struct request *req);
enum result users_new(struct request *req);
enum result users_create(struct request *req);
enum result users_edit(struct request *req);
enum result users_update(struct request *req);
enum result users_disable(struct request *req);
enum result users_enable(struct request *req);
enum result users_reset_password(struct request *req);
enum result users_reset_totp(struct request *req);

#endif
