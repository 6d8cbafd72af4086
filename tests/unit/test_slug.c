/* text/slug: addresses of news articles made from Vietnamese titles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text/slug.h"

static void expect_slug(const char *title, size_t max, const char *want)
{
    char *s = text_slug(title, max);
    assert_string_equal(s, want);
    assert_true(strlen(s) <= max);
    if (*want)
        assert_true(text_slug_valid(s, max));
    free(s);
}

static void test_marks_and_d(void **state)
{
    (void)state;
    expect_slug("Khối thi đua MTTQ và các đoàn thể tỉnh sơ kết 6 tháng đầu năm 2026", 80,
                "khoi-thi-dua-mttq-va-cac-doan-the-tinh-so-ket-6-thang-dau-nam-2026");
    /* capital Đ, and every tone on one vowel */
    expect_slug("ĐẠI HỘI Đảng bộ", 80, "dai-hoi-dang-bo");
    expect_slug("à á ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ", 80, "a-a-a-a-a-a-a-a-a-a-a-a-a-a-a");
    expect_slug("Ưu tiên ơ ư Ư Ơ ý ỳ", 80, "uu-tien-o-u-u-o-y-y");
    /* decomposed input (e + combining circumflex + dot below) folds the same */
    expect_slug("Vi\x65\xCC\x82\xCC\xA3t Nam", 80, "viet-nam");
}

static void test_punctuation_and_spaces(void **state)
{
    (void)state;
    expect_slug("  Hội nghị: \"ký kết\" giao ước (lần 2) — năm 2026!  ", 80,
                "hoi-nghi-ky-ket-giao-uoc-lan-2-nam-2026");
    expect_slug("Sở Nội vụ / Sở Tài chính, 15/06/2026", 80,
                "so-noi-vu-so-tai-chinh-15-06-2026");
    expect_slug("a--b__c", 80, "a-b-c");
    /* letters with no ASCII form separate words, they do not vanish silently */
    expect_slug("Tin 新闻 mới", 80, "tin-moi");
    expect_slug("!!! ??? —", 80, "");
    expect_slug("", 80, "");
}

static void test_cut_at_word_boundary(void **state)
{
    (void)state;
    /* "khoi-thi-dua" is 12 bytes: a cut at 14 falls inside "mttq" and steps back */
    expect_slug("Khối thi đua MTTQ", 14, "khoi-thi-dua");
    /* a cut that lands exactly on a word's end keeps the word */
    expect_slug("Khối thi đua MTTQ", 12, "khoi-thi-dua");
    /* a cut right after a hyphen drops the hyphen */
    expect_slug("Khối thi đua MTTQ", 13, "khoi-thi-dua");
    /* a first word longer than the limit is cut inside it */
    expect_slug("Nghiêngnghiêngnghiêng ngả", 10, "nghiengngh");
    /* the usual limit: 80, on a long title */
    const char *title = "Khối thi đua các cơ quan Đảng, Mặt trận Tổ quốc và các đoàn thể chính "
                        "trị - xã hội tỉnh tổng kết công tác thi đua năm 2026";
    char *s = text_slug(title, 80);
    assert_string_equal(s, "khoi-thi-dua-cac-co-quan-dang-mat-tran-to-quoc-va-cac-doan-the-chinh-"
                           "tri-xa-hoi");
    assert_true(strlen(s) <= 80);
    free(s);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(text_slug_valid("tin-moi-2026", 80));
    assert_true(text_slug_valid("a", 80));
    assert_false(text_slug_valid("", 80));
    assert_false(text_slug_valid(NULL, 80));
    assert_false(text_slug_valid("-tin", 80));
    assert_false(text_slug_valid("tin-", 80));
    assert_false(text_slug_valid("tin--moi", 80));
    assert_false(text_slug_valid("Tin-moi", 80));
    assert_false(text_slug_valid("tin moi", 80));
    assert_false(text_slug_valid("tin_moi", 80));
    assert_false(text_slug_valid("tin-mới", 80));
    assert_false(text_slug_valid("tin/moi", 80));
    assert_true(text_slug_valid("abcde", 5));
    assert_false(text_slug_valid("abcdef", 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks_and_d),
        cmocka_unit_test(test_punctuation_and_spaces),
        cmocka_unit_test(test_cut_at_word_boundary),
        cmocka_unit_test(test_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
