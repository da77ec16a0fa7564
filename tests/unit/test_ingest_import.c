/*
 * test_ingest_import.c - import: a whole city loads, re-import does nothing,
 * and every kind of bad row rejects its whole file with FILE:LINE: field.
 */
#include "jup_test.h"

#include "ingest/jup_ingest_import.h"
#include "store/jup_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/jup_buf.h"

static char city[512];

static jup_date today(void)
{
	return jup_date_from_ymd(2026, 11, 23);
}

static jup_store *fresh_store(const char *name)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", jup_test_tmpdir(), name);
	remove(path);
	jup_store *st;
	jup_err err;
	if (jup_store_open(path, JUP_STORE_CREATE, &st, &err))
		fail_msg("open: %s", err.msg);
	return st;
}

/* Import paths; problems text (caller frees) through *problems. */
static jup_status run_import(jup_store *st, const char **paths, size_t n,
			     jup_import_summary *sum, char **problems)
{
	size_t len;
	FILE *probs = open_memstream(problems, &len);
	jup_import_opts opts = { .today = today(), .problems = probs };
	jup_err err = { "" };
	jup_status rc = jup_ingest_import(st, paths, n, &opts, sum, &err);
	fclose(probs);
	if (rc && rc != JUP_ERR_INVALID)
		fail_msg("import failed: %s", err.msg);
	return rc;
}

static int64_t count(jup_store *st, jup_table t)
{
	int64_t n;
	jup_err err;
	assert_int_equal(jup_store_count(st, t, &n, &err), JUP_OK);
	return n;
}

static void counts(jup_store *st, int64_t out[JUP_TABLE__COUNT])
{
	for (int t = 0; t < JUP_TABLE__COUNT; t++)
		out[t] = count(st, (jup_table)t);
}

static jup_store *loaded_city(const char *name)
{
	jup_store *st = fresh_store(name);
	const char *paths[] = { city };
	jup_import_summary sum;
	char *problems;
	jup_status rc = run_import(st, paths, 1, &sum, &problems);
	if (rc)
		fail_msg("city did not import:\n%s", problems);
	free(problems);
	return st;
}

static void test_city_imports_whole(void **state)
{
	(void)state;
	jup_store *st = loaded_city("city.db");
	static const struct {
		jup_table t;
		int64_t n;
	} want[] = {
		{ JUP_TABLE_IMPORT_FILE, 16 },   { JUP_TABLE_ORGANISATION, 5 },
		{ JUP_TABLE_SOURCE_RECORD, 8 },  { JUP_TABLE_GP_REGISTRATION, 3 },
		{ JUP_TABLE_CONDITION, 3 },      { JUP_TABLE_MEDICATION, 2 },
		{ JUP_TABLE_EOL_PLAN, 1 },       { JUP_TABLE_ADMISSION, 3 },
		{ JUP_TABLE_ADMISSION_DIAGNOSIS, 5 }, { JUP_TABLE_AE_ATTENDANCE, 2 },
		{ JUP_TABLE_SC_ASSESSMENT, 2 },  { JUP_TABLE_SC_SERVICE, 2 },
		{ JUP_TABLE_SC_CONSENT, 2 },     { JUP_TABLE_CARE_TEAM, 2 },
		{ JUP_TABLE_DEATH, 1 },          { JUP_TABLE_OPT_OUT, 2 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int64_t n = count(st, want[i].t);
		if (n != want[i].n)
			fail_msg("%s: %lld rows, want %lld", jup_store_table_name(want[i].t),
				 (long long)n, (long long)want[i].n);
	}
	jup_store_close(st);
}

static void test_reimport_does_nothing(void **state)
{
	(void)state;
	jup_store *st = loaded_city("again.db");
	int64_t before[JUP_TABLE__COUNT], after[JUP_TABLE__COUNT];
	counts(st, before);
	const char *paths[] = { city };
	jup_import_summary sum;
	char *problems;
	assert_int_equal(run_import(st, paths, 1, &sum, &problems), JUP_OK);
	free(problems);
	assert_int_equal(sum.files_imported, 0);
	assert_int_equal(sum.files_rejected, 0);
	assert_int_equal(sum.files_skipped, 17); /* 16 extracts and truth.csv */
	counts(st, after);
	assert_memory_equal(before, after, sizeof before);
	jup_store_close(st);
}

/* A bad extract, the line and field blamed, and words of the reason. */
typedef struct bad_case {
	const char *file;
	const char *text;
	const char *expect; /* a substring of the problems, e.g. "x.csv:3: dob: in the future" */
} bad_case;

#define GP_HEAD "practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode," \
		"address,registered_on\n"
#define GP_OK "Y90001,G9,9990000298,Dee,Sample,1970-01-01,F,LS6 2AB,,2000-01-01\n"
#define SC_HEAD "council_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode," \
		"address,practice_code\n"
#define ADM_HEAD "trust_code,spell_id,local_id,method,admitted_on,discharged_on," \
		 "discharge_destination,diagnoses\n"

static const bad_case bad_cases[] = {
	/* NHS number on the GP register: strict */
	{ "gp_patients.csv", GP_HEAD GP_OK "Y90001,G10,9991234560,E,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:3: nhs_number: check digit" },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000000,E,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: nhs_number: " },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,99900000,E,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: nhs_number: must be 10 digits" },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,,E,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: nhs_number: required, but blank" },
	/* dates */
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000298,E,S,1970-02-30,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: dob: " },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000298,E,S,2031-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: dob: in the future" },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000298,E,S,1970-01-01,F,LS6 2AB,,1969-01-01\n",
	  "gp_patients.csv:2: registered_on: before dob" },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000298,E,S,01/02/1970,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: dob: not an ISO 8601 date" },
	/* organisations */
	{ "gp_patients.csv", GP_HEAD "Y99999,G10,9990000298,E,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: practice_code: unknown organisation code \"Y99999\"" },
	{ "gp_patients.csv", GP_HEAD "R9A,G10,9990000298,E,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: practice_code: \"R9A\" is a hospital_trust, not a gp_practice" },
	/* postcode, sex, names */
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000298,E,S,1970-01-01,F,LS6 2CI,,2000-01-01\n",
	  "gp_patients.csv:2: postcode: " },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000298,E,S,1970-01-01,X,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: sex: " },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10,9990000298,,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: given_name: required, but blank" },
	/* duplicates, within the file and against the store */
	{ "gp_patients.csv", GP_HEAD GP_OK GP_OK, "gp_patients.csv:3: local_id: already held" },
	{ "gp_patients.csv", GP_HEAD "Y90001,G100001,9990000298,E,S,1970-01-01,F,LS6 2AB,,2000-01-01\n",
	  "gp_patients.csv:2: local_id: already held" },
	/* header and shape */
	{ "gp_patients.csv", "practice_code,local_id\n", "gp_patients.csv:1: header: missing column \"nhs_number\"" },
	{ "gp_patients.csv", GP_HEAD "Y90001,G10\n", "gp_patients.csv:2: row: has 2 fields, the header has 10" },
	{ "gp_patients.csv", "practice_code,local_id,nhs_number,given_name,family_name,dob,sex,"
			     "postcode,address,registered_on,shoe_size\n",
	  "gp_patients.csv:1: header: unknown column \"shoe_size\"" },
	{ "gp_patients.csv", "", "gp_patients.csv:1: header: the file is empty" },
	{ "gp_patients.csv", GP_HEAD "Y90001,\"G10,9990000298\n", "gp_patients.csv:2: row: " },
	/* social care: a bad NHS number is kept, but other rules still hold */
	{ "social_care_clients.csv", SC_HEAD "E08000035,SC9,9990000019,E,S,1970-01-01,F,,,Y99999\n",
	  "social_care_clients.csv:2: practice_code: unknown organisation code" },
	/* references to records */
	{ "gp_conditions.csv", "practice_code,local_id,code_system,code,description,onset_on\n"
			       "Y90001,G404,snomed,38341003,,2005-04-01\n",
	  "gp_conditions.csv:2: local_id: no record with this id at Y90001" },
	/* codes */
	{ "gp_conditions.csv", "practice_code,local_id,code_system,code,description,onset_on\n"
			       "Y90001,G100001,snomed,38341004,,2005-04-01\n",
	  "gp_conditions.csv:2: code: " },
	{ "gp_conditions.csv", "practice_code,local_id,code_system,code,description,onset_on\n"
			       "Y90001,G100001,icd10,38341003,,2005-04-01\n",
	  "gp_conditions.csv:2: code: " },
	{ "gp_conditions.csv", "practice_code,local_id,code_system,code,description,onset_on\n"
			       "Y90001,G100001,read,XaIP9,,2005-04-01\n",
	  "gp_conditions.csv:2: code_system: " },
	{ "hospital_admissions.csv", ADM_HEAD "R9A,S9,M0000001,emergency,2026-01-03,2026-01-10,home,I50.0;;I10\n",
	  "hospital_admissions.csv:2: diagnoses: diagnosis 2: empty" },
	{ "hospital_admissions.csv", ADM_HEAD "R9A,S9,M0000001,emergency,2026-01-03,2026-01-01,home,I50.0\n",
	  "hospital_admissions.csv:2: discharged_on: before admitted_on" },
	{ "hospital_admissions.csv", ADM_HEAD "R9A,S1,M0000001,emergency,2026-01-03,2026-01-10,home,I50.0\n",
	  "hospital_admissions.csv:2: spell_id: already held" },
	{ "hospital_admissions.csv", ADM_HEAD "R9A,S9,M0000001,urgent,2026-01-03,,,I50.0\n",
	  "hospital_admissions.csv:2: method: " },
	{ "ae_attendances.csv", "trust_code,attendance_id,local_id,arrived_at,disposal\n"
				"R9A,A9,M0000001,2026-01-03T24:00,admitted\n",
	  "ae_attendances.csv:2: arrived_at: " },
	{ "deaths.csv", "nhs_number,dob,date_of_death,place_of_death\n"
			"9990000220,1930-05-05,1929-12-24,home\n",
	  "deaths.csv:2: date_of_death: before dob" },
	{ "national_opt_outs.csv", "nhs_number,recorded_on\n9876544321,2023-01-10\n",
	  "national_opt_outs.csv:2: nhs_number: " },
	{ "organisations.csv", "org_code,name,kind,participating,postcode\nY90009,X,gp_practice,maybe,\n",
	  "organisations.csv:2: participating: must be Y or N" },
	{ "care_team.csv", "org_code,team,source_org,local_id,role,started_on,ended_on\n"
			   "E08000035,T,E08000035,SC001,dogsbody,2026-01-09,\n",
	  "care_team.csv:2: role: " },
	{ "unknown_extract.csv", "a,b\n1,2\n", "unknown_extract.csv: file: not a known extract" },
};

static void test_bad_extracts_are_rejected_whole(void **state)
{
	(void)state;
	jup_store *st = loaded_city("bad.db");
	int64_t before[JUP_TABLE__COUNT], after[JUP_TABLE__COUNT];
	counts(st, before);
	char dir[600];
	snprintf(dir, sizeof dir, "%s/bad", jup_test_tmpdir());
	mkdir(dir, 0700);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const bad_case *bc = &bad_cases[i];
		const char *path = jup_test_write_file(dir, bc->file, bc->text);
		const char *paths[] = { path };
		jup_import_summary sum;
		char *problems;
		jup_status rc = run_import(st, paths, 1, &sum, &problems);
		if (rc != JUP_ERR_INVALID || !strstr(problems, bc->expect))
			fail_msg("case %zu (%s): rc=%d, want \"%s\" in:\n%s", i, bc->file, rc,
				 bc->expect, problems);
		assert_int_equal(sum.files_rejected, 1);
		assert_int_equal(sum.files_imported, 0);
		free(problems);
		counts(st, after);
		assert_memory_equal(before, after, sizeof before);
	}
	jup_store_close(st);
}

static void test_problems_are_capped_with_a_count(void **state)
{
	(void)state;
	jup_store *st = loaded_city("cap.db");
	jup_buf text;
	jup_buf_init(&text, 0);
	assert_int_equal(jup_buf_append_cstr(&text, GP_HEAD), JUP_OK);
	for (int i = 0; i < 80; i++)
		assert_int_equal(jup_buf_appendf(&text, "Y90001,X%d,123,E,S,1970-01-01,F,LS6 2AB,,"
						 "2000-01-01\n", i), JUP_OK);
	const char *path = jup_test_write_file(jup_test_tmpdir(), "gp_patients_many.csv", text.data);
	jup_buf_free(&text);
	const char *paths[] = { path };
	jup_import_summary sum;
	char *problems;
	assert_int_equal(run_import(st, paths, 1, &sum, &problems), JUP_ERR_INVALID);
	assert_non_null(strstr(problems, "... and 30 more problems"));
	assert_non_null(strstr(problems, "rejected: 80 problems"));
	assert_int_equal(sum.problems, 80);
	free(problems);
	jup_store_close(st);
}

static void test_problems_never_echo_personal_values(void **state)
{
	(void)state;
	jup_store *st = loaded_city("echo.db");
	const char *path = jup_test_write_file(
		jup_test_tmpdir(), "gp_patients_echo.csv",
		GP_HEAD "Y90001,G77,9991234560,Zebedee,Quux\x01,2099-01-01,F,ZZ99 9ZZZ,,2000-01-01\n");
	const char *paths[] = { path };
	jup_import_summary sum;
	char *problems;
	assert_int_equal(run_import(st, paths, 1, &sum, &problems), JUP_ERR_INVALID);
	assert_null(strstr(problems, "9991234560"));
	assert_null(strstr(problems, "Zebedee"));
	assert_null(strstr(problems, "2099"));
	assert_null(strstr(problems, "ZZ99"));
	assert_null(strstr(problems, "G77"));
	free(problems);
	jup_store_close(st);
}

static void test_kind_of_names(void **state)
{
	(void)state;
	assert_string_equal(jup_ingest_kind_of("gp_patients.csv"), "gp_patients");
	assert_string_equal(jup_ingest_kind_of("/x/y/gp_patients_2026-11.csv"), "gp_patients");
	assert_string_equal(jup_ingest_kind_of("hospital_patients.csv"), "hospital_patients");
	assert_null(jup_ingest_kind_of("gp_patientsX.csv"));
	assert_null(jup_ingest_kind_of("truth.csv"));
}

static int setup(void **state)
{
	(void)state;
	const char *data = getenv("JUP_TEST_DATA");
	snprintf(city, sizeof city, "%s/city", data ? data : "tests/data");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_city_imports_whole),
		cmocka_unit_test(test_reimport_does_nothing),
		cmocka_unit_test(test_bad_extracts_are_rejected_whole),
		cmocka_unit_test(test_problems_are_capped_with_a_count),
		cmocka_unit_test(test_problems_never_echo_personal_values),
		cmocka_unit_test(test_kind_of_names),
	};
	return cmocka_run_group_tests_name("ingest_import", tests, setup, NULL);
}
