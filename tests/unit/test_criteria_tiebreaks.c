/* features/criteria.h criteria_tiebreaks and criteria_default_bands: the
 * stored tie-break list of a table (migration 0007: comma-separated items
 * group:<node id> | at_max | deductions | women | submitted) turned into
 * the domain's struct rank_tiebreak array, group items mapped to the index
 * of their node in criteria_get's "nodes" order; and the customary bands
 * (90 / 80 / 65 % of the total, half up). Expected values by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "domain/ranking.h"
#include "features/criteria.h"

/* A table shaped as criteria_get returns it: nodes in tree order
 *   index 0: id 11, group I; 1: id 12, criterion I.1; 2: id 20, group II. */
static json_t *table(const char *tie_breaks)
{
    return json_pack("{s:s,s:[{s:i,s:s,s:s,s:b},{s:i,s:s,s:s,s:b},{s:i,s:s,s:s,s:b}]}",
                     "tie_breaks", tie_breaks, "nodes", "id", 11, "code", "I", "name",
                     "Chuyên môn", "is_group", 1, "id", 12, "code", "I.1", "name", "Nhiệm vụ",
                     "is_group", 0, "id", 20, "code", "II", "name", "Phong trào", "is_group", 1);
}

static void test_order_and_indexes(void **state)
{
    (void)state;
    json_t *t = table("group:20,at_max,deductions,women,submitted,group:11");
    struct rank_tiebreak tb[8];
    json_t *labels = NULL;
    size_t n = criteria_tiebreaks(t, tb, 8, &labels);
    assert_int_equal(n, 6);
    /* group II is the third node: index 2; group I the first: index 0 */
    assert_int_equal(tb[0].kind, RANK_TB_GROUP);
    assert_int_equal(tb[0].node, 2);
    assert_int_equal(tb[1].kind, RANK_TB_AT_MAX);
    assert_int_equal(tb[2].kind, RANK_TB_DEDUCTIONS);
    assert_int_equal(tb[3].kind, RANK_TB_WOMEN);
    assert_int_equal(tb[3].women_pct, 7000); /* ND152 Art 4(6): 70 % */
    assert_int_equal(tb[4].kind, RANK_TB_SUBMITTED);
    assert_int_equal(tb[5].kind, RANK_TB_GROUP);
    assert_int_equal(tb[5].node, 0);
    assert_int_equal(json_array_size(labels), 6);
    assert_string_equal(json_string_value(json_array_get(labels, 0)),
                        "Điểm nhóm tiêu chí II “Phong trào” cao hơn");
    assert_string_equal(json_string_value(json_array_get(labels, 1)),
                        "Nhiều tiêu chí đạt điểm tối đa hơn");
    json_decref(labels);
    json_decref(t);
}

static void test_unresolved_skipped_and_cap(void **state)
{
    (void)state;
    /* a criterion (12), a node of no group of this table (99), an unknown
     * word and an empty item are skipped; the rest keep their order */
    json_t *t = table("group:12,group:99,bogus,,women,group:11,at_max");
    struct rank_tiebreak tb[2];
    size_t n = criteria_tiebreaks(t, tb, 2, NULL);
    assert_int_equal(n, 2); /* cap 2: women, group I; at_max left out */
    assert_int_equal(tb[0].kind, RANK_TB_WOMEN);
    assert_int_equal(tb[1].kind, RANK_TB_GROUP);
    assert_int_equal(tb[1].node, 0);
    json_decref(t);
    t = table("");
    json_t *labels = NULL;
    assert_int_equal(criteria_tiebreaks(t, tb, 2, &labels), 0);
    assert_int_equal(json_array_size(labels), 0);
    json_decref(labels);
    json_decref(t);
}

static void test_default_bands(void **state)
{
    (void)state;
    int64_t m[4];
    /* 100.00: 90.00, 80.00, 65.00, 0 */
    criteria_default_bands(10000, m);
    assert_int_equal(m[0], 9000);
    assert_int_equal(m[1], 8000);
    assert_int_equal(m[2], 6500);
    assert_int_equal(m[3], 0);
    /* 12.35: 11.115 → 11.12, 9.88, 8.0275 → 8.03 (half up) */
    criteria_default_bands(1235, m);
    assert_int_equal(m[0], 1112);
    assert_int_equal(m[1], 988);
    assert_int_equal(m[2], 803);
    /* 0.01: 0.009 → 0.01, 0.008 → 0.01, 0.0065 → 0.01 (equal: the handler
     * refuses such bands, rank_bands_ok) */
    criteria_default_bands(1, m);
    assert_int_equal(m[0], 1);
    assert_int_equal(m[1], 1);
    assert_int_equal(m[2], 1);
}

/* A group named with 500 Vietnamese characters (1 000+ bytes) and a label
 * buffer too small for it: the label is cut before a whole character, so
 * it stays valid UTF-8 (json_string refuses anything else, which once
 * dropped a unit from the ranking). */
static bool lookup_long(void *ctx, int64_t id, size_t *index, const char **code, const char **name)
{
    (void)id;
    *index = 0;
    *code = "I";
    *name = ctx;
    return true;
}

static void test_long_name_stays_utf8(void **state)
{
    (void)state;
    char name[1100] = "";
    for (int i = 0; i < 500; i++)
        strcat(name, "đ"); /* 2 bytes each */
    char label[100]; /* 99 bytes: 30 of prefix, then 69 — half a character */
    struct rank_tiebreak tb;
    assert_true(criteria_tiebreak_parse("group:5", 7, lookup_long, name, &tb, label, sizeof label));
    assert_int_equal(tb.kind, RANK_TB_GROUP);
    assert_true(strlen(label) < sizeof label);
    json_t *j = json_string(label);
    assert_non_null(j); /* valid UTF-8 */
    json_decref(j);
    /* "Điểm nhóm tiêu chí I “" is 30 bytes; the 'đ's fill the rest two by
     * two, none cut in half */
    assert_int_equal((strlen(label) - 30) % 2, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_indexes),
        cmocka_unit_test(test_unresolved_skipped_and_cap),
        cmocka_unit_test(test_default_bands),
        cmocka_unit_test(test_long_name_stays_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
