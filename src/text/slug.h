/* Slugs: the last segment of a public address (/news/{slug}) made from a
 * Vietnamese title, so links can be read, typed and shared without
 * percent-encoding: "Khối thi đua MTTQ sơ kết 6 tháng" →
 * "khoi-thi-dua-mttq-so-ket-6-thang". */
#ifndef TDKT_TEXT_SLUG_H
#define TDKT_TEXT_SLUG_H

#include <stdbool.h>
#include <stddef.h>

/* The slug of title: folded like text_fold (marks dropped, đ → d, lower
 * case), every run of anything other than a-z and 0-9 turned into one '-',
 * no '-' at either end, at most max bytes (max ≥ 1). A longer slug is cut at
 * the last word boundary that fits, or, when its first word alone is too
 * long, inside that word. "" when title has no ASCII letter or digit. Heap
 * string; free with free(). */
char *text_slug(const char *title, size_t max);

/* True when s is a slug as text_slug makes them: 1..max bytes of a-z, 0-9
 * and '-', no '-' at either end and never two in a row. */
bool text_slug_valid(const char *s, size_t max);

#endif
