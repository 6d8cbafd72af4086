/* The unit and person lists (unit_list, person_list in registry.h): the
 * WHERE clause built from the filters, paging, counting, and the search
 * paths of each driver described in docs/architecture.md. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "features/registry.h"
#include "features/registry_int.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "text/text.h"

/* Binds the values collected while building a list's WHERE clause. */
struct binds {
    int n;
    int type[16];
    int64_t num[16];
    const char *text[16];
};

static void bind_text_later(struct binds *b, const char *t)
{
    b->type[b->n] = 1;
    b->text[b->n++] = t;
}

static void bind_int_later(struct binds *b, int64_t v)
{
    b->type[b->n] = 0;
    b->num[b->n++] = v;
}

static void apply_binds(struct db_stmt *s, const struct binds *b, int first)
{
    for (int i = 0; i < b->n; i++) {
        if (b->type[i])
            db_bind_text(s, first + i, b->text[i]);
        else
            db_bind_int(s, first + i, b->num[i]);
    }
}

static const char *status_or_default(const char *status)
{
    if (status && (strcmp(status, "inactive") == 0 || strcmp(status, "all") == 0))
        return status;
    return "active";
}

/* count_from names only the listed table: the WHERE clauses never need the
 * joined tables, and counting without the joins reads far less. */
static json_t *run_list(struct db *db, const char *select, const char *count_from,
                        const char *from, struct buf *where, const struct binds *b,
                        const char *order, const struct list_query *q, int64_t known_total,
                        json_t *(*row)(struct db_stmt *, const char *today), struct err *e)
{
    char today[11];
    date_today(today);
    struct buf sql = BUF_INIT;
    struct db_stmt *s;
    int64_t total = known_total;
    if (total < 0) {
        buf_printf(&sql, "SELECT count(*) FROM %s WHERE 1 = 1%s", count_from, buf_cstr(where));
        s = db_query(db, buf_cstr(&sql));
        apply_binds(s, b, 1);
        total = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
        if (db_done(s) != DB_DONE || total < 0) {
            buf_free(&sql);
            err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu khi đọc danh sách."));
            return NULL;
        }
        buf_reset(&sql);
    }
    buf_printf(&sql, "SELECT %s FROM %s WHERE 1 = 1%s ORDER BY %s", select, from,
               buf_cstr(where), order);
    if (q->per_page > 0)
        buf_adds(&sql, " LIMIT ? OFFSET ?");
    s = db_query(db, buf_cstr(&sql));
    apply_binds(s, b, 1);
    if (q->per_page > 0) {
        int64_t page = q->page > 0 ? q->page : 1;
        db_bind_int(s, b->n + 1, q->per_page);
        db_bind_int(s, b->n + 2, (page - 1) * q->per_page);
    }
    json_t *items = json_array();
    enum db_step r;
    while ((r = db_step(s)) == DB_ROW) {
        if (q->each) {
            json_t *one = row(s, today);
            q->each(one, q->ctx);
            json_decref(one);
        } else {
            json_array_append_new(items, row(s, today));
        }
    }
    db_done(s);
    buf_free(&sql);
    if (r == DB_ERROR) {
        json_decref(items);
        err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu khi đọc danh sách."));
        return NULL;
    }
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

static json_t *unit_row(struct db_stmt *s, const char *today)
{
    json_t *u = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:I}", "id",
                          (json_int_t)db_col_int(s, 0), "code", db_col_text(s, 1), "name",
                          db_col_text(s, 2), "short_name", db_col_text(s, 3), "kind",
                          db_col_text(s, 4), "kind_name", db_col_text(s, 5), "active_from",
                          registry_opt_string(s, 8), "active_to", registry_opt_string(s, 9), "version",
                          (json_int_t)db_col_int(s, 10));
    json_object_set_new(u, "parent",
                        db_col_is_null(s, 6)
                            ? json_null()
                            : json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, 6),
                                        "name", db_col_text(s, 7), "code", db_col_text(s, 11)));
    json_object_set_new(u, "active",
                        json_boolean(registry_is_active(db_col_text(s, 8), db_col_text(s, 9), today)));
    registry_add_dmy(u);
    return u;
}

json_t *unit_list(struct db *db, const struct list_query *q, struct err *e)
{
    char today[11];
    date_today(today);
    struct buf where = BUF_INIT;
    struct binds b = {0};
    if (q->kind) {
        buf_adds(&where, " AND u.kind = ?");
        bind_text_later(&b, q->kind);
    }
    if (q->parent_id) {
        buf_adds(&where, " AND u.parent_id = ?");
        bind_int_later(&b, q->parent_id);
    }
    if (q->scope_unit) {
        buf_adds(&where, " AND u.id IN (" SCOPE_SUBTREE_SQL ")");
        bind_int_later(&b, q->scope_unit);
    }
    const char *status = status_or_default(q->status);
    if (strcmp(status, "active") == 0) {
        buf_adds(&where, " AND (u.active_from IS NULL OR u.active_from <= ?) "
                         "AND (u.active_to IS NULL OR u.active_to > ?)");
        bind_text_later(&b, today);
        bind_text_later(&b, today);
    } else if (strcmp(status, "inactive") == 0) {
        buf_adds(&where, " AND NOT ((u.active_from IS NULL OR u.active_from <= ?) "
                         "AND (u.active_to IS NULL OR u.active_to > ?))");
        bind_text_later(&b, today);
        bind_text_later(&b, today);
    }
    char *terms[8];
    int nterms = 0;
    if (q->q) {
        char *folded = text_fold(q->q);
        nterms = db_search_sql(db, &where, "units", "u", "id", folded, NULL, terms);
        free(folded);
        for (int i = 0; i < nterms; i++)
            bind_text_later(&b, terms[i]);
    }
    const char *order = "u.sort_key, u.id";
    if (q->sort) {
        if (strcmp(q->sort, "-name") == 0)
            order = "u.sort_key DESC, u.id DESC";
        else if (strcmp(q->sort, "code") == 0)
            order = "u.code, u.id";
        else if (strcmp(q->sort, "-code") == 0)
            order = "u.code DESC, u.id DESC";
        else if (strcmp(q->sort, "kind") == 0)
            order = "k.position, u.sort_key, u.id";
        else if (strcmp(q->sort, "-kind") == 0)
            order = "k.position DESC, u.sort_key, u.id";
    }
    json_t *r = run_list(db,
                         "u.id, u.code, u.name, u.short_name, u.kind, k.name, u.parent_id, p.name, "
                         "u.active_from, u.active_to, u.version, p.code", "units u",
                         "units u JOIN unit_kinds k ON k.code = u.kind "
                         "LEFT JOIN units p ON p.id = u.parent_id",
                         &where, &b, order, q, -1, unit_row, e);
    db_search_free(terms, nterms);
    buf_free(&where);
    return r;
}

static json_t *person_row(struct db_stmt *s, const char *today)
{
    (void)today;
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:b,s:{s:I,s:s,s:s,s:s},s:I}", "id",
                     (json_int_t)db_col_int(s, 0), "full_name", db_col_text(s, 1), "gender",
                     db_col_text(s, 2), "gender_name",
                     strcmp(db_col_text(s, 2), "nu") == 0 ? _("Nữ") : _("Nam"), "birth_year",
                     db_col_is_null(s, 3) ? json_null() : json_integer(db_col_int(s, 3)),
                     "position", db_col_text(s, 4), "active", (int)db_col_int(s, 5), "unit", "id",
                     (json_int_t)db_col_int(s, 6), "name", db_col_text(s, 7), "short_name",
                     db_col_text(s, 8), "code", db_col_text(s, 10), "version",
                     (json_int_t)db_col_int(s, 9));
}

static const char PERSON_COLUMNS[] = "p.id, p.full_name, p.gender, p.birth_year, p.position, "
                                    "p.active, p.unit_id, u.name, u.short_name, p.version, u.code";

/* The page of a name-sorted SQLite search (see person_list): match is the
 * FTS5 expression db_search_sql made, total the count already known. The
 * search index is keyed by name_rank, so the page is the index's own first
 * matches in rowid order: no match outside the page is read or sorted. */
static json_t *person_search_page(struct db *db, const struct list_query *q, const char *match,
                                  int64_t total, struct err *e)
{
    bool desc = q->sort && strcmp(q->sort, "-name") == 0;
    const char *dir = desc ? "DESC" : "";
    int64_t page = q->page > 0 ? q->page : 1;
    struct buf sql = BUF_INIT;
    buf_printf(&sql,
               "SELECT %s FROM (SELECT rowid AS r FROM persons_fts WHERE persons_fts MATCH ? "
               "ORDER BY rowid %s LIMIT ? OFFSET ?) page "
               "JOIN persons p ON p.name_rank = page.r JOIN units u ON u.id = p.unit_id "
               "ORDER BY p.name_rank %s",
               PERSON_COLUMNS, dir, dir);
    struct db_stmt *s = db_query(db, buf_cstr(&sql));
    buf_free(&sql);
    db_bind_text(s, 1, match);
    db_bind_int(s, 2, q->per_page);
    db_bind_int(s, 3, (page - 1) * q->per_page);
    json_t *items = json_array();
    enum db_step r;
    while ((r = db_step(s)) == DB_ROW)
        json_array_append_new(items, person_row(s, NULL));
    db_done(s);
    if (r == DB_ERROR) {
        json_decref(items);
        err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu khi đọc danh sách."));
        return NULL;
    }
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

json_t *person_list(struct db *db, const struct list_query *q, struct err *e)
{
    struct buf where = BUF_INIT;
    struct binds b = {0};
    if (q->parent_id) {
        buf_adds(&where, " AND p.unit_id = ?");
        bind_int_later(&b, q->parent_id);
    }
    if (q->scope_unit) {
        buf_adds(&where, " AND p.unit_id IN (" SCOPE_SUBTREE_SQL ")");
        bind_int_later(&b, q->scope_unit);
    }
    const char *status = status_or_default(q->status);
    const char *fts_filter = strcmp(status, "active") == 0     ? "NOT active : 0"
                             : strcmp(status, "inactive") == 0 ? "AND active : 0"
                                                               : NULL;
    if (strcmp(status, "active") == 0)
        buf_adds(&where, " AND p.active = 1");
    else if (strcmp(status, "inactive") == 0)
        buf_adds(&where, " AND p.active = 0");
    char *terms[8];
    int nterms = 0;
    char *folded = q->q ? text_fold(q->q) : NULL;
    if (folded) {
        nterms = db_search_sql(db, &where, "persons", "p", "name_rank", folded, fts_filter, terms);
        for (int i = 0; i < nterms; i++)
            bind_text_later(&b, terms[i]);
    }
    /* A search over the whole province sorted by name: its count (and the
     * place of its first match in name order) is remembered while the
     * persons do not change. SQLite then reads the page from the search
     * index in name order (person_search_page). PostgreSQL walks the name
     * order from the first match when there are many matches (they are dense
     * from there on), and sorts the matches when there are few. */
    bool by_name = !q->sort || strcmp(q->sort, "name") == 0 || strcmp(q->sort, "-name") == 0;
    bool desc = q->sort && strcmp(q->sort, "-name") == 0;
    int64_t total = -1;
    const char *order = "p.sort_key, p.id";
    struct db_search_stats stats;
    const char *sql_filter = strcmp(status, "active") == 0     ? " AND t.active = 1"
                             : strcmp(status, "inactive") == 0 ? " AND t.active = 0"
                                                               : NULL;
    if (nterms && !q->parent_id && !q->scope_unit && q->per_page > 0 && by_name && !q->each &&
        db_search_stats(db, "persons", folded, fts_filter, sql_filter, &stats)) {
        total = stats.count;
        if (db_kind(db) == DB_SQLITE) {
            free(folded);
            json_t *r = person_search_page(db, q, terms[0], total, e);
            db_search_free(terms, nterms);
            buf_free(&where);
            return r;
        }
        if (!desc && total > 1000) {
            buf_adds(&where, " AND p.name_rank >= ?");
            bind_int_later(&b, stats.first_rank);
            order = "p.name_rank";
        } else {
            /* "+ 0": not the name index, so the few matches are found first */
            order = desc ? "p.name_rank + 0 DESC" : "p.name_rank + 0";
        }
    }
    free(folded);
    if (q->sort && total < 0) {
        if (strcmp(q->sort, "-name") == 0)
            order = "p.sort_key DESC, p.id DESC";
        else if (strcmp(q->sort, "birth_year") == 0)
            order = "p.birth_year, p.sort_key, p.id";
        else if (strcmp(q->sort, "-birth_year") == 0)
            order = "p.birth_year DESC, p.sort_key, p.id";
        else if (strcmp(q->sort, "unit") == 0)
            order = "u.sort_key, p.sort_key, p.id";
        else if (strcmp(q->sort, "-unit") == 0)
            order = "u.sort_key DESC, p.sort_key, p.id";
    }
    json_t *r = run_list(db, PERSON_COLUMNS, "persons p",
                         "persons p JOIN units u ON u.id = p.unit_id", &where, &b, order, q, total,
                         person_row, e);
    db_search_free(terms, nterms);
    buf_free(&where);
    return r;
}

json_t *unit_options(struct db *db, int64_t selected, int64_t scope_unit, int64_t exclude)
{
    struct list_query all = {.status = "active", .page = 1, .per_page = 0,
                             .scope_unit = scope_unit};
    struct err e = {0};
    json_t *list = unit_list(db, &all, &e);
    json_t *out = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(list, "items"), i, u) {
        int64_t id = json_integer_value(json_object_get(u, "id"));
        if (id == exclude)
            continue;
        json_array_append_new(out, json_pack("{s:I,s:O,s:O,s:b}", "value", (json_int_t)id, "name",
                                             json_object_get(u, "name"), "code",
                                             json_object_get(u, "code"), "selected", id == selected));
    }
    json_decref(list);
    return out;
}
