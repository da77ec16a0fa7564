/*
 * link_compare.c - string comparators and the comparison levels of a pair.
 *
 * jup_link_compare runs for every candidate pair (tens of millions), so it
 * allocates nothing, settles exact agreement with fixed-size memcmp first
 * and computes the costlier similarities only when a field differs. Records
 * must come from jup_link_prepare (NUL-padded fixed fields).
 */
#include "link/link_internal.h"

#include <stdint.h>
#include <string.h>

/* ---- Jaro-Winkler ----------------------------------------------------------- */

/* The Jaro similarity from m matching characters of which t are out of
 * order (t counts characters, so t / 2 transpositions). */
static double jaro_score(size_t la, size_t lb, size_t m, size_t t)
{
	double dm = (double)m;
	if (m == 0)
		return 0.0;
	return (dm / (double)la + dm / (double)lb + (dm - (double)t / 2.0) / dm) / 3.0;
}

#if defined(__GNUC__) || defined(__clang__)
#define LOWEST_BIT(x) ((size_t)__builtin_ctzll(x))
#else
static size_t lowest_bit(uint64_t x)
{
	size_t n = 0;
	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
}
#define LOWEST_BIT(x) lowest_bit(x)
#endif

/* Jaro for strings of at most 64 bytes, with bit sets: where each byte
 * value occurs in b, which characters of a and b are matched. Same result
 * as jaro_long, in time linear in the lengths. */
static double jaro_short(const char *a, size_t la, const char *b, size_t lb, size_t window)
{
	uint64_t where[256], am = 0, bm = 0;
	size_t m = 0, t = 0;
	for (size_t i = 0; i < la; i++) /* clear only the entries used */
		where[(unsigned char)a[i]] = 0;
	for (size_t j = 0; j < lb; j++)
		where[(unsigned char)b[j]] = 0;
	for (size_t j = 0; j < lb; j++)
		where[(unsigned char)b[j]] |= (uint64_t)1 << j;
	for (size_t i = 0; i < la; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
		if (lo >= hi)
			continue;
		uint64_t width = hi - lo == 64 ? ~(uint64_t)0 : ((uint64_t)1 << (hi - lo)) - 1;
		uint64_t range = width << lo;
		uint64_t avail = where[(unsigned char)a[i]] & ~bm & range;
		if (avail) {
			bm |= avail & (~avail + 1); /* the first free one */
			am |= (uint64_t)1 << i;
			m++;
		}
	}
	for (uint64_t x = am, y = bm; x; x &= x - 1, y &= y - 1)
		t += a[LOWEST_BIT(x)] != b[LOWEST_BIT(y)];
	return jaro_score(la, lb, m, t);
}

/* Jaro for strings of up to LINK_CMP_MAX bytes, with flag arrays. */
static double jaro_long(const char *a, size_t la, const char *b, size_t lb, size_t window)
{
	unsigned char am[LINK_CMP_MAX], bm[LINK_CMP_MAX];
	size_t m = 0, t = 0;
	memset(am, 0, la);
	memset(bm, 0, lb);
	for (size_t i = 0; i < la; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
		for (size_t j = lo; j < hi; j++) {
			if (!bm[j] && a[i] == b[j]) {
				am[i] = bm[j] = 1;
				m++;
				break;
			}
		}
	}
	for (size_t i = 0, k = 0; i < la && m > 0; i++) {
		if (!am[i])
			continue;
		while (!bm[k])
			k++;
		t += a[i] != b[k];
		k++;
	}
	return jaro_score(la, lb, m, t);
}

/* Jaro similarity of a[0..la) and b[0..lb), both at most LINK_CMP_MAX long.
 * Characters match when equal and no further apart than max(la, lb) / 2 - 1;
 * each b character matches at most once, the first free one in a's order. */
static double jaro(const char *a, size_t la, const char *b, size_t lb)
{
	size_t longer = la > lb ? la : lb;
	size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
	if (la == 0 || lb == 0)
		return 0.0;
	if (longer <= 64)
		return jaro_short(a, la, b, lb, window);
	return jaro_long(a, la, b, lb, window);
}

/* Winkler's boost: a common prefix of up to 4 characters, scale 0.1, given
 * only when the Jaro similarity is above 0.7 (Winkler's threshold; the
 * textbook values MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX
 * 0.813 are all above it). Greedy matching depends on which string leads,
 * so the shorter (or, at equal length, the lesser) leads: the result is
 * symmetric. Strings are compared on their first LINK_CMP_MAX bytes. */
double jup_link_jaro_winkler(const char *a, const char *b)
{
	size_t la = strnlen(a, LINK_CMP_MAX), lb = strnlen(b, LINK_CMP_MAX);
	if (la == 0 && lb == 0)
		return 1.0;
	if (lb < la || (la == lb && memcmp(a, b, la) > 0)) {
		const char *ts = a;
		size_t tl = la;
		a = b, la = lb, b = ts, lb = tl;
	}
	double j = jaro(a, la, b, lb);
	if (j <= 0.7)
		return j;
	size_t prefix = 0;
	while (prefix < 4 && prefix < la && a[prefix] == b[prefix])
		prefix++;
	return j + (double)prefix * 0.1 * (1.0 - j);
}

/* ---- Damerau (optimal string alignment) ------------------------------------ */

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;
	return m < c ? m : c;
}

/* Strings are compared on their first LINK_CMP_MAX bytes; a negative limit
 * counts as 0. The result is the distance, or limit + 1 when it is larger. */
int jup_link_damerau(const char *a, const char *b, int limit)
{
	int rows[3][LINK_CMP_MAX + 1];
	int la = (int)strnlen(a, LINK_CMP_MAX), lb = (int)strnlen(b, LINK_CMP_MAX);
	if (limit < 0)
		limit = 0;
	if (limit >= LINK_CMP_MAX * 2)
		limit = LINK_CMP_MAX * 2; /* no distance is larger; keeps limit + 1 in range */
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++) {
		int best = cur[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int d = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
			best = d < best ? d : best;
		}
		if (best > limit)
			return limit + 1;
		int *t = pp;
		pp = prev, prev = cur, cur = t;
	}
	return prev[lb] > limit ? limit + 1 : prev[lb];
}

bool link_within_one(const char *a, size_t la, const char *b, size_t lb)
{
	if (la < lb) { /* a is the longer (or equal) one */
		const char *ts = a;
		size_t tl = la;
		a = b, la = lb, b = ts, lb = tl;
	}
	if (la - lb > 1)
		return false;
	size_t i = 0;
	while (i < lb && a[i] == b[i])
		i++;
	if (i == lb) /* equal, or one extra character at the end */
		return true;
	if (la > lb) /* one character of a deleted */
		return memcmp(a + i + 1, b + i, lb - i) == 0;
	if (memcmp(a + i + 1, b + i + 1, lb - i - 1) == 0) /* substitution */
		return true;
	return i + 1 < lb && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	       memcmp(a + i + 2, b + i + 2, lb - i - 2) == 0; /* transposition */
}

/* ---- comparisons ---------------------------------------------------------- */

#define SAME(x, y) (memcmp((x), (y), sizeof(x)) == 0)

/* Fuzzy agreement of two different names: Jaro-Winkler at least 0.92, or
 * (both at least 4 letters long) one edit apart. */
static bool names_close(const char *a, const char *b)
{
	size_t la = strnlen(a, JUP_LINK_NAME_MAX), lb = strnlen(b, JUP_LINK_NAME_MAX);
	if (la >= 4 && lb >= 4 && link_within_one(a, la, b, lb))
		return true;
	/* the best Jaro-Winkler these lengths and this prefix allow: all of
	 * the shorter matched, in order */
	size_t p = 0, s = la < lb ? la : lb, l = la < lb ? lb : la;
	while (p < 4 && p < s && a[p] == b[p])
		p++;
	double best = (2.0 + (double)s / (double)l) / 3.0;
	if (best + 0.1 * (double)p * (1.0 - best) < 0.92 - 1e-9)
		return false;
	return jup_link_jaro_winkler(a, b) >= 0.92;
}

static uint8_t cmp_nhs(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!a->nhs || !b->nhs)
		return JUP_LVL_MISSING;
	return a->nhs == b->nhs ? JUP_NHS_EXACT : JUP_LVL_ELSE;
}

/* One name is a lone letter that begins the other. */
static bool initial_of(const char *a, const char *b)
{
	return a[0] == b[0] && (a[1] == '\0' || b[1] == '\0');
}

static uint8_t cmp_given(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!a->given[0] || !b->given[0])
		return JUP_LVL_MISSING;
	if (SAME(a->given, b->given) || SAME(a->given, b->given2) || SAME(a->given2, b->given))
		return JUP_GIVEN_EXACT;
	if (initial_of(a->given, b->given))
		return JUP_GIVEN_INITIAL;
	if (names_close(a->given, b->given))
		return JUP_GIVEN_FUZZY;
	if (jup_link_nickname(a->given, b->given))
		return JUP_GIVEN_NICKNAME;
	return JUP_LVL_ELSE;
}

/* a's family name is one of b's parts: its last part, or what comes
 * before the last part ("oyelaran" of "oyelaranwhitfield"). */
static bool family_part_of(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!b->family_part[0])
		return false;
	if (SAME(a->family, b->family_part))
		return true;
	size_t lf = strnlen(b->family, JUP_LINK_NAME_MAX);
	size_t lp = strnlen(b->family_part, JUP_LINK_NAME_MAX);
	size_t la = strnlen(a->family, JUP_LINK_NAME_MAX);
	return lp < lf && la == lf - lp && memcmp(a->family, b->family, la) == 0 &&
	       memcmp(b->family + la, b->family_part, lp) == 0;
}

static uint8_t cmp_family(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!a->family[0] || !b->family[0])
		return JUP_LVL_MISSING;
	if (SAME(a->family, b->family))
		return JUP_FAMILY_EXACT;
	if (names_close(a->family, b->family))
		return JUP_FAMILY_FUZZY;
	if (family_part_of(a, b) || family_part_of(b, a) ||
	    (a->family_part[0] && SAME(a->family_part, b->family_part)))
		return JUP_FAMILY_PART;
	return JUP_LVL_ELSE;
}

/* How many of the 8 digits of YYYYMMDD differ. */
static int dob_digits_differing(const jup_link_rec *a, const jup_link_rec *b)
{
	int n = 0;
	for (int ya = a->year, yb = b->year, k = 0; k < 4; k++, ya /= 10, yb /= 10)
		n += ya % 10 != yb % 10;
	n += a->month % 10 != b->month % 10;
	n += a->month / 10 != b->month / 10;
	n += a->day % 10 != b->day % 10;
	n += a->day / 10 != b->day / 10;
	return n;
}

static uint8_t cmp_dob(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!a->year || !b->year)
		return JUP_LVL_MISSING;
	if (a->year == b->year && a->month == b->month && a->day == b->day)
		return JUP_DOB_EXACT;
	if (a->year == b->year && a->month == b->day && a->day == b->month)
		return JUP_DOB_SWAP;
	if (dob_digits_differing(a, b) == 1)
		return JUP_DOB_ONE_DIGIT;
	return a->year == b->year ? JUP_DOB_YEAR : JUP_LVL_ELSE;
}

static uint8_t cmp_sex(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!a->sex || !b->sex)
		return JUP_LVL_MISSING;
	return a->sex == b->sex ? JUP_SEX_EXACT : JUP_LVL_ELSE;
}

static uint8_t cmp_postcode(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!a->pc_unit[0] || !b->pc_unit[0])
		return JUP_LVL_MISSING;
	if (SAME(a->pc_unit, b->pc_unit))
		return JUP_PC_EXACT;
	if (a->pc_sector[0] && SAME(a->pc_sector, b->pc_sector))
		return JUP_PC_SECTOR;
	if (a->pc_district[0] && SAME(a->pc_district, b->pc_district))
		return JUP_PC_DISTRICT;
	return JUP_LVL_ELSE;
}

/* The folded address after its first number and the space after it
 * ("larch grove" of "14 larch grove"). */
static const char *after_number(const char *s)
{
	while (*s && (*s < '0' || *s > '9'))
		s++;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == ' ' ? s + 1 : s;
}

static uint8_t cmp_address(const jup_link_rec *a, const jup_link_rec *b)
{
	if (!a->address[0] || !b->address[0])
		return JUP_LVL_MISSING;
	if (SAME(a->address, b->address))
		return JUP_ADDR_EXACT;
	if (!a->house_number || a->house_number != b->house_number)
		return JUP_LVL_ELSE;
	if (jup_link_jaro_winkler(after_number(a->address), after_number(b->address)) >= 0.88)
		return JUP_ADDR_FUZZY;
	return JUP_ADDR_NUMBER;
}

void jup_link_compare(const jup_link_rec *a, const jup_link_rec *b,
		      uint8_t levels[JUP_CMP__COUNT])
{
	levels[JUP_CMP_NHS] = cmp_nhs(a, b);
	levels[JUP_CMP_GIVEN] = cmp_given(a, b);
	levels[JUP_CMP_FAMILY] = cmp_family(a, b);
	levels[JUP_CMP_DOB] = cmp_dob(a, b);
	levels[JUP_CMP_SEX] = cmp_sex(a, b);
	levels[JUP_CMP_POSTCODE] = cmp_postcode(a, b);
	levels[JUP_CMP_ADDRESS] = cmp_address(a, b);
}

/* ---- names of comparisons and levels ------------------------------------ */

/* Shown to people in the explanation of a match: plain words. */
static const char *const level_names[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS] = {
	[JUP_CMP_NHS] = { "missing", "different", "exact" },
	[JUP_CMP_GIVEN] = { "missing", "different", "initial only", "nickname", "similar",
			    "exact" },
	[JUP_CMP_FAMILY] = { "missing", "different", "surname part", "similar", "exact" },
	[JUP_CMP_DOB] = { "missing", "different", "same year", "one digit differs",
			  "day and month swapped", "exact" },
	[JUP_CMP_SEX] = { "missing", "different", "same" },
	[JUP_CMP_POSTCODE] = { "missing", "different", "same district", "same sector",
			       "exact" },
	[JUP_CMP_ADDRESS] = { "missing", "different", "same house number", "similar",
			      "exact" },
};

static const char *const cmp_names[JUP_CMP__COUNT] = {
	"nhs_number", "given_name", "family_name", "date_of_birth",
	"sex",        "postcode",   "address",
};

int jup_link_levels(jup_link_cmp c)
{
	static const int n[JUP_CMP__COUNT] = { 3, 6, 5, 6, 3, 5, 5 };
	return (unsigned)c < JUP_CMP__COUNT ? n[c] : 0;
}

const char *jup_link_level_name(jup_link_cmp c, int level)
{
	if (level < 0 || level >= jup_link_levels(c))
		return "unknown";
	return level_names[c][level];
}

const char *jup_link_cmp_name(jup_link_cmp c)
{
	return (unsigned)c < JUP_CMP__COUNT ? cmp_names[c] : "unknown";
}
