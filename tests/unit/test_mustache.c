/* view/mustache: what the spec files do not cover — strict mode, error
 * messages, the translate hook, limits, thread safety, layouts. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "view/mustache.h"

static const struct mst_options strict_opt = {.strict = true};

static void add(struct mst_set *set, const char *name, const char *src)
{
    struct err e = {0};
    enum result rc = mst_set_add(set, name, src, strlen(src), &e);
    if (rc != OK)
        fail_msg("%s does not compile: %s", name, e.msg);
}

static json_t *json(const char *text)
{
    json_error_t je;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
    if (!v)
        fail_msg("bad test JSON: %s", je.text);
    return v;
}

/* Renders name over the JSON text data; returns the output (caller frees)
 * or NULL with *rc and e filled. */
static char *render(const struct mst_set *set, const char *name, const char *data,
                    enum result *rc, struct err *e)
{
    json_t *ctx = data ? json(data) : NULL;
    struct buf out = BUF_INIT;
    *rc = mst_render(set, name, ctx, &out, e);
    json_decref(ctx);
    if (*rc != OK) {
        assert_int_equal(out.len, 0);
        buf_free(&out);
        return NULL;
    }
    return buf_detach(&out);
}

/* Compiles src alone in a set with opt and checks its output over data. */
static void check(const struct mst_options *opt, const char *src, const char *data,
                  const char *expected)
{
    struct mst_set *set = mst_set_new(opt);
    add(set, "t", src);
    enum result rc;
    struct err e = {0};
    char *got = render(set, "t", data, &rc, &e);
    if (!got)
        fail_msg("render of %s failed: %s", src, e.msg);
    assert_string_equal(got, expected);
    free(got);
    mst_set_free(set);
}

static void test_escapes_all_five_characters(void **state)
{
    (void)state;
    const char *data = "{\"v\": \"a&b<c>d\\\"e'f\"}";
    check(NULL, "{{v}}", data, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    check(NULL, "{{{v}}}|{{&v}}", data, "a&b<c>d\"e'f|a&b<c>d\"e'f");
    /* Values are never re-parsed as templates. */
    check(NULL, "{{v}}", "{\"v\": \"{{v}}\"}", "{{v}}");
    /* Embedded NUL bytes of a string are kept, escaped text and all. */
    struct mst_set *set = mst_set_new(NULL);
    add(set, "t", "[{{v}}]");
    json_t *ctx = json_pack("{s:s%}", "v", "a\0<", (size_t)3);
    struct buf out = BUF_INIT;
    assert_int_equal(mst_render(set, "t", ctx, &out, NULL), OK);
    assert_int_equal(out.len, 8);
    assert_memory_equal(out.data, "[a\0&lt;]", 8);
    buf_free(&out);
    json_decref(ctx);
    mst_set_free(set);
}

static void test_values_print_like_javascript(void **state)
{
    (void)state;
    check(NULL, "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}|{{n}}|",
          "{\"a\": 85, \"b\": 1.21, \"c\": 100.0, \"d\": -3, \"e\": 0.30000000000000004,"
          " \"f\": true, \"g\": false, \"h\": 0.0, \"n\": null}",
          "85 1.21 100 -3 0.30000000000000004 true false 0||");
    /* Objects and lists print nothing outside strict mode. */
    check(NULL, "[{{o}}{{l}}]", "{\"o\": {\"x\": 1}, \"l\": [1]}", "[]");
}

static void test_truthiness_follows_javascript(void **state)
{
    (void)state;
    const char *t = "{{#v}}T{{/v}}{{^v}}F{{/v}}";
    check(NULL, t, "{\"v\": \"\"}", "F");
    check(NULL, t, "{\"v\": 0}", "F");
    check(NULL, t, "{\"v\": 0.0}", "F");
    check(NULL, t, "{\"v\": null}", "F");
    check(NULL, t, "{\"v\": false}", "F");
    check(NULL, t, "{\"v\": []}", "F");
    check(NULL, t, "{}", "F");
    check(NULL, t, "{\"v\": \"0\"}", "T");
    check(NULL, t, "{\"v\": {}}", "T");
    check(NULL, t, "{\"v\": -1}", "T");
    check(NULL, t, "{\"v\": [0]}", "T");
    /* A list renders once per item, each item on top of the stack. */
    check(NULL, "{{#v}}<{{.}}>{{/v}}", "{\"v\": [0, \"\", null]}", "<0><><>");
}

/* "rows.0" names the first item of a list, so a template can wrap a table
 * around a list only when it has rows; digits on an object stay a key. */
static void test_list_items_by_index(void **state)
{
    (void)state;
    const char *src = "{{#rows.0}}[{{#rows}}{{n}}{{/rows}}]{{/rows.0}}{{^rows.0}}none{{/rows.0}}";
    check(&strict_opt, src, "{\"rows\": [{\"n\": 1}, {\"n\": 2}]}", "[12]");
    check(&strict_opt, src, "{\"rows\": []}", "none");
    check(NULL, "{{rows.1.n}}|{{rows.2.n}}|{{obj.0}}", "{\"rows\": [{\"n\": 1}, {\"n\": 2}], \"obj\": {\"0\": \"k\"}}",
          "2||k");
}

/* A set's escape function replaces HTML escaping for {{name}}, not {{{name}}}. */
static void upper_escape(struct buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf_addc(out, s[i] == '<' ? '[' : s[i]);
}

static void test_custom_escape(void **state)
{
    (void)state;
    const struct mst_options opt = {.escape = upper_escape};
    check(&opt, "{{v}}", "{\"v\": \"<b>&\"}", "[b>&");
    /* with an escaper of its own a set refuses the unescaped forms */
    struct mst_set *set = mst_set_new(&opt);
    struct err e = {0};
    assert_int_equal(mst_set_add(set, "t", "{{{v}}}", 7, &e), E_INVALID);
    assert_non_null(strstr(e.msg, "not allowed"));
    assert_int_equal(mst_set_add(set, "u", "a {{&v}}", 8, &e), E_INVALID);
    mst_set_free(set);
}

/* A set's own bounds stop a render that would grow too large. */
static void test_set_bounds(void **state)
{
    (void)state;
    const struct mst_options opt = {.max_output = 100};
    struct mst_set *set = mst_set_new(&opt);
    add(set, "t", "{{#rows}}{{#rows}}{{#rows}}xxxx{{/rows}}{{/rows}}{{/rows}}");
    enum result rc;
    struct err e = {0};
    char *got = render(set, "t", "{\"rows\": [1, 2, 3, 4, 5, 6]}", &rc, &e);
    assert_null(got);
    assert_int_equal(rc, E_TOOBIG);
    mst_set_free(set);
    const struct mst_options steps = {.max_steps = 50};
    set = mst_set_new(&steps);
    add(set, "t", "{{#rows}}{{#rows}}.{{/rows}}{{/rows}}");
    got = render(set, "t", "{\"rows\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}", &rc, &e);
    assert_null(got);
    assert_int_equal(rc, E_TOOBIG);
    mst_set_free(set);
}

static void test_strict_missing_variable_names_template_and_line(void **state)
{
    (void)state;
    struct mst_set *set = mst_set_new(&strict_opt);
    add(set, "page.mustache", "<h1>{{title}}</h1>\n\n<p>{{#rows}}{{ten_sai}}{{/rows}}</p>\n");
    enum result rc;
    struct err e = {0};
    const char *data = "{\"title\": \"T\", \"rows\": [{\"ten\": 1}]}";
    char *got = render(set, "page.mustache", data, &rc, &e);
    assert_null(got);
    assert_int_equal(rc, E_INVALID);
    assert_string_equal(e.msg, "page.mustache:3: 'ten_sai' is not defined");

    /* Sections over missing names are falsey, not errors, even in strict mode. */
    got = render(set, "page.mustache", "{\"title\": \"T\"}", &rc, &e);
    assert_string_equal(got, "<h1>T</h1>\n\n<p></p>\n");
    free(got);

    /* A dotted name that breaks half-way is missing too; null is not. */
    struct mst_set *s2 = mst_set_new(&strict_opt);
    add(s2, "a", "{{x.y.z}}");
    add(s2, "b", "{{x.y}}{{x}}");
    add(s2, "obj", "{{x}}");
    assert_null(render(s2, "a", "{\"x\": {\"y\": 1}}", &rc, &e));
    assert_string_equal(e.msg, "a:1: 'x.y.z' is not defined");
    got = render(s2, "b", "{\"x\": null}", &rc, &e);
    assert_null(got);
    got = render(s2, "b", "{\"x\": {\"y\": null}}", &rc, &e);
    assert_null(got);
    assert_int_equal(rc, E_INVALID); /* {{x}} is an object */
    assert_non_null(strstr(e.msg, "an object"));
    mst_set_free(s2);

    /* Non-strict renders the same template with the gap left empty. */
    struct mst_set *lax = mst_set_new(NULL);
    add(lax, "p", "[{{ten_sai}}]");
    got = render(lax, "p", "{}", &rc, &e);
    assert_string_equal(got, "[]");
    free(got);
    mst_set_free(lax);
    mst_set_free(set);
}

static void test_strict_missing_partial_is_an_error(void **state)
{
    (void)state;
    struct mst_set *set = mst_set_new(&strict_opt);
    add(set, "t", "a\n{{>khong_co}}\n");
    add(set, "d", "{{>*ten}}");
    enum result rc;
    struct err e = {0};
    assert_null(render(set, "t", "{}", &rc, &e));
    assert_string_equal(e.msg, "t:2: template 'khong_co' is not in the set");
    assert_null(render(set, "d", "{}", &rc, &e));
    assert_string_equal(e.msg, "d:1: dynamic name 'ten' is not a string");
    assert_null(render(set, "d", "{\"ten\": \"x\"}", &rc, &e));
    assert_string_equal(e.msg, "d:1: template 'x' (from '*ten') is not in the set");
    mst_set_free(set);

    /* The spec's behaviour outside strict mode: nothing. */
    check(NULL, "[{{>khong_co}}{{>*ten}}]", "{\"ten\": \"x\"}", "[]");
}

static void test_parse_errors_name_template_and_line(void **state)
{
    (void)state;
    static const struct {
        const char *src, *msg;
    } cases[] = {
        {"<table>\n\n\n\n\n\n\n\n\n\n\n  {{#rows}}\n<tr></tr>\n</table>\n",
         "layout.mustache:12: section 'rows' is not closed"},
        {"a\n{{#a}}\n{{/b}}",
         "layout.mustache:3: closing tag 'b' does not match section 'a' opened on line 2"},
        {"{{/a}}", "layout.mustache:1: closing tag 'a' has no opening tag"},
        {"x\ny {{name\n", "layout.mustache:2: tag is not closed"},
        {"{{{name}}", "layout.mustache:1: tag is not closed"},
        {"{{}}", "layout.mustache:1: empty tag name"},
        {"{{ten nguoi}}", "layout.mustache:1: invalid tag name 'ten nguoi'"},
        {"{{a.}}", "layout.mustache:1: invalid dotted name 'a.'"},
        {"{{=<%>=}}", "layout.mustache:1: invalid delimiters '<%>'"},
        {"{{<base}}{{$a}}{{/base}}",
         "layout.mustache:1: closing tag 'base' does not match block 'a' opened on line 1"},
        {"{{<base}}\n", "layout.mustache:1: parent 'base' is not closed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mst_set *set = mst_set_new(NULL);
        struct err e = {0};
        const char *src = cases[i].src;
        enum result rc = mst_set_add(set, "layout.mustache", src, strlen(src), &e);
        assert_int_equal(rc, E_INVALID);
        assert_string_equal(e.msg, cases[i].msg);
        assert_false(mst_set_has(set, "layout.mustache"));
        mst_set_free(set);
    }
}

static int translate_calls;

static const char *translate_en(const char *msgid)
{
    translate_calls++;
    if (strcmp(msgid, "Đơn vị") == 0)
        return "Unit";
    if (strcmp(msgid, "Hai\ndòng") == 0)
        return "Two\nlines";
    return NULL;
}

static void test_translate_hook(void **state)
{
    (void)state;
    const struct mst_options opt = {.translate = translate_en};
    struct mst_set *set = mst_set_new(&opt);
    translate_calls = 0;
    add(set, "t", "<th>{{#_}}Đơn vị{{/_}}</th><td>{{#_}}Chưa dịch{{/_}}</td>");
    assert_int_equal(translate_calls, 2);
    enum result rc;
    struct err e = {0};
    for (int i = 0; i < 3; i++) {
        char *got = render(set, "t", "{\"_\": false}", &rc, &e);
        assert_string_equal(got, "<th>Unit</th><td>Chưa dịch</td>");
        free(got);
    }
    /* Compile time only: rendering never calls the hook. */
    assert_int_equal(translate_calls, 2);

    /* Multi-line text keeps the partial indentation of every line. */
    add(set, "multi", "<p>\n{{#_}}Hai\ndòng{{/_}}\n</p>\n");
    add(set, "wrap", "<div>\n  {{>multi}}\n</div>\n");
    char *got = render(set, "wrap", "{}", &rc, &e);
    assert_string_equal(got, "<div>\n  <p>\n  Two\n  lines\n  </p>\n</div>\n");
    free(got);

    /* Only literal text: a tag inside is a compile error. */
    const char *bad = "a\n{{#_}}Xin chào {{ten}}{{/_}}";
    assert_int_equal(mst_set_add(set, "bad", bad, strlen(bad), &e), E_INVALID);
    assert_string_equal(e.msg, "bad:2: section '_' must hold only text to translate");
    bad = "{{#_}}a{{! ghi chú }}{{/_}}";
    assert_int_equal(mst_set_add(set, "bad", bad, strlen(bad), &e), E_INVALID);
    mst_set_free(set);

    /* Without the hook `_` is an ordinary name. */
    check(NULL, "{{#_}}Đơn vị{{/_}}|{{^_}}không{{/_}}", "{\"_\": true}", "Đơn vị|");
    check(NULL, "{{#_}}x {{y}}{{/_}}", "{\"_\": {\"y\": 1}}", "x 1");
}

static void test_recursion_limit(void **state)
{
    (void)state;
    enum result rc;
    struct err e = {0};
    for (int strict = 0; strict < 2; strict++) {
        const struct mst_options opt = {.strict = strict};
        struct mst_set *set = mst_set_new(&opt);
        add(set, "p", "x{{>p}}");
        add(set, "q", "{{<q}}{{$b}}y{{/b}}{{/q}}");
        add(set, "r", "{{$b}}{{<r}}{{/r}}{{/b}}");
        add(set, "ok", "{{#a}}{{#a}}{{>leaf}}{{/a}}{{/a}}");
        add(set, "leaf", "{{#a}}.{{/a}}");
        assert_null(render(set, "p", "{}", &rc, &e));
        assert_int_equal(rc, E_INVALID);
        assert_string_equal(e.msg, "p:1: templates and sections nested deeper than 64 "
                                   "(a partial including itself?)");
        assert_null(render(set, "q", "{}", &rc, &e));
        assert_int_equal(rc, E_INVALID);
        assert_null(render(set, "r", "{}", &rc, &e));
        assert_int_equal(rc, E_INVALID);
        char *got = render(set, "ok", "{\"a\": [1, 2]}", &rc, &e);
        assert_string_equal(got, "........");
        free(got);
        mst_set_free(set);
    }
    /* One template cannot nest sections deeper than the limit either. */
    struct buf src = BUF_INIT;
    for (int i = 0; i < MST_MAX_DEPTH + 1; i++)
        buf_adds(&src, "{{#a}}");
    for (int i = 0; i < MST_MAX_DEPTH + 1; i++)
        buf_adds(&src, "{{/a}}");
    struct mst_set *set = mst_set_new(NULL);
    assert_int_equal(mst_set_add(set, "deep", src.data, src.len, &e), E_INVALID);
    assert_string_equal(e.msg, "deep:1: sections nested deeper than 64");
    buf_free(&src);
    mst_set_free(set);
}

static void test_limits_and_set_errors(void **state)
{
    (void)state;
    struct mst_set *set = mst_set_new(NULL);
    struct err e = {0};
    size_t big = MST_MAX_SOURCE + 1;
    char *src = malloc(big);
    memset(src, 'x', big);
    assert_int_equal(mst_set_add(set, "big", src, big, &e), E_TOOBIG);
    assert_int_equal(mst_set_add(set, "max", src, big - 1, &e), OK);
    free(src);
    add(set, "t", "a");
    assert_int_equal(mst_set_add(set, "t", "b", 1, &e), E_CONFLICT);
    assert_true(mst_set_has(set, "t"));
    assert_false(mst_set_has(set, "u"));

    /* Unknown template: E_NOTFOUND; a failed render leaves out as it was. */
    struct buf out = BUF_INIT;
    buf_adds(&out, "giữ");
    assert_int_equal(mst_render(set, "u", NULL, &out, &e), E_NOTFOUND);
    add(set, "loop", "abc{{>loop}}");
    assert_int_equal(mst_render(set, "loop", NULL, &out, &e), E_INVALID);
    assert_string_equal(buf_cstr(&out), "giữ");
    buf_free(&out);

    /* Runaway loops stop: 16^7 iterations over a 16-item list. */
    add(set, "runaway", "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
                        "{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}");
    json_t *ctx = json("{\"a\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}");
    assert_int_equal(mst_render(set, "runaway", ctx, &out, &e), E_TOOBIG);
    assert_int_equal(out.len, 0);
    json_decref(ctx);
    buf_free(&out);
    mst_set_free(set);
}

static void test_partial_indentation_nests(void **state)
{
    (void)state;
    struct mst_set *set = mst_set_new(NULL);
    add(set, "page", "<body>\n  {{>list}}\n</body>\n");
    add(set, "list", "<ul>\n{{#items}}\n  {{>item}}\n{{/items}}\n</ul>\n");
    add(set, "item", "<li>\n  {{{.}}}\n</li>\n");
    enum result rc;
    struct err e = {0};
    char *got = render(set, "page", "{\"items\": [\"a\", \"b\\nc\"]}", &rc, &e);
    /* Template lines are indented; the data's own newline is not. */
    assert_string_equal(got, "<body>\n  <ul>\n    <li>\n      a\n    </li>\n    <li>\n      b\nc\n"
                             "    </li>\n  </ul>\n</body>\n");
    free(got);
    mst_set_free(set);
}

static const char *layout_src =
    "<!doctype html>\n"
    "<html lang=\"vi\">\n"
    "<head><title>{{$title}}Thi đua khen thưởng{{/title}}</title></head>\n"
    "<body>\n"
    "  <main>\n"
    "    {{$content}}{{/content}}\n"
    "  </main>\n"
    "  {{$footer}}\n"
    "  <footer>{{org}}</footer>\n"
    "  {{/footer}}\n"
    "</body>\n"
    "</html>\n";

static const char *page_src =
    "{{<layout}}\n"
    "  {{$title}}Danh sách {{org}}{{/title}}\n"
    "  {{$content}}\n"
    "    <h1>{{org}}</h1>\n"
    "    <ul>\n"
    "    {{#units}}\n"
    "      <li>{{name}}</li>\n"
    "    {{/units}}\n"
    "    </ul>\n"
    "  {{/content}}\n"
    "{{/layout}}\n";

static const char *page_data =
    "{\"org\": \"Sở <GD>\", \"units\": [{\"name\": \"Phòng A\"}, {\"name\": \"Phòng B\"}]}";

static const char *page_expected =
    "<!doctype html>\n"
    "<html lang=\"vi\">\n"
    "<head><title>Danh sách Sở &lt;GD&gt;</title></head>\n"
    "<body>\n"
    "  <main>\n"
    "    <h1>Sở &lt;GD&gt;</h1>\n"
    "    <ul>\n"
    "      <li>Phòng A</li>\n"
    "      <li>Phòng B</li>\n"
    "    </ul>\n"
    "  </main>\n"
    "  <footer>Sở &lt;GD&gt;</footer>\n"
    "</body>\n"
    "</html>\n";

static struct mst_set *layout_set(void)
{
    struct mst_set *set = mst_set_new(&strict_opt);
    add(set, "page", page_src);
    add(set, "layout", layout_src);
    add(set, "bare", "{{<layout}}{{/layout}}");
    return set;
}

static void test_inheritance_as_page_layout(void **state)
{
    (void)state;
    struct mst_set *set = layout_set();
    enum result rc;
    struct err e = {0};
    char *got = render(set, "page", page_data, &rc, &e);
    if (!got)
        fail_msg("%s", e.msg);
    assert_string_equal(got, page_expected);
    free(got);

    /* A page that overrides nothing gets the layout's defaults. */
    got = render(set, "bare", "{\"org\": \"X\"}", &rc, &e);
    assert_string_equal(got, "<!doctype html>\n<html lang=\"vi\">\n"
                             "<head><title>Thi đua khen thưởng</title></head>\n"
                             "<body>\n  <main>\n"
                             "  </main>\n  <footer>X</footer>\n</body>\n</html>\n");
    free(got);
    mst_set_free(set);
}

struct worker {
    const struct mst_set *set;
    json_t *ctx;
    int failures;
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    struct buf out = BUF_INIT;
    for (int i = 0; i < 300; i++) {
        struct err e;
        buf_reset(&out);
        if (mst_render(w->set, "page", w->ctx, &out, &e) != OK ||
            strcmp(buf_cstr(&out), page_expected) != 0)
            w->failures++;
    }
    buf_free(&out);
    return NULL;
}

static void test_threads_share_one_set(void **state)
{
    (void)state;
    struct mst_set *set = layout_set();
    json_t *ctx = json(page_data);
    struct worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){set, ctx, 0};
        assert_int_equal(pthread_create(&th[i], NULL, worker_run, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(w[i].failures, 0);
    }
    json_decref(ctx);
    mst_set_free(set);
}

static void test_context_edge_cases(void **state)
{
    (void)state;
    /* No context at all: names are missing, text renders. */
    check(NULL, "a{{x}}{{#x}}b{{/x}}{{^x}}c{{/x}}{{.}}", NULL, "ac");
    /* A scalar root and the implicit iterator. */
    check(NULL, "{{.}}|{{#.}}{{.}}{{/.}}", "\"v\"", "v|v");
    /* Dotted names see only the first part through the stack. */
    check(NULL, "{{#a}}{{b.c}}{{/a}}", "{\"a\": {\"b\": {}}, \"b\": {\"c\": \"sai\"}}", "");
    /* Dynamic partial names resolve through the stack. */
    struct mst_set *set = mst_set_new(NULL);
    add(set, "t", "{{#items}}{{>*kind}};{{/items}}");
    add(set, "text", "T:{{v}}");
    add(set, "img", "<img src=\"{{v}}\">");
    enum result rc;
    struct err e = {0};
    char *got = render(set, "t", "{\"items\": [{\"kind\": \"text\", \"v\": \"a\"}, "
                                 "{\"kind\": \"img\", \"v\": \"b.png\"}, {\"kind\": 3}]}", &rc, &e);
    assert_string_equal(got, "T:a;<img src=\"b.png\">;;");
    free(got);
    mst_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_all_five_characters),
        cmocka_unit_test(test_values_print_like_javascript),
        cmocka_unit_test(test_truthiness_follows_javascript),
        cmocka_unit_test(test_list_items_by_index),
        cmocka_unit_test(test_custom_escape),
        cmocka_unit_test(test_set_bounds),
        cmocka_unit_test(test_strict_missing_variable_names_template_and_line),
        cmocka_unit_test(test_strict_missing_partial_is_an_error),
        cmocka_unit_test(test_parse_errors_name_template_and_line),
        cmocka_unit_test(test_translate_hook),
        cmocka_unit_test(test_recursion_limit),
        cmocka_unit_test(test_limits_and_set_errors),
        cmocka_unit_test(test_partial_indentation_nests),
        cmocka_unit_test(test_inheritance_as_page_layout),
        cmocka_unit_test(test_threads_share_one_set),
        cmocka_unit_test(test_context_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
