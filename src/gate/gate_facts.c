/*
 * gate_facts.c - what a decision reads about a person (gate_internal.h):
 * their linked records, the practice of their current GP registration,
 * their hospital episodes, care team allocations and end-of-life plans,
 * and their consent facts; and the relationship tests over them. Reads
 * references and dates only, never demographics.
 */
#include "gate/gate_internal.h"

#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

/* A date column: its first 10 bytes as a date, or `otherwise`. */
static jup_date date_of(const jup_value *v, jup_date otherwise)
{
	jup_date d;
	jup_err ignored;
	if (v->type != JUP_V_TEXT || v->s.len < 10 ||
	    jup_date_parse((jup_sv){ v->s.ptr, 10 }, &d, &ignored))
		return otherwise;
	return d;
}

/* ---- loading ------------------------------------------------------------------------ */

/* The facts as they are read, before they are packed into one block. */
typedef struct facts_load {
	const jup_person *p;
	gate_episode *ep;
	size_t nep, epcap;
	gate_team *team;
	size_t nteam, teamcap;
	bool eol_plan;
} facts_load;

/* The episode entry of record source_id's trust (made on first use); *e
 * NULL when the record is not the person's. */
static jup_status episode_of(facts_load *l, const jup_value *source_id, gate_episode **e,
			     jup_err *err)
{
	*e = NULL;
	const jup_person_record *rec = NULL;
	for (size_t i = 0; source_id->type == JUP_V_INT && i < l->p->nrec && !rec; i++)
		if (l->p->rec[i].id == source_id->i)
			rec = &l->p->rec[i];
	if (!rec || rec->kind != JUP_ORG_HOSPITAL_TRUST)
		return JUP_OK; /* only a trust's own records show its episodes */
	for (size_t i = 0; i < l->nep && !*e; i++)
		if (l->ep[i].org_id == rec->org_id)
			*e = &l->ep[i];
	if (*e)
		return JUP_OK;
	gate_episode *grown = jup_array_grow(l->ep, &l->epcap, l->nep, sizeof *l->ep, 4);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading a person's episodes");
	l->ep = grown;
	l->ep[l->nep] = (gate_episode){ rec->org_id, false, GATE_DATE_EARLY };
	*e = &l->ep[l->nep++];
	return JUP_OK;
}

static void seen(gate_episode *e, jup_date d)
{
	if (d > e->last)
		e->last = d;
}

static jup_status admission_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	gate_episode *e;
	jup_status s = episode_of(ctx, &v[JUP_ADM_SOURCE_ID], &e, err);
	if (s || !e)
		return s;
	const jup_value *out = &v[JUP_ADM_DISCHARGED_ON];
	if (out->type == JUP_V_NULL)
		e->open = true;
	else
		seen(e, date_of(out, GATE_DATE_EARLY));
	return JUP_OK;
}

static jup_status ae_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	gate_episode *e;
	jup_status s = episode_of(ctx, &v[JUP_AE_SOURCE_ID], &e, err);
	if (!s && e)
		seen(e, date_of(&v[JUP_AE_ARRIVED_AT], GATE_DATE_EARLY));
	return s;
}

static jup_status team_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	facts_load *l = ctx;
	const jup_value *org = &v[JUP_TEAM_ORG_ID], *ended = &v[JUP_TEAM_ENDED_ON];
	if (org->type != JUP_V_INT)
		return JUP_OK;
	gate_team *grown = jup_array_grow(l->team, &l->teamcap, l->nteam, sizeof *l->team, 4);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading a person's teams");
	l->team = grown;
	l->team[l->nteam++] = (gate_team){
		org->i,
		date_of(&v[JUP_TEAM_STARTED_ON], GATE_DATE_EARLY),
		ended->type == JUP_V_NULL ? GATE_DATE_LATE : date_of(ended, GATE_DATE_EARLY),
	};
	return JUP_OK;
}

static jup_status eol_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)v;
	(void)err;
	((facts_load *)ctx)->eol_plan = true;
	return JUP_OK;
}

/* The rows of tables that show a relationship, over every record of the
 * person (one statement per table and person id). */
static jup_status load_events(jup_store *st, facts_load *l, jup_err *err)
{
	static const struct {
		jup_table t;
		jup_row_fn fn;
	} tables[] = {
		{ JUP_TABLE_ADMISSION, admission_row },
		{ JUP_TABLE_AE_ATTENDANCE, ae_row },
		{ JUP_TABLE_CARE_TEAM, team_row },
		{ JUP_TABLE_EOL_PLAN, eol_row },
	};
	jup_status s = JUP_OK;
	for (int i = 0; !s && i < l->p->nids; i++)
		for (size_t k = 0; !s && k < sizeof tables / sizeof tables[0]; k++)
			s = jup_store_scan_person(st, tables[k].t, l->p->ids[i], tables[k].fn, l,
						  err);
	return s;
}

/* One block: the struct, then the episodes, then the teams. */
static gate_facts *pack(const facts_load *l, jup_err *err)
{
	size_t size =
		sizeof(gate_facts) + l->nep * sizeof(gate_episode) + l->nteam * sizeof(gate_team);
	gate_facts *f = calloc(1, size);
	if (!f) {
		jup_err_set(err, JUP_ERR_NOMEM, "out of memory keeping a person's facts");
		return NULL;
	}
	f->ep = (gate_episode *)(f + 1);
	f->team = (gate_team *)(f->ep + l->nep);
	f->nep = l->nep;
	f->nteam = l->nteam;
	if (l->nep)
		memcpy(f->ep, l->ep, l->nep * sizeof *f->ep);
	if (l->nteam)
		memcpy(f->team, l->team, l->nteam * sizeof *f->team);
	f->eol_plan = l->eol_plan;
	return f;
}

static void take_person(gate_facts *f, const jup_person *p)
{
	f->nids = p->nids;
	memcpy(f->ids, p->ids, sizeof p->ids);
	const jup_person_record *gp = jup_person_latest_gp(p);
	f->gp_org = gp ? gp->org_id : 0;
}

jup_status gate_facts_load(jup_store *st, const char *nhs, gate_facts **out, jup_err *err)
{
	*out = NULL;
	jup_person p;
	facts_load l = { .p = &p };
	jup_status s = jup_person_load(st, nhs, &p, err);
	jup_status found = s == JUP_ERR_NOT_FOUND || s == JUP_ERR_LIMIT ? s : JUP_OK;
	if (found)
		s = JUP_OK; /* known: nobody (or too many) to decide about */
	if (!s && !found)
		s = load_events(st, &l, err);
	gate_facts *f = s ? NULL : pack(&l, err);
	if (!s && !f)
		s = JUP_ERR_NOMEM;
	if (f) {
		f->found = found;
		take_person(f, &p);
	}
	if (f && !found)
		s = jup_consent_facts_load(st, nhs, &p, &f->consent, err);
	free(l.ep);
	free(l.team);
	jup_person_free(&p);
	if (s) {
		free(f);
		return s;
	}
	*out = f;
	return JUP_OK;
}

void gate_facts_free(gate_facts *f)
{
	free(f);
}

/* ---- relationships ------------------------------------------------------------------ */

bool gate_facts_relation(const gate_facts *f, jup_gate_basis basis, int64_t org_id, jup_date today)
{
	switch (basis) {
	case JUP_GATE_BASIS_REGISTERED:
		return f->gp_org && f->gp_org == org_id;
	case JUP_GATE_BASIS_HOSPITAL_EPISODE:
		for (size_t i = 0; i < f->nep; i++)
			if (f->ep[i].org_id == org_id &&
			    (f->ep[i].open || f->ep[i].last >= today - JUP_GATE_RECENT_DAYS))
				return true;
		return false;
	case JUP_GATE_BASIS_CARE_TEAM:
		for (size_t i = 0; i < f->nteam; i++)
			if (f->team[i].org_id == org_id && f->team[i].from <= today &&
			    f->team[i].to >= today)
				return true;
		return false;
	case JUP_GATE_BASIS_EOL_REGISTER:
		return f->eol_plan;
	default:
		return false;
	}
}
