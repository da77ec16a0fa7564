/*
 * consent_policy.c - the names of purposes and sources, and the consent
 * policy rows: listing them and finding the one a decision follows.
 */
#include "consent/jup_consent.h"

#include <string.h>

static const char *const purposes[JUP_CONSENT_PURPOSE__COUNT] = {
	[JUP_CONSENT_DIRECT_CARE] = "direct_care",
	[JUP_CONSENT_RISK_STRATIFICATION] = "risk_stratification",
	[JUP_CONSENT_PLANNING] = "planning",
	[JUP_CONSENT_RESEARCH] = "research",
};

static const char *const sources[JUP_CONSENT_SOURCE__COUNT] = {
	[JUP_CONSENT_SRC_CITIZEN] = "citizen",
	[JUP_CONSENT_SRC_RECORD_OBJECTION] = "record_objection",
};

const char *jup_consent_purpose_name(jup_consent_purpose p)
{
	if (p == JUP_CONSENT_EVERY_PURPOSE)
		return "all";
	return (unsigned)p < JUP_CONSENT_PURPOSE__COUNT ? purposes[p] : "unknown";
}

bool jup_consent_purpose_parse(const char *s, bool allow_every, jup_consent_purpose *out)
{
	if (s && allow_every && strcmp(s, "all") == 0) {
		*out = JUP_CONSENT_EVERY_PURPOSE;
		return true;
	}
	for (int p = 0; s && p < JUP_CONSENT_PURPOSE__COUNT; p++)
		if (strcmp(s, purposes[p]) == 0) {
			*out = (jup_consent_purpose)p;
			return true;
		}
	return false;
}

const char *jup_consent_source_name(jup_consent_source s)
{
	return (unsigned)s < JUP_CONSENT_SOURCE__COUNT ? sources[s] : "unknown";
}

bool jup_consent_source_parse(const char *s, jup_consent_source *out)
{
	for (int i = 0; s && i < JUP_CONSENT_SOURCE__COUNT; i++)
		if (strcmp(s, sources[i]) == 0) {
			*out = (jup_consent_source)i;
			return true;
		}
	return false;
}

/* A text column equals word ("applies", "required"). */
static bool is(const jup_value *v, const char *word)
{
	return v->type == JUP_V_TEXT && jup_sv_eq_cstr(v->s, word);
}

/* A consent_policy row into *p. */
static jup_status policy_from_row(int64_t id, const jup_value *v, jup_consent_policy *p,
				  jup_err *err)
{
	char purpose[32];
	memset(p, 0, sizeof *p);
	p->id = id;
	jup_value_copy_text(purpose, sizeof purpose, &v[JUP_POLICY_PURPOSE]);
	if (!jup_consent_purpose_parse(purpose, false, &p->purpose))
		return jup_err_set(err, JUP_ERR_STORE,
				   "consent policy %lld: a purpose this build does not know",
				   (long long)id);
	jup_value_copy_text(p->flow, sizeof p->flow, &v[JUP_POLICY_FLOW]);
	p->national_opt_out = is(&v[JUP_POLICY_NATIONAL_OPT_OUT], "applies");
	p->gp_type1 = is(&v[JUP_POLICY_GP_TYPE1], "applies");
	p->record_objection = is(&v[JUP_POLICY_RECORD_OBJECTION], "applies");
	p->citizen_choice = is(&v[JUP_POLICY_CITIZEN_CHOICE], "applies");
	p->sc_consent = is(&v[JUP_POLICY_SC_CONSENT], "required");
	p->specific_consent = is(&v[JUP_POLICY_SPECIFIC_CONSENT], "required");
	p->practice_participation = is(&v[JUP_POLICY_PARTICIPATION], "required");
	jup_value_copy_text(p->approval, sizeof p->approval, &v[JUP_POLICY_APPROVAL]);
	jup_value_copy_text(p->description, sizeof p->description, &v[JUP_POLICY_DESCRIPTION]);
	p->active = v[JUP_POLICY_ACTIVE].type == JUP_V_INT && v[JUP_POLICY_ACTIVE].i != 0;
	return JUP_OK;
}

typedef struct each_ctx {
	jup_consent_policy_fn fn;
	void *ctx;
} each_ctx;

static jup_status each_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	each_ctx *e = ctx;
	jup_consent_policy p;
	jup_status r = policy_from_row(id, v, &p, err);
	return r ? r : e->fn(e->ctx, &p, err);
}

jup_status jup_consent_policy_each(jup_store *st, jup_consent_policy_fn fn, void *ctx, jup_err *err)
{
	each_ctx e = { fn, ctx };
	return jup_store_scan(st, JUP_TABLE_CONSENT_POLICY, NULL, 0, each_row, &e, err);
}

/* The first row a scan gives (rows come in id order). */
typedef struct first_row {
	jup_consent_policy *p;
	bool found;
} first_row;

static jup_status keep_first(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	first_row *f = ctx;
	if (f->found)
		return JUP_OK;
	f->found = true;
	return policy_from_row(id, v, f->p, err);
}

static jup_status find_flow(jup_store *st, jup_consent_purpose purpose, const char *flow,
			    jup_consent_policy *out, jup_err *err)
{
	first_row f = { out, false };
	jup_match by_flow = { JUP_POLICY_FLOW, jup_v_cstr(flow) };
	jup_status r =
		jup_store_scan(st, JUP_TABLE_CONSENT_POLICY, &by_flow, 1, keep_first, &f, err);
	if (r)
		return r;
	if (!f.found)
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no consent policy flow \"%.100s\"",
				   flow);
	if (out->purpose != purpose)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "consent policy flow \"%.100s\" is for %s, not %s", flow,
				   jup_consent_purpose_name(out->purpose),
				   jup_consent_purpose_name(purpose));
	if (!out->active)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "consent policy flow \"%.100s\" is not active", flow);
	return JUP_OK;
}

jup_status jup_consent_policy_find(jup_store *st, jup_consent_purpose purpose, const char *flow,
			       jup_consent_policy *out, jup_err *err)
{
	if (flow)
		return find_flow(st, purpose, flow, out, err);
	first_row f = { out, false };
	jup_match where[] = {
		{ JUP_POLICY_PURPOSE, jup_v_cstr(jup_consent_purpose_name(purpose)) },
		{ JUP_POLICY_ACTIVE, jup_v_int(1) },
	};
	jup_status r = jup_store_scan(st, JUP_TABLE_CONSENT_POLICY, where, 2, keep_first, &f, err);
	if (!r && !f.found)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no active consent policy for %s",
				jup_consent_purpose_name(purpose));
	return r;
}
