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

/* The stamp of the database as this connection sees it now: SQLite's
 * data_version moves with every commit of another connection and
 * total_changes with every row this one writes; on PostgreSQL, a trigger
 * counts the statements that change the table (table_changes). */
static void stats_stamp(struct db *db, const char *table, int64_t *a, int64_t *b)
{
    if (db_kind(db) == DB_SQLITE) {
        *a = db_scalar_int(db, "PRAGMA data_version", -1);
        *b = (int64_t)sqlite3_total_changes64(db->lite);
        return;
    }
    struct db_stmt *s = db_query(db, "SELECT n FROM table_changes WHERE name = ?");
    db_bind_text(s, 1, table);
    *a = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_done(s);
    *b = 0;
}

/* Runs sql (one text parameter; it returns the count of matches and the
 * smallest name_rank among them) unless the answer for the same sql and
 * parameter is remembered and the table has not changed since. */
static bool cached_stats(struct db *db, const char *table, const char *sql, const char *param,
                         struct db_search_stats *out)
{
    char *key = xasprintf("%s\n%s", sql, param);
    int64_t stamp_a, stamp_b;
    stats_stamp(db, table, &stamp_a, &stamp_b);
    struct search_count *slot = &db->counts[0];
    for (int i = 0; i < SEARCH_COUNT_CACHE; i++) {
        struct search_count *c = &db->counts[i];
        if (c->match && strcmp(c->match, key) == 0) {
            if (c->data_version == stamp_a && c->total_changes == stamp_b && stamp_a >= 0) {
                c->used = ++db->counts_clock;
                out->count = c->count;
                out->first_rank = c->first_rank;
                free(key);
                return true;
            }
            slot = c;
            break;
        }
        if (!c->match || c->used < slot->used)
            slot = c;
    }
    struct db_stmt *s = db_query(db, sql);
    db_bind_text(s, 1, param);
    bool ok = db_step(s) == DB_ROW;
    if (ok) {
        out->count = db_col_int(s, 0);
        out->first_rank = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
    }
    db_done(s);
    if (!ok || db_in_transaction(db) || stamp_a < 0) {
        /* an answer inside an open transaction may still be rolled back */
        free(key);
        return ok;
    }
    free(slot->match);
    *slot = (struct search_count){key, out->count, out->first_rank, stamp_a, stamp_b,
                                  ++db->counts_clock};
    return true;
}

bool db_search_stats(struct db *db, const char *table, const char *folded_query,
                     const char *fts_filter, const char *sql_filter, struct db_search_stats *out)
{
    if (db_kind(db) == DB_SQLITE) {
        int words;
        char *match = fts_match(folded_query, fts_filter, &words);
        if (!match)
            return false;
        struct buf sql = BUF_INIT;
        buf_printf(&sql, "SELECT count(*), min(rowid) FROM %s_fts WHERE %s_fts MATCH ?", table,
                   table);
        bool ok = cached_stats(db, table, buf_cstr(&sql), match, out);
        buf_free(&sql);
        free(match);
        return ok;
    }
    char *params[8];
    struct buf where = BUF_INIT;
    int n = db_search_sql(db, &where, table, "t", "id", folded_query, NULL, params);
    if (n != 1) {
        buf_free(&where);
        db_search_free(params, n);
        return false;
    }
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT count(*), min(t.name_rank) FROM %s t WHERE 1 = 1%s%s", table,
               sql_filter ? sql_filter : "", buf_cstr(&where));
    bool ok = cached_stats(db, table, buf_cstr(&sql), params[0], out);
    buf_free(&sql);
    buf_free(&where);
    db_search_free(params, n);
    return ok;
}

void db_search_free(char *params[8], int n)
{
    for (int i = 0; i < n; i++)
        free(params[i]);
}
