/*
 * care_person.c - whose record it is: the source records that are members
 * of the decision's persons, the identity they give ("person") and the list
 * of them ("sources").
 *
 * A record of a section the decision withholds is only counted (the
 * persons have such records, so "withheld" can say so) and read no
 * further: none of its demographics reach the identity or the sources. A
 * record held by an organisation that does not take part in the joined-up
 * record is passed over the same way.
 */
#include "care/care_internal.h"

#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

/* ---- memberships ---------------------------------------------------------------- */

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	care_ctx *c = ctx;
	care_member *grown =
		jup_array_grow(c->members, &c->members_cap, c->nmembers, sizeof *c->members, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory building the care record");
	c->members = grown;
	care_member *m = &c->members[c->nmembers++];
	m->source_id = care_int(&v[JUP_PM_SOURCE_ID]);
	m->person_id = care_int(&v[JUP_PM_PERSON_ID]);
	m->method[0] = '\0';
	if (v[JUP_PM_METHOD].type == JUP_V_TEXT)
		(void)jup_sv_to_cstr(v[JUP_PM_METHOD].s, m->method, sizeof m->method);
	return JUP_OK;
}

static int by_source(const void *a, const void *b)
{
	int64_t x = ((const care_member *)a)->source_id, y = ((const care_member *)b)->source_id;
	return (x > y) - (x < y);
}

/* Every record of every person of the decision (each person once), by id. */
static jup_status gather_members(care_ctx *c, jup_err *err)
{
	const jup_gate_decision *d = c->d;
	for (int i = 0; i < d->npersons; i++) {
		bool again = false;
		for (int j = 0; j < i && !again; j++)
			again = d->persons[j] == d->persons[i];
		if (again)
			continue;
		jup_match by_person = { JUP_PM_PERSON_ID, jup_v_int(d->persons[i]) };
		jup_status r = jup_store_scan(c->st, JUP_TABLE_PERSON_MEMBER, &by_person, 1,
					      member_row, c, err);
		if (r)
			return r;
	}
	if (c->nmembers > 1)
		qsort(c->members, c->nmembers, sizeof *c->members, by_source);
	return JUP_OK;
}

/* ---- identity ------------------------------------------------------------------- */

/* What the records that may be shown say about who the person is. */
typedef struct identity {
	char nhs[11];                          /* the first valid NHS number, "" when none */
	json_t *dob, *sex;                     /* the first given (by record id), NULL when none */
	json_t *names, *postcodes, *addresses; /* distinct values, by first record */
} identity;

static bool has_text(const jup_value *v)
{
	return v->type == JUP_V_TEXT && v->s.len > 0;
}

/* Whether JSON value j says what stored value v does (text, or nothing). */
static bool same(const json_t *j, const jup_value *v)
{
	if (!has_text(v))
		return j == NULL || json_is_null(j);
	return json_is_string(j) && json_string_length(j) == v->s.len &&
	       memcmp(json_string_value(j), v->s.ptr, v->s.len) == 0;
}

static void add_distinct(care_ctx *c, json_t *arr, const jup_value *v)
{
	if (!has_text(v))
		return;
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (same(json_array_get(arr, i), v))
			return;
	care_append(c, arr, care_value(v));
}

static void add_name(care_ctx *c, json_t *names, const jup_value *given, const jup_value *family)
{
	if (!has_text(given) && !has_text(family))
		return;
	for (size_t i = 0; i < json_array_size(names); i++) {
		json_t *e = json_array_get(names, i);
		if (same(json_object_get(e, "given"), given) &&
		    same(json_object_get(e, "family"), family))
			return;
	}
	json_t *name = json_object();
	care_set(c, name, "given", care_value(given));
	care_set(c, name, "family", care_value(family));
	care_append(c, names, name);
}

static void add_identity(care_ctx *c, identity *id, const jup_value *v)
{
	const jup_value *nhs = &v[JUP_SRC_NHS_NUMBER];
	const jup_value *status = &v[JUP_SRC_NHS_NUMBER_STATUS];
	if (!id->nhs[0] && nhs->type == JUP_V_TEXT && nhs->s.len == 10 &&
	    status->type == JUP_V_TEXT && jup_sv_eq_cstr(status->s, "valid"))
		(void)jup_sv_to_cstr(nhs->s, id->nhs, sizeof id->nhs);
	if (!id->dob && has_text(&v[JUP_SRC_DOB])) {
		id->dob = c->deid ? care_year(&v[JUP_SRC_DOB]) : care_value(&v[JUP_SRC_DOB]);
		c->oom |= !id->dob;
	}
	if (!id->sex && has_text(&v[JUP_SRC_SEX])) {
		id->sex = care_value(&v[JUP_SRC_SEX]);
		c->oom |= !id->sex;
	}
	if (c->deid)
		return; /* no names, postcodes or addresses are even gathered */
	add_name(c, id->names, &v[JUP_SRC_GIVEN_NAME], &v[JUP_SRC_FAMILY_NAME]);
	add_distinct(c, id->postcodes, &v[JUP_SRC_POSTCODE]);
	add_distinct(c, id->addresses, &v[JUP_SRC_ADDRESS]);
}

/* ---- the source records --------------------------------------------------------- */

typedef struct rec_scan {
	care_ctx *c;
	const care_member *m;
	identity *id;
	json_t *sources;
} rec_scan;

static jup_status add_rec(care_ctx *c, int64_t id, size_t org, care_section sec, jup_err *err)
{
	care_rec *grown = jup_array_grow(c->recs, &c->recs_cap, c->nrecs, sizeof *c->recs, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory building the care record");
	c->recs = grown;
	c->recs[c->nrecs++] = (care_rec){ id, org, sec };
	return JUP_OK;
}

static jup_status add_source(rec_scan *s, int64_t id, size_t org, const jup_value *v,
			     const jup_provenance *prov, jup_err *err)
{
	care_ctx *c = s->c;
	const care_org *o = &c->orgs[org];
	json_t *e = json_object();
	care_set(c, e, "record", json_integer(id));
	care_set(c, e, "person_id", json_integer(s->m->person_id));
	care_set(c, e, "organisation", json_string(o->code));
	care_set(c, e, "organisation_name", json_incref(o->name));
	care_set(c, e, "organisation_kind", json_string(jup_store_org_kind_name(o->kind)));
	care_set(c, e, "participating", json_boolean(o->participating));
	if (!c->deid)
		care_set(c, e, "local_id", care_value(&v[JUP_SRC_LOCAL_ID]));
	care_set(c, e, "linked_by", json_string(s->m->method));
	jup_status r = care_provenance(c, e, prov, err);
	if (r) {
		json_decref(e);
		return r;
	}
	care_append(c, s->sources, e);
	return JUP_OK;
}

static jup_status record_row(void *ctx, int64_t id, const jup_value *v, const jup_provenance *prov,
			     jup_err *err)
{
	rec_scan *s = ctx;
	care_ctx *c = s->c;
	size_t org;
	jup_status r = care_org_get(c, care_int(&v[JUP_SRC_ORG_ID]), &org, err);
	if (r)
		return r;
	care_section sec = care_section_of(c->orgs[org].kind);
	c->held[sec] = true;
	if (!care_allowed(c, sec))
		return JUP_OK; /* withheld: nothing more of it is read */
	if (!c->orgs[org].participating) {
		c->unshared[sec] = true; /* its organisation does not share through joinedup */
		return JUP_OK;
	}
	r = add_rec(c, id, org, sec, err);
	if (r)
		return r;
	add_identity(c, s->id, v);
	r = add_source(s, id, org, v, prov, err);
	return r ? r : care_done(c, err);
}

/* ---- death ---------------------------------------------------------------------- */

typedef struct death_scan {
	care_ctx *c;
	json_t *death; /* the first registration, by id */
} death_scan;

static jup_status death_row(void *ctx, int64_t id, const jup_value *v, const jup_provenance *prov,
			    jup_err *err)
{
	(void)id;
	death_scan *s = ctx;
	care_ctx *c = s->c;
	if (s->death)
		return JUP_OK;
	json_t *death = json_object();
	s->death = death;
	if (c->deid) {
		care_set(c, death, "year", care_year(&v[JUP_DEATH_DATE_OF_DEATH]));
	} else {
		care_set(c, death, "date", care_value(&v[JUP_DEATH_DATE_OF_DEATH]));
		care_set(c, death, "place", care_value(&v[JUP_DEATH_PLACE_OF_DEATH]));
	}
	json_t *src = json_object();
	care_set(c, death, "source", src);
	jup_status r = care_done(c, err);
	if (!r)
		r = care_provenance(c, src, prov, err);
	return r ? r : care_done(c, err);
}

static jup_status add_death(care_ctx *c, const char *nhs, json_t *person, jup_err *err)
{
	death_scan s = { c, NULL };
	jup_match by_nhs = { JUP_DEATH_NHS_NUMBER, jup_v_cstr(nhs) };
	jup_status r = jup_store_scan_prov(c->st, JUP_TABLE_DEATH, &by_nhs, 1, death_row, &s, err);
	if (r) {
		json_decref(s.death);
		return r;
	}
	if (s.death)
		care_set(c, person, "death", s.death);
	return JUP_OK;
}

/* ---- the person ----------------------------------------------------------------- */

/* Hand a gathered value to obj (null when there is none). */
static void give(care_ctx *c, json_t *obj, const char *key, json_t **v)
{
	care_set(c, obj, key, *v ? *v : json_null());
	*v = NULL;
}

static jup_status finish_person(care_ctx *c, identity *id, json_t *root, jup_err *err)
{
	json_t *person = json_object();
	if (!c->deid) {
		care_set(c, person, "nhs_number", id->nhs[0] ? json_string(id->nhs) : json_null());
		give(c, person, "names", &id->names);
	}
	give(c, person, c->deid ? "year_of_birth" : "date_of_birth", &id->dob);
	give(c, person, "sex", &id->sex);
	if (!c->deid) {
		give(c, person, "postcodes", &id->postcodes);
		give(c, person, "addresses", &id->addresses);
	}
	jup_status r = id->nhs[0] ? add_death(c, id->nhs, person, err) : JUP_OK;
	if (r) {
		json_decref(person);
		return r;
	}
	care_set(c, root, "person", person);
	return care_done(c, err);
}

jup_status care_person(care_ctx *c, json_t *root, jup_err *err)
{
	identity id = { .names = json_array(),
			.postcodes = json_array(),
			.addresses = json_array() };
	json_t *sources = json_array();
	if (!id.names || !id.postcodes || !id.addresses || !sources)
		c->oom = true;
	jup_status r = care_done(c, err);
	if (!r)
		r = gather_members(c, err);
	for (size_t i = 0; !r && i < c->nmembers; i++) {
		rec_scan s = { c, &c->members[i], &id, sources };
		jup_match by_id = { JUP_COL_ID, jup_v_int(c->members[i].source_id) };
		r = jup_store_scan_prov(c->st, JUP_TABLE_SOURCE_RECORD, &by_id, 1, record_row, &s,
					err);
	}
	if (!r)
		r = finish_person(c, &id, root, err);
	if (!r) {
		care_set(c, root, "sources", sources);
		sources = NULL;
	}
	json_decref(sources);
	json_decref(id.dob);
	json_decref(id.sex);
	json_decref(id.names);
	json_decref(id.postcodes);
	json_decref(id.addresses);
	return r ? r : care_done(c, err);
}
