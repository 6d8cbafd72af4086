/* domain/bloc: the quorum of a group's meeting, the rotation of head and
 * deputy, progress against the pledge, and amounts in hundredths. Expected
 * values are worked out by hand from the rules cited in domain/bloc.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/bloc.h"
#include "lib/date.h"

static void test_quorum(void **state)
{
    (void)state;
    /* six members at 2/3 (Hà Nội HD 01/2021): 4 needed; 6 * 2 / 3 = 4 exactly */
    assert_int_equal(bloc_quorum_needed(6, 2, 3), 4);
    assert_true(bloc_quorum_met(5, 6, 2, 3));
    assert_true(bloc_quorum_met(4, 6, 2, 3));   /* 4 * 3 = 12 >= 6 * 2 = 12 */
    assert_false(bloc_quorum_met(3, 6, 2, 3));  /* 9 < 12 */
    /* ten members: 10 * 2 / 3 = 6.67 → 7 */
    assert_int_equal(bloc_quorum_needed(10, 2, 3), 7);
    assert_false(bloc_quorum_met(6, 10, 2, 3)); /* 18 < 20 */
    assert_true(bloc_quorum_met(7, 10, 2, 3));  /* 21 >= 20 */
    /* a province that asks for more than half: 1/2 of 7 → 4 (3.5 up) */
    assert_int_equal(bloc_quorum_needed(7, 1, 2), 4);
    assert_false(bloc_quorum_met(3, 7, 1, 2));
    /* everyone (1/1) */
    assert_true(bloc_quorum_met(6, 6, 1, 1));
    assert_false(bloc_quorum_met(5, 6, 1, 1));
    /* nonsense refused rather than passed */
    assert_false(bloc_quorum_met(0, 0, 2, 3));
    assert_false(bloc_quorum_met(7, 6, 2, 3));
    assert_false(bloc_quorum_met(4, 6, 3, 2));
    assert_false(bloc_quorum_met(4, 6, 0, 3));
    assert_int_equal(bloc_quorum_needed(6, 2, 0), 0);
}

static void test_rotation(void **state)
{
    (void)state;
    const int64_t order[] = {11, 12, 13, 14, 15, 16};
    int64_t h, d;
    /* head 11, deputy 12 → the deputy becomes head, the next member deputy */
    bloc_rotation(order, 6, 11, 12, &h, &d);
    assert_int_equal(h, 12);
    assert_int_equal(d, 13);
    /* the deputy is last in order: wrap round, passing over the old head */
    bloc_rotation(order, 6, 11, 16, &h, &d);
    assert_int_equal(h, 16);
    assert_int_equal(d, 12);
    /* no deputy this year: the member after the head leads */
    bloc_rotation(order, 6, 14, 0, &h, &d);
    assert_int_equal(h, 15);
    assert_int_equal(d, 16);
    /* this year's deputy left the group: same as no deputy */
    bloc_rotation(order, 6, 11, 99, &h, &d);
    assert_int_equal(h, 12);
    assert_int_equal(d, 13);
    /* nothing this year: the first two members */
    bloc_rotation(order, 6, 0, 0, &h, &d);
    assert_int_equal(h, 11);
    assert_int_equal(d, 12);
    /* two members swap */
    const int64_t two[] = {21, 22};
    bloc_rotation(two, 2, 21, 22, &h, &d);
    assert_int_equal(h, 22);
    assert_int_equal(d, 21);
    /* one member: head only; none: nothing */
    bloc_rotation(two, 1, 0, 0, &h, &d);
    assert_int_equal(h, 21);
    assert_int_equal(d, 0);
    bloc_rotation(order, 0, 11, 12, &h, &d);
    assert_int_equal(h, 0);
    assert_int_equal(d, 0);
}

static void test_progress(void **state)
{
    (void)state;
    /* target 20 models (2000): mid-year expects 10 */
    assert_int_equal(bloc_progress_of(900, true, 2000, true, false, BLOC_MIDYEAR), BLOC_BEHIND);
    assert_int_equal(bloc_progress_of(1000, true, 2000, true, false, BLOC_MIDYEAR),
                     BLOC_ON_TRACK);
    assert_int_equal(bloc_progress_of(2000, true, 2000, true, false, BLOC_MIDYEAR), BLOC_MET);
    /* odd target 15 (1500): half is 7.5 → 750 */
    assert_int_equal(bloc_progress_of(749, true, 1500, true, false, BLOC_MIDYEAR), BLOC_BEHIND);
    assert_int_equal(bloc_progress_of(750, true, 1500, true, false, BLOC_MIDYEAR),
                     BLOC_ON_TRACK);
    /* a rate (100 %) is not pro-rated: 60 % at mid-year is behind */
    assert_int_equal(bloc_progress_of(6000, true, 10000, true, true, BLOC_MIDYEAR), BLOC_BEHIND);
    assert_int_equal(bloc_progress_of(10000, true, 10000, true, true, BLOC_MIDYEAR), BLOC_MET);
    /* the year end expects the whole target */
    assert_int_equal(bloc_progress_of(1999, true, 2000, true, false, BLOC_YEAREND), BLOC_BEHIND);
    assert_int_equal(bloc_progress_of(2500, true, 2000, true, false, BLOC_YEAREND), BLOC_MET);
    /* nothing reported, or nothing to measure */
    assert_int_equal(bloc_progress_of(0, false, 2000, true, false, BLOC_MIDYEAR), BLOC_NO_FIGURE);
    assert_int_equal(bloc_progress_of(500, true, 0, false, false, BLOC_MIDYEAR), BLOC_NO_FIGURE);
    /* a zero target is met by any figure, zero included */
    assert_int_equal(bloc_progress_of(0, true, 0, true, false, BLOC_YEAREND), BLOC_MET);
}

static void test_amounts(void **state)
{
    (void)state;
    char out[32];
    bloc_format_x100(1250, out);
    assert_string_equal(out, "12,5");
    bloc_format_x100(100000, out);
    assert_string_equal(out, "1.000");
    bloc_format_x100(123456789, out);
    assert_string_equal(out, "1.234.567,89");
    bloc_format_x100(-5, out);
    assert_string_equal(out, "-0,05");
    bloc_format_x100(0, out);
    assert_string_equal(out, "0");
    bloc_format_x100(INT64_MIN, out);
    assert_string_equal(out, "-92.233.720.368.547.758,08");

    int64_t v;
    assert_true(bloc_parse_x100("12,5", &v));
    assert_int_equal(v, 1250);
    assert_true(bloc_parse_x100("12.5", &v));
    assert_int_equal(v, 1250);
    assert_true(bloc_parse_x100("12.50", &v));
    assert_int_equal(v, 1250);
    assert_true(bloc_parse_x100("1.000", &v)); /* dots group thousands */
    assert_int_equal(v, 100000);
    assert_true(bloc_parse_x100("1.234.567,89", &v));
    assert_int_equal(v, 123456789);
    assert_true(bloc_parse_x100("1 000", &v));
    assert_int_equal(v, 100000);
    assert_true(bloc_parse_x100("-3", &v));
    assert_int_equal(v, -300);
    assert_true(bloc_parse_x100("0,05", &v));
    assert_int_equal(v, 5);
    assert_false(bloc_parse_x100("12,345", &v)); /* three decimals */
    assert_false(bloc_parse_x100("1.00.0", &v));
    assert_false(bloc_parse_x100("12a", &v));
    assert_false(bloc_parse_x100("", &v));
    assert_false(bloc_parse_x100(",5", &v));
    assert_false(bloc_parse_x100("5,", &v));
    assert_false(bloc_parse_x100("1000.000,5", &v)); /* a group of four before a dot */
    assert_false(bloc_parse_x100("99999999999999999999", &v));
}

static void test_year_start(void **state)
{
    (void)state;
    char out[11];
    date_year_start(2027, out);
    assert_string_equal(out, "2027-01-01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quorum),   cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_progress), cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_year_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
