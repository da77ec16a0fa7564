/*
 * fhir_consent.c - consent both ways: what applies to a person for one
 * purpose as a Consent (the effective outcome in provision, the person's
 * own choice and the plain-English reasons as extensions), and a citizen's
 * change of choice read from a Consent they send.
 */
#include "fhir/fhir_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const rule_names[JUP_CONSENT_RULE__COUNT] = {
	[JUP_CONSENT_RULE_CITIZEN_CHOICE] = "citizen_choice",
	[JUP_CONSENT_RULE_RECORD_OBJECTION] = "record_objection",
	[JUP_CONSENT_RULE_NATIONAL_OPT_OUT] = "national_opt_out",
	[JUP_CONSENT_RULE_SPECIFIC_CONSENT] = "specific_consent",
	[JUP_CONSENT_RULE_GP_TYPE1] = "gp_type1",
	[JUP_CONSENT_RULE_PRACTICE_PARTICIPATION] = "practice_participation",
	[JUP_CONSENT_RULE_SC_CONSENT] = "sc_consent",
};

/* ---- the Consent ------------------------------------------------------------------------ */

static json_t *ext(fx *x, const char *url, const char *type, json_t *v)
{
	json_t *e = fx_obj(x);
	fx_sets(x, e, "url", url);
	fx_set(x, e, type, v);
	return e;
}

/* The person's own latest choice covering the purpose. */
static json_t *choice_ext(fx *x, const jup_fhir_consent_in *in)
{
	static const char *const names[] = { [JUP_CONSENT_CHOICE_NONE] = "none",
					     [JUP_CONSENT_CHOICE_PERMIT] = "permit",
					     [JUP_CONSENT_CHOICE_DENY] = "deny" };
	json_t *e = fx_obj(x);
	fx_sets(x, e, "url", FX_EXT("consent-choice"));
	fx_add_ext(x, e, ext(x, "choice", "valueCode", fx_str(x, names[in->choice])));
	if (in->choice != JUP_CONSENT_CHOICE_NONE)
		fx_add_ext(x, e,
			   ext(x, "specific", "valueBoolean", json_boolean(in->choice_specific)));
	return e;
}

static void reasons(fx *x, const jup_consent_decision *d, json_t *r)
{
	int n = d->nreasons < JUP_CONSENT_MAX_REASONS ? d->nreasons : JUP_CONSENT_MAX_REASONS;
	for (int i = 0; i < n; i++) {
		const jup_consent_reason *why = &d->reasons[i];
		const char *rule = (unsigned)why->rule < JUP_CONSENT_RULE__COUNT
					   ? rule_names[why->rule]
					   : "unknown";
		json_t *e = fx_obj(x);
		fx_sets(x, e, "url", FX_EXT("consent-reason"));
		fx_add_ext(x, e,
			   ext(x, "rule", "valueCoding",
			       fx_coding(x, FX_CS("consent-rule"), rule, NULL)));
		fx_add_ext(x, e,
			   ext(x, "text", "valueString",
			       json_stringn(why->text, strnlen(why->text, sizeof why->text))));
		fx_add_ext(x, r, e);
	}
	size_t sn = strnlen(d->summary, sizeof d->summary);
	if (sn)
		fx_add_ext(x, r,
			   ext(x, FX_EXT("consent-summary"), "valueString",
			       json_stringn(d->summary, sn)));
	size_t fn = strnlen(d->flow, sizeof d->flow);
	if (fn)
		fx_add_ext(
			x, r,
			ext(x, FX_EXT("consent-flow"), "valueString", json_stringn(d->flow, fn)));
}

/* A nested provision for one section of the record. */
static json_t *section(fx *x, const char *code, const char *display, bool permit)
{
	json_t *p = fx_obj(x);
	fx_sets(x, p, "type", permit ? "permit" : "deny");
	json_t *codes = fx_arr(x);
	fx_push(x, codes,
		fx_cc(x, fx_coding(x, FX_CS("record-section"), code, display), NULL, NULL));
	fx_set(x, p, "code", codes);
	return p;
}

static json_t *provision(fx *x, const jup_fhir_consent_in *in, const fx_code *purpose)
{
	const jup_consent_decision *d = in->decision;
	json_t *p = fx_obj(x);
	fx_sets(x, p, "type", d->permit ? "permit" : "deny");
	json_t *purposes = fx_arr(x);
	if (purpose->system)
		fx_push(x, purposes,
			fx_coding(x, purpose->system, purpose->std_code, purpose->std_display));
	fx_push(x, purposes, fx_coding(x, JUP_FHIR_CS_PURPOSE, purpose->code, purpose->display));
	fx_set(x, p, "purpose", purposes);
	if (d->permit) {
		json_t *parts = fx_arr(x);
		fx_push(x, parts, section(x, "gp", "GP record", d->gp_data));
		fx_push(x, parts,
			section(x, "social_care", "Council social care record",
				d->social_care_data));
		fx_set(x, p, "provision", parts);
	}
	return p;
}

static json_t *patient_ref(fx *x, const jup_fhir_consent_in *in)
{
	json_t *ref = fx_ref(x, "Patient", in->patient_id, NULL);
	if (in->nhs_number) {
		json_t *id = fx_obj(x);
		fx_sets(x, id, "system", JUP_FHIR_NHS_NUMBER);
		fx_sets(x, id, "value", in->nhs_number);
		fx_set(x, ref, "identifier", id);
	}
	return ref;
}

static json_t *consent(fx *x, const jup_fhir_consent_in *in, const char *id, const fx_code *purpose)
{
	json_t *r = fx_resource(x, "Consent", id);
	fx_add_ext(x, r, choice_ext(x, in));
	reasons(x, in->decision, r);
	fx_sets(x, r, "status", "active");
	fx_set(x, r, "scope",
	       fx_cc(x,
		     fx_coding(x, FX_HL7_CS("consentscope"), "patient-privacy", "Privacy Consent"),
		     NULL, NULL));
	json_t *cats = fx_arr(x);
	fx_push(x, cats,
		fx_cc(x, fx_coding(x, "http://loinc.org", "59284-0", "Patient Consent"), NULL,
		      NULL));
	fx_set(x, r, "category", cats);
	fx_set(x, r, "patient", patient_ref(x, in));
	fx_sets(x, r, "dateTime", in->recorded_at);
	fx_set(x, r, "policyRule",
	       fx_cc(x,
		     fx_coding(x, FX_V3_ACT_CODE, in->opt_in ? "OPTIN" : "OPTOUT",
			       in->opt_in ? "opt-in" : "opt-out"),
		     NULL, NULL));
	fx_set(x, r, "provision", provision(x, in, purpose));
	return r;
}

/* The Consent's id, "consent-<patient>-<purpose>" (dashes for underscores). */
static jup_status consent_id(const jup_fhir_consent_in *in, const char *purpose, char *id,
			     size_t cap, jup_err *err)
{
	int n = snprintf(id, cap, "consent-%s-%s", in->patient_id, purpose);
	for (char *c = id; *c; c++)
		if (*c == '_')
			*c = '-';
	if (n < 0 || (size_t)n >= cap || !jup_fhir_id_ok(id))
		return jup_err_set(err, JUP_ERR_USAGE,
				   "consent: the patient id is too long for a consent id");
	return JUP_OK;
}

static jup_status check_in(const jup_fhir_consent_in *in, jup_err *err)
{
	if (!in || !in->decision)
		return jup_err_set(err, JUP_ERR_USAGE, "consent: missing decision");
	if ((unsigned)in->purpose >= JUP_CONSENT_PURPOSE__COUNT ||
	    in->decision->purpose != in->purpose)
		return jup_err_set(err, JUP_ERR_USAGE,
				   "consent: the purpose is out of range or not the decision's");
	if ((unsigned)in->choice > JUP_CONSENT_CHOICE_DENY)
		return jup_err_set(err, JUP_ERR_USAGE, "consent: choice out of range");
	return fx_check_patient_id(in->patient_id, err);
}

jup_status jup_fhir_consent(const jup_fhir_consent_in *in, json_t **out, jup_err *err)
{
	if (out)
		*out = NULL;
	jup_status r = out ? check_in(in, err)
			   : jup_err_set(err, JUP_ERR_USAGE, "consent: nowhere to put it");
	if (r)
		return r;
	const fx_code *purpose =
		fx_code_find(fx_purposes, fx_npurposes, jup_consent_purpose_name(in->purpose));
	char id[JUP_FHIR_ID_MAX + 1];
	r = purpose ? consent_id(in, purpose->code, id, sizeof id, err)
		    : jup_err_set(err, JUP_ERR_USAGE, "consent: purpose without a code");
	if (r)
		return r;
	fx x;
	fx_init(&x, err);
	json_t *c = consent(&x, in, id, purpose);
	r = fx_done(&x);
	if (r) {
		json_decref(c);
		return r;
	}
	*out = c;
	return JUP_OK;
}

/* ---- a citizen's change ------------------------------------------------------------------ */

/* The purpose a coding names (ours, or the v3 code that maps to one of the
 * four purposes a citizen may choose about); -2 when none. */
static int purpose_of(const char *system, const char *code)
{
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
		const fx_code *c = fx_code_find(fx_purposes, fx_npurposes,
						jup_consent_purpose_name((jup_consent_purpose)p));
		if (!c || !system || !code)
			continue;
		if (strcmp(system, JUP_FHIR_CS_PURPOSE) == 0 && strcmp(code, c->code) == 0)
			return p;
		if (c->system && strcmp(system, c->system) == 0 && strcmp(code, c->std_code) == 0)
			return p;
	}
	return -2;
}

/* provision.purpose: codings that all name the same purpose (ours and its
 * v3 equivalent may both be given); none means every purpose. */
static jup_consent_purpose read_purpose(fp *p, const json_t *prov)
{
	static const char *const keys[] = { "system", "code", "display", "version", NULL };
	const json_t *list = fp_array(p, prov, "purpose", false, 4);
	int found = JUP_CONSENT_EVERY_PURPOSE;
	size_t back = fp_key(p, "purpose");
	size_t i;
	const json_t *c;
	json_array_foreach(list, i, c)
	{
		size_t b2 = fp_index(p, i);
		if (!json_is_object(c))
			fp_fail(p, "not an object");
		fp_keys(p, c, keys, NULL);
		const char *system = fp_string(p, c, "system", true, 256);
		const char *code = fp_string(p, c, "code", true, 64);
		int pur = p->st ? -2 : purpose_of(system, code);
		if (!p->st && pur == -2)
			fp_fail(p, "not a purpose a person chooses about");
		else if (!p->st && found != JUP_CONSENT_EVERY_PURPOSE && pur != found)
			fp_fail(p, "a second, different purpose");
		else if (!p->st)
			found = pur;
		fp_back(p, b2);
	}
	fp_back(p, back);
	return (jup_consent_purpose)found;
}

static void read_provision(fp *p, const json_t *in, jup_fhir_consent_change *out)
{
	static const char *const keys[] = { "type", "purpose", NULL };
	const json_t *prov = fp_object(p, in, "provision", true);
	if (!prov)
		return;
	size_t back = fp_key(p, "provision");
	fp_keys(p, prov, keys, NULL);
	const char *type = fp_string(p, prov, "type", true, 16);
	if (type && strcmp(type, "permit") != 0 && strcmp(type, "deny") != 0) {
		size_t b2 = fp_key(p, "type");
		fp_fail(p, "not permit or deny");
		fp_back(p, b2);
	}
	out->permit = type && strcmp(type, "permit") == 0;
	if (!p->st)
		out->purpose = read_purpose(p, prov);
	fp_back(p, back);
}

/* A coding of cc is system#code. */
static bool has_coding(fp *p, const json_t *cc, const char *system, const char *code)
{
	const json_t *codings = fp_codings(p, cc);
	size_t i;
	const json_t *c;
	json_array_foreach(codings, i, c)
	{
		const char *s = json_string_value(json_object_get(c, "system"));
		const char *k = json_string_value(json_object_get(c, "code"));
		if (s && k && strcmp(s, system) == 0 && strcmp(k, code) == 0)
			return true;
	}
	return false;
}

static void read_consent(fp *p, const json_t *in, jup_fhir_consent_change *out)
{
	static const char *const keys[] = { "resourceType", "status",    "scope",
					    "patient",      "provision", NULL };
	static const char *const ignored[] = { "id",           "meta",     "text",     "language",
					       "extension",    "dateTime", "category", "policyRule",
					       "organization", NULL };
	const char *rt = fp_string(p, in, "resourceType", true, 64);
	if (rt && strcmp(rt, "Consent") != 0) {
		size_t back = fp_key(p, "resourceType");
		fp_fail(p, "not Consent");
		fp_back(p, back);
	}
	fp_keys(p, in, keys, ignored);
	const char *status = fp_string(p, in, "status", true, 32);
	if (status && strcmp(status, "active") != 0) {
		size_t back = fp_key(p, "status");
		fp_fail(p, "not active");
		fp_back(p, back);
	}
	const json_t *scope = fp_object(p, in, "scope", true);
	if (scope) {
		size_t back = fp_key(p, "scope");
		if (!has_coding(p, scope, FX_HL7_CS("consentscope"), "patient-privacy") && !p->st)
			fp_fail(p, "not patient-privacy");
		fp_back(p, back);
	}
	fp_patient_ref(p, in, "patient", out->patient_id);
	read_provision(p, in, out);
}

jup_status jup_fhir_consent_parse(const char *body, size_t len, jup_fhir_consent_change *out,
				  jup_err *err)
{
	if (!out)
		return jup_err_set(err, JUP_ERR_USAGE, "consent: nowhere to put it");
	memset(out, 0, sizeof *out);
	out->purpose = JUP_CONSENT_EVERY_PURPOSE;
	json_t *in;
	jup_status r = jup_fhir_json_parse(body, len, &in, err);
	if (r)
		return r;
	fp p;
	fp_init(&p, "Consent", err);
	jup_fhir_consent_change got = { .purpose = JUP_CONSENT_EVERY_PURPOSE };
	read_consent(&p, in, &got);
	json_decref(in);
	r = fp_done(&p);
	if (!r)
		*out = got;
	return r;
}
