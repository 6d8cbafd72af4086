#include "lib/url.h"

void url_encode(struct buf *b, const char *s, bool plus_for_space)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~')
            buf_addc(b, (char)*p);
        else if (*p == ' ' && plus_for_space)
            buf_addc(b, '+');
        else
            buf_printf(b, "%%%02X", *p);
    }
}
