/* The computed results of a criteria table (features/score_results.h): the
 * loading in a few queries, the what-if carry-over, and the calls to the
 * domain's scoring and ranking rules. */
#include "features/score_results.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/bloc.h"
#include "features/criteria.h"
#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

static const char *const kind_codes[] = {"group", "direct", "passfail", "occurrence", "target",
                                         NULL};

static enum score_kind kind_of(const char *k)
{
    for (int i = 0; k && kind_codes[i]; i++)
        if (strcmp(kind_codes[i], k) == 0)
            return (enum score_kind)i;
    return SCORE_DIRECT;
}

static int64_t jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static size_t node_index(const struct score_results *r, int64_t id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->node_ids[i] == id)
            return i;
    return r->n;
}

/* The table's row as JSON with the fields criteria_get gives (but not its
 * nodes: the tree is read straight into arrays by load_tree), and its bands.
 * NULL when there is no such table. */
static json_t *table_row(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(
        db, "SELECT c.id, c.group_id, c.year, c.title, c.status, c.version, g.name, g.code, "
            "c.stage, c.self_due, c.review1_due, c.explain_due, c.review2_due, c.mode, "
            "c.normalise, c.min_sample, c.bonus_cap_x100, c.tie_breaks FROM criteria_tables c "
            "JOIN emulation_groups g ON g.id = c.group_id WHERE c.id = ?");
    db_bind_int(s, 1, id);
    json_t *t = NULL;
    if (db_step(s) == DB_ROW) {
        const char *stage = db_col_text(s, 8);
        t = json_pack("{s:I,s:I,s:I,s:s,s:s,s:b,s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:I,s:s}", "id",
                      (json_int_t)db_col_int(s, 0), "group_id", (json_int_t)db_col_int(s, 1),
                      "year", (json_int_t)db_col_int(s, 2), "title", db_col_text(s, 3), "status",
                      db_col_text(s, 4), "is_draft", strcmp(db_col_text(s, 4), "draft") == 0,
                      "version", (json_int_t)db_col_int(s, 5), "group_name", db_col_text(s, 6),
                      "group_code", db_col_text(s, 7), "stage", stage, "stage_name",
                      criteria_stage_name(stage), "mode", db_col_text(s, 13), "is_cross",
                      strcmp(db_col_text(s, 13), "cross") == 0, "normalise",
                      db_col_int(s, 14) != 0, "min_sample", (json_int_t)db_col_int(s, 15),
                      "tie_breaks", db_col_text(s, 17));
        static const char *const dues[] = {"self_due", "review1_due", "explain_due",
                                           "review2_due"};
        for (int i = 0; i < 4; i++)
            json_object_set_new(t, dues[i],
                                db_col_is_null(s, 9 + i) ? json_null()
                                                         : json_string(db_col_text(s, 9 + i)));
        json_object_set_new(t, "bonus_cap_x100",
                            db_col_is_null(s, 16) ? json_null() : json_integer(db_col_int(s, 16)));
    }
    db_done(s);
    if (!t)
        return NULL;
    json_t *bands = json_array();
    s = db_query(db, "SELECT position, name, min_x100 FROM criteria_bands WHERE table_id = ? "
                     "ORDER BY position");
    db_bind_int(s, 1, id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(bands, json_pack("{s:I,s:s,s:I}", "position",
                                               (json_int_t)db_col_int(s, 0), "name",
                                               db_col_text(s, 1), "min_x100",
                                               (json_int_t)db_col_int(s, 2)));
    db_done(s);
    json_object_set_new(t, "bands", bands);
    return t;
}

struct raw_node {
    int64_t id, parent_id, max, each;
    enum score_kind kind;
    bool capped;
    char *code, *name;
};

/* Depth first from parent, siblings by (position, id): criteria_get's order. */
static void order_tree(struct score_results *r, struct raw_node *raw, size_t n, bool *placed,
                       int64_t parent, int parent_index)
{
    for (size_t i = 0; i < n; i++) {
        if (placed[i] || raw[i].parent_id != parent)
            continue;
        placed[i] = true;
        size_t me = r->n++;
        r->node_ids[me] = raw[i].id;
        r->nodes[me] = (struct score_node){.code = raw[i].code, .name = raw[i].name,
                                           .parent = parent_index, .kind = raw[i].kind,
                                           .max = raw[i].max, .each = raw[i].each,
                                           .capped = raw[i].capped};
        raw[i].code = raw[i].name = NULL; /* now owned by r->nodes */
        r->old_max[me] = raw[i].max;
        order_tree(r, raw, n, placed, raw[i].id, (int)me);
    }
}

/* The tree in one query, parents first. A node whose parent is missing is
 * left out, as criteria_get does. */
static void load_tree(struct db *db, struct score_results *r)
{
    struct db_stmt *s = db_query(db, "SELECT id, parent_id, kind, code, name, max_x100, "
                                     "each_x100, capped FROM criteria_nodes WHERE table_id = ? "
                                     "ORDER BY position, id");
    db_bind_int(s, 1, r->table_id);
    size_t n = 0, cap = 64;
    struct raw_node *raw = xmalloc(cap * sizeof *raw);
    while (db_step(s) == DB_ROW) {
        if (n == cap)
            raw = xrealloc(raw, (cap *= 2) * sizeof *raw);
        raw[n++] = (struct raw_node){
            .id = db_col_int(s, 0), .parent_id = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1),
            .kind = kind_of(db_col_text(s, 2)), .code = xstrdup(db_col_text(s, 3)),
            .name = xstrdup(db_col_text(s, 4)), .max = db_col_int(s, 5),
            .each = db_col_is_null(s, 6) ? 0 : db_col_int(s, 6), .capped = db_col_int(s, 7) != 0};
    }
    db_done(s);
    r->nodes = xcalloc(n + 1, sizeof *r->nodes);
    r->node_ids = xcalloc(n + 1, sizeof *r->node_ids);
    r->old_max = xcalloc(n + 1, sizeof *r->old_max);
    bool *placed = xcalloc(n + 1, sizeof *placed);
    order_tree(r, raw, n, placed, 0, -1);
    for (size_t i = 0; i < n; i++) {
        free(raw[i].code);
        free(raw[i].name);
    }
    free(placed);
    free(raw);
}

/* What-if maxima: a leaf takes its override; a group's maximum is the sum
 * of its children's, or, when capped, its override (else its own) held to
 * that sum so the tree stays valid (docs/scoring.md, what-if). */
static void apply_overrides(struct score_results *r, const struct whatif_overrides *w)
{
    for (size_t k = 0; k < w->n; k++) {
        size_t i = node_index(r, w->items[k].node_id);
        if (i == r->n)
            continue;
        if (r->nodes[i].kind != SCORE_GROUP || r->nodes[i].capped)
            r->nodes[i].max = w->items[k].max;
        if (w->items[k].has_each && r->nodes[i].kind == SCORE_OCCURRENCE)
            r->nodes[i].each = w->items[k].each;
    }
    int64_t *sums = xcalloc(r->n + 1, sizeof *sums);
    for (size_t k = r->n; k-- > 0;) {
        struct score_node *nd = &r->nodes[k];
        if (nd->kind == SCORE_GROUP)
            nd->max = nd->capped && nd->max < sums[k] ? nd->max : sums[k];
        if (nd->parent >= 0)
            sums[nd->parent] += nd->max;
    }
    free(sums);
}

static size_t unit_index(const struct score_results *r, int64_t unit)
{
    for (size_t u = 0; u < r->nunits; u++)
        if (r->units[u].unit == unit)
            return u;
    return r->nunits;
}

static size_t add_unit(struct score_results *r, size_t *cap, int64_t unit, const char *name)
{
    size_t u = unit_index(r, unit);
    if (u < r->nunits)
        return u;
    if (r->nunits == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        r->units = xrealloc(r->units, *cap * sizeof *r->units);
    }
    r->units[r->nunits] = (struct unit_result){.unit = unit, .name = xstrdup(name ? name : ""),
                                               .women_pct = -1, .band = -1, .tiebreak = -1,
                                               .points = xcalloc(r->n + 1, sizeof(int64_t))};
    return r->nunits++;
}

/* The members at the year's end, then units with a sheet (one query). */
static void load_units(struct db *db, struct score_results *r)
{
    size_t cap = 0;
    char year_end[16];
    snprintf(year_end, sizeof year_end, "%04d-12-31", r->year);
    /* the members in the group's order (groups.h group_members) */
    struct db_stmt *s = db_query(db, "SELECT m.unit_id, u.name, m.left_on FROM group_members m "
                                     "JOIN units u ON u.id = m.unit_id WHERE m.group_id = ? AND "
                                     "m.year = ? ORDER BY u.sort_key, u.id");
    db_bind_int(s, 1, r->group_id);
    db_bind_int(s, 2, r->year);
    while (db_step(s) == DB_ROW) {
        if (!db_col_is_null(s, 2) && strcmp(db_col_text(s, 2), year_end) <= 0)
            continue;
        add_unit(r, &cap, db_col_int(s, 0), db_col_text(s, 1));
    }
    db_done(s);
    s = db_query(db, "SELECT s.unit_id, u.name, s.status, s.submitted_at, s.women_pct FROM "
                     "score_sheets s JOIN units u ON u.id = s.unit_id WHERE s.table_id = ? "
                     "ORDER BY u.sort_key, s.unit_id");
    db_bind_int(s, 1, r->table_id);
    while (db_step(s) == DB_ROW) {
        struct unit_result *u = &r->units[add_unit(r, &cap, db_col_int(s, 0), db_col_text(s, 1))];
        u->has_sheet = true;
        u->submitted = strcmp(db_col_text(s, 2), "submitted") == 0;
        if (!db_col_is_null(s, 3))
            u->submitted_at = xstrdup(db_col_text(s, 3));
        if (!db_col_is_null(s, 4))
            u->women_pct = db_col_int(s, 4);
    }
    db_done(s);
}

/* Every answer of the table in one query: answers[u * n + i]. A direct
 * answer under a what-if is carried over in proportion (value × new max /
 * old max, rounded half up once); the other kinds keep their answer and
 * the formulas use the new maximum and points each. */
static void load_answers(struct db *db, struct score_results *r, struct score_answer *answers)
{
    struct db_stmt *s = db_query(db, "SELECT s.unit_id, a.node_id, a.value_x100, a.target_x100 "
                                     "FROM score_sheets s JOIN score_answers a ON a.sheet_id = "
                                     "s.id WHERE s.table_id = ? ORDER BY s.unit_id, a.node_id");
    db_bind_int(s, 1, r->table_id);
    int64_t last_unit = 0;
    size_t u = r->nunits, i = 0;
    while (db_step(s) == DB_ROW) {
        int64_t unit = db_col_int(s, 0), node = db_col_int(s, 1);
        if (unit != last_unit || u == r->nunits) {
            u = unit_index(r, unit);
            last_unit = unit;
            i = 0;
        }
        if (u == r->nunits)
            continue;
        /* nodes are mostly in id order too: look from the last hit on */
        size_t k = i < r->n && r->node_ids[i] == node ? i : node_index(r, node);
        if (k == r->n)
            continue;
        i = k + 1;
        int64_t value = db_col_int(s, 2);
        if (r->nodes[k].kind == SCORE_DIRECT && r->nodes[k].max != r->old_max[k])
            value = r->old_max[k] > 0 && value >= 0
                        ? score_div_round(value * r->nodes[k].max, r->old_max[k])
                        : 0;
        answers[u * r->n + k] = (struct score_answer){
            .answered = true, .value = value, .target = db_col_is_null(s, 3) ? 0 : db_col_int(s, 3)};
    }
    db_done(s);
}

/* Active bonuses, deductions and vetoes (withdrawn ones do not count). */
static void load_adjustments(struct db *db, struct score_results *r)
{
    struct db_stmt *s = db_query(db, "SELECT s.unit_id, a.kind, a.points_x100 FROM "
                                     "score_adjustments a JOIN score_sheets s ON s.id = "
                                     "a.sheet_id WHERE s.table_id = ? AND a.withdrawn_at IS NULL");
    db_bind_int(s, 1, r->table_id);
    while (db_step(s) == DB_ROW) {
        size_t u = unit_index(r, db_col_int(s, 0));
        if (u == r->nunits)
            continue;
        const char *kind = db_col_text(s, 1);
        int64_t pts = db_col_int(s, 2);
        if (strcmp(kind, "bonus") == 0)
            r->units[u].bonus += pts;
        else if (strcmp(kind, "deduction") == 0)
            r->units[u].deducted += pts;
        else if (strcmp(kind, "veto") == 0)
            r->units[u].veto = true;
    }
    db_done(s);
}

/* Cross mode: the mean of the marks each unit received (cross_score). */
static void load_cross(struct db *db, struct score_results *r, int min_sample)
{
    size_t n = 0, cap = 64;
    struct cross_mark *marks = xmalloc(cap * sizeof *marks);
    struct db_stmt *s = db_query(db, "SELECT scorer_unit, scored_unit, points_x100 FROM "
                                     "cross_marks WHERE table_id = ?");
    db_bind_int(s, 1, r->table_id);
    while (db_step(s) == DB_ROW) {
        if (n == cap)
            marks = xrealloc(marks, (cap *= 2) * sizeof *marks);
        marks[n++] = (struct cross_mark){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2)};
    }
    db_done(s);
    int64_t *ids = xcalloc(r->nunits + 1, sizeof *ids);
    struct cross_result *out = xcalloc(r->nunits + 1, sizeof *out);
    for (size_t u = 0; u < r->nunits; u++)
        ids[u] = r->units[u].unit;
    if (cross_score(marks, n, ids, r->nunits, r->normalise, min_sample, out))
        for (size_t u = 0; u < r->nunits; u++) {
            r->units[u].cross_raw = out[u].raw;
            r->units[u].cross_adjusted = out[u].adjusted;
            r->units[u].cross_marks = out[u].marks;
        }
    free(marks);
    free(ids);
    free(out);
}

/* "20261105093000" → 20261105093000: the digits of an ISO time are an
 * increasing clock, all the tie-break needs. */
static int64_t clock_of(const char *iso)
{
    int64_t v = 0;
    int digits = 0;
    for (const char *p = iso; p && *p && digits < 14; p++)
        if (*p >= '0' && *p <= '9') {
            v = v * 10 + (*p - '0');
            digits++;
        }
    for (; digits < 14; digits++)
        v *= 10;
    return v;
}

/* criteria_group_lookup over the results' own node arrays. */
static bool results_group(void *ctx, int64_t id, size_t *index, const char **code,
                          const char **name)
{
    const struct score_results *r = ctx;
    size_t k = node_index(r, id);
    if (k == r->n || r->nodes[k].kind != SCORE_GROUP)
        return false;
    *index = k;
    *code = r->nodes[k].code;
    *name = r->nodes[k].name;
    return true;
}

/* The table's tie-break list (criteria_tables.tie_breaks), with words, by
 * the one parser the settings page uses (criteria_tiebreak_parse). */
static void parse_tiebreaks(struct score_results *r)
{
    const char *list = jstr(r->table, "tie_breaks");
    size_t cap = 8;
    r->tb = xcalloc(cap, sizeof *r->tb);
    r->tb_words = xcalloc(cap, sizeof *r->tb_words);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        struct rank_tiebreak t;
        char words[4096];
        bool ok = criteria_tiebreak_parse(p, len, results_group, r, &t, words, sizeof words);
        p += len + (p[len] == ',');
        if (!ok)
            continue;
        if (r->ntb == cap) {
            cap *= 2;
            r->tb = xrealloc(r->tb, cap * sizeof *r->tb);
            r->tb_words = xrealloc(r->tb_words, cap * sizeof *r->tb_words);
        }
        r->tb[r->ntb] = t;
        r->tb_words[r->ntb++] = xstrdup(words);
    }
}

static void load_bands(struct score_results *r)
{
    json_t *bands = json_object_get(r->table, "bands");
    r->nbands = json_array_size(bands);
    r->bands = xcalloc(r->nbands + 1, sizeof *r->bands);
    for (size_t i = 0; i < r->nbands; i++) {
        json_t *b = json_array_get(bands, i);
        r->bands[i] = (struct rank_band){jstr(b, "name"), jint(b, "min_x100")};
    }
    if (r->nbands && !rank_bands_ok(r->bands, r->nbands))
        r->nbands = 0; /* a broken list is not applied (the settings page refuses one) */
}

/* Points, finals and the order. */
static void compute(struct score_results *r, struct score_answer *answers)
{
    struct score_table t = {r->nodes, r->n};
    int64_t *leaders = xcalloc(r->n + 1, sizeof *leaders);
    score_leaders(&t, answers, r->nunits, leaders);
    r->tree_bad = 0;
    bool tree_ok = r->n > 0 && score_table_check(&t, &r->tree_bad) == SCORE_OK;
    r->tree_ok = tree_ok;
    r->table_max = tree_ok ? score_table_max(&t) : 0;
    json_t *cap = json_object_get(r->table, "bonus_cap_x100");
    int64_t bonus_cap = json_is_integer(cap) ? json_integer_value(cap) : -1;
    struct rank_entry *entries = xcalloc(r->nunits + 1, sizeof *entries);
    size_t *which = xcalloc(r->nunits + 1, sizeof *which);
    size_t ne = 0;
    for (size_t u = 0; u < r->nunits; u++) {
        struct unit_result *x = &r->units[u];
        int64_t base = 0;
        bool sheet_ok = tree_ok && x->has_sheet &&
                        score_unit(&t, answers + u * r->n, leaders, x->points, &base, &x->at_max,
                                   NULL) == SCORE_OK;
        if (!sheet_ok) {
            memset(x->points, 0, r->n * sizeof *x->points);
            x->at_max = 0;
            base = 0;
        }
        if (r->cross) {
            x->complete = x->cross_marks > 0;
            base = r->normalise ? x->cross_adjusted : x->cross_raw;
        } else {
            x->complete = sheet_ok;
        }
        x->base = base;
        /* score_final bounds each item (SCORE_MAX_LIMIT), not their sum: the
         * summed adjustments go in as items within the bound, so many large
         * deductions still give a final score, as on the sheet */
        size_t nb = (size_t)(x->bonus / SCORE_MAX_LIMIT) + 1;
        size_t nd = (size_t)(x->deducted / SCORE_MAX_LIMIT) + 1;
        struct score_bonus *b = xcalloc(nb, sizeof *b);
        struct score_deduction *d = xcalloc(nd, sizeof *d);
        for (size_t i = 0; i < nb; i++)
            b[i] = (struct score_bonus){"", i + 1 < nb ? SCORE_MAX_LIMIT
                                                       : x->bonus % SCORE_MAX_LIMIT};
        for (size_t i = 0; i < nd; i++)
            d[i] = (struct score_deduction){NULL, NULL, i + 1 < nd ? SCORE_MAX_LIMIT
                                                                   : x->deducted % SCORE_MAX_LIMIT};
        if (score_final(base, b, nb, bonus_cap, d, nd, &x->final, NULL) != SCORE_OK)
            x->complete = false;
        free(b);
        free(d);
        if (!x->complete)
            continue;
        entries[ne] = (struct rank_entry){
            .unit = x->unit, .score = x->final, .node_points = x->points, .at_max = x->at_max,
            .deducted = x->deducted, .women_pct = x->women_pct < 0 ? 0 : x->women_pct,
            .submitted = x->submitted && x->submitted_at, .submitted_at = clock_of(x->submitted_at),
            .veto = x->veto};
        which[ne++] = u;
    }
    struct rank_result *out = xcalloc(ne + 1, sizeof *out);
    rank_units(entries, ne, r->tb, r->ntb, out);
    /* the new order: ranked units, then the others in member order */
    struct unit_result *sorted = xcalloc(r->nunits + 1, sizeof *sorted);
    bool *placed = xcalloc(r->nunits + 1, sizeof *placed);
    size_t k = 0;
    for (size_t j = 0; j < ne; j++) {
        size_t u = which[out[j].entry];
        struct unit_result *x = &r->units[u];
        x->rank = out[j].rank;
        x->by = out[j].by;
        x->tiebreak = out[j].tiebreak;
        x->may_lead = out[j].may_lead;
        x->band = r->nbands ? (int)rank_band_of(r->bands, r->nbands, x->final, x->veto) : -1;
        sorted[k++] = *x;
        placed[u] = true;
    }
    r->nranked = k;
    for (size_t u = 0; u < r->nunits; u++)
        if (!placed[u])
            sorted[k++] = r->units[u];
    free(r->units);
    r->units = sorted;
    free(placed);
    free(out);
    free(entries);
    free(which);
    free(leaders);
}

struct score_results *score_results_load(struct db *db, int64_t table_id,
                                         const struct whatif_overrides *w)
{
    json_t *table = table_row(db, table_id);
    if (!table)
        return NULL;
    struct score_results *r = xcalloc(1, sizeof *r);
    r->refs = 1;
    r->table = table;
    r->table_id = table_id;
    r->group_id = jint(table, "group_id");
    r->year = (int)jint(table, "year");
    r->cross = json_is_true(json_object_get(table, "is_cross"));
    r->normalise = json_is_true(json_object_get(table, "normalise"));
    r->provisional = strcmp(jstr(table, "stage"), "locked") != 0;
    r->whatif = w != NULL;
    load_tree(db, r);
    if (w)
        apply_overrides(r, w);
    load_units(db, r);
    struct score_answer *answers = xcalloc(r->nunits * r->n + 1, sizeof *answers);
    load_answers(db, r, answers);
    load_adjustments(db, r);
    if (r->cross)
        load_cross(db, r, (int)jint(table, "min_sample"));
    parse_tiebreaks(r);
    load_bands(r);
    compute(r, answers);
    free(answers);
    return r;
}

void score_results_free(struct score_results *r)
{
    if (!r || --r->refs > 0)
        return;
    for (size_t u = 0; u < r->nunits; u++) {
        free(r->units[u].name);
        free(r->units[u].submitted_at);
        free(r->units[u].points);
    }
    for (size_t i = 0; i < r->ntb; i++)
        free(r->tb_words[i]);
    free(r->units);
    free(r->tb);
    free(r->tb_words);
    free(r->bands);
    for (size_t i = 0; i < r->n; i++) {
        free((char *)r->nodes[i].code);
        free((char *)r->nodes[i].name);
    }
    free(r->nodes);
    free(r->node_ids);
    free(r->old_max);
    json_decref(r->table);
    free(r);
}

const char *score_results_decided(const struct score_results *r, const struct unit_result *u,
                                  char *buf, size_t size)
{
    if (!u->rank)
        snprintf(buf, size, "%s", "");
    else if (u->by == RANK_BY_NONE)
        snprintf(buf, size, "%s", _("Đứng đầu"));
    else if (u->by == RANK_BY_VETO)
        snprintf(buf, size, "%s", _("Xếp sau vì vi phạm bị phủ quyết"));
    else if (u->by == RANK_BY_SCORE)
        snprintf(buf, size, "%s", _("Điểm thấp hơn đơn vị trên"));
    else if (u->by == RANK_BY_TIEBREAK && u->tiebreak >= 0 && (size_t)u->tiebreak < r->ntb)
        snprintf(buf, size, _("Bằng điểm; xếp sau theo tiêu chí phụ %d: %s"), u->tiebreak + 1,
                 r->tb_words[u->tiebreak]);
    else
        snprintf(buf, size, "%s", _("Bằng điểm, đồng hạng"));
    utf8_trim_partial(buf); /* a long group name cut short stays valid text */
    return buf;
}

static json_t *x100(int64_t v)
{
    char buf[32];
    bloc_format_x100(v, buf);
    return json_string(buf);
}

json_t *score_results_json(const struct score_results *r)
{
    json_t *tbs = json_array();
    for (size_t i = 0; i < r->ntb; i++)
        json_array_append_new(tbs, json_pack("{s:I,s:s}", "n", (json_int_t)(i + 1), "text",
                                             r->tb_words[i]));
    json_t *units = json_array();
    char buf[4096];
    for (size_t k = 0; k < r->nunits; k++) {
        const struct unit_result *u = &r->units[k];
        const char *band = u->band >= 0 ? r->bands[u->band].name : "";
        const char *status = u->rank ? ""
                             : !u->has_sheet && !r->cross ? _("Chưa chấm")
                                                          : _("Chưa đủ");
        json_t *o = json_pack(
            "{s:I,s:s,s:i,s:b,s:b,s:s,s:o,s:I,s:o,s:o,s:o,s:o,s:I,s:s,s:b,s:b,s:s,s:i}", "unit_id",
            (json_int_t)u->unit, "name", u->name, "rank", u->rank, "ranked", u->rank > 0,
            "complete", u->complete, "status_text", status, "final", x100(u->final), "final_x100",
            (json_int_t)u->final, "base", x100(u->base), "bonus", x100(u->bonus), "deductions",
            x100(u->deducted), "table_points", x100(u->base), "base_x100", (json_int_t)u->base,
            "band", band, "veto", u->veto, "may_lead", u->rank > 0 && u->may_lead, "decided",
            score_results_decided(r, u, buf, sizeof buf), "at_max", u->at_max);
        json_object_set_new(o, "rank_text", json_string(u->rank ? "" : status));
        if (u->rank) {
            char rk[16];
            snprintf(rk, sizeof rk, "%d", u->rank);
            json_object_set_new(o, "rank_text", json_string(rk));
        }
        if (r->cross) {
            json_object_set_new(o, "raw", x100(u->cross_raw));
            json_object_set_new(o, "adjusted", x100(u->cross_adjusted));
            json_object_set_new(o, "marks", json_integer(u->cross_marks));
        }
        json_array_append_new(units, o);
    }
    json_t *bands = json_array();
    for (size_t i = 0; i < r->nbands; i++)
        json_array_append_new(bands, json_pack("{s:s,s:o,s:b}", "name", r->bands[i].name, "min",
                                               x100(r->bands[i].min), "last", i + 1 == r->nbands));
    return json_pack("{s:b,s:b,s:b,s:o,s:I,s:o,s:o,s:o,s:I}", "provisional", r->provisional,
                     "cross", r->cross, "normalise", r->normalise, "table_max", x100(r->table_max),
                     "table_max_x100", (json_int_t)r->table_max, "tie_breaks", tbs, "bands", bands,
                     "units", units, "ranked", (json_int_t)r->nranked);
}

/* --- the per-thread memo (score_results_get) ------------------------------ */

enum { MEMO_SIZE = 16 };

struct memo_entry {
    uint64_t db;   /* db_serial: a reopened connection never matches */
    int64_t table;
    int64_t data_version, total_changes;
    struct score_results *r;
    unsigned used;
};

struct memo {
    struct memo_entry e[MEMO_SIZE];
    unsigned clock;
};

static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

/* At a thread's end its memo goes with it (no leak for LSan to find). */
static void memo_drop(void *p)
{
    struct memo *m = p;
    for (int i = 0; i < MEMO_SIZE; i++)
        score_results_free(m->e[i].r);
    free(m);
}

static void memo_init(void)
{
    pthread_key_create(&memo_key, memo_drop);
}

/* The stamp of the database as this connection sees it: a pair that moves
 * whenever anything may have changed. SQLite: PRAGMA data_version (another
 * connection committed) and total_changes() (this one wrote). PostgreSQL:
 * the WAL insert position, which every change of a logged table moves
 * forward before its commit returns (and much else moves too: that only
 * costs a recompute). Not the write position (pg_current_wal_lsn): with
 * asynchronous commit it lags behind a commit already visible. Read
 * before the results are loaded, so a commit that lands during the load
 * moves the stamp past the one remembered and the next request reloads.
 * false when the stamp cannot be read (e.g. a standby in recovery): then
 * nothing is remembered. Nor inside a transaction: what it wrote may yet be
 * rolled back, and neither stamp goes back with it. */
static bool stamp(struct db *db, int64_t *dv, int64_t *tc)
{
    bool lite = db_kind(db) == DB_SQLITE;
    struct db_stmt *s = db_query(
        db, lite ? "SELECT data_version, total_changes() FROM pragma_data_version"
                 : "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint, 0");
    bool ok = s && db_step(s) == DB_ROW;
    if (ok) {
        *dv = db_col_int(s, 0);
        *tc = db_col_int(s, 1);
    }
    if (s)
        db_done(s);
    return ok;
}

struct score_results *score_results_get(struct db *db, int64_t table_id)
{
    int64_t dv = 0, tc = 0;
    if (db_in_tx(db) || !stamp(db, &dv, &tc))
        return score_results_load(db, table_id, NULL);
    pthread_once(&memo_once, memo_init);
    struct memo *m = pthread_getspecific(memo_key);
    if (!m) {
        m = xcalloc(1, sizeof *m);
        pthread_setspecific(memo_key, m);
    }
    struct memo_entry *slot = &m->e[0];
    for (int i = 0; i < MEMO_SIZE; i++) {
        struct memo_entry *e = &m->e[i];
        if (e->r && e->db == db_serial(db) && e->table == table_id) {
            if (e->data_version == dv && e->total_changes == tc) {
                e->used = ++m->clock;
                e->r->refs++;
                return e->r;
            }
            slot = e;
            break;
        }
        if (!e->r || e->used < slot->used)
            slot = e;
    }
    struct score_results *r = score_results_load(db, table_id, NULL);
    score_results_free(slot->r);
    *slot = (struct memo_entry){0};
    if (r) {
        r->refs++;
        *slot = (struct memo_entry){db_serial(db), table_id, dv, tc, r, ++m->clock};
    }
    return r;
}
