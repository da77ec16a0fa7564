/*
 * jup_ingest_valid.c - validators for the values extracts carry.
 *
 * Each validator checks the whole view and fails with a fixed, lower-case
 * reason; none of them ever puts the value (or any part of it) into err.
 * The rules are those of docs/FORMATS.md and, for NHS numbers,
 * shared/domain/RULES.md.
 */
#include "ingest/jup_ingest_valid.h"

#include "core/jup_limits.h"

#include <stdint.h>
#include <string.h>

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_upper(char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static char to_upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

static jup_status missing(jup_err *err)
{
	return jup_err_set(err, JUP_ERR_NOT_FOUND, "missing");
}

static jup_status invalid(jup_err *err, const char *reason)
{
	return jup_err_set(err, JUP_ERR_INVALID, "%s", reason);
}

/* ---- NHS number ---------------------------------------------------------- */

int jup_ingest_nhs_check_digit(const char body[9])
{
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (body[i] - '0') * (10 - i);
	int c = 11 - sum % 11;
	return c == 11 ? 0 : c;
}

jup_status jup_ingest_nhs_number(jup_sv raw, char out[11], jup_err *err)
{
	size_t n = 0;
	bool other = false;
	out[0] = '\0';
	for (size_t i = 0; i < raw.len; i++) {
		if (raw.ptr[i] == ' ')
			continue;
		if (!is_digit(raw.ptr[i]))
			other = true;
		else if (n < 10)
			out[n] = raw.ptr[i];
		n++;
	}
	if (n == 0)
		return missing(err);
	if (other || n != 10) {
		out[0] = '\0';
		return invalid(err, "must be 10 digits");
	}
	int c = jup_ingest_nhs_check_digit(out);
	if (c == 10 || c != out[9] - '0') {
		out[0] = '\0';
		return invalid(err, c == 10 ? "check digit would be 10: never issued"
					    : "check digit does not match (modulus 11)");
	}
	out[10] = '\0';
	return JUP_OK;
}

/* ---- dates and times ----------------------------------------------------- */

jup_status jup_ingest_date(jup_sv s, jup_date today, jup_date *out, jup_err *err)
{
	jup_date d;
	if (s.len == 0)
		return missing(err);
	jup_status st = jup_date_parse(s, &d, err);
	if (st != JUP_OK)
		return st;
	if (d < jup_date_from_ymd(JUP_MIN_YEAR, 1, 1))
		return jup_err_set(err, JUP_ERR_INVALID, "before %d", JUP_MIN_YEAR);
	if (d > today)
		return invalid(err, "in the future");
	*out = d;
	return JUP_OK;
}

/* The two-digit number at p, or -1 when either byte is not a digit. */
static int two_digits(const char *p)
{
	if (!is_digit(p[0]) || !is_digit(p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

jup_status jup_ingest_datetime(jup_sv s, jup_date today, jup_date *day, jup_err *err)
{
	static const char *const shape = "not an ISO 8601 date-time (YYYY-MM-DDTHH:MM[:SS])";
	if (s.len == 0)
		return missing(err);
	if ((s.len != 16 && s.len != 19) || s.ptr[10] != 'T' || s.ptr[13] != ':' ||
	    (s.len == 19 && s.ptr[16] != ':'))
		return invalid(err, shape);
	int hh = two_digits(s.ptr + 11), mm = two_digits(s.ptr + 14);
	int ss = s.len == 19 ? two_digits(s.ptr + 17) : 0;
	if (hh < 0 || mm < 0 || ss < 0)
		return invalid(err, shape);
	jup_status st = jup_ingest_date((jup_sv){ s.ptr, 10 }, today, day, err);
	if (st != JUP_OK)
		return st;
	if (hh > 23 || mm > 59 || ss > 59)
		return invalid(err, "no such time of day");
	return JUP_OK;
}

/* ---- postcodes ----------------------------------------------------------- */

/* Letters never used in the inward code. */
static bool inward_letter_ok(char ch)
{
	return is_upper(ch) && ch != 'C' && ch != 'I' && ch != 'K' && ch != 'M' && ch != 'O' &&
	       ch != 'V';
}

/* An outward code: A9, A99, AA9, AA99, A9A or AA9A (A letter, 9 digit). */
static bool outward_ok(const char *o, size_t n)
{
	char shape[5] = { 0 };
	if (n < 2 || n > 4)
		return false;
	for (size_t i = 0; i < n; i++)
		shape[i] = is_upper(o[i]) ? 'A' : is_digit(o[i]) ? '9' : '?';
	static const char *const ok[] = { "A9", "A99", "AA9", "AA99", "A9A", "AA9A" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(shape, ok[i]) == 0)
			return true;
	return false;
}

/* Copy s upper-cased without its one optional space (which must stand just
 * before the inward code) into c; its length, or 0 when that fails. */
static size_t postcode_compact(jup_sv s, char c[8])
{
	size_t n = 0, space = SIZE_MAX;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] == ' ') {
			if (space != SIZE_MAX)
				return 0;
			space = i;
			continue;
		}
		if (n == 7)
			return 0;
		c[n++] = to_upper(s.ptr[i]);
	}
	if (space != SIZE_MAX && space != s.len - 4)
		return 0;
	return n;
}

jup_status jup_ingest_postcode(jup_sv s, char out[9], jup_err *err)
{
	char c[8];
	out[0] = '\0';
	if (s.len == 0)
		return missing(err);
	size_t n = postcode_compact(s, c);
	if (n < 5)
		return invalid(err, "not a UK postcode");
	const char *in = c + n - 3;
	bool gir = n == 6 && memcmp(c, "GIR0AA", 6) == 0;
	if (!gir && (!outward_ok(c, n - 3) || !is_digit(in[0]) || !inward_letter_ok(in[1]) ||
		     !inward_letter_ok(in[2])))
		return invalid(err, "not a UK postcode");
	memcpy(out, c, n - 3);
	out[n - 3] = ' ';
	memcpy(out + n - 2, in, 3);
	out[n + 1] = '\0';
	return JUP_OK;
}

/* ---- Verhoeff and SNOMED CT ---------------------------------------------- */

/* Verhoeff's dihedral group D5: multiplication, position permutation and
 * inverse tables. */
static const uint8_t vh_d[10][10] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
	{ 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 }, { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
	{ 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
	{ 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
	{ 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 }, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
};
static const uint8_t vh_p[8][10] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
	{ 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 }, { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
	{ 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
	{ 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
};
static const uint8_t vh_inv[10] = { 0, 4, 3, 2, 1, 5, 6, 7, 8, 9 };

/* The Verhoeff checksum of s with the rightmost digit at position first;
 * -1 when s holds anything but digits. */
static int verhoeff_sum(jup_sv s, size_t first)
{
	int c = 0;
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.ptr[s.len - 1 - i];
		if (!is_digit(ch))
			return -1;
		c = vh_d[c][vh_p[(i + first) % 8][ch - '0']];
	}
	return c;
}

bool jup_ingest_verhoeff_ok(jup_sv digits)
{
	return digits.len >= 2 && verhoeff_sum(digits, 0) == 0;
}

int jup_ingest_verhoeff_digit(jup_sv digits)
{
	int c = verhoeff_sum(digits, 1);
	return c < 0 ? -1 : vh_inv[c];
}

jup_status jup_ingest_snomed_concept(jup_sv s, jup_err *err)
{
	if (s.len < 6 || s.len > JUP_MAX_CODE_LEN)
		return invalid(err, "must be 6 to 18 digits");
	for (size_t i = 0; i < s.len; i++)
		if (!is_digit(s.ptr[i]))
			return invalid(err, "must be digits only");
	if (s.ptr[0] == '0')
		return invalid(err, "may not start with 0");
	if (s.ptr[s.len - 2] != '0' || (s.ptr[s.len - 3] != '0' && s.ptr[s.len - 3] != '1'))
		return invalid(err, "not a concept id (partition must be 00 or 10)");
	if (!jup_ingest_verhoeff_ok(s))
		return invalid(err, "check digit does not match (verhoeff)");
	return JUP_OK;
}

/* ---- ICD-10 -------------------------------------------------------------- */

jup_status jup_ingest_icd10(jup_sv s, jup_err *err)
{
	const char *p = s.ptr;
	bool ok = s.len >= 3 && s.len <= 6 && is_upper(p[0]) && is_digit(p[1]) && is_digit(p[2]);
	if (ok && s.len > 3 && p[3] == '.') {
		ok = s.len >= 5;
		for (size_t i = 4; ok && i < s.len; i++)
			ok = is_upper(p[i]) || is_digit(p[i]);
	} else if (ok) {
		ok = s.len <= 5;
		for (size_t i = 3; ok && i < s.len; i++)
			ok = is_digit(p[i]);
	}
	if (!ok)
		return invalid(err, "not an ICD-10 code (a letter, two digits, up to two more)");
	return JUP_OK;
}

/* ---- text and identifiers ------------------------------------------------ */

/* The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF) starting at p, or 0. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned char b = p[0], lo = 0x80, hi = 0xBF;
	size_t n;
	if (b >= 0xC2 && b <= 0xDF)
		n = 2;
	else if (b >= 0xE0 && b <= 0xEF)
		n = 3;
	else if (b >= 0xF0 && b <= 0xF4)
		n = 4;
	else
		return 0;
	if (b == 0xE0)
		lo = 0xA0;
	else if (b == 0xED)
		hi = 0x9F;
	else if (b == 0xF0)
		lo = 0x90;
	else if (b == 0xF4)
		hi = 0x8F;
	if (avail < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

jup_status jup_ingest_text(jup_sv s, size_t max, jup_err *err)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	if (s.len == 0)
		return missing(err);
	if (s.len > max)
		return jup_err_set(err, JUP_ERR_INVALID, "longer than %zu bytes", max);
	for (size_t i = 0; i < s.len;) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return invalid(err, "holds a control character");
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_seq(p + i, s.len - i);
		if (n == 0)
			return invalid(err, "not valid utf-8");
		i += n;
	}
	return JUP_OK;
}

static bool local_id_char(char ch)
{
	return is_upper(to_upper(ch)) || is_digit(ch) || ch == '-' || ch == '_' || ch == '/';
}

jup_status jup_ingest_local_id(jup_sv s, jup_err *err)
{
	if (s.len == 0)
		return missing(err);
	if (s.len > JUP_MAX_LOCAL_ID_LEN)
		return jup_err_set(err, JUP_ERR_INVALID, "longer than %d characters",
				   JUP_MAX_LOCAL_ID_LEN);
	for (size_t i = 0; i < s.len; i++)
		if (!local_id_char(s.ptr[i]))
			return invalid(err, "may hold only letters, digits, '-', '_' and '/'");
	return JUP_OK;
}

jup_status jup_ingest_org_code(jup_sv s, jup_err *err)
{
	if (s.len == 0)
		return missing(err);
	if (s.len < 3 || s.len > JUP_MAX_ORG_CODE_LEN)
		return jup_err_set(err, JUP_ERR_INVALID, "must be 3 to %d characters",
				   JUP_MAX_ORG_CODE_LEN);
	for (size_t i = 0; i < s.len; i++)
		if (!is_upper(s.ptr[i]) && !is_digit(s.ptr[i]))
			return invalid(err, "may hold only upper-case letters and digits");
	return JUP_OK;
}

/* ---- enumerations -------------------------------------------------------- */

/* Append text to the message in err, cutting it short if it does not fit. */
static void msg_add(jup_err *err, size_t *len, const char *text)
{
	size_t n = strlen(text), room = sizeof err->msg - 1 - *len;
	if (n > room)
		n = room;
	memcpy(err->msg + *len, text, n);
	*len += n;
	err->msg[*len] = '\0';
}

/* "must be one of a, b, c": the allowed values are not personal data. */
static jup_status enum_invalid(const char *const *allowed, jup_err *err)
{
	size_t len = 0;
	if (!err)
		return JUP_ERR_INVALID;
	err->msg[0] = '\0';
	msg_add(err, &len, "must be one of ");
	for (size_t i = 0; allowed[i]; i++) {
		if (i)
			msg_add(err, &len, ", ");
		msg_add(err, &len, allowed[i]);
	}
	return JUP_ERR_INVALID;
}

jup_status jup_ingest_enum(jup_sv s, const char *const *allowed, size_t *index, jup_err *err)
{
	if (!allowed)
		return jup_err_set(err, JUP_ERR_USAGE, "no allowed values given");
	if (s.len == 0)
		return missing(err);
	for (size_t i = 0; allowed[i]; i++) {
		if (jup_sv_eq_cstr(s, allowed[i])) {
			if (index)
				*index = i;
			return JUP_OK;
		}
	}
	return enum_invalid(allowed, err);
}
