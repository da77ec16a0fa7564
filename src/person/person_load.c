/*
 * person_load.c - the holder of an NHS number (jup_person.h): the persons
 * of the records carrying it, merges either way, and their member records
 * with each record's organisation.
 */
#include "person/jup_person.h"

#include "core/jup_array.h"
#include "ingest/jup_ingest_valid.h"

#include <stdlib.h>
#include <string.h>

/* ---- person ids ------------------------------------------------------------------ */

/* Add id to a small set. */
static jup_status add_id(jup_ids *l, int64_t id, jup_err *err)
{
	return jup_ids_has(l, id) ? JUP_OK : jup_ids_add(l, id, err);
}

static jup_status row_id(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)vals;
	return add_id(ctx, id, err);
}

static jup_status member_person(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	const jup_value *p = &vals[JUP_PM_PERSON_ID];
	return p->type == JUP_V_INT ? add_id(ctx, p->i, err) : JUP_OK;
}

static jup_status person_root(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	const jup_value *into = &vals[JUP_PERSON_MERGED_INTO];
	return into->type == JUP_V_INT ? add_id(ctx, into->i, err) : JUP_OK;
}

/* The persons of the source records carrying nhs (canonical digits). */
static jup_status holders(jup_store *st, const char *nhs, jup_ids *persons, jup_err *err)
{
	jup_ids src = { 0 };
	jup_match m = { JUP_SRC_NHS_NUMBER, jup_v_cstr(nhs) };
	jup_status r = jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, &m, 1, row_id, &src, err);
	for (size_t i = 0; !r && i < src.n; i++) {
		jup_match pm = { JUP_PM_SOURCE_ID, jup_v_int(src.v[i]) };
		r = jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &pm, 1, member_person, persons,
				   err);
	}
	free(src.v);
	return r;
}

/* Add the person each one was merged into and every person merged into
 * one of them (merges point straight at the survivor). */
static jup_status add_merged(jup_store *st, jup_ids *persons, jup_err *err)
{
	jup_status r = JUP_OK;
	for (size_t i = 0; !r && i < persons->n; i++) {
		jup_match id = { JUP_COL_ID, jup_v_int(persons->v[i]) };
		r = jup_store_scan(st, JUP_TABLE_PERSON, &id, 1, person_root, persons, err);
	}
	for (size_t i = 0; !r && i < persons->n; i++) {
		jup_match into = { JUP_PERSON_MERGED_INTO, jup_v_int(persons->v[i]) };
		r = jup_store_scan(st, JUP_TABLE_PERSON, &into, 1, row_id, persons, err);
	}
	return r;
}

jup_status jup_person_ids(jup_store *st, const char *nhs, int64_t **ids, size_t *n, jup_err *err)
{
	char canon[11];
	jup_err ignored;
	*ids = NULL;
	*n = 0;
	if (!nhs || jup_ingest_nhs_number(jup_sv_from(nhs), canon, &ignored))
		return jup_err_set(err, JUP_ERR_INVALID, "not a valid NHS number");
	jup_ids persons = { 0 };
	jup_status r = holders(st, canon, &persons, err);
	if (!r && persons.n == 0)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no linked record carries this NHS number");
	if (!r)
		r = add_merged(st, &persons, err);
	if (r) {
		free(persons.v);
		return r;
	}
	jup_ids_sort(&persons);
	*ids = persons.v;
	*n = persons.n;
	return JUP_OK;
}

/* ---- member records --------------------------------------------------------------- */

typedef struct record_load {
	jup_store *st;
	jup_person *p;
} record_load;

static jup_status org_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	jup_person_record *r = ctx;
	r->kind = jup_store_org_kind_parse(&v[JUP_ORG_KIND]);
	r->participating =
		v[JUP_ORG_PARTICIPATING].type == JUP_V_INT && v[JUP_ORG_PARTICIPATING].i != 0;
	return JUP_OK;
}

/* Record r's organisation: that of an earlier record of the same
 * organisation, or read. */
static jup_status find_org(record_load *l, jup_person_record *r, jup_err *err)
{
	for (size_t i = 0; i < l->p->nrec; i++)
		if (l->p->rec[i].org_id == r->org_id) {
			r->kind = l->p->rec[i].kind;
			r->participating = l->p->rec[i].participating;
			return JUP_OK;
		}
	jup_match org = { JUP_COL_ID, jup_v_int(r->org_id) };
	return jup_store_scan(l->st, JUP_TABLE_ORGANISATION, &org, 1, org_row, r, err);
}

static jup_status record_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	record_load *l = ctx;
	jup_person *p = l->p;
	jup_person_record *grown = jup_array_grow(p->rec, &p->cap, p->nrec, sizeof *p->rec, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading a person's records");
	p->rec = grown;
	jup_person_record r = { id, 0, JUP_ORG_KIND__COUNT, false };
	if (v[JUP_SRC_ORG_ID].type == JUP_V_INT)
		r.org_id = v[JUP_SRC_ORG_ID].i;
	jup_status s = find_org(l, &r, err);
	if (!s)
		p->rec[p->nrec++] = r;
	return s;
}

static int cmp_record(const void *a, const void *b)
{
	int64_t x = ((const jup_person_record *)a)->id, y = ((const jup_person_record *)b)->id;
	return (x > y) - (x < y);
}

jup_status jup_person_load(jup_store *st, const char *nhs, jup_person *p, jup_err *err)
{
	memset(p, 0, sizeof *p);
	int64_t *ids;
	size_t n;
	jup_status s = jup_person_ids(st, nhs, &ids, &n, err);
	if (s)
		return s;
	if (n > JUP_PERSON_MAX_IDS)
		s = jup_err_set(
			err, JUP_ERR_LIMIT,
			"the NHS number resolves to more than %d persons: review the linkage",
			JUP_PERSON_MAX_IDS);
	record_load l = { st, p };
	for (size_t i = 0; !s && i < n; i++) {
		p->ids[p->nids++] = ids[i];
		s = jup_store_scan_person(st, JUP_TABLE_SOURCE_RECORD, ids[i], record_row, &l, err);
	}
	free(ids);
	if (s) {
		jup_person_free(p);
		p->nids = 0;
		return s;
	}
	if (p->nrec > 1)
		qsort(p->rec, p->nrec, sizeof *p->rec, cmp_record);
	return JUP_OK;
}

const jup_person_record *jup_person_latest_gp(const jup_person *p)
{
	const jup_person_record *latest = NULL;
	for (size_t i = 0; p && i < p->nrec; i++) /* records ascend by id */
		if (p->rec[i].kind == JUP_ORG_GP_PRACTICE)
			latest = &p->rec[i];
	return latest;
}

void jup_person_free(jup_person *p)
{
	free(p->rec);
	p->rec = NULL;
	p->nrec = p->cap = 0;
}

/* What jup_person_find_joined looks through. */
typedef struct joined_search {
	jup_store *st;
	jup_person *p;
	char *nhs;
	int left;
} joined_search;

/* Are p's records joined up: current GP practice taking part, a hospital,
 * a council taking part? */
static bool joined_up(const jup_person *p)
{
	const jup_person_record *gp = jup_person_latest_gp(p);
	bool hospital = false, council = false;
	for (size_t i = 0; i < p->nrec; i++) {
		hospital |= p->rec[i].kind == JUP_ORG_HOSPITAL_TRUST;
		council |= p->rec[i].kind == JUP_ORG_COUNCIL && p->rec[i].participating;
	}
	return gp && gp->participating && hospital && council;
}

static jup_status try_joined(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	joined_search *js = ctx;
	if (js->left-- <= 0)
		return JUP_ERR_NOT_FOUND;
	if (v[JUP_SRC_NHS_NUMBER].type != JUP_V_TEXT)
		return JUP_OK;
	jup_value_copy_text(js->nhs, 11, &v[JUP_SRC_NHS_NUMBER]);
	jup_person_free(js->p);
	jup_status st = jup_person_load(js->st, js->nhs, js->p, err);
	if (st == JUP_ERR_NOT_FOUND || st == JUP_ERR_LIMIT)
		return JUP_OK;
	if (st)
		return st;
	return joined_up(js->p) ? JUP_ERR_EXISTS : JUP_OK; /* EXISTS: found, stop */
}

jup_status jup_person_find_joined(jup_store *st, int tries, char nhs[11], jup_person *p,
				  jup_err *err)
{
	joined_search js = { st, p, nhs, tries };
	jup_match valid = { JUP_SRC_NHS_NUMBER_STATUS, jup_v_cstr("valid") };
	jup_status r = jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, &valid, 1, try_joined, &js, err);
	if (r == JUP_ERR_EXISTS)
		return JUP_OK;
	jup_person_free(p);
	nhs[0] = '\0';
	if (r == JUP_OK || r == JUP_ERR_NOT_FOUND)
		return jup_err_set(err, JUP_ERR_NOT_FOUND,
				   "no person with GP, hospital and council records among the first %d",
				   tries);
	return r;
}
