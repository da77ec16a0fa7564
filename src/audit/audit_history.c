/*
 * audit_history.c - the citizen's view: every audit entry about the
 * person(s) holding an NHS number, oldest first, found through the person
 * runs of the full blocks and the tail after them (jup_audit.h).
 */
#include "audit/jup_audit.h"
#include "core/jup_array.h"
#include "person/jup_person.h"

#include <stdlib.h>


/* A run row: its entry. */
static jup_status run_entry(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	const jup_value *e = &vals[JUP_APR_ENTRY_ID];
	if (e->type != JUP_V_INT)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit person run: a malformed row (run joinedup audit verify)");
	return jup_ids_add(ctx, e->i, err);
}

/* The person's entries in the full blocks: their rows of each block's run
 * (by the run table's key). */
static jup_status person_runs(jup_store *st, int64_t person, int64_t full, jup_ids *l, jup_err *err)
{
	jup_status r = JUP_OK;
	for (int64_t b = 0; !r && b < full; b++) {
		jup_match m[2] = { { JUP_APR_BLOCK, jup_v_int(b) },
				   { JUP_APR_PERSON_ID, jup_v_int(person) } };
		r = jup_store_scan(st, JUP_TABLE_AUDIT_PERSON_RUN, m, 2, run_entry, l, err);
	}
	return r;
}

/* The tail: entries after the full blocks, read one by one. */
typedef struct tail_walk {
	const int64_t *persons;
	size_t np;
	jup_ids *ids;
} tail_walk;

/* Whether an entry's person_id value is one of the persons. */
static bool about(const jup_value *p, const int64_t *persons, size_t np)
{
	for (size_t i = 0; p->type == JUP_V_INT && i < np; i++)
		if (persons[i] == p->i)
			return true;
	return false;
}

static jup_status tail_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	tail_walk *t = ctx;
	return about(&vals[JUP_AUDIT_PERSON_ID], t->persons, t->np) ? jup_ids_add(t->ids, id, err)
								    : JUP_OK;
}

/* The ids of the entries about any of the persons, unsorted. */
static jup_status find_entries(jup_store *st, const int64_t *persons, size_t np, jup_ids *l,
			       jup_err *err)
{
	int64_t size;
	jup_status r = jup_audit_size(st, &size, err);
	int64_t full = size / JUP_AUDIT_BLOCK;
	for (size_t i = 0; !r && i < np; i++)
		r = person_runs(st, persons[i], full, l, err);
	tail_walk t = { persons, np, l };
	if (!r)
		r = jup_store_scan_after(st, JUP_TABLE_AUDIT_ENTRY, full * JUP_AUDIT_BLOCK,
					 tail_row, &t, err);
	return r;
}

typedef struct history_walk {
	jup_audit_history_fn fn;
	void *ctx;
	const int64_t *persons;
	size_t np;
	size_t given;
} history_walk;

/* An entry found, given to fn once it is seen to be about the persons (a
 * run row added behind the log's back must not show somebody else's). */
static jup_status give_entry(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	history_walk *w = ctx;
	if (!about(&vals[JUP_AUDIT_PERSON_ID], w->persons, w->np))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "audit person run: entry %lld is not about the person (run "
				   "joinedup audit verify)",
				   (long long)id);
	jup_audit_record rec;
	char num[24];
	jup_audit_record_from_row(id, vals, &rec, num);
	w->given++;
	return w->fn(w->ctx, &rec, err);
}

jup_status jup_audit_history(jup_store *st, const char *nhs, jup_audit_history_fn fn, void *ctx,
			     size_t *count, jup_err *err)
{
	int64_t *persons;
	size_t np;
	jup_ids entries = { 0 };
	jup_status r = jup_person_ids(st, nhs, &persons, &np, err);
	if (r)
		return r;
	r = find_entries(st, persons, np, &entries, err);
	if (!r)
		jup_ids_sort(&entries);
	history_walk w = { fn, ctx, persons, np, 0 };
	for (size_t i = 0; !r && i < entries.n; i++) {
		jup_match id = { JUP_COL_ID, jup_v_int(entries.v[i]) };
		r = jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &id, 1, give_entry, &w, err);
	}
	if (!r && count)
		*count = w.given;
	free(persons);
	free(entries.v);
	return r;
}
