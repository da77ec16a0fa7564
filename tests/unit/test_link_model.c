/* test_link_model.c - link: the Fellegi-Sunter model (defaults, u, EM, scoring,
 * term frequencies) and blocking. */
#include "jup_test.h"

#include "link/jup_link_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------------------- */

static jup_link_rec rec(const char *nhs, const char *given, const char *family, const char *dob,
			const char *sex, const char *pc, const char *addr)
{
	jup_link_input in = { jup_sv_from(nhs),	  jup_sv_from(given), jup_sv_from(family),
			      jup_sv_from(dob),	  jup_sv_from(sex),   jup_sv_from(pc),
			      jup_sv_from(addr) };
	jup_link_rec r;
	jup_link_prepare(&in, &r);
	return r;
}

/* splitmix64: the test's own deterministic numbers */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double unit(uint64_t *s)
{
	return (double)(next(s) >> 11) * 0x1.0p-53;
}

/* A level drawn from p[1..n) (p sums to 1 over those). */
static uint8_t draw(uint64_t *s, const double *p, int n)
{
	double x = unit(s), acc = 0;
	for (int l = 1; l < n; l++) {
		acc += p[l];
		if (x < acc)
			return (uint8_t)l;
	}
	return (uint8_t)(n - 1);
}

static int count_pair(const jup_link_pairs *p, uint32_t a, uint32_t b)
{
	int n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += p->items[i].a == a && p->items[i].b == b;
	return n;
}

/* ---- defaults -------------------------------------------------------------------- */

static void test_defaults(void **state)
{
	(void)state;
	jup_link_model m;
	jup_link_model_defaults(&m, 1000);
	assert_true(fabs(m.prior - 0.001) < 1e-12);
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		int nl = jup_link_levels((jup_link_cmp)c);
		assert_true(m.m[c][0] == 1 && m.u[c][0] == 1);
		double sm = 0, su = 0, prev = -INFINITY;
		for (int l = 1; l < nl; l++) {
			sm += m.m[c][l];
			su += m.u[c][l];
			double w = log2(m.m[c][l] / m.u[c][l]);
			assert_true(w > prev); /* closer agreement weighs more */
			prev = w;
		}
		assert_true(fabs(sm - 1) < 1e-9 && fabs(su - 1) < 1e-9);
		assert_true(log2(m.m[c][1] / m.u[c][1]) < 0);
	}
}

/* ---- EM on level vectors drawn from known parameters ----------------------------- */

static const double true_m[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS] = {
	{ 1, 0.10, 0.90 },
	{ 1, 0.05, 0.05, 0.05, 0.10, 0.75 },
	{ 1, 0.05, 0.05, 0.10, 0.80 },
	{ 1, 0.05, 0.05, 0.05, 0.05, 0.80 },
	{ 1, 0.05, 0.95 },
	{ 1, 0.20, 0.05, 0.05, 0.70 },
	{ 1, 0.20, 0.05, 0.10, 0.65 },
};
static const double true_u[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS] = {
	{ 1, 0.999, 0.001 },
	{ 1, 0.90, 0.06, 0.01, 0.02, 0.01 },
	{ 1, 0.95, 0.01, 0.02, 0.02 },
	{ 1, 0.90, 0.08, 0.01, 0.005, 0.005 },
	{ 1, 0.50, 0.50 },
	{ 1, 0.80, 0.10, 0.05, 0.05 },
	{ 1, 0.85, 0.10, 0.03, 0.02 },
};

/* Draw npairs level vectors, a share lambda of them from true_m and the rest
 * from non_m, with 5% of values missing. The caller frees. */
static uint8_t *draw_levels(size_t npairs, double lambda,
			    const double non_m[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS])
{
	uint8_t *levels = malloc(npairs * JUP_CMP__COUNT);
	assert_non_null(levels);
	uint64_t s = 42;
	for (size_t i = 0; i < npairs; i++) {
		bool match = unit(&s) < lambda;
		for (int c = 0; c < JUP_CMP__COUNT; c++) {
			int nl = jup_link_levels((jup_link_cmp)c);
			uint8_t l = draw(&s, match ? true_m[c] : non_m[c], nl);
			levels[i * JUP_CMP__COUNT + c] = unit(&s) < 0.05 ? 0 : l;
		}
	}
	return levels;
}

/* Training as Splink does: pairs chosen for an exact date of birth, so that
 * comparison says nothing and is ignored; u fixed at the random-pair u. */
static void test_train_m_with_fixed_u(void **state)
{
	(void)state;
	enum { NPAIRS = 200000 };
	uint8_t *levels = draw_levels(NPAIRS, 0.05, true_u);
	for (size_t i = 0; i < NPAIRS; i++)
		levels[i * JUP_CMP__COUNT + JUP_CMP_DOB] = JUP_DOB_EXACT;
	jup_link_model m;
	jup_link_model_defaults(&m, 1000);
	memcpy(m.u, true_u, sizeof m.u);
	double out[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS];
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		for (int l = 0; l < JUP_LINK_MAX_LEVELS; l++)
			out[c][l] = -1;
	double share = jup_link_train_m(&m, levels, NPAIRS, 1u << JUP_CMP_DOB, 500, out);
	assert_true(fabs(share - 0.05) <= 0.01);
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		for (int l = 1; l < jup_link_levels((jup_link_cmp)c); l++) {
			if (c == JUP_CMP_DOB)
				assert_true(out[c][l] == -1); /* not learnt: left alone */
			else
				assert_true(fabs(out[c][l] - true_m[c][l]) <= 0.03);
		}
	free(levels);
}

/* With m and u known, EM over candidates finds the share of matches. */
static void test_estimate_prior(void **state)
{
	(void)state;
	enum { NPAIRS = 100000 };
	uint8_t *levels = draw_levels(NPAIRS, 0.2, true_u);
	jup_link_model m;
	jup_link_model_defaults(&m, 1000);
	memcpy(m.m, true_m, sizeof m.m);
	memcpy(m.u, true_u, sizeof m.u);
	jup_link_estimate_prior(&m, levels, NPAIRS, 1e9, 500);
	assert_true(m.em_converged);
	assert_true(fabs(m.prior * 1e9 / NPAIRS - 0.2) <= 0.01);
	assert_memory_equal(m.m, true_m, sizeof m.m);
	free(levels);
}

static void test_em_degenerate_inputs(void **state)
{
	(void)state;
	jup_link_model m, before;
	jup_link_model_defaults(&m, 10);
	before = m;
	double out[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS];
	memcpy(out, m.m, sizeof out);
	assert_true(jup_link_train_m(&m, NULL, 0, 0, 50, out) == 0);
	jup_link_estimate_prior(&m, NULL, 0, 100, 50);
	assert_int_equal(m.em_iterations, 0);
	assert_false(m.em_converged);
	assert_memory_equal(m.m, before.m, sizeof m.m);
	assert_memory_equal(out, before.m, sizeof out);
	/* every pair the same pattern: m stays a distribution, floored above 0 */
	uint8_t lv[4 * JUP_CMP__COUNT];
	for (size_t i = 0; i < sizeof lv; i++)
		lv[i] = (uint8_t)(jup_link_levels((jup_link_cmp)(i % JUP_CMP__COUNT)) - 1);
	jup_link_train_m(&m, lv, 4, 0, 100, out);
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		double sum = 0;
		for (int l = 1; l < jup_link_levels((jup_link_cmp)c); l++) {
			assert_true(out[c][l] > 0);
			sum += out[c][l];
		}
		assert_true(fabs(sum - 1) < 1e-9);
	}
	jup_link_estimate_prior(&m, lv, 4, 100, 100);
	assert_true(m.prior > 0 && m.prior < 1);
}

/* ---- u from random pairs ------------------------------------------------------------ */

static void make_people(jup_link_rec *r, size_t n)
{
	static const char *const given[] = { "John", "Mary", "Ahmed", "Zoe", "Oliver",
					     "Priya", "Tomasz", "Grace", "Kwame", "Isla" };
	for (size_t i = 0; i < n; i++) {
		char dob[32], pc[32];
		snprintf(dob, sizeof dob, "%04zu-%02zu-%02zu", 1930 + i % 70, 1 + i % 12,
			 1 + (i * 7) % 28);
		snprintf(pc, sizeof pc, "LS%zu %zuAB", 1 + i % 9, i % 10);
		r[i] = rec("", given[i % 10], "Smith", dob, "M", pc, "");
	}
}

static void test_estimate_u(void **state)
{
	(void)state;
	enum { N = 300 };
	jup_link_rec *r = malloc(N * sizeof *r);
	assert_non_null(r);
	make_people(r, N);
	jup_link_model m, m2;
	jup_link_model_defaults(&m, N);
	jup_link_estimate_u(&m, r, N, r, N, 20000, 7);
	/* sex and family name are the same in every record */
	assert_true(m.u[JUP_CMP_SEX][JUP_SEX_EXACT] > 0.999);
	assert_true(m.u[JUP_CMP_FAMILY][JUP_FAMILY_EXACT] > 0.999);
	assert_true(m.u[JUP_CMP_SEX][JUP_LVL_ELSE] > 0); /* floored, never 0 */
	/* given names: 10 values evenly spread */
	assert_true(fabs(m.u[JUP_CMP_GIVEN][JUP_GIVEN_EXACT] - 0.1) < 0.02);
	assert_true(m.u[JUP_CMP_DOB][JUP_DOB_EXACT] < 0.02);
	/* NHS numbers are all missing: defaults kept */
	jup_link_model_defaults(&m2, N);
	assert_memory_equal(m.u[JUP_CMP_NHS], m2.u[JUP_CMP_NHS], sizeof m.u[0]);
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		assert_true(m.u[c][0] == 1 && m.m[c][0] == 1);
	/* repeatable with a seed; dedupe mode works on one side */
	jup_link_estimate_u(&m2, r, N, r, N, 20000, 7);
	assert_memory_equal(m.u, m2.u, sizeof m.u);
	jup_link_estimate_u(&m2, r, N, NULL, 0, 20000, 8);
	assert_true(m2.u[JUP_CMP_SEX][JUP_SEX_EXACT] > 0.999);
	free(r);
}

/* ---- blocking -------------------------------------------------------------------------- */

enum { NL = 4, NR = 4 };

static void block_people(jup_link_rec *l, jup_link_rec *r)
{
	l[0] = rec("", "John", "Smith", "1980-03-04", "M", "LS6 2AB", "1 Long Lane");
	l[1] = rec("", "Margaret", "Oyelaran", "1955-07-21", "F", "LS1 4AP", "");
	l[2] = rec("9434765919", "Ann", "Jones", "1990-01-01", "F", "LS2 9JT", "");
	l[3] = rec("", "Peter", "Brown", "1970-10-10", "M", "M1 1AA", "");
	/* day and month swapped, moved house */
	r[0] = rec("", "John", "Smith", "1980-04-03", "M", "BD1 1AA", "");
	/* a typo in the given name */
	r[1] = rec("", "Margeret", "Oyelaran", "1955-07-21", "F", "LS1 4AP", "");
	/* the same NHS number and nothing else */
	r[2] = rec("9434765919", "Zed", "Quinn", "2001-12-12", "M", "", "");
	r[3] = rec("", "Sarah", "Khan", "1985-05-06", "F", "ZZ9 9ZZ", "");
}

static void test_block_link(void **state)
{
	(void)state;
	jup_link_rec l[NL], r[NR];
	block_people(l, r);
	jup_link_pairs p;
	jup_err err;
	assert_int_equal(jup_link_block(l, NL, r, NR, &p, &err), JUP_OK);
	assert_int_equal(p.n, 3);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(count_pair(&p, i, i), 1);
	for (size_t i = 0; i < p.n; i++)
		assert_true(p.items[i].a != 3 && p.items[i].b != 3);
	jup_link_pairs_free(&p);
	assert_null(p.items);
	/* nothing to pair */
	assert_int_equal(jup_link_block(l, 0, r, NR, &p, &err), JUP_OK);
	assert_int_equal(p.n, 0);
	jup_link_pairs_free(&p);
}

static void test_block_dedupe(void **state)
{
	(void)state;
	jup_link_rec all[NL + NR];
	block_people(all, all + NL);
	jup_link_pairs p;
	jup_err err;
	assert_int_equal(jup_link_block(all, NL + NR, NULL, 0, &p, &err), JUP_OK);
	assert_int_equal(p.n, 3);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(count_pair(&p, i, NL + i), 1);
	for (size_t i = 0; i < p.n; i++) {
		assert_true(p.items[i].a < p.items[i].b);
		if (i > 0) /* sorted by (a, b) */
			assert_true(p.items[i - 1].a < p.items[i].a ||
				    (p.items[i - 1].a == p.items[i].a &&
				     p.items[i - 1].b < p.items[i].b));
	}
	jup_link_pairs_free(&p);
}

/* Records sharing only a postcode unit and birth year: all pairs while
 * there are few, none once the block is too big to mean anything. */
static void test_block_skips_large_blocks(void **state)
{
	(void)state;
	enum { N = 120 };
	jup_link_rec r[N];
	for (int i = 0; i < N; i++) {
		char dob[32];
		snprintf(dob, sizeof dob, "1960-%02d-%02d", 1 + i % 12, 13 + i / 12);
		r[i] = rec("", "", "", dob, "", "LS6 2AB", "");
	}
	jup_link_pairs p;
	jup_err err;
	assert_int_equal(jup_link_block(r, 100, NULL, 0, &p, &err), JUP_OK);
	assert_int_equal(p.n, 100 * 99 / 2); /* 4,950: under the limit */
	jup_link_pairs_free(&p);
	assert_int_equal(jup_link_block(r, N, NULL, 0, &p, &err), JUP_OK);
	assert_int_equal(p.n, 0); /* 7,140: skipped */
	jup_link_pairs_free(&p);
}

/* ---- term frequencies ------------------------------------------------------------------ */

static void test_term_frequency(void **state)
{
	(void)state;
	enum { N = 100 };
	jup_link_rec r[N];
	for (int i = 0; i < N; i++) {
		char fam[8] = { 'f', 'a', 'm', (char)('a' + i % 26), (char)('a' + i / 26), 0 };
		const char *family = i < 20 ? "Smith" : i == 20 ? "Oyelaranwhitfield" : fam;
		r[i] = rec("", "Jo", family, "1970-01-01", "", "", "");
	}
	jup_link_tf *tf;
	jup_err err;
	assert_int_equal(jup_link_tf_build(r, N, NULL, 0, &tf, &err), JUP_OK);
	assert_true(fabs(jup_link_tf_share(tf, JUP_CMP_FAMILY, &r[0]) - 0.2) < 1e-12);
	assert_true(fabs(jup_link_tf_share(tf, JUP_CMP_FAMILY, &r[20]) - 0.01) < 1e-12);
	assert_true(fabs(jup_link_tf_share(tf, JUP_CMP_GIVEN, &r[5]) - 1.0) < 1e-12);
	assert_true(jup_link_tf_share(tf, JUP_CMP_POSTCODE, &r[5]) == 0); /* none */
	assert_true(jup_link_tf_share(tf, JUP_CMP_SEX, &r[5]) == 0);
	jup_link_rec stranger = rec("", "Xavier", "Nobody", "", "", "", "");
	assert_true(jup_link_tf_share(tf, JUP_CMP_FAMILY, &stranger) == 0);

	jup_link_model m;
	jup_link_model_defaults(&m, N);
	jup_link_explain common, rare, plain;
	double wc = jup_link_score(&m, tf, &r[0], &r[1], &common);
	double wr = jup_link_score(&m, tf, &r[20], &r[20], &rare);
	jup_link_score(&m, NULL, &r[0], &r[1], &plain);
	assert_int_equal(common.level[JUP_CMP_FAMILY], JUP_FAMILY_EXACT);
	assert_true(common.weight[JUP_CMP_FAMILY] < rare.weight[JUP_CMP_FAMILY]);
	assert_true(wc < wr);
	assert_true(fabs(common.tf_share[JUP_CMP_FAMILY] - 0.2) < 1e-12);
	assert_true(fabs(common.weight[JUP_CMP_FAMILY] -
			 log2(m.m[JUP_CMP_FAMILY][JUP_FAMILY_EXACT] / 0.2)) < 1e-9);
	assert_true(plain.tf_share[JUP_CMP_FAMILY] == 0);
	assert_true(common.tf_share[JUP_CMP_DOB] == 0);
	jup_link_tf_free(tf);
	jup_link_tf_free(NULL);
}

/* ---- scoring ------------------------------------------------------------------------- */

static void check_explain(const jup_link_explain *ex, double w)
{
	double sum = ex->prior_weight;
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		sum += ex->weight[c];
	assert_true(fabs(sum - ex->total) < 1e-9);
	assert_true(fabs(ex->total - w) < 1e-12);
	assert_true(fabs(ex->probability - jup_link_probability(w)) < 1e-15);
	assert_true(ex->probability >= 0 && ex->probability <= 1);
}

static void test_score_monotonic(void **state)
{
	(void)state;
	jup_link_model m;
	jup_link_model_defaults(&m, 100000);
	jup_link_rec a = rec("9434765919", "Ann", "Jones", "1990-01-01", "F", "LS2 9JT",
			     "12 Park Row");
	jup_link_rec b[] = {
		rec("9434765919", "Ann", "Jones", "1990-01-01", "F", "LS2 9JT", "12 Park Row"),
		rec("", "Ann", "Jones", "1990-01-01", "F", "LS2 9JT", "12 Park Row"),
		rec("", "Ann", "Jones", "1990-01-01", "F", "LS2 9JT", ""),
		rec("", "Ann", "Jones", "1990-01-01", "F", "BD7 1DP", ""),
		rec("", "Ann", "Okafor", "1990-01-01", "F", "BD7 1DP", ""),
		rec("", "Ann", "Okafor", "1964-08-30", "F", "BD7 1DP", ""),
		rec("", "Ann", "Okafor", "1964-08-30", "M", "BD7 1DP", ""),
	};
	double prev = INFINITY, prev_p = 2;
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
		jup_link_explain ex;
		double w = jup_link_score(&m, NULL, &a, &b[i], &ex);
		check_explain(&ex, w);
		assert_true(w < prev);
		assert_true(ex.probability <= prev_p);
		assert_true(jup_link_score(&m, NULL, &a, &b[i], NULL) == w);
		prev = w;
		prev_p = ex.probability;
	}
	assert_true(jup_link_probability(0) == 0.5);
	assert_true(jup_link_probability(2000) == 1.0);
	assert_true(jup_link_probability(-2000) == 0.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_train_m_with_fixed_u),
		cmocka_unit_test(test_estimate_prior),
		cmocka_unit_test(test_em_degenerate_inputs),
		cmocka_unit_test(test_estimate_u),
		cmocka_unit_test(test_block_link),
		cmocka_unit_test(test_block_dedupe),
		cmocka_unit_test(test_block_skips_large_blocks),
		cmocka_unit_test(test_term_frequency),
		cmocka_unit_test(test_score_monotonic),
	};
	return cmocka_run_group_tests_name("link_model", tests, NULL, NULL);
}
