/* features/registry: units and persons on both drivers — checks, search
 * without marks, Vietnamese order, versions, paging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/db.h"
#include "features/registry.h"
#include "lib/date.h"
#include "testdb.h"
#include "text/text.h"

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

static int64_t add_unit(struct db *db, int64_t parent, const char *code, const char *name)
{
    struct unit_input u = {.parent_id = parent, .kind = "so_nganh", .code = code, .name = name};
    json_t *errors = json_object();
    assert_true(unit_check(db, &u, 0, errors));
    json_decref(errors);
    int64_t id = 0;
    assert_int_equal(unit_insert(db, &u, &id), OK);
    assert_true(id > 0);
    return id;
}

static int64_t add_person(struct db *db, int64_t unit, const char *name)
{
    struct person_input p = {.unit_id = unit, .full_name = name, .gender = "nam", .birth_year = 1980};
    int64_t id = 0;
    assert_int_equal(person_insert(db, &p, &id), OK);
    return id;
}

static json_t *names(json_t *list, const char *field)
{
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(list, "items"), i, item)
        json_array_append(out, json_object_get(item, field));
    return out;
}

static void assert_names(json_t *list, const char *field, const char *const *expected, size_t n)
{
    json_t *got = names(list, field);
    char *dump = json_dumps(got, 0);
    if (json_array_size(got) != n)
        fail_msg("expected %zu names, got %s", n, dump);
    for (size_t i = 0; i < n; i++)
        if (strcmp(json_string_value(json_array_get(got, i)), expected[i]) != 0)
            fail_msg("position %zu: expected %s, got %s", i, expected[i], dump);
    free(dump);
    json_decref(got);
}

static void test_unit_checks(void **state)
{
    struct db *db = *state;
    int64_t top = add_unit(db, 0, "TINH", "Tỉnh Bắc Kạn");
    int64_t child = add_unit(db, top, "SNV", "Sở Nội vụ");
    json_t *errors = json_object();
    struct unit_input bad = {.kind = "khong_co", .code = "sai mã", .name = "X", .parent_id = 999999};
    assert_false(unit_check(db, &bad, 0, errors));
    assert_non_null(json_object_get(errors, "kind"));
    assert_non_null(json_object_get(errors, "code"));
    assert_non_null(json_object_get(errors, "name"));
    assert_non_null(json_object_get(errors, "parent_id"));
    json_object_clear(errors);
    /* the same code twice */
    struct unit_input dup = {.kind = "so_nganh", .code = "SNV", .name = "Sở khác"};
    assert_false(unit_check(db, &dup, 0, errors));
    assert_non_null(strstr(json_string_value(json_object_get(errors, "code")), "SNV"));
    json_object_clear(errors);
    /* making the top unit a child of its own child is a cycle */
    struct unit_input cyc = {.kind = "tinh", .code = "TINH", .name = "Tỉnh Bắc Kạn", .parent_id = child};
    assert_false(unit_check(db, &cyc, top, errors));
    assert_non_null(json_object_get(errors, "parent_id"));
    json_object_clear(errors);
    /* the end date before the start date */
    struct unit_input dates = {.kind = "so_nganh", .code = "X1", .name = "Sở X",
                               .active_from = "2025-07-01", .active_to = "2025-06-30"};
    assert_false(unit_check(db, &dates, 0, errors));
    assert_non_null(json_object_get(errors, "active_to"));
    json_decref(errors);
}

static void test_unit_get_path_and_version_conflict(void **state)
{
    struct db *db = *state;
    int64_t top = add_unit(db, 0, "TINH", "Tỉnh Bắc Kạn");
    int64_t mid = add_unit(db, top, "SNV", "Sở Nội vụ");
    int64_t leaf = add_unit(db, mid, "PTDKT", "Phòng Thi đua, khen thưởng");
    json_t *u = unit_get(db, leaf);
    assert_non_null(u);
    json_t *path = json_object_get(u, "path");
    assert_int_equal(json_array_size(path), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(path, 0), "name")), "Tỉnh Bắc Kạn");
    assert_string_equal(json_string_value(json_object_get(json_object_get(u, "parent"), "name")), "Sở Nội vụ");
    assert_true(json_is_true(json_object_get(u, "active")));
    int64_t version = json_integer_value(json_object_get(u, "version"));
    json_decref(u);
    struct unit_input edit = {.kind = "so_nganh", .code = "PTDKT", .name = "Phòng TĐKT", .parent_id = mid};
    assert_int_equal(unit_update(db, leaf, version, &edit), OK);
    /* a second edit from the same stale form is refused */
    assert_int_equal(unit_update(db, leaf, version, &edit), E_CONFLICT);
    assert_null(unit_get(db, 424242));
    /* deactivation: from today the unit is no longer active */
    char today[11];
    date_today(today);
    assert_int_equal(unit_set_active_to(db, leaf, today), OK);
    u = unit_get(db, leaf);
    assert_true(json_is_false(json_object_get(u, "active")));
    json_decref(u);
    struct list_query q = {.status = "inactive", .page = 1, .per_page = 20};
    struct err e;
    json_t *list = unit_list(db, &q, &e);
    const char *expected[] = {"Phòng TĐKT"};
    assert_names(list, "name", expected, 1);
    json_decref(list);
    assert_int_equal(unit_set_active_to(db, 424242, today), E_NOTFOUND);
}

static void test_search_ignores_marks_and_case(void **state)
{
    struct db *db = *state;
    int64_t top = add_unit(db, 0, "TINH", "Tỉnh Bắc Kạn");
    add_unit(db, top, "BTD", "Ban Thi đua - Khen thưởng");
    add_unit(db, top, "HND", "Hội Nông dân tỉnh");
    add_person(db, top, "Nguyễn Văn Đức");
    add_person(db, top, "Trần Thị Dung");
    add_person(db, top, "Lê Minh Đức Anh");
    struct err e;
    struct list_query q = {.q = "thi dua", .page = 1, .per_page = 20};
    json_t *list = unit_list(db, &q, &e);
    const char *u1[] = {"Ban Thi đua - Khen thưởng"};
    assert_names(list, "name", u1, 1);
    json_decref(list);
    /* "khen thưởng" typed in decomposed Unicode (u + horn, o + horn + hook) finds the same */
    q.q = "khen th" "u\xCC\x9B" "o\xCC\x9B\xCC\x89" "ng";
    list = unit_list(db, &q, &e);
    assert_names(list, "name", u1, 1);
    json_decref(list);
    q.q = "duc";
    list = person_list(db, &q, &e);
    /* Vietnamese order: by given name — "Anh" (Lê Minh Đức Anh) before "Đức" */
    const char *p1[] = {"Lê Minh Đức Anh", "Nguyễn Văn Đức"};
    assert_names(list, "full_name", p1, 2);
    json_decref(list);
    q.q = "ĐỨC nguyen";
    list = person_list(db, &q, &e);
    const char *p2[] = {"Nguyễn Văn Đức"};
    assert_names(list, "full_name", p2, 1);
    json_decref(list);
    /* a word must begin a word: "uc" is inside "duc", not at its start */
    q.q = "uc";
    list = person_list(db, &q, &e);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 0);
    json_decref(list);
    /* FTS syntax typed by a person is only text */
    q.q = "\"duc\" OR * NEAR(";
    list = person_list(db, &q, &e);
    assert_non_null(list);
    json_decref(list);
}

static void test_vietnamese_order_and_paging(void **state)
{
    struct db *db = *state;
    int64_t top = add_unit(db, 0, "TINH", "Tỉnh");
    /* inserted out of order on purpose */
    const char *people[] = {"Phạm Văn Ơn", "Đỗ Thị Ân", "Nguyễn An", "Bùi Văn Đạt", "Hoàng Dũng",
                            "Lý Thị Ăn", "Trịnh Văn Bình", "Ngô Ông"};
    for (size_t i = 0; i < 8; i++)
        add_person(db, top, people[i]);
    /* by given name in Vietnamese alphabet: An < Ăn < Ân < Bình < Dũng < Đạt < Ông < Ơn */
    const char *page1[] = {"Nguyễn An", "Lý Thị Ăn", "Đỗ Thị Ân"};
    const char *page3[] = {"Ngô Ông", "Phạm Văn Ơn"};
    struct err e;
    struct list_query q = {.page = 1, .per_page = 3};
    json_t *list = person_list(db, &q, &e);
    assert_names(list, "full_name", page1, 3);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 8);
    json_decref(list);
    q.page = 3;
    list = person_list(db, &q, &e);
    assert_names(list, "full_name", page3, 2);
    json_decref(list);
    /* same given name: then middle name, then family name */
    add_person(db, top, "Trần Văn An");
    add_person(db, top, "Lê An");
    q.page = 1;
    q.per_page = 3;
    list = person_list(db, &q, &e);
    const char *same[] = {"Lê An", "Nguyễn An", "Trần Văn An"};
    assert_names(list, "full_name", same, 3);
    json_decref(list);
    q.sort = "-name";
    q.per_page = 1;
    list = person_list(db, &q, &e);
    const char *last[] = {"Phạm Văn Ơn"};
    assert_names(list, "full_name", last, 1);
    json_decref(list);
}

/* A search that matches many persons is paged from the sort index (SQLite):
 * its pages must be exactly the slices of the full sorted answer. */
static void test_large_search_pages_match_full_order(void **state)
{
    struct db *db = *state;
    int64_t top = add_unit(db, 0, "TINH", "Tỉnh");
    static const char *given[] = {"An", "Ánh", "Bình", "Đức", "Ơn", "Ân", "Yến", "Dũng", "Hà", "Ước"};
    static const char *family[] = {"Nguyễn", "Trần", "Lê", "Đỗ", "Ông", "Bùi"};
    char name[64];
    /* more than 1 000 matches: PostgreSQL then walks the name order */
    for (int i = 0; i < 1100; i++) {
        snprintf(name, sizeof name, "%s Văn %s", family[i % 6], given[(i / 6) % 10]);
        add_person(db, top, name);
    }
    add_person(db, top, "Phạm Thị Lan"); /* not a match */
    struct err e;
    struct list_query all = {.q = "van", .page = 1, .per_page = 0};
    json_t *full = person_list(db, &all, &e);
    assert_int_equal(json_integer_value(json_object_get(full, "total")), 1100);
    json_t *items = json_object_get(full, "items");
    static const int64_t pages[] = {1, 2, 3, 21};
    for (int k = 0; k < 4; k++) {
        int64_t page = pages[k];
        struct list_query q = {.q = "VĂN", .page = page, .per_page = 50};
        json_t *list = person_list(db, &q, &e);
        assert_int_equal(json_integer_value(json_object_get(list, "total")), 1100);
        json_t *got = json_object_get(list, "items");
        assert_int_equal(json_array_size(got), 50);
        for (size_t i = 0; i < 50; i++) {
            json_t *want = json_array_get(items, (size_t)(page - 1) * 50 + i);
            assert_int_equal(json_integer_value(json_object_get(json_array_get(got, i), "id")),
                             json_integer_value(json_object_get(want, "id")));
        }
        json_decref(list);
    }
    /* the first of all: given name An, then family name in order: Bùi < Đỗ < Lê */
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "full_name")),
                        "Bùi Văn An");
    json_decref(full);
    /* inactive persons leave the active search and its count */
    struct list_query q = {.q = "van", .page = 1, .per_page = 10};
    json_t *list = person_list(db, &q, &e);
    int64_t first = json_integer_value(json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
    json_decref(list);
    assert_int_equal(person_set_active(db, first, false), OK);
    list = person_list(db, &q, &e);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1099);
    assert_true(json_integer_value(json_object_get(json_array_get(json_object_get(list, "items"), 0), "id")) != first);
    json_decref(list);
    q.status = "inactive";
    list = person_list(db, &q, &e);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    json_decref(list);
}

/* Names inserted so each lands just before the previous one use up the gaps
 * between ranks; the ranks are renumbered and the order stays right. */
static void test_name_ranks_survive_renumbering(void **state)
{
    struct db *db = *state;
    int64_t top = add_unit(db, 0, "TINH", "Tỉnh");
    add_person(db, top, "Lê Yến");
    add_person(db, top, "Lê An");
    char name[32];
    for (char c = 'z'; c >= 'a'; c--) { /* Hz, Hy, … Ha: each just after An */
        snprintf(name, sizeof name, "Lê H%c", c);
        add_person(db, top, name);
    }
    int64_t renamed = add_person(db, top, "Trần Bình");
    struct person_input p = {.unit_id = top, .full_name = "Trần Ước", .gender = "nam"};
    assert_int_equal(person_update(db, renamed, 1, &p), OK);
    /* rank order and name order are the same order */
    struct db_stmt *s = db_query(db, "SELECT id FROM persons ORDER BY sort_key, id");
    struct db_stmt *t = db_query(db, "SELECT id FROM persons ORDER BY name_rank");
    int rows = 0;
    while (db_step(s) == DB_ROW) {
        assert_int_equal(db_step(t), DB_ROW);
        assert_int_equal(db_col_int(s, 0), db_col_int(t, 0));
        rows++;
    }
    db_done(s);
    db_done(t);
    assert_int_equal(rows, 29);
    /* and a search pages through them in that order */
    struct err e;
    struct list_query q = {.q = "le", .page = 1, .per_page = 3};
    json_t *list = person_list(db, &q, &e);
    const char *first3[] = {"Lê An", "Lê Ha", "Lê Hb"};
    assert_names(list, "full_name", first3, 3);
    json_decref(list);
    q.page = 10;
    list = person_list(db, &q, &e);
    const char *last[] = {"Lê Yến"};
    assert_names(list, "full_name", last, 1);
    json_decref(list);
    q.q = "uoc";
    q.page = 1;
    list = person_list(db, &q, &e);
    const char *moved[] = {"Trần Ước"};
    assert_names(list, "full_name", moved, 1);
    json_decref(list);
}

/* A search's count is remembered, but never past a change: neither this
 * connection's own writes nor another connection's commits. */
static void test_search_count_follows_changes(void **state)
{
    struct db *db = *state;
    int64_t top = add_unit(db, 0, "TINH", "Tỉnh");
    for (int i = 0; i < 3; i++)
        add_person(db, top, "Võ Thị Sáu");
    struct err e;
    struct list_query q = {.q = "sau", .page = 1, .per_page = 20};
    for (int round = 0; round < 2; round++) {
        json_t *list = person_list(db, &q, &e);
        assert_int_equal(json_integer_value(json_object_get(list, "total")), 3);
        json_decref(list);
    }
    add_person(db, top, "Võ Văn Sáu"); /* this connection */
    json_t *list = person_list(db, &q, &e);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 4);
    json_decref(list);
    struct db *other;
    assert_int_equal(db_open(testdb_url(), &other, &e), OK);
    add_person(other, top, "Lê Sáu"); /* another connection */
    db_close(other);
    list = person_list(db, &q, &e);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 5);
    json_decref(list);
}

static void test_person_checks(void **state)
{
    struct db *db = *state;
    json_t *errors = json_object();
    struct person_input p = {.unit_id = 777, .full_name = "A1", .gender = "khac", .birth_year = 1800};
    assert_false(person_check(db, &p, errors));
    assert_non_null(json_object_get(errors, "unit_id"));
    assert_non_null(json_object_get(errors, "full_name"));
    assert_non_null(json_object_get(errors, "gender"));
    assert_non_null(json_object_get(errors, "birth_year"));
    json_decref(errors);
}

static void test_sort_keys_refresh_is_recorded(void **state)
{
    struct db *db = *state;
    add_unit(db, 0, "A", "Tỉnh");
    struct err e;
    assert_int_equal(registry_refresh_sort_keys(db, &e), OK);
    struct db_stmt *s = db_query(db, "SELECT value FROM meta WHERE key = 'collator_version'");
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), text_collator_version());
    db_done(s);
    assert_int_equal(registry_refresh_sort_keys(db, &e), OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_get_path_and_version_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_ignores_marks_and_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vietnamese_order_and_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_search_pages_match_full_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_ranks_survive_renumbering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_count_follows_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_keys_refresh_is_recorded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
