/*
 * fhir_patient.c - the Patient of a joined-up record (UK Core conventions):
 * NHS number with its verification status, names, gender, birth date,
 * addresses, death, the GP practice, and the records it was assembled from.
 */
#include "fhir/fhir_internal.h"

#include <stdio.h>
#include <string.h>

#define EXT_NHS_VERIFICATION                                                                       \
	"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
#define CS_NHS_VERIFICATION                                                                        \
	"https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"

/* The name of organisation code in the record's sources (NULL: none). */
static const char *org_name(fx *x, const json_t *record, const char *code)
{
	const json_t *sources = json_object_get(record, "sources");
	size_t i;
	const json_t *s;
	json_array_foreach(sources, i, s)
	{
		const char *c = json_string_value(json_object_get(s, "organisation"));
		if (c && strcmp(c, code) == 0)
			return fx_get_str(x, s, "organisation_name", false);
	}
	return NULL;
}

/* The NHS number, as UK Core has it: its verification status says joinedup
 * checked the check digit only and did not trace it (code 02). */
static json_t *nhs_identifier(fx *x, const char *nhs)
{
	json_t *id = fx_obj(x);
	json_t *status = fx_obj(x);
	fx_sets(x, status, "url", EXT_NHS_VERIFICATION);
	fx_set(x, status, "valueCodeableConcept",
	       fx_cc(x, fx_coding(x, CS_NHS_VERIFICATION, "02", "Number present but not traced"),
		     NULL, NULL));
	fx_add_ext(x, id, status);
	fx_sets(x, id, "system", JUP_FHIR_NHS_NUMBER);
	fx_sets(x, id, "value", nhs);
	return id;
}

/* Each source record's own id, in the system of its organisation. */
static void local_identifiers(fx *x, const json_t *sources, json_t *ids)
{
	size_t i;
	const json_t *s;
	json_array_foreach(sources, i, s)
	{
		fx_where(x, "sources[%zu]", i);
		const char *org = fx_get_str(x, s, "organisation", true);
		const char *local = fx_get_str(x, s, "local_id", false);
		if (!org || !local)
			continue;
		char system[160];
		snprintf(system, sizeof system, "%s/%s", FX_ID("local-record"), org);
		json_t *id = fx_obj(x);
		fx_sets(x, id, "use", "secondary");
		fx_sets(x, id, "system", system);
		fx_sets(x, id, "value", local);
		fx_set(x, id, "assigner",
		       fx_org_ref(x, org, fx_get_str(x, s, "organisation_name", false)));
		fx_push(x, ids, id);
	}
}

static void identifiers(fx *x, const json_t *record, const json_t *person, json_t *p)
{
	json_t *ids = fx_arr(x);
	fx_where(x, "person");
	const char *nhs = fx_get_str(x, person, "nhs_number", false);
	if (nhs)
		fx_push(x, ids, nhs_identifier(x, nhs));
	local_identifiers(x, fx_get_arr(x, record, "sources"), ids);
	if (json_array_size(ids))
		fx_set(x, p, "identifier", ids);
	else
		json_decref(ids);
}

static void names(fx *x, const json_t *person, json_t *p)
{
	fx_where(x, "person");
	const json_t *list = fx_get_arr(x, person, "names");
	if (!json_array_size(list))
		return;
	json_t *out = fx_arr(x);
	size_t i;
	const json_t *n;
	json_array_foreach(list, i, n)
	{
		fx_where(x, "person.names[%zu]", i);
		const char *given = fx_get_str(x, n, "given", false);
		const char *family = fx_get_str(x, n, "family", false);
		json_t *name = fx_obj(x);
		fx_sets(x, name, "family", family);
		if (given) {
			json_t *g = fx_arr(x);
			fx_push(x, g, fx_str(x, given));
			fx_set(x, name, "given", g);
		}
		fx_push(x, out, name);
	}
	fx_set(x, p, "name", out);
}

/* Address lines and postcodes are kept apart by the record (distinct values
 * over every source): paired only when there is exactly one of each, for
 * then every record that has them agrees. */
static void addresses(fx *x, const json_t *person, json_t *p)
{
	fx_where(x, "person");
	const json_t *lines = fx_get_arr(x, person, "addresses");
	const json_t *postcodes = fx_get_arr(x, person, "postcodes");
	size_t nl = json_array_size(lines), np = json_array_size(postcodes);
	if (!nl && !np)
		return;
	json_t *out = fx_arr(x);
	bool pair = nl == 1 && np == 1;
	for (size_t i = 0; i < nl; i++) {
		json_t *a = fx_obj(x);
		json_t *l = fx_arr(x);
		fx_push(x, l, json_deep_copy(json_array_get(lines, i)));
		fx_set(x, a, "line", l);
		if (pair)
			fx_set(x, a, "postalCode", json_deep_copy(json_array_get(postcodes, 0)));
		fx_push(x, out, a);
	}
	for (size_t i = 0; !pair && i < np; i++) {
		json_t *a = fx_obj(x);
		fx_set(x, a, "postalCode", json_deep_copy(json_array_get(postcodes, i)));
		fx_push(x, out, a);
	}
	fx_set(x, p, "address", out);
}

static void gender(fx *x, const json_t *person, json_t *p)
{
	static const struct {
		const char *sex, *gender;
	} map[] = { { "M", "male" }, { "F", "female" }, { "U", "unknown" } };
	fx_where(x, "person");
	const char *sex = fx_get_str(x, person, "sex", false);
	if (!sex)
		return;
	for (size_t i = 0; i < FX_N(map); i++)
		if (strcmp(sex, map[i].sex) == 0) {
			fx_sets(x, p, "gender", map[i].gender);
			return;
		}
	fx_fail(x, JUP_ERR_INVALID, "record person.sex: unknown code");
}

/* Birth and death: dates in the identifiable views, years when de-identified. */
static void dates(fx *x, const json_t *person, json_t *p)
{
	fx_where(x, "person");
	json_int_t year;
	char y[8];
	if (x->deid) {
		if (fx_get_int(x, person, "year_of_birth", false, &year)) {
			snprintf(y, sizeof y, "%04d", (int)(year % 10000));
			fx_sets(x, p, "birthDate", y);
		}
	} else {
		fx_sets(x, p, "birthDate", fx_get_str(x, person, "date_of_birth", false));
	}
	const json_t *death = fx_get_obj(x, person, "death");
	if (!death)
		return;
	fx_where(x, "person.death");
	if (x->deid) {
		if (fx_get_int(x, death, "year", false, &year)) {
			snprintf(y, sizeof y, "%04d", (int)(year % 10000));
			fx_sets(x, p, "deceasedDateTime", y);
		} else {
			fx_set(x, p, "deceasedBoolean", json_true());
		}
		return;
	}
	const char *date = fx_get_str(x, death, "date", false);
	if (date)
		fx_sets(x, p, "deceasedDateTime", date);
	else
		fx_set(x, p, "deceasedBoolean", json_true());
}

/* The practice of the latest GP registration. */
static void practice(fx *x, const json_t *record, json_t *p)
{
	fx_where(x, "gp");
	const json_t *regs = fx_get_arr(x, fx_get_obj(x, record, "gp"), "registrations");
	long at = fx_latest(x, regs, "registered_on", "gp.registrations");
	if (at < 0)
		return;
	const json_t *reg = json_array_get(regs, (size_t)at);
	fx_where(x, "gp.registrations[%ld]", at);
	const char *code = fx_get_str(x, reg, "practice", true);
	if (!code)
		return;
	json_t *gps = fx_arr(x);
	fx_push(x, gps, fx_org_ref(x, code, org_name(x, record, code)));
	fx_set(x, p, "generalPractitioner", gps);
}

/* One source extension per record the identity was assembled from. */
static void provenance(fx *x, const json_t *record, json_t *p)
{
	const json_t *sources = fx_get_arr(x, record, "sources");
	size_t i;
	const json_t *s;
	json_array_foreach(sources, i, s)
	{
		fx_where(x, "sources[%zu]", i);
		fx_add_ext(x, p, fx_source_ext(x, s, fx_get_str(x, s, "linked_by", false)));
	}
}

json_t *fx_patient(fx *x, const json_t *record, const char *patient_id)
{
	fx_where(x, "%s", "");
	const json_t *person = fx_get_obj(x, record, "person");
	json_t *p = fx_resource(x, "Patient", patient_id);
	provenance(x, record, p);
	if (!x->deid) {
		identifiers(x, record, person, p);
		names(x, person, p);
	}
	gender(x, person, p);
	dates(x, person, p);
	if (!x->deid)
		addresses(x, person, p);
	practice(x, record, p);
	return p;
}

jup_status fx_view(const json_t *record, bool *deid, jup_err *err)
{
	const char *view = json_string_value(json_object_get(record, "view"));
	if (!view)
		return jup_err_set(err, JUP_ERR_INVALID, "record view: missing");
	*deid = strcmp(view, "deidentified") == 0;
	if (!*deid && strcmp(view, "full") != 0 && strcmp(view, "end_of_life") != 0)
		return jup_err_set(err, JUP_ERR_INVALID, "record view: unknown view");
	return JUP_OK;
}

jup_status jup_fhir_patient(const json_t *record, const char *patient_id, json_t **out,
			    jup_err *err)
{
	if (out)
		*out = NULL;
	if (!record || !out || !json_is_object(record))
		return jup_err_set(err, JUP_ERR_USAGE, "patient: missing record");
	jup_status r = fx_check_patient_id(patient_id, err);
	fx x;
	fx_init(&x, err);
	if (!r)
		r = fx_view(record, &x.deid, err);
	if (r)
		return r;
	json_t *p = fx_patient(&x, record, patient_id);
	r = fx_done(&x);
	if (r) {
		json_decref(p);
		return r;
	}
	*out = p;
	return JUP_OK;
}
