/*
 * fuzz_link_prepare.c - libFuzzer target for linkage features and
 * comparisons.
 *
 * The input is split into the 7 identifying fields (NHS number, given name,
 * family name, date of birth, sex, postcode, address) on tabs or commas and
 * prepared. Checks what the features promise (folded, NUL-padded fixed
 * fields; a valid date or none; postcode parts that nest), that a record
 * agrees with itself at the top level of every comparison it is not
 * missing, and that comparing with a fixed record gives levels in range, the
 * same both ways round. The string comparators are run on the fields too.
 */
#include "link/jup_link.h"
#include "link/link_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* A fixed field: text of allowed characters, then only NULs. */
static void check_field(const char *f, size_t size, bool (*allowed)(char))
{
	size_t n = strnlen(f, size);
	check(n < size);
	for (size_t i = 0; i < n; i++)
		check(allowed(f[i]));
	for (size_t i = n; i < size; i++)
		check(f[i] == '\0');
}

static bool is_name_char(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_text_char(char c)
{
	return is_name_char(c) || (c >= '0' && c <= '9') || c == ' ';
}

/* Folded text: no space at either end or twice in a row. */
static void check_spacing(const char *s)
{
	size_t n = strlen(s);
	check(n == 0 || (s[0] != ' ' && s[n - 1] != ' '));
	check(strstr(s, "  ") == NULL);
}

static void check_postcode(const jup_link_rec *r)
{
	check_field(r->pc_area, sizeof r->pc_area, is_name_char);
	check_field(r->pc_district, sizeof r->pc_district, is_text_char);
	check_field(r->pc_sector, sizeof r->pc_sector, is_text_char);
	check_field(r->pc_unit, sizeof r->pc_unit, is_text_char);
	check_spacing(r->pc_unit);
	if (!r->pc_sector[0]) { /* not a UK postcode: the unit alone */
		check(!r->pc_area[0] && !r->pc_district[0]);
		return;
	}
	size_t d = strlen(r->pc_district), s = strlen(r->pc_sector);
	check(d >= 2 && s == d + 2 && strlen(r->pc_unit) == d + 4);
	check(strncmp(r->pc_unit, r->pc_sector, s) == 0);
	check(strncmp(r->pc_sector, r->pc_district, d) == 0);
	check(strncmp(r->pc_district, r->pc_area, strlen(r->pc_area)) == 0);
}

static void check_rec(const jup_link_rec *r)
{
	check_field(r->given, sizeof r->given, is_name_char);
	check_field(r->given2, sizeof r->given2, is_name_char);
	check_field(r->family, sizeof r->family, is_name_char);
	check_field(r->family_part, sizeof r->family_part, is_name_char);
	check_field(r->address, sizeof r->address, is_text_char);
	check_spacing(r->address);
	check(r->given[0] || !r->given2[0]);
	check(r->family[0] || !r->family_part[0]);
	check(r->nhs < 10000000000ULL);
	check(r->sex == 0 || r->sex == 'M' || r->sex == 'F');
	if (r->year)
		check(r->month >= 1 && r->month <= 12 && r->day >= 1 && r->day <= 31);
	else
		check(!r->month && !r->day);
	check(r->given_code == jup_link_phonetic(r->given));
	check(r->family_code == jup_link_phonetic(r->family));
	check((r->given_code == 0) == (r->given[0] == '\0'));
	check_postcode(r);
}

/* Is field c of r missing? */
static bool missing(const jup_link_rec *r, int c)
{
	switch (c) {
	case JUP_CMP_NHS:
		return r->nhs == 0;
	case JUP_CMP_GIVEN:
		return !r->given[0];
	case JUP_CMP_FAMILY:
		return !r->family[0];
	case JUP_CMP_DOB:
		return r->year == 0;
	case JUP_CMP_SEX:
		return r->sex == 0;
	case JUP_CMP_POSTCODE:
		return !r->pc_unit[0];
	default:
		return !r->address[0];
	}
}

static void check_compare(const jup_link_rec *r, const jup_link_rec *fixed)
{
	uint8_t self[JUP_CMP__COUNT], ab[JUP_CMP__COUNT], ba[JUP_CMP__COUNT];
	jup_link_compare(r, r, self);
	jup_link_compare(r, fixed, ab);
	jup_link_compare(fixed, r, ba);
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		int top = jup_link_levels((jup_link_cmp)c) - 1;
		check(self[c] == (missing(r, c) ? JUP_LVL_MISSING : top));
		check(ab[c] <= top && ab[c] == ba[c]);
		check((ab[c] == JUP_LVL_MISSING) == (missing(r, c) || missing(fixed, c)));
		check(jup_link_level_name((jup_link_cmp)c, ab[c])[0] != '\0');
	}
}

static void check_comparators(const char *a, const char *b)
{
	double jw = jup_link_jaro_winkler(a, b);
	check(jw >= 0.0 && jw <= 1.0 && jw == jup_link_jaro_winkler(b, a));
	check((jw == 1.0) == (strcmp(a, b) == 0));
	int d = jup_link_damerau(a, b, 3);
	check(d >= 0 && d <= 4 && d == jup_link_damerau(b, a, 3));
	check((d == 0) == (strcmp(a, b) == 0));
	check(link_within_one(a, strlen(a), b, strlen(b)) == (d <= 1));
	check(!jup_link_nickname(a, a));
	check(jup_link_nickname(a, b) == jup_link_nickname(b, a));
}

/* Split data into 7 fields on tabs or commas (the last takes the rest). */
static void split(const uint8_t *data, size_t size, jup_sv f[7])
{
	size_t start = 0, k = 0;
	for (size_t i = 0; i < size && k < 6; i++) {
		if (data[i] == '\t' || data[i] == ',') {
			f[k++] = (jup_sv){ (const char *)data + start, i - start };
			start = i + 1;
		}
	}
	f[k++] = (jup_sv){ (const char *)data + start, size - start };
	for (; k < 7; k++)
		f[k] = (jup_sv){ "", 0 };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_sv f[7];
	split(data, size, f);
	jup_link_input in = { f[0], f[1], f[2], f[3], f[4], f[5], f[6] };
	jup_link_input fixed_in = {
		JUP_SV_LIT("999 000 0034"), JUP_SV_LIT("Mary Ann"),
		JUP_SV_LIT("Oyelaran-Whitfield"), JUP_SV_LIT("1950-03-07"),
		JUP_SV_LIT("F"), JUP_SV_LIT("LS6 2AB"), JUP_SV_LIT("14 Larch Grove"),
	};
	jup_link_rec r, fixed;
	jup_link_prepare(&in, &r);
	jup_link_prepare(&fixed_in, &fixed);
	check_rec(&r);
	check_compare(&r, &fixed);
	check_comparators(r.given, r.family);
	check_comparators(r.given, fixed.given);
	check_comparators(r.family, fixed.family);
	check_comparators(r.address, fixed.address);

	/* folding into a short buffer never writes past it */
	char small[8];
	memset(small, '#', sizeof small);
	size_t n = jup_link_fold_name(f[1], small, 5);
	check(n < 5 && small[n] == '\0' && small[5] == '#' && small[7] == '#');
	n = link_fold_text(f[6], small, 5);
	check(n < 5 && small[n] == '\0' && small[5] == '#' && small[7] == '#');
	return 0;
}
