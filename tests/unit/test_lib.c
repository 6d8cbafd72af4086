/* lib/: buffers, arenas, results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/result.h"

static void test_buf_grows_and_escapes(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(buf_cstr(&b)));
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_memory_equal(b.data + b.len - 4, "999,", 4);
    buf_reset(&b);
    buf_add_html(&b, "<a href=\"x\">Tôm & 'cá'</a>", strlen("<a href=\"x\">Tôm & 'cá'</a>"));
    assert_string_equal(buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;Tôm &amp; &#39;cá&#39;&lt;/a&gt;");
    char *s = buf_detach(&b);
    assert_null(b.data);
    free(s);
    buf_free(&b);
}

static int cleanup_calls[3];
static int cleanup_order;

static void note_cleanup(void *arg)
{
    cleanup_calls[(intptr_t)arg] = ++cleanup_order;
}

static void test_arena_alignment_cleanups_and_big_blocks(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    for (int i = 0; i < 100; i++) {
        void *p = arena_alloc(a, (size_t)i + 1);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    }
    char *big = arena_alloc(a, 1 << 20); /* larger than a block */
    memset(big, 'x', 1 << 20);
    char *after = arena_strdup(a, "sau khối lớn");
    assert_string_equal(after, "sau khối lớn");
    assert_string_equal(arena_printf(a, "%s-%d", "đơn vị", 7), "đơn vị-7");
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    unsigned char *zero = arena_alloc(a, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(zero[i], 0);
    assert_true(arena_used(a) > (1 << 20));
    cleanup_order = 0;
    for (intptr_t i = 0; i < 3; i++)
        arena_defer(a, note_cleanup, (void *)i);
    arena_free(a);
    /* last registered runs first, like a stack of resources */
    assert_int_equal(cleanup_calls[2], 1);
    assert_int_equal(cleanup_calls[1], 2);
    assert_int_equal(cleanup_calls[0], 3);
}

static void test_err_set_and_statuses(void **state)
{
    (void)state;
    struct err e;
    assert_int_equal(err_set(&e, E_INVALID, "ten", "Trường %s sai", "tên"), E_INVALID);
    assert_string_equal(e.field, "ten");
    assert_string_equal(e.msg, "Trường tên sai");
    assert_int_equal(err_set(NULL, E_DB, NULL, "x"), E_DB);
    assert_int_equal(result_http_status(E_NOTFOUND), 404);
    assert_int_equal(result_http_status(E_CONFLICT), 409);
    assert_int_equal(result_http_status(E_TOOBIG), 413);
    assert_int_equal(result_http_status(E_FORBIDDEN), 403);
    assert_int_equal(result_http_status(E_DB), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_escapes),
        cmocka_unit_test(test_arena_alignment_cleanups_and_big_blocks),
        cmocka_unit_test(test_err_set_and_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
