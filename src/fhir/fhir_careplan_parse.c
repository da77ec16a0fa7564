/*
 * fhir_careplan_parse.c - a client's CarePlan read strictly into the
 * internal write shape of a care plan (src/care): kind, status, title,
 * description, period and the end-of-life details. Whatever the client may
 * not set is ignored (id, meta, author, ...); whatever joinedup would drop
 * is refused, so nothing a client sends is silently lost.
 */
#include "fhir/fhir_internal.h"

#include "ingest/jup_ingest_valid.h"

#include <string.h>

/* The end-of-life details being read. */
typedef struct eol_in {
	const char *care, *death, *resus;
	json_t *contacts, *medicines;
	size_t ncontacts, nmedicines;
} eol_in;

/* ---- coded values ---------------------------------------------------------------------- */

/* The code of cc's coding in our code system cs, checked against table;
 * NULL when cc has none (no failure) or it is unknown (a failure). */
static const char *our_code(fp *p, const json_t *cc, const char *cs, const fx_code *table, size_t n)
{
	const json_t *codings = fp_codings(p, cc);
	const char *found = NULL;
	size_t i;
	const json_t *c;
	json_array_foreach(codings, i, c)
	{
		const char *system = json_string_value(json_object_get(c, "system"));
		if (!system || strcmp(system, cs) != 0)
			continue;
		size_t back = fp_key(p, "coding");
		fp_index(p, i);
		const char *code = json_string_value(json_object_get(c, "code"));
		if (!fx_code_find(table, n, code))
			fp_fail(p, "unknown code");
		else if (found && strcmp(found, code) != 0)
			fp_fail(p, "a second, different code");
		else
			found = code;
		fp_back(p, back);
	}
	return p->st ? NULL : found;
}

/* The CodeableConcept value of a sub-extension (required). */
static const json_t *cc_value(fp *p, const json_t *ext)
{
	static const char *const keys[] = { "url", "valueCodeableConcept", NULL };
	fp_keys(p, ext, keys, NULL);
	return fp_object(p, ext, "valueCodeableConcept", true);
}

/* A preferred place: our code, or else the text given. */
static const char *place(fp *p, const json_t *ext)
{
	const json_t *cc = cc_value(p, ext);
	if (!cc)
		return NULL;
	size_t back = fp_key(p, "valueCodeableConcept");
	const char *v = our_code(p, cc, FX_CS("place"), fx_places, fx_nplaces);
	if (!v && !p->st)
		v = fp_string(p, cc, "text", true, JUP_MAX_TEXT_LEN);
	fp_back(p, back);
	return v;
}

static const char *resuscitation(fp *p, const json_t *ext)
{
	const json_t *cc = cc_value(p, ext);
	if (!cc)
		return NULL;
	size_t back = fp_key(p, "valueCodeableConcept");
	const char *v =
		our_code(p, cc, FX_CS("resuscitation"), fx_resuscitation, fx_nresuscitation);
	if (!v && !p->st)
		fp_fail(p, "no joinedup resuscitation code");
	fp_back(p, back);
	return v;
}

/* ---- key contacts and medicines ------------------------------------------------------------ */

static bool phone_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == ' ' || *s == '+' || *s == '(' ||
		      *s == ')' || *s == '-'))
			return false;
	return true;
}

/* One part of a key contact: a string sub-extension, given once. */
static void contact_part(fp *p, const json_t *part, const char **slot, size_t max)
{
	static const char *const keys[] = { "url", "valueString", NULL };
	if (*slot) {
		fp_fail(p, "given twice");
		return;
	}
	fp_keys(p, part, keys, NULL);
	*slot = fp_string(p, part, "valueString", true, max);
}

static void key_contact(fp *p, const json_t *ext, eol_in *e)
{
	static const char *const keys[] = { "url", "extension", NULL };
	if (++e->ncontacts > JUP_CARE_PLAN_MAX_CONTACTS) {
		fp_fail(p, "more than %d key contacts", JUP_CARE_PLAN_MAX_CONTACTS);
		return;
	}
	fp_keys(p, ext, keys, NULL);
	const json_t *parts = fp_array(p, ext, "extension", true, 3);
	const char *name = NULL, *rel = NULL, *phone = NULL;
	size_t back = fp_key(p, "extension");
	size_t i;
	const json_t *part;
	json_array_foreach(parts, i, part)
	{
		size_t b2 = fp_index(p, i);
		const char *url = fp_string(p, part, "url", true, 64);
		if (url && strcmp(url, "name") == 0)
			contact_part(p, part, &name, JUP_MAX_TEXT_LEN);
		else if (url && strcmp(url, "relationship") == 0)
			contact_part(p, part, &rel, JUP_MAX_TEXT_LEN);
		else if (url && strcmp(url, "phone") == 0)
			contact_part(p, part, &phone, JUP_MAX_PHONE_LEN);
		else if (url)
			fp_fail(p, "not a part of a key contact");
		if (phone && !phone_ok(phone)) {
			fp_fail(p, "not a telephone number");
			phone = NULL;
		}
		fp_back(p, b2);
	}
	fp_back(p, back);
	if (parts && !name)
		fp_fail(p, "a key contact without a name");
	if (p->st)
		return;
	json_t *c = json_pack("{s:s,s:s?,s:s?}", "name", name, "relationship", rel, "phone", phone);
	if (!c || json_array_append_new(e->contacts, c))
		fp_fail(p, "out of memory");
}

static void medicine(fp *p, const json_t *ext, eol_in *e)
{
	if (++e->nmedicines > JUP_CARE_PLAN_MAX_MEDICINES) {
		fp_fail(p, "more than %d medicines", JUP_CARE_PLAN_MAX_MEDICINES);
		return;
	}
	const json_t *cc = cc_value(p, ext);
	if (!cc)
		return;
	size_t back = fp_key(p, "valueCodeableConcept");
	const json_t *codings = fp_codings(p, cc);
	const char *text = fp_string(p, cc, "text", true, JUP_MAX_TEXT_LEN);
	const char *code = NULL;
	if (json_array_size(codings) > 1)
		fp_fail(p, "more than one code");
	const json_t *c = json_array_get(codings, 0);
	if (c && !p->st) {
		fp_key(p, "coding[0]");
		const char *system = json_string_value(json_object_get(c, "system"));
		code = json_string_value(json_object_get(c, "code"));
		jup_err ignored;
		if (!system || strcmp(system, JUP_FHIR_SNOMED) != 0)
			fp_fail(p, "not SNOMED CT");
		else if (!code || jup_ingest_snomed_concept(jup_sv_from(code), &ignored))
			fp_fail(p, "not a SNOMED CT concept id");
	}
	fp_back(p, back);
	if (p->st)
		return;
	json_t *m = json_pack("{s:s,s:s?}", "description", text, "code", code);
	if (!m || json_array_append_new(e->medicines, m))
		fp_fail(p, "out of memory");
}

/* ---- the end-of-life extension ----------------------------------------------------------- */

/* A sub-extension of the end-of-life extension, by its url. */
static void eol_part(fp *p, const json_t *part, eol_in *e)
{
	const char *url = fp_string(p, part, "url", true, 64);
	const char **once = NULL;
	if (!url)
		return;
	if (strcmp(url, "preferredPlaceOfCare") == 0)
		once = &e->care;
	else if (strcmp(url, "preferredPlaceOfDeath") == 0)
		once = &e->death;
	else if (strcmp(url, "resuscitation") == 0)
		once = &e->resus;
	if (once && *once) {
		fp_fail(p, "given twice");
		return;
	}
	if (once == &e->resus)
		e->resus = resuscitation(p, part);
	else if (once)
		*once = place(p, part);
	else if (strcmp(url, "keyContact") == 0)
		key_contact(p, part, e);
	else if (strcmp(url, "medicineInHome") == 0)
		medicine(p, part, e);
	else
		fp_fail(p, "not a part of the end-of-life extension");
}

static json_t *eol_ext(fp *p, const json_t *ext)
{
	static const char *const keys[] = { "url", "extension", NULL };
	fp_keys(p, ext, keys, NULL);
	size_t max = 3 + JUP_CARE_PLAN_MAX_CONTACTS + JUP_CARE_PLAN_MAX_MEDICINES;
	const json_t *parts = fp_array(p, ext, "extension", true, max);
	eol_in e = { .contacts = json_array(), .medicines = json_array() };
	if (!e.contacts || !e.medicines)
		fp_fail(p, "out of memory");
	size_t back = fp_key(p, "extension");
	size_t i;
	const json_t *part;
	json_array_foreach(parts, i, part)
	{
		if (p->st)
			break;
		size_t b2 = fp_index(p, i);
		if (!json_is_object(part))
			fp_fail(p, "not an object");
		eol_part(p, part, &e);
		fp_back(p, b2);
	}
	fp_back(p, back);
	if (!p->st && !e.resus)
		fp_fail(p, "no resuscitation decision");
	json_t *out = NULL;
	if (!p->st) {
		out = json_pack("{s:s?,s:s?,s:s,s:O,s:O}", "preferred_place_of_care", e.care,
				"preferred_place_of_death", e.death, "resuscitation", e.resus,
				"key_contacts", e.contacts, "medicines_in_home", e.medicines);
		if (!out)
			fp_fail(p, "out of memory");
	}
	json_decref(e.contacts);
	json_decref(e.medicines);
	return out;
}

/* The end-of-life extension among the plan's extensions (others, which
 * joinedup does not define, are passed over); NULL when there is none. */
static json_t *extensions(fp *p, const json_t *plan, const char *kind)
{
	const json_t *exts = fp_array(p, plan, "extension", false, 64);
	json_t *eol = NULL;
	size_t back = fp_key(p, "extension");
	size_t i;
	const json_t *ext;
	json_array_foreach(exts, i, ext)
	{
		size_t b2 = fp_index(p, i);
		const char *url = json_is_object(ext) ? fp_string(p, ext, "url", true, 256) : NULL;
		if (!json_is_object(ext))
			fp_fail(p, "not an object");
		else if (url && strcmp(url, JUP_FHIR_EXT_EOL) == 0 && eol)
			fp_fail(p, "a second end-of-life extension");
		else if (url && strcmp(url, JUP_FHIR_EXT_EOL) == 0 && strcmp(kind, "end_of_life"))
			fp_fail(p, "end-of-life details on a plan that is not an end-of-life plan");
		else if (url && strcmp(url, JUP_FHIR_EXT_EOL) == 0)
			eol = eol_ext(p, ext);
		fp_back(p, b2);
		if (p->st)
			break;
	}
	if (!p->st && !eol && strcmp(kind, "end_of_life") == 0)
		fp_fail(p, "an end-of-life plan needs the end-of-life extension");
	fp_back(p, back);
	if (p->st) {
		json_decref(eol);
		return NULL;
	}
	return eol;
}

/* ---- the plan --------------------------------------------------------------------------- */

/* The kind: the one coding of our kind system among the categories. */
static const char *kind_of(fp *p, const json_t *plan)
{
	const json_t *cats = fp_array(p, plan, "category", true, 8);
	const char *kind = NULL;
	size_t back = fp_key(p, "category");
	size_t i;
	const json_t *cc;
	json_array_foreach(cats, i, cc)
	{
		size_t b2 = fp_index(p, i);
		if (!json_is_object(cc))
			fp_fail(p, "not an object");
		const char *k =
			our_code(p, cc, JUP_FHIR_CS_CARE_PLAN_KIND, fx_plan_kinds, fx_nplan_kinds);
		if (k && kind && strcmp(k, kind) != 0)
			fp_fail(p, "a second, different kind");
		else if (k)
			kind = k;
		fp_back(p, b2);
	}
	if (!p->st && !kind)
		fp_fail(p, "no joinedup care plan kind (%s)", JUP_FHIR_CS_CARE_PLAN_KIND);
	fp_back(p, back);
	return p->st ? NULL : kind;
}

static const char *status_of(fp *p, const json_t *plan)
{
	static const char *const known[] = { "draft", "active", "completed", "revoked" };
	const char *s = fp_string(p, plan, "status", true, 32);
	for (size_t i = 0; s && i < FX_N(known); i++)
		if (strcmp(s, known[i]) == 0)
			return s;
	if (s) {
		size_t back = fp_key(p, "status");
		fp_fail(p, "unknown code (draft, active, completed or revoked)");
		fp_back(p, back);
	}
	return NULL;
}

/* period.start (required) and period.end (not before it). */
static void period_of(fp *p, const json_t *plan, const char **start, const char **end)
{
	static const char *const keys[] = { "start", "end", NULL };
	*start = *end = NULL;
	const json_t *period = fp_object(p, plan, "period", true);
	if (!period)
		return;
	size_t back = fp_key(p, "period");
	fp_keys(p, period, keys, NULL);
	int32_t from = 0, to = 0;
	if (fp_date(p, period, "start", true, &from))
		*start = json_string_value(json_object_get(period, "start"));
	if (fp_date(p, period, "end", false, &to))
		*end = json_string_value(json_object_get(period, "end"));
	if (*start && *end && to < from) {
		fp_key(p, "end");
		fp_fail(p, "before the start");
	}
	fp_back(p, back);
}

static void resource_type(fp *p, const json_t *in, const char *type)
{
	const char *rt = fp_string(p, in, "resourceType", true, 64);
	if (rt && strcmp(rt, type) != 0) {
		size_t back = fp_key(p, "resourceType");
		fp_fail(p, "not %s", type);
		fp_back(p, back);
	}
}

static json_t *read_plan(fp *p, const json_t *in, char subject[JUP_FHIR_ID_MAX + 1])
{
	static const char *const keys[] = { "resourceType", "status",      "intent",  "category",
					    "title",        "description", "subject", "period",
					    "extension",    NULL };
	static const char *const ignored[] = { "id",     "meta",    "text",        "language",
					       "author", "created", "contributor", NULL };
	resource_type(p, in, "CarePlan");
	fp_keys(p, in, keys, ignored);
	const char *status = status_of(p, in);
	const char *intent = fp_string(p, in, "intent", true, 32);
	if (intent && strcmp(intent, "plan") != 0) {
		size_t back = fp_key(p, "intent");
		fp_fail(p, "not plan");
		fp_back(p, back);
	}
	const char *kind = kind_of(p, in);
	const char *title = fp_string(p, in, "title", true, JUP_MAX_TEXT_LEN);
	const char *desc = fp_string(p, in, "description", false, JUP_MAX_TEXT_LEN);
	fp_patient_ref(p, in, "subject", subject);
	const char *start, *end;
	period_of(p, in, &start, &end);
	json_t *eol = p->st ? NULL : extensions(p, in, kind);
	if (p->st)
		return NULL;
	json_t *out = json_pack("{s:s,s:s,s:s,s:s?,s:s,s:s?,s:o?}", "kind", kind, "status", status,
				"title", title, "description", desc, "period_start", start,
				"period_end", end, "end_of_life", eol);
	if (!out)
		fp_fail(p, "out of memory");
	return out;
}

jup_status jup_fhir_careplan_parse(const char *body, size_t len, json_t **plan,
				   char subject_id[JUP_FHIR_ID_MAX + 1], jup_err *err)
{
	if (plan)
		*plan = NULL;
	if (!plan || !subject_id)
		return jup_err_set(err, JUP_ERR_USAGE, "care plan: nowhere to put it");
	subject_id[0] = '\0';
	json_t *in;
	jup_status r = jup_fhir_json_parse(body, len, &in, err);
	if (r)
		return r;
	fp p;
	fp_init(&p, "CarePlan", err);
	char subject[JUP_FHIR_ID_MAX + 1] = "";
	json_t *out = read_plan(&p, in, subject);
	json_decref(in); /* out holds copies of what it took */
	r = fp_done(&p);
	if (r) {
		json_decref(out);
		return r;
	}
	memcpy(subject_id, subject, sizeof subject);
	*plan = out;
	return JUP_OK;
}
