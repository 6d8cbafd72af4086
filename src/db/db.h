/* Storage: one interface, two drivers (SQLite, PostgreSQL).
 *
 * Queries are written once with `?` placeholders in the SQL both databases
 * understand; the PostgreSQL driver numbers them. Statements are prepared
 * once per connection and cached by their SQL text. A connection belongs to
 * one thread at a time (the server keeps one per worker thread).
 *
 * Errors are sticky on the statement: binds after a failure do nothing and
 * db_step then returns DB_ERROR, so callers check once, at the step. Values
 * are integers, text and blobs only (booleans are 0/1 integers, points are
 * integer hundredths, dates ISO 8601 text), which both drivers carry exactly. */
#ifndef TDKT_DB_DB_H
#define TDKT_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/result.h"

enum db_kind { DB_SQLITE, DB_POSTGRES };

struct db;
struct db_stmt;

enum db_step { DB_DONE = 0, DB_ROW = 1, DB_ERROR = -1 };

/* Opens url: "postgres://…" or "postgresql://…" for PostgreSQL; "sqlite:PATH"
 * or a plain PATH for SQLite (created if missing). */
enum result db_open(const char *url, struct db **out, struct err *e);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);

/* A number no other connection opened by this process has had: a memo kept
 * per connection keys on it, not on the pointer, which a reopened
 * connection may reuse. */
uint64_t db_serial(const struct db *db);

/* Whether a transaction is open on db (db_begin without commit/rollback). */
bool db_in_tx(const struct db *db);
/* The last error of the connection, for logs (not for people). */
const char *db_errmsg(const struct db *db);
/* True when the connection is lost (PostgreSQL restarted): reopen it. */
bool db_is_broken(const struct db *db);

/* The cached statement for sql, reset and with no bindings. Returns NULL only
 * when sql does not compile: a programming error, logged with the SQL. */
struct db_stmt *db_query(struct db *db, const char *sql);
/* Parameters are numbered from 1, in the order of the `?` marks. */
void db_bind_int(struct db_stmt *s, int idx, int64_t v);
void db_bind_text(struct db_stmt *s, int idx, const char *v); /* NULL binds SQL NULL */
void db_bind_blob(struct db_stmt *s, int idx, const void *data, size_t len);
void db_bind_null(struct db_stmt *s, int idx);
enum db_step db_step(struct db_stmt *s);
int db_col_count(struct db_stmt *s);
const char *db_col_name(struct db_stmt *s, int col);
bool db_col_is_null(struct db_stmt *s, int col);
int64_t db_col_int(struct db_stmt *s, int col);
/* Never NULL: SQL NULL reads as "". Valid until the next step or db_done. */
const char *db_col_text(struct db_stmt *s, int col);
const void *db_col_blob(struct db_stmt *s, int col, size_t *len);
/* Ends the use of s (resets it for the next db_query of the same SQL). The
 * result is DB_ERROR if anything failed since db_query, else DB_DONE. */
enum db_step db_done(struct db_stmt *s);
/* Runs a statement that returns no rows (INSERT, UPDATE, DELETE without
 * RETURNING) and ends it: DB_DONE, or DB_ERROR when it failed. */
enum db_step db_run(struct db_stmt *s);
/* True when the last failure was a unique-constraint violation. */
bool db_last_was_unique_violation(const struct db *db);

/* Runs sql (no parameters) and returns the first column of the first row as
 * an integer, or dflt when there is no row. */
int64_t db_scalar_int(struct db *db, const char *sql, int64_t dflt);
/* The same with one integer parameter; 0 when there is no row. */
int64_t db_scalar_int_arg(struct db *db, const char *sql, int64_t arg);

/* Records that the current write changed table (one of table_changes on
 * PostgreSQL): the counter moves once, at commit (or at once outside a
 * transaction), so remembered search counts are dropped. No effect on
 * SQLite, where data_version serves. */
void db_note_change(struct db *db, const char *table);

/* Transactions. db_begin starts a write transaction (BEGIN IMMEDIATE on
 * SQLite, so writers queue at the start instead of failing at commit). */
enum result db_begin(struct db *db);
enum result db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_transaction(const struct db *db);

/* Runs a script of several statements without parameters (migrations). */
enum result db_exec_script(struct db *db, const char *sql, struct err *e);

/* Applies the embedded migrations that are missing, each in its own
 * transaction, and records them in schema_migrations. Returns the number
 * applied in *applied (may be NULL). */
enum result db_migrate(struct db *db, int *applied, struct err *e);


/* Search: appends to sql a condition (starting with " AND ") true for rows of
 * `alias` (a table with a `search` column holding text_fold of its names, and
 * on SQLite a <table>_fts index) in which every word of folded_query begins a
 * word. Returns the number of `?` appended; their values are put in params
 * (heap strings, free with db_search_free). At most 8 words count. The words
 * are folded (letters and digits only), so neither FTS5 syntax nor a regular
 * expression can be injected through them; they are still quoted.
 * fts_filter, when not NULL, is FTS5 syntax of ours appended to the match on
 * SQLite (e.g. "NOT active : 0"); the caller keeps the same filter in SQL for
 * PostgreSQL. key is the column of `alias` the FTS5 rowid stands for ("id",
 * or "name_rank" for persons). */
int db_search_sql(struct db *db, struct buf *sql, const char *table, const char *alias,
                  const char *key, const char *folded_query, const char *fts_filter,
                  char *params[8]);
/* The number of matches of the same search and the smallest name_rank
 * among them, for a table with a name_rank column (persons): on SQLite read
 * from the search index alone (fts_filter appended to the match), on
 * PostgreSQL with SQL (sql_filter, e.g. " AND t.active = 1", appended to the
 * WHERE; the table's alias is t). Remembered per connection while the table
 * is unchanged. Returns false on error. */
struct db_search_stats {
    int64_t count;
    int64_t first_rank;
};
bool db_search_stats(struct db *db, const char *table, const char *folded_query,
                     const char *fts_filter, const char *sql_filter,
                     struct db_search_stats *out);

void db_search_free(char *params[8], int n);

/* Copies a live SQLite database into the file at path with SQLite's online
 * backup API (writers may go on meanwhile). On PostgreSQL it refuses with
 * E_INVALID: pg_dump is the tool there. */
enum result db_backup(struct db *db, const char *path, struct err *e);

#endif
