/* The driver-independent half of db/: statement cache, sticky errors, transactions. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

void db_set_error(struct db *db, const char *what, const char *detail)
{
    snprintf(db->errmsg, sizeof db->errmsg, "%s: %s", what, detail ? detail : "");
    /* strip the trailing newline libpq adds */
    size_t n = strlen(db->errmsg);
    while (n && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' '))
        db->errmsg[--n] = '\0';
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum result db_open(const char *url, struct db **out, struct err *e)
{
    static atomic_uint_fast64_t serials;
    struct db *db = xcalloc(1, sizeof *db);
    db->serial = atomic_fetch_add(&serials, 1) + 1;
    if (starts_with(url, "postgres://") || starts_with(url, "postgresql://")) {
        db->kind = DB_POSTGRES;
        db->drv = &db_postgres_driver;
    } else {
        db->kind = DB_SQLITE;
        db->drv = &db_sqlite_driver;
        if (starts_with(url, "sqlite:"))
            url += strlen("sqlite:");
    }
    enum result rc = db->drv->open(db, url, e);
    if (rc != OK) {
        db->drv->close(db);
        free(db);
        *out = NULL;
        return rc;
    }
    *out = db;
    return OK;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    if (db->in_tx)
        db_rollback(db);
    struct db_stmt *s = db->cache;
    while (s) {
        struct db_stmt *next = s->next;
        db->drv->finalize(s);
        free(s->sql);
        free(s);
        s = next;
    }
    for (int i = 0; i < SEARCH_COUNT_CACHE; i++)
        free(db->counts[i].match);
    db->drv->close(db);
    free(db);
}

bool db_in_tx(const struct db *db)
{
    return db->in_tx;
}

uint64_t db_serial(const struct db *db)
{
    return db->serial;
}

enum db_kind db_kind(const struct db *db)
{
    return db->kind;
}

const char *db_errmsg(const struct db *db)
{
    return db->errmsg;
}

bool db_is_broken(const struct db *db)
{
    return db->kind == DB_POSTGRES && PQstatus(db->pg) != CONNECTION_OK;
}

bool db_last_was_unique_violation(const struct db *db)
{
    return db->unique_violation;
}

struct db_stmt *db_query(struct db *db, const char *sql)
{
    struct db_stmt *s;
    for (s = db->cache; s; s = s->next)
        if (!s->busy && (s->sql == sql || strcmp(s->sql, sql) == 0))
            break;
    if (!s) {
        s = xcalloc(1, sizeof *s);
        s->db = db;
        s->sql = xstrdup(sql);
        if (!db->drv->prepare(s)) {
            fprintf(stderr, "tdkt: SQL does not compile: %s\n  in: %s\n", db->errmsg, sql);
            db->drv->finalize(s);
            free(s->sql);
            free(s);
            return NULL;
        }
        s->next = db->cache;
        db->cache = s;
    }
    s->busy = true;
    s->failed = false;
    db->unique_violation = false;
    return s;
}

static bool bind_ok(struct db_stmt *s, int idx)
{
    if (!s || s->failed)
        return false;
    if (idx < 1 || idx > s->nparams) {
        db_set_error(s->db, "bind", "parameter index out of range");
        fprintf(stderr, "tdkt: bind index %d out of range (%d) in: %s\n", idx, s->nparams, s->sql);
        s->failed = true;
        return false;
    }
    return true;
}

void db_bind_int(struct db_stmt *s, int idx, int64_t v)
{
    if (bind_ok(s, idx))
        s->db->drv->bind(s, idx, BIND_INT, v, NULL, 0);
}

void db_bind_text(struct db_stmt *s, int idx, const char *v)
{
    if (bind_ok(s, idx))
        s->db->drv->bind(s, idx, v ? BIND_TEXT : BIND_NULL, 0, v, v ? strlen(v) : 0);
}

void db_bind_blob(struct db_stmt *s, int idx, const void *data, size_t len)
{
    if (bind_ok(s, idx))
        s->db->drv->bind(s, idx, BIND_BLOB, 0, data, len);
}

void db_bind_null(struct db_stmt *s, int idx)
{
    if (bind_ok(s, idx))
        s->db->drv->bind(s, idx, BIND_NULL, 0, NULL, 0);
}

enum db_step db_step(struct db_stmt *s)
{
    if (!s || s->failed)
        return DB_ERROR;
    enum db_step r = s->db->drv->step(s);
    if (r == DB_ERROR) {
        s->failed = true;
        fprintf(stderr, "tdkt: db error: %s\n", s->db->errmsg);
    }
    return r;
}

int db_col_count(struct db_stmt *s)
{
    return s->db->drv->col_count(s);
}

const char *db_col_name(struct db_stmt *s, int col)
{
    return s->db->drv->col_name(s, col);
}

bool db_col_is_null(struct db_stmt *s, int col)
{
    return s->db->drv->col_is_null(s, col);
}

int64_t db_col_int(struct db_stmt *s, int col)
{
    return s->db->drv->col_int(s, col);
}

const char *db_col_text(struct db_stmt *s, int col)
{
    const char *t = s->db->drv->col_text(s, col);
    return t ? t : "";
}

const void *db_col_blob(struct db_stmt *s, int col, size_t *len)
{
    return s->db->drv->col_blob(s, col, len);
}

enum db_step db_done(struct db_stmt *s)
{
    if (!s)
        return DB_ERROR;
    bool failed = s->failed;
    s->db->drv->reset(s);
    s->busy = false;
    s->failed = false;
    return failed ? DB_ERROR : DB_DONE;
}

enum db_step db_run(struct db_stmt *s)
{
    if (!s)
        return DB_ERROR;
    enum db_step rc = db_step(s);
    enum db_step done = db_done(s);
    return rc == DB_ERROR || done == DB_ERROR ? DB_ERROR : DB_DONE;
}

int64_t db_scalar_int(struct db *db, const char *sql, int64_t dflt)
{
    struct db_stmt *s = db_query(db, sql);
    int64_t v = dflt;
    if (s && db_step(s) == DB_ROW && !db_col_is_null(s, 0))
        v = db_col_int(s, 0);
    db_done(s);
    return v;
}

int64_t db_scalar_int_arg(struct db *db, const char *sql, int64_t arg)
{
    struct db_stmt *s = db_query(db, sql);
    db_bind_int(s, 1, arg);
    int64_t v = 0;
    if (s && db_step(s) == DB_ROW && !db_col_is_null(s, 0))
        v = db_col_int(s, 0);
    db_done(s);
    return v;
}

static enum result run_simple(struct db *db, const char *sql)
{
    return db->drv->exec_script(db, sql);
}

enum result db_begin(struct db *db)
{
    if (db->in_tx) {
        db_set_error(db, "begin", "transaction already open");
        return E_DB;
    }
    /* Writers queue one after another on both databases: SQLite through
     * BEGIN IMMEDIATE, PostgreSQL through one advisory lock held to the end
     * of the transaction. Checks made inside a write transaction (a unit's
     * parent chain, a person's place in name order) then still hold when
     * its writes land. */
    enum result rc = run_simple(db, db->kind == DB_SQLITE
                                        ? "BEGIN IMMEDIATE"
                                        : "BEGIN; SELECT pg_advisory_xact_lock(727301)");
    if (rc == OK)
        db->in_tx = true;
    return rc;
}

static enum result bump_changes(struct db *db)
{
    return run_simple(db, "UPDATE table_changes SET n = n + 1 WHERE name = 'persons'");
}

void db_note_change(struct db *db, const char *table)
{
    if (db->kind != DB_POSTGRES || strcmp(table, "persons") != 0)
        return;
    if (db->in_tx)
        db->persons_changed = true;
    else
        bump_changes(db);
}

enum result db_commit(struct db *db)
{
    enum result rc = OK;
    if (db->persons_changed)
        rc = bump_changes(db);
    db->persons_changed = false;
    if (rc == OK)
        rc = run_simple(db, "COMMIT");
    if (rc != OK)
        run_simple(db, "ROLLBACK");
    db->in_tx = false;
    return rc;
}

void db_rollback(struct db *db)
{
    db->persons_changed = false;
    if (db->in_tx)
        run_simple(db, "ROLLBACK");
    db->in_tx = false;
}

bool db_in_transaction(const struct db *db)
{
    return db->in_tx;
}

enum result db_exec_script(struct db *db, const char *sql, struct err *e)
{
    enum result rc = db->drv->exec_script(db, sql);
    if (rc != OK)
        err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db->errmsg);
    return rc;
}
