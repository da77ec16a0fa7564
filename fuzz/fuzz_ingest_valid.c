/*
 * fuzz_ingest_valid.c - libFuzzer target for the value validators.
 *
 * Feeds the whole input to every validator (and to the time parser) (and its trimmed form to the
 * ones that canonicalise) and checks what they promise: known statuses
 * only, a reason on failure, canonical forms that are themselves valid and
 * stable, and check digits that agree with their checkers.
 */
#include "core/jup_limits.h"
#include "ingest/jup_ingest_valid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* A status a validator may give: OK, or INVALID/NOT_FOUND with a reason. */
static void check_status(jup_status st, const jup_err *err, bool blank_allowed)
{
	if (st == JUP_OK)
		return;
	check(st == JUP_ERR_INVALID || (blank_allowed && st == JUP_ERR_NOT_FOUND));
	check(err->msg[0] != '\0');
}

static bool all_digits(jup_sv s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return true;
}

static void fuzz_nhs(jup_sv s)
{
	char out[11], again[11];
	jup_err err = { "" };
	jup_status st = jup_ingest_nhs_number(s, out, &err);
	check_status(st, &err, true);
	if (st != JUP_OK)
		return;
	jup_sv o = { out, strlen(out) };
	check(o.len == 10 && all_digits(o));
	check(jup_ingest_nhs_check_digit(out) == out[9] - '0');
	check(jup_ingest_nhs_number(o, again, &err) == JUP_OK && strcmp(out, again) == 0);
}

static void fuzz_dates(jup_sv s)
{
	const jup_date today = jup_date_from_ymd(2026, 11, 23);
	jup_date d = 0;
	jup_err err = { "" };
	jup_status st = jup_ingest_date(s, today, &d, &err);
	check_status(st, &err, true);
	if (st == JUP_OK) {
		char out[11];
		jup_date_format(d, out);
		check(d <= today && s.len == 10 && memcmp(out, s.ptr, 10) == 0);
	}
	st = jup_ingest_datetime(s, today, &d, &err);
	check_status(st, &err, true);
	if (st == JUP_OK)
		check(d <= today && (s.len == 16 || s.len == 19));
}

static void fuzz_postcode(jup_sv s)
{
	char out[9], again[9];
	jup_err err = { "" };
	jup_status st = jup_ingest_postcode(s, out, &err);
	check_status(st, &err, true);
	if (st != JUP_OK)
		return;
	size_t n = strlen(out);
	check(n >= 6 && n <= 8 && out[n - 4] == ' ');
	check(jup_ingest_postcode((jup_sv){ out, n }, again, &err) == JUP_OK);
	check(strcmp(out, again) == 0);
}

static void fuzz_codes(jup_sv s)
{
	jup_err err = { "" };
	jup_status st = jup_ingest_snomed_concept(s, &err);
	check_status(st, &err, false);
	if (st == JUP_OK)
		check(jup_ingest_verhoeff_ok(s) && s.len >= 6 && s.len <= 18);
	bool vok = jup_ingest_verhoeff_ok(s);
	int digit = jup_ingest_verhoeff_digit(s);
	check(digit >= -1 && digit <= 9);
	check(!vok || (s.len >= 2 && all_digits(s)));
	if (s.len >= 2 && all_digits(s)) {
		jup_sv body = { s.ptr, s.len - 1 };
		check(vok == (jup_ingest_verhoeff_digit(body) == s.ptr[s.len - 1] - '0'));
	}
	check_status(jup_ingest_icd10(s, &err), &err, false);
}

static void fuzz_ids(jup_sv s)
{
	static const char *const kinds[] = { "gp_practice", "hospital_trust", "council",
					     "hospice", NULL };
	jup_err err = { "" };
	size_t index = 0;
	check_status(jup_ingest_text(s, JUP_MAX_TEXT_LEN, &err), &err, true);
	check_status(jup_ingest_text(s, 8, &err), &err, true);
	check_status(jup_ingest_local_id(s, &err), &err, true);
	check_status(jup_ingest_org_code(s, &err), &err, true);
	jup_status st = jup_ingest_enum(s, kinds, &index, &err);
	check_status(st, &err, true);
	if (st == JUP_OK)
		check(index < 4 && jup_sv_eq_cstr(s, kinds[index]));
}

/* jup_time_parse: a time read back formats to the same text. */
static void fuzz_time(jup_sv s)
{
	int64_t t = 0;
	char out[21];
	jup_err err = { "" };
	jup_status st = jup_time_parse(s, &t, &err);
	check_status(st, &err, false);
	if (st != JUP_OK)
		return;
	jup_time_format(t, out);
	check(s.len == 20 && memcmp(out, s.ptr, 20) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_sv s = { (const char *)data, size };
	jup_sv t = jup_sv_trim(s);
	fuzz_nhs(s);
	fuzz_dates(s);
	fuzz_time(s);
	fuzz_postcode(s);
	fuzz_postcode(t);
	fuzz_codes(s);
	fuzz_ids(s);
	return 0;
}
