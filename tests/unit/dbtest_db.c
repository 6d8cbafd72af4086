/* db/: the same behaviour from both drivers (run with TDKT_TEST_DB=sqlite and =postgres). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/db.h"
#include "testdb.h"

static int setup(void **state)
{
    struct db *db = testdb_open();
    struct err e;
    assert_int_equal(db_exec_script(db,
                                    "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
                                    "n BIGINT, note TEXT)",
                                    &e),
                     OK);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    testdb_close(*state);
    return 0;
}

static void insert(struct db *db, int64_t id, const char *name, int64_t n)
{
    struct db_stmt *s = db_query(db, "INSERT INTO t (id, name, n) VALUES (?, ?, ?)");
    assert_non_null(s);
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, name);
    db_bind_int(s, 3, n);
    assert_int_equal(db_step(s), DB_DONE);
    assert_int_equal(db_done(s), DB_DONE);
}

static void test_roundtrip_values(void **state)
{
    struct db *db = *state;
    insert(db, 1, "Nguyễn Văn Đức", 9007199254740993LL); /* above 2^53: no double on the way */
    insert(db, 2, "Hội Nông dân tỉnh", -5);
    struct db_stmt *s = db_query(db, "SELECT id, name, n, note FROM t ORDER BY id");
    assert_int_equal(db_col_count(s), 4);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 1);
    assert_string_equal(db_col_text(s, 1), "Nguyễn Văn Đức");
    assert_true(db_col_int(s, 2) == 9007199254740993LL);
    assert_true(db_col_is_null(s, 3));
    assert_string_equal(db_col_text(s, 3), "");
    assert_string_equal(db_col_name(s, 1), "name");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 2), -5);
    assert_int_equal(db_step(s), DB_DONE);
    assert_int_equal(db_done(s), DB_DONE);
}

static void test_blob_roundtrip(void **state)
{
    struct db *db = *state;
    struct err e;
    const char *ddl = db_kind(db) == DB_SQLITE ? "CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB)"
                                               : "CREATE TABLE b (id INTEGER PRIMARY KEY, data BYTEA)";
    assert_int_equal(db_exec_script(db, ddl, &e), OK);
    unsigned char bytes[300];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7);
    struct db_stmt *s = db_query(db, "INSERT INTO b (id, data) VALUES (1, ?)");
    db_bind_blob(s, 1, bytes, sizeof bytes);
    assert_int_equal(db_step(s), DB_DONE);
    db_done(s);
    s = db_query(db, "SELECT data FROM b WHERE id = 1");
    assert_int_equal(db_step(s), DB_ROW);
    size_t len;
    const unsigned char *got = db_col_blob(s, 0, &len);
    assert_int_equal(len, sizeof bytes);
    assert_memory_equal(got, bytes, sizeof bytes);
    db_done(s);
    /* blobs order bytewise on both drivers (sort keys rely on it) */
    s = db_query(db, "INSERT INTO b (id, data) VALUES (?, ?)");
    unsigned char lo[] = {0x01, 0xFF}, hi[] = {0x02};
    db_bind_int(s, 1, 2);
    db_bind_blob(s, 2, hi, sizeof hi);
    assert_int_equal(db_step(s), DB_DONE);
    db_done(s);
    s = db_query(db, "INSERT INTO b (id, data) VALUES (?, ?)");
    db_bind_int(s, 1, 3);
    db_bind_blob(s, 2, lo, sizeof lo);
    assert_int_equal(db_step(s), DB_DONE);
    db_done(s);
    s = db_query(db, "SELECT id FROM b WHERE id > 1 ORDER BY data");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 3);
    db_done(s);
}

static void test_question_marks_in_literals_are_not_parameters(void **state)
{
    struct db *db = *state;
    insert(db, 1, "a?b", 1);
    struct db_stmt *s = db_query(db, "SELECT n FROM t WHERE name = 'a?b' AND n = ? -- why?\n");
    db_bind_int(s, 1, 1);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 1);
    db_done(s);
}

static void test_unique_violation_and_sticky_error(void **state)
{
    struct db *db = *state;
    insert(db, 1, "x", 1);
    struct db_stmt *s = db_query(db, "INSERT INTO t (id, name) VALUES (?, ?)");
    db_bind_int(s, 1, 2);
    db_bind_text(s, 2, "x");
    assert_int_equal(db_step(s), DB_ERROR);
    assert_true(db_last_was_unique_violation(db));
    assert_int_equal(db_done(s), DB_ERROR);
    /* out-of-range bind makes the statement fail at step, not crash */
    s = db_query(db, "SELECT n FROM t WHERE id = ?");
    db_bind_int(s, 2, 1);
    assert_int_equal(db_step(s), DB_ERROR);
    assert_int_equal(db_done(s), DB_ERROR);
    /* and the cached statement works again afterwards */
    s = db_query(db, "SELECT n FROM t WHERE id = ?");
    db_bind_int(s, 1, 1);
    assert_int_equal(db_step(s), DB_ROW);
    db_done(s);
    assert_null(db_query(db, "SELEKT nonsense"));
}

static void test_transaction_rollback(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_begin(db), OK);
    assert_true(db_in_transaction(db));
    insert(db, 1, "gone", 1);
    db_rollback(db);
    assert_false(db_in_transaction(db));
    assert_int_equal(db_scalar_int(db, "SELECT count(*) FROM t", -1), 0);
    assert_int_equal(db_begin(db), OK);
    insert(db, 2, "kept", 1);
    assert_int_equal(db_commit(db), OK);
    assert_int_equal(db_scalar_int(db, "SELECT count(*) FROM t", -1), 1);
}

static void test_second_connection_sees_commits(void **state)
{
    struct db *db = *state;
    struct db *other;
    struct err e;
    assert_int_equal(db_open(testdb_url(), &other, &e), OK);
    insert(db, 7, "seen", 1);
    assert_int_equal(db_scalar_int(other, "SELECT count(*) FROM t WHERE id = 7", -1), 1);
    db_close(other);
}

static void test_migrate_is_idempotent(void **state)
{
    struct db *db = *state;
    struct err e;
    int applied = -1;
    assert_int_equal(db_migrate(db, &applied, &e), OK);
    assert_int_equal(applied, 0);
    assert_true(db_scalar_int(db, "SELECT count(*) FROM schema_migrations", 0) >= 1);
    assert_int_equal(db_scalar_int(db, "SELECT count(*) FROM unit_kinds", 0), 9);
}

static void test_open_failure_is_reported(void **state)
{
    (void)state;
    struct db *db;
    struct err e;
    assert_int_equal(db_open("/nonexistent-dir/x/y.db", &db, &e), E_DB);
    assert_null(db);
    assert_true(strlen(e.msg) > 0);
    assert_int_equal(db_open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", &db, &e), E_DB);
    assert_non_null(strstr(e.msg, "PostgreSQL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_question_marks_in_literals_are_not_parameters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unique_violation_and_sticky_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_connection_sees_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_is_idempotent, setup, teardown),
        cmocka_unit_test(test_open_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
