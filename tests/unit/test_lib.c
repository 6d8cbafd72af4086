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

static void test_utf8_trim_partial(void **state)
{
    (void)state;
    char s1[] = "Đức\xE1\xBB"; /* "Đức" + the first two bytes of a three-byte letter */
    utf8_trim_partial(s1);
    assert_string_equal(s1, "Đức");
    char s2[] = "Đức";
    utf8_trim_partial(s2);
    assert_string_equal(s2, "Đức");
    char s3[] = "a\xC4";
    utf8_trim_partial(s3);
    assert_string_equal(s3, "a");
    char s4[] = "";
    utf8_trim_partial(s4);
    assert_string_equal(s4, "");
    /* err_set keeps long Vietnamese messages valid when it shortens them */
    struct err e;
    char big[600];
    memset(big, 0, sizeof big);
    for (size_t i = 0; i + 2 < sizeof big - 1; i += 2)
        memcpy(big + i, "\xC4\x91", 2); /* đ */
    /* "ab" + đ…: 511 bytes fit, so the cut falls inside a đ and is trimmed */
    err_set(&e, E_INVALID, "x", "ab%s", big);
    size_t n = strlen(e.msg);
    assert_int_equal(n, 510);
    assert_int_equal((unsigned char)e.msg[n - 1], 0x91);
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
        cmocka_unit_test(test_utf8_trim_partial),
        cmocka_unit_test(test_err_set_and_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
