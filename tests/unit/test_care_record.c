/*
 * test_care_record.c - the joined-up record: the full view shows the GP,
 * hospital and social care sections with each item's source (organisation,
 * record, file and line); a section the decision withholds leaves no trace
 * (no items, no identity, no sources, no care teams) and "withheld" says
 * why; the end-of-life view keeps identity, end-of-life plans and care
 * teams only; the de-identified view carries no names, NHS numbers, local
 * ids, addresses, postcodes or free text; a decision that is not a logged
 * permit for someone is refused; two persons (one merged into the other)
 * both contribute; records of an organisation that does not take part are
 * not shown.
 *
 * The fixture is a store with small hand-written extracts, linked. Invented
 * people; NHS numbers from the 999 test range. Decisions are built by hand
 * (the gate's own tests cover how they are made).
 */
#include "jup_test.h"

#include "care/jup_care.h"
#include "ingest/jup_ingest_import.h"
#include "link/jup_link_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GP      "Y90001" /* takes part */
#define GP_OUT  "Y90002" /* does not take part */
#define TRUST   "R9A"
#define COUNCIL "E08000035"
#define HOSPICE "H9A01"

#define NHS_A "9990000018" /* Ottoline Quarrendon, whose record is read */
#define NHS_B "9990000026" /* Percival Wendover, who must never appear */

/* clang-format off */
static const char organisations[] =
	"org_code,name,kind,participating,postcode\n"
	GP ",Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
	GP_OUT ",Beckside Medical Practice,gp_practice,N,LS9 7QT\n"
	TRUST ",Synthetic Teaching Hospitals,hospital_trust,Y,LS1 3EX\n"
	COUNCIL ",Synthetic City Council,council,Y,LS1 1UR\n"
	HOSPICE ",Wharfe Hospice,hospice,Y,LS16 6QB\n";

static const char gp_patients[] =
	"practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"registered_on\n"
	GP ",G001," NHS_A ",Ottoline,Quarrendon,1948-03-14,F,LS6 2AB,12 Larch Row,2001-05-01\n"
	GP ",G002," NHS_B ",Percival,Wendover,1960-07-07,M,LS7 4HJ,3 Oak Yard,1999-01-01\n"
	GP_OUT ",G201," NHS_A ",Ottoline,Quarrendon,1948-03-14,F,LS9 7QT,4 Beck Lane,1990-02-02\n";

static const char hospital_patients[] =
	"trust_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address\n"
	TRUST ",H001," NHS_A ",Ottie,Quarrendon,1948-03-14,F,LS6 2AB,\n"
	/* no NHS number, another name and postcode: a person of its own, merged below */
	TRUST ",H002,,Lina,Quarrendon-Moss,1948-04-13,F,LS12 5RT,\n";

static const char sc_clients[] =
	"council_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"practice_code\n"
	COUNCIL ",SC001," NHS_A ",Ottoline,Quarrendon,1948-03-14,F,LS6 2AB,Flat 2 Mill Court,"
	GP "\n";

static const char gp_conditions[] =
	"practice_code,local_id,code_system,code,description,onset_on\n"
	GP ",G001,snomed,38341003,Hypertension,2005-04-01\n"
	GP ",G001,snomed,44054006,Type 2 diabetes mellitus,2012-10-15\n"
	GP ",G002,snomed,38341003,Hypertension,2010-01-01\n";

static const char gp_medications[] =
	"practice_code,local_id,code_system,code,description,started_on,ended_on\n"
	GP ",G001,snomed,387458008,Aspirin,2012-10-15,\n";

static const char gp_eol[] =
	"practice_code,local_id,added_on,preferred_place_of_care,preferred_place_of_death,"
	"resuscitation\n"
	GP ",G001,2026-01-10,home,hospice,dnacpr\n";

static const char admissions[] =
	"trust_code,spell_id,local_id,method,admitted_on,discharged_on,discharge_destination,"
	"diagnoses\n"
	TRUST ",SP001,H001,emergency,2026-03-01,2026-03-09,home,I50.9;E11.9\n"
	TRUST ",SP002,H002,elective,2025-06-01,2025-06-02,home,K80.2\n";

static const char ae[] =
	"trust_code,attendance_id,local_id,arrived_at,disposal\n"
	TRUST ",AE001,H001,2026-02-28T22:15,admitted\n";

static const char assessments[] =
	"council_code,assessment_id,local_id,kind,started_on,completed_on,outcome\n"
	COUNCIL ",AS001,SC001,needs,2026-03-10,2026-03-20,services_provided\n";

static const char services[] =
	"council_code,service_id,local_id,kind,started_on,ended_on,end_reason\n"
	COUNCIL ",SV001,SC001,home_care,2026-03-21,,\n";

static const char sc_consents[] =
	"council_code,local_id,form_version,decision,recorded_on,recorded_by\n"
	COUNCIL ",SC001,SC-CONSENT-v3,permit,2026-03-15,sw.quill\n";

static const char care_team[] =
	"org_code,team,source_org,local_id,role,started_on,ended_on\n"
	COUNCIL ",North Locality Team," COUNCIL ",SC001,social_worker,2026-03-10,\n"
	HOSPICE ",Hospice at Home," GP ",G001,palliative_care,2026-01-15,\n"
	GP ",Larchfield District Nurses," TRUST ",H002,district_nurse,2025-06-03,2025-08-01\n";

static const char deaths[] =
	"nhs_number,dob,date_of_death,place_of_death\n"
	NHS_A ",1948-03-14,2026-04-02,hospice\n";
/* clang-format on */

static jup_store *st;
static int64_t person_a, person_h002; /* H002's person is merged into A's */
static int64_t rec_g001, rec_h001, rec_h002, rec_sc001;

/* ---- the fixture ---------------------------------------------------------------- */

static void import_fixture(void)
{
	const char *dir = jup_test_tmpdir();
	struct {
		const char *name, *text;
	} files[] = {
		{ "organisations.csv", organisations },
		{ "gp_patients.csv", gp_patients },
		{ "hospital_patients.csv", hospital_patients },
		{ "social_care_clients.csv", sc_clients },
		{ "gp_conditions.csv", gp_conditions },
		{ "gp_medications.csv", gp_medications },
		{ "gp_eol_register.csv", gp_eol },
		{ "hospital_admissions.csv", admissions },
		{ "ae_attendances.csv", ae },
		{ "social_care_assessments.csv", assessments },
		{ "social_care_services.csv", services },
		{ "social_care_consents.csv", sc_consents },
		{ "care_team.csv", care_team },
		{ "deaths.csv", deaths },
	};
	enum { NFILES = sizeof files / sizeof files[0] };
	static char names[NFILES][512]; /* the helper's own buffer is reused after 8 calls */
	const char *paths[NFILES];
	for (int i = 0; i < NFILES; i++) {
		const char *path = jup_test_write_file(dir, files[i].name, files[i].text);
		assert_true(strlen(path) < sizeof names[i]);
		memcpy(names[i], path, strlen(path) + 1);
		paths[i] = names[i];
	}
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23), .problems = stderr };
	jup_import_summary sum;
	jup_err err = { "" };
	if (jup_ingest_import(st, paths, NFILES, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	assert_int_equal(sum.files_imported, NFILES);
}

static int64_t record_id(const char *org_code, const char *local)
{
	jup_org_info org;
	int64_t id = 0;
	jup_err err = { "" };
	if (jup_store_org_find(st, jup_sv_from(org_code), &org, &err) ||
	    jup_store_source_find(st, org.id, jup_sv_from(local), &id, &err))
		fail_msg("find %s:%s: %s", org_code, local, err.msg);
	return id;
}

static jup_status person_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	*(int64_t *)ctx = v[JUP_PM_PERSON_ID].i;
	return JUP_OK;
}

static int64_t person_of(int64_t record)
{
	int64_t person = 0;
	jup_err err = { "" };
	jup_match m = { JUP_PM_SOURCE_ID, jup_v_int(record) };
	if (jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &m, 1, person_row, &person, &err))
		fail_msg("person: %s", err.msg);
	assert_true(person > 0);
	return person;
}

static int setup(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/care.db", jup_test_tmpdir());
	jup_err err = { "" };
	if (jup_store_open(path, JUP_STORE_CREATE, &st, &err))
		fail_msg("open: %s", err.msg);
	import_fixture();
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	jup_link_db_report rep;
	if (jup_link_db_run(st, &o, &rep, &err))
		fail_msg("link: %s", err.msg);
	rec_g001 = record_id(GP, "G001");
	rec_h001 = record_id(TRUST, "H001");
	rec_h002 = record_id(TRUST, "H002");
	rec_sc001 = record_id(COUNCIL, "SC001");
	person_a = person_of(rec_g001);
	assert_int_equal(person_of(rec_h001), person_a);
	assert_int_equal(person_of(rec_sc001), person_a);
	assert_int_equal(person_of(record_id(GP_OUT, "G201")), person_a);
	person_h002 = person_of(rec_h002);
	assert_true(person_h002 != person_a);
	/* as a review decision would: H002's person now points at A's */
	jup_match who = { JUP_COL_ID, jup_v_int(person_h002) };
	jup_match merged = { JUP_PERSON_MERGED_INTO, jup_v_int(person_a) };
	if (jup_store_update(st, JUP_TABLE_PERSON, &who, 1, &merged, 1, NULL, &err))
		fail_msg("merge: %s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jup_store_close(st);
	return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

/* A logged direct-care permit for A (and the merged person) in view. */
static jup_gate_decision permit(jup_gate_view view)
{
	jup_gate_decision d = { .permit = true,
				.basis = JUP_GATE_BASIS_REGISTERED,
				.view = view,
				.gp_data = true,
				.hospital_data = true,
				.social_care_data = true,
				.purpose = JUP_CONSENT_DIRECT_CARE,
				.npersons = 2,
				.persons = { person_a, person_h002 },
				.audit_id = 42 };
	return d;
}

static json_t *record(const jup_gate_decision *d)
{
	json_t *j = NULL;
	jup_err err = { "" };
	if (jup_care_record(st, d, &j, &err))
		fail_msg("care record: %s", err.msg);
	assert_non_null(j);
	return j;
}

/* The record as text, to search for what must not be there. */
static char *dump(const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	assert_non_null(s);
	return s;
}

static void absent(const char *text, const char *const *needles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(text, needles[i]))
			fail_msg("\"%s\" should not be in the record", needles[i]);
}

static void present(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" should be in the record", needle);
}

static json_t *at(json_t *obj, const char *section, const char *list)
{
	json_t *s = json_object_get(obj, section);
	json_t *l = list ? json_object_get(s, list) : s;
	if (!l)
		fail_msg("no %s.%s", section, list ? list : "");
	return l;
}

static const char *str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	if (!s)
		fail_msg("no text at %s", key);
	return s;
}

static void assert_source(json_t *item, const char *org, int64_t rec, const char *file,
			  int64_t line)
{
	json_t *src = json_object_get(item, "source");
	assert_non_null(src);
	assert_string_equal(str(src, "organisation"), org);
	assert_int_equal(json_integer_value(json_object_get(src, "record")), rec);
	assert_string_equal(str(src, "file"), file);
	assert_int_equal(json_integer_value(json_object_get(src, "line")), line);
}

/* The source entry for record id, or NULL. */
static json_t *source_entry(json_t *j, int64_t id)
{
	json_t *arr = json_object_get(j, "sources");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		if (json_integer_value(json_object_get(e, "record")) == id)
			return e;
	}
	return NULL;
}

/* The withheld entry for section, or NULL. */
static json_t *withheld(json_t *j, const char *section)
{
	json_t *arr = json_object_get(j, "withheld");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		if (strcmp(str(e, "section"), section) == 0)
			return e;
	}
	return NULL;
}

/* What a record of another person, or of a practice not taking part, holds. */
static const char *const never[] = { "Percival", "Wendover",    NHS_B,     "G002", "3 Oak Yard",
				     "G201",     "4 Beck Lane", "LS9 7QT", GP_OUT, "Beckside" };

/* ---- the full view -------------------------------------------------------------- */

static void test_full_decision(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	json_t *j = record(&d);
	assert_string_equal(str(j, "view"), "full");
	assert_string_equal(str(j, "purpose"), "direct_care");
	assert_string_equal(str(j, "basis"), "registered");
	assert_int_equal(json_integer_value(json_object_get(j, "audit_entry")), 42);
	json_t *ids = json_object_get(j, "person_ids");
	assert_int_equal(json_array_size(ids), 2);
	assert_int_equal(json_integer_value(json_array_get(ids, 0)), person_a);
	json_decref(j);
}

static void test_full_person(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	json_t *j = record(&d);
	json_t *p = json_object_get(j, "person");
	assert_string_equal(str(p, "nhs_number"), NHS_A);
	assert_string_equal(str(p, "date_of_birth"), "1948-03-14");
	assert_string_equal(str(p, "sex"), "F");
	/* distinct name pairs, by record: G001, H001 (Ottie), H002 (merged) */
	json_t *names = json_object_get(p, "names");
	assert_int_equal(json_array_size(names), 3);
	assert_string_equal(str(json_array_get(names, 0), "given"), "Ottoline");
	assert_string_equal(str(json_array_get(names, 1), "given"), "Ottie");
	assert_string_equal(str(json_array_get(names, 2), "family"), "Quarrendon-Moss");
	assert_int_equal(json_array_size(json_object_get(p, "postcodes")), 2);
	assert_int_equal(json_array_size(json_object_get(p, "addresses")), 2);
	json_t *death = json_object_get(p, "death");
	assert_string_equal(str(death, "date"), "2026-04-02");
	assert_string_equal(str(death, "place"), "hospice");
	json_t *src = json_object_get(death, "source");
	assert_string_equal(str(src, "file"), "deaths.csv");
	assert_int_equal(json_integer_value(json_object_get(src, "line")), 2);
	char *text = dump(j);
	absent(text, never, sizeof never / sizeof never[0]);
	free(text);
	json_decref(j);
}

static void test_full_sources(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	json_t *j = record(&d);
	/* G001, H001, H002, SC001 - not G201 (its practice does not take part) */
	assert_int_equal(json_array_size(json_object_get(j, "sources")), 4);
	json_t *g = source_entry(j, rec_g001);
	assert_non_null(g);
	assert_string_equal(str(g, "organisation"), GP);
	assert_string_equal(str(g, "organisation_name"), "Larchfield Surgery");
	assert_string_equal(str(g, "organisation_kind"), "gp_practice");
	assert_true(json_is_true(json_object_get(g, "participating")));
	assert_string_equal(str(g, "local_id"), "G001");
	assert_string_equal(str(g, "linked_by"), "nhs_number");
	assert_string_equal(str(g, "file"), "gp_patients.csv");
	assert_int_equal(json_integer_value(json_object_get(g, "line")), 2);
	json_t *h2 = source_entry(j, rec_h002);
	assert_non_null(h2);
	assert_int_equal(json_integer_value(json_object_get(h2, "person_id")), person_h002);
	assert_string_equal(str(h2, "file"), "hospital_patients.csv");
	assert_int_equal(json_integer_value(json_object_get(h2, "line")), 3);
	assert_non_null(source_entry(j, rec_sc001));
	/* the practice not taking part is named in withheld, nothing else */
	json_t *w = withheld(j, "gp");
	assert_non_null(w);
	present(str(w, "reason"), "does not take part");
	assert_null(withheld(j, "hospital"));
	assert_null(withheld(j, "social_care"));
	json_decref(j);
}

static void test_full_sections(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	json_t *j = record(&d);
	json_t *cond = at(j, "gp", "conditions");
	assert_int_equal(json_array_size(cond), 2);
	assert_string_equal(str(json_array_get(cond, 0), "code"), "38341003");
	assert_string_equal(str(json_array_get(cond, 1), "description"),
			    "Type 2 diabetes mellitus");
	assert_source(json_array_get(cond, 1), GP, rec_g001, "gp_conditions.csv", 3);
	assert_int_equal(json_array_size(at(j, "gp", "medications")), 1);
	json_t *reg = at(j, "gp", "registrations");
	assert_int_equal(json_array_size(reg), 1);
	assert_string_equal(str(json_array_get(reg, 0), "practice"), GP);
	json_t *eol = at(j, "gp", "end_of_life_plans");
	assert_int_equal(json_array_size(eol), 1);
	assert_string_equal(str(json_array_get(eol, 0), "resuscitation"), "dnacpr");
	assert_source(json_array_get(eol, 0), GP, rec_g001, "gp_eol_register.csv", 2);

	json_t *adm = at(j, "hospital", "admissions");
	assert_int_equal(json_array_size(adm), 2); /* H001's and the merged H002's */
	json_t *a0 = json_array_get(adm, 0);
	assert_string_equal(str(a0, "spell_id"), "SP001");
	json_t *dx = json_object_get(a0, "diagnoses");
	assert_int_equal(json_array_size(dx), 2);
	assert_string_equal(str(json_array_get(dx, 0), "code"), "I50.9");
	assert_source(a0, TRUST, rec_h001, "hospital_admissions.csv", 2);
	assert_source(json_array_get(adm, 1), TRUST, rec_h002, "hospital_admissions.csv", 3);
	json_t *aes = at(j, "hospital", "ae_attendances");
	assert_int_equal(json_array_size(aes), 1);
	assert_source(json_array_get(aes, 0), TRUST, rec_h001, "ae_attendances.csv", 2);

	assert_int_equal(json_array_size(at(j, "social_care", "assessments")), 1);
	assert_int_equal(json_array_size(at(j, "social_care", "services")), 1);
	json_t *forms = at(j, "social_care", "consent_forms");
	assert_int_equal(json_array_size(forms), 1);
	assert_source(json_array_get(forms, 0), COUNCIL, rec_sc001, "social_care_consents.csv", 2);

	/* by record: G001's hospice team, H002's district nurses, SC001's team */
	json_t *teams = json_object_get(j, "care_teams");
	assert_int_equal(json_array_size(teams), 3);
	json_t *t0 = json_array_get(teams, 0);
	assert_string_equal(str(t0, "organisation"), HOSPICE);
	assert_string_equal(str(t0, "organisation_kind"), "hospice");
	assert_string_equal(str(t0, "team"), "Hospice at Home");
	assert_source(t0, GP, rec_g001, "care_team.csv", 3);
	assert_string_equal(str(json_array_get(teams, 2), "role"), "social_worker");

	/* every item and team carries its row's store id (FHIR builds ids from it):
	 * distinct within a list, rising in the order rows were stored */
	json_int_t c0 = json_integer_value(json_object_get(json_array_get(cond, 0), "id"));
	json_int_t c1 = json_integer_value(json_object_get(json_array_get(cond, 1), "id"));
	assert_true(c0 > 0 && c1 > c0);
	assert_true(json_is_integer(json_object_get(a0, "id")));
	assert_true(json_is_integer(json_object_get(t0, "id")));
	json_decref(j);
}

/* ---- withheld sections ---------------------------------------------------------- */

static void test_gp_withheld(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	d.gp_data = false;
	static const char why[] = "You have asked your GP practice not to share your GP record.";
	d.consent.nreasons = 1;
	d.consent.reasons[0].rule = JUP_CONSENT_RULE_GP_TYPE1;
	memcpy(d.consent.reasons[0].text, why, sizeof why);
	json_t *j = record(&d);
	assert_null(json_object_get(j, "gp"));
	assert_non_null(at(j, "hospital", "admissions"));
	assert_non_null(at(j, "social_care", "assessments"));
	assert_string_equal(str(withheld(j, "gp"), "reason"), why);
	assert_null(source_entry(j, rec_g001));
	/* identity from the other records still */
	json_t *p = json_object_get(j, "person");
	assert_string_equal(str(p, "nhs_number"), NHS_A);
	/* no GP item, source, address or team: the hospice team is held against
	 * the GP record, the district nurses are a GP practice's team */
	char *text = dump(j);
	static const char *const gp_only[] = { GP,
					       "G001",
					       "Larchfield",
					       "12 Larch Row",
					       "Hypertension",
					       "38341003",
					       "Aspirin",
					       "gp_conditions.csv",
					       "gp_eol_register.csv",
					       "Hospice at Home",
					       "gp_patients.csv" };
	absent(text, gp_only, sizeof gp_only / sizeof gp_only[0]);
	absent(text, never, sizeof never / sizeof never[0]);
	free(text);
	assert_int_equal(json_array_size(json_object_get(j, "care_teams")), 1);
	json_decref(j);
}

static void test_social_care_withheld(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	d.social_care_data = false;
	static const char why[] = "The council has no consent form from you saying yes.";
	d.consent.nreasons = 1;
	d.consent.reasons[0].rule = JUP_CONSENT_RULE_SC_CONSENT;
	memcpy(d.consent.reasons[0].text, why, sizeof why);
	json_t *j = record(&d);
	assert_null(json_object_get(j, "social_care"));
	assert_non_null(at(j, "gp", "conditions"));
	assert_string_equal(str(withheld(j, "social_care"), "reason"), why);
	assert_null(source_entry(j, rec_sc001));
	char *text = dump(j);
	static const char *const sc_only[] = {
		COUNCIL, "SC001",    "Flat 2 Mill Court",   "AS001",
		"SV001", "sw.quill", "North Locality Team", "social_care_"
	};
	absent(text, sc_only, sizeof sc_only / sizeof sc_only[0]);
	free(text);
	assert_int_equal(json_array_size(json_object_get(j, "care_teams")), 2);
	json_decref(j);
}

static void test_hospital_withheld(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	d.hospital_data = false; /* no consent reason: the generic one */
	json_t *j = record(&d);
	assert_null(json_object_get(j, "hospital"));
	present(str(withheld(j, "hospital"), "reason"), "not part of what this access may show");
	char *text = dump(j);
	/* the hospice team is a hospital-section team; H002 brought Lina */
	static const char *const hosp_only[] = { TRUST,   "H001", "H002",     "SP001",
						 "Ottie", "Lina", "LS12 5RT", "Hospice at Home" };
	absent(text, hosp_only, sizeof hosp_only / sizeof hosp_only[0]);
	free(text);
	json_decref(j);
}

static void test_nothing_held_nothing_withheld(void **state)
{
	(void)state;
	/* only the merged person: a hospital record, no GP or council record */
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	d.npersons = 1;
	d.persons[0] = person_h002;
	d.gp_data = false;
	d.social_care_data = false;
	json_t *j = record(&d);
	assert_int_equal(json_array_size(json_object_get(j, "withheld")), 0);
	assert_int_equal(json_array_size(at(j, "hospital", "admissions")), 1);
	assert_true(json_is_null(json_object_get(json_object_get(j, "person"), "nhs_number")));
	json_decref(j);
}

/* ---- the end-of-life view ------------------------------------------------------- */

static void test_eol_view(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_EOL);
	d.basis = JUP_GATE_BASIS_EOL_REGISTER;
	json_t *j = record(&d);
	assert_string_equal(str(j, "view"), "end_of_life");
	json_t *p = json_object_get(j, "person");
	assert_string_equal(str(p, "nhs_number"), NHS_A);
	assert_non_null(json_object_get(p, "names"));
	assert_int_equal(json_array_size(at(j, "gp", "end_of_life_plans")), 1);
	assert_int_equal(json_object_size(at(j, "gp", NULL)), 1);
	assert_int_equal(json_object_size(at(j, "hospital", NULL)), 1);
	assert_int_equal(json_object_size(at(j, "social_care", NULL)), 1);
	assert_int_equal(json_array_size(json_object_get(j, "care_teams")), 3);
	char *text = dump(j);
	static const char *const clinical[] = { "conditions",     "medications",   "admissions",
						"ae_attendances", "assessments",   "services",
						"registrations",  "consent_forms", "Hypertension",
						"SP001",          "AE001",         "AS001",
						"SV001" };
	absent(text, clinical, sizeof clinical / sizeof clinical[0]);
	free(text);
	json_decref(j);
}

/* ---- the de-identified view ----------------------------------------------------- */

static void test_deidentified_view(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_DEIDENTIFIED);
	d.basis = JUP_GATE_BASIS_ANONYMOUS;
	d.purpose = JUP_CONSENT_PLANNING;
	json_t *j = record(&d);
	assert_string_equal(str(j, "purpose"), "planning");
	json_t *p = json_object_get(j, "person");
	assert_int_equal(json_integer_value(json_object_get(p, "year_of_birth")), 1948);
	assert_null(json_object_get(p, "date_of_birth"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(p, "death"), "year")),
			 2026);
	/* coded items and dates stay */
	json_t *cond = at(j, "gp", "conditions");
	assert_int_equal(json_array_size(cond), 2);
	assert_string_equal(str(json_array_get(cond, 0), "onset_on"), "2005-04-01");
	assert_int_equal(json_array_size(json_object_get(j, "sources")), 4);
	char *text = dump(j);
	static const char *const ident[] = { "Ottoline",
					     "Ottie",
					     "Lina",
					     "Quarrendon",
					     NHS_A,
					     "G001",
					     "H001",
					     "H002",
					     "SC001",
					     "LS6 2AB",
					     "LS12 5RT",
					     "12 Larch Row",
					     "Flat 2 Mill Court",
					     "1948-03-14",
					     "2026-04-02",
					     "Hypertension",
					     "Aspirin",
					     "SP001",
					     "AE001",
					     "AS001",
					     "SV001",
					     "sw.quill",
					     "North Locality Team",
					     "\"local_id\":",
					     "\"nhs_number\":",
					     "\"names\":",
					     "\"postcodes\":",
					     "\"addresses\":",
					     "\"description\":",
					     "\"team\":" };
	absent(text, ident, sizeof ident / sizeof ident[0]);
	absent(text, never, sizeof never / sizeof never[0]);
	free(text);
	json_decref(j);
}

/* ---- refusals ------------------------------------------------------------------- */

static void refused(const jup_gate_decision *d, jup_status want)
{
	json_t *j = (json_t *)1;
	jup_err err = { "" };
	assert_int_equal(jup_care_record(st, d, &j, &err), want);
	assert_null(j);
	assert_true(err.msg[0] != '\0');
	assert_null(strstr(err.msg, NHS_A));
}

static void test_refusals(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	d.permit = false;
	refused(&d, JUP_ERR_DENIED);
	d = permit(JUP_GATE_VIEW_FULL);
	d.audit_id = 0; /* not logged */
	refused(&d, JUP_ERR_DENIED);
	d = permit(JUP_GATE_VIEW_FULL);
	d.npersons = 0;
	refused(&d, JUP_ERR_DENIED);
	d = permit(JUP_GATE_VIEW_NONE);
	refused(&d, JUP_ERR_DENIED);
	d = permit(JUP_GATE_VIEW_FULL);
	d.npersons = JUP_GATE_MAX_PERSONS + 1;
	refused(&d, JUP_ERR_USAGE);
	jup_err err;
	json_t *j;
	assert_int_equal(jup_care_record(st, NULL, &j, &err), JUP_ERR_USAGE);
}

/* ---- persons -------------------------------------------------------------------- */

static void test_two_persons(void **state)
{
	(void)state;
	jup_gate_decision d = permit(JUP_GATE_VIEW_FULL);
	d.npersons = 1; /* A alone: not the merged person's record */
	json_t *j = record(&d);
	assert_int_equal(json_array_size(at(j, "hospital", "admissions")), 1);
	assert_null(source_entry(j, rec_h002));
	char *text = dump(j);
	static const char *const merged_only[] = { "H002", "SP002", "Lina", "LS12 5RT",
						   "Larchfield District Nurses" };
	absent(text, merged_only, sizeof merged_only / sizeof merged_only[0]);
	free(text);
	json_decref(j);
	/* both, once each even when named twice, in the same order */
	d = permit(JUP_GATE_VIEW_FULL);
	d.npersons = 3;
	d.persons[0] = person_h002;
	d.persons[1] = person_a;
	d.persons[2] = person_h002;
	j = record(&d);
	assert_int_equal(json_array_size(json_object_get(j, "sources")), 4);
	json_t *adm = at(j, "hospital", "admissions");
	assert_int_equal(json_array_size(adm), 2);
	assert_string_equal(str(json_array_get(adm, 1), "spell_id"), "SP002");
	/* the same record as for [A, merged], but for the list the decision gave */
	assert_int_equal(json_object_del(j, "person_ids"), 0);
	char *again = dump(j);
	json_decref(j);
	d = permit(JUP_GATE_VIEW_FULL);
	j = record(&d);
	assert_int_equal(json_object_del(j, "person_ids"), 0);
	text = dump(j);
	assert_string_equal(again, text);
	free(again);
	free(text);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_decision),
		cmocka_unit_test(test_full_person),
		cmocka_unit_test(test_full_sources),
		cmocka_unit_test(test_full_sections),
		cmocka_unit_test(test_gp_withheld),
		cmocka_unit_test(test_social_care_withheld),
		cmocka_unit_test(test_hospital_withheld),
		cmocka_unit_test(test_nothing_held_nothing_withheld),
		cmocka_unit_test(test_eol_view),
		cmocka_unit_test(test_deidentified_view),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_two_persons),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
