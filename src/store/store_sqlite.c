/*
 * store_sqlite.c - the embedded store: one SQLite database file in WAL mode.
 *
 * Statements are prepared once per store and reused. The file is marked with
 * an application id so that joinedup never migrates somebody else's SQLite
 * database, and the schema version lives in PRAGMA user_version.
 */
#include "core/jup_buf.h"
#include "store/store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JUP_SQLITE_APPLICATION_ID 0x4A555031 /* "JUP1" */

/* Statements built by scan/update/delete are kept for reuse, up to this many
 * (their SQL depends only on the table, columns and which conditions are
 * NULL, so a program uses a few dozen at most). */
#define STMT_CACHE 32

/* What a scan's SQL depends on (table, provenance, each condition's column
 * and NULL-ness), so a cached scan is found without building its SQL. b[1]
 * is 0 for a scan, 1 for one giving provenance, KEY_PERSON for a person's
 * rows (jup_store_scan_person) and KEY_AFTER for rows after an id
 * (jup_store_scan_after), whose keys are just the table and this, and
 * KEY_PREFIX for a range of one column (jup_store_scan_prefix), followed by
 * the column. */
#define KEY_PERSON 2
#define KEY_AFTER  3
#define KEY_PREFIX 4
typedef struct stmt_key {
	uint8_t len; /* 0: no key (found by its SQL text) */
	uint8_t b[3 + 2 * JUP_STORE_MAX_COLS];
} stmt_key;

typedef struct cached_stmt {
	sqlite3_stmt *stmt;
	bool busy; /* in use (a scan running): a nested use gets its own */
	stmt_key key;
} cached_stmt;

typedef struct sqlite_store {
	jup_store base;
	sqlite3 *db;
	sqlite3_stmt *insert[JUP_TABLE__COUNT];
	sqlite3_stmt *org_find;
	sqlite3_stmt *source_find;
	sqlite3_stmt *file_find;
	sqlite3_stmt *bump_version;
	sqlite3_stmt *audit_run_fill;
	sqlite3_stmt *auth_purge;
	sqlite3_stmt *versions;
	cached_stmt cache[STMT_CACHE];
	int cache_next; /* the slot to replace next when all are taken */
	bool defer_sync; /* synchronous = NORMAL; sqlite_sync makes commits durable */
	char *wal_path;
	/* deferred flushes, under sync_lock: commits counted, the count known
	 * durable, a flush running; callers arriving meanwhile share it */
	pthread_mutex_t sync_lock;
	pthread_cond_t sync_done;
	int wal_fd; /* the write-ahead log, once a commit made it (-1 before) */
	uint64_t commits, synced;
	bool syncing;
} sqlite_store;

static sqlite_store *as_sqlite(jup_store *st)
{
	return (sqlite_store *)st;
}

static jup_status db_error(sqlite3 *db, jup_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db);
	jup_status st = JUP_ERR_STORE;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		st = JUP_ERR_EXISTS;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		st = JUP_ERR_INVALID;
	else if (rc == SQLITE_NOMEM)
		st = JUP_ERR_NOMEM;
	else if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ||
		 (rc & 0xff) == SQLITE_CANTOPEN)
		st = JUP_ERR_IO;
	return jup_err_set(err, st, "%s: %s", what, sqlite3_errmsg(db));
}

static jup_status exec(sqlite3 *db, const char *sql, jup_err *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, err, "database");
	return JUP_OK;
}

static jup_status pragma_int(sqlite3 *db, const char *sql, int *out, jup_err *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(db, err, "database");
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? JUP_OK : db_error(db, err, "database");
}

static bool sqlite_claims(const char *location)
{
	return strstr(location, "://") == NULL;
}

/* A brand-new database has no tables; anything else must carry our id. */
static jup_status check_ownership(sqlite3 *db, const char *path, jup_err *err)
{
	int app_id, tables;
	jup_status st = pragma_int(db, "PRAGMA application_id", &app_id, err);
	if (!st)
		st = pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables, err);
	if (st)
		return st;
	if (app_id != JUP_SQLITE_APPLICATION_ID && (app_id != 0 || tables != 0))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "\"%s\" is a SQLite database but not a joinedup one", path);
	return JUP_OK;
}

static jup_status apply_migrations(sqlite_store *s, const char *path, jup_err *err)
{
	int version, n;
	const store_migration *m = store_sqlite_migrations(&n);
	jup_status st = pragma_int(s->db, "PRAGMA user_version", &version, err);
	if (st)
		return st;
	int latest = m[n - 1].version;
	if (version > latest)
		return jup_err_set(err, JUP_ERR_VERSION,
				   "\"%s\" has schema version %d, newer than this joinedup "
				   "understands (up to %d): upgrade joinedup to open it",
				   path, version, latest);
	if (version < latest) {
		if ((st = exec(s->db, "BEGIN IMMEDIATE", err)))
			return st;
		for (int i = 0; i < n && !st; i++) {
			if (m[i].version <= version)
				continue;
			char set[64];
			snprintf(set, sizeof set, "PRAGMA user_version = %d", m[i].version);
			st = exec(s->db, m[i].sql, err);
			if (!st)
				st = exec(s->db, set, err);
		}
		if (!st) {
			char set[64];
			snprintf(set, sizeof set, "PRAGMA application_id = %d",
				 JUP_SQLITE_APPLICATION_ID);
			st = exec(s->db, set, err);
		}
		if (st) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return st;
		}
		if ((st = exec(s->db, "COMMIT", err)))
			return st;
	}
	s->base.schema_version = latest;
	return JUP_OK;
}

static jup_status prepare(sqlite_store *s, const char *sql, sqlite3_stmt **out, jup_err *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) !=
	    SQLITE_OK)
		return db_error(s->db, err, "database");
	return JUP_OK;
}

static jup_status prepare_insert(sqlite_store *s, jup_table t, jup_err *err)
{
	const store_table_desc *d = store_table(t);
	jup_buf sql;
	jup_buf_init(&sql, 4096);
	jup_status st = jup_buf_appendf(&sql, "INSERT INTO %s (", d->name);
	for (int i = 0; i < d->ncols && !st; i++)
		st = jup_buf_appendf(&sql, "%s%s", i ? "," : "", d->cols[i]);
	if (!st && d->provenance)
		st = jup_buf_append_cstr(&sql, ",file_id,line");
	if (!st)
		st = jup_buf_append_cstr(&sql, ") VALUES (");
	int nparams = d->ncols + (d->provenance ? 2 : 0);
	for (int i = 0; i < nparams && !st; i++)
		st = jup_buf_append_cstr(&sql, i ? ",?" : "?");
	if (!st)
		st = jup_buf_append_char(&sql, ')');
	if (!st)
		st = prepare(s, sql.data, &s->insert[t], err);
	else
		st = jup_err_set(err, st, "building insert for %s", d->name);
	jup_buf_free(&sql);
	return st;
}

static jup_status prepare_all(sqlite_store *s, jup_err *err)
{
	jup_status st = JUP_OK;
	for (int t = 0; t < JUP_TABLE__COUNT && !st; t++)
		st = prepare_insert(s, (jup_table)t, err);
	if (!st)
		st = prepare(s, "SELECT id, kind, participating FROM organisation WHERE code = ?",
			     &s->org_find, err);
	if (!st)
		st = prepare(s, "SELECT id FROM source_record WHERE org_id = ? AND local_id = ?",
			     &s->source_find, err);
	if (!st)
		st = prepare(s,
			     "SELECT id, name, imported_at FROM import_file WHERE content_hash = ?",
			     &s->file_find, err);
	if (!st)
		st = prepare(s,
			     "INSERT INTO table_version (name, version) VALUES (?, 1)"
			     " ON CONFLICT (name) DO UPDATE SET version = version + 1",
			     &s->bump_version, err);
	if (!st)
		st = prepare(s, "SELECT name, version FROM table_version", &s->versions, err);
	if (!st)
		st = prepare(s,
			     "INSERT INTO audit_person_run (block, person_id, entry_id)"
			     " SELECT ?1, person_id, id FROM audit_entry"
			     " WHERE id BETWEEN ?2 AND ?3 AND person_id IS NOT NULL"
			     " ORDER BY person_id, id",
			     &s->audit_run_fill, err);
	if (!st)
		st = prepare(s,
			     "DELETE FROM auth_token WHERE expires_at < ?1 OR revoked_at < ?1",
			     &s->auth_purge, err);
	return st;
}

static void sqlite_close(jup_store *st)
{
	sqlite_store *s = as_sqlite(st);
	for (int t = 0; t < JUP_TABLE__COUNT; t++)
		sqlite3_finalize(s->insert[t]);
	sqlite3_finalize(s->org_find);
	sqlite3_finalize(s->source_find);
	sqlite3_finalize(s->file_find);
	sqlite3_finalize(s->bump_version);
	sqlite3_finalize(s->versions);
	sqlite3_finalize(s->audit_run_fill);
	sqlite3_finalize(s->auth_purge);
	for (int i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(s->cache[i].stmt);
	sqlite3_close(s->db);
	if (s->wal_fd >= 0)
		close(s->wal_fd);
	pthread_mutex_destroy(&s->sync_lock);
	pthread_cond_destroy(&s->sync_done);
	free(s->wal_path);
	free(s);
}

static jup_status configure(sqlite_store *s, const char *path, jup_err *err)
{
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	jup_status st = check_ownership(s->db, path, err);
	if (!st)
		st = exec(s->db,
			  /* FULL: a commit is on disk before it returns, so an audit entry
			   * is durable before the data it records leaves (one fsync of the
			   * WAL per transaction; group commit shares it) */
			  "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			  "PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144;" /* 256 MiB */
			  "PRAGMA temp_store = MEMORY;",
			  err);
	/* deferred: a commit only writes the WAL; sqlite_sync flushes it */
	if (!st && s->defer_sync)
		st = exec(s->db, "PRAGMA synchronous = NORMAL;", err);
	if (!st)
		st = apply_migrations(s, path, err);
	if (!st)
		st = prepare_all(s, err);
	return st;
}

/* Process-wide settings, before SQLite is first used: no memory statistics
 * (they take a global mutex on every allocation; nothing reads them). */
static void configure_library(void)
{
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
		/* SQLite was already initialised by someone else: keep its settings */
	}
}

static jup_status sqlite_open(const char *path, int flags, jup_store **out, jup_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_library);
	if (!(flags & JUP_STORE_CREATE) && access(path, F_OK) != 0)
		return jup_err_set(err, JUP_ERR_NOT_FOUND, "no database at \"%s\"", path);
	sqlite_store *s = calloc(1, sizeof *s);
	if (!s)
		return jup_err_set(err, JUP_ERR_NOMEM, "opening \"%s\": out of memory", path);
	s->base.ops = &store_sqlite_ops;
	s->wal_fd = -1;
	s->defer_sync = flags & JUP_STORE_DEFER_SYNC;
	pthread_mutex_init(&s->sync_lock, NULL);
	pthread_cond_init(&s->sync_done, NULL);
	size_t plen = strlen(path);
	s->wal_path = malloc(plen + 5);
	if (!s->wal_path) {
		pthread_mutex_destroy(&s->sync_lock);
		pthread_cond_destroy(&s->sync_done);
		free(s);
		return jup_err_set(err, JUP_ERR_NOMEM, "opening \"%s\": out of memory", path);
	}
	memcpy(s->wal_path, path, plen);
	memcpy(s->wal_path + plen, "-wal", 5);
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		     (flags & JUP_STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	jup_status st;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		st = jup_err_set(err, JUP_ERR_IO, "could not open \"%s\": %s", path,
				 s->db ? sqlite3_errmsg(s->db) : "out of memory");
	} else {
		st = configure(s, path, err);
		if (st == JUP_ERR_STORE && sqlite3_errcode(s->db) == SQLITE_NOTADB)
			st = jup_err_set(err, JUP_ERR_INVALID, "\"%s\" is not a database", path);
	}
	if (st) {
		sqlite_close(&s->base);
		return st;
	}
	*out = &s->base;
	return JUP_OK;
}

static jup_status sqlite_begin(jup_store *st, jup_err *err)
{
	return exec(as_sqlite(st)->db, "BEGIN IMMEDIATE", err);
}

/* fsync the directory holding path, so a file just made there survives a
 * power cut. */
static jup_status sync_dir(const char *path, jup_err *err)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	int n = slash ? snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path)
		      : snprintf(dir, sizeof dir, ".");
	if (n < 0 || (size_t)n >= sizeof dir)
		return jup_err_set(err, JUP_ERR_IO, "the database's directory name is too long");
	int fd = open(n ? dir : "/", O_RDONLY | O_CLOEXEC | O_DIRECTORY);
	if (fd < 0)
		return jup_err_set(err, JUP_ERR_IO, "opening the database's directory: %s",
				   strerror(errno));
	int rc = fsync(fd);
	close(fd);
	return rc ? jup_err_set(err, JUP_ERR_IO, "syncing the database's directory: %s",
				strerror(errno))
		  : JUP_OK;
}

/* A deferred store's first commit made the write-ahead log (if it was not
 * there): keep a handle of our own to flush it, and make its name durable.
 * Under sync_lock. */
static jup_status open_wal(sqlite_store *s, jup_err *err)
{
	int fd = open(s->wal_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return jup_err_set(err, JUP_ERR_IO, "opening the write-ahead log: %s",
				   strerror(errno));
	jup_status r = sync_dir(s->wal_path, err);
	if (r) {
		close(fd);
		return r;
	}
	s->wal_fd = fd;
	return JUP_OK;
}

static jup_status sqlite_commit(jup_store *st, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	jup_status r = exec(s->db, "COMMIT", err);
	if (r || !s->defer_sync)
		return r;
	pthread_mutex_lock(&s->sync_lock);
	if (s->wal_fd < 0)
		r = open_wal(s, err);
	s->commits++;
	pthread_mutex_unlock(&s->sync_lock);
	return r;
}

/* The WAL holds every commit not yet copied into the database file, and a
 * copy (checkpoint) syncs both files itself: flushing the WAL (any handle
 * flushes the file's pages) makes every commit so far durable. One flush
 * at a time; a caller whose commits an earlier flush did not cover starts
 * the next one, covering every commit made by then, so concurrent callers
 * share flushes. */
static jup_status sqlite_sync(jup_store *st, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	if (!s->defer_sync)
		return JUP_OK; /* every commit was durable already */
	jup_status r = JUP_OK;
	pthread_mutex_lock(&s->sync_lock);
	uint64_t want = s->commits;
	while (!r && s->synced < want) {
		if (s->syncing) {
			pthread_cond_wait(&s->sync_done, &s->sync_lock);
			continue;
		}
		uint64_t target = s->commits;
		int fd = s->wal_fd;
		s->syncing = true;
		pthread_mutex_unlock(&s->sync_lock);
		int rc = fdatasync(fd);
		int e = errno;
		pthread_mutex_lock(&s->sync_lock);
		s->syncing = false;
		if (rc == 0)
			s->synced = target;
		else
			r = jup_err_set(err, JUP_ERR_IO, "flushing the write-ahead log: %s",
					strerror(e));
		pthread_cond_broadcast(&s->sync_done);
	}
	pthread_mutex_unlock(&s->sync_lock);
	return r;
}

static jup_status sqlite_rollback(jup_store *st, jup_err *err)
{
	return exec(as_sqlite(st)->db, "ROLLBACK", err);
}

/* One statement per table written, once per transaction: an import of
 * millions of rows pays for it once. */
static jup_status sqlite_bump_versions(jup_store *st, uint64_t tables, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	jup_status r = JUP_OK;
	for (int t = 0; t < JUP_TABLE__COUNT && !r; t++) {
		if (!(tables & (1ull << t)))
			continue;
		int rc = sqlite3_bind_text(s->bump_version, 1, store_table((jup_table)t)->name, -1,
					   SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(s->bump_version);
		if (rc != SQLITE_DONE)
			r = db_error(s->db, err, "table_version");
		sqlite3_reset(s->bump_version);
	}
	sqlite3_clear_bindings(s->bump_version);
	return r;
}

static jup_status sqlite_versions(jup_store *st, uint64_t v[JUP_TABLE__COUNT], jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	int rc;
	while ((rc = sqlite3_step(s->versions)) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(s->versions, 0);
		jup_table t = name ? store_table_find((const char *)name) : JUP_TABLE__COUNT;
		if (t < JUP_TABLE__COUNT) /* a table this build does not know: ignored */
			v[t] = (uint64_t)sqlite3_column_int64(s->versions, 1);
	}
	jup_status r = rc == SQLITE_DONE ? JUP_OK : db_error(s->db, err, "table_version");
	sqlite3_reset(s->versions);
	return r;
}

static int bind_value(sqlite3_stmt *s, int idx, const jup_value *v)
{
	switch (v->type) {
	case JUP_V_INT:
		return sqlite3_bind_int64(s, idx, v->i);
	case JUP_V_REAL:
		return sqlite3_bind_double(s, idx, v->d);
	case JUP_V_TEXT:
		return sqlite3_bind_text(s, idx, v->s.ptr, (int)v->s.len, SQLITE_STATIC);
	case JUP_V_NULL:
	default:
		return sqlite3_bind_null(s, idx);
	}
}

static jup_status sqlite_insert(jup_store *st, jup_table t, const jup_value *vals,
				const jup_provenance *prov, int64_t *rowid, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_stmt *stmt = s->insert[t];
	const store_table_desc *d = store_table(t);
	int rc = SQLITE_OK;
	for (int i = 0; i < d->ncols && rc == SQLITE_OK; i++)
		rc = bind_value(stmt, i + 1, &vals[i]);
	if (prov && rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, d->ncols + 1, prov->file_id);
	if (prov && rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, d->ncols + 2, prov->line);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	jup_status result = JUP_OK;
	if (rc != SQLITE_DONE)
		result = db_error(s->db, err, d->name);
	else if (rowid)
		*rowid = sqlite3_last_insert_rowid(s->db);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return result;
}

/* Run a bound lookup: JUP_OK with a row ready, JUP_ERR_NOT_FOUND, or error. */
static jup_status step_lookup(sqlite_store *s, sqlite3_stmt *stmt, jup_err *err)
{
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return JUP_OK;
	jup_status st = rc == SQLITE_DONE ? JUP_ERR_NOT_FOUND : db_error(s->db, err, "lookup");
	sqlite3_reset(stmt);
	return st;
}

static jup_status sqlite_org_find(jup_store *st, jup_sv code, jup_org_info *out, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_bind_text(s->org_find, 1, code.ptr, (int)code.len, SQLITE_STATIC);
	jup_status r = step_lookup(s, s->org_find, err);
	if (r)
		return r;
	out->id = sqlite3_column_int64(s->org_find, 0);
	const char *name = (const char *)sqlite3_column_text(s->org_find, 1);
	jup_value kind = name ? jup_v_cstr(name) : jup_v_null();
	out->kind = jup_store_org_kind_parse(&kind);
	out->participating = sqlite3_column_int(s->org_find, 2) != 0;
	sqlite3_reset(s->org_find);
	return JUP_OK;
}

static jup_status sqlite_source_find(jup_store *st, int64_t org_id, jup_sv local_id,
				     int64_t *id, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_bind_int64(s->source_find, 1, org_id);
	sqlite3_bind_text(s->source_find, 2, local_id.ptr, (int)local_id.len, SQLITE_STATIC);
	jup_status r = step_lookup(s, s->source_find, err);
	if (r)
		return r;
	*id = sqlite3_column_int64(s->source_find, 0);
	sqlite3_reset(s->source_find);
	return JUP_OK;
}

static void copy_column(sqlite3_stmt *stmt, int col, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

static jup_status sqlite_file_find(jup_store *st, const char *hash_hex, jup_file_info *out,
				   jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_bind_text(s->file_find, 1, hash_hex, -1, SQLITE_STATIC);
	jup_status r = step_lookup(s, s->file_find, err);
	if (r)
		return r;
	out->id = sqlite3_column_int64(s->file_find, 0);
	copy_column(s->file_find, 1, out->name, sizeof out->name);
	copy_column(s->file_find, 2, out->imported_at, sizeof out->imported_at);
	sqlite3_reset(s->file_find);
	return JUP_OK;
}

static jup_status sqlite_count(jup_store *st, jup_table t, int64_t *n, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", store_table(t)->name);
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return db_error(s->db, err, "count");
	jup_status r = step_lookup(s, stmt, err);
	if (!r)
		*n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return r == JUP_ERR_NOT_FOUND ? JUP_ERR_STORE : r;
}

/* ---- generic reads and writes (scan, update, delete) ------------------------ */

static const char *column_name(const store_table_desc *d, int col)
{
	return col == JUP_COL_ID ? "id" : d->cols[col];
}

/* Append " WHERE a = ? AND b IS NULL ..." for the conditions. */
static jup_status append_where(jup_buf *sql, const store_table_desc *d, const jup_match *where,
			       int nwhere)
{
	jup_status st = JUP_OK;
	for (int i = 0; i < nwhere && !st; i++)
		st = jup_buf_appendf(sql, "%s%s %s", i ? " AND " : " WHERE ",
				     column_name(d, where[i].col),
				     where[i].v.type == JUP_V_NULL ? "IS NULL" : "= ?");
	return st;
}

/* Bind the non-NULL condition values from parameter *next on. */
static int bind_matches(sqlite3_stmt *stmt, const jup_match *m, int n, int *next)
{
	int rc = SQLITE_OK;
	for (int i = 0; i < n && rc == SQLITE_OK; i++)
		if (m[i].v.type != JUP_V_NULL)
			rc = bind_value(stmt, (*next)++, &m[i].v);
	return rc;
}

static void scan_key(jup_table t, bool prov, const jup_match *where, int nwhere, stmt_key *k)
{
	k->b[0] = (uint8_t)t;
	k->b[1] = prov;
	k->b[2] = (uint8_t)nwhere;
	for (int i = 0; i < nwhere; i++) {
		k->b[3 + 2 * i] = (uint8_t)(where[i].col + 1);
		k->b[4 + 2 * i] = where[i].v.type == JUP_V_NULL;
	}
	k->len = (uint8_t)(3 + 2 * nwhere);
}

/* The cached statement of key k not in use (marked in use), or NULL. */
static sqlite3_stmt *stmt_by_key(sqlite_store *s, const stmt_key *k)
{
	for (int i = 0; i < STMT_CACHE; i++) {
		cached_stmt *c = &s->cache[i];
		if (c->stmt && !c->busy && c->key.len == k->len &&
		    memcmp(c->key.b, k->b, k->len) == 0) {
			c->busy = true;
			return c->stmt;
		}
	}
	return NULL;
}

/* Remember that stmt (cached) has key k. */
static void stmt_set_key(sqlite_store *s, sqlite3_stmt *stmt, const stmt_key *k)
{
	for (int i = 0; i < STMT_CACHE; i++)
		if (s->cache[i].stmt == stmt)
			s->cache[i].key = *k;
}

/* A prepared statement for sql: a cached one not in use, or a new one
 * (cached when a slot is free or can be taken from an idle statement). */
static int stmt_get(sqlite_store *s, const jup_buf *sql, sqlite3_stmt **out)
{
	for (int i = 0; i < STMT_CACHE; i++) {
		cached_stmt *c = &s->cache[i];
		if (c->stmt && !c->busy && !c->key.len && strcmp(sqlite3_sql(c->stmt), sql->data) == 0) {
			c->busy = true;
			*out = c->stmt;
			return SQLITE_OK;
		}
	}
	int rc = sqlite3_prepare_v3(s->db, sql->data, (int)sql->len, SQLITE_PREPARE_PERSISTENT,
				    out, NULL);
	for (int k = 0; rc == SQLITE_OK && k < STMT_CACHE; k++) {
		cached_stmt *c = &s->cache[(s->cache_next + k) % STMT_CACHE];
		if (c->busy)
			continue;
		sqlite3_finalize(c->stmt);
		*c = (cached_stmt){ *out, true, { 0 } };
		s->cache_next = (s->cache_next + k + 1) % STMT_CACHE;
		break;
	}
	return rc;
}

/* Give a statement from stmt_get back: reset for reuse, or finalised when
 * it is not in the cache. */
static void stmt_put(sqlite_store *s, sqlite3_stmt *stmt)
{
	if (!stmt)
		return;
	for (int i = 0; i < STMT_CACHE; i++)
		if (s->cache[i].stmt == stmt) {
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			s->cache[i].busy = false;
			return;
		}
	sqlite3_finalize(stmt);
}

/*
 * Finish a statement begun in sql (built: the status of building it so far)
 * with WHERE for the conditions and, when order is not NULL, ORDER BY order;
 * prepare it, free sql, and bind the conditions' values from parameter
 * `first` on (earlier parameters are the caller's).
 */
static jup_status prepare_where(sqlite_store *s, const store_table_desc *d, jup_buf *sql,
				jup_status built, const jup_match *where, int nwhere,
				const char *order, int first, sqlite3_stmt **out, jup_err *err)
{
	*out = NULL;
	if (!built)
		built = append_where(sql, d, where, nwhere);
	if (!built && order)
		built = jup_buf_appendf(sql, " ORDER BY %s", order);
	jup_status r = built ? jup_err_set(err, built, "%s: statement too long", d->name) : JUP_OK;
	if (!r && stmt_get(s, sql, out) != SQLITE_OK)
		r = db_error(s->db, err, d->name);
	jup_buf_free(sql);
	if (!r && bind_matches(*out, where, nwhere, &first) != SQLITE_OK)
		r = db_error(s->db, err, d->name);
	if (r) {
		stmt_put(s, *out);
		*out = NULL;
	}
	return r;
}

static jup_value column_value(sqlite3_stmt *stmt, int col)
{
	switch (sqlite3_column_type(stmt, col)) {
	case SQLITE_INTEGER:
		return jup_v_int(sqlite3_column_int64(stmt, col));
	case SQLITE_FLOAT:
		return jup_v_real(sqlite3_column_double(stmt, col));
	case SQLITE_NULL:
		return jup_v_null();
	default: {
		const char *t = (const char *)sqlite3_column_text(stmt, col);
		return jup_v_text((jup_sv){ t ? t : "", t ? (size_t)sqlite3_column_bytes(stmt, col) : 0 });
	}
	}
}

/* Append "SELECT id,<columns>[,file_id,line] FROM <table>" (0 for the id
 * of a table without ids). */
static jup_status append_select(jup_buf *sql, const store_table_desc *d, bool prov)
{
	jup_status b = jup_buf_append_cstr(sql, d->no_id ? "SELECT 0" : "SELECT id");
	for (int i = 0; i < d->ncols && !b; i++)
		b = jup_buf_appendf(sql, ",%s", d->cols[i]);
	if (!b && prov)
		b = jup_buf_append_cstr(sql, ",file_id,line");
	if (!b)
		b = jup_buf_appendf(sql, " FROM %s", d->name);
	return b;
}

/* The order scans give rows in: by id, or by the first column without ids. */
static const char *scan_order(const store_table_desc *d)
{
	return d->no_id ? d->cols[0] : "id";
}

/* The statement of a scan, prepared and bound: the cached one of its shape,
 * or built. */
static jup_status scan_stmt(sqlite_store *s, jup_table t, bool prov, const jup_match *where,
			    int nwhere, sqlite3_stmt **out, jup_err *err)
{
	const store_table_desc *d = store_table(t);
	stmt_key key;
	scan_key(t, prov, where, nwhere, &key);
	*out = stmt_by_key(s, &key);
	if (*out) {
		int next = 1;
		if (bind_matches(*out, where, nwhere, &next) == SQLITE_OK)
			return JUP_OK;
		stmt_put(s, *out);
		*out = NULL;
		return db_error(s->db, err, d->name);
	}
	jup_buf sql;
	jup_buf_init(&sql, 4096);
	jup_status b = append_select(&sql, d, prov);
	jup_status r = prepare_where(s, d, &sql, b, where, nwhere, scan_order(d), 1, out, err);
	if (!r)
		stmt_set_key(s, *out, &key);
	return r;
}

/* Step a prepared scan, giving each row to fn (or, with provenance, pfn);
 * the statement is given back. */
static jup_status run_scan(sqlite_store *s, const store_table_desc *d, sqlite3_stmt *stmt,
			   bool prov, jup_row_fn fn, jup_row_prov_fn pfn, void *ctx, jup_err *err)
{
	jup_status r = JUP_OK;
	jup_value vals[JUP_STORE_MAX_COLS];
	int rc = SQLITE_OK;
	while (!r && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int i = 0; i < d->ncols; i++)
			vals[i] = column_value(stmt, i + 1);
		int64_t id = sqlite3_column_int64(stmt, 0);
		jup_provenance where_from = { 0, 0 };
		if (prov) {
			where_from.file_id = sqlite3_column_int64(stmt, d->ncols + 1);
			where_from.line = sqlite3_column_int64(stmt, d->ncols + 2);
		}
		r = pfn ? pfn(ctx, id, vals, &where_from, err) : fn(ctx, id, vals, err);
	}
	if (!r && rc != SQLITE_DONE)
		r = db_error(s->db, err, d->name);
	stmt_put(s, stmt);
	return r;
}

static jup_status sqlite_scan(jup_store *st, jup_table t, const jup_match *where, int nwhere,
			      jup_row_fn fn, jup_row_prov_fn pfn, void *ctx, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	const store_table_desc *d = store_table(t);
	bool prov = pfn && d->provenance;
	sqlite3_stmt *stmt;
	jup_status r = scan_stmt(s, t, prov, where, nwhere, &stmt, err);
	return r ? r : run_scan(s, d, stmt, prov, fn, pfn, ctx, err);
}

/* A statement of one kind (KEY_PERSON, KEY_AFTER) over t with one integer
 * parameter, prepared and bound: the cached one, or built with the
 * condition "WHERE <column col (-1: id)><test>". */
static jup_status kind_stmt(sqlite_store *s, jup_table t, uint8_t kind, int col, const char *test,
			    int64_t arg, sqlite3_stmt **out, jup_err *err)
{
	const store_table_desc *d = store_table(t);
	stmt_key key = { 2, { (uint8_t)t, kind } };
	*out = stmt_by_key(s, &key);
	if (!*out) {
		jup_buf sql;
		jup_buf_init(&sql, 4096);
		jup_status b = append_select(&sql, d, false);
		if (!b)
			b = jup_buf_appendf(&sql, " WHERE %s%s", col < 0 ? "id" : d->cols[col], test);
		jup_status r = prepare_where(s, d, &sql, b, NULL, 0, scan_order(d), 1, out, err);
		if (r)
			return r;
		stmt_set_key(s, *out, &key);
	}
	if (sqlite3_bind_int64(*out, 1, arg) == SQLITE_OK)
		return JUP_OK;
	stmt_put(s, *out);
	*out = NULL;
	return db_error(s->db, err, d->name);
}

/* A person's rows of t in one statement: the member records by
 * person_member's person_id index, then t's rows by its source_record_id
 * index (source_record: by id). */
static jup_status sqlite_scan_person(jup_store *st, jup_table t, int64_t person_id, jup_row_fn fn,
				     void *ctx, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_stmt *stmt;
	jup_status r = kind_stmt(s, t, KEY_PERSON, store_source_col(t),
				 " IN (SELECT source_record_id FROM person_member WHERE person_id = ?)",
				 person_id, &stmt, err);
	return r ? r : run_scan(s, store_table(t), stmt, false, fn, NULL, ctx, err);
}

static jup_status sqlite_scan_after(jup_store *st, jup_table t, int64_t after, jup_row_fn fn,
				    void *ctx, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_stmt *stmt;
	jup_status r = kind_stmt(s, t, KEY_AFTER, -1, " > ?", after, &stmt, err);
	return r ? r : run_scan(s, store_table(t), stmt, false, fn, NULL, ctx, err);
}

/* The rows of t whose column col lies in [lo, hi), in the column's order
 * (an index on col gives them without sorting). */
static jup_status sqlite_scan_prefix(jup_store *st, jup_table t, int col, jup_sv lo, jup_sv hi,
				     jup_row_fn fn, void *ctx, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	const store_table_desc *d = store_table(t);
	stmt_key key = { 3, { (uint8_t)t, KEY_PREFIX, (uint8_t)col } };
	sqlite3_stmt *stmt = stmt_by_key(s, &key);
	if (!stmt) {
		jup_buf sql;
		jup_buf_init(&sql, 4096);
		jup_status b = append_select(&sql, d, false);
		if (!b)
			b = jup_buf_appendf(&sql, " WHERE %s >= ?1 AND %s < ?2", d->cols[col],
					    d->cols[col]);
		char order[128]; /* the column, then the scan order (unless that is it) */
		snprintf(order, sizeof order, "%s%s%s", d->cols[col],
			 d->no_id && col == 0 ? "" : ", ", d->no_id && col == 0 ? "" : scan_order(d));
		jup_status r = prepare_where(s, d, &sql, b, NULL, 0, order, 1, &stmt, err);
		if (r)
			return r;
		stmt_set_key(s, stmt, &key);
	}
	jup_value v[2] = { jup_v_text(lo), jup_v_text(hi) };
	if (bind_value(stmt, 1, &v[0]) != SQLITE_OK || bind_value(stmt, 2, &v[1]) != SQLITE_OK) {
		stmt_put(s, stmt);
		return db_error(s->db, err, d->name);
	}
	return run_scan(s, d, stmt, false, fn, NULL, ctx, err);
}

/* Run a prepared statement that changes rows; *changed gets how many. */
static jup_status run_change(sqlite_store *s, sqlite3_stmt *stmt, int rc, const char *what,
			     int64_t *changed, jup_err *err)
{
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	jup_status r = rc == SQLITE_DONE ? JUP_OK : db_error(s->db, err, what);
	if (!r && changed)
		*changed = sqlite3_changes64(s->db);
	stmt_put(s, stmt);
	return r;
}

static jup_status sqlite_update(jup_store *st, jup_table t, const jup_match *where,
				int nwhere, const jup_match *set, int nset, int64_t *changed,
				jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	const store_table_desc *d = store_table(t);
	jup_buf sql;
	jup_buf_init(&sql, 4096);
	jup_status b = jup_buf_appendf(&sql, "UPDATE %s SET ", d->name);
	for (int i = 0; i < nset && !b; i++)
		b = jup_buf_appendf(&sql, "%s%s = ?", i ? "," : "", column_name(d, set[i].col));
	sqlite3_stmt *stmt;
	jup_status r = prepare_where(s, d, &sql, b, where, nwhere, NULL, nset + 1, &stmt, err);
	if (r)
		return r;
	int rc = SQLITE_OK;
	for (int i = 0; i < nset && rc == SQLITE_OK; i++)
		rc = bind_value(stmt, i + 1, &set[i].v);
	return run_change(s, stmt, rc, d->name, changed, err);
}

static jup_status sqlite_remove(jup_store *st, jup_table t, const jup_match *where, int nwhere,
				jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	const store_table_desc *d = store_table(t);
	jup_buf sql;
	jup_buf_init(&sql, 4096);
	jup_status b = jup_buf_appendf(&sql, "DELETE FROM %s", d->name);
	sqlite3_stmt *stmt;
	jup_status r = prepare_where(s, d, &sql, b, where, nwhere, NULL, 1, &stmt, err);
	return r ? r : run_change(s, stmt, SQLITE_OK, d->name, NULL, err);
}

/* "SELECT max(col) FROM t": SQLite reads it from the first or last entry of
 * an index on col when there is one. */
static jup_status sqlite_max_int(jup_store *st, jup_table t, int col, int64_t *max, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	const store_table_desc *d = store_table(t);
	jup_buf sql;
	jup_buf_init(&sql, 256);
	jup_status b = jup_buf_appendf(&sql, "SELECT max(%s) FROM %s", column_name(d, col), d->name);
	sqlite3_stmt *stmt;
	jup_status r = prepare_where(s, d, &sql, b, NULL, 0, NULL, 1, &stmt, err);
	if (r)
		return r;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*max = sqlite3_column_int64(stmt, 0); /* NULL (no rows) reads as 0 */
	else
		r = db_error(s->db, err, d->name);
	stmt_put(s, stmt);
	return r;
}

static jup_status sqlite_audit_run_fill(jup_store *st, int64_t block, int64_t first, int64_t last,
					int64_t *rows, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_stmt *stmt = s->audit_run_fill;
	int rc = sqlite3_bind_int64(stmt, 1, block);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, first);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 3, last);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	jup_status r = rc == SQLITE_DONE ? JUP_OK : db_error(s->db, err, "audit_person_run");
	if (!r)
		*rows = sqlite3_changes64(s->db);
	sqlite3_reset(stmt);
	return r;
}

static jup_status sqlite_auth_purge(jup_store *st, const char *before, int64_t *n, jup_err *err)
{
	sqlite_store *s = as_sqlite(st);
	sqlite3_stmt *stmt = s->auth_purge;
	int rc = sqlite3_bind_text(stmt, 1, before, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	jup_status r = rc == SQLITE_DONE ? JUP_OK : db_error(s->db, err, "auth_token");
	if (!r)
		*n = sqlite3_changes64(s->db);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return r;
}

const jup_store_ops store_sqlite_ops = {
	.name = "sqlite",
	.claims = sqlite_claims,
	.open = sqlite_open,
	.close = sqlite_close,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.sync = sqlite_sync,
	.insert = sqlite_insert,
	.org_find = sqlite_org_find,
	.source_find = sqlite_source_find,
	.file_find = sqlite_file_find,
	.count = sqlite_count,
	.scan = sqlite_scan,
	.update = sqlite_update,
	.remove = sqlite_remove,
	.bump_versions = sqlite_bump_versions,
	.versions = sqlite_versions,
	.scan_person = sqlite_scan_person,
	.scan_prefix = sqlite_scan_prefix,
	.scan_after = sqlite_scan_after,
	.audit_run_fill = sqlite_audit_run_fill,
	.auth_purge = sqlite_auth_purge,
	.max_int = sqlite_max_int,
};
