/* http/form: urlencoded decoding, the streaming multipart parser, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http/form.h"
#include "lib/arena.h"
#include "lib/buf.h"

#define LIT(s) (s), (sizeof(s) - 1)

static const struct form_limits roomy = {
    .max_fields = 100,
    .max_name = 100,
    .max_value = 1 << 20,
    .max_file = 4 << 20,
    .max_files = 10,
    .max_part_header = 1024,
    .max_total = 8 << 20,
};

/* ---- helpers ------------------------------------------------------------ */

/* Everything a parse produced, as printable text, so two runs compare with
 * one assert_string_equal and a failure shows the difference. */
static char *describe(enum result rc, const struct err *e, const struct form_field *f)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "rc=%d", (int)rc);
    if (rc != OK)
        buf_printf(&b, " field=[%s] msg=[%s]", e->field, e->msg);
    for (; f; f = f->next) {
        buf_printf(&b, "\n%s", f->name);
        if (f->filename)
            buf_printf(&b, " file=[%s]", f->filename);
        buf_printf(&b, " type=[%s] len=%zu: ", f->content_type, f->value_len);
        for (size_t i = 0; i < f->value_len; i++) {
            unsigned char c = (unsigned char)f->value[i];
            if (c >= 0x20 && c < 0x7F && c != '\\')
                buf_addc(&b, (char)c);
            else
                buf_printf(&b, "\\x%02X", c);
        }
        assert_int_equal(f->value[f->value_len], '\0');
    }
    return buf_detach(&b);
}

/* Feeds body to a new parser in chunks of `step` bytes (0: one chunk),
 * returning the description of the outcome. */
static char *run_stepped(const char *ct, const char *body, size_t len, size_t step,
                         const struct form_limits *lim)
{
    struct arena *a = arena_new();
    struct err e;
    err_clear(&e);
    struct form_parser *p = form_parser_new(a, ct, lim, &e);
    assert_non_null(p);
    enum result rc = OK;
    struct form_field *f = NULL;
    size_t off = 0;
    if (step == 0)
        step = len ? len : 1;
    while (rc == OK && off < len) {
        size_t n = len - off < step ? len - off : step;
        rc = form_parser_feed(p, body + off, n, &e);
        off += n;
    }
    if (rc == OK)
        rc = form_parser_finish(p, &f, &e);
    char *d = describe(rc, &e, f);
    arena_free(a);
    return d;
}

/* The same, split once at `at`. */
static char *run_split(const char *ct, const char *body, size_t len, size_t at,
                       const struct form_limits *lim)
{
    struct arena *a = arena_new();
    struct err e;
    err_clear(&e);
    struct form_parser *p = form_parser_new(a, ct, lim, &e);
    assert_non_null(p);
    struct form_field *f = NULL;
    enum result rc = form_parser_feed(p, body, at, &e);
    if (rc == OK)
        rc = form_parser_feed(p, body + at, len - at, &e);
    if (rc == OK)
        rc = form_parser_finish(p, &f, &e);
    char *d = describe(rc, &e, f);
    arena_free(a);
    return d;
}

/* Checks that every two-chunk split and the byte-by-byte feed give exactly
 * the outcome of the one-chunk feed, and returns that outcome. */
static char *run_all_splits(const char *ct, const char *body, size_t len,
                            const struct form_limits *lim)
{
    char *ref = run_stepped(ct, body, len, 0, lim);
    for (size_t at = 0; at <= len; at++) {
        char *d = run_split(ct, body, len, at, lim);
        if (strcmp(d, ref) != 0)
            print_error("split at %zu differs\n", at);
        assert_string_equal(d, ref);
        free(d);
    }
    char *d = run_stepped(ct, body, len, 1, lim);
    assert_string_equal(d, ref);
    free(d);
    return ref;
}

static enum result urlenc(struct arena *a, const char *s, const struct form_limits *lim,
                          struct form_field **out, struct err *e)
{
    err_clear(e);
    return form_parse_urlencoded(a, s, strlen(s), lim, out, e);
}

/* ---- urlencoded --------------------------------------------------------- */

static void test_urlencoded_decodes_pairs_in_order(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct form_field *f;
    struct err e;
    assert_int_equal(urlenc(a, "ho_ten=Nguy%E1%BB%85n+V%C4%83n+%C3%81&x=a%2Bb%3D%26&cb&y=", &roomy,
                            &f, &e),
                     OK);
    assert_string_equal(f->name, "ho_ten");
    assert_string_equal(f->value, "Nguyễn Văn Á");
    assert_int_equal(f->value_len, strlen("Nguyễn Văn Á"));
    assert_null(f->filename);
    assert_string_equal(f->content_type, "");
    f = f->next;
    assert_string_equal(f->name, "x");
    assert_string_equal(f->value, "a+b=&");
    f = f->next;
    assert_string_equal(f->name, "cb");
    assert_string_equal(f->value, "");
    assert_int_equal(f->value_len, 0);
    f = f->next;
    assert_string_equal(f->name, "y");
    assert_string_equal(f->value, "");
    assert_null(f->next);

    /* %C3%A1 is two raw bytes; case of hex digits does not matter */
    assert_int_equal(urlenc(a, "a=%C3%a1", &roomy, &f, &e), OK);
    assert_int_equal(f->value_len, 2);
    assert_memory_equal(f->value, "\xC3\xA1", 2);
    /* NUL in a value is kept and counted; names with '+' decode too */
    assert_int_equal(urlenc(a, "m+n=%00z", &roomy, &f, &e), OK);
    assert_string_equal(f->name, "m n");
    assert_int_equal(f->value_len, 2);
    assert_memory_equal(f->value, "\0z", 2);
    /* only the first '=' splits */
    assert_int_equal(urlenc(a, "q=1=2", &roomy, &f, &e), OK);
    assert_string_equal(f->value, "1=2");
    arena_free(a);
}

static void test_urlencoded_tolerates_empty_pairs(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct form_field *f = (void *)1;
    struct err e;
    assert_int_equal(urlenc(a, "&&a=1&&&b=2&", &roomy, &f, &e), OK);
    assert_string_equal(f->name, "a");
    assert_string_equal(f->value, "1");
    assert_string_equal(f->next->name, "b");
    assert_null(f->next->next);
    assert_int_equal(urlenc(a, "", &roomy, &f, &e), OK);
    assert_null(f);
    f = (void *)1;
    assert_int_equal(form_parse_urlencoded(a, NULL, 0, &roomy, &f, &e), OK);
    assert_null(f);
    assert_int_equal(urlenc(a, "&", &roomy, &f, &e), OK);
    assert_null(f);
    /* duplicates are all kept, in order */
    assert_int_equal(urlenc(a, "k=1&k=2", &roomy, &f, &e), OK);
    assert_string_equal(f->value, "1");
    assert_string_equal(f->next->value, "2");
    assert_ptr_equal(form_find(f, "k"), f);
    assert_null(form_find(f, "K"));
    arena_free(a);
}

static void test_urlencoded_refuses_bad_escapes(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct form_field *f = (void *)1;
    struct err e;
    assert_int_equal(urlenc(a, "ok=1&so_tien=12%G0", &roomy, &f, &e), E_INVALID);
    assert_null(f);
    assert_string_equal(e.field, "so_tien");
    assert_non_null(strstr(e.msg, "\"so_tien\""));
    /* truncated escapes at the very end: the decoder must not read past len */
    const char *cut[] = {"a=%", "a=%4", "a=1%", "a%=1", "a=%%41"};
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
        assert_int_equal(urlenc(a, cut[i], &roomy, &f, &e), E_INVALID);
        assert_int_equal(e.code, E_INVALID);
    }
    /* "%4" followed by bytes outside len: */
    assert_int_equal(form_parse_urlencoded(a, "a=%41", 4, &roomy, &f, &e), E_INVALID);
    /* a malformed name is named as it was sent */
    assert_int_equal(urlenc(a, "t%zzen=1", &roomy, &f, &e), E_INVALID);
    assert_string_equal(e.field, "t%zzen");
    /* names must be non-empty and free of NUL */
    assert_int_equal(urlenc(a, "=1", &roomy, &f, &e), E_INVALID);
    assert_int_equal(urlenc(a, "a%00b=1", &roomy, &f, &e), E_INVALID);
    /* a name that is not UTF-8 is shown with '?', never as raw bytes */
    assert_int_equal(urlenc(a, "%FF%zz=1", &roomy, &f, &e), E_INVALID);
    assert_string_equal(e.field, "%FF%zz");
    assert_int_equal(urlenc(a, "\xFF%zz=1", &roomy, &f, &e), E_INVALID);
    assert_string_equal(e.field, "?%zz");
    arena_free(a);
}

static void test_urlencoded_limits(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct form_field *f;
    struct err e;
    struct form_limits lim = roomy;
    lim.max_fields = 2;
    assert_int_equal(urlenc(a, "a=1&&b=2", &lim, &f, &e), OK);
    assert_int_equal(urlenc(a, "a=1&b=2&c=3", &lim, &f, &e), E_TOOBIG);
    assert_null(f);
    assert_string_equal(e.field, "c");

    lim = roomy;
    lim.max_value = 3; /* decoded bytes count, not encoded ones */
    assert_int_equal(urlenc(a, "v=%41%42%43", &lim, &f, &e), OK);
    assert_string_equal(f->value, "ABC");
    assert_int_equal(urlenc(a, "v=%41%42%43+", &lim, &f, &e), E_TOOBIG);
    assert_string_equal(e.field, "v");
    assert_non_null(strstr(e.msg, "\"v\""));
    assert_non_null(strstr(e.msg, "3 byte"));

    lim = roomy;
    lim.max_name = 4;
    assert_int_equal(urlenc(a, "abcd=1", &lim, &f, &e), OK);
    assert_int_equal(urlenc(a, "abcde=1", &lim, &f, &e), E_TOOBIG);
    assert_string_equal(e.field, "abcde");
    /* a long name is cut for the message, on a character boundary */
    char longname[200];
    memset(longname, 0, sizeof longname);
    for (int i = 0; i < 30; i++)
        strcat(longname, "ữ"); /* 3 bytes each */
    strcat(longname, "=1");
    assert_int_equal(urlenc(a, longname, &lim, &f, &e), E_TOOBIG);
    assert_int_equal(strlen(e.field), 20 * 3 + 3); /* fits err.field */
    assert_true(strncmp(e.field, longname, 20 * 3) == 0);
    assert_string_equal(e.field + 20 * 3, "…");
    assert_non_null(strstr(e.msg, e.field));

    lim = roomy;
    lim.max_total = 5;
    assert_int_equal(urlenc(a, "a=123", &lim, &f, &e), OK);
    assert_int_equal(urlenc(a, "a=1234", &lim, &f, &e), E_TOOBIG);
    assert_string_equal(e.field, "");
    arena_free(a);
}

static void test_urlencoded_body_streams(void **state)
{
    (void)state;
    const char *ct = "Application/X-WWW-Form-Urlencoded; charset=UTF-8";
    const char *body = "ten=%C4%90%E1%BB%A9c&ghi_chu=a+b&&x";
    char *d = run_all_splits(ct, body, strlen(body), &roomy);
    assert_string_equal(d, "rc=0\n"
                           "ten type=[] len=6: \\xC4\\x90\\xE1\\xBB\\xA9c\n"
                           "ghi_chu type=[] len=3: a b\n"
                           "x type=[] len=0: ");
    free(d);
    /* errors of the body surface at finish, with the field */
    d = run_stepped(ct, LIT("a=1&b=%ZZ"), 1, &roomy);
    assert_non_null(strstr(d, "rc=1 field=[b]"));
    free(d);
    /* max_total bounds the buffered body */
    struct form_limits lim = roomy;
    lim.max_total = 8;
    d = run_stepped(ct, LIT("a=123456"), 3, &lim);
    assert_string_equal(d, "rc=0\na type=[] len=6: 123456");
    free(d);
    d = run_stepped(ct, LIT("a=1234567"), 3, &lim);
    assert_true(strncmp(d, "rc=5 field=[] msg=[", 19) == 0);
    assert_non_null(strstr(d, "8 byte"));
    free(d);
}

/* ---- multipart ---------------------------------------------------------- */

#define CT "multipart/form-data; boundary=b0undary"

/* File data that looks like the delimiter in every way but the whole:
 * CRLFs, "--b", prefixes of CRLF--b0undary, a bare LF before "--b0undary",
 * and a tail "\r\n-" that only turns out to be data at the real delimiter. */
#define FILE_DATA                                                                            \
    "\x00\x01\r\n--b\r\n--b0undar\r\r\n--b0u\n--b0undary\r\n\r--b0undary\xFF\r\n--"          \
    "B0UNDARY\r\n-"

static const char body_full[] =
    "--b0undary\r\n"
    "Content-Disposition: form-data; name=\"ho_ten\"\r\n"
    "\r\n"
    "Nguyễn Văn Á\r\n"
    "--b0undary\r\n"
    "content-disposition: form-data; name=\"ghi_chu\"\r\n"
    "\r\n"
    "line1\r\nline2 --b0undary-ish\r\n"
    "\r\n--b0undary\r\n"
    "Content-Disposition: form-data; name=\"tep\"; filename=\"bao cao.bin\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n" FILE_DATA "\r\n--b0undary\r\n"
    "Content-Disposition: form-data; name=\"rong\"\r\n"
    "\r\n"
    "\r\n--b0undary--\r\n"
    "epilogue, ignored\r\n--b0undary\r\n";

static void test_multipart_fields_and_binary_file(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct err e;
    struct form_parser *p = form_parser_new(a, CT, &roomy, &e);
    assert_non_null(p);
    assert_int_equal(form_parser_feed(p, body_full, sizeof body_full - 1, &e), OK);
    struct form_field *f;
    assert_int_equal(form_parser_finish(p, &f, &e), OK);

    assert_string_equal(f->name, "ho_ten");
    assert_string_equal(f->value, "Nguyễn Văn Á");
    assert_null(f->filename);
    assert_string_equal(f->content_type, "");
    f = f->next;
    assert_string_equal(f->name, "ghi_chu");
    assert_string_equal(f->value, "line1\r\nline2 --b0undary-ish\r\n");
    f = f->next;
    assert_string_equal(f->name, "tep");
    assert_string_equal(f->filename, "bao cao.bin");
    assert_string_equal(f->content_type, "application/octet-stream");
    assert_int_equal(f->value_len, sizeof FILE_DATA - 1);
    assert_memory_equal(f->value, FILE_DATA, sizeof FILE_DATA - 1);
    assert_int_equal(f->value[f->value_len], '\0');
    f = f->next;
    assert_string_equal(f->name, "rong");
    assert_int_equal(f->value_len, 0);
    assert_string_equal(f->value, "");
    assert_null(f->next);

    /* finish again: the same list; feeding more is refused */
    struct form_field *g;
    assert_int_equal(form_parser_finish(p, &g, &e), OK);
    assert_string_equal(g->name, "ho_ten");
    assert_int_equal(form_parser_feed(p, "x", 1, &e), E_INVALID);
    arena_free(a);
}

static void test_multipart_any_split_gives_the_same_result(void **state)
{
    (void)state;
    char *ref = run_all_splits(CT, body_full, sizeof body_full - 1, &roomy);
    assert_non_null(strstr(ref, "rc=0\nho_ten "));
    assert_non_null(strstr(ref, "\ntep file=[bao cao.bin] type=[application/octet-stream] len=66: "
                                "\\x00\\x01\\x0D\\x0A--b\\x0D\\x0A--b0undar\\x0D\\x0D\\x0A--b0u"));
    assert_non_null(strstr(ref, "\nrong type=[] len=0: "));
    free(ref);

    /* errors too: where they are found must not depend on the split */
    struct form_limits lim = roomy;
    lim.max_file = sizeof FILE_DATA - 2; /* one byte less than the file */
    ref = run_all_splits(CT, body_full, sizeof body_full - 1, &lim);
    assert_true(strncmp(ref, "rc=5 field=[tep]", 16) == 0);
    free(ref);
    lim = roomy;
    lim.max_total = sizeof body_full - 2;
    ref = run_all_splits(CT, body_full, sizeof body_full - 1, &lim);
    assert_true(strncmp(ref, "rc=5 field=[]", 13) == 0);
    free(ref);
    /* max_total reached exactly is fine */
    lim.max_total = sizeof body_full - 1;
    ref = run_stepped(CT, body_full, sizeof body_full - 1, 7, &lim);
    assert_true(strncmp(ref, "rc=0\n", 5) == 0);
    free(ref);
}

static void test_multipart_quoted_boundary_and_header_forms(void **state)
{
    (void)state;
    static const char body[] =
        "preamble, ignored\r\n--b0undary\r\n" /* the first delimiter after a preamble */
        "--a b:c=d?\t \r\n"                   /* transport padding after the boundary */
        "CONTENT-DISPOSITION:form-data ;NAME=\"q\\\"t\" ; filename*=UTF-8''x.txt; "
        "Filename=\"C:\\\\tmp\\\\a.txt\"\r\n"
        "X-Ignored: yes\r\n"
        "Content-Typf: not the type\r\n"
        "content-type:  text/plain; charset=utf-8 \r\n"
        "\r\n"
        "noi dung\r\n"
        "--a b:c=d?\r\n"
        "Content-Disposition: form-data; name=tok-en\r\n"
        "\r\n"
        "1\r\n"
        "--a b:c=d?--";
    const char *ct = "Multipart/Form-Data; charset=UTF-8; BOUNDARY=\"a b:c=d?\"";
    char *d = run_all_splits(ct, body + 31, sizeof body - 1 - 31, &roomy);
    assert_string_equal(d, "rc=0\n"
                           "q\"t file=[C:\\tmp\\a.txt] type=[text/plain; charset=utf-8] len=8: "
                           "noi dung\n"
                           "tok-en type=[] len=1: 1");
    free(d);
    /* with the preamble (whose "--b0undary" line is not our boundary) */
    d = run_stepped(ct, body, sizeof body - 1, 0, &roomy);
    assert_non_null(strstr(d, "rc=0\nq\"t file="));
    free(d);
    /* a body with no part at all */
    d = run_all_splits(ct, LIT("--a b:c=d?--\r\n"), &roomy);
    assert_string_equal(d, "rc=0");
    free(d);
}

static void test_content_types(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct err e;
    const char *bad[] = {
        NULL,
        "",
        "text/plain",
        "multipart/mixed; boundary=x",
        "multipart/form-data",
        "multipart/form-data; charset=utf-8",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc",
        "multipart/form-data; boundary=\"abc\\",
        "multipart/form-data; boundary=a@b",
        "multipart/form-data; =x; boundary=a",
        "multipart/form-data; boundary=\"ab \"",    /* space last */
        "multipart/form-data; boundary=a; boundary=a",
        "multipart/form-data; boundary=\"a\\\"b\"", /* '"' is no bchar */
        "multipart/form-data; boundary=a\x01",
        "multipart/form-data boundary=a",
        "multipart/form-datax; boundary=a",
        "application/x-www-form-urlencodedx",
        "application/json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err_clear(&e);
        assert_null(form_parser_new(a, bad[i], &roomy, &e));
        assert_int_equal(e.code, E_INVALID);
        assert_true(e.msg[0] != '\0');
    }
    assert_null(form_parser_new(a, "text/html", &roomy, &e));
    assert_non_null(strstr(e.msg, "\"text/html\""));

    char ct[128];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%.*s", 70,
             "0123456789012345678901234567890123456789012345678901234567890123456789X");
    assert_non_null(form_parser_new(a, ct, &roomy, &e));
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%.*s", 71,
             "0123456789012345678901234567890123456789012345678901234567890123456789X");
    assert_null(form_parser_new(a, ct, &roomy, &e));
    assert_non_null(form_parser_new(a, "multipart/form-data;boundary=----=_Part_1/x", &roomy, &e));
    assert_non_null(form_parser_new(a, "  application/x-www-form-urlencoded ;", &roomy, &e));
    assert_non_null(form_parser_new(a, "application/x-www-form-urlencoded; charset", &roomy, &e));
    arena_free(a);
}

static void test_multipart_missing_close_is_sticky(void **state)
{
    (void)state;
    static const char body[] = "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"a\"\r\n"
                               "\r\n"
                               "1\r\n"
                               "--b0undary\r\n";
    /* cut at every point the body is incomplete */
    for (size_t len = 0; len < sizeof body - 1; len++) {
        char *d = run_stepped(CT, body, len, 0, &roomy);
        assert_true(strncmp(d, "rc=1 field=[] msg=[", 19) == 0);
        free(d);
    }
    struct arena *a = arena_new();
    struct err e;
    struct form_parser *p = form_parser_new(a, CT, &roomy, &e);
    assert_int_equal(form_parser_feed(p, body, sizeof body - 1, &e), OK);
    struct form_field *f = (void *)1;
    assert_int_equal(form_parser_finish(p, &f, &e), E_INVALID);
    assert_null(f);
    assert_non_null(strstr(e.msg, "thiếu ranh giới kết thúc"));
    /* sticky: the closing boundary arriving late changes nothing */
    struct err e2;
    err_clear(&e2);
    assert_int_equal(form_parser_feed(p, LIT("--b0undary--"), &e2), E_INVALID);
    assert_string_equal(e2.msg, e.msg);
    err_clear(&e2);
    assert_int_equal(form_parser_finish(p, &f, &e2), E_INVALID);
    assert_string_equal(e2.msg, e.msg);
    /* and with a NULL err the code still comes back */
    assert_int_equal(form_parser_feed(p, "x", 1, NULL), E_INVALID);
    arena_free(a);
}

static void test_multipart_structural_errors(void **state)
{
    (void)state;
    struct {
        const char *body;
        const char *why;
    } cases[] = {
        {"--b0undaryX\r\n", "ranh giới"},
        {"--b0undary-x", "ranh giới"},
        {"--b0undary\r\r\n", "ranh giới"},
        {"--b0undary\r\nContent-Disposition: form-data; name=\"a\"\n\r\n", "CRLF"},
        {"--b0undary\r\nContent-Disposition form-data; name=\"a\"\r\n\r\n", "cú pháp"},
        {"--b0undary\r\n: x\r\n\r\n", "cú pháp"},
        {"--b0undary\r\nBad Name: x\r\n\r\n", "cú pháp"},
        {"--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n folded\r\n\r\n", "gấp"},
        {"--b0undary\r\nContent-Disposition: form-data; name=\"a\r\"\r\n\r\n", "điều khiển"},
        {"--b0undary\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n", "form-data"},
        {"--b0undary\r\nContent-Disposition: form-data; name=\"a\r\n\r\n", "cú pháp"},
        {"--b0undary\r\nContent-Disposition: form-data; name=\"a\\\"\r\n\r\n", "cú pháp"},
        {"--b0undary\r\nContent-Disposition: form-data; name=a b\r\n\r\n", "cú pháp"},
        {"--b0undary\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n", "lặp"},
        {"--b0undary\r\nContent-Disposition: form-data; name=a\r\n"
         "Content-Disposition: form-data; name=a\r\n\r\n",
         "lặp"},
        {"--b0undary\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n", "lặp"},
        {"--b0undary\r\nContent-Type: text/plain\r\n\r\n", "Content-Disposition"},
        {"--b0undary\r\n\r\nx\r\n--b0undary--", "Content-Disposition"},
        {"--b0undary\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\n", "không có tên"},
        {"--b0undary\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n", "không có tên"},
        {"--b0undary\r\nContent-Disposition: form-data\r\n\r\n", "không có tên"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *d = run_all_splits(CT, cases[i].body, strlen(cases[i].body), &roomy);
        if (strncmp(d, "rc=1 ", 5) != 0 || !strstr(d, cases[i].why))
            print_error("case %zu: %s\n", i, d);
        assert_true(strncmp(d, "rc=1 ", 5) == 0);
        assert_non_null(strstr(d, cases[i].why));
        free(d);
    }
    /* a NUL inside a quoted name would cut the C string: refused */
    char *d = run_stepped(CT, LIT("--b0undary\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n\r\n"),
                          0, &roomy);
    assert_true(strncmp(d, "rc=1 ", 5) == 0);
    free(d);
}

static void test_multipart_header_limit(void **state)
{
    (void)state;
    static const char head[] = "Content-Disposition: form-data; name=\"a\"\r\n\r\n";
    static const char body[] = "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                               "x\r\n--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                               "y\r\n--b0undary--";
    struct form_limits lim = roomy;
    lim.max_part_header = sizeof head - 1; /* exactly enough, for every part */
    char *d = run_all_splits(CT, LIT(body), &lim);
    assert_string_equal(d, "rc=0\na type=[] len=1: x\na type=[] len=1: y");
    free(d);
    lim.max_part_header = sizeof head - 2;
    d = run_all_splits(CT, LIT(body), &lim);
    assert_true(strncmp(d, "rc=5 field=[] msg=[", 19) == 0);
    assert_non_null(strstr(d, "dài quá 43 byte"));
    free(d);
    /* an endless header line stops at the limit, not at the end of the body */
    struct arena *a = arena_new();
    struct err e;
    struct form_parser *p = form_parser_new(a, CT, &lim, &e);
    assert_int_equal(form_parser_feed(p, LIT("--b0undary\r\nX-Long: "), &e), OK);
    char junk[64];
    memset(junk, 'z', sizeof junk);
    assert_int_equal(form_parser_feed(p, junk, sizeof junk, &e), E_TOOBIG);
    assert_true(arena_used(a) < 4096); /* the parser itself and a 43-byte buffer */
    arena_free(a);
}

static void test_multipart_count_limits(void **state)
{
    (void)state;
    static const char body[] = "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                               "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"f1\"; filename=\"\"\r\n"
                               "Content-Type: application/octet-stream\r\n\r\n\r\n"
                               "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"f2\"; filename=\"y.pdf\"\r\n"
                               "\r\n%PDF\r\n"
                               "--b0undary--\r\n";
    struct form_limits lim = roomy;
    lim.max_fields = 3;
    lim.max_files = 2;
    char *d = run_all_splits(CT, LIT(body), &lim);
    assert_string_equal(d, "rc=0\n"
                           "a type=[] len=1: 1\n"
                           "f1 file=[] type=[application/octet-stream] len=0: \n"
                           "f2 file=[y.pdf] type=[] len=4: %PDF");
    free(d);
    lim.max_fields = 2;
    d = run_all_splits(CT, LIT(body), &lim);
    assert_true(strncmp(d, "rc=5 field=[f2] msg=[", 21) == 0);
    assert_non_null(strstr(d, "tối đa 2 trường"));
    free(d);
    lim.max_fields = 3;
    lim.max_files = 1; /* the empty file input counts */
    d = run_all_splits(CT, LIT(body), &lim);
    assert_true(strncmp(d, "rc=5 field=[f2] msg=[", 21) == 0);
    assert_non_null(strstr(d, "tối đa 1 tệp"));
    free(d);
    lim.max_files = 0;
    d = run_stepped(CT, LIT(body), 0, &lim);
    assert_true(strncmp(d, "rc=5 field=[f1]", 15) == 0);
    free(d);
    lim = roomy;
    lim.max_name = 1;
    d = run_stepped(CT, LIT(body), 0, &lim);
    assert_true(strncmp(d, "rc=5 field=[f1]", 15) == 0);
    free(d);
}

static void test_multipart_size_limits_name_the_field(void **state)
{
    (void)state;
    static const char body[] = "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"mo_ta\"\r\n\r\n"
                               "12345\r\n"
                               "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"minh_chung\"; "
                               "filename=\"Báo cáo.pdf\"\r\n\r\n"
                               "0123456789\r\n"
                               "--b0undary--";
    struct form_limits lim = roomy;
    lim.max_value = 5;
    lim.max_file = 10;
    char *d = run_all_splits(CT, LIT(body), &lim);
    assert_true(strncmp(d, "rc=0\n", 5) == 0);
    free(d);

    lim.max_file = 9;
    d = run_all_splits(CT, LIT(body), &lim);
    assert_string_equal(d, "rc=5 field=[minh_chung] msg=[Tệp \"Báo cáo.pdf\" vượt quá giới "
                           "hạn 9 byte]");
    free(d);
    lim.max_file = 2048;
    lim.max_value = 4;
    d = run_all_splits(CT, LIT(body), &lim);
    assert_string_equal(d, "rc=5 field=[mo_ta] msg=[Trường \"mo_ta\" vượt quá giới hạn 4 byte]");
    free(d);

    /* a file larger than its limit is refused as it streams, in KB */
    struct arena *a = arena_new();
    struct err e;
    lim = roomy;
    lim.max_file = 10 * 1024;
    struct form_parser *p = form_parser_new(a, CT, &lim, &e);
    size_t at = (size_t)(strstr(body, "0123456789") - body);
    assert_int_equal(form_parser_feed(p, body, at, &e), OK); /* up to the file's data */
    char block[1024];
    memset(block, '\r', sizeof block);
    enum result rc = OK;
    int blocks = 0;
    while (rc == OK && blocks < 100) {
        rc = form_parser_feed(p, block, sizeof block, &e);
        blocks++;
    }
    assert_int_equal(rc, E_TOOBIG);
    assert_int_equal(blocks, 11);
    assert_string_equal(e.field, "minh_chung");
    assert_string_equal(e.msg, "Tệp \"Báo cáo.pdf\" vượt quá giới hạn 10 KB");
    arena_free(a);

    /* no file name: the message names the field; limits in MB */
    static const char anon[] = "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n"
                               "xx\r\n--b0undary--";
    lim = roomy;
    lim.max_file = 1;
    d = run_stepped(CT, LIT(anon), 0, &lim);
    assert_string_equal(d, "rc=5 field=[f] msg=[Tệp \"f\" vượt quá giới hạn 1 byte]");
    free(d);
    lim.max_total = 2 * 1024 * 1024;
    a = arena_new();
    p = form_parser_new(a, CT, &lim, &e);
    char *big = calloc(1, lim.max_total + 1);
    assert_int_equal(form_parser_feed(p, big, lim.max_total + 1, &e), E_TOOBIG);
    assert_string_equal(e.msg, "Dữ liệu gửi lên vượt quá giới hạn 2 MB");
    free(big);
    arena_free(a);
}

/* A large upload costs about twice its size in the arena, never a copy per
 * chunk: the chunked accumulation is linear. */
static void test_multipart_large_file_memory(void **state)
{
    (void)state;
    static const char head[] = "--b0undary\r\n"
                               "Content-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n";
    static const char tail[] = "\r\n--b0undary--\r\n";
    const size_t size = 3 * 1024 * 1024 + 17;
    struct arena *a = arena_new();
    struct err e;
    struct form_parser *p = form_parser_new(a, CT, &roomy, &e);
    assert_int_equal(form_parser_feed(p, LIT(head), &e), OK);
    /* data full of near-delimiters, fed in odd-sized chunks */
    static const char pattern[] = "\r\n--b0undar\r\n-x";
    char chunk[4093];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = pattern[i % (sizeof pattern - 1)];
    size_t sent = 0;
    while (sent < size) {
        size_t n = size - sent < sizeof chunk ? size - sent : sizeof chunk;
        assert_int_equal(form_parser_feed(p, chunk, n, &e), OK);
        sent += n;
    }
    assert_int_equal(form_parser_feed(p, LIT(tail), &e), OK);
    struct form_field *f;
    assert_int_equal(form_parser_finish(p, &f, &e), OK);
    assert_int_equal(f->value_len, size);
    assert_memory_equal(f->value, chunk, 64);
    assert_true(arena_used(a) < 2 * size + 256 * 1024);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urlencoded_decodes_pairs_in_order),
        cmocka_unit_test(test_urlencoded_tolerates_empty_pairs),
        cmocka_unit_test(test_urlencoded_refuses_bad_escapes),
        cmocka_unit_test(test_urlencoded_limits),
        cmocka_unit_test(test_urlencoded_body_streams),
        cmocka_unit_test(test_multipart_fields_and_binary_file),
        cmocka_unit_test(test_multipart_any_split_gives_the_same_result),
        cmocka_unit_test(test_multipart_quoted_boundary_and_header_forms),
        cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_multipart_missing_close_is_sticky),
        cmocka_unit_test(test_multipart_structural_errors),
        cmocka_unit_test(test_multipart_header_limit),
        cmocka_unit_test(test_multipart_count_limits),
        cmocka_unit_test(test_multipart_size_limits_name_the_field),
        cmocka_unit_test(test_multipart_large_file_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
