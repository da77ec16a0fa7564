/*
 * care_plan_valid.c - checking a care plan write (jup_care_plan_validate)
 * field by field, and handing the values inward (care_plan_parse).
 *
 * Fields are checked in a fixed order and the first problem is reported
 * with the field's path ("end_of_life.key_contacts[2].phone: too long").
 * Values are never echoed; an unknown key is named only when it looks like
 * a field name.
 */
#include "care/care_plan_internal.h"

#include "core/jup_date.h"
#include "ingest/jup_ingest_valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[CARE_PLAN_KIND__COUNT + 1] = { "care_plan", "end_of_life",
								   "note", NULL };
static const char *const status_names[] = { "draft", "active", "completed", "revoked", NULL };
static const char *const resuscitation_names[] = { "dnacpr", "attempt_cpr", "not_discussed", NULL };

const char *care_plan_kind_name(care_plan_kind k)
{
	return (unsigned)k < CARE_PLAN_KIND__COUNT ? kind_names[k] : "unknown";
}

care_plan_kind care_plan_kind_of(const jup_value *v)
{
	for (int k = 0; v->type == JUP_V_TEXT && k < CARE_PLAN_KIND__COUNT; k++)
		if (jup_sv_eq_cstr(v->s, kind_names[k]))
			return (care_plan_kind)k;
	return CARE_PLAN_KIND__COUNT;
}

/* ---- messages ------------------------------------------------------------------- */

static jup_status bad(jup_err *err, const char *field, const char *why)
{
	return jup_err_set(err, JUP_ERR_INVALID, "%s: %s", field, why);
}

/* The path of member key (or element i, when key is NULL) of field. */
static const char *path(char *buf, size_t cap, const char *field, const char *key, size_t i)
{
	if (key)
		snprintf(buf, cap, "%s%s%s", field, field[0] ? "." : "", key);
	else
		snprintf(buf, cap, "%s[%zu]", field, i);
	return buf;
}

/* Whether an unknown key may be shown in a message: a short field-like name. */
static bool nameable(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') || (key[i] >= '0' && key[i] <= '9') ||
		      key[i] == '_'))
			return false;
	return true;
}

static bool listed(const char *key, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, names[i]) == 0)
			return true;
	return false;
}

/* Every key of obj is one of allowed; the server's own keys are named as such. */
static jup_status known_keys(const json_t *obj, const char *field, const char *const *allowed,
			     size_t n, jup_err *err)
{
	static const char *const server[] = { "id", "version", "recorded_at", "author", "source" };
	const char *key;
	json_t *v;
	char at[128];
	json_object_foreach((json_t *)obj, key, v)
	{
		if (listed(key, allowed, n))
			continue;
		if (!field[0] && listed(key, server, N(server)))
			return bad(err, key, "set by the server, not by a write");
		if (nameable(key))
			return bad(err, path(at, sizeof at, field, key, 0), "not a field here");
		return bad(err, field[0] ? field : "plan", "has an unknown field");
	}
	return JUP_OK;
}

/* ---- values --------------------------------------------------------------------- */

/* obj[key] when present and not null, else NULL. */
static const json_t *member(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return v && !json_is_null(v) ? v : NULL;
}

/* A string's bytes (jansson allows NUL inside; the checks below refuse it). */
static jup_sv sv_of(const json_t *s)
{
	return (jup_sv){ json_string_value(s), json_string_length(s) };
}

/* obj[key] as text of 1 to max bytes (*out.ptr NULL when absent and
 * optional). */
static jup_status text(const json_t *obj, const char *key, const char *field, size_t max,
		       bool required, jup_sv *out, jup_err *err)
{
	*out = (jup_sv){ NULL, 0 };
	const json_t *v = member(obj, key);
	if (!v)
		return required ? bad(err, field, "missing") : JUP_OK;
	if (!json_is_string(v))
		return bad(err, field, "not a string");
	jup_sv s = sv_of(v);
	if (s.len == 0)
		return bad(err, field, "empty");
	if (s.len > max)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: too long (at most %zu bytes)", field,
				   max);
	jup_err why;
	if (jup_ingest_text(s, max, &why))
		return bad(err, field, why.msg);
	*out = s;
	return JUP_OK;
}

/* obj[key] (field), required, one of names (NULL-terminated): its index. */
static jup_status code(const json_t *obj, const char *key, const char *field,
		       const char *const *names, size_t *idx, jup_err *err)
{
	const json_t *v = member(obj, key);
	if (!v)
		return bad(err, field, "missing");
	jup_err why;
	if (!json_is_string(v))
		return bad(err, field, "not a string");
	if (jup_ingest_enum(sv_of(v), names, idx, &why))
		return bad(err, field, why.msg);
	return JUP_OK;
}

/* obj[key] as a date "YYYY-MM-DD" (*out.ptr NULL when absent and optional). */
static jup_status date(const json_t *obj, const char *key, bool required, jup_sv *out,
		       jup_date *day, jup_err *err)
{
	*out = (jup_sv){ NULL, 0 };
	const json_t *v = member(obj, key);
	if (!v)
		return required ? bad(err, key, "missing") : JUP_OK;
	jup_err why;
	if (!json_is_string(v) || jup_date_parse(sv_of(v), day, &why))
		return bad(err, key, "not a date (YYYY-MM-DD)");
	int y, m, d;
	jup_date_to_ymd(*day, &y, &m, &d);
	if (y < JUP_MIN_YEAR)
		return bad(err, key, "before " JUP_STR(JUP_MIN_YEAR));
	*out = sv_of(v);
	return JUP_OK;
}

/* ---- the end-of-life lists -------------------------------------------------------- */

static bool phone_ok(jup_sv s)
{
	int digits = 0;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c >= '0' && c <= '9')
			digits++;
		else if (c != ' ' && c != '+' && c != '(' && c != ')' && c != '-')
			return false;
	}
	return digits >= 3;
}

static jup_status contact(const json_t *c, const char *at, json_t *out, jup_err *err)
{
	static const char *const keys[] = { "name", "relationship", "phone" };
	static const size_t max[] = { JUP_MAX_NAME_LEN, JUP_MAX_NAME_LEN, JUP_MAX_PHONE_LEN };
	if (!json_is_object(c))
		return bad(err, at, "not an object");
	jup_status r = known_keys(c, at, keys, N(keys), err);
	for (size_t k = 0; !r && k < N(keys); k++) {
		char field[128];
		jup_sv s;
		path(field, sizeof field, at, keys[k], 0);
		r = text(c, keys[k], field, max[k], true, &s, err);
		if (!r && k == 2 && !phone_ok(s))
			r = bad(err, field,
				"not a telephone number (digits, spaces and + ( ) -, at least 3 "
				"digits)");
		if (!r && json_object_set_new(out, keys[k], json_stringn(s.ptr, s.len)))
			r = jup_err_set(err, JUP_ERR_NOMEM, "out of memory checking a care plan");
	}
	return r;
}

static jup_status medicine(const json_t *m, const char *at, json_t *out, jup_err *err)
{
	static const char *const keys[] = { "description", "code" };
	if (!json_is_object(m))
		return bad(err, at, "not an object");
	char field[128];
	jup_sv desc;
	jup_status r = known_keys(m, at, keys, N(keys), err);
	if (!r)
		r = text(m, "description", path(field, sizeof field, at, "description", 0),
			 JUP_MAX_TEXT_LEN, true, &desc, err);
	if (r)
		return r;
	const json_t *c = member(m, "code");
	jup_err why;
	if (c && (!json_is_string(c) || jup_ingest_snomed_concept(sv_of(c), &why)))
		return bad(err, path(field, sizeof field, at, "code", 0),
			   "not a SNOMED CT concept id");
	if (json_object_set_new(out, "description", json_stringn(desc.ptr, desc.len)) ||
	    json_object_set_new(out, "code", c ? json_incref((json_t *)c) : json_null()))
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory checking a care plan");
	return JUP_OK;
}

typedef jup_status (*item_fn)(const json_t *item, const char *at, json_t *out, jup_err *err);

/* eol[key]: an array (absent or null: empty) of at most max items, each
 * checked by fn into a normalised copy; *text the copy as compact JSON. */
static jup_status list(const json_t *eol, const char *key, size_t max, item_fn fn, char **text,
		       jup_err *err)
{
	char field[64], at[96];
	path(field, sizeof field, "end_of_life", key, 0);
	const json_t *arr = member(eol, key);
	if (arr && !json_is_array(arr))
		return bad(err, field, "not a list");
	if (arr && json_array_size(arr) > max)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: more than %zu", field, max);
	json_t *copy = json_array();
	jup_status r = copy ? JUP_OK : JUP_ERR_NOMEM;
	for (size_t i = 0; !r && arr && i < json_array_size(arr); i++) {
		json_t *item = json_object();
		r = item ? fn(json_array_get(arr, i), path(at, sizeof at, field, NULL, i), item,
			      err)
			 : JUP_ERR_NOMEM;
		if (json_array_append_new(copy, item) && !r)
			r = JUP_ERR_NOMEM;
	}
	if (!r && !(*text = json_dumps(copy, JSON_COMPACT)))
		r = JUP_ERR_NOMEM;
	json_decref(copy);
	if (r == JUP_ERR_NOMEM)
		return jup_err_set(err, r, "out of memory checking a care plan");
	return r;
}

static jup_status end_of_life(const json_t *eol, care_plan_in *p, jup_err *err)
{
	static const char *const keys[] = { "preferred_place_of_care", "preferred_place_of_death",
					    "resuscitation", "key_contacts", "medicines_in_home" };
	if (!json_is_object(eol))
		return bad(err, "end_of_life", "not an object");
	size_t resus;
	jup_status r = known_keys(eol, "end_of_life", keys, N(keys), err);
	if (!r)
		r = text(eol, keys[0], "end_of_life.preferred_place_of_care", JUP_MAX_TEXT_LEN,
			 false, &p->place_of_care, err);
	if (!r)
		r = text(eol, keys[1], "end_of_life.preferred_place_of_death", JUP_MAX_TEXT_LEN,
			 false, &p->place_of_death, err);
	if (!r)
		r = code(eol, keys[2], "end_of_life.resuscitation", resuscitation_names, &resus,
			 err);
	if (!r)
		p->resuscitation = resuscitation_names[resus];
	if (!r)
		r = list(eol, "key_contacts", JUP_CARE_PLAN_MAX_CONTACTS, contact, &p->contacts,
			 err);
	if (!r)
		r = list(eol, "medicines_in_home", JUP_CARE_PLAN_MAX_MEDICINES, medicine,
			 &p->medicines, err);
	return r;
}

/* ---- the plan ---------------------------------------------------------------------- */

static jup_status period(const json_t *in, care_plan_in *p, jup_err *err)
{
	jup_date start, end;
	jup_status r = date(in, "period_start", true, &p->period_start, &start, err);
	if (!r)
		r = date(in, "period_end", false, &p->period_end, &end, err);
	if (!r && p->period_end.ptr && end < start)
		r = bad(err, "period_end", "before period_start");
	return r;
}

jup_status care_plan_parse(const json_t *in, care_plan_in *p, jup_err *err)
{
	static const char *const keys[] = { "kind",        "status",       "title",
					    "description", "period_start", "period_end",
					    "end_of_life" };
	memset(p, 0, sizeof *p);
	if (!in)
		return jup_err_set(err, JUP_ERR_USAGE, "care plan: nothing to check");
	if (!json_is_object(in))
		return bad(err, "plan", "not a JSON object");
	size_t kind, status;
	jup_status r = known_keys(in, "", keys, N(keys), err);
	if (!r)
		r = code(in, "kind", "kind", kind_names, &kind, err);
	if (!r)
		r = code(in, "status", "status", status_names, &status, err);
	if (r)
		return r;
	p->kind = (care_plan_kind)kind;
	p->status = status_names[status];
	r = text(in, "title", "title", JUP_MAX_TEXT_LEN, true, &p->title, err);
	if (!r)
		r = text(in, "description", "description", JUP_CARE_PLAN_MAX_DESCRIPTION, false,
			 &p->description, err);
	if (!r)
		r = period(in, p, err);
	if (r)
		return r;
	const json_t *eol = member(in, "end_of_life");
	if (p->kind != CARE_PLAN_KIND_END_OF_LIFE)
		return eol ? bad(err, "end_of_life", "only for kind end_of_life") : JUP_OK;
	return eol ? end_of_life(eol, p, err) : bad(err, "end_of_life", "missing");
}

bool care_plan_parse_id(const char *s, int64_t *id)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	*id = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*id = *id * 10 + (s[i] - '0');
	}
	return true;
}

void care_plan_in_free(care_plan_in *p)
{
	free(p->contacts);
	free(p->medicines);
	p->contacts = p->medicines = NULL;
}

jup_status jup_care_plan_validate(const json_t *in, jup_err *err)
{
	care_plan_in p;
	jup_status r = care_plan_parse(in, &p, err);
	care_plan_in_free(&p);
	return r;
}
