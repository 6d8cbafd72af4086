/* Text at the boundary: UTF-8 checking, NFC, search folding, Vietnamese order.
 *
 * Every string that enters tdkt (form, JSON, query, imported cell) passes
 * through text_clean, so the rest of the program sees only valid NFC text
 * without control characters. text_fold gives the search key that makes
 * "duc" find "Đức"; text_sort_key gives bytes whose plain byte order is the
 * Vietnamese dictionary order (ICU "vi"), so both databases sort with memcmp. */
#ifndef TDKT_TEXT_TEXT_H
#define TDKT_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"

enum text_flags {
    TEXT_MULTILINE = 1, /* keep \n and \t (CR LF becomes LF); otherwise they are refused */
    TEXT_TRIM = 2,      /* drop leading and trailing white space */
};

/* Checks that in[0..len) is UTF-8 without control characters and returns it
 * in NFC as a new heap string in *out (free with free()). On failure returns
 * E_INVALID with a message naming field. */
enum result text_clean(const char *in, size_t len, int flags, const char *field, char **out,
                       struct err *e);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t text_length(const char *s);

/* The search key of s: NFC, case-folded, tone and vowel marks removed, đ → d,
 * runs of white space and punctuation turned into one space, trimmed.
 * "  Nguyễn Văn ĐỨC " → "nguyen van duc". Heap string; free with free(). */
char *text_fold(const char *s);

/* s in capitals, the Vietnamese marks kept ("Ủy ban" → "ỦY BAN"), NFC; heap
 * string. For text the documents print in capitals (ND30: issuer, kind,
 * signature titles). */
char *text_upper(const char *s);

/* Writes the ICU "vi" sort key of s into a new heap buffer, returns its
 * length in *len (without the terminating 0 byte ICU adds). */
uint8_t *text_sort_key(const char *s, size_t *len);

/* The collator's version (e.g. "153.112"): stored sort keys must be rebuilt
 * when it changes. */
const char *text_collator_version(void);

/* Compares two strings in Vietnamese order (<0, 0, >0). */
int text_collate(const char *a, const char *b);

/* Splits a Vietnamese full name into family (first word), given (last word)
 * and middle (the rest). Each out-string is a heap string; a one-word name is
 * all given name. */
void text_split_name(const char *full, char **family, char **middle, char **given);

#endif
