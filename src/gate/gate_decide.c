/*
 * gate_decide.c - the purpose gate's decision (jup_gate.h): who may act for
 * which purpose (the role table), the relationship, break-glass, consent,
 * and the audit entry written before anything is read.
 */
#include "gate/gate_internal.h"

#include "ingest/jup_ingest_valid.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PURPOSE(p) (1u << (p))
#define DC         PURPOSE(JUP_CONSENT_DIRECT_CARE)
#define RS         PURPOSE(JUP_CONSENT_RISK_STRATIFICATION)
#define PL         PURPOSE(JUP_CONSENT_PLANNING)
#define RE         PURPOSE(JUP_CONSENT_RESEARCH)

/* What each role may do: the purposes it may act for, the relationship
 * that grounds an identifiable access, the view it gets, and whether it may
 * break glass (direct care only). Roles with no purposes (information
 * governance, engagement, administration) never see a person's record. */
static const struct role_rule {
	unsigned purposes;
	jup_gate_basis relation;
	jup_gate_view view;
	bool break_glass;
} role_rules[JUP_ROLE__COUNT] = {
	[JUP_ROLE_GP] = { DC | RS, JUP_GATE_BASIS_REGISTERED, JUP_GATE_VIEW_FULL, true },
	[JUP_ROLE_HOSPITAL_CLINICIAN] = { DC, JUP_GATE_BASIS_HOSPITAL_EPISODE, JUP_GATE_VIEW_FULL,
					  true },
	[JUP_ROLE_SOCIAL_WORKER] = { DC, JUP_GATE_BASIS_CARE_TEAM, JUP_GATE_VIEW_FULL, true },
	[JUP_ROLE_CARE_COORDINATOR] = { DC | RS, JUP_GATE_BASIS_CARE_TEAM, JUP_GATE_VIEW_FULL,
					true },
	[JUP_ROLE_EOL_OPERATOR] = { DC, JUP_GATE_BASIS_EOL_REGISTER, JUP_GATE_VIEW_EOL, false },
	[JUP_ROLE_ANALYST] = { PL | RE, JUP_GATE_BASIS_ANONYMOUS, JUP_GATE_VIEW_DEIDENTIFIED,
			       false },
	[JUP_ROLE_CITIZEN] = { DC, JUP_GATE_BASIS_SELF, JUP_GATE_VIEW_FULL, false },
};

static const char *const basis_names[JUP_GATE_BASIS__COUNT] = {
	"none", "registered", "hospital_episode", "care_team", "eol_register", "self",
	"anonymous", "break_glass",
};

/* Why a permit holds, for the actor. */
static const char *const basis_permits[JUP_GATE_BASIS__COUNT] = {
	[JUP_GATE_BASIS_REGISTERED] = "the person is registered at your practice",
	[JUP_GATE_BASIS_HOSPITAL_EPISODE] = "the person has an open or recent episode at your trust",
	[JUP_GATE_BASIS_CARE_TEAM] = "the person is allocated to a team of your organisation",
	[JUP_GATE_BASIS_EOL_REGISTER] = "the person has an end-of-life plan",
	[JUP_GATE_BASIS_SELF] = "your own record",
	[JUP_GATE_BASIS_ANONYMOUS] = "de-identified: no names, numbers or addresses are shown",
	[JUP_GATE_BASIS_BREAK_GLASS] = "break-glass access",
};

/* Why a relationship is missing, for the actor. */
static const char *const basis_missing[JUP_GATE_BASIS__COUNT] = {
	[JUP_GATE_BASIS_REGISTERED] = "the person is not registered at your practice",
	[JUP_GATE_BASIS_HOSPITAL_EPISODE] = "the person has no open admission, and no admission or "
					    "A&E attendance in the last " JUP_STR(
						    JUP_GATE_RECENT_DAYS) " days, at your trust",
	[JUP_GATE_BASIS_CARE_TEAM] = "the person is not allocated to a team of your organisation",
	[JUP_GATE_BASIS_EOL_REGISTER] = "the person has no end-of-life plan",
	[JUP_GATE_BASIS_SELF] = "a citizen can see only their own record",
};

static const char *const view_names[JUP_GATE_VIEW__COUNT] = { "none", "full", "end_of_life",
							       "deidentified" };
static const char *const action_names[JUP_GATE_ACTION__COUNT] = { "record.read",
								   "care_plan.write" };
/* What an entry says was asked for, when nothing was released. */
static const char *const action_what[JUP_GATE_ACTION__COUNT] = { "record", "care_plan" };

/* The consent rules that stop a use altogether, for the actor. */
static const char *const consent_denials[JUP_CONSENT_RULE__COUNT] = {
	[JUP_CONSENT_RULE_CITIZEN_CHOICE] =
		"the person has asked for their information not to be used for this purpose",
	[JUP_CONSENT_RULE_RECORD_OBJECTION] = "the person has objected to sharing through the "
					      "joined-up record",
	[JUP_CONSENT_RULE_NATIONAL_OPT_OUT] = "the person has a national data opt-out",
	[JUP_CONSENT_RULE_SPECIFIC_CONSENT] = "this purpose needs the person's specific consent, "
					      "which they have not given",
};

bool jup_gate_role_may(jup_role r, jup_consent_purpose p)
{
	return (unsigned)r < JUP_ROLE__COUNT && (unsigned)p < JUP_CONSENT_PURPOSE__COUNT &&
	       (role_rules[r].purposes & PURPOSE(p));
}

bool jup_gate_role_may_break_glass(jup_role r)
{
	return (unsigned)r < JUP_ROLE__COUNT && role_rules[r].break_glass;
}

const char *jup_gate_basis_name(jup_gate_basis b)
{
	return (unsigned)b < JUP_GATE_BASIS__COUNT ? basis_names[b] : "unknown";
}

const char *jup_gate_view_name(jup_gate_view v)
{
	return (unsigned)v < JUP_GATE_VIEW__COUNT ? view_names[v] : "unknown";
}

const char *jup_gate_action_name(jup_gate_action a)
{
	return (unsigned)a < JUP_GATE_ACTION__COUNT ? action_names[a] : "unknown";
}

/* What a decision will write: its audit entry (texts kept here) and, for
 * a new break-glass access, the grant. */
typedef struct gate_pending {
	char actor[JUP_USERNAME_MAX + 1];
	char role[32];
	char org_code[JUP_MAX_ORG_CODE_LEN + 1];
	char purpose[32];
	char recorded_at[21];
	char request_id[JUP_AUDIT_MAX_FIELD + 1];
	char break_glass[JUP_AUDIT_MAX_FIELD + 1]; /* "" when none */
	bool new_grant;
	int64_t user_id;
	char expires_at[21];
} gate_pending;

/* ---- pieces of a decision ------------------------------------------------------- */

static void say(jup_gate_decision *d, const char *fmt, ...) JUP_PRINTF(2, 3);
static void say(jup_gate_decision *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof d->reason, fmt, ap);
	va_end(ap);
}

/* A denial; *out keeps whatever person was found. */
static void deny(jup_gate_decision *d, const char *why)
{
	d->permit = false;
	d->basis = JUP_GATE_BASIS_NONE;
	d->view = JUP_GATE_VIEW_NONE;
	d->gp_data = d->hospital_data = d->social_care_data = false;
	say(d, "%s", why);
}

static void copy_cstr(char *dst, size_t cap, const char *s)
{
	jup_value_copy_text(dst, cap, &(jup_value){ .type = JUP_V_TEXT, .s = jup_sv_from(s ? s : "") });
}

/* The entry's who, why and when. */
static jup_status begin_pending(jup_store *st, const jup_gate_request *rq, gate_pending *w,
				int64_t *now, jup_err *err)
{
	memset(w, 0, sizeof *w);
	const jup_user *u = rq->actor;
	copy_cstr(w->actor, sizeof w->actor, u->username);
	copy_cstr(w->role, sizeof w->role, jup_role_name(u->role));
	copy_cstr(w->purpose, sizeof w->purpose, jup_consent_purpose_name(rq->purpose));
	copy_cstr(w->request_id, sizeof w->request_id, rq->request_id);
	w->user_id = u->id;
	jup_status s = JUP_OK;
	if (rq->org_code)
		copy_cstr(w->org_code, sizeof w->org_code, rq->org_code);
	else if (u->org_id)
		s = jup_store_org_code(st, u->org_id, w->org_code, sizeof w->org_code, err);
	if (s)
		return s;
	jup_err why;
	if (!rq->now)
		*now = (int64_t)time(NULL);
	else if (jup_time_parse(jup_sv_from(rq->now), now, &why))
		return jup_err_set(err, JUP_ERR_USAGE, "gate: the request's time: %s", why.msg);
	jup_time_format(*now, w->recorded_at);
	return JUP_OK;
}

/* ---- break-glass grants ----------------------------------------------------------- */

typedef struct grant_find {
	char now[21];
	int64_t id;
	char expires[21];
	char reason[JUP_AUDIT_MAX_FIELD + 1];
} grant_find;

static jup_status grant_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	grant_find *g = ctx;
	char expires[21];
	jup_value_copy_text(expires, sizeof expires, &v[JUP_BG_EXPIRES_AT]);
	if (strcmp(expires, g->now) <= 0 || strcmp(expires, g->expires) <= 0)
		return JUP_OK; /* expired, or one lasting longer was seen */
	g->id = id;
	memcpy(g->expires, expires, sizeof expires);
	jup_value_copy_text(g->reason, sizeof g->reason, &v[JUP_BG_REASON]);
	return JUP_OK;
}

/* The user's grant for the person still in force at now (the one lasting
 * longest); g->id 0 when none. */
static jup_status find_grant(jup_store *st, int64_t user_id, int64_t person_id, const char *now,
			     grant_find *g, jup_err *err)
{
	memset(g, 0, sizeof *g);
	copy_cstr(g->now, sizeof g->now, now);
	jup_match m[2] = { { JUP_BG_USER_ID, jup_v_int(user_id) },
			   { JUP_BG_PERSON_ID, jup_v_int(person_id) } };
	return jup_store_scan(st, JUP_TABLE_BREAK_GLASS, m, 2, grant_row, g, err);
}

/* Rule 3 without a relationship: an existing grant, or a new one when the
 * request breaks glass and the role and purpose allow it. false with the
 * reason given when neither. */
static jup_status try_break_glass(jup_store *st, const jup_gate_request *rq,
				  const struct role_rule *rule, int64_t now, gate_pending *w,
				  jup_gate_decision *d, bool *granted, jup_err *err)
{
	*granted = false;
	bool may = jup_gate_role_may_break_glass(rq->actor->role) &&
		   rq->purpose == JUP_CONSENT_DIRECT_CARE;
	grant_find g;
	jup_status s = may ? find_grant(st, w->user_id, d->persons[0], w->recorded_at, &g, err)
			   : JUP_OK;
	if (s)
		return s;
	if (may && g.id) {
		d->grant_id = g.id;
		memcpy(d->grant_expires, g.expires, sizeof g.expires);
		copy_cstr(w->break_glass, sizeof w->break_glass, g.reason);
		*granted = true;
	} else if (may && rq->break_glass) {
		w->new_grant = true;
		jup_time_format(now + JUP_GATE_BREAK_GLASS_HOURS * 3600, w->expires_at);
		memcpy(d->grant_expires, w->expires_at, sizeof w->expires_at);
		copy_cstr(w->break_glass, sizeof w->break_glass, rq->break_glass);
		*granted = true;
	} else if (rq->break_glass) {
		say(d, "%s; break-glass is %s", basis_missing[rule->relation],
		    rq->purpose != JUP_CONSENT_DIRECT_CARE ? "for direct care only"
							   : "not open to your role");
	} else {
		say(d, "%s%s", basis_missing[rule->relation],
		    may ? " (in an emergency, for direct care, you may break glass with a reason)"
			: "");
	}
	return JUP_OK;
}

/* ---- the rules in order ------------------------------------------------------------ */

/* Whether a role may write care plans: one whose access rests on a care
 * relationship (not a citizen's own record, not de-identified analysis,
 * not a role without access). */
static bool writes_care_plans(const struct role_rule *rule)
{
	switch (rule->relation) {
	case JUP_GATE_BASIS_REGISTERED:
	case JUP_GATE_BASIS_HOSPITAL_EPISODE:
	case JUP_GATE_BASIS_CARE_TEAM:
	case JUP_GATE_BASIS_EOL_REGISTER:
		return (rule->purposes & DC) != 0;
	default:
		return false;
	}
}

/* Rules 1 and the request's own checks: the reason when they refuse, or
 * NULL. *invalid when the request itself is malformed. */
static const char *actor_refusal(const jup_gate_request *rq, const char *nhs_ok, bool *invalid)
{
	const struct role_rule *rule = &role_rules[rq->actor->role];
	*invalid = true;
	if (!nhs_ok)
		return "not a valid NHS number";
	if (rq->break_glass && !(strlen(rq->break_glass) >= JUP_GATE_BREAK_GLASS_MIN &&
				 jup_audit_text_ok(jup_sv_from(rq->break_glass))))
		return "a break-glass reason must be " JUP_STR(JUP_GATE_BREAK_GLASS_MIN) " to " JUP_STR(
			JUP_MAX_TEXT_LEN) " bytes of plain text";
	*invalid = false;
	if (rq->actor->disabled)
		return "this account is disabled";
	if (rq->action == JUP_GATE_WRITE_CARE_PLAN && !writes_care_plans(rule))
		return "your role may not write care plans";
	if (rq->action == JUP_GATE_WRITE_CARE_PLAN && rq->purpose != JUP_CONSENT_DIRECT_CARE)
		return "care plans are written for direct care only";
	if (!jup_gate_role_may(rq->actor->role, rq->purpose))
		return "your role does not give access to a person's record for this purpose";
	if (rule->relation == JUP_GATE_BASIS_SELF && strcmp(rq->actor->nhs_number, nhs_ok) != 0)
		return basis_missing[JUP_GATE_BASIS_SELF];
	return NULL;
}

/* Rule 4: consent. A citizen's own record is shown whatever they chose,
 * but only the parts the record shares. */
static jup_status apply_consent(gate_source *src, const gate_facts *f, jup_gate_decision *d,
				jup_err *err)
{
	jup_consent_decision *c = &d->consent;
	jup_consent_policy policy;
	jup_status s = gate_source_policy(src, d->purpose, &policy, err);
	if (s)
		return s;
	jup_consent_decide_facts(&policy, &f->consent, c);
	d->gp_data = c->gp_data;
	d->social_care_data = c->social_care_data;
	d->hospital_data = c->permit;
	if (c->permit || d->basis == JUP_GATE_BASIS_SELF)
		return JUP_OK;
	char why[JUP_GATE_MAX_REASON];
	size_t n = (size_t)snprintf(why, sizeof why, "consent:");
	for (int i = 0; i < c->nreasons && n < sizeof why; i++) {
		const char *text = consent_denials[c->reasons[i].rule];
		if (text)
			n += (size_t)snprintf(why + n, sizeof why - n, "%s %s", n > 8 ? ";" : "",
					      text);
	}
	deny(d, why);
	return JUP_OK;
}

/* What a permit releases (the entry's what) and why it holds. A write
 * releases nothing of the record: its entry names the view the writer has. */
static void describe_permit(jup_gate_decision *d)
{
	char sections[64];
	snprintf(sections, sizeof sections, "%s%s%s", d->gp_data ? ",gp" : "",
		 d->hospital_data ? ",hospital" : "", d->social_care_data ? ",social_care" : "");
	if (d->action == JUP_GATE_WRITE_CARE_PLAN)
		snprintf(d->what, sizeof d->what, "care_plan view=%s", view_names[d->view]);
	else
		snprintf(d->what, sizeof d->what, "record view=%s sections=%s", view_names[d->view],
			 sections[0] ? sections + 1 : "none");
	if (d->basis == JUP_GATE_BASIS_BREAK_GLASS)
		say(d, "break-glass access until %s", d->grant_expires);
	else
		say(d, "%s", basis_permits[d->basis]);
}

/* Who the person is: their person ids, when anyone holds the number. */
static void name_person(const gate_facts *f, jup_gate_decision *d)
{
	if (f->found)
		return;
	d->npersons = f->nids;
	memcpy(d->persons, f->ids, sizeof f->ids);
}

/* Rules 2-4 for a request that passed rule 1. */
static jup_status decide_person(gate_source *src, const jup_gate_request *rq,
				const gate_facts *f, int64_t now, gate_pending *w,
				jup_gate_decision *d, jup_err *err)
{
	const struct role_rule *rule = &role_rules[rq->actor->role];
	if (f->found) {
		deny(d, f->found == JUP_ERR_LIMIT ? "the NHS number resolves to too many persons: "
						    "the linkage needs review"
						  : "no linked record carries this NHS number");
		return JUP_OK;
	}
	name_person(f, d);
	bool has = rule->relation == JUP_GATE_BASIS_SELF ||
		   rule->relation == JUP_GATE_BASIS_ANONYMOUS ||
		   gate_facts_relation(f, rule->relation, rq->actor->org_id, (jup_date)(now / 86400));
	bool granted = false;
	jup_status s = has ? JUP_OK : try_break_glass(src->st, rq, rule, now, w, d, &granted, err);
	if (s || (!has && !granted)) {
		d->permit = false;
		return s;
	}
	d->permit = true;
	d->basis = has ? rule->relation : JUP_GATE_BASIS_BREAK_GLASS;
	d->view = rule->view;
	s = apply_consent(src, f, d, err);
	if (!s && d->permit)
		describe_permit(d);
	if (!d->permit) /* a denial makes no grant */
		w->new_grant = false, w->break_glass[0] = 0, d->grant_expires[0] = 0, d->grant_id = 0;
	return s;
}

/* The reading half of a decision: decide rq into *out and say in *w what to
 * write. Errors as jup_gate_decide; an invalid request (bad NHS number or
 * break-glass reason) is JUP_ERR_INVALID with *out a denial to be logged. */
static jup_status gate_check(gate_source *src, const jup_gate_request *rq,
			     jup_gate_decision *out, gate_pending *w, jup_err *err)
{
	memset(out, 0, sizeof *out);
	if (!rq || !rq->actor || (unsigned)rq->actor->role >= JUP_ROLE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "gate: a request needs a signed-in actor");
	if ((unsigned)rq->purpose >= JUP_CONSENT_PURPOSE__COUNT ||
	    (unsigned)rq->action >= JUP_GATE_ACTION__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "gate: no such purpose or action");
	out->purpose = rq->purpose;
	out->action = rq->action;
	int64_t now;
	jup_status s = begin_pending(src->st, rq, w, &now, err);
	if (s)
		return s;
	char nhs[11];
	jup_err ignored;
	bool nhs_ok = rq->nhs_number && !jup_ingest_nhs_number(jup_sv_from(rq->nhs_number), nhs,
								 &ignored);
	bool invalid;
	const char *refusal = actor_refusal(rq, nhs_ok ? nhs : NULL, &invalid);
	const gate_facts *f = NULL;
	if (nhs_ok && (s = gate_source_facts(src, nhs, &f, err)))
		return s;
	if (refusal) {
		/* the person is still named in the entry, so they see the attempt */
		if (f)
			name_person(f, out);
		deny(out, refusal);
		copy_cstr(out->what, sizeof out->what, action_what[rq->action]);
		return invalid ? jup_err_set(err, JUP_ERR_INVALID, "gate: %s", refusal) : JUP_OK;
	}
	s = decide_person(src, rq, f, now, w, out, err);
	if (!out->permit)
		copy_cstr(out->what, sizeof out->what, action_what[rq->action]);
	return s;
}

/* ---- writing ------------------------------------------------------------------------ */

static const char *or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* The writing half: append the audit entry and record any grant, inside
 * the batch's transaction. */
static jup_status gate_write(jup_store *st, jup_audit_batch *b, const gate_pending *w,
			     jup_gate_decision *out, jup_err *err)
{
	jup_audit_entry e = {
		.recorded_at = w->recorded_at,
		.actor = w->actor,
		.role = w->role,
		.org_code = or_null(w->org_code),
		.purpose = w->purpose,
		.person_id = out->npersons ? out->persons[0] : 0,
		.action = action_names[out->action],
		.what = out->what,
		.outcome = out->permit ? "permit" : "deny",
		.reason = out->reason,
		.break_glass = out->permit ? or_null(w->break_glass) : NULL,
		.request_id = or_null(w->request_id),
	};
	jup_status s = jup_audit_batch_append(st, b, &e, &out->audit_id, err);
	if (s || !out->permit || !w->new_grant)
		return s;
	jup_value row[JUP_BG__N] = {
		[JUP_BG_USER_ID] = jup_v_int(w->user_id),
		[JUP_BG_PERSON_ID] = jup_v_int(out->persons[0]),
		[JUP_BG_REASON] = jup_v_cstr(w->break_glass),
		[JUP_BG_GRANTED_AT] = jup_v_cstr(w->recorded_at),
		[JUP_BG_EXPIRES_AT] = jup_v_cstr(w->expires_at),
		[JUP_BG_AUDIT_ID] = jup_v_int(out->audit_id),
		[JUP_BG_REVIEWED_BY] = jup_v_null(),
		[JUP_BG_REVIEWED_AT] = jup_v_null(),
		[JUP_BG_OUTCOME] = jup_v_null(),
		[JUP_BG_NOTE] = jup_v_null(),
	};
	return jup_store_insert(st, JUP_TABLE_BREAK_GLASS, row, NULL, &out->grant_id, err);
}

/* ---- batches --------------------------------------------------------------------- */

/* Decide and write job j. A failure to read or write is returned (it fails
 * the batch); the job's own outcome goes in j. */
static jup_status decide_one(gate_source *src, jup_audit_batch *ab, gate_job *j, jup_err *err)
{
	gate_pending w;
	j->status = gate_check(src, j->rq, j->out, &w, &j->err);
	if (j->status == JUP_ERR_USAGE)
		return JUP_OK; /* malformed: nothing to log */
	if (j->status && j->status != JUP_ERR_INVALID) {
		*err = j->err;
		return j->status;
	}
	return gate_write(src->st, ab, &w, j->out, err);
}

void gate_decide_batch(jup_store *st, gate_index *ix, gate_job *jobs)
{
	jup_err err;
	jup_audit_batch ab;
	gate_source src = { st, ix, NULL };
	jup_status s = jup_store_begin(st, &err);
	if (!s && ix)
		s = gate_index_refresh(ix, st, &err);
	if (!s)
		s = jup_audit_batch_begin(st, &ab, &err);
	for (gate_job *j = jobs; !s && j; j = j->next)
		s = decide_one(&src, &ab, j, &err);
	if (!s)
		s = jup_audit_batch_end(st, &ab, &err);
	if (!s)
		s = jup_store_commit(st, &err);
	gate_source_done(&src);
	if (!s)
		return;
	jup_store_abandon(st);
	gate_fail_jobs(jobs, s, &err);
}

void gate_fail_jobs(gate_job *jobs, jup_status s, const jup_err *err)
{
	for (gate_job *j = jobs; j; j = j->next) {
		if (j->status && j->status != JUP_ERR_INVALID)
			continue; /* failed already, on its own */
		j->status = s;
		j->err = *err;
		j->out->permit = false;
		j->out->audit_id = j->out->grant_id = 0;
	}
}

jup_status jup_gate_decide(jup_store *st, const jup_gate_request *rq, jup_gate_decision *out,
			   jup_err *err)
{
	gate_job job = { .rq = rq, .out = out };
	gate_decide_batch(st, NULL, &job);
	if (job.status)
		*err = job.err;
	return job.status;
}
