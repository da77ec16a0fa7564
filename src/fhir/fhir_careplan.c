/*
 * fhir_careplan.c - care plans and end-of-life plans as CarePlan: the
 * versioned plans written through joinedup ("cp-ID") and the end-of-life
 * plans of the GP palliative care register and hospital records ("eol-N"),
 * with the end-of-life preferences as one complex extension.
 */
#include "fhir/fhir_internal.h"

#include <stdio.h>
#include <string.h>

/* A preferred place: our code when it is one, else the text as given. */
static json_t *place(fx *x, const char *v)
{
	const fx_code *c = fx_code_find(fx_places, fx_nplaces, v);
	if (!c)
		return fx_cc(x, NULL, NULL, v);
	return fx_cc(x, fx_coding(x, FX_CS("place"), c->code, c->display), NULL, c->display);
}

static void ext_value(fx *x, json_t *parent, const char *url, const char *type, json_t *v)
{
	json_t *e = fx_obj(x);
	fx_sets(x, e, "url", url);
	fx_set(x, e, type, v);
	fx_add_ext(x, parent, e);
}

static void ext_string(fx *x, json_t *parent, const char *url, const char *s)
{
	if (s)
		ext_value(x, parent, url, "valueString", fx_str(x, s));
}

static void key_contacts(fx *x, const json_t *eol, json_t *ext, const char *base)
{
	const json_t *list = fx_get_arr(x, eol, "key_contacts");
	size_t i;
	const json_t *c;
	json_array_foreach(list, i, c)
	{
		fx_where(x, "%s.key_contacts[%zu]", base, i);
		json_t *e = fx_obj(x);
		fx_sets(x, e, "url", "keyContact");
		ext_string(x, e, "name", fx_get_str(x, c, "name", false));
		ext_string(x, e, "relationship", fx_get_str(x, c, "relationship", false));
		ext_string(x, e, "phone", fx_get_str(x, c, "phone", false));
		fx_add_ext(x, ext, e);
	}
}

static void medicines(fx *x, const json_t *eol, json_t *ext, const char *base)
{
	const json_t *list = fx_get_arr(x, eol, "medicines_in_home");
	size_t i;
	const json_t *m;
	json_array_foreach(list, i, m)
	{
		fx_where(x, "%s.medicines_in_home[%zu]", base, i);
		const char *code = fx_get_str(x, m, "code", false);
		const char *text = x->deid ? NULL : fx_get_str(x, m, "description", false);
		if (!code && !text)
			continue;
		json_t *coding = code ? fx_coding(x, JUP_FHIR_SNOMED, code, NULL) : NULL;
		ext_value(x, ext, "medicineInHome", "valueCodeableConcept",
			  fx_cc(x, coding, NULL, text));
	}
}

json_t *fx_eol_ext(fx *x, const json_t *eol)
{
	char base[sizeof x->where];
	memcpy(base, x->where, sizeof base);
	json_t *ext = fx_obj(x);
	fx_sets(x, ext, "url", JUP_FHIR_EXT_EOL);
	const char *care = fx_get_str(x, eol, "preferred_place_of_care", false);
	const char *death = fx_get_str(x, eol, "preferred_place_of_death", false);
	const char *resus = fx_get_str(x, eol, "resuscitation", false);
	/* a place written as free text is left out of the de-identified view */
	bool coded_care = fx_code_find(fx_places, fx_nplaces, care) != NULL;
	bool coded_death = fx_code_find(fx_places, fx_nplaces, death) != NULL;
	if (care && (coded_care || !x->deid))
		ext_value(x, ext, "preferredPlaceOfCare", "valueCodeableConcept", place(x, care));
	if (death && (coded_death || !x->deid))
		ext_value(x, ext, "preferredPlaceOfDeath", "valueCodeableConcept", place(x, death));
	if (resus)
		ext_value(x, ext, "resuscitation", "valueCodeableConcept",
			  fx_coded(x, FX_CS("resuscitation"), fx_resuscitation, fx_nresuscitation,
				   resus, "resuscitation"));
	if (!x->deid) /* names and telephone numbers of the person's contacts */
		key_contacts(x, eol, ext, base);
	medicines(x, eol, ext, base);
	fx_where(x, "%s", base);
	return ext;
}

static json_t *category(fx *x, const char *kind)
{
	json_t *cats = fx_arr(x);
	fx_push(x, cats,
		fx_coded(x, JUP_FHIR_CS_CARE_PLAN_KIND, fx_plan_kinds, fx_nplan_kinds, kind,
			 "kind"));
	return cats;
}

/* Our CarePlan statuses are FHIR's (a subset). */
static void status(fx *x, json_t *r, const char *s)
{
	static const char *const known[] = { "draft", "active", "completed", "revoked" };
	for (size_t i = 0; s && i < FX_N(known); i++)
		if (strcmp(s, known[i]) == 0) {
			fx_sets(x, r, "status", s);
			return;
		}
	fx_fail(x, JUP_ERR_INVALID, "record %s.status: unknown code", x->where);
}

json_t *fx_careplan_eol(fx *x, const json_t *item, const char *patient_id)
{
	json_int_t n = 0;
	(void)fx_get_int(x, item, "id", true, &n);
	char id[JUP_FHIR_ID_MAX + 1];
	fx_item_id("eol", n, id);
	json_t *r = fx_resource(x, "CarePlan", id);
	const json_t *src = fx_get_obj(x, item, "source");
	fx_add_ext(x, r, fx_source_ext(x, src, NULL));
	fx_add_ext(x, r, fx_eol_ext(x, item));
	fx_sets(x, r, "status", "active");
	fx_sets(x, r, "intent", "plan");
	fx_set(x, r, "category", category(x, "end_of_life"));
	fx_set(x, r, "subject", fx_ref(x, "Patient", patient_id, NULL));
	const char *added = fx_get_str(x, item, "added_on", false);
	json_t *period = fx_period(x, added, NULL);
	if (period)
		fx_set(x, r, "period", period);
	fx_sets(x, r, "created", added);
	const char *org = src ? fx_get_str(x, src, "organisation", false) : NULL;
	if (org)
		fx_set(x, r, "author", fx_org_ref(x, org, NULL));
	return r;
}

/* meta.versionId and meta.lastUpdated (beside a security label, if any). */
static void version_meta(fx *x, const json_t *plan, json_t *r)
{
	json_int_t version;
	const char *at = fx_get_str(x, plan, "recorded_at", false);
	bool has_version = fx_get_int(x, plan, "version", false, &version);
	if (!has_version && !at)
		return;
	json_t *meta = r ? json_object_get(r, "meta") : NULL;
	if (!meta) {
		meta = fx_obj(x);
		fx_set(x, r, "meta", meta);
		if (x->st)
			return;
	}
	if (has_version) {
		char v[24];
		snprintf(v, sizeof v, "%lld", (long long)version);
		fx_sets(x, meta, "versionId", v);
	}
	fx_sets(x, meta, "lastUpdated", at);
}

/* The author: the user (by user name, with their role) and their
 * organisation as a contributor. */
static void author(fx *x, const json_t *plan, json_t *r)
{
	const json_t *a = fx_get_obj(x, plan, "author");
	if (!a)
		return;
	const char *user = fx_get_str(x, a, "username", false);
	const char *role = fx_get_str(x, a, "role", false);
	const char *org = fx_get_str(x, a, "organisation", false);
	if (user) {
		json_t *ref = fx_obj(x);
		fx_sets(x, ref, "type", "Practitioner");
		json_t *ident = fx_obj(x);
		fx_sets(x, ident, "system", FX_ID("user"));
		fx_sets(x, ident, "value", user);
		fx_set(x, ref, "identifier", ident);
		fx_sets(x, ref, "display", user);
		if (role)
			ext_value(x, ref, FX_EXT("author-role"), "valueCoding",
				  fx_coding(x, FX_CS("role"), role, NULL));
		fx_set(x, r, "author", ref);
	}
	if (org) {
		json_t *list = fx_arr(x);
		fx_push(x, list, fx_org_ref(x, org, NULL));
		fx_set(x, r, "contributor", list);
	}
}

json_t *fx_careplan(fx *x, const json_t *plan, const char *patient_id)
{
	const char *pid = fx_get_str(x, plan, "id", true);
	char id[JUP_FHIR_ID_MAX + 8];
	snprintf(id, sizeof id, "cp-%s", pid ? pid : "");
	if (pid && !jup_fhir_id_ok(id))
		fx_fail(x, JUP_ERR_INVALID, "record %s.id: not a plan id", x->where);
	json_t *r = fx_resource(x, "CarePlan", id);
	version_meta(x, plan, r);
	const json_t *src = fx_get_obj(x, plan, "source");
	if (src)
		fx_add_ext(x, r, fx_source_ext(x, src, NULL));
	const json_t *eol = fx_get_obj(x, plan, "end_of_life");
	if (eol) {
		char base[sizeof x->where];
		memcpy(base, x->where, sizeof base);
		fx_where(x, "%s.end_of_life", base);
		fx_add_ext(x, r, fx_eol_ext(x, eol));
		fx_where(x, "%s", base);
	}
	status(x, r, fx_get_str(x, plan, "status", true));
	fx_sets(x, r, "intent", "plan");
	fx_set(x, r, "category", category(x, fx_get_str(x, plan, "kind", true)));
	if (!x->deid) {
		fx_sets(x, r, "title", fx_get_str(x, plan, "title", false));
		fx_sets(x, r, "description", fx_get_str(x, plan, "description", false));
	}
	fx_set(x, r, "subject", fx_ref(x, "Patient", patient_id, NULL));
	json_t *period = fx_period(x, fx_get_str(x, plan, "period_start", false),
				   fx_get_str(x, plan, "period_end", false));
	if (period)
		fx_set(x, r, "period", period);
	author(x, plan, r);
	return r;
}

jup_status jup_fhir_careplan(const json_t *plan, const char *patient_id, bool deidentified,
			     json_t **out, jup_err *err)
{
	if (out)
		*out = NULL;
	if (!plan || !out || !json_is_object(plan))
		return jup_err_set(err, JUP_ERR_USAGE, "care plan: missing plan");
	jup_status r = fx_check_patient_id(patient_id, err);
	if (r)
		return r;
	fx x;
	fx_init(&x, err);
	x.deid = deidentified;
	fx_where(&x, "care_plan");
	json_t *cp = fx_careplan(&x, plan, patient_id);
	r = fx_done(&x);
	if (r) {
		json_decref(cp);
		return r;
	}
	*out = cp;
	return JUP_OK;
}
