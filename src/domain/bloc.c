#include "domain/bloc.h"

#include <stdio.h>
#include <string.h>

static bool fraction_ok(int num, int den)
{
    return num > 0 && den > 0 && num <= den;
}

bool bloc_quorum_met(int present, int members, int num, int den)
{
    if (members <= 0 || present < 0 || present > members || !fraction_ok(num, den))
        return false;
    return (int64_t)present * den >= (int64_t)members * num;
}

int bloc_quorum_needed(int members, int num, int den)
{
    if (members <= 0 || !fraction_ok(num, den))
        return 0;
    return (int)(((int64_t)members * num + den - 1) / den);
}

static size_t index_of(const int64_t *order, size_t n, int64_t unit)
{
    for (size_t i = 0; i < n; i++)
        if (order[i] == unit)
            return i;
    return n;
}

void bloc_rotation(const int64_t *order, size_t n, int64_t head, int64_t deputy,
                   int64_t *next_head, int64_t *next_deputy)
{
    *next_head = *next_deputy = 0;
    if (n == 0)
        return;
    size_t h = deputy ? index_of(order, n, deputy) : n;
    if (h == n) {
        /* no deputy who stays a member: start from the member after the head */
        size_t old = head ? index_of(order, n, head) : n;
        h = old == n ? 0 : (old + 1) % n;
    }
    *next_head = order[h];
    if (n < 2)
        return;
    for (size_t k = 1; k < n; k++) {
        int64_t candidate = order[(h + k) % n];
        if (candidate != head || n == 2) {
            *next_deputy = candidate;
            return;
        }
    }
}

enum bloc_progress bloc_progress_of(int64_t actual, bool has_actual, int64_t target,
                                    bool has_target, bool rate, enum bloc_period period)
{
    if (!has_actual || !has_target)
        return BLOC_NO_FIGURE;
    if (target <= 0 || actual >= target)
        return BLOC_MET;
    int64_t expected = target;
    if (period == BLOC_MIDYEAR && !rate)
        expected = (target + 1) / 2;
    return actual >= expected ? BLOC_ON_TRACK : BLOC_BEHIND;
}

void bloc_format_x100(int64_t v, char out[32])
{
    /* |INT64_MIN| does not fit: print through an unsigned magnitude */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t whole = mag / 100, frac = mag % 100;
    char digits[24], grouped[40];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
    size_t g = 0;
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            grouped[g++] = '.';
        grouped[g++] = digits[i];
    }
    grouped[g] = 0;
    /* at most 1 + 23 + 3 bytes: the sign, 18 digits with 5 dots, the decimals */
    char tmp[64];
    if (frac == 0)
        snprintf(tmp, sizeof tmp, "%s%s", v < 0 ? "-" : "", grouped);
    else if (frac % 10 == 0)
        snprintf(tmp, sizeof tmp, "%s%s,%u", v < 0 ? "-" : "", grouped, (unsigned)(frac / 10));
    else
        snprintf(tmp, sizeof tmp, "%s%s,%02u", v < 0 ? "-" : "", grouped, (unsigned)frac);
    size_t len = strlen(tmp);
    if (len > 31)
        len = 31;
    memcpy(out, tmp, len);
    out[len] = 0;
}

bool bloc_parse_x100(const char *s, int64_t *out)
{
    if (!s)
        return false;
    while (*s == ' ')
        s++;
    bool neg = *s == '-';
    if (neg)
        s++;
    const char *comma = strchr(s, ',');
    /* without a comma, a dot followed by 1–2 digits at the end is the
     * decimal point; any other dot groups thousands */
    const char *point = comma;
    if (!point) {
        const char *dot = strrchr(s, '.');
        size_t tail = dot ? strlen(dot + 1) : 0;
        while (tail > 0 && dot[tail] == ' ')
            tail--;
        if (dot && tail >= 1 && tail <= 2 && strchr(s, '.') == dot)
            point = dot;
    }
    uint64_t whole = 0;
    int ndigits = 0, group = -1; /* digits since the last separator; -1 before any */
    const char *p = s;
    for (; *p && p != point; p++) {
        if (*p >= '0' && *p <= '9') {
            if (whole > 92233720368547ULL)
                return false;
            whole = whole * 10 + (uint64_t)(*p - '0');
            ndigits++;
            if (group >= 0)
                group++;
        } else if (*p == '.' || *p == ' ') {
            if (ndigits == 0 || (group >= 0 && group != 3) || (group < 0 && ndigits > 3))
                return false;
            group = 0;
        } else {
            return false;
        }
    }
    if (ndigits == 0 || (group >= 0 && group != 3))
        return false;
    uint64_t frac = 0;
    if (p == point && *p) {
        p++;
        int nf = 0;
        for (; *p >= '0' && *p <= '9'; p++, nf++) {
            if (nf >= 2)
                return false;
            frac = frac * 10 + (uint64_t)(*p - '0');
        }
        if (nf == 0)
            return false;
        if (nf == 1)
            frac *= 10;
    }
    while (*p == ' ')
        p++;
    if (*p)
        return false;
    int64_t v = (int64_t)(whole * 100 + frac);
    *out = neg ? -v : v;
    return true;
}
