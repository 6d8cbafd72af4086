/* A growable byte buffer on the heap.
 *
 * The contents are always NUL-terminated (the terminator is not counted in
 * len), so data can be passed as a C string when it holds text. Growth is
 * overflow-checked and aborts on out-of-memory like xalloc. */
#ifndef TDKT_LIB_BUF_H
#define TDKT_LIB_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* NULL until the first write; buf_cstr never returns NULL */
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' escaped: safe in HTML text and in quoted
 * attribute values (templates always quote attributes). */
void buf_add_html(struct buf *b, const char *s, size_t len);
/* Cuts s before a UTF-8 sequence left incomplete at its end (by a bounded
 * snprintf), so a shortened message stays valid text. */
void utf8_trim_partial(char *s);
/* The contents as a C string ("" when empty). */
const char *buf_cstr(struct buf *b);
/* Hands the heap string to the caller and leaves b empty. */
char *buf_detach(struct buf *b);

#endif
