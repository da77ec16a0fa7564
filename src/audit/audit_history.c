/*
 * audit_history.c - the citizen's view: every audit entry about the
 * person(s) holding an NHS number, oldest first.
 */
#include "audit/jup_audit.h"
#include "core/jup_array.h"
#include "person/jup_person.h"

#include <stdlib.h>

/* Entry ids, unsorted until the end. */
typedef struct id_list {
	int64_t *v;
	size_t n, cap;
} id_list;

static jup_status add_id(id_list *l, int64_t id, jup_err *err)
{
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
	id_list entries = { 0 };
	jup_status r = jup_person_ids(st, nhs, &persons, &np, err);
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
