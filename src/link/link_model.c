/*
 * link_model.c - the Fellegi-Sunter model: starting parameters, u from
 * random pairs, m and the prior by expectation-maximisation, and the match
 * weight and probability of a pair.
 *
 * EM never walks the pairs more than once: the pairs are first counted by
 * their level pattern (a mixed-radix number over the comparisons' levels,
 * at most 3*6*5*6*3*5*5 = 40,500 of them), and each iteration then works on
 * the distinct patterns only, so tens of millions of candidate pairs cost
 * one pass plus microseconds per iteration.
 */
#include "link/jup_link_model.h"

#include "core/jup_rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Starting m and u by comparison and level (index 0, missing, is set to 1
 * separately). Only the first jup_link_levels(c) entries are used. */
static const double default_m[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS] = {
	[JUP_CMP_NHS] = { 1, 0.05, 0.95 },
	[JUP_CMP_GIVEN] = { 1, 0.02, 0.02, 0.03, 0.03, 0.90 },
	[JUP_CMP_FAMILY] = { 1, 0.04, 0.02, 0.04, 0.90 },
	[JUP_CMP_DOB] = { 1, 0.02, 0.02, 0.04, 0.02, 0.90 },
	[JUP_CMP_SEX] = { 1, 0.03, 0.97 },
	[JUP_CMP_POSTCODE] = { 1, 0.10, 0.03, 0.02, 0.85 },
	[JUP_CMP_ADDRESS] = { 1, 0.10, 0.03, 0.07, 0.80 },
};
static const double default_u[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS] = {
	[JUP_CMP_NHS] = { 1, 0.9999, 0.0001 },
	[JUP_CMP_GIVEN] = { 1, 0.935, 0.05, 0.003, 0.002, 0.01 },
	[JUP_CMP_FAMILY] = { 1, 0.99, 0.002, 0.003, 0.005 },
	[JUP_CMP_DOB] = { 1, 0.9844, 0.01, 0.005, 0.0001, 0.0005 },
	[JUP_CMP_SEX] = { 1, 0.5, 0.5 },
	[JUP_CMP_POSTCODE] = { 1, 0.939, 0.05, 0.01, 0.001 },
	[JUP_CMP_ADDRESS] = { 1, 0.9485, 0.05, 0.001, 0.0005 },
};

#define LINK_M_FLOOR 1e-6     /* no m may fall to 0 during EM */
#define LINK_EM_TOL 1e-5      /* EM stops when no parameter moves more */
#define LINK_PROB_FLOOR 1e-15 /* keeps priors and probabilities off 0 and 1 */
#define LINK_TF_U_FLOOR 1e-7  /* the smallest u a term frequency may give */

/* Level count of c, clamped to what the model arrays hold. */
static int link_nlevels(int c)
{
	int n = jup_link_levels((jup_link_cmp)c);
	if (n < 1)
		return 1;
	return n > JUP_LINK_MAX_LEVELS ? JUP_LINK_MAX_LEVELS : n;
}

static double link_clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

void jup_link_model_defaults(jup_link_model *m, size_t n)
{
	memset(m, 0, sizeof *m);
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		for (int l = 0; l < JUP_LINK_MAX_LEVELS; l++) {
			m->m[c][l] = default_m[c][l] > 0 ? default_m[c][l] : 1e-3;
			m->u[c][l] = default_u[c][l] > 0 ? default_u[c][l] : 1e-3;
		}
		m->m[c][JUP_LVL_MISSING] = 1;
		m->u[c][JUP_LVL_MISSING] = 1;
	}
	m->prior = 1.0 / (double)(n > 1 ? n : 2);
}

/* ---- u from random pairs ------------------------------------------------------ */

/* xoshiro256** seeded through splitmix64: repeatable and fast. */
/* An index below n (n > 0); the modulo bias is below n / 2^64. */
static size_t link_rng_below(jup_rng *r, size_t n)
{
	return (size_t)(jup_rng_next(r) % (uint64_t)n);
}

/* Turn level counts of one comparison into u, with a floor so that no level
 * has u = 0; keeps the old u when nothing was observed. */
static void link_u_from_counts(jup_link_model *m, int c, const uint64_t *count, double floor)
{
	int nl = link_nlevels(c);
	uint64_t seen = 0;
	for (int l = 1; l < nl; l++)
		seen += count[l];
	if (seen == 0)
		return;
	double sum = 0;
	for (int l = 1; l < nl; l++) {
		double u = (double)count[l] / (double)seen;
		m->u[c][l] = u < floor ? floor : u;
		sum += m->u[c][l];
	}
	for (int l = 1; l < nl; l++)
		m->u[c][l] /= sum;
	m->u[c][JUP_LVL_MISSING] = 1;
}

void jup_link_estimate_u(jup_link_model *m, const jup_link_rec *left, size_t nl,
			 const jup_link_rec *right, size_t nr, size_t samples, uint64_t seed)
{
	bool dedupe = right == NULL;
	if (dedupe) {
		right = left;
		nr = nl;
	}
	if (samples == 0 || nl == 0 || nr == 0 || (dedupe && nl < 2))
		return;
	uint64_t count[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS] = { { 0 } };
	jup_rng rng;
	jup_rng_seed(&rng, seed);
	for (size_t s = 0; s < samples; s++) {
		size_t a = link_rng_below(&rng, nl);
		size_t b = link_rng_below(&rng, dedupe ? nr - 1 : nr);
		if (dedupe && b >= a)
			b++; /* never a record with itself */
		uint8_t lv[JUP_CMP__COUNT];
		jup_link_compare(&left[a], &right[b], lv);
		for (int c = 0; c < JUP_CMP__COUNT; c++)
			if (lv[c] < link_nlevels(c))
				count[c][lv[c]]++;
	}
	double floor = 1.0 / ((double)samples + 1.0);
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		link_u_from_counts(m, c, count[c], floor);
}

/* ---- m and the prior by expectation-maximisation ------------------------------ */

/* Pairs counted by level pattern. */
typedef struct link_patterns {
	uint8_t (*lv)[JUP_CMP__COUNT]; /* the distinct level vectors */
	double *count;                 /* how many pairs carry each */
	size_t n;
} link_patterns;

/* The mixed-radix code of a level vector; out-of-range levels count as
 * missing. */
static size_t link_pattern_code(const uint8_t *lv, const int *radix)
{
	size_t code = 0;
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		size_t l = lv[c] < radix[c] ? lv[c] : 0;
		code = code * (size_t)radix[c] + l;
	}
	return code;
}

static void link_pattern_decode(size_t code, const int *radix, uint8_t *lv)
{
	for (int c = JUP_CMP__COUNT - 1; c >= 0; c--) {
		lv[c] = (uint8_t)(code % (size_t)radix[c]);
		code /= (size_t)radix[c];
	}
}

/* Count the pairs by pattern (a dense table: at most 6^7 codes). Returns
 * false when out of memory. */
static bool link_patterns_build(link_patterns *p, const uint8_t *levels, size_t npairs)
{
	int radix[JUP_CMP__COUNT];
	size_t ncodes = 1;
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		radix[c] = link_nlevels(c);
		ncodes *= (size_t)radix[c];
	}
	uint64_t *tally = calloc(ncodes, sizeof *tally);
	if (!tally)
		return false;
	size_t distinct = 0;
	for (size_t i = 0; i < npairs; i++) {
		size_t code = link_pattern_code(levels + i * JUP_CMP__COUNT, radix);
		distinct += tally[code]++ == 0;
	}
	p->lv = malloc(distinct * sizeof *p->lv + 1);
	p->count = malloc(distinct * sizeof *p->count + 1);
	p->n = 0;
	if (p->lv && p->count) {
		for (size_t code = 0; code < ncodes; code++) {
			if (!tally[code])
				continue;
			link_pattern_decode(code, radix, p->lv[p->n]);
			p->count[p->n++] = (double)tally[code];
		}
	}
	free(tally);
	return p->lv && p->count;
}

static void link_patterns_free(link_patterns *p)
{
	free(p->lv);
	free(p->count);
}

typedef double link_dist[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS];

/* EM's parameters: m, u and the share of matches among the pairs; which
 * comparisons are ignored and which distributions are re-estimated. */
typedef struct link_em {
	link_dist m, u;
	double lambda;
	unsigned ignore;      /* comparisons (bit per jup_link_cmp) treated as missing */
	bool learn_m;          /* re-estimate m (else only the share of matches) */
} link_em;

/* Per-level log2(m/u) under the current parameters (0 for missing). */
static void link_log_weights(const link_em *e, link_dist w)
{
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		w[c][0] = 0;
		for (int l = 1; l < JUP_LINK_MAX_LEVELS; l++)
			w[c][l] = log2(fmax(e->m[c][l], LINK_PROB_FLOOR) /
				       fmax(e->u[c][l], LINK_PROB_FLOOR));
	}
}

/* One E-step by pattern: the posterior-weighted level counts of matches
 * (m_sum); returns the new share of matches. */
static double link_em_expect(const link_em *e, const link_patterns *p, link_dist m_sum)
{
	link_dist w;
	link_log_weights(e, w);
	double prior_w = log2(e->lambda / (1 - e->lambda));
	double total = 0, matched = 0;
	memset(m_sum, 0, sizeof(link_dist));
	for (size_t i = 0; i < p->n; i++) {
		const uint8_t *lv = p->lv[i];
		double s = prior_w;
		for (int c = 0; c < JUP_CMP__COUNT; c++)
			if (!(e->ignore & (1u << c)))
				s += w[c][lv[c]];
		double post = p->count[i] / (1 + exp2(-s));
		for (int c = 0; c < JUP_CMP__COUNT; c++) {
			if (e->ignore & (1u << c))
				continue;
			m_sum[c][lv[c]] += post;
		}
		matched += post;
		total += p->count[i];
	}
	return matched / total;
}

/* M-step for one distribution: normalise the sums over non-missing levels
 * (floored, so no level reaches 0) into d and return the largest change.
 * Comparisons never observed keep their values. */
static double link_em_maximise(link_dist d, link_dist sum)
{
	double moved = 0;
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		int nl = link_nlevels(c);
		double total = 0;
		for (int l = 1; l < nl; l++)
			total += sum[c][l];
		if (!(total > 0))
			continue;
		double norm = 0;
		for (int l = 1; l < nl; l++) {
			sum[c][l] = fmax(sum[c][l] / total, LINK_M_FLOOR);
			norm += sum[c][l];
		}
		for (int l = 1; l < nl; l++) {
			double v = sum[c][l] / norm;
			moved = fmax(moved, fabs(v - d[c][l]));
			d[c][l] = v;
		}
	}
	return moved;
}

/* Iterate EM from e until converged or max_iter; fills the model's
 * iteration count and convergence flag. */
static void link_em_run(link_em *e, const link_patterns *p, int max_iter, jup_link_model *m)
{
	for (int it = 0; it < max_iter; it++) {
		link_dist m_sum;
		double next = link_em_expect(e, p, m_sum);
		next = link_clamp(next, LINK_PROB_FLOOR, 1 - 1e-9);
		double moved = fabs(next - e->lambda);
		if (e->learn_m)
			moved = fmax(moved, link_em_maximise(e->m, m_sum));
		e->lambda = next;
		m->em_iterations = it + 1;
		if (moved < LINK_EM_TOL) {
			m->em_converged = true;
			break;
		}
	}
}

/* Run EM from e over levels[0..npairs); false when out of memory. */
static bool link_em_over(link_em *e, const uint8_t *levels, size_t npairs, int max_iter,
			 jup_link_model *progress)
{
	link_patterns p = { 0 };
	bool ok = link_patterns_build(&p, levels, npairs);
	if (ok)
		link_em_run(e, &p, max_iter, progress);
	link_patterns_free(&p);
	return ok;
}

double jup_link_train_m(const jup_link_model *m, const uint8_t *levels, size_t npairs,
			unsigned ignore, int max_iter,
			double out[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS])
{
	if (npairs == 0)
		return 0;
	link_em e = { .ignore = ignore, .learn_m = true, .lambda = 0.05 };
	memcpy(e.m, m->m, sizeof e.m);
	memcpy(e.u, m->u, sizeof e.u);
	jup_link_model scratch = *m;
	if (!link_em_over(&e, levels, npairs, max_iter, &scratch))
		return 0;
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		if (!(ignore & (1u << c)))
			memcpy(out[c], e.m[c], sizeof out[c]);
	return e.lambda;
}

void jup_link_estimate_prior(jup_link_model *m, const uint8_t *levels, size_t npairs,
			     double total_pairs, int max_iter)
{
	m->em_iterations = 0;
	m->em_converged = false;
	if (npairs == 0 || !(total_pairs > 0))
		return;
	link_em e = { .lambda = link_clamp(m->prior * total_pairs / (double)npairs, 1e-4, 0.5) };
	memcpy(e.m, m->m, sizeof e.m);
	memcpy(e.u, m->u, sizeof e.u);
	if (link_em_over(&e, levels, npairs, max_iter, m))
		m->prior = link_clamp(e.lambda * (double)npairs / total_pairs, LINK_PROB_FLOOR,
				      1 - 1e-9);
}

/* ---- scoring ------------------------------------------------------------------ */

/* Whether a and b carry the same value of a term-frequency field (then one
 * look-up serves both). */
static bool link_same_value(int c, const jup_link_rec *a, const jup_link_rec *b)
{
	switch (c) {
	case JUP_CMP_GIVEN:
		return strncmp(a->given, b->given, sizeof a->given) == 0;
	case JUP_CMP_FAMILY:
		return strncmp(a->family, b->family, sizeof a->family) == 0;
	default:
		return strncmp(a->pc_unit, b->pc_unit, sizeof a->pc_unit) == 0;
	}
}

/* The term frequency to weigh an exact match of comparison c at level l by;
 * 0 when the level is not term-frequency adjusted or nothing is known. The
 * larger share of the two records is used (they agree exactly, so normally
 * the two are the same). */
static double link_tf_for(const jup_link_tf *tf, int c, int l, const jup_link_rec *a,
			  const jup_link_rec *b)
{
	if (!tf)
		return 0;
	bool adjusted = (c == JUP_CMP_GIVEN && l == JUP_GIVEN_EXACT) ||
			(c == JUP_CMP_FAMILY && l == JUP_FAMILY_EXACT) ||
			(c == JUP_CMP_POSTCODE && l == JUP_PC_EXACT);
	if (!adjusted)
		return 0;
	double sa = jup_link_tf_share(tf, (jup_link_cmp)c, a);
	if (link_same_value(c, a, b))
		return sa;
	return fmax(sa, jup_link_tf_share(tf, (jup_link_cmp)c, b));
}

/* The m and u to weigh level l of comparison c by (u replaced by the term
 * frequency where that applies); *share gets the frequency used, or 0. */
static void link_level_mu(const jup_link_model *m, const jup_link_tf *tf, int c, int l,
			  const jup_link_rec *a, const jup_link_rec *b, double *mu, double *share)
{
	double u = m->u[c][l];
	*share = link_tf_for(tf, c, l, a, b);
	if (*share > 0)
		u = fmax(*share, LINK_TF_U_FLOOR);
	mu[0] = fmax(m->m[c][l], LINK_PROB_FLOOR);
	mu[1] = fmax(u, LINK_PROB_FLOOR);
}

/*
 * The weight is log2 of the products of m and of u (with the prior odds),
 * so a pair costs one logarithm rather than one per comparison; the
 * products stay far inside a double's range (every factor is in
 * [1e-15, 1], at most eight of them).
 */
double jup_link_score(const jup_link_model *m, const jup_link_tf *tf, const jup_link_rec *a,
		      const jup_link_rec *b, jup_link_explain *ex)
{
	uint8_t lv[JUP_CMP__COUNT];
	jup_link_compare(a, b, lv);
	double prior = link_clamp(m->prior, LINK_PROB_FLOOR, 1 - LINK_PROB_FLOOR);
	double num = prior, den = 1 - prior;
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		int l = lv[c] < JUP_LINK_MAX_LEVELS ? lv[c] : JUP_LVL_MISSING;
		double mu[2] = { 1, 1 }, share = 0;
		if (l != JUP_LVL_MISSING)
			link_level_mu(m, tf, c, l, a, b, mu, &share);
		num *= mu[0];
		den *= mu[1];
		if (ex) {
			ex->level[c] = (uint8_t)l;
			ex->weight[c] = l != JUP_LVL_MISSING ? log2(mu[0] / mu[1]) : 0;
			ex->tf_share[c] = share;
		}
	}
	double total = log2(num / den);
	if (ex) {
		ex->prior_weight = log2(prior / (1 - prior));
		ex->total = total;
		ex->probability = jup_link_probability(total);
	}
	return total;
}

double jup_link_probability(double weight)
{
	return 1.0 / (1.0 + exp2(-weight));
}
