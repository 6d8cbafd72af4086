#include "http/router.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

/* ids travel through JSON numbers: keep them exact in a double */
static const int64_t MAX_SAFE_INT = 9007199254740991LL;

/* Matches one path segment against one pattern segment; stores a typed value. */
static bool match_segment(const char *pat, size_t plen, const char *seg, size_t slen,
                          struct request *req)
{
    if (plen >= 2 && pat[0] == '{' && pat[plen - 1] == '}') {
        const char *colon = memchr(pat, ':', plen);
        if (!colon || slen == 0 || req->npath >= 4)
            return false;
        size_t name_len = (size_t)(colon - pat - 1);
        const char *type = colon + 1;
        size_t type_len = (size_t)(pat + plen - 1 - type);
        int i = req->npath;
        if (type_len == 3 && memcmp(type, "int", 3) == 0) {
            if (slen > 16 || seg[0] == '0')
                return false;
            int64_t v = 0;
            for (size_t k = 0; k < slen; k++) {
                if (seg[k] < '0' || seg[k] > '9')
                    return false;
                v = v * 10 + (seg[k] - '0');
            }
            if (v > MAX_SAFE_INT)
                return false;
            req->path_ints[i] = v;
            req->path_texts[i] = NULL;
        } else {
            req->path_ints[i] = 0;
            req->path_texts[i] = arena_strndup(req->arena, seg, slen);
        }
        req->path_names[i] = arena_strndup(req->arena, pat + 1, name_len);
        req->npath++;
        return true;
    }
    return plen == slen && memcmp(pat, seg, slen) == 0;
}

static bool match_path(const char *pattern, const char *path, struct request *req)
{
    req->npath = 0;
    const char *p = pattern, *s = path;
    for (;;) {
        if (*p != '/' || *s != '/')
            return *p == '\0' && *s == '\0';
        p++, s++;
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t plen = pe ? (size_t)(pe - p) : strlen(p);
        size_t slen = se ? (size_t)(se - s) : strlen(s);
        if (!match_segment(p, plen, s, slen, req))
            return false;
        p += plen, s += slen;
    }
}

const struct route *router_match(const struct route *routes, size_t n, enum http_method method,
                                 const char *path, struct request *req, bool *wrong_method)
{
    *wrong_method = false;
    unsigned want = method == HTTP_HEAD ? HTTP_GET : (unsigned)method;
    for (size_t i = 0; i < n; i++) {
        if (!match_path(routes[i].pattern, path, req))
            continue;
        if (routes[i].methods & want)
            return &routes[i];
        *wrong_method = true;
    }
    req->npath = 0;
    return NULL;
}

bool router_parse_date(const char *s, char out[11])
{
    return date_parse(s, out);
}

static const struct param_spec *find_spec(const struct route *r, const char *name, size_t *index)
{
    if (!r->params)
        return NULL;
    for (size_t i = 0; r->params[i].name; i++) {
        if (strcmp(r->params[i].name, name) == 0) {
            *index = i;
            return &r->params[i];
        }
    }
    return NULL;
}

static const char *label_of(const struct param_spec *spec)
{
    return spec->label ? _(spec->label) : spec->name;
}

/* Converts a checked text into the declared type, recording people-facing
 * errors in req->field_errors. */
static void convert_value(struct request *req, const struct param_spec *spec,
                          struct param_value *v)
{
    const char *label = label_of(spec);
    switch (spec->type) {
    case P_INT: {
        errno = 0;
        char *end;
        long long n = strtoll(v->text, &end, 10);
        if (end == v->text || *end || errno == ERANGE) {
            req_field_error(req, spec->name, _("%s phải là một số nguyên."), label);
            return;
        }
        if ((spec->min || spec->max) && (n < spec->min || n > spec->max)) {
            req_field_error(req, spec->name, _("%s phải nằm trong khoảng %lld đến %lld."), label,
                            (long long)spec->min, (long long)spec->max);
            return;
        }
        v->num = n;
        break;
    }
    case P_ENUM: {
        bool ok = false;
        for (const char *const *c = spec->choices; c && *c; c++)
            ok = ok || strcmp(*c, v->text) == 0;
        if (!ok)
            req_field_error(req, spec->name, _("%s có giá trị không hợp lệ."), label);
        break;
    }
    case P_DATE: {
        char iso[11];
        if (!router_parse_date(v->text, iso))
            req_field_error(req, spec->name,
                            _("%s phải là một ngày có thật, dạng ngày/tháng/năm (ví dụ 05/01/2026)."),
                            label);
        else
            v->text = arena_strdup(req->arena, iso);
        break;
    }
    default: break;
    }
}

enum result router_bind_params(struct request *req, const struct form_field *fields,
                               struct err *e)
{
    const struct route *r = req->route;
    size_t n = 0;
    if (r->params)
        while (r->params[n].name)
            n++;
    req->nvalues = n;
    req->values = arena_alloc(req->arena, (n ? n : 1) * sizeof *req->values);
    for (size_t i = 0; i < n; i++)
        req->values[i].name = r->params[i].name;

    for (const struct form_field *f = fields; f; f = f->next) {
        size_t index;
        if (r->csrf && strcmp(f->name, "_csrf") == 0)
            continue; /* checked by the server before binding */
        const struct param_spec *spec = find_spec(r, f->name, &index);
        if (!spec) {
            /* the name may itself be garbage: show only a checked, short form */
            bool printable = text_utf8_valid(f->name, strlen(f->name)) && strlen(f->name) <= 64;
            return err_set(e, E_INVALID, printable ? f->name : "",
                           _("Tham số \"%s\" không được chấp nhận ở địa chỉ này."),
                           printable ? f->name : "?");
        }
        struct param_value *v = &req->values[index];
        if (v->seen)
            return err_set(e, E_INVALID, spec->name, _("Tham số \"%s\" bị lặp lại."), spec->name);
        v->seen = true;
        v->present = true;
        if (spec->type == P_FILE) {
            if (!f->filename)
                return err_set(e, E_INVALID, spec->name, _("%s phải là một tệp gửi lên."),
                               label_of(spec));
            char *fname = NULL;
            if (text_clean(f->filename, strlen(f->filename), TEXT_TRIM, spec->name, &fname, e) !=
                OK)
                return E_INVALID;
            v->text = arena_strdup(req->arena, fname);
            free(fname);
            v->data = f->value;
            v->len = f->value_len;
            v->content_type = f->content_type;
            if (v->len == 0 && spec->required)
                req_field_error(req, spec->name, _("Hãy chọn tệp cho mục %s."), label_of(spec));
            continue;
        }
        if (f->filename)
            return err_set(e, E_INVALID, spec->name, _("%s không nhận tệp gửi lên."),
                           label_of(spec));
        char *clean = NULL;
        int flags = TEXT_TRIM | (spec->type == P_LONGTEXT ? TEXT_MULTILINE : 0);
        if (text_clean(f->value, f->value_len, flags, spec->name, &clean, e) != OK)
            return E_INVALID;
        int64_t max_len = spec->max && (spec->type == P_TEXT || spec->type == P_LONGTEXT)
                              ? spec->max
                          : spec->type == P_LONGTEXT ? 10000
                                                     : 200;
        size_t len = text_length(clean);
        if ((int64_t)len > max_len) {
            free(clean);
            return err_set(e, E_INVALID, spec->name,
                           _("%s dài quá giới hạn %lld ký tự."), label_of(spec),
                           (long long)max_len);
        }
        v->text = arena_strdup(req->arena, clean);
        free(clean);
        if (!v->text[0]) {
            v->present = false;
            continue;
        }
        if ((spec->type == P_TEXT || spec->type == P_LONGTEXT) && spec->min &&
            (int64_t)len < spec->min)
            req_field_error(req, spec->name, _("%s cần ít nhất %lld ký tự."), label_of(spec),
                            (long long)spec->min);
        convert_value(req, spec, v);
    }
    for (size_t i = 0; i < n; i++) {
        const struct param_spec *spec = &r->params[i];
        if (spec->required && !req->values[i].present &&
            !json_object_get(req->field_errors, spec->name))
            req_field_error(req, spec->name, _("Hãy nhập %s."), label_of(spec));
    }
    return OK;
}
