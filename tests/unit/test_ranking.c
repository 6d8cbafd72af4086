/* domain/ranking: order by score, the veto, the tie-breaks chosen per table,
 * shared ranks, classification bands and cross-scoring normalisation
 * (RULES.md §8.4 [P]; ND152 Art 4(6) for the women's preference). Points
 * are hundredths. Expected values are worked out by hand beside each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/ranking.h"

/* The tie-break list used below, in a table's order:
 *   0 higher points in group I (node 0), 1 more criteria at max,
 *   2 fewer deducted points, 3 ND152 Art 4(6) women ≥ 70 %,
 *   4 earlier complete submission */
static const struct rank_tiebreak tbs[] = {
    {RANK_TB_GROUP, 0, 0},
    {RANK_TB_AT_MAX, 0, 0},
    {RANK_TB_DEDUCTIONS, 0, 0},
    {RANK_TB_WOMEN, 0, RANK_ND152_WOMEN_PCT},
    {RANK_TB_SUBMITTED, 0, 0},
};
#define NTB (sizeof tbs / sizeof tbs[0])

/* node points: only index 0 (group I) matters to the tie-breaks here */
static const int64_t g40[] = {4000}, g45[] = {4500};

static struct rank_entry entry(int64_t unit, int64_t score, const int64_t *pts)
{
    struct rank_entry e = {unit, score, pts, 0, 0, 5000, true, 1000, false};
    return e;
}

static void test_by_score(void **state)
{
    (void)state;
    struct rank_entry e[3] = {entry(1, 7000, g40), entry(2, 9000, g40), entry(3, 8000, g40)};
    struct rank_result r[3];
    rank_units(e, 3, tbs, NTB, r);
    /* 90 > 80 > 70: units 2, 3, 1 */
    assert_int_equal(r[0].entry, 1);
    assert_int_equal(r[0].rank, 1);
    assert_int_equal(r[0].by, RANK_BY_NONE);
    assert_int_equal(r[0].tiebreak, -1);
    assert_int_equal(r[1].entry, 2);
    assert_int_equal(r[1].rank, 2);
    assert_int_equal(r[1].by, RANK_BY_SCORE);
    assert_int_equal(r[2].entry, 0);
    assert_int_equal(r[2].rank, 3);
    assert_int_equal(r[2].by, RANK_BY_SCORE);
    assert_true(r[0].may_lead && r[1].may_lead && r[2].may_lead);
}

static void test_vetoed_leader(void **state)
{
    (void)state;
    /* the highest score (97.00) carries a veto: it goes after both
     * non-vetoed units, rank 3, and may not lead; 85.00 leads */
    struct rank_entry e[3] = {entry(1, 9700, g40), entry(2, 8500, g40), entry(3, 8000, g40)};
    e[0].veto = true;
    struct rank_result r[3];
    rank_units(e, 3, tbs, NTB, r);
    assert_int_equal(r[0].entry, 1);
    assert_int_equal(r[0].rank, 1);
    assert_true(r[0].may_lead);
    assert_int_equal(r[1].entry, 2);
    assert_int_equal(r[1].rank, 2);
    assert_int_equal(r[2].entry, 0);
    assert_int_equal(r[2].rank, 3);
    assert_int_equal(r[2].by, RANK_BY_VETO);
    assert_false(r[2].may_lead);
}

static void test_all_vetoed(void **state)
{
    (void)state;
    /* nobody can lead: ranks still run 1, 2 by score, may_lead false for all */
    struct rank_entry e[2] = {entry(1, 8000, g40), entry(2, 9000, g40)};
    e[0].veto = e[1].veto = true;
    struct rank_result r[2];
    rank_units(e, 2, tbs, NTB, r);
    assert_int_equal(r[0].entry, 1);
    assert_int_equal(r[0].rank, 1);
    assert_false(r[0].may_lead);
    assert_int_equal(r[1].entry, 0);
    assert_int_equal(r[1].rank, 2);
    assert_int_equal(r[1].by, RANK_BY_SCORE);
    assert_false(r[1].may_lead);
}

static void test_three_way_tie_groups(void **state)
{
    (void)state;
    /* P, Q, R all at 80.00. Q has 45.00 in group I, P and R 40.00 → Q first
     * by tie-break 0; R has 3 criteria at max, P 2 → R before P by
     * tie-break 1 */
    struct rank_entry e[3] = {entry(1, 8000, g40), entry(2, 8000, g45), entry(3, 8000, g40)};
    e[0].at_max = 2;
    e[2].at_max = 3;
    struct rank_result r[3];
    rank_units(e, 3, tbs, NTB, r);
    assert_int_equal(r[0].entry, 1); /* Q */
    assert_int_equal(r[0].rank, 1);
    assert_int_equal(r[1].entry, 2); /* R */
    assert_int_equal(r[1].rank, 2);
    assert_int_equal(r[1].by, RANK_BY_TIEBREAK);
    assert_int_equal(r[1].tiebreak, 0);
    assert_int_equal(r[2].entry, 0); /* P */
    assert_int_equal(r[2].rank, 3);
    assert_int_equal(r[2].by, RANK_BY_TIEBREAK);
    assert_int_equal(r[2].tiebreak, 1);
}

static void test_tie_deeper_levels(void **state)
{
    (void)state;
    /* four units at 80.00, equal in group I and criteria at max:
     *   W deducted 1.50; X, Y, Z deducted 0.50 → W last, by tie-break 2
     *   X 75 % women (≥ 70) vs Y, Z 60 % → X first among them, tie-break 3
     *   Y submitted at 2000, Z at 1500 → Z before Y, tie-break 4 */
    struct rank_entry e[4] = {entry(1, 8000, g40), entry(2, 8000, g40), entry(3, 8000, g40),
                              entry(4, 8000, g40)};
    e[0].deducted = 150;
    e[1].deducted = e[2].deducted = e[3].deducted = 50;
    e[1].women_pct = 7500;
    e[2].women_pct = e[3].women_pct = 6000;
    e[2].submitted_at = 2000;
    e[3].submitted_at = 1500;
    struct rank_result r[4];
    rank_units(e, 4, tbs, NTB, r);
    assert_int_equal(r[0].entry, 1); /* X */
    assert_int_equal(r[1].entry, 3); /* Z */
    assert_int_equal(r[1].tiebreak, 3);
    assert_int_equal(r[2].entry, 2); /* Y */
    assert_int_equal(r[2].by, RANK_BY_TIEBREAK);
    assert_int_equal(r[2].tiebreak, 4);
    assert_int_equal(r[3].entry, 0); /* W */
    assert_int_equal(r[3].tiebreak, 2);
    for (int i = 0; i < 4; i++)
        assert_int_equal(r[i].rank, i + 1);
}

static void test_women_threshold_exact(void **state)
{
    (void)state;
    /* exactly 70.00 % counts ("at least 70 %"); 69.99 % does not. Two units
     * both above the threshold stay tied on it (90 % is not preferred over
     * 70 %), so with no later tie-break they share the rank */
    const struct rank_tiebreak only_women[] = {{RANK_TB_WOMEN, 0, RANK_ND152_WOMEN_PCT}};
    struct rank_entry e[3] = {entry(1, 8000, g40), entry(2, 8000, g40), entry(3, 8000, g40)};
    e[0].women_pct = 6999;
    e[1].women_pct = 7000;
    e[2].women_pct = 9000;
    struct rank_result r[3];
    rank_units(e, 3, only_women, 1, r);
    assert_int_equal(r[0].entry, 1);
    assert_int_equal(r[0].rank, 1);
    assert_int_equal(r[1].entry, 2);
    assert_int_equal(r[1].rank, 1);
    assert_int_equal(r[1].by, RANK_TIED);
    assert_int_equal(r[2].entry, 0);
    assert_int_equal(r[2].rank, 3);
    assert_int_equal(r[2].tiebreak, 0);
}

static void test_tie_survives(void **state)
{
    (void)state;
    /* A 90.00; B and C 80.00 and equal on every tie-break; D 70.00:
     * ranks 1, 2, 2, 4; B before C as given */
    struct rank_entry e[4] = {entry(1, 9000, g40), entry(2, 8000, g40), entry(3, 8000, g40),
                              entry(4, 7000, g40)};
    struct rank_result r[4];
    rank_units(e, 4, tbs, NTB, r);
    assert_int_equal(r[0].rank, 1);
    assert_int_equal(r[1].entry, 1);
    assert_int_equal(r[1].rank, 2);
    assert_int_equal(r[1].by, RANK_BY_SCORE);
    assert_int_equal(r[2].entry, 2);
    assert_int_equal(r[2].rank, 2);
    assert_int_equal(r[2].by, RANK_TIED);
    assert_int_equal(r[2].tiebreak, -1);
    assert_int_equal(r[3].entry, 3);
    assert_int_equal(r[3].rank, 4);
    assert_int_equal(r[3].by, RANK_BY_SCORE);
    /* with no tie-breaks at all, a different tie also shares: given C, B */
    struct rank_entry f[2] = {entry(3, 8000, g40), entry(2, 8000, g45)};
    rank_units(f, 2, NULL, 0, r);
    assert_int_equal(r[0].entry, 0);
    assert_int_equal(r[1].entry, 1);
    assert_int_equal(r[1].rank, 1);
    assert_int_equal(r[1].by, RANK_TIED);
    /* two vetoed units tied after a non-vetoed one: 1, 2, 2 */
    struct rank_entry v[3] = {entry(1, 9000, g40), entry(2, 9000, g40), entry(3, 5000, g40)};
    v[0].veto = v[1].veto = true;
    rank_units(v, 3, tbs, NTB, r);
    assert_int_equal(r[0].entry, 2);
    assert_int_equal(r[1].rank, 2);
    assert_int_equal(r[1].by, RANK_BY_VETO);
    assert_int_equal(r[2].rank, 2);
    assert_int_equal(r[2].by, RANK_TIED);
}

static void test_not_submitted(void **state)
{
    (void)state;
    /* a unit that never submitted goes after one that did, however early
     * the recorded time */
    const struct rank_tiebreak only_sub[] = {{RANK_TB_SUBMITTED, 0, 0}};
    struct rank_entry e[2] = {entry(1, 8000, g40), entry(2, 8000, g40)};
    e[0].submitted = false;
    e[0].submitted_at = 0;
    e[1].submitted_at = 9999;
    struct rank_result r[2];
    rank_units(e, 2, only_sub, 1, r);
    assert_int_equal(r[0].entry, 1);
    assert_int_equal(r[1].entry, 0);
    assert_int_equal(r[1].rank, 2);
    assert_int_equal(r[1].tiebreak, 0);
}

static void test_bands(void **state)
{
    (void)state;
    static const struct rank_band bands[] = {
        {"Xuất sắc", 9500}, {"Tốt", 8500}, {"Khá", 7000}, {"Trung bình", 0}};
    assert_true(rank_bands_ok(bands, 4));
    assert_int_equal(rank_band_of(bands, 4, 10000, false), 0);
    assert_int_equal(rank_band_of(bands, 4, 9500, false), 0); /* at the threshold */
    assert_int_equal(rank_band_of(bands, 4, 9499, false), 1);
    assert_int_equal(rank_band_of(bands, 4, 8500, false), 1);
    assert_int_equal(rank_band_of(bands, 4, 7000, false), 2);
    assert_int_equal(rank_band_of(bands, 4, 6999, false), 3);
    assert_int_equal(rank_band_of(bands, 4, -250, false), 3); /* below zero: the last */
    /* a veto keeps a unit out of the top band: 98.00 → Tốt; lower bands
     * are unchanged */
    assert_int_equal(rank_band_of(bands, 4, 9800, true), 1);
    assert_int_equal(rank_band_of(bands, 4, 9000, true), 1);
    assert_int_equal(rank_band_of(bands, 4, 6000, true), 3);
    /* a single band: everyone in it, veto or not */
    assert_int_equal(rank_band_of(bands, 1, 9800, true), 0);
    /* thresholds must strictly decrease */
    static const struct rank_band bad[] = {{"A", 8500}, {"B", 8500}, {"C", 0}};
    assert_false(rank_bands_ok(bad, 3));
    assert_false(rank_bands_ok(bands, 0));
}

/* Cross-scoring example. Units A=1, B=2, C=3, D=4; marks (points):
 *   A gives: A 100 (self, ignored), B 80, C 70, D 90
 *   B gives: A 60, C 60, D 60          (sd 0 → keeps raw)
 *   C gives: A 90, B 70                (2 marks < k = 3 → keeps raw)
 *   D gives: A 85, B 95, C 75
 * Raw means (hundredths):
 *   A: (6000 + 9000 + 8500) / 3 = 7833.33 → 7833
 *   B: (8000 + 7000 + 9500) / 3 = 8166.67 → 8167
 *   C: (7000 + 6000 + 7500) / 3 = 6833.33 → 6833
 *   D: (9000 + 6000) / 2        = 7500
 * Overall over the 11 non-self marks: sum 83500, mean M = 7590.909;
 *   squared deviations sum 16909090.9, / 11 = 1537190.08, sd S = 1239.835.
 * Scorer A: mean 8000, sd sqrt((0 + 10^6 + 10^6) / 3) = 816.497;
 *   z(80) = 0 → M = 7590.909; z(70) = −1.224745 → M − 1.224745·S = 6072.428;
 *   z(90) = +1.224745 → 9109.390.
 * Scorer D: mean 8500, same sd; z(85) = 0 → 7590.909; z(95) → 9109.390;
 *   z(75) → 6072.428.
 * Adjusted means:
 *   A: (6000 + 9000 + 7590.909) / 3 = 7530.30 → 7530
 *   B: (7590.909 + 7000 + 9109.390) / 3 = 7900.10 → 7900
 *   C: (6072.428 + 6000 + 6072.428) / 3 = 6048.29 → 6048
 *   D: (9109.390 + 6000) / 2 = 7554.70 → 7555 */
static const struct cross_mark marks[] = {
    {1, 1, 10000}, {1, 2, 8000}, {1, 3, 7000}, {1, 4, 9000},
    {2, 1, 6000},  {2, 3, 6000}, {2, 4, 6000},
    {3, 1, 9000},  {3, 2, 7000},
    {4, 1, 8500},  {4, 2, 9500}, {4, 3, 7500},
};
#define NM (sizeof marks / sizeof marks[0])
static const int64_t units[] = {1, 2, 3, 4, 5};

static void test_cross_raw(void **state)
{
    (void)state;
    struct cross_result r[5];
    assert_true(cross_score(marks, NM, units, 5, false, 3, r));
    assert_int_equal(r[0].unit, 1);
    assert_int_equal(r[0].raw, 7833); /* not (23500 + 10000) / 4 = 8375: self excluded */
    assert_int_equal(r[0].marks, 3);
    assert_int_equal(r[1].raw, 8167);
    assert_int_equal(r[2].raw, 6833);
    assert_int_equal(r[3].raw, 7500);
    assert_int_equal(r[3].marks, 2);
    for (int i = 0; i < 4; i++)
        assert_int_equal(r[i].adjusted, r[i].raw);
    /* unit 5 was scored by nobody */
    assert_int_equal(r[4].unit, 5);
    assert_int_equal(r[4].marks, 0);
    assert_int_equal(r[4].raw, 0);
    assert_int_equal(r[4].adjusted, 0);
}

static void test_cross_normalised(void **state)
{
    (void)state;
    struct cross_result r[4];
    assert_true(cross_score(marks, NM, units, 4, true, 3, r));
    assert_int_equal(r[0].raw, 7833);
    assert_int_equal(r[0].adjusted, 7530);
    assert_int_equal(r[1].raw, 8167);
    assert_int_equal(r[1].adjusted, 7900);
    assert_int_equal(r[2].raw, 6833);
    assert_int_equal(r[2].adjusted, 6048);
    assert_int_equal(r[3].raw, 7500);
    assert_int_equal(r[3].adjusted, 7555);
    /* k = 2 lets scorer C in: mean 8000, sd 1000; z(90) = +1 → M + S =
     * 8830.744, z(70) = −1 → M − S = 6351.074.
     *   A: (6000 + 8830.744 + 7590.909) / 3 = 7473.88 → 7474
     *   B: (7590.909 + 6351.074 + 9109.390) / 3 = 7683.79 → 7684
     * C and D received nothing from scorer C: unchanged */
    assert_true(cross_score(marks, NM, units, 4, true, 2, r));
    assert_int_equal(r[0].adjusted, 7474);
    assert_int_equal(r[1].adjusted, 7684);
    assert_int_equal(r[2].adjusted, 6048);
    assert_int_equal(r[3].adjusted, 7555);
    /* a negative mark is refused */
    const struct cross_mark neg[] = {{1, 2, -1}};
    assert_false(cross_score(neg, 1, units, 2, true, 3, r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_score),
        cmocka_unit_test(test_vetoed_leader),
        cmocka_unit_test(test_all_vetoed),
        cmocka_unit_test(test_three_way_tie_groups),
        cmocka_unit_test(test_tie_deeper_levels),
        cmocka_unit_test(test_women_threshold_exact),
        cmocka_unit_test(test_tie_survives),
        cmocka_unit_test(test_not_submitted),
        cmocka_unit_test(test_bands),
        cmocka_unit_test(test_cross_raw),
        cmocka_unit_test(test_cross_normalised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
