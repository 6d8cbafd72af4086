/* Word-prefix search, the one query that differs by dialect.
 *
 * SQLite: the FTS5 table <table>_fts over the folded `search` column, every
 * word as a quoted prefix term ("duc"* "van"*: implicit AND).
 * PostgreSQL: a prefix tsquery ('duc':* & 'van':*) against a tsvector of
 * the same folded words (the 'simple' configuration: no stemming, no stop
 * words), served by a GIN index. Both give the same answer: each typed word
 * begins some word of the folded name. */
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"
#include "lib/xalloc.h"

/* The next space-separated word at or after *p (its length in *len), moving
 * *p past it; NULL when there is none. */
static const char *next_word(const char **p, size_t *len)
{
    while (**p == ' ')
        (*p)++;
    if (!**p)
        return NULL;
    const char *word = *p;
    const char *end = strchr(word, ' ');
    *len = end ? (size_t)(end - word) : strlen(word);
    *p = word + *len;
    return word;
}

/* The FTS5 expression for the words of folded (without the filter). */
static int fts_expression(const char *folded, struct buf *fts)
{
    const char *cursor = folded, *p;
    size_t len;
    int n = 0;
    while (n < 8 && (p = next_word(&cursor, &len))) {
        if (fts->len)
            buf_addc(fts, ' ');
        buf_adds(fts, "search : \"");
        for (size_t i = 0; i < len; i++) {
            if (p[i] == '"')
                buf_addc(fts, '"');
            buf_addc(fts, p[i]);
        }
        buf_adds(fts, "\"*");
        n++;
    }
    return n;
}

static char *fts_match(const char *folded, const char *fts_filter, int *nwords)
{
    struct buf fts = BUF_INIT;
    *nwords = fts_expression(folded, &fts);
    if (*nwords == 0) {
        buf_free(&fts);
        return NULL;
    }
    if (fts_filter) {
        buf_addc(&fts, ' ');
        buf_adds(&fts, fts_filter);
    }
    return buf_detach(&fts);
}

int db_search_sql(struct db *db, struct buf *sql, const char *table, const char *alias,
                  const char *key, const char *folded_query, const char *fts_filter,
                  char *params[8])
{
    if (db_kind(db) == DB_SQLITE) {
        int words;
        char *match = fts_match(folded_query, fts_filter, &words);
        if (!match)
            return 0;
        buf_printf(sql, " AND %s.%s IN (SELECT rowid FROM %s_fts WHERE %s_fts MATCH ?)", alias,
                   key, table, table);
        params[0] = match;
        return 1;
    }
    /* PostgreSQL: 'nguyen':* & 'van':* against the tsvector of the words */
    const char *cursor = folded_query, *p;
    size_t len;
    int n = 0;
    struct buf tsq = BUF_INIT;
    while (n < 8 && (p = next_word(&cursor, &len))) {
        if (tsq.len)
            buf_adds(&tsq, " & ");
        buf_addc(&tsq, '\'');
        for (size_t i = 0; i < len; i++) {
            if (p[i] == '\'' || p[i] == '\\')
                buf_addc(&tsq, '\\');
            buf_addc(&tsq, p[i]);
        }
        buf_adds(&tsq, "':*");
        n++;
    }
    if (n == 0) {
        buf_free(&tsq);
        return 0;
    }
    params[0] = buf_detach(&tsq);
    buf_printf(sql, " AND %s.search_words @@ to_tsquery('simple', ?)", alias);
    return 1;
}

/* The stamp of the database as this connection sees it now. */
static void count_stamp(struct db *db, int64_t *data_version, int64_t *total_changes)
{
    *data_version = db_scalar_int(db, "PRAGMA data_version", -1);
    *total_changes = (int64_t)sqlite3_total_changes64(db->lite);
}

bool db_search_count(struct db *db, const char *table, const char *folded_query,
                     const char *fts_filter, int64_t *count)
{
    if (db_kind(db) != DB_SQLITE)
        return false;
    int words;
    char *match = fts_match(folded_query, fts_filter, &words);
    if (!match)
        return false;
    char *key = xasprintf("%s\n%s", table, match);
    int64_t version, changes;
    count_stamp(db, &version, &changes);
    struct search_count *slot = &db->counts[0];
    for (int i = 0; i < SEARCH_COUNT_CACHE; i++) {
        struct search_count *c = &db->counts[i];
        if (c->match && strcmp(c->match, key) == 0) {
            if (c->data_version == version && c->total_changes == changes) {
                c->used = ++db->counts_clock;
                *count = c->count;
                free(key);
                free(match);
                return true;
            }
            slot = c;
            break;
        }
        if (!c->match || c->used < slot->used)
            slot = c;
    }
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT count(*) FROM %s_fts WHERE %s_fts MATCH ?", table, table);
    struct db_stmt *s = db_query(db, buf_cstr(&sql));
    buf_free(&sql);
    db_bind_text(s, 1, match);
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *count = db_col_int(s, 0);
    db_done(s);
    free(match);
    if (!ok || db_in_transaction(db)) {
        /* a count inside an open transaction may still be rolled back */
        free(key);
        return ok;
    }
    free(slot->match);
    *slot = (struct search_count){key, *count, version, changes, ++db->counts_clock};
    return true;
}

void db_search_free(char *params[8], int n)
{
    for (int i = 0; i < n; i++)
        free(params[i]);
}
