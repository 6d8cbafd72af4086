/* features/docnum: numbers per issuer, year and series (ND30 Art 15), on both
 * drivers: a series starts at 1, a rolled-back document gives its number
 * back, and the formatting pads under 10. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/db.h"
#include "features/docnum.h"
#include "features/registry.h"
#include "testdb.h"

static int setup(void **state)
{
    *state = testdb_open();
    return 0;
}

static int teardown(void **state)
{
    testdb_close(*state);
    return 0;
}

static int64_t issuer(struct db *db, const char *code)
{
    struct unit_input u = {.code = code, .name = code, .kind = "so_nganh"};
    int64_t id = 0;
    assert_int_equal(db_begin(db), OK);
    assert_int_equal(unit_insert(db, &u, &id), OK);
    assert_int_equal(db_commit(db), OK);
    return id;
}

static int64_t take(struct db *db, int64_t who, int year, const char *series, bool commit)
{
    int64_t n = 0;
    assert_int_equal(db_begin(db), OK);
    assert_int_equal(docnum_next(db, who, year, series, &n), OK);
    if (commit)
        assert_int_equal(db_commit(db), OK);
    else
        db_rollback(db);
    return n;
}

static void test_series_are_separate_and_rollback_gives_back(void **state)
{
    struct db *db = *state;
    int64_t a = issuer(db, "UBND"), b = issuer(db, "SNV");
    assert_int_equal(take(db, a, 2026, "", true), 1);
    assert_int_equal(take(db, a, 2026, "", true), 2);
    assert_int_equal(take(db, a, 2026, "", false), 3); /* rolled back … */
    assert_int_equal(take(db, a, 2026, "", true), 3);  /* … so 3 is given again */
    assert_int_equal(take(db, a, 2027, "", true), 1);  /* a new year starts at 01 */
    assert_int_equal(take(db, a, 2026, "HĐTĐKT", true), 1); /* the council's own series */
    assert_int_equal(take(db, b, 2026, "", true), 1);  /* another issuer */
    assert_int_equal(take(db, a, 2026, "", true), 4);
}

static void test_outside_a_transaction_is_refused(void **state)
{
    int64_t n = 7;
    assert_int_equal(docnum_next(*state, 1, 2026, "", &n), E_DB);
    assert_int_equal(n, 0);
}

static void test_format_and_symbols(void **state)
{
    (void)state;
    char out[64];
    docnum_format(5, "QĐ-UBND", out, sizeof out);
    assert_string_equal(out, "05/QĐ-UBND");
    docnum_format(12, "TTr-SNV", out, sizeof out);
    assert_string_equal(out, "12/TTr-SNV");
    docnum_format(105, "BC-SNV", out, sizeof out);
    assert_string_equal(out, "105/BC-SNV");
    char *s = docnum_default_symbol(doc_kind_of("QD"), "UBND");
    assert_string_equal(s, "QĐ-UBND");
    free(s);
    s = docnum_default_symbol(doc_kind_of("CV"), "SNV");
    assert_string_equal(s, "SNV");
    free(s);
    assert_null(doc_kind_of("XX"));
    assert_string_equal(doc_kind_of("TTR")->abbrev, "TTr");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_series_are_separate_and_rollback_gives_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_outside_a_transaction_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format_and_symbols, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
