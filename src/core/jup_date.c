/* jup_date.c - civil-calendar day numbers (after H. Hinnant's algorithms). */
#include "core/jup_date.h"

#include <stdio.h>
#include <time.h>

jup_date jup_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned mp = (unsigned)(m + (m > 2 ? -3 : 9));
	const unsigned doy = (153 * mp + 2) / 5 + (unsigned)d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (jup_date)(era * 146097 + (int)doe - 719468);
}

void jup_date_to_ymd(jup_date t, int *y, int *m, int *d)
{
	const int z = t + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool jup_date_valid_ymd(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1] + (m == 2 && is_leap(y));
	return d <= max;
}

static int digits(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

jup_status jup_date_parse(jup_sv s, jup_date *out, jup_err *err)
{
	if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-')
		return jup_err_set(err, JUP_ERR_INVALID, "not an ISO 8601 date (YYYY-MM-DD)");
	int y = digits(s.ptr, 4), m = digits(s.ptr + 5, 2), d = digits(s.ptr + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return jup_err_set(err, JUP_ERR_INVALID, "not an ISO 8601 date (YYYY-MM-DD)");
	if (!jup_date_valid_ymd(y, m, d))
		return jup_err_set(err, JUP_ERR_INVALID, "no such calendar date");
	*out = jup_date_from_ymd(y, m, d);
	return JUP_OK;
}

void jup_date_format(jup_date t, char out[11])
{
	int y, m, d;
	jup_date_to_ymd(t, &y, &m, &d);
	out[0] = (char)('0' + (y / 1000) % 10);
	out[1] = (char)('0' + (y / 100) % 10);
	out[2] = (char)('0' + (y / 10) % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

jup_date jup_date_today(void)
{
	return (jup_date)(time(NULL) / 86400);
}

int jup_date_age(jup_date birth, jup_date on)
{
	int by, bm, bd, oy, om, od;
	jup_date_to_ymd(birth, &by, &bm, &bd);
	jup_date_to_ymd(on, &oy, &om, &od);
	int age = oy - by;
	if (om < bm || (om == bm && od < bd))
		age--;
	return age;
}

void jup_date_now_utc(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = 0;
}

static bool two_digits(const char *p, int max, int *out)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return false;
	*out = (p[0] - '0') * 10 + (p[1] - '0');
	return *out <= max;
}

jup_status jup_time_parse(jup_sv s, int64_t *out, jup_err *err)
{
	jup_date day;
	jup_err ignored;
	int h, m, sec;
	const char *p = s.ptr;
	bool ok = s.len == 20 && p[10] == 'T' && p[13] == ':' && p[16] == ':' && p[19] == 'Z' &&
		  !jup_date_parse((jup_sv){ p, 10 }, &day, &ignored) && two_digits(p + 11, 23, &h) &&
		  two_digits(p + 14, 59, &m) && two_digits(p + 17, 59, &sec);
	if (!ok)
		return jup_err_set(err, JUP_ERR_INVALID, "not a time of the form YYYY-MM-DDTHH:MM:SSZ");
	*out = (int64_t)day * 86400 + h * 3600 + m * 60 + sec;
	return JUP_OK;
}

void jup_time_format(int64_t t, char out[21])
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rest = t - day * 86400;
	int y, mo, d;
	jup_date_to_ymd((jup_date)day, &y, &mo, &d);
	snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u, (unsigned)mo % 100u,
		 (unsigned)d % 100u, (unsigned)(rest / 3600) % 100u, (unsigned)(rest / 60 % 60),
		 (unsigned)(rest % 60));
}
