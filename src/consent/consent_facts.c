/*
 * consent_facts.c - what applies to one person (jup_consent_facts_load):
 * their own recorded decisions and the imported opt-out lists, found by
 * NHS number; the practice of their GP register record and the council's
 * consent forms, found from the records the master person index links to
 * them. No demographics are read.
 */
#include "consent/jup_consent.h"

#include <string.h>

static jup_consent_choice choice_of(const jup_value *v)
{
	if (v->type == JUP_V_TEXT && jup_sv_eq_cstr(v->s, "permit"))
		return JUP_CONSENT_CHOICE_PERMIT;
	return v->type == JUP_V_TEXT && jup_sv_eq_cstr(v->s, "deny") ? JUP_CONSENT_CHOICE_DENY
								     : JUP_CONSENT_CHOICE_NONE;
}

/* ---- recorded decisions (latest wins: rows come in id order) -------------------- */

/* A citizen decision about every purpose (purpose NULL) or one. */
static void citizen_decision(jup_consent_facts *f, const jup_value *purpose, jup_consent_choice c)
{
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
		bool named = purpose->type == JUP_V_TEXT &&
			     jup_sv_eq_cstr(purpose->s,
					    jup_consent_purpose_name((jup_consent_purpose)p));
		if (purpose->type != JUP_V_NULL && !named)
			continue;
		f->citizen[p] = c;
		f->citizen_specific[p] = named;
	}
}

static jup_status decision_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	jup_consent_facts *f = ctx;
	const jup_value *source = &v[JUP_CDEC_SOURCE];
	jup_consent_choice c = choice_of(&v[JUP_CDEC_DECISION]);
	if (source->type != JUP_V_TEXT)
		return JUP_OK;
	if (jup_sv_eq_cstr(source->s, "citizen"))
		citizen_decision(f, &v[JUP_CDEC_PURPOSE], c);
	else if (jup_sv_eq_cstr(source->s, "record_objection"))
		f->objection = c;
	return JUP_OK;
}

/* ---- the imported opt-out lists ------------------------------------------------- */

static jup_status opt_out_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	jup_consent_facts *f = ctx;
	const jup_value *kind = &v[JUP_OPT_KIND];
	if (kind->type != JUP_V_TEXT)
		return JUP_OK;
	if (jup_sv_eq_cstr(kind->s, "national_data_opt_out"))
		f->national_opt_out = true;
	else if (jup_sv_eq_cstr(kind->s, "gp_type1"))
		f->gp_type1 = true;
	return JUP_OK;
}

/* ---- the person's records -------------------------------------------------------- */

/* The latest consent form seen so far: recorded_on, then id. */
typedef struct latest_form {
	char on[16];
	int64_t id;
	jup_consent_choice decision;
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

/* The latest GP register record's practice (records are in id order) and
 * the council's forms over the person's records. */
static jup_status gather_records(jup_store *st, const jup_person *p, jup_consent_facts *f,
				 jup_err *err)
{
	latest_form form = { "", 0, JUP_CONSENT_CHOICE_NONE };
	jup_status r = JUP_OK;
	const jup_person_record *gp = jup_person_latest_gp(p);
	f->gp_record = gp != NULL;
	f->gp_participating = gp && gp->participating;
	for (int i = 0; p && !r && i < p->nids; i++)
		r = jup_store_scan_person(st, JUP_TABLE_SC_CONSENT, p->ids[i], form_row, &form, err);
	f->sc_form = form.decision;
	return r;
}

jup_status jup_consent_facts_load(jup_store *st, const char *nhs, const jup_person *p,
				  jup_consent_facts *f, jup_err *err)
{
	memset(f, 0, sizeof *f);
	jup_match by_nhs = { JUP_CDEC_NHS_NUMBER, jup_v_cstr(nhs) };
	jup_status r = jup_store_scan(st, JUP_TABLE_CONSENT_DECISION, &by_nhs, 1, decision_row, f,
				      err);
	/* the lists in force: rows a later list withdrew no longer count */
	jup_match listed[2] = { { JUP_OPT_NHS_NUMBER, jup_v_cstr(nhs) },
				{ JUP_OPT_WITHDRAWN_FILE_ID, jup_v_null() } };
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_OPT_OUT, listed, 2, opt_out_row, f, err);
	if (!r)
		r = gather_records(st, p, f, err);
	return r;
}
