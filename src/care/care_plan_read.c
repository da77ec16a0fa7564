/*
 * care_plan_read.c - reading care plans behind a logged permit to read the
 * person's record: one version (jup_care_plan_read), every version
 * (jup_care_plan_history), and the latest version of each of the persons'
 * plans as the joined-up record's "care_plans" (care_plans_section).
 *
 * A plan of somebody else, or of a kind the view does not show, is "not
 * found", exactly as a plan that does not exist: a reader learns nothing
 * about other people's plan ids.
 */
#include "care/care_internal.h"
#include "care/care_plan_internal.h"

#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

/* ---- the decision ----------------------------------------------------------------- */

static jup_status check_decision(const jup_gate_decision *d, jup_err *err)
{
	if (!d->permit || d->audit_id <= 0 || d->action != JUP_GATE_READ_RECORD ||
	    d->npersons < 1 || d->npersons > JUP_GATE_MAX_PERSONS)
		return jup_err_set(
			err, JUP_ERR_DENIED,
			"care plans are read only under a logged permit to read the record");
	if (d->view != JUP_GATE_VIEW_FULL && d->view != JUP_GATE_VIEW_EOL &&
	    d->view != JUP_GATE_VIEW_DEIDENTIFIED)
		return jup_err_set(err, JUP_ERR_DENIED,
				   "the decision allows no view of the record");
	return JUP_OK;
}

static bool names_person(const jup_gate_decision *d, int64_t person_id)
{
	for (int i = 0; i < d->npersons; i++)
		if (d->persons[i] == person_id)
			return true;
	return false;
}

/* ---- versions, as read ----------------------------------------------------------------- */

typedef struct version_list {
	care_plan_reader *rd;
	care_plan_version *v;
	size_t n, cap;
} version_list;

static void list_free(version_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		json_decref(l->v[i].json);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static jup_status version_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	version_list *l = ctx;
	care_plan_version *grown = jup_array_grow(l->v, &l->cap, l->n, sizeof *l->v, 4);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading care plans");
	l->v = grown;
	jup_status r = care_plan_row_json(l->rd, vals, &l->v[l->n], err);
	if (!r && !l->v[l->n].json)
		r = jup_err_set(err, JUP_ERR_NOMEM, "out of memory reading care plans");
	if (!r)
		l->n++;
	return r;
}

/* Every version of plan_id the decision may see, oldest first (by row, so
 * by version); JUP_ERR_NOT_FOUND when there are none. */
static jup_status load_plan(jup_store *st, const jup_gate_decision *d, const char *plan_id,
			    version_list *l, jup_err *err)
{
	int64_t id;
	jup_status r = check_decision(d, err);
	if (r)
		return r;
	if (!care_plan_parse_id(plan_id, &id))
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no such care plan");
	jup_match by_plan = { JUP_CP_PLAN_ID, jup_v_int(id) };
	r = jup_store_scan(st, JUP_TABLE_CARE_PLAN, &by_plan, 1, version_row, l, err);
	for (size_t i = 0; !r && i < l->n; i++)
		if (!names_person(d, l->v[i].person_id) ||
		    !care_plan_visible(d->view, l->v[i].kind))
			list_free(l); /* all or nothing: a plan is one person's, of one kind */
	if (!r && !l->n)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no care plan %lld", (long long)id);
	return r;
}

jup_status jup_care_plan_read(jup_store *st, const jup_gate_decision *d, const char *plan_id,
			      int64_t version, json_t **out, jup_err *err)
{
	if (out)
		*out = NULL;
	if (!st || !d || !out || version < 0)
		return jup_err_set(err, JUP_ERR_USAGE, "care plan: missing arguments");
	care_plan_reader rd = { .st = st, .view = d->view };
	version_list l = { &rd, NULL, 0, 0 };
	jup_status r = load_plan(st, d, plan_id, &l, err);
	size_t at = l.n;
	for (size_t i = 0; !r && i < l.n; i++)
		if (version ? l.v[i].version == version : i + 1 == l.n)
			at = i;
	if (!r && at == l.n)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "care plan %s has no version %lld", plan_id,
				(long long)version);
	if (!r) {
		*out = l.v[at].json;
		l.v[at].json = NULL;
	}
	list_free(&l);
	return r;
}

jup_status jup_care_plan_history(jup_store *st, const jup_gate_decision *d, const char *plan_id,
				 json_t **versions, jup_err *err)
{
	if (versions)
		*versions = NULL;
	if (!st || !d || !versions)
		return jup_err_set(err, JUP_ERR_USAGE, "care plan: missing arguments");
	care_plan_reader rd = { .st = st, .view = d->view };
	version_list l = { &rd, NULL, 0, 0 };
	jup_status r = load_plan(st, d, plan_id, &l, err);
	json_t *arr = r ? NULL : json_array();
	if (!r && !arr)
		r = JUP_ERR_NOMEM;
	for (size_t i = l.n; !r && i-- > 0;) {
		if (json_array_append_new(arr, l.v[i].json))
			r = JUP_ERR_NOMEM;
		l.v[i].json = NULL; /* the array's (or released by jansson) */
	}
	list_free(&l);
	if (r == JUP_ERR_NOMEM)
		r = jup_err_set(err, r, "out of memory reading care plans");
	if (r) {
		json_decref(arr);
		return r;
	}
	*versions = arr;
	return JUP_OK;
}

/* ---- the joined-up record's care plans ------------------------------------------------- */

static int by_plan_version(const void *a, const void *b)
{
	const care_plan_version *x = a, *y = b;
	if (x->plan_id != y->plan_id)
		return (x->plan_id > y->plan_id) - (x->plan_id < y->plan_id);
	return (x->version > y->version) - (x->version < y->version);
}

/* Keep only each plan's latest version (l sorted by plan and version), and
 * drop kinds the view does not show. */
static void keep_latest(version_list *l, jup_gate_view view)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->n; i++) {
		bool newer_follows = i + 1 < l->n && l->v[i + 1].plan_id == l->v[i].plan_id;
		if (newer_follows || !care_plan_visible(view, l->v[i].kind)) {
			json_decref(l->v[i].json);
			continue;
		}
		l->v[kept++] = l->v[i];
	}
	l->n = kept;
}

jup_status care_plans_section(care_ctx *c, json_t *root, jup_err *err)
{
	const jup_gate_decision *d = c->d;
	care_plan_reader rd = { .st = c->st, .view = d->view };
	version_list l = { &rd, NULL, 0, 0 };
	jup_status r = JUP_OK;
	for (int i = 0; !r && i < d->npersons; i++) {
		bool again = false;
		for (int j = 0; j < i && !again; j++)
			again = d->persons[j] == d->persons[i];
		jup_match by_person = { JUP_CP_PERSON_ID, jup_v_int(d->persons[i]) };
		if (!again)
			r = jup_store_scan(c->st, JUP_TABLE_CARE_PLAN, &by_person, 1, version_row,
					   &l, err);
	}
	if (!r && l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, by_plan_version);
	if (!r)
		keep_latest(&l, d->view);
	json_t *arr = json_array();
	care_set(c, root, "care_plans", arr);
	for (size_t i = 0; !r && i < l.n; i++) {
		care_append(c, arr, l.v[i].json);
		l.v[i].json = NULL;
	}
	list_free(&l);
	return r ? r : care_done(c, err);
}

/* The person of a plan's first version (every version names the same). */
static jup_status person_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	(void)err;
	int64_t *person = ctx;
	if (vals[JUP_CP_PERSON_ID].type == JUP_V_INT)
		*person = vals[JUP_CP_PERSON_ID].i;
	return JUP_ERR_EXISTS; /* one row is enough */
}

jup_status jup_care_plan_person(jup_store *st, const char *plan_id, int64_t *person_id,
				jup_err *err)
{
	int64_t id;
	*person_id = 0;
	if (!care_plan_parse_id(plan_id, &id))
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no such care plan");
	jup_match by_plan = { JUP_CP_PLAN_ID, jup_v_int(id) };
	jup_status r = jup_store_scan(st, JUP_TABLE_CARE_PLAN, &by_plan, 1, person_row, person_id,
				      err);
	if (r == JUP_ERR_EXISTS)
		r = JUP_OK;
	if (!r && !*person_id)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no care plan %lld", (long long)id);
	return r;
}
