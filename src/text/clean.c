/* UTF-8 checking and NFC normalisation of every input (utf8proc). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "lib/buf.h"
#include "lib/i18n.h"
#include "text/text.h"

bool text_utf8_valid(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0)
            return false;
        p += n;
        left -= n;
    }
    return true;
}

size_t text_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

static bool is_space_cp(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xA0 || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F;
}

enum result text_clean(const char *in, size_t len, int flags, const char *field, char **out,
                       struct err *e)
{
    *out = NULL;
    if (!text_utf8_valid(in, len))
        return err_set(e, E_INVALID, field,
                       _("Trường \"%s\" không phải văn bản UTF-8 hợp lệ (có thể đang dùng bảng mã "
                         "TCVN3 hoặc VNI). Hãy gõ lại bằng Unicode."),
                       field);
    /* Check control characters and rebuild the text: CR LF → LF, exotic
     * spaces → ASCII space, so what is stored is what is shown. */
    struct buf b = BUF_INIT;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        bool multiline = flags & TEXT_MULTILINE;
        if (cp == '\r' && multiline) {
            /* dropped: a CR LF pair becomes LF, a lone CR becomes LF */
            if (!(left > 1 && p[1] == '\n'))
                buf_addc(&b, '\n');
        } else if ((cp == '\n' || cp == '\t') && multiline) {
            buf_addc(&b, (char)cp);
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 ||
                   cp == 0x2029 || (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFEFF ||
                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            buf_free(&b);
            return err_set(e, E_INVALID, field,
                           _("Trường \"%s\" chứa ký tự điều khiển không được phép."), field);
        } else if (is_space_cp(cp)) {
            buf_addc(&b, ' ');
        } else {
            buf_add(&b, p, (size_t)n);
        }
        p += n;
        left -= n;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)buf_cstr(&b),
                                      (utf8proc_ssize_t)b.len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    buf_free(&b);
    if (r < 0) {
        free(nfc);
        return err_set(e, E_INVALID, field, _("Trường \"%s\" không phải văn bản hợp lệ."),
                       field);
    }
    char *s = (char *)nfc;
    if (flags & TEXT_TRIM) {
        size_t start = 0, end = strlen(s);
        while (start < end && (s[start] == ' ' || s[start] == '\n' || s[start] == '\t'))
            start++;
        while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\n' || s[end - 1] == '\t'))
            end--;
        memmove(s, s + start, end - start);
        s[end - start] = '\0';
    }
    *out = s;
    return OK;
}
