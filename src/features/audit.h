/* The audit log: every write appends an entry in the same transaction (who,
 * when, action, entity, before and after), and the entries form a hash
 * chain, so an altered, removed or reordered entry is found by
 * audit_verify (`tdkt audit verify`). */
#ifndef TDKT_FEATURES_AUDIT_H
#define TDKT_FEATURES_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "lib/result.h"

struct db;
struct request;

struct audit_actor {
    int64_t user_id;        /* 0: no account (the command line, a failed login) */
    const char *login;      /* "" for none */
    const char *request_id; /* "" outside HTTP */
    const char *client;     /* client address, or "cli" */
};

/* The actor of an HTTP request: its signed-in user, if any. */
struct audit_actor audit_actor_of(const struct request *req);
/* The actor of a command-line run ("cli", the OS user in login). */
struct audit_actor audit_actor_cli(void);

/* Appends one entry. Must run inside the write transaction of the change it
 * records (db_begin), which also serialises the chain: the entry takes the
 * last seq + 1 and the last hash. before/after may be NULL; they are stored
 * as compact JSON with sorted keys. Not consumed. */
enum result audit_append(struct db *db, const struct audit_actor *who, const char *action,
                         const char *entity, int64_t entity_id, json_t *before, json_t *after,
                         struct err *e);

/* The same for the request's user; on failure the request fails (500). */
enum result audit_record(struct request *req, const char *action, const char *entity,
                         int64_t entity_id, json_t *before, json_t *after);

/* Records the change of one entity in the open transaction, then commits.
 * The entry's "after" is read back by get(db, id) inside the transaction;
 * before (the state read in the transaction before the change, or NULL for
 * a creation) is consumed. Returns the commit's result (E_DB on failure). */
enum result audit_commit(struct request *req, const char *action, const char *entity, int64_t id,
                         json_t *before, json_t *(*get)(struct db *, int64_t));

/* Walks the chain from the first entry. OK when intact: *count entries, the
 * last hash in head (64 hex, or 64 zeros when empty). E_CONFLICT when not:
 * *bad_seq is the first entry found wrong and e->msg says how (altered,
 * removed, inserted or reordered). */
enum result audit_verify(struct db *db, int64_t *count, char head[65], int64_t *bad_seq,
                         struct err *e);

#endif
