/*
 * care_plan_json.c - a stored care plan version in the plan shape
 * (jup_care_plan.h), in a decision's view: the end-of-life view shows
 * end-of-life plans and notes only; the de-identified view drops the free
 * text (title, description, key contacts, medicine descriptions, places of
 * care and death not given as one of the register's codes) and the
 * author's username. Authors and organisation codes are read once per
 * reader.
 */
#include "care/care_plan_internal.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

bool care_plan_visible(jup_gate_view view, care_plan_kind k)
{
	return view != JUP_GATE_VIEW_EOL || k == CARE_PLAN_KIND_END_OF_LIFE ||
	       k == CARE_PLAN_KIND_NOTE;
}

/* ---- JSON helpers ----------------------------------------------------------------- */

/* obj[key] = v, taking v's reference (released on failure, which sets oom). */
static void set(care_plan_reader *r, json_t *obj, const char *key, json_t *v)
{
	if (!obj || !v) {
		json_decref(v);
		r->oom = true;
	} else if (json_object_set_new(obj, key, v)) {
		r->oom = true; /* jansson released v */
	}
}

static json_t *value(const jup_value *v)
{
	return v->type == JUP_V_TEXT ? json_stringn(v->s.ptr, v->s.len) : json_null();
}

static int64_t int_of(const jup_value *v)
{
	return v->type == JUP_V_INT ? v->i : 0;
}

static jup_status damaged(const char *what, jup_err *err)
{
	return jup_err_set(err, JUP_ERR_STORE, "a care_plan row has a damaged %s", what);
}

/* ---- authors and organisations, read once ----------------------------------------- */

typedef struct user_out {
	char *username, *role;
	bool found;
} user_out;

static jup_status user_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	user_out *u = ctx;
	jup_value_copy_text(u->username, JUP_USERNAME_MAX + 1, &v[JUP_USER_USERNAME]);
	jup_value_copy_text(u->role, 32, &v[JUP_USER_ROLE]);
	u->found = true;
	return JUP_OK;
}

/* The author's cache slot (read on first use; slots are reused in turn). */
static jup_status author(care_plan_reader *r, int64_t id, int *slot, jup_err *err)
{
	for (int i = 0; i < r->nusers && i < CARE_PLAN_CACHE; i++)
		if (r->users[i].id == id) {
			*slot = i;
			return JUP_OK;
		}
	int i = r->nusers++ % CARE_PLAN_CACHE;
	r->users[i].id = 0;
	user_out u = { r->users[i].username, r->users[i].role, false };
	jup_match by_id = { JUP_COL_ID, jup_v_int(id) };
	jup_status s = jup_store_scan(r->st, JUP_TABLE_APP_USER, &by_id, 1, user_row, &u, err);
	if (!s && !u.found)
		s = damaged("author", err);
	if (!s)
		r->users[i].id = id;
	*slot = i;
	return s;
}

static jup_status org_code(care_plan_reader *r, int64_t id, int *slot, jup_err *err)
{
	for (int i = 0; i < r->norgs && i < CARE_PLAN_CACHE; i++)
		if (r->orgs[i].id == id) {
			*slot = i;
			return JUP_OK;
		}
	int i = r->norgs++ % CARE_PLAN_CACHE;
	r->orgs[i].id = 0;
	jup_status s = jup_store_org_code(r->st, id, r->orgs[i].code, sizeof r->orgs[i].code, err);
	if (!s && !r->orgs[i].code[0])
		s = damaged("organisation", err);
	if (!s)
		r->orgs[i].id = id;
	*slot = i;
	return s;
}

/* The "author" of a version; *org the cache slot of its organisation. */
static jup_status who(care_plan_reader *r, const jup_value *v, json_t *o, int *org, jup_err *err)
{
	int u;
	jup_status s = author(r, int_of(&v[JUP_CP_AUTHOR_USER_ID]), &u, err);
	if (!s)
		s = org_code(r, int_of(&v[JUP_CP_ORG_ID]), org, err);
	if (s)
		return s;
	json_t *a = json_object();
	if (r->view != JUP_GATE_VIEW_DEIDENTIFIED)
		set(r, a, "username", json_string(r->users[u].username));
	set(r, a, "role", json_string(r->users[u].role));
	set(r, a, "organisation", json_string(r->orgs[*org].code));
	set(r, o, "author", a);
	return JUP_OK;
}

/* ---- the end-of-life part ----------------------------------------------------------- */

/* A place as de-identified data may show it: one of the register's codes. */
static bool place_code(const jup_value *v)
{
	static const char *const codes[] = { "home", "care_home", "hospice", "hospital", "other" };
	for (size_t i = 0; v->type == JUP_V_TEXT && i < N(codes); i++)
		if (jup_sv_eq_cstr(v->s, codes[i]))
			return true;
	return false;
}

static void place(care_plan_reader *r, json_t *eol, const char *key, const jup_value *v)
{
	bool deid = r->view == JUP_GATE_VIEW_DEIDENTIFIED;
	if (!deid || v->type != JUP_V_TEXT || place_code(v))
		set(r, eol, key, value(v));
}

/* A stored JSON list (key_contacts, medicines_in_home). */
static jup_status stored_list(const jup_value *v, const char *what, json_t **out, jup_err *err)
{
	*out = NULL;
	if (v->type != JUP_V_TEXT)
		return damaged(what, err);
	json_error_t why;
	*out = json_loadb(v->s.ptr, v->s.len, JSON_REJECT_DUPLICATES, &why);
	if (!*out || !json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		return damaged(what, err);
	}
	return JUP_OK;
}

static jup_status eol_part(care_plan_reader *r, const jup_value *v, json_t *o, jup_err *err)
{
	bool deid = r->view == JUP_GATE_VIEW_DEIDENTIFIED;
	json_t *contacts, *medicines;
	jup_status s = stored_list(&v[JUP_CP_KEY_CONTACTS], "key_contacts", &contacts, err);
	if (!s)
		s = stored_list(&v[JUP_CP_MEDICINES], "medicines_in_home", &medicines, err);
	if (s) {
		json_decref(contacts);
		return s;
	}
	json_t *eol = json_object();
	place(r, eol, "preferred_place_of_care", &v[JUP_CP_PLACE_OF_CARE]);
	place(r, eol, "preferred_place_of_death", &v[JUP_CP_PLACE_OF_DEATH]);
	set(r, eol, "resuscitation", value(&v[JUP_CP_RESUSCITATION]));
	if (deid)
		json_decref(contacts);
	else
		set(r, eol, "key_contacts", contacts);
	for (size_t i = 0; deid && i < json_array_size(medicines); i++)
		json_object_del(json_array_get(medicines, i), "description");
	set(r, eol, "medicines_in_home", medicines);
	set(r, o, "end_of_life", eol);
	return JUP_OK;
}

/* ---- a version ------------------------------------------------------------------------ */

jup_status care_plan_row_json(care_plan_reader *r, const jup_value *v, care_plan_version *out,
			      jup_err *err)
{
	bool deid = r->view == JUP_GATE_VIEW_DEIDENTIFIED;
	out->plan_id = int_of(&v[JUP_CP_PLAN_ID]);
	out->version = int_of(&v[JUP_CP_VERSION]);
	out->person_id = int_of(&v[JUP_CP_PERSON_ID]);
	out->kind = care_plan_kind_of(&v[JUP_CP_KIND]);
	out->json = NULL;
	if (out->plan_id <= 0 || out->version <= 0 || out->kind == CARE_PLAN_KIND__COUNT)
		return damaged("plan id, version or kind", err);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)out->plan_id);
	json_t *o = json_object();
	set(r, o, "id", json_string(id));
	set(r, o, "version", json_integer(out->version));
	set(r, o, "recorded_at", value(&v[JUP_CP_RECORDED_AT]));
	set(r, o, "kind", json_string(care_plan_kind_name(out->kind)));
	set(r, o, "status", value(&v[JUP_CP_STATUS]));
	if (!deid) {
		set(r, o, "title", value(&v[JUP_CP_TITLE]));
		set(r, o, "description", value(&v[JUP_CP_DESCRIPTION]));
	}
	set(r, o, "period_start", value(&v[JUP_CP_PERIOD_START]));
	set(r, o, "period_end", value(&v[JUP_CP_PERIOD_END]));
	int org;
	jup_status s = who(r, v, o, &org, err);
	if (!s && out->kind == CARE_PLAN_KIND_END_OF_LIFE)
		s = eol_part(r, v, o, err);
	else if (!s)
		set(r, o, "end_of_life", json_null());
	if (!s) {
		json_t *src = json_object();
		set(r, src, "organisation", json_string(r->orgs[org].code));
		set(r, o, "source", src);
	}
	if (s || r->oom) {
		json_decref(o);
		return s;
	}
	out->json = o;
	return JUP_OK;
}
