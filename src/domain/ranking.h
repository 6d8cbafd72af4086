/* Ranking an emulation group's units (xếp hạng, RULES.md §8.4 [P]): the
 * order by final score with the tie-breaks chosen per table, the veto, the
 * classification bands (xếp loại), and the cross-scoring mode (chấm chéo)
 * with its optional per-scorer normalisation. Pure functions; every
 * threshold and list is an argument. Points are hundredths (scoring.h). */
#ifndef TDKT_DOMAIN_RANKING_H
#define TDKT_DOMAIN_RANKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The women's share that ND152 Art 4(6) prefers (collectives of at least
 * 70 % women, RULES.md §2 [S]), in hundredths of a percent. Passed as the
 * tie-break's threshold so a change of decree is data, not code. */
#define RANK_ND152_WOMEN_PCT INT64_C(7000)

/* The tie-breaks a table may list, applied in the table's order. */
enum rank_tiebreak_kind {
    RANK_TB_GROUP,      /* higher points in the named node (a criterion group) */
    RANK_TB_AT_MAX,     /* more criteria at their maximum */
    RANK_TB_DEDUCTIONS, /* fewer deductions: the smaller sum of deducted points
                           (not their count: one large violation weighs more
                           than two small ones) */
    RANK_TB_WOMEN,      /* ND152 Art 4(6): a collective at or above the women
                           threshold goes before one below it; two on the same
                           side stay tied (the rule is a preference, not "the
                           higher share wins") */
    RANK_TB_SUBMITTED,  /* the earlier complete submission; a unit that never
                           submitted goes after every one that did */
};

struct rank_tiebreak {
    enum rank_tiebreak_kind kind;
    size_t node;       /* RANK_TB_GROUP: index into rank_entry.node_points */
    int64_t women_pct; /* RANK_TB_WOMEN: the threshold, e.g. RANK_ND152_WOMEN_PCT */
};

/* What the ranking needs of one unit. */
struct rank_entry {
    int64_t unit;
    int64_t score;              /* final score (score_final) */
    const int64_t *node_points; /* per table node (score_unit); for RANK_TB_GROUP */
    int at_max;                 /* score_unit's *at_max */
    int64_t deducted;           /* sum of deductions (score_final's *deducted) */
    int64_t women_pct;          /* share of women, hundredths of a percent */
    bool submitted;
    int64_t submitted_at;       /* when the complete self-score was submitted:
                                   any increasing clock, e.g. Unix seconds */
    bool veto;                  /* a disqualifying violation (vi phạm một phiếu
                                   phủ quyết): cannot lead or be proposed */
};

/* What decided a unit's place relative to the unit just above it. */
enum rank_decider {
    RANK_BY_NONE,     /* the first unit: nobody above */
    RANK_BY_VETO,     /* the unit above is not vetoed, this one is */
    RANK_BY_SCORE,    /* a lower final score */
    RANK_BY_TIEBREAK, /* equal score; tiebreak names the deciding list item */
    RANK_TIED,        /* still tied after every tie-break: the same rank */
};

struct rank_result {
    size_t entry;          /* index into the entries given */
    int rank;              /* standard competition ranking: 1, 2, 2, 4 */
    enum rank_decider by;
    int tiebreak;          /* RANK_BY_TIEBREAK: index into the tie-break list; else -1 */
    bool may_lead;         /* !veto: may be the leading unit / be proposed */
};

/* Orders the n entries into out[0..n): vetoed units after every non-vetoed
 * one, whatever their score (so a vetoed unit is never rank 1 while any
 * unit is not vetoed); then descending score; then the tie-breaks in order.
 * Units equal on all of these share a rank and the next rank skips (1, 2,
 * 2, 4); among them out keeps the input order. Ranks run on across the
 * vetoed units (4 non-vetoed units → the first vetoed is rank 5). When
 * every unit is vetoed the first is rank 1 with may_lead false: the group
 * has no leading unit that year. Insertion sort: groups are tens of units. */
void rank_units(const struct rank_entry *entries, size_t n, const struct rank_tiebreak *tb,
                size_t ntb, struct rank_result *out);

/* A classification band (xếp loại): units at or above min fall in it. */
struct rank_band {
    const char *name; /* "Xuất sắc", "Tốt", "Khá", "Trung bình" */
    int64_t min;      /* hundredths; ignored for the last band, which takes the rest */
};

/* Checks that the mins of bands[0..n-1) strictly decrease (the last band
 * is the catch-all). n must be at least 1. */
bool rank_bands_ok(const struct rank_band *bands, size_t n);

/* The index of score's band: the first whose min it reaches, else the last.
 * A vetoed unit cannot be in the top band: one that reaches it is placed in
 * the second (the band it would have had without the top one); with a single
 * band the veto changes nothing. */
size_t rank_band_of(const struct rank_band *bands, size_t n, int64_t score, bool veto);

/* Cross-scoring (chấm chéo): every member scores the others. */
struct cross_mark {
    int64_t scorer;
    int64_t scored;
    int64_t points; /* hundredths, >= 0 */
};

struct cross_result {
    int64_t unit;
    int64_t raw;      /* mean of the marks it received, hundredths */
    int64_t adjusted; /* the same mean over the normalised marks */
    int marks;        /* marks counted (self-scores excluded) */
};

/* For each of the nunits units, the mean of the marks others gave it; a
 * mark where scorer == scored (a self-score) is ignored everywhere.
 * With normalise, each scorer's marks are z-scored against that scorer's own
 * mean and population sd (over all the non-self marks it gave) and mapped
 * back as overall_mean + z × overall_sd, where overall_* are the mean and
 * population sd of all non-self marks: a severe scorer's 60 and a lenient
 * one's 90 become comparable. Guard: a scorer with fewer than min_sample
 * marks, or sd 0 (gave everyone the same), keeps its raw marks. Without
 * normalise, adjusted = raw. Arithmetic is in double; only the per-unit
 * means are rounded to hundredths, half up (floor(x + 0.5)); adjusted may
 * fall below 0 or above the table's max and is not clamped (it is shown
 * beside raw, not used as a score by itself). A unit no one scored has
 * marks 0 and raw = adjusted = 0. Returns false for a negative mark. */
bool cross_score(const struct cross_mark *marks, size_t nmarks, const int64_t *units,
                 size_t nunits, bool normalise, int min_sample, struct cross_result *out);

#endif
