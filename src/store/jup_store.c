/* jup_store.c - the store interface: picks a backend and dispatches to it. */
#include "store/store_internal.h"

#include "core/jup_date.h"
#include "core/jup_limits.h"

#include <string.h>

static const jup_store_ops *const backends[] = { &store_sqlite_ops };

static const char *const org_kind_names[JUP_ORG_KIND__COUNT] = {
	[JUP_ORG_GP_PRACTICE] = "gp_practice",
	[JUP_ORG_HOSPITAL_TRUST] = "hospital_trust",
	[JUP_ORG_COUNCIL] = "council",
	[JUP_ORG_HOSPICE] = "hospice",
};

const char *jup_store_org_kind_name(jup_org_kind k)
{
	return (unsigned)k < JUP_ORG_KIND__COUNT ? org_kind_names[k] : "unknown";
}

jup_org_kind jup_store_org_kind_parse(const jup_value *v)
{
	for (int k = 0; v->type == JUP_V_TEXT && k < JUP_ORG_KIND__COUNT; k++)
		if (jup_sv_eq_cstr(v->s, org_kind_names[k]))
			return (jup_org_kind)k;
	return JUP_ORG_KIND__COUNT;
}

jup_status jup_store_open(const char *location, int flags, jup_store **out, jup_err *err)
{
	*out = NULL;
	if (!location || !*location)
		return jup_err_set(err, JUP_ERR_USAGE, "no database given");
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (backends[i]->claims(location))
			return backends[i]->open(location, flags, out, err);
	return jup_err_set(err, JUP_ERR_USAGE, "no store backend handles \"%s\"", location);
}

void jup_store_close(jup_store *st)
{
	if (st)
		st->ops->close(st);
}

int jup_store_schema_version(const jup_store *st)
{
	return st->schema_version;
}

int jup_store_latest_schema_version(void)
{
	int n;
	const store_migration *m = store_sqlite_migrations(&n);
	return m[n - 1].version;
}

jup_status jup_store_begin(jup_store *st, jup_err *err)
{
	jup_status r = st->ops->begin(st, err);
	if (!r) {
		st->in_tx = true;
		st->dirty = 0;
	}
	return r;
}

/* The versions of the tables written are raised inside the transaction, so
 * they commit or roll back with the rows. Once COMMIT has been tried the
 * transaction is no longer the caller's to write in: after a failure it
 * rolls back (a write would begin a new one, and fail if the old is open). */
jup_status jup_store_commit(jup_store *st, jup_err *err)
{
	if (st->dirty) {
		jup_status r = st->ops->bump_versions(st, st->dirty, err);
		if (r)
			return r; /* nothing committed: the caller rolls back */
		st->dirty = 0;
	}
	st->in_tx = false;
	return st->ops->commit(st, err);
}

jup_status jup_store_sync(jup_store *st, jup_err *err)
{
	return st->ops->sync(st, err);
}

jup_status jup_store_rollback(jup_store *st, jup_err *err)
{
	st->in_tx = false;
	st->dirty = 0;
	return st->ops->rollback(st, err);
}

jup_status jup_store_versions(jup_store *st, uint64_t v[JUP_TABLE__COUNT], jup_err *err)
{
	memset(v, 0, JUP_TABLE__COUNT * sizeof v[0]);
	return st->ops->versions(st, v, err);
}

/* Before a write: outside the caller's transaction, begin one of the write's
 * own (*own), so that the version bump commits atomically with it. */
static jup_status write_begin(jup_store *st, bool *own, jup_err *err)
{
	*own = !st->in_tx;
	return *own ? jup_store_begin(st, err) : JUP_OK;
}

/* After a write to t with status r: mark t written; finish a transaction of
 * the write's own (commit, or roll back on failure). */
static jup_status write_end(jup_store *st, jup_table t, bool own, jup_status r, jup_err *err)
{
	if (!r)
		st->dirty |= 1ull << t;
	if (own && !r)
		r = jup_store_commit(st, err);
	if (own && r)
		jup_store_abandon(st);
	return r;
}

const char *jup_store_table_name(jup_table t)
{
	return (unsigned)t < JUP_TABLE__COUNT ? store_table(t)->name : "unknown";
}

int jup_store_table_columns(jup_table t)
{
	return (unsigned)t < JUP_TABLE__COUNT ? store_table(t)->ncols : 0;
}

jup_status jup_store_insert(jup_store *st, jup_table t, const jup_value *vals,
			    const jup_provenance *prov, int64_t *rowid, jup_err *err)
{
	if ((unsigned)t >= JUP_TABLE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "no such table");
	if (store_table(t)->provenance != (prov != NULL))
		return jup_err_set(err, JUP_ERR_USAGE, "%s: provenance %s", store_table(t)->name,
				   prov ? "not taken" : "required");
	bool own;
	jup_status r = write_begin(st, &own, err);
	if (r)
		return r;
	r = st->ops->insert(st, t, vals, prov, rowid, err);
	return write_end(st, t, own, r, err);
}

jup_status jup_store_org_find(jup_store *st, jup_sv code, jup_org_info *out, jup_err *err)
{
	return st->ops->org_find(st, code, out, err);
}

jup_status jup_store_source_find(jup_store *st, int64_t org_id, jup_sv local_id, int64_t *id,
				 jup_err *err)
{
	return st->ops->source_find(st, org_id, local_id, id, err);
}

jup_status jup_store_file_find(jup_store *st, const char *hash_hex, jup_file_info *out,
			       jup_err *err)
{
	return st->ops->file_find(st, hash_hex, out, err);
}

jup_status jup_store_count(jup_store *st, jup_table t, int64_t *n, jup_err *err)
{
	if ((unsigned)t >= JUP_TABLE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "no such table");
	return st->ops->count(st, t, n, err);
}

/* Check that table t exists and every condition names one of its columns
 * (the id only where the table has one). */
static jup_status check_matches(jup_table t, const jup_match *m, int n, jup_err *err)
{
	if ((unsigned)t >= JUP_TABLE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "no such table");
	const store_table_desc *d = store_table(t);
	if (n < 0 || n > JUP_STORE_MAX_COLS || (n && !m))
		return jup_err_set(err, JUP_ERR_USAGE, "%s: bad condition list", d->name);
	for (int i = 0; i < n; i++) {
		bool id_ok = m[i].col == JUP_COL_ID && !d->no_id;
		if (!id_ok && (m[i].col < 0 || m[i].col >= d->ncols))
			return jup_err_set(err, JUP_ERR_USAGE, "%s: no column %d", d->name,
					   m[i].col);
	}
	return JUP_OK;
}

jup_status jup_store_scan(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			  jup_row_fn fn, void *ctx, jup_err *err)
{
	jup_status r = check_matches(t, where, nwhere, err);
	return r ? r : st->ops->scan(st, t, where, nwhere, fn, NULL, ctx, err);
}

jup_status jup_store_scan_prov(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			       jup_row_prov_fn fn, void *ctx, jup_err *err)
{
	jup_status r = check_matches(t, where, nwhere, err);
	return r ? r : st->ops->scan(st, t, where, nwhere, NULL, fn, ctx, err);
}

jup_status jup_store_scan_person(jup_store *st, jup_table t, int64_t person_id, jup_row_fn fn,
				 void *ctx, jup_err *err)
{
	if ((unsigned)t >= JUP_TABLE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "no such table");
	if (t != JUP_TABLE_SOURCE_RECORD && store_source_col(t) < 0)
		return jup_err_set(err, JUP_ERR_USAGE, "%s: rows do not belong to source records",
				   store_table(t)->name);
	return st->ops->scan_person(st, t, person_id, fn, ctx, err);
}

jup_status jup_store_audit_run_fill(jup_store *st, int64_t block, int64_t first, int64_t last,
				    int64_t *rows, jup_err *err)
{
	if (block < 0 || first < 1 || first > last)
		return jup_err_set(err, JUP_ERR_USAGE, "audit_person_run: no such block");
	bool own;
	jup_status r = write_begin(st, &own, err);
	if (r)
		return r;
	r = st->ops->audit_run_fill(st, block, first, last, rows, err);
	return write_end(st, JUP_TABLE_AUDIT_PERSON_RUN, own, r, err);
}

jup_status jup_store_auth_purge(jup_store *st, const char *before, int64_t *n, jup_err *err)
{
	int64_t t, ignored;
	jup_err why;
	if (!before || jup_time_parse(jup_sv_from(before), &t, &why))
		return jup_err_set(err, JUP_ERR_USAGE, "auth_token: purge needs a time");
	bool own;
	jup_status r = write_begin(st, &own, err);
	if (r)
		return r;
	r = st->ops->auth_purge(st, before, n ? n : &ignored, err);
	return write_end(st, JUP_TABLE_AUTH_TOKEN, own, r, err);
}

jup_status jup_store_scan_prefix(jup_store *st, jup_table t, int col, jup_sv prefix,
				 jup_row_fn fn, void *ctx, jup_err *err)
{
	jup_match m = { col, jup_v_null() };
	jup_status r = check_matches(t, &m, 1, err);
	if (r)
		return r;
	if (col == JUP_COL_ID || prefix.len == 0 || prefix.len > JUP_MAX_TEXT_LEN ||
	    memchr(prefix.ptr, 0xff, prefix.len))
		return jup_err_set(err, JUP_ERR_USAGE, "%s: bad prefix scan", store_table(t)->name);
	/* every text starting with prefix sorts in [prefix, prefix with its last
	 * byte raised): bytes compare unsigned and no byte is 0xff */
	char hi[JUP_MAX_TEXT_LEN];
	memcpy(hi, prefix.ptr, prefix.len);
	hi[prefix.len - 1] = (char)((unsigned char)hi[prefix.len - 1] + 1);
	return st->ops->scan_prefix(st, t, col, prefix, (jup_sv){ hi, prefix.len }, fn, ctx, err);
}

jup_status jup_store_scan_after(jup_store *st, jup_table t, int64_t after, jup_row_fn fn,
				void *ctx, jup_err *err)
{
	if ((unsigned)t >= JUP_TABLE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "no such table");
	if (store_table(t)->no_id)
		return jup_err_set(err, JUP_ERR_USAGE, "%s: rows have no ids", store_table(t)->name);
	return st->ops->scan_after(st, t, after, fn, ctx, err);
}

jup_status jup_store_max_int(jup_store *st, jup_table t, int col, int64_t *max, jup_err *err)
{
	*max = 0;
	jup_match m = { col, jup_v_null() };
	jup_status r = check_matches(t, &m, 1, err);
	return r ? r : st->ops->max_int(st, t, col, max, err);
}

jup_status jup_store_update(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			    const jup_match *set, int nset, int64_t *changed, jup_err *err)
{
	bool own;
	jup_status r = check_matches(t, where, nwhere, err);
	if (!r)
		r = check_matches(t, set, nset, err);
	if (!r && nset == 0)
		r = jup_err_set(err, JUP_ERR_USAGE, "%s: nothing to set", store_table(t)->name);
	if (r || (r = write_begin(st, &own, err)))
		return r;
	r = st->ops->update(st, t, where, nwhere, set, nset, changed, err);
	return write_end(st, t, own, r, err);
}

jup_status jup_store_delete(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			    jup_err *err)
{
	bool own;
	jup_status r = check_matches(t, where, nwhere, err);
	if (r || (r = write_begin(st, &own, err)))
		return r;
	r = st->ops->remove(st, t, where, nwhere, err);
	return write_end(st, t, own, r, err);
}

void jup_store_abandon(jup_store *st)
{
	jup_err ignored;
	if (jup_store_rollback(st, &ignored)) {
	}
}

void jup_value_copy_text(char *dst, size_t cap, const jup_value *v)
{
	size_t n = v->type == JUP_V_TEXT ? v->s.len : 0;
	n = n < cap - 1 ? n : cap - 1;
	memcpy(dst, n ? v->s.ptr : "", n);
	dst[n] = 0;
}

typedef struct org_code_out {
	char *out;
	size_t cap;
} org_code_out;

static jup_status org_code_row(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)id;
	(void)err;
	org_code_out *o = ctx;
	jup_value_copy_text(o->out, o->cap, &vals[JUP_ORG_CODE]);
	return JUP_OK;
}

jup_status jup_store_org_code(jup_store *st, int64_t org_id, char *out, size_t cap, jup_err *err)
{
	out[0] = 0;
	org_code_out o = { out, cap };
	jup_match by_id = { JUP_COL_ID, jup_v_int(org_id) };
	return jup_store_scan(st, JUP_TABLE_ORGANISATION, &by_id, 1, org_code_row, &o, err);
}
