/*
 * link_train.c - estimating a linkage model from unlabelled data.
 *
 * u comes from random pairs. m comes from two training sets, each chosen by
 * one exact key and so uninformative about the fields of that key: pairs
 * born on the same day (m for everything but date of birth), and pairs with
 * the same given and family names (m for everything but the names). Fields
 * estimated by both take the mean. With m and u fixed, the prior comes from
 * the candidate pairs blocking produced.
 */
#include "link/jup_link_model.h"

#include <stdlib.h>
#include <string.h>

#define TRAIN_U_SAMPLES 1000000
#define TRAIN_MAX_PAIRS 1000000
#define TRAIN_EM_ITER 100
#define TRAIN_SEED 0x6a6f696e65647570ULL /* "joinedup" */

typedef struct keyed {
	uint64_t key;
	uint32_t idx;
} keyed;

typedef uint64_t (*key_fn)(const jup_link_rec *r);

static uint64_t dob_key(const jup_link_rec *r)
{
	return r->year ? (uint64_t)r->year * 10000 + (uint64_t)r->month * 100 + (uint64_t)r->day
		       : 0;
}

static uint64_t mix(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static uint64_t name_key(const jup_link_rec *r)
{
	if (!r->given[0] || !r->family[0])
		return 0;
	uint64_t h = mix(mix(0xcbf29ce484222325ULL, r->given) * 31, r->family);
	return h ? h : 1;
}

static int by_key(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The records with a key, sorted by key. */
static keyed *sorted_keys(const jup_link_rec *r, size_t n, key_fn fn, size_t *out)
{
	keyed *k = malloc((n + 1) * sizeof *k);
	if (!k)
		return NULL;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t key = fn(&r[i]);
		if (key)
			k[m++] = (keyed){ key, (uint32_t)i };
	}
	qsort(k, m, sizeof *k, by_key);
	*out = m;
	return k;
}

/* The training pairs of one key, as comparison levels: every `stride`-th
 * pair of equal keys (left x right, or a < b within one side). */
typedef struct trainset {
	const jup_link_rec *left, *right;
	keyed *kl, *kr;
	size_t nl, nr;
	bool dedupe;
	uint8_t *levels;
	size_t n, cap;
	uint64_t seen, stride;
} trainset;

static void take(trainset *t, uint32_t a, uint32_t b)
{
	if (t->seen++ % t->stride != 0 || t->n >= t->cap)
		return;
	jup_link_compare(&t->left[a], &t->right[b], t->levels + t->n * JUP_CMP__COUNT);
	t->n++;
}

/* Walk equal-key runs; with emit false only count the pairs. */
static uint64_t walk(trainset *t, bool emit)
{
	uint64_t pairs = 0;
	size_t i = 0, j = 0;
	while (i < t->nl && j < t->nr) {
		uint64_t key = t->kl[i].key;
		if (t->kr[j].key != key) {
			if (t->kr[j].key < key)
				j++;
			else
				i++;
			continue;
		}
		size_t i2 = i, j2 = j;
		while (i2 < t->nl && t->kl[i2].key == key)
			i2++;
		while (j2 < t->nr && t->kr[j2].key == key)
			j2++;
		for (size_t a = i; a < i2; a++)
			for (size_t b = j; b < j2; b++) {
				if (t->dedupe && t->kl[a].idx >= t->kr[b].idx)
					continue;
				pairs++;
				if (emit)
					take(t, t->kl[a].idx, t->kr[b].idx);
			}
		i = i2;
		j = j2;
	}
	return pairs;
}

/* Build the training levels for one key; NULL levels (n = 0) if none. */
static jup_status trainset_build(trainset *t, key_fn fn)
{
	t->kl = sorted_keys(t->left, t->nl, fn, &t->nl);
	t->kr = t->dedupe ? t->kl : sorted_keys(t->right, t->nr, fn, &t->nr);
	if (!t->kl || !t->kr)
		return JUP_ERR_NOMEM;
	if (t->dedupe)
		t->nr = t->nl;
	uint64_t total = walk(t, false);
	t->stride = total > TRAIN_MAX_PAIRS ? total / TRAIN_MAX_PAIRS + 1 : 1;
	t->cap = total / t->stride + 1;
	t->levels = malloc(t->cap * JUP_CMP__COUNT);
	if (!t->levels)
		return JUP_ERR_NOMEM;
	walk(t, true);
	return JUP_OK;
}

static void trainset_free(trainset *t)
{
	free(t->kl);
	if (!t->dedupe)
		free(t->kr);
	free(t->levels);
}

static jup_status train_on(const jup_link_model *m, const jup_link_rec *left, size_t nl,
			   const jup_link_rec *right, size_t nr, key_fn fn, unsigned ignore,
			   double out[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS])
{
	trainset t = { .left = left, .right = right ? right : left, .nl = nl,
		       .nr = right ? nr : nl, .dedupe = right == NULL };
	jup_status st = trainset_build(&t, fn);
	if (!st)
		jup_link_train_m(m, t.levels, t.n, ignore, TRAIN_EM_ITER, out);
	trainset_free(&t);
	return st;
}

/* m per comparison: from the training set that could learn it, the mean
 * where both could. */
static void combine(jup_link_model *m, double by_dob[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS],
		    double by_name[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS])
{
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		for (int l = 1; l < JUP_LINK_MAX_LEVELS; l++) {
			if (c == JUP_CMP_DOB)
				m->m[c][l] = by_name[c][l];
			else if (c == JUP_CMP_GIVEN || c == JUP_CMP_FAMILY)
				m->m[c][l] = by_dob[c][l];
			else
				m->m[c][l] = (by_dob[c][l] + by_name[c][l]) / 2;
		}
}

/* Levels of an even sample of the candidates; the prior from them. */
static jup_status fit_prior(jup_link_model *m, const jup_link_rec *left, size_t nl,
			    const jup_link_rec *right, size_t nr, const jup_link_pairs *cand)
{
	size_t step = cand->n > TRAIN_MAX_PAIRS ? cand->n / TRAIN_MAX_PAIRS + 1 : 1;
	uint8_t *levels = malloc((cand->n / step + 1) * JUP_CMP__COUNT);
	if (!levels)
		return JUP_ERR_NOMEM;
	size_t k = 0;
	const jup_link_rec *other = right ? right : left;
	for (size_t i = 0; i < cand->n; i += step, k++)
		jup_link_compare(&left[cand->items[i].a], &other[cand->items[i].b],
				 levels + k * JUP_CMP__COUNT);
	double a = (double)nl, b = (double)(right ? nr : nl);
	double total = right ? a * b : a * (a - 1) / 2;
	/* the sample stands for all candidates: scale the prior back up */
	jup_link_estimate_prior(m, levels, k, total / ((double)cand->n / (double)k), TRAIN_EM_ITER);
	free(levels);
	return JUP_OK;
}

jup_status jup_link_train(jup_link_model *m, const jup_link_rec *left, size_t nl,
			  const jup_link_rec *right, size_t nr, const jup_link_pairs *cand,
			  jup_err *err)
{
	size_t big = right && nr > nl ? nr : nl;
	jup_link_model_defaults(m, big);
	jup_link_estimate_u(m, left, nl, right ? right : left, right ? nr : nl, TRAIN_U_SAMPLES,
			    TRAIN_SEED);
	double by_dob[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS];
	double by_name[JUP_CMP__COUNT][JUP_LINK_MAX_LEVELS];
	memcpy(by_dob, m->m, sizeof by_dob);
	memcpy(by_name, m->m, sizeof by_name);
	jup_status st = train_on(m, left, nl, right, nr, dob_key, 1u << JUP_CMP_DOB, by_dob);
	if (!st)
		st = train_on(m, left, nl, right, nr, name_key,
			      (1u << JUP_CMP_GIVEN) | (1u << JUP_CMP_FAMILY), by_name);
	if (!st) {
		combine(m, by_dob, by_name);
		st = fit_prior(m, left, nl, right, nr, cand);
	}
	return st ? jup_err_set(err, st, "training the linkage model: %s", jup_strerror(st))
		  : JUP_OK;
}
