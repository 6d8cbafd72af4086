/* The SQLite driver: the embedded default (one file, WAL, foreign keys). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"
#include "lib/i18n.h"

static enum result lite_open(struct db *db, const char *path, struct err *e)
{
    int rc = sqlite3_open_v2(path, &db->lite,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        db_set_error(db, "open", db->lite ? sqlite3_errmsg(db->lite) : sqlite3_errstr(rc));
        return err_set(e, E_DB, "db", _("Không mở được cơ sở dữ liệu SQLite \"%s\": %s"), path,
                       db->lite ? sqlite3_errmsg(db->lite) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(db->lite, 1);
    /* A writer waits up to 10 s for another instead of failing at once. */
    sqlite3_busy_timeout(db->lite, 10000);
    /* 16 MB of page cache per connection (one per worker thread): the hot
     * pages of a 200 000-person registry stay in memory instead of being
     * re-read from the file on every request. */
    char *msg = NULL;
    rc = sqlite3_exec(db->lite,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                      "PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_error(db, "open", msg);
        err_set(e, E_DB, "db", _("Không mở được cơ sở dữ liệu SQLite \"%s\": %s"), path,
                msg ? msg : "");
        sqlite3_free(msg);
        return E_DB;
    }
    return OK;
}

static void lite_close(struct db *db)
{
    if (db->lite)
        sqlite3_close_v2(db->lite);
    db->lite = NULL;
}

static void note_error(struct db *db, int rc, const char *what)
{
    db->unique_violation = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
    db_set_error(db, what, sqlite3_errmsg(db->lite));
}

static bool lite_prepare(struct db_stmt *s)
{
    int rc = sqlite3_prepare_v3(s->db->lite, s->sql, -1, SQLITE_PREPARE_PERSISTENT, &s->lite,
                                NULL);
    if (rc != SQLITE_OK) {
        note_error(s->db, rc, "prepare");
        return false;
    }
    s->nparams = sqlite3_bind_parameter_count(s->lite);
    return true;
}

static void lite_finalize(struct db_stmt *s)
{
    sqlite3_finalize(s->lite);
    s->lite = NULL;
}

static void lite_bind(struct db_stmt *s, int idx, int type, int64_t iv, const void *p, size_t len)
{
    int rc;
    switch (type) {
    case BIND_INT: rc = sqlite3_bind_int64(s->lite, idx, iv); break;
    case BIND_TEXT: rc = sqlite3_bind_text64(s->lite, idx, p, len, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case BIND_BLOB: rc = sqlite3_bind_blob64(s->lite, idx, p ? p : "", len, SQLITE_TRANSIENT); break;
    default: rc = sqlite3_bind_null(s->lite, idx); break;
    }
    if (rc != SQLITE_OK) {
        note_error(s->db, rc, "bind");
        s->failed = true;
    }
}

static enum db_step lite_step(struct db_stmt *s)
{
    int rc = sqlite3_step(s->lite);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    note_error(s->db, rc, "step");
    return DB_ERROR;
}

static void lite_reset(struct db_stmt *s)
{
    sqlite3_reset(s->lite);
    sqlite3_clear_bindings(s->lite);
}

static int lite_col_count(struct db_stmt *s)
{
    return sqlite3_column_count(s->lite);
}

static const char *lite_col_name(struct db_stmt *s, int col)
{
    return sqlite3_column_name(s->lite, col);
}

static bool lite_col_is_null(struct db_stmt *s, int col)
{
    return sqlite3_column_type(s->lite, col) == SQLITE_NULL;
}

static int64_t lite_col_int(struct db_stmt *s, int col)
{
    return sqlite3_column_int64(s->lite, col);
}

static const char *lite_col_text(struct db_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s->lite, col);
}

static const void *lite_col_blob(struct db_stmt *s, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(s->lite, col);
    *len = (size_t)sqlite3_column_bytes(s->lite, col);
    return p;
}

static enum result lite_exec_script(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->lite, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db->unique_violation = rc == SQLITE_CONSTRAINT_UNIQUE;
        db_set_error(db, "exec", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return E_DB;
    }
    return OK;
}

const struct db_driver db_sqlite_driver = {
    .open = lite_open,
    .close = lite_close,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .bind = lite_bind,
    .step = lite_step,
    .reset = lite_reset,
    .col_count = lite_col_count,
    .col_name = lite_col_name,
    .col_is_null = lite_col_is_null,
    .col_int = lite_col_int,
    .col_text = lite_col_text,
    .col_blob = lite_col_blob,
    .exec_script = lite_exec_script,
};

enum result db_backup(struct db *db, const char *path, struct err *e)
{
    if (db->kind != DB_SQLITE)
        return err_set(e, E_INVALID, "db",
                       _("Sao lưu PostgreSQL bằng pg_dump; lệnh backup dành cho SQLite."));
    sqlite3 *dest = NULL;
    int rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->lite, "main");
        if (b) {
            /* copy in steps so writers are not held up for the whole copy */
            do {
                rc = sqlite3_backup_step(b, 256);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                    sqlite3_sleep(50);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        } else {
            rc = sqlite3_errcode(dest);
        }
    }
    const char *msg = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    enum result r = OK;
    if (rc != SQLITE_OK)
        r = err_set(e, E_IO, "file", _("Không sao lưu được vào \"%s\": %s"), path, msg);
    sqlite3_close(dest);
    return r;
}
