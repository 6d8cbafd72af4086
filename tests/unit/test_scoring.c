/* domain/scoring: the criterion formulas, a criteria table's totals, bonuses
 * and deductions (RULES.md §8.4 [P]). Points are hundredths: 2000 = 20.00.
 * Every expected value is worked out by hand in the comment beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/scoring.h"

static void test_rounding(void **state)
{
    (void)state;
    /* round half up: (2·num + den) / (2·den) */
    assert_int_equal(score_div_round(1, 2), 1);  /* 0.5 → 1: (2 + 2) / 4 */
    assert_int_equal(score_div_round(1, 3), 0);  /* 0.33 → 0: (2 + 3) / 6 */
    assert_int_equal(score_div_round(2, 3), 1);  /* 0.67 → 1: (4 + 3) / 6 */
    assert_int_equal(score_div_round(5, 2), 3);  /* 2.5 → 3: (10 + 2) / 4 */
    assert_int_equal(score_div_round(7, 2), 4);  /* 3.5 → 4 */
    assert_int_equal(score_div_round(0, 5), 0);
    assert_int_equal(score_div_round(10, 5), 2); /* exact */
    /* outside the defined domain: 0, never a trap */
    assert_int_equal(score_div_round(7, 0), 0);
    assert_int_equal(score_div_round(-1, 2), 0);
}

static void test_direct(void **state)
{
    (void)state;
    int64_t p = -1;
    assert_int_equal(score_direct(1000, 750, &p), SCORE_OK);
    assert_int_equal(p, 750);
    assert_int_equal(score_direct(1000, 0, &p), SCORE_OK); /* zero is an answer */
    assert_int_equal(p, 0);
    assert_int_equal(score_direct(1000, 1000, &p), SCORE_OK);
    assert_int_equal(p, 1000);
    /* out of range is refused, not clamped, and leaves the output alone */
    assert_int_equal(score_direct(1000, 1001, &p), SCORE_ERR_RANGE);
    assert_int_equal(p, 1000);
    assert_int_equal(score_direct(1000, -1, &p), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_direct(-5, 0, &p), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_direct(SCORE_MAX_LIMIT + 1, 0, &p), SCORE_ERR_RANGE);
}

static void test_passfail(void **state)
{
    (void)state;
    int64_t p = -1;
    assert_int_equal(score_passfail(500, 1, &p), SCORE_OK);
    assert_int_equal(p, 500); /* đạt: the whole max */
    assert_int_equal(score_passfail(500, 0, &p), SCORE_OK);
    assert_int_equal(p, 0);
    assert_int_equal(score_passfail(500, 2, &p), SCORE_ERR_RANGE);
    assert_int_equal(score_passfail(500, -1, &p), SCORE_ERR_NEGATIVE);
}

static void test_per_occurrence(void **state)
{
    (void)state;
    int64_t p = -1;
    /* 2.50 each, capped at 10.00 */
    assert_int_equal(score_per_occurrence(1000, 250, 3, &p), SCORE_OK);
    assert_int_equal(p, 750);  /* 3 × 250 */
    assert_int_equal(score_per_occurrence(1000, 250, 4, &p), SCORE_OK);
    assert_int_equal(p, 1000); /* 4 × 250 = the cap exactly */
    assert_int_equal(score_per_occurrence(1000, 250, 5, &p), SCORE_OK);
    assert_int_equal(p, 1000); /* 1250 held to 1000 */
    assert_int_equal(score_per_occurrence(1000, 250, 0, &p), SCORE_OK);
    assert_int_equal(p, 0);
    assert_int_equal(score_per_occurrence(1000, 250, -1, &p), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_per_occurrence(1000, -250, 1, &p), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_per_occurrence(1000, 250, SCORE_VALUE_LIMIT + 1, &p),
                     SCORE_ERR_RANGE);
    /* the largest count allowed does not overflow: 10^12 × 250, capped */
    assert_int_equal(score_per_occurrence(1000, 250, SCORE_VALUE_LIMIT, &p), SCORE_OK);
    assert_int_equal(p, 1000);
}

static void test_target_formulas(void **state)
{
    (void)state;
    int64_t p = -1;
    enum score_target_case k;
    /* max 20.00; target 100 (10000 hundredths); the group's actuals are
     * 150, 120, 90 → leader 150 */
    /* below: max/2 × 90/100 = 10 × 0.9 = 9.00 → 2000·9000 / (2·10000) = 900 */
    assert_int_equal(score_target(2000, 9000, 10000, 15000, &p, &k), SCORE_OK);
    assert_int_equal(p, 900);
    assert_int_equal(k, SCORE_BELOW);
    /* met: max/2 = 10.00 */
    assert_int_equal(score_target(2000, 10000, 10000, 15000, &p, &k), SCORE_OK);
    assert_int_equal(p, 1000);
    assert_int_equal(k, SCORE_MET);
    /* exceeds and leads: max */
    assert_int_equal(score_target(2000, 15000, 10000, 15000, &p, &k), SCORE_OK);
    assert_int_equal(p, 2000);
    assert_int_equal(k, SCORE_LEADS);
    /* exceeds without leading: 10 + 10 × (120 − 100) / (150 − 100) = 10 + 4
     * = 14.00; as one fraction 2000·(15000 + 12000 − 20000) / (2·5000)
     * = 2000·7000 / 10000 = 1400 */
    assert_int_equal(score_target(2000, 12000, 10000, 15000, &p, &k), SCORE_OK);
    assert_int_equal(p, 1400);
    assert_int_equal(k, SCORE_EXCEEDS);
    /* a share that does not divide: max 10.00, target 100, actual 110,
     * leader 130: 5 + 5 × 10/30 = 6.6667 → 1000·4000 / 6000 = 666.67 → 667 */
    assert_int_equal(score_target(1000, 11000, 10000, 13000, &p, NULL), SCORE_OK);
    assert_int_equal(p, 667);
    /* below with rounding: max 10.00, 1/6 of the target: 5 × 1/6 = 0.8333
     * → 1000·100 / 1200 = 83.33 → 83 */
    assert_int_equal(score_target(1000, 100, 600, 600, &p, NULL), SCORE_OK);
    assert_int_equal(p, 83);
    /* an exact half rounds up: max 0.02, actual 1, target 2: 2·1 / 4 = 0.5 → 1 */
    assert_int_equal(score_target(2, 1, 2, 2, &p, NULL), SCORE_OK);
    assert_int_equal(p, 1);
    /* an odd max: met gives max/2 = 1002.5 → 1003 */
    assert_int_equal(score_target(2005, 10000, 10000, 10000, &p, NULL), SCORE_OK);
    assert_int_equal(p, 1003);
}

static void test_target_edges(void **state)
{
    (void)state;
    int64_t p = -1;
    enum score_target_case k;
    /* leader equal to the target: nobody exceeds. The leader meets it → 10.00;
     * one below → 10 × 80/100 = 8.00 */
    assert_int_equal(score_target(2000, 10000, 10000, 10000, &p, &k), SCORE_OK);
    assert_int_equal(p, 1000);
    assert_int_equal(k, SCORE_MET);
    assert_int_equal(score_target(2000, 8000, 10000, 10000, &p, &k), SCORE_OK);
    assert_int_equal(p, 800);
    assert_int_equal(k, SCORE_BELOW);
    /* ties for the lead: two units at 150 both lead and both get max */
    assert_int_equal(score_target(2000, 15000, 10000, 15000, &p, &k), SCORE_OK);
    assert_int_equal(p, 2000);
    assert_int_equal(k, SCORE_LEADS);
    /* the highest actual but below target is not a leader: 10 × 90/100 */
    assert_int_equal(score_target(2000, 9000, 10000, 9000, &p, &k), SCORE_OK);
    assert_int_equal(p, 900);
    assert_int_equal(k, SCORE_BELOW);
    /* all actuals zero against a positive target: 0 each */
    assert_int_equal(score_target(2000, 0, 10000, 0, &p, &k), SCORE_OK);
    assert_int_equal(p, 0);
    assert_int_equal(k, SCORE_BELOW);
    /* target 0: 0 meets it (10.00); any positive actual exceeds it. Leader 10:
     * the leader gets 20.00; actual 5 gets 10 + 10 × 5/10 = 15.00 =
     * 2000·(1000 + 500 − 0) / (2·1000) = 1500 */
    assert_int_equal(score_target(2000, 0, 0, 1000, &p, &k), SCORE_OK);
    assert_int_equal(p, 1000);
    assert_int_equal(k, SCORE_MET);
    assert_int_equal(score_target(2000, 1000, 0, 1000, &p, &k), SCORE_OK);
    assert_int_equal(p, 2000);
    assert_int_equal(score_target(2000, 500, 0, 1000, &p, &k), SCORE_OK);
    assert_int_equal(p, 1500);
    assert_int_equal(k, SCORE_EXCEEDS);
    /* target 0 and every actual 0: everybody meets it */
    assert_int_equal(score_target(2000, 0, 0, 0, &p, &k), SCORE_OK);
    assert_int_equal(p, 1000);
    /* refused: negative inputs, a leader below the actual, beyond the limits */
    assert_int_equal(score_target(2000, -1, 10000, 15000, &p, NULL), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_target(2000, 100, -1, 15000, &p, NULL), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_target(-2000, 100, 100, 15000, &p, NULL), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_target(2000, 100, 100, -1, &p, NULL), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_target(2000, 12000, 10000, 11000, &p, NULL), SCORE_ERR_RANGE);
    assert_int_equal(score_target(2000, SCORE_VALUE_LIMIT + 1, 10000, SCORE_VALUE_LIMIT + 1,
                                  &p, NULL),
                     SCORE_ERR_RANGE);
    /* the largest inputs allowed stay exact: max 10,000.00, target 1, actual
     * 10^12 − 1, leader 10^12: 10^6 · (2·10^12 − 3) / (2·(10^12 − 1)) just
     * under 10^6 → rounds to 1000000 */
    assert_int_equal(score_target(SCORE_MAX_LIMIT, SCORE_VALUE_LIMIT - 1, 1, SCORE_VALUE_LIMIT,
                                  &p, &k),
                     SCORE_OK);
    assert_int_equal(k, SCORE_EXCEEDS);
    assert_int_equal(p, SCORE_MAX_LIMIT);
}

/* The example table (100.00 points in all):
 *   I    Nhiệm vụ chuyên môn   group 50.00
 *   I.1    direct              20.00
 *   I.2    target              30.00
 *   II   Công tác thi đua      group 30.00
 *   II.1   pass/fail           10.00
 *   II.2   per occurrence      20.00, 5.00 each
 *   III  Cải cách hành chính   group capped at 20.00
 *   III.1  direct              15.00
 *   III.2  direct              15.00   (children add up to 30.00) */
static const struct score_node nodes[] = {
    {"I", "Nhiệm vụ chuyên môn", -1, SCORE_GROUP, 5000, 0, false},
    {"I.1", "Hoàn thành kế hoạch", 0, SCORE_DIRECT, 2000, 0, false},
    {"I.2", "Chỉ tiêu giao ước", 0, SCORE_TARGET, 3000, 0, false},
    {"II", "Công tác thi đua", -1, SCORE_GROUP, 3000, 0, false},
    {"II.1", "Báo cáo đúng hạn", 3, SCORE_PASSFAIL, 1000, 0, false},
    {"II.2", "Mô hình điển hình", 3, SCORE_OCCURRENCE, 2000, 500, false},
    {"III", "Cải cách hành chính", -1, SCORE_GROUP, 2000, 0, true},
    {"III.1", "Dịch vụ công trực tuyến", 6, SCORE_DIRECT, 1500, 0, false},
    {"III.2", "Chuyển đổi số", 6, SCORE_DIRECT, 1500, 0, false},
};
#define NN (sizeof nodes / sizeof nodes[0])
static const struct score_table table = {nodes, NN};

#define A(v) {true, (v), 0}
#define T(v, t) {true, (v), (t)}
#define G {false, 0, 0} /* groups carry no answer */

static void test_table_check(void **state)
{
    (void)state;
    size_t bad = 99;
    assert_int_equal(score_table_check(&table, &bad), SCORE_OK);
    assert_int_equal(score_table_max(&table), 10000); /* 50 + 30 + 20 */

    struct score_node t[NN];
    struct score_table tt = {t, NN};
    /* an uncapped group whose max is not its children's sum (40 ≠ 50) */
    memcpy(t, nodes, sizeof t);
    t[0].max = 4000;
    assert_int_equal(score_table_check(&tt, &bad), SCORE_ERR_TABLE);
    assert_int_equal(bad, 0);
    /* a capped group may not promise more than its children can give (35 > 30) */
    memcpy(t, nodes, sizeof t);
    t[6].max = 3500;
    assert_int_equal(score_table_check(&tt, &bad), SCORE_ERR_TABLE);
    assert_int_equal(bad, 6);
    /* ... but a cap equal to the sum is fine */
    t[6].max = 3000;
    assert_int_equal(score_table_check(&tt, &bad), SCORE_OK);
    /* a parent after its child */
    memcpy(t, nodes, sizeof t);
    t[1].parent = 3;
    assert_int_equal(score_table_check(&tt, &bad), SCORE_ERR_TABLE);
    assert_int_equal(bad, 1);
    /* a criterion under a criterion */
    memcpy(t, nodes, sizeof t);
    t[2].parent = 1;
    assert_int_equal(score_table_check(&tt, &bad), SCORE_ERR_TABLE);
    assert_int_equal(bad, 2); /* the shape is checked before any sum */
    /* a group with no children */
    memcpy(t, nodes, sizeof t);
    struct score_table last_empty = {t, 7}; /* III without III.1, III.2 */
    assert_int_equal(score_table_check(&last_empty, &bad), SCORE_ERR_TABLE);
    assert_int_equal(bad, 6);
    /* a negative maximum */
    memcpy(t, nodes, sizeof t);
    t[4].max = -1000;
    assert_int_equal(score_table_check(&tt, &bad), SCORE_ERR_TABLE);
    assert_int_equal(bad, 4);
}

static void test_unit_totals(void **state)
{
    (void)state;
    /* three units; the target I.2 is 100 for each; actuals 150, 120, 0 */
    const struct score_answer ans[3 * NN] = {
        /* U1, every criterion at its maximum: I.1 20; I.2 leads (150) → 30;
         * II.1 passed → 10; II.2 4 × 5 = 20; III.1 15 + III.2 15 = 30 held
         * to the cap 20 */
        G, A(2000), T(15000, 10000), G, A(1), A(4), G, A(1500), A(1500),
        /* U2: I.1 15; I.2 120 exceeds, not leading: 15 + 15 × 20/50 = 21.00
         * (3000·(15000 + 12000 − 20000) / (2·5000) = 2100); II.1 failed 0;
         * II.2 3 × 5 = 15; III 10 + 5 = 15 (under the cap) */
        G, A(1500), T(12000, 10000), G, A(0), A(3), G, A(1000), A(500),
        /* U3: every answer zero — valid, total 0 */
        G, A(0), T(0, 10000), G, A(0), A(0), G, A(0), A(0),
    };
    int64_t leaders[NN];
    score_leaders(&table, ans, 3, leaders);
    assert_int_equal(leaders[2], 15000);
    assert_int_equal(leaders[1], 0); /* not a target criterion */

    int64_t pts[NN], base = -1;
    int full = -1;
    size_t bad = 99;
    assert_int_equal(score_unit(&table, &ans[0], leaders, pts, &base, &full, &bad), SCORE_OK);
    assert_int_equal(pts[0], 5000);
    assert_int_equal(pts[3], 3000);
    assert_int_equal(pts[6], 2000); /* 3000 capped */
    assert_int_equal(base, 10000);  /* everything at maximum: 100.00 */
    assert_int_equal(full, 6);      /* all six criteria */

    assert_int_equal(score_unit(&table, &ans[NN], leaders, pts, &base, &full, &bad), SCORE_OK);
    assert_int_equal(pts[1], 1500);
    assert_int_equal(pts[2], 2100);
    assert_int_equal(pts[0], 3600); /* 15 + 21 */
    assert_int_equal(pts[4], 0);
    assert_int_equal(pts[5], 1500);
    assert_int_equal(pts[3], 1500); /* 0 + 15 */
    assert_int_equal(pts[6], 1500);
    assert_int_equal(base, 6600);   /* 36 + 15 + 15 */
    assert_int_equal(full, 0);

    assert_int_equal(score_unit(&table, &ans[2 * NN], leaders, pts, &base, &full, &bad),
                     SCORE_OK);
    assert_int_equal(base, 0);
    assert_int_equal(full, 0);
    for (size_t i = 0; i < NN; i++)
        assert_int_equal(pts[i], 0);
}

static void test_all_zero_group(void **state)
{
    (void)state;
    /* every unit answers 0 everywhere: the leader of I.2 is 0, below the
     * target 100, so everyone scores 0 on it and 0 in all */
    struct score_answer ans[2 * NN] = {
        G, A(0), T(0, 10000), G, A(0), A(0), G, A(0), A(0),
        G, A(0), T(0, 10000), G, A(0), A(0), G, A(0), A(0),
    };
    int64_t leaders[NN], pts[NN], base = -1;
    int full = -1;
    score_leaders(&table, ans, 2, leaders);
    assert_int_equal(leaders[2], 0);
    assert_int_equal(score_unit(&table, &ans[NN], leaders, pts, &base, &full, NULL), SCORE_OK);
    assert_int_equal(base, 0);
    /* the same with a zero target: 0 meets 0, half of 30.00 each */
    ans[2].target = 0;
    ans[NN + 2].target = 0;
    assert_int_equal(score_unit(&table, &ans[NN], leaders, pts, &base, &full, NULL), SCORE_OK);
    assert_int_equal(pts[2], 1500);
    assert_int_equal(base, 1500);
}

static void test_leader_equals_target(void **state)
{
    (void)state;
    /* actuals 100 and 80 against target 100: the leader only meets the
     * target, so it gets half (15.00), not the max; the other 15 × 0.8 = 12.00 */
    const struct score_answer ans[2 * NN] = {
        G, A(0), T(10000, 10000), G, A(0), A(0), G, A(0), A(0),
        G, A(0), T(8000, 10000), G, A(0), A(0), G, A(0), A(0),
    };
    int64_t leaders[NN], pts[NN], base = -1;
    int full = -1;
    score_leaders(&table, ans, 2, leaders);
    assert_int_equal(leaders[2], 10000);
    assert_int_equal(score_unit(&table, &ans[0], leaders, pts, &base, &full, NULL), SCORE_OK);
    assert_int_equal(pts[2], 1500);
    assert_int_equal(full, 0);
    assert_int_equal(score_unit(&table, &ans[NN], leaders, pts, &base, &full, NULL), SCORE_OK);
    assert_int_equal(pts[2], 1200);
}

static void test_missing_and_invalid(void **state)
{
    (void)state;
    struct score_answer ans[NN] = {
        G, A(1500), T(12000, 10000), G, A(0), A(3), G, A(1000), A(500),
    };
    int64_t leaders[NN], pts[NN], base;
    int full;
    size_t bad = 99;
    score_leaders(&table, ans, 1, leaders);
    /* a blank II.1 is an error, although 0 would be a valid answer */
    ans[4].answered = false;
    assert_int_equal(score_unit(&table, ans, leaders, pts, &base, &full, &bad),
                     SCORE_ERR_UNANSWERED);
    assert_int_equal(bad, 4);
    ans[4].answered = true;
    /* an answer above III.1's maximum */
    ans[7].value = 1600;
    assert_int_equal(score_unit(&table, ans, leaders, pts, &base, &full, &bad),
                     SCORE_ERR_RANGE);
    assert_int_equal(bad, 7);
    ans[7].value = 1000;
    /* a negative actual */
    ans[2].value = -1;
    assert_int_equal(score_unit(&table, ans, leaders, pts, &base, &full, &bad),
                     SCORE_ERR_NEGATIVE);
    assert_int_equal(bad, 2);
    /* a blank target criterion is left out of the leader */
    ans[2].value = 12000;
    ans[2].answered = false;
    score_leaders(&table, ans, 1, leaders);
    assert_int_equal(leaders[2], 0);
}

static void test_final(void **state)
{
    (void)state;
    /* HCMC-style bonuses (RULES.md §8.4): +10.00 provincial flag, +15.00
     * Government flag; deductions reported by agencies (BN86 Art 10(2)) */
    const struct score_bonus flag[] = {{"CO_TINH", 1000}};
    const struct score_bonus both[] = {{"CO_TINH", 1000}, {"CO_CP", 1500}};
    const struct score_deduction ded[] = {
        {"Công an tỉnh", "CV 123/CAT-PV01", 200},
        {"Sở Y tế", "BB kiểm tra ATTP 05/2025", 150},
    };
    int64_t f = -1, d = -1;
    /* 66.00 + 10.00 − (2.00 + 1.50) = 72.50 */
    assert_int_equal(score_final(6600, flag, 1, -1, ded, 2, &f, &d), SCORE_OK);
    assert_int_equal(f, 7250);
    assert_int_equal(d, 350);
    /* both flags, no cap: 66 + 25 = 91.00 */
    assert_int_equal(score_final(6600, both, 2, -1, NULL, 0, &f, &d), SCORE_OK);
    assert_int_equal(f, 9100);
    assert_int_equal(d, 0);
    /* a province capping bonuses at 20.00: 66 + 20 − 3.50 = 82.50 */
    assert_int_equal(score_final(6600, both, 2, 2000, ded, 2, &f, NULL), SCORE_OK);
    assert_int_equal(f, 8250);
    /* deductions beyond the points: not floored, 1.00 − 3.50 = −2.50 */
    assert_int_equal(score_final(100, NULL, 0, -1, ded, 2, &f, &d), SCORE_OK);
    assert_int_equal(f, -250);
    /* negative amounts refused */
    const struct score_bonus neg[] = {{"X", -100}};
    const struct score_deduction negd[] = {{"Sở Nội vụ", "", -100}};
    assert_int_equal(score_final(6600, neg, 1, -1, NULL, 0, &f, &d), SCORE_ERR_NEGATIVE);
    assert_int_equal(score_final(6600, NULL, 0, -1, negd, 1, &f, &d), SCORE_ERR_NEGATIVE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_passfail),
        cmocka_unit_test(test_per_occurrence),
        cmocka_unit_test(test_target_formulas),
        cmocka_unit_test(test_target_edges),
        cmocka_unit_test(test_table_check),
        cmocka_unit_test(test_unit_totals),
        cmocka_unit_test(test_all_zero_group),
        cmocka_unit_test(test_leader_equals_target),
        cmocka_unit_test(test_missing_and_invalid),
        cmocka_unit_test(test_final),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
