/* Fuzz target for view/mustache: the input is compiled as a template "t" and
 * as a partial "p" beside a fixed parent "base", then "t" is rendered over a
 * small fixed context. Compile errors are expected; crashes, sanitizer
 * reports, leaks and hangs are not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "view/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *translate(const char *msgid)
{
    return msgid[0] == 'x' ? "dịch\nhai dòng" : NULL;
}

static const char context_json[] =
    "{\"a\": true, \"b\": false, \"s\": \"<&\\\"'>\", \"n\": 0, \"r\": 1.5, \"z\": null,"
    " \"e\": \"\", \"l\": [1, \"x\", {\"a\": [2, 3]}],"
    " \"o\": {\"a\": {\"b\": \"c\"}, \"p\": \"p\"},"
    " \"d\": \"p\", \"dd\": \"base\", \"_\": \"u\"}";

static const char base_src[] = "<{{$a}}A{{/a}}|\n  {{$b}}\n  B {{s}}\n  {{/b}}\n{{>p}}>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    const struct mst_options opt = {.strict = size % 2 == 1, .translate = translate};
    struct mst_set *set = mst_set_new(&opt);
    struct err e;
    mst_set_add(set, "base", base_src, strlen(base_src), &e);
    if (mst_set_add(set, "t", src, size, &e) == OK && mst_set_add(set, "p", src, size, &e) == OK) {
        json_t *ctx = json_loads(context_json, 0, NULL);
        struct buf out = BUF_INIT;
        mst_render(set, "t", ctx, &out, &e);
        mst_render(set, "base", ctx, &out, &e);
        buf_free(&out);
        json_decref(ctx);
    }
    mst_set_free(set);
    return 0;
}
