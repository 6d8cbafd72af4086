/* The stateless half of form parsing: the messages of every limit and
 * refusal (client bytes made safe to show first), the lexical rules of header
 * values (tokens, optional white space, `; name=value` parameters), and the
 * one-shot application/x-www-form-urlencoded parser with form_find. None of
 * it needs the streaming parser's state, and the urlencoded parser also
 * serves query strings, so it is kept apart from form_parser.c, which uses
 * the messages and the header rules through form_int.h. */
#include "http/form.h"
#include "http/form_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/i18n.h"
#include "text/text.h"

/* ---- messages ---------------------------------------------------------- */

/* A name fit for err.field and for a message: at most 60 bytes cut on a
 * character boundary, control bytes and invalid UTF-8 shown as '?'. The
 * message ends up in HTML and JSON, and jansson refuses invalid UTF-8, so
 * raw client bytes must never reach it. */
void shown_name(char *out, size_t cap, const char *s, size_t n)
{
    bool utf8 = text_utf8_valid(s, n);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t clen = 1;
        if (utf8 && c >= 0x80)
            clen = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (o + clen + 4 > cap) {
            memcpy(out + o, "\xE2\x80\xA6", 3); /* … */
            o += 3;
            break;
        }
        if (c < 0x20 || c == 0x7F || (!utf8 && c >= 0x80)) {
            out[o++] = '?';
            i++;
            continue;
        }
        memcpy(out + o, s + i, clen);
        o += clen;
        i += clen;
    }
    out[o] = '\0';
}

/* Limits are configured in round numbers; show them the way they were set. */
void size_text(char *out, size_t cap, size_t n)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        snprintf(out, cap, "%zu MB", n / (1024 * 1024));
    else if (n >= 1024)
        snprintf(out, cap, "%zu KB", n / 1024);
    else
        snprintf(out, cap, "%zu byte", n);
}

enum result too_big_total(struct err *e, size_t limit)
{
    char sz[32];
    size_text(sz, sizeof sz, limit);
    return err_set(e, E_TOOBIG, "", _("Dữ liệu gửi lên vượt quá giới hạn %s"), sz);
}

enum result too_many_fields(struct err *e, const char *name, size_t n, size_t limit)
{
    char shown[64];
    shown_name(shown, sizeof shown, name, n);
    return err_set(e, E_TOOBIG, shown,
                   _("Không nhận trường \"%s\": biểu mẫu chỉ được có tối đa %zu trường"), shown,
                   limit);
}

enum result name_too_long(struct err *e, const char *name, size_t n, size_t limit)
{
    char shown[64];
    shown_name(shown, sizeof shown, name, n);
    return err_set(e, E_TOOBIG, shown, _("Tên trường \"%s\" dài quá %zu byte"), shown, limit);
}

enum result value_too_big(struct err *e, const char *name, size_t n, size_t limit)
{
    char shown[64], sz[32];
    shown_name(shown, sizeof shown, name, n);
    size_text(sz, sizeof sz, limit);
    return err_set(e, E_TOOBIG, shown, _("Trường \"%s\" vượt quá giới hạn %s"), shown, sz);
}

/* ---- small lexical helpers -------------------------------------------- */

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* ASCII case-insensitive comparison of s[0..n) with a lower-case literal;
 * no locale, because header names are ASCII whatever LC_CTYPE says. */
bool span_ieq(const char *s, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)lit[i])
            return false;
    return true;
}

bool is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

size_t skip_ows(const char *s, size_t n, size_t i)
{
    while (i < n && is_ows(s[i]))
        i++;
    return i;
}

/* Reads the next parameter of s[*pos..n). Returns 1 with *prm set, 0 at the
 * end (a trailing ';' is tolerated), -1 when the syntax is broken. Unquoted
 * values are read up to ';' or white space rather than as strict tokens:
 * real clients send boundaries with '=' and file names with non-ASCII bytes
 * unquoted, and what matters is that the value is delimited unambiguously. */
int param_next(const char *s, size_t n, size_t *pos, struct param *prm)
{
    size_t i = skip_ows(s, n, *pos);
    if (i == n)
        return 0;
    if (s[i] != ';')
        return -1;
    i = skip_ows(s, n, i + 1);
    if (i == n)
        return 0;
    size_t start = i;
    while (i < n && is_tchar((unsigned char)s[i]))
        i++;
    if (i == start)
        return -1;
    prm->name = s + start;
    prm->name_len = i - start;
    i = skip_ows(s, n, i);
    if (i == n || s[i] != '=')
        return -1;
    i = skip_ows(s, n, i + 1);
    if (i < n && s[i] == '"') {
        start = ++i;
        while (i < n && s[i] != '"') {
            if (s[i] == '\\') {
                if (i + 1 >= n)
                    return -1;
                i++;
            }
            i++;
        }
        if (i == n)
            return -1;
        prm->value = s + start;
        prm->value_len = i - start;
        prm->quoted = true;
        i++;
    } else {
        start = i;
        while (i < n) {
            unsigned char c = (unsigned char)s[i];
            if (c == ';' || c == '"' || is_ows((char)c) || c < 0x20 || c == 0x7F)
                break;
            i++;
        }
        if (i == start)
            return -1;
        prm->value = s + start;
        prm->value_len = i - start;
        prm->quoted = false;
    }
    *pos = i;
    return 1;
}

/* The value of prm with quoted-pair escapes undone, NUL-terminated, in a.
 * param_next guarantees that a backslash inside quotes has a successor. */
char *param_value(struct arena *a, const struct param *prm, size_t *len)
{
    char *out = arena_alloc(a, prm->value_len + 1);
    size_t o = 0;
    for (size_t i = 0; i < prm->value_len; i++) {
        char c = prm->value[i];
        if (prm->quoted && c == '\\')
            c = prm->value[++i];
        out[o++] = c;
    }
    out[o] = '\0';
    *len = o;
    return out;
}

/* ---- application/x-www-form-urlencoded -------------------------------- */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes s[0..n) into out (room for n bytes: decoding never grows) and
 * returns the decoded length, or SIZE_MAX on a malformed % escape. */
static size_t url_decode(char *out, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (n - i < 3)
                return SIZE_MAX;
            int hi = hex_value((unsigned char)s[i + 1]);
            int lo = hex_value((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return SIZE_MAX;
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        out[o++] = (char)c;
    }
    return o;
}

enum result form_parse_urlencoded(struct arena *a, const char *data, size_t len,
                                  const struct form_limits *lim, struct form_field **out,
                                  struct err *e)
{
    *out = NULL;
    if (len > lim->max_total)
        return too_big_total(e, lim->max_total);
    struct form_field *head = NULL, **tail = &head;
    size_t count = 0;
    size_t i = 0;
    while (i < len) {
        const char *pair = data + i;
        const char *amp = memchr(pair, '&', len - i);
        size_t plen = amp ? (size_t)(amp - pair) : len - i;
        i += plen + 1;
        if (plen == 0)
            continue;
        const char *eq = memchr(pair, '=', plen);
        size_t raw_name = eq ? (size_t)(eq - pair) : plen;
        const char *raw_value = eq ? eq + 1 : pair + plen;
        size_t raw_value_len = eq ? plen - raw_name - 1 : 0;

        char *name = arena_alloc(a, raw_name + 1);
        size_t name_len = url_decode(name, pair, raw_name);
        if (name_len == SIZE_MAX || (name_len > 0 && memchr(name, '\0', name_len))) {
            char shown[64];
            shown_name(shown, sizeof shown, pair, raw_name);
            return err_set(e, E_INVALID, shown, _("Tên trường \"%s\" không hợp lệ"), shown);
        }
        if (name_len == 0)
            return err_set(e, E_INVALID, "", _("Có một tham số không có tên"));
        if (name_len > lim->max_name)
            return name_too_long(e, name, name_len, lim->max_name);
        if (count >= lim->max_fields)
            return too_many_fields(e, name, name_len, lim->max_fields);

        char *value = arena_alloc(a, raw_value_len + 1);
        size_t value_len = url_decode(value, raw_value, raw_value_len);
        if (value_len == SIZE_MAX) {
            char shown[64];
            shown_name(shown, sizeof shown, name, name_len);
            return err_set(e, E_INVALID, shown,
                           _("Trường \"%s\" có mã %%XX không hợp lệ"), shown);
        }
        if (value_len > lim->max_value)
            return value_too_big(e, name, name_len, lim->max_value);
        value[value_len] = '\0';

        struct form_field *f = arena_alloc(a, sizeof *f);
        f->name = name;
        f->value = value;
        f->value_len = value_len;
        f->filename = NULL;
        f->content_type = "";
        *tail = f;
        tail = &f->next;
        count++;
    }
    *out = head;
    return OK;
}

/* ---- the streaming parser --------------------------------------------- */

const struct form_field *form_find(const struct form_field *f, const char *name)
{
    for (; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}
