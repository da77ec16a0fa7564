/*
 * fuzz_ingest_import.c - libFuzzer target for the whole import path.
 *
 * Input: a file name on the first line (which picks the extract kind), then
 * the file's bytes. The target writes them to a scratch folder and imports
 * them into a store that already holds the fixture city's organisations and
 * a few records, so references can resolve. Whatever the input, import must
 * end with JUP_OK or JUP_ERR_INVALID, and a rejected file must leave the
 * row counts as they were.
 */
#include "ingest/jup_ingest_import.h"
#include "store/jup_store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static jup_store *st;

static const char organisations[] =
	"org_code,name,kind,participating,postcode\n"
	"Y90001,Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
	"R9A,Synthetic Trust,hospital_trust,Y,\n"
	"E08000035,Council,council,Y,\n"
	"H9A01,Hospice,hospice,Y,\n";
static const char patients[] =
	"practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"registered_on\n"
	"Y90001,G1,9990000018,Ada,Sample,1941-03-12,F,LS6 2AB,,1990-01-01\n";

static void write_file(const char *name, const uint8_t *data, size_t len, char *path)
{
	snprintf(path, 512, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		abort();
}

static jup_status import_path(const char *path)
{
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23) };
	jup_import_summary sum;
	jup_err err;
	const char *paths[] = { path };
	return jup_ingest_import(st, paths, 1, &opts, &sum, &err);
}

static void cleanup(void)
{
	static const char *const names[] = { "fuzz.db", "fuzz.db-wal", "fuzz.db-shm",
					     "organisations.csv", "gp_patients_seed.csv" };
	jup_store_close(st);
	char path[512];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "/tmp/jup-fuzz-import-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	char path[512];
	snprintf(path, sizeof path, "%s/fuzz.db", dir);
	jup_err err;
	if (jup_store_open(path, JUP_STORE_CREATE, &st, &err))
		abort();
	atexit(cleanup);
	write_file("organisations.csv", (const uint8_t *)organisations, strlen(organisations), path);
	if (import_path(path))
		abort();
	write_file("gp_patients_seed.csv", (const uint8_t *)patients, strlen(patients), path);
	if (import_path(path))
		abort();
	return 0;
}

static void counts(int64_t out[JUP_TABLE__COUNT])
{
	jup_err err;
	for (int t = 0; t < JUP_TABLE__COUNT; t++)
		if (jup_store_count(st, (jup_table)t, &out[t], &err))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size < 64 ? size : 64);
	if (!nl || nl == data)
		return 0;
	char name[64];
	size_t n = (size_t)(nl - data);
	memcpy(name, data, n);
	name[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_' || name[i] == '.'))
			return 0;
	char path[512];
	write_file(name, nl + 1, size - n - 1, path);
	int64_t before[JUP_TABLE__COUNT], after[JUP_TABLE__COUNT];
	counts(before);
	jup_status rc = import_path(path);
	if (rc != JUP_OK && rc != JUP_ERR_INVALID)
		abort();
	counts(after);
	if (rc == JUP_ERR_INVALID && memcmp(before, after, sizeof before) != 0)
		abort(); /* a rejected file left rows behind */
	unlink(path);
	return 0;
}
