/*
 * jup_link_model.h - the Fellegi-Sunter model, its estimation, and blocking.
 *
 * A pair's match weight is the sum over comparisons of log2(m/u) for the
 * level observed (0 for a missing value), plus the prior log-odds; its match
 * probability is 1 / (1 + 2^-weight). u (how often a level occurs among
 * non-matches) comes from random pairs; m (among matches) and the prior come
 * from expectation-maximisation over candidate pairs, without labels. An
 * exact match on a name or postcode is weighed by how common the value is
 * (term-frequency adjustment): two "smith"s agree less than two
 * "oyelaranwhitfield"s.
 */
#ifndef JUP_LINK_MODEL_H
#define JUP_LINK_MODEL_H

#include "link/jup_link.h"

typedef struct jup_link_model {
	double m[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS];
	double u[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS];
	double prior;      /* probability that a random pair (of all pairs) is a match */
	int em_iterations; /* iterations the last EM run took */
	bool em_converged;
} jup_link_model;

/* jup_link_model_defaults: reasonable starting m and u for every level and a
 * prior of 1 / n (n: the larger side), for EM to start from. */
void jup_link_model_defaults(jup_link_model *m, size_t n);

/* A candidate pair: indexes into the left and right record arrays (or into
 * one array twice, with a < b, when deduplicating). */
typedef struct jup_link_pair {
	uint32_t a, b;
} jup_link_pair;

typedef struct jup_link_pairs {
	jup_link_pair *items;
	size_t n, cap;
} jup_link_pairs;

/* jup_link_pairs_free: release the pairs' memory. */
void jup_link_pairs_free(jup_link_pairs *p);

/*
 * jup_link_block: the candidate pairs between left[0..nl) and right[0..nr)
 * under the blocking rules (same NHS number; same date of birth and family
 * name code; same date of birth and given initial; same postcode unit and
 * given initial; same family and given codes and birth year; ...), each
 * pair once however many rules produce it. With right == NULL the records
 * of left are paired among themselves (a < b). Blocks larger than a limit
 * are skipped (they would only hold very common keys). The pairs come
 * sorted by (a, b); *out is overwritten (pass it zeroed or freed) and the
 * caller frees it with jup_link_pairs_free. JUP_ERR_NOMEM or JUP_ERR_LIMIT
 * (more than 2^32 records) on failure, with *out empty.
 */
jup_status jup_link_block(const jup_link_rec *left, size_t nl, const jup_link_rec *right,
			  size_t nr, jup_link_pairs *out, jup_err *err) JUP_MUST_CHECK;

/* Term frequencies of given names, family names and postcodes. */
typedef struct jup_link_tf jup_link_tf;

/* jup_link_tf_build: count values over recs[0..n) (and right, if not NULL).
 * The caller frees with jup_link_tf_free. */
jup_status jup_link_tf_build(const jup_link_rec *recs, size_t n, const jup_link_rec *right,
			     size_t nr, jup_link_tf **out, jup_err *err) JUP_MUST_CHECK;
void jup_link_tf_free(jup_link_tf *tf);

/* jup_link_tf_new: an empty set of term frequencies, to be filled from
 * stored counts with jup_link_tf_put and jup_link_tf_set_total. */
jup_status jup_link_tf_new(jup_link_tf **out, jup_err *err) JUP_MUST_CHECK;

/* jup_link_tf_value: the folded value of r that comparison c counts
 * (given name, family name or postcode unit), NUL-terminated; NULL for
 * other comparisons; "" when r has none. */
const char *jup_link_tf_value(jup_link_cmp c, const jup_link_rec *r);

/* jup_link_tf_put: add count records carrying value for comparison c
 * (JUP_ERR_USAGE for another comparison or an empty value, JUP_ERR_NOMEM).
 * The total is not changed: set it with jup_link_tf_set_total. */
jup_status jup_link_tf_put(jup_link_tf *tf, jup_link_cmp c, const char *value, uint32_t count)
	JUP_MUST_CHECK;

/* jup_link_tf_total / jup_link_tf_set_total: how many records carry a
 * value for comparison c (0 for comparisons not counted). */
uint64_t jup_link_tf_total(const jup_link_tf *tf, jup_link_cmp c);
void jup_link_tf_set_total(jup_link_tf *tf, jup_link_cmp c, uint64_t total);

/* jup_link_tf_each: call fn for every counted value (in no set order);
 * stops at the first status fn returns and gives it back. */
typedef jup_status (*jup_link_tf_fn)(void *ctx, jup_link_cmp c, const char *value,
				     uint32_t count, jup_err *err);
jup_status jup_link_tf_each(const jup_link_tf *tf, jup_link_tf_fn fn, void *ctx, jup_err *err)
	JUP_MUST_CHECK;

/* jup_link_tf_share: the share (0..1] of records carrying r's value for
 * comparison c (JUP_CMP_GIVEN, JUP_CMP_FAMILY or JUP_CMP_POSTCODE); 0 when
 * unknown or for other comparisons. */
double jup_link_tf_share(const jup_link_tf *tf, jup_link_cmp c, const jup_link_rec *r);

/* jup_link_estimate_u: u from up to `samples` random pairs (seeded, so the
 * result is repeatable). */
void jup_link_estimate_u(jup_link_model *m, const jup_link_rec *left, size_t nl,
			 const jup_link_rec *right, size_t nr, size_t samples, uint64_t seed);

/*
 * jup_link_train_m: m by expectation-maximisation with u held fixed at the
 * model's (random-pair) u, over training pairs chosen because they agree on
 * the comparisons in `ignore` (a bit per jup_link_cmp): those are treated as
 * missing, since agreement on them says nothing there, and among such pairs
 * the non-matches are like random pairs in every other comparison. Writes m
 * for the comparisons not ignored into out (the rest untouched); returns the
 * share of matches among the training pairs. This is how Splink trains.
 */
double jup_link_train_m(const jup_link_model *m, const uint8_t *levels, size_t npairs,
			unsigned ignore, int max_iter,
			double out[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS]);

/* jup_link_estimate_prior: with m and u fixed, the share of matches among
 * the candidate pairs by EM, turned into the probability that two random
 * records match (share * npairs / total_pairs). */
void jup_link_estimate_prior(jup_link_model *m, const uint8_t *levels, size_t npairs,
			     double total_pairs, int max_iter);

/*
 * jup_link_train: the whole model from unlabelled data: u from random pairs,
 * m by EM on two training sets (pairs born on the same day; pairs with the
 * same names), the prior from the candidate pairs `cand` (from
 * jup_link_block; right NULL when deduplicating). JUP_ERR_NOMEM on failure.
 */
jup_status jup_link_train(jup_link_model *m, const jup_link_rec *left, size_t nl,
			  const jup_link_rec *right, size_t nr, const jup_link_pairs *cand,
			  jup_err *err) JUP_MUST_CHECK;

/* Per-comparison explanation of a pair's weight. */
typedef struct jup_link_explain {
	uint8_t level[JUP_CMP__COUNT];
	double weight[JUP_CMP__COUNT]; /* log2(m/u), term-frequency adjusted */
	double tf_share[JUP_CMP__COUNT]; /* the share used, when adjusted; else 0 */
	double prior_weight;           /* log2(prior / (1 - prior)) */
	double total;                  /* prior_weight + sum of weights */
	double probability;
} jup_link_explain;

/* jup_link_score: compare a and b and weigh the levels (tf may be NULL: no
 * adjustment). Fills *ex when not NULL; returns the match weight. */
double jup_link_score(const jup_link_model *m, const jup_link_tf *tf, const jup_link_rec *a,
		      const jup_link_rec *b, jup_link_explain *ex);

/* jup_link_probability: the match probability of a total match weight. */
double jup_link_probability(double weight);

#endif
