/* text/: UTF-8 checks, NFC, folding for search, Vietnamese order, name parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text/text.h"

static char *clean(const char *in, int flags, enum result *rc)
{
    char *out = NULL;
    struct err e;
    *rc = text_clean(in, strlen(in), flags, "ten", &out, &e);
    return out;
}

static void test_clean_composes_decomposed_input(void **state)
{
    (void)state;
    enum result rc;
    /* "Đức" typed as D-stroke, u, U+031B horn, U+0301 acute, c */
    char *s = clean("\xC4\x90u\xCC\x9B\xCC\x81" "c", 0, &rc);
    assert_int_equal(rc, OK);
    assert_string_equal(s, "Đức");
    free(s);
    /* e + U+0302 circumflex + U+0323 dot below → ệ */
    s = clean("Vi\x65\xCC\x82\xCC\xA3t", 0, &rc);
    assert_string_equal(s, "Việt");
    free(s);
}

static void test_clean_refuses_bad_utf8_and_controls(void **state)
{
    (void)state;
    enum result rc;
    char *out = NULL;
    struct err e;
    rc = text_clean("Nguy\xff\xfe", 6, 0, "ho_ten", &out, &e);
    assert_int_equal(rc, E_INVALID);
    assert_null(out);
    assert_string_equal(e.field, "ho_ten");
    assert_non_null(strstr(e.msg, "UTF-8"));
    /* overlong encoding of '/' */
    rc = text_clean("\xC0\xAF", 2, 0, "x", &out, &e);
    assert_int_equal(rc, E_INVALID);
    /* encoded surrogate */
    rc = text_clean("\xED\xA0\x80", 3, 0, "x", &out, &e);
    assert_int_equal(rc, E_INVALID);
    /* NUL inside the given length */
    rc = text_clean("a\0b", 3, 0, "x", &out, &e);
    assert_int_equal(rc, E_INVALID);
    assert_null(clean("a\nb", 0, &rc));
    assert_int_equal(rc, E_INVALID);
    assert_null(clean("a\x1b[31m", TEXT_MULTILINE, &rc));
    assert_int_equal(rc, E_INVALID);
}

static void test_clean_multiline_and_trim(void **state)
{
    (void)state;
    enum result rc;
    char *s = clean("  dòng 1\r\ndòng 2\r \t", TEXT_MULTILINE | TEXT_TRIM, &rc);
    assert_int_equal(rc, OK);
    assert_string_equal(s, "dòng 1\ndòng 2");
    free(s);
    s = clean("\xC2\xA0Hà\xE2\x80\x83Nội ", TEXT_TRIM, &rc); /* NBSP and EM SPACE */
    assert_string_equal(s, "Hà Nội");
    free(s);
}

static void test_fold(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"Nguyễn Văn Đức", "nguyen van duc"},
        {"Thi đua KHEN THƯỞNG", "thi dua khen thuong"},
        {"  Ủy ban MTTQ   Việt Nam tỉnh ", "uy ban mttq viet nam tinh"},
        {"Hội Liên hiệp Phụ nữ (tỉnh)", "hoi lien hiep phu nu tinh"},
        {"ĐẢNG BỘ", "dang bo"},
        {"Ơn, Ưng; Ấp", "on ung ap"},
        {"", ""},
        {"D\xCC\x83", "d"}, /* decomposed marks fold too */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *f = text_fold(cases[i][0]);
        assert_string_equal(f, cases[i][1]);
        free(f);
    }
}

static int key_cmp(const char *a, const char *b)
{
    size_t la, lb;
    uint8_t *ka = text_sort_key(a, &la), *kb = text_sort_key(b, &lb);
    int r = memcmp(ka, kb, la < lb ? la : lb);
    if (r == 0)
        r = la < lb ? -1 : la > lb;
    free(ka);
    free(kb);
    return r;
}

static void test_vietnamese_order(void **state)
{
    (void)state;
    /* The order of the Vietnamese alphabet: a ă â b c d đ e ê … o ô ơ … u ư. */
    static const char *ordered[] = {"An", "Ăn", "Ân", "Bình", "Dương", "Đinh", "Oanh", "Ông", "Ơn", "Uyên", "Ưng"};
    size_t n = sizeof ordered / sizeof ordered[0];
    for (size_t i = 0; i + 1 < n; i++) {
        assert_true(text_collate(ordered[i], ordered[i + 1]) < 0);
        assert_true(key_cmp(ordered[i], ordered[i + 1]) < 0);
        assert_true(key_cmp(ordered[i + 1], ordered[i]) > 0);
    }
    assert_int_equal(key_cmp("Hà", "Hà"), 0);
    assert_true(strlen(text_collator_version()) > 0);
}

static void test_split_name(void **state)
{
    (void)state;
    char *f, *m, *g;
    text_split_name("Nguyễn Thị Minh Khai", &f, &m, &g);
    assert_string_equal(f, "Nguyễn");
    assert_string_equal(m, "Thị Minh");
    assert_string_equal(g, "Khai");
    free(f), free(m), free(g);
    text_split_name(" Lê  Lợi ", &f, &m, &g);
    assert_string_equal(f, "Lê");
    assert_string_equal(m, "");
    assert_string_equal(g, "Lợi");
    free(f), free(m), free(g);
    text_split_name("Tèo", &f, &m, &g);
    assert_string_equal(f, "");
    assert_string_equal(g, "Tèo");
    free(f), free(m), free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_composes_decomposed_input),
        cmocka_unit_test(test_clean_refuses_bad_utf8_and_controls),
        cmocka_unit_test(test_clean_multiline_and_trim),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_vietnamese_order),
        cmocka_unit_test(test_split_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
