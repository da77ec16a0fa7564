/*
 * test_link_compare.c - unit tests for linkage features and comparisons
 * (src/link/link_fold.c, link_nick.c, link_prepare.c, link_compare.c).
 *
 * Table driven: folding of awkward names (accents, hyphens, apostrophes,
 * broken UTF-8, short buffers), record preparation, the string comparators
 * against published values, nicknames, the phonetic code, and every level
 * of every comparison from pairs of records written as text.
 */
#include "jup_test.h"

#include "link/jup_link.h"
#include "link/link_internal.h"

#include <stdio.h>
#include <string.h>

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* ---- helpers -------------------------------------------------------------- */

/* The next '|'-separated field of *p (advancing past it). */
static jup_sv next_field(const char **p)
{
	const char *s = *p, *bar = strchr(s, '|');
	size_t n = bar ? (size_t)(bar - s) : strlen(s);
	*p = bar ? bar + 1 : s + n;
	return (jup_sv){ s, n };
}

/* A prepared record from "nhs|given|family|dob|sex|postcode|address". */
static jup_link_rec rec(const char *spec)
{
	jup_link_input in;
	jup_link_rec r;
	const char *p = spec;
	in.nhs_number = next_field(&p);
	in.given_name = next_field(&p);
	in.family_name = next_field(&p);
	in.dob = next_field(&p);
	in.sex = next_field(&p);
	in.postcode = next_field(&p);
	in.address = next_field(&p);
	jup_link_prepare(&in, &r);
	return r;
}

/* Field f of size bytes holds a string and then only NULs (records are
 * compared with memcmp of whole fields). */
static bool padded(const char *f, size_t size)
{
	size_t n = strnlen(f, size);
	if (n == size)
		return false;
	for (size_t i = n; i < size; i++)
		if (f[i] != '\0')
			return false;
	return true;
}

/* ---- folding --------------------------------------------------------------- */

static void test_fold_name(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "Zoë", "zoe" },
		{ "Zoe\xcc\x88", "zoe" }, /* e + combining diaeresis */
		{ "José", "jose" },
		{ "Øyvind", "oyvind" },
		{ "O'Neill", "oneill" },
		{ "O\xe2\x80\x99Neill", "oneill" }, /* curly apostrophe */
		{ "Oyelaran-Whitfield", "oyelaranwhitfield" },
		{ "St John", "stjohn" },
		{ "Æthelred", "aethelred" },
		{ "Straße", "strasse" },
		{ "Łukasz Wiśniewski", "lukaszwisniewski" },
		{ "Muñoz", "munoz" },
		{ "François", "francois" },
		{ "Şahin Doğan", "sahindogan" },
		{ "Dvořák", "dvorak" },
		{ "Ÿvette", "yvette" },
		{ "ĲSSEL", "ijssel" },
		{ "Œuvre", "oeuvre" },
		{ "Þór", "thor" },
		{ "R2-D2", "rd" },
		{ "J.", "j" },
		{ "Jo\xffhn", "john" },        /* invalid byte skipped */
		{ "Jo\xc3", "jo" },           /* sequence cut short */
		{ "\xc1\x81" "bc", "bc" },    /* overlong 'A' is not a letter */
		{ "\xed\xa0\x80x", "x" },     /* surrogate */
		{ "\xe2\x82\xac" "5", "" },   /* euro sign, digit */
		{ "Σοφία", "" },              /* outside Latin: dropped */
		{ "", "" },
	};
	for (size_t i = 0; i < N(t); i++) {
		char out[JUP_LINK_NAME_MAX];
		size_t n = jup_link_fold_name(jup_sv_from(t[i].in), out, sizeof out);
		if (strcmp(out, t[i].want) != 0 || n != strlen(t[i].want))
			fail_msg("fold case %zu: \"%s\" (%zu), expected \"%s\"", i, out, n,
				 t[i].want);
	}
}

static void test_fold_name_cap(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t cap;
		const char *want;
	} t[] = {
		{ "Abc", 1, "" },
		{ "Æsa", 2, "a" },
		{ "Æsa", 3, "ae" },
		{ "Æsa", 4, "aes" },
		{ "Æsa", 5, "aesa" },
		{ "Wolfeschlegelsteinhausenbergerdorff", 24, "wolfeschlegelsteinhause" },
	};
	for (size_t i = 0; i < N(t); i++) {
		char buf[64];
		memset(buf, '#', sizeof buf);
		size_t n = jup_link_fold_name(jup_sv_from(t[i].in), buf, t[i].cap);
		assert_string_equal(buf, t[i].want);
		assert_int_equal(n, strlen(t[i].want));
		for (size_t k = t[i].cap; k < sizeof buf; k++)
			assert_int_equal(buf[k], '#');
	}
	char one = '#';
	assert_int_equal(jup_link_fold_name(JUP_SV_LIT("abc"), &one, 0), 0);
	assert_int_equal(one, '#');
}

static void test_fold_text(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t cap;
		const char *want;
	} t[] = {
		{ "14, Larch Grove", 40, "14 larch grove" },
		{ "  Flat 3/12  St. Mary's Road ", 40, "flat 3 12 st marys road" },
		{ "Rue de l’Église", 40, "rue de leglise" },
		{ "--", 40, "" },
		{ "12 Very Long Street Name Avenue, Somewhere", 20, "12 very long street" },
		{ "abc defgh", 5, "abc" }, /* no trailing space at the cut */
		{ "abc defgh", 6, "abc d" },
		{ "Ålesund 9", 9, "alesund" },
	};
	for (size_t i = 0; i < N(t); i++) {
		char buf[64];
		memset(buf, '#', sizeof buf);
		size_t n = link_fold_text(jup_sv_from(t[i].in), buf, t[i].cap);
		if (strcmp(buf, t[i].want) != 0 || n != strlen(buf))
			fail_msg("text case %zu: \"%s\", expected \"%s\"", i, buf, t[i].want);
		for (size_t k = t[i].cap; k < sizeof buf; k++)
			assert_int_equal(buf[k], '#');
	}
}

/* ---- preparation ------------------------------------------------------------ */

static void test_prepare_names(void **state)
{
	(void)state;
	static const struct {
		const char *given, *family;
		const char *g1, *g2, *fam, *part;
	} t[] = {
		{ "Mary Ann", "Smith", "mary", "ann", "smith", "" },
		{ "J.", "O'Neill", "j", "", "oneill", "" },
		{ "J.R.", "ONeill", "j", "r", "oneill", "" },
		{ "  Zoë  ", "Oyelaran-Whitfield", "zoe", "", "oyelaranwhitfield", "whitfield" },
		{ "Ka Wai", "Da Silva", "ka", "wai", "dasilva", "silva" },
		{ "Jean-Paul Marie", "Lloyd-Davies", "jean", "paul", "lloyddavies", "davies" },
		{ "- José", "Smith-", "jose", "", "smith", "" },
		{ "123", "", "", "", "", "" },
		{ "", "Vaughan Thomas-Williams", "", "", "vaughanthomaswilliams", "williams" },
	};
	for (size_t i = 0; i < N(t); i++) {
		char spec[128];
		snprintf(spec, sizeof spec, "|%s|%s||||", t[i].given, t[i].family);
		jup_link_rec r = rec(spec);
		if (strcmp(r.given, t[i].g1) || strcmp(r.given2, t[i].g2) ||
		    strcmp(r.family, t[i].fam) || strcmp(r.family_part, t[i].part))
			fail_msg("names case %zu: \"%s\" \"%s\" \"%s\" \"%s\"", i, r.given,
				 r.given2, r.family, r.family_part);
		assert_true(padded(r.given, sizeof r.given) && padded(r.given2, sizeof r.given2));
		assert_true(padded(r.family, sizeof r.family) &&
			    padded(r.family_part, sizeof r.family_part));
		assert_int_equal(r.given_code, jup_link_phonetic(t[i].g1));
		assert_int_equal(r.family_code, jup_link_phonetic(t[i].fam));
	}
}

static void test_prepare_values(void **state)
{
	(void)state;
	jup_link_rec r = rec("999 000 0034|A|B|1950-02-28|female|ls62ab|14 Larch Grove");
	assert_true(r.nhs == 9990000034ULL);
	assert_int_equal(r.year, 1950);
	assert_int_equal(r.month, 2);
	assert_int_equal(r.day, 28);
	assert_int_equal(r.sex, 'F');
	assert_string_equal(r.pc_area, "ls");
	assert_string_equal(r.pc_district, "ls6");
	assert_string_equal(r.pc_sector, "ls6 2");
	assert_string_equal(r.pc_unit, "ls6 2ab");
	assert_string_equal(r.address, "14 larch grove");
	assert_int_equal(r.house_number, 14);

	r = rec("9434765918|||1950-02-30|X|75001 Paris|Flat 99999999 x");
	assert_true(r.nhs == 0); /* fails Modulus 11 */
	assert_int_equal(r.year, 0); /* no such date */
	assert_int_equal(r.sex, 0);
	assert_string_equal(r.pc_unit, "75001 pa"); /* plain text, cut to 8 */
	assert_string_equal(r.pc_sector, "");
	assert_string_equal(r.pc_district, "");
	assert_string_equal(r.pc_area, "");
	assert_int_equal(r.house_number, 65535);

	r = rec(" 9990000018 |||2031-01-01| m |EC1A 1BB|");
	assert_true(r.nhs == 9990000018ULL);
	assert_int_equal(r.year, 2031); /* future dates are not linkage's business */
	assert_int_equal(r.sex, 'M');
	assert_string_equal(r.pc_area, "ec");
	assert_string_equal(r.pc_district, "ec1a");
	assert_string_equal(r.pc_sector, "ec1a 1");
	assert_string_equal(r.pc_unit, "ec1a 1bb");
	assert_string_equal(r.address, "");
	assert_int_equal(r.house_number, 0);

	r = rec("12345|||1950-2-3|MALE|W1A 0AX|The Old Rectory, Long Lane, Little Snoring Norfolk");
	assert_true(r.nhs == 0);
	assert_int_equal(r.year, 0);
	assert_int_equal(r.sex, 'M');
	assert_string_equal(r.pc_area, "w");
	assert_string_equal(r.pc_sector, "w1a 0");
	assert_int_equal(strlen(r.address), JUP_LINK_ADDR_MAX - 1);
	assert_string_equal(r.address, "the old rectory long lane little snorin");
}

/* ---- string comparators ------------------------------------------------------ */

static void test_jaro_winkler(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		double want;
	} t[] = {
		{ "MARTHA", "MARHTA", 0.961 }, { "DWAYNE", "DUANE", 0.840 },
		{ "DIXON", "DICKSONX", 0.813 }, { "JELLYFISH", "SMELLYFISH", 0.896 },
		{ "CRATE", "TRACE", 0.733 },   /* Jaro 0.733: just above 0.7, no common prefix */
		{ "abc", "xyz", 0.0 },        { "", "", 1.0 },
		{ "a", "", 0.0 },             { "john", "john", 1.0 },
		{ "a", "a", 1.0 },            { "ab", "ba", 0.0 }, /* window 0: no matches */
	};
	for (size_t i = 0; i < N(t); i++) {
		double ab = jup_link_jaro_winkler(t[i].a, t[i].b);
		double ba = jup_link_jaro_winkler(t[i].b, t[i].a);
		if (ab < t[i].want - 0.0005 || ab > t[i].want + 0.0005 || ab != ba)
			fail_msg("jw case %zu: %.4f / %.4f, expected %.3f", i, ab, ba, t[i].want);
	}
	char longa[600], longb[600];
	memset(longa, 'a', sizeof longa - 1);
	memset(longb, 'a', sizeof longb - 1);
	longa[599] = longb[599] = '\0';
	longb[590] = 'b'; /* past LINK_CMP_MAX: not seen */
	assert_true(jup_link_jaro_winkler(longa, longb) == 1.0);
}

/* Jaro-Winkler as textbooks write it (flag arrays, no ordering), for
 * comparison with the library's bit-set and long-string paths. */
static double reference_jw(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), m = 0, t = 0;
	bool am[128] = { false }, bm[128] = { false };
	if (la == 0 && lb == 0)
		return 1.0;
	size_t w = (la > lb ? la : lb) / 2;
	w = w > 0 ? w - 1 : 0;
	for (size_t i = 0; i < la; i++)
		for (size_t j = i > w ? i - w : 0; j < lb && j <= i + w; j++)
			if (!bm[j] && a[i] == b[j]) {
				am[i] = bm[j] = true;
				m++;
				break;
			}
	if (m == 0)
		return 0.0;
	for (size_t i = 0, k = 0; i < la; i++)
		if (am[i]) {
			while (!bm[k])
				k++;
			t += a[i] != b[k++];
		}
	double dm = (double)m;
	double j = (dm / (double)la + dm / (double)lb + (dm - (double)t / 2) / dm) / 3;
	size_t p = 0;
	while (p < 4 && a[p] && a[p] == b[p])
		p++;
	return j > 0.7 ? j + (double)p * 0.1 * (1 - j) : j;
}

/* Random strings over a small alphabet, lengths 0-100 (both sides of the
 * 64-byte fast path): the library agrees with the reference when the
 * shorter string leads, and is symmetric. */
static void test_jaro_winkler_reference(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	for (int n = 0; n < 20000; n++) {
		char a[101], b[101];
		char *s[2] = { a, b };
		for (int k = 0; k < 2; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t len = (seed >> 16) % (n < 10000 ? 12 : 101);
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				s[k][i] = (char)('a' + (seed >> 16) % 4);
			}
			s[k][len] = '\0';
		}
		const char *lead = a, *other = b;
		size_t la = strlen(a), lb = strlen(b);
		if (lb < la || (la == lb && strcmp(a, b) > 0))
			lead = b, other = a;
		double want = reference_jw(lead, other), got = jup_link_jaro_winkler(a, b);
		if (got != want || got != jup_link_jaro_winkler(b, a))
			fail_msg("jw \"%s\" \"%s\": %.6f, reference %.6f", a, b, got, want);
	}
}

static void test_damerau(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int limit, want;
	} t[] = {
		{ "jonh", "john", 3, 1 },      { "john", "jon", 3, 1 },
		{ "kitten", "sitting", 5, 3 }, { "kitten", "sitting", 1, 2 },
		{ "ca", "abc", 5, 3 }, /* OSA: no edits to a transposed pair */
		{ "", "abc", 5, 3 },           { "abc", "", 1, 2 },
		{ "abc", "abc", 0, 0 },        { "a", "b", -1, 1 },
		{ "smith", "smyth", 2, 1 },    { "whitfield", "whitfeild", 2, 1 },
		{ "abcdef", "badcfe", 9, 3 },  { "abc", "abcdefgh", 2, 3 },
	};
	for (size_t i = 0; i < N(t); i++) {
		int ab = jup_link_damerau(t[i].a, t[i].b, t[i].limit);
		int ba = jup_link_damerau(t[i].b, t[i].a, t[i].limit);
		if (ab != t[i].want || ba != t[i].want)
			fail_msg("damerau case %zu: %d / %d, expected %d", i, ab, ba, t[i].want);
	}
	char longa[1000];
	memset(longa, 'x', sizeof longa - 1);
	longa[999] = '\0';
	assert_int_equal(jup_link_damerau(longa, "", 1000000), 256);
	assert_int_equal(jup_link_damerau(longa, longa, 1), 0);
}

/* link_within_one agrees with jup_link_damerau(.., 1) on every pair of
 * strings up to length 4 over a 3-letter alphabet. */
static void test_within_one(void **state)
{
	(void)state;
	char s[200][5];
	size_t n = 0;
	for (int len = 0; len <= 4; len++) {
		int total = 1;
		for (int k = 0; k < len; k++)
			total *= 3;
		for (int v = 0; v < total && n < N(s); v++, n++) {
			int x = v;
			for (int k = 0; k < len; k++, x /= 3)
				s[n][k] = (char)('a' + x % 3);
			s[n][len] = '\0';
		}
	}
	assert_int_equal(n, 121);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			bool want = jup_link_damerau(s[i], s[j], 1) <= 1;
			if (link_within_one(s[i], strlen(s[i]), s[j], strlen(s[j])) != want)
				fail_msg("within one: \"%s\" \"%s\"", s[i], s[j]);
		}
}

static void test_nickname(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		bool want;
	} t[] = {
		{ "william", "bill", true }, { "bill", "liam", true }, { "robert", "bob", true },
		{ "margaret", "peggy", true }, { "elizabeth", "betty", true },
		{ "james", "jim", true }, { "john", "jack", true }, { "catherine", "kate", true },
		{ "kathryn", "cathy", true }, { "richard", "dick", true },
		{ "edward", "ned", true }, { "patricia", "trish", true },
		{ "henry", "harry", true }, { "harold", "hal", true }, { "mary", "polly", true },
		{ "alexander", "sandy", true }, { "alexandra", "sandy", true },
		{ "stephen", "steven", true }, { "muhammad", "mohammed", true },
		{ "eleanor", "nell", true }, { "helen", "nell", true },
		{ "helen", "eleanor", false }, /* share only a nickname */
		{ "henry", "harold", false }, { "william", "william", false },
		{ "william", "robert", false }, { "zzz", "william", false },
		{ "bill", "zzz", false }, { "", "bill", false }, { "al", "alan", true },
		{ "abigail", "gail", true },
	};
	for (size_t i = 0; i < N(t); i++) {
		if (jup_link_nickname(t[i].a, t[i].b) != t[i].want ||
		    jup_link_nickname(t[i].b, t[i].a) != t[i].want)
			fail_msg("nickname case %zu: %s / %s", i, t[i].a, t[i].b);
	}
	assert_true(link_nick_table_ok());
}

/* The four characters of a phonetic code. */
static void code_text(uint32_t c, char out[5])
{
	for (int i = 0; i < 4; i++)
		out[i] = (char)(c >> (24 - 8 * i));
	out[4] = '\0';
}

static void test_phonetic(void **state)
{
	(void)state;
	static const struct {
		const char *name, *want;
	} t[] = {
		{ "robert", "R163" }, { "rupert", "R163" },   { "rubin", "R150" },
		{ "smith", "S530" },  { "smyth", "S530" },    { "tymczak", "T522" },
		{ "pfister", "P236" }, { "ashcraft", "A261" }, { "honeyman", "H555" },
		{ "lee", "L000" },    { "a", "A000" },        { "oyelaranwhitfield", "O465" },
	};
	for (size_t i = 0; i < N(t); i++) {
		char got[5];
		code_text(jup_link_phonetic(t[i].name), got);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("phonetic case %zu: %s gives %s, expected %s", i, t[i].name, got,
				 t[i].want);
	}
	assert_int_equal(jup_link_phonetic(""), 0);
	assert_int_equal(jup_link_phonetic("robert"), ('R' << 24) | ('1' << 16) | ('6' << 8) | '3');
}

/* ---- comparisons ----------------------------------------------------------- */

typedef struct ccase {
	jup_link_cmp c;
	const char *a, *b;
	int want;
} ccase;

static const ccase cmp_cases[] = {
	/* NHS number */
	{ JUP_CMP_NHS, "9990000034||||||", "999 000 0034||||||", JUP_NHS_EXACT },
	{ JUP_CMP_NHS, "9990000034||||||", "9990000018||||||", JUP_LVL_ELSE },
	{ JUP_CMP_NHS, "9434765918||||||", "9434765918||||||", JUP_LVL_MISSING },
	{ JUP_CMP_NHS, "||||||", "9990000018||||||", JUP_LVL_MISSING },
	/* given name */
	{ JUP_CMP_GIVEN, "|Zoë|||||", "|Zoe|||||", JUP_GIVEN_EXACT },
	{ JUP_CMP_GIVEN, "|José|||||", "|JOSE|||||", JUP_GIVEN_EXACT },
	{ JUP_CMP_GIVEN, "|Øyvind|||||", "|Oyvind|||||", JUP_GIVEN_EXACT },
	{ JUP_CMP_GIVEN, "|Mary Ann|||||", "|Ann|||||", JUP_GIVEN_EXACT },
	{ JUP_CMP_GIVEN, "|Ann|||||", "|Mary-Ann|||||", JUP_GIVEN_EXACT },
	{ JUP_CMP_GIVEN, "|Jonh|||||", "|John|||||", JUP_GIVEN_FUZZY },
	{ JUP_CMP_GIVEN, "|Catherine|||||", "|Catharine|||||", JUP_GIVEN_FUZZY },
	{ JUP_CMP_GIVEN, "|Mark|||||", "|Marc|||||", JUP_GIVEN_FUZZY },
	{ JUP_CMP_GIVEN, "|Bill|||||", "|William|||||", JUP_GIVEN_NICKNAME },
	{ JUP_CMP_GIVEN, "|William|||||", "|Bill|||||", JUP_GIVEN_NICKNAME },
	{ JUP_CMP_GIVEN, "|Peggy|||||", "|Margaret|||||", JUP_GIVEN_NICKNAME },
	{ JUP_CMP_GIVEN, "|J.|||||", "|James|||||", JUP_GIVEN_INITIAL },
	{ JUP_CMP_GIVEN, "|James|||||", "|J|||||", JUP_GIVEN_INITIAL },
	{ JUP_CMP_GIVEN, "|J|||||", "|Mary|||||", JUP_LVL_ELSE },
	{ JUP_CMP_GIVEN, "|Jim|||||", "|Jon|||||", JUP_LVL_ELSE },
	{ JUP_CMP_GIVEN, "|Sarah|||||", "|Fatima|||||", JUP_LVL_ELSE },
	{ JUP_CMP_GIVEN, "|...|||||", "|Fatima|||||", JUP_LVL_MISSING },
	{ JUP_CMP_GIVEN, "||||||", "||||||", JUP_LVL_MISSING },
	/* family name */
	{ JUP_CMP_FAMILY, "||O'Neill||||", "||ONeill||||", JUP_FAMILY_EXACT },
	{ JUP_CMP_FAMILY, "||O\xe2\x80\x99neill||||", "||o neill||||", JUP_FAMILY_EXACT },
	{ JUP_CMP_FAMILY, "||Smith||||", "||Smyth||||", JUP_FAMILY_FUZZY },
	{ JUP_CMP_FAMILY, "||Whitfield||||", "||Whitfeild||||", JUP_FAMILY_FUZZY },
	{ JUP_CMP_FAMILY, "||Oyelaran-Whitfield||||", "||Whitfield||||", JUP_FAMILY_PART },
	{ JUP_CMP_FAMILY, "||Whitfield||||", "||Oyelaran-Whitfield||||", JUP_FAMILY_PART },
	{ JUP_CMP_FAMILY, "||Oyelaran||||", "||Oyelaran-Whitfield||||", JUP_FAMILY_PART },
	{ JUP_CMP_FAMILY, "||Hassan-Ward||||", "||Okoro Ward||||", JUP_FAMILY_PART },
	{ JUP_CMP_FAMILY, "||Ward||||", "||Hassan-Warden||||", JUP_LVL_ELSE },
	{ JUP_CMP_FAMILY, "||Smith||||", "||Jones||||", JUP_LVL_ELSE },
	{ JUP_CMP_FAMILY, "||Smith||||", "||-||||", JUP_LVL_MISSING },
	/* date of birth */
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1950-03-07|||", JUP_DOB_EXACT },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1950-07-03|||", JUP_DOB_SWAP },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1951-03-07|||", JUP_DOB_ONE_DIGIT },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1950-03-17|||", JUP_DOB_ONE_DIGIT },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1950-08-07|||", JUP_DOB_ONE_DIGIT },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1950-12-25|||", JUP_DOB_YEAR },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1960-04-07|||", JUP_LVL_ELSE },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1950-3-7|||", JUP_LVL_MISSING },
	{ JUP_CMP_DOB, "|||1950-03-07|||", "|||1950-02-30|||", JUP_LVL_MISSING },
	/* sex */
	{ JUP_CMP_SEX, "||||M||", "||||male||", JUP_SEX_EXACT },
	{ JUP_CMP_SEX, "||||F||", "||||M||", JUP_LVL_ELSE },
	{ JUP_CMP_SEX, "||||F||", "||||U||", JUP_LVL_MISSING },
	/* postcode */
	{ JUP_CMP_POSTCODE, "|||||LS6 2AB|", "|||||ls62ab|", JUP_PC_EXACT },
	{ JUP_CMP_POSTCODE, "|||||LS6 2AB|", "|||||LS6 2XY|", JUP_PC_SECTOR },
	{ JUP_CMP_POSTCODE, "|||||LS6 2AB|", "|||||LS6 4QT|", JUP_PC_DISTRICT },
	{ JUP_CMP_POSTCODE, "|||||LS6 2AB|", "|||||LS16 2AB|", JUP_LVL_ELSE },
	{ JUP_CMP_POSTCODE, "|||||75001|", "|||||75001|", JUP_PC_EXACT },
	{ JUP_CMP_POSTCODE, "|||||75001|", "|||||75002|", JUP_LVL_ELSE },
	{ JUP_CMP_POSTCODE, "|||||D02 X285|", "|||||D02 X286|", JUP_LVL_ELSE },
	{ JUP_CMP_POSTCODE, "|||||LS6 2AB|", "||||| |", JUP_LVL_MISSING },
	/* address */
	{ JUP_CMP_ADDRESS, "||||||14 Larch Grove", "||||||14, LARCH GROVE", JUP_ADDR_EXACT },
	{ JUP_CMP_ADDRESS, "||||||14 Larch Grove", "||||||14 Larch Grv", JUP_ADDR_FUZZY },
	{ JUP_CMP_ADDRESS, "||||||14 Larch Grove", "||||||14 Oak Street", JUP_ADDR_NUMBER },
	{ JUP_CMP_ADDRESS, "||||||14 Larch Grove", "||||||15 Larch Grove", JUP_LVL_ELSE },
	{ JUP_CMP_ADDRESS, "||||||Rose Cottage", "||||||Rose Cotage", JUP_LVL_ELSE },
	{ JUP_CMP_ADDRESS, "||||||14 Larch Grove", "||||||, ,", JUP_LVL_MISSING },
};

static void test_compare_levels(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cmp_cases); i++) {
		const ccase *k = &cmp_cases[i];
		jup_link_rec a = rec(k->a), b = rec(k->b);
		uint8_t ab[JUP_CMP__COUNT], ba[JUP_CMP__COUNT];
		jup_link_compare(&a, &b, ab);
		jup_link_compare(&b, &a, ba);
		if (ab[k->c] != k->want || ba[k->c] != k->want)
			fail_msg("compare case %zu (%s): %s / %s, expected %s", i,
				 jup_link_cmp_name(k->c), jup_link_level_name(k->c, ab[k->c]),
				 jup_link_level_name(k->c, ba[k->c]),
				 jup_link_level_name(k->c, k->want));
	}
}

/* Every level of every comparison is reached by some case above. */
static void test_every_level_covered(void **state)
{
	(void)state;
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		jup_link_cmp cc = (jup_link_cmp)c;
		for (int l = 0; l < jup_link_levels(cc); l++) {
			bool seen = false;
			for (size_t i = 0; i < N(cmp_cases); i++)
				seen = seen || (cmp_cases[i].c == cc && cmp_cases[i].want == l);
			if (!seen)
				fail_msg("no case for %s level %d", jup_link_cmp_name(cc), l);
		}
	}
}

static void test_compare_whole_record(void **state)
{
	(void)state;
	jup_link_rec a = rec("9990000034|Mary Ann|Oyelaran-Whitfield|1950-03-07|F|LS6 2AB|"
			     "14 Larch Grove");
	jup_link_rec b = rec("|Polly|Whitfield|1950-07-03|female|LS6 2XY|14 Larch Grv");
	uint8_t lv[JUP_CMP__COUNT];
	jup_link_compare(&a, &a, lv);
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		assert_int_equal(lv[c], jup_link_levels((jup_link_cmp)c) - 1);
	jup_link_compare(&a, &b, lv);
	static const uint8_t want[JUP_CMP__COUNT] = {
		JUP_LVL_MISSING, JUP_GIVEN_NICKNAME, JUP_FAMILY_PART, JUP_DOB_SWAP,
		JUP_SEX_EXACT,   JUP_PC_SECTOR,      JUP_ADDR_FUZZY,
	};
	assert_memory_equal(lv, want, sizeof want);
}

static void test_level_names(void **state)
{
	(void)state;
	static const int want_levels[JUP_CMP__COUNT] = { 3, 6, 5, 6, 3, 5, 5 };
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		jup_link_cmp cc = (jup_link_cmp)c;
		assert_int_equal(jup_link_levels(cc), want_levels[c]);
		assert_true(jup_link_levels(cc) <= JUP_LINK_MAX_LEVELS);
		assert_string_not_equal(jup_link_cmp_name(cc), "unknown");
		assert_string_equal(jup_link_level_name(cc, 0), "missing");
		assert_string_equal(jup_link_level_name(cc, 1), "different");
		for (int l = 0; l < jup_link_levels(cc); l++) {
			const char *s = jup_link_level_name(cc, l);
			assert_true(s[0] != '\0');
			for (const char *p = s; *p; p++)
				assert_true((*p >= 'a' && *p <= 'z') || *p == ' ');
		}
		assert_string_equal(jup_link_level_name(cc, jup_link_levels(cc)), "unknown");
		assert_string_equal(jup_link_level_name(cc, -1), "unknown");
	}
	assert_string_equal(jup_link_cmp_name(JUP_CMP_NHS), "nhs_number");
	assert_string_equal(jup_link_cmp_name(JUP_CMP__COUNT), "unknown");
	assert_int_equal(jup_link_levels(JUP_CMP__COUNT), 0);
	assert_string_equal(jup_link_level_name(JUP_CMP_DOB, JUP_DOB_SWAP),
			    "day and month swapped");
	assert_string_equal(jup_link_level_name(JUP_CMP_POSTCODE, JUP_PC_SECTOR), "same sector");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_name),
		cmocka_unit_test(test_fold_name_cap),
		cmocka_unit_test(test_fold_text),
		cmocka_unit_test(test_prepare_names),
		cmocka_unit_test(test_prepare_values),
		cmocka_unit_test(test_jaro_winkler),
		cmocka_unit_test(test_jaro_winkler_reference),
		cmocka_unit_test(test_damerau),
		cmocka_unit_test(test_within_one),
		cmocka_unit_test(test_nickname),
		cmocka_unit_test(test_phonetic),
		cmocka_unit_test(test_compare_levels),
		cmocka_unit_test(test_every_level_covered),
		cmocka_unit_test(test_compare_whole_record),
		cmocka_unit_test(test_level_names),
	};
	return cmocka_run_group_tests_name("link_compare", tests, NULL, NULL);
}
