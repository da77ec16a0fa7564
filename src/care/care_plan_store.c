/*
 * care_plan_store.c - writing care plans (jup_care_plan_write): the
 * decision checked (a logged permit to write, made for this author), the
 * write validated, then in one transaction the version and its audit
 * entry. A version is always a new row; nothing is ever overwritten.
 */
#include "care/care_plan_internal.h"

#include "core/jup_date.h"

#include <stdio.h>
#include <string.h>

/* ---- storing a version ------------------------------------------------------------ */

static jup_value text_or_null(jup_sv s)
{
	return s.ptr ? jup_v_text(s) : jup_v_null();
}

static jup_value cstr_or_null(const char *s)
{
	return s ? jup_v_cstr(s) : jup_v_null();
}

static jup_status insert_version(jup_store *st, const care_plan_author *a,
				 const care_plan_target *t, const care_plan_in *p, int64_t audit_id,
				 int64_t *row_id, jup_err *err)
{
	jup_value row[JUP_CP__N] = {
		[JUP_CP_PLAN_ID] = jup_v_int(t->plan_id),
		[JUP_CP_VERSION] = jup_v_int(t->version),
		[JUP_CP_PERSON_ID] = jup_v_int(t->person_id),
		[JUP_CP_KIND] = jup_v_cstr(care_plan_kind_name(p->kind)),
		[JUP_CP_STATUS] = jup_v_cstr(p->status),
		[JUP_CP_TITLE] = jup_v_text(p->title),
		[JUP_CP_DESCRIPTION] = text_or_null(p->description),
		[JUP_CP_PERIOD_START] = jup_v_text(p->period_start),
		[JUP_CP_PERIOD_END] = text_or_null(p->period_end),
		[JUP_CP_PLACE_OF_CARE] = text_or_null(p->place_of_care),
		[JUP_CP_PLACE_OF_DEATH] = text_or_null(p->place_of_death),
		[JUP_CP_RESUSCITATION] = cstr_or_null(p->resuscitation),
		[JUP_CP_KEY_CONTACTS] = cstr_or_null(p->contacts),
		[JUP_CP_MEDICINES] = cstr_or_null(p->medicines),
		[JUP_CP_AUTHOR_USER_ID] = jup_v_int(a->user_id),
		[JUP_CP_ORG_ID] = jup_v_int(a->org_id),
		[JUP_CP_RECORDED_AT] = jup_v_cstr(t->recorded_at),
		[JUP_CP_AUDIT_ID] = jup_v_int(audit_id),
	};
	return jup_store_insert(st, JUP_TABLE_CARE_PLAN, row, NULL, row_id, err);
}

jup_status care_plan_store(jup_store *st, jup_audit_batch *b, const care_plan_author *a,
			   const care_plan_target *t, const care_plan_in *p, int64_t *row_id,
			   jup_err *err)
{
	char what[64];
	snprintf(what, sizeof what, "care_plan:%lld/_history/%lld", (long long)t->plan_id,
		 (long long)t->version);
	jup_audit_entry e = {
		.recorded_at = t->recorded_at,
		.actor = a->username,
		.role = a->role,
		.org_code = a->org_code,
		.purpose = "direct_care",
		.person_id = t->person_id,
		.action = t->version == 1 ? "care_plan.create" : "care_plan.update",
		.what = what,
		.outcome = "done",
		.reason = t->reason,
	};
	int64_t audit_id;
	jup_status r = b ? jup_audit_batch_append(st, b, &e, &audit_id, err)
			 : jup_audit_append(st, &e, &audit_id, err);
	return r ? r : insert_version(st, a, t, p, audit_id, row_id, err);
}

jup_status care_plan_next_id(jup_store *st, int64_t *id, jup_err *err)
{
	int64_t max;
	jup_status r = jup_store_max_int(st, JUP_TABLE_CARE_PLAN, JUP_CP_PLAN_ID, &max, err);
	*id = max + 1;
	return r;
}

/* ---- the decision --------------------------------------------------------------------- */

/* What the decision's own entry says. */
typedef struct entry_check {
	const char *actor;
	int64_t person_id;
	bool ok;
} entry_check;

static bool is_text(const jup_value *v, const char *s)
{
	return v->type == JUP_V_TEXT && jup_sv_eq_cstr(v->s, s);
}

static jup_status entry_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	entry_check *c = ctx;
	const jup_value *person = &v[JUP_AUDIT_PERSON_ID];
	c->ok = is_text(&v[JUP_AUDIT_ACTOR], c->actor) &&
		is_text(&v[JUP_AUDIT_ACTION], jup_gate_action_name(JUP_GATE_WRITE_CARE_PLAN)) &&
		is_text(&v[JUP_AUDIT_OUTCOME], "permit") && person->type == JUP_V_INT &&
		person->i == c->person_id;
	return JUP_OK;
}

/* A logged permit to write, for a person, whose entry names this author. */
static jup_status check_decision(jup_store *st, const jup_gate_decision *d, const jup_user *author,
				 jup_err *err)
{
	if (!d->permit || d->audit_id <= 0 || d->action != JUP_GATE_WRITE_CARE_PLAN ||
	    d->purpose != JUP_CONSENT_DIRECT_CARE || d->npersons < 1 ||
	    d->npersons > JUP_GATE_MAX_PERSONS || d->persons[0] <= 0)
		return jup_err_set(
			err, JUP_ERR_DENIED,
			"care plans are written only under a logged permit to write them");
	if (author->id <= 0 || author->org_id <= 0 || author->disabled)
		return jup_err_set(err, JUP_ERR_DENIED, "care plans are written by enabled staff");
	entry_check c = { author->username, d->persons[0], false };
	jup_match by_id = { JUP_COL_ID, jup_v_int(d->audit_id) };
	jup_status r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &by_id, 1, entry_row, &c, err);
	if (!r && !c.ok)
		r = jup_err_set(err, JUP_ERR_DENIED,
				"the permit to write was not given to this author for this person");
	return r;
}

/* ---- the plan written to -------------------------------------------------------------- */

/* The latest version of a plan: its number, person and kind; versions 0
 * when there is no such plan. */
typedef struct plan_meta {
	int64_t versions, latest, person_id;
	care_plan_kind kind;
} plan_meta;

static jup_status meta_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	plan_meta *m = ctx;
	m->versions++;
	int64_t version = v[JUP_CP_VERSION].type == JUP_V_INT ? v[JUP_CP_VERSION].i : 0;
	if (version <= m->latest)
		return JUP_OK;
	m->latest = version;
	m->person_id = v[JUP_CP_PERSON_ID].type == JUP_V_INT ? v[JUP_CP_PERSON_ID].i : 0;
	m->kind = care_plan_kind_of(&v[JUP_CP_KIND]);
	return JUP_OK;
}

static bool names_person(const jup_gate_decision *d, int64_t person_id)
{
	for (int i = 0; i < d->npersons && i < JUP_GATE_MAX_PERSONS; i++)
		if (d->persons[i] == person_id)
			return true;
	return false;
}

/* Where a version of plan_id (NULL: a new plan) goes: *t's plan, version and person. */
static jup_status target(jup_store *st, const jup_gate_decision *d, const char *plan_id,
			 int64_t if_version, care_plan_kind kind, care_plan_target *t, jup_err *err)
{
	if (!plan_id) {
		t->version = 1;
		t->person_id = d->persons[0];
		return care_plan_next_id(st, &t->plan_id, err);
	}
	plan_meta m = { 0 };
	if (!care_plan_parse_id(plan_id, &t->plan_id))
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no such care plan");
	jup_match by_plan = { JUP_CP_PLAN_ID, jup_v_int(t->plan_id) };
	jup_status r = jup_store_scan(st, JUP_TABLE_CARE_PLAN, &by_plan, 1, meta_row, &m, err);
	long long id = (long long)t->plan_id;
	if (!r && !m.versions)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no care plan %lld", id);
	else if (!r && !names_person(d, m.person_id))
		r = jup_err_set(err, JUP_ERR_INVALID, "care plan %lld is not about this person",
				id);
	else if (!r && m.kind != kind)
		r = jup_err_set(err, JUP_ERR_INVALID, "kind: care plan %lld is a %s, and stays one",
				id, care_plan_kind_name(m.kind));
	else if (!r && if_version && if_version != m.latest)
		r = jup_err_set(err, JUP_ERR_EXISTS,
				"care plan %lld: version %lld is not the latest (%lld)", id,
				(long long)if_version, (long long)m.latest);
	else if (!r && m.latest >= JUP_CARE_PLAN_MAX_VERSIONS)
		r = jup_err_set(err, JUP_ERR_LIMIT, "care plan %lld has %d versions, the most kept",
				id, JUP_CARE_PLAN_MAX_VERSIONS);
	t->version = m.latest + 1;
	t->person_id = m.person_id;
	return r;
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct out_scan {
	care_plan_reader *rd;
	care_plan_version v;
} out_scan;

static jup_status out_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	out_scan *o = ctx;
	return care_plan_row_json(o->rd, vals, &o->v, err);
}

/* The version stored as row_id, in the full shape. */
static jup_status stored(jup_store *st, int64_t row_id, json_t **out, jup_err *err)
{
	care_plan_reader rd = { .st = st, .view = JUP_GATE_VIEW_FULL };
	out_scan o = { &rd, { 0 } };
	jup_match by_id = { JUP_COL_ID, jup_v_int(row_id) };
	jup_status r = jup_store_scan(st, JUP_TABLE_CARE_PLAN, &by_id, 1, out_row, &o, err);
	if (!r && !o.v.json)
		r = jup_err_set(err, rd.oom ? JUP_ERR_NOMEM : JUP_ERR_STORE,
				"could not read back the care plan written");
	*out = o.v.json;
	return r;
}

/* Inside the transaction: where the version goes, its entry and row, and
 * the version as stored. */
static jup_status write_version(jup_store *st, const jup_gate_decision *d, const jup_user *author,
				const char *plan_id, int64_t if_version, const care_plan_in *p,
				json_t **out, jup_err *err)
{
	char now[21], org[JUP_MAX_ORG_CODE_LEN + 1];
	jup_date_now_utc(now);
	care_plan_target t = { .recorded_at = now };
	jup_status r = target(st, d, plan_id, if_version, p->kind, &t, err);
	if (!r)
		r = jup_store_org_code(st, author->org_id, org, sizeof org, err);
	if (r)
		return r;
	care_plan_author a = { author->id, author->username, jup_role_name(author->role),
			       author->org_id, org };
	int64_t row_id;
	r = care_plan_store(st, NULL, &a, &t, p, &row_id, err);
	return r ? r : stored(st, row_id, out, err);
}

jup_status jup_care_plan_write(jup_store *st, const jup_gate_decision *d, const jup_user *author,
			       const char *plan_id, int64_t if_version, const json_t *in,
			       json_t **out, jup_err *err)
{
	if (out)
		*out = NULL;
	if (!st || !d || !author || !in || !out || if_version < 0)
		return jup_err_set(err, JUP_ERR_USAGE, "care plan: missing arguments");
	if (!plan_id && if_version)
		return jup_err_set(err, JUP_ERR_USAGE,
				   "care plan: a new plan has no version to match");
	jup_status r = check_decision(st, d, author, err);
	if (r)
		return r;
	care_plan_in p;
	r = care_plan_parse(in, &p, err);
	if (!r && d->basis == JUP_GATE_BASIS_EOL_REGISTER && p.kind != CARE_PLAN_KIND_NOTE)
		r = jup_err_set(err, JUP_ERR_DENIED, "the end-of-life line writes notes only");
	if (!r && !(r = jup_store_begin(st, err))) {
		r = write_version(st, d, author, plan_id, if_version, &p, out, err);
		if (!r)
			r = jup_store_commit(st, err);
		if (r) {
			jup_store_abandon(st);
			json_decref(*out);
			*out = NULL;
		}
	}
	care_plan_in_free(&p);
	return r;
}
