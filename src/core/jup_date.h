/*
 * jup_date.h - calendar dates as day numbers.
 *
 * A date is the count of days since 1970-01-01 (proleptic Gregorian), so
 * differences and comparisons are integer arithmetic. Parsing is strict ISO
 * 8601 extended form (YYYY-MM-DD) and checks the calendar (leap years).
 */
#ifndef JUP_DATE_H
#define JUP_DATE_H

#include "core/jup_status.h"
#include "core/jup_str.h"

#include <stdbool.h>
#include <stdint.h>

typedef int32_t jup_date; /* days since 1970-01-01 */

/* jup_date_from_ymd: the day number of a calendar date (no checking). */
jup_date jup_date_from_ymd(int y, int m, int d);

/* jup_date_to_ymd: the calendar date of a day number. */
void jup_date_to_ymd(jup_date t, int *y, int *m, int *d);

/* jup_date_valid_ymd: true when y-m-d is a real calendar date. */
bool jup_date_valid_ymd(int y, int m, int d);

/* jup_date_parse: parse exactly "YYYY-MM-DD" (the whole view). Gives
 * JUP_ERR_INVALID with a reason (no values echoed) in err on failure. */
jup_status jup_date_parse(jup_sv s, jup_date *out, jup_err *err) JUP_MUST_CHECK;

/* jup_date_format: write "YYYY-MM-DD" and a NUL into out (11 bytes). */
void jup_date_format(jup_date t, char out[11]);

/* jup_date_today: today's date in UTC from the system clock. */
jup_date jup_date_today(void);

/* jup_date_now_utc: the current time as "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void jup_date_now_utc(char out[21]);

/* jup_time_parse: parse exactly "YYYY-MM-DDTHH:MM:SSZ" (UTC) into seconds
 * since 1970-01-01T00:00:00Z. JUP_ERR_INVALID (no value echoed) otherwise. */
jup_status jup_time_parse(jup_sv s, int64_t *out, jup_err *err) JUP_MUST_CHECK;

/* jup_time_format: write seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ"
 * and a NUL into out. */
void jup_time_format(int64_t t, char out[21]);

/* jup_date_age: whole years between birth and on (negative if on < birth). */
int jup_date_age(jup_date birth, jup_date on);

#endif
