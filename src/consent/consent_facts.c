/*
 * consent_facts.c - what applies to one person: their own recorded
 * decisions, the imported opt-out lists, their GP register record's
 * practice and the council's consent forms for their social care records.
 * Everything is found by the validated NHS number; no demographics are read.
 */
#include "consent/consent_internal.h"

#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

/* ---- recorded decisions (latest wins, by id) ------------------------------------ */

typedef struct decisions {
	const char *purpose; /* the purpose's name */
	consent_facts *f;
} decisions;

static consent_choice choice_of(const jup_value *v)
{
	if (v->type == JUP_V_TEXT && jup_sv_eq_cstr(v->s, "permit"))
		return CONSENT_PERMIT;
	return v->type == JUP_V_TEXT && jup_sv_eq_cstr(v->s, "deny") ? CONSENT_DENY : CONSENT_NONE;
}

static jup_status decision_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	decisions *d = ctx;
	const jup_value *purpose = &v[JUP_CDEC_PURPOSE];
	bool every = purpose->type == JUP_V_NULL;
	if (!every && !(purpose->type == JUP_V_TEXT && jup_sv_eq_cstr(purpose->s, d->purpose)))
		return JUP_OK; /* about another purpose */
	const jup_value *source = &v[JUP_CDEC_SOURCE];
	consent_choice c = choice_of(&v[JUP_CDEC_DECISION]);
	if (source->type != JUP_V_TEXT)
		return JUP_OK;
	if (jup_sv_eq_cstr(source->s, "citizen")) {
		d->f->citizen = c; /* rows come in id order: the last one seen wins */
		d->f->citizen_specific = !every;
	} else if (jup_sv_eq_cstr(source->s, "record_objection")) {
		d->f->objection = c;
	}
	return JUP_OK;
}

static jup_status gather_decisions(jup_store *st, const char *nhs, jup_consent_purpose purpose,
				   consent_facts *f, jup_err *err)
{
	decisions d = { jup_consent_purpose_name(purpose), f };
	jup_match by_nhs = { JUP_CDEC_NHS_NUMBER, jup_v_cstr(nhs) };
	return jup_store_scan(st, JUP_TABLE_CONSENT_DECISION, &by_nhs, 1, decision_row, &d, err);
}

/* ---- the imported opt-out lists ------------------------------------------------- */

static jup_status opt_out_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	consent_facts *f = ctx;
	const jup_value *kind = &v[JUP_OPT_KIND];
	if (kind->type != JUP_V_TEXT)
		return JUP_OK;
	if (jup_sv_eq_cstr(kind->s, "national_data_opt_out"))
		f->national_opt_out = true;
	else if (jup_sv_eq_cstr(kind->s, "gp_type1"))
		f->gp_type1 = true;
	return JUP_OK;
}

static jup_status gather_opt_outs(jup_store *st, const char *nhs, consent_facts *f, jup_err *err)
{
	/* the lists in force: rows a later list withdrew no longer count */
	jup_match by_nhs[2] = { { JUP_OPT_NHS_NUMBER, jup_v_cstr(nhs) },
				{ JUP_OPT_WITHDRAWN_FILE_ID, jup_v_null() } };
	return jup_store_scan(st, JUP_TABLE_OPT_OUT, by_nhs, 2, opt_out_row, f, err);
}

/* ---- the person's source records ------------------------------------------------ */

typedef struct record_ref {
	int64_t id, org_id;
} record_ref;

typedef struct record_list {
	record_ref *v;
	size_t n, cap;
} record_list;

static jup_status record_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	record_list *l = ctx;
	record_ref *grown = jup_array_grow(l->v, &l->cap, l->n, sizeof *l->v, 4);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading consent records");
	l->v = grown;
	l->v[l->n].id = id;
	l->v[l->n].org_id = v[JUP_SRC_ORG_ID].type == JUP_V_INT ? v[JUP_SRC_ORG_ID].i : 0;
	l->n++;
	return JUP_OK;
}

typedef struct org_facts {
	bool found, gp_practice, council, participating;
} org_facts;

static jup_status org_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	org_facts *o = ctx;
	const jup_value *kind = &v[JUP_ORG_KIND];
	o->found = true;
	o->gp_practice = kind->type == JUP_V_TEXT &&
			 jup_sv_eq_cstr(kind->s, jup_store_org_kind_name(JUP_ORG_GP_PRACTICE));
	o->council = kind->type == JUP_V_TEXT &&
		     jup_sv_eq_cstr(kind->s, jup_store_org_kind_name(JUP_ORG_COUNCIL));
	o->participating =
		v[JUP_ORG_PARTICIPATING].type == JUP_V_INT && v[JUP_ORG_PARTICIPATING].i != 0;
	return JUP_OK;
}

/* The latest consent form seen so far: recorded_on, then id. */
typedef struct latest_form {
	char on[16];
	int64_t id;
	consent_choice decision;
} latest_form;

static jup_status form_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	latest_form *l = ctx;
	char on[16];
	jup_value_copy_text(on, sizeof on, &v[JUP_SCC_RECORDED_ON]);
	int c = strcmp(on, l->on);
	if (c < 0 || (c == 0 && id < l->id))
		return JUP_OK;
	memcpy(l->on, on, sizeof on);
	l->id = id;
	l->decision = choice_of(&v[JUP_SCC_DECISION]);
	return JUP_OK;
}

/* One record: a GP register record (the latest imported counts) or a
 * council record (its consent forms). */
static jup_status gather_record(jup_store *st, const record_ref *rec, int64_t *gp_id,
				latest_form *form, consent_facts *f, jup_err *err)
{
	org_facts o = { 0 };
	jup_match org = { JUP_COL_ID, jup_v_int(rec->org_id) };
	jup_status r = jup_store_scan(st, JUP_TABLE_ORGANISATION, &org, 1, org_row, &o, err);
	if (r || !o.found)
		return r;
	if (o.gp_practice && rec->id > *gp_id) {
		*gp_id = rec->id;
		f->gp_record = true;
		f->gp_participating = o.participating;
	}
	if (!o.council)
		return JUP_OK;
	jup_match forms = { JUP_SCC_SOURCE_ID, jup_v_int(rec->id) };
	return jup_store_scan(st, JUP_TABLE_SC_CONSENT, &forms, 1, form_row, form, err);
}

static jup_status gather_records(jup_store *st, const char *nhs, consent_facts *f, jup_err *err)
{
	record_list l = { 0 };
	jup_match by_nhs = { JUP_SRC_NHS_NUMBER, jup_v_cstr(nhs) };
	jup_status r = jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, &by_nhs, 1, record_row, &l, err);
	int64_t gp_id = 0;
	latest_form form = { "", 0, CONSENT_NONE };
	for (size_t i = 0; !r && i < l.n; i++)
		r = gather_record(st, &l.v[i], &gp_id, &form, f, err);
	free(l.v);
	f->sc_form = form.decision;
	return r;
}

jup_status consent_facts_gather(jup_store *st, const char *nhs, jup_consent_purpose purpose,
				consent_facts *f, jup_err *err)
{
	memset(f, 0, sizeof *f);
	jup_status r = gather_decisions(st, nhs, purpose, f, err);
	if (!r)
		r = gather_opt_outs(st, nhs, f, err);
	if (!r)
		r = gather_records(st, nhs, f, err);
	return r;
}
