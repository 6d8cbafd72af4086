/* Heap allocation that never returns NULL.
 *
 * Long-lived allocations go through these wrappers: on out-of-memory they print
 * one line and abort, so no caller carries a NULL check that would never be
 * tested. Request-scoped memory lives in an arena (arena.h) instead. */
#ifndef TDKT_LIB_XALLOC_H
#define TDKT_LIB_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new heap string; never NULL. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
