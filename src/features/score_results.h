/* The computed results of a criteria table (docs/scoring.md, "Results and
 * ranking"): every member unit's points per node, bonuses, deductions, veto,
 * final score, rank, what decided the place and band — by the pure rules of
 * domain/scoring.h and domain/ranking.h, never re-implemented here. One
 * loader serves the ranking page, its XLSX and DOCX, the what-if and the
 * benchmark, so they cannot disagree.
 *
 * Who is listed: the members of the table's year still members at its end
 * (left_on empty or after 31/12), plus any unit that has a sheet (a unit
 * that left mid-year but scored stays visible). A unit whose sheet is
 * missing or incomplete (a blank criterion, or an answer the rules refuse)
 * is listed after every ranked unit as "chưa đủ" (rank 0), never ranked:
 * a blank is not a zero. In cross mode a unit is ranked once it received
 * at least one mark. */
#ifndef TDKT_FEATURES_SCORE_RESULTS_H
#define TDKT_FEATURES_SCORE_RESULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/ranking.h"
#include "domain/scoring.h"

struct db;

/* One override of a what-if (criteria_whatif_nodes): the node's maximum
 * and, for a per-occurrence criterion, its points each (has_each). */
struct whatif_override {
    int64_t node_id;
    int64_t max;
    bool has_each;
    int64_t each;
};

struct whatif_overrides {
    const struct whatif_override *items;
    size_t n;
};

/* One unit's result. points has one entry per node of the table (tree
 * order, struct score_results.node_ids). */
struct unit_result {
    int64_t unit;
    char *name;
    bool has_sheet;
    bool complete;      /* every criterion answered and accepted: ranked */
    bool submitted;
    char *submitted_at; /* ISO text or NULL */
    int64_t women_pct;  /* hundredths of a percent; -1 when not given */
    int64_t *points;
    int64_t base;       /* table points (self mode) or the cross mean */
    int64_t bonus;      /* sum of bonuses received (before the cap) */
    int64_t deducted;
    int64_t final;
    int at_max;
    bool veto;
    int64_t cross_raw, cross_adjusted; /* cross mode */
    int cross_marks;
    int rank;           /* 0: not ranked */
    enum rank_decider by;
    int tiebreak;       /* index into score_results.tb when by == RANK_BY_TIEBREAK */
    bool may_lead;
    int band;           /* index into bands; -1 when the table has none */
};

struct score_results {
    json_t *table;           /* the table's row: criteria_get's fields and bands, no nodes */
    int64_t table_id, group_id;
    int year;
    size_t n;                /* nodes */
    struct score_node *nodes;
    int64_t *node_ids;
    int64_t *old_max;        /* the real maxima (differ only under a what-if) */
    size_t nunits;
    struct unit_result *units; /* ranked in rank order, then the unranked by name */
    size_t nranked;
    struct rank_tiebreak *tb;
    char **tb_words;         /* each tie-break in words, for printing */
    size_t ntb;
    struct rank_band *bands;
    size_t nbands;
    bool cross, normalise;
    bool provisional;        /* stage is not 'locked': "tạm tính" */
    bool whatif;
    int64_t table_max;       /* total maximum of the (overridden) tree */
    bool tree_ok;            /* score_table_check passed (else no unit is scored) */
    size_t tree_bad;         /* !tree_ok: the node it names */
    int refs;                /* holders: the caller, and the memo of score_results_get */
};

/* Loads and computes the results of table_id; w (may be NULL) overrides
 * maxima (docs/scoring.md, what-if: answers carried over in proportion).
 * Four queries plus criteria_get and the members. NULL when there is no
 * such table. */
struct score_results *score_results_load(struct db *db, int64_t table_id,
                                         const struct whatif_overrides *w);

/* The results as JSON for pages and the API: {provisional, cross,
 * normalise, table_max, tie_breaks: [{n, text}], bands: [...],
 * units: [{unit_id, name, rank, rank_text, ranked, complete, status_text,
 * final, final_x100, base, bonus, deductions, band, veto, may_lead,
 * decided, raw, adjusted, marks}]}. */
json_t *score_results_json(const struct score_results *r);

/* The real results of table_id (no what-if) as score_results_load gives
 * them, remembered per thread on SQLite while the database is unchanged:
 * PRAGMA data_version (another connection committed) and total_changes()
 * (this one wrote) prove it, so any write anywhere drops the memo. On
 * PostgreSQL it loads every time. Free with score_results_free as usual. */
struct score_results *score_results_get(struct db *db, int64_t table_id);

/* Drops the caller's hold; frees r when nobody else holds it. NULL is a
 * no-op. */
void score_results_free(struct score_results *r);

/* What decided u's place against the unit above, in words. */
const char *score_results_decided(const struct score_results *r, const struct unit_result *u,
                                  char *buf, size_t size);

#endif
