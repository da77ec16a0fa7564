/*
 * store_internal.h - what a storage backend implements (private to store/).
 *
 * Like SQLite's VFS or curl's vtls, each backend fills one jup_store_ops
 * table; jup_store.c dispatches through it. Table descriptions (names and
 * column names) are shared by every backend so all map the same model.
 */
#ifndef JUP_STORE_INTERNAL_H
#define JUP_STORE_INTERNAL_H

#include "store/jup_store.h"

typedef struct jup_store_ops {
	const char *name;
	/* claims: true when this backend handles the location string */
	bool (*claims)(const char *location);
	jup_status (*open)(const char *location, int flags, jup_store **out, jup_err *err);
	void (*close)(jup_store *st);
	jup_status (*begin)(jup_store *st, jup_err *err);
	jup_status (*commit)(jup_store *st, jup_err *err);
	/* sync: make every commit so far durable (thread-safe against other use) */
	jup_status (*sync)(jup_store *st, jup_err *err);
	jup_status (*rollback)(jup_store *st, jup_err *err);
	jup_status (*insert)(jup_store *st, jup_table t, const jup_value *vals,
			     const jup_provenance *prov, int64_t *rowid, jup_err *err);
	jup_status (*org_find)(jup_store *st, jup_sv code, jup_org_info *out, jup_err *err);
	jup_status (*source_find)(jup_store *st, int64_t org_id, jup_sv local_id, int64_t *id,
				  jup_err *err);
	jup_status (*file_find)(jup_store *st, const char *hash_hex, jup_file_info *out,
				jup_err *err);
	jup_status (*count)(jup_store *st, jup_table t, int64_t *n, jup_err *err);
	/* exactly one of fn and pfn is set: pfn also gets the provenance */
	jup_status (*scan)(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			   jup_row_fn fn, jup_row_prov_fn pfn, void *ctx, jup_err *err);
	jup_status (*update)(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			     const jup_match *set, int nset, int64_t *changed, jup_err *err);
	jup_status (*remove)(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			     jup_err *err);
	/* bump_versions: add one to the version of each table in `tables` (bit
	 * 1ull << t), inside the open transaction */
	jup_status (*bump_versions)(jup_store *st, uint64_t tables, jup_err *err);
	/* versions: each table's version into v (zeroed by the caller; a table
	 * never written has no row and stays 0) */
	jup_status (*versions)(jup_store *st, uint64_t v[JUP_TABLE__COUNT], jup_err *err);
	/* scan_person: the rows of t belonging to person_id's member records (t
	 * is source_record or has a source column), in scan order */
	jup_status (*scan_person)(jup_store *st, jup_table t, int64_t person_id, jup_row_fn fn,
				  void *ctx, jup_err *err);
	/* audit_run_fill: the person run of audit block `block` from entries
	 * first..last, in one statement */
	jup_status (*audit_run_fill)(jup_store *st, int64_t block, int64_t first, int64_t last,
				     int64_t *rows, jup_err *err);
	/* scan_prefix: the rows of t whose text column col lies in [lo, hi)
	 * (hi: the prefix with its last byte raised), by col */
	jup_status (*scan_prefix)(jup_store *st, jup_table t, int col, jup_sv lo, jup_sv hi,
				  jup_row_fn fn, void *ctx, jup_err *err);
	/* scan_after: the rows of t (which has ids) with id > after, by id */
	jup_status (*scan_after)(jup_store *st, jup_table t, int64_t after, jup_row_fn fn,
				 void *ctx, jup_err *err);
	/* auth_purge: delete auth_token rows expired or revoked before `before` */
	jup_status (*auth_purge)(jup_store *st, const char *before, int64_t *n, jup_err *err);
	/* max_int: the largest integer in column col of t (0: none) */
	jup_status (*max_int)(jup_store *st, jup_table t, int col, int64_t *max, jup_err *err);
} jup_store_ops;

/* Every backend's store struct begins with this header. */
struct jup_store {
	const jup_store_ops *ops;
	int schema_version;
	bool in_tx;     /* inside a transaction begun by jup_store_begin */
	uint64_t dirty; /* the tables (bit 1ull << t) this transaction has written */
};
_Static_assert(JUP_TABLE__COUNT <= 64, "jup_store.dirty has one bit per table");

/* A table as every backend sees it. */
typedef struct store_table_desc {
	const char *name;
	bool provenance; /* rows carry file_id and line */
	bool no_id;      /* keyed by its columns, no id column */
	int ncols;
	const char *cols[JUP_STORE_MAX_COLS];
} store_table_desc;

/* store_table: the description of table t (t < JUP_TABLE__COUNT). */
const store_table_desc *store_table(jup_table t);

/* store_table_find: the table called name; JUP_TABLE__COUNT for none. */
jup_table store_table_find(const char *name);

/* store_source_col: the column of t holding a source record id (rows that
 * belong to a source record), or -1 when t has none. */
int store_source_col(jup_table t);

/* A schema migration: the SQL that takes version-1 to version. */
typedef struct store_migration {
	int version;
	const char *summary;
	const char *sql;
} store_migration;

/* store_migrations: the SQLite migrations, oldest first; *n gets the count. */
const store_migration *store_sqlite_migrations(int *n);

extern const jup_store_ops store_sqlite_ops;

#endif
