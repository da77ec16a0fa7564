/*
 * fhir_parse.c - the strict reader the FHIR parsers share: it keeps the
 * JSON path of where it is, so every refusal names the element
 * ("CarePlan.period.start: not a date"), and checks types, lengths,
 * control characters, dates and the keys an object may have.
 */
#include "fhir/fhir_internal.h"

#include "core/jup_date.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fp_init(fp *p, const char *root, jup_err *err)
{
	memset(p, 0, sizeof *p);
	p->err = err;
	int n = snprintf(p->path, sizeof p->path, "%s", root);
	p->len = n > 0 ? (size_t)n : 0;
}

jup_status fp_done(const fp *p)
{
	return p->st;
}

void fp_fail(fp *p, const char *fmt, ...)
{
	if (p->st)
		return;
	p->st = JUP_ERR_INVALID;
	if (!p->err)
		return;
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	jup_err_set(p->err, JUP_ERR_INVALID, "%s: %s", p->path, why);
}

/* Append to the path (cut short, never overrun, when it is too long). */
static size_t step(fp *p, const char *fmt, ...) JUP_PRINTF(2, 3);
static size_t step(fp *p, const char *fmt, ...)
{
	size_t before = p->len;
	if (p->len < sizeof p->path - 1) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(p->path + p->len, sizeof p->path - p->len, fmt, ap);
		va_end(ap);
		if (n > 0)
			p->len += (size_t)n;
		if (p->len > sizeof p->path - 1)
			p->len = sizeof p->path - 1;
	}
	return before;
}

size_t fp_key(fp *p, const char *key)
{
	return step(p, ".%s", key);
}

size_t fp_index(fp *p, size_t i)
{
	return step(p, "[%zu]", i);
}

void fp_back(fp *p, size_t len)
{
	p->len = len;
	p->path[len] = '\0';
}

static bool listed(const char *const *list, const char *key)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], key) == 0)
			return true;
	return false;
}

/* Element names of FHIR R4 a client may send where joinedup takes none
 * (CarePlan, Consent and the data types in them). */
static const char *const fhir_names[] = { "id",
					  "meta",
					  "implicitRules",
					  "language",
					  "text",
					  "contained",
					  "extension",
					  "modifierExtension",
					  "identifier",
					  "instantiatesCanonical",
					  "instantiatesUri",
					  "basedOn",
					  "replaces",
					  "partOf",
					  "status",
					  "intent",
					  "category",
					  "title",
					  "description",
					  "subject",
					  "encounter",
					  "period",
					  "created",
					  "author",
					  "contributor",
					  "careTeam",
					  "addresses",
					  "supportingInfo",
					  "goal",
					  "activity",
					  "note",
					  "scope",
					  "patient",
					  "dateTime",
					  "performer",
					  "organization",
					  "sourceAttachment",
					  "sourceReference",
					  "policy",
					  "policyRule",
					  "verification",
					  "provision",
					  "type",
					  "actor",
					  "action",
					  "securityLabel",
					  "purpose",
					  "class",
					  "code",
					  "dataPeriod",
					  "data",
					  "reference",
					  "display",
					  "start",
					  "end",
					  "system",
					  "version",
					  "userSelected",
					  "coding",
					  "url",
					  NULL };

/* Whether a key the client sent may be named in a message: a FHIR element
 * name (or value[x]); anything else is the client's own text, which could
 * be anything, personal data included, and is never echoed. */
static bool nameable(const char *key)
{
	if (listed(fhir_names, key))
		return true;
	if (strncmp(key, "value", 5) != 0 || key[5] < 'A' || key[5] > 'Z' || strlen(key) > 40)
		return false;
	for (const char *c = key + 5; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
			return false;
	return true;
}

void fp_keys(fp *p, const json_t *obj, const char *const *allowed, const char *const *ignored)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)obj, key, v)
	{
		(void)v;
		if (listed(allowed, key) || listed(ignored, key))
			continue;
		if (!nameable(key)) {
			fp_fail(p, "an element joinedup does not know");
			return;
		}
		size_t back = fp_key(p, key);
		fp_fail(p, "not supported");
		fp_back(p, back);
		return;
	}
}

/* Get obj[key], failing when it is missing and required. */
static const json_t *get(fp *p, const json_t *obj, const char *key, bool required)
{
	const json_t *v = json_object_get(obj, key);
	if (!v && required) {
		size_t back = fp_key(p, key);
		fp_fail(p, "missing");
		fp_back(p, back);
	}
	return v;
}

const char *fp_string(fp *p, const json_t *obj, const char *key, bool required, size_t max)
{
	const json_t *v = get(p, obj, key, required);
	if (!v)
		return NULL;
	size_t back = fp_key(p, key);
	const char *s = NULL;
	if (!json_is_string(v)) {
		fp_fail(p, "not a string");
	} else if (json_string_length(v) == 0) {
		fp_fail(p, "empty");
	} else if (json_string_length(v) > max) {
		fp_fail(p, "too long (at most %zu bytes)", max);
	} else {
		s = json_string_value(v);
		for (size_t i = 0; i < json_string_length(v); i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
				fp_fail(p, "holds a control character");
				s = NULL;
				break;
			}
	}
	fp_back(p, back);
	return s;
}

const json_t *fp_object(fp *p, const json_t *obj, const char *key, bool required)
{
	const json_t *v = get(p, obj, key, required);
	if (v && !json_is_object(v)) {
		size_t back = fp_key(p, key);
		fp_fail(p, "not an object");
		fp_back(p, back);
		return NULL;
	}
	return v;
}

const json_t *fp_array(fp *p, const json_t *obj, const char *key, bool required, size_t max)
{
	const json_t *v = get(p, obj, key, required);
	if (!v)
		return NULL;
	size_t back = fp_key(p, key);
	if (!json_is_array(v))
		fp_fail(p, "not an array");
	else if (json_array_size(v) == 0)
		fp_fail(p, "empty");
	else if (json_array_size(v) > max)
		fp_fail(p, "more than %zu elements", max);
	fp_back(p, back);
	return p->st ? NULL : v;
}

bool fp_date(fp *p, const json_t *obj, const char *key, bool required, int32_t *day)
{
	const char *s = fp_string(p, obj, key, required, 64);
	if (!s)
		return false;
	jup_date d;
	jup_err ignored;
	int y = 0, m, dd;
	bool ok = jup_date_parse(jup_sv_from(s), &d, &ignored) == JUP_OK;
	if (ok)
		jup_date_to_ymd(d, &y, &m, &dd);
	if (!ok || y < JUP_MIN_YEAR) {
		size_t back = fp_key(p, key);
		fp_fail(p, "not a date");
		fp_back(p, back);
		return false;
	}
	*day = d;
	return true;
}

void fp_patient_ref(fp *p, const json_t *obj, const char *key, char id[JUP_FHIR_ID_MAX + 1])
{
	static const char *const keys[] = { "reference", "type", NULL };
	static const char *const ignored[] = { "display", NULL };
	id[0] = '\0';
	const json_t *ref = fp_object(p, obj, key, true);
	if (!ref)
		return;
	size_t back = fp_key(p, key);
	fp_keys(p, ref, keys, ignored);
	const char *type = fp_string(p, ref, "type", false, 64);
	if (type && strcmp(type, "Patient") != 0) {
		size_t b2 = fp_key(p, "type");
		fp_fail(p, "not Patient");
		fp_back(p, b2);
	}
	const char *r = fp_string(p, ref, "reference", true, 8 + JUP_FHIR_ID_MAX);
	if (r && (strncmp(r, "Patient/", 8) != 0 || !jup_fhir_id_ok(r + 8))) {
		size_t b2 = fp_key(p, "reference");
		fp_fail(p, "not a reference to Patient/ID");
		fp_back(p, b2);
	} else if (r) {
		memcpy(id, r + 8, strlen(r + 8) + 1);
	}
	fp_back(p, back);
}

const json_t *fp_codings(fp *p, const json_t *cc)
{
	static const char *const keys[] = { "coding", "text", NULL };
	static const char *const coding_keys[] = { "system",  "code",         "display",
						   "version", "userSelected", NULL };
	fp_keys(p, cc, keys, NULL);
	(void)fp_string(p, cc, "text", false, JUP_MAX_TEXT_LEN);
	const json_t *codings = fp_array(p, cc, "coding", false, 16);
	size_t back = fp_key(p, "coding");
	size_t i;
	const json_t *c;
	json_array_foreach(codings, i, c)
	{
		size_t b2 = fp_index(p, i);
		if (!json_is_object(c))
			fp_fail(p, "not an object");
		else
			fp_keys(p, c, coding_keys, NULL);
		(void)fp_string(p, c, "system", false, 256);
		(void)fp_string(p, c, "code", false, 256);
		(void)fp_string(p, c, "display", false, JUP_MAX_TEXT_LEN);
		fp_back(p, b2);
	}
	fp_back(p, back);
	return p->st ? NULL : codings;
}
