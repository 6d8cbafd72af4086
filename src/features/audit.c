/* The hash-chained audit log.
 *
 * An entry's hash is SHA-256 over its fields, each written as its byte
 * length, a colon and the bytes (so no choice of content can shift one field
 * into the next), ending with the previous entry's hash. seq is contiguous:
 * writers are serialised (SQLite BEGIN IMMEDIATE, PostgreSQL's advisory lock
 * in db_begin), so each entry takes the last seq + 1. A removed entry is
 * then a gap in seq or a broken link; an altered one has a wrong hash; a
 * reordered or inserted one breaks the links around it. What no chain can
 * show is the removal of the newest entries: `tdkt audit verify` prints the
 * head hash so that it can be written down elsewhere (see docs/accounts.md). */
#include "features/audit.h"

#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "http/http.h"
#include "lib/date.h"
#include "lib/i18n.h"

static const char ZERO_HASH[] = "0000000000000000000000000000000000000000000000000000000000000000";

struct audit_actor audit_actor_of(const struct request *req)
{
    struct audit_actor a = {0, "", req->request_id, req->client_addr};
    if (req->user) {
        a.user_id = req->user->id;
        a.login = req->user->login;
    }
    return a;
}

struct audit_actor audit_actor_cli(void)
{
    static __thread char name[64];
    const struct passwd *pw = getpwuid(getuid());
    snprintf(name, sizeof name, "cli:%s", pw ? pw->pw_name : "?");
    return (struct audit_actor){0, name, "", "cli"};
}

static void field(crypto_hash_sha256_state *h, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    /* NULL and "" differ: NULL is written as "-" with no colon */
    int k = s ? snprintf(len, sizeof len, "%zu:", n) : snprintf(len, sizeof len, "-");
    crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
    if (n)
        crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void field_int(crypto_hash_sha256_state *h, int64_t v, bool null)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    field(h, null ? NULL : num);
}

struct entry {
    int64_t seq, user_id, entity_id;
    bool user_null, entity_null;
    const char *at, *login, *action, *entity, *before, *after, *request_id, *client, *prev_hash;
};

static void entry_hash(const struct entry *en, char out[65])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    field_int(&h, en->seq, false);
    field(&h, en->at);
    field_int(&h, en->user_id, en->user_null);
    field(&h, en->login);
    field(&h, en->action);
    field(&h, en->entity);
    field_int(&h, en->entity_id, en->entity_null);
    field(&h, en->before);
    field(&h, en->after);
    field(&h, en->request_id);
    field(&h, en->client);
    field(&h, en->prev_hash);
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

enum result audit_append(struct db *db, const struct audit_actor *who, const char *action,
                         const char *entity, int64_t entity_id, json_t *before, json_t *after,
                         struct err *e)
{
    if (!db_in_transaction(db))
        return err_set(e, E_DB, NULL, "audit_append outside a transaction (%s %s)", action, entity);
    char prev[65] = "";
    int64_t last = 0;
    struct db_stmt *s = db_query(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (db_step(s) == DB_ROW) {
        last = db_col_int(s, 0);
        snprintf(prev, sizeof prev, "%s", db_col_text(s, 1));
    } else {
        memcpy(prev, ZERO_HASH, sizeof ZERO_HASH);
    }
    if (db_done(s) == DB_ERROR)
        return err_set(e, E_DB, NULL, _("Không ghi được nhật ký thay đổi."));

    char at[21];
    date_now_utc(at);
    const size_t flags = JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY;
    char *b = before ? json_dumps(before, flags) : NULL;
    char *a = after ? json_dumps(after, flags) : NULL;
    struct entry en = {
        .seq = last + 1, .user_id = who->user_id, .user_null = who->user_id == 0,
        .entity_id = entity_id, .entity_null = entity_id == 0, .at = at,
        .login = who->login ? who->login : "", .action = action, .entity = entity,
        .before = b, .after = a, .request_id = who->request_id ? who->request_id : "",
        .client = who->client ? who->client : "", .prev_hash = prev,
    };
    char hash[65];
    entry_hash(&en, hash);
    s = db_query(db, "INSERT INTO audit_log (seq, at, user_id, login, action, entity, entity_id, "
                     "before_json, after_json, request_id, client, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, en.seq);
    db_bind_text(s, 2, en.at);
    if (en.user_null)
        db_bind_null(s, 3);
    else
        db_bind_int(s, 3, en.user_id);
    db_bind_text(s, 4, en.login);
    db_bind_text(s, 5, action);
    db_bind_text(s, 6, entity);
    if (en.entity_null)
        db_bind_null(s, 7);
    else
        db_bind_int(s, 7, entity_id);
    db_bind_text(s, 8, b);
    db_bind_text(s, 9, a);
    db_bind_text(s, 10, en.request_id);
    db_bind_text(s, 11, en.client);
    db_bind_text(s, 12, prev);
    db_bind_text(s, 13, hash);
    enum db_step rc = db_run(s);
    free(b);
    free(a);
    if (rc != DB_DONE)
        return err_set(e, E_DB, NULL, _("Không ghi được nhật ký thay đổi."));
    return OK;
}

enum result audit_record(struct request *req, const char *action, const char *entity,
                         int64_t entity_id, json_t *before, json_t *after)
{
    struct audit_actor who = audit_actor_of(req);
    struct err e = {0};
    if (audit_append(req->db, &who, action, entity, entity_id, before, after, &e) != OK) {
        fprintf(stderr, "time=- level=error req=%s msg=\"%s\"\n", req->request_id, e.msg);
        return req_fail(req, E_DB, NULL, "%s", _("Không ghi được nhật ký thay đổi, nên chưa lưu."));
    }
    return OK;
}

enum result audit_commit(struct request *req, const char *action, const char *entity, int64_t id,
                         json_t *before, json_t *(*get)(struct db *, int64_t))
{
    json_t *after = get(req->db, id);
    enum result rc = audit_record(req, action, entity, id, before, after);
    json_decref(before);
    json_decref(after);
    if (rc != OK)
        return E_DB;
    return db_commit(req->db);
}

enum result audit_verify(struct db *db, int64_t *count, char head[65], int64_t *bad_seq,
                         struct err *e)
{
    *count = 0;
    *bad_seq = 0;
    memcpy(head, ZERO_HASH, sizeof ZERO_HASH);
    struct db_stmt *s = db_query(
        db, "SELECT seq, at, user_id, login, action, entity, entity_id, before_json, after_json, "
            "request_id, client, prev_hash, hash FROM audit_log ORDER BY seq");
    char prev[65];
    memcpy(prev, ZERO_HASH, sizeof ZERO_HASH);
    int64_t expect_seq = 1;
    enum result rc = OK;
    while (db_step(s) == DB_ROW) {
        struct entry en = {
            .seq = db_col_int(s, 0), .at = db_col_text(s, 1),
            .user_null = db_col_is_null(s, 2), .user_id = db_col_int(s, 2),
            .login = db_col_text(s, 3), .action = db_col_text(s, 4), .entity = db_col_text(s, 5),
            .entity_null = db_col_is_null(s, 6), .entity_id = db_col_int(s, 6),
            .before = db_col_is_null(s, 7) ? NULL : db_col_text(s, 7),
            .after = db_col_is_null(s, 8) ? NULL : db_col_text(s, 8),
            .request_id = db_col_text(s, 9), .client = db_col_text(s, 10),
            .prev_hash = db_col_text(s, 11),
        };
        const char *stored = db_col_text(s, 12);
        char hash[65];
        entry_hash(&en, hash);
        *bad_seq = en.seq;
        if (en.seq != expect_seq) {
            rc = en.seq > expect_seq
                     ? err_set(e, E_CONFLICT, NULL,
                               _("Thiếu mục %lld đến %lld của nhật ký: đã bị xóa."),
                               (long long)expect_seq, (long long)(en.seq - 1))
                     : err_set(e, E_CONFLICT, NULL, _("Mục %lld của nhật ký lặp lại."),
                               (long long)en.seq);
            *bad_seq = en.seq > expect_seq ? expect_seq : en.seq;
            break;
        }
        if (strcmp(en.prev_hash, prev) != 0) {
            rc = err_set(e, E_CONFLICT, NULL,
                         _("Mục %lld của nhật ký không nối tiếp mục trước: có mục đã bị xóa, "
                           "chèn thêm hoặc đổi thứ tự."),
                         (long long)en.seq);
            break;
        }
        if (strcmp(hash, stored) != 0) {
            rc = err_set(e, E_CONFLICT, NULL,
                         _("Mục %lld của nhật ký đã bị sửa sau khi ghi."), (long long)en.seq);
            break;
        }
        memcpy(prev, hash, sizeof prev);
        (*count)++;
        expect_seq++;
    }
    if (db_done(s) == DB_ERROR && rc == OK)
        return err_set(e, E_DB, NULL, _("Không đọc được nhật ký thay đổi: %s"), db_errmsg(db));
    if (rc == OK) {
        *bad_seq = 0;
        memcpy(head, prev, 65);
    }
    return rc;
}
