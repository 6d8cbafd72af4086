/* features/scope: derived roles over a group for a period, on both drivers.
 * The rule (DESIGN.md §2, issue 5): the officers of this year's head or
 * deputy unit hold the group's rights for that year and lose them when the
 * year passes; next year's elected units take over on 1 January. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/db.h"
#include "features/registry.h"
#include "features/scope.h"
#include "testdb.h"

static int64_t unit(struct db *db, const char *code)
{
    struct unit_input u = {.code = code, .name = code, .kind = "so_nganh"};
    int64_t id = 0;
    assert_int_equal(db_begin(db), OK);
    assert_int_equal(unit_insert(db, &u, &id), OK);
    assert_int_equal(db_commit(db), OK);
    return id;
}

static void grant(struct db *db, int64_t unit_id, int64_t group, enum derived_role role,
                  const char *from, const char *to)
{
    assert_int_equal(db_begin(db), OK);
    assert_int_equal(derived_role_grant(db, unit_id, group, role, from, to), OK);
    assert_int_equal(db_commit(db), OK);
}

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

static void test_a_year_of_head_and_deputy(void **state)
{
    struct db *db = *state;
    int64_t a = unit(db, "A"), b = unit(db, "B"), c = unit(db, "C");
    const int64_t group = 7;
    grant(db, a, group, DERIVED_HEAD, "2026-01-01", "2027-01-01");
    grant(db, b, group, DERIVED_DEPUTY, "2026-01-01", "2027-01-01");
    /* the customary rotation: this year's deputy heads next year */
    grant(db, b, group, DERIVED_HEAD, "2027-01-01", "2028-01-01");
    grant(db, c, group, DERIVED_DEPUTY, "2027-01-01", "2028-01-01");

    assert_int_equal(derived_roles_of(db, a, group, "2026-01-01"), DERIVED_HEAD);
    assert_int_equal(derived_roles_of(db, a, group, "2026-12-31"), DERIVED_HEAD);
    assert_int_equal(derived_roles_of(db, a, group, "2025-12-31"), 0); /* not yet */
    assert_int_equal(derived_roles_of(db, a, group, "2027-01-01"), 0); /* the year has passed */
    assert_int_equal(derived_roles_of(db, b, group, "2026-06-30"), DERIVED_DEPUTY);
    assert_int_equal(derived_roles_of(db, b, group, "2027-06-30"), DERIVED_HEAD);
    assert_int_equal(derived_roles_of(db, c, group, "2026-06-30"), 0);
    assert_int_equal(derived_roles_of(db, c, group, "2027-06-30"), DERIVED_DEPUTY);
    assert_int_equal(derived_roles_of(db, a, group + 1, "2026-06-30"), 0); /* another group */
}

static void test_both_roles_combine(void **state)
{
    struct db *db = *state;
    int64_t a = unit(db, "A");
    grant(db, a, 1, DERIVED_HEAD, "2026-01-01", "2027-01-01");
    grant(db, a, 1, DERIVED_DEPUTY, "2026-07-01", "2027-01-01");
    assert_int_equal(derived_roles_of(db, a, 1, "2026-03-01"), DERIVED_HEAD);
    assert_int_equal(derived_roles_of(db, a, 1, "2026-08-01"), DERIVED_HEAD | DERIVED_DEPUTY);
}

static void test_bad_periods_are_refused(void **state)
{
    struct db *db = *state;
    int64_t a = unit(db, "A");
    assert_int_equal(db_begin(db), OK);
    assert_int_equal(derived_role_grant(db, a, 1, DERIVED_HEAD, "2027-01-01", "2026-01-01"),
                     E_INVALID);
    assert_int_equal(derived_role_grant(db, a, 1, DERIVED_HEAD, "2026-01-01", "2026-01-01"),
                     E_INVALID);
    assert_int_equal(derived_role_grant(db, a, 1, DERIVED_HEAD, "2026-02-30", "2027-01-01"),
                     E_INVALID);
    db_rollback(db);
    assert_int_equal(db_scalar_int(db, "SELECT count(*) FROM role_grants", -1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_year_of_head_and_deputy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_both_roles_combine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_periods_are_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
