/* A region allocator for one request (or one command).
 *
 * Allocate freely, never free individually: arena_free releases every block
 * at once and first runs the cleanup hooks registered with arena_defer, in
 * reverse order, so json_t values, files and statements die with the request.
 * Allocation aborts on out-of-memory (like xalloc); request sizes are bounded
 * by the limits of the HTTP layer, not here. */
#ifndef TDKT_LIB_ARENA_H
#define TDKT_LIB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* size bytes aligned for any type; zeroed. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs fn(arg) when the arena is freed. */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);
/* Bytes handed out so far (for tests and the access log). */
size_t arena_used(const struct arena *a);

#endif
