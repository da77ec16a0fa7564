/*
 * gate_relation.c - whom a request is about, and whether the actor's
 * organisation has a care relationship with them: the person's linked
 * records, their current GP registration, open or recent hospital
 * episodes, care team allocations and end-of-life plans. Reads references
 * and dates only, never demographics.
 */
#include "gate/gate_internal.h"

#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

/* ---- the person's records -------------------------------------------------------- */

typedef struct person_load {
	jup_store *st;
	gate_person *p;
} person_load;

static jup_status org_kind_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	gate_record *r = ctx;
	for (int k = 0; k < JUP_ORG_KIND__COUNT; k++)
		if (v[JUP_ORG_KIND].type == JUP_V_TEXT &&
		    jup_sv_eq_cstr(v[JUP_ORG_KIND].s, jup_store_org_kind_name((jup_org_kind)k)))
			r->kind = (jup_org_kind)k;
	return JUP_OK;
}

static jup_status source_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	gate_record *r = ctx;
	r->org_id = v[JUP_SRC_ORG_ID].type == JUP_V_INT ? v[JUP_SRC_ORG_ID].i : 0;
	return JUP_OK;
}

/* Add member record id, with its organisation (the organisation of an
 * earlier record of the same organisation is reused). */
static jup_status add_record(person_load *l, int64_t id, jup_err *err)
{
	gate_person *p = l->p;
	gate_record *grown = jup_array_grow(p->rec, &p->cap, p->nrec, sizeof *p->rec, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading a person's records");
	p->rec = grown;
	gate_record *r = &p->rec[p->nrec];
	*r = (gate_record){ id, 0, JUP_ORG_KIND__COUNT };
	jup_match by_id = { JUP_COL_ID, jup_v_int(id) };
	jup_status s = jup_store_scan(l->st, JUP_TABLE_SOURCE_RECORD, &by_id, 1, source_row, r, err);
	for (size_t i = 0; !s && i < p->nrec && r->kind == JUP_ORG_KIND__COUNT; i++)
		if (p->rec[i].org_id == r->org_id)
			r->kind = p->rec[i].kind;
	if (!s && r->kind == JUP_ORG_KIND__COUNT) {
		jup_match org = { JUP_COL_ID, jup_v_int(r->org_id) };
		s = jup_store_scan(l->st, JUP_TABLE_ORGANISATION, &org, 1, org_kind_row, r, err);
	}
	if (!s)
		p->nrec++;
	return s;
}

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	const jup_value *src = &v[JUP_PM_SOURCE_ID];
	return src->type == JUP_V_INT ? add_record(ctx, src->i, err) : JUP_OK;
}

static int cmp_record(const void *a, const void *b)
{
	int64_t x = ((const gate_record *)a)->id, y = ((const gate_record *)b)->id;
	return (x > y) - (x < y);
}

jup_status gate_person_load(jup_store *st, const char *nhs, gate_person *p, jup_err *err)
{
	memset(p, 0, sizeof *p);
	int64_t *ids;
	size_t n;
	jup_status s = jup_audit_persons(st, nhs, &ids, &n, err);
	if (s)
		return s;
	if (n > JUP_GATE_MAX_PERSONS)
		s = jup_err_set(err, JUP_ERR_LIMIT,
				"the NHS number resolves to more than %d persons: review the linkage",
				JUP_GATE_MAX_PERSONS);
	person_load l = { st, p };
	for (size_t i = 0; !s && i < n; i++) {
		p->persons[p->npersons++] = ids[i];
		jup_match m = { JUP_PM_PERSON_ID, jup_v_int(ids[i]) };
		s = jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &m, 1, member_row, &l, err);
	}
	free(ids);
	if (s) {
		gate_person_free(p);
		return s;
	}
	if (p->nrec > 1)
		qsort(p->rec, p->nrec, sizeof *p->rec, cmp_record);
	return JUP_OK;
}

void gate_person_free(gate_person *p)
{
	free(p->rec);
	p->rec = NULL;
	p->nrec = p->cap = 0;
}

/* ---- relationships --------------------------------------------------------------- */

/* A scan that only asks whether some row qualifies. */
typedef struct row_test {
	char cutoff[11]; /* episodes: the earliest date still recent */
	char today[11];
	int64_t org_id;  /* care teams: the actor's organisation */
	bool found;
} row_test;

#define STOP_FOUND JUP_ERR_EXISTS /* stops a scan once an answer is known */

static jup_status found(row_test *t)
{
	t->found = true;
	return STOP_FOUND;
}

/* Text of v compared with a date: its first 10 bytes (a date or a date-time). */
static int cmp_date(const jup_value *v, const char *date)
{
	if (v->type != JUP_V_TEXT || v->s.len < 10)
		return -1;
	return strncmp(v->s.ptr, date, 10);
}

static jup_status admission_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	row_test *t = ctx;
	const jup_value *out = &v[JUP_ADM_DISCHARGED_ON];
	if (out->type == JUP_V_NULL || cmp_date(out, t->cutoff) >= 0)
		return found(t);
	return JUP_OK;
}

static jup_status ae_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	row_test *t = ctx;
	return cmp_date(&v[JUP_AE_ARRIVED_AT], t->cutoff) >= 0 ? found(t) : JUP_OK;
}

static jup_status team_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	row_test *t = ctx;
	const jup_value *org = &v[JUP_TEAM_ORG_ID];
	const jup_value *ended = &v[JUP_TEAM_ENDED_ON];
	bool ours = org->type == JUP_V_INT && org->i == t->org_id;
	bool started = cmp_date(&v[JUP_TEAM_STARTED_ON], t->today) <= 0;
	bool open = ended->type == JUP_V_NULL || cmp_date(ended, t->today) >= 0;
	return ours && started && open ? found(t) : JUP_OK;
}

static jup_status any_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)v;
	(void)err;
	return found(ctx);
}

/* The scans that show relationship basis for record rec. */
static jup_status test_record(jup_store *st, const gate_record *rec, jup_gate_basis basis,
			      row_test *t, jup_err *err)
{
	jup_match m = { 0, jup_v_int(rec->id) };
	jup_status s = JUP_OK;
	switch (basis) {
	case JUP_GATE_BASIS_HOSPITAL_EPISODE:
		if (rec->org_id != t->org_id)
			return JUP_OK;
		m.col = JUP_ADM_SOURCE_ID;
		s = jup_store_scan(st, JUP_TABLE_ADMISSION, &m, 1, admission_row, t, err);
		m.col = JUP_AE_SOURCE_ID;
		if (!s)
			s = jup_store_scan(st, JUP_TABLE_AE_ATTENDANCE, &m, 1, ae_row, t, err);
		return s;
	case JUP_GATE_BASIS_CARE_TEAM:
		m.col = JUP_TEAM_SOURCE_ID;
		return jup_store_scan(st, JUP_TABLE_CARE_TEAM, &m, 1, team_row, t, err);
	case JUP_GATE_BASIS_EOL_REGISTER:
		m.col = JUP_EOL_SOURCE_ID;
		return jup_store_scan(st, JUP_TABLE_EOL_PLAN, &m, 1, any_row, t, err);
	default:
		return JUP_OK;
	}
}

/* The current GP registration: the latest GP register record imported. */
static bool registered_at(const gate_person *p, int64_t org_id)
{
	const gate_record *latest = NULL;
	for (size_t i = 0; i < p->nrec; i++)
		if (p->rec[i].kind == JUP_ORG_GP_PRACTICE)
			latest = &p->rec[i];
	return latest && latest->org_id == org_id;
}

jup_status gate_relation(jup_store *st, const gate_person *p, jup_gate_basis basis,
			 int64_t org_id, jup_date today, bool *has, jup_err *err)
{
	*has = false;
	if (basis == JUP_GATE_BASIS_REGISTERED) {
		*has = registered_at(p, org_id);
		return JUP_OK;
	}
	row_test t = { .org_id = org_id };
	jup_date_format(today - JUP_GATE_RECENT_DAYS, t.cutoff);
	jup_date_format(today, t.today);
	jup_status s = JUP_OK;
	for (size_t i = 0; !s && i < p->nrec; i++)
		s = test_record(st, &p->rec[i], basis, &t, err);
	if (s && s != STOP_FOUND)
		return s;
	*has = t.found;
	return JUP_OK;
}
