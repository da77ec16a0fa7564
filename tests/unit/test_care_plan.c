/*
 * test_care_plan.c - care plans, notes and end-of-life plans: every field
 * of a write validated (table-driven), a version chain that never
 * overwrites (rows refuse UPDATE and DELETE), If-Match conflicts, another
 * person's plan refused, denied and forged decisions refused, the kind rule
 * for the end-of-life line, the end-of-life and de-identified views, the
 * audit entries of a write, the demo's seed of the end-of-life cohort (and
 * that running it again adds nothing), and the joined-up record's
 * "care_plans".
 *
 * The fixture: small hand-written extracts (two practices, a hospice, the
 * council), linked, with users; every test works on a copy. Invented
 * people, NHS numbers from the 999 test range. Decisions come from the real
 * gate.
 */
#include "jup_test.h"

#include "audit/jup_audit.h"
#include "care/jup_care.h"
#include "care/jup_care_plan.h"
#include "gate/jup_gate.h"
#include "ingest/jup_ingest_import.h"
#include "ingest/jup_ingest_valid.h"
#include "link/jup_link_db.h"
#include "synth/jup_synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GP_A    "Y90001"
#define GP_B    "Y90002"
#define HOSPICE "H9A01"
#define COUNCIL "E08000035"

#define NHS_A "9990002002" /* registered at GP_A, on its end-of-life register */
#define NHS_B "9990002010" /* registered at GP_A, not on a register */
#define NHS_C "9990002029" /* registered at GP_B, on its register, died */
#define NHS_D "9990002037" /* on both practices' registers (GP_A's entry the later) */

/* clang-format off */
static const char organisations[] =
	"org_code,name,kind,participating,postcode\n"
	GP_A ",Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
	GP_B ",Moorview Practice,gp_practice,Y,LS8 1AA\n"
	HOSPICE ",Synthetic Hospice,hospice,Y,LS16 6QB\n"
	COUNCIL ",Synthetic City Council,council,Y,LS1 1UR\n";

#define GPROW(practice, local, nhs, given) \
	practice "," local "," nhs "," given ",Plantest,1940-02-02,F,LS6 2AB,,2000-01-01\n"
static const char gp_patients[] =
	"practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"registered_on\n"
	GPROW(GP_A, "G1", NHS_A, "Ada")
	GPROW(GP_A, "G2", NHS_B, "Bea")
	GPROW(GP_B, "G3", NHS_C, "Cat")
	GPROW(GP_B, "G5", NHS_D, "Dot")
	GPROW(GP_A, "G4", NHS_D, "Dot");

static const char eol_register[] =
	"practice_code,local_id,added_on,preferred_place_of_care,preferred_place_of_death,"
	"resuscitation\n"
	GP_A ",G1,2026-09-01,home,hospice,dnacpr\n"
	GP_B ",G3,2026-03-01,,hospital,attempt_cpr\n"
	GP_B ",G5,2025-01-01,home,home,not_discussed\n"
	GP_A ",G4,2026-06-01,care_home,care_home,dnacpr\n";

static const char deaths[] =
	"nhs_number,dob,date_of_death,place_of_death\n"
	NHS_C ",1940-02-02,2026-10-10,hospital\n";
/* clang-format on */

enum { U_GP, U_GP_B, U_EOL, U_ANALYST, U_CITIZEN, U__N };
static const struct {
	const char *name;
	jup_role role;
	const char *org, *nhs;
} user_spec[U__N] = {
	[U_GP] = { "gp.larch", JUP_ROLE_GP, GP_A, NULL },
	[U_GP_B] = { "gp.moor", JUP_ROLE_GP, GP_B, NULL },
	[U_EOL] = { "eol.line", JUP_ROLE_EOL_OPERATOR, HOSPICE, NULL },
	[U_ANALYST] = { "analyst", JUP_ROLE_ANALYST, COUNCIL, NULL },
	[U_CITIZEN] = { "citizen.ada", JUP_ROLE_CITIZEN, NULL, NHS_A },
};

static jup_store *st;
static char base_path[512];
static jup_user users[U__N];

#define W  JUP_GATE_WRITE_CARE_PLAN
#define R  JUP_GATE_READ_RECORD
#define DC JUP_CONSENT_DIRECT_CARE

/* ---- the fixture ----------------------------------------------------------------- */

static void import_fixture(void)
{
	static const struct {
		const char *name, *text;
	} files[] = {
		{ "organisations.csv", organisations },
		{ "gp_patients.csv", gp_patients },
		{ "gp_eol_register.csv", eol_register },
		{ "deaths.csv", deaths },
	};
	enum { NF = sizeof files / sizeof files[0] };
	static char kept[NF][600];
	const char *paths[NF];
	for (size_t i = 0; i < NF; i++) {
		snprintf(kept[i], sizeof kept[i], "%s",
			 jup_test_write_file(jup_test_tmpdir(), files[i].name, files[i].text));
		paths[i] = kept[i];
	}
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23), .problems = stderr };
	jup_import_summary sum;
	jup_err err = { "" };
	if (jup_ingest_import(st, paths, NF, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	assert_int_equal(sum.files_rejected, 0);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(base_path, sizeof base_path, "%s/plans.db", jup_test_tmpdir());
	st = jup_test_open_store(base_path);
	import_fixture();
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	jup_link_db_report rep;
	jup_err err = { "" };
	if (jup_link_db_run(st, &o, &rep, &err))
		fail_msg("link: %s", err.msg);
	for (int i = 0; i < U__N; i++) {
		jup_user_new u = { user_spec[i].name, user_spec[i].role, user_spec[i].org,
				   user_spec[i].nhs, "correct horse battery" };
		if (jup_user_add(st, &u, NULL, &err))
			fail_msg("user %s: %s", user_spec[i].name, err.msg);
	}
	jup_store_close(st);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	static int n;
	char name[32];
	snprintf(name, sizeof name, "plans-%d.db", n++);
	st = jup_test_open_copy(base_path, name);
	for (int i = 0; i < U__N; i++) {
		jup_err err = { "" };
		if (jup_user_find(st, user_spec[i].name, &users[i], &err))
			fail_msg("find %s: %s", user_spec[i].name, err.msg);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jup_store_close(st);
	return 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static int64_t count(jup_table t)
{
	int64_t n = -1;
	jup_err err;
	assert_int_equal(jup_store_count(st, t, &n, &err), JUP_OK);
	return n;
}

static jup_gate_decision decide_bg(int user, jup_gate_action action, jup_consent_purpose p,
				   const char *nhs, const char *break_glass)
{
	jup_gate_request rq = { .actor = &users[user],
				.purpose = p,
				.action = action,
				.nhs_number = nhs,
				.break_glass = break_glass,
				.request_id = "test" };
	jup_gate_decision d;
	jup_err err = { "" };
	if (jup_gate_decide(st, &rq, &d, &err))
		fail_msg("decide: %s", err.msg);
	return d;
}

static jup_gate_decision decide(int user, jup_gate_action action, jup_consent_purpose p,
				const char *nhs)
{
	return decide_bg(user, action, p, nhs, NULL);
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, &e);
	if (!j)
		fail_msg("test JSON, line %d: %s", e.line, e.text);
	return j;
}

static const char care_plan_doc[] =
	"{\"kind\": \"care_plan\", \"status\": \"active\", \"title\": \"Heart failure plan\","
	" \"description\": \"Daily weights; call the heart failure nurse if up 2kg in 3 days.\","
	" \"period_start\": \"2026-11-01\", \"period_end\": null}";

static const char eol_doc[] =
	"{\"kind\": \"end_of_life\", \"status\": \"active\", \"title\": \"End-of-life care plan\","
	" \"description\": null, \"period_start\": \"2026-11-01\","
	" \"end_of_life\": {\"preferred_place_of_care\": \"home\","
	"  \"preferred_place_of_death\": \"Home, with her daughter there\","
	"  \"resuscitation\": \"dnacpr\","
	"  \"key_contacts\": [{\"name\": \"Imogen Plantest\", \"relationship\": \"daughter\","
	"   \"phone\": \"07700 900123\"}],"
	"  \"medicines_in_home\": [{\"description\": \"Midazolam 10mg/2ml solution for injection"
	" ampoules\", \"code\": \"373476007\"}, {\"description\": \"Water for injections\","
	" \"code\": null}]}}";

static const char note_doc[] =
	"{\"kind\": \"note\", \"status\": \"active\", \"title\": \"Call from her daughter\","
	" \"description\": \"Pain controlled overnight.\", \"period_start\": \"2026-11-20\"}";

/* Write doc (text) under d by user; the status, and *out (may be NULL). */
static jup_status write_doc(const jup_gate_decision *d, int user, const char *plan_id,
			    int64_t if_version, const char *doc, json_t **out, jup_err *err)
{
	json_t *in = parse(doc), *o = NULL;
	jup_status s = jup_care_plan_write(st, d, &users[user], plan_id, if_version, in, &o, err);
	json_decref(in);
	if (out)
		*out = o;
	else
		json_decref(o);
	if (s)
		assert_null(o);
	return s;
}

/* Write doc as a GP with a fresh permit for nhs; the stored version. */
static json_t *gp_writes(const char *nhs, const char *plan_id, int64_t if_version, const char *doc)
{
	jup_gate_decision d = decide(U_GP, W, DC, nhs);
	assert_true(d.permit);
	json_t *out;
	jup_err err = { "" };
	if (write_doc(&d, U_GP, plan_id, if_version, doc, &out, &err))
		fail_msg("write: %s", err.msg);
	return out;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		fail_msg("no string \"%s\"", key);
	return s;
}

/* A copy of id (the helper's "id" of a plan), for later calls. */
static const char *id_of(const json_t *plan)
{
	static char ids[8][24];
	static int next;
	char *id = ids[next++ % 8];
	snprintf(id, 24, "%s", str(plan, "id"));
	return id;
}

/* ---- validation, table-driven ---------------------------------------------------------- */

/* A string of n bytes of c (the helper keeps it). */
static const char *repeat(char c, size_t n)
{
	static char buf[8192];
	assert_true(n < sizeof buf);
	memset(buf, c, n);
	buf[n] = 0;
	return buf;
}

/* base with patch merged in (objects recursively; null removes an
 * optional field or makes a required one missing). */
static json_t *patched(const char *base, json_t *patch)
{
	json_t *doc = parse(base);
	assert_int_equal(json_object_update_recursive(doc, patch), 0);
	json_decref(patch);
	return doc;
}

static void expect_invalid(json_t *doc, const char *message)
{
	jup_err err = { "" };
	jup_status s = jup_care_plan_validate(doc, &err);
	if (s != JUP_ERR_INVALID || strncmp(err.msg, message, strlen(message)) != 0)
		fail_msg("want invalid \"%s...\", got %s \"%s\"", message, jup_strerror(s),
			 err.msg);
	json_decref(doc);
}

static void expect_valid(json_t *doc)
{
	jup_err err = { "" };
	if (jup_care_plan_validate(doc, &err))
		fail_msg("want valid, got \"%s\"", err.msg);
	json_decref(doc);
}

static void test_validate_fields(void **state)
{
	(void)state;
	static const struct {
		const char *base, *patch, *message; /* message NULL: valid */
	} cases[] = {
		{ care_plan_doc, "{}", NULL },
		{ eol_doc, "{}", NULL },
		{ note_doc, "{}", NULL },
		{ note_doc, "{\"description\": null, \"period_end\": \"2026-11-20\"}", NULL },
		{ care_plan_doc, "{\"foo\": 1}", "foo: not a field here" },
		{ care_plan_doc, "{\"Name Of Someone\": 1}", "plan: has an unknown field" },
		{ care_plan_doc, "{\"id\": \"1\"}", "id: set by the server" },
		{ care_plan_doc, "{\"version\": 1}", "version: set by the server" },
		{ care_plan_doc, "{\"author\": {}}", "author: set by the server" },
		{ care_plan_doc, "{\"recorded_at\": \"x\"}", "recorded_at: set by the server" },
		{ care_plan_doc, "{\"source\": {}}", "source: set by the server" },
		{ care_plan_doc, "{\"kind\": null}", "kind: missing" },
		{ care_plan_doc, "{\"kind\": \"plan\"}", "kind: " },
		{ care_plan_doc, "{\"kind\": 3}", "kind: not a string" },
		{ care_plan_doc, "{\"status\": null}", "status: missing" },
		{ care_plan_doc, "{\"status\": \"cancelled\"}", "status: " },
		{ care_plan_doc, "{\"title\": null}", "title: missing" },
		{ care_plan_doc, "{\"title\": \"\"}", "title: empty" },
		{ care_plan_doc, "{\"title\": 7}", "title: not a string" },
		{ care_plan_doc, "{\"title\": \"two\\nlines\"}",
		  "title: holds a control character" },
		{ care_plan_doc, "{\"title\": \"nul\\u0000inside\"}", "title: holds a control" },
		{ care_plan_doc, "{\"description\": \"tab\\there\"}",
		  "description: holds a control" },
		{ care_plan_doc, "{\"description\": []}", "description: not a string" },
		{ care_plan_doc, "{\"period_start\": null}", "period_start: missing" },
		{ care_plan_doc, "{\"period_start\": \"2026-02-30\"}", "period_start: not a date" },
		{ care_plan_doc, "{\"period_start\": \"2026-2-3\"}", "period_start: not a date" },
		{ care_plan_doc, "{\"period_start\": \"1869-12-31\"}",
		  "period_start: before 1870" },
		{ care_plan_doc, "{\"period_end\": \"2026-10-31\"}",
		  "period_end: before period_start" },
		{ care_plan_doc, "{\"period_end\": \"soon\"}", "period_end: not a date" },
		{ care_plan_doc, "{\"end_of_life\": {\"resuscitation\": \"dnacpr\"}}",
		  "end_of_life: only for kind end_of_life" },
		{ note_doc, "{\"kind\": \"end_of_life\"}", "end_of_life: missing" },
		{ eol_doc, "{\"end_of_life\": null}", "end_of_life: missing" },
		{ eol_doc, "{\"end_of_life\": {\"resuscitation\": null}}",
		  "end_of_life.resuscitation: missing" },
		{ eol_doc, "{\"end_of_life\": {\"resuscitation\": \"yes\"}}",
		  "end_of_life.resuscitation: " },
		{ eol_doc, "{\"end_of_life\": {\"wishes\": \"x\"}}",
		  "end_of_life.wishes: not a field here" },
		{ eol_doc, "{\"end_of_life\": {\"preferred_place_of_care\": \"\"}}",
		  "end_of_life.preferred_place_of_care: empty" },
		{ eol_doc, "{\"end_of_life\": {\"preferred_place_of_death\": 1}}",
		  "end_of_life.preferred_place_of_death: not a string" },
		{ eol_doc,
		  "{\"end_of_life\": {\"key_contacts\": null, \"medicines_in_home\": null}}",
		  NULL },
		{ eol_doc, "{\"end_of_life\": {\"key_contacts\": {}}}",
		  "end_of_life.key_contacts: not a list" },
		{ eol_doc, "{\"end_of_life\": {\"key_contacts\": [\"Imogen\"]}}",
		  "end_of_life.key_contacts[0]: not an object" },
		{ eol_doc,
		  "{\"end_of_life\": {\"key_contacts\": [{\"name\": \"A B\", \"relationship\": "
		  "\"son\"}]}}",
		  "end_of_life.key_contacts[0].phone: missing" },
		{ eol_doc,
		  "{\"end_of_life\": {\"key_contacts\": [{\"name\": \"A B\", \"relationship\": "
		  "\"son\","
		  " \"phone\": \"07700 900123\", \"email\": \"x\"}]}}",
		  "end_of_life.key_contacts[0].email: not a field here" },
		{ eol_doc,
		  "{\"end_of_life\": {\"key_contacts\": [{\"name\": \"A B\", \"relationship\": "
		  "\"son\","
		  " \"phone\": \"07700 900123\"}, {\"name\": \"C\\u0007D\", \"relationship\": "
		  "\"son\","
		  " \"phone\": \"07700 900124\"}]}}",
		  "end_of_life.key_contacts[1].name: holds a control character" },
		{ eol_doc,
		  "{\"end_of_life\": {\"key_contacts\": [{\"name\": \"A B\", \"relationship\": "
		  "\"son\","
		  " \"phone\": \"call the ward\"}]}}",
		  "end_of_life.key_contacts[0].phone: not a telephone number" },
		{ eol_doc,
		  "{\"end_of_life\": {\"key_contacts\": [{\"name\": \"A B\", \"relationship\": "
		  "\"son\","
		  " \"phone\": \"+44 (0)1632 960-123\"}]}}",
		  NULL },
		{ eol_doc,
		  "{\"end_of_life\": {\"medicines_in_home\": [{\"code\": \"373476007\"}]}}",
		  "end_of_life.medicines_in_home[0].description: missing" },
		{ eol_doc,
		  "{\"end_of_life\": {\"medicines_in_home\": [{\"description\": \"x\", \"code\": "
		  "\"373476008\"}]}}",
		  "end_of_life.medicines_in_home[0].code: not a SNOMED CT concept id" },
		{ eol_doc,
		  "{\"end_of_life\": {\"medicines_in_home\": [{\"description\": \"x\", \"code\": "
		  "373476007}]}}",
		  "end_of_life.medicines_in_home[0].code: not a SNOMED CT concept id" },
		{ eol_doc,
		  "{\"end_of_life\": {\"medicines_in_home\": [{\"description\": \"x\", \"dose\": "
		  "\"1\"}]}}",
		  "end_of_life.medicines_in_home[0].dose: not a field here" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *doc = patched(cases[i].base, parse(cases[i].patch));
		if (cases[i].message)
			expect_invalid(doc, cases[i].message);
		else
			expect_valid(doc);
	}
}

/* tmpl with its @ replaced by s, into out. */
static void fill(char *out, size_t cap, const char *tmpl, const char *s)
{
	const char *at = strchr(tmpl, '@');
	assert_non_null(at);
	int n = snprintf(out, cap, "%.*s%s%s", (int)(at - tmpl), tmpl, s, at + 1);
	assert_true(n > 0 && (size_t)n < cap);
}

/* Lengths and counts at and past their limits. */
static void test_validate_limits(void **state)
{
	(void)state;
	static const struct {
		const char *base, *tmpl; /* tmpl: the patch with @ for the long string */
		size_t ok, too_long;
		const char *message;
	} lengths[] = {
		{ care_plan_doc, "{\"title\": \"@\"}", JUP_MAX_TEXT_LEN, JUP_MAX_TEXT_LEN + 1,
		  "title: too long" },
		{ care_plan_doc, "{\"description\": \"@\"}", JUP_CARE_PLAN_MAX_DESCRIPTION,
		  JUP_CARE_PLAN_MAX_DESCRIPTION + 1, "description: too long" },
		{ eol_doc, "{\"end_of_life\": {\"preferred_place_of_care\": \"@\"}}",
		  JUP_MAX_TEXT_LEN, JUP_MAX_TEXT_LEN + 1,
		  "end_of_life.preferred_place_of_care: too long" },
		{ eol_doc,
		  "{\"end_of_life\": {\"key_contacts\": [{\"name\": \"@\", \"relationship\":"
		  " \"son\", \"phone\": \"123\"}]}}",
		  JUP_MAX_NAME_LEN, JUP_MAX_NAME_LEN + 1,
		  "end_of_life.key_contacts[0].name: too long" },
	};
	char patch[16384];
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		fill(patch, sizeof patch, lengths[i].tmpl, repeat('x', lengths[i].ok));
		expect_valid(patched(lengths[i].base, parse(patch)));
		fill(patch, sizeof patch, lengths[i].tmpl, repeat('x', lengths[i].too_long));
		expect_invalid(patched(lengths[i].base, parse(patch)), lengths[i].message);
	}
	/* the brief's example: the third contact's phone too long */
	json_t *doc = parse(eol_doc);
	json_t *contacts = json_object_get(json_object_get(doc, "end_of_life"), "key_contacts");
	for (int i = 0; i < 2; i++)
		json_array_append_new(contacts,
				      json_pack("{s:s, s:s, s:s}", "name", "N", "relationship",
						"son", "phone", "07700 900001"));
	json_t *third = json_array_get(contacts, 2);
	json_object_set_new(third, "phone", json_string(repeat('1', JUP_MAX_PHONE_LEN)));
	expect_valid(json_deep_copy(doc));
	json_object_set_new(third, "phone", json_string(repeat('1', JUP_MAX_PHONE_LEN + 1)));
	expect_invalid(doc, "end_of_life.key_contacts[2].phone: too long");
	/* counts */
	doc = parse(eol_doc);
	json_t *eol = json_object_get(doc, "end_of_life");
	json_t *many = json_array(), *meds = json_array();
	for (int i = 0; i < JUP_CARE_PLAN_MAX_CONTACTS; i++)
		json_array_append_new(many,
				      json_pack("{s:s, s:s, s:s}", "name", "N", "relationship",
						"friend", "phone", "01632 960001"));
	for (int i = 0; i < JUP_CARE_PLAN_MAX_MEDICINES; i++)
		json_array_append_new(meds, json_pack("{s:s, s:n}", "description", "x", "code"));
	json_object_set_new(eol, "key_contacts", many);
	json_object_set_new(eol, "medicines_in_home", meds);
	expect_valid(json_deep_copy(doc));
	json_array_append_new(meds, json_pack("{s:s, s:n}", "description", "x", "code"));
	expect_invalid(json_deep_copy(doc), "end_of_life.medicines_in_home: more than 20");
	json_array_remove(meds, 0);
	json_array_append_new(many, json_pack("{s:s, s:s, s:s}", "name", "N", "relationship",
					      "friend", "phone", "01632 960001"));
	expect_invalid(doc, "end_of_life.key_contacts: more than 10");
	/* not valid UTF-8 (jansson's own parser never makes such a string) */
	doc = parse(care_plan_doc);
	json_object_set_new(doc, "title", json_stringn_nocheck("caf\xe9", 4));
	expect_invalid(doc, "title: not valid utf-8");
	/* not an object at all */
	expect_invalid(parse("[]"), "plan: not a JSON object");
	jup_err err;
	assert_int_equal(jup_care_plan_validate(NULL, &err), JUP_ERR_USAGE);
}

/* ---- versions ------------------------------------------------------------------------ */

static jup_status refuse_change(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)ctx;
	(void)v;
	(void)err;
	(void)id;
	return JUP_OK;
}

static void test_version_chain(void **state)
{
	(void)state;
	int64_t max = -1;
	jup_err err = { "" };
	assert_int_equal(jup_store_max_int(st, JUP_TABLE_CARE_PLAN, JUP_CP_PLAN_ID, &max, &err),
			 JUP_OK);
	assert_int_equal(max, 0); /* no plans yet */
	assert_int_equal(jup_store_max_int(st, JUP_TABLE_CARE_PLAN, JUP_CP__N, &max, &err),
			 JUP_ERR_USAGE);
	json_t *v1 = gp_writes(NHS_A, NULL, 0, care_plan_doc);
	assert_int_equal(json_integer_value(json_object_get(v1, "version")), 1);
	assert_string_equal(str(v1, "kind"), "care_plan");
	assert_string_equal(str(v1, "title"), "Heart failure plan");
	json_t *author = json_object_get(v1, "author");
	assert_string_equal(str(author, "username"), "gp.larch");
	assert_string_equal(str(author, "role"), "gp");
	assert_string_equal(str(author, "organisation"), GP_A);
	assert_string_equal(str(json_object_get(v1, "source"), "organisation"), GP_A);
	assert_true(json_is_null(json_object_get(v1, "end_of_life")));
	assert_true(json_is_null(json_object_get(v1, "period_end")));
	assert_int_equal(strlen(str(v1, "recorded_at")), 20);
	const char *id = id_of(v1);
	/* the next version, matched against version 1 */
	json_t *v2 =
		gp_writes(NHS_A, id, 1,
			  "{\"kind\": \"care_plan\", \"status\": \"completed\", \"title\": "
			  "\"Heart failure plan (reviewed)\", \"period_start\": \"2026-11-01\","
			  " \"period_end\": \"2026-11-22\"}");
	assert_string_equal(str(v2, "id"), id);
	assert_int_equal(json_integer_value(json_object_get(v2, "version")), 2);
	assert_true(json_is_null(json_object_get(v2, "description")));
	/* a third without If-Match */
	json_t *v3 = gp_writes(NHS_A, id, 0, care_plan_doc);
	assert_int_equal(json_integer_value(json_object_get(v3, "version")), 3);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), 3);
	/* every version is still there, as written */
	jup_gate_decision rd = decide(U_GP, R, DC, NHS_A);
	json_t *got = NULL, *hist = NULL;
	assert_int_equal(jup_care_plan_read(st, &rd, id, 1, &got, &err), JUP_OK);
	assert_true(json_equal(got, v1));
	json_decref(got);
	assert_int_equal(jup_care_plan_read(st, &rd, id, 0, &got, &err), JUP_OK);
	assert_true(json_equal(got, v3));
	json_decref(got);
	assert_int_equal(jup_care_plan_read(st, &rd, id, 4, &got, &err), JUP_ERR_NOT_FOUND);
	assert_null(got);
	assert_int_equal(jup_care_plan_history(st, &rd, id, &hist, &err), JUP_OK);
	assert_int_equal(json_array_size(hist), 3);
	assert_true(json_equal(json_array_get(hist, 0), v3)); /* newest first */
	assert_true(json_equal(json_array_get(hist, 1), v2));
	assert_true(json_equal(json_array_get(hist, 2), v1));
	json_decref(hist);
	/* a second plan takes the next id */
	json_t *other = gp_writes(NHS_A, NULL, 0, note_doc);
	assert_int_equal(atoll(str(other, "id")), atoll(id) + 1);
	/* rows are never changed or removed, whoever asks */
	jup_match one = { JUP_CP_PLAN_ID, jup_v_int(atoll(id)) };
	jup_match set = { JUP_CP_TITLE, jup_v_cstr("overwritten") };
	assert_int_equal(jup_store_update(st, JUP_TABLE_CARE_PLAN, &one, 1, &set, 1, NULL, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_store_delete(st, JUP_TABLE_CARE_PLAN, &one, 1, &err), JUP_ERR_INVALID);
	assert_int_equal(
		jup_store_scan(st, JUP_TABLE_CARE_PLAN, NULL, 0, refuse_change, NULL, &err),
		JUP_OK);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), 4);
	assert_int_equal(jup_store_max_int(st, JUP_TABLE_CARE_PLAN, JUP_CP_PLAN_ID, &max, &err),
			 JUP_OK);
	assert_int_equal(max, atoll(id) + 1);
	json_decref(v1);
	json_decref(v2);
	json_decref(v3);
	json_decref(other);
}

static void test_if_match_conflict(void **state)
{
	(void)state;
	json_t *v1 = gp_writes(NHS_A, NULL, 0, care_plan_doc);
	const char *id = id_of(v1);
	json_decref(gp_writes(NHS_A, id, 1, care_plan_doc));
	int64_t plans = count(JUP_TABLE_CARE_PLAN);
	jup_gate_decision d = decide(U_GP, W, DC, NHS_A);
	int64_t entries = count(JUP_TABLE_AUDIT_ENTRY);
	jup_err err = { "" };
	/* someone else wrote version 2 meanwhile: a write made against 1 is refused */
	assert_int_equal(write_doc(&d, U_GP, id, 1, care_plan_doc, NULL, &err), JUP_ERR_EXISTS);
	assert_non_null(strstr(err.msg, "not the latest (2)"));
	assert_int_equal(write_doc(&d, U_GP, id, 3, care_plan_doc, NULL, &err), JUP_ERR_EXISTS);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), plans);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), entries); /* nothing written */
	assert_int_equal(write_doc(&d, U_GP, id, 2, care_plan_doc, NULL, &err), JUP_OK);
	/* a new plan has no version to match */
	assert_int_equal(write_doc(&d, U_GP, NULL, 1, care_plan_doc, NULL, &err), JUP_ERR_USAGE);
	/* a plan's kind does not change */
	assert_int_equal(write_doc(&d, U_GP, id, 0, note_doc, NULL, &err), JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "kind:"));
	json_decref(v1);
}

static void test_other_persons_plan(void **state)
{
	(void)state;
	json_t *a = gp_writes(NHS_A, NULL, 0, care_plan_doc);
	const char *id = id_of(a);
	jup_gate_decision for_b = decide(U_GP, W, DC, NHS_B);
	assert_true(for_b.permit);
	int64_t plans = count(JUP_TABLE_CARE_PLAN);
	jup_err err = { "" };
	assert_int_equal(write_doc(&for_b, U_GP, id, 0, care_plan_doc, NULL, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), plans);
	/* unknown and malformed ids */
	static const char *const unknown[] = { "999", "0", "01", "abc",
					       "1 ",  "",  "-1", "1234567890123456789" };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		assert_int_equal(write_doc(&for_b, U_GP, unknown[i], 0, care_plan_doc, NULL, &err),
				 JUP_ERR_NOT_FOUND);
	/* B's reader is told A's plan does not exist, as for an unknown one */
	jup_gate_decision read_b = decide(U_GP, R, DC, NHS_B);
	json_t *got = NULL;
	assert_int_equal(jup_care_plan_read(st, &read_b, id, 0, &got, &err), JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_care_plan_read(st, &read_b, "999", 0, &got, &err), JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_care_plan_history(st, &read_b, id, &got, &err), JUP_ERR_NOT_FOUND);
	assert_null(got);
	json_decref(a);
}

/* ---- refusals ---------------------------------------------------------------------------- */

static void test_denied_decisions(void **state)
{
	(void)state;
	json_t *a = gp_writes(NHS_A, NULL, 0, care_plan_doc);
	const char *id = id_of(a);
	jup_err err = { "" };
	int64_t plans = count(JUP_TABLE_CARE_PLAN);
	/* a GP elsewhere is denied by the gate; the denial writes nothing */
	jup_gate_decision d = decide(U_GP_B, W, DC, NHS_A);
	assert_false(d.permit);
	assert_true(d.audit_id > 0);
	assert_int_equal(write_doc(&d, U_GP_B, NULL, 0, care_plan_doc, NULL, &err), JUP_ERR_DENIED);
	/* citizens and analysts never write; nor for anything but direct care */
	d = decide(U_CITIZEN, W, DC, NHS_A);
	assert_false(d.permit);
	assert_non_null(strstr(d.reason, "may not write care plans"));
	d = decide(U_ANALYST, W, JUP_CONSENT_PLANNING, NHS_A);
	assert_false(d.permit);
	d = decide(U_GP, W, JUP_CONSENT_RISK_STRATIFICATION, NHS_A);
	assert_false(d.permit);
	assert_non_null(strstr(d.reason, "direct care only"));
	/* a permit to read is not one to write, nor the other way round */
	jup_gate_decision rd = decide(U_GP, R, DC, NHS_A);
	assert_true(rd.permit);
	assert_int_equal(write_doc(&rd, U_GP, NULL, 0, care_plan_doc, NULL, &err), JUP_ERR_DENIED);
	jup_gate_decision wr = decide(U_GP, W, DC, NHS_A);
	json_t *got = NULL;
	assert_int_equal(jup_care_plan_read(st, &wr, id, 0, &got, &err), JUP_ERR_DENIED);
	assert_int_equal(jup_care_record(st, &wr, &got, &err), JUP_ERR_DENIED);
	assert_null(got);
	/* a forged permit (never logged), and one given to somebody else */
	jup_gate_decision forged = wr;
	forged.audit_id = 0;
	assert_int_equal(write_doc(&forged, U_GP, NULL, 0, care_plan_doc, NULL, &err),
			 JUP_ERR_DENIED);
	forged.audit_id = rd.audit_id; /* a logged entry, but a read */
	assert_int_equal(write_doc(&forged, U_GP, NULL, 0, care_plan_doc, NULL, &err),
			 JUP_ERR_DENIED);
	assert_int_equal(write_doc(&wr, U_GP_B, NULL, 0, care_plan_doc, NULL, &err),
			 JUP_ERR_DENIED);
	forged = wr;
	forged.persons[0] = wr.persons[0] + 1; /* about somebody else */
	assert_int_equal(write_doc(&forged, U_GP, NULL, 0, care_plan_doc, NULL, &err),
			 JUP_ERR_DENIED);
	forged = d; /* a denial marked permit */
	forged.permit = true;
	forged.action = W;
	assert_int_equal(write_doc(&forged, U_GP, NULL, 0, care_plan_doc, NULL, &err),
			 JUP_ERR_DENIED);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), plans);
	/* an invalid write under a good permit writes nothing either */
	int64_t entries = count(JUP_TABLE_AUDIT_ENTRY);
	assert_int_equal(write_doc(&wr, U_GP, NULL, 0, "{\"kind\": \"note\"}", NULL, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), entries);
	/* break-glass stands in for the relationship when writing too */
	d = decide_bg(U_GP_B, W, DC, NHS_A, "Called out to the patient's home, GP unreachable");
	assert_true(d.permit);
	assert_int_equal(d.basis, JUP_GATE_BASIS_BREAK_GLASS);
	assert_int_equal(write_doc(&d, U_GP_B, id, 0, care_plan_doc, NULL, &err), JUP_OK);
	json_decref(a);
}

static void test_eol_line_writes_notes_only(void **state)
{
	(void)state;
	json_t *eol = gp_writes(NHS_A, NULL, 0, eol_doc);
	jup_gate_decision d = decide(U_EOL, W, DC, NHS_A);
	assert_true(d.permit);
	assert_int_equal(d.basis, JUP_GATE_BASIS_EOL_REGISTER);
	jup_err err = { "" };
	int64_t plans = count(JUP_TABLE_CARE_PLAN);
	assert_int_equal(write_doc(&d, U_EOL, NULL, 0, care_plan_doc, NULL, &err), JUP_ERR_DENIED);
	assert_int_equal(write_doc(&d, U_EOL, NULL, 0, eol_doc, NULL, &err), JUP_ERR_DENIED);
	assert_int_equal(write_doc(&d, U_EOL, id_of(eol), 0, eol_doc, NULL, &err), JUP_ERR_DENIED);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), plans);
	json_t *note;
	assert_int_equal(write_doc(&d, U_EOL, NULL, 0, note_doc, &note, &err), JUP_OK);
	assert_string_equal(str(json_object_get(note, "author"), "role"), "eol_operator");
	assert_string_equal(str(json_object_get(note, "source"), "organisation"), HOSPICE);
	/* and updates it */
	assert_int_equal(write_doc(&d, U_EOL, id_of(note), 1, note_doc, NULL, &err), JUP_OK);
	/* nobody without an end-of-life plan */
	assert_false(decide(U_EOL, W, DC, NHS_B).permit);
	json_decref(note);
	json_decref(eol);
}

/* ---- views ------------------------------------------------------------------------------- */

static void test_views(void **state)
{
	(void)state;
	json_t *plan = gp_writes(NHS_A, NULL, 0, care_plan_doc);
	json_t *eol = gp_writes(NHS_A, NULL, 0, eol_doc);
	json_t *note = gp_writes(NHS_A, NULL, 0, note_doc);
	jup_err err = { "" };
	json_t *got = NULL;
	/* the end-of-life line: end-of-life plans and notes, contacts and all */
	jup_gate_decision line = decide(U_EOL, R, DC, NHS_A);
	assert_int_equal(line.view, JUP_GATE_VIEW_EOL);
	assert_int_equal(jup_care_plan_read(st, &line, id_of(plan), 0, &got, &err),
			 JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_care_plan_history(st, &line, id_of(plan), &got, &err),
			 JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_care_plan_read(st, &line, id_of(note), 0, &got, &err), JUP_OK);
	json_decref(got);
	assert_int_equal(jup_care_plan_read(st, &line, id_of(eol), 0, &got, &err), JUP_OK);
	assert_true(json_equal(got, eol));
	json_decref(got);
	/* de-identified: no free text, codes and dates stay */
	jup_gate_decision deid = decide(U_ANALYST, R, JUP_CONSENT_PLANNING, NHS_A);
	assert_int_equal(deid.view, JUP_GATE_VIEW_DEIDENTIFIED);
	assert_int_equal(jup_care_plan_read(st, &deid, id_of(eol), 0, &got, &err), JUP_OK);
	char *text = json_dumps(got, JSON_COMPACT);
	static const char *const gone[] = { "title",    "description", "key_contacts",
					    "Imogen",   "07700",       "Midazolam",
					    "username", "gp.larch",    "daughter" };
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		if (strstr(text, gone[i]))
			fail_msg("de-identified plan shows \"%s\": %s", gone[i], text);
	json_t *e = json_object_get(got, "end_of_life");
	assert_string_equal(str(e, "preferred_place_of_care"), "home"); /* a register code */
	assert_null(json_object_get(e, "preferred_place_of_death"));    /* free text */
	assert_string_equal(str(e, "resuscitation"), "dnacpr");
	json_t *meds = json_object_get(e, "medicines_in_home");
	assert_int_equal(json_array_size(meds), 2);
	assert_string_equal(str(json_array_get(meds, 0), "code"), "373476007");
	assert_string_equal(str(got, "period_start"), "2026-11-01");
	assert_string_equal(str(json_object_get(got, "author"), "role"), "gp");
	free(text);
	json_decref(got);
	/* the full view reads everything; a citizen reads their own */
	jup_gate_decision self = decide(U_CITIZEN, R, DC, NHS_A);
	assert_int_equal(jup_care_plan_read(st, &self, id_of(plan), 0, &got, &err), JUP_OK);
	assert_true(json_equal(got, plan));
	json_decref(got);
	json_decref(plan);
	json_decref(eol);
	json_decref(note);
}

/* ---- audit ------------------------------------------------------------------------------- */

typedef struct entry_view {
	char actor[65], role[32], org[16], purpose[32], action[32], what[64], outcome[16],
		reason[128];
	int64_t person_id;
} entry_view;

static void copy_sv(char *dst, size_t cap, jup_sv s)
{
	size_t n = s.ptr ? (s.len < cap ? s.len : cap - 1) : 0;
	memcpy(dst, s.ptr ? s.ptr : "", n);
	dst[n] = 0;
}

static jup_status view_entry(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	jup_audit_record r;
	char num[24];
	jup_audit_record_from_row(id, v, &r, num);
	entry_view *e = ctx;
	copy_sv(e->actor, sizeof e->actor, r.f.f[JUP_AUDIT_F_ACTOR]);
	copy_sv(e->role, sizeof e->role, r.f.f[JUP_AUDIT_F_ROLE]);
	copy_sv(e->org, sizeof e->org, r.f.f[JUP_AUDIT_F_ORG_CODE]);
	copy_sv(e->purpose, sizeof e->purpose, r.f.f[JUP_AUDIT_F_PURPOSE]);
	copy_sv(e->action, sizeof e->action, r.f.f[JUP_AUDIT_F_ACTION]);
	copy_sv(e->what, sizeof e->what, r.f.f[JUP_AUDIT_F_WHAT]);
	copy_sv(e->outcome, sizeof e->outcome, r.f.f[JUP_AUDIT_F_OUTCOME]);
	copy_sv(e->reason, sizeof e->reason, r.f.f[JUP_AUDIT_F_REASON]);
	e->person_id = r.person_id;
	return JUP_OK;
}

static entry_view entry(int64_t id)
{
	entry_view e;
	memset(&e, 0, sizeof e);
	jup_match m = { JUP_COL_ID, jup_v_int(id) };
	jup_err err = { "" };
	if (jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &m, 1, view_entry, &e, &err))
		fail_msg("entry: %s", err.msg);
	return e;
}

static jup_status audit_id_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	*(int64_t *)ctx = v[JUP_CP_AUDIT_ID].i;
	return JUP_OK;
}

static void test_audit_entries(void **state)
{
	(void)state;
	uint64_t before[JUP_TABLE__COUNT], after[JUP_TABLE__COUNT];
	jup_err err = { "" };
	assert_int_equal(jup_store_versions(st, before, &err), JUP_OK);
	jup_gate_decision d = decide(U_GP, W, DC, NHS_A);
	entry_view g = entry(d.audit_id);
	assert_string_equal(g.action, "care_plan.write");
	assert_string_equal(g.what, "care_plan view=full");
	assert_string_equal(g.outcome, "permit");
	json_t *v1;
	int64_t n = count(JUP_TABLE_AUDIT_ENTRY);
	assert_int_equal(write_doc(&d, U_GP, NULL, 0, eol_doc, &v1, &err), JUP_OK);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), n + 1);
	entry_view e = entry(n + 1);
	char what[64];
	snprintf(what, sizeof what, "care_plan:%s/_history/1", str(v1, "id"));
	assert_string_equal(e.actor, "gp.larch");
	assert_string_equal(e.role, "gp");
	assert_string_equal(e.org, GP_A);
	assert_string_equal(e.purpose, "direct_care");
	assert_string_equal(e.action, "care_plan.create");
	assert_string_equal(e.what, what);
	assert_string_equal(e.outcome, "done");
	assert_int_equal(e.person_id, d.persons[0]);
	/* the row names its entry */
	int64_t audit_id = 0;
	jup_match by_plan = { JUP_CP_PLAN_ID, jup_v_int(atoll(str(v1, "id"))) };
	assert_int_equal(
		jup_store_scan(st, JUP_TABLE_CARE_PLAN, &by_plan, 1, audit_id_row, &audit_id, &err),
		JUP_OK);
	assert_int_equal(audit_id, n + 1);
	/* an update */
	json_decref(gp_writes(NHS_A, id_of(v1), 1, eol_doc));
	e = entry(count(JUP_TABLE_AUDIT_ENTRY));
	snprintf(what, sizeof what, "care_plan:%s/_history/2", str(v1, "id"));
	assert_string_equal(e.action, "care_plan.update");
	assert_string_equal(e.what, what);
	/* the care_plan table's version was raised, so caches see the change */
	assert_int_equal(jup_store_versions(st, after, &err), JUP_OK);
	assert_true(after[JUP_TABLE_CARE_PLAN] >= before[JUP_TABLE_CARE_PLAN] + 2);
	jup_audit_report rep;
	assert_int_equal(jup_audit_verify(st, NULL, &rep, &err), JUP_OK);
	assert_int_equal(rep.entries, count(JUP_TABLE_AUDIT_ENTRY));
	json_decref(v1);
}

/* ---- the end-of-life cohort's plans --------------------------------------------------------- */

typedef struct seeded {
	int n, completed;
} seeded;

static jup_status seeded_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	seeded *s = ctx;
	s->n++;
	s->completed += jup_sv_eq_cstr(v[JUP_CP_STATUS].s, "completed");
	return JUP_OK;
}

static bool phone_in_drama_range(const char *p)
{
	return strlen(p) == 12 && (!strncmp(p, "07700 900", 9) || !strncmp(p, "01632 960", 9));
}

static void check_seeded_plan(const char *nhs, const char *status, const char *care,
			      const char *org)
{
	int user = strcmp(org, GP_A) == 0 ? U_GP : U_GP_B;
	jup_gate_decision d = decide(user, R, DC, nhs);
	assert_true(d.permit);
	json_t *rec = NULL;
	jup_err err = { "" };
	assert_int_equal(jup_care_record(st, &d, &rec, &err), JUP_OK);
	json_t *plans = json_object_get(rec, "care_plans");
	assert_int_equal(json_array_size(plans), 1);
	json_t *p = json_array_get(plans, 0);
	assert_string_equal(str(p, "kind"), "end_of_life");
	assert_string_equal(str(p, "status"), status);
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 1);
	json_t *author = json_object_get(p, "author");
	char account[64];
	snprintf(account, sizeof account, "eol-register.%s", org);
	for (char *c = account; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	assert_string_equal(str(author, "username"), account);
	assert_string_equal(str(author, "organisation"), org);
	json_t *eol = json_object_get(p, "end_of_life");
	if (care)
		assert_string_equal(str(eol, "preferred_place_of_care"), care);
	else
		assert_true(json_is_null(json_object_get(eol, "preferred_place_of_care")));
	json_t *contacts = json_object_get(eol, "key_contacts");
	assert_true(json_array_size(contacts) >= 1 && json_array_size(contacts) <= 3);
	for (size_t i = 0; i < json_array_size(contacts); i++) {
		json_t *c = json_array_get(contacts, i);
		assert_true(phone_in_drama_range(str(c, "phone")));
		assert_non_null(strchr(str(c, "name"), ' '));
	}
	json_t *meds = json_object_get(eol, "medicines_in_home");
	for (size_t i = 0; i < json_array_size(meds); i++) {
		json_t *code = json_object_get(json_array_get(meds, i), "code");
		jup_err why;
		if (json_is_string(code))
			assert_int_equal(jup_ingest_snomed_concept(
						 jup_sv_from(json_string_value(code)), &why),
					 JUP_OK);
	}
	json_decref(rec);
}

static void test_seed_is_idempotent(void **state)
{
	(void)state;
	jup_care_plan_seed_report rep;
	jup_err err = { "" };
	int64_t entries = count(JUP_TABLE_AUDIT_ENTRY);
	assert_int_equal(jup_care_plan_seed_eol(st, 42, &rep, &err), JUP_OK);
	assert_int_equal(rep.register_rows, 4);
	assert_int_equal(rep.people, 3); /* D once, from the later entry */
	assert_int_equal(rep.written, 3);
	assert_int_equal(rep.had_plan, 0);
	assert_int_equal(rep.accounts, 2);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), entries + 3);
	seeded s = { 0 };
	assert_int_equal(jup_store_scan(st, JUP_TABLE_CARE_PLAN, NULL, 0, seeded_row, &s, &err),
			 JUP_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.completed, 1); /* C died */
	check_seeded_plan(NHS_A, "active", "home", GP_A);
	check_seeded_plan(NHS_C, "completed", NULL, GP_B);
	check_seeded_plan(NHS_D, "active", "care_home", GP_A);
	/* the system accounts cannot sign in */
	jup_user u;
	assert_int_equal(jup_user_sign_in(st, "eol-register.y90001", "", &u, &err), JUP_ERR_DENIED);
	assert_int_equal(jup_user_find(st, "eol-register.y90001", &u, &err), JUP_OK);
	assert_true(u.disabled);
	/* again: nothing added, nothing committed */
	uint64_t v[JUP_TABLE__COUNT], w[JUP_TABLE__COUNT];
	assert_int_equal(jup_store_versions(st, v, &err), JUP_OK);
	entries = count(JUP_TABLE_AUDIT_ENTRY);
	assert_int_equal(jup_care_plan_seed_eol(st, 42, &rep, &err), JUP_OK);
	assert_int_equal(rep.written, 0);
	assert_int_equal(rep.had_plan, 3);
	assert_int_equal(rep.accounts, 0);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), entries);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), 3);
	assert_int_equal(jup_store_versions(st, w, &err), JUP_OK);
	assert_memory_equal(v, w, sizeof v);
	jup_audit_report ar;
	assert_int_equal(jup_audit_verify(st, NULL, &ar, &err), JUP_OK);
}

/* A practice whose system account's name is somebody's own account: refused,
 * nothing written for that practice. */
static void test_seed_refuses_a_borrowed_account(void **state)
{
	(void)state;
	jup_user_new u = { "eol-register.y90002", JUP_ROLE_GP, GP_B, NULL,
			   "correct horse battery" };
	jup_err err = { "" };
	assert_int_equal(jup_user_add(st, &u, NULL, &err), JUP_OK);
	jup_care_plan_seed_report rep;
	assert_int_equal(jup_care_plan_seed_eol(st, 42, &rep, &err), JUP_ERR_EXISTS);
	assert_non_null(strstr(err.msg, "somebody else's account"));
	/* GP_A's plans were written first (practices in id order), GP_B's not */
	assert_int_equal(rep.written, 2);
	assert_int_equal(count(JUP_TABLE_CARE_PLAN), 2);
}

/* The same seed and register give the same plans, in another store. */
static void test_seed_is_deterministic(void **state)
{
	(void)state;
	jup_err err = { "" };
	assert_int_equal(jup_care_plan_seed_eol(st, 7, NULL, &err), JUP_OK);
	jup_gate_decision d = decide(U_GP, R, DC, NHS_A);
	json_t *first;
	assert_int_equal(jup_care_plan_read(st, &d, "1", 0, &first, &err), JUP_OK);
	jup_store *again = jup_test_open_copy(base_path, "plans-seed-again.db");
	jup_store *mine = st;
	st = again;
	for (int i = 0; i < U__N; i++)
		assert_int_equal(jup_user_find(st, user_spec[i].name, &users[i], &err), JUP_OK);
	assert_int_equal(jup_care_plan_seed_eol(st, 7, NULL, &err), JUP_OK);
	d = decide(U_GP, R, DC, NHS_A);
	json_t *second;
	assert_int_equal(jup_care_plan_read(st, &d, "1", 0, &second, &err), JUP_OK);
	json_object_del(first, "recorded_at");
	json_object_del(second, "recorded_at");
	assert_true(json_equal(first, second));
	jup_store_close(again);
	st = mine;
	json_decref(first);
	json_decref(second);
	/* contact names: always two words, the same for the same key */
	char a[64], b[64];
	for (uint64_t k = 0; k < 2000; k++) {
		jup_synth_contact_name(k, "FMU"[k % 3], a, sizeof a);
		jup_synth_contact_name(k, "FMU"[k % 3], b, sizeof b);
		assert_string_equal(a, b);
		assert_non_null(strchr(a, ' '));
	}
}

/* ---- the joined-up record ----------------------------------------------------------------------
 */

static void test_care_record_section(void **state)
{
	(void)state;
	json_t *plan = gp_writes(NHS_A, NULL, 0, care_plan_doc);
	json_t *plan2 = gp_writes(NHS_A, id_of(plan), 1,
				  "{\"kind\": \"care_plan\", \"status\": \"revoked\", \"title\":"
				  " \"Heart failure plan\", \"period_start\": \"2026-11-01\"}");
	json_t *eol = gp_writes(NHS_A, NULL, 0, eol_doc);
	json_decref(gp_writes(NHS_B, NULL, 0, note_doc)); /* somebody else's */
	jup_err err = { "" };
	json_t *rec = NULL;
	jup_gate_decision full = decide(U_GP, R, DC, NHS_A);
	assert_int_equal(jup_care_record(st, &full, &rec, &err), JUP_OK);
	json_t *plans = json_object_get(rec, "care_plans");
	assert_int_equal(json_array_size(plans), 2); /* the latest of each, by id */
	assert_true(json_equal(json_array_get(plans, 0), plan2));
	assert_true(json_equal(json_array_get(plans, 1), eol));
	json_decref(rec);
	jup_gate_decision line = decide(U_EOL, R, DC, NHS_A);
	assert_int_equal(jup_care_record(st, &line, &rec, &err), JUP_OK);
	plans = json_object_get(rec, "care_plans");
	assert_int_equal(json_array_size(plans), 1);
	assert_true(json_equal(json_array_get(plans, 0), eol));
	json_decref(rec);
	jup_gate_decision deid = decide(U_ANALYST, R, JUP_CONSENT_PLANNING, NHS_A);
	assert_int_equal(jup_care_record(st, &deid, &rec, &err), JUP_OK);
	plans = json_object_get(rec, "care_plans");
	assert_int_equal(json_array_size(plans), 2);
	char *text = json_dumps(plans, JSON_COMPACT);
	assert_null(strstr(text, "Heart failure"));
	assert_null(strstr(text, "Imogen"));
	free(text);
	json_decref(rec);
	/* nobody's plans but the decision's persons' */
	jup_gate_decision b = decide(U_GP, R, DC, NHS_B);
	assert_int_equal(jup_care_record(st, &b, &rec, &err), JUP_OK);
	plans = json_object_get(rec, "care_plans");
	assert_int_equal(json_array_size(plans), 1);
	assert_string_equal(str(json_array_get(plans, 0), "kind"), "note");
	json_decref(rec);
	json_decref(plan);
	json_decref(plan2);
	json_decref(eol);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_validate_fields),
		T(test_validate_limits),
		T(test_version_chain),
		T(test_if_match_conflict),
		T(test_other_persons_plan),
		T(test_denied_decisions),
		T(test_eol_line_writes_notes_only),
		T(test_views),
		T(test_audit_entries),
		T(test_seed_is_idempotent),
		T(test_seed_is_deterministic),
		T(test_seed_refuses_a_borrowed_account),
		T(test_care_record_section),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
