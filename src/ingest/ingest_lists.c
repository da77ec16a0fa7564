/* ingest_lists.c - opt-out lists replace the lists before them. */
#include "ingest/ingest_lists.h"

#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

typedef struct rows {
	ingest_list_row *items;
	size_t n, cap;
	int64_t min_id; /* only rows with a higher id */
} rows;

static jup_status row_fn(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	rows *r = ctx;
	if (id <= r->min_id)
		return JUP_OK;
	ingest_list_row *items = jup_array_grow(r->items, &r->cap, r->n, sizeof *items, 1024);
	if (!items)
		return jup_err_set(err, JUP_ERR_NOMEM, "opt-out list: out of memory");
	r->items = items;
	ingest_list_row *row = &r->items[r->n++];
	memset(row, 0, sizeof *row);
	row->id = id;
	row->org_id = v[JUP_OPT_ORG_ID].type == JUP_V_INT ? v[JUP_OPT_ORG_ID].i : 0;
	jup_sv nhs = v[JUP_OPT_NHS_NUMBER].type == JUP_V_TEXT ? v[JUP_OPT_NHS_NUMBER].s
							       : jup_sv_from("");
	memcpy(row->nhs, nhs.ptr, nhs.len < 10 ? nhs.len : 10);
	return JUP_OK;
}

/* The rows of kind in force (not withdrawn) with an id above min_id. */
static jup_status in_force(jup_store *st, const char *kind, int64_t min_id, rows *out,
			   jup_err *err)
{
	jup_match current[2] = { { JUP_OPT_KIND, jup_v_cstr(kind) },
				 { JUP_OPT_WITHDRAWN_FILE_ID, jup_v_null() } };
	*out = (rows){ .min_id = min_id };
	return jup_store_scan(st, JUP_TABLE_OPT_OUT, current, 2, row_fn, out, err);
}

static jup_status max_id_fn(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)v;
	(void)err;
	int64_t *max = ctx;
	*max = id > *max ? id : *max;
	return JUP_OK;
}

jup_status ingest_list_before(jup_store *st, const char *kind, ingest_list *l, jup_err *err)
{
	rows r;
	jup_status s = in_force(st, kind, 0, &r, err);
	*l = (ingest_list){ .kind = kind, .rows = r.items, .n = r.n, .cap = r.cap };
	/* the highest id of any opt_out row, withdrawn or not */
	if (!s)
		s = jup_store_scan(st, JUP_TABLE_OPT_OUT, NULL, 0, max_id_fn, &l->max_id, err);
	return s;
}

void ingest_list_free(ingest_list *l)
{
	free(l->rows);
	memset(l, 0, sizeof *l);
}

static int row_cmp(const void *pa, const void *pb)
{
	const ingest_list_row *a = pa, *b = pb;
	if (a->org_id != b->org_id)
		return a->org_id < b->org_id ? -1 : 1;
	return strcmp(a->nhs, b->nhs);
}

/* Does the new file (its rows sorted by organisation) cover the list this
 * organisation's rows belong to? Every national row is covered. */
static bool covered(const rows *now, int64_t org_id, bool national)
{
	if (national)
		return true;
	size_t lo = 0, hi = now->n;
	while (lo < hi) { /* the first row of an organisation >= org_id */
		size_t mid = lo + (hi - lo) / 2;
		if (now->items[mid].org_id < org_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < now->n && now->items[lo].org_id == org_id;
}

static jup_status record_change(jup_store *st, const char *kind, const ingest_list_row *r,
				const char *change, int64_t file_id, jup_err *err)
{
	jup_value row[JUP_OCHG__N] = {
		[JUP_OCHG_KIND] = jup_v_cstr(kind),
		[JUP_OCHG_NHS_NUMBER] = jup_v_cstr(r->nhs),
		[JUP_OCHG_ORG_ID] = r->org_id ? jup_v_int(r->org_id) : jup_v_null(),
		[JUP_OCHG_CHANGE] = jup_v_cstr(change),
		[JUP_OCHG_FILE_ID] = jup_v_int(file_id),
	};
	return jup_store_insert(st, JUP_TABLE_OPT_OUT_CHANGE, row, NULL, NULL, err);
}

static jup_status withdraw(jup_store *st, const ingest_list_row *r, int64_t file_id,
			   jup_err *err)
{
	jup_match id = { JUP_COL_ID, jup_v_int(r->id) };
	jup_match set = { JUP_OPT_WITHDRAWN_FILE_ID, jup_v_int(file_id) };
	return jup_store_update(st, JUP_TABLE_OPT_OUT, &id, 1, &set, 1, NULL, err);
}

/* Walk the old (covered) and new rows in (org, nhs) order: rows only in the
 * old list were removed, rows only in the new one added. */
static jup_status diff(jup_store *st, const char *kind, ingest_list_row *old, size_t nold,
		       const ingest_list_row *now, size_t nnow, int64_t file_id, jup_err *err)
{
	if (nold > 1)
		qsort(old, nold, sizeof *old, row_cmp);
	jup_status s = JUP_OK;
	size_t i = 0, j = 0;
	while (!s && (i < nold || j < nnow)) {
		int c = i == nold ? 1 : j == nnow ? -1 : row_cmp(&old[i], &now[j]);
		if (c < 0)
			s = record_change(st, kind, &old[i++], "removed", file_id, err);
		else if (c > 0)
			s = record_change(st, kind, &now[j++], "added", file_id, err);
		else
			i++, j++;
	}
	return s;
}

jup_status ingest_list_after(jup_store *st, ingest_list *l, int64_t file_id, jup_err *err)
{
	bool national = strcmp(l->kind, "national_data_opt_out") == 0;
	rows now;
	jup_status s = in_force(st, l->kind, l->max_id, &now, err);
	if (!s && now.n > 1)
		qsort(now.items, now.n, sizeof *now.items, row_cmp);
	size_t nold = 0;
	for (size_t i = 0; i < l->n && !s; i++) {
		if (!covered(&now, l->rows[i].org_id, national))
			continue;
		s = withdraw(st, &l->rows[i], file_id, err);
		l->rows[nold++] = l->rows[i]; /* keep the covered ones for the diff */
	}
	if (!s)
		s = diff(st, l->kind, l->rows, nold, now.items, now.n, file_id, err);
	free(now.items);
	ingest_list_free(l);
	return s;
}
