/* test_store.c - store: migrations, version refusal, inserts, lookups, transactions. */
#include "jup_test.h"

#include "store/jup_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

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
		assert_int_equal(n, 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_store_is_at_latest_version_and_empty),
		cmocka_unit_test(test_open_without_create_needs_a_database),
		cmocka_unit_test(test_newer_schema_is_refused),
		cmocka_unit_test(test_foreign_sqlite_file_is_refused),
		cmocka_unit_test(test_not_a_database_is_refused),
		cmocka_unit_test(test_insert_lookup_and_duplicates),
		cmocka_unit_test(test_provenance_is_required_where_rows_come_from_files),
		cmocka_unit_test(test_rollback_discards_and_commit_keeps),
		cmocka_unit_test(test_unknown_location_scheme_is_refused),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
