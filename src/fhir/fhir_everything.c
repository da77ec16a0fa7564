/*
 * fhir_everything.c - the joined-up record as one searchset Bundle
 * (Patient/$everything): the Patient, the Organizations the record names,
 * every item as its resource (fhir_items.c), and what was withheld as an
 * OperationOutcome.
 */
#include "fhir/fhir_internal.h"

#include <stdio.h>
#include <string.h>

/* clang-format off */
static const fx_code org_kinds[] = {
	{ "gp_practice", "GP practice", FX_HL7_CS("organization-type"), "prov",
	  "Healthcare Provider" },
	{ "hospital_trust", "Hospital trust", FX_HL7_CS("organization-type"), "prov",
	  "Healthcare Provider" },
	{ "hospice", "Hospice", FX_HL7_CS("organization-type"), "prov", "Healthcare Provider" },
	{ "council", "Council", FX_HL7_CS("organization-type"), "govt", "Government" },
};
/* clang-format on */

/* ---- organisations ---------------------------------------------------------------------- */

static json_t *find_org(const fx_ev *e, const char *id)
{
	size_t i;
	json_t *o;
	json_array_foreach(e->orgs, i, o)
	{
		const char *oid = json_string_value(json_object_get(o, "id"));
		if (oid && strcmp(oid, id) == 0)
			return o;
	}
	return NULL;
}

/* What a mention tells about an organisation, onto its resource (what it
 * already has stays). */
static void org_fill(fx *x, json_t *o, const char *name, const char *kind,
		     const json_t *participating)
{
	if (json_is_boolean(participating) && !json_object_get(o, "extension")) {
		json_t *ext = fx_obj(x);
		fx_sets(x, ext, "url", FX_EXT("participating"));
		fx_set(x, ext, "valueBoolean", json_boolean(json_is_true(participating)));
		fx_add_ext(x, o, ext);
	}
	if (kind && !json_object_get(o, "type")) {
		json_t *types = fx_arr(x);
		fx_push(x, types,
			fx_coded(x, FX_CS("organisation-kind"), org_kinds, FX_N(org_kinds), kind,
				 "organisation_kind"));
		fx_set(x, o, "type", types);
	}
	if (name && !json_object_get(o, "name"))
		fx_sets(x, o, "name", name);
}

void fx_ev_org(fx_ev *e, const char *code, const char *name, const char *kind,
	       const json_t *participating)
{
	fx *x = e->x;
	char id[JUP_FHIR_ID_MAX + 1];
	fx_org_id(code, id);
	if (!jup_fhir_id_ok(id)) {
		fx_fail(x, JUP_ERR_INVALID, "record %s: not an organisation code", x->where);
		return;
	}
	json_t *o = find_org(e, id);
	if (!o) {
		o = fx_resource(x, "Organization", id);
		json_t *ident = fx_obj(x);
		fx_sets(x, ident, "system", JUP_FHIR_ODS_CODE);
		fx_sets(x, ident, "value", code);
		json_t *ids = fx_arr(x);
		fx_push(x, ids, ident);
		fx_set(x, o, "identifier", ids);
		fx_push(x, e->orgs, o);
		if (x->st)
			return;
	}
	org_fill(x, o, name, kind, participating);
}

/* Every organisation holding a record shown, as the sources describe it. */
static void source_orgs(fx_ev *e)
{
	fx *x = e->x;
	fx_where(x, "%s", "");
	const json_t *sources = fx_get_arr(x, e->record, "sources");
	size_t i;
	const json_t *s;
	json_array_foreach(sources, i, s)
	{
		fx_where(x, "sources[%zu]", i);
		const char *code = fx_get_str(x, s, "organisation", true);
		if (code)
			fx_ev_org(e, code, fx_get_str(x, s, "organisation_name", false),
				  fx_get_str(x, s, "organisation_kind", false),
				  json_object_get(s, "participating"));
	}
}

/* ---- what was withheld ------------------------------------------------------------------ */

static json_t *withheld(fx *x, const json_t *record)
{
	fx_where(x, "%s", "");
	const json_t *list = fx_get_arr(x, record, "withheld");
	if (!json_array_size(list))
		return NULL;
	json_t *oo = fx_resource(x, "OperationOutcome", NULL);
	json_t *issues = fx_arr(x);
	size_t i;
	const json_t *w;
	json_array_foreach(list, i, w)
	{
		fx_where(x, "withheld[%zu]", i);
		const char *section = fx_get_str(x, w, "section", true);
		const char *reason = fx_get_str(x, w, "reason", true);
		json_t *issue = fx_obj(x);
		fx_sets(x, issue, "severity", "information");
		fx_sets(x, issue, "code", "suppressed");
		fx_set(x, issue, "details",
		       fx_cc(x, fx_coding(x, FX_CS("record-section"), section, NULL), NULL,
			     reason));
		fx_push(x, issues, issue);
	}
	fx_set(x, oo, "issue", issues);
	return oo;
}

/* ---- the Bundle ------------------------------------------------------------------------- */

/* Each resource of list as an entry of mode onto entries (list is released). */
static jup_status add_entries(const char *base, json_t *list, const char *mode, json_t *entries,
			      jup_err *err)
{
	jup_status r = JUP_OK;
	size_t i;
	json_t *res;
	json_array_foreach(list, i, res)
	{
		json_t *e;
		r = jup_fhir_entry(base, json_incref(res), mode, &e, err);
		if (!r && json_array_append_new(entries, e))
			r = jup_err_set(err, JUP_ERR_NOMEM, "out of memory building a Bundle");
		if (r)
			break;
	}
	json_decref(list);
	return r;
}

static jup_status self_link(const char *base, const char *pid, json_t **links, jup_err *err)
{
	char path[JUP_FHIR_ID_MAX + 32];
	snprintf(path, sizeof path, "Patient/%s/$everything", pid);
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	json_t *url = json_sprintf("%.*s/%s", (int)n, base, path);
	json_t *l = url ? json_pack("[{s:s,s:o}]", "relation", "self", "url", url) : NULL;
	*links = l;
	return l ? JUP_OK : jup_err_set(err, JUP_ERR_NOMEM, "out of memory building a Bundle");
}

/* The entries in order: Patient, Organizations, items, then the outcome.
 * Takes every resource given. */
static jup_status assemble(const char *base, json_t *patient, fx_ev *e, json_t *outcome,
			   json_t *entries, jup_err *err)
{
	json_t *one = json_array();
	if (!one || json_array_append_new(one, patient)) {
		json_decref(one);
		json_decref(e->orgs);
		json_decref(e->items);
		json_decref(outcome);
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory building a Bundle");
	}
	jup_status r = add_entries(base, one, "match", entries, err);
	if (!r)
		r = add_entries(base, json_incref(e->orgs), "include", entries, err);
	if (!r)
		r = add_entries(base, json_incref(e->items), "match", entries, err);
	json_decref(e->orgs);
	json_decref(e->items);
	json_t *oe = NULL;
	if (outcome && !r)
		r = jup_fhir_entry(base, outcome, "outcome", &oe, err);
	else
		json_decref(outcome);
	if (oe && json_array_append_new(entries, oe))
		r = jup_err_set(err, JUP_ERR_NOMEM, "out of memory building a Bundle");
	return r;
}

static jup_status check_args(const json_t *record, const char *pid, const char *base, json_t **out,
			     jup_err *err)
{
	if (out)
		*out = NULL;
	if (!record || !json_is_object(record) || !base || !base[0] || !out)
		return jup_err_set(err, JUP_ERR_USAGE, "everything: missing record or base URL");
	return fx_check_patient_id(pid, err);
}

jup_status jup_fhir_everything(const json_t *record, const char *patient_id, const char *base_url,
			       json_t **out, jup_err *err)
{
	jup_status r = check_args(record, patient_id, base_url, out, err);
	fx x;
	fx_init(&x, err);
	if (!r)
		r = fx_view(record, &x.deid, err);
	if (r)
		return r;
	fx_ev e = { &x, record, patient_id, fx_arr(&x), fx_arr(&x) };
	json_t *patient = fx_patient(&x, record, patient_id);
	source_orgs(&e);
	fx_ev_sections(&e);
	json_t *outcome = withheld(&x, record);
	size_t matches = 1 + json_array_size(e.items);
	r = fx_done(&x);
	json_t *entries = json_array(), *links = NULL;
	if (!r && !entries)
		r = jup_err_set(err, JUP_ERR_NOMEM, "out of memory building a Bundle");
	if (r) {
		json_decref(patient);
		json_decref(e.orgs);
		json_decref(e.items);
		json_decref(outcome);
		json_decref(entries);
		return r;
	}
	r = assemble(base_url, patient, &e, outcome, entries, err);
	if (!r)
		r = self_link(base_url, patient_id, &links, err);
	if (r) {
		json_decref(entries);
		return r;
	}
	r = jup_fhir_bundle_searchset(entries, (int64_t)matches, links, out, err);
	if (!r && x.deid) {
		json_t *meta = json_pack("{s:[{s:s,s:s,s:s}]}", "security", "system",
					 FX_HL7_CS("v3-ObservationValue"), "code", "PSEUDED",
					 "display", "pseudonymized");
		if (!meta || json_object_set_new(*out, "meta", meta)) {
			json_decref(*out);
			*out = NULL;
			r = jup_err_set(err, JUP_ERR_NOMEM, "out of memory building a Bundle");
		}
	}
	return r;
}
