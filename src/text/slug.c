#include "text/slug.h"

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "text/text.h"

static bool slug_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char *text_slug(const char *title, size_t max)
{
    char *folded = text_fold(title ? title : "");
    struct buf b = BUF_INIT;
    /* text_fold keeps letters it cannot map to ASCII (ß, Chinese …): they
     * separate words like punctuation does, so the slug stays ASCII */
    bool pending_dash = false;
    for (const char *p = folded; *p; p++) {
        if (!slug_char(*p)) {
            pending_dash = b.len > 0;
            continue;
        }
        if (pending_dash)
            buf_addc(&b, '-');
        pending_dash = false;
        buf_addc(&b, *p);
    }
    free(folded);
    char *out = buf_detach(&b);
    size_t n = strlen(out);
    if (max < 1)
        max = 1;
    if (n > max) {
        /* cut where a word ends, so the address does not end in half a word */
        size_t cut = max;
        if (out[max] != '-') {
            while (cut > 0 && out[cut - 1] != '-')
                cut--;
            if (cut == 0)
                cut = max; /* one word longer than max: cut inside it */
        }
        while (cut > 0 && out[cut - 1] == '-')
            cut--;
        out[cut] = '\0';
    }
    return out;
}

bool text_slug_valid(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-') {
            if (s[i + 1] == '-')
                return false;
        } else if (!slug_char(s[i])) {
            return false;
        }
    }
    return true;
}
