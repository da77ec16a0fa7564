/*
 * audit_history.c - the citizen's view: every audit entry about the
 * person(s) holding an NHS number, oldest first.
 */
#include "audit/jup_audit.h"
#include "core/jup_array.h"
#include "ingest/jup_ingest_valid.h"

#include <stdlib.h>

/* A set of ids, kept small and unsorted until the end. */
typedef struct id_list {
	int64_t *v;
	size_t n, cap;
	bool all; /* keep duplicates (entry ids are unique anyway) */
} id_list;

static jup_status add_id(id_list *l, int64_t id, jup_err *err)
{
	for (size_t i = 0; !l->all && i < l->n; i++)
		if (l->v[i] == id)
			return JUP_OK;
	int64_t *grown = jup_array_grow(l->v, &l->cap, l->n, sizeof *l->v, 8);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory listing audit entries");
	l->v = grown;
	l->v[l->n++] = id;
	return JUP_OK;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
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
static jup_status holders(jup_store *st, const char *nhs, id_list *persons, jup_err *err)
{
	id_list src = { 0 };
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
static jup_status add_merged(jup_store *st, id_list *persons, jup_err *err)
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

jup_status jup_audit_persons(jup_store *st, const char *nhs, int64_t **ids, size_t *n, jup_err *err)
{
	char canon[11];
	jup_err e2;
	*ids = NULL;
	*n = 0;
	if (jup_ingest_nhs_number(jup_sv_from(nhs), canon, &e2))
		return jup_err_set(err, JUP_ERR_INVALID, "not a valid NHS number");
	id_list persons = { 0 };
	jup_status r = holders(st, canon, &persons, err);
	if (!r && persons.n == 0)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no linked record carries this NHS number");
	if (!r)
		r = add_merged(st, &persons, err);
	if (r) {
		free(persons.v);
		return r;
	}
	qsort(persons.v, persons.n, sizeof *persons.v, cmp_id);
	*ids = persons.v;
	*n = persons.n;
	return JUP_OK;
}

typedef struct history_walk {
	jup_audit_history_fn fn;
	void *ctx;
} history_walk;

static jup_status give_entry(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	history_walk *w = ctx;
	jup_audit_record rec;
	char num[24];
	jup_audit_record_from_row(id, vals, &rec, num);
	return w->fn(w->ctx, &rec, err);
}

jup_status jup_audit_history(jup_store *st, const char *nhs, jup_audit_history_fn fn, void *ctx,
			     size_t *count, jup_err *err)
{
	int64_t *persons;
	size_t np;
	id_list entries = { .all = true };
	jup_status r = jup_audit_persons(st, nhs, &persons, &np, err);
	if (r)
		return r;
	for (size_t i = 0; !r && i < np; i++) {
		jup_match m = { JUP_AUDIT_PERSON_ID, jup_v_int(persons[i]) };
		r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &m, 1, row_id, &entries, err);
	}
	free(persons);
	if (!r)
		qsort(entries.v, entries.n, sizeof *entries.v, cmp_id);
	history_walk w = { fn, ctx };
	for (size_t i = 0; !r && i < entries.n; i++) {
		jup_match id = { JUP_COL_ID, jup_v_int(entries.v[i]) };
		r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &id, 1, give_entry, &w, err);
	}
	if (!r && count)
		*count = entries.n;
	free(entries.v);
	return r;
}
