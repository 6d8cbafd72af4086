/* The scoring rules of an emulation group's criteria table (chấm điểm,
 * RULES.md §8.4 [P]) as pure functions: the criterion formulas, the totals
 * of a unit's answers over the table's tree, bonuses (điểm thưởng),
 * deductions (điểm trừ) and the final score. No national formula exists, so
 * every value that varies by province (maxima, targets, bonus amounts, caps)
 * is an argument or table data, never a constant here.
 *
 * Points are integer hundredths (1000 = 10.00 points). A division rounds
 * once, at the end, half up: score_div_round. Nothing allocates. */
#ifndef TDKT_DOMAIN_SCORING_H
#define TDKT_DOMAIN_SCORING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds that keep every product below 2^63: a criterion's maximum is at
 * most 10,000.00 points; an actual, a target or a count at most 10^12
 * (hundredths of a quantity). Larger inputs are refused (SCORE_ERR_RANGE). */
#define SCORE_MAX_LIMIT   INT64_C(1000000)
#define SCORE_VALUE_LIMIT INT64_C(1000000000000)

enum score_status {
    SCORE_OK = 0,
    SCORE_ERR_NEGATIVE,   /* a negative answer, target, maximum or amount */
    SCORE_ERR_RANGE,      /* above the maximum, beyond the limits above, or
                             pass/fail not 0 or 1, or actual above the leader */
    SCORE_ERR_UNANSWERED, /* a criterion without an answer (zero is an answer) */
    SCORE_ERR_TABLE,      /* the criteria table's tree is malformed */
};

/* num / den rounded half up: (2 * num + den) / (2 * den). Defined for
 * num >= 0 and den > 0 (the only case the formulas produce); 0 otherwise.
 * 1 / 2 → 1; 1 / 3 → 0; 5 / 2 → 3. */
int64_t score_div_round(int64_t num, int64_t den);

/* Direct points (chấm trực tiếp): given must lie in 0..max; out of range is
 * refused rather than clamped, so a typing error is shown, not hidden. */
enum score_status score_direct(int64_t max, int64_t given, int64_t *out);

/* Pass/fail (đạt / không đạt): passed 1 → max, 0 → 0; anything else refused. */
enum score_status score_passfail(int64_t max, int64_t passed, int64_t *out);

/* Per occurrence (tính theo lần): count × each, capped at max. */
enum score_status score_per_occurrence(int64_t max, int64_t each, int64_t count,
                                       int64_t *out);

/* Which branch of the target formula applied, to print beside the points. */
enum score_target_case {
    SCORE_BELOW,  /* actual < target */
    SCORE_MET,    /* actual == target */
    SCORE_LEADS,  /* actual > target and actual == leader */
    SCORE_EXCEEDS /* actual > target and actual < leader */
};

/* Quantitative against a target (chỉ tiêu), the customary formulas
 * (RULES.md §8.4 [P]; the NSC peer's four formulas, peers.md):
 *   below:   max/2 × actual / target
 *   met:     max/2
 *   leads:   max            (the highest actual of the group; every unit
 *                            tied for the lead gets max)
 *   exceeds: max/2 + max/2 × (actual − target) / (leader − target)
 * leader is the highest actual among the group's units (score_leaders), so
 * leader >= actual; a smaller leader is refused. Each case is one fraction
 * rounded once: below = max·actual / (2·target); exceeds =
 * max·(leader + actual − 2·target) / (2·(leader − target)).
 * target 0 is defined, not refused: an actual of 0 meets it and any
 * positive actual exceeds it (no division by zero can arise: below needs
 * actual < 0). When leader == target nobody exceeds, so the formula never
 * divides by leader − target = 0. Negative inputs are refused. kind may be
 * NULL. */
enum score_status score_target(int64_t max, int64_t actual, int64_t target, int64_t leader,
                               int64_t *out, enum score_target_case *kind);

/* A criteria table (bảng tiêu chí): a tree of groups and criteria in one
 * array, parents before children. */
enum score_kind {
    SCORE_GROUP,      /* a group (nhóm tiêu chí): points are its children's sum */
    SCORE_DIRECT,
    SCORE_PASSFAIL,
    SCORE_OCCURRENCE,
    SCORE_TARGET,
};

struct score_node {
    const char *code;  /* "I", "I.1", … as printed */
    const char *name;
    int parent;        /* index of the parent group, -1 at the top level */
    enum score_kind kind;
    int64_t max;       /* maximum points, hundredths */
    int64_t each;      /* SCORE_OCCURRENCE: points per occurrence */
    bool capped;       /* SCORE_GROUP: max is a stated cap (see below) */
};

struct score_table {
    const struct score_node *nodes;
    size_t n;
};

/* Checks the tree. Every parent index points to an earlier group; every
 * group has at least one child; a group's max equals the sum of its
 * children's maxima — unless the group is capped, when max may be less than
 * that sum (a province that lets units earn 12 points among items that add
 * up to 15) but never more (points the children could never reach). Maxima
 * and per-occurrence points are 0..SCORE_MAX_LIMIT. On an error *bad (may
 * be NULL) gets the first offending node. */
enum score_status score_table_check(const struct score_table *t, size_t *bad);

/* The table's total maximum: the sum of the top-level maxima (bonuses are
 * outside it). */
int64_t score_table_max(const struct score_table *t);

/* One unit's answer to one node (ignored for groups). value is: points for
 * direct; 1 or 0 for pass/fail; the count for per occurrence; the actual
 * figure (hundredths) for a target criterion, whose target is the unit's own
 * pledged target (giao ước), hence carried with the answer. answered false
 * means the criterion was left blank, which is not the same as 0. */
struct score_answer {
    bool answered;
    int64_t value;
    int64_t target;
};

/* The leader value of every target criterion: the highest answered actual
 * among the nunits units. answers holds nunits rows of t->n answers
 * (answers[u * t->n + i]). leaders[i] is 0 for other nodes and for a target
 * criterion nobody answered. */
void score_leaders(const struct score_table *t, const struct score_answer *answers,
                   size_t nunits, int64_t *leaders);

/* A unit's totals: points[i] for every node (a group's is the sum of its
 * children, held to its max when capped), *base the sum of the top-level
 * nodes, *at_max the number of criteria (leaves with max > 0) that earned
 * their maximum. Every criterion must be answered: a blank one returns
 * SCORE_ERR_UNANSWERED (the "zero is a valid answer", so a blank is
 * never read as zero). On an error *bad (may be NULL) is the node, and the
 * outputs are unspecified. The table must have passed score_table_check. */
enum score_status score_unit(const struct score_table *t, const struct score_answer *answers,
                             const int64_t *leaders, int64_t *points, int64_t *base,
                             int *at_max, size_t *bad);

/* A bonus item received (e.g. +10.00 for the provincial flag, +15.00 for the
 * Government flag in the HCMC table, RULES.md §8.4): the amount is data. */
struct score_bonus {
    const char *code;
    int64_t points;
};

/* A deduction with who reported it and the evidence (e.g. the provincial
 * police on traffic violations, BN86 Art 10(2)): the function only sums the
 * points; agency and evidence are carried for printing. */
struct score_deduction {
    const char *agency;
    const char *evidence;
    int64_t points;
};

/* final = base + min(sum of bonuses, bonus_cap) − sum of deductions.
 * bonus_cap < 0 means no cap. The final score is not floored at zero: a
 * unit whose deductions exceed its points shows the true figure. Negative
 * amounts are refused (a deduction is entered as a positive number).
 * *deducted (may be NULL) gets the sum of deductions, the ranking's tie-break. */
enum score_status score_final(int64_t base, const struct score_bonus *bonuses, size_t nbonus,
                              int64_t bonus_cap, const struct score_deduction *deductions,
                              size_t ndeduction, int64_t *final, int64_t *deducted);

#endif
