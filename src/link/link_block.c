/*
 * link_block.c - blocking: the candidate pairs worth comparing.
 *
 * Each rule turns a record into a key (a 64-bit hash of a few fields; a
 * record missing any of them skips the rule). For each rule the (key, side,
 * index) tuples of both sides are sorted, and every run of equal keys gives
 * its left x right pairs (within one side, a < b, when deduplicating). A hash
 * collision only adds candidates; the comparisons sort them out.
 *
 * A run giving more than LINK_BLOCK_MAX_RUN pairs is skipped: its key is too
 * common to tell anyone apart, and some other rule will usually pair the
 * records that matter. A pair is emitted only by the first rule that would
 * have produced it: under rule k it is dropped when an earlier rule gives
 * both records the same key in a run that was not skipped (the earlier keys
 * are compared for the two records, which is cheaper than a set of pairs).
 * The output is sorted by (a, b).
 *
 * Sorting: the keys are hashes, so one counting pass on their top bits
 * spreads them into buckets of a few dozen tuples, each then sorted in place.
 */
#include "link/jup_link_model.h"
#include "link/link_internal.h"

#include <stdlib.h>
#include <string.h>

#define LINK_BLOCK_MAX_RUN 5000 /* pairs from one key above which the key is skipped */
#define LINK_SMALL_SORT 48      /* buckets up to this size use insertion sort */

typedef enum link_rule {
	LINK_RULE_NHS,            /* same NHS number */
	LINK_RULE_DOB_FAMILY,     /* same date of birth and family name code */
	LINK_RULE_DOB_INITIAL,    /* same date of birth and given initial */
	LINK_RULE_UNIT_INITIAL,   /* same postcode unit and given initial */
	LINK_RULE_CODES_YEAR,     /* same name codes (either way round) and birth year */
	LINK_RULE_SWAP_FAMILY,    /* same year, day and month either way round, family code */
	LINK_RULE_UNIT_YEAR,      /* same postcode unit and birth year */
	LINK_RULE_CODES_DISTRICT, /* same given and family codes and postcode district */
	LINK_RULE_UNIT_FAMILY,    /* same postcode unit and family code */
	LINK_RULE__COUNT
} link_rule;

typedef uint16_t link_skip; /* bit r: the record's key under rule r was skipped */
_Static_assert(LINK_RULE__COUNT <= 16, "one skip bit per rule");

typedef struct link_tuple {
	uint64_t key;
	uint32_t side; /* 0: left, 1: right */
	uint32_t idx;
} link_tuple;

typedef struct link_block {
	const jup_link_rec *rec[2];
	size_t n[2];
	bool dedupe;        /* one side paired with itself */
	link_skip *skip[2]; /* per record */
	link_tuple *tup, *tmp;
	size_t ntup;
	size_t *bucket;     /* bucket starts for the counting pass */
	jup_link_pairs *out;
} link_block;

/* ---- keys ------------------------------------------------------------------- */

static inline uint64_t link_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* Up to 16 bytes of a NUL-padded field as two words (bytes past the first
 * NUL are ignored). */
static uint64_t link_mix_str(uint64_t h, const char *s, size_t cap)
{
	unsigned char buf[16] = { 0 };
	size_t len = strnlen(s, cap < sizeof buf ? cap : sizeof buf);
	memcpy(buf, s, len);
	uint64_t w0, w1;
	memcpy(&w0, buf, sizeof w0);
	memcpy(&w1, buf + 8, sizeof w1);
	return link_mix(link_mix(h, w0), w1);
}

static bool link_has_dob(const jup_link_rec *r)
{
	return r->year != 0 && r->month > 0 && r->day > 0;
}

static uint64_t link_dob(int year, int month, int day)
{
	return ((uint64_t)(uint16_t)year << 16) | ((uint64_t)(uint8_t)month << 8) |
	       (uint8_t)day;
}

/* Whether r has every field a rule needs. */
static bool link_rule_valid(int rule, const jup_link_rec *r)
{
	bool codes = r->given_code != 0 && r->family_code != 0;
	switch (rule) {
	case LINK_RULE_NHS:
		return r->nhs != 0;
	case LINK_RULE_DOB_FAMILY:
		return r->family_code != 0 && link_has_dob(r);
	case LINK_RULE_DOB_INITIAL:
		return r->given[0] != 0 && link_has_dob(r);
	case LINK_RULE_UNIT_INITIAL:
		return r->given[0] != 0 && r->pc_unit[0] != 0;
	case LINK_RULE_CODES_YEAR:
		return codes && r->year != 0;
	case LINK_RULE_SWAP_FAMILY: /* only when both day and month could be a month */
		return r->family_code != 0 && link_has_dob(r) && r->month <= 12 &&
		       r->day <= 12 && r->month != r->day;
	case LINK_RULE_UNIT_YEAR:
		return r->pc_unit[0] != 0 && r->year != 0;
	case LINK_RULE_CODES_DISTRICT:
		return codes && r->pc_district[0] != 0;
	case LINK_RULE_UNIT_FAMILY:
		return r->family_code != 0 && r->pc_unit[0] != 0;
	default:
		return false;
	}
}

/* The two name codes, lower first: the same whichever way round they came. */
static void link_sorted_codes(const jup_link_rec *r, uint32_t *lo, uint32_t *hi)
{
	bool swap = r->given_code > r->family_code;
	*lo = swap ? r->family_code : r->given_code;
	*hi = swap ? r->given_code : r->family_code;
}

/* The hash of r's fields under a rule (r must be valid for it). */
static uint64_t link_rule_hash(int rule, const jup_link_rec *r)
{
	uint64_t h = (uint64_t)(rule + 1) * 0x9e3779b97f4a7c15ull;
	uint64_t dob = link_dob(r->year, r->month, r->day);
	uint64_t initial = (unsigned char)r->given[0];
	switch (rule) {
	case LINK_RULE_NHS:
		return link_mix(h, r->nhs);
	case LINK_RULE_DOB_FAMILY:
		return link_mix(link_mix(h, dob), r->family_code);
	case LINK_RULE_DOB_INITIAL:
		return link_mix(link_mix(h, dob), initial);
	case LINK_RULE_UNIT_INITIAL:
		return link_mix(link_mix_str(h, r->pc_unit, sizeof r->pc_unit), initial);
	case LINK_RULE_CODES_YEAR: { /* given and family names swapped still meet */
		uint32_t lo, hi;
		link_sorted_codes(r, &lo, &hi);
		return link_mix(link_mix(link_mix(h, lo), hi), (uint16_t)r->year);
	}
	case LINK_RULE_SWAP_FAMILY: {
		int lo = r->month < r->day ? r->month : r->day;
		int hi = r->month < r->day ? r->day : r->month;
		return link_mix(link_mix(h, link_dob(r->year, lo, hi)), r->family_code);
	}
	case LINK_RULE_UNIT_YEAR:
		return link_mix(link_mix_str(h, r->pc_unit, sizeof r->pc_unit), (uint16_t)r->year);
	case LINK_RULE_UNIT_FAMILY:
		return link_mix(link_mix_str(h, r->pc_unit, sizeof r->pc_unit), r->family_code);
	default:
		h = link_mix(link_mix_str(h, r->pc_district, sizeof r->pc_district), r->given_code);
		return link_mix(h, r->family_code);
	}
}

/* The key of r under a rule; false when r lacks a field the rule needs. */
static bool link_rule_key(int rule, const jup_link_rec *r, uint64_t *key)
{
	if (!link_rule_valid(rule, r))
		return false;
	*key = link_rule_hash(rule, r);
	return true;
}

/* ---- sorting the tuples -------------------------------------------------------- */

static inline bool link_tuple_less(const link_tuple *x, const link_tuple *y)
{
	if (x->key != y->key)
		return x->key < y->key;
	if (x->side != y->side)
		return x->side < y->side;
	return x->idx < y->idx;
}

static int link_tuple_cmp(const void *pa, const void *pb)
{
	const link_tuple *x = pa, *y = pb;
	return link_tuple_less(x, y) ? -1 : link_tuple_less(y, x) ? 1 : 0;
}

static void link_insertion_sort(link_tuple *t, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		link_tuple v = t[i];
		size_t j = i;
		for (; j > 0 && link_tuple_less(&v, &t[j - 1]); j--)
			t[j] = t[j - 1];
		t[j] = v;
	}
}

/* Bits of the key's top to bucket on: about 16 tuples per bucket. */
static int link_bucket_bits(size_t n)
{
	int bits = 8;
	while (bits < 20 && ((size_t)1 << bits) * 16 < n)
		bits++;
	return bits;
}

/* Sort b->tup[0..ntup) by (key, side, idx): one counting pass on the top
 * bits into b->tmp, then each bucket sorted; the result is left in b->tup. */
static void link_sort_tuples(link_block *b)
{
	int bits = link_bucket_bits(b->ntup);
	size_t nb = (size_t)1 << bits;
	size_t *start = b->bucket;
	memset(start, 0, (nb + 1) * sizeof *start);
	for (size_t i = 0; i < b->ntup; i++)
		start[(b->tup[i].key >> (64 - bits)) + 1]++;
	for (size_t k = 0; k < nb; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < b->ntup; i++)
		b->tmp[start[b->tup[i].key >> (64 - bits)]++] = b->tup[i];
	/* start[k] is now the end of bucket k */
	size_t from = 0;
	for (size_t k = 0; k < nb; k++) {
		size_t len = start[k] - from;
		if (len > LINK_SMALL_SORT)
			qsort(b->tmp + from, len, sizeof *b->tmp, link_tuple_cmp);
		else
			link_insertion_sort(b->tmp + from, len);
		from = start[k];
	}
	link_tuple *t = b->tup;
	b->tup = b->tmp;
	b->tmp = t;
}

/* ---- emitting pairs -------------------------------------------------------------- */

static bool link_push(jup_link_pairs *out, uint32_t a, uint32_t b)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 4096;
		if (cap > SIZE_MAX / sizeof *out->items)
			return false;
		jup_link_pair *items = realloc(out->items, cap * sizeof *items);
		if (!items)
			return false;
		out->items = items;
		out->cap = cap;
	}
	out->items[out->n++] = (jup_link_pair){ a, b };
	return true;
}

static bool link_same_dob(const jup_link_rec *a, const jup_link_rec *b)
{
	return link_has_dob(a) && a->year == b->year && a->month == b->month && a->day == b->day;
}

static bool link_same_unit(const jup_link_rec *a, const jup_link_rec *b)
{
	return a->pc_unit[0] && strncmp(a->pc_unit, b->pc_unit, sizeof a->pc_unit) == 0;
}

static bool link_same_codes(const jup_link_rec *a, const jup_link_rec *b)
{
	return a->given_code && a->family_code && a->given_code == b->given_code &&
	       a->family_code == b->family_code;
}

static bool link_same_sorted_codes(const jup_link_rec *a, const jup_link_rec *b)
{
	uint32_t alo, ahi, blo, bhi;
	link_sorted_codes(a, &alo, &ahi);
	link_sorted_codes(b, &blo, &bhi);
	return a->given_code && a->family_code && alo == blo && ahi == bhi;
}

/* True when a and b have the same valid key under a rule, judged on the
 * fields themselves (cheaper than hashing; equal fields give equal keys). */
static bool link_rule_same(int rule, const jup_link_rec *a, const jup_link_rec *b)
{
	uint64_t ka, kb;
	switch (rule) {
	case LINK_RULE_NHS:
		return a->nhs && a->nhs == b->nhs;
	case LINK_RULE_DOB_FAMILY:
		return a->family_code && a->family_code == b->family_code && link_same_dob(a, b);
	case LINK_RULE_DOB_INITIAL:
		return a->given[0] && a->given[0] == b->given[0] && link_same_dob(a, b);
	case LINK_RULE_UNIT_INITIAL:
		return a->given[0] && a->given[0] == b->given[0] && link_same_unit(a, b);
	case LINK_RULE_CODES_YEAR:
		return a->year && a->year == b->year && link_same_sorted_codes(a, b);
	case LINK_RULE_UNIT_YEAR:
		return a->year && a->year == b->year && link_same_unit(a, b);
	case LINK_RULE_CODES_DISTRICT:
		return link_same_codes(a, b) && a->pc_district[0] &&
		       strncmp(a->pc_district, b->pc_district, sizeof a->pc_district) == 0;
	case LINK_RULE_UNIT_FAMILY:
		return a->family_code && a->family_code == b->family_code && link_same_unit(a, b);
	default: /* the day-month swap: rare enough to hash */
		return a->family_code == b->family_code && a->year == b->year &&
		       link_rule_key(rule, a, &ka) && link_rule_key(rule, b, &kb) && ka == kb;
	}
}

/* True when a rule before `rule` already paired left a with right b: both
 * have the same key under it and that key's run was not skipped (records
 * with the same key were in the same run, so one's skip bits suffice). A
 * hash collision could still let a pair through twice; the final sort
 * drops such repeats. */
static bool link_seen(const link_block *b, int rule, uint32_t ia, uint32_t ib)
{
	const jup_link_rec *ra = &b->rec[0][ia], *rb = &b->rec[1][ib];
	link_skip skipped = b->skip[0][ia];
	for (int r = 0; r < rule; r++)
		if (!(skipped & (1u << r)) && link_rule_same(r, ra, rb))
			return true;
	return false;
}

/* Emit the pairs of the run tup[s..e) under rule, or mark it skipped. */
static bool link_emit_run(link_block *b, int rule, size_t s, size_t e)
{
	const link_tuple *t = b->tup;
	size_t nleft = 0;
	while (s + nleft < e && t[s + nleft].side == 0)
		nleft++;
	size_t len = e - s;
	size_t pairs = b->dedupe ? len * (len - 1) / 2 : nleft * (len - nleft);
	if (pairs == 0)
		return true;
	if (pairs > LINK_BLOCK_MAX_RUN) {
		for (size_t i = s; i < e; i++)
			b->skip[t[i].side][t[i].idx] |= (link_skip)(1u << rule);
		return true;
	}
	for (size_t i = s; i < s + nleft; i++) {
		size_t j0 = b->dedupe ? i + 1 : s + nleft;
		for (size_t j = j0; j < e; j++) {
			uint32_t ia = t[i].idx, ib = t[j].idx;
			if (!link_seen(b, rule, ia, ib) && !link_push(b->out, ia, ib))
				return false;
		}
	}
	return true;
}

/* Run one rule over both sides; false when out of memory. */
static bool link_block_rule(link_block *b, int rule)
{
	b->ntup = 0;
	int sides = b->dedupe ? 1 : 2;
	for (int side = 0; side < sides; side++) {
		const jup_link_rec *rec = b->rec[side];
		for (size_t i = 0; i < b->n[side]; i++) {
			uint64_t key;
			if (link_rule_key(rule, &rec[i], &key))
				b->tup[b->ntup++] = (link_tuple){ key, (uint32_t)side, (uint32_t)i };
		}
	}
	link_sort_tuples(b);
	for (size_t s = 0, e; s < b->ntup; s = e) {
		for (e = s + 1; e < b->ntup && b->tup[e].key == b->tup[s].key; e++)
			;
		if (!link_emit_run(b, rule, s, e))
			return false;
	}
	return true;
}

/* ---- ordering the output ------------------------------------------------------------ */

static int link_pair_cmp_b(const void *pa, const void *pb)
{
	const jup_link_pair *x = pa, *y = pb;
	return (x->b > y->b) - (x->b < y->b);
}

/* Sort pairs of one a by b: insertion sort for the usual handful. */
static void link_sort_by_b(jup_link_pair *p, size_t n)
{
	if (n > LINK_SMALL_SORT) {
		qsort(p, n, sizeof *p, link_pair_cmp_b);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		jup_link_pair v = p[i];
		size_t j = i;
		for (; j > 0 && p[j - 1].b > v.b; j--)
			p[j] = p[j - 1];
		p[j] = v;
	}
}

/* Sort the pairs by (a, b), dropping repeats: a counting sort on a into
 * tmp, then each a's few pairs by b. */
static bool link_sort_pairs(jup_link_pairs *p, size_t na)
{
	if (p->n < 2)
		return true;
	size_t *start = calloc(na + 1, sizeof *start);
	jup_link_pair *tmp = malloc(p->n * sizeof *tmp);
	if (!start || !tmp) {
		free(start);
		free(tmp);
		return false;
	}
	for (size_t i = 0; i < p->n; i++)
		start[p->items[i].a + 1]++;
	for (size_t k = 0; k < na; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < p->n; i++)
		tmp[start[p->items[i].a]++] = p->items[i];
	for (size_t k = 0, from = 0; k < na; from = start[k++])
		link_sort_by_b(tmp + from, start[k] - from);
	size_t n = 0; /* drop repeats (only a hash collision makes one) */
	for (size_t i = 0; i < p->n; i++)
		if (n == 0 || tmp[i].a != tmp[n - 1].a || tmp[i].b != tmp[n - 1].b)
			tmp[n++] = tmp[i];
	free(p->items);
	p->items = tmp;
	p->n = n;
	p->cap = n;
	free(start);
	return true;
}

/* ---- one record against the store ------------------------------------------------ */

bool link_block_same(const jup_link_rec *a, const jup_link_rec *b)
{
	for (int rule = 0; rule < LINK_RULE__COUNT; rule++)
		if (link_rule_same(rule, a, b))
			return true;
	return false;
}

int link_block_stored_keys(const jup_link_rec *r, int64_t keys[LINK_STORED_KEYS])
{
	static const link_rule stored[LINK_STORED_KEYS] = { LINK_RULE_CODES_YEAR };
	int n = 0;
	for (int i = 0; i < LINK_STORED_KEYS; i++) {
		uint64_t key;
		if (link_rule_key(stored[i], r, &key))
			keys[n++] = (int64_t)(key >> 33);
	}
	return n;
}

/* ---- the whole ------------------------------------------------------------------------ */

static void link_block_free(link_block *b)
{
	free(b->skip[0]);
	if (!b->dedupe)
		free(b->skip[1]);
	free(b->tup);
	free(b->tmp);
	free(b->bucket);
}

static bool link_block_alloc(link_block *b)
{
	size_t ntup = b->n[0] + (b->dedupe ? 0 : b->n[1]);
	b->skip[0] = calloc(b->n[0] + 1, sizeof(link_skip));
	b->skip[1] = b->dedupe ? b->skip[0] : calloc(b->n[1] + 1, sizeof(link_skip));
	b->tup = malloc((ntup + 1) * sizeof *b->tup);
	b->tmp = malloc((ntup + 1) * sizeof *b->tmp);
	b->bucket = malloc((((size_t)1 << link_bucket_bits(ntup)) + 1) * sizeof *b->bucket);
	return b->skip[0] && b->skip[1] && b->tup && b->tmp && b->bucket;
}

jup_status jup_link_block(const jup_link_rec *left, size_t nl, const jup_link_rec *right,
			  size_t nr, jup_link_pairs *out, jup_err *err)
{
	*out = (jup_link_pairs){ 0 };
	bool dedupe = right == NULL;
	if (nl > UINT32_MAX || (!dedupe && nr > UINT32_MAX))
		return jup_err_set(err, JUP_ERR_LIMIT,
				   "blocking: more than 4294967295 records on one side");
	link_block b = { .rec = { left, dedupe ? left : right },
			 .n = { nl, dedupe ? nl : nr },
			 .dedupe = dedupe,
			 .out = out };
	jup_status st = JUP_OK;
	if (!link_block_alloc(&b))
		goto nomem;
	for (int rule = 0; rule < LINK_RULE__COUNT; rule++)
		if (!link_block_rule(&b, rule))
			goto nomem;
	if (!link_sort_pairs(out, nl))
		goto nomem;
	goto out;
nomem:
	jup_link_pairs_free(out);
	st = jup_err_set(err, JUP_ERR_NOMEM, "blocking: out of memory");
out:
	link_block_free(&b);
	return st;
}

void jup_link_pairs_free(jup_link_pairs *p)
{
	if (!p)
		return;
	free(p->items);
	*p = (jup_link_pairs){ 0 };
}
