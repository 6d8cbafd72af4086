/* The streaming body parser (form_parser_new, form_parser_feed,
 * form_parser_finish): the Content-Type check, the chunked accumulation of
 * data in the arena, and the multipart/form-data state machine (part
 * headers, the delimiter automaton, part data). Its state, struct
 * form_parser, is private to this file, and carrying work across chunk
 * boundaries is its one concern; a urlencoded body is only buffered here and
 * handed at finish to form_parse_urlencoded in form.c, whose messages and
 * header rules (form_int.h) it shares. */
#include "http/form.h"
#include "http/form_int.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/i18n.h"

/* RFC 2046 §5.1.1: a boundary is 1 to 70 characters; the delimiter that
 * ends a part is CRLF "--" boundary. */
enum { BOUNDARY_MAX = 70, DELIM_MAX = BOUNDARY_MAX + 4 };

/* A part's data is kept in chunks that start small (most fields are a few
 * bytes) and double up to CHUNK_MAX, so the slack of a large upload is at
 * most one CHUNK_MAX and joining the chunks at the end costs one copy: the
 * peak is about twice the data, against four times for a doubling buffer
 * whose old copies cannot be freed from an arena. */
enum { CHUNK_MIN = 256, CHUNK_MAX = 64 * 1024 };

/* ---- chunked accumulation --------------------------------------------- */

struct chunk {
    struct chunk *next;
    size_t cap;
    size_t len;
    char data[]; /* cap bytes plus one for a terminating NUL */
};

struct accum {
    struct chunk *head;
    struct chunk *tail;
    size_t len;
};

/* Appends s[0..n) to acc. The caller has checked acc->len + n <= limit;
 * chunks never reach past limit, so a small limit costs small chunks. */
static void accum_add(struct arena *a, struct accum *acc, const char *s, size_t n, size_t limit)
{
    while (n > 0) {
        struct chunk *t = acc->tail;
        if (!t || t->len == t->cap) {
            size_t want = t ? t->cap * 2 : CHUNK_MIN;
            if (want > CHUNK_MAX)
                want = CHUNK_MAX;
            if (want > limit - acc->len)
                want = limit - acc->len;
            struct chunk *c = arena_alloc(a, sizeof *c + want + 1);
            c->cap = want;
            if (t)
                t->next = c;
            else
                acc->head = c;
            acc->tail = t = c;
        }
        size_t k = t->cap - t->len < n ? t->cap - t->len : n;
        memcpy(t->data + t->len, s, k);
        t->len += k;
        acc->len += k;
        s += k;
        n -= k;
    }
}

/* The accumulated bytes as one NUL-terminated buffer; acc is left empty. A
 * single chunk is used in place, which is the common case of a small field. */
static const char *accum_take(struct arena *a, struct accum *acc, size_t *len)
{
    *len = acc->len;
    const char *res = "";
    if (acc->head && acc->head == acc->tail) {
        acc->head->data[acc->len] = '\0';
        res = acc->head->data;
    } else if (acc->head) {
        char *out = arena_alloc(a, acc->len + 1);
        size_t o = 0;
        for (const struct chunk *c = acc->head; c; c = c->next) {
            memcpy(out + o, c->data, c->len);
            o += c->len;
        }
        out[o] = '\0';
        res = out;
    }
    *acc = (struct accum){0};
    return res;
}

enum kind { KIND_URLENCODED, KIND_MULTIPART };

enum state {
    ST_PREAMBLE,    /* before the first delimiter: ignored */
    ST_AFTER_DELIM, /* "--boundary" seen: "--", padding or CRLF must follow */
    ST_HEADERS,     /* a part's header block */
    ST_DATA,        /* a part's data, up to the next delimiter */
    ST_EPILOGUE,    /* after "--boundary--": ignored */
    ST_DONE,        /* finish succeeded */
    ST_FAILED,      /* p->err holds the sticky error */
};

enum after { AD_START, AD_DASH, AD_PAD, AD_CR };

struct form_parser {
    struct arena *a;
    struct form_limits lim;
    enum kind kind;
    enum state state;
    struct err err;
    size_t total;     /* body bytes accepted so far */
    struct accum acc; /* the urlencoded body, or the current part's data */
    struct form_field *head;
    struct form_field **tail;
    size_t nfields;
    size_t nfiles;

    /* The delimiter is matched by an automaton that looks at each input
     * byte once however the chunks fall; the only carry-over between
     * chunks is k, the length of the delimiter prefix matched so far, and
     * those bytes are known to equal delim[0..k), so no input is kept. */
    char delim[DELIM_MAX]; /* CRLF "--" boundary */
    size_t dlen;
    size_t k;
    enum after after;

    /* The current part. */
    char *hbuf; /* max_part_header bytes, allocated on the first part */
    size_t hlen;
    size_t line_start;
    struct form_field *part;
    size_t part_name_len;
    bool seen_disposition;
    bool seen_type;
};

/* Records an error of the parser; feed and finish copy it out and make it
 * sticky. */
__attribute__((format(printf, 4, 5))) static enum result
fail(struct form_parser *p, enum result code, const char *field, const char *fmt, ...)
{
    p->err.code = code;
    snprintf(p->err.field, sizeof p->err.field, "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err.msg, sizeof p->err.msg, fmt, ap);
    va_end(ap);
    return code;
}

static enum result malformed(struct form_parser *p, const char *why)
{
    return fail(p, E_INVALID, "", _("Dữ liệu multipart không hợp lệ: %s"), why);
}

static void copy_err(struct err *e, const struct err *from)
{
    if (e)
        *e = *from;
}

static enum result unsupported_type(struct err *e, const char *ct)
{
    char shown[64];
    shown_name(shown, sizeof shown, ct, strlen(ct));
    return err_set(e, E_INVALID, "",
                   _("Kiểu nội dung \"%s\" không được hỗ trợ: chỉ nhận "
                     "application/x-www-form-urlencoded hoặc multipart/form-data"),
                   shown);
}

/* RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=?" and space, not last. */
static bool boundary_valid(const char *b, size_t n)
{
    if (n < 1 || n > BOUNDARY_MAX || b[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL);
        if (!ok)
            return false;
    }
    return true;
}

static void delim_init(struct form_parser *p, const char *boundary, size_t n)
{
    memcpy(p->delim, "\r\n--", 4);
    memcpy(p->delim + 4, boundary, n);
    p->dlen = n + 4;
    /* The first delimiter may open the body without a CRLF before it:
     * start as if that CRLF had been seen. */
    p->k = 2;
}

/* Advances the automaton by one byte (k < dlen on entry). The delimiter
 * holds CR only at its start (boundary_valid admits no CR), so no proper
 * suffix of a matched prefix is itself a prefix unless it is that lone CR:
 * on a mismatch the match restarts from nothing, or from c when c is CR.
 * This is Knuth–Morris–Pratt with its failure function worked out. */
static size_t delim_step(const struct form_parser *p, size_t k, char c)
{
    if (p->delim[k] == c)
        return k + 1;
    return c == '\r' ? 1 : 0;
}

struct form_parser *form_parser_new(struct arena *a, const char *content_type,
                                    const struct form_limits *lim, struct err *e)
{
    if (!content_type) {
        unsupported_type(e, "");
        return NULL;
    }
    const char *s = content_type;
    size_t n = strlen(s);
    size_t i = skip_ows(s, n, 0);
    size_t start = i;
    while (i < n && (is_tchar((unsigned char)s[i]) || s[i] == '/'))
        i++;
    enum kind kind = KIND_URLENCODED;
    if (span_ieq(s + start, i - start, "multipart/form-data")) {
        kind = KIND_MULTIPART;
    } else if (!span_ieq(s + start, i - start, "application/x-www-form-urlencoded")) {
        unsupported_type(e, content_type);
        return NULL;
    }

    const char *boundary = NULL;
    size_t boundary_len = 0;
    struct param prm;
    int r;
    while ((r = param_next(s, n, &i, &prm)) > 0) {
        if (kind != KIND_MULTIPART || !span_ieq(prm.name, prm.name_len, "boundary"))
            continue;
        if (boundary) {
            r = -1;
            break;
        }
        boundary = param_value(a, &prm, &boundary_len);
    }
    /* A urlencoded body carries no parameter we use; a broken one is no
     * reason to refuse it. */
    if (kind == KIND_MULTIPART &&
        (r < 0 || !boundary || !boundary_valid(boundary, boundary_len))) {
        err_set(e, E_INVALID, "",
                _("Tham số boundary của multipart/form-data bị thiếu hoặc không hợp lệ"));
        return NULL;
    }

    struct form_parser *p = arena_alloc(a, sizeof *p);
    p->a = a;
    p->lim = *lim;
    p->kind = kind;
    p->state = kind == KIND_MULTIPART ? ST_PREAMBLE : ST_DATA;
    p->tail = &p->head;
    if (kind == KIND_MULTIPART)
        delim_init(p, boundary, boundary_len);
    return p;
}

/* ---- multipart: headers ----------------------------------------------- */

static enum result parse_disposition(struct form_parser *p, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ';' && !is_ows(s[i]))
        i++;
    if (!span_ieq(s, i, "form-data"))
        return malformed(p, _("phần không phải là form-data"));
    struct form_field *f = p->part;
    struct param prm;
    int r;
    while ((r = param_next(s, n, &i, &prm)) > 0) {
        bool is_name = span_ieq(prm.name, prm.name_len, "name");
        bool is_file = span_ieq(prm.name, prm.name_len, "filename");
        if (!is_name && !is_file)
            continue; /* filename*= and extensions: browsers also send filename= */
        if ((is_name && f->name) || (is_file && f->filename))
            return malformed(p, _("tham số lặp lại trong Content-Disposition"));
        /* parse_header_line refused control bytes, so v holds no NUL. */
        size_t len;
        char *v = param_value(p->a, &prm, &len);
        if (is_name) {
            if (len > p->lim.max_name)
                return name_too_long(&p->err, v, len, p->lim.max_name);
            f->name = v;
            p->part_name_len = len;
        } else {
            f->filename = v;
        }
    }
    if (r < 0)
        return malformed(p, _("Content-Disposition sai cú pháp"));
    return OK;
}

static enum result parse_header_line(struct form_parser *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return malformed(p, _("ký tự điều khiển trong tiêu đề"));
    }
    const char *colon = memchr(s, ':', n);
    size_t name_len = colon ? (size_t)(colon - s) : 0;
    if (name_len == 0)
        return malformed(p, _("dòng tiêu đề sai cú pháp"));
    for (size_t i = 0; i < name_len; i++)
        if (!is_tchar((unsigned char)s[i]))
            return malformed(p, _("dòng tiêu đề sai cú pháp"));
    size_t vstart = skip_ows(s, n, name_len + 1);
    size_t vend = n;
    while (vend > vstart && is_ows(s[vend - 1]))
        vend--;
    const char *v = s + vstart;
    size_t vlen = vend - vstart;
    if (span_ieq(s, name_len, "content-disposition")) {
        if (p->seen_disposition)
            return malformed(p, _("tiêu đề Content-Disposition lặp lại"));
        p->seen_disposition = true;
        return parse_disposition(p, v, vlen);
    }
    if (span_ieq(s, name_len, "content-type")) {
        if (p->seen_type)
            return malformed(p, _("tiêu đề Content-Type lặp lại"));
        p->seen_type = true;
        p->part->content_type = arena_strndup(p->a, v, vlen);
    }
    return OK;
}

/* The header block is complete: check the part and start on its data. The
 * counts are checked here, before any data, so an excess part is refused
 * without reading it. */
static enum result headers_done(struct form_parser *p)
{
    struct form_field *f = p->part;
    if (!p->seen_disposition)
        return malformed(p, _("thiếu tiêu đề Content-Disposition"));
    if (!f->name || p->part_name_len == 0)
        return malformed(p, _("một phần không có tên trường"));
    if (p->nfields >= p->lim.max_fields)
        return too_many_fields(&p->err, f->name, p->part_name_len, p->lim.max_fields);
    if (f->filename && p->nfiles >= p->lim.max_files) {
        char shown[64];
        shown_name(shown, sizeof shown, f->name, p->part_name_len);
        return fail(p, E_TOOBIG, shown, _("Không nhận tệp \"%s\": chỉ được gửi tối đa %zu tệp"),
                    shown, p->lim.max_files);
    }
    p->nfields++;
    if (f->filename)
        p->nfiles++;
    p->state = ST_DATA;
    p->k = 0;
    return OK;
}

static enum result mp_headers(struct form_parser *p, const char *s, size_t n, size_t *pos)
{
    size_t i = *pos;
    enum result rc = OK;
    while (i < n && rc == OK && p->state == ST_HEADERS) {
        if (p->hlen >= p->lim.max_part_header) {
            char sz[32];
            size_text(sz, sizeof sz, p->lim.max_part_header);
            rc = fail(p, E_TOOBIG, "", _("Phần đầu của một trường dài quá %s"), sz);
            break;
        }
        if (!p->hbuf)
            p->hbuf = arena_alloc(p->a, p->lim.max_part_header);
        char c = s[i++];
        p->hbuf[p->hlen++] = c;
        if (c != '\n')
            continue;
        size_t line_len = p->hlen - p->line_start;
        if (line_len < 2 || p->hbuf[p->hlen - 2] != '\r') {
            rc = malformed(p, _("dòng tiêu đề không kết thúc bằng CRLF"));
            break;
        }
        const char *line = p->hbuf + p->line_start;
        p->line_start = p->hlen;
        if (line_len == 2)
            rc = headers_done(p);
        else if (is_ows(line[0]))
            rc = malformed(p, _("tiêu đề gấp dòng không được hỗ trợ"));
        else
            rc = parse_header_line(p, line, line_len - 2);
    }
    *pos = i;
    return rc;
}

/* ---- multipart: delimiters and data ----------------------------------- */

static void part_begin(struct form_parser *p)
{
    p->state = ST_HEADERS;
    p->hlen = 0;
    p->line_start = 0;
    p->part = arena_alloc(p->a, sizeof *p->part);
    p->part->content_type = "";
    p->part_name_len = 0;
    p->seen_disposition = false;
    p->seen_type = false;
}

static enum result after_delim(struct form_parser *p, char c)
{
    switch (p->after) {
    case AD_START:
    case AD_PAD:
        if (p->after == AD_START && c == '-') {
            p->after = AD_DASH;
            return OK;
        }
        if (is_ows(c)) { /* transport padding, RFC 2046 §5.1.1 */
            p->after = AD_PAD;
            return OK;
        }
        if (c == '\r') {
            p->after = AD_CR;
            return OK;
        }
        break;
    case AD_DASH:
        if (c == '-') {
            p->state = ST_EPILOGUE;
            return OK;
        }
        break;
    case AD_CR:
        if (c == '\n') {
            part_begin(p);
            return OK;
        }
        break;
    }
    return malformed(p, _("ranh giới không được theo sau bởi xuống dòng"));
}

static enum result part_add(struct form_parser *p, const char *s, size_t n)
{
    const struct form_field *f = p->part;
    size_t limit = f->filename ? p->lim.max_file : p->lim.max_value;
    if (n > limit - p->acc.len) {
        if (!f->filename)
            return value_too_big(&p->err, f->name, p->part_name_len, limit);
        char shown[64], file[64], sz[32];
        shown_name(shown, sizeof shown, f->name, p->part_name_len);
        if (f->filename[0])
            shown_name(file, sizeof file, f->filename, strlen(f->filename));
        else
            snprintf(file, sizeof file, "%s", shown);
        size_text(sz, sizeof sz, limit);
        return fail(p, E_TOOBIG, shown, _("Tệp \"%s\" vượt quá giới hạn %s"), file, sz);
    }
    accum_add(p->a, &p->acc, s, n, limit);
    return OK;
}

static void part_end(struct form_parser *p)
{
    struct form_field *f = p->part;
    f->value = accum_take(p->a, &p->acc, &f->value_len);
    *p->tail = f;
    p->tail = &f->next;
    p->part = NULL;
}

/* Consumes bytes up to and including the next delimiter. Data bytes are
 * handed on as soon as they can no longer belong to a delimiter; the bytes
 * held back are delim[0..k), so nothing of the input is kept across chunks. */
static enum result mp_scan(struct form_parser *p, const char *s, size_t n, size_t *pos)
{
    bool keep = p->state == ST_DATA;
    size_t i = *pos;
    enum result rc = OK;
    while (i < n) {
        if (p->k == 0) {
            /* CR starts every delimiter, and bchars exclude it, so data up
             * to the next CR is data: hand it on in one piece. */
            const char *cr = memchr(s + i, '\r', n - i);
            size_t run = cr ? (size_t)(cr - (s + i)) : n - i;
            if (run > 0) {
                if (keep && (rc = part_add(p, s + i, run)) != OK)
                    break;
                i += run;
                continue;
            }
        }
        char c = s[i++];
        size_t k = p->k;
        size_t nk = delim_step(p, k, c);
        /* delim[0..k) followed by c: its last nk bytes are the new match,
         * the bytes before them are data. */
        size_t emit = k + 1 - nk;
        if (keep && emit > k) {
            if ((rc = part_add(p, p->delim, k)) != OK || (rc = part_add(p, &c, 1)) != OK)
                break;
        } else if (keep && emit > 0) {
            if ((rc = part_add(p, p->delim, emit)) != OK)
                break;
        }
        if (nk == p->dlen) {
            p->k = 0;
            if (keep)
                part_end(p);
            p->state = ST_AFTER_DELIM;
            p->after = AD_START;
            break;
        }
        p->k = nk;
    }
    *pos = i;
    return rc;
}

static enum result mp_feed(struct form_parser *p, const char *s, size_t n)
{
    size_t i = 0;
    enum result rc = OK;
    while (i < n && rc == OK) {
        switch (p->state) {
        case ST_PREAMBLE:
        case ST_DATA:
            rc = mp_scan(p, s, n, &i);
            break;
        case ST_AFTER_DELIM:
            rc = after_delim(p, s[i++]);
            break;
        case ST_HEADERS:
            rc = mp_headers(p, s, n, &i);
            break;
        case ST_EPILOGUE:
            i = n;
            break;
        case ST_DONE:
        case ST_FAILED:
            return fail(p, E_INVALID, "", "internal: multipart state");
        }
    }
    return rc;
}

enum result form_parser_feed(struct form_parser *p, const char *data, size_t len, struct err *e)
{
    if (p->state == ST_FAILED) {
        copy_err(e, &p->err);
        return p->err.code;
    }
    if (p->state == ST_DONE)
        return err_set(e, E_INVALID, "", _("Dữ liệu đến sau khi biểu mẫu đã kết thúc"));
    /* Only the bytes within max_total are parsed; an error among them comes
     * first, so the outcome does not depend on how the body was split. */
    size_t room = p->lim.max_total - p->total;
    size_t n = len > room ? room : len;
    p->total += n;
    enum result rc = OK;
    if (n > 0) {
        if (p->kind == KIND_URLENCODED)
            accum_add(p->a, &p->acc, data, n, p->lim.max_total);
        else
            rc = mp_feed(p, data, n);
    }
    if (rc == OK && n < len)
        rc = too_big_total(&p->err, p->lim.max_total);
    if (rc != OK) {
        p->state = ST_FAILED;
        copy_err(e, &p->err);
    }
    return rc;
}

enum result form_parser_finish(struct form_parser *p, struct form_field **out, struct err *e)
{
    *out = NULL;
    if (p->state == ST_FAILED) {
        copy_err(e, &p->err);
        return p->err.code;
    }
    if (p->state != ST_DONE) {
        enum result rc = OK;
        if (p->kind == KIND_URLENCODED) {
            size_t len;
            const char *body = accum_take(p->a, &p->acc, &len);
            rc = form_parse_urlencoded(p->a, body, len, &p->lim, &p->head, &p->err);
        } else if (p->state != ST_EPILOGUE) {
            rc = malformed(p, _("thiếu ranh giới kết thúc"));
        }
        if (rc != OK) {
            p->state = ST_FAILED;
            copy_err(e, &p->err);
            return rc;
        }
        p->state = ST_DONE;
    }
    *out = p->head;
    return OK;
}
