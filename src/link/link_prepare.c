/*
 * link_prepare.c - a record's identifying fields made into linkage features.
 *
 * Done once per record so that comparing a pair (done many millions of
 * times) is a matter of fixed-size fields: names folded and split into
 * tokens, the date of birth into year, month and day, a UK postcode into
 * area, district, sector and unit. Nothing here fails: a value that cannot
 * be read is left missing (zero or empty), and is weighed as such.
 */
#include "link/link_internal.h"

#include "ingest/jup_ingest_valid.h"

#include <string.h>

static bool is_ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Bytes that separate the parts of a name: ASCII other than letters, digits
 * and apostrophes (so "O'Neill" is one part, "Mary-Ann" and "J.R." two).
 * Bytes of multi-byte UTF-8 characters never separate. */
static bool is_name_sep(unsigned char c)
{
	return c < 0x80 && !is_ascii_alnum(c) && c != '\'' && c != '`';
}

/* The next part of a name from *pos on (empty at the end). */
static jup_sv next_part(jup_sv s, size_t *pos)
{
	size_t i = *pos;
	while (i < s.len && is_name_sep((unsigned char)s.ptr[i]))
		i++;
	size_t start = i;
	while (i < s.len && !is_name_sep((unsigned char)s.ptr[i]))
		i++;
	*pos = i;
	return (jup_sv){ s.ptr + start, i - start };
}

/* given: the first part that folds to something; given2: the second. */
static void prepare_given(jup_sv s, jup_link_rec *out)
{
	size_t pos = 0;
	char *dst = out->given;
	while (pos < s.len) {
		jup_sv part = next_part(s, &pos);
		if (part.len == 0 || jup_link_fold_name(part, dst, JUP_LINK_NAME_MAX) == 0)
			continue;
		if (dst == out->given2)
			return;
		dst = out->given2;
	}
}

/* family: the whole name folded; family_part: its last part, when it has
 * more than one ("Oyelaran-Whitfield" -> "whitfield"). */
static void prepare_family(jup_sv s, jup_link_rec *out)
{
	char part[JUP_LINK_NAME_MAX];
	size_t pos = 0, parts = 0;
	jup_link_fold_name(s, out->family, JUP_LINK_NAME_MAX);
	while (pos < s.len) {
		jup_sv p = next_part(s, &pos);
		memset(part, 0, sizeof part); /* fixed fields are NUL-padded */
		if (p.len > 0 && jup_link_fold_name(p, part, sizeof part) > 0) {
			parts++;
			memcpy(out->family_part, part, sizeof part);
		}
	}
	if (parts < 2)
		memset(out->family_part, 0, sizeof out->family_part);
}

static void prepare_nhs(jup_sv s, jup_link_rec *out)
{
	char digits[11];
	if (jup_ingest_nhs_number(s, digits, NULL) != JUP_OK)
		return;
	for (int i = 0; i < 10; i++)
		out->nhs = out->nhs * 10 + (uint64_t)(digits[i] - '0');
}

static void prepare_dob(jup_sv s, jup_link_rec *out)
{
	jup_date d;
	int y, m, day;
	if (jup_date_parse(s, &d, NULL) != JUP_OK)
		return;
	jup_date_to_ymd(d, &y, &m, &day);
	out->year = (int16_t)y;
	out->month = (int8_t)m;
	out->day = (int8_t)day;
}

/* ASCII case-insensitive equality of a view and a lower-case word. */
static bool eq_nocase(jup_sv s, const char *lower)
{
	size_t n = strlen(lower);
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s.ptr[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lower[i])
			return false;
	}
	return true;
}

static void prepare_sex(jup_sv s, jup_link_rec *out)
{
	if (eq_nocase(s, "m") || eq_nocase(s, "male"))
		out->sex = 'M';
	else if (eq_nocase(s, "f") || eq_nocase(s, "female"))
		out->sex = 'F';
}

/* A UK postcode into its parts, lower case ("LS6 2AB": "ls", "ls6",
 * "ls6 2", "ls6 2ab"); anything else folded into the unit alone, so it can
 * only ever agree exactly. (The area holds at most two letters: "GIR 0AA"
 * has area "gi".) */
static void prepare_postcode(jup_sv s, jup_link_rec *out)
{
	char pc[9];
	if (jup_ingest_postcode(s, pc, NULL) != JUP_OK) {
		link_fold_text(s, out->pc_unit, sizeof out->pc_unit);
		return;
	}
	size_t n = strlen(pc), out_len = n - 4; /* canonical: outward, space, 3 */
	for (size_t i = 0; i < n; i++)
		out->pc_unit[i] = (char)(pc[i] >= 'A' && pc[i] <= 'Z' ? pc[i] - 'A' + 'a' : pc[i]);
	memcpy(out->pc_district, out->pc_unit, out_len);
	memcpy(out->pc_sector, out->pc_unit, out_len + 2);
	for (size_t i = 0; i < 2 && out->pc_unit[i] >= 'a' && out->pc_unit[i] <= 'z'; i++)
		out->pc_area[i] = out->pc_unit[i];
}

/* The first run of digits in s (saturating at 65535); 0 when none. */
static uint16_t first_number(jup_sv s)
{
	size_t i = 0;
	uint32_t v = 0;
	while (i < s.len && (s.ptr[i] < '0' || s.ptr[i] > '9'))
		i++;
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
		v = v * 10 + (uint32_t)(s.ptr[i] - '0');
		if (v > UINT16_MAX)
			v = UINT16_MAX;
	}
	return (uint16_t)v;
}

void jup_link_prepare(const jup_link_input *in, jup_link_rec *out)
{
	memset(out, 0, sizeof *out);
	prepare_nhs(jup_sv_trim(in->nhs_number), out);
	prepare_given(in->given_name, out);
	prepare_family(in->family_name, out);
	prepare_dob(jup_sv_trim(in->dob), out);
	prepare_sex(jup_sv_trim(in->sex), out);
	prepare_postcode(jup_sv_trim(in->postcode), out);
	link_fold_text(in->address, out->address, sizeof out->address);
	out->house_number = first_number(in->address);
	out->given_code = jup_link_phonetic(out->given);
	out->family_code = jup_link_phonetic(out->family);
}

void jup_link_given_names(const jup_link_rec *r, char out[2 * JUP_LINK_NAME_MAX])
{
	size_t n = strnlen(r->given, JUP_LINK_NAME_MAX - 1);
	memcpy(out, r->given, n);
	size_t m = r->given2[0] ? strnlen(r->given2, JUP_LINK_NAME_MAX - 1) : 0;
	if (m) {
		out[n++] = ' ';
		memcpy(out + n, r->given2, m);
	}
	out[n + m] = 0;
}
