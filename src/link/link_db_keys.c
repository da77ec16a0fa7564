/*
 * link_db_keys.c - the keys a link run writes for the records it links, so
 * that people can be found later by point lookups instead of loading every
 * record (migration 9):
 *
 *  - person_name: the record's folded family name, and once more the last
 *    part of a double-barrelled one, with its folded given names joined by
 *    a space ("mary ann"): Patient search by a family-name prefix, the given
 *    name checked from the key alone (jup_person_search);
 *  - link_key: the record's keys under the blocking rules no column index
 *    answers (name codes with birth year; link_block_stored_keys): $match's
 *    candidates (jup_link_db_match).
 *
 * Each table's rows are written sorted by key, so a first run appends to
 * its B-tree rather than writing at random places in it.
 */
#include "link/link_db_internal.h"
#include "link/link_internal.h"

#include <stdlib.h>
#include <string.h>

/* Stop a scan at its first row: the table has rows. */
static jup_status first_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)v;
	(void)err;
	*(bool *)ctx = true;
	return JUP_ERR_EXISTS;
}

static jup_status has_rows(jup_store *st, jup_table t, bool *any, jup_err *err)
{
	*any = false;
	jup_status r = jup_store_scan(st, t, NULL, 0, first_row, any, err);
	return r == JUP_ERR_EXISTS && *any ? JUP_OK : r;
}

jup_status link_db_keys_missing(jup_store *st, bool *missing, jup_err *err)
{
	bool people = false, names = false, keys = false;
	*missing = false;
	jup_status r = has_rows(st, JUP_TABLE_PERSON_MEMBER, &people, err);
	if (!r && people)
		r = has_rows(st, JUP_TABLE_PERSON_NAME, &names, err);
	if (!r && people && !names)
		r = has_rows(st, JUP_TABLE_LINK_KEY, &keys, err);
	*missing = !r && people && !names && !keys;
	return r;
}

/* ---- person_name ------------------------------------------------------------------ */

typedef struct name_row {
	char family[JUP_LINK_NAME_MAX]; /* the whole name or its last part */
	uint32_t idx;
} name_row;

static int name_row_cmp(const void *pa, const void *pb)
{
	const name_row *a = pa, *b = pb;
	int c = strncmp(a->family, b->family, sizeof a->family);
	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* The rows of recs[0..n), sorted (*rows NULL when there are none). */
static jup_status name_rows(const jup_link_rec *recs, size_t n, name_row **rows, size_t *nrows,
			    jup_err *err)
{
	*rows = NULL;
	*nrows = 0;
	if (n == 0)
		return JUP_OK;
	name_row *out = malloc(2 * n * sizeof *out);
	if (!out)
		return jup_err_set(err, JUP_ERR_NOMEM, "search keys: out of memory");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const jup_link_rec *r = &recs[i];
		if (r->family[0]) {
			out[k] = (name_row){ .idx = (uint32_t)i };
			memcpy(out[k++].family, r->family, sizeof r->family);
		}
		if (r->family_part[0] && strncmp(r->family_part, r->family, sizeof r->family)) {
			out[k] = (name_row){ .idx = (uint32_t)i };
			memcpy(out[k++].family, r->family_part, sizeof r->family_part);
		}
	}
	qsort(out, k, sizeof *out, name_row_cmp);
	*rows = out;
	*nrows = k;
	return JUP_OK;
}

static jup_status write_names(jup_store *st, const jup_link_rec *recs, const int64_t *ids, size_t n,
			      jup_err *err)
{
	name_row *rows;
	size_t nrows;
	jup_status r = name_rows(recs, n, &rows, &nrows, err);
	for (size_t i = 0; i < nrows && !r; i++) {
		char given[2 * JUP_LINK_NAME_MAX];
		jup_link_given_names(&recs[rows[i].idx], given);
		const char *family = rows[i].family;
		jup_sv fam = { family, strnlen(family, sizeof rows[i].family) };
		jup_value v[JUP_PNAME__N] = {
			[JUP_PNAME_FAMILY] = jup_v_text(fam),
			[JUP_PNAME_GIVEN] = jup_v_cstr(given),
			[JUP_PNAME_SOURCE_ID] = jup_v_int(ids[rows[i].idx]),
		};
		r = jup_store_insert(st, JUP_TABLE_PERSON_NAME, v, NULL, NULL, err);
	}
	free(rows);
	return r;
}

/* ---- link_key ----------------------------------------------------------------------- */

typedef struct key_row {
	int64_t key, id;
} key_row;

static int key_row_cmp(const void *pa, const void *pb)
{
	const key_row *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static jup_status write_keys(jup_store *st, const jup_link_rec *recs, const int64_t *ids, size_t n,
			     jup_err *err)
{
	if (n == 0)
		return JUP_OK;
	key_row *rows = malloc(LINK_STORED_KEYS * n * sizeof *rows);
	if (!rows)
		return jup_err_set(err, JUP_ERR_NOMEM, "search keys: out of memory");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t keys[LINK_STORED_KEYS];
		int nk = link_block_stored_keys(&recs[i], keys);
		for (int j = 0; j < nk; j++)
			rows[k++] = (key_row){ keys[j], ids[i] };
	}
	qsort(rows, k, sizeof *rows, key_row_cmp);
	jup_status r = JUP_OK;
	for (size_t i = 0; i < k && !r; i++) {
		if (i && rows[i].key == rows[i - 1].key && rows[i].id == rows[i - 1].id)
			continue; /* two rules, one hash: one row */
		jup_value v[JUP_LKEY__N] = { [JUP_LKEY_KEY] = jup_v_int(rows[i].key),
					     [JUP_LKEY_SOURCE_ID] = jup_v_int(rows[i].id) };
		r = jup_store_insert(st, JUP_TABLE_LINK_KEY, v, NULL, NULL, err);
	}
	free(rows);
	return r;
}

jup_status link_db_keys_write(jup_store *st, const jup_link_rec *recs, const int64_t *ids, size_t n,
			      jup_err *err)
{
	if (n > UINT32_MAX)
		return jup_err_set(err, JUP_ERR_LIMIT, "search keys: more than 2^32 records");
	jup_status r = write_names(st, recs, ids, n, err);
	return r ? r : write_keys(st, recs, ids, n, err);
}
