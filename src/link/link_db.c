/*
 * link_db.c - `joinedup link`: one run of the master person index.
 *
 * The run loads every source record's identifying fields (prepared once),
 * puts the records not yet linked ("new") first, and clusters with a
 * union-find whose roots remember the cluster's valid NHS number and the
 * existing person it holds, if any. Merges are refused when they would join
 * two different NHS numbers or two existing people. Deterministic NHS links
 * come first, then model links from the strongest down, so the evidence
 * that decides a conflict is always the best available.
 */
#include "link/link_db_internal.h"
#include "link/link_internal.h"

#include "core/jup_array.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { VIA_NONE, VIA_NHS, VIA_MODEL };

typedef struct rec_meta {
	int64_t id;     /* source_record id */
	int64_t person; /* existing person; 0 for a new record */
	bool gp;        /* held by a GP practice (on a GP register) */
	bool agreed;    /* its NHS number is on a GP register record */
	uint8_t via;    /* how this run attached it */
} rec_meta;

typedef struct id_pair {
	int64_t a, b; /* source record ids */
} id_pair;

typedef struct scored {
	uint32_t a, b; /* global indexes, a < b */
	double weight, prob;
} scored;

typedef struct scored_list {
	scored *items;
	size_t n, cap;
	jup_status st;
} scored_list;

typedef struct keyed {
	uint64_t key;
	uint32_t idx;
} keyed;

static int keyed_key_cmp(const void *pa, const void *pb)
{
	const keyed *a = pa, *b = pb;
	return a->key < b->key ? -1 : a->key > b->key;
}

static int keyed_cmp(const void *pa, const void *pb)
{
	const keyed *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

typedef enum pair_status { PAIR_DROP, PAIR_LINKED, PAIR_REVIEW, PAIR_CONFLICT } pair_status;

typedef struct run {
	jup_store *st;
	const jup_link_db_opts *o;
	jup_link_db_report *rep;
	/* organisations: is org id i a GP practice */
	bool *org_gp;
	size_t norg;
	/* pairs people rejected: never queued for joining again */
	id_pair *rejected;
	size_t nrejected, rejected_cap;
	/* existing members, in source id order */
	link_db_members members;
	/* records, laid out in groups (see layout) */
	jup_link_rec *recs;
	rec_meta *meta;
	size_t n, cap, nn;
	size_t group[5]; /* group g is [group[g], group[g + 1]) */
	/* records with a valid NHS number, sorted by it */
	keyed *by_nhs;
	size_t nby_nhs;
	/* clusters */
	uint32_t *parent;
	uint64_t *cl_nhs;
	int64_t *cl_person;
	/* linkage */
	jup_link_pairs todo;
	scored_list kept[LINK_THREADS];
	scored *all;
	size_t nall;
	pair_status *status;
	jup_link_model model;
	jup_link_tf *tf;
	int64_t run_id;
	bool all_keys;      /* people exist without search keys: write every record's */
	struct timespec t0; /* when the run started, for the log */
} run;

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A progress line on the log, with the time since the run started. */
static void say(const run *r, const char *fmt, ...) JUP_PRINTF(2, 3);
static void say(const run *r, const char *fmt, ...)
{
	if (!r->o->log)
		return;
	fprintf(r->o->log, "%6.1f s  ", seconds_since(&r->t0));
	va_list ap;
	va_start(ap, fmt);
	vfprintf(r->o->log, fmt, ap);
	va_end(ap);
	fflush(r->o->log);
}

/* ---- loading ----------------------------------------------------------------- */

static jup_status org_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	run *r = ctx;
	if (id < 0)
		return JUP_OK; /* ids are positive; nothing can refer to this one */
	if ((uint64_t)id >= r->norg) {
		size_t n = (size_t)id * 2 + 16;
		bool *g = realloc(r->org_gp, n * sizeof *g);
		if (!g)
			return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
		memset(g + r->norg, 0, (n - r->norg) * sizeof *g);
		r->org_gp = g;
		r->norg = n;
	}
	r->org_gp[id] = jup_sv_eq_cstr(link_db_text(&v[JUP_ORG_KIND]), "gp_practice");
	return JUP_OK;
}

static jup_status rejected_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	run *r = ctx;
	id_pair *p = jup_array_grow(r->rejected, &r->rejected_cap, r->nrejected, sizeof *p, 64);
	if (!p)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	r->rejected = p;
	r->rejected[r->nrejected++] = (id_pair){ v[JUP_PAIR_SOURCE_A].i, v[JUP_PAIR_SOURCE_B].i };
	return JUP_OK;
}

static jup_status source_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	run *r = ctx;
	if (r->n == r->cap) { /* (only if records were added since they were counted) */
		size_t cap_recs = r->cap, cap_meta = r->cap;
		jup_link_rec *recs = jup_array_grow(r->recs, &cap_recs, r->n, sizeof *recs, 4096);
		if (recs)
			r->recs = recs;
		rec_meta *meta =
			recs ? jup_array_grow(r->meta, &cap_meta, r->n, sizeof *meta, 4096) : NULL;
		if (!meta)
			return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
		r->meta = meta;
		r->cap = cap_meta;
	}
	if (r->n >= UINT32_MAX)
		return jup_err_set(err, JUP_ERR_LIMIT, "linking: more than 2^32 records");
	jup_link_input in;
	link_db_input(v, &in);
	jup_link_prepare(&in, &r->recs[r->n]);
	int64_t org = v[JUP_SRC_ORG_ID].i;
	r->meta[r->n] = (rec_meta){
		.id = id,
		.person = link_db_members_person(&r->members, id),
		.gp = org >= 0 && (uint64_t)org < r->norg && r->org_gp[org],
	};
	r->n++;
	return JUP_OK;
}

/* Every source record has a person (each member row names a distinct source
 * record): nothing to load. Sets rep->records then; 0 when there is work. */
static jup_status all_linked(run *r, jup_err *err)
{
	int64_t records = 0, members = 0;
	jup_status st = jup_store_count(r->st, JUP_TABLE_SOURCE_RECORD, &records, err);
	if (!st)
		st = jup_store_count(r->st, JUP_TABLE_PERSON_MEMBER, &members, err);
	if (!st && records == members)
		r->rep->records = (size_t)records;
	return st;
}

static jup_status load(run *r, jup_err *err)
{
	int64_t total = 0;
	jup_status st = jup_store_count(r->st, JUP_TABLE_SOURCE_RECORD, &total, err);
	if (!st && total > 0) {
		r->cap = (size_t)total;
		r->recs = malloc(r->cap * sizeof *r->recs);
		r->meta = malloc(r->cap * sizeof *r->meta);
		if (!r->recs || !r->meta)
			st = jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	}
	if (!st)
		st = jup_store_scan(r->st, JUP_TABLE_ORGANISATION, NULL, 0, org_row, r, err);
	if (!st)
		st = link_db_members_load(r->st, &r->members, err);
	if (!st)
		st = jup_store_scan(r->st, JUP_TABLE_SOURCE_RECORD, NULL, 0, source_row, r, err);
	jup_match rejected = { JUP_PAIR_STATUS, jup_v_cstr("rejected") };
	if (!st)
		st = jup_store_scan(r->st, JUP_TABLE_LINK_PAIR, &rejected, 1, rejected_row, r, err);
	link_db_members_free(&r->members);
	return st;
}

/* ---- layout ------------------------------------------------------------------- */

/*
 * Records are laid out in four groups so that blocking only produces pairs
 * that can still be open: new records whose NHS number is not on a GP
 * register (NEW_OPEN), new records whose number is (NEW_SETTLED), then the
 * linked records in the same two kinds. Two records with numbers on a GP
 * register are settled by the numbers alone, and two linked records are
 * never compared again, so the pairs to weigh are NEW_OPEN with everything,
 * and NEW_SETTLED with OLD_OPEN.
 */
enum { NEW_OPEN, NEW_SETTLED, OLD_OPEN, OLD_SETTLED, GROUPS };

/* Mark the records whose valid NHS number a GP register record carries. */
static jup_status mark_agreed(run *r, jup_err *err)
{
	keyed *k = malloc((r->n ? r->n : 1) * sizeof *k);
	if (!k)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	size_t nk = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->recs[i].nhs)
			k[nk++] = (keyed){ r->recs[i].nhs, (uint32_t)i };
	qsort(k, nk, sizeof *k, keyed_cmp);
	for (size_t i = 0, j; i < nk; i = j) {
		bool gp = false;
		for (j = i; j < nk && k[j].key == k[i].key; j++)
			gp |= r->meta[k[j].idx].gp;
		for (size_t x = i; gp && x < j; x++)
			r->meta[k[x].idx].agreed = true;
	}
	r->by_nhs = k;
	r->nby_nhs = nk;
	return JUP_OK;
}

static int group_of(const rec_meta *m)
{
	return (m->person ? OLD_OPEN : NEW_OPEN) + (m->agreed ? 1 : 0);
}

/* Move every record to its group (stable within a group), in place. */
static jup_status layout(run *r, jup_err *err)
{
	uint32_t *pos = malloc((r->n ? r->n : 1) * sizeof *pos);
	if (!pos)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	size_t next[GROUPS] = { 0 };
	for (size_t i = 0; i < r->n; i++)
		next[group_of(&r->meta[i])]++;
	r->group[0] = 0;
	for (int g = 0; g < GROUPS; g++) {
		r->group[g + 1] = r->group[g] + next[g];
		next[g] = r->group[g];
	}
	for (size_t i = 0; i < r->n; i++)
		pos[i] = (uint32_t)next[group_of(&r->meta[i])]++;
	for (size_t i = 0; i < r->nby_nhs; i++)
		r->by_nhs[i].idx = pos[r->by_nhs[i].idx];
	for (size_t i = 0; i < r->n; i++) /* follow each cycle of the permutation */
		while (pos[i] != i) {
			uint32_t j = pos[i];
			jup_link_rec tr = r->recs[i];
			r->recs[i] = r->recs[j];
			r->recs[j] = tr;
			rec_meta tm = r->meta[i];
			r->meta[i] = r->meta[j];
			r->meta[j] = tm;
			pos[i] = pos[j];
			pos[j] = j;
		}
	free(pos);
	r->nn = r->group[OLD_OPEN];
	return JUP_OK;
}

/* ---- clusters ---------------------------------------------------------------- */

static uint32_t find(run *r, uint32_t x)
{
	while (r->parent[x] != x) {
		r->parent[x] = r->parent[r->parent[x]];
		x = r->parent[x];
	}
	return x;
}

typedef enum merge_result { MERGED, SAME, REFUSED_NHS, REFUSED_PEOPLE } merge_result;

/* Would joining the clusters of x and y break a rule? */
static merge_result can_merge(run *r, uint32_t x, uint32_t y)
{
	uint32_t a = find(r, x), b = find(r, y);
	if (a == b)
		return SAME;
	if (r->cl_nhs[a] && r->cl_nhs[b] && r->cl_nhs[a] != r->cl_nhs[b])
		return REFUSED_NHS;
	if (r->cl_person[a] && r->cl_person[b])
		return REFUSED_PEOPLE;
	return MERGED;
}

static merge_result merge(run *r, uint32_t x, uint32_t y)
{
	merge_result m = can_merge(r, x, y);
	if (m != MERGED)
		return m;
	uint32_t a = find(r, x), b = find(r, y);
	if (a > b) { /* the lower index is the root: deterministic */
		uint32_t t = a;
		a = b;
		b = t;
	}
	r->parent[b] = a;
	if (!r->cl_nhs[a])
		r->cl_nhs[a] = r->cl_nhs[b];
	if (!r->cl_person[a])
		r->cl_person[a] = r->cl_person[b];
	return MERGED;
}

/* Records of one existing person start as one cluster. */
static jup_status clusters_init(run *r, jup_err *err)
{
	size_t n = r->n ? r->n : 1;
	r->parent = malloc(n * sizeof *r->parent);
	r->cl_nhs = calloc(n, sizeof *r->cl_nhs);
	r->cl_person = calloc(n, sizeof *r->cl_person);
	keyed *k = malloc(n * sizeof *k);
	if (!r->parent || !r->cl_nhs || !r->cl_person || !k) {
		free(k);
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	}
	size_t nk = 0;
	for (size_t i = 0; i < r->n; i++) {
		r->parent[i] = (uint32_t)i;
		r->cl_nhs[i] = r->recs[i].nhs;
		r->cl_person[i] = r->meta[i].person;
		if (r->meta[i].person)
			k[nk++] = (keyed){ (uint64_t)r->meta[i].person, (uint32_t)i };
	}
	qsort(k, nk, sizeof *k, keyed_cmp);
	for (size_t i = 1; i < nk; i++)
		if (k[i].key == k[i - 1].key) {
			/* the same person: join without the rules (they held before) */
			uint32_t a = find(r, k[i - 1].idx), b = find(r, k[i].idx);
			if (a != b) {
				r->parent[b] = a;
				if (!r->cl_nhs[a])
					r->cl_nhs[a] = r->cl_nhs[b];
			}
		}
	free(k);
	return JUP_OK;
}

/* ---- 1. deterministic: NHS numbers on a GP register ------------------------------ */

/* One run of records sharing an NHS number: if a GP register holds it,
 * every new record joins the GP record (an already linked one first). */
static void link_nhs_group(run *r, const keyed *g, size_t n)
{
	size_t anchor = n;
	for (size_t i = 0; i < n; i++) {
		const rec_meta *m = &r->meta[g[i].idx];
		if (m->gp && (anchor == n || (m->person && !r->meta[g[anchor].idx].person)))
			anchor = i;
	}
	if (anchor == n)
		return;
	uint32_t to = g[anchor].idx;
	for (size_t i = 0; i < n; i++) {
		rec_meta *m = &r->meta[g[i].idx];
		if (i == anchor || m->person)
			continue;
		merge_result res = merge(r, g[i].idx, to);
		if (res == MERGED || res == SAME) {
			m->via = VIA_NHS;
			if (!r->meta[to].via)
				r->meta[to].via = VIA_NHS;
		}
	}
}

static void link_by_nhs(run *r)
{
	const keyed *k = r->by_nhs;
	size_t nk = r->nby_nhs;
	for (size_t i = 0, j; i < nk; i = j) {
		bool any_new = false;
		for (j = i; j < nk && k[j].key == k[i].key; j++)
			any_new |= r->meta[k[j].idx].person == 0;
		if (any_new)
			link_nhs_group(r, k + i, j - i);
	}
	for (size_t i = 0; i < r->nn; i++)
		r->rep->linked_nhs += r->meta[i].via == VIA_NHS;
}

/* ---- 2. probabilistic ---------------------------------------------------------- */

/* Pairs the NHS number has settled: both numbers valid and either different
 * (never one person) or the same and on a GP register (already joined). */
static bool settled(run *r, uint32_t a, uint32_t b)
{
	uint64_t x = r->recs[a].nhs, y = r->recs[b].nhs;
	if (x && y && (x != y || r->meta[a].agreed))
		return true;
	return find(r, a) == find(r, b);
}

static jup_status add_todo(run *r, uint32_t a, uint32_t b)
{
	if (settled(r, a, b))
		return JUP_OK;
	jup_link_pairs *t = &r->todo;
	jup_link_pair *p = jup_array_grow(t->items, &t->cap, t->n, sizeof *p, 65536);
	if (!p)
		return JUP_ERR_NOMEM;
	t->items = p;
	t->items[t->n++] = (jup_link_pair){ a, b };
	return JUP_OK;
}

/* Candidate pairs between two ranges of records (or within one), with the
 * offsets that make their indexes global. */
typedef struct block_set {
	size_t left, nl, right, nr; /* nr == 0 and dedupe: within left */
	bool dedupe;
	jup_link_pairs pairs;
} block_set;

static jup_status block_range(run *r, block_set *b, jup_err *err)
{
	if (b->nl == 0 || (!b->dedupe && b->nr == 0))
		return JUP_OK;
	return jup_link_block(r->recs + b->left, b->nl, b->dedupe ? NULL : r->recs + b->right,
			      b->dedupe ? 0 : b->nr, &b->pairs, err);
}

static jup_status train_on(run *r, const block_set *b, jup_err *err)
{
	say(r, "training the model on %zu candidate pairs\n", b->pairs.n);
	jup_status st =
		jup_link_train(&r->model, r->recs + b->left, b->nl,
			       b->dedupe ? NULL : r->recs + b->right, b->nr, &b->pairs, err);
	r->rep->trained = !st;
	return st;
}

static jup_status block_and_train(run *r, bool train, jup_err *err)
{
	const size_t *g = r->group;
	size_t open = g[NEW_SETTLED];
	block_set sets[3] = {
		/* new open records with every other record */
		{ .left = 0, .nl = open, .right = open, .nr = r->n - open },
		/* new open records among themselves */
		{ .left = 0, .nl = open, .dedupe = true },
		/* new settled records with linked open ones */
		{ .left = g[NEW_SETTLED],
		  .nl = g[OLD_OPEN] - g[NEW_SETTLED],
		  .right = g[OLD_OPEN],
		  .nr = g[OLD_SETTLED] - g[OLD_OPEN] },
	};
	jup_status st = JUP_OK;
	for (int i = 0; i < 3 && !st; i++) {
		st = block_range(r, &sets[i], err);
		r->rep->candidates += sets[i].pairs.n;
	}
	/* train on the largest set: open records against the rest, usually */
	int basis = 0;
	for (int i = 1; i < 3; i++)
		basis = sets[i].pairs.n > sets[basis].pairs.n ? i : basis;
	if (!st && train && sets[basis].pairs.n)
		st = train_on(r, &sets[basis], err);
	for (int i = 0; i < 3; i++) {
		const block_set *b = &sets[i];
		size_t off_b = b->dedupe ? b->left : b->right;
		for (size_t k = 0; k < b->pairs.n && !st; k++)
			st = add_todo(r, (uint32_t)(b->pairs.items[k].a + b->left),
				      (uint32_t)(b->pairs.items[k].b + off_b));
		jup_link_pairs_free(&sets[i].pairs);
	}
	if (st == JUP_ERR_NOMEM)
		st = jup_err_set(err, st, "linking: out of memory");
	r->rep->scored = r->todo.n;
	return st;
}

static void score_slice(void *ctx, int k, size_t from, size_t to)
{
	run *r = ctx;
	scored_list *out = &r->kept[k];
	for (size_t i = from; i < to && !out->st; i++) {
		const jup_link_pair *p = &r->todo.items[i];
		double w = jup_link_score(&r->model, r->tf, &r->recs[p->a], &r->recs[p->b], NULL);
		double prob = jup_link_probability(w);
		if (prob < r->o->lower)
			continue;
		scored *s = jup_array_grow(out->items, &out->cap, out->n, sizeof *s, 4096);
		if (!s) {
			out->st = JUP_ERR_NOMEM;
			break;
		}
		out->items = s;
		out->items[out->n++] = (scored){ p->a, p->b, w, prob };
	}
}

static int by_strength(const void *pa, const void *pb)
{
	const scored *a = pa, *b = pb;
	if (a->prob != b->prob)
		return a->prob > b->prob ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

static jup_status score(run *r, jup_err *err)
{
	link_parallel(r->todo.n, score_slice, r);
	size_t n = 0;
	for (int k = 0; k < LINK_THREADS; k++) {
		if (r->kept[k].st)
			return jup_err_set(err, r->kept[k].st, "linking: out of memory");
		n += r->kept[k].n;
	}
	r->all = malloc((n ? n : 1) * sizeof *r->all);
	r->status = calloc(n ? n : 1, sizeof *r->status);
	if (!r->all || !r->status)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	for (int k = 0; k < LINK_THREADS; k++) {
		if (r->kept[k].n) /* (an empty slice has no array at all) */
			memcpy(r->all + r->nall, r->kept[k].items, r->kept[k].n * sizeof *r->all);
		r->nall += r->kept[k].n;
	}
	qsort(r->all, r->nall, sizeof *r->all, by_strength);
	return JUP_OK;
}

/* ---- 3. clustering with the rules ----------------------------------------------- */

/* Link the pairs at or above the upper threshold, strongest first. Those
 * refused for joining two existing people become review candidates. */
static void link_strong(run *r, bool *candidate)
{
	for (size_t i = 0; i < r->nall && r->all[i].prob >= r->o->upper; i++) {
		const scored *s = &r->all[i];
		merge_result m = merge(r, s->a, s->b);
		if (m == MERGED || m == SAME) {
			r->status[i] = PAIR_LINKED;
			r->rep->linked_prob += m == MERGED;
			if (!r->meta[s->a].via)
				r->meta[s->a].via = VIA_MODEL;
			if (!r->meta[s->b].via)
				r->meta[s->b].via = VIA_MODEL;
		} else if (m == REFUSED_NHS) {
			r->status[i] = PAIR_CONFLICT;
			r->rep->refused++;
		} else {
			candidate[i] = true;
		}
	}
}

static uint64_t root_pair(run *r, uint32_t a, uint32_t b)
{
	uint64_t x = find(r, a), y = find(r, b);
	return x < y ? x << 32 | y : y << 32 | x;
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

/* The pairs of clusters that hold the two sides of a rejected pair, sorted
 * (*out NULL when there are none). */
static jup_status rejected_clusters(run *r, uint64_t **out, size_t *n, jup_err *err)
{
	*out = NULL;
	*n = 0;
	if (!r->nrejected)
		return JUP_OK;
	keyed *by_id = malloc(r->n * sizeof *by_id);
	uint64_t *pairs = malloc(r->nrejected * sizeof *pairs);
	if (!by_id || !pairs) {
		free(by_id);
		free(pairs);
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	}
	for (size_t i = 0; i < r->n; i++)
		by_id[i] = (keyed){ (uint64_t)r->meta[i].id, (uint32_t)i };
	qsort(by_id, r->n, sizeof *by_id, keyed_cmp);
	for (size_t i = 0; i < r->nrejected; i++) {
		keyed ka = { (uint64_t)r->rejected[i].a, 0 },
		      kb = { (uint64_t)r->rejected[i].b, 0 };
		const keyed *a = bsearch(&ka, by_id, r->n, sizeof *by_id, keyed_key_cmp);
		const keyed *b = bsearch(&kb, by_id, r->n, sizeof *by_id, keyed_key_cmp);
		if (a && b)
			pairs[(*n)++] = root_pair(r, a->idx, b->idx);
	}
	qsort(pairs, *n, sizeof *pairs, u64_cmp);
	free(by_id);
	*out = pairs;
	return JUP_OK;
}

/* Queue for review, once per pair of clusters (the strongest pair stands
 * for the others), what the rules have not already decided: pairs below
 * the upper threshold whose records are still apart and could be joined,
 * and strong pairs refused only because both sides are existing people;
 * never two clusters a person has already said are different people. */
static jup_status queue_review(run *r, bool *candidate, jup_err *err)
{
	uint64_t *apart;
	size_t napart;
	jup_status st = rejected_clusters(r, &apart, &napart, err);
	if (st)
		return st;
	keyed *k = malloc((r->nall ? r->nall : 1) * sizeof *k);
	if (!k) {
		free(apart);
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	}
	size_t nk = 0;
	for (size_t i = 0; i < r->nall; i++) {
		const scored *s = &r->all[i];
		merge_result m = can_merge(r, s->a, s->b);
		if (s->prob < r->o->upper)
			candidate[i] = m == MERGED || m == REFUSED_PEOPLE;
		if (!candidate[i])
			continue;
		uint64_t key = root_pair(r, s->a, s->b);
		if (napart && bsearch(&key, apart, napart, sizeof *apart, u64_cmp))
			continue;
		k[nk++] = (keyed){ key, (uint32_t)i };
	}
	free(apart);
	qsort(k, nk, sizeof *k, keyed_cmp);
	for (size_t i = 0; i < nk; i++)
		if (i == 0 || k[i].key != k[i - 1].key) {
			r->status[k[i].idx] = PAIR_REVIEW;
			r->rep->queued++;
		}
	free(k);
	return JUP_OK;
}

static jup_status cluster(run *r, jup_err *err)
{
	bool *candidate = calloc(r->nall ? r->nall : 1, sizeof *candidate);
	if (!candidate)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	link_strong(r, candidate);
	jup_status st = queue_review(r, candidate, err);
	free(candidate);
	return st;
}

/* ---- writing ------------------------------------------------------------------ */

static jup_status start_run(run *r, jup_err *err)
{
	char now[21];
	jup_date_now_utc(now);
	jup_value row[JUP_RUN__N];
	for (int i = 0; i < JUP_RUN__N; i++)
		row[i] = jup_v_null();
	row[JUP_RUN_STARTED_AT] = jup_v_cstr(now);
	row[JUP_RUN_UPPER] = jup_v_real(r->o->upper);
	row[JUP_RUN_LOWER] = jup_v_real(r->o->lower);
	return jup_store_insert(r->st, JUP_TABLE_LINK_RUN, row, NULL, &r->run_id, err);
}

static jup_status tf_row(void *ctx, jup_link_cmp c, const char *value, uint32_t count, jup_err *err)
{
	run *r = ctx;
	jup_value row[JUP_LTF__N] = {
		[JUP_LTF_COMPARISON] = jup_v_cstr(jup_link_cmp_name(c)),
		[JUP_LTF_VALUE] = jup_v_cstr(value),
		[JUP_LTF_N] = jup_v_int(count),
	};
	return jup_store_insert(r->st, JUP_TABLE_LINK_TF, row, NULL, NULL, err);
}

static const char *method_name(uint8_t via)
{
	return via == VIA_NHS ? "nhs_number" : via == VIA_MODEL ? "probabilistic" : "alone";
}

static jup_status write_people(run *r, jup_err *err)
{
	/* in source id order: people numbered as their records were imported,
	 * and members appended to their table rather than inserted at random */
	keyed *order = malloc((r->nn ? r->nn : 1) * sizeof *order);
	if (!order)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	for (size_t i = 0; i < r->nn; i++)
		order[i] = (keyed){ (uint64_t)r->meta[i].id, (uint32_t)i };
	qsort(order, r->nn, sizeof *order, keyed_cmp);
	jup_status st = JUP_OK;
	for (size_t k = 0; k < r->nn && !st; k++) {
		uint32_t i = order[k].idx;
		uint32_t root = find(r, (uint32_t)i);
		if (!r->cl_person[root]) {
			jup_value p[JUP_PERSON__N] = { [JUP_PERSON_CREATED_RUN] =
							       jup_v_int(r->run_id),
						       [JUP_PERSON_MERGED_INTO] = jup_v_null() };
			st = jup_store_insert(r->st, JUP_TABLE_PERSON, p, NULL, &r->cl_person[root],
					      err);
			r->rep->persons_new++;
		}
		jup_value m[JUP_PM__N] = {
			[JUP_PM_SOURCE_ID] = jup_v_int(r->meta[i].id),
			[JUP_PM_PERSON_ID] = jup_v_int(r->cl_person[root]),
			[JUP_PM_METHOD] = jup_v_cstr(method_name(r->meta[i].via)),
			[JUP_PM_RUN_ID] = jup_v_int(r->run_id),
		};
		if (!st)
			st = jup_store_insert(r->st, JUP_TABLE_PERSON_MEMBER, m, NULL, NULL, err);
	}
	free(order);
	return st;
}

static jup_status write_pair(run *r, const scored *s, pair_status ps, jup_err *err)
{
	static const char *const names[] = {
		[PAIR_LINKED] = "linked", [PAIR_REVIEW] = "review", [PAIR_CONFLICT] = "conflict"
	};
	uint8_t lv[JUP_CMP__COUNT];
	jup_link_compare(&r->recs[s->a], &r->recs[s->b], lv);
	char levels[JUP_CMP__COUNT + 1];
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		levels[c] = (char)('0' + lv[c]);
	levels[JUP_CMP__COUNT] = 0;
	int64_t a = r->meta[s->a].id, b = r->meta[s->b].id;
	jup_value row[JUP_PAIR__N] = {
		[JUP_PAIR_SOURCE_A] = jup_v_int(a < b ? a : b),
		[JUP_PAIR_SOURCE_B] = jup_v_int(a < b ? b : a),
		[JUP_PAIR_RUN_ID] = jup_v_int(r->run_id),
		[JUP_PAIR_WEIGHT] = jup_v_real(s->weight),
		[JUP_PAIR_PROBABILITY] = jup_v_real(s->prob),
		[JUP_PAIR_LEVELS] = jup_v_cstr(levels),
		[JUP_PAIR_STATUS] = jup_v_cstr(names[ps]),
		[JUP_PAIR_DECIDED_BY] = jup_v_null(),
		[JUP_PAIR_DECIDED_AT] = jup_v_null(),
		[JUP_PAIR_NOTE] = jup_v_null(),
	};
	return jup_store_insert(r->st, JUP_TABLE_LINK_PAIR, row, NULL, NULL, err);
}

static jup_status finish_run(run *r, jup_err *err)
{
	char now[21];
	jup_date_now_utc(now);
	const jup_link_db_report *p = r->rep;
	jup_value model_run = p->model_run_id ? jup_v_int(p->model_run_id) : jup_v_null();
	jup_value prior = p->model_run_id ? jup_v_real(r->model.prior) : jup_v_null();
	jup_match set[] = {
		{ JUP_RUN_FINISHED_AT, jup_v_cstr(now) },
		{ JUP_RUN_MODEL_RUN_ID, model_run },
		{ JUP_RUN_PRIOR, prior },
		{ JUP_RUN_TF_GIVEN, jup_v_int((int64_t)jup_link_tf_total(r->tf, JUP_CMP_GIVEN)) },
		{ JUP_RUN_TF_FAMILY, jup_v_int((int64_t)jup_link_tf_total(r->tf, JUP_CMP_FAMILY)) },
		{ JUP_RUN_TF_POSTCODE,
		  jup_v_int((int64_t)jup_link_tf_total(r->tf, JUP_CMP_POSTCODE)) },
		{ JUP_RUN_RECORDS, jup_v_int((int64_t)p->records) },
		{ JUP_RUN_NEW_RECORDS, jup_v_int((int64_t)p->new_records) },
		{ JUP_RUN_CANDIDATES, jup_v_int((int64_t)p->candidates) },
		{ JUP_RUN_SCORED, jup_v_int((int64_t)p->scored) },
		{ JUP_RUN_LINKED_NHS, jup_v_int((int64_t)p->linked_nhs) },
		{ JUP_RUN_LINKED_PROB, jup_v_int((int64_t)p->linked_prob) },
		{ JUP_RUN_QUEUED, jup_v_int((int64_t)p->queued) },
		{ JUP_RUN_REFUSED, jup_v_int((int64_t)p->refused) },
		{ JUP_RUN_PERSONS_NEW, jup_v_int((int64_t)p->persons_new) },
	};
	jup_match id = { JUP_COL_ID, jup_v_int(r->run_id) };
	return jup_store_update(r->st, JUP_TABLE_LINK_RUN, &id, 1, set,
				(int)(sizeof set / sizeof set[0]), NULL, err);
}

static jup_status write_all(run *r, jup_err *err)
{
	jup_status st = JUP_OK;
	if (r->rep->trained) {
		st = link_db_save_model(r->st, r->run_id, &r->model, err);
		r->rep->model_run_id = r->run_id;
	}
	if (!st)
		st = jup_store_delete(r->st, JUP_TABLE_LINK_TF, NULL, 0, err);
	if (!st)
		st = jup_link_tf_each(r->tf, tf_row, r, err);
	if (!st) {
		say(r, "model and term frequencies written\n");
		st = write_people(r, err);
	}
	if (!st)
		say(r, "%zu people written\n", r->rep->persons_new);
	for (size_t i = 0; i < r->nall && !st; i++)
		if (r->status[i] != PAIR_DROP)
			st = write_pair(r, &r->all[i], r->status[i], err);
	if (!st)
		st = finish_run(r, err);
	return st;
}

/* The search keys of the records this run linked (new records come first,
 * layout), or of every record when people existed without keys. */
static jup_status write_search_keys(run *r, jup_err *err)
{
	size_t n = r->all_keys ? r->n : r->nn;
	int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
	if (!ids)
		return jup_err_set(err, JUP_ERR_NOMEM, "linking: out of memory");
	for (size_t i = 0; i < n; i++)
		ids[i] = r->meta[i].id;
	jup_status st = link_db_keys_write(r->st, r->recs, ids, n, err);
	free(ids);
	if (!st)
		say(r, "search keys of %zu records written\n", n);
	return st;
}

/* ---- the run ------------------------------------------------------------------- */

static jup_status link_new(run *r, jup_err *err)
{
	link_db_stored stored;
	jup_status st = link_db_load_model(r->st, &stored, err);
	bool train = r->o->retrain || !stored.model_run_id;
	r->model = stored.model;
	r->rep->model_run_id = stored.model_run_id;
	if (!st)
		st = start_run(r, err);
	if (!st)
		st = clusters_init(r, err);
	if (!st) {
		link_by_nhs(r);
		say(r, "%zu new records joined by NHS number\n", r->rep->linked_nhs);
		st = block_and_train(r, train, err);
	}
	if (!st && train && !r->rep->trained)
		r->rep->model_run_id = 0; /* nothing to train on: no model */
	if (!st) {
		say(r, "%zu pairs to weigh\n", r->rep->scored);
		st = jup_link_tf_build(r->recs, r->n, NULL, 0, &r->tf, err);
	}
	if (!st && (r->rep->model_run_id || r->rep->trained))
		st = score(r, err);
	if (!st)
		st = cluster(r, err);
	if (!st) {
		say(r, "scored and clustered: %zu pairs kept\n", r->nall);
		st = write_all(r, err);
	}
	return st;
}

void jup_link_db_defaults(jup_link_db_opts *o)
{
	*o = (jup_link_db_opts){ .upper = JUP_LINK_DEFAULT_UPPER, .lower = JUP_LINK_DEFAULT_LOWER };
}

static void run_free(run *r)
{
	free(r->org_gp);
	link_db_members_free(&r->members);
	free(r->rejected);
	free(r->recs);
	free(r->meta);
	free(r->parent);
	free(r->cl_nhs);
	free(r->cl_person);
	jup_link_pairs_free(&r->todo);
	for (int k = 0; k < LINK_THREADS; k++)
		free(r->kept[k].items);
	free(r->all);
	free(r->status);
	jup_link_tf_free(r->tf);
	free(r->by_nhs);
}

jup_status jup_link_db_run(jup_store *st, const jup_link_db_opts *o, jup_link_db_report *rep,
			   jup_err *err)
{
	memset(rep, 0, sizeof *rep);
	if (!(o->lower >= 0 && o->lower <= o->upper && o->upper <= 1))
		return jup_err_set(err, JUP_ERR_USAGE, "thresholds: need 0 <= lower <= upper <= 1");
	run r = { .st = st, .o = o, .rep = rep };
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	jup_status s = jup_store_begin(st, err);
	if (s)
		return s;
	if (!(s = all_linked(&r, err)))
		s = link_db_keys_missing(st, &r.all_keys, err);
	if (!s && (rep->records == 0 || r.all_keys))
		s = load(&r, err);
	if (!s)
		s = mark_agreed(&r, err);
	if (!s)
		s = layout(&r, err);
	if (r.n)
		rep->records = r.n;
	rep->new_records = r.nn;
	if (!s)
		say(&r, "loaded %zu source records, %zu not yet linked\n", r.n, r.nn);
	if (!s && r.nn)
		s = link_new(&r, err);
	if (!s && (r.nn || r.all_keys))
		s = write_search_keys(&r, err);
	rep->run_id = r.nn ? r.run_id : 0;
	rep->model = r.model;
	run_free(&r);
	if (s) {
		jup_store_abandon(st);
		memset(rep, 0, sizeof *rep);
		return s;
	}
	s = jup_store_commit(st, err);
	say(&r, "committed\n");
	return s;
}
