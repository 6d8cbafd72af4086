/* Inside the form parser: what form.c (messages, header-value rules,
 * urlencoded parsing) shares with form_parser.c (the streaming parser and
 * multipart). Not for other callers, which use form.h. */
#ifndef TDKT_HTTP_FORM_INT_H
#define TDKT_HTTP_FORM_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "http/form.h"

/* ---- messages (form.c) ------------------------------------------------- */

/* A client's name made safe for err.field and a message (at most 60 bytes,
 * control bytes and invalid UTF-8 shown as '?'), and a limit written the way
 * it was configured ("2 MB"). */
void shown_name(char *out, size_t cap, const char *s, size_t n);
void size_text(char *out, size_t cap, size_t n);

/* E_TOOBIG with its message in e; name[0..n) is the field at fault. */
enum result too_big_total(struct err *e, size_t limit);
enum result too_many_fields(struct err *e, const char *name, size_t n, size_t limit);
enum result name_too_long(struct err *e, const char *name, size_t n, size_t limit);
enum result value_too_big(struct err *e, const char *name, size_t n, size_t limit);

/* ---- header values (form.c) -------------------------------------------- */

/* ASCII case-insensitive comparison with a lower-case literal, RFC 9110's
 * tchar and optional white space (space, tab). */
bool span_ieq(const char *s, size_t n, const char *lit);
bool is_tchar(unsigned char c);
bool is_ows(char c);
size_t skip_ows(const char *s, size_t n, size_t i);

/* One `; name=value` parameter of a header value. A quoted value's span
 * excludes the quotes but still holds its backslash escapes. */
struct param {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
    bool quoted;
};

int param_next(const char *s, size_t n, size_t *pos, struct param *prm);
char *param_value(struct arena *a, const struct param *prm, size_t *len);

#endif
