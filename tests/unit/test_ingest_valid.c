/*
 * test_ingest_valid.c - unit tests for the extract value validators
 * (src/ingest/jup_ingest_valid.c).
 *
 * Table driven: every rule has cases that pass and cases that fail. Dates
 * are judged against a fixed TODAY, never the clock. Every failing case is
 * also checked not to echo the value in its reason.
 */
#include "jup_test.h"

#include "core/jup_limits.h"
#include "ingest/jup_ingest_valid.h"

#include <stdio.h>
#include <string.h>

#define TODAY jup_date_from_ymd(2026, 11, 23)

/* One case: input (with its length, so it may hold NUL), the expected status
 * and, for JUP_OK, the canonical form (or NULL), otherwise a piece of the
 * expected reason. */
typedef struct vcase {
	const char *in;
	size_t len;
	jup_status st;
	const char *want;
} vcase;

#define OK(s, canon)   { s, sizeof(s) - 1, JUP_OK, canon }
#define BAD(s, reason) { s, sizeof(s) - 1, JUP_ERR_INVALID, reason }
#define BLANK(s)       { s, sizeof(s) - 1, JUP_ERR_NOT_FOUND, "missing" }
#define N(t)           (sizeof(t) / sizeof((t)[0]))

/* Does the NUL-terminated msg contain the n bytes at v? */
static bool contains(const char *msg, const char *v, size_t n)
{
	for (size_t i = 0; msg[i]; i++)
		if (strncmp(msg + i, v, n) == 0 && memchr(v, '\0', n) == NULL)
			return true;
	return false;
}

/* A validator behind one signature; out gets the canonical form, if any. */
typedef jup_status (*validator)(jup_sv s, char out[32], jup_err *err);

static void run_cases(const char *what, const vcase *t, size_t n, validator fn, bool echo_check)
{
	for (size_t i = 0; i < n; i++) {
		char out[32] = "";
		jup_err err = { "" };
		jup_status st = fn((jup_sv){ t[i].in, t[i].len }, out, &err);
		if (st != t[i].st)
			fail_msg("%s case %zu: status %s, expected %s (%s)", what, i,
				 jup_strerror(st), jup_strerror(t[i].st), err.msg);
		if (st == JUP_OK && t[i].want && strcmp(out, t[i].want) != 0)
			fail_msg("%s case %zu: canonical \"%s\", expected \"%s\"", what, i, out,
				 t[i].want);
		if (st != JUP_OK && !strstr(err.msg, t[i].want))
			fail_msg("%s case %zu: reason \"%s\" lacks \"%s\"", what, i, err.msg,
				 t[i].want);
		if (st != JUP_OK && echo_check && t[i].len >= 4 &&
		    contains(err.msg, t[i].in, t[i].len))
			fail_msg("%s case %zu: reason echoes the value", what, i);
	}
}

/* ---- NHS number ---------------------------------------------------------- */

static jup_status v_nhs(jup_sv s, char out[32], jup_err *err)
{
	return jup_ingest_nhs_number(s, out, err);
}

static void test_nhs_check_digit(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		int digit;
	} t[] = {
		{ "943476591", 9 }, { "900000000", 9 }, { "999000005", 0 },
		{ "999000000", 10 }, { "999123456", 10 }, { "987654432", 2 },
		{ "000000000", 0 },
	};
	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(jup_ingest_nhs_check_digit(t[i].body), t[i].digit);
}

static void test_nhs_number(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("9434765919", "9434765919"),
		OK("9000000009", "9000000009"),
		OK("9990000050", "9990000050"),
		OK("943 476 5919", "9434765919"),
		OK("943  4765919", "9434765919"),
		BAD("9991234560", "would be 10"),
		BAD("9876544321", "does not match"),
		BAD("9434765918", "does not match"),
		BAD("943476591", "10 digits"),
		BAD("94347659190", "10 digits"),
		BAD("94347659I9", "10 digits"),
		BAD("943-476-5919", "10 digits"),
		BAD("abcdefghij", "10 digits"),
		BAD("943476591\t9", "10 digits"),
		BAD("９434765919", "10 digits"), /* a full-width digit */
		BLANK(""),
		BLANK("   "),
	};
	run_cases("nhs", t, N(t), v_nhs, true);
}

/* Every number 9990000000..9990000009: the prefix gives c = 10. */
static void test_nhs_never_issued_range(void **state)
{
	(void)state;
	for (int last = 0; last <= 9; last++) {
		char in[11] = "999000000", out[11];
		jup_err err = { "" };
		in[9] = (char)('0' + last);
		in[10] = '\0';
		assert_int_equal(jup_ingest_nhs_number(jup_sv_from(in), out, &err),
				 JUP_ERR_INVALID);
		assert_string_equal(err.msg, "check digit would be 10: never issued");
	}
}

/* ---- dates and times ----------------------------------------------------- */

static jup_status v_date(jup_sv s, char out[32], jup_err *err)
{
	jup_date d = 0;
	jup_status st = jup_ingest_date(s, TODAY, &d, err);
	if (st == JUP_OK)
		jup_date_format(d, out);
	return st;
}

static void test_date(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("2024-02-29", "2024-02-29"),
		OK("2000-02-29", "2000-02-29"),
		OK("1870-01-01", "1870-01-01"),
		OK("1970-01-01", "1970-01-01"),
		OK("2026-11-23", "2026-11-23"), /* today */
		OK("2025-12-31", "2025-12-31"),
		BAD("2023-02-29", "no such calendar date"),
		BAD("1900-02-29", "no such calendar date"),
		BAD("2024-04-31", "no such calendar date"),
		BAD("2024-13-01", "no such calendar date"),
		BAD("2024-00-10", "no such calendar date"),
		BAD("2024-01-00", "no such calendar date"),
		BAD("2026-11-24", "in the future"),
		BAD("2100-01-01", "in the future"),
		BAD("1869-12-31", "before 1870"),
		BAD("0001-01-01", "before 1870"),
		BAD("2024-2-29", "ISO 8601"),
		BAD("2024/02/29", "ISO 8601"),
		BAD("29-02-2024", "ISO 8601"),
		BAD("24-02-29", "ISO 8601"),
		BAD("2024-02-29T00:00", "ISO 8601"),
		BAD("+024-02-29", "ISO 8601"),
		BAD("2024-0a-29", "ISO 8601"),
		BLANK(""),
	};
	run_cases("date", t, N(t), v_date, true);
}

static jup_status v_datetime(jup_sv s, char out[32], jup_err *err)
{
	jup_date d = 0;
	jup_status st = jup_ingest_datetime(s, TODAY, &d, err);
	if (st == JUP_OK)
		jup_date_format(d, out);
	return st;
}

static void test_datetime(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("2026-11-23T10:15", "2026-11-23"),
		OK("2026-11-23T10:15:30", "2026-11-23"),
		OK("2024-02-29T23:59:59", "2024-02-29"),
		OK("2000-02-29T00:00", "2000-02-29"),
		OK("1870-01-01T00:00:00", "1870-01-01"),
		BAD("2026-11-23T24:00", "no such time of day"),
		BAD("2026-11-23T23:60", "no such time of day"),
		BAD("2026-11-23T10:15:60", "no such time of day"),
		BAD("2026-11-23T99:99:99", "no such time of day"),
		BAD("2023-02-29T10:00", "no such calendar date"),
		BAD("1900-02-29T10:00", "no such calendar date"),
		BAD("2026-11-24T00:00", "in the future"),
		BAD("1869-12-31T23:59", "before 1870"),
		BAD("2026-11-23 10:15", "date-time"),
		BAD("2026-11-23t10:15", "date-time"),
		BAD("2026-11-23T1015", "date-time"),
		BAD("2026-11-23T10:1", "date-time"),
		BAD("2026-11-23T10:15:3", "date-time"),
		BAD("2026-11-23T10:15Z", "date-time"),
		BAD("2026-11-23T10:15:30Z", "date-time"),
		BAD("2026-11-23T10:15:30.5", "date-time"),
		BAD("2026-11-23T1a:15", "date-time"),
		BAD("2026-11-23", "date-time"),
		BAD("2026/11/23T10:15", "ISO 8601"),
		BLANK(""),
	};
	run_cases("datetime", t, N(t), v_datetime, true);
}

/* ---- postcodes ----------------------------------------------------------- */

static jup_status v_postcode(jup_sv s, char out[32], jup_err *err)
{
	return jup_ingest_postcode(s, out, err);
}

static void test_postcode(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("M1 1AE", "M1 1AE"),     /* A9 9AA */
		OK("B33 8TH", "B33 8TH"),   /* A99 9AA */
		OK("CR2 6XH", "CR2 6XH"),   /* AA9 9AA */
		OK("DN55 1PT", "DN55 1PT"), /* AA99 9AA */
		OK("W1A 0AX", "W1A 0AX"),   /* A9A 9AA */
		OK("EC1A 1BB", "EC1A 1BB"), /* AA9A 9AA */
		OK("LS1 4AP", "LS1 4AP"),
		OK("ls1 4ap", "LS1 4AP"),
		OK("ls14ap", "LS1 4AP"),
		OK("M11AE", "M1 1AE"),
		OK("ec1a1bb", "EC1A 1BB"),
		OK("Dn551pt", "DN55 1PT"),
		OK("GIR 0AA", "GIR 0AA"),
		OK("gir0aa", "GIR 0AA"),
		OK("LS1 4ZZ", "LS1 4ZZ"),
		BAD("LS1 4CP", "not a UK postcode"),
		BAD("LS1 4AI", "not a UK postcode"),
		BAD("LS1 4KA", "not a UK postcode"),
		BAD("LS1 4AM", "not a UK postcode"),
		BAD("LS1 4OA", "not a UK postcode"),
		BAD("LS1 4AV", "not a UK postcode"),
		BAD("ls1 4cp", "not a UK postcode"),
		BAD("EC1A1 1BB", "not a UK postcode"),
		BAD("EC1AB 1BB", "not a UK postcode"),
		BAD("EC1A 1BBB", "not a UK postcode"),
		BAD("12345", "not a UK postcode"),
		BAD("123 456", "not a UK postcode"),
		BAD("LS1  4AP", "not a UK postcode"),
		BAD("LS1 4 AP", "not a UK postcode"),
		BAD("LS 14AP", "not a UK postcode"),
		BAD("LS14 AP", "not a UK postcode"),
		BAD("LS1-4AP", "not a UK postcode"),
		BAD("L1 1A", "not a UK postcode"),
		BAD("1S1 4AP", "not a UK postcode"),
		BAD("LSA 4AP", "not a UK postcode"),
		BAD("LS1 AAP", "not a UK postcode"),
		BAD("LS1 44P", "not a UK postcode"),
		BAD("GIR 0AB", "not a UK postcode"),
		BAD("LS1\t4AP", "not a UK postcode"),
		BAD(" ", "not a UK postcode"),
		BLANK(""),
	};
	run_cases("postcode", t, N(t), v_postcode, true);
}

/* ---- Verhoeff and SNOMED CT ---------------------------------------------- */

static void test_verhoeff(void **state)
{
	(void)state;
	/* the textbook examples: 236 -> 3, 12345 -> 1 */
	assert_int_equal(jup_ingest_verhoeff_digit(JUP_SV_LIT("236")), 3);
	assert_int_equal(jup_ingest_verhoeff_digit(JUP_SV_LIT("12345")), 1);
	assert_int_equal(jup_ingest_verhoeff_digit(JUP_SV_LIT("3834100")), 3);
	assert_int_equal(jup_ingest_verhoeff_digit(JUP_SV_LIT("12a")), -1);
	assert_true(jup_ingest_verhoeff_ok(JUP_SV_LIT("2363")));
	assert_true(jup_ingest_verhoeff_ok(JUP_SV_LIT("123451")));
	assert_false(jup_ingest_verhoeff_ok(JUP_SV_LIT("2364")));
	assert_false(jup_ingest_verhoeff_ok(JUP_SV_LIT("2633"))); /* transposition */
	assert_false(jup_ingest_verhoeff_ok(JUP_SV_LIT("0")));     /* too short */
	assert_false(jup_ingest_verhoeff_ok(JUP_SV_LIT("")));
	assert_false(jup_ingest_verhoeff_ok(JUP_SV_LIT("23 63")));
	/* every body, extended with its digit, checks; any other digit does not */
	static const char *const bodies[] = { "1", "99", "3834100", "19596700",
					      "12345678901234567" };
	for (size_t i = 0; i < N(bodies); i++) {
		char s[32];
		size_t n = strlen(bodies[i]);
		memcpy(s, bodies[i], n);
		int c = jup_ingest_verhoeff_digit(jup_sv_from(bodies[i]));
		for (int d = 0; d <= 9; d++) {
			s[n] = (char)('0' + d);
			assert_int_equal(jup_ingest_verhoeff_ok((jup_sv){ s, n + 1 }), d == c);
		}
	}
}

static jup_status v_snomed(jup_sv s, char out[32], jup_err *err)
{
	(void)out;
	return jup_ingest_snomed_concept(s, err);
}

static void test_snomed(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("38341003", NULL),        /* hypertensive disorder */
		OK("44054006", NULL),        /* type 2 diabetes mellitus */
		OK("22298006", NULL),        /* myocardial infarction */
		OK("195967001", NULL),       /* asthma */
		OK("138875005", NULL),       /* the root concept */
		OK("73211009", NULL),        /* diabetes mellitus */
		OK("123451000000103", NULL), /* partition 10 (an extension concept) */
		BAD("38341004", "verhoeff"),
		BAD("38341005", "verhoeff"),
		BAD("44054007", "verhoeff"),
		BAD("195967002", "verhoeff"),
		BAD("38341019", "partition"),  /* a description id: Verhoeff fine */
		BAD("195967017", "partition"), /* likewise */
		BAD("38341023", "partition"),
		BAD("038341003", "start with 0"), /* Verhoeff fine */
		BAD("12345", "6 to 18 digits"),
		BAD("1234567890123456789", "6 to 18 digits"),
		BAD("3834100A", "digits only"),
		BAD("38341 003", "digits only"),
		BAD("-38341003", "digits only"),
		BAD("", "6 to 18 digits"),
	};
	/* the failing cases must fail for the reason given, so check that the
	 * partition and leading-zero cases do carry a good check digit */
	assert_true(jup_ingest_verhoeff_ok(JUP_SV_LIT("38341019")));
	assert_true(jup_ingest_verhoeff_ok(JUP_SV_LIT("195967017")));
	assert_true(jup_ingest_verhoeff_ok(JUP_SV_LIT("038341003")));
	run_cases("snomed", t, N(t), v_snomed, true);
}

/* ---- ICD-10 -------------------------------------------------------------- */

static jup_status v_icd10(jup_sv s, char out[32], jup_err *err)
{
	(void)out;
	return jup_ingest_icd10(s, err);
}

static void test_icd10(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("I25.2", NULL),   OK("E11.9", NULL),   OK("C77", NULL),
		OK("I252", NULL),    OK("U07.1", NULL),   OK("A00.0", NULL),
		OK("Z99.2", NULL),   OK("I2523", NULL),   OK("I25.23", NULL),
		OK("X59.X", NULL),   OK("U07.AB", NULL),
		BAD("i25.2", "ICD-10"), BAD("I2", "ICD-10"),       BAD("125.2", "ICD-10"),
		BAD("I25.", "ICD-10"),  BAD("I25.123", "ICD-10"),  BAD("I25123", "ICD-10"),
		BAD("I25-2", "ICD-10"), BAD("I25 2", "ICD-10"),    BAD("I25.a", "ICD-10"),
		BAD("IA5.2", "ICD-10"), BAD("I25X", "ICD-10"),     BAD("I25.2.", "ICD-10"),
		BAD(".I25", "ICD-10"),  BAD("I25..2", "ICD-10"),   BAD("", "ICD-10"),
	};
	run_cases("icd10", t, N(t), v_icd10, true);
}

/* ---- text ---------------------------------------------------------------- */

#define TEXT_MAX 12

static jup_status v_text(jup_sv s, char out[32], jup_err *err)
{
	(void)out;
	return jup_ingest_text(s, TEXT_MAX, err);
}

static void test_text(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("hello", NULL),
		OK("a b, c; d", NULL),
		OK("caf\xC3\xA9", NULL),                /* 2 bytes: é */
		OK("\xE2\x82\xAC 5", NULL),             /* 3 bytes: € */
		OK("\xF0\x9F\x98\x80", NULL),           /* 4 bytes: an emoji */
		OK("\xEF\xBF\xBD", NULL),               /* U+FFFD */
		OK("\xF4\x8F\xBF\xBF", NULL),           /* U+10FFFF */
		OK("\xED\x9F\xBF", NULL),               /* U+D7FF, below the surrogates */
		OK("\xC2\x85", NULL),                   /* U+0085: a C1 control, allowed */
		OK("exactly 12 b", NULL),
		OK(" ", NULL),
		BAD("a\tb", "control character"),
		BAD("a\nb", "control character"),
		BAD("a\rb", "control character"),
		BAD("a\x01", "control character"),
		BAD("a\x1f", "control character"),
		BAD("del\x7f", "control character"),
		BAD("a\0b", "control character"),
		BAD("\xC0\xAF", "utf-8"),               /* overlong '/' */
		BAD("\xC1\xBF", "utf-8"),               /* overlong */
		BAD("\xE0\x80\xAF", "utf-8"),           /* overlong, 3 bytes */
		BAD("\xF0\x80\x80\xAF", "utf-8"),       /* overlong, 4 bytes */
		BAD("\x80", "utf-8"),                   /* lone continuation */
		BAD("ab\xBF", "utf-8"),
		BAD("\xE2\x82", "utf-8"),               /* truncated */
		BAD("\xE2\x82x", "utf-8"),
		BAD("\xF0\x9F\x98", "utf-8"),
		BAD("\xC3", "utf-8"),
		BAD("\xED\xA0\x80", "utf-8"),           /* a surrogate */
		BAD("\xF4\x90\x80\x80", "utf-8"),       /* past U+10FFFF */
		BAD("\xF5\x80\x80\x80", "utf-8"),
		BAD("\xFF", "utf-8"),
		BAD("\xFE", "utf-8"),
		BAD("exactly 13 by", "longer than 12 bytes"),
		BLANK(""),
	};
	run_cases("text", t, N(t), v_text, true);
}

static void test_text_limit(void **state)
{
	(void)state;
	static char s[JUP_MAX_TEXT_LEN + 1];
	jup_err err;
	memset(s, 'x', sizeof s);
	assert_int_equal(jup_ingest_text((jup_sv){ s, JUP_MAX_TEXT_LEN }, JUP_MAX_TEXT_LEN, &err),
			 JUP_OK);
	assert_int_equal(jup_ingest_text((jup_sv){ s, sizeof s }, JUP_MAX_TEXT_LEN, &err),
			 JUP_ERR_INVALID);
	assert_string_equal(err.msg, "longer than 500 bytes");
}

/* ---- identifiers --------------------------------------------------------- */

static jup_status v_local_id(jup_sv s, char out[32], jup_err *err)
{
	(void)out;
	return jup_ingest_local_id(s, err);
}

static void test_local_id(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("x", NULL),
		OK("7", NULL),
		OK("P-0001/a_b", NULL),
		OK("GP/2026/000123", NULL),
		OK("abcdefghijklmnopqrstuvwxyz012345", NULL), /* 32 */
		BAD("abcdefghijklmnopqrstuvwxyz0123456", "longer than 32"),
		BAD("a b", "may hold only"),
		BAD("a.b", "may hold only"),
		BAD("a,b", "may hold only"),
		BAD("a\\b", "may hold only"),
		BAD("caf\xC3\xA9", "may hold only"),
		BAD("a\0b", "may hold only"),
		BLANK(""),
	};
	run_cases("local_id", t, N(t), v_local_id, true);
}

static jup_status v_org_code(jup_sv s, char out[32], jup_err *err)
{
	(void)out;
	return jup_ingest_org_code(s, err);
}

static void test_org_code(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("RR8", NULL),
		OK("Y12345", NULL),
		OK("B86001", NULL),
		OK("ABCDEF123456", NULL), /* 12 */
		BAD("AB", "3 to 12"),
		BAD("ABCDEF1234567", "3 to 12"),
		BAD("y12345", "upper-case"),
		BAD("AB-1", "upper-case"),
		BAD("A B", "upper-case"),
		BAD("A_B", "upper-case"),
		BLANK(""),
	};
	run_cases("org_code", t, N(t), v_org_code, true);
}

/* ---- enumerations -------------------------------------------------------- */

static const char *const places[] = { "home", "care_home", "hospice", NULL };

static jup_status v_enum(jup_sv s, char out[32], jup_err *err)
{
	size_t index = 99;
	jup_status st = jup_ingest_enum(s, places, &index, err);
	if (st == JUP_OK)
		snprintf(out, 32, "%zu", index);
	return st;
}

static void test_enum(void **state)
{
	(void)state;
	static const vcase t[] = {
		OK("home", "0"),
		OK("care_home", "1"),
		OK("hospice", "2"),
		BAD("Home", "must be one of home, care_home, hospice"),
		BAD("hom", "must be one of"),
		BAD("homes", "must be one of"),
		BAD("care", "must be one of"),
		BAD("home ", "must be one of"),
		BAD("home\0", "must be one of"),
		BLANK(""),
	};
	/* the reason lists the allowed values, so no echo check here */
	run_cases("enum", t, N(t), v_enum, false);
}

static void test_enum_edges(void **state)
{
	(void)state;
	static const char *const none[] = { NULL };
	jup_err err;
	assert_int_equal(jup_ingest_enum(JUP_SV_LIT("x"), none, NULL, &err), JUP_ERR_INVALID);
	assert_int_equal(jup_ingest_enum(JUP_SV_LIT("x"), NULL, NULL, &err), JUP_ERR_USAGE);
	assert_int_equal(jup_ingest_enum(JUP_SV_LIT("hospice"), places, NULL, NULL), JUP_OK);
	assert_int_equal(jup_ingest_enum(JUP_SV_LIT("x"), places, NULL, NULL), JUP_ERR_INVALID);
	/* a reason too long for err is cut short, not overflowed */
	static const char *const many[] = {
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
		"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
		"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
		"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		"gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
		NULL,
	};
	assert_int_equal(jup_ingest_enum(JUP_SV_LIT("x"), many, NULL, &err), JUP_ERR_INVALID);
	assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nhs_check_digit),
		cmocka_unit_test(test_nhs_number),
		cmocka_unit_test(test_nhs_never_issued_range),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_postcode),
		cmocka_unit_test(test_verhoeff),
		cmocka_unit_test(test_snomed),
		cmocka_unit_test(test_icd10),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_limit),
		cmocka_unit_test(test_local_id),
		cmocka_unit_test(test_org_code),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_enum_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
