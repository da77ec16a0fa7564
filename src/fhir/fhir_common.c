/*
 * fhir_common.c - the build context, small builders, record readers, coded
 * values and UK local time, shared by every mapper of src/fhir/.
 */
#include "fhir/fhir_internal.h"

#include "core/jup_date.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the context ---------------------------------------------------------------------- */

void fx_init(fx *x, jup_err *err)
{
	memset(x, 0, sizeof *x);
	x->err = err;
	x->where[0] = '\0';
}

void fx_fail(fx *x, jup_status st, const char *fmt, ...)
{
	if (x->st)
		return;
	x->st = st;
	if (x->err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(x->err->msg, sizeof x->err->msg, fmt, ap);
		va_end(ap);
	}
}

void fx_oom(fx *x)
{
	fx_fail(x, JUP_ERR_NOMEM, "out of memory building a FHIR resource");
}

void fx_where(fx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->where, sizeof x->where, fmt, ap);
	va_end(ap);
}

jup_status fx_done(const fx *x)
{
	return x->st;
}

jup_status fx_check_patient_id(const char *id, jup_err *err)
{
	if (!jup_fhir_id_ok(id))
		return jup_err_set(err, JUP_ERR_USAGE,
				   "a patient id is 1 to %d letters, digits, '-' and '.'",
				   JUP_FHIR_ID_MAX);
	return JUP_OK;
}

bool jup_fhir_id_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > JUP_FHIR_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '.';
		if (!ok)
			return false;
	}
	return true;
}

/* ---- building ----------------------------------------------------------------------- */

json_t *fx_obj(fx *x)
{
	json_t *o = json_object();
	if (!o)
		fx_oom(x);
	return o;
}

json_t *fx_arr(fx *x)
{
	json_t *a = json_array();
	if (!a)
		fx_oom(x);
	return a;
}

void fx_set(fx *x, json_t *o, const char *key, json_t *v)
{
	if (!v) {
		fx_oom(x);
		return;
	}
	if (!o) {
		json_decref(v);
		return;
	}
	if (json_object_set_new(o, key, v))
		fx_oom(x); /* jansson released v */
}

json_t *fx_str(fx *x, const char *s)
{
	json_t *v = json_string(s);
	if (!v)
		fx_fail(x, JUP_ERR_INVALID, "a text value is not UTF-8 (or out of memory)");
	return v;
}

void fx_sets(fx *x, json_t *o, const char *key, const char *s)
{
	if (!s)
		return;
	json_t *v = fx_str(x, s);
	if (v)
		fx_set(x, o, key, v);
}

void fx_push(fx *x, json_t *arr, json_t *v)
{
	if (!v) {
		fx_oom(x);
		return;
	}
	if (!arr) {
		json_decref(v);
		return;
	}
	if (json_array_append_new(arr, v))
		fx_oom(x);
}

json_t *fx_coding(fx *x, const char *system, const char *code, const char *display)
{
	json_t *c = fx_obj(x);
	fx_sets(x, c, "system", system);
	fx_sets(x, c, "code", code);
	fx_sets(x, c, "display", display);
	return c;
}

json_t *fx_cc(fx *x, json_t *c1, json_t *c2, const char *text)
{
	json_t *cc = fx_obj(x);
	if (c1 || c2) {
		json_t *codings = fx_arr(x);
		if (c1)
			fx_push(x, codings, c1);
		if (c2)
			fx_push(x, codings, c2);
		fx_set(x, cc, "coding", codings);
	}
	fx_sets(x, cc, "text", text);
	return cc;
}

json_t *fx_ref(fx *x, const char *type, const char *id, const char *display)
{
	char ref[JUP_FHIR_ID_MAX + 48];
	snprintf(ref, sizeof ref, "%s/%s", type, id);
	json_t *r = fx_obj(x);
	fx_sets(x, r, "reference", ref);
	fx_sets(x, r, "display", display);
	return r;
}

void fx_org_id(const char *code, char buf[JUP_FHIR_ID_MAX + 1])
{
	snprintf(buf, JUP_FHIR_ID_MAX + 1, "org-%s", code);
}

json_t *fx_org_ref(fx *x, const char *code, const char *name)
{
	char id[JUP_FHIR_ID_MAX + 1];
	fx_org_id(code, id);
	json_t *r = fx_ref(x, "Organization", id, name);
	json_t *ident = fx_obj(x);
	fx_sets(x, ident, "system", JUP_FHIR_ODS_CODE);
	fx_sets(x, ident, "value", code);
	fx_set(x, r, "identifier", ident);
	return r;
}

void fx_item_id(const char *prefix, json_int_t n, char buf[JUP_FHIR_ID_MAX + 1])
{
	snprintf(buf, JUP_FHIR_ID_MAX + 1, "%s-%lld", prefix, (long long)n);
}

json_t *fx_resource(fx *x, const char *type, const char *id)
{
	json_t *r = fx_obj(x);
	fx_sets(x, r, "resourceType", type);
	fx_sets(x, r, "id", id);
	if (x->deid) {
		/* not anonymous (store ids and codes stay): pseudonymised */
		json_t *meta = fx_obj(x);
		json_t *labels = fx_arr(x);
		fx_push(x, labels,
			fx_coding(x, FX_HL7_CS("v3-ObservationValue"), "PSEUDED", "pseudonymized"));
		fx_set(x, meta, "security", labels);
		fx_set(x, r, "meta", meta);
	}
	return r;
}

void fx_add_ext(fx *x, json_t *r, json_t *e)
{
	if (!e) {
		if (!x->st)
			fx_oom(x);
		return;
	}
	json_t *arr = r ? json_object_get(r, "extension") : NULL;
	if (!arr) {
		arr = fx_arr(x);
		fx_set(x, r, "extension", arr);
		if (x->st) {
			json_decref(e);
			return;
		}
	}
	fx_push(x, arr, e);
}

/* A sub-extension {"url", "value<Type>": v} onto parent's extension list. */
static void sub_ext(fx *x, json_t *parent, const char *url, const char *type, json_t *v)
{
	json_t *e = fx_obj(x);
	fx_sets(x, e, "url", url);
	fx_set(x, e, type, v);
	fx_add_ext(x, parent, e);
}

json_t *fx_source_ext(fx *x, const json_t *source, const char *linked_by)
{
	if (!source) {
		fx_fail(x, JUP_ERR_INVALID, "record %s%ssource: missing", x->where,
			x->where[0] ? "." : "");
		return NULL;
	}
	const char *org = fx_get_str(x, source, "organisation", true);
	if (!org)
		return NULL;
	json_t *e = fx_obj(x);
	fx_sets(x, e, "url", JUP_FHIR_EXT_SOURCE);
	json_t *ident = fx_obj(x);
	fx_sets(x, ident, "system", JUP_FHIR_ODS_CODE);
	fx_sets(x, ident, "value", org);
	sub_ext(x, e, "organisation", "valueIdentifier", ident);
	json_int_t rec, line;
	if (fx_get_int(x, source, "record", false, &rec)) {
		char num[24];
		snprintf(num, sizeof num, "%lld", (long long)rec);
		sub_ext(x, e, "record", "valueString", fx_str(x, num));
	}
	const char *file = fx_get_str(x, source, "file", false);
	if (file)
		sub_ext(x, e, "file", "valueString", fx_str(x, file));
	if (fx_get_int(x, source, "line", false, &line))
		sub_ext(x, e, "line", "valueInteger", json_integer(line));
	if (linked_by)
		sub_ext(x, e, "linkedBy", "valueCode", fx_str(x, linked_by));
	return e;
}

json_t *fx_period(fx *x, const char *start, const char *end)
{
	if (!start && !end)
		return NULL;
	json_t *p = fx_obj(x);
	fx_sets(x, p, "start", start);
	fx_sets(x, p, "end", end);
	return p;
}

/* ---- UK local time -------------------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* The day of the month of the last Sunday of March or October (31 days). */
static int last_sunday(int y, int m)
{
	jup_date d31 = jup_date_from_ymd(y, m, 31);
	int wd = (int)(((int64_t)d31 % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday; 0 Sunday */
	return 31 - wd;
}

static bool summer_time(int y, int m, int d, int h)
{
	if (m > 3 && m < 10)
		return true;
	if (m != 3 && m != 10)
		return false;
	int sun = last_sunday(y, m);
	if (m == 3) /* 01:00 GMT becomes 02:00 BST; 01:xx does not exist */
		return d > sun || (d == sun && h >= 2);
	return d < sun || (d == sun && h < 2); /* 02:00 BST becomes 01:00 GMT */
}

bool fx_local_datetime(const char *s, char out[32])
{
	size_t n = strlen(s);
	if (n == 10) {
		int y, m, d;
		if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
		    !digits(s + 8, 2))
			return false;
		y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
		if (!jup_date_valid_ymd(y, m, d))
			return false;
		memcpy(out, s, 11);
		return true;
	}
	if ((n != 16 && n != 19) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || (n == 19 && (s[16] != ':' || !digits(s + 17, 2))))
		return false;
	char day[11];
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!fx_local_datetime(day, out))
		return false;
	int h = num(s + 11, 2), mi = num(s + 14, 2), sec = n == 19 ? num(s + 17, 2) : 0;
	if (h > 23 || mi > 59 || sec > 59)
		return false;
	bool bst = summer_time(num(s, 4), num(s + 5, 2), num(s + 8, 2), h);
	/* (unsigned char): the compiler then knows each part fits */
	snprintf(out, 32, "%.10sT%02d:%02d:%02d%s", s, (unsigned char)h, (unsigned char)mi,
		 (unsigned char)sec, bst ? "+01:00" : "+00:00");
	return true;
}

/* ---- reading the record --------------------------------------------------------------- */

static const char *sep(const fx *x)
{
	return x->where[0] ? "." : "";
}

const char *fx_get_str(fx *x, const json_t *obj, const char *key, bool required)
{
	const json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v)) {
		if (required)
			fx_fail(x, JUP_ERR_INVALID, "record %s%s%s: missing", x->where, sep(x),
				key);
		return NULL;
	}
	if (!json_is_string(v)) {
		fx_fail(x, JUP_ERR_INVALID, "record %s%s%s: not a string", x->where, sep(x), key);
		return NULL;
	}
	return json_string_value(v);
}

bool fx_get_int(fx *x, const json_t *obj, const char *key, bool required, json_int_t *out)
{
	const json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v)) {
		if (required)
			fx_fail(x, JUP_ERR_INVALID, "record %s%s%s: missing", x->where, sep(x),
				key);
		return false;
	}
	if (!json_is_integer(v)) {
		fx_fail(x, JUP_ERR_INVALID, "record %s%s%s: not an integer", x->where, sep(x), key);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

const json_t *fx_get_arr(fx *x, const json_t *obj, const char *key)
{
	const json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		fx_fail(x, JUP_ERR_INVALID, "record %s%s%s: not an array", x->where, sep(x), key);
		return NULL;
	}
	return v;
}

const json_t *fx_get_obj(fx *x, const json_t *obj, const char *key)
{
	const json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_object(v)) {
		fx_fail(x, JUP_ERR_INVALID, "record %s%s%s: not an object", x->where, sep(x), key);
		return NULL;
	}
	return v;
}

long fx_latest(fx *x, const json_t *arr, const char *key, const char *where)
{
	long best = -1;
	const char *best_on = NULL;
	size_t i;
	const json_t *item;
	json_array_foreach(arr, i, item)
	{
		fx_where(x, "%s[%zu]", where, i);
		const char *on = fx_get_str(x, item, key, true);
		if (on && (!best_on || strcmp(on, best_on) >= 0)) {
			best = (long)i;
			best_on = on;
		}
	}
	return best;
}

/* ---- coded values ----------------------------------------------------------------------- */

const fx_code *fx_code_find(const fx_code *table, size_t n, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].code, code) == 0)
			return &table[i];
	return NULL;
}

json_t *fx_coded(fx *x, const char *cs, const fx_code *table, size_t n, const char *code,
		 const char *key)
{
	const fx_code *c = fx_code_find(table, n, code);
	if (!c) {
		fx_fail(x, JUP_ERR_INVALID, "record %s%s%s: unknown code", x->where, sep(x), key);
		return NULL;
	}
	json_t *std = c->system ? fx_coding(x, c->system, c->std_code, c->std_display) : NULL;
	return fx_cc(x, fx_coding(x, cs, c->code, c->display), std, c->display);
}

/* clang-format off */
const fx_code fx_places[] = {
	{ "home", "Home", NULL, NULL, NULL },
	{ "care_home", "Care home", NULL, NULL, NULL },
	{ "hospice", "Hospice", NULL, NULL, NULL },
	{ "hospital", "Hospital", NULL, NULL, NULL },
	{ "other", "Other", NULL, NULL, NULL },
};
const size_t fx_nplaces = FX_N(fx_places);

const fx_code fx_resuscitation[] = {
	{ "dnacpr", "Do not attempt cardiopulmonary resuscitation", JUP_FHIR_SNOMED,
	  "450476008", "Not for cardiopulmonary resuscitation" },
	{ "attempt_cpr", "Attempt cardiopulmonary resuscitation", JUP_FHIR_SNOMED,
	  "450475007", "For cardiopulmonary resuscitation" },
	{ "not_discussed", "Resuscitation not discussed", NULL, NULL, NULL },
};
const size_t fx_nresuscitation = FX_N(fx_resuscitation);

const fx_code fx_plan_kinds[] = {
	{ "care_plan", "Care plan", JUP_FHIR_SNOMED, "734163000", "Care plan" },
	{ "end_of_life", "End of life care plan", JUP_FHIR_SNOMED, "736373009",
	  "End of life care plan" },
	{ "note", "Note", NULL, NULL, NULL },
};
const size_t fx_nplan_kinds = FX_N(fx_plan_kinds);

/* Ours, and the v3 PurposeOfUse (v3-ActReason) code that fits. */
const fx_code fx_purposes[] = {
	{ "direct_care", "Direct care", FX_V3_ACT_REASON, "TREAT", "treatment" },
	{ "risk_stratification", "Risk stratification", FX_V3_ACT_REASON, "POPHLTH",
	  "population health" },
	{ "planning", "Planning", FX_V3_ACT_REASON, "HOPERAT", "healthcare operations" },
	{ "research", "Research", FX_V3_ACT_REASON, "HRESCH", "healthcare research" },
	{ "consent", "Recording a consent decision", FX_V3_ACT_REASON, "PATRQT",
	  "patient requested" },
	{ "linkage", "Record linkage", NULL, NULL, NULL },
	{ "governance", "Information governance", NULL, NULL, NULL },
};
const size_t fx_npurposes = FX_N(fx_purposes);
/* clang-format on */
