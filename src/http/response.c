/* Building responses: pages, JSON, errors, downloads, static files, and the
 * headers every response carries. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/server_int.h"
#include "lib/assets.h"
#include "lib/i18n.h"
#include "lib/url.h"
#include "lib/xalloc.h"
#include "text/text.h"
#include "view/mustache.h"

/* No inline script or style anywhere: the CSP says so and the templates obey. */
static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; font-src 'self'; object-src 'none'; "
                          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static void security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

static void set_cookies(struct req_state *st, struct MHD_Response *r)
{
    if (st->csrf_new) {
        char *c = arena_printf(st->req.arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
                               csrf_cookie_name(&st->req), st->csrf_token,
                               st->req.secure ? "; Secure" : "");
        MHD_add_response_header(r, "Set-Cookie", c);
    }
    for (int i = 0; i < st->req.nset_cookies; i++)
        MHD_add_response_header(r, "Set-Cookie", st->req.set_cookies[i]);
}

static enum MHD_Result send_response(struct req_state *st, unsigned status, char *body, size_t len,
                            const char *ctype, void (*setup)(struct req_state *, struct MHD_Response *))
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback(len, body, free);
    security_headers(r);
    if (ctype)
        MHD_add_response_header(r, "Content-Type", ctype);
    set_cookies(st, r);
    if (setup)
        setup(st, r);
    st->status_sent = status;
    st->bytes_sent = len;
    if (st->in_worker) {
        /* only the connection's own MHD thread may queue, after the resume */
        st->pending = r;
        st->pending_status = status;
        return MHD_YES;
    }
    enum MHD_Result ret = MHD_queue_response(st->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static void no_store(struct req_state *st, struct MHD_Response *r)
{
    (void)st;
    MHD_add_response_header(r, "Cache-Control", "no-store");
}

static const char *status_title(int status)
{
    switch (status) {
    case 400: return _("Yêu cầu không hợp lệ");
    case 401: return _("Cần đăng nhập");
    case 403: return _("Không có quyền truy cập");
    case 404: return _("Không tìm thấy");
    case 405: return _("Phương thức không được phép");
    case 409: return _("Dữ liệu đã thay đổi hoặc bị trùng");
    case 413: return _("Dữ liệu gửi lên quá lớn");
    case 415: return _("Kiểu dữ liệu không được hỗ trợ");
    case 422: return _("Dữ liệu chưa hợp lệ");
    case 429: return _("Thử lại sau");
    case 503: return _("Tạm thời không phục vụ được");
    default: return _("Lỗi máy chủ");
    }
}

/* The layout's shared part of every page model. */
static json_t *app_model(struct req_state *st)
{
    struct request *req = &st->req;
    json_t *app = json_object();
    json_object_set_new(app, "province", json_string(st->server->cfg->province));
    json_object_set_new(app, "csrf", json_string(st->csrf_token ? st->csrf_token : ""));
    json_object_set_new(app, "request_id", json_string(req->request_id));
    json_object_set_new(app, "path", json_string(req->path ? req->path : "/"));
    json_object_set_new(app, "version", json_string(TDKT_VERSION));
    const char *flash = MHD_lookup_connection_value(st->conn, MHD_COOKIE_KIND, "tdkt_flash");
    if (flash && *flash) {
        char *decoded = arena_strdup(req->arena, flash);
        size_t n = MHD_http_unescape(decoded);
        decoded[n] = '\0';
        if (text_utf8_valid(decoded, n))
            json_object_set_new(app, "flash", json_string(decoded));
    }
    if (req->user) {
        const struct request_user *u = req->user;
        json_t *ju = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b}", "login", u->login,
                               "display_name", u->display_name, "role", u->role_name,
                               "role_label", u->role_label, "is_admin",
                               u->role == ROLE_ADMIN, "is_office",
                               (u->role & (ROLE_ADMIN | ROLE_OFFICE)) != 0, "is_unit",
                               u->role == ROLE_UNIT, "can_edit_persons",
                               (u->role & (ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT)) != 0);
        if (u->unit_name)
            json_object_set_new(ju, "unit_name", json_string(u->unit_name));
        json_object_set_new(app, "user", ju);
    }
    /* the navigation marks the area the page belongs to */
    const char *areas[] = {"units",  "persons", "documents", "users",     "audit",
                           "account", "groups", "movements", "conferences", "pledges",
                           "news",   NULL};
    for (int i = 0; areas[i]; i++) {
        size_t n = strlen(areas[i]);
        if (req->path && req->path[0] == '/' && strncmp(req->path + 1, areas[i], n) == 0 &&
            (req->path[n + 1] == '\0' || req->path[n + 1] == '/'))
            json_object_set_new(app, arena_printf(req->arena, "area_%s", areas[i]), json_true());
    }
    return app;
}

static void clear_flash(struct req_state *st, struct MHD_Response *r)
{
    (void)st;
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (MHD_lookup_connection_value(st->conn, MHD_COOKIE_KIND, "tdkt_flash"))
        MHD_add_response_header(r, "Set-Cookie",
                                st->req.secure
                                    ? "tdkt_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure"
                                    : "tdkt_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

static enum MHD_Result render_page(struct req_state *st, unsigned status, const char *tmpl,
                                   json_t *model)
{
    json_object_set_new(model, "app", app_model(st));
    if (json_object_size(st->req.field_errors))
        json_object_set(model, "errors", st->req.field_errors);
    struct buf out = BUF_INIT;
    struct err e = {0};
    if (mst_render(st->server->templates, tmpl, model, &out, &e) != OK) {
        buf_free(&out);
        fprintf(stderr, "time=- level=error req=%s msg=\"template %s: %s\"\n",
                st->req.request_id, tmpl, e.msg);
        if (strcmp(tmpl, "error") == 0) {
            char *plain = xstrdup(_("Lỗi máy chủ khi hiển thị trang."));
            return send_response(st, 500, plain, strlen(plain), "text/plain; charset=utf-8", no_store);
        }
        return respond_error(st, 500, NULL, _("Lỗi máy chủ khi hiển thị trang."));
    }
    size_t len = out.len;
    return send_response(st, status, buf_detach(&out), len, "text/html; charset=utf-8", clear_flash);
}

static enum MHD_Result send_json(struct req_state *st, unsigned status, json_t *value)
{
    char *body = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!body)
        body = xstrdup("{}");
    return send_response(st, status, body, strlen(body), "application/json; charset=utf-8", no_store);
}

enum MHD_Result respond_error(struct req_state *st, int status, const char *field, const char *msg)
{
    struct request *req = &st->req;
    if (status == 500 || status == 503)
        fprintf(stderr, "time=- level=error req=%s msg=\"%s\"\n", req->request_id, msg);
    json_t *m = json_object();
    arena_defer(req->arena, (void (*)(void *))json_decref, m);
    json_object_set_new(m, "status", json_integer(status));
    json_object_set_new(m, "title", json_string(status_title(status)));
    json_object_set_new(m, "message", json_string(msg));
    if (field && *field)
        json_object_set_new(m, "field", json_string(field));
    json_object_set_new(m, "request_id", json_string(req->request_id));
    if (req->api) {
        json_t *wrap = json_pack("{s:O}", "error", m);
        if (json_object_size(req->field_errors))
            json_object_set(wrap, "errors", req->field_errors);
        arena_defer(req->arena, (void (*)(void *))json_decref, wrap);
        return send_json(st, (unsigned)status, wrap);
    }
    return render_page(st, (unsigned)status, "error", m);
}

static void redirect_headers(struct req_state *st, struct MHD_Response *r)
{
    MHD_add_response_header(r, "Location", st->req.redirect);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (st->req.flash) {
        /* percent-encode: a cookie value must be ASCII without ; , or spaces */
        struct buf b = BUF_INIT;
        buf_adds(&b, "tdkt_flash=");
        url_encode(&b, st->req.flash, false);
        buf_adds(&b, st->req.secure ? "; Path=/; HttpOnly; SameSite=Lax; Secure"
                                    : "; Path=/; HttpOnly; SameSite=Lax");
        MHD_add_response_header(r, "Set-Cookie", buf_cstr(&b));
        buf_free(&b);
    }
}

static void download_headers(struct req_state *st, struct MHD_Response *r)
{
    /* RFC 6266: an ASCII fallback plus the UTF-8 name */
    struct buf b = BUF_INIT;
    buf_adds(&b, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)st->req.download_name; *p; p++)
        buf_addc(&b, (*p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\') ? (char)*p : '_');
    buf_adds(&b, "\"; filename*=UTF-8''");
    url_encode(&b, st->req.download_name, false);
    MHD_add_response_header(r, "Content-Disposition", buf_cstr(&b));
    MHD_add_response_header(r, "Cache-Control", "no-store");
    buf_free(&b);
}

enum MHD_Result respond(struct req_state *st)
{
    struct request *req = &st->req;
    if (req->download_data) {
        char *data = req->download_data;
        req->download_data = NULL;
        return send_response(st, 200, data, req->download_len, req->download_type, download_headers);
    }
    unsigned status = req->status ? (unsigned)req->status : req_has_errors(req) ? 422 : 200;
    if (req->api) {
        json_t *out = req->model;
        if (req_has_errors(req)) {
            out = json_pack("{s:{s:i,s:s,s:s},s:O}", "error", "status", (int)status, "message",
                            _("Dữ liệu chưa hợp lệ, xem từng trường trong \"errors\"."),
                            "request_id", req->request_id, "errors", req->field_errors);
            arena_defer(req->arena, (void (*)(void *))json_decref, out);
        } else if (req->redirect) {
            json_object_set_new(out, "location", json_string(req->redirect));
        }
        return send_json(st, status, out);
    }
    if (req->redirect) {
        char *empty = xstrdup("");
        return send_response(st, 303, empty, 0, "text/plain; charset=utf-8", redirect_headers);
    }
    const char *tmpl = req->template ? req->template : req->route->template;
    if (!tmpl)
        return send_json(st, status, req->model);
    return render_page(st, status, tmpl, req->model);
}

/* Static files: embedded, with a content hash as ETag. */
struct static_meta {
    const struct asset *asset;
    char etag[40];
};
static struct static_meta *static_files;
static size_t static_count;

static void static_free(void)
{
    free(static_files);
}

void static_init(void)
{
    if (static_files)
        return;
    size_t n = 0;
    for (const struct asset *a = assets; a->path; a++)
        n++;
    static_files = xcalloc(n ? n : 1, sizeof *static_files);
    for (const struct asset *a = assets; a->path; a++) {
        if (strncmp(a->path, "static/", 7) != 0)
            continue;
        struct static_meta *m = &static_files[static_count++];
        m->asset = a;
        unsigned char h[12];
        crypto_generichash(h, sizeof h, a->data, a->size, NULL, 0);
        m->etag[0] = '"';
        sodium_bin2hex(m->etag + 1, 25, h, sizeof h);
        strcat(m->etag, "\"");
    }
    atexit(static_free);
}

static const char *mime_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    if (strcmp(dot, ".ico") == 0)
        return "image/x-icon";
    if (strcmp(dot, ".woff2") == 0)
        return "font/woff2";
    return "application/octet-stream";
}


bool respond_static(struct req_state *st, const char *path, enum MHD_Result *ret)
{
    const struct static_meta *m = NULL;
    for (size_t i = 0; i < static_count; i++)
        if (strcmp(static_files[i].asset->path, path) == 0)
            m = &static_files[i];
    if (!m)
        return false;
    const char *inm = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *r;
    unsigned status;
    if (inm && strstr(inm, m->etag)) {
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        status = 304;
    } else {
        r = MHD_create_response_from_buffer(m->asset->size, (void *)m->asset->data,
                                            MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Content-Type", mime_type(path));
        status = 200;
    }
    security_headers(r);
    MHD_add_response_header(r, "ETag", m->etag);
    MHD_add_response_header(r, "Cache-Control", "public, max-age=3600");
    st->status_sent = status;
    st->bytes_sent = status == 200 ? m->asset->size : 0;
    *ret = MHD_queue_response(st->conn, status, r);
    MHD_destroy_response(r);
    return true;
}
