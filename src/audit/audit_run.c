/*
 * audit_run.c - the audit log's person index: one sorted run of
 * (person_id, entry_id) per full block of entries (jup_audit.h), written
 * when the block fills and checked block by block by verify.
 */
#include "audit/audit_internal.h"
#include "core/jup_array.h"

#include <stdlib.h>

/* Migration 6 (store/store_schema.c) cuts an existing log into blocks of
 * this many entries in SQL. */
_Static_assert(JUP_AUDIT_BLOCK == 4096, "migration 6 fills audit_person_run with blocks of 4096");

static jup_status add_pair(audit_pairs *p, int64_t person_id, int64_t entry_id, jup_err *err)
{
	audit_pair *grown = jup_array_grow(p->v, &p->cap, p->n, sizeof *p->v, 256);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM,
				   "out of memory reading the audit person index");
	p->v = grown;
	p->v[p->n++] = (audit_pair){ person_id, entry_id };
	return JUP_OK;
}

/* By person, then entry: the order of the run table's key after the block. */
static int cmp_pair(const void *a, const void *b)
{
	const audit_pair *x = a, *y = b;
	if (x->person_id != y->person_id)
		return (x->person_id > y->person_id) - (x->person_id < y->person_id);
	return (x->entry_id > y->entry_id) - (x->entry_id < y->entry_id);
}

/* Sort p unless it is sorted already (a run read back usually is). */
static void sort_pairs(audit_pairs *p)
{
	size_t i = 1;
	while (i < p->n && cmp_pair(&p->v[i - 1], &p->v[i]) < 0)
		i++;
	if (i < p->n)
		qsort(p->v, p->n, sizeof *p->v, cmp_pair);
}

/* ------------------------------------------------------------ write */

jup_status audit_run_write(jup_store *st, int64_t last, jup_err *err)
{
	int64_t rows;
	/* the ids are consecutive: every append checked its id against the state */
	return jup_store_audit_run_fill(st, audit_block_of(last), last - JUP_AUDIT_BLOCK + 1, last,
					&rows, err);
}

/* ------------------------------------------------------------ check */

typedef enum run_problem {
	RUN_MISSING,   /* an entry of the block about somebody has no row */
	RUN_EXTRA,     /* a row that no entry of the block gives */
	RUN_MALFORMED, /* a row whose values are not integers */
} run_problem;

static jup_status run_bad(audit_run_check *c, run_problem p, int64_t entry, jup_err *err)
{
	c->rep->bad_block = c->block;
	long long b = c->block, lo = b * JUP_AUDIT_BLOCK + 1, hi = (b + 1) * JUP_AUDIT_BLOCK;
	switch (p) {
	case RUN_MISSING:
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit person run of block %lld (entries %lld to %lld) lacks "
				   "entry %lld: removed or altered",
				   b, lo, hi, (long long)entry);
	case RUN_EXTRA:
		return jup_err_set(
			err, JUP_ERR_INVALID,
			"audit person run of block %lld (entries %lld to %lld) has a row "
			"for entry %lld that the block's entries do not give: added or "
			"altered",
			b, lo, hi, (long long)entry);
	case RUN_MALFORMED:
	default:
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit person run of block %lld (entries %lld to %lld) has a "
				   "malformed row",
				   b, lo, hi);
	}
}

static jup_status run_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	audit_run_check *c = ctx;
	const jup_value *p = &vals[JUP_APR_PERSON_ID], *e = &vals[JUP_APR_ENTRY_ID];
	c->rows++;
	if (p->type != JUP_V_INT || e->type != JUP_V_INT)
		return run_bad(c, RUN_MALFORMED, 0, err);
	return add_pair(&c->got, p->i, e->i, err);
}

/* The first difference of the sorted pairs of the entries (want) and of
 * the run (got), if any. */
static jup_status compare_run(audit_run_check *c, jup_err *err)
{
	const audit_pairs *w = &c->want, *g = &c->got;
	size_t i = 0;
	while (i < w->n && i < g->n && cmp_pair(&w->v[i], &g->v[i]) == 0)
		i++;
	if (i == w->n && i == g->n)
		return JUP_OK;
	if (i < w->n && (i == g->n || cmp_pair(&w->v[i], &g->v[i]) < 0))
		return run_bad(c, RUN_MISSING, w->v[i].entry_id, err);
	return run_bad(c, RUN_EXTRA, g->v[i].entry_id, err);
}

static jup_status check_block(jup_store *st, audit_run_check *c, int64_t block, jup_err *err)
{
	jup_match m = { JUP_APR_BLOCK, jup_v_int(block) };
	c->block = block;
	c->got.n = 0;
	jup_status r = jup_store_scan(st, JUP_TABLE_AUDIT_PERSON_RUN, &m, 1, run_row, c, err);
	if (r)
		return r;
	sort_pairs(&c->want);
	sort_pairs(&c->got); /* the store promises only the block's order */
	r = compare_run(c, err);
	c->want.n = 0;
	if (!r)
		c->rep->runs++;
	return r;
}

jup_status audit_run_check_entry(jup_store *st, audit_run_check *c, int64_t id, int64_t person_id,
				 jup_err *err)
{
	jup_status r = person_id ? add_pair(&c->want, person_id, id, err) : JUP_OK;
	if (!r && id % JUP_AUDIT_BLOCK == 0)
		r = check_block(st, c, audit_block_of(id), err);
	return r;
}

/* Looking for the first run row outside the full blocks. */
typedef struct stray_find {
	audit_run_check *c;
	int64_t full; /* the number of full blocks */
} stray_find;

static jup_status stray_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	stray_find *s = ctx;
	const jup_value *b = &vals[JUP_APR_BLOCK];
	if (b->type == JUP_V_INT && b->i >= 0 && b->i < s->full)
		return JUP_OK;
	bool malformed = b->type != JUP_V_INT || b->i < 0;
	s->c->rep->bad_block = malformed ? s->full : b->i;
	if (malformed)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit person run: a row has a malformed block number");
	return jup_err_set(err, JUP_ERR_INVALID,
			   "audit person run of block %lld: the block is not full (the log has "
			   "%lld full blocks), so it has no run, but rows were added",
			   (long long)b->i, (long long)s->full);
}

jup_status audit_run_check_end(jup_store *st, audit_run_check *c, int64_t entries, jup_err *err)
{
	int64_t n;
	jup_status r = jup_store_count(st, JUP_TABLE_AUDIT_PERSON_RUN, &n, err);
	if (r || n == c->rows)
		return r;
	stray_find s = { c, entries / JUP_AUDIT_BLOCK };
	r = jup_store_scan(st, JUP_TABLE_AUDIT_PERSON_RUN, NULL, 0, stray_row, &s, err);
	if (!r) { /* the rows changed between the count and the scan */
		c->rep->bad_block = s.full;
		r = jup_err_set(err, JUP_ERR_INVALID,
				"audit person run: %lld rows, but the full blocks' runs hold %lld",
				(long long)n, (long long)c->rows);
	}
	return r;
}

void audit_run_check_free(audit_run_check *c)
{
	free(c->want.v);
	free(c->got.v);
	c->want = c->got = (audit_pairs){ 0 };
}
