/*
 * fuzz_link_truth.c - libFuzzer target for the ground-truth reader of
 * `joinedup link --truth`, and for naming a source record ("ORG:LOCAL_ID").
 *
 * The store holds two organisations and three linked records. The input is
 * written as truth.csv and scored: whatever it holds, scoring must end with
 * JUP_OK (rates between 0 and 1, no more pairs found correct than found) or
 * JUP_ERR_INVALID. The input's first line is also looked up as a record name
 * and must give a record, JUP_ERR_NOT_FOUND or JUP_ERR_USAGE.
 */
#include "link/jup_link_db.h"
#include "scratch_store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char truth_path[512];
static jup_store *st;

static const char organisations[] = "org_code,name,kind,participating,postcode\n"
				    "Y90001,Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
				    "E08000035,Council,council,Y,\n";
static const char patients[] =
	"practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"registered_on\n"
	"Y90001,G1,9990000018,Ada,Sample,1941-03-12,F,LS6 2AB,1 Larch Grove,1990-01-01\n"
	"Y90001,G2,9990000026,Bo,Example,1950-07-30,M,LS9 7QT,2 Beck Court,1990-01-01\n";
static const char clients[] =
	"local_id,nhs_number,given_name,family_name,dob,sex,postcode,practice_code,council_code,"
	"address\n"
	"C1,9990000018,Ada,Sample,1941-03-12,F,LS6 2AB,Y90001,E08000035,1 Larch Grove\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	st = scratch_open("truth");
	scratch_import_text("organisations.csv", organisations);
	scratch_import_text("gp_patients.csv", patients);
	scratch_import_text("social_care_clients.csv", clients);
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	jup_link_db_report rep;
	jup_err err;
	if (jup_link_db_run(st, &o, &rep, &err))
		abort();
	return 0;
}

static void check_name(const uint8_t *data, size_t size)
{
	char name[128];
	size_t n = 0;
	while (n < size && n < sizeof name - 1 && data[n] != '\n' && data[n] != '\0') {
		name[n] = (char)data[n];
		n++;
	}
	name[n] = '\0';
	jup_link_db_ref ref;
	jup_err err;
	jup_status rc = jup_link_db_find(st, name, &ref, &err);
	if (rc != JUP_OK && rc != JUP_ERR_NOT_FOUND && rc != JUP_ERR_USAGE)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	scratch_write("truth.csv", data, size, truth_path);
	jup_link_truth t;
	jup_err err;
	jup_status rc = jup_link_db_truth(st, truth_path, NULL, &t, &err);
	if (rc != JUP_OK && rc != JUP_ERR_INVALID)
		abort();
	if (rc == JUP_OK && (t.precision < 0 || t.precision > 1 || t.recall < 0 || t.recall > 1 ||
			     t.correct_pairs > t.found_pairs || t.correct_pairs > t.true_pairs))
		abort();
	check_name(data, size);
	return 0;
}
