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
#include "scratch_store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	st = scratch_open("import");
	scratch_import_text("organisations.csv", organisations);
	scratch_import_text("gp_patients_seed.csv", patients);
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
	scratch_write(name, nl + 1, size - n - 1, path);
	int64_t before[JUP_TABLE__COUNT], after[JUP_TABLE__COUNT];
	counts(before);
	jup_status rc = scratch_import(path);
	if (rc != JUP_OK && rc != JUP_ERR_INVALID)
		abort();
	counts(after);
	if (rc == JUP_ERR_INVALID && memcmp(before, after, sizeof before) != 0)
		abort(); /* a rejected file left rows behind */
	unlink(path);
	return 0;
}
