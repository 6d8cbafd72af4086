/* lib/date: the dates people type and Excel stores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/date.h"

static void test_parse(void **state)
{
    (void)state;
    char out[11];
    assert_true(date_parse("2026-01-05", out));
    assert_string_equal(out, "2026-01-05");
    assert_true(date_parse("05/01/2026", out));
    assert_string_equal(out, "2026-01-05");
    assert_true(date_parse("5/1/2026", out));
    assert_string_equal(out, "2026-01-05");
    assert_true(date_parse("29/02/2024", out)); /* leap year */
    assert_false(date_parse("29/02/2025", out));
    assert_false(date_parse("29/02/1900", out)); /* 1900 is not a leap year */
    assert_true(date_parse("29/02/2000", out));  /* 2000 is */
    assert_false(date_parse("31/04/2026", out));
    assert_false(date_parse("2026-13-01", out));
    assert_false(date_parse("2026-1-5", out));
    assert_false(date_parse("05/01/26", out));
    assert_false(date_parse("05.01.2026", out));
    assert_false(date_parse("", out));
    assert_false(date_parse("1/1/2026x", out));
}

static void test_excel_serial(void **state)
{
    (void)state;
    char out[11];
    /* 45658 is 2025-01-01 in Excel's 1900 date system */
    assert_true(date_from_excel_serial("45658", out));
    assert_string_equal(out, "2025-01-01");
    assert_true(date_from_excel_serial("61", out)); /* 1900-03-01 */
    assert_string_equal(out, "1900-03-01");
    assert_true(date_from_excel_serial("45658.75", out)); /* a time of day is dropped */
    assert_string_equal(out, "2025-01-01");
    assert_false(date_from_excel_serial("abc", out));
    assert_false(date_from_excel_serial("0", out));
}

static void test_dmy_and_today(void **state)
{
    (void)state;
    char out[11];
    date_to_dmy("2026-01-05", out);
    assert_string_equal(out, "05/01/2026");
    date_to_dmy("nonsense", out);
    assert_string_equal(out, "");
    date_today(out);
    char again[11];
    assert_true(date_parse(out, again));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_excel_serial),
        cmocka_unit_test(test_dmy_and_today),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
