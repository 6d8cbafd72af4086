/* features/audit: the hash chain on both drivers — appends, verification, and
 * every kind of tampering it must report (an altered, removed, inserted or
 * reordered entry), plus concurrent writers keeping one unbroken chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/db.h"
#include "features/audit.h"
#include "testdb.h"

static const struct audit_actor WHO = {7, "vanphong", "0123456789abcdef", "127.0.0.1"};

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

/* Appends n entries, one transaction each, with Vietnamese text and NULLs. */
static void append_n(struct db *db, int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(db_begin(db), OK);
        json_t *before = i % 2 ? json_pack("{s:s,s:i}", "name", "Sở Nội vụ", "version", i) : NULL;
        json_t *after = json_pack("{s:s,s:i}", "name", "Sở Nội vụ tỉnh Bắc Ninh", "version", i + 1);
        struct err e = {0};
        assert_int_equal(audit_append(db, &WHO, i % 2 ? "update" : "create", "unit", 100 + i,
                                      before, after, &e),
                         OK);
        json_decref(before);
        json_decref(after);
        assert_int_equal(db_commit(db), OK);
    }
}

static enum result verify(struct db *db, int64_t *count, int64_t *bad, struct err *e)
{
    char head[65];
    return audit_verify(db, count, head, bad, e);
}

static void exec(struct db *db, const char *sql)
{
    struct err e = {0};
    assert_int_equal(db_exec_script(db, sql, &e), OK);
}

static void test_empty_log_is_intact(void **state)
{
    int64_t count = -1, bad = -1;
    char head[65];
    struct err e = {0};
    assert_int_equal(audit_verify(*state, &count, head, &bad, &e), OK);
    assert_int_equal(count, 0);
    assert_string_equal(head, "0000000000000000000000000000000000000000000000000000000000000000");
}

static void test_appended_entries_verify_and_chain(void **state)
{
    struct db *db = *state;
    append_n(db, 5);
    int64_t count, bad;
    char head[65];
    struct err e = {0};
    assert_int_equal(audit_verify(db, &count, head, &bad, &e), OK);
    assert_int_equal(count, 5);
    /* seq runs 1..5, each prev_hash is the hash before it, head is the last hash */
    struct db_stmt *s = db_query(db, "SELECT seq, prev_hash, hash, login, entity_id, before_json "
                                     "FROM audit_log ORDER BY seq");
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    for (int64_t i = 1; i <= 5; i++) {
        assert_int_equal(db_step(s), DB_ROW);
        assert_int_equal(db_col_int(s, 0), i);
        assert_string_equal(db_col_text(s, 1), prev);
        snprintf(prev, sizeof prev, "%s", db_col_text(s, 2));
        assert_int_equal(strlen(prev), 64);
        assert_string_equal(db_col_text(s, 3), "vanphong");
        assert_int_equal(db_col_int(s, 4), 99 + i);
        assert_int_equal(db_col_is_null(s, 5), i % 2 == 1); /* creations have no "before" */
    }
    assert_int_equal(db_step(s), DB_DONE);
    db_done(s);
    assert_string_equal(head, prev);
}

static void test_append_outside_a_transaction_is_refused(void **state)
{
    struct err e = {0};
    assert_int_equal(audit_append(*state, &WHO, "create", "unit", 1, NULL, NULL, &e), E_DB);
    assert_int_equal(db_scalar_int(*state, "SELECT count(*) FROM audit_log", -1), 0);
}

static void test_an_altered_entry_is_found(void **state)
{
    struct db *db = *state;
    append_n(db, 5);
    exec(db, "UPDATE audit_log SET after_json = '{\"name\":\"Sở Tài chính\"}' WHERE seq = 3");
    int64_t count, bad;
    struct err e = {0};
    assert_int_equal(verify(db, &count, &bad, &e), E_CONFLICT);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(e.msg, "bị sửa"));
}

static void test_an_altered_actor_is_found(void **state)
{
    struct db *db = *state;
    append_n(db, 3);
    exec(db, "UPDATE audit_log SET login = 'admin' WHERE seq = 2");
    int64_t count, bad;
    struct err e = {0};
    assert_int_equal(verify(db, &count, &bad, &e), E_CONFLICT);
    assert_int_equal(bad, 2);
}

static void test_a_removed_entry_is_found(void **state)
{
    struct db *db = *state;
    append_n(db, 5);
    exec(db, "DELETE FROM audit_log WHERE seq = 3");
    int64_t count, bad;
    struct err e = {0};
    assert_int_equal(verify(db, &count, &bad, &e), E_CONFLICT);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(e.msg, "xóa"));
}

static void test_a_removed_and_renumbered_entry_is_found(void **state)
{
    /* the careful forger also closes the gap in seq: the links still break */
    struct db *db = *state;
    append_n(db, 5);
    exec(db, "DELETE FROM audit_log WHERE seq = 3; "
             "UPDATE audit_log SET seq = seq - 1 WHERE seq > 3");
    int64_t count, bad;
    struct err e = {0};
    assert_int_equal(verify(db, &count, &bad, &e), E_CONFLICT);
    assert_int_equal(bad, 3);
}

static void test_reordered_entries_are_found(void **state)
{
    struct db *db = *state;
    append_n(db, 5);
    /* swap the contents of entries 2 and 4, keeping their numbers */
    exec(db, "UPDATE audit_log SET seq = -2 WHERE seq = 2; "
             "UPDATE audit_log SET seq = 2 WHERE seq = 4; "
             "UPDATE audit_log SET seq = 4 WHERE seq = -2");
    int64_t count, bad;
    struct err e = {0};
    assert_int_equal(verify(db, &count, &bad, &e), E_CONFLICT);
    assert_int_equal(bad, 2);
    assert_non_null(strstr(e.msg, "thứ tự"));
}

static void test_an_inserted_entry_is_found(void **state)
{
    struct db *db = *state;
    append_n(db, 3);
    /* a forged entry at the end that copies a real one's hashes */
    exec(db, "INSERT INTO audit_log (seq, at, user_id, login, action, entity, entity_id, "
             "before_json, after_json, request_id, client, prev_hash, hash) "
             "SELECT 4, at, user_id, 'admin', 'delete', entity, entity_id, before_json, "
             "after_json, request_id, client, hash, hash FROM audit_log WHERE seq = 3");
    int64_t count, bad;
    struct err e = {0};
    assert_int_equal(verify(db, &count, &bad, &e), E_CONFLICT);
    assert_int_equal(bad, 4);
}

struct writer {
    int n;
    enum result rc;
};

static void *write_many(void *arg)
{
    struct writer *w = arg;
    struct db *db;
    struct err e = {0};
    w->rc = db_open(testdb_url(), &db, &e);
    if (w->rc != OK)
        return NULL;
    for (int i = 0; i < w->n && w->rc == OK; i++) {
        w->rc = db_begin(db);
        if (w->rc == OK)
            w->rc = audit_append(db, &WHO, "update", "person", i + 1, NULL, NULL, &e);
        if (w->rc == OK)
            w->rc = db_commit(db);
        else
            db_rollback(db);
    }
    db_close(db);
    return NULL;
}

static void test_concurrent_writers_keep_one_chain(void **state)
{
    struct writer w[3] = {{40, OK}, {40, OK}, {40, OK}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, write_many, &w[i]);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(w[i].rc, OK);
    int64_t count, bad;
    struct err e = {0};
    assert_int_equal(verify(*state, &count, &bad, &e), OK);
    assert_int_equal(count, 120);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty_log_is_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appended_entries_verify_and_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_outside_a_transaction_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_altered_entry_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_altered_actor_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_removed_entry_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_removed_and_renumbered_entry_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reordered_entries_are_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_inserted_entry_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers_keep_one_chain, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
