/* Word-prefix search, the one query that differs by dialect.
 *
 * SQLite: the FTS5 table <table>_fts over the folded `search` column, every
 * word as a quoted prefix term ("duc"* "van"*: implicit AND).
 * PostgreSQL: one regular expression per word anchored at a word start
 * (\mduc), which the trigram GIN index on `search` serves. Both give the same
 * answer: each typed word begins some word of the folded name. */
#include <string.h>

#include "db/db.h"
#include <stdlib.h>

#include "lib/xalloc.h"

int db_search_sql(struct db *db, struct buf *sql, const char *table, const char *alias,
                  const char *folded_query, char *params[8])
{
    const char *p = folded_query;
    int n = 0;
    struct buf fts = BUF_INIT;
    while (*p && n < 8) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (db_kind(db) == DB_SQLITE) {
            if (fts.len)
                buf_addc(&fts, ' ');
            buf_addc(&fts, '"');
            for (size_t i = 0; i < len; i++) {
                if (p[i] == '"')
                    buf_addc(&fts, '"');
                buf_addc(&fts, p[i]);
            }
            buf_adds(&fts, "\"*");
        } else {
            struct buf re = BUF_INIT;
            buf_adds(&re, "\\m");
            for (size_t i = 0; i < len; i++) {
                if (strchr("\\.^$|?*+()[]{}", p[i]))
                    buf_addc(&re, '\\');
                buf_addc(&re, p[i]);
            }
            params[n] = buf_detach(&re);
            buf_printf(sql, " AND %s.search ~ ?", alias);
        }
        n++;
        p += len;
    }
    if (db_kind(db) == DB_SQLITE) {
        if (n == 0) {
            buf_free(&fts);
            return 0;
        }
        buf_printf(sql, " AND %s.id IN (SELECT rowid FROM %s_fts WHERE %s_fts MATCH ?)", alias,
                   table, table);
        params[0] = buf_detach(&fts);
        return 1;
    }
    buf_free(&fts);
    return n;
}

void db_search_free(char *params[8], int n)
{
    for (int i = 0; i < n; i++)
        free(params[i]);
}
