#include "features/listing.h"

#include <inttypes.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/url.h"

const char *listing_url(struct request *req, const char *base, json_t *params)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, base);
    bool first = strchr(base, '?') == NULL;
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v) {
        char num[32];
        const char *text = NULL;
        if (json_is_string(v))
            text = json_string_value(v);
        else if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            text = num;
        }
        if (!text || !*text)
            continue;
        buf_addc(&b, first ? '?' : '&');
        first = false;
        url_encode(&b, key, true);
        buf_addc(&b, '=');
        url_encode(&b, text, true);
    }
    const char *out = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static const char *url_with(struct request *req, const char *base, json_t *query, const char *k,
                            json_t *v)
{
    json_t *q = json_deep_copy(query);
    json_object_set_new(q, k, v);
    const char *url = listing_url(req, base, q);
    json_decref(q);
    return url;
}

void listing_page_model(struct request *req, json_t *model, const char *base, json_t *query,
                        int64_t total, int64_t page, int64_t per_page,
                        const char *const *sort_keys, const char *current_sort)
{
    int64_t pages = per_page > 0 ? (total + per_page - 1) / per_page : 1;
    if (pages < 1)
        pages = 1;
    json_t *p = json_object();
    json_object_set_new(p, "number", json_integer(page));
    json_object_set_new(p, "pages", json_integer(pages));
    json_object_set_new(p, "per_page", json_integer(per_page));
    json_object_set_new(p, "total", json_integer(total));
    int64_t first = total ? (page - 1) * per_page + 1 : 0;
    int64_t last = page * per_page < total ? page * per_page : total;
    json_object_set_new(p, "first", json_integer(first));
    json_object_set_new(p, "last", json_integer(last > first ? last : first));
    if (page > 1)
        json_object_set_new(p, "prev_url",
                            json_string(url_with(req, base, query, "page", json_integer(page - 1))));
    if (page < pages)
        json_object_set_new(p, "next_url",
                            json_string(url_with(req, base, query, "page", json_integer(page + 1))));
    json_t *links = json_array();
    int64_t from = page - 3 > 1 ? page - 3 : 1;
    int64_t to = from + 6 < pages ? from + 6 : pages;
    for (int64_t n = from; n <= to; n++)
        json_array_append_new(
            links, json_pack("{s:I,s:s,s:b}", "number", (json_int_t)n, "url",
                             url_with(req, base, query, "page", json_integer(n)), "current",
                             n == page));
    json_object_set_new(p, "links", links);
    json_object_set_new(p, "several", json_boolean(pages > 1));
    json_object_set_new(model, "page", p);

    json_t *sorts = json_object();
    for (const char *const *k = sort_keys; k && *k; k++) {
        bool active_asc = current_sort && strcmp(current_sort, *k) == 0;
        bool active_desc = current_sort && current_sort[0] == '-' && strcmp(current_sort + 1, *k) == 0;
        const char *next = active_asc ? arena_printf(req->arena, "-%s", *k) : *k;
        json_t *q = json_deep_copy(query);
        json_object_del(q, "page");
        json_object_set_new(q, "sort", json_string(next));
        json_object_set_new(sorts, *k,
                            json_pack("{s:s,s:b,s:b,s:s}", "url", listing_url(req, base, q), "asc",
                                      active_asc, "desc", active_desc, "aria",
                                      active_asc    ? "ascending"
                                      : active_desc ? "descending"
                                                    : "none"));
        json_decref(q);
    }
    json_object_set_new(model, "sort_links", sorts);
}

enum result listing_fail_on_errors(struct request *req)
{
    const char *field;
    json_t *msg;
    json_object_foreach(req->field_errors, field, msg) {
        return req_fail(req, E_INVALID, field, "%s", json_string_value(msg));
    }
    return OK;
}

json_t *listing_query(struct request *req, const char *const *text_keys,
                      const char *const *int_keys)
{
    json_t *q = json_object();
    for (const char *const *k = text_keys; *k; k++) {
        const char *v = req_text(req, *k);
        json_object_set_new(q, *k, v ? json_string(v) : json_null());
    }
    for (const char *const *k = int_keys; *k; k++) {
        int64_t v = req_int(req, *k, 0);
        json_object_set_new(q, *k, v ? json_integer(v) : json_null());
    }
    return q;
}

json_t *listing_choices(const char *selected, const char *const *values, const char *const *names)
{
    json_t *out = json_array();
    for (int i = 0; values[i]; i++)
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "value", values[i], "name",
                                             _(names[i]), "selected",
                                             selected && strcmp(selected, values[i]) == 0));
    return out;
}

json_t *listing_choices_json(json_t *items, const char *selected)
{
    json_t *out = json_array();
    size_t i;
    json_t *k;
    json_array_foreach(items, i, k) {
        const char *code = json_string_value(json_object_get(k, "code"));
        json_array_append_new(out, json_pack("{s:s,s:O,s:b}", "value", code, "name",
                                             json_object_get(k, "name"), "selected",
                                             selected && strcmp(selected, code) == 0));
    }
    return out;
}
