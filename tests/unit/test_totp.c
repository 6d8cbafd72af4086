/* lib/totp: one-time codes, the otpauth URI, the QR code, recovery codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/totp.h"

/* RFC 6238 Appendix B: the ASCII key "12345678901234567890" in base32. */
static const char RFC_SECRET[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char ALPHABET[] = "23456789abcdefghjkmnpqrstuvwxyz";

static void test_rfc6238_vectors(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *code; /* last 6 digits of the RFC's 8-digit SHA-1 values */
    } v[] = {
        {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
        {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *code = totp_code_at(RFC_SECRET, v[i].t);
        assert_non_null(code);
        assert_string_equal(code, v[i].code);
        free(code);
        int64_t step = -7;
        assert_int_equal(totp_verify(RFC_SECRET, v[i].t, v[i].code, -1, &step), 1);
        assert_int_equal(step, v[i].t / 30);
    }
    assert_null(totp_code_at(RFC_SECRET, -1));
    assert_null(totp_code_at("not base32!", 59));
    assert_null(totp_code_at(NULL, 59));
}

static void test_verify_window(void **state)
{
    (void)state;
    const int64_t now = 1111111111, step = now / 30;
    char *prev = totp_code_at(RFC_SECRET, now - 30);
    char *next = totp_code_at(RFC_SECRET, now + 30);
    char *old = totp_code_at(RFC_SECRET, now - 60);
    char *late = totp_code_at(RFC_SECRET, now + 60);
    assert_non_null(prev);
    assert_non_null(next);
    assert_non_null(old);
    assert_non_null(late);
    int64_t matched = 0;
    assert_int_equal(totp_verify(RFC_SECRET, now, prev, -1, &matched), 1);
    assert_int_equal(matched, step - 1);
    assert_int_equal(totp_verify(RFC_SECRET, now, next, -1, &matched), 1);
    assert_int_equal(matched, step + 1);
    assert_int_equal(totp_verify(RFC_SECRET, now, old, -1, &matched), 0);
    assert_int_equal(totp_verify(RFC_SECRET, now, late, -1, &matched), 0);
    assert_int_equal(totp_verify(RFC_SECRET, now, next, -1, NULL), 1); /* NULL out is fine */
    free(prev);
    free(next);
    free(old);
    free(late);
}

static void test_verify_replay(void **state)
{
    (void)state;
    const int64_t now = 1234567890, step = now / 30;
    int64_t matched = -1;
    assert_int_equal(totp_verify(RFC_SECRET, now, "005924", -1, &matched), 1);
    assert_int_equal(matched, step);
    /* the same code again, with the step stored: a replay */
    int64_t untouched = 42;
    assert_int_equal(totp_verify(RFC_SECRET, now, "005924", matched, &untouched), -1);
    assert_int_equal(untouched, 42);
    assert_int_equal(totp_verify(RFC_SECRET, now + 29, "005924", step + 5, &untouched), -1);
    /* a code of the previous step after the current one was used */
    char *prev = totp_code_at(RFC_SECRET, now - 30);
    assert_int_equal(totp_verify(RFC_SECRET, now, prev, step, &untouched), -1);
    assert_int_equal(totp_verify(RFC_SECRET, now, prev, step - 2, &matched), 1);
    assert_int_equal(matched, step - 1);
    free(prev);
    /* a later code after an earlier one is fine */
    char *next = totp_code_at(RFC_SECRET, now + 30);
    assert_int_equal(totp_verify(RFC_SECRET, now, next, step, &matched), 1);
    assert_int_equal(matched, step + 1);
    free(next);
}

static void test_verify_input(void **state)
{
    (void)state;
    const int64_t t = 1234567890;
    int64_t m = 0;
    /* spaces and tabs inside are ignored */
    assert_int_equal(totp_verify(RFC_SECRET, t, "005 924", -1, &m), 1);
    assert_int_equal(totp_verify(RFC_SECRET, t, " 0 0 5 9 2 4 ", -1, &m), 1);
    assert_int_equal(totp_verify(RFC_SECRET, t, "\t005924\t", -1, &m), 1);
    /* garbage */
    assert_int_equal(totp_verify(NULL, t, "005924", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, NULL, -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "      ", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "05924", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "0059245", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "89005924", -1, &m), 0); /* the 8-digit form */
    assert_int_equal(totp_verify(RFC_SECRET, t, "00592a", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "005-924", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "+05924", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, t, "００５９２４", -1, &m), 0); /* full-width */
    assert_int_equal(totp_verify(RFC_SECRET, t, "000000", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, -30, "005924", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, INT64_MAX, "005924", -1, &m), 0);
    assert_int_equal(totp_verify(RFC_SECRET, INT64_MIN, "005924", -1, &m), 0);
    assert_int_equal(totp_verify("", t, "005924", -1, &m), 0);
    assert_int_equal(totp_verify("!!!!!!!!", t, "005924", -1, &m), 0);
    assert_int_equal(totp_verify("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1", t, "005924", -1, &m), 0);
    assert_int_equal(totp_verify("GEZDGNBV", t, "005924", -1, &m), 0); /* 5-byte key */
    char big[4096];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(totp_verify(big, t, "005924", -1, &m), 0);
    memset(big, ' ', sizeof big - 1);
    memcpy(big + 2000, "005924", 6);
    assert_int_equal(totp_verify(RFC_SECRET, t, big, -1, &m), 0);
    assert_int_equal(m, 1234567890 / 30); /* still the last good match */
}

static void test_secret_new(void **state)
{
    (void)state;
    totp_global_init();
    totp_global_init(); /* twice is harmless */
    char a[33], b[33];
    assert_true(totp_secret_new(a));
    assert_true(totp_secret_new(b));
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strlen(b), 32);
    assert_int_equal(strspn(a, B32), 32);
    assert_int_equal(strspn(b, B32), 32);
    assert_string_not_equal(a, b);
    /* a fresh secret works end to end */
    char *code = totp_code_at(a, 1700000000);
    assert_non_null(code);
    int64_t m = 0;
    assert_int_equal(totp_verify(a, 1700000000, code, -1, &m), 1);
    free(code);
}

static void test_uri(void **state)
{
    (void)state;
    char *uri = totp_uri("tdkt Bắc Ninh", "nguyen.van.a", RFC_SECRET);
    assert_non_null(uri);
    assert_string_equal(uri, "otpauth://totp/tdkt%20B%E1%BA%AFc%20Ninh:nguyen.van.a"
                             "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                             "&issuer=tdkt%20B%E1%BA%AFc%20Ninh&algorithm=SHA1&digits=6&period=30");
    free(uri);
    uri = totp_uri("tdkt", "a@b.vn:x&y=z", RFC_SECRET);
    assert_string_equal(uri, "otpauth://totp/tdkt:a%40b.vn%3Ax%26y%3Dz"
                             "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                             "&issuer=tdkt&algorithm=SHA1&digits=6&period=30");
    free(uri);
    uri = totp_uri("", "an", RFC_SECRET);
    assert_string_equal(uri, "otpauth://totp/an?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                             "&algorithm=SHA1&digits=6&period=30");
    free(uri);
    assert_null(totp_uri(NULL, "a", RFC_SECRET));
    assert_null(totp_uri("tdkt", NULL, RFC_SECRET));
    assert_null(totp_uri("tdkt", "", RFC_SECRET));
    assert_null(totp_uri("tdkt", "a", NULL));
    assert_null(totp_uri("tdkt", "a", "bad secret!"));
}

/* Reads the SVG back: size from the viewBox, dark modules from the path's
 * "Mx yhNv1h-Nz" runs into a grid, so the checks are about the symbol. */
static void check_qr(const char *svg, int *version_out)
{
    assert_non_null(svg);
    assert_memory_equal(svg, "<svg", 4);
    assert_null(strstr(svg, "<?xml"));
    assert_non_null(strstr(svg, "shape-rendering=\"crispEdges\""));
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-label=\"Mã QR\""));
    assert_int_equal(strcmp(svg + strlen(svg) - 6, "</svg>"), 0);
    const char *vb = strstr(svg, "viewBox=\"");
    assert_non_null(vb);
    int x0, y0, n, n2;
    assert_int_equal(sscanf(vb, "viewBox=\"%d %d %d %d\"", &x0, &y0, &n, &n2), 4);
    assert_int_equal(x0, 0);
    assert_int_equal(y0, 0);
    assert_int_equal(n, n2);
    int w = n - 8;
    assert_true(w >= 21 && w <= 177 && (w - 21) % 4 == 0);
    *version_out = (w - 21) / 4 + 1;
    int px;
    const char *wa = strstr(svg, " width=\"");
    assert_non_null(wa);
    assert_int_equal(sscanf(wa, " width=\"%d\"", &px), 1);
    assert_true(px >= 150 && px <= 250 && px % n == 0);

    const char *d = strstr(svg, "<path");
    assert_non_null(d);
    assert_null(strstr(d + 1, "<path")); /* a single path */
    d = strstr(d, " d=\"");
    assert_non_null(d);
    d += 4;
    unsigned char *grid = calloc((size_t)n * (size_t)n, 1);
    assert_non_null(grid);
    long dark = 0;
    while (*d == 'M') {
        int x, y, len, back, used = 0;
        assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &len, &back, &used), 4);
        assert_true(used > 0);
        assert_int_equal(len, back);
        assert_true(len > 0 && x >= 4 && y >= 4 && y < n - 4 && x + len <= n - 4);
        for (int i = 0; i < len; i++) {
            assert_int_equal(grid[y * n + x + i], 0); /* runs never overlap */
            grid[y * n + x + i] = 1;
        }
        dark += len;
        d += used;
    }
    assert_int_equal(*d, '"');
    assert_true(dark > 0);
    /* the three finder patterns: a 7x7 dark ring at top-left, top-right and
     * bottom-left corners, with a light ring inside */
    const int corners[3][2] = {{4, 4}, {4 + w - 7, 4}, {4, 4 + w - 7}};
    for (int c = 0; c < 3; c++) {
        int cx = corners[c][0], cy = corners[c][1];
        for (int i = 0; i < 7; i++) {
            assert_true(grid[cy * n + cx + i] && grid[(cy + 6) * n + cx + i]);
            assert_true(grid[(cy + i) * n + cx] && grid[(cy + i) * n + cx + 6]);
        }
        assert_false(grid[(cy + 1) * n + cx + 1]);
        assert_true(grid[(cy + 3) * n + cx + 3]);
    }
    free(grid);
}

static void test_qr_svg(void **state)
{
    (void)state;
    int v = 0;
    char *svg = qr_svg("hello");
    check_qr(svg, &v);
    assert_int_equal(v, 1);
    free(svg);

    char *uri = totp_uri("tdkt Bắc Ninh", "nguyen.van.a", RFC_SECRET);
    svg = qr_svg(uri);
    check_qr(svg, &v);
    assert_true(v > 1);
    free(svg);
    free(uri);

    char *big = malloc(3000);
    assert_non_null(big);
    memset(big, 'x', 2000);
    big[2000] = '\0';
    svg = qr_svg(big);
    check_qr(svg, &v);
    assert_true(v >= 30);
    free(svg);
    memset(big, 'x', 2999); /* 8-bit at level M holds at most 2331 bytes (version 40) */
    big[2999] = '\0';
    assert_null(qr_svg(big));
    free(big);

    assert_null(qr_svg(NULL));
    assert_null(qr_svg(""));
}

static void test_recovery_codes(void **state)
{
    (void)state;
    char a[15], b[15];
    recovery_code_new(a);
    recovery_code_new(b);
    for (int k = 0; k < 2; k++) {
        const char *c = k ? b : a;
        assert_int_equal(strlen(c), 14);
        for (int i = 0; i < 14; i++) {
            if (i == 4 || i == 9)
                assert_int_equal(c[i], '-');
            else
                assert_non_null(memchr(ALPHABET, c[i], sizeof ALPHABET - 1));
        }
    }
    assert_string_not_equal(a, b);

    char h1[65], h2[65], h3[65], h4[65];
    assert_true(recovery_code_hash("ABCD-efgh-2345", h1));
    assert_true(recovery_code_hash("abcdefgh2345", h2));
    assert_true(recovery_code_hash(" abcd efgh 2345 ", h3));
    assert_true(recovery_code_hash("abcd--efgh - 2345", h4));
    assert_int_equal(strlen(h1), 64);
    assert_int_equal(strspn(h1, "0123456789abcdef"), 64);
    assert_string_equal(h1, h2);
    assert_string_equal(h1, h3);
    assert_string_equal(h1, h4);
    assert_true(recovery_code_hash(a, h1));
    assert_true(recovery_code_hash(b, h2));
    assert_string_not_equal(h1, h2);

    const char *bad[] = {
        "abcd-efgh-234",    "abcd-efgh-23456", "abcd-efgh-234o", "abcd-efgh-2340",
        "abcd-efgh-234l",   "abcd-efgh-234i",  "abcd-efgh-2341", "abcd_efgh_2345",
        "abcd.efgh.2345",   "",                "------------",   "abcd-efgh-234\xc3\xa1",
        "abcd\tefgh\t2345",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(h1, "x");
        assert_false(recovery_code_hash(bad[i], h1));
        assert_string_equal(h1, "");
    }
    assert_false(recovery_code_hash(NULL, h1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors), cmocka_unit_test(test_verify_window),
        cmocka_unit_test(test_verify_replay),   cmocka_unit_test(test_verify_input),
        cmocka_unit_test(test_secret_new),      cmocka_unit_test(test_uri),
        cmocka_unit_test(test_qr_svg),          cmocka_unit_test(test_recovery_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
