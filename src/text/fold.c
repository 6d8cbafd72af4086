/* The search key: what a person types without marks finds what was stored with them. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "lib/buf.h"
#include "lib/xalloc.h"
#include "text/text.h"

char *text_fold(const char *s)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                          UTF8PROC_IGNORE);
    if (r < 0) {
        free(folded);
        return xstrdup("");
    }
    struct buf b = BUF_INIT;
    bool pending_space = false;
    const utf8proc_uint8_t *p = folded;
    utf8proc_ssize_t left = r;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(cp);
        bool word = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
                    cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LO ||
                    cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_ND ||
                    cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
        if (!word) {
            pending_space = b.len > 0;
        } else {
            if (pending_space)
                buf_addc(&b, ' ');
            pending_space = false;
            /* đ has no canonical decomposition, so STRIPMARK keeps it. */
            if (cp == 0x0111)
                buf_addc(&b, 'd');
            else
                buf_add(&b, p, (size_t)n);
        }
        p += n;
        left -= n;
    }
    free(folded);
    return buf_detach(&b);
}

char *text_upper(const char *s)
{
    size_t n = strlen(s);
    /* capitals are never longer than 4 bytes a code point, and NFC only
     * shortens what a capital and its marks take */
    char *out = xmalloc(n * 4 + 1);
    size_t w = 0;
    utf8proc_int32_t cp;
    for (size_t i = 0; i < n;) {
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* not UTF-8: keep the byte */
            out[w++] = s[i++];
            continue;
        }
        w += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)out + w);
        i += (size_t)k;
    }
    out[w] = '\0';
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)out);
    if (nfc) {
        free(out);
        return (char *)nfc;
    }
    return out;
}
