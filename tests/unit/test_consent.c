/*
 * test_consent.c - consent: every purpose of the default policy against each
 * rule (a table: purpose x situation -> permit, GP data, social care data
 * and the rules that gave reasons), the honest wording for a citizen, latest
 * decision wins, a change takes effect at once, flows are data, and a
 * recorded decision writes exactly one audit entry that verifies.
 *
 * The fixture is a store with small hand-written extracts: one practice that
 * takes part and one that does not, a council, GP register records, council
 * case files and consent forms, the national opt-out list and a type 1
 * objection. Invented people; NHS numbers from the 999 test range.
 */
#include "jup_test.h"

#include "audit/jup_audit.h"
#include "consent/jup_consent.h"
#include "ingest/jup_ingest_import.h"
#include "link/jup_link_db.h"
#include "person/jup_person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GP_IN   "Y90001" /* takes part */
#define GP_OUT  "Y90002" /* does not */
#define COUNCIL "E08000035"

/* The people, one per situation. */
#define NONE        "9990000018" /* nothing recorded; council form permit */
#define NATIONAL    "9990000026" /* on the national data opt-out list */
#define TYPE1       "9990000034" /* a GP type 1 objection */
#define NOT_PART    "9990000042" /* registered at the practice that does not take part */
#define FORM_DENY   "9990000050" /* the council's latest form says deny */
#define CIT_DENY    "9990000069" /* citizen deny, every purpose */
#define DENY_PERMIT "9990000077" /* citizen deny, then permit, every purpose */
#define OBJECTION   "9990000085" /* an objection to the shared record */
#define RESEARCH_OK "9990000093" /* citizen permit for research */
#define NAT_YES     "9990000107" /* national opt-out, and citizen permit for research */
#define OUT_YES     "9990000115" /* non-taking-part practice, citizen permit for research */
#define UNKNOWN     "9990000123" /* no record anywhere */
#define CHANGER     "9990000131" /* for the change-at-once test */
#define LATEST      "9990000158" /* for the latest-wins test */

/* clang-format off */
static const char organisations[] =
	"org_code,name,kind,participating,postcode\n"
	GP_IN ",Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
	GP_OUT ",Beckside Medical Practice,gp_practice,N,LS9 7QT\n"
	COUNCIL ",Synthetic City Council,council,Y,LS1 1UR\n";

#define GPROW(practice, local, nhs, given) \
	practice "," local "," nhs "," given ",Testperson,1950-01-01,F,LS6 2AB,,2000-01-01\n"
static const char gp_patients[] =
	"practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"registered_on\n"
	GPROW(GP_IN, "G001", NONE, "Ada")
	GPROW(GP_IN, "G002", NATIONAL, "Bea")
	GPROW(GP_IN, "G003", TYPE1, "Cai")
	GPROW(GP_OUT, "G101", NOT_PART, "Dov")
	GPROW(GP_IN, "G004", FORM_DENY, "Eve")
	GPROW(GP_IN, "G005", CIT_DENY, "Fen")
	GPROW(GP_IN, "G006", DENY_PERMIT, "Gil")
	GPROW(GP_IN, "G007", OBJECTION, "Hal")
	GPROW(GP_IN, "G008", RESEARCH_OK, "Ivo")
	GPROW(GP_IN, "G009", NAT_YES, "Jem")
	GPROW(GP_OUT, "G102", OUT_YES, "Kit")
	GPROW(GP_IN, "G010", CHANGER, "Lox")
	GPROW(GP_IN, "G011", LATEST, "Mab");

#define SCROW(local, nhs, given) \
	COUNCIL "," local "," nhs "," given ",Testperson,1950-01-01,F,LS6 2AB,,\n"
static const char sc_clients[] =
	"council_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"practice_code\n"
	SCROW("SC001", NONE, "Ada")
	SCROW("SC002", NATIONAL, "Bea")
	SCROW("SC003", TYPE1, "Cai")
	SCROW("SC004", NOT_PART, "Dov")
	SCROW("SC005", FORM_DENY, "Eve")
	SCROW("SC006", CIT_DENY, "Fen")
	SCROW("SC007", DENY_PERMIT, "Gil")
	SCROW("SC008", OBJECTION, "Hal")
	SCROW("SC009", RESEARCH_OK, "Ivo")
	SCROW("SC010", NAT_YES, "Jem")
	SCROW("SC011", OUT_YES, "Kit")
	SCROW("SC012", CHANGER, "Lox")
	SCROW("SC013", LATEST, "Mab");

/* SC005's deny is the latest by date although its permit comes later in the
 * file: the latest recorded_on wins, not the latest line. */
#define FORM(local, decision, on) COUNCIL "," local ",SC-CONSENT-v3," decision "," on ",sw.test\n"
static const char sc_consents[] =
	"council_code,local_id,form_version,decision,recorded_on,recorded_by\n"
	FORM("SC001", "permit", "2026-01-09")
	FORM("SC002", "permit", "2026-01-09")
	FORM("SC003", "permit", "2026-01-09")
	FORM("SC004", "permit", "2026-01-09")
	FORM("SC005", "deny", "2026-02-01")
	FORM("SC005", "permit", "2025-06-01")
	FORM("SC006", "permit", "2026-01-09")
	FORM("SC007", "permit", "2026-01-09")
	FORM("SC008", "permit", "2026-01-09")
	FORM("SC009", "permit", "2026-01-09")
	FORM("SC010", "permit", "2026-01-09")
	FORM("SC011", "permit", "2026-01-09")
	FORM("SC012", "permit", "2026-01-09")
	FORM("SC013", "permit", "2026-01-09");

static const char national_opt_outs[] =
	"nhs_number,recorded_on\n" NATIONAL ",2023-01-10\n" NAT_YES ",2024-05-05\n";
static const char gp_objections[] =
	"practice_code,nhs_number,recorded_on\n" GP_IN "," TYPE1 ",2024-03-03\n";

/* clang-format on */

static jup_store *st;

static void set(const char *nhs, jup_consent_purpose p, jup_consent_source src, bool permit)
{
	jup_err err = { "" };
	int64_t id;
	if (jup_consent_set(st, nhs, p, src, permit, "test.clerk", "form 12", &id, &err))
		fail_msg("set: %s", err.msg);
}

static void import_fixture(void)
{
	const char *dir = jup_test_tmpdir();
	const char *paths[] = {
		jup_test_write_file(dir, "organisations.csv", organisations),
		jup_test_write_file(dir, "gp_patients.csv", gp_patients),
		jup_test_write_file(dir, "social_care_clients.csv", sc_clients),
		jup_test_write_file(dir, "social_care_consents.csv", sc_consents),
		jup_test_write_file(dir, "national_opt_outs.csv", national_opt_outs),
		jup_test_write_file(dir, "gp_objections.csv", gp_objections),
	};
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23), .problems = stderr };
	jup_import_summary sum;
	jup_err err = { "" };
	if (jup_ingest_import(st, paths, 6, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	assert_int_equal(sum.files_rejected, 0);
	assert_int_equal(sum.files_imported, 6);
}

static int setup(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/consent.db", jup_test_tmpdir());
	jup_err err = { "" };
	if (jup_store_open(path, JUP_STORE_CREATE, &st, &err))
		fail_msg("open: %s", err.msg);
	import_fixture();
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	jup_link_db_report rep;
	if (jup_link_db_run(st, &o, &rep, &err))
		fail_msg("link: %s", err.msg);
	set(CIT_DENY, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_CITIZEN, false);
	set(DENY_PERMIT, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_CITIZEN, false);
	set(DENY_PERMIT, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_CITIZEN, true);
	set(OBJECTION, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_RECORD_OBJECTION, false);
	set(RESEARCH_OK, JUP_CONSENT_RESEARCH, JUP_CONSENT_SRC_CITIZEN, true);
	set(NAT_YES, JUP_CONSENT_RESEARCH, JUP_CONSENT_SRC_CITIZEN, true);
	set(OUT_YES, JUP_CONSENT_RESEARCH, JUP_CONSENT_SRC_CITIZEN, true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jup_store_close(st);
	return 0;
}

static jup_consent_decision decide(const char *nhs, jup_consent_purpose p)
{
	jup_consent_decision d;
	jup_err err = { "" };
	if (jup_consent_decide(st, nhs, p, NULL, &d, &err))
		fail_msg("decide %s: %s", jup_consent_purpose_name(p), err.msg);
	return d;
}

static int64_t count(jup_table t)
{
	int64_t n = -1;
	jup_err err;
	assert_int_equal(jup_store_count(st, t, &n, &err), JUP_OK);
	return n;
}

/* ---- the table ------------------------------------------------------------------ */

#define R(rule) (1u << JUP_CONSENT_RULE_##rule)
#define CIT     R(CITIZEN_CHOICE)
#define OBJ     R(RECORD_OBJECTION)
#define NAT     R(NATIONAL_OPT_OUT)
#define SPEC    R(SPECIFIC_CONSENT)
#define T1      R(GP_TYPE1)
#define PART    R(PRACTICE_PARTICIPATION)
#define FORMR   R(SC_CONSENT)

typedef struct want {
	bool permit, gp, sc;
	unsigned rules;
} want;

#define YES                                                                                        \
	{                                                                                          \
		true, true, true, 0                                                                \
	}
#define NO(r)                                                                                      \
	{                                                                                          \
		false, false, false, r                                                             \
	}

/* Per situation, per purpose (direct care, risk stratification, planning,
 * research) under the default policy rows of migration 3. */
static const struct {
	const char *name, *nhs;
	want w[JUP_CONSENT_PURPOSE__COUNT];
} table[] = {
	{ "no opt-outs", NONE, { YES, YES, YES, NO(SPEC) } },
	{ "national opt-out", NATIONAL, { YES, NO(NAT), NO(NAT), NO(SPEC) } },
	{ "type 1 objection",
	  TYPE1,
	  { YES, { true, false, true, T1 }, { true, false, true, T1 }, NO(SPEC) } },
	{ "practice not taking part",
	  NOT_PART,
	  { { true, false, true, PART },
	    { true, false, true, PART },
	    { true, false, true, PART },
	    NO(SPEC) } },
	{ "council form deny", FORM_DENY, { YES, { true, true, false, FORMR }, YES, NO(SPEC) } },
	{ "citizen deny", CIT_DENY, { NO(CIT), NO(CIT), NO(CIT), NO(CIT) } },
	{ "citizen deny then permit", DENY_PERMIT, { YES, YES, YES, NO(SPEC) } },
	{ "record objection", OBJECTION, { NO(OBJ), NO(OBJ), NO(OBJ), NO(OBJ | SPEC) } },
	{ "research with specific consent", RESEARCH_OK, { YES, YES, YES, YES } },
	/* specific consent: the national data opt-out does not apply (RULES.md) */
	{ "national opt-out, yes to research", NAT_YES, { YES, NO(NAT), NO(NAT), YES } },
	{ "practice not taking part, yes to research",
	  OUT_YES,
	  { { true, false, true, PART },
	    { true, false, true, PART },
	    { true, false, true, PART },
	    { true, false, true, PART } } },
	{ "no record anywhere",
	  UNKNOWN,
	  { { true, false, true, PART },
	    { true, false, false, PART | FORMR },
	    { true, false, true, PART },
	    NO(SPEC) } },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
			jup_consent_decision d = decide(table[i].nhs, (jup_consent_purpose)p);
			const want *w = &table[i].w[p];
			if (d.permit != w->permit || d.gp_data != w->gp ||
			    d.social_care_data != w->sc || d.rules != w->rules)
				fail_msg("%s, %s: got permit %d gp %d sc %d rules %#x, want %d %d "
					 "%d %#x",
					 table[i].name,
					 jup_consent_purpose_name((jup_consent_purpose)p), d.permit,
					 d.gp_data, d.social_care_data, d.rules, w->permit, w->gp,
					 w->sc, w->rules);
			assert_int_equal(d.purpose, p);
			assert_true(d.flow[0] != '\0');
			assert_true(d.summary[0] != '\0');
			/* one reason per rule, each in plain words */
			assert_int_equal(d.nreasons, __builtin_popcount(w->rules));
			for (int r = 0; r < d.nreasons; r++)
				assert_true(strlen(d.reasons[r].text) > 20);
		}
}

/* ---- wording -------------------------------------------------------------------- */

static bool said(const jup_consent_decision *d, jup_consent_rule rule, const char *text)
{
	for (int i = 0; i < d->nreasons; i++)
		if (d->reasons[i].rule == rule && strstr(d->reasons[i].text, text))
			return true;
	return false;
}

static void test_wording(void **state)
{
	(void)state;
	jup_consent_decision d = decide(NATIONAL, JUP_CONSENT_PLANNING);
	assert_true(said(&d, JUP_CONSENT_RULE_NATIONAL_OPT_OUT,
			 "You have registered a national data opt-out, so your information is not "
			 "used for planning."));
	assert_string_equal(d.summary, "Your information is not used for planning.");
	/* a general yes never overrides the opt-out, and the citizen is told so;
	 * specific consent to research is exempt (RULES.md) */
	d = decide(NAT_YES, JUP_CONSENT_PLANNING);
	assert_false(said(&d, JUP_CONSENT_RULE_NATIONAL_OPT_OUT, "does not override"));
	d = decide(NAT_YES, JUP_CONSENT_RESEARCH);
	assert_true(d.permit);
	/* a practice that does not take part, with and without their agreement */
	d = decide(OUT_YES, JUP_CONSENT_RESEARCH);
	assert_true(said(&d, JUP_CONSENT_RULE_PRACTICE_PARTICIPATION,
			 "does not take part in the joined-up record, so your GP record is not "
			 "shared even though you agreed"));
	assert_string_equal(d.summary, "Your information may be used for research, but not your "
				       "GP record.");
	d = decide(NOT_PART, JUP_CONSENT_DIRECT_CARE);
	assert_true(said(&d, JUP_CONSENT_RULE_PRACTICE_PARTICIPATION, "does not take part"));
	assert_false(said(&d, JUP_CONSENT_RULE_PRACTICE_PARTICIPATION, "agreed"));
	d = decide(FORM_DENY, JUP_CONSENT_RISK_STRATIFICATION);
	assert_true(said(&d, JUP_CONSENT_RULE_SC_CONSENT, "consent form"));
	d = decide(UNKNOWN, JUP_CONSENT_RISK_STRATIFICATION);
	assert_true(said(&d, JUP_CONSENT_RULE_SC_CONSENT, "no consent form"));
	d = decide(NONE, JUP_CONSENT_DIRECT_CARE);
	assert_int_equal(d.nreasons, 0);
	assert_string_equal(d.summary, "Your information may be used for your care.");
	/* no reason ever carries a name or a number from the record */
	static const char *const people[] = { NONE, NATIONAL, TYPE1, NOT_PART, OUT_YES };
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
			d = decide(people[i], (jup_consent_purpose)p);
			for (int r = 0; r < d.nreasons; r++) {
				assert_null(strstr(d.reasons[r].text, "999"));
				assert_null(strstr(d.reasons[r].text, "Testperson"));
			}
		}
}

/* ---- latest wins, at once --------------------------------------------------------- */

static void test_change_at_once(void **state)
{
	(void)state;
	assert_true(decide(CHANGER, JUP_CONSENT_PLANNING).permit);
	set(CHANGER, JUP_CONSENT_PLANNING, JUP_CONSENT_SRC_CITIZEN, false);
	assert_false(decide(CHANGER, JUP_CONSENT_PLANNING).permit);
	assert_true(decide(CHANGER, JUP_CONSENT_DIRECT_CARE).permit); /* only planning */
	set(CHANGER, JUP_CONSENT_PLANNING, JUP_CONSENT_SRC_CITIZEN, true);
	assert_true(decide(CHANGER, JUP_CONSENT_PLANNING).permit);
	/* an objection, then its withdrawal (the same source) */
	set(CHANGER, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_RECORD_OBJECTION, false);
	assert_false(decide(CHANGER, JUP_CONSENT_DIRECT_CARE).permit);
	/* the citizen's own yes does not cancel an objection */
	set(CHANGER, JUP_CONSENT_DIRECT_CARE, JUP_CONSENT_SRC_CITIZEN, true);
	jup_consent_decision d = decide(CHANGER, JUP_CONSENT_DIRECT_CARE);
	assert_false(d.permit);
	assert_true(said(&d, JUP_CONSENT_RULE_RECORD_OBJECTION, "does not override"));
	set(CHANGER, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_RECORD_OBJECTION, true);
	assert_true(decide(CHANGER, JUP_CONSENT_DIRECT_CARE).permit);
}

static void test_latest_wins(void **state)
{
	(void)state;
	/* a purpose's own deny, then a newer yes to every purpose: the yes wins */
	set(LATEST, JUP_CONSENT_PLANNING, JUP_CONSENT_SRC_CITIZEN, false);
	set(LATEST, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_CITIZEN, true);
	assert_true(decide(LATEST, JUP_CONSENT_PLANNING).permit);
	/* a yes to every purpose is not specific consent to research */
	jup_consent_decision d = decide(LATEST, JUP_CONSENT_RESEARCH);
	assert_false(d.permit);
	assert_true(said(&d, JUP_CONSENT_RULE_SPECIFIC_CONSENT, "not specific consent"));
	/* a no to every purpose, then a newer yes to planning only */
	set(LATEST, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_CITIZEN, false);
	set(LATEST, JUP_CONSENT_PLANNING, JUP_CONSENT_SRC_CITIZEN, true);
	assert_true(decide(LATEST, JUP_CONSENT_PLANNING).permit);
	assert_false(decide(LATEST, JUP_CONSENT_DIRECT_CARE).permit);
	assert_false(decide(LATEST, JUP_CONSENT_RISK_STRATIFICATION).permit);
}

/* ---- the audit entry ---------------------------------------------------------------- */

typedef struct last_entry {
	int64_t id, person_id;
	char actor[64], purpose[32], action[32], what[64], outcome[16];
} last_entry;

static void copy_sv(char *dst, size_t cap, jup_sv s)
{
	snprintf(dst, cap, "%.*s", (int)s.len, s.ptr ? s.ptr : "");
}

static jup_status entry_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	last_entry *e = ctx;
	jup_audit_record r;
	char num[24];
	jup_audit_record_from_row(id, v, &r, num);
	e->id = id;
	e->person_id = r.person_id;
	copy_sv(e->actor, sizeof e->actor, r.f.f[JUP_AUDIT_F_ACTOR]);
	copy_sv(e->purpose, sizeof e->purpose, r.f.f[JUP_AUDIT_F_PURPOSE]);
	copy_sv(e->action, sizeof e->action, r.f.f[JUP_AUDIT_F_ACTION]);
	copy_sv(e->what, sizeof e->what, r.f.f[JUP_AUDIT_F_WHAT]);
	copy_sv(e->outcome, sizeof e->outcome, r.f.f[JUP_AUDIT_F_OUTCOME]);
	return JUP_OK;
}

static void test_set_audits(void **state)
{
	(void)state;
	int64_t entries = count(JUP_TABLE_AUDIT_ENTRY),
		decisions = count(JUP_TABLE_CONSENT_DECISION);
	int64_t id;
	jup_err err = { "" };
	assert_int_equal(jup_consent_set(st, "999 000 0018", JUP_CONSENT_RESEARCH,
					 JUP_CONSENT_SRC_CITIZEN, true, "cit.ada", NULL, &id, &err),
			 JUP_OK);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), entries + 1);
	assert_int_equal(count(JUP_TABLE_CONSENT_DECISION), decisions + 1);
	last_entry e = { 0 };
	jup_match last = { JUP_COL_ID, jup_v_int(entries + 1) };
	assert_int_equal(jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &last, 1, entry_row, &e, &err),
			 JUP_OK);
	char what[64];
	snprintf(what, sizeof what, "consent_decision:%lld", (long long)id);
	assert_string_equal(e.actor, "cit.ada");
	assert_string_equal(e.purpose, "consent");
	assert_string_equal(e.action, "consent.set");
	assert_string_equal(e.what, what);
	assert_string_equal(e.outcome, "done");
	int64_t *persons;
	size_t n;
	assert_int_equal(jup_person_ids(st, NONE, &persons, &n, &err), JUP_OK);
	assert_int_equal(e.person_id, persons[0]);
	free(persons);
	/* a number no linked record carries: the entry is about nobody */
	assert_int_equal(jup_consent_set(st, UNKNOWN, JUP_CONSENT_EVERY_PURPOSE,
					 JUP_CONSENT_SRC_CITIZEN, false, "cit.x", NULL, &id, &err),
			 JUP_OK);
	last.v = jup_v_int(entries + 2);
	assert_int_equal(jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &last, 1, entry_row, &e, &err),
			 JUP_OK);
	assert_int_equal(e.person_id, 0);
	assert_false(decide(UNKNOWN, JUP_CONSENT_DIRECT_CARE).permit);
	jup_audit_report rep;
	if (jup_audit_verify(st, NULL, &rep, &err))
		fail_msg("verify: %s", err.msg);
	assert_int_equal(rep.entries, count(JUP_TABLE_AUDIT_ENTRY));
}

/* ---- refusals ------------------------------------------------------------------------ */

static void test_refusals(void **state)
{
	(void)state;
	int64_t entries = count(JUP_TABLE_AUDIT_ENTRY),
		decisions = count(JUP_TABLE_CONSENT_DECISION);
	jup_consent_decision d;
	jup_err err = { "" };
	assert_int_equal(jup_consent_decide(st, "9990000019", JUP_CONSENT_PLANNING, NULL, &d, &err),
			 JUP_ERR_INVALID);
	assert_null(strstr(err.msg, "9990000019"));
	assert_int_equal(jup_consent_decide(st, "12345", JUP_CONSENT_PLANNING, NULL, &d, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_consent_decide(st, NULL, JUP_CONSENT_PLANNING, NULL, &d, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_consent_decide(st, NONE, JUP_CONSENT_EVERY_PURPOSE, NULL, &d, &err),
			 JUP_ERR_USAGE);
	assert_int_equal(
		jup_consent_decide(st, NONE, JUP_CONSENT_PLANNING, "no such flow", &d, &err),
		JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_consent_decide(st, NONE, JUP_CONSENT_PLANNING,
					    "research with specific consent", &d, &err),
			 JUP_ERR_INVALID);
	int64_t id;
	assert_int_equal(jup_consent_set(st, "9990000019", JUP_CONSENT_PLANNING,
					 JUP_CONSENT_SRC_CITIZEN, false, "x", NULL, &id, &err),
			 JUP_ERR_INVALID);
	assert_null(strstr(err.msg, "9990000019"));
	assert_int_equal(jup_consent_set(st, NONE, JUP_CONSENT_PLANNING, JUP_CONSENT_SRC_CITIZEN,
					 false, "", NULL, &id, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_consent_set(st, NONE, JUP_CONSENT_PLANNING, JUP_CONSENT_SRC_CITIZEN,
					 false, "x", "line\nbreak", &id, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(jup_consent_set(st, NONE, JUP_CONSENT_PURPOSE__COUNT,
					 JUP_CONSENT_SRC_CITIZEN, false, "x", NULL, &id, &err),
			 JUP_ERR_USAGE);
	assert_int_equal(jup_consent_set(st, NONE, JUP_CONSENT_PLANNING, JUP_CONSENT_SOURCE__COUNT,
					 false, "x", NULL, &id, &err),
			 JUP_ERR_USAGE);
	/* an actor the audit log refuses (not UTF-8): nothing is written */
	assert_int_equal(jup_consent_set(st, NONE, JUP_CONSENT_PLANNING, JUP_CONSENT_SRC_CITIZEN,
					 false, "bad\xff", NULL, &id, &err),
			 JUP_ERR_INVALID);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), entries);
	assert_int_equal(count(JUP_TABLE_CONSENT_DECISION), decisions);
	assert_true(decide(NONE, JUP_CONSENT_PLANNING).permit);
}

/* ---- the policy is data ---------------------------------------------------------------- */

static jup_status collect(void *ctx, const jup_consent_policy *p, jup_err *err)
{
	(void)err;
	jup_consent_policy *rows = ctx;
	assert_true(p->id >= 1 && p->id <= 5);
	rows[p->id - 1] = *p;
	return JUP_OK;
}

static void test_policy(void **state)
{
	(void)state;
	jup_consent_policy rows[5];
	memset(rows, 0, sizeof rows);
	jup_err err = { "" };
	assert_int_equal(jup_consent_policy_each(st, collect, rows, &err), JUP_OK);
	assert_int_equal(rows[0].purpose, JUP_CONSENT_DIRECT_CARE);
	assert_string_equal(rows[0].flow, "shared care record");
	assert_false(rows[0].national_opt_out);
	assert_true(rows[0].practice_participation);
	assert_true(rows[1].sc_consent);
	assert_true(rows[3].specific_consent);
	for (int i = 0; i < 4; i++)
		assert_true(rows[i].active);
	/* an approval exempt from the national data opt-out: its own flow */
	jup_value row[JUP_POLICY__N] = {
		[JUP_POLICY_PURPOSE] = jup_v_cstr("risk_stratification"),
		[JUP_POLICY_FLOW] = jup_v_cstr("s251 risk stratification"),
		[JUP_POLICY_NATIONAL_OPT_OUT] = jup_v_cstr("exempt"),
		[JUP_POLICY_GP_TYPE1] = jup_v_cstr("applies"),
		[JUP_POLICY_RECORD_OBJECTION] = jup_v_cstr("applies"),
		[JUP_POLICY_CITIZEN_CHOICE] = jup_v_cstr("applies"),
		[JUP_POLICY_SC_CONSENT] = jup_v_cstr("required"),
		[JUP_POLICY_SPECIFIC_CONSENT] = jup_v_cstr("not_required"),
		[JUP_POLICY_PARTICIPATION] = jup_v_cstr("required"),
		[JUP_POLICY_APPROVAL] = jup_v_cstr("CAG 7-04(a)/2013"),
		[JUP_POLICY_DESCRIPTION] = jup_v_cstr("Invented approval for the test."),
		[JUP_POLICY_ACTIVE] = jup_v_int(1),
	};
	assert_int_equal(jup_store_insert(st, JUP_TABLE_CONSENT_POLICY, row, NULL, NULL, &err),
			 JUP_OK);
	jup_consent_decision d;
	assert_int_equal(jup_consent_decide(st, NATIONAL, JUP_CONSENT_RISK_STRATIFICATION,
					    "s251 risk stratification", &d, &err),
			 JUP_OK);
	assert_true(d.permit);
	assert_string_equal(d.flow, "s251 risk stratification");
	/* without a flow, the purpose's first active row still rules */
	assert_false(decide(NATIONAL, JUP_CONSENT_RISK_STRATIFICATION).permit);
	assert_int_equal(jup_consent_policy_each(st, collect, rows, &err), JUP_OK);
	assert_string_equal(rows[4].approval, "CAG 7-04(a)/2013");
	/* an inactive flow is refused */
	jup_match by_flow = { JUP_POLICY_FLOW, jup_v_cstr("s251 risk stratification") };
	jup_match off = { JUP_POLICY_ACTIVE, jup_v_int(0) };
	assert_int_equal(
		jup_store_update(st, JUP_TABLE_CONSENT_POLICY, &by_flow, 1, &off, 1, NULL, &err),
		JUP_OK);
	assert_int_equal(jup_consent_decide(st, NATIONAL, JUP_CONSENT_RISK_STRATIFICATION,
					    "s251 risk stratification", &d, &err),
			 JUP_ERR_INVALID);
}

static void test_names(void **state)
{
	(void)state;
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
		jup_consent_purpose back;
		assert_true(jup_consent_purpose_parse(
			jup_consent_purpose_name((jup_consent_purpose)p), false, &back));
		assert_int_equal(back, p);
	}
	jup_consent_purpose p;
	assert_false(jup_consent_purpose_parse("all", false, &p));
	assert_true(jup_consent_purpose_parse("all", true, &p));
	assert_int_equal(p, JUP_CONSENT_EVERY_PURPOSE);
	assert_false(jup_consent_purpose_parse("marketing", true, &p));
	jup_consent_source s;
	assert_true(jup_consent_source_parse("record_objection", &s));
	assert_int_equal(s, JUP_CONSENT_SRC_RECORD_OBJECTION);
	assert_false(jup_consent_source_parse("gp", &s));
	assert_string_equal(jup_consent_source_name(JUP_CONSENT_SOURCE__COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),       cmocka_unit_test(test_table),
		cmocka_unit_test(test_wording),     cmocka_unit_test(test_change_at_once),
		cmocka_unit_test(test_latest_wins), cmocka_unit_test(test_set_audits),
		cmocka_unit_test(test_refusals),    cmocka_unit_test(test_policy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
