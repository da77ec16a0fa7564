/*
 * fuzz_person_find.c - libFuzzer target for the queries of finding people:
 * Patient search (jup_person_search) and $match (jup_link_db_match), whose
 * fields come from clients of the FHIR server.
 *
 * A scratch store holds a few records of invented people, linked once (so a
 * model exists). The input is split on tabs into NHS number, family name,
 * given name, date of birth, sex, postcode and address, then a last field
 * whose first byte is how many results the caller has room for (0-15). Both
 * calls must give one of their documented statuses, with a message on
 * failure; a search's people ascending and distinct, no more than room for;
 * $match's people distinct, strongest first, at or above the floor, never
 * graded certainly-not.
 */
#include "link/jup_link_db.h"
#include "person/jup_person.h"
#include "scratch_store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS 8
#define ROOM   16

static void check(bool ok)
{
	if (!ok)
		abort();
}

static const char orgs[] =
	"org_code,name,kind,participating,postcode\n"
	"Y90001,Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
	"R9A,Synthetic City Teaching Hospitals NHS Trust,hospital_trust,Y,LS1 3EX\n";
static const char gp[] =
	"practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"registered_on\n"
	"Y90001,G1,9990000018,Ada,Testperson,1941-03-12,F,LS6 2AB,1 Larch Grove,1990-01-01\n"
	"Y90001,G2,9990000085,Bram,O'Testperson,1950-07-30,M,LS6 2AB,2 Larch Court,2001-05-17\n"
	"Y90001,G3,9990001006,Zoë Mary,Brien-Fenwrathe,1972-05-09,F,LS6 2AD,3 Larch Grove,"
	"2003-01-01\n";
static const char hosp[] =
	"trust_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address\n"
	"R9A,M1,,Ada,Testperson,1941-03-12,F,LS6 2AB,1 Larch Grove\n"
	"R9A,M2,,Bram,Testperson,1950-07-30,M,LS7 3QD,9 Beck Road\n"
	"R9A,M3,,Zoe,Fenwrathe,1972-09-05,F,LS6 2AD,3 Larch Grove\n"
	"R9A,M4,9990001014,Quillon,Fenwrathe,1958-04-21,M,LS1 0TR,4 Heather Square\n";

static jup_store *store(void)
{
	static jup_store *st;
	if (st)
		return st;
	st = scratch_open("find");
	scratch_import_text("organisations.csv", orgs);
	scratch_import_text("gp_patients.csv", gp);
	scratch_import_text("hospital_patients.csv", hosp);
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	jup_link_db_report rep;
	jup_err err;
	check(jup_link_db_run(st, &o, &rep, &err) == JUP_OK && rep.model_run_id > 0);
	return st;
}

static void split(const uint8_t *data, size_t size, jup_sv f[FIELDS])
{
	size_t k = 0, start = 0;
	for (int i = 0; i < FIELDS; i++)
		f[i] = (jup_sv){ "", 0 };
	for (size_t i = 0; i <= size && k < FIELDS; i++)
		if (i == size || data[i] == '\t') {
			f[k++] = (jup_sv){ (const char *)data + start, i - start };
			start = i + 1;
		}
}

static bool failure_ok(jup_status rc, const jup_err *err)
{
	return (rc == JUP_ERR_USAGE || rc == JUP_ERR_INVALID || rc == JUP_ERR_LIMIT) && err->msg[0];
}

static void run_search(jup_store *st, const jup_sv *f, size_t room)
{
	jup_person_query q = { f[0], f[1], f[2], f[3] };
	int64_t ids[ROOM];
	size_t n = 99;
	jup_err err = { "" };
	jup_status rc = jup_person_search(st, &q, ids, room, &n, &err);
	check(rc == JUP_OK || failure_ok(rc, &err));
	check(n <= room && (rc == JUP_OK || n == 0));
	for (size_t i = 1; i < n; i++)
		check(ids[i - 1] < ids[i]);
}

static void run_match(jup_store *st, const jup_sv *f, size_t room)
{
	jup_link_match_query q = { .nhs_number = f[0],
				   .family = f[1],
				   .given = f[2],
				   .birth_date = f[3],
				   .sex = f[4],
				   .postcode = f[5],
				   .address = f[6] };
	jup_link_match out[ROOM];
	size_t n = 99;
	jup_err err = { "" };
	jup_status rc = jup_link_db_match(st, &q, room, out, &n, &err);
	check(rc == JUP_OK || failure_ok(rc, &err));
	check(n <= room && (rc == JUP_OK || n == 0));
	for (size_t i = 0; i < n; i++) {
		check(out[i].probability >= JUP_LINK_MATCH_FLOOR);
		check(out[i].grade < JUP_LINK_GRADE_CERTAINLY_NOT);
		check(i == 0 || out[i - 1].weight >= out[i].weight);
		for (size_t j = 0; j < i; j++)
			check(out[j].person_id != out[i].person_id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_store *st = store();
	jup_sv f[FIELDS];
	split(data, size, f);
	size_t room = f[7].len ? (size_t)(unsigned char)f[7].ptr[0] % ROOM : 4;
	run_search(st, f, room);
	run_match(st, f, room);
	return 0;
}
