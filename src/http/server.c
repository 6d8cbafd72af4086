/* The libmicrohttpd adapter: one place that knows MHD's calling convention.
 *
 * MHD calls the access handler several times per request: first with the
 * headers only, then once per body chunk, then a final time with no data.
 * The response is queued only on that final call (queuing on the first call
 * makes MHD 0.9.75 close the connection and lose keep-alive; research
 * cstack.md §1.4). Each request owns an arena, freed in the completion
 * callback together with everything registered on it. Each worker thread of
 * the pool owns one database connection, opened on first use. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "db/db.h"
#include "http/router.h"
#include "http/server_int.h"
#include "lib/assets.h"
#include "lib/i18n.h"
#include "lib/url.h"
#include "lib/xalloc.h"
#include "text/text.h"
#include "view/mustache.h"

static pthread_key_t db_key;
static const char *db_url_for_threads;

static void db_key_close(void *db)
{
    db_close(db);
}

static struct db *thread_db(struct err *e)
{
    struct db *db = pthread_getspecific(db_key);
    if (db && !db_is_broken(db))
        return db;
    if (db) {
        /* the database went away (a restart): open a fresh connection */
        db_close(db);
        pthread_setspecific(db_key, NULL);
    }
    if (db_open(db_url_for_threads, &db, e) != OK)
        return NULL;
    pthread_setspecific(db_key, db);
    return db;
}

const char *req_header(struct request *req, const char *name)
{
    struct req_state *st = req->internal;
    return MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct request *req, const char *name)
{
    struct req_state *st = req->internal;
    return MHD_lookup_connection_value(st->conn, MHD_COOKIE_KIND, name);
}

static enum http_method parse_method(const char *m, bool *known)
{
    *known = true;
    if (strcmp(m, "GET") == 0)
        return HTTP_GET;
    if (strcmp(m, "HEAD") == 0)
        return HTTP_HEAD;
    if (strcmp(m, "POST") == 0)
        return HTTP_POST;
    *known = false;
    return HTTP_GET;
}

static void set_early(struct req_state *st, int status, const char *field, const char *msg)
{
    if (st->early_status)
        return;
    st->early_status = status;
    snprintf(st->early_err.field, sizeof st->early_err.field, "%s", field ? field : "");
    snprintf(st->early_err.msg, sizeof st->early_err.msg, "%s", msg);
}

static void client_address(struct req_state *st)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(st->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    st->req.client_addr[0] = '\0';
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, st->req.client_addr,
                      sizeof st->req.client_addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
                      st->req.client_addr, sizeof st->req.client_addr);
    }
    if (st->server->cfg->trust_proxy) {
        const char *fwd = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, "X-Forwarded-For");
        if (fwd) {
            /* the proxy appends the address it saw last */
            const char *last = strrchr(fwd, ',');
            last = last ? last + 1 : fwd;
            while (*last == ' ')
                last++;
            /* only address characters, so the value cannot forge log fields */
            size_t n = strspn(last, "0123456789abcdefABCDEF:.");
            if (n > 0 && n < sizeof st->req.client_addr && last[n] == '\0') {
                memcpy(st->req.client_addr, last, n);
                st->req.client_addr[n] = '\0';
            }
        }
    }
}

static struct req_state *begin_request(const struct server *srv, struct MHD_Connection *conn,
                                       const char *url, const char *method)
{
    struct arena *a = arena_new();
    struct req_state *st = arena_alloc(a, sizeof *st);
    st->conn = conn;
    st->server = srv;
    clock_gettime(CLOCK_MONOTONIC, &st->started);
    struct request *req = &st->req;
    req->arena = a;
    req->internal = st;
    req->templates = srv->templates;
    req->field_errors = json_object();
    req->model = json_object();
    arena_defer(a, (void (*)(void *))json_decref, req->field_errors);
    arena_defer(a, (void (*)(void *))json_decref, req->model);
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(req->request_id, sizeof req->request_id, rnd, sizeof rnd);
    client_address(st);
    req->raw_url = arena_strdup(a, url);
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    req->secure = srv->cfg->secure_cookies ||
                  (srv->cfg->trust_proxy && proto && strcasecmp(proto, "https") == 0);

    size_t m = 0;
    for (const char *c = method; *c && m < sizeof st->method - 1; c++)
        st->method[m++] = (*c >= 'A' && *c <= 'Z') ? *c : '?';
    st->method[m] = '\0';
    bool known;
    req->method = parse_method(method, &known);
    if (!known) {
        set_early(st, 405, NULL, _("Phương thức HTTP này không được hỗ trợ."));
        req->path = req->raw_url;
        return st;
    }
    if (!text_utf8_valid(url, strlen(url))) {
        set_early(st, 400, NULL, _("Địa chỉ trang không phải văn bản UTF-8 hợp lệ."));
        req->path = "/";
        return st;
    }
    const char *path = url;
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
    if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0) {
        req->api = true;
        path = url[4] ? url + 4 : "/";
    } else if (accept && strstr(accept, "application/json") && !strstr(accept, "text/html")) {
        req->api = true;
    }
    req->path = path;
    return st;
}

static void route_request(struct req_state *st)
{
    struct request *req = &st->req;
    if (st->early_status)
        return;
    bool wrong_method;
    req->route = router_match(st->server->routes, st->server->nroutes, req->method, req->path, req,
                              &wrong_method);
    if (!req->route) {
        if (wrong_method)
            set_early(st, 405, NULL, _("Địa chỉ này không nhận phương thức HTTP đó."));
        else
            set_early(st, 404, NULL, _("Không tìm thấy trang bạn yêu cầu."));
    }
}

/* Decides how the body will be read, before any of it arrives. */
static void prepare_body(struct req_state *st)
{
    struct request *req = &st->req;
    const char *ctype = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, "Content-Type");
    const char *clen = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, "Transfer-Encoding");
    bool has_body = (clen && strcmp(clen, "0") != 0) || te;
    if (!has_body || st->early_status)
        return;
    size_t limit = req->route->body_limit;
    if (limit == 0 || req->method != HTTP_POST) {
        set_early(st, 413, NULL, _("Địa chỉ này không nhận dữ liệu gửi lên."));
        return;
    }
    if (clen && strtoull(clen, NULL, 10) > limit) {
        char msg[256];
        snprintf(msg, sizeof msg, _("Dữ liệu gửi lên vượt quá giới hạn %zu KB của trang này."),
                 limit / 1024);
        set_early(st, 413, NULL, msg);
        return;
    }
    if (ctype && strncasecmp(ctype, "application/json", 16) == 0) {
        st->body = BODY_JSON;
        return;
    }
    struct form_limits lim = {
        .max_fields = 200,
        .max_name = 64,
        .max_value = 64 * 1024,
        .max_file = limit,
        .max_files = 4,
        .max_part_header = 4096,
        .max_total = limit,
    };
    struct err e = {0};
    st->form = form_parser_new(req->arena, ctype ? ctype : "", &lim, &e);
    if (!st->form) {
        set_early(st, e.code == E_TOOBIG ? 413 : 415, NULL, e.msg);
        return;
    }
    st->body = BODY_FORM;
}

/* Bytes read past a refusal before the connection is cut: a client slightly
 * over the limit still gets its 413 page; one sending far more is closed. */
enum { DISCARD_SLACK = 64 * 1024 };

/* Request bodies held in memory by all requests together: each route bounds
 * its own, and this bounds their sum, so many large uploads at once are
 * answered 503 instead of exhausting memory. */
static size_t bodies_in_memory_max = (size_t)96 * 1024 * 1024;
static _Atomic size_t bodies_in_memory;

/* Takes one chunk of the body. Returns false when the connection should be
 * closed instead (far over the limit). MHD 0.9.75 accepts a response only on
 * the first and the final call, so errors found here wait for the final call. */
static bool consume_body(struct req_state *st, const char *data, size_t len)
{
    st->body_bytes += len;
    size_t limit = st->req.route ? st->req.route->body_limit : 0;
    if (st->body_bytes > limit + DISCARD_SLACK)
        return false;
    if (st->early_status)
        return true;
    if (st->body_bytes > limit) {
        char msg[256];
        snprintf(msg, sizeof msg, _("Dữ liệu gửi lên vượt quá giới hạn %zu KB của trang này."),
                 limit / 1024);
        set_early(st, 413, NULL, msg);
        return true;
    }
    if (bodies_in_memory + len > bodies_in_memory_max) {
        set_early(st, 503, NULL,
                  _("Máy chủ đang nhận quá nhiều dữ liệu cùng lúc; hãy thử lại sau ít phút."));
        return true;
    }
    bodies_in_memory += len;
    st->body_held += len;
    if (st->body == BODY_JSON) {
        buf_add(&st->json, data, len);
    } else if (st->body == BODY_FORM) {
        struct err e = {0};
        if (form_parser_feed(st->form, data, len, &e) != OK)
            set_early(st, result_http_status(e.code), e.field, e.msg);
    }
    return true;
}

/* Turns a JSON object body into form fields, so both kinds of client go
 * through the same validation. Nested values are refused. */
static enum result json_fields(struct req_state *st, struct form_field **out, struct err *e)
{
    struct request *req = &st->req;
    json_error_t jerr;
    json_t *root = json_loadb(buf_cstr(&st->json), st->json.len,
                              JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return err_set(e, E_INVALID, "", _("Dữ liệu JSON không hợp lệ: %s (dòng %d, cột %d)."),
                       jerr.text, jerr.line, jerr.column);
    arena_defer(req->arena, (void (*)(void *))json_decref, root);
    if (!json_is_object(root))
        return err_set(e, E_INVALID, "", _("Dữ liệu JSON phải là một đối tượng {…}."));
    struct form_field *head = NULL, **tail = &head;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        struct form_field *f = arena_alloc(req->arena, sizeof *f);
        f->name = key;
        f->content_type = "";
        if (json_is_string(v)) {
            f->value = json_string_value(v);
            f->value_len = json_string_length(v);
        } else if (json_is_integer(v)) {
            f->value = arena_printf(req->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            f->value_len = strlen(f->value);
        } else if (json_is_null(v)) {
            f->value = "";
        } else if (json_is_boolean(v)) {
            f->value = json_is_true(v) ? "1" : "0";
            f->value_len = 1;
        } else {
            return err_set(e, E_INVALID, key,
                           _("Trường \"%s\" phải là chuỗi, số nguyên hoặc null."), key);
        }
        *tail = f;
        tail = &f->next;
    }
    *out = head;
    return OK;
}

struct query_collect {
    struct request *req;
    struct form_field *head, **tail;
    size_t count;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct query_collect *q = cls;
    if (++q->count > 100)
        return MHD_NO;
    struct form_field *f = arena_alloc(q->req->arena, sizeof *f);
    f->name = arena_strndup(q->req->arena, key, key_size);
    char *val = arena_alloc(q->req->arena, value_size + 1);
    if (value)
        memcpy(val, value, value_size);
    f->value = val;
    f->value_len = value_size;
    f->content_type = "";
    if (strlen(f->name) != key_size) /* a NUL inside the name */
        f->name = "\x01";
    *q->tail = f;
    q->tail = &f->next;
    return MHD_YES;
}

/* A token is 43 characters of unpadded base64url (32 random bytes). */
static bool csrf_token_valid(const char *t)
{
    if (!t || strlen(t) != 43)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

/* The pre-sign-in token's cookie: __Host- prefixed over TLS, so a sibling
 * subdomain cannot plant one. */
const char *csrf_cookie_name(const struct request *req)
{
    return req->secure ? "__Host-tdkt_csrf" : "tdkt_csrf";
}

/* A signed-in user's forms carry their session's token; before sign-in (the
 * login form itself) the double-submit cookie stands in for it. */
static bool csrf_ok(struct req_state *st, const struct form_field *fields)
{
    struct request *req = &st->req;
    const char *expected = req->user ? req->user->csrf : req_cookie(req, csrf_cookie_name(req));
    if (!csrf_token_valid(expected))
        return false;
    const char *sent = req_header(req, "X-CSRF-Token");
    for (const struct form_field *f = fields; f && !sent; f = f->next)
        if (strcmp(f->name, "_csrf") == 0)
            sent = f->value;
    if (!sent || strlen(sent) != 43)
        return false;
    return sodium_memcmp(expected, sent, 43) == 0;
}

static void ensure_csrf_token(struct req_state *st)
{
    const char *cookie = req_cookie(&st->req, csrf_cookie_name(&st->req));
    if (csrf_token_valid(cookie)) {
        st->csrf_token = cookie;
        return;
    }
    unsigned char rnd[32];
    randombytes_buf(rnd, sizeof rnd);
    char *tok = arena_alloc(st->req.arena, 64);
    sodium_bin2base64(tok, 64, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    st->csrf_token = tok;
    st->csrf_new = true;
}


/* Appends one query argument to the URL being rebuilt (MHD hands the path
 * without its query). */
static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct buf *b = cls;
    buf_addc(b, strchr(buf_cstr(b), '?') ? '&' : '?');
    url_encode(b, key, false);
    if (value) {
        buf_addc(b, '=');
        url_encode(b, value, false);
    }
    return MHD_YES;
}

/* No session for a route that needs one: a page asked for in a browser goes
 * to the login page, which comes back here after sign-in; anything else
 * (a form post, the JSON API) gets 401. */
static enum MHD_Result refuse_anonymous(struct req_state *st)
{
    struct request *req = &st->req;
    if (req->session_expired)
        req_set_cookie(req, req->secure ? "__Host-tdkt_session" : "tdkt_session", "", 0);
    if (!req->api && (req->method == HTTP_GET || req->method == HTTP_HEAD)) {
        struct buf target = BUF_INIT, b = BUF_INIT;
        buf_adds(&target, req->raw_url);
        MHD_get_connection_values(st->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, &target);
        buf_adds(&b, "/login?next=");
        url_encode(&b, buf_cstr(&target), false);
        buf_free(&target);
        req->redirect = arena_strdup(req->arena, buf_cstr(&b));
        buf_free(&b);
        req->flash = req->session_expired
                         ? _("Phiên làm việc đã hết hạn. Hãy đăng nhập lại để tiếp tục.")
                         : _("Hãy đăng nhập để tiếp tục.");
        return respond(st);
    }
    return respond_error(st, 401, NULL,
                         req->session_expired
                             ? _("Phiên làm việc đã hết hạn. Hãy đăng nhập lại.")
                             : _("Bạn cần đăng nhập để dùng chức năng này."));
}

static enum MHD_Result finish_request(struct req_state *st)
{
    struct request *req = &st->req;
    ensure_csrf_token(st);
    if (st->early_status)
        return respond_error(st, st->early_status, st->early_err.field, st->early_err.msg);

    struct err e = {0};
    struct query_collect q = {.req = req, .head = NULL, .tail = NULL};
    q.tail = &q.head;
    MHD_get_connection_values_n(st->conn, MHD_GET_ARGUMENT_KIND, collect_query, &q);
    if (q.count > 100)
        return respond_error(st, 400, NULL, _("Địa chỉ có quá nhiều tham số."));
    struct form_field *body_fields = NULL;
    if (st->body == BODY_FORM) {
        if (form_parser_finish(st->form, &body_fields, &e) != OK)
            return respond_error(st, result_http_status(e.code), e.field, e.msg);
    } else if (st->body == BODY_JSON) {
        if (json_fields(st, &body_fields, &e) != OK)
            return respond_error(st, 400, e.field, e.msg);
    }
    *q.tail = body_fields;

    struct db *db = thread_db(&e);
    if (!db)
        return respond_error(st, 503, NULL, _("Không kết nối được cơ sở dữ liệu. Hãy thử lại sau."));
    req->db = db;
    if (st->server->cfg->authenticate)
        st->server->cfg->authenticate(req);
    if (req->user)
        st->csrf_token = req->user->csrf;
    if (req->route->permission) {
        if (!req->user)
            return refuse_anonymous(st);
        if (!(req->route->permission & (unsigned)req->user->role))
            return respond_error(st, 403, NULL,
                                 _("Tài khoản của bạn không có quyền dùng chức năng này."));
    }
    /* the token is read from the body or the header, never the address, which
     * ends up in logs, histories and Referer headers */
    if (req->route->csrf && req->method == HTTP_POST && !csrf_ok(st, body_fields))
        return respond_error(st, 403, "_csrf",
                             _("Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang "
                               "và gửi lại."));
    if (router_bind_params(req, q.head, &e) != OK)
        return respond_error(st, result_http_status(e.code), e.field, e.msg);

    if (req->route->lane == LANE_JOBS)
        return enqueue_job(st, &((struct server *)st->server)->jobs);
    if (req->route->lane == LANE_AUTH)
        return enqueue_job(st, &((struct server *)st->server)->auth);
    return run_handler(st);
}

/* Runs the route's handler on this thread's database connection and builds
 * the response (queued now, or kept for the resume when on a job thread). */
enum MHD_Result run_handler(struct req_state *st)
{
    struct request *req = &st->req;
    struct err e = {0};
    req->db = thread_db(&e);
    if (!req->db)
        return respond_error(st, 503, NULL, _("Không kết nối được cơ sở dữ liệu. Hãy thử lại sau."));
    enum result rc = req->route->handler(req);
    if (db_in_transaction(req->db))
        db_rollback(req->db); /* a handler that forgot to commit writes nothing */
    if (rc != OK) {
        if (!req->err.msg[0])
            snprintf(req->err.msg, sizeof req->err.msg, "%s",
                     rc == E_NOTFOUND ? _("Không tìm thấy dữ liệu bạn yêu cầu.")
                                      : _("Đã có lỗi xảy ra khi xử lý yêu cầu."));
        /* a handler may say which 4xx fits (422: well-formed, but breaks a rule) */
        int status = req->status >= 400 && req->status < 500 && rc != E_FORBIDDEN &&
                             rc != E_NOTFOUND && rc != E_CONFLICT
                         ? req->status
                         : result_http_status(rc);
        return respond_error(st, status, req->err.field, req->err.msg);
    }
    return respond(st);
}


static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    const struct server *srv = cls;
    struct req_state *st = *con_cls;
    if (st && st->pending) {
        /* back from a job thread: queue what it built */
        struct MHD_Response *r = st->pending;
        st->pending = NULL;
        enum MHD_Result ret = MHD_queue_response(conn, st->pending_status, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (!st) {
        st = begin_request(srv, conn, url, method);
        *con_cls = st;
        if (!st->early_status && strncmp(url, "/static/", 8) != 0) {
            route_request(st);
            if (!st->early_status)
                prepare_body(st);
        }
        /* An oversized declared body is refused now rather than read. */
        if (st->early_status == 413) {
            st->responded = true;
            return respond_error(st, 413, st->early_err.field, st->early_err.msg);
        }
        return MHD_YES;
    }
    if (st->responded) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        bool keep = consume_body(st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (!keep) {
            st->status_sent = 413; /* logged as aborted: the connection is cut */
            return MHD_NO;
        }
        return MHD_YES;
    }
    st->responded = true;
    if (strncmp(url, "/static/", 8) == 0 && !st->early_status) {
        enum MHD_Result ret;
        if (respond_static(st, url + 1, &ret))
            return ret;
        return respond_error(st, 404, NULL, _("Không tìm thấy tệp."));
    }
    return finish_request(st);
}

static void log_request(const struct req_state *st, enum MHD_RequestTerminationCode toe)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - st->started.tv_sec) * 1e3 +
                (double)(now.tv_nsec - st->started.tv_nsec) / 1e6;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const struct request *req = &st->req;
    char path[256];
    /* the log stays one valid UTF-8 line: no quotes, control or stray bytes */
    bool utf8 = text_utf8_valid(req->raw_url, strlen(req->raw_url));
    size_t j = 0;
    for (const char *p = req->raw_url; *p && j < sizeof path - 1; p++) {
        unsigned char c = (unsigned char)*p;
        path[j++] = (c == '"' || c == '\\' || c < 0x20 || c == 0x7f || (!utf8 && c >= 0x80)) ? '?' : *p;
    }
    path[j] = '\0';
    fprintf(stderr,
            "time=%s level=info msg=request req=%s ip=%s method=%s path=\"%s\" status=%u "
            "bytes=%zu ms=%.2f%s\n",
            ts, req->request_id, req->client_addr[0] ? req->client_addr : "-",
            st->method, path, st->status_sent, st->bytes_sent, ms,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=true");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    const struct server *srv = cls;
    struct req_state *st = *con_cls;
    if (!st)
        return;
    if (!srv->cfg->quiet)
        log_request(st, toe);
    bodies_in_memory -= st->body_held;
    buf_free(&st->json);
    free(st->req.download_data); /* set by a handler that then failed */
    arena_free(st->req.arena);
    *con_cls = NULL;
}

static const char *translate(const char *msgid)
{
    return gettext(msgid);
}

static struct mst_set *load_templates(bool strict)
{
    struct mst_options opt = {.strict = strict, .translate = translate};
    struct mst_set *set = mst_set_new(&opt);
    for (const struct asset *a = assets; a->path; a++) {
        const char *prefix = "templates/", *suffix = ".mustache";
        size_t plen = strlen(a->path);
        if (strncmp(a->path, prefix, strlen(prefix)) != 0 || plen < strlen(suffix) ||
            strcmp(a->path + plen - strlen(suffix), suffix) != 0)
            continue;
        char *name = xstrndup(a->path + strlen(prefix), plen - strlen(prefix) - strlen(suffix));
        struct err e = {0};
        if (mst_set_add(set, name, (const char *)a->data, a->size, &e) != OK) {
            fprintf(stderr, "tdkt: template %s: %s\n", a->path, e.msg);
            exit(1);
        }
        free(name);
    }
    return set;
}

static bool parse_listen(const char *listen, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return false;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return false;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) == 1;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes %HH in paths and query arguments like libmicrohttpd does, except
 * %00: a NUL would cut the path short ("/units%00/x" read as "/units"), so
 * it is left as the three characters, which match no route. */
static size_t unescape_url(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls, (void)conn;
    char *out = s;
    for (const char *in = s; *in; in++) {
        int hi, lo;
        if (in[0] == '%' && (hi = hex_value(in[1])) >= 0 && (lo = hex_value(in[2])) >= 0 &&
            (hi | lo) != 0) {
            *out++ = (char)(hi * 16 + lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("time=- level=warn msg=\"libmicrohttpd: ", stderr);
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '"')
            *p = ' ';
    fputs(line, stderr);
    fputs("\"\n", stderr);
}

int server_run(const struct server_config *cfg, const struct route *routes, size_t nroutes)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "tdkt: libsodium init failed\n");
        return 1;
    }
    struct sockaddr_in sa;
    if (!parse_listen(cfg->listen, &sa)) {
        fprintf(stderr, _("tdkt: địa chỉ lắng nghe không hợp lệ \"%s\" (dạng 127.0.0.1:8080)\n"),
                cfg->listen);
        return 2;
    }
    pthread_key_create(&db_key, db_key_close);
    if (cfg->bodies_memory)
        bodies_in_memory_max = cfg->bodies_memory;
    db_url_for_threads = cfg->db_url;
    static_init();
    struct server srv = {.cfg = cfg, .routes = routes, .nroutes = nroutes};
    srv.templates = load_templates(cfg->strict_templates);
    jobs_start(&srv.jobs, JOB_QUEUE_MAX);
    jobs_start(&srv.auth, AUTH_QUEUE_MAX);

    /* Signals are taken by sigwait below, never by a worker thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    srv.daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL,
        NULL, on_request, &srv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_url, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(cfg->threads ? cfg->threads : 4),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)(cfg->conn_limit ? cfg->conn_limit : 1000),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)(cfg->per_ip_limit ? cfg->per_ip_limit : 64),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)(cfg->timeout_s ? cfg->timeout_s : 30),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(cfg->header_limit ? cfg->header_limit : 64 * 1024),
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)511,
        MHD_OPTION_END);
    if (!srv.daemon) {
        fprintf(stderr, _("tdkt: không mở được cổng %s (đã có chương trình khác dùng?)\n"),
                cfg->listen);
        jobs_stop(&srv.jobs);
        jobs_stop(&srv.auth);
        mst_set_free(srv.templates);
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf(_("tdkt đang chạy tại http://%s:%u/\n"), host, di ? di->port : ntohs(sa.sin_port));
    fflush(stdout);

    int sig;
    sigwait(&sigs, &sig);
    fprintf(stderr, "time=- level=info msg=\"stopping on signal %d\"\n", sig);
    jobs_stop(&srv.jobs);
    jobs_stop(&srv.auth);
    MHD_stop_daemon(srv.daemon);
    mst_set_free(srv.templates);
    return 0;
}
