/* Vietnamese order through ICU: An < Ă < Â, D < Đ, O < Ô < Ơ.
 *
 * A collator is opened once per thread (ICU collators are not shared across
 * threads here) and closed by the thread-key destructor. Sort keys let the
 * databases order rows by plain bytes, so SQLite and PostgreSQL agree without
 * a custom collation in either. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "lib/xalloc.h"
#include "text/text.h"

static pthread_key_t collator_key;
static pthread_once_t collator_once = PTHREAD_ONCE_INIT;

static void collator_close(void *c)
{
    ucol_close(c);
}

static void collator_key_create(void)
{
    pthread_key_create(&collator_key, collator_close);
}

static UCollator *collator(void)
{
    pthread_once(&collator_once, collator_key_create);
    UCollator *c = pthread_getspecific(collator_key);
    if (c)
        return c;
    UErrorCode status = U_ZERO_ERROR;
    c = ucol_open("vi", &status);
    if (U_FAILURE(status)) {
        fprintf(stderr, "tdkt: cannot open the ICU collator 'vi': %s\n", u_errorName(status));
        abort();
    }
    pthread_setspecific(collator_key, c);
    return c;
}

static UChar *to_utf16(const char *s, int32_t *len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, -1, &status);
    status = U_ZERO_ERROR;
    UChar *u = xmalloc(((size_t)n + 1) * sizeof(UChar));
    u_strFromUTF8(u, n + 1, len, s, -1, &status);
    if (U_FAILURE(status))
        *len = 0;
    return u;
}

uint8_t *text_sort_key(const char *s, size_t *len)
{
    UCollator *c = collator();
    int32_t ulen = 0;
    UChar *u = to_utf16(s, &ulen);
    int32_t need = ucol_getSortKey(c, u, ulen, NULL, 0);
    uint8_t *key = xmalloc((size_t)need + 1);
    int32_t got = ucol_getSortKey(c, u, ulen, key, need + 1);
    free(u);
    /* ICU counts the terminating 0 byte; we keep it out so keys can be joined. */
    *len = got > 0 ? (size_t)got - 1 : 0;
    return key;
}

const char *text_collator_version(void)
{
    static _Thread_local char version[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo v;
    ucol_getVersion(collator(), v);
    u_versionToString(v, version);
    return version;
}

int text_collate(const char *a, const char *b)
{
    UErrorCode status = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(collator(), a, -1, b, -1, &status);
    if (U_FAILURE(status))
        return strcmp(a, b);
    return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}
