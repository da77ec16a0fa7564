/* test_store.c - store: migrations, version refusal, inserts, lookups, transactions,
 * the generic scan, update and delete, table versions, and a person's rows. */
#include "jup_test.h"

#include "store/jup_store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *db_path(const char *name)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", jup_test_tmpdir(), name);
	return path;
}

static jup_store *open_new(const char *name)
{
	jup_store *st;
	jup_err err;
	jup_status rc = jup_store_open(db_path(name), JUP_STORE_CREATE, &st, &err);
	if (rc)
		fail_msg("open: %s", err.msg);
	return st;
}

static int64_t add_file(jup_store *st, const char *hash)
{
	jup_value row[JUP_IMPORT_FILE__N] = {
		jup_v_text(JUP_SV_LIT("organisations.csv")), jup_v_text(JUP_SV_LIT("organisations")),
		jup_v_text(jup_sv_from(hash)), jup_v_int(10),
		jup_v_text(JUP_SV_LIT("2026-11-23T10:00:00Z")),
	};
	int64_t id;
	jup_err err;
	assert_int_equal(jup_store_insert(st, JUP_TABLE_IMPORT_FILE, row, NULL, &id, &err), JUP_OK);
	return id;
}

static int64_t add_org(jup_store *st, int64_t file, const char *code, const char *kind)
{
	jup_value row[JUP_ORG__N] = {
		jup_v_text(jup_sv_from(code)), jup_v_text(JUP_SV_LIT("Test Surgery")),
		jup_v_text(jup_sv_from(kind)), jup_v_int(1), jup_v_null(),
	};
	jup_provenance prov = { file, 2 };
	int64_t id = 0;
	jup_err err;
	jup_status rc = jup_store_insert(st, JUP_TABLE_ORGANISATION, row, &prov, &id, &err);
	return rc ? -(int64_t)rc : id;
}

static void test_new_store_is_at_latest_version_and_empty(void **state)
{
	(void)state;
	jup_store *st = open_new("new.db");
	assert_int_equal(jup_store_schema_version(st), jup_store_latest_schema_version());
	for (int t = 0; t < JUP_TABLE__COUNT; t++) {
		int64_t n = -1;
		jup_err err;
		assert_int_equal(jup_store_count(st, (jup_table)t, &n, &err), JUP_OK);
		/* empty, but for the default consent policy: one row per purpose */
		assert_int_equal(n, t == JUP_TABLE_CONSENT_POLICY ? 4 : 0);
		assert_true(jup_store_table_columns((jup_table)t) > 0);
		assert_true(jup_store_table_columns((jup_table)t) <= JUP_STORE_MAX_COLS);
	}
	jup_store_close(st);
}

static void test_open_without_create_needs_a_database(void **state)
{
	(void)state;
	jup_store *st;
	jup_err err;
	assert_int_equal(jup_store_open(db_path("missing.db"), 0, &st, &err), JUP_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "no database"));
	assert_null(st);
}

static void set_user_version(const char *path, int v)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_newer_schema_is_refused(void **state)
{
	(void)state;
	jup_store_close(open_new("newer.db"));
	set_user_version(db_path("newer.db"), jup_store_latest_schema_version() + 1);
	jup_store *st;
	jup_err err;
	assert_int_equal(jup_store_open(db_path("newer.db"), 0, &st, &err), JUP_ERR_VERSION);
	assert_non_null(strstr(err.msg, "newer than this joinedup"));
}

static void test_foreign_sqlite_file_is_refused(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path("foreign.db"), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	jup_store *st;
	jup_err err;
	assert_int_equal(jup_store_open(db_path("foreign.db"), 0, &st, &err), JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "not a joinedup one"));
}

static void test_not_a_database_is_refused(void **state)
{
	(void)state;
	const char *path = jup_test_write_file(jup_test_tmpdir(), "text.db",
					       "this is not a database file, just words, many of "
					       "them, enough to fill a header page and more.\n");
	jup_store *st;
	jup_err err;
	jup_status rc = jup_store_open(path, 0, &st, &err);
	assert_int_not_equal(rc, JUP_OK);
}

static void test_insert_lookup_and_duplicates(void **state)
{
	(void)state;
	jup_store *st = open_new("insert.db");
	int64_t file = add_file(st, "aa11");
	int64_t org = add_org(st, file, "Y90001", "gp_practice");
	assert_true(org > 0);
	assert_int_equal(add_org(st, file, "Y90001", "gp_practice"), -(int64_t)JUP_ERR_EXISTS);
	assert_int_equal(add_org(st, file, "Y90002", "spaceship"), -(int64_t)JUP_ERR_INVALID);

	jup_org_info info;
	jup_err err;
	assert_int_equal(jup_store_org_find(st, JUP_SV_LIT("Y90001"), &info, &err), JUP_OK);
	assert_int_equal(info.id, org);
	assert_int_equal(info.kind, JUP_ORG_GP_PRACTICE);
	assert_true(info.participating);
	assert_int_equal(jup_store_org_find(st, JUP_SV_LIT("Y99999"), &info, &err),
			 JUP_ERR_NOT_FOUND);

	jup_value src[JUP_SRC__N] = { 0 };
	src[JUP_SRC_ORG_ID] = jup_v_int(org);
	src[JUP_SRC_LOCAL_ID] = jup_v_text(JUP_SV_LIT("G1"));
	src[JUP_SRC_NHS_NUMBER_STATUS] = jup_v_text(JUP_SV_LIT("missing"));
	jup_provenance prov = { file, 2 };
	int64_t rec;
	assert_int_equal(jup_store_insert(st, JUP_TABLE_SOURCE_RECORD, src, &prov, &rec, &err),
			 JUP_OK);
	int64_t found;
	assert_int_equal(jup_store_source_find(st, org, JUP_SV_LIT("G1"), &found, &err), JUP_OK);
	assert_int_equal(found, rec);
	assert_int_equal(jup_store_source_find(st, org, JUP_SV_LIT("G2"), &found, &err),
			 JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_store_insert(st, JUP_TABLE_SOURCE_RECORD, src, &prov, &rec, &err),
			 JUP_ERR_EXISTS);

	jup_file_info fi;
	assert_int_equal(jup_store_file_find(st, "aa11", &fi, &err), JUP_OK);
	assert_string_equal(fi.name, "organisations.csv");
	assert_int_equal(jup_store_file_find(st, "bb22", &fi, &err), JUP_ERR_NOT_FOUND);
	jup_store_close(st);
}

static void test_provenance_is_required_where_rows_come_from_files(void **state)
{
	(void)state;
	jup_store *st = open_new("prov.db");
	jup_value row[JUP_ORG__N] = { 0 };
	jup_err err;
	assert_int_equal(jup_store_insert(st, JUP_TABLE_ORGANISATION, row, NULL, NULL, &err),
			 JUP_ERR_USAGE);
	jup_provenance prov = { 1, 1 };
	assert_int_equal(jup_store_insert(st, JUP_TABLE_IMPORT_FILE, row, &prov, NULL, &err),
			 JUP_ERR_USAGE);
	jup_store_close(st);
}

static void test_rollback_discards_and_commit_keeps(void **state)
{
	(void)state;
	jup_store *st = open_new("tx.db");
	jup_err err;
	int64_t n;
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	add_file(st, "cc33");
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	assert_int_equal(jup_store_count(st, JUP_TABLE_IMPORT_FILE, &n, &err), JUP_OK);
	assert_int_equal(n, 0);
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	add_file(st, "dd44");
	assert_int_equal(jup_store_commit(st, &err), JUP_OK);
	jup_store_close(st);
	jup_store *again;
	assert_int_equal(jup_store_open(db_path("tx.db"), 0, &again, &err), JUP_OK);
	assert_int_equal(jup_store_count(again, JUP_TABLE_IMPORT_FILE, &n, &err), JUP_OK);
	assert_int_equal(n, 1);
	jup_store_close(again);
}

static void test_unknown_location_scheme_is_refused(void **state)
{
	(void)state;
	jup_store *st;
	jup_err err;
	assert_int_equal(jup_store_open("postgresql://localhost/jup", 0, &st, &err),
			 JUP_ERR_USAGE);
	assert_int_equal(jup_store_open("", 0, &st, &err), JUP_ERR_USAGE);
}

/* ---- scan, update, delete (on the linkage tables: no provenance) ---------- */

/* A link_run row: started_at, finished_at (NULL for none), thresholds, records. */
static int64_t add_run(jup_store *st, const char *started, const char *finished, double upper,
		       double lower, int64_t records)
{
	jup_value row[JUP_RUN__N];
	for (int i = 0; i < JUP_RUN__N; i++)
		row[i] = jup_v_null();
	row[JUP_RUN_STARTED_AT] = jup_v_cstr(started);
	row[JUP_RUN_FINISHED_AT] = finished ? jup_v_cstr(finished) : jup_v_null();
	row[JUP_RUN_UPPER] = jup_v_real(upper);
	row[JUP_RUN_LOWER] = jup_v_real(lower);
	row[JUP_RUN_RECORDS] = jup_v_int(records);
	int64_t id = 0;
	jup_err err;
	if (jup_store_insert(st, JUP_TABLE_LINK_RUN, row, NULL, &id, &err))
		fail_msg("insert link_run: %s", err.msg);
	return id;
}

/* Three runs: ids 1..3, the middle one finished with other thresholds. */
static jup_store *runs_store(const char *name)
{
	jup_store *st = open_new(name);
	assert_int_equal(add_run(st, "2026-01-01T00:00:00Z", NULL, 0.99, 0.8, 10), 1);
	assert_int_equal(add_run(st, "2026-01-02T00:00:00Z", "2026-01-02T00:05:00Z", 0.95, 0.5, 20),
			 2);
	assert_int_equal(add_run(st, "2026-01-03T00:00:00Z", NULL, 0.99, 0.8, 30), 3);
	return st;
}

static void add_tf(jup_store *st, const char *cmp, const char *value, int64_t n)
{
	jup_value row[JUP_LTF__N] = {
		[JUP_LTF_COMPARISON] = jup_v_cstr(cmp),
		[JUP_LTF_VALUE] = jup_v_cstr(value),
		[JUP_LTF_N] = jup_v_int(n),
	};
	jup_err err;
	if (jup_store_insert(st, JUP_TABLE_LINK_TF, row, NULL, NULL, &err))
		fail_msg("insert link_tf: %s", err.msg);
}

/* What a scan saw: row ids, and one column's values. */
typedef struct seen {
	int col;
	int n;
	int64_t ids[16];
	jup_value vals[16];
	char text[16][32]; /* copies of text values */
} seen;

static jup_status seen_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	seen *s = ctx;
	assert_true(s->n < 16);
	s->ids[s->n] = id;
	s->vals[s->n] = v[s->col];
	if (v[s->col].type == JUP_V_TEXT)
		snprintf(s->text[s->n], sizeof s->text[0], "%.*s", (int)v[s->col].s.len,
			 v[s->col].s.ptr);
	s->n++;
	return JUP_OK;
}

static seen scan(jup_store *st, jup_table t, const jup_match *where, int nwhere, int col)
{
	seen s = { .col = col };
	jup_err err;
	jup_status rc = jup_store_scan(st, t, where, nwhere, seen_row, &s, &err);
	if (rc)
		fail_msg("scan: %s", err.msg);
	return s;
}

static void assert_ids(const seen *s, int n, int64_t a, int64_t b, int64_t c)
{
	const int64_t want[3] = { a, b, c };
	assert_int_equal(s->n, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(s->ids[i], want[i]);
}

static void test_scan_all_rows_in_id_order(void **state)
{
	(void)state;
	jup_store *st = runs_store("scan_all.db");
	seen s = scan(st, JUP_TABLE_LINK_RUN, NULL, 0, JUP_RUN_RECORDS);
	assert_ids(&s, 3, 1, 2, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(s.vals[i].type, JUP_V_INT);
		assert_int_equal(s.vals[i].i, 10 * (i + 1));
	}
	s = scan(st, JUP_TABLE_LINK_RUN, NULL, 0, JUP_RUN_STARTED_AT);
	assert_string_equal(s.text[2], "2026-01-03T00:00:00Z");
	jup_store_close(st);
}

static void test_scan_filters(void **state)
{
	(void)state;
	jup_store *st = runs_store("scan_filter.db");
	jup_match upper = { JUP_RUN_UPPER, jup_v_real(0.99) };
	seen s = scan(st, JUP_TABLE_LINK_RUN, &upper, 1, JUP_RUN_RECORDS);
	assert_ids(&s, 2, 1, 3, 0);
	jup_match text = { JUP_RUN_STARTED_AT, jup_v_cstr("2026-01-02T00:00:00Z") };
	s = scan(st, JUP_TABLE_LINK_RUN, &text, 1, JUP_RUN_RECORDS);
	assert_ids(&s, 1, 2, 0, 0);
	jup_match id = { JUP_COL_ID, jup_v_int(3) };
	s = scan(st, JUP_TABLE_LINK_RUN, &id, 1, JUP_RUN_RECORDS);
	assert_ids(&s, 1, 3, 0, 0);
	assert_int_equal(s.vals[0].i, 30);
	jup_match open = { JUP_RUN_FINISHED_AT, jup_v_null() }; /* IS NULL */
	s = scan(st, JUP_TABLE_LINK_RUN, &open, 1, JUP_RUN_FINISHED_AT);
	assert_ids(&s, 2, 1, 3, 0);
	assert_int_equal(s.vals[0].type, JUP_V_NULL);
	jup_match both[2] = { open, { JUP_RUN_RECORDS, jup_v_int(30) } };
	s = scan(st, JUP_TABLE_LINK_RUN, both, 2, JUP_RUN_RECORDS);
	assert_ids(&s, 1, 3, 0, 0);
	jup_match none = { JUP_COL_ID, jup_v_int(99) };
	s = scan(st, JUP_TABLE_LINK_RUN, &none, 1, JUP_RUN_RECORDS);
	assert_int_equal(s.n, 0);
	jup_store_close(st);
}

static void test_scan_without_ids_orders_by_first_column(void **state)
{
	(void)state;
	jup_store *st = open_new("scan_tf.db");
	add_tf(st, "postcode", "ls6 2ab", 3);
	add_tf(st, "family_name", "sample", 2);
	add_tf(st, "given_name", "dee", 1);
	seen s = scan(st, JUP_TABLE_LINK_TF, NULL, 0, JUP_LTF_COMPARISON);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.text[0], "family_name");
	assert_string_equal(s.text[1], "given_name");
	assert_string_equal(s.text[2], "postcode");
	for (int i = 0; i < 3; i++)
		assert_int_equal(s.ids[i], 0);
	jup_match given = { JUP_LTF_COMPARISON, jup_v_cstr("given_name") };
	s = scan(st, JUP_TABLE_LINK_TF, &given, 1, JUP_LTF_N);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.vals[0].i, 1);
	jup_store_close(st);
}

/* Prefix scans: a range on the column, by its order (ties by id, or in key
 * order in a table keyed by its columns); bad prefixes are usage errors. */
static void test_scan_prefix_gives_rows_starting_so(void **state)
{
	(void)state;
	jup_store *st = open_new("prefix.db");
	add_tf(st, "postcode", "ls6 2ab", 3);
	add_tf(st, "family_name", "smithson", 2);
	add_tf(st, "family_name", "smith", 1);
	add_tf(st, "family_name", "smiti", 4);
	add_tf(st, "given_name", "smith", 5);
	seen s = { .col = JUP_LTF_VALUE };
	jup_err err;
	assert_int_equal(jup_store_scan_prefix(st, JUP_TABLE_LINK_TF, JUP_LTF_VALUE,
					       JUP_SV_LIT("smith"), seen_row, &s, &err),
			 JUP_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.text[0], "smith"); /* family_name, then given_name */
	assert_string_equal(s.text[1], "smith");
	assert_string_equal(s.text[2], "smithson");
	s = (seen){ .col = JUP_LTF_COMPARISON };
	assert_int_equal(jup_store_scan_prefix(st, JUP_TABLE_LINK_TF, JUP_LTF_COMPARISON,
					       JUP_SV_LIT("family"), seen_row, &s, &err),
			 JUP_OK);
	assert_int_equal(s.n, 3);
	s = (seen){ .col = 0 };
	assert_int_equal(jup_store_scan_prefix(st, JUP_TABLE_LINK_TF, JUP_LTF_VALUE,
					       JUP_SV_LIT("smz"), seen_row, &s, &err),
			 JUP_OK);
	assert_int_equal(s.n, 0);
	/* organisations (ids): by code, through its index */
	int64_t file = add_file(st, "aa");
	int64_t y2 = add_org(st, file, "Y90002", "gp_practice");
	int64_t r9 = add_org(st, file, "R9A", "hospital_trust");
	int64_t y1 = add_org(st, file, "Y90001", "gp_practice");
	s = (seen){ .col = JUP_ORG_CODE };
	assert_int_equal(jup_store_scan_prefix(st, JUP_TABLE_ORGANISATION, JUP_ORG_CODE,
					       JUP_SV_LIT("Y9"), seen_row, &s, &err),
			 JUP_OK);
	assert_ids(&s, 2, y1, y2, 0);
	(void)r9;
	const jup_sv bad[] = { { "", 0 }, { "a\xff", 2 } };
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(jup_store_scan_prefix(st, JUP_TABLE_ORGANISATION, JUP_ORG_CODE,
						       bad[i], seen_row, &s, &err),
				 JUP_ERR_USAGE);
	assert_int_equal(jup_store_scan_prefix(st, JUP_TABLE_ORGANISATION, JUP_COL_ID,
					       JUP_SV_LIT("1"), seen_row, &s, &err),
			 JUP_ERR_USAGE);
	assert_int_equal(jup_store_scan_prefix(st, JUP_TABLE__COUNT, 0, JUP_SV_LIT("1"), seen_row,
					       &s, &err),
			 JUP_ERR_USAGE);
	jup_store_close(st);
}

typedef struct stopper {
	int calls, stop_at;
} stopper;

static jup_status stop_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)v;
	stopper *s = ctx;
	if (++s->calls == s->stop_at)
		return jup_err_set(err, JUP_ERR_LIMIT, "stopped at row %d", s->calls);
	return JUP_OK;
}

static void test_scan_stops_at_the_callbacks_error(void **state)
{
	(void)state;
	jup_store *st = runs_store("scan_stop.db");
	stopper s = { 0, 2 };
	jup_err err = { "" };
	assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_RUN, NULL, 0, stop_row, &s, &err),
			 JUP_ERR_LIMIT);
	assert_int_equal(s.calls, 2);
	assert_string_equal(err.msg, "stopped at row 2");
	/* the store is still usable: the statement was finished */
	assert_int_equal(add_run(st, "2026-01-04T00:00:00Z", NULL, 0.9, 0.1, 40), 4);
	jup_store_close(st);
}

static void test_bad_conditions_are_usage_errors(void **state)
{
	(void)state;
	jup_store *st = runs_store("scan_usage.db");
	seen s = { .col = 0 };
	jup_err err;
	const jup_match bad[] = {
		{ JUP_RUN__N, jup_v_int(1) }, /* past the last column */
		{ -2, jup_v_int(1) },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_RUN, &bad[i], 1, seen_row, &s,
						&err),
				 JUP_ERR_USAGE);
		assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_RUN, &bad[i], 1, &bad[i], 1,
						  NULL, &err),
				 JUP_ERR_USAGE);
		assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_RUN, &bad[i], 1, &err),
				 JUP_ERR_USAGE);
	}
	jup_match id = { JUP_COL_ID, jup_v_int(1) };
	assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_TF, &id, 1, seen_row, &s, &err),
			 JUP_ERR_USAGE);
	assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_TF, &id, 1, &err), JUP_ERR_USAGE);
	assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_RUN, NULL, 1, seen_row, &s, &err),
			 JUP_ERR_USAGE);
	assert_int_equal(jup_store_scan(st, JUP_TABLE__COUNT, NULL, 0, seen_row, &s, &err),
			 JUP_ERR_USAGE);
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_RUN, &id, 1, NULL, 0, NULL, &err),
			 JUP_ERR_USAGE); /* nothing to set */
	assert_int_equal(s.n, 0);
	int64_t n;
	assert_int_equal(jup_store_count(st, JUP_TABLE_LINK_RUN, &n, &err), JUP_OK);
	assert_int_equal(n, 3);
	jup_store_close(st);
}

static void test_update_sets_columns_and_counts_rows(void **state)
{
	(void)state;
	jup_store *st = runs_store("update.db");
	jup_match upper = { JUP_RUN_UPPER, jup_v_real(0.99) };
	jup_match set[2] = { { JUP_RUN_FINISHED_AT, jup_v_cstr("done") },
			     { JUP_RUN_RECORDS, jup_v_int(7) } };
	int64_t changed = -1;
	jup_err err;
	jup_status rc = jup_store_update(st, JUP_TABLE_LINK_RUN, &upper, 1, set, 2, &changed, &err);
	assert_int_equal(rc, JUP_OK);
	assert_int_equal(changed, 2);
	seen s = scan(st, JUP_TABLE_LINK_RUN, &set[1], 1, JUP_RUN_FINISHED_AT);
	assert_ids(&s, 2, 1, 3, 0);
	assert_string_equal(s.text[0], "done");
	jup_match none = { JUP_COL_ID, jup_v_int(99) };
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_RUN, &none, 1, set, 2, &changed, &err),
			 JUP_OK);
	assert_int_equal(changed, 0);
	/* set to NULL, by id, changed count not wanted */
	jup_match id = { JUP_COL_ID, jup_v_int(2) };
	jup_match unfinish = { JUP_RUN_FINISHED_AT, jup_v_null() };
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_RUN, &id, 1, &unfinish, 1, NULL, &err),
			 JUP_OK);
	s = scan(st, JUP_TABLE_LINK_RUN, &unfinish, 1, JUP_RUN_RECORDS);
	assert_ids(&s, 1, 2, 0, 0);
	/* no conditions: every row */
	jup_match lower = { JUP_RUN_LOWER, jup_v_real(0.25) };
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_RUN, NULL, 0, &lower, 1, &changed,
					  &err),
			 JUP_OK);
	assert_int_equal(changed, 3);
	jup_store_close(st);
}

static void test_update_breaking_a_rule_is_refused(void **state)
{
	(void)state;
	jup_store *st = open_new("update_rules.db");
	add_tf(st, "given_name", "dee", 1);
	add_tf(st, "given_name", "dot", 2);
	jup_match dot = { JUP_LTF_VALUE, jup_v_cstr("dot") };
	jup_match to_dee = { JUP_LTF_VALUE, jup_v_cstr("dee") };
	jup_err err;
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_TF, &dot, 1, &to_dee, 1, NULL, &err),
			 JUP_ERR_EXISTS);
	jup_match no_value = { JUP_LTF_VALUE, jup_v_null() };
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_TF, &dot, 1, &no_value, 1, NULL,
					  &err),
			 JUP_ERR_INVALID);
	seen s = scan(st, JUP_TABLE_LINK_TF, NULL, 0, JUP_LTF_VALUE);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text[1], "dot");
	jup_store_close(st);
}

static void test_delete_with_and_without_conditions(void **state)
{
	(void)state;
	jup_store *st = open_new("delete.db");
	add_tf(st, "given_name", "dee", 1);
	add_tf(st, "given_name", "dot", 2);
	add_tf(st, "family_name", "sample", 3);
	jup_match given = { JUP_LTF_COMPARISON, jup_v_cstr("given_name") };
	jup_match dot[2] = { given, { JUP_LTF_VALUE, jup_v_cstr("dot") } };
	jup_err err;
	assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_TF, dot, 2, &err), JUP_OK);
	seen s = scan(st, JUP_TABLE_LINK_TF, NULL, 0, JUP_LTF_VALUE);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text[0], "sample");
	assert_string_equal(s.text[1], "dee");
	jup_match nobody = { JUP_LTF_VALUE, jup_v_cstr("nobody") };
	assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_TF, &nobody, 1, &err), JUP_OK);
	int64_t n;
	assert_int_equal(jup_store_count(st, JUP_TABLE_LINK_TF, &n, &err), JUP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_TF, NULL, 0, &err), JUP_OK);
	assert_int_equal(jup_store_count(st, JUP_TABLE_LINK_TF, &n, &err), JUP_OK);
	assert_int_equal(n, 0);
	jup_store_close(st);
}

static void test_real_values_round_trip(void **state)
{
	(void)state;
	jup_store *st = open_new("real.db");
	const double values[] = { 1.0 / 3.0, 1.0, 0.0, -2.5, 1e-300, 123456789.125 };
	const int nv = (int)(sizeof values / sizeof values[0]);
	for (int i = 0; i < nv; i++)
		add_run(st, "2026-01-01T00:00:00Z", NULL, values[i], 0, i);
	seen s = scan(st, JUP_TABLE_LINK_RUN, NULL, 0, JUP_RUN_UPPER);
	assert_int_equal(s.n, nv);
	for (int i = 0; i < nv; i++) {
		assert_int_equal(s.vals[i].type, JUP_V_REAL); /* 1.0 and 0.0 too */
		assert_memory_equal(&s.vals[i].d, &values[i], sizeof values[i]);
	}
	/* a REAL written by update and read back, and matched exactly */
	jup_match id = { JUP_COL_ID, jup_v_int(2) };
	jup_match prior = { JUP_RUN_PRIOR, jup_v_real(2.0 / 7.0) };
	jup_err err;
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_RUN, &id, 1, &prior, 1, NULL, &err),
			 JUP_OK);
	s = scan(st, JUP_TABLE_LINK_RUN, &prior, 1, JUP_RUN_PRIOR);
	assert_ids(&s, 1, 2, 0, 0);
	assert_int_equal(s.vals[0].type, JUP_V_REAL);
	assert_true(s.vals[0].d == 2.0 / 7.0);
	jup_store_close(st);
}

/* ---- table versions ---------------------------------------------------- */

static void versions(jup_store *st, uint64_t v[JUP_TABLE__COUNT])
{
	jup_err err;
	if (jup_store_versions(st, v, &err))
		fail_msg("versions: %s", err.msg);
}

/* Check that from before to now the versions of tables t and u (or only t:
 * u = JUP_TABLE__COUNT) rose and no other moved; before becomes now. */
static void assert_raised(jup_store *st, uint64_t before[JUP_TABLE__COUNT], jup_table t,
			  jup_table u)
{
	uint64_t now[JUP_TABLE__COUNT];
	versions(st, now);
	for (int i = 0; i < JUP_TABLE__COUNT; i++) {
		if (i == (int)t || i == (int)u)
			assert_true(now[i] > before[i]);
		else
			assert_int_equal(now[i], before[i]);
		before[i] = now[i];
	}
}

static void assert_unchanged(jup_store *st, uint64_t before[JUP_TABLE__COUNT])
{
	assert_raised(st, before, JUP_TABLE__COUNT, JUP_TABLE__COUNT);
}

static void test_versions_of_a_new_store_are_zero(void **state)
{
	(void)state;
	jup_store *st = open_new("versions_new.db");
	uint64_t v[JUP_TABLE__COUNT];
	memset(v, 0xff, sizeof v);
	versions(st, v);
	for (int t = 0; t < JUP_TABLE__COUNT; t++)
		assert_int_equal(v[t], 0);
	jup_store_close(st);
}

static void test_committed_writes_raise_their_tables_versions(void **state)
{
	(void)state;
	jup_store *st = open_new("versions_tx.db");
	uint64_t v[JUP_TABLE__COUNT];
	versions(st, v);
	jup_err err;
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	add_run(st, "2026-01-01T00:00:00Z", NULL, 0.99, 0.8, 10);
	add_run(st, "2026-01-02T00:00:00Z", NULL, 0.99, 0.8, 20);
	assert_unchanged(st, v); /* not before the commit */
	assert_int_equal(jup_store_commit(st, &err), JUP_OK);
	assert_raised(st, v, JUP_TABLE_LINK_RUN, JUP_TABLE__COUNT);
	/* two tables in one transaction */
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	add_run(st, "2026-01-03T00:00:00Z", NULL, 0.99, 0.8, 30);
	add_tf(st, "given_name", "dee", 1);
	assert_int_equal(jup_store_commit(st, &err), JUP_OK);
	assert_raised(st, v, JUP_TABLE_LINK_RUN, JUP_TABLE_LINK_TF);
	/* nothing written: nothing raised */
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	assert_int_equal(jup_store_commit(st, &err), JUP_OK);
	assert_unchanged(st, v);
	jup_store_close(st);
}

static void test_rolled_back_and_failed_writes_raise_nothing(void **state)
{
	(void)state;
	jup_store *st = open_new("versions_rollback.db");
	add_tf(st, "given_name", "dee", 1);
	uint64_t v[JUP_TABLE__COUNT];
	versions(st, v);
	jup_err err;
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	add_run(st, "2026-01-01T00:00:00Z", NULL, 0.99, 0.8, 10);
	assert_int_equal(jup_store_rollback(st, &err), JUP_OK);
	assert_unchanged(st, v);
	assert_int_equal(jup_store_begin(st, &err), JUP_OK);
	add_run(st, "2026-01-01T00:00:00Z", NULL, 0.99, 0.8, 10);
	jup_store_abandon(st);
	assert_unchanged(st, v);
	/* a write refused, alone or in a committed transaction */
	jup_value dup[JUP_LTF__N] = { jup_v_cstr("given_name"), jup_v_cstr("dee"), jup_v_int(2) };
	assert_int_equal(jup_store_insert(st, JUP_TABLE_LINK_TF, dup, NULL, NULL, &err),
			 JUP_ERR_EXISTS);
	assert_unchanged(st, v);
	assert_int_equal(jup_store_begin(st, &err), JUP_OK); /* none left open */
	assert_int_equal(jup_store_insert(st, JUP_TABLE_LINK_TF, dup, NULL, NULL, &err),
			 JUP_ERR_EXISTS);
	assert_int_equal(jup_store_commit(st, &err), JUP_OK);
	assert_unchanged(st, v);
	int64_t n;
	assert_int_equal(jup_store_count(st, JUP_TABLE_LINK_RUN, &n, &err), JUP_OK);
	assert_int_equal(n, 0);
	jup_store_close(st);
}

static void test_writes_without_a_transaction_raise_versions(void **state)
{
	(void)state;
	jup_store *st = open_new("versions_autocommit.db");
	uint64_t v[JUP_TABLE__COUNT];
	versions(st, v);
	assert_int_equal(add_run(st, "2026-01-01T00:00:00Z", NULL, 0.99, 0.8, 10), 1);
	assert_raised(st, v, JUP_TABLE_LINK_RUN, JUP_TABLE__COUNT);
	add_tf(st, "given_name", "dee", 1);
	assert_raised(st, v, JUP_TABLE_LINK_TF, JUP_TABLE__COUNT);
	jup_match id = { JUP_COL_ID, jup_v_int(1) };
	jup_match done = { JUP_RUN_FINISHED_AT, jup_v_cstr("2026-01-01T00:05:00Z") };
	int64_t changed = 0;
	jup_err err;
	assert_int_equal(jup_store_update(st, JUP_TABLE_LINK_RUN, &id, 1, &done, 1, &changed, &err),
			 JUP_OK);
	assert_int_equal(changed, 1);
	assert_raised(st, v, JUP_TABLE_LINK_RUN, JUP_TABLE__COUNT);
	assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_TF, NULL, 0, &err), JUP_OK);
	assert_raised(st, v, JUP_TABLE_LINK_TF, JUP_TABLE__COUNT);
	/* each was committed: a rollback now has no transaction to undo */
	assert_int_not_equal(jup_store_rollback(st, &err), JUP_OK);
	int64_t n;
	assert_int_equal(jup_store_count(st, JUP_TABLE_LINK_RUN, &n, &err), JUP_OK);
	assert_int_equal(n, 1);
	jup_store_close(st);
}

static void test_versions_are_shared_between_connections(void **state)
{
	(void)state;
	jup_store *a = open_new("versions_shared.db"), *b;
	jup_err err;
	assert_int_equal(jup_store_open(db_path("versions_shared.db"), 0, &b, &err), JUP_OK);
	uint64_t va[JUP_TABLE__COUNT], vb[JUP_TABLE__COUNT];
	versions(a, va);
	versions(b, vb);
	assert_int_equal(jup_store_begin(a, &err), JUP_OK);
	add_tf(a, "given_name", "dee", 1);
	assert_unchanged(b, vb); /* not committed yet */
	assert_int_equal(jup_store_commit(a, &err), JUP_OK);
	assert_raised(b, vb, JUP_TABLE_LINK_TF, JUP_TABLE__COUNT);
	add_run(b, "2026-01-01T00:00:00Z", NULL, 0.99, 0.8, 10);
	assert_raised(a, va, JUP_TABLE_LINK_RUN, JUP_TABLE_LINK_TF);
	jup_store_close(a);
	jup_store_close(b);
}

static void test_a_version_4_store_gains_table_versions(void **state)
{
	(void)state;
	jup_store_close(open_new("versions_v4.db"));
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path("versions_v4.db"), &db), SQLITE_OK);
	/* undo migrations 7, 6 and 5 */
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE auth_token; ALTER TABLE app_user DROP COLUMN kind;"
				      "DROP TABLE audit_person_run; CREATE INDEX audit_entry_person"
				      " ON audit_entry(person_id) WHERE person_id IS NOT NULL;"
				      "DROP TABLE table_version",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	set_user_version(db_path("versions_v4.db"), 4);
	jup_store *st;
	jup_err err;
	assert_int_equal(jup_store_open(db_path("versions_v4.db"), 0, &st, &err), JUP_OK);
	assert_int_equal(jup_store_schema_version(st), jup_store_latest_schema_version());
	uint64_t v[JUP_TABLE__COUNT];
	versions(st, v);
	add_tf(st, "given_name", "dee", 1);
	assert_raised(st, v, JUP_TABLE_LINK_TF, JUP_TABLE__COUNT);
	jup_store_close(st);
}

/* ---- rows after an id, and deferred flushes --------------------------------- */

static jup_status keep_id(void *ctx, int64_t id, const jup_value *vals, jup_err *err)
{
	(void)vals;
	(void)err;
	int64_t *ids = ctx;
	ids[++ids[0]] = id;
	return JUP_OK;
}

static void test_scan_after_gives_newer_rows_in_order(void **state)
{
	(void)state;
	jup_store *st = open_new("scan_after.db");
	jup_err err;
	int64_t first = add_file(st, "aa"), ids[8] = { 0 };
	(void)add_file(st, "bb");
	int64_t third = add_file(st, "cc");
	assert_int_equal(jup_store_scan_after(st, JUP_TABLE_IMPORT_FILE, first, keep_id, ids, &err),
			 JUP_OK);
	assert_int_equal(ids[0], 2);
	assert_true(ids[1] == first + 1 && ids[2] == third);
	ids[0] = 0;
	assert_int_equal(jup_store_scan_after(st, JUP_TABLE_IMPORT_FILE, third, keep_id, ids, &err),
			 JUP_OK);
	assert_int_equal(ids[0], 0);
	assert_int_equal(jup_store_scan_after(st, JUP_TABLE_PERSON_MEMBER, 0, keep_id, ids, &err),
			 JUP_ERR_USAGE);
	jup_store_close(st);
}

static void *sync_store(void *arg)
{
	jup_err err;
	return (void *)(intptr_t)jup_store_sync(arg, &err);
}

/* A deferred store's commits are visible at once and flushed by
 * jup_store_sync, which many threads may call together; a store without
 * the flag has nothing to flush. */
static void test_deferred_commits_are_flushed_by_sync(void **state)
{
	(void)state;
	jup_store *plain = open_new("deferred.db"), *st;
	jup_err err;
	assert_int_equal(jup_store_sync(plain, &err), JUP_OK);
	assert_int_equal(jup_store_open(db_path("deferred.db"), JUP_STORE_DEFER_SYNC, &st, &err),
			 JUP_OK);
	assert_int_equal(jup_store_sync(st, &err), JUP_OK); /* nothing committed yet */
	for (int i = 0; i < 3; i++) {
		char hash[8];
		snprintf(hash, sizeof hash, "h%d", i);
		assert_int_equal(jup_store_begin(st, &err), JUP_OK);
		(void)add_file(st, hash);
		assert_int_equal(jup_store_commit(st, &err), JUP_OK);
		pthread_t t[4];
		for (int k = 0; k < 4; k++)
			assert_int_equal(pthread_create(&t[k], NULL, sync_store, st), 0);
		for (int k = 0; k < 4; k++) {
			void *rc;
			pthread_join(t[k], &rc);
			assert_int_equal((intptr_t)rc, JUP_OK);
		}
	}
	int64_t n = 0;
	assert_int_equal(jup_store_count(plain, JUP_TABLE_IMPORT_FILE, &n, &err), JUP_OK);
	assert_int_equal(n, 3);
	char wal[600];
	snprintf(wal, sizeof wal, "%s-wal", db_path("deferred.db"));
	assert_int_equal(access(wal, F_OK), 0);
	jup_store_close(st);
	jup_store_close(plain);
}

/* ---- a person's rows ----------------------------------------------------- */

static int64_t add_source(jup_store *st, int64_t file, int64_t org, const char *local_id)
{
	jup_value row[JUP_SRC__N];
	for (int i = 0; i < JUP_SRC__N; i++)
		row[i] = jup_v_null();
	row[JUP_SRC_ORG_ID] = jup_v_int(org);
	row[JUP_SRC_LOCAL_ID] = jup_v_cstr(local_id);
	row[JUP_SRC_NHS_NUMBER_STATUS] = jup_v_cstr("missing");
	jup_provenance prov = { file, 2 };
	int64_t id = 0;
	jup_err err;
	if (jup_store_insert(st, JUP_TABLE_SOURCE_RECORD, row, &prov, &id, &err))
		fail_msg("insert source_record: %s", err.msg);
	return id;
}

static int64_t add_person(jup_store *st, int64_t run)
{
	jup_value row[JUP_PERSON__N] = { jup_v_int(run), jup_v_null() };
	int64_t id = 0;
	jup_err err;
	if (jup_store_insert(st, JUP_TABLE_PERSON, row, NULL, &id, &err))
		fail_msg("insert person: %s", err.msg);
	return id;
}

static void add_member(jup_store *st, int64_t source, int64_t person, int64_t run)
{
	jup_value row[JUP_PM__N] = { jup_v_int(source), jup_v_int(person), jup_v_cstr("alone"),
				     jup_v_int(run) };
	jup_err err;
	if (jup_store_insert(st, JUP_TABLE_PERSON_MEMBER, row, NULL, NULL, &err))
		fail_msg("insert person_member: %s", err.msg);
}

static void add_condition(jup_store *st, int64_t file, int64_t source, const char *code)
{
	jup_value row[JUP_COND__N] = { jup_v_int(source), jup_v_cstr("snomed"), jup_v_cstr(code),
				       jup_v_null(), jup_v_cstr("2026-01-01") };
	jup_provenance prov = { file, 3 };
	jup_err err;
	if (jup_store_insert(st, JUP_TABLE_CONDITION, row, &prov, NULL, &err))
		fail_msg("insert condition: %s", err.msg);
}

static void add_admission(jup_store *st, int64_t file, int64_t org, int64_t source,
			  const char *spell)
{
	jup_value row[JUP_ADM__N];
	for (int i = 0; i < JUP_ADM__N; i++)
		row[i] = jup_v_null();
	row[JUP_ADM_ORG_ID] = jup_v_int(org);
	row[JUP_ADM_SOURCE_ID] = jup_v_int(source);
	row[JUP_ADM_SPELL_ID] = jup_v_cstr(spell);
	row[JUP_ADM_METHOD] = jup_v_cstr("emergency");
	row[JUP_ADM_ADMITTED_ON] = jup_v_cstr("2026-02-01");
	jup_provenance prov = { file, 4 };
	jup_err err;
	if (jup_store_insert(st, JUP_TABLE_ADMISSION, row, &prov, NULL, &err))
		fail_msg("insert admission: %s", err.msg);
}

/* Four source records: person 1 holds records 1 and 3, person 2 record 2,
 * person 3 none (record 4 is not linked). Conditions 1..4 are on records
 * 3, 2, 1, 3 and admissions 1..3 on records 2, 3, 4, so a person's rows
 * in id order are not in the order of their records. */
static jup_store *people_store(const char *name)
{
	jup_store *st = open_new(name);
	int64_t file = add_file(st, "ee55");
	int64_t gp = add_org(st, file, "Y90001", "gp_practice");
	int64_t trust = add_org(st, file, "RXX", "hospital_trust");
	for (int i = 1; i <= 4; i++) {
		char local[8];
		snprintf(local, sizeof local, "G%d", i);
		assert_int_equal(add_source(st, file, gp, local), i);
	}
	int64_t run = add_run(st, "2026-01-01T00:00:00Z", NULL, 0.99, 0.8, 4);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(add_person(st, run), i);
	add_member(st, 3, 1, run);
	add_member(st, 1, 1, run);
	add_member(st, 2, 2, run);
	add_condition(st, file, 3, "c1");
	add_condition(st, file, 2, "c2");
	add_condition(st, file, 1, "c3");
	add_condition(st, file, 3, "c4");
	add_admission(st, file, trust, 2, "S1");
	add_admission(st, file, trust, 3, "S2");
	add_admission(st, file, trust, 4, "S3");
	return st;
}

static seen scan_person(jup_store *st, jup_table t, int64_t person, int col)
{
	seen s = { .col = col };
	jup_err err;
	jup_status rc = jup_store_scan_person(st, t, person, seen_row, &s, &err);
	if (rc)
		fail_msg("scan_person: %s", err.msg);
	return s;
}

static void test_scan_person_gives_the_rows_of_its_records(void **state)
{
	(void)state;
	jup_store *st = people_store("person_rows.db");
	seen s = scan_person(st, JUP_TABLE_SOURCE_RECORD, 1, JUP_SRC_LOCAL_ID);
	assert_ids(&s, 2, 1, 3, 0);
	assert_string_equal(s.text[0], "G1");
	assert_string_equal(s.text[1], "G3");
	s = scan_person(st, JUP_TABLE_CONDITION, 1, JUP_COND_CODE);
	assert_ids(&s, 3, 1, 3, 4);
	assert_string_equal(s.text[0], "c1");
	assert_string_equal(s.text[2], "c4");
	s = scan_person(st, JUP_TABLE_ADMISSION, 1, JUP_ADM_SPELL_ID);
	assert_ids(&s, 1, 2, 0, 0);
	assert_string_equal(s.text[0], "S2");
	s = scan_person(st, JUP_TABLE_PERSON_MEMBER, 1, JUP_PM_SOURCE_ID);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.vals[0].i, 1);
	assert_int_equal(s.vals[1].i, 3);
	/* the other person, again (the kept statement) */
	s = scan_person(st, JUP_TABLE_CONDITION, 2, JUP_COND_SOURCE_ID);
	assert_ids(&s, 1, 2, 0, 0);
	assert_int_equal(s.vals[0].i, 2);
	s = scan_person(st, JUP_TABLE_ADMISSION, 2, JUP_ADM_SOURCE_ID);
	assert_ids(&s, 1, 1, 0, 0);
	/* a plain scan of the same table is not mistaken for it */
	s = scan(st, JUP_TABLE_CONDITION, NULL, 0, JUP_COND_CODE);
	assert_int_equal(s.n, 4);
	jup_store_close(st);
}

static void test_scan_person_without_members_gives_nothing(void **state)
{
	(void)state;
	jup_store *st = people_store("person_none.db");
	const int64_t nobody[] = { 3, 99 };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(scan_person(st, JUP_TABLE_SOURCE_RECORD, nobody[i], 0).n, 0);
		assert_int_equal(scan_person(st, JUP_TABLE_CONDITION, nobody[i], 0).n, 0);
		assert_int_equal(scan_person(st, JUP_TABLE_ADMISSION, nobody[i], 0).n, 0);
	}
	jup_store_close(st);
}

static void test_scan_person_refuses_tables_without_source_records(void **state)
{
	(void)state;
	jup_store *st = people_store("person_usage.db");
	seen s = { .col = 0 };
	jup_err err;
	const jup_table bad[] = { JUP_TABLE_ADMISSION_DIAGNOSIS, JUP_TABLE_LINK_RUN,
				  JUP_TABLE_PERSON, JUP_TABLE_LINK_PAIR, JUP_TABLE__COUNT };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(jup_store_scan_person(st, bad[i], 1, seen_row, &s, &err),
				 JUP_ERR_USAGE);
	assert_int_equal(s.n, 0);
	/* the callback's error stops the scan */
	stopper stop = { 0, 2 };
	assert_int_equal(jup_store_scan_person(st, JUP_TABLE_CONDITION, 1, stop_row, &stop, &err),
			 JUP_ERR_LIMIT);
	assert_int_equal(stop.calls, 2);
	assert_int_equal(scan_person(st, JUP_TABLE_CONDITION, 1, 0).n, 3);
	jup_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_store_is_at_latest_version_and_empty),
		cmocka_unit_test(test_scan_prefix_gives_rows_starting_so),
		cmocka_unit_test(test_open_without_create_needs_a_database),
		cmocka_unit_test(test_newer_schema_is_refused),
		cmocka_unit_test(test_foreign_sqlite_file_is_refused),
		cmocka_unit_test(test_not_a_database_is_refused),
		cmocka_unit_test(test_insert_lookup_and_duplicates),
		cmocka_unit_test(test_provenance_is_required_where_rows_come_from_files),
		cmocka_unit_test(test_rollback_discards_and_commit_keeps),
		cmocka_unit_test(test_unknown_location_scheme_is_refused),
		cmocka_unit_test(test_scan_all_rows_in_id_order),
		cmocka_unit_test(test_scan_filters),
		cmocka_unit_test(test_scan_without_ids_orders_by_first_column),
		cmocka_unit_test(test_scan_stops_at_the_callbacks_error),
		cmocka_unit_test(test_bad_conditions_are_usage_errors),
		cmocka_unit_test(test_update_sets_columns_and_counts_rows),
		cmocka_unit_test(test_update_breaking_a_rule_is_refused),
		cmocka_unit_test(test_delete_with_and_without_conditions),
		cmocka_unit_test(test_real_values_round_trip),
		cmocka_unit_test(test_versions_of_a_new_store_are_zero),
		cmocka_unit_test(test_committed_writes_raise_their_tables_versions),
		cmocka_unit_test(test_rolled_back_and_failed_writes_raise_nothing),
		cmocka_unit_test(test_writes_without_a_transaction_raise_versions),
		cmocka_unit_test(test_versions_are_shared_between_connections),
		cmocka_unit_test(test_a_version_4_store_gains_table_versions),
		cmocka_unit_test(test_scan_person_gives_the_rows_of_its_records),
		cmocka_unit_test(test_scan_person_without_members_gives_nothing),
		cmocka_unit_test(test_scan_person_refuses_tables_without_source_records),
		cmocka_unit_test(test_scan_after_gives_newer_rows_in_order),
		cmocka_unit_test(test_deferred_commits_are_flushed_by_sync),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
