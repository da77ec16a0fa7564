/*
 * fhir_ids.c - resource ids read back: which kind of row a FHIR id names
 * and its store id, by the scheme the mappers write (docs/FHIR.md,
 * "Resource ids").
 */
#include "fhir/fhir_internal.h"

#include <stdint.h>
#include <string.h>

/* The ids made of a prefix and a store id. */
static const struct {
	const char *type, *prefix;
	jup_fhir_row row;
} numbered[] = {
	{ "EpisodeOfCare", "gpreg-", JUP_FHIR_ROW_GP_REGISTRATION },
	{ "Condition", "cond-", JUP_FHIR_ROW_CONDITION },
	{ "MedicationStatement", "med-", JUP_FHIR_ROW_MEDICATION },
	{ "CarePlan", "eol-", JUP_FHIR_ROW_EOL_PLAN },
	{ "Encounter", "adm-", JUP_FHIR_ROW_ADMISSION },
	{ "Encounter", "ae-", JUP_FHIR_ROW_AE_ATTENDANCE },
	{ "EpisodeOfCare", "sca-", JUP_FHIR_ROW_SC_ASSESSMENT },
	{ "EpisodeOfCare", "scs-", JUP_FHIR_ROW_SC_SERVICE },
	{ "Consent", "scc-", JUP_FHIR_ROW_SC_CONSENT },
	{ "CareTeam", "team-", JUP_FHIR_ROW_CARE_TEAM },
	{ "AuditEvent", "audit-", JUP_FHIR_ROW_AUDIT_ENTRY },
};

/* A positive decimal number without sign or leading zeros, the whole of
 * s[0..n); false otherwise (or past INT64_MAX). */
static bool number(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 19 || s[0] == '0')
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

static bool starts(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0)
		return false;
	*rest = s + n;
	return true;
}

/* "adm-N-dx-P": an admission's diagnosis. */
static bool diagnosis(const char *id, jup_fhir_id *out)
{
	const char *rest, *dx;
	if (!starts(id, "adm-", &rest) || !(dx = strstr(rest, "-dx-")))
		return false;
	out->row = JUP_FHIR_ROW_ADMISSION_DIAGNOSIS;
	return number(rest, (size_t)(dx - rest), &out->n) &&
	       number(dx + 4, strlen(dx + 4), &out->position);
}

/* "consent-PATIENT-PURPOSE", the purpose with dashes. */
static bool consent(const char *id, jup_fhir_id *out)
{
	const char *rest;
	if (!starts(id, "consent-", &rest))
		return false;
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
		char tail[48] = "-";
		const char *name = jup_consent_purpose_name((jup_consent_purpose)p);
		size_t n = strlen(name);
		if (n + 2 > sizeof tail)
			continue;
		memcpy(tail + 1, name, n + 1);
		for (char *c = tail; *c; c++)
			if (*c == '_')
				*c = '-';
		size_t rn = strlen(rest), tn = strlen(tail);
		if (rn <= tn || strcmp(rest + rn - tn, tail) != 0)
			continue;
		out->row = JUP_FHIR_ROW_CONSENT;
		out->purpose = (jup_consent_purpose)p;
		memcpy(out->text, rest, rn - tn);
		out->text[rn - tn] = '\0';
		return true;
	}
	return false;
}

/* An id whose rest is text: a care plan ("cp-ID") or an organisation. */
static bool texted(const char *type, const char *id, jup_fhir_id *out)
{
	const char *rest;
	if (strcmp(type, "CarePlan") == 0 && starts(id, "cp-", &rest))
		out->row = JUP_FHIR_ROW_CARE_PLAN;
	else if (strcmp(type, "Organization") == 0 && starts(id, "org-", &rest))
		out->row = JUP_FHIR_ROW_ORGANISATION;
	else
		return false;
	if (!rest[0])
		return false;
	memcpy(out->text, rest, strlen(rest) + 1);
	return true;
}

static bool read_id(const char *type, const char *id, jup_fhir_id *out)
{
	const char *rest;
	if (strcmp(type, "Condition") == 0 && diagnosis(id, out))
		return true;
	if (strcmp(type, "Consent") == 0 && consent(id, out))
		return true;
	if (texted(type, id, out))
		return true;
	for (size_t i = 0; i < FX_N(numbered); i++)
		if (strcmp(type, numbered[i].type) == 0 && starts(id, numbered[i].prefix, &rest) &&
		    number(rest, strlen(rest), &out->n)) {
			out->row = numbered[i].row;
			return true;
		}
	return false;
}

jup_status jup_fhir_id_parse(const char *type, const char *id, jup_fhir_id *out, jup_err *err)
{
	if (!type || !id || !out)
		return jup_err_set(err, JUP_ERR_USAGE, "resource id: missing type or id");
	memset(out, 0, sizeof *out);
	out->row = JUP_FHIR_ROW__COUNT;
	jup_fhir_id got = { .row = JUP_FHIR_ROW__COUNT };
	if (!jup_fhir_id_ok(id) || !read_id(type, id, &got))
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no such resource");
	*out = got;
	return JUP_OK;
}
