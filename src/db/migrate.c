/* Numbered migrations compiled into the binary (migrations/sqlite, migrations/postgres).
 *
 * Each file NNNN_name.sql runs in its own transaction together with the row
 * that records it, so a crash leaves either all of a migration or none. Two
 * processes migrating at once serialise: SQLite through BEGIN IMMEDIATE,
 * PostgreSQL through an advisory lock; each re-checks the version inside. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "lib/assets.h"
#include "lib/i18n.h"

static const char *dialect_dir(struct db *db)
{
    return db_kind(db) == DB_SQLITE ? "migrations/sqlite/" : "migrations/postgres/";
}

static enum result ensure_table(struct db *db, struct err *e)
{
    return db_exec_script(db,
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INTEGER PRIMARY KEY,"
                          " name TEXT NOT NULL,"
                          " applied_at TEXT NOT NULL)",
                          e);
}

static bool is_applied(struct db *db, long version)
{
    struct db_stmt *s = db_query(db, "SELECT 1 FROM schema_migrations WHERE version = ?");
    db_bind_int(s, 1, version);
    bool found = db_step(s) == DB_ROW;
    db_done(s);
    return found;
}

static enum result apply_one(struct db *db, const struct asset *a, long version, const char *name,
                             bool *applied, struct err *e)
{
    *applied = false;
    if (db_begin(db) != OK)
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
    if (db_kind(db) == DB_POSTGRES &&
        db_exec_script(db, "SELECT pg_advisory_xact_lock(727372)", e) != OK)
        goto fail;
    if (is_applied(db, version)) {
        db_rollback(db);
        return OK;
    }
    if (db_exec_script(db, (const char *)a->data, e) != OK) {
        fprintf(stderr, "tdkt: migration %s failed: %s\n", a->path, db_errmsg(db));
        err_set(e, E_DB, "", _("Nâng cấp cơ sở dữ liệu %s thất bại: %s"), name, db_errmsg(db));
        goto fail;
    }
    char now[32];
    time_t t = time(NULL);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    struct db_stmt *s =
        db_query(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    db_bind_int(s, 1, version);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, now);
    db_step(s);
    if (db_done(s) != DB_DONE || db_commit(db) != OK) {
        err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
        db_rollback(db);
        return E_DB;
    }
    *applied = true;
    return OK;
fail:
    db_rollback(db);
    return E_DB;
}

enum result db_migrate(struct db *db, int *applied_count, struct err *e)
{
    if (applied_count)
        *applied_count = 0;
    if (ensure_table(db, e) != OK)
        return E_DB;
    const char *dir = dialect_dir(db);
    size_t dir_len = strlen(dir);
    /* The asset table is sorted by path, so migrations come in number order. */
    for (const struct asset *a = assets; a->path; a++) {
        if (strncmp(a->path, dir, dir_len) != 0)
            continue;
        const char *name = a->path + dir_len;
        char *end;
        long version = strtol(name, &end, 10);
        if (end == name || *end != '_')
            continue;
        bool applied;
        enum result rc = apply_one(db, a, version, name, &applied, e);
        if (rc != OK)
            return rc;
        if (applied && applied_count)
            (*applied_count)++;
    }
    return OK;
}
