/*
 * test_fhir.c - the FHIR mapping: JSON bodies (limits, duplicates, trailing
 * data), OperationOutcome, the Patient and $everything Bundle of a
 * joined-up record in each view (every section's items as their resources,
 * ids, provenance, organisations, what was withheld), CarePlan both ways
 * (and its parser's refusals, each naming the JSON path), Consent both
 * ways, AuditEvent, paging links, searchset Bundles, the
 * CapabilityStatement, and UK local time.
 *
 * Records are hand-made JSON in the shape jup_care_record gives
 * (docs/FORMATS.md); invented people, NHS numbers from the 999 range. To
 * keep the JSON readable, it is written with single quotes (J() turns them
 * into double quotes; no text here has an apostrophe).
 */
#include "jup_test.h"

#include "fhir/jup_fhir.h"
#include "ingest/jup_ingest_valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANON  JUP_FHIR_CANONICAL
#define SOURCE JUP_FHIR_EXT_SOURCE
#define BASE   "https://fhir.example.test/fhir"
#define NHS    "9990000018"

/* ---- helpers ------------------------------------------------------------------------- */

/* JSON text with ' for " (any JSON value). */
static json_t *J(const char *text)
{
	char *t = strdup(text);
	assert_non_null(t);
	for (char *c = t; *c; c++)
		if (*c == '\'')
			*c = '"';
	json_error_t je;
	json_t *v = json_loads(t, JSON_DECODE_ANY, &je);
	if (!v)
		fail_msg("bad test JSON: %s at %d:%d in %s", je.text, je.line, je.column, t);
	free(t);
	return v;
}

/* A new string of JSON text with ' for " (for the parsers). */
static char *Jtext(const char *text)
{
	char *t = strdup(text);
	assert_non_null(t);
	for (char *c = t; *c; c++)
		if (*c == '\'')
			*c = '"';
	return t;
}

/* The value at a dotted path ("code.coding.0.system"; numbers index arrays). */
static json_t *at(json_t *v, const char *path)
{
	const char *p = path;
	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char tok[128];
		assert_true(n < sizeof tok);
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (json_is_array(v)) {
			char *end;
			long i = strtol(tok, &end, 10);
			v = *end ? NULL : json_array_get(v, (size_t)i);
		} else {
			v = json_object_get(v, tok);
		}
		p += n + (dot ? 1 : 0);
	}
	return v;
}

static void assert_json(json_t *got, const char *expected, const char *where)
{
	json_t *want = J(expected);
	if (!json_equal(got, want)) {
		char *g = got ? json_dumps(got, JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
		char *w = json_dumps(want, JSON_SORT_KEYS | JSON_ENCODE_ANY);
		fail_msg("%s:\n got  %s\n want %s", where, g ? g : "(nothing)", w);
	}
	json_decref(want);
}

/* The extension of r (or of an element) with url. */
static json_t *ext(json_t *r, const char *url)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r, "extension"), i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "url")), url) == 0)
			return e;
	}
	return NULL;
}

/* The resource with id in a Bundle (and its entry's index). */
static json_t *resource(json_t *bundle, const char *id, size_t *index)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(bundle, "entry"), i, e)
	{
		const char *rid = json_string_value(at(e, "resource.id"));
		if (rid && strcmp(rid, id) == 0) {
			if (index)
				*index = i;
			return json_object_get(e, "resource");
		}
	}
	return NULL;
}

static void expect_err(jup_status got, jup_status want, const jup_err *err, const char *msg)
{
	if (got != want)
		fail_msg("status %s, wanted %s (%s)", jup_strerror(got), jup_strerror(want),
			 err->msg);
	if (msg && !strstr(err->msg, msg))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, msg);
}

/* ---- the record ----------------------------------------------------------------------- */

#define SRC(org, rec, file, line)                                                                  \
	"{'organisation': '" org "', 'record': " #rec ", 'file': '" file "', 'line': " #line "}"

/* clang-format off */
static const char full_record[] =
	"{'view': 'full', 'purpose': 'direct_care', 'basis': 'registered', 'audit_entry': 42,"
	" 'person_ids': [1],"
	" 'person': {'nhs_number': '" NHS "',"
	"  'names': [{'given': 'Ottoline', 'family': 'Quarrendon'},"
	"            {'given': 'Ottie', 'family': 'Quarrendon'}],"
	"  'date_of_birth': '1948-03-14', 'sex': 'F', 'postcodes': ['LS6 2AB'],"
	"  'addresses': ['12 Larch Row'],"
	"  'death': {'date': '2026-10-30', 'place': 'hospice',"
	"            'source': {'file': 'deaths.csv', 'line': 2}}},"
	" 'sources': ["
	"  {'record': 1, 'person_id': 1, 'organisation': 'Y90001',"
	"   'organisation_name': 'Larchfield Surgery', 'organisation_kind': 'gp_practice',"
	"   'participating': true, 'local_id': 'G001', 'linked_by': 'nhs_number',"
	"   'file': 'gp_patients.csv', 'line': 2},"
	"  {'record': 3, 'person_id': 1, 'organisation': 'R9A',"
	"   'organisation_name': 'Synthetic Teaching Hospitals',"
	"   'organisation_kind': 'hospital_trust', 'participating': true, 'local_id': 'H001',"
	"   'linked_by': 'nhs_number', 'file': 'hospital_patients.csv', 'line': 2},"
	"  {'record': 5, 'person_id': 1, 'organisation': 'E08000035',"
	"   'organisation_name': 'Synthetic City Council', 'organisation_kind': 'council',"
	"   'participating': true, 'local_id': 'SC001', 'linked_by': 'probabilistic',"
	"   'file': 'social_care_clients.csv', 'line': 2}],"
	" 'gp': {"
	"  'registrations': ["
	"   {'id': 2, 'practice': 'Y90001', 'registered_on': '1995-01-01',"
	"    'source': " SRC("Y90001", 1, "gp_patients_1995.csv", 7) "},"
	"   {'id': 4, 'practice': 'Y90001', 'registered_on': '2001-05-01',"
	"    'source': " SRC("Y90001", 1, "gp_patients.csv", 2) "}],"
	"  'conditions': ["
	"   {'id': 11, 'code_system': 'snomed', 'code': '38341003', 'description': 'Hypertension',"
	"    'onset_on': '2005-04-01', 'source': " SRC("Y90001", 1, "gp_conditions.csv", 2) "}],"
	"  'medications': ["
	"   {'id': 21, 'code_system': 'snomed', 'code': '387458008', 'description': 'Aspirin',"
	"    'started_on': '2012-10-15', 'ended_on': null,"
	"    'source': " SRC("Y90001", 1, "gp_medications.csv", 2) "},"
	"   {'id': 22, 'code_system': 'snomed', 'code': '387458008', 'description': 'Aspirin',"
	"    'started_on': '2001-01-01', 'ended_on': '2002-01-01',"
	"    'source': " SRC("Y90001", 1, "gp_medications.csv", 3) "}],"
	"  'end_of_life_plans': ["
	"   {'id': 31, 'added_on': '2026-01-10', 'preferred_place_of_care': 'home',"
	"    'preferred_place_of_death': 'hospice', 'resuscitation': 'dnacpr',"
	"    'source': " SRC("Y90001", 1, "gp_eol_register.csv", 2) "}]},"
	" 'hospital': {"
	"  'admissions': ["
	"   {'id': 41, 'spell_id': 'S1', 'method': 'emergency', 'admitted_on': '2026-03-01',"
	"    'discharged_on': '2026-03-09', 'discharge_destination': 'care_home',"
	"    'diagnoses': [{'position': 1, 'code_system': 'icd10', 'code': 'I50.0'},"
	"                  {'position': 2, 'code_system': 'icd10', 'code': 'E11.9'}],"
	"    'source': " SRC("R9A", 3, "hospital_admissions.csv", 2) "},"
	"   {'id': 42, 'spell_id': 'S2', 'method': 'elective', 'admitted_on': '2026-10-20',"
	"    'discharged_on': null, 'discharge_destination': null, 'diagnoses': [],"
	"    'source': " SRC("R9A", 3, "hospital_admissions.csv", 3) "}],"
	"  'ae_attendances': ["
	"   {'id': 51, 'attendance_id': 'A1', 'arrived_at': '2026-03-01T09:30',"
	"    'disposal': 'admitted', 'source': " SRC("R9A", 3, "ae_attendances.csv", 2) "},"
	"   {'id': 52, 'attendance_id': 'A2', 'arrived_at': '2026-01-05T23:10:05',"
	"    'disposal': 'died', 'source': " SRC("R9A", 3, "ae_attendances.csv", 3) "}],"
	"  'end_of_life_plans': []},"
	" 'social_care': {"
	"  'assessments': ["
	"   {'id': 61, 'assessment_id': 'AS1', 'kind': 'needs', 'started_on': '2026-03-10',"
	"    'completed_on': '2026-03-20', 'outcome': 'services_provided',"
	"    'source': " SRC("E08000035", 5, "social_care_assessments.csv", 2) "}],"
	"  'services': ["
	"   {'id': 71, 'service_id': 'SV1', 'kind': 'home_care', 'started_on': '2026-03-21',"
	"    'ended_on': null, 'end_reason': null,"
	"    'source': " SRC("E08000035", 5, "social_care_services.csv", 2) "}],"
	"  'consent_forms': ["
	"   {'id': 82, 'form_version': 'SC-CONSENT-v3', 'decision': 'permit',"
	"    'recorded_on': '2025-06-01', 'recorded_by': 'sw.one',"
	"    'source': " SRC("E08000035", 5, "social_care_consents.csv", 3) "},"
	"   {'id': 81, 'form_version': 'SC-CONSENT-v2', 'decision': 'deny',"
	"    'recorded_on': '2024-01-01', 'recorded_by': 'sw.one',"
	"    'source': " SRC("E08000035", 5, "social_care_consents.csv", 2) "}],"
	"  'end_of_life_plans': []},"
	" 'care_plans': ["
	"  {'id': '17', 'version': 2, 'recorded_at': '2026-11-23T10:00:00Z',"
	"   'kind': 'end_of_life', 'status': 'active', 'title': 'Gold Line plan',"
	"   'description': 'Wishes to stay at home.', 'period_start': '2026-11-01',"
	"   'period_end': null,"
	"   'author': {'username': 'gp.larch', 'role': 'gp', 'organisation': 'Y90001'},"
	"   'end_of_life': {'preferred_place_of_care': 'home',"
	"    'preferred_place_of_death': 'with family', 'resuscitation': 'dnacpr',"
	"    'key_contacts': [{'name': 'Rowena Quarrendon', 'relationship': 'daughter',"
	"                      'phone': '01632 960123'}],"
	"    'medicines_in_home': [{'description': 'Morphine oral solution', 'code': '373529000'},"
	"                          {'description': 'Midazolam injection', 'code': null}]},"
	"   'source': {'organisation': 'Y90001'}}],"
	" 'care_teams': ["
	"  {'id': 91, 'organisation': 'H9A01', 'organisation_name': 'Wharfe Hospice',"
	"   'organisation_kind': 'hospice', 'team': 'Palliative care team',"
	"   'role': 'palliative_care', 'started_on': '2026-02-01', 'ended_on': null,"
	"   'source': " SRC("Y90001", 1, "care_team.csv", 3) "}],"
	" 'withheld': [{'section': 'gp', 'reason': 'Records held by an organisation that does not"
	" take part in the joined-up record are not shown.'}]}";

/* The same person de-identified (as jup_care_record gives it, and with a
 * name it should never have had, which must not come out either). */
static const char deid_record[] =
	"{'view': 'deidentified', 'purpose': 'planning', 'basis': 'anonymous',"
	" 'audit_entry': 43, 'person_ids': [1],"
	" 'person': {'year_of_birth': 1948, 'sex': 'F', 'names': [{'given': 'Leak', 'family': 'Leak'}],"
	"  'death': {'year': 2026, 'source': {'file': 'deaths.csv', 'line': 2}}},"
	" 'sources': ["
	"  {'record': 1, 'person_id': 1, 'organisation': 'Y90001',"
	"   'organisation_name': 'Larchfield Surgery', 'organisation_kind': 'gp_practice',"
	"   'participating': true, 'linked_by': 'nhs_number', 'file': 'gp_patients.csv',"
	"   'line': 2}],"
	" 'gp': {'registrations': [{'id': 4, 'practice': 'Y90001', 'registered_on': '2001-05-01',"
	"    'source': " SRC("Y90001", 1, "gp_patients.csv", 2) "}],"
	"  'conditions': [{'id': 11, 'code_system': 'snomed', 'code': '38341003',"
	"    'description': 'Leak', 'onset_on': '2005-04-01',"
	"    'source': " SRC("Y90001", 1, "gp_conditions.csv", 2) "}],"
	"  'medications': [], 'end_of_life_plans': []},"
	" 'care_plans': [{'id': '17', 'version': 1, 'kind': 'end_of_life', 'status': 'active',"
	"   'title': 'Leak', 'description': 'Leak', 'period_start': '2026-11-01',"
	"   'period_end': null,"
	"   'end_of_life': {'preferred_place_of_care': 'home',"
	"    'preferred_place_of_death': 'Leak', 'resuscitation': 'attempt_cpr',"
	"    'key_contacts': [{'name': 'Leak', 'relationship': 'Leak', 'phone': '01632 960000'}],"
	"    'medicines_in_home': [{'description': 'Leak', 'code': '373529000'}]},"
	"   'source': {'organisation': 'Y90001'}}],"
	" 'care_teams': [{'id': 91, 'organisation': 'Y90001',"
	"   'organisation_name': 'Larchfield Surgery', 'organisation_kind': 'gp_practice',"
	"   'team': 'Leak', 'role': 'district_nurse', 'started_on': '2026-02-01', 'ended_on': null,"
	"   'source': " SRC("Y90001", 1, "care_team.csv", 3) "}],"
	" 'withheld': []}";
/* clang-format on */

/* ---- JSON bodies ------------------------------------------------------------------------- */

static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 8);
	assert_non_null(s);
	size_t n = 0;
	s[n++] = '{';
	s[n++] = '"';
	s[n++] = 'a';
	s[n++] = '"';
	s[n++] = ':';
	for (int i = 1; i < depth; i++)
		s[n++] = '[';
	for (int i = 1; i < depth; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

static void test_json_parse(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		jup_status want;
		const char *msg;
	} cases[] = {
		{ "{}", JUP_OK, NULL },
		{ " {\"a\": \"[[[{{{\"} \n", JUP_OK, NULL }, /* brackets in strings do not nest */
		{ "", JUP_ERR_INVALID, "request body: empty" },
		{ "{\"a\": 1, \"a\": 2}", JUP_ERR_INVALID, "duplicate key at line 1" },
		{ "{\"a\": {\"b\": 1, \"b\": 1}}", JUP_ERR_INVALID, "duplicate key" },
		{ "{} x", JUP_ERR_INVALID, "data after the JSON value" },
		{ "{}{}", JUP_ERR_INVALID, "data after the JSON value" },
		{ "[1, 2]", JUP_ERR_INVALID, "not a JSON object" },
		{ "{\"a\": ", JUP_ERR_INVALID, "ends before the JSON value does" },
		{ "{\"a\": \"\\u0000\"}", JUP_ERR_INVALID, "a NUL character" },
		{ "{\"a\": \"\xff\"}", JUP_ERR_INVALID, "not valid UTF-8" },
		{ "{\"a\": 99999999999999999999999}", JUP_ERR_INVALID, "a number out of range" },
		{ "{\"a\": secret-value}", JUP_ERR_INVALID, "not valid JSON" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *v = NULL;
		jup_err err = { "" };
		jup_status r = jup_fhir_json_parse(cases[i].body, strlen(cases[i].body), &v, &err);
		expect_err(r, cases[i].want, &err, cases[i].msg);
		assert_true(r ? v == NULL : json_is_object(v));
		assert_null(strstr(err.msg, "secret"));
		json_decref(v);
	}
	/* nesting: 32 levels pass, 33 do not (before jansson sees the body) */
	json_t *v = NULL;
	jup_err err = { "" };
	char *ok = nested(JUP_JSON_MAX_DEPTH), *deep = nested(JUP_JSON_MAX_DEPTH + 1);
	assert_int_equal(jup_fhir_json_parse(ok, strlen(ok), &v, &err), JUP_OK);
	json_decref(v);
	expect_err(jup_fhir_json_parse(deep, strlen(deep), &v, &err), JUP_ERR_LIMIT, &err,
		   "nested deeper than 32 levels");
	free(ok);
	free(deep);
	/* size */
	size_t big = JUP_JSON_MAX_BODY_LEN + 1;
	char *body = malloc(big);
	assert_non_null(body);
	memset(body, ' ', big);
	body[0] = '{';
	body[big - 1] = '}';
	expect_err(jup_fhir_json_parse(body, big, &v, &err), JUP_ERR_LIMIT, &err,
		   "more than 1048576 bytes");
	assert_int_equal(jup_fhir_json_parse(body, big - 1, &v, &err), JUP_ERR_INVALID);
	free(body);
}

/* ---- OperationOutcome ---------------------------------------------------------------------- */

static void test_outcome(void **state)
{
	(void)state;
	json_t *oo;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_outcome(JUP_FHIR_ERROR, JUP_FHIR_ISSUE_TOO_LONG,
					  "CarePlan.title: too long", "CarePlan.title", &oo, &err),
			 JUP_OK);
	assert_json(oo,
		    "{'resourceType': 'OperationOutcome', 'issue': [{'severity': 'error',"
		    " 'code': 'too-long', 'diagnostics': 'CarePlan.title: too long',"
		    " 'expression': ['CarePlan.title']}]}",
		    "outcome");
	json_decref(oo);
	assert_int_equal(jup_fhir_outcome(JUP_FHIR_INFORMATION, JUP_FHIR_ISSUE_INFORMATIONAL, NULL,
					  NULL, &oo, &err),
			 JUP_OK);
	assert_json(oo,
		    "{'resourceType': 'OperationOutcome', 'issue': [{'severity': 'information',"
		    " 'code': 'informational'}]}",
		    "bare outcome");
	json_decref(oo);
	expect_err(jup_fhir_outcome(JUP_FHIR_SEVERITY__COUNT, JUP_FHIR_ISSUE_INVALID, NULL, NULL,
				    &oo, &err),
		   JUP_ERR_USAGE, &err, NULL);
	assert_null(oo);
	expect_err(
		jup_fhir_outcome(JUP_FHIR_ERROR, JUP_FHIR_ISSUE_INVALID, "\xc3(", NULL, &oo, &err),
		JUP_ERR_INVALID, &err, NULL);
	static const struct {
		jup_status st;
		const char *code;
	} map[] = {
		{ JUP_ERR_INVALID, "invalid" },       { JUP_ERR_USAGE, "invalid" },
		{ JUP_ERR_LIMIT, "too-long" },        { JUP_ERR_NOT_FOUND, "not-found" },
		{ JUP_ERR_EXISTS, "conflict" },       { JUP_ERR_DENIED, "forbidden" },
		{ JUP_ERR_VERSION, "not-supported" }, { JUP_ERR_STORE, "exception" },
		{ JUP_ERR_NOMEM, "exception" },       { JUP_ERR_INTERNAL, "exception" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		assert_string_equal(jup_fhir_issue_name(jup_fhir_issue_of(map[i].st)), map[i].code);
	assert_string_equal(jup_fhir_issue_name(JUP_FHIR_ISSUE_MULTIPLE_MATCHES),
			    "multiple-matches");
	assert_string_equal(jup_fhir_issue_name(JUP_FHIR_ISSUE__COUNT), "unknown");
	assert_string_equal(jup_fhir_severity_name(JUP_FHIR_FATAL), "fatal");
}

/* ---- Patient --------------------------------------------------------------------------- */

static void test_patient_full(void **state)
{
	(void)state;
	json_t *rec = J(full_record), *p;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_patient(rec, "1", &p, &err), JUP_OK);
	assert_json(at(p, "identifier.0"),
		    "{'extension': [{'url': 'https://fhir.hl7.org.uk/StructureDefinition/"
		    "Extension-UKCore-NHSNumberVerificationStatus', 'valueCodeableConcept':"
		    " {'coding': [{'system': 'https://fhir.hl7.org.uk/CodeSystem/"
		    "UKCore-NHSNumberVerificationStatusEngland', 'code': '02',"
		    " 'display': 'Number present but not traced'}]}}],"
		    " 'system': 'https://fhir.nhs.uk/Id/nhs-number', 'value': '" NHS "'}",
		    "NHS number");
	assert_json(at(p, "identifier.2"),
		    "{'use': 'secondary', 'system': '" CANON
		    "/Id/local-record/R9A', 'value': 'H001',"
		    " 'assigner': {'reference': 'Organization/org-R9A', 'display':"
		    " 'Synthetic Teaching Hospitals', 'identifier': {'system':"
		    " 'https://fhir.nhs.uk/Id/ods-organization-code', 'value': 'R9A'}}}",
		    "local id");
	assert_int_equal(json_array_size(at(p, "identifier")), 4);
	assert_json(at(p, "name"),
		    "[{'family': 'Quarrendon', 'given': ['Ottoline']},"
		    " {'family': 'Quarrendon', 'given': ['Ottie']}]",
		    "names");
	assert_json(at(p, "gender"), "'female'", "gender");
	assert_json(at(p, "birthDate"), "'1948-03-14'", "birthDate");
	assert_json(at(p, "deceasedDateTime"), "'2026-10-30'", "death");
	assert_json(at(p, "address"), "[{'line': ['12 Larch Row'], 'postalCode': 'LS6 2AB'}]",
		    "address");
	assert_json(at(p, "generalPractitioner"),
		    "[{'reference': 'Organization/org-Y90001', 'display': 'Larchfield Surgery',"
		    " 'identifier': {'system': 'https://fhir.nhs.uk/Id/ods-organization-code',"
		    " 'value': 'Y90001'}}]",
		    "GP");
	/* one source extension per record it was assembled from, with how it was linked */
	assert_int_equal(json_array_size(at(p, "extension")), 3);
	assert_json(at(p, "extension.2"),
		    "{'url': '" SOURCE "', 'extension': ["
		    " {'url': 'organisation', 'valueIdentifier': {'system':"
		    "  'https://fhir.nhs.uk/Id/ods-organization-code', 'value': 'E08000035'}},"
		    " {'url': 'record', 'valueString': '5'},"
		    " {'url': 'file', 'valueString': 'social_care_clients.csv'},"
		    " {'url': 'line', 'valueInteger': 2},"
		    " {'url': 'linkedBy', 'valueCode': 'probabilistic'}]}",
		    "provenance");
	assert_null(at(p, "meta"));
	json_decref(p);
	/* two addresses: lines and postcodes are not paired */
	json_object_set_new(at(rec, "person"), "postcodes", J("['LS6 2AB', 'LS1 4AP']"));
	assert_int_equal(jup_fhir_patient(rec, "1", &p, &err), JUP_OK);
	assert_json(at(p, "address"),
		    "[{'line': ['12 Larch Row']}, {'postalCode': 'LS6 2AB'},"
		    " {'postalCode': 'LS1 4AP'}]",
		    "unpaired addresses");
	json_decref(p);
	json_decref(rec);
}

static void test_patient_deidentified(void **state)
{
	(void)state;
	json_t *rec = J(deid_record), *p;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_patient(rec, "p1", &p, &err), JUP_OK);
	assert_null(at(p, "identifier"));
	assert_null(at(p, "name")); /* even though the record (wrongly) had one */
	assert_null(at(p, "address"));
	assert_json(at(p, "birthDate"), "'1948'", "year of birth");
	assert_json(at(p, "deceasedDateTime"), "'2026'", "year of death");
	assert_json(at(p, "meta"),
		    "{'security': [{'system': 'http://terminology.hl7.org/CodeSystem/"
		    "v3-ObservationValue', 'code': 'PSEUDED', 'display': 'pseudonymized'}]}",
		    "security label");
	char *s = json_dumps(p, 0);
	assert_null(strstr(s, "Leak"));
	free(s);
	json_decref(p);
	json_decref(rec);
}

static void test_patient_errors(void **state)
{
	(void)state;
	static const struct {
		const char *path, *key, *value; /* set record[path][key] = value (NULL: delete) */
		jup_status want;
		const char *msg;
	} cases[] = {
		{ "", "view", NULL, JUP_ERR_INVALID, "record view: missing" },
		{ "", "view", "'sideways'", JUP_ERR_INVALID, "record view: unknown view" },
		{ "person", "sex", "'X'", JUP_ERR_INVALID, "record person.sex: unknown code" },
		{ "person", "names", "'Ottoline'", JUP_ERR_INVALID,
		  "record person.names: not an array" },
		{ "sources.1", "organisation", "7", JUP_ERR_INVALID,
		  "record sources[1].organisation: not a string" },
		{ "gp.registrations.1", "registered_on", NULL, JUP_ERR_INVALID,
		  "record gp.registrations[1].registered_on: missing" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *rec = J(full_record), *p = NULL;
		json_t *holder = cases[i].path[0] ? at(rec, cases[i].path) : rec;
		if (cases[i].value)
			json_object_set_new(holder, cases[i].key, J(cases[i].value));
		else
			json_object_del(holder, cases[i].key);
		jup_err err = { "" };
		expect_err(jup_fhir_patient(rec, "1", &p, &err), cases[i].want, &err, cases[i].msg);
		assert_null(p);
		json_decref(rec);
	}
	json_t *rec = J(full_record), *p;
	jup_err err = { "" };
	expect_err(jup_fhir_patient(rec, "no_underscores", &p, &err), JUP_ERR_USAGE, &err,
		   "patient id");
	expect_err(jup_fhir_patient(rec, "", &p, &err), JUP_ERR_USAGE, &err, NULL);
	expect_err(jup_fhir_patient(NULL, "1", &p, &err), JUP_ERR_USAGE, &err, NULL);
	json_decref(rec);
}

/* ---- $everything ------------------------------------------------------------------------- */

/* Every resource of the full record by id and type, in Bundle order, with
 * its search mode. */
static const struct {
	const char *id, *type, *mode;
} full_entries[] = {
	{ "1", "Patient", "match" },
	{ "org-Y90001", "Organization", "include" },
	{ "org-R9A", "Organization", "include" },
	{ "org-E08000035", "Organization", "include" },
	{ "org-H9A01", "Organization", "include" },
	{ "gpreg-2", "EpisodeOfCare", "match" },
	{ "gpreg-4", "EpisodeOfCare", "match" },
	{ "cond-11", "Condition", "match" },
	{ "med-21", "MedicationStatement", "match" },
	{ "med-22", "MedicationStatement", "match" },
	{ "eol-31", "CarePlan", "match" },
	{ "adm-41", "Encounter", "match" },
	{ "adm-41-dx-1", "Condition", "match" },
	{ "adm-41-dx-2", "Condition", "match" },
	{ "adm-42", "Encounter", "match" },
	{ "ae-51", "Encounter", "match" },
	{ "ae-52", "Encounter", "match" },
	{ "sca-61", "EpisodeOfCare", "match" },
	{ "scs-71", "EpisodeOfCare", "match" },
	{ "scc-82", "Consent", "match" },
	{ "scc-81", "Consent", "match" },
	{ "cp-17", "CarePlan", "match" },
	{ "team-91", "CareTeam", "match" },
};

/* clang-format off */
/* Element by element: the resource, the path, the value expected. */
static const struct {
	const char *id, *path, *json;
} full_values[] = {
	/* GP registrations: the latest is current */
	{ "gpreg-4", "status", "'active'" },
	{ "gpreg-2", "status", "'finished'" },
	{ "gpreg-4", "type", "[{'coding': [{'system': '" CANON "/CodeSystem/episode-type',"
	  " 'code': 'gp-registration', 'display': 'GP registration'}], 'text': 'GP registration'}]" },
	{ "gpreg-4", "patient", "{'reference': 'Patient/1'}" },
	{ "gpreg-4", "managingOrganization.reference", "'Organization/org-Y90001'" },
	{ "gpreg-4", "period", "{'start': '2001-05-01'}" },
	{ "gpreg-2", "extension.0.extension.2", "{'url': 'file', 'valueString': 'gp_patients_1995.csv'}" },
	/* conditions */
	{ "cond-11", "category", "[{'coding': [{'system': 'http://terminology.hl7.org/CodeSystem/"
	  "condition-category', 'code': 'problem-list-item', 'display': 'Problem List Item'}]}]" },
	{ "cond-11", "code", "{'coding': [{'system': 'http://snomed.info/sct', 'code': '38341003',"
	  " 'display': 'Hypertension'}], 'text': 'Hypertension'}" },
	{ "cond-11", "subject", "{'reference': 'Patient/1'}" },
	{ "cond-11", "onsetDateTime", "'2005-04-01'" },
	/* medications */
	{ "med-21", "status", "'active'" },
	{ "med-22", "status", "'completed'" },
	{ "med-21", "medicationCodeableConcept.coding.0.code", "'387458008'" },
	{ "med-21", "effectivePeriod", "{'start': '2012-10-15'}" },
	{ "med-22", "effectivePeriod", "{'start': '2001-01-01', 'end': '2002-01-01'}" },
	{ "med-21", "informationSource.reference", "'Organization/org-Y90001'" },
	{ "med-21", "category.coding.0.code", "'community'" },
	/* the GP end-of-life register */
	{ "eol-31", "status", "'active'" },
	{ "eol-31", "intent", "'plan'" },
	{ "eol-31", "category", "[{'coding': [{'system': '" CANON "/CodeSystem/care-plan-kind',"
	  " 'code': 'end_of_life', 'display': 'End of life care plan'}, {'system':"
	  " 'http://snomed.info/sct', 'code': '736373009', 'display': 'End of life care plan'}],"
	  " 'text': 'End of life care plan'}]" },
	{ "eol-31", "period", "{'start': '2026-01-10'}" },
	{ "eol-31", "created", "'2026-01-10'" },
	{ "eol-31", "author.reference", "'Organization/org-Y90001'" },
	{ "eol-31", "extension.1", "{'url': '" JUP_FHIR_EXT_EOL "', 'extension': ["
	  " {'url': 'preferredPlaceOfCare', 'valueCodeableConcept': {'coding': [{'system': '"
	  CANON "/CodeSystem/place', 'code': 'home', 'display': 'Home'}], 'text': 'Home'}},"
	  " {'url': 'preferredPlaceOfDeath', 'valueCodeableConcept': {'coding': [{'system': '"
	  CANON "/CodeSystem/place', 'code': 'hospice', 'display': 'Hospice'}], 'text': 'Hospice'}},"
	  " {'url': 'resuscitation', 'valueCodeableConcept': {'coding': [{'system': '"
	  CANON "/CodeSystem/resuscitation', 'code': 'dnacpr', 'display':"
	  " 'Do not attempt cardiopulmonary resuscitation'}, {'system': 'http://snomed.info/sct',"
	  " 'code': '450476008', 'display': 'Not for cardiopulmonary resuscitation'}],"
	  " 'text': 'Do not attempt cardiopulmonary resuscitation'}}]}" },
	/* admissions and their diagnoses */
	{ "adm-41", "identifier", "[{'system': '" CANON "/Id/hospital-spell/R9A', 'value': 'S1'}]" },
	{ "adm-41", "status", "'finished'" },
	{ "adm-42", "status", "'in-progress'" },
	{ "adm-41", "class", "{'system': 'http://terminology.hl7.org/CodeSystem/v3-ActCode',"
	  " 'code': 'IMP', 'display': 'inpatient encounter'}" },
	{ "adm-41", "priority", "{'coding': [{'system': '" CANON "/CodeSystem/admission-method',"
	  " 'code': 'emergency', 'display': 'Emergency'}, {'system':"
	  " 'http://terminology.hl7.org/CodeSystem/v3-ActPriority', 'code': 'EM', 'display':"
	  " 'emergency'}], 'text': 'Emergency'}" },
	{ "adm-42", "priority.coding.1.code", "'EL'" },
	{ "adm-41", "period", "{'start': '2026-03-01', 'end': '2026-03-09'}" },
	{ "adm-42", "period", "{'start': '2026-10-20'}" },
	{ "adm-41", "hospitalization.dischargeDisposition.coding.1",
	  "{'system': 'http://terminology.hl7.org/CodeSystem/discharge-disposition',"
	  " 'code': 'long', 'display': 'Long-term care'}" },
	{ "adm-41", "diagnosis", "[{'condition': {'reference': 'Condition/adm-41-dx-1'}, 'rank': 1},"
	  " {'condition': {'reference': 'Condition/adm-41-dx-2'}, 'rank': 2}]" },
	{ "adm-41", "serviceProvider.reference", "'Organization/org-R9A'" },
	{ "adm-41-dx-2", "code", "{'coding': [{'system': 'http://hl7.org/fhir/sid/icd-10',"
	  " 'code': 'E11.9'}]}" },
	{ "adm-41-dx-2", "category.0.coding.0.code", "'encounter-diagnosis'" },
	{ "adm-41-dx-2", "encounter", "{'reference': 'Encounter/adm-41'}" },
	{ "adm-41-dx-2", "extension.0.extension.2",
	  "{'url': 'file', 'valueString': 'hospital_admissions.csv'}" },
	/* A&E: local times with the UK offset */
	{ "ae-51", "class.code", "'EMER'" },
	{ "ae-51", "status", "'finished'" },
	{ "ae-51", "period", "{'start': '2026-03-01T09:30:00+00:00'}" },
	{ "ae-52", "period", "{'start': '2026-01-05T23:10:05+00:00'}" },
	{ "ae-51", "identifier.0.value", "'A1'" },
	{ "ae-51", "hospitalization.dischargeDisposition", "{'coding': [{'system': '" CANON
	  "/CodeSystem/ae-disposal', 'code': 'admitted', 'display': 'Admitted'}],"
	  " 'text': 'Admitted'}" },
	{ "ae-52", "hospitalization.dischargeDisposition.coding.1.code", "'exp'" },
	/* social care */
	{ "sca-61", "status", "'finished'" },
	{ "sca-61", "type", "[{'coding': [{'system': '" CANON "/CodeSystem/episode-type',"
	  " 'code': 'social-care-assessment', 'display': 'Social care assessment'}],"
	  " 'text': 'Social care assessment'}, {'coding': [{'system': '" CANON
	  "/CodeSystem/sc-assessment-kind', 'code': 'needs', 'display': 'Needs assessment'}],"
	  " 'text': 'Needs assessment'}]" },
	{ "sca-61", "period", "{'start': '2026-03-10', 'end': '2026-03-20'}" },
	{ "sca-61", "managingOrganization.reference", "'Organization/org-E08000035'" },
	{ "sca-61", "identifier", "[{'system': '" CANON "/Id/social-care-assessment/E08000035',"
	  " 'value': 'AS1'}]" },
	{ "sca-61", "extension.1", "{'url': '" CANON "/StructureDefinition/episode-outcome',"
	  " 'valueCodeableConcept': {'coding': [{'system': '" CANON
	  "/CodeSystem/sc-assessment-outcome', 'code': 'services_provided', 'display':"
	  " 'Services provided'}], 'text': 'Services provided'}}" },
	{ "scs-71", "status", "'active'" },
	{ "scs-71", "type.1.coding.0.code", "'home_care'" },
	{ "scs-71", "period", "{'start': '2026-03-21'}" },
	/* council consent forms: the latest is in force */
	{ "scc-82", "status", "'active'" },
	{ "scc-81", "status", "'inactive'" },
	{ "scc-81", "provision", "{'type': 'deny', 'code': [{'coding': [{'system': '" CANON
	  "/CodeSystem/record-section', 'code': 'social_care', 'display':"
	  " 'Council social care record'}]}]}" },
	{ "scc-82", "scope.coding.0.code", "'patient-privacy'" },
	{ "scc-82", "policyRule.coding.0.code", "'OPTIN'" },
	{ "scc-82", "sourceAttachment", "{'title': 'SC-CONSENT-v3'}" },
	{ "scc-82", "dateTime", "'2025-06-01'" },
	{ "scc-82", "organization.0.reference", "'Organization/org-E08000035'" },
	{ "scc-82", "patient", "{'reference': 'Patient/1'}" },
	/* care plans written through joinedup */
	{ "cp-17", "meta", "{'versionId': '2', 'lastUpdated': '2026-11-23T10:00:00Z'}" },
	{ "cp-17", "title", "'Gold Line plan'" },
	{ "cp-17", "description", "'Wishes to stay at home.'" },
	{ "cp-17", "period", "{'start': '2026-11-01'}" },
	{ "cp-17", "author", "{'type': 'Practitioner', 'identifier': {'system': '" CANON
	  "/Id/user', 'value': 'gp.larch'}, 'display': 'gp.larch', 'extension': [{'url': '"
	  CANON "/StructureDefinition/author-role', 'valueCoding': {'system': '" CANON
	  "/CodeSystem/role', 'code': 'gp'}}]}" },
	{ "cp-17", "contributor.0.reference", "'Organization/org-Y90001'" },
	{ "cp-17", "extension.0", "{'url': '" SOURCE "', 'extension': [{'url': 'organisation',"
	  " 'valueIdentifier': {'system': 'https://fhir.nhs.uk/Id/ods-organization-code',"
	  " 'value': 'Y90001'}}]}" },
	{ "cp-17", "extension.1.extension.1", "{'url': 'preferredPlaceOfDeath',"
	  " 'valueCodeableConcept': {'text': 'with family'}}" },
	{ "cp-17", "extension.1.extension.3", "{'url': 'keyContact', 'extension': ["
	  " {'url': 'name', 'valueString': 'Rowena Quarrendon'},"
	  " {'url': 'relationship', 'valueString': 'daughter'},"
	  " {'url': 'phone', 'valueString': '01632 960123'}]}" },
	{ "cp-17", "extension.1.extension.4", "{'url': 'medicineInHome', 'valueCodeableConcept':"
	  " {'coding': [{'system': 'http://snomed.info/sct', 'code': '373529000'}],"
	  " 'text': 'Morphine oral solution'}}" },
	{ "cp-17", "extension.1.extension.5", "{'url': 'medicineInHome', 'valueCodeableConcept':"
	  " {'text': 'Midazolam injection'}}" },
	/* care teams */
	{ "team-91", "status", "'active'" },
	{ "team-91", "name", "'Palliative care team'" },
	{ "team-91", "subject", "{'reference': 'Patient/1'}" },
	{ "team-91", "participant", "[{'role': [{'coding': [{'system': '" CANON
	  "/CodeSystem/care-team-role', 'code': 'palliative_care', 'display': 'Palliative care'}],"
	  " 'text': 'Palliative care'}], 'member': {'reference': 'Organization/org-H9A01',"
	  " 'identifier': {'system': 'https://fhir.nhs.uk/Id/ods-organization-code',"
	  " 'value': 'H9A01'}}, 'period': {'start': '2026-02-01'}}]" },
	{ "team-91", "managingOrganization.0.reference", "'Organization/org-H9A01'" },
	{ "team-91", "period", "{'start': '2026-02-01'}" },
	/* organisations */
	{ "org-R9A", "name", "'Synthetic Teaching Hospitals'" },
	{ "org-R9A", "identifier", "[{'system': 'https://fhir.nhs.uk/Id/ods-organization-code',"
	  " 'value': 'R9A'}]" },
	{ "org-E08000035", "type", "[{'coding': [{'system': '" CANON
	  "/CodeSystem/organisation-kind', 'code': 'council', 'display': 'Council'},"
	  " {'system': 'http://terminology.hl7.org/CodeSystem/organization-type', 'code': 'govt',"
	  " 'display': 'Government'}], 'text': 'Council'}]" },
	{ "org-Y90001", "extension", "[{'url': '" CANON "/StructureDefinition/participating',"
	  " 'valueBoolean': true}]" },
	{ "org-H9A01", "name", "'Wharfe Hospice'" },
	{ "org-H9A01", "type.0.coding.0.code", "'hospice'" },
};
/* clang-format on */

static json_t *everything(const char *text, const char *pid)
{
	json_t *rec = J(text), *b = NULL;
	jup_err err = { "" };
	if (jup_fhir_everything(rec, pid, BASE "/", &b, &err))
		fail_msg("everything: %s", err.msg);
	json_decref(rec);
	return b;
}

static void test_everything_full(void **state)
{
	(void)state;
	json_t *b = everything(full_record, "1");
	size_t n = sizeof full_entries / sizeof full_entries[0];
	assert_json(at(b, "resourceType"), "'Bundle'", "type");
	assert_json(at(b, "type"), "'searchset'", "searchset");
	assert_json(at(b, "total"), "19", "total: the match entries");
	assert_json(at(b, "link"),
		    "[{'relation': 'self', 'url': '" BASE "/Patient/1/$everything'}]", "link");
	assert_int_equal(json_array_size(at(b, "entry")), n + 1);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(at(b, "entry"), i);
		char url[256];
		snprintf(url, sizeof url, BASE "/%s/%s", full_entries[i].type, full_entries[i].id);
		assert_string_equal(json_string_value(at(e, "resource.id")), full_entries[i].id);
		assert_string_equal(json_string_value(at(e, "resource.resourceType")),
				    full_entries[i].type);
		assert_string_equal(json_string_value(at(e, "fullUrl")), url);
		assert_string_equal(json_string_value(at(e, "search.mode")), full_entries[i].mode);
		/* every resource from the record says where it came from */
		json_t *r = json_object_get(e, "resource");
		if (strcmp(full_entries[i].type, "Organization") != 0)
			assert_non_null(ext(r, SOURCE));
		assert_null(at(r, "meta.security"));
	}
	/* what was withheld, last */
	json_t *last = json_array_get(at(b, "entry"), n);
	assert_json(
		last,
		"{'resource': {'resourceType': 'OperationOutcome', 'issue': [{'severity':"
		" 'information', 'code': 'suppressed', 'details': {'coding': [{'system': '" CANON
		"/CodeSystem/record-section', 'code': 'gp'}], 'text': 'Records held by an"
		" organisation that does not take part in the joined-up record are not shown.'}}]},"
		" 'search': {'mode': 'outcome'}}",
		"withheld");
	for (size_t i = 0; i < sizeof full_values / sizeof full_values[0]; i++) {
		json_t *r = resource(b, full_values[i].id, NULL);
		if (!r)
			fail_msg("no resource %s", full_values[i].id);
		char where[128];
		snprintf(where, sizeof where, "%s %s", full_values[i].id, full_values[i].path);
		assert_json(at(r, full_values[i].path), full_values[i].json, where);
	}
	/* a whole resource, exactly */
	assert_json(resource(b, "med-22", NULL),
		    "{'resourceType': 'MedicationStatement', 'id': 'med-22', 'extension': [{'url': "
		    "'" SOURCE
		    "', 'extension': [{'url': 'organisation', 'valueIdentifier': {'system':"
		    " 'https://fhir.nhs.uk/Id/ods-organization-code', 'value': 'Y90001'}},"
		    " {'url': 'record', 'valueString': '1'}, {'url': 'file', 'valueString':"
		    " 'gp_medications.csv'}, {'url': 'line', 'valueInteger': 3}]}],"
		    " 'status': 'completed', 'category': {'coding': [{'system':"
		    " 'http://terminology.hl7.org/CodeSystem/medication-statement-category',"
		    " 'code': 'community', 'display': 'Community'}]},"
		    " 'medicationCodeableConcept': {'coding': [{'system': 'http://snomed.info/sct',"
		    " 'code': '387458008', 'display': 'Aspirin'}], 'text': 'Aspirin'},"
		    " 'subject': {'reference': 'Patient/1'}, 'effectivePeriod': {'start':"
		    " '2001-01-01', 'end': '2002-01-01'}, 'informationSource': {'reference':"
		    " 'Organization/org-Y90001', 'identifier': {'system':"
		    " 'https://fhir.nhs.uk/Id/ods-organization-code', 'value': 'Y90001'}}}",
		    "med-22");
	json_decref(b);
}

static void test_everything_deidentified(void **state)
{
	(void)state;
	json_t *b = everything(deid_record, "p1");
	assert_json(at(b, "meta.security.0.code"), "'PSEUDED'", "bundle label");
	assert_json(at(b, "total"), "5", "total");
	size_t i;
	json_t *e;
	json_array_foreach(at(b, "entry"), i, e)
	{
		assert_json(at(e, "resource.meta.security.0.code"), "'PSEUDED'", "label");
		if (strcmp(json_string_value(at(e, "resource.resourceType")), "Organization"))
			assert_null(at(e, "resource.identifier"));
	}
	assert_null(at(resource(b, "team-91", NULL), "name"));
	assert_json(at(resource(b, "cond-11", NULL), "code"),
		    "{'coding': [{'system': 'http://snomed.info/sct', 'code': '38341003'}]}",
		    "no description");
	assert_null(resource(b, "withheld", NULL));
	assert_int_equal(json_array_size(at(b, "entry")), 6); /* Patient, Y90001, 4 items */
	/* the care plan keeps its codes only: no title, text place, contacts or descriptions */
	json_t *cp = resource(b, "cp-17", NULL);
	assert_null(at(cp, "title"));
	assert_json(
		at(cp, "extension.1.extension"),
		"[{'url': 'preferredPlaceOfCare', 'valueCodeableConcept': {'coding': [{'system':"
		" '" CANON "/CodeSystem/place', 'code': 'home', 'display': 'Home'}], 'text':"
		" 'Home'}}, {'url': 'resuscitation', 'valueCodeableConcept': {'coding': [{'system':"
		" '" CANON "/CodeSystem/resuscitation', 'code': 'attempt_cpr', 'display':"
		" 'Attempt cardiopulmonary resuscitation'}, {'system': 'http://snomed.info/sct',"
		" 'code': '450475007', 'display': 'For cardiopulmonary resuscitation'}], 'text':"
		" 'Attempt cardiopulmonary resuscitation'}}, {'url': 'medicineInHome',"
		" 'valueCodeableConcept': {'coding': [{'system': 'http://snomed.info/sct', 'code':"
		" '373529000'}]}}]",
		"de-identified end-of-life details");
	char *s = json_dumps(b, 0);
	assert_null(strstr(s, "Leak"));
	assert_null(strstr(s, NHS));
	free(s);
	json_decref(b);
}

static void test_everything_end_of_life_view(void **state)
{
	(void)state;
	json_t *rec = J(full_record);
	json_object_set_new(rec, "view", json_string("end_of_life"));
	json_object_set_new(rec, "gp", J("{'end_of_life_plans': []}"));
	json_object_del(rec, "hospital");
	json_object_del(rec, "social_care");
	json_t *b = NULL;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_everything(rec, "1", BASE, &b, &err), JUP_OK);
	/* Patient, the organisations Y90001, R9A, E08000035 (sources) and H9A01 (the team),
	 * cp-17, team-91, and what was withheld */
	assert_int_equal(json_array_size(at(b, "entry")), 8);
	assert_non_null(resource(b, "cp-17", NULL));
	assert_non_null(at(resource(b, "1", NULL), "name"));
	json_decref(b);
	json_decref(rec);
}

static void test_everything_errors(void **state)
{
	(void)state;
	static const struct {
		const char *path, *key, *value;
		const char *msg;
	} cases[] = {
		{ "gp.conditions.0", "code_system", "'read'",
		  "record gp.conditions[0].code_system: unknown code" },
		{ "gp.conditions.0", "id", NULL, "record gp.conditions[0].id: missing" },
		{ "gp", "conditions", "{}", "record gp.conditions: not an array" },
		{ "hospital.ae_attendances.1", "arrived_at", "'2026-13-01T10:00'",
		  "record hospital.ae_attendances[1].arrived_at: not a date-time" },
		{ "hospital.admissions.0", "method", "'urgent'",
		  "record hospital.admissions[0].method: unknown code" },
		{ "hospital.admissions.0.diagnoses.1", "position", NULL,
		  "record hospital.admissions[0].diagnoses[1].position: missing" },
		{ "social_care.services.0", "kind", "'meals'",
		  "record social_care.services[0].kind: unknown code" },
		{ "social_care.consent_forms.1", "decision", "'maybe'",
		  "record social_care.consent_forms[1].decision: unknown code" },
		{ "care_plans.0", "status", "'on-hold'",
		  "record care_plans[0].status: unknown code" },
		{ "care_plans.0", "id", "'17/x'", "record care_plans[0].id: not a plan id" },
		{ "care_plans.0.end_of_life", "resuscitation", "'maybe'",
		  "record care_plans[0].end_of_life.resuscitation: unknown code" },
		{ "care_teams.0", "role", "'wizard'", "record care_teams[0].role: unknown code" },
		{ "sources.0", "organisation", "'bad code!'", "not an organisation code" },
		{ "withheld.0", "reason", NULL, "record withheld[0].reason: missing" },
		{ "social_care.services.0", "source", NULL,
		  "record social_care.services[0].source: missing" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *rec = J(full_record), *b = NULL;
		json_t *holder = at(rec, cases[i].path);
		assert_non_null(holder);
		if (cases[i].value)
			json_object_set_new(holder, cases[i].key, J(cases[i].value));
		else
			json_object_del(holder, cases[i].key);
		jup_err err = { "" };
		expect_err(jup_fhir_everything(rec, "1", BASE, &b, &err), JUP_ERR_INVALID, &err,
			   cases[i].msg);
		assert_null(b);
		json_decref(rec);
	}
	json_t *rec = J(full_record), *b;
	jup_err err = { "" };
	expect_err(jup_fhir_everything(rec, "1", "", &b, &err), JUP_ERR_USAGE, &err, NULL);
	expect_err(jup_fhir_everything(rec, "a/b", BASE, &b, &err), JUP_ERR_USAGE, &err, NULL);
	json_decref(rec);
}

/* ---- CarePlan ---------------------------------------------------------------------------- */

static void test_careplan_map(void **state)
{
	(void)state;
	json_t *rec = J(full_record), *cp;
	jup_err err = { "" };
	json_t *plan = at(rec, "care_plans.0");
	assert_int_equal(jup_fhir_careplan(plan, "1", false, &cp, &err), JUP_OK);
	assert_json(at(cp, "id"), "'cp-17'", "id");
	assert_json(at(cp, "status"), "'active'", "status");
	assert_json(at(cp, "subject"), "{'reference': 'Patient/1'}", "subject");
	assert_json(at(cp, "category.0.coding.1.code"), "'736373009'", "SNOMED CT");
	assert_json(at(cp, "extension.1.extension.2.valueCodeableConcept.coding.0.code"),
		    "'dnacpr'", "resuscitation");
	json_decref(cp);
	/* read in the de-identified view: codes only, labelled */
	assert_int_equal(jup_fhir_careplan(plan, "p1", true, &cp, &err), JUP_OK);
	assert_null(at(cp, "title"));
	assert_null(at(cp, "description"));
	assert_json(at(cp, "meta"),
		    "{'security': [{'system': 'http://terminology.hl7.org/CodeSystem/"
		    "v3-ObservationValue', 'code': 'PSEUDED', 'display': 'pseudonymized'}],"
		    " 'versionId': '2', 'lastUpdated': '2026-11-23T10:00:00Z'}",
		    "meta");
	char *text = json_dumps(cp, 0);
	assert_null(strstr(text, "Rowena"));
	assert_null(strstr(text, "with family"));
	assert_null(strstr(text, "Morphine"));
	assert_null(strstr(text, "Gold Line"));
	assert_non_null(strstr(text, "373529000"));
	free(text);
	json_decref(cp);
	/* a note: no SNOMED CT, no end-of-life extension; a plan a view cut down */
	json_object_set_new(plan, "kind", json_string("note"));
	json_object_set_new(plan, "end_of_life", json_null());
	json_object_del(plan, "title");
	json_object_del(plan, "author");
	assert_int_equal(jup_fhir_careplan(plan, "1", false, &cp, &err), JUP_OK);
	assert_json(at(cp, "category"),
		    "[{'coding': [{'system': '" CANON "/CodeSystem/care-plan-kind', 'code': 'note',"
		    " 'display': 'Note'}], 'text': 'Note'}]",
		    "note");
	assert_int_equal(json_array_size(at(cp, "extension")), 1);
	assert_null(at(cp, "title"));
	assert_null(at(cp, "author"));
	json_decref(cp);
	json_object_set_new(plan, "kind", json_string("plan_b"));
	expect_err(jup_fhir_careplan(plan, "1", false, &cp, &err), JUP_ERR_INVALID, &err,
		   "record care_plan.kind: unknown code");
	expect_err(jup_fhir_careplan(plan, NULL, false, &cp, &err), JUP_ERR_USAGE, &err, NULL);
	json_decref(rec);
}

/* clang-format off */
static const char careplan_body[] =
	"{'resourceType': 'CarePlan', 'id': 'cp-17', 'meta': {'versionId': '2'},"
	" 'status': 'active', 'intent': 'plan',"
	" 'category': [{'coding': [{'system': 'http://snomed.info/sct', 'code': '736373009'},"
	"   {'system': '" CANON "/CodeSystem/care-plan-kind', 'code': 'end_of_life'}]}],"
	" 'title': 'Gold Line plan', 'description': 'Wishes to stay at home.',"
	" 'subject': {'reference': 'Patient/1', 'display': 'ignored'},"
	" 'period': {'start': '2026-11-01', 'end': '2027-05-01'},"
	" 'author': {'display': 'ignored: the server knows who writes'},"
	" 'extension': [{'url': 'https://example.org/other', 'valueString': 'passed over'},"
	"  {'url': '" JUP_FHIR_EXT_EOL "', 'extension': ["
	"   {'url': 'preferredPlaceOfCare', 'valueCodeableConcept': {'coding': [{'system': '"
	CANON "/CodeSystem/place', 'code': 'home'}]}},"
	"   {'url': 'preferredPlaceOfDeath', 'valueCodeableConcept': {'text': 'with family'}},"
	"   {'url': 'resuscitation', 'valueCodeableConcept': {'coding': [{'system': '"
	CANON "/CodeSystem/resuscitation', 'code': 'dnacpr'}]}},"
	"   {'url': 'keyContact', 'extension': [{'url': 'name', 'valueString': 'Rowena Quarrendon'},"
	"     {'url': 'relationship', 'valueString': 'daughter'},"
	"     {'url': 'phone', 'valueString': '+44 (0)1632 960123'}]},"
	"   {'url': 'keyContact', 'extension': [{'url': 'name', 'valueString': 'Neighbour'}]},"
	"   {'url': 'medicineInHome', 'valueCodeableConcept': {'coding': [{'system':"
	"     'http://snomed.info/sct', 'code': '373529000'}], 'text': 'Morphine oral solution'}},"
	"   {'url': 'medicineInHome', 'valueCodeableConcept': {'text': 'Midazolam injection'}}"
	"  ]}]}";

static const char careplan_internal[] =
	"{'kind': 'end_of_life', 'status': 'active', 'title': 'Gold Line plan',"
	" 'description': 'Wishes to stay at home.', 'period_start': '2026-11-01',"
	" 'period_end': '2027-05-01',"
	" 'end_of_life': {'preferred_place_of_care': 'home',"
	"  'preferred_place_of_death': 'with family', 'resuscitation': 'dnacpr',"
	"  'key_contacts': [{'name': 'Rowena Quarrendon', 'relationship': 'daughter',"
	"    'phone': '+44 (0)1632 960123'},"
	"   {'name': 'Neighbour', 'relationship': null, 'phone': null}],"
	"  'medicines_in_home': [{'description': 'Morphine oral solution', 'code': '373529000'},"
	"   {'description': 'Midazolam injection', 'code': null}]}}";
/* clang-format on */

static json_t *parse_plan(const char *text, jup_status want, const char *msg)
{
	char *body = Jtext(text);
	json_t *plan = NULL;
	char subject[JUP_FHIR_ID_MAX + 1];
	jup_err err = { "" };
	jup_status r = jup_fhir_careplan_parse(body, strlen(body), &plan, subject, &err);
	free(body);
	expect_err(r, want, &err, msg);
	if (!r)
		assert_string_equal(subject, "1");
	else
		assert_null(plan);
	return plan;
}

static void test_careplan_parse(void **state)
{
	(void)state;
	json_t *plan = parse_plan(careplan_body, JUP_OK, NULL);
	char *want = Jtext(careplan_internal);
	json_t *w = J(want);
	assert_true(json_equal(plan, w));
	json_decref(w);
	free(want);
	json_decref(plan);
	/* a note without end, description or end-of-life details */
	plan = parse_plan(
		"{'resourceType': 'CarePlan', 'status': 'draft', 'intent': 'plan',"
		" 'category': [{'coding': [{'system': '" CANON
		"/CodeSystem/care-plan-kind', 'code': 'note'}]}], 'title': 'Called',"
		" 'subject': {'reference': 'Patient/1'}, 'period': {'start': '2026-11-01'}}",
		JUP_OK, NULL);
	assert_json(plan,
		    "{'kind': 'note', 'status': 'draft', 'title': 'Called', 'description': null,"
		    " 'period_start': '2026-11-01', 'period_end': null, 'end_of_life': null}",
		    "note");
	json_decref(plan);
}

/* What we give is what we take: a stored plan mapped out and read back. */
static void test_careplan_round_trip(void **state)
{
	(void)state;
	json_t *rec = J(full_record), *cp;
	jup_err err = { "" };
	json_t *plan = at(rec, "care_plans.0");
	assert_int_equal(jup_fhir_careplan(plan, "1", false, &cp, &err), JUP_OK);
	char *body = json_dumps(cp, 0);
	json_t *back;
	char subject[JUP_FHIR_ID_MAX + 1];
	if (jup_fhir_careplan_parse(body, strlen(body), &back, subject, &err))
		fail_msg("round trip: %s", err.msg);
	static const char *const keys[] = { "kind",        "status",       "title",
					    "description", "period_start", "period_end",
					    "end_of_life" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!json_equal(json_object_get(back, keys[i]), json_object_get(plan, keys[i])))
			fail_msg("round trip changed %s", keys[i]);
	assert_int_equal(json_object_size(back), 7);
	assert_string_equal(subject, "1");
	free(body);
	json_decref(back);
	json_decref(cp);
	json_decref(rec);
}

static void test_careplan_parse_errors(void **state)
{
	(void)state;
	/* each case changes the good body: path of the parent, key, new value (NULL: remove) */
	static const struct {
		const char *path, *key, *value, *msg;
	} cases[] = {
		{ "", "resourceType", "'Patient'", "CarePlan.resourceType: not CarePlan" },
		{ "", "resourceType", NULL, "CarePlan.resourceType: missing" },
		{ "", "status", "'on-hold'", "CarePlan.status: unknown code (draft, active" },
		{ "", "status", "7", "CarePlan.status: not a string" },
		{ "", "intent", "'order'", "CarePlan.intent: not plan" },
		{ "", "title", NULL, "CarePlan.title: missing" },
		{ "", "title", "''", "CarePlan.title: empty" },
		{ "", "title", "'a\\nb'", "CarePlan.title: holds a control character" },
		{ "", "description", "['x']", "CarePlan.description: not a string" },
		{ "", "activity", "[{}]", "CarePlan.activity: not supported" },
		{ "", "modifierExtension", "[{}]", "CarePlan.modifierExtension: not supported" },
		/* a key that is no FHIR element is the client's text: never echoed */
		{ "", "Quarrendon", "1", "CarePlan: an element joinedup does not know" },
		{ "period", "Ottoline", "1", "CarePlan.period: an element joinedup does not know" },
		{ "extension.1.extension.0", "valueString", "'x'",
		  "CarePlan.extension[1].extension[0].valueString: not supported" },
		{ "", "category", "[]", "CarePlan.category: empty" },
		{ "", "category", "[{'text': 'plan'}]",
		  "CarePlan.category: no joinedup care plan kind" },
		{ "category.0.coding.1", "code", "'wish_list'",
		  "CarePlan.category[0].coding[1]: unknown code" },
		{ "", "subject", NULL, "CarePlan.subject: missing" },
		{ "subject", "reference", "'Group/1'",
		  "CarePlan.subject.reference: not a reference to Patient/ID" },
		{ "subject", "reference", "'Patient/a b'",
		  "CarePlan.subject.reference: not a reference to Patient/ID" },
		{ "subject", "identifier", "{}", "CarePlan.subject.identifier: not supported" },
		{ "period", "start", NULL, "CarePlan.period.start: missing" },
		{ "period", "start", "'2026-02-30'", "CarePlan.period.start: not a date" },
		{ "period", "start", "'1066-10-14'", "CarePlan.period.start: not a date" },
		{ "period", "end", "'2026-11-01T10:00:00Z'", "CarePlan.period.end: not a date" },
		{ "period", "end", "'2026-10-31'", "CarePlan.period.end: before the start" },
		{ "", "extension", "{}", "CarePlan.extension: not an array" },
		{ "", "extension", "[{'url': 'https://example.org/other'}]",
		  "CarePlan.extension: an end-of-life plan needs the end-of-life extension" },
		{ "extension.1", "valueString", "'x'",
		  "CarePlan.extension[1].valueString: not supported" },
		{ "extension.1.extension.0", "url", "'favouriteColour'",
		  "CarePlan.extension[1].extension[0]: not a part of the end-of-life extension" },
		{ "extension.1.extension.0.valueCodeableConcept.coding.0", "code", "'moon'",
		  "CarePlan.extension[1].extension[0].valueCodeableConcept.coding[0]: unknown "
		  "code" },
		{ "extension.1.extension.1", "valueCodeableConcept", "{}",
		  "CarePlan.extension[1].extension[1].valueCodeableConcept.text: missing" },
		{ "extension.1.extension.2", "url", "'preferredPlaceOfCare'",
		  "CarePlan.extension[1].extension[2]: given twice" },
		{ "extension.1.extension.2.valueCodeableConcept.coding.0", "system",
		  "'http://snomed.info/sct'",
		  "CarePlan.extension[1].extension[2].valueCodeableConcept: no joinedup "
		  "resuscitation code" },
		{ "extension.1.extension.3.extension.2", "valueString", "'call 01632'",
		  "CarePlan.extension[1].extension[3].extension[2]: not a telephone number" },
		{ "extension.1.extension.3.extension.2", "valueString",
		  "'0163296012301632960123016329601230'",
		  "CarePlan.extension[1].extension[3].extension[2].valueString: too long" },
		{ "extension.1.extension.4.extension.0", "url", "'pet'",
		  "CarePlan.extension[1].extension[4].extension[0]: not a part of a key contact" },
		{ "extension.1.extension.4.extension.0", "url", "'relationship'",
		  "CarePlan.extension[1].extension[4]: a key contact without a name" },
		{ "extension.1.extension.5.valueCodeableConcept.coding.0", "code", "'373529001'",
		  "CarePlan.extension[1].extension[5].valueCodeableConcept.coding[0]: not a "
		  "SNOMED CT concept id" },
		{ "extension.1.extension.5.valueCodeableConcept.coding.0", "system",
		  "'http://loinc.org'",
		  "CarePlan.extension[1].extension[5].valueCodeableConcept.coding[0]: not SNOMED "
		  "CT" },
		{ "extension.1.extension.6.valueCodeableConcept", "text", NULL,
		  "CarePlan.extension[1].extension[6].valueCodeableConcept.text: missing" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *body = J(careplan_body);
		json_t *holder = cases[i].path[0] ? at(body, cases[i].path) : body;
		if (!holder)
			fail_msg("case %zu: no %s", i, cases[i].path);
		if (cases[i].value)
			json_object_set_new(holder, cases[i].key, J(cases[i].value));
		else
			json_object_del(holder, cases[i].key);
		char *text = json_dumps(body, 0);
		json_t *plan = NULL;
		char subject[JUP_FHIR_ID_MAX + 1];
		jup_err err = { "" };
		jup_status r = jup_fhir_careplan_parse(text, strlen(text), &plan, subject, &err);
		if (r != JUP_ERR_INVALID || strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)))
			fail_msg("case %zu: %s \"%s\", wanted \"%s\"", i, jup_strerror(r), err.msg,
				 cases[i].msg);
		assert_null(plan);
		free(text);
		json_decref(body);
	}
}

/* Too many key contacts or medicines; end-of-life details on a plan of
 * another kind; strings past JUP_MAX_TEXT_LEN. */
static void test_careplan_parse_limits(void **state)
{
	(void)state;
	json_t *body = J(careplan_body);
	json_t *parts = at(body, "extension.1.extension");
	for (int i = 0; i < JUP_CARE_PLAN_MAX_CONTACTS; i++)
		json_array_append_new(parts, J("{'url': 'keyContact', 'extension':"
					       " [{'url': 'name', 'valueString': 'Someone'}]}"));
	char *text = json_dumps(body, 0);
	json_t *plan;
	char subject[JUP_FHIR_ID_MAX + 1];
	jup_err err = { "" };
	char want[96];
	snprintf(want, sizeof want, "CarePlan.extension[1].extension[%d]: more than %d key contacts",
		 5 + JUP_CARE_PLAN_MAX_CONTACTS, JUP_CARE_PLAN_MAX_CONTACTS);
	expect_err(jup_fhir_careplan_parse(text, strlen(text), &plan, subject, &err),
		   JUP_ERR_INVALID, &err, want);
	free(text);
	json_decref(body);

	body = J(careplan_body);
	parts = at(body, "extension.1.extension");
	for (int i = 0; i < JUP_CARE_PLAN_MAX_MEDICINES; i++)
		json_array_append_new(parts, J("{'url': 'medicineInHome', 'valueCodeableConcept':"
					       " {'text': 'Something'}}"));
	text = json_dumps(body, 0);
	snprintf(want, sizeof want, "more than %d medicines", JUP_CARE_PLAN_MAX_MEDICINES);
	expect_err(jup_fhir_careplan_parse(text, strlen(text), &plan, subject, &err),
		   JUP_ERR_INVALID, &err, want);
	free(text);
	json_decref(body);

	body = J(careplan_body);
	json_object_set_new(at(body, "category.0.coding.1"), "code", json_string("care_plan"));
	text = json_dumps(body, 0);
	expect_err(jup_fhir_careplan_parse(text, strlen(text), &plan, subject, &err),
		   JUP_ERR_INVALID, &err,
		   "CarePlan.extension[1]: end-of-life details on a plan that is not an "
		   "end-of-life plan");
	free(text);
	json_decref(body);

	char long_text[JUP_MAX_TEXT_LEN + 2];
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	body = J(careplan_body);
	json_object_set_new(body, "description", json_string(long_text));
	text = json_dumps(body, 0);
	expect_err(jup_fhir_careplan_parse(text, strlen(text), &plan, subject, &err),
		   JUP_ERR_INVALID, &err, "CarePlan.description: too long (at most 500 bytes)");
	free(text);
	long_text[JUP_MAX_TEXT_LEN] = '\0';
	json_object_set_new(body, "description", json_string(long_text));
	text = json_dumps(body, 0);
	assert_int_equal(jup_fhir_careplan_parse(text, strlen(text), &plan, subject, &err), JUP_OK);
	json_decref(plan);
	free(text);
	json_decref(body);

	/* the body itself */
	expect_err(jup_fhir_careplan_parse("{\"a\":1,\"a\":1}", 13, &plan, subject, &err),
		   JUP_ERR_INVALID, &err, "duplicate key");
	expect_err(jup_fhir_careplan_parse("[]", 2, &plan, subject, &err), JUP_ERR_INVALID, &err,
		   "not a JSON object");
}

/* ---- Consent ----------------------------------------------------------------------------- */

static jup_consent_decision decision(jup_consent_purpose purpose, bool permit, bool gp, bool sc)
{
	jup_consent_decision d;
	memset(&d, 0, sizeof d);
	d.purpose = purpose;
	snprintf(d.flow, sizeof d.flow, "shared care record");
	d.permit = permit;
	d.gp_data = gp;
	d.social_care_data = sc;
	return d;
}

static void test_consent_map(void **state)
{
	(void)state;
	jup_consent_decision d = decision(JUP_CONSENT_DIRECT_CARE, true, true, false);
	d.nreasons = 1;
	d.reasons[0].rule = JUP_CONSENT_RULE_SC_CONSENT;
	snprintf(d.reasons[0].text, sizeof d.reasons[0].text,
		 "You have not agreed to the council sharing your social care record.");
	snprintf(d.summary, sizeof d.summary, "Your record is shared for your care.");
	jup_fhir_consent_in in = { .patient_id = "1",
				   .nhs_number = NHS,
				   .purpose = JUP_CONSENT_DIRECT_CARE,
				   .decision = &d,
				   .choice = JUP_CONSENT_CHOICE_PERMIT,
				   .choice_specific = false,
				   .recorded_at = "2026-11-01T09:00:00Z" };
	json_t *c;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_consent(&in, &c, &err), JUP_OK);
	assert_json(c,
		    "{'resourceType': 'Consent', 'id': 'consent-1-direct-care',"
		    " 'extension': ["
		    "  {'url': '" CANON "/StructureDefinition/consent-choice', 'extension': ["
		    "   {'url': 'choice', 'valueCode': 'permit'},"
		    "   {'url': 'specific', 'valueBoolean': false}]},"
		    "  {'url': '" CANON "/StructureDefinition/consent-reason', 'extension': ["
		    "   {'url': 'rule', 'valueCoding': {'system': '" CANON
		    "/CodeSystem/consent-rule',"
		    "    'code': 'sc_consent'}},"
		    "   {'url': 'text', 'valueString': 'You have not agreed to the council sharing"
		    " your social care record.'}]},"
		    "  {'url': '" CANON "/StructureDefinition/consent-summary', 'valueString':"
		    "   'Your record is shared for your care.'},"
		    "  {'url': '" CANON "/StructureDefinition/consent-flow', 'valueString':"
		    "   'shared care record'}],"
		    " 'status': 'active',"
		    " 'scope': {'coding': [{'system': 'http://terminology.hl7.org/CodeSystem/"
		    "consentscope', 'code': 'patient-privacy', 'display': 'Privacy Consent'}]},"
		    " 'category': [{'coding': [{'system': 'http://loinc.org', 'code': '59284-0',"
		    "  'display': 'Patient Consent'}]}],"
		    " 'patient': {'reference': 'Patient/1', 'identifier': {'system':"
		    "  'https://fhir.nhs.uk/Id/nhs-number', 'value': '" NHS "'}},"
		    " 'dateTime': '2026-11-01T09:00:00Z',"
		    " 'policyRule': {'coding': [{'system': 'http://terminology.hl7.org/CodeSystem/"
		    "v3-ActCode', 'code': 'OPTOUT', 'display': 'opt-out'}]},"
		    " 'provision': {'type': 'permit', 'purpose': ["
		    "   {'system': 'http://terminology.hl7.org/CodeSystem/v3-ActReason',"
		    "    'code': 'TREAT', 'display': 'treatment'},"
		    "   {'system': '" CANON "/CodeSystem/purpose', 'code': 'direct_care',"
		    "    'display': 'Direct care'}],"
		    "  'provision': ["
		    "   {'type': 'permit', 'code': [{'coding': [{'system': '" CANON
		    "/CodeSystem/record-section', 'code': 'gp', 'display': 'GP record'}]}]},"
		    "   {'type': 'deny', 'code': [{'coding': [{'system': '" CANON
		    "/CodeSystem/record-section', 'code': 'social_care', 'display':"
		    " 'Council social care record'}]}]}]}}",
		    "consent");
	json_decref(c);
	/* research, refused, no choice: opt-in, no nested provisions, no NHS number */
	d = decision(JUP_CONSENT_RESEARCH, false, false, false);
	in = (jup_fhir_consent_in){
		.patient_id = "p-7", .purpose = JUP_CONSENT_RESEARCH, .decision = &d, .opt_in = true
	};
	assert_int_equal(jup_fhir_consent(&in, &c, &err), JUP_OK);
	assert_json(at(c, "id"), "'consent-p-7-research'", "id");
	assert_json(at(c, "provision"),
		    "{'type': 'deny', 'purpose': [{'system': 'http://terminology.hl7.org/"
		    "CodeSystem/v3-ActReason', 'code': 'HRESCH', 'display': 'healthcare research'},"
		    " {'system': '" CANON "/CodeSystem/purpose', 'code': 'research', 'display':"
		    " 'Research'}]}",
		    "research provision");
	assert_json(at(c, "policyRule.coding.0.code"), "'OPTIN'", "opt-in");
	assert_json(at(c, "extension.0.extension"), "[{'url': 'choice', 'valueCode': 'none'}]",
		    "no choice");
	assert_json(at(c, "patient"), "{'reference': 'Patient/p-7'}", "no NHS number");
	assert_null(at(c, "dateTime"));
	json_decref(c);
	/* refusals */
	in.purpose = JUP_CONSENT_PLANNING; /* not the decision's */
	expect_err(jup_fhir_consent(&in, &c, &err), JUP_ERR_USAGE, &err, NULL);
	in.purpose = JUP_CONSENT_RESEARCH;
	char long_id[64];
	memset(long_id, '9', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	in.patient_id = long_id;
	expect_err(jup_fhir_consent(&in, &c, &err), JUP_ERR_USAGE, &err, "too long");
	in.patient_id = "1";
	in.decision = NULL;
	expect_err(jup_fhir_consent(&in, &c, &err), JUP_ERR_USAGE, &err, NULL);
}

#define CONSENT_HEAD                                                                               \
	"{'resourceType': 'Consent', 'status': 'active', 'scope': {'coding': [{'system':"          \
	" 'http://terminology.hl7.org/CodeSystem/consentscope', 'code': 'patient-privacy'}]},"     \
	" 'patient': {'reference': 'Patient/1'},"

static void test_consent_parse(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		jup_status want;
		jup_consent_purpose purpose;
		bool permit;
		const char *msg;
	} cases[] = {
		{ CONSENT_HEAD " 'provision': {'type': 'deny', 'purpose': [{'system': '" CANON
			       "/CodeSystem/purpose', 'code': 'research'}]}}",
		  JUP_OK, JUP_CONSENT_RESEARCH, false, NULL },
		{ CONSENT_HEAD " 'provision': {'type': 'permit', 'purpose': [{'system':"
			       " 'http://terminology.hl7.org/CodeSystem/v3-ActReason', 'code':"
			       " 'POPHLTH'}]}}",
		  JUP_OK, JUP_CONSENT_RISK_STRATIFICATION, true, NULL },
		{ CONSENT_HEAD " 'provision': {'type': 'deny'}}", JUP_OK, JUP_CONSENT_EVERY_PURPOSE,
		  false, NULL },
		/* as we give it, with both codings and server-owned elements */
		{ CONSENT_HEAD " 'id': 'consent-1-planning', 'extension': [{'url': 'x'}],"
			       " 'category': [{'text': 'x'}], 'policyRule': {'text': 'x'},"
			       " 'provision': {'type': 'deny', 'purpose': [{'system':"
			       " 'http://terminology.hl7.org/CodeSystem/v3-ActReason', 'code':"
			       " 'HOPERAT'}, {'system': '" CANON "/CodeSystem/purpose', 'code':"
			       " 'planning', 'display': 'Planning'}]}}",
		  JUP_OK, JUP_CONSENT_PLANNING, false, NULL },
		{ CONSENT_HEAD " 'provision': {'type': 'deny', 'purpose': [{'system': '" CANON
			       "/CodeSystem/purpose', 'code': 'planning'}, {'system': '" CANON
			       "/CodeSystem/purpose', 'code': 'research'}]}}",
		  JUP_ERR_INVALID, 0, false,
		  "Consent.provision.purpose[1]: a second, different purpose" },
		{ CONSENT_HEAD " 'provision': {'type': 'deny', 'purpose': [{'system': '" CANON
			       "/CodeSystem/purpose', 'code': 'linkage'}]}}",
		  JUP_ERR_INVALID, 0, false,
		  "Consent.provision.purpose[0]: not a purpose a person chooses about" },
		{ CONSENT_HEAD " 'provision': {'type': 'maybe'}}", JUP_ERR_INVALID, 0, false,
		  "Consent.provision.type: not permit or deny" },
		{ CONSENT_HEAD " 'provision': {'type': 'deny', 'provision': []}}", JUP_ERR_INVALID,
		  0, false, "Consent.provision.provision: not supported" },
		{ CONSENT_HEAD " 'provision': {}}", JUP_ERR_INVALID, 0, false,
		  "Consent.provision.type: missing" },
		{ CONSENT_HEAD " 'provision': {'type': 'deny'}, 'performer': []}", JUP_ERR_INVALID,
		  0, false, "Consent.performer: not supported" },
		{ "{'resourceType': 'Consent', 'status': 'proposed', 'scope': {'coding':"
		  " [{'system': 'http://terminology.hl7.org/CodeSystem/consentscope', 'code':"
		  " 'patient-privacy'}]}, 'patient': {'reference': 'Patient/1'}, 'provision':"
		  " {'type': 'deny'}}",
		  JUP_ERR_INVALID, 0, false, "Consent.status: not active" },
		{ "{'resourceType': 'Consent', 'status': 'active', 'scope': {'coding':"
		  " [{'system': 'http://terminology.hl7.org/CodeSystem/consentscope', 'code':"
		  " 'research'}]}, 'patient': {'reference': 'Patient/1'}, 'provision':"
		  " {'type': 'deny'}}",
		  JUP_ERR_INVALID, 0, false, "Consent.scope: not patient-privacy" },
		{ "{'resourceType': 'Consent', 'status': 'active', 'scope': {'coding':"
		  " [{'system': 'http://terminology.hl7.org/CodeSystem/consentscope', 'code':"
		  " 'patient-privacy'}]}, 'patient': {'reference': 'Practitioner/1'}, 'provision':"
		  " {'type': 'deny'}}",
		  JUP_ERR_INVALID, 0, false,
		  "Consent.patient.reference: not a reference to Patient/ID" },
		{ "{'resourceType': 'CarePlan'}", JUP_ERR_INVALID, 0, false,
		  "Consent.resourceType: not Consent" },
		{ "{'resourceType': 'Consent', 'resourceType': 'Consent'}", JUP_ERR_INVALID, 0,
		  false, "duplicate key" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *body = Jtext(cases[i].body);
		jup_fhir_consent_change ch;
		jup_err err = { "" };
		jup_status r = jup_fhir_consent_parse(body, strlen(body), &ch, &err);
		if (r != cases[i].want || (cases[i].msg && !strstr(err.msg, cases[i].msg)))
			fail_msg("case %zu: %s \"%s\"", i, jup_strerror(r), err.msg);
		if (!r) {
			assert_int_equal(ch.purpose, cases[i].purpose);
			assert_int_equal(ch.permit, cases[i].permit);
			assert_string_equal(ch.patient_id, "1");
		}
		free(body);
	}
}

/* ---- AuditEvent ------------------------------------------------------------------------- */

static jup_audit_record audit_record(void)
{
	jup_audit_record r;
	memset(&r, 0, sizeof r);
	r.id = 42;
	r.person_id = 7;
	r.f.f[JUP_AUDIT_F_RECORDED_AT] = JUP_SV_LIT("2026-11-23T10:00:00Z");
	r.f.f[JUP_AUDIT_F_ACTOR] = JUP_SV_LIT("gp.larch");
	r.f.f[JUP_AUDIT_F_ROLE] = JUP_SV_LIT("gp");
	r.f.f[JUP_AUDIT_F_ORG_CODE] = JUP_SV_LIT("Y90001");
	r.f.f[JUP_AUDIT_F_PURPOSE] = JUP_SV_LIT("direct_care");
	r.f.f[JUP_AUDIT_F_PERSON_ID] = JUP_SV_LIT("7");
	r.f.f[JUP_AUDIT_F_ACTION] = JUP_SV_LIT("record.read");
	r.f.f[JUP_AUDIT_F_WHAT] = JUP_SV_LIT("record view=full sections=gp,hospital");
	r.f.f[JUP_AUDIT_F_OUTCOME] = JUP_SV_LIT("permit");
	r.f.f[JUP_AUDIT_F_REASON] = JUP_SV_LIT("registered at your practice");
	r.f.f[JUP_AUDIT_F_REQUEST_ID] = JUP_SV_LIT("req-1");
	return r;
}

static void test_audit_event(void **state)
{
	(void)state;
	jup_audit_record r = audit_record();
	json_t *ev;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_audit_event(&r, "p7", &ev, &err), JUP_OK);
	assert_json(
		ev,
		"{'resourceType': 'AuditEvent', 'id': 'audit-42',"
		" 'type': {'system': 'http://dicom.nema.org/resources/ontology/DCM',"
		"  'code': '110110', 'display': 'Patient Record'},"
		" 'subtype': [{'system': '" CANON "/CodeSystem/audit-action',"
		"  'code': 'record.read'}],"
		" 'action': 'R', 'recorded': '2026-11-23T10:00:00Z', 'outcome': '0',"
		" 'outcomeDesc': 'registered at your practice',"
		" 'purposeOfEvent': [{'coding': [{'system': 'http://terminology.hl7.org/"
		"CodeSystem/v3-ActReason', 'code': 'TREAT', 'display': 'treatment'},"
		"  {'system': '" CANON "/CodeSystem/purpose', 'code': 'direct_care',"
		"   'display': 'Direct care'}]}],"
		" 'agent': [{'who': {'identifier': {'system': '" CANON "/Id/user',"
		"   'value': 'gp.larch'}, 'display': 'gp.larch'}, 'requestor': true,"
		"  'role': [{'coding': [{'system': '" CANON "/CodeSystem/role', 'code': 'gp'}]}]},"
		"  {'who': {'reference': 'Organization/org-Y90001', 'identifier': {'system':"
		"   'https://fhir.nhs.uk/Id/ods-organization-code', 'value': 'Y90001'}},"
		"   'requestor': false}],"
		" 'source': {'observer': {'display': 'joinedup'}, 'type': [{'system':"
		"  'http://terminology.hl7.org/CodeSystem/security-source-type', 'code': '4',"
		"  'display': 'Application Server'}]},"
		" 'entity': [{'what': {'reference': 'Patient/p7'}, 'type': {'system':"
		"   'http://terminology.hl7.org/CodeSystem/audit-entity-type', 'code': '1',"
		"   'display': 'Person'}, 'role': {'system': 'http://terminology.hl7.org/"
		"CodeSystem/object-role', 'code': '1', 'display': 'Patient'}},"
		"  {'type': {'system': 'http://terminology.hl7.org/CodeSystem/audit-entity-type',"
		"   'code': '2', 'display': 'System Object'},"
		"   'description': 'record view=full sections=gp,hospital'},"
		"  {'what': {'identifier': {'system': '" CANON "/Id/request', 'value': 'req-1'}},"
		"   'type': {'system': 'http://terminology.hl7.org/CodeSystem/audit-entity-type',"
		"   'code': '2', 'display': 'System Object'}, 'name': 'request'}]}",
		"audit event");
	json_decref(ev);
	/* a denied break-glass access: outcome 4, BTG with the justification; the
	 * entry's person id as the patient */
	r.f.f[JUP_AUDIT_F_OUTCOME] = JUP_SV_LIT("deny");
	r.f.f[JUP_AUDIT_F_BREAK_GLASS] = JUP_SV_LIT("unconscious in A&E, no relationship");
	assert_int_equal(jup_fhir_audit_event(&r, NULL, &ev, &err), JUP_OK);
	assert_json(at(ev, "outcome"), "'4'", "deny");
	assert_json(at(ev, "purposeOfEvent.1"),
		    "{'coding': [{'system': 'http://terminology.hl7.org/CodeSystem/v3-ActReason',"
		    " 'code': 'BTG', 'display': 'break the glass'}],"
		    " 'text': 'unconscious in A&E, no relationship'}",
		    "break-glass");
	assert_json(at(ev, "entity.0.what"), "{'reference': 'Patient/7'}", "person id");
	json_decref(ev);
	/* about nobody, an action of its own */
	r = audit_record();
	r.person_id = 0;
	r.f.f[JUP_AUDIT_F_PERSON_ID] = (jup_sv){ NULL, 0 };
	r.f.f[JUP_AUDIT_F_ACTION] = JUP_SV_LIT("break_glass.review");
	r.f.f[JUP_AUDIT_F_PURPOSE] = JUP_SV_LIT("governance");
	r.f.f[JUP_AUDIT_F_OUTCOME] = JUP_SV_LIT("done");
	r.f.f[JUP_AUDIT_F_WHAT] = (jup_sv){ NULL, 0 };
	r.f.f[JUP_AUDIT_F_REQUEST_ID] = (jup_sv){ NULL, 0 };
	r.f.f[JUP_AUDIT_F_ORG_CODE] = (jup_sv){ NULL, 0 };
	assert_int_equal(jup_fhir_audit_event(&r, NULL, &ev, &err), JUP_OK);
	assert_json(at(ev, "type.code"), "'110100'", "application activity");
	assert_json(at(ev, "action"), "'C'", "review");
	assert_json(at(ev, "outcome"), "'0'", "done");
	assert_json(at(ev, "purposeOfEvent"),
		    "[{'coding': [{'system': '" CANON "/CodeSystem/purpose', 'code': 'governance',"
		    " 'display': 'Information governance'}]}]",
		    "governance");
	assert_null(at(ev, "entity"));
	assert_int_equal(json_array_size(at(ev, "agent")), 1);
	json_decref(ev);
	r.f.f[JUP_AUDIT_F_REASON] = (jup_sv){ "\xff", 1 };
	expect_err(jup_fhir_audit_event(&r, NULL, &ev, &err), JUP_ERR_INVALID, &err,
		   "audit entry 42: reason is not UTF-8");
	expect_err(jup_fhir_audit_event(&r, "not/an/id", &ev, &err), JUP_ERR_USAGE, &err, NULL);
}

/* ---- paging and Bundles ------------------------------------------------------------------- */

static void test_page_links(void **state)
{
	(void)state;
	static const struct {
		int64_t count, offset, total;
		bool more;
		const char *links; /* relation=offset ... */
	} cases[] = {
		{ 10, 0, 25, false, "self=0 first=0 next=10 last=20" },
		{ 10, 10, 25, false, "self=10 first=0 previous=0 next=20 last=20" },
		{ 10, 20, 25, false, "self=20 first=0 previous=10 last=20" },
		{ 10, 5, 25, false, "self=5 first=0 previous=0 next=15 last=20" },
		{ 10, 0, 0, false, "self=0 first=0 last=0" },
		{ 10, 0, 10, false, "self=0 first=0 last=0" },
		{ 10, 30, -1, true, "self=30 first=0 previous=20 next=40" },
		{ 10, 30, -1, false, "self=30 first=0 previous=20" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_fhir_page p = { BASE "/",       "CarePlan",      "patient=1&status=active",
				    cases[i].count, cases[i].offset, cases[i].total,
				    cases[i].more };
		json_t *links;
		jup_err err = { "" };
		assert_int_equal(jup_fhir_page_links(&p, &links, &err), JUP_OK);
		char got[512] = "";
		size_t n = 0, j;
		json_t *l;
		json_array_foreach(links, j, l)
		{
			const char *url = json_string_value(json_object_get(l, "url"));
			const char *want_start =
				BASE "/CarePlan?patient=1&status=active&_count=10&_offset=";
			if (strncmp(url, want_start, strlen(want_start)) != 0)
				fail_msg("case %zu: url %s", i, url);
			n += (size_t)snprintf(got + n, sizeof got - n, "%s%s=%s", j ? " " : "",
					      json_string_value(json_object_get(l, "relation")),
					      url + strlen(want_start));
		}
		if (strcmp(got, cases[i].links) != 0)
			fail_msg("case %zu: %s, wanted %s", i, got, cases[i].links);
		json_decref(links);
	}
	jup_fhir_page p = { BASE, "Patient", NULL, 50, 0, 1, false };
	json_t *links;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_page_links(&p, &links, &err), JUP_OK);
	assert_json(at(links, "0"),
		    "{'relation': 'self', 'url': '" BASE "/Patient?_count=50&_offset=0'}", "bare");
	json_decref(links);
	static const jup_fhir_page bad[] = {
		{ BASE, "Patient", NULL, 0, 0, -1, false },
		{ BASE, "Patient", NULL, JUP_FHIR_MAX_COUNT + 1, 0, -1, false },
		{ BASE, "Patient", NULL, 10, -1, -1, false },
		{ BASE, "Patient", NULL, 10, INT64_MAX, -1, false },
		{ BASE, "Patient", "name=x&_count=5", 10, 0, -1, false },
		{ BASE, "Patient", "_offset=5", 10, 0, -1, false },
		{ NULL, "Patient", NULL, 10, 0, -1, false },
		{ BASE, "", NULL, 10, 0, -1, false },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		expect_err(jup_fhir_page_links(&bad[i], &links, &err), JUP_ERR_USAGE, &err, NULL);
		assert_null(links);
	}
	char *huge = malloc(JUP_FHIR_MAX_URL_LEN + 1);
	assert_non_null(huge);
	memset(huge, 'a', JUP_FHIR_MAX_URL_LEN);
	huge[JUP_FHIR_MAX_URL_LEN] = '\0';
	jup_fhir_page long_query = { BASE, "Patient", huge, 10, 0, -1, false };
	expect_err(jup_fhir_page_links(&long_query, &links, &err), JUP_ERR_LIMIT, &err, NULL);
	free(huge);
}

static void test_bundle(void **state)
{
	(void)state;
	json_t *entries = json_array(), *e, *b;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_entry(BASE "/", J("{'resourceType': 'CarePlan', 'id': 'cp-1'}"),
					"match", &e, &err),
			 JUP_OK);
	json_array_append_new(entries, e);
	assert_int_equal(jup_fhir_entry(BASE, J("{'resourceType': 'OperationOutcome'}"), "outcome",
					&e, &err),
			 JUP_OK);
	json_array_append_new(entries, e);
	jup_fhir_page p = { BASE, "CarePlan", NULL, 10, 0, 1, false };
	json_t *links;
	assert_int_equal(jup_fhir_page_links(&p, &links, &err), JUP_OK);
	assert_int_equal(jup_fhir_bundle_searchset(entries, 1, links, &b, &err), JUP_OK);
	assert_json(b,
		    "{'resourceType': 'Bundle', 'type': 'searchset', 'total': 1, 'link': ["
		    " {'relation': 'self', 'url': '" BASE "/CarePlan?_count=10&_offset=0'},"
		    " {'relation': 'first', 'url': '" BASE "/CarePlan?_count=10&_offset=0'},"
		    " {'relation': 'last', 'url': '" BASE "/CarePlan?_count=10&_offset=0'}],"
		    " 'entry': [{'fullUrl': '" BASE "/CarePlan/cp-1', 'resource': {'resourceType':"
		    "  'CarePlan', 'id': 'cp-1'}, 'search': {'mode': 'match'}},"
		    " {'resource': {'resourceType': 'OperationOutcome'}, 'search': {'mode':"
		    "  'outcome'}}]}",
		    "bundle");
	json_decref(b);
	assert_int_equal(jup_fhir_bundle_searchset(json_array(), -1, NULL, &b, &err), JUP_OK);
	assert_json(b, "{'resourceType': 'Bundle', 'type': 'searchset'}", "empty");
	json_decref(b);
	/* references are taken on failure too (ASan would see a leak) */
	expect_err(jup_fhir_entry(BASE, J("{'id': 'x'}"), "match", &e, &err), JUP_ERR_USAGE, &err,
		   NULL);
	expect_err(jup_fhir_entry(BASE, J("{'resourceType': 'X'}"), "other", &e, &err),
		   JUP_ERR_USAGE, &err, NULL);
	expect_err(jup_fhir_bundle_searchset(J("{}"), 0, json_array(), &b, &err), JUP_ERR_USAGE,
		   &err, NULL);
}

/* ---- CapabilityStatement ------------------------------------------------------------------ */

static void test_capability(void **state)
{
	(void)state;
	static const char *const patient_in[] = { "read", "search-type" };
	static const char *const plan_in[] = {
		"read", "vread", "create", "update", "history-instance", "search-type"
	};
	static const jup_fhir_cap_param patient_params[] = {
		{ "identifier", "token", "NHS number: https://fhir.nhs.uk/Id/nhs-number|N" },
	};
	static const jup_fhir_cap_param plan_params[] = { { "patient", "reference", NULL },
							  { "status", "token", NULL } };
	static const jup_fhir_cap_op patient_ops[] = {
		{ "everything", "http://hl7.org/fhir/OperationDefinition/Patient-everything" },
	};
	const jup_fhir_cap_resource list[] = {
		{ "Patient", NULL, patient_in, 2, patient_params, 1, patient_ops, 1 },
		{ "CarePlan", NULL, plan_in, 6, plan_params, 2, NULL, 0 },
	};
	jup_fhir_cap_info info = { BASE, NULL, "9.9.9", BASE "/auth/token", "2026-11-23" };
	json_t *cs;
	jup_err err = { "" };
	assert_int_equal(jup_fhir_capability(list, 2, &info, &cs, &err), JUP_OK);
	assert_json(
		cs,
		"{'resourceType': 'CapabilityStatement', 'status': 'active',"
		" 'date': '2026-11-23', 'kind': 'instance',"
		" 'software': {'name': 'joinedup', 'version': '9.9.9'},"
		" 'implementation': {'description': 'joinedup shared care record',"
		"  'url': '" BASE "'},"
		" 'fhirVersion': '4.0.1', 'format': ['json'],"
		" 'rest': [{'mode': 'server',"
		"  'security': {'cors': false, 'service': [{'coding': [{'system':"
		"   'http://terminology.hl7.org/CodeSystem/restful-security-service',"
		"   'code': 'OAuth', 'display': 'OAuth'}]}],"
		"   'extension': [{'url': 'http://fhir-registry.smarthealthit.org/"
		"StructureDefinition/oauth-uris', 'extension': [{'url': 'token', 'valueUri': '" BASE
		"/auth/token'}]}]},"
		"  'resource': ["
		"   {'type': 'Patient', 'interaction': [{'code': 'read'}, {'code':"
		"    'search-type'}], 'searchParam': [{'name': 'identifier', 'type': 'token',"
		"    'documentation': 'NHS number: https://fhir.nhs.uk/Id/nhs-number|N'}],"
		"    'operation': [{'name': 'everything', 'definition':"
		"    'http://hl7.org/fhir/OperationDefinition/Patient-everything'}]},"
		"   {'type': 'CarePlan', 'interaction': [{'code': 'read'}, {'code': 'vread'},"
		"    {'code': 'create'}, {'code': 'update'}, {'code': 'history-instance'},"
		"    {'code': 'search-type'}], 'searchParam': [{'name': 'patient', 'type':"
		"    'reference'}, {'name': 'status', 'type': 'token'}]}]}]}",
		"capability");
	json_decref(cs);
	/* no date: today's; no token URL: no extension */
	info.date = NULL;
	info.token_url = NULL;
	assert_int_equal(jup_fhir_capability(list, 1, &info, &cs, &err), JUP_OK);
	assert_int_equal(strlen(json_string_value(at(cs, "date"))), 10);
	assert_null(at(cs, "rest.0.security.extension"));
	json_decref(cs);
	static const char *const bad_in[] = { "read", "search" };
	const jup_fhir_cap_resource bad[] = { { "Patient", NULL, bad_in, 2, NULL, 0, NULL, 0 } };
	expect_err(jup_fhir_capability(bad, 1, &info, &cs, &err), JUP_ERR_USAGE, &err,
		   "an interaction FHIR does not define");
	static const jup_fhir_cap_param bad_param[] = { { "name", "text", NULL } };
	const jup_fhir_cap_resource bad2[] = {
		{ "Patient", NULL, patient_in, 2, bad_param, 1, NULL, 0 },
	};
	expect_err(jup_fhir_capability(bad2, 1, &info, &cs, &err), JUP_ERR_USAGE, &err, NULL);
	info.base_url = NULL;
	expect_err(jup_fhir_capability(list, 2, &info, &cs, &err), JUP_ERR_USAGE, &err, NULL);
}

/* ---- resource ids -------------------------------------------------------------------------- */

static void test_ids(void **state)
{
	(void)state;
	static const struct {
		const char *type, *id;
		jup_status want;
		jup_fhir_row row;
		int64_t n, position;
		const char *text;
	} cases[] = {
		{ "Condition", "cond-11", JUP_OK, JUP_FHIR_ROW_CONDITION, 11, 0, "" },
		{ "Condition", "adm-41-dx-2", JUP_OK, JUP_FHIR_ROW_ADMISSION_DIAGNOSIS, 41, 2, "" },
		{ "Encounter", "adm-41", JUP_OK, JUP_FHIR_ROW_ADMISSION, 41, 0, "" },
		{ "Encounter", "ae-9223372036854775807", JUP_OK, JUP_FHIR_ROW_AE_ATTENDANCE,
		  INT64_MAX, 0, "" },
		{ "EpisodeOfCare", "gpreg-4", JUP_OK, JUP_FHIR_ROW_GP_REGISTRATION, 4, 0, "" },
		{ "EpisodeOfCare", "sca-61", JUP_OK, JUP_FHIR_ROW_SC_ASSESSMENT, 61, 0, "" },
		{ "EpisodeOfCare", "scs-71", JUP_OK, JUP_FHIR_ROW_SC_SERVICE, 71, 0, "" },
		{ "MedicationStatement", "med-21", JUP_OK, JUP_FHIR_ROW_MEDICATION, 21, 0, "" },
		{ "CarePlan", "eol-31", JUP_OK, JUP_FHIR_ROW_EOL_PLAN, 31, 0, "" },
		{ "CarePlan", "cp-17", JUP_OK, JUP_FHIR_ROW_CARE_PLAN, 0, 0, "17" },
		{ "Consent", "scc-82", JUP_OK, JUP_FHIR_ROW_SC_CONSENT, 82, 0, "" },
		{ "Consent", "consent-42-risk-stratification", JUP_OK, JUP_FHIR_ROW_CONSENT, 0, 0,
		  "42" },
		{ "Consent", "consent-p-7-research", JUP_OK, JUP_FHIR_ROW_CONSENT, 0, 0, "p-7" },
		{ "CareTeam", "team-91", JUP_OK, JUP_FHIR_ROW_CARE_TEAM, 91, 0, "" },
		{ "Organization", "org-E08000035", JUP_OK, JUP_FHIR_ROW_ORGANISATION, 0, 0,
		  "E08000035" },
		{ "AuditEvent", "audit-42", JUP_OK, JUP_FHIR_ROW_AUDIT_ENTRY, 42, 0, "" },
		/* not of the scheme, or another type's */
		{ "Encounter", "cond-11", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Encounter", "adm-41-dx-2", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Condition", "adm-41", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Condition", "cond-011", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Condition", "cond-0", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Condition", "cond-", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Condition", "cond-+1", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Encounter", "ae-9223372036854775808", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Consent", "consent-42-linkage", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Consent", "consent--research", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "CarePlan", "cp-", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Patient", "cond-11", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
		{ "Condition", "cond_11", JUP_ERR_NOT_FOUND, 0, 0, 0, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_fhir_id got;
		jup_err err = { "" };
		jup_status r = jup_fhir_id_parse(cases[i].type, cases[i].id, &got, &err);
		if (r != cases[i].want)
			fail_msg("%s/%s: %s", cases[i].type, cases[i].id, jup_strerror(r));
		if (r)
			continue;
		assert_int_equal(got.row, cases[i].row);
		assert_true(got.n == cases[i].n);
		assert_true(got.position == cases[i].position);
		assert_string_equal(got.text, cases[i].text);
	}
	/* every id the mapping gives reads back */
	json_t *b = everything(full_record, "1");
	size_t i;
	json_t *e;
	json_array_foreach(at(b, "entry"), i, e)
	{
		const char *type = json_string_value(at(e, "resource.resourceType"));
		const char *id = json_string_value(at(e, "resource.id"));
		if (!id || strcmp(type, "Patient") == 0)
			continue;
		jup_fhir_id got;
		jup_err err = { "" };
		if (jup_fhir_id_parse(type, id, &got, &err))
			fail_msg("%s/%s does not read back", type, id);
	}
	json_decref(b);
}

/* ---- odds and ends ----------------------------------------------------------------------- */

/* A&E arrival times are local: the UK offset by the summer time rule (2026:
 * clocks go forward on 29 March, back on 25 October). */
static void test_local_time(void **state)
{
	(void)state;
	static const struct {
		const char *local, *fhir;
	} cases[] = {
		{ "2026-03-29T00:59", "2026-03-29T00:59:00+00:00" },
		{ "2026-03-29T01:30", "2026-03-29T01:30:00+00:00" }, /* does not exist */
		{ "2026-03-29T02:00", "2026-03-29T02:00:00+01:00" },
		{ "2026-03-28T12:00:00", "2026-03-28T12:00:00+00:00" },
		{ "2026-07-01T12:00:07", "2026-07-01T12:00:07+01:00" },
		{ "2026-10-25T00:30", "2026-10-25T00:30:00+01:00" },
		{ "2026-10-25T01:30", "2026-10-25T01:30:00+01:00" }, /* the first of two */
		{ "2026-10-25T02:00", "2026-10-25T02:00:00+00:00" },
		{ "2026-10-24T23:00", "2026-10-24T23:00:00+01:00" },
		{ "2026-12-31T23:59:59", "2026-12-31T23:59:59+00:00" },
		{ "2025-03-30T02:00", "2025-03-30T02:00:00+01:00" },
		{ "2025-10-26T02:00", "2025-10-26T02:00:00+00:00" },
		{ "2026-02-01", "2026-02-01" },
	};
	static const char *const bad[] = { "2026-02-30T10:00",
					   "2026-01-01T24:00",
					   "2026-01-01T10:60",
					   "2026-01-01 10:00",
					   "2026-01-01T10:00Z",
					   "2026-1-01T10:00",
					   "",
					   "2026-01-01T10:00:00.5" };
	/* the mapping goes through $everything's A&E attendances */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0] + sizeof bad / sizeof bad[0]; i++) {
		bool good = i < sizeof cases / sizeof cases[0];
		const char *in = good ? cases[i].local : bad[i - sizeof cases / sizeof cases[0]];
		json_t *rec = J(full_record), *b = NULL;
		json_object_set_new(at(rec, "hospital.ae_attendances.0"), "arrived_at",
				    json_string(in));
		jup_err err = { "" };
		jup_status r = jup_fhir_everything(rec, "1", BASE, &b, &err);
		if (good) {
			if (r)
				fail_msg("%s: %s", in, err.msg);
			assert_string_equal(
				json_string_value(at(resource(b, "ae-51", NULL), "period.start")),
				cases[i].fhir);
		} else if (r != JUP_ERR_INVALID) {
			fail_msg("%s was taken", in);
		}
		json_decref(b);
		json_decref(rec);
	}
}

/* The SNOMED CT concepts the mapping names are well formed. */
static void test_snomed_codes(void **state)
{
	(void)state;
	static const char *const codes[] = { "450476008", "450475007", "734163000", "736373009" };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		jup_err err;
		assert_int_equal(jup_ingest_snomed_concept(jup_sv_from(codes[i]), &err), JUP_OK);
	}
	assert_true(jup_fhir_id_ok("cp-17"));
	assert_true(jup_fhir_id_ok("a.b-C9"));
	assert_false(jup_fhir_id_ok("a_b"));
	assert_false(jup_fhir_id_ok(""));
	assert_false(jup_fhir_id_ok(NULL));
	char id65[66];
	memset(id65, 'a', 65);
	id65[65] = '\0';
	assert_false(jup_fhir_id_ok(id65));
	id65[64] = '\0';
	assert_true(jup_fhir_id_ok(id65));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parse),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_patient_full),
		cmocka_unit_test(test_patient_deidentified),
		cmocka_unit_test(test_patient_errors),
		cmocka_unit_test(test_everything_full),
		cmocka_unit_test(test_everything_deidentified),
		cmocka_unit_test(test_everything_end_of_life_view),
		cmocka_unit_test(test_everything_errors),
		cmocka_unit_test(test_careplan_map),
		cmocka_unit_test(test_careplan_parse),
		cmocka_unit_test(test_careplan_round_trip),
		cmocka_unit_test(test_careplan_parse_errors),
		cmocka_unit_test(test_careplan_parse_limits),
		cmocka_unit_test(test_consent_map),
		cmocka_unit_test(test_consent_parse),
		cmocka_unit_test(test_audit_event),
		cmocka_unit_test(test_page_links),
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_capability),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_snomed_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
