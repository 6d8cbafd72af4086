/* Vietnamese personal names: họ (family), tên đệm (middle), tên (given). */
#include <string.h>

#include "lib/xalloc.h"
#include "text/text.h"

void text_split_name(const char *full, char **family, char **middle, char **given)
{
    const char *start = full, *end = full + strlen(full);
    while (start < end && *start == ' ')
        start++;
    while (end > start && end[-1] == ' ')
        end--;
    const char *first_space = memchr(start, ' ', (size_t)(end - start));
    if (!first_space) {
        *family = xstrdup("");
        *middle = xstrdup("");
        *given = xstrndup(start, (size_t)(end - start));
        return;
    }
    const char *last_space = end;
    while (last_space[-1] != ' ')
        last_space--;
    *family = xstrndup(start, (size_t)(first_space - start));
    *given = xstrndup(last_space, (size_t)(end - last_space));
    const char *m = first_space, *mend = last_space;
    while (m < mend && *m == ' ')
        m++;
    while (mend > m && mend[-1] == ' ')
        mend--;
    *middle = xstrndup(m, (size_t)(mend - m));
}
