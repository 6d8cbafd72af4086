/* Calendar dates as tdkt stores them (ISO yyyy-mm-dd) and as people in
 * Vietnam type and read them (dd/mm/yyyy). The time zone is Asia/Ho_Chi_Minh,
 * UTC+7 all year. */
#ifndef TDKT_LIB_DATE_H
#define TDKT_LIB_DATE_H

#include <stdbool.h>

/* Parses "2026-01-05", "05/01/2026" or "5/1/2026" into ISO "2026-01-05".
 * False for anything that is not a real calendar day between 1900 and 2200. */
bool date_parse(const char *s, char out[11]);
/* Today in Vietnam (ISO). The environment variable TDKT_TODAY=yyyy-mm-dd
 * pins it, for tests and demonstrations of a year's calendar. */
void date_today(char out[11]);
/* "yyyy-01-01" of a year (1..9999). */
void date_year_start(int year, char out[11]);
/* ISO → "05/01/2026"; "" for anything else. */
void date_to_dmy(const char *iso, char out[11]);
/* Excel's day serial (days since 1899-12-30) → ISO; false when out of range. */
bool date_from_excel_serial(const char *serial, char out[11]);
/* The current UTC time as "2026-11-22T00:16:39Z". */
void date_now_utc(char out[21]);

#endif
