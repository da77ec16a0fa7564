/* test_core.c - core: status, string views, buffers, dates. */
#include "jup_test.h"

#include "core/jup_array.h"
#include "core/jup_buf.h"
#include "core/jup_date.h"
#include "core/jup_hex.h"
#include "core/jup_status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_strerror_covers_every_status(void **state)
{
	(void)state;
	for (int s = 0; s < JUP_STATUS__COUNT; s++)
		assert_non_null(jup_strerror((jup_status)s));
	assert_string_equal(jup_strerror(JUP_OK), "ok");
	assert_string_equal(jup_strerror((jup_status)999), "unknown status");
}

static void test_err_set_formats_and_returns(void **state)
{
	(void)state;
	jup_err err;
	assert_int_equal(jup_err_set(&err, JUP_ERR_IO, "could not open \"%s\"", "x.csv"),
			 JUP_ERR_IO);
	assert_string_equal(err.msg, "could not open \"x.csv\"");
	assert_int_equal(jup_err_set(NULL, JUP_ERR_LIMIT, "ignored"), JUP_ERR_LIMIT);
}

static void test_sv_helpers(void **state)
{
	(void)state;
	jup_sv s = jup_sv_trim(jup_sv_from("  \tLS1 4AP \t"));
	assert_true(jup_sv_eq_cstr(s, "LS1 4AP"));
	assert_true(jup_sv_eq_cstr(jup_sv_trim(jup_sv_from("   ")), ""));
	assert_true(jup_sv_starts_with(jup_sv_from("gp_patients.csv"), JUP_SV_LIT("gp_")));
	assert_false(jup_sv_starts_with(jup_sv_from("gp"), JUP_SV_LIT("gp_")));
	char small[4];
	assert_false(jup_sv_to_cstr(jup_sv_from("abcdef"), small, sizeof small));
	assert_string_equal(small, "abc");
	assert_true(jup_sv_to_cstr(jup_sv_from("ab"), small, sizeof small));
}

static void test_buf_appends_and_limit(void **state)
{
	(void)state;
	jup_buf b;
	jup_buf_init(&b, 16);
	assert_int_equal(jup_buf_append_cstr(&b, "abc"), JUP_OK);
	assert_int_equal(jup_buf_append_i64(&b, -1234), JUP_OK);
	assert_int_equal(jup_buf_append_char(&b, ','), JUP_OK);
	assert_string_equal(b.data, "abc-1234,");
	assert_int_equal(jup_buf_appendf(&b, "%d%s", 42, "more than room"), JUP_ERR_LIMIT);
	assert_string_equal(b.data, "abc-1234,"); /* unchanged on failure */
	jup_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(jup_buf_append_i64(&b, INT64_MIN), JUP_ERR_LIMIT);
	jup_buf_free(&b);
	jup_buf_init(&b, 0);
	assert_int_equal(jup_buf_append_i64(&b, INT64_MIN), JUP_OK);
	assert_string_equal(b.data, "-9223372036854775808");
	jup_buf_free(&b);
}

static void test_buf_csv_field_quoting(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "O\"Neill", "\"O\"\"Neill\"" },
		{ "two\nlines", "\"two\nlines\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_buf b;
		jup_buf_init(&b, 0);
		assert_int_equal(jup_buf_append_csv_field(&b, jup_sv_from(cases[i].in)), JUP_OK);
		assert_string_equal(b.data, cases[i].out);
		jup_buf_free(&b);
	}
}

static void test_date_round_trip(void **state)
{
	(void)state;
	assert_int_equal(jup_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(jup_date_from_ymd(2000, 3, 1) - jup_date_from_ymd(2000, 2, 28), 2);
	for (jup_date t = -80000; t < 40000; t += 17) {
		int y, m, d;
		jup_date_to_ymd(t, &y, &m, &d);
		assert_true(jup_date_valid_ymd(y, m, d));
		assert_int_equal(jup_date_from_ymd(y, m, d), t);
	}
	char out[11];
	jup_date_format(jup_date_from_ymd(2024, 2, 29), out);
	assert_string_equal(out, "2024-02-29");
}

static void test_date_parse(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		jup_status want;
	} cases[] = {
		{ "2024-02-29", JUP_OK },        { "2023-02-29", JUP_ERR_INVALID },
		{ "1900-02-29", JUP_ERR_INVALID }, { "2000-02-29", JUP_OK },
		{ "2024-13-01", JUP_ERR_INVALID }, { "2024-04-31", JUP_ERR_INVALID },
		{ "2024-4-03", JUP_ERR_INVALID },  { "24-04-03", JUP_ERR_INVALID },
		{ "2024/04/03", JUP_ERR_INVALID }, { "2024-04-03T", JUP_ERR_INVALID },
		{ "", JUP_ERR_INVALID },           { "2024-0a-03", JUP_ERR_INVALID },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_date d;
		jup_err err;
		assert_int_equal(jup_date_parse(jup_sv_from(cases[i].s), &d, &err), cases[i].want);
	}
}

static void test_time_parse_format(void **state)
{
	(void)state;
	int64_t t;
	jup_err err;
	char out[21];
	assert_int_equal(jup_time_parse(jup_sv_from("1970-01-01T00:00:00Z"), &t, &err), JUP_OK);
	assert_int_equal(t, 0);
	assert_int_equal(jup_time_parse(jup_sv_from("2026-11-23T10:00:00Z"), &t, &err), JUP_OK);
	jup_time_format(t + 12 * 3600, out);
	assert_string_equal(out, "2026-11-23T22:00:00Z");
	jup_time_format(t + 14 * 3600, out); /* across midnight */
	assert_string_equal(out, "2026-11-24T00:00:00Z");
	jup_time_format(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	static const char *const bad[] = { "2026-11-23T10:00:00",  "2026-11-23 10:00:00Z",
					   "2026-02-30T10:00:00Z", "2026-11-23T24:00:00Z",
					   "2026-11-23T10:60:00Z", "2026-11-23T1a:00:00Z", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(jup_time_parse(jup_sv_from(bad[i]), &t, &err), JUP_ERR_INVALID);
}

static void test_date_age(void **state)
{
	(void)state;
	jup_date birth = jup_date_from_ymd(1950, 6, 15);
	assert_int_equal(jup_date_age(birth, jup_date_from_ymd(2026, 6, 14)), 75);
	assert_int_equal(jup_date_age(birth, jup_date_from_ymd(2026, 6, 15)), 76);
	assert_int_equal(jup_date_age(birth, jup_date_from_ymd(1950, 6, 14)), -1);
}

static void test_array_grow(void **state)
{
	(void)state;
	int *items = NULL;
	size_t cap = 0, n = 0;
	for (int i = 0; i < 1000; i++) {
		int *p = jup_array_grow(items, &cap, n, sizeof *p, 4);
		assert_non_null(p);
		items = p;
		assert_true(cap > n);
		items[n++] = i;
	}
	assert_int_equal(cap, 1024); /* 4, 8, ... doubling */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(items[i], i);
	assert_ptr_equal(jup_array_grow(items, &cap, 10, sizeof *items, 4), items); /* room left */
	size_t huge = SIZE_MAX / 2;
	assert_null(jup_array_grow(items, &huge, huge, sizeof *items, 4)); /* would overflow */
	assert_int_equal(huge, SIZE_MAX / 2);
	free(items);
}

static void test_hex(void **state)
{
	(void)state;
	const uint8_t in[] = { 0x00, 0x0f, 0xa5, 0xff };
	char out[9];
	jup_hex_encode(in, sizeof in, out);
	assert_string_equal(out, "000fa5ff");
	uint8_t back[4];
	assert_true(jup_hex_decode(jup_sv_from(out), back, sizeof back));
	assert_memory_equal(back, in, sizeof in);
	assert_false(jup_hex_decode(jup_sv_from("000FA5FF"), back, 4)); /* lower case only */
	assert_false(jup_hex_decode(jup_sv_from("000fa5f"), back, 4));  /* length */
	assert_false(jup_hex_decode(jup_sv_from("000fa5fg"), back, 4)); /* digit */
}

static void test_ids(void **state)
{
	(void)state;
	jup_ids l = { 0 };
	jup_err err;
	static const int64_t in[] = { 42, -7, 1000000000000LL, 0, 42 };
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		assert_int_equal(jup_ids_add(&l, in[i], &err), JUP_OK);
	assert_int_equal(l.n, 5);
	assert_true(jup_ids_has(&l, -7) && jup_ids_has(&l, 1000000000000LL));
	assert_false(jup_ids_has(&l, 7));
	jup_ids_sort(&l);
	static const int64_t want[] = { -7, 0, 42, 42, 1000000000000LL };
	for (size_t i = 0; i < l.n; i++)
		assert_true(l.v[i] == want[i]);
	free(l.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strerror_covers_every_status),
		cmocka_unit_test(test_err_set_formats_and_returns),
		cmocka_unit_test(test_sv_helpers),
		cmocka_unit_test(test_buf_appends_and_limit),
		cmocka_unit_test(test_buf_csv_field_quoting),
		cmocka_unit_test(test_date_round_trip),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_age),
		cmocka_unit_test(test_time_parse_format),
		cmocka_unit_test(test_array_grow),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
