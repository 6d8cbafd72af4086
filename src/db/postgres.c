/* The PostgreSQL driver (libpq): parameters only, never SQL built from values.
 *
 * `?` marks are numbered $1, $2 … outside string literals, quoted identifiers
 * and comments. Each statement is prepared once per connection; every value
 * travels as text except blobs, which travel as binary bytea. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"
#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

enum { BYTEA_OID = 17 };

static enum result pg_open(struct db *db, const char *url, struct err *e)
{
    db->pg = PQconnectdb(url);
    if (PQstatus(db->pg) != CONNECTION_OK) {
        db_set_error(db, "connect", PQerrorMessage(db->pg));
        return err_set(e, E_DB, "db", _("Không kết nối được PostgreSQL: %s"), db->errmsg);
    }
    PQsetClientEncoding(db->pg, "UTF8");
    PGresult *r = PQexec(db->pg, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        db_set_error(db, "connect", PQerrorMessage(db->pg));
        return err_set(e, E_DB, "db", _("Không kết nối được PostgreSQL: %s"), db->errmsg);
    }
    return OK;
}

static void pg_close(struct db *db)
{
    if (db->pg)
        PQfinish(db->pg);
    db->pg = NULL;
}

static void note_error(struct db *db, PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    db->unique_violation = state && strcmp(state, "23505") == 0;
    db_set_error(db, what, r ? PQresultErrorMessage(r) : PQerrorMessage(db->pg));
}

/* ? → $n, outside '…', "…", -- and block comments. Returns the count.
 * Not understood, and so not to be used in tdkt's SQL: dollar-quoted strings
 * ($$…$$), E'…' strings with backslash escapes, and the ? family of jsonb
 * operators (write jsonb_exists() instead). */
static int number_placeholders(const char *sql, struct buf *out)
{
    int n = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            buf_addc(out, *p++);
            while (*p && *p != q)
                buf_addc(out, *p++);
            if (!*p)
                break;
            buf_addc(out, *p);
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                buf_addc(out, *p++);
            if (!*p)
                break;
            buf_addc(out, *p);
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            size_t len = end ? (size_t)(end + 2 - p) : strlen(p);
            buf_add(out, p, len);
            p += len - 1;
        } else if (*p == '?') {
            buf_printf(out, "$%d", ++n);
        } else {
            buf_addc(out, *p);
        }
    }
    return n;
}

static bool pg_prepare(struct db_stmt *s)
{
    struct buf sql = BUF_INIT;
    s->nparams = number_placeholders(s->sql, &sql);
    s->pg_name = xasprintf("s%d", ++s->db->stmt_counter);
    PGresult *r = PQprepare(s->db->pg, s->pg_name, buf_cstr(&sql), s->nparams, NULL);
    buf_free(&sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        note_error(s->db, r, "prepare");
    PQclear(r);
    if (!ok)
        return false;
    s->pg_desc = PQdescribePrepared(s->db->pg, s->pg_name);
    int n = s->nparams ? s->nparams : 1;
    s->pg_values = xcalloc((size_t)n, sizeof(char *));
    s->pg_lengths = xcalloc((size_t)n, sizeof(int));
    s->pg_formats = xcalloc((size_t)n, sizeof(int));
    s->pg_row = -1;
    return true;
}

static void clear_params(struct db_stmt *s)
{
    for (int i = 0; i < s->nparams && s->pg_values; i++) {
        free(s->pg_values[i]);
        s->pg_values[i] = NULL;
        s->pg_lengths[i] = 0;
        s->pg_formats[i] = 0;
    }
}

static void pg_reset(struct db_stmt *s)
{
    clear_params(s);
    if (s->pg_res)
        PQclear(s->pg_res);
    s->pg_res = NULL;
    s->pg_row = -1;
    s->pg_rows = 0;
    PQfreemem(s->pg_bytes);
    s->pg_bytes = NULL;
}

static void pg_finalize(struct db_stmt *s)
{
    if (s->pg_values)
        pg_reset(s);
    if (s->pg_name && s->db->pg && PQstatus(s->db->pg) == CONNECTION_OK) {
        char *dealloc = xasprintf("DEALLOCATE %s", s->pg_name);
        PQclear(PQexec(s->db->pg, dealloc));
        free(dealloc);
    }
    if (s->pg_desc)
        PQclear(s->pg_desc);
    free(s->pg_name);
    free(s->pg_values);
    free(s->pg_lengths);
    free(s->pg_formats);
}

static void pg_bind(struct db_stmt *s, int idx, int type, int64_t iv, const void *p, size_t len)
{
    int i = idx - 1;
    free(s->pg_values[i]);
    s->pg_values[i] = NULL;
    s->pg_formats[i] = 0;
    s->pg_lengths[i] = 0;
    switch (type) {
    case BIND_INT: s->pg_values[i] = xasprintf("%" PRId64, iv); break;
    case BIND_TEXT: s->pg_values[i] = xstrndup(p, len); break;
    case BIND_BLOB:
        s->pg_values[i] = xmalloc(len ? len : 1);
        if (len)
            memcpy(s->pg_values[i], p, len);
        s->pg_lengths[i] = (int)len;
        s->pg_formats[i] = 1;
        break;
    default: break;
    }
}

static enum db_step pg_step(struct db_stmt *s)
{
    if (!s->pg_res) {
        s->pg_res = PQexecPrepared(s->db->pg, s->pg_name, s->nparams,
                                   (const char *const *)s->pg_values, s->pg_lengths,
                                   s->pg_formats, 0);
        ExecStatusType st = PQresultStatus(s->pg_res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            note_error(s->db, s->pg_res, "step");
            return DB_ERROR;
        }
        s->pg_rows = st == PGRES_TUPLES_OK ? PQntuples(s->pg_res) : 0;
        s->pg_row = -1;
    }
    PQfreemem(s->pg_bytes);
    s->pg_bytes = NULL;
    if (s->pg_row + 1 < s->pg_rows) {
        s->pg_row++;
        return DB_ROW;
    }
    s->pg_row = s->pg_rows;
    return DB_DONE;
}

static bool on_row(struct db_stmt *s, int col)
{
    return s->pg_res && s->pg_row >= 0 && s->pg_row < s->pg_rows && col >= 0 &&
           col < PQnfields(s->pg_res);
}

static int pg_col_count(struct db_stmt *s)
{
    return s->pg_desc ? PQnfields(s->pg_desc) : 0;
}

static const char *pg_col_name(struct db_stmt *s, int col)
{
    return s->pg_desc ? PQfname(s->pg_desc, col) : NULL;
}

static bool pg_col_is_null(struct db_stmt *s, int col)
{
    return !on_row(s, col) || PQgetisnull(s->pg_res, s->pg_row, col);
}

static const char *pg_col_text(struct db_stmt *s, int col)
{
    return on_row(s, col) ? PQgetvalue(s->pg_res, s->pg_row, col) : "";
}

static int64_t pg_col_int(struct db_stmt *s, int col)
{
    const char *t = pg_col_text(s, col);
    /* booleans, should one slip in, read as 0/1 like SQLite */
    if (t[0] == 't' && t[1] == '\0')
        return 1;
    return strtoll(t, NULL, 10);
}

static const void *pg_col_blob(struct db_stmt *s, int col, size_t *len)
{
    *len = 0;
    if (!on_row(s, col) || PQgetisnull(s->pg_res, s->pg_row, col))
        return NULL;
    const char *t = PQgetvalue(s->pg_res, s->pg_row, col);
    if (PQftype(s->pg_res, col) != BYTEA_OID) {
        *len = (size_t)PQgetlength(s->pg_res, s->pg_row, col);
        return t;
    }
    PQfreemem(s->pg_bytes);
    s->pg_bytes = (char *)PQunescapeBytea((const unsigned char *)t, len);
    return s->pg_bytes;
}

static enum result pg_exec_script(struct db *db, const char *sql)
{
    PGresult *r = PQexec(db->pg, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
    if (!ok)
        note_error(db, r, "exec");
    PQclear(r);
    return ok ? OK : E_DB;
}

const struct db_driver db_postgres_driver = {
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind = pg_bind,
    .step = pg_step,
    .reset = pg_reset,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_is_null = pg_col_is_null,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .exec_script = pg_exec_script,
};
