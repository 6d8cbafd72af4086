/* The HTTP layer's public face: the route table, the request handlers see,
 * and the helpers they call.
 *
 * A route is one row of a declarative table (method, path pattern with typed
 * parameters, handler, template, permission, CSRF, body limit, accepted
 * parameters with validators). The router enforces the row before the handler
 * runs: an undeclared parameter, text that is not UTF-8, a value longer than
 * declared, a wrong CSRF token or an oversized body never reach a handler.
 * A handler fills req->model (a jansson object) and returns; the router
 * renders it as HTML through the route's template, or as JSON for /api/… and
 * for Accept: application/json. */
#ifndef TDKT_HTTP_HTTP_H
#define TDKT_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/result.h"

struct db;
struct mst_set;
struct form_field;

enum http_method { HTTP_GET = 1, HTTP_POST = 2, HTTP_HEAD = 4 };

enum param_type {
    P_TEXT, /* one line of text; min/max count code points */
    P_LONGTEXT, /* several lines */
    P_INT,  /* decimal integer in [min, max] */
    P_ENUM, /* one of choices[] */
    P_DATE, /* ISO date yyyy-mm-dd, or dd/mm/yyyy as people type it; stored ISO */
    P_FILE, /* an uploaded file (multipart) */
};

struct param_spec {
    const char *name;
    enum param_type type;
    const char *label; /* the field's name for people (msgid), used in messages */
    int64_t min, max;  /* P_INT: range; P_TEXT: length in code points (max 0 = 200) */
    const char *const *choices; /* P_ENUM: NULL-terminated */
    bool required;
};

/* Who may call a route: a set of roles (DESIGN.md §2). The router refuses a
 * route whose set lacks the caller's role before the handler runs: no session
 * → the login page (GET) or 401; a session of another role → 403. PUBLIC
 * routes need no session. The data scope inside a route (a unit officer sees
 * only their own unit) is enforced by the handlers and their queries. */
enum role_bit { ROLE_ADMIN = 1, ROLE_OFFICE = 2, ROLE_COUNCIL = 4, ROLE_UNIT = 8 };
#define PERM_PUBLIC 0u
#define PERM_ADMIN ((unsigned)ROLE_ADMIN)
#define PERM_OFFICE ((unsigned)(ROLE_ADMIN | ROLE_OFFICE))
#define PERM_EDITOR ((unsigned)(ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT))
#define PERM_USER ((unsigned)(ROLE_ADMIN | ROLE_OFFICE | ROLE_COUNCIL | ROLE_UNIT))

/* Where a route's handler runs. INLINE: on the HTTP worker thread. JOBS: long
 * work (imports, exports) on two job threads while the connection waits
 * suspended. AUTH: password hashing (Argon2id, 64 MiB each) on two threads of
 * its own with a long queue, so a burst of logins neither exhausts memory nor
 * holds up pages or imports. */
enum lane { LANE_INLINE, LANE_JOBS, LANE_AUTH };

/* The signed-in user of a request (set by the server's authenticate hook). */
struct request_user {
    int64_t id;
    const char *login;
    const char *display_name;
    enum role_bit role;
    const char *role_name;   /* "admin", "office", "council", "unit" */
    const char *role_label;  /* the role's name for people */
    int64_t unit_id;         /* the unit of a unit officer; 0 otherwise */
    const char *unit_name;
    const char *csrf;        /* this session's CSRF token */
    const char *token_hash;  /* identifies the session row */
    bool totp_enabled;
};

struct request;
typedef enum result (*handler_fn)(struct request *req);

struct route {
    unsigned methods;           /* HTTP_GET | HTTP_POST … (HEAD follows GET) */
    const char *pattern;        /* "/units/{id:int}"; a {name:text} segment takes any one segment */
    handler_fn handler;
    const char *template;       /* for HTML; NULL for routes that only redirect or send files */
    unsigned permission;        /* PERM_… : the roles allowed; 0 = anyone */
    bool csrf;                  /* state-changing: needs the CSRF token */
    size_t body_limit;          /* bytes; 0 = no body accepted */
    const struct param_spec *params; /* terminated by an entry with name NULL; NULL = none */
    enum lane lane;             /* where the handler runs */
};

/* One validated input value. */
struct param_value {
    const char *name;
    const char *text;    /* NFC, checked; for P_DATE the ISO form; for P_FILE the file name */
    int64_t num;         /* P_INT */
    const void *data;    /* P_FILE: the bytes */
    size_t len;          /* P_FILE: byte count */
    const char *content_type; /* P_FILE */
    bool present;        /* given and not empty */
    bool seen;           /* given at all (even empty): a second one is refused */
};

struct request {
    struct arena *arena;
    const struct route *route;
    enum http_method method;
    const char *path;       /* without the /api prefix and the query */
    const char *raw_url;
    bool api;               /* /api/… or Accept: application/json */
    char request_id[17];
    char client_addr[64];
    bool secure;            /* served over TLS (or a TLS proxy): Secure cookies */
    struct request_user *user;      /* NULL: no valid session */
    int64_t pending_user_id;        /* password checked, second factor due */
    const char *pending_token_hash;
    bool session_expired;   /* a session cookie came, but the session is over */
    struct db *db;          /* this worker thread's connection */
    const struct mst_set *templates;

    /* path parameters in pattern order */
    const char *path_names[4];
    int64_t path_ints[4];
    const char *path_texts[4];
    int npath;

    /* declared parameters, in the order of route->params */
    struct param_value *values;
    size_t nvalues;
    json_t *field_errors;   /* object: field → message, from validation and handlers */

    /* the response */
    int status;
    json_t *model;          /* object the handler fills */
    const char *redirect;   /* set → 303 See Other to this local path */
    const char *template;   /* overrides route->template */
    const char *flash;      /* message shown on the next page (after a redirect) */
    const char *set_cookies[4]; /* full Set-Cookie values */
    int nset_cookies;
    /* a download instead of a page */
    char *download_data;    /* heap (free()d by the server) */
    size_t download_len;
    const char *download_type;
    const char *download_name;

    struct err err;         /* set by a handler that returns an error */
    void *internal;         /* the server's per-request state */
};

/* The parameter `name` (declared in the route): NULL when absent or empty. */
const char *req_text(struct request *req, const char *name);
/* P_INT value, or dflt when absent. */
int64_t req_int(struct request *req, const char *name, int64_t dflt);
const struct param_value *req_value(struct request *req, const char *name);
/* The first path parameter of that name. */
int64_t req_path_int(struct request *req, const char *name);
/* A request header (case-insensitive name) or NULL. */
const char *req_header(struct request *req, const char *name);
const char *req_cookie(struct request *req, const char *name);

/* Records a message for a field (shown beside it, and in JSON "errors"). */
void req_field_error(struct request *req, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool req_has_errors(const struct request *req);

/* Ends a handler with an error page (or JSON error) of code's status. */
enum result req_fail(struct request *req, enum result code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sends the caller to a local path with 303 (after a successful POST). */
/* Fails the request with 422 (well-formed input that breaks a rule: a date
 * outside the year, a unit that is not a member …) and a message naming
 * field. Returns E_INVALID. */
enum result req_reject(struct request *req, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

enum result req_redirect(struct request *req, const char *path, const char *flash);

/* Adds a Set-Cookie: HttpOnly, SameSite=Lax, Path=/, Secure when req->secure.
 * max_age < 0: a browser-session cookie; 0: removes it. */
void req_set_cookie(struct request *req, const char *name, const char *value, long max_age);

/* Sends bytes as a download (takes ownership of data: heap). */
enum result req_download(struct request *req, char *data, size_t len, const char *content_type,
                         const char *filename);

/* The server. */
struct server_config {
    const char *listen;       /* "127.0.0.1:8080" */
    const char *db_url;
    unsigned threads;         /* worker threads, each with its own DB connection */
    unsigned conn_limit;
    unsigned per_ip_limit;
    unsigned timeout_s;
    size_t header_limit;      /* bytes of the request line and headers */
    size_t bodies_memory;     /* request bodies held by all requests together (0 = 96 MB) */
    const char *province;     /* shown in every page header */
    bool quiet;               /* no access log */
    bool strict_templates;    /* a missing variable fails the page (tests) */
    bool trust_proxy;         /* take the client address from X-Forwarded-For and
                                 TLS from X-Forwarded-Proto */
    bool secure_cookies;      /* always mark cookies Secure (served over TLS) */
    /* Finds the session of a request and sets req->user (or the pending or
     * expired marks). Runs before the CSRF and permission checks. */
    void (*authenticate)(struct request *req);
};

/* Runs until SIGINT/SIGTERM. Returns 0 on a clean stop. */
int server_run(const struct server_config *cfg, const struct route *routes, size_t nroutes);

#endif
