/* Helpers handlers call on a request: typed parameters, errors, redirects. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "lib/buf.h"
#include "lib/i18n.h"

const struct param_value *req_value(struct request *req, const char *name)
{
    for (size_t i = 0; i < req->nvalues; i++)
        if (strcmp(req->values[i].name, name) == 0)
            return req->values[i].present ? &req->values[i] : NULL;
    /* A handler asking for an undeclared parameter is a bug in the route table. */
    fprintf(stderr, "tdkt: route %s reads undeclared parameter %s\n",
            req->route ? req->route->pattern : "?", name);
    return NULL;
}

const char *req_text(struct request *req, const char *name)
{
    const struct param_value *v = req_value(req, name);
    return v && v->text && v->text[0] ? v->text : NULL;
}

int64_t req_int(struct request *req, const char *name, int64_t dflt)
{
    const struct param_value *v = req_value(req, name);
    if (!v || json_object_get(req->field_errors, name))
        return dflt;
    return v->num;
}

int64_t req_path_int(struct request *req, const char *name)
{
    for (int i = 0; i < req->npath; i++)
        if (strcmp(req->path_names[i], name) == 0)
            return req->path_ints[i];
    return 0;
}

void req_field_error(struct request *req, const char *field, const char *fmt, ...)
{
    if (json_object_get(req->field_errors, field))
        return; /* the first problem of a field is the one to show */
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_trim_partial(msg);
    json_t *m = json_string(msg);
    /* a message that is not UTF-8 (a bug) must still count as an error */
    json_object_set_new(req->field_errors, field, m ? m : json_string("?"));
}

bool req_has_errors(const struct request *req)
{
    return json_object_size(req->field_errors) > 0;
}

enum result req_fail(struct request *req, enum result code, const char *field, const char *fmt, ...)
{
    req->err.code = code;
    snprintf(req->err.field, sizeof req->err.field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(req->err.msg, sizeof req->err.msg, fmt, ap);
    va_end(ap);
    utf8_trim_partial(req->err.msg);
    return code;
}

enum result req_reject(struct request *req, const char *field, const char *fmt, ...)
{
    req->err.code = E_INVALID;
    snprintf(req->err.field, sizeof req->err.field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(req->err.msg, sizeof req->err.msg, fmt, ap);
    va_end(ap);
    utf8_trim_partial(req->err.msg);
    req->status = 422;
    return E_INVALID;
}

enum result req_redirect(struct request *req, const char *path, const char *flash)
{
    req->redirect = arena_strdup(req->arena, path);
    req->flash = flash ? arena_strdup(req->arena, flash) : NULL;
    return OK;
}

enum result req_download(struct request *req, char *data, size_t len, const char *content_type,
                         const char *filename)
{
    req->download_data = data;
    req->download_len = len;
    req->download_type = content_type;
    req->download_name = arena_strdup(req->arena, filename);
    return OK;
}

void req_set_cookie(struct request *req, const char *name, const char *value, long max_age)
{
    if (req->nset_cookies >= (int)(sizeof req->set_cookies / sizeof req->set_cookies[0]))
        return;
    char age[40] = "";
    if (max_age >= 0)
        snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
    req->set_cookies[req->nset_cookies++] =
        arena_printf(req->arena, "%s=%s; Path=/%s; HttpOnly; SameSite=Lax%s", name, value, age,
                     req->secure ? "; Secure" : "");
}
