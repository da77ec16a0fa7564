/*
 * link_db_match.c - $match: the people a demographic query may be
 * (jup_link_db_match).
 *
 * The query is prepared as a record and paired with the linked records the
 * linkage's blocking rules would pair it with, each rule answered by an
 * index instead of by loading every record: the NHS number, the date of
 * birth (also with day and month swapped) and the postcode by
 * source_record's indexes; the name codes with birth year by link_key, the
 * keys link runs write. (The linkage's last rule, name codes with postcode
 * district, has no keys kept: it found no candidate the others missed.)
 * Every record found is then held to the rules on its fields
 * (link_block_same), so the candidates are the pairs blocking would offer. A key more than
 * MATCH_MAX_LOOKUP records share is passed over, as blocking passes over runs too common to tell
 * anyone apart. Pairs are weighed under the stored model and term
 * frequencies, as jup_link_db_explain weighs them; a person counts with
 * their best record.
 */
#include "link/link_db_internal.h"
#include "link/link_internal.h"

#include "core/jup_array.h"
#include "core/jup_limits.h"
#include "ingest/jup_ingest_valid.h"
#include "person/jup_person.h"

#include <stdlib.h>
#include <string.h>

#define MATCH_MAX_LOOKUP 5000 /* records one key may give before it is passed over */

const char *jup_link_grade_name(jup_link_grade g)
{
	static const char *const names[JUP_LINK_GRADE__COUNT] = {
		[JUP_LINK_GRADE_CERTAIN] = "certain",
		[JUP_LINK_GRADE_PROBABLE] = "probable",
		[JUP_LINK_GRADE_POSSIBLE] = "possible",
		[JUP_LINK_GRADE_CERTAINLY_NOT] = "certainly-not",
	};
	return (unsigned)g < JUP_LINK_GRADE__COUNT ? names[g] : "unknown";
}

/* ---- the query ----------------------------------------------------------------------- */

typedef struct parsed {
	char nhs[11], dob[11], postcode[9]; /* canonical; "" when not given */
	jup_link_rec rec;
} parsed;

static jup_status query_text(jup_sv s, size_t max, const char *field, jup_err *err)
{
	jup_err why;
	if (s.len > max)
		return jup_err_set(err, JUP_ERR_LIMIT, "%s: longer than %zu bytes", field, max);
	if (s.len && jup_ingest_text(s, max, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "%s: %s", field, why.msg);
	return JUP_OK;
}

/* FHIR's administrative gender (or the stored letters) as linkage reads it:
 * other and unknown are no evidence either way. */
static jup_status query_sex(jup_sv s, jup_sv *out, jup_err *err)
{
	static const char *const codes[] = { "male", "female", "other", "unknown",
					     "M",    "F",      "U",     NULL };
	static const char *const as_stored[] = { "M", "F", "", "", "M", "F", "" };
	size_t i;
	jup_err why;
	*out = (jup_sv){ "", 0 };
	if (s.len && jup_ingest_enum(s, codes, &i, &why))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "sex: not one of male, female, other, unknown");
	if (s.len)
		*out = jup_sv_from(as_stored[i]);
	return JUP_OK;
}

/* The identifiers and date: canonical forms into p. */
static jup_status query_keys(const jup_link_match_query *q, parsed *p, jup_err *err)
{
	jup_err why;
	jup_sv nhs = jup_sv_trim(q->nhs_number), dob = jup_sv_trim(q->birth_date);
	jup_sv pc = jup_sv_trim(q->postcode);
	if (nhs.len && jup_ingest_nhs_number(nhs, p->nhs, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "nhs_number: not a valid NHS number");
	jup_date day;
	if (dob.len && jup_ingest_date(dob, jup_date_today(), &day, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "birth_date: %s", why.msg);
	if (dob.len)
		jup_date_format(day, p->dob);
	if (pc.len && jup_ingest_postcode(pc, p->postcode, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "postcode: not a UK postcode");
	if (!p->nhs[0] && !p->dob[0] && !p->postcode[0])
		return jup_err_set(err, JUP_ERR_USAGE,
				   "a match needs an NHS number, a birth date or a postcode");
	return JUP_OK;
}

static jup_status parse_query(const jup_link_match_query *q, parsed *p, jup_err *err)
{
	memset(p, 0, sizeof *p);
	jup_sv family = jup_sv_trim(q->family), given = jup_sv_trim(q->given);
	jup_sv address = jup_sv_trim(q->address), sex;
	jup_status r = query_text(family, JUP_MAX_NAME_LEN, "family", err);
	if (!r)
		r = query_text(given, JUP_MAX_NAME_LEN, "given", err);
	if (!r)
		r = query_text(address, JUP_MAX_ADDRESS_LEN, "address", err);
	if (!r)
		r = query_sex(jup_sv_trim(q->sex), &sex, err);
	if (!r)
		r = query_keys(q, p, err);
	if (r)
		return r;
	jup_link_input in = {
		.nhs_number = jup_sv_from(p->nhs),
		.given_name = given,
		.family_name = family,
		.dob = jup_sv_from(p->dob),
		.sex = sex,
		.postcode = jup_sv_from(p->postcode),
		.address = address,
	};
	jup_link_prepare(&in, &p->rec);
	return JUP_OK;
}

/* ---- candidates ------------------------------------------------------------------------- */

typedef struct cand {
	int64_t id;
	jup_link_rec rec;
} cand;

typedef struct gather {
	jup_store *st;
	const jup_link_rec *q;
	cand *items;
	size_t n, cap;
	size_t rows; /* rows the current lookup gave */
	jup_ids ids; /* source ids a link_key lookup gave */
} gather;

/* A source record one lookup found: kept when a blocking rule pairs it
 * with the query. JUP_ERR_LIMIT, unexplained, past MATCH_MAX_LOOKUP rows. */
static jup_status source_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	gather *g = ctx;
	if (++g->rows > MATCH_MAX_LOOKUP)
		return JUP_ERR_LIMIT;
	jup_link_input in;
	link_db_input(v, &in);
	jup_link_rec rec;
	jup_link_prepare(&in, &rec);
	if (!link_block_same(g->q, &rec))
		return JUP_OK;
	cand *items = jup_array_grow(g->items, &g->cap, g->n, sizeof *items, 64);
	if (!items)
		return jup_err_set(err, JUP_ERR_NOMEM, "match: out of memory");
	g->items = items;
	g->items[g->n++] = (cand){ id, rec };
	return JUP_OK;
}

static jup_status key_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	gather *g = ctx;
	if (++g->rows > MATCH_MAX_LOOKUP)
		return JUP_ERR_LIMIT;
	return jup_ids_add(&g->ids, v[JUP_LKEY_SOURCE_ID].i, err);
}

/* The rows of t whose column col is v, to fn; a lookup past
 * MATCH_MAX_LOOKUP rows is passed over (the candidates it added dropped). */
static jup_status lookup(gather *g, jup_table t, int col, jup_value v, jup_row_fn fn, jup_err *err)
{
	size_t mark = g->n;
	g->rows = 0;
	jup_match m = { col, v };
	jup_status r = jup_store_scan(g->st, t, &m, 1, fn, g, err);
	if (r == JUP_ERR_LIMIT && g->rows > MATCH_MAX_LOOKUP) {
		g->n = mark;
		return JUP_OK;
	}
	return r;
}

/* The records under one stored key (name codes with birth year). */
static jup_status lookup_key(gather *g, int64_t key, jup_err *err)
{
	g->ids.n = 0;
	jup_status r = lookup(g, JUP_TABLE_LINK_KEY, JUP_LKEY_KEY, jup_v_int(key), key_row, err);
	if (g->rows > MATCH_MAX_LOOKUP)
		g->ids.n = 0; /* passed over */
	for (size_t i = 0; i < g->ids.n && !r; i++)
		r = lookup(g, JUP_TABLE_SOURCE_RECORD, JUP_COL_ID, jup_v_int(g->ids.v[i]),
			   source_row, err);
	return r;
}

/* The date of birth with day and month swapped, when both could be a
 * month and they differ (as the blocking rule has it); "" otherwise. */
static void swapped_dob(const jup_link_rec *q, char out[11])
{
	out[0] = 0;
	if (q->year && q->month <= 12 && q->day <= 12 && q->month != q->day)
		jup_date_format(jup_date_from_ymd(q->year, q->day, q->month), out);
}

static jup_status gather_all(gather *g, const parsed *p, jup_err *err)
{
	char swapped[11];
	swapped_dob(&p->rec, swapped);
	int64_t keys[LINK_STORED_KEYS];
	int nkeys = link_block_stored_keys(&p->rec, keys);
	jup_table src = JUP_TABLE_SOURCE_RECORD;
	jup_status r = JUP_OK;
	if (p->nhs[0])
		r = lookup(g, src, JUP_SRC_NHS_NUMBER, jup_v_cstr(p->nhs), source_row, err);
	if (!r && p->dob[0])
		r = lookup(g, src, JUP_SRC_DOB, jup_v_cstr(p->dob), source_row, err);
	if (!r && swapped[0])
		r = lookup(g, src, JUP_SRC_DOB, jup_v_cstr(swapped), source_row, err);
	if (!r && p->postcode[0])
		r = lookup(g, src, JUP_SRC_POSTCODE, jup_v_cstr(p->postcode), source_row, err);
	for (int i = 0; i < nkeys && !r; i++)
		r = lookup_key(g, keys[i], err);
	return r;
}

static int cand_cmp(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	return (a->id > b->id) - (a->id < b->id);
}

/* Sort by record id and drop records more than one rule found. */
static void cand_unique(gather *g)
{
	if (g->n < 2)
		return;
	qsort(g->items, g->n, sizeof *g->items, cand_cmp);
	size_t k = 1;
	for (size_t i = 1; i < g->n; i++)
		if (g->items[i].id != g->items[k - 1].id)
			g->items[k++] = g->items[i];
	g->n = k;
}

/* ---- weighing ---------------------------------------------------------------------------- */

typedef struct weighed {
	int64_t person;
	double weight;
} weighed;

typedef struct scoring {
	jup_store *st;
	const link_db_stored *model;
	jup_link_tf *tf;
	weighed *items;
	size_t n;
} scoring;

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	*(int64_t *)ctx = v[JUP_PM_PERSON_ID].i;
	return JUP_OK;
}

/* The survivor of the person record c belongs to (0: not linked yet). */
static jup_status person_of(jup_store *st, int64_t source, int64_t *person, jup_err *err)
{
	int64_t p = 0;
	*person = 0;
	jup_match m = { JUP_PM_SOURCE_ID, jup_v_int(source) };
	jup_status r = jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &m, 1, member_row, &p, err);
	return r || !p ? r : jup_person_survivor(st, p, person, err);
}

/* Weigh each candidate against the query (s->items has room for all). */
static jup_status weigh(scoring *s, const jup_link_rec *q, const gather *g, jup_err *err)
{
	jup_status r = link_db_tf_add(s->st, s->tf, q, err);
	for (size_t i = 0; i < g->n && !r; i++) {
		const cand *c = &g->items[i];
		if (q->nhs && c->rec.nhs && q->nhs != c->rec.nhs)
			continue; /* two valid NHS numbers: never one person */
		int64_t person;
		r = person_of(s->st, c->id, &person, err);
		if (!r && person)
			r = link_db_tf_add(s->st, s->tf, &c->rec, err);
		if (!r && person)
			s->items[s->n++] =
				(weighed){ person, jup_link_score(&s->model->model, s->tf, q,
								  &c->rec, NULL) };
	}
	return r;
}

static int by_person_best(const void *pa, const void *pb)
{
	const weighed *a = pa, *b = pb;
	if (a->person != b->person)
		return a->person < b->person ? -1 : 1;
	return (a->weight < b->weight) - (a->weight > b->weight);
}

static int by_strength(const void *pa, const void *pb)
{
	const weighed *a = pa, *b = pb;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return (a->person > b->person) - (a->person < b->person);
}

static jup_link_grade grade_of(const link_db_stored *m, double p)
{
	return p >= m->upper   ? JUP_LINK_GRADE_CERTAIN
	       : p >= m->lower ? JUP_LINK_GRADE_PROBABLE
			       : JUP_LINK_GRADE_POSSIBLE;
}

/* Each person's best record, strongest first, above the floor, to out. */
static void rank(scoring *s, size_t max, jup_link_match *out, size_t *n)
{
	size_t k = 0;
	if (s->n > 1)
		qsort(s->items, s->n, sizeof *s->items, by_person_best);
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->items[i].person != s->items[k - 1].person)
			s->items[k++] = s->items[i];
	if (k > 1)
		qsort(s->items, k, sizeof *s->items, by_strength);
	*n = 0;
	for (size_t i = 0; i < k && *n < max; i++) {
		double p = jup_link_probability(s->items[i].weight);
		if (p >= JUP_LINK_MATCH_FLOOR)
			out[(*n)++] = (jup_link_match){ s->items[i].person, p, s->items[i].weight,
							grade_of(s->model, p) };
	}
}

static jup_status need_model(const link_db_stored *m, jup_err *err)
{
	if (m->model_run_id)
		return JUP_OK;
	return jup_err_set(err, JUP_ERR_NOT_FOUND,
			   "no linkage model yet: run `joinedup link` on this database first");
}

jup_status jup_link_db_match(jup_store *st, const jup_link_match_query *q, size_t max,
			     jup_link_match *out, size_t *n, jup_err *err)
{
	*n = 0;
	parsed p;
	link_db_stored model;
	gather g = { .st = st };
	scoring s = { .st = st, .model = &model };
	jup_status r = parse_query(q, &p, err);
	if (!r)
		r = link_db_load_model(st, &model, err);
	if (!r)
		r = need_model(&model, err);
	g.q = &p.rec;
	if (!r)
		r = gather_all(&g, &p, err);
	cand_unique(&g);
	if (!r && !(s.items = malloc((g.n ? g.n : 1) * sizeof *s.items)))
		r = jup_err_set(err, JUP_ERR_NOMEM, "match: out of memory");
	if (!r)
		r = link_db_tf_new(&model, &s.tf, err);
	if (!r)
		r = weigh(&s, &p.rec, &g, err);
	if (!r)
		rank(&s, max, out, n);
	jup_link_tf_free(s.tf);
	free(s.items);
	free(g.items);
	free(g.ids.v);
	return r;
}
