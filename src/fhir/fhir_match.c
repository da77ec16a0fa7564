/*
 * fhir_match.c - the Parameters of Patient/$match read strictly: the
 * Patient to match (NHS number, name, gender, birth date, address), how
 * many candidates at most, and whether only certain matches are wanted.
 */
#include "fhir/jup_fhir.h"

#include "core/jup_limits.h"

#include <string.h>

/* A string member of o at key as a view; false when present but not a
 * string. Absent: an empty view. */
static bool str_at(const json_t *o, const char *key, jup_sv *out)
{
	json_t *v = json_object_get(o, key);
	*out = (jup_sv){ "", 0 };
	if (!v)
		return true;
	if (!json_is_string(v))
		return false;
	*out = (jup_sv){ json_string_value(v), json_string_length(v) };
	return true;
}

static jup_status bad(jup_err *err, const char *path, const char *why)
{
	return jup_err_set(err, JUP_ERR_INVALID, "%s: %s", path, why);
}

/* Only these keys in o; the first other is named. */
static jup_status only_keys(const json_t *o, const char *path, const char *const *keys,
			    jup_err *err)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v) {
		bool ok = false;
		for (const char *const *a = keys; *a && !ok; a++)
			ok = strcmp(k, *a) == 0;
		if (!ok)
			return jup_err_set(err, JUP_ERR_INVALID, "%s.%.64s: not supported here", path,
					   k);
	}
	return JUP_OK;
}

/* The NHS number among the Patient's identifiers, if any. */
static jup_status read_identifier(const json_t *p, jup_link_match_query *q, jup_err *err)
{
	json_t *ids = json_object_get(p, "identifier"), *id;
	size_t i;
	if (!ids)
		return JUP_OK;
	if (!json_is_array(ids))
		return bad(err, "Patient.identifier", "not an array");
	json_array_foreach(ids, i, id) {
		jup_sv sys, val;
		if (!json_is_object(id) || !str_at(id, "system", &sys) || !str_at(id, "value", &val))
			return bad(err, "Patient.identifier", "not an Identifier");
		if (jup_sv_eq_cstr(sys, JUP_FHIR_NHS_NUMBER))
			q->nhs_number = val;
	}
	return JUP_OK;
}

/* The first name: family and the first given name. */
static jup_status read_name(const json_t *p, jup_link_match_query *q, jup_err *err)
{
	json_t *names = json_object_get(p, "name"), *n, *given;
	if (!names)
		return JUP_OK;
	if (!json_is_array(names) || !json_array_size(names) ||
	    !json_is_object(n = json_array_get(names, 0)))
		return bad(err, "Patient.name", "not an array of HumanName");
	if (!str_at(n, "family", &q->family))
		return bad(err, "Patient.name[0].family", "not a string");
	given = json_object_get(n, "given");
	if (given && (!json_is_array(given) ||
		      (json_array_size(given) && !json_is_string(json_array_get(given, 0)))))
		return bad(err, "Patient.name[0].given", "not an array of strings");
	if (given && json_array_size(given))
		q->given = (jup_sv){ json_string_value(json_array_get(given, 0)),
				     json_string_length(json_array_get(given, 0)) };
	return JUP_OK;
}

/* The first address: postcode and its first line. */
static jup_status read_address(const json_t *p, jup_link_match_query *q, jup_err *err)
{
	json_t *as = json_object_get(p, "address"), *a, *lines;
	if (!as)
		return JUP_OK;
	if (!json_is_array(as) || !json_array_size(as) || !json_is_object(a = json_array_get(as, 0)))
		return bad(err, "Patient.address", "not an array of Address");
	if (!str_at(a, "postalCode", &q->postcode))
		return bad(err, "Patient.address[0].postalCode", "not a string");
	lines = json_object_get(a, "line");
	if (lines && (!json_is_array(lines) ||
		      (json_array_size(lines) && !json_is_string(json_array_get(lines, 0)))))
		return bad(err, "Patient.address[0].line", "not an array of strings");
	if (lines && json_array_size(lines))
		q->address = (jup_sv){ json_string_value(json_array_get(lines, 0)),
				       json_string_length(json_array_get(lines, 0)) };
	return JUP_OK;
}

static jup_status read_patient(const json_t *p, jup_link_match_query *q, jup_err *err)
{
	static const char *const keys[] = { "resourceType", "id", "meta", "identifier", "name",
					    "gender", "birthDate", "address", NULL };
	jup_sv type;
	jup_status st;
	if (!json_is_object(p) || !str_at(p, "resourceType", &type) ||
	    !jup_sv_eq_cstr(type, "Patient"))
		return bad(err, "Parameters.parameter.resource", "expected a Patient");
	if ((st = only_keys(p, "Patient", keys, err)) || (st = read_identifier(p, q, err)) ||
	    (st = read_name(p, q, err)) || (st = read_address(p, q, err)))
		return st;
	if (!str_at(p, "gender", &q->sex))
		return bad(err, "Patient.gender", "not a string");
	if (!str_at(p, "birthDate", &q->birth_date))
		return bad(err, "Patient.birthDate", "not a string");
	return JUP_OK;
}

/* One parameter: resource, count or onlyCertainMatches. */
static jup_status read_parameter(const json_t *prm, jup_link_match_query *q, size_t *count,
				 bool *certain, bool *have, jup_err *err)
{
	static const char *const keys[] = { "name", "resource", "valueInteger", "valueBoolean",
					    NULL };
	jup_sv name;
	jup_status st;
	if (!json_is_object(prm) || !str_at(prm, "name", &name))
		return bad(err, "Parameters.parameter", "each needs a name");
	if ((st = only_keys(prm, "Parameters.parameter", keys, err)))
		return st;
	if (jup_sv_eq_cstr(name, "resource")) {
		if (*have)
			return bad(err, "Parameters.parameter", "one resource only");
		*have = true;
		return read_patient(json_object_get(prm, "resource"), q, err);
	}
	if (jup_sv_eq_cstr(name, "count")) {
		json_t *v = json_object_get(prm, "valueInteger");
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > JUP_HTTP_MAX_CANDIDATES)
			return bad(err, "Parameters.parameter(count)",
				   "a whole number from 1 to " JUP_STR(JUP_HTTP_MAX_CANDIDATES));
		*count = (size_t)json_integer_value(v);
		return JUP_OK;
	}
	if (jup_sv_eq_cstr(name, "onlyCertainMatches")) {
		json_t *v = json_object_get(prm, "valueBoolean");
		if (!json_is_boolean(v))
			return bad(err, "Parameters.parameter(onlyCertainMatches)", "true or false");
		*certain = json_is_true(v);
		return JUP_OK;
	}
	return bad(err, "Parameters.parameter.name", "expected resource, count or onlyCertainMatches");
}

jup_status jup_fhir_match_parse(const json_t *body, jup_link_match_query *q, size_t *count,
				bool *only_certain, jup_err *err)
{
	jup_sv type;
	json_t *params = json_object_get(body, "parameter"), *prm;
	bool have = false;
	size_t i;
	memset(q, 0, sizeof *q);
	*count = JUP_FHIR_MATCH_DEFAULT_COUNT;
	*only_certain = false;
	if (!json_is_object(body) || !str_at(body, "resourceType", &type) ||
	    !jup_sv_eq_cstr(type, "Parameters"))
		return bad(err, "resourceType", "expected Parameters");
	if (!json_is_array(params))
		return bad(err, "Parameters.parameter", "missing");
	json_array_foreach(params, i, prm) {
		jup_status st = read_parameter(prm, q, count, only_certain, &have, err);
		if (st)
			return st;
	}
	if (!have)
		return bad(err, "Parameters.parameter(resource)", "missing: the Patient to match");
	return JUP_OK;
}
