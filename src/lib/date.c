#include "lib/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Writes y-m-d as ISO into out (the values are already range-checked; the
 * wide scratch buffer only keeps the compiler's truncation check quiet). */
static void format_iso(long y, long m, long d, char out[11])
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_parse(const char *s, char out[11])
{
    size_t len = strlen(s);
    for (const char *c = s; *c; c++)
        if (!(*c >= '0' && *c <= '9') && *c != '-' && *c != '/')
            return false;
    int y, m, d, used = 0;
    if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10) {
        /* ISO */
    } else if (len >= 8 && len <= 10 && sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &used) == 3 &&
               (size_t)used == len && s[len - 5] == '/') {
        /* d/m/yyyy as typed in Vietnam */
    } else {
        return false;
    }
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return false;
    if (d > days[m - 1] + (m == 2 && is_leap(y)))
        return false;
    format_iso(y, m, d, out);
    return true;
}

void date_today(char out[11])
{
    /* TDKT_TODAY=yyyy-mm-dd pins the date (tests and demos of a year's
     * calendar: who is head "today", which year is current) */
    const char *pinned = getenv("TDKT_TODAY");
    if (pinned && date_parse(pinned, out) && strlen(pinned) == 10 && pinned[4] == '-')
        return;
    time_t t = time(NULL) + 7 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void date_year_start(int year, char out[11])
{
    format_iso(year < 1 ? 1 : year > 9999 ? 9999 : year, 1, 1, out);
}

void date_to_dmy(const char *iso, char out[11])
{
    char check[11];
    if (iso && date_parse(iso, check) && strlen(iso) == 10 && iso[4] == '-')
        snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        out[0] = '\0';
}

bool date_from_excel_serial(const char *serial, char out[11])
{
    char *end;
    double v = strtod(serial, &end);
    if (end == serial || *end || v < 1 || v > 109574) /* up to 2199-12-31 */
        return false;
    /* days since 1970-01-01, then the civil-from-days algorithm */
    long z = (long)v - 25569 + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 1900)
        return false;
    format_iso(y, m, d, out);
    return true;
}

void date_now_utc(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
