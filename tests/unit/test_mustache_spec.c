/* view/mustache: the official Mustache spec, read at run time from
 * shared/conformance/mustache/ (all the .json files , every test). Lambdas are
 * not supported, so a ~lambdas file would be skipped; anything else that is
 * there must pass. */
#include <dirent.h>
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

#define SPEC_DIR TDKT_SHARED_DIR "/conformance/mustache"

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json file names of the spec directory, sorted; NULL-terminated. */
static char **spec_files(size_t *count)
{
    DIR *d = opendir(SPEC_DIR);
    *count = 0;
    if (!d)
        return NULL;
    char **v = NULL;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0 || de->d_name[0] == '.')
            continue;
        v = realloc(v, (*count + 2) * sizeof *v);
        assert_non_null(v);
        v[(*count)++] = strdup(de->d_name);
        v[*count] = NULL;
    }
    closedir(d);
    if (v)
        qsort(v, *count, sizeof *v, cmp_names);
    return v;
}

/* Runs one spec test; prints the difference and returns false on failure. */
static bool run_one(const char *file, json_t *test)
{
    const char *name = json_string_value(json_object_get(test, "name"));
    const char *tpl = json_string_value(json_object_get(test, "template"));
    const char *expected = json_string_value(json_object_get(test, "expected"));
    json_t *data = json_object_get(test, "data");
    json_t *partials = json_object_get(test, "partials");
    if (!name || !tpl || !expected) {
        printf("FAIL %s: malformed test %s\n", file, name ? name : "(no name)");
        return false;
    }

    struct mst_set *set = mst_set_new(NULL);
    struct err e = {0};
    bool ok = true;
    const char *pname;
    json_t *psrc;
    json_object_foreach(partials, pname, psrc) {
        if (mst_set_add(set, pname, json_string_value(psrc), json_string_length(psrc), &e) != OK) {
            printf("FAIL %s: %s: partial %s does not compile: %s\n", file, name, pname, e.msg);
            ok = false;
        }
    }
    /* A name no spec partial can have. */
    const char *main_name = "<spec template>";
    struct buf out = BUF_INIT;
    if (ok && mst_set_add(set, main_name, tpl, strlen(tpl), &e) != OK) {
        printf("FAIL %s: %s: template does not compile: %s\n", file, name, e.msg);
        ok = false;
    }
    if (ok && mst_render(set, main_name, data, &out, &e) != OK) {
        printf("FAIL %s: %s: render error: %s\n", file, name, e.msg);
        ok = false;
    }
    if (ok && strcmp(buf_cstr(&out), expected) != 0) {
        char *t = json_dumps(json_string(tpl), JSON_ENCODE_ANY);
        json_t *xs = json_string(expected), *gs = json_stringn(out.data, out.len);
        char *x = json_dumps(xs, JSON_ENCODE_ANY), *g = json_dumps(gs, JSON_ENCODE_ANY);
        printf("FAIL %s: %s\n  template: %s\n  expected: %s\n  got:      %s\n", file, name,
               t ? t : "?", x ? x : "?", g ? g : "?");
        free(t);
        free(x);
        free(g);
        json_decref(xs);
        json_decref(gs);
        ok = false;
    }
    buf_free(&out);
    mst_set_free(set);
    return ok;
}

static void test_spec_conformance(void **state)
{
    (void)state;
    size_t nfiles;
    char **files = spec_files(&nfiles);
    if (nfiles == 0) {
        printf("no spec file found in %s\n", SPEC_DIR);
        fail();
    }
    int passed = 0, failed = 0;
    for (size_t f = 0; f < nfiles; f++) {
        if (strstr(files[f], "lambdas")) {
            printf("%s: skipped (lambdas are not supported)\n", files[f]);
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", SPEC_DIR, files[f]);
        json_error_t jerr;
        json_t *doc = json_load_file(path, 0, &jerr);
        if (!doc) {
            printf("FAIL %s: cannot read: %s (line %d)\n", files[f], jerr.text, jerr.line);
            failed++;
            continue;
        }
        json_t *tests = json_object_get(doc, "tests");
        int fp = 0, ff = 0;
        size_t i;
        json_t *test;
        json_array_foreach(tests, i, test) {
            if (run_one(files[f], test))
                fp++;
            else
                ff++;
        }
        if (fp + ff == 0) {
            printf("FAIL %s: no tests in file\n", files[f]);
            ff++;
        }
        printf("%s: %d passed, %d failed\n", files[f], fp, ff);
        passed += fp;
        failed += ff;
        json_decref(doc);
    }
    for (size_t f = 0; f < nfiles; f++)
        free(files[f]);
    free(files);
    printf("%d passed, %d failed\n", passed, failed);
    assert_int_equal(failed, 0);
    assert_true(passed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_conformance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
