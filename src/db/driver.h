/* The inside of db/: what a driver implements and the shared structs.
 * Only the files of db/ include this; everything else sees db.h. */
#ifndef TDKT_DB_DRIVER_H
#define TDKT_DB_DRIVER_H

#include <libpq-fe.h>
#include <sqlite3.h>

#include "db/db.h"

struct db_stmt {
    struct db *db;
    struct db_stmt *next; /* in the connection's cache */
    char *sql;            /* as written, with ? marks: the cache key */
    bool failed;          /* sticky: set by a failed bind or step */
    bool busy;            /* handed out by db_query and not yet db_done */
    int nparams;
    /* SQLite */
    sqlite3_stmt *lite;
    /* PostgreSQL */
    char *pg_name;
    char **pg_values;
    int *pg_lengths;
    int *pg_formats;
    PGresult *pg_res;
    PGresult *pg_desc; /* column names and count, known before the first step */
    int pg_row;  /* the current row, -1 before the first step */
    int pg_rows;
    char *pg_bytes; /* decoded bytea of the last db_col_blob */
};

struct db_driver {
    enum result (*open)(struct db *db, const char *url, struct err *e);
    void (*close)(struct db *db);
    bool (*prepare)(struct db_stmt *s);
    void (*finalize)(struct db_stmt *s);
    void (*bind)(struct db_stmt *s, int idx, int type, int64_t iv, const void *p, size_t len);
    enum db_step (*step)(struct db_stmt *s);
    void (*reset)(struct db_stmt *s);
    int (*col_count)(struct db_stmt *s);
    const char *(*col_name)(struct db_stmt *s, int col);
    bool (*col_is_null)(struct db_stmt *s, int col);
    int64_t (*col_int)(struct db_stmt *s, int col);
    const char *(*col_text)(struct db_stmt *s, int col);
    const void *(*col_blob)(struct db_stmt *s, int col, size_t *len);
    enum result (*exec_script)(struct db *db, const char *sql);
};

enum { BIND_NULL, BIND_INT, BIND_TEXT, BIND_BLOB };

/* Counts of recent searches: one is reused only while the table is
 * unchanged, which the stamp proves (see stats_stamp in search.c). */
enum { SEARCH_COUNT_CACHE = 64 };
struct search_count {
    char *match;         /* the SQL and its parameter; NULL when free */
    int64_t count;
    int64_t first_rank;
    int64_t data_version, total_changes; /* the stamp (see search.c) */
    unsigned used;       /* for least-recently-used replacement */
};

struct db {
    struct search_count counts[SEARCH_COUNT_CACHE];
    unsigned counts_clock;
    enum db_kind kind;
    uint64_t serial; /* db_serial */
    const struct db_driver *drv;
    struct db_stmt *cache;
    int stmt_counter;
    bool in_tx;
    bool persons_changed;  /* moved table_changes at commit (PostgreSQL) */
    bool unique_violation;
    char errmsg[512];
    sqlite3 *lite;
    PGconn *pg;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_postgres_driver;

/* Records a driver error on the connection (and in the log). */
void db_set_error(struct db *db, const char *what, const char *detail);

#endif
