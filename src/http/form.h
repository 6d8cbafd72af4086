/* Request bodies and query strings: application/x-www-form-urlencoded and
 * multipart/form-data (RFC 7578), parsed by our own code rather than MHD's
 * PostProcessor so that every limit is ours and the parser can be fuzzed.
 *
 * Everything here reads untrusted bytes. Each size is bounded by struct
 * form_limits, no byte outside the given input is ever read, and the work is
 * linear in the input however it is split into chunks. All memory comes from
 * the request's arena and dies with it; nothing needs freeing.
 *
 * Names, values, file names and part content types are raw bytes: UTF-8
 * checking and NFC happen later, in the request layer (text_clean). Names
 * and file names never contain NUL (such input is refused); values may, so
 * value_len is the truth.
 *
 * Memory: a multipart body costs about twice its size in the arena at worst
 * (data chunks, then one contiguous copy per part), a urlencoded body about
 * three times (buffer, joined copy, decoded pairs). */
#ifndef TDKT_HTTP_FORM_H
#define TDKT_HTTP_FORM_H

#include <stddef.h>

#include "lib/arena.h"
#include "lib/result.h"

/* Every limit is inclusive and literal: 0 means "none allowed", not
 * "unlimited". Exceeding any of them gives E_TOOBIG (HTTP 413). */
struct form_limits {
    size_t max_fields;      /* entries in the result list, file parts included */
    size_t max_name;        /* bytes of a field name, after decoding */
    size_t max_value;       /* bytes of a plain field's value, after decoding */
    size_t max_file;        /* bytes of one uploaded file */
    size_t max_files;       /* file parts (a part with a filename parameter, even "") */
    size_t max_part_header; /* bytes of one multipart part's header block, CRLFs
                               included; allocated once per parser, keep it small */
    size_t max_total;       /* bytes of the whole body (or query string) as received */
};

/* One name/value pair, in the order of the input. Duplicate names are kept
 * (check boxes, multiple selects): each occurrence is its own entry. */
struct form_field {
    const char *name;         /* non-empty, NUL-terminated, no NUL inside */
    const char *value;        /* value_len bytes plus a terminating NUL */
    size_t value_len;
    const char *filename;     /* NULL for a plain field; the client's name otherwise,
                                 possibly "" (a file input left empty) and possibly
                                 holding '/' or '\\': never use it as a path */
    const char *content_type; /* the part's Content-Type, "" when absent or urlencoded */
    struct form_field *next;
};

struct form_parser;

/* Parses data[0..len) as application/x-www-form-urlencoded (a query string
 * or a urlencoded body): pairs separated by '&', empty pairs skipped, '+'
 * is a space, %XX is the byte XX; a name without '=' gets the value "".
 * On OK *out is the first field (NULL when there are none). A malformed
 * escape or a pair with an empty name gives E_INVALID naming the field; a
 * limit (max_total on len, max_fields, max_name, max_value) gives E_TOOBIG.
 * On failure *out is NULL and e (when not NULL) says why. data may be NULL
 * when len is 0. */
enum result form_parse_urlencoded(struct arena *a, const char *data, size_t len,
                                  const struct form_limits *lim, struct form_field **out,
                                  struct err *e);

/* Starts parsing a request body whose Content-Type header is content_type.
 * Accepts application/x-www-form-urlencoded (parameters such as charset are
 * ignored) and multipart/form-data with a boundary parameter of 1..70
 * characters from RFC 2046's set (token or quoted-string; type and parameter
 * names are case-insensitive). Anything else, including NULL, returns NULL
 * with E_INVALID in e. lim is copied, so it may be a temporary. The parser
 * lives in a and needs no freeing. */
struct form_parser *form_parser_new(struct arena *a, const char *content_type,
                                    const struct form_limits *lim, struct err *e);

/* Consumes the next len bytes of the body; chunks may be split anywhere
 * (inside a boundary, a CRLF or a header). Multipart input is parsed as it
 * arrives, so a limit or a structural error is reported by the chunk that
 * holds its first offending byte, whatever the split; urlencoded input is
 * only buffered (up to max_total) and parsed by form_parser_finish. Errors
 * are sticky: once a call fails, every later feed and finish returns the
 * same code and message. Feeding after a successful finish is E_INVALID. */
enum result form_parser_feed(struct form_parser *p, const char *data, size_t len,
                             struct err *e);

/* Ends the body: a multipart body must have reached its closing boundary
 * ("--boundary--"), otherwise E_INVALID. On OK *out is the first field in
 * input order (NULL when there are none); calling it again returns the same
 * list. On failure *out is NULL. */
enum result form_parser_finish(struct form_parser *p, struct form_field **out, struct err *e);

/* The first field called name (exact, case-sensitive) in the list starting
 * at f, or NULL. */
const struct form_field *form_find(const struct form_field *f, const char *name);

#endif
