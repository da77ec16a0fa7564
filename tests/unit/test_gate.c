/*
 * test_gate.c - the purpose gate: every role against every purpose, each
 * kind of care relationship (and its absence), break-glass (grant, reuse,
 * expiry, refusals, review), who may write care plans (the write action,
 * logged under its own name), consent and opt-outs through the gate, a
 * citizen's change taking effect on the next request, one audit entry per
 * decision that verifies, and a property test: over random sequences of
 * requests and consent changes, the gate's decisions match a model of the
 * rules and no denied decision ever yields data.
 *
 * Every test runs twice: deciding with jup_gate_decide, and through a
 * jup_gate_group (its own connection and index of facts) while the test's
 * changes (consent, grants, new rows) are made on another connection, so
 * the index must notice each one by the next request. The group is also
 * checked against jup_gate_decide decision by decision.
 *
 * The fixture: small hand-written extracts (three practices, one not taking
 * part; two trusts; the council; a hospice), linked. Invented people, NHS
 * numbers from the 999 test range. The clock is fixed by each request.
 */
#include "jup_test.h"

#include "audit/jup_audit.h"
#include "care/jup_care.h"
#include "core/jup_rng.h"
#include "gate/jup_gate.h"
#include "ingest/jup_ingest_import.h"
#include "link/jup_link_db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GP_IN    "Y90001" /* takes part */
#define GP_OUT   "Y90003" /* does not take part */
#define GP_OTHER "Y90004" /* takes part; nobody's current practice but one mover's old one */
#define TRUST_A  "R9A"
#define TRUST_B  "R9B"
#define COUNCIL  "E08000035"
#define HOSPICE  "H9A01"

#define NOW   "2026-11-23T10:00:00Z"
#define LATER "2027-03-01T10:00:00Z" /* past every episode's recency */

/* The people. */
#define FULL      "9990002002" /* everything: GP_IN, open admission at A, council team, EOL plan */
#define OLD_EPI   "9990002010" /* GP_IN; admission at A long ago; recent A&E at B */
#define NATIONAL  "9990002029" /* GP_IN; national data opt-out */
#define NOT_PART  "9990002037" /* registered at GP_OUT; open admission at A */
#define OBJECTOR  "9990002045" /* GP_IN; objects to the shared record */
#define TEAM_OVER "9990002053" /* GP_IN; council team allocation ended */
#define MOVER     "9990002061" /* was at GP_OTHER, now at GP_IN */
#define UNKNOWN   "9990002088" /* no record anywhere */
#define RESEARCH  "9990002096" /* GP_IN; specific consent to research */

/* clang-format off */
static const char organisations[] =
	"org_code,name,kind,participating,postcode\n"
	GP_IN ",Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
	GP_OUT ",Beckside Medical Practice,gp_practice,N,LS9 7QT\n"
	GP_OTHER ",Moorview Practice,gp_practice,Y,LS8 1AA\n"
	TRUST_A ",Synthetic General Hospitals NHS Trust,hospital_trust,Y,LS1 3EX\n"
	TRUST_B ",Synthetic District Hospitals NHS Trust,hospital_trust,Y,LS2 9JT\n"
	COUNCIL ",Synthetic City Council,council,Y,LS1 1UR\n"
	HOSPICE ",Synthetic Hospice,hospice,Y,LS16 6QB\n";

#define GPROW(practice, local, nhs, given) \
	practice "," local "," nhs "," given ",Gatetest,1940-02-02,M,LS6 2AB,,2000-01-01\n"
static const char gp_patients[] =
	"practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"registered_on\n"
	GPROW(GP_IN, "G1", FULL, "Abe")
	GPROW(GP_IN, "G2", OLD_EPI, "Bo")
	GPROW(GP_IN, "G3", NATIONAL, "Cy")
	GPROW(GP_OUT, "G4", NOT_PART, "Di")
	GPROW(GP_IN, "G5", OBJECTOR, "Ed")
	GPROW(GP_IN, "G6", TEAM_OVER, "Fi")
	GPROW(GP_OTHER, "G7", MOVER, "Gus")
	GPROW(GP_IN, "G8", MOVER, "Gus")
	GPROW(GP_IN, "G9", RESEARCH, "Hal");

#define HROW(trust, local, nhs, given) \
	trust "," local "," nhs "," given ",Gatetest,1940-02-02,M,LS6 2AB,\n"
static const char hospital_patients[] =
	"trust_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address\n"
	HROW(TRUST_A, "H1", FULL, "Abe")
	HROW(TRUST_A, "H2", OLD_EPI, "Bo")
	HROW(TRUST_B, "H3", OLD_EPI, "Bo")
	HROW(TRUST_A, "H4", NOT_PART, "Di");

static const char hospital_admissions[] =
	"trust_code,spell_id,local_id,method,admitted_on,discharged_on,discharge_destination,"
	"diagnoses\n"
	TRUST_A ",S1,H1,emergency,2026-11-20,,,J18.9\n"
	TRUST_A ",S2,H2,elective,2025-11-01,2025-11-03,home,K80.2\n"
	TRUST_A ",S3,H4,emergency,2026-11-21,,,I50.0\n";

static const char ae_attendances[] =
	"trust_code,attendance_id,local_id,arrived_at,disposal\n"
	TRUST_B ",A1,H3,2026-10-20T09:30,discharged\n";

#define SCROW(local, nhs, given) \
	COUNCIL "," local "," nhs "," given ",Gatetest,1940-02-02,M,LS6 2AB,,\n"
static const char sc_clients[] =
	"council_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,"
	"practice_code\n"
	SCROW("C1", FULL, "Abe")
	SCROW("C2", TEAM_OVER, "Fi");

static const char sc_consents[] =
	"council_code,local_id,form_version,decision,recorded_on,recorded_by\n"
	COUNCIL ",C1,SC-CONSENT-v3,permit,2026-01-09,sw.test\n"
	COUNCIL ",C2,SC-CONSENT-v3,permit,2026-01-09,sw.test\n";

static const char care_team[] =
	"org_code,team,source_org,local_id,role,started_on,ended_on\n"
	COUNCIL ",Adult Social Care North," COUNCIL ",C1,social_worker,2026-03-01,\n"
	COUNCIL ",Adult Social Care North," COUNCIL ",C2,social_worker,2025-03-01,2026-01-01\n";

static const char eol_register[] =
	"practice_code,local_id,added_on,preferred_place_of_care,preferred_place_of_death,"
	"resuscitation\n"
	GP_IN ",G1,2026-09-01,home,home,dnacpr\n";

static const char national_opt_outs[] = "nhs_number,recorded_on\n" NATIONAL ",2023-01-10\n";
/* clang-format on */

/* The users: one per role, and a second GP at another practice. */
enum {
	U_GP,
	U_GP_OTHER,
	U_DOC_A,
	U_DOC_B,
	U_SOCIAL,
	U_COORD,
	U_EOL,
	U_ANALYST,
	U_IG,
	U_ENGAGE,
	U_ADMIN,
	U_CITIZEN,
	U__N
};
static const struct {
	const char *name;
	jup_role role;
	const char *org, *nhs;
} user_spec[U__N] = {
	[U_GP] = { "gp.in", JUP_ROLE_GP, GP_IN, NULL },
	[U_GP_OTHER] = { "gp.other", JUP_ROLE_GP, GP_OTHER, NULL },
	[U_DOC_A] = { "doc.a", JUP_ROLE_HOSPITAL_CLINICIAN, TRUST_A, NULL },
	[U_DOC_B] = { "doc.b", JUP_ROLE_HOSPITAL_CLINICIAN, TRUST_B, NULL },
	[U_SOCIAL] = { "sw.council", JUP_ROLE_SOCIAL_WORKER, COUNCIL, NULL },
	[U_COORD] = { "coord.council", JUP_ROLE_CARE_COORDINATOR, COUNCIL, NULL },
	[U_EOL] = { "eol.line", JUP_ROLE_EOL_OPERATOR, HOSPICE, NULL },
	[U_ANALYST] = { "analyst", JUP_ROLE_ANALYST, COUNCIL, NULL },
	[U_IG] = { "ig.officer", JUP_ROLE_IG_OFFICER, COUNCIL, NULL },
	[U_ENGAGE] = { "engage", JUP_ROLE_ENGAGEMENT_OFFICER, COUNCIL, NULL },
	[U_ADMIN] = { "admin", JUP_ROLE_ADMIN, COUNCIL, NULL },
	[U_CITIZEN] = { "citizen.abe", JUP_ROLE_CITIZEN, NULL, FULL },
};

static jup_store *st;
static char base_path[512];
static jup_user users[U__N];
static bool grouped;          /* decide through group */
static jup_gate_group *group; /* on the test's copy, when grouped */

static void import_fixture(void)
{
	static const struct {
		const char *name, *text;
	} files[] = {
		{ "organisations.csv", organisations },
		{ "gp_patients.csv", gp_patients },
		{ "hospital_patients.csv", hospital_patients },
		{ "hospital_admissions.csv", hospital_admissions },
		{ "ae_attendances.csv", ae_attendances },
		{ "social_care_clients.csv", sc_clients },
		{ "social_care_consents.csv", sc_consents },
		{ "care_team.csv", care_team },
		{ "gp_eol_register.csv", eol_register },
		{ "national_opt_outs.csv", national_opt_outs },
	};
	enum { N = sizeof files / sizeof files[0] };
	static char kept[N][600]; /* jup_test_write_file reuses its buffers */
	const char *paths[N];
	const char *dir = jup_test_tmpdir();
	for (size_t i = 0; i < N; i++) {
		snprintf(kept[i], sizeof kept[i], "%s", jup_test_write_file(dir, files[i].name,
									     files[i].text));
		paths[i] = kept[i];
	}
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23), .problems = stderr };
	jup_import_summary sum;
	jup_err err = { "" };
	if (jup_ingest_import(st, paths, N, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	assert_int_equal(sum.files_rejected, 0);
}

static void add_users(void)
{
	for (int i = 0; i < U__N; i++) {
		jup_user_new u = { user_spec[i].name, user_spec[i].role, user_spec[i].org,
				   user_spec[i].nhs, "correct horse battery" };
		jup_err err = { "" };
		if (jup_user_add(st, &u, NULL, &err))
			fail_msg("user %s: %s", user_spec[i].name, err.msg);
	}
}

static void find_users(void)
{
	for (int i = 0; i < U__N; i++) {
		jup_err err = { "" };
		if (jup_user_find(st, user_spec[i].name, &users[i], &err))
			fail_msg("find %s: %s", user_spec[i].name, err.msg);
	}
}

static void consent(const char *nhs, jup_consent_purpose p, jup_consent_source src, bool permit)
{
	jup_err err = { "" };
	if (jup_consent_set(st, nhs, p, src, permit, "test.clerk", NULL, NULL, &err))
		fail_msg("consent: %s", err.msg);
}

/* The linked, consented base store, built once; each test opens a copy. */
static int group_setup(void **state)
{
	(void)state;
	snprintf(base_path, sizeof base_path, "%s/gate.db", jup_test_tmpdir());
	st = jup_test_open_store(base_path);
	import_fixture();
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	jup_link_db_report rep;
	jup_err err = { "" };
	if (jup_link_db_run(st, &o, &rep, &err))
		fail_msg("link: %s", err.msg);
	add_users();
	consent(OBJECTOR, JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_RECORD_OBJECTION, false);
	consent(RESEARCH, JUP_CONSENT_RESEARCH, JUP_CONSENT_SRC_CITIZEN, true);
	jup_store_close(st);
	return 0;
}

static int setup(void **state)
{
	static int n;
	char name[32], path[700];
	snprintf(name, sizeof name, "gate-%d.db", n++);
	st = jup_test_open_copy(base_path, name);
	find_users();
	grouped = *state != NULL;
	group = NULL;
	snprintf(path, sizeof path, "%s/%s", jup_test_tmpdir(), name);
	jup_err err = { "" };
	if (grouped && jup_gate_group_open(path, &group, &err))
		fail_msg("group: %s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jup_gate_group_close(group);
	group = NULL;
	jup_store_close(st);
	return 0;
}

static int64_t count(jup_table t)
{
	int64_t n = -1;
	jup_err err;
	assert_int_equal(jup_store_count(st, t, &n, &err), JUP_OK);
	return n;
}

/* In group mode: jup_gate_decide, asked the same on the test's own
 * connection, decides the same (it logs one more entry, id `logged` + 1). */
static void same_as_direct(const jup_gate_request *rq, const jup_gate_decision *g, int64_t logged)
{
	jup_gate_request again = *rq;
	again.break_glass = NULL; /* a grant the group made stands for both */
	jup_gate_decision d;
	jup_err err = { "" };
	jup_status s = jup_gate_decide(st, &again, &d, &err);
	if (s && s != JUP_ERR_INVALID)
		fail_msg("decide directly: %s", err.msg);
	if (rq->break_glass && !g->permit) {
		assert_false(d.permit); /* refused break-glass: no grant to reuse */
		return;
	}
	assert_int_equal(d.audit_id, logged + 1);
	if (d.permit != g->permit || d.basis != g->basis || d.view != g->view ||
	    d.gp_data != g->gp_data || d.hospital_data != g->hospital_data ||
	    d.social_care_data != g->social_care_data || d.npersons != g->npersons ||
	    strcmp(d.reason, g->reason) != 0 || strcmp(d.what, g->what) != 0)
		fail_msg("the group decided \"%s\" (%s) but directly \"%s\" (%s)", g->reason,
			 g->permit ? "permit" : "deny", d.reason, d.permit ? "permit" : "deny");
}

/* Ask the gate for action; fails the test on an error other than those
 * expected. */
static jup_gate_decision ask_action(int user, jup_gate_action action, jup_consent_purpose p,
				    const char *nhs, const char *break_glass, const char *now)
{
	jup_gate_request rq = { .actor = &users[user],
				.purpose = p,
				.action = action,
				.nhs_number = nhs,
				.break_glass = break_glass,
				.request_id = "test-request",
				.now = now };
	jup_gate_decision d;
	jup_err err = { "" };
	int64_t before = count(JUP_TABLE_AUDIT_ENTRY);
	jup_status s = grouped ? jup_gate_group_decide(group, &rq, &d, &err)
			       : jup_gate_decide(st, &rq, &d, &err);
	if (s && s != JUP_ERR_INVALID)
		fail_msg("decide: %s", err.msg);
	if (grouped)
		same_as_direct(&rq, &d, before + 1);
	/* every decision, permit or deny, is one new audit entry (two when
	 * the group's is checked against a direct one) */
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), before + 1 + grouped);
	assert_int_equal(d.audit_id, before + 1);
	assert_int_equal(d.action, action);
	return d;
}

static jup_gate_decision ask_at(int user, jup_consent_purpose p, const char *nhs,
				const char *break_glass, const char *now)
{
	return ask_action(user, JUP_GATE_READ_RECORD, p, nhs, break_glass, now);
}

static jup_gate_decision ask(int user, jup_consent_purpose p, const char *nhs)
{
	return ask_at(user, p, nhs, NULL, NOW);
}

#define DC JUP_CONSENT_DIRECT_CARE
#define RS JUP_CONSENT_RISK_STRATIFICATION
#define PL JUP_CONSENT_PLANNING
#define RE JUP_CONSENT_RESEARCH

/* ---- roles x purposes --------------------------------------------------------------- */

/* For FULL (who has every relationship) and RESEARCH (consented to
 * research): who may do what. */
static void test_roles_by_purpose(void **state)
{
	(void)state;
	static const struct {
		int user;
		bool allow[JUP_CONSENT_PURPOSE__COUNT];
		jup_gate_basis basis;
		jup_gate_view view;
	} table[] = {
		{ U_GP, { true, true, false, false }, JUP_GATE_BASIS_REGISTERED, JUP_GATE_VIEW_FULL },
		{ U_DOC_A, { true, false, false, false }, JUP_GATE_BASIS_HOSPITAL_EPISODE,
		  JUP_GATE_VIEW_FULL },
		{ U_SOCIAL, { true, false, false, false }, JUP_GATE_BASIS_CARE_TEAM,
		  JUP_GATE_VIEW_FULL },
		{ U_COORD, { true, true, false, false }, JUP_GATE_BASIS_CARE_TEAM,
		  JUP_GATE_VIEW_FULL },
		{ U_EOL, { true, false, false, false }, JUP_GATE_BASIS_EOL_REGISTER,
		  JUP_GATE_VIEW_EOL },
		{ U_ANALYST, { false, false, true, false }, JUP_GATE_BASIS_ANONYMOUS,
		  JUP_GATE_VIEW_DEIDENTIFIED },
		{ U_IG, { false, false, false, false }, 0, 0 },
		{ U_ENGAGE, { false, false, false, false }, 0, 0 },
		{ U_ADMIN, { false, false, false, false }, 0, 0 },
		{ U_CITIZEN, { true, false, false, false }, JUP_GATE_BASIS_SELF, JUP_GATE_VIEW_FULL },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++) {
			jup_gate_decision d = ask(table[i].user, (jup_consent_purpose)p, FULL);
			if (d.permit != table[i].allow[p])
				fail_msg("%s for %s: %s (%s)", user_spec[table[i].user].name,
					 jup_consent_purpose_name((jup_consent_purpose)p),
					 d.permit ? "permit" : "deny", d.reason);
			if (!d.permit)
				continue;
			assert_int_equal(d.basis, table[i].basis);
			assert_int_equal(d.view, table[i].view);
			assert_int_equal(d.npersons, 1);
		}
	/* research needs specific consent: the analyst sees the one who gave it */
	assert_false(ask(U_ANALYST, RE, FULL).permit);
	jup_gate_decision d = ask(U_ANALYST, RE, RESEARCH);
	assert_true(d.permit);
	assert_int_equal(d.view, JUP_GATE_VIEW_DEIDENTIFIED);
}

/* ---- relationships -------------------------------------------------------------------- */

static void assert_denied_because(jup_gate_decision d, const char *words)
{
	assert_false(d.permit);
	assert_int_equal(d.view, JUP_GATE_VIEW_NONE);
	if (!strstr(d.reason, words))
		fail_msg("reason \"%s\" lacks \"%s\"", d.reason, words);
}

static void test_gp_registration(void **state)
{
	(void)state;
	assert_true(ask(U_GP, DC, FULL).permit);
	assert_denied_because(ask(U_GP_OTHER, DC, FULL), "not registered at your practice");
	/* the current registration counts, not an old one */
	assert_true(ask(U_GP, DC, MOVER).permit);
	assert_denied_because(ask(U_GP_OTHER, DC, MOVER), "not registered at your practice");
}

static void test_hospital_episodes(void **state)
{
	(void)state;
	/* open admission at A */
	assert_true(ask(U_DOC_A, DC, FULL).permit);
	assert_denied_because(ask(U_DOC_B, DC, FULL), "at your trust");
	/* an admission a year ago is not recent; an A&E attendance a month ago is */
	assert_denied_because(ask(U_DOC_A, DC, OLD_EPI), "at your trust");
	assert_true(ask(U_DOC_B, DC, OLD_EPI).permit);
	/* ... until it is past the window; an open admission stays */
	assert_false(ask_at(U_DOC_B, DC, OLD_EPI, NULL, LATER).permit);
	assert_true(ask_at(U_DOC_A, DC, FULL, NULL, LATER).permit);
}

static void test_care_team_and_eol(void **state)
{
	(void)state;
	assert_true(ask(U_SOCIAL, DC, FULL).permit);
	assert_denied_because(ask(U_SOCIAL, DC, TEAM_OVER), "not allocated to a team");
	assert_true(ask(U_EOL, DC, FULL).permit);
	assert_denied_because(ask(U_EOL, DC, OLD_EPI), "no end-of-life plan");
}

static void test_unknown_and_invalid(void **state)
{
	(void)state;
	assert_denied_because(ask(U_GP, DC, UNKNOWN), "no linked record");
	jup_gate_decision d = ask(U_GP, DC, "9990002003"); /* bad check digit */
	assert_denied_because(d, "not a valid NHS number");
	assert_int_equal(d.npersons, 0);
	/* a citizen sees only their own record */
	assert_denied_because(ask(U_CITIZEN, DC, OLD_EPI), "only their own record");
	/* a request without an actor is a usage error and writes nothing */
	jup_gate_request rq = { .purpose = DC, .nhs_number = FULL };
	jup_gate_decision out;
	jup_err err;
	int64_t before = count(JUP_TABLE_AUDIT_ENTRY);
	assert_int_equal(jup_gate_decide(st, &rq, &out, &err), JUP_ERR_USAGE);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), before);
}

/* ---- break-glass ------------------------------------------------------------------------ */

typedef struct grant_list {
	int n;
	jup_gate_grant last;
} grant_list;

static jup_status keep_grant(void *ctx, const jup_gate_grant *g, jup_err *err)
{
	(void)err;
	grant_list *l = ctx;
	l->n++;
	l->last = *g;
	return JUP_OK;
}

static grant_list grants(bool pending_only)
{
	grant_list l = { 0 };
	jup_err err = { "" };
	if (jup_gate_grant_each(st, pending_only, keep_grant, &l, &err))
		fail_msg("grants: %s", err.msg);
	return l;
}

typedef struct entry_view {
	char outcome[16], break_glass[JUP_AUDIT_MAX_FIELD + 1], reason[JUP_AUDIT_MAX_FIELD + 1];
	char action[32], what[JUP_GATE_MAX_WHAT];
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
	copy_sv(e->outcome, sizeof e->outcome, r.f.f[JUP_AUDIT_F_OUTCOME]);
	copy_sv(e->break_glass, sizeof e->break_glass, r.f.f[JUP_AUDIT_F_BREAK_GLASS]);
	copy_sv(e->reason, sizeof e->reason, r.f.f[JUP_AUDIT_F_REASON]);
	copy_sv(e->action, sizeof e->action, r.f.f[JUP_AUDIT_F_ACTION]);
	copy_sv(e->what, sizeof e->what, r.f.f[JUP_AUDIT_F_WHAT]);
	return JUP_OK;
}

static entry_view entry(int64_t id)
{
	entry_view e = { "" };
	jup_match m = { JUP_COL_ID, jup_v_int(id) };
	jup_err err = { "" };
	if (jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &m, 1, view_entry, &e, &err))
		fail_msg("entry: %s", err.msg);
	return e;
}

#define BG_REASON "Unconscious in A&E, no GP contactable, allergies needed"

static void test_break_glass(void **state)
{
	(void)state;
	jup_gate_decision d = ask_at(U_GP_OTHER, DC, FULL, BG_REASON, NOW);
	assert_true(d.permit);
	assert_int_equal(d.basis, JUP_GATE_BASIS_BREAK_GLASS);
	assert_true(d.grant_id > 0);
	assert_string_equal(d.grant_expires, "2026-11-23T22:00:00Z");
	entry_view e = entry(d.audit_id);
	assert_string_equal(e.outcome, "permit");
	assert_string_equal(e.break_glass, BG_REASON);
	/* on the review list, once */
	grant_list l = grants(true);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.last.username, "gp.other");
	assert_string_equal(l.last.reason, BG_REASON);
	assert_int_equal(l.last.audit_id, d.audit_id);
	/* within the grant, no new reason is needed, and the access is still flagged */
	jup_gate_decision again = ask_at(U_GP_OTHER, DC, FULL, NULL, "2026-11-23T21:59:59Z");
	assert_true(again.permit);
	assert_int_equal(again.grant_id, d.grant_id);
	assert_string_equal(entry(again.audit_id).break_glass, BG_REASON);
	assert_int_equal(grants(true).n, 1);
	/* expired: denied again, with the way out */
	assert_denied_because(ask_at(U_GP_OTHER, DC, FULL, NULL, "2026-11-23T22:00:00Z"),
			      "break glass");
	/* the grant is for that user and person only */
	assert_false(ask_at(U_GP_OTHER, DC, OLD_EPI, NULL, NOW).permit);
	assert_false(ask_at(U_DOC_B, DC, FULL, NULL, NOW).permit);
}

static void test_break_glass_refusals(void **state)
{
	(void)state;
	/* not for planning, not for every role, not on a word */
	assert_denied_because(ask_at(U_GP_OTHER, RS, FULL, BG_REASON, NOW), "direct care only");
	assert_denied_because(ask_at(U_EOL, DC, OLD_EPI, BG_REASON, NOW), "not open to your role");
	jup_gate_decision d = ask_at(U_GP_OTHER, DC, FULL, "urgent", NOW);
	assert_denied_because(d, "break-glass reason must be");
	assert_string_equal(entry(d.audit_id).outcome, "deny");
	d = ask_at(U_GP_OTHER, DC, FULL, "two\nlines of reason here", NOW);
	assert_false(d.permit);
	/* consent still applies */
	assert_denied_because(ask_at(U_GP_OTHER, DC, OBJECTOR, BG_REASON, NOW), "objected");
	/* with a relationship, break-glass is not used and nothing is flagged */
	d = ask_at(U_GP, DC, FULL, BG_REASON, NOW);
	assert_true(d.permit);
	assert_int_equal(d.basis, JUP_GATE_BASIS_REGISTERED);
	assert_string_equal(entry(d.audit_id).break_glass, "");
	assert_int_equal(count(JUP_TABLE_BREAK_GLASS), 0);
}

static void test_review(void **state)
{
	(void)state;
	jup_gate_decision d = ask_at(U_DOC_B, DC, FULL, BG_REASON, NOW);
	assert_true(d.permit);
	jup_err err = { "" };
	assert_int_equal(jup_gate_review(st, &users[U_GP], d.grant_id, true, "fine", &err),
			 JUP_ERR_DENIED);
	assert_int_equal(jup_gate_review(st, &users[U_IG], d.grant_id + 7, true, "fine", &err),
			 JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_gate_review(st, &users[U_IG], d.grant_id, true, "", &err),
			 JUP_ERR_INVALID);
	int64_t before = count(JUP_TABLE_AUDIT_ENTRY);
	assert_int_equal(jup_gate_review(st, &users[U_IG], d.grant_id, false,
					 "No emergency recorded; raised with the clinician", &err),
			 JUP_OK);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), before + 1);
	assert_int_equal(jup_gate_review(st, &users[U_IG], d.grant_id, true, "again", &err),
			 JUP_ERR_EXISTS);
	assert_int_equal(grants(true).n, 0);
	grant_list all = grants(false);
	assert_int_equal(all.n, 1);
	assert_true(all.last.reviewed);
	assert_string_equal(all.last.reviewed_by, "ig.officer");
	assert_string_equal(all.last.outcome, "inappropriate");
}

/* ---- writing care plans --------------------------------------------------------------------- */

/* For FULL (who has every relationship): who may write a care plan, on what
 * basis; the entry's action is the action's name. */
static void test_write_care_plan(void **state)
{
	(void)state;
	static const struct {
		int user;
		bool allow;
		jup_gate_basis basis;
		const char *why; /* part of the reason for a denial */
	} table[] = {
		{ U_GP, true, JUP_GATE_BASIS_REGISTERED, NULL },
		{ U_DOC_A, true, JUP_GATE_BASIS_HOSPITAL_EPISODE, NULL },
		{ U_SOCIAL, true, JUP_GATE_BASIS_CARE_TEAM, NULL },
		{ U_COORD, true, JUP_GATE_BASIS_CARE_TEAM, NULL },
		{ U_EOL, true, JUP_GATE_BASIS_EOL_REGISTER, NULL },
		{ U_GP_OTHER, false, 0, "not registered at your practice" },
		{ U_DOC_B, false, 0, "at your trust" },
		{ U_ANALYST, false, 0, "may not write care plans" },
		{ U_CITIZEN, false, 0, "may not write care plans" },
		{ U_IG, false, 0, "may not write care plans" },
		{ U_ENGAGE, false, 0, "may not write care plans" },
		{ U_ADMIN, false, 0, "may not write care plans" },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		jup_gate_decision d =
			ask_action(table[i].user, JUP_GATE_WRITE_CARE_PLAN, DC, FULL, NULL, NOW);
		entry_view e = entry(d.audit_id);
		assert_string_equal(e.action, "care_plan.write");
		if (d.permit != table[i].allow)
			fail_msg("%s writing: %s (%s)", user_spec[table[i].user].name,
				 d.permit ? "permit" : "deny", d.reason);
		if (!d.permit) {
			assert_denied_because(d, table[i].why);
			assert_string_equal(e.what, "care_plan");
			continue;
		}
		assert_int_equal(d.basis, table[i].basis);
		assert_int_equal(d.npersons, 1);
		assert_non_null(strstr(e.what, "care_plan view="));
		/* a permit to write reads nothing */
		json_t *rec = NULL;
		jup_err err = { "" };
		assert_int_equal(jup_care_record(st, &d, &rec, &err), JUP_ERR_DENIED);
		assert_null(rec);
	}
	/* direct care only, even for a GP; a read is still a read */
	assert_denied_because(ask_action(U_GP, JUP_GATE_WRITE_CARE_PLAN, RS, FULL, NULL, NOW),
			      "direct care only");
	assert_string_equal(entry(ask(U_GP, DC, FULL).audit_id).action, "record.read");
	/* break-glass stands in for the relationship; consent still applies */
	jup_gate_decision d =
		ask_action(U_GP_OTHER, JUP_GATE_WRITE_CARE_PLAN, DC, FULL, BG_REASON, NOW);
	assert_true(d.permit);
	assert_int_equal(d.basis, JUP_GATE_BASIS_BREAK_GLASS);
	assert_string_equal(entry(d.audit_id).break_glass, BG_REASON);
	assert_denied_because(ask_action(U_GP, JUP_GATE_WRITE_CARE_PLAN, DC, OBJECTOR, NULL, NOW),
			      "objected");
}

/* ---- consent through the gate ------------------------------------------------------------ */

static void test_opt_outs_and_participation(void **state)
{
	(void)state;
	/* a national data opt-out: out of planning (and research), not direct care */
	assert_true(ask(U_GP, DC, NATIONAL).permit);
	assert_denied_because(ask(U_ANALYST, PL, NATIONAL), "national data opt-out");
	assert_false(ask(U_ANALYST, RE, NATIONAL).permit);
	assert_true(ask(U_ANALYST, PL, OLD_EPI).permit);
	/* a practice that does not take part: the record is seen, its GP part is not */
	jup_gate_decision d = ask(U_DOC_A, DC, NOT_PART);
	assert_true(d.permit);
	assert_false(d.gp_data);
	assert_true(d.hospital_data);
	assert_true(ask(U_DOC_A, DC, FULL).gp_data);
	/* an objection to the shared record stops direct care; the citizen still sees it */
	assert_denied_because(ask(U_GP, DC, OBJECTOR), "objected");
}

static void test_change_takes_effect_next_request(void **state)
{
	(void)state;
	assert_true(ask(U_GP, DC, FULL).permit);
	consent(FULL, DC, JUP_CONSENT_SRC_CITIZEN, false);
	assert_denied_because(ask(U_GP, DC, FULL), "asked for their information not to be used");
	/* the citizen still sees their own record, with nothing shared from it */
	jup_gate_decision self = ask(U_CITIZEN, DC, FULL);
	assert_true(self.permit);
	assert_false(self.gp_data || self.hospital_data || self.social_care_data);
	consent(FULL, DC, JUP_CONSENT_SRC_CITIZEN, true);
	assert_true(ask(U_GP, DC, FULL).permit);
}

/* A change to the data the facts come from (here a practice joining) is
 * seen by the next request, also by a group that kept the old facts. */
static void test_data_change_takes_effect_next_request(void **state)
{
	(void)state;
	assert_false(ask(U_DOC_A, DC, NOT_PART).gp_data);
	jup_match org = { JUP_ORG_CODE, jup_v_cstr(GP_OUT) };
	jup_match joins = { JUP_ORG_PARTICIPATING, jup_v_int(1) };
	int64_t changed = 0;
	jup_err err = { "" };
	if (jup_store_update(st, JUP_TABLE_ORGANISATION, &org, 1, &joins, 1, &changed, &err))
		fail_msg("update: %s", err.msg);
	assert_int_equal(changed, 1);
	assert_true(ask(U_DOC_A, DC, NOT_PART).gp_data);
}

static void test_log_verifies(void **state)
{
	(void)state;
	(void)ask(U_GP, DC, FULL);
	(void)ask(U_GP_OTHER, DC, FULL);
	(void)ask_at(U_GP_OTHER, DC, FULL, BG_REASON, NOW);
	jup_audit_report rep;
	jup_err err = { "" };
	if (jup_audit_verify(st, NULL, &rep, &err))
		fail_msg("verify: %s", err.msg);
	assert_int_equal(rep.entries, count(JUP_TABLE_AUDIT_ENTRY));
}

/* ---- many threads through one group ------------------------------------------------- */

#define THREADS    8
#define PER_THREAD 150

typedef struct asker {
	int n;
	jup_gate_decision d[PER_THREAD];
	jup_status s[PER_THREAD];
} asker;

/* Thread i asks PER_THREAD times, alternating a permit (its GP) and a
 * denial (another practice's GP), for people in turn. */
static void *ask_many(void *arg)
{
	asker *a = arg;
	for (int k = 0; k < PER_THREAD; k++) {
		int user = k % 2 ? U_GP_OTHER : U_GP;
		jup_gate_request rq = { .actor = &users[user],
					.purpose = DC,
					.action = JUP_GATE_READ_RECORD,
					.nhs_number = (a->n + k) % 3 ? FULL : OLD_EPI,
					.request_id = "test-thread",
					.now = NOW };
		jup_err err;
		a->s[k] = jup_gate_group_decide(group, &rq, &a->d[k], &err);
	}
	return NULL;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Concurrent callers: batches form, every decision is right, logged once
 * under its own entry, and the log verifies. */
static void test_group_threads(void **state)
{
	(void)state;
	static asker a[THREADS];
	pthread_t t[THREADS];
	int64_t before = count(JUP_TABLE_AUDIT_ENTRY);
	for (int i = 0; i < THREADS; i++) {
		a[i].n = i;
		assert_int_equal(pthread_create(&t[i], NULL, ask_many, &a[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	static int64_t ids[THREADS * PER_THREAD];
	int n = 0;
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < PER_THREAD; k++) {
			assert_int_equal(a[i].s[k], JUP_OK);
			assert_int_equal(a[i].d[k].permit, k % 2 == 0);
			ids[n++] = a[i].d[k].audit_id;
		}
	qsort(ids, (size_t)n, sizeof ids[0], cmp_i64);
	for (int i = 0; i < n; i++)
		assert_int_equal(ids[i], before + 1 + i);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), before + n);
	jup_gate_group_counts c;
	jup_gate_group_stats(group, &c);
	assert_int_equal(c.decisions, n);
	assert_true(c.batches >= 1 && c.batches <= (uint64_t)n);
	jup_audit_report rep;
	jup_err err = { "" };
	assert_int_equal(jup_audit_verify(st, NULL, &rep, &err), JUP_OK);
}

/* Callbacks: each submitted request completes once, with its status. */
typedef struct completions {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done, failed;
} completions;

static void count_done(void *ctx, jup_status status, const jup_err *err)
{
	(void)err;
	completions *c = ctx;
	pthread_mutex_lock(&c->lock);
	c->done++;
	c->failed += status != JUP_OK;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

#define SUBMITS 200

/* Submitted requests complete through callbacks, each once, decided as a
 * blocking call would be; closing the group completes what is in flight. */
static void test_group_submit(void **state)
{
	(void)state;
	static jup_gate_request rq[SUBMITS];
	static jup_gate_decision d[SUBMITS];
	completions c = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	jup_err err = { "" };
	int64_t before = count(JUP_TABLE_AUDIT_ENTRY);
	for (int k = 0; k < SUBMITS; k++) {
		rq[k] = (jup_gate_request){ .actor = &users[k % 2 ? U_GP_OTHER : U_GP],
					    .purpose = DC,
					    .action = JUP_GATE_READ_RECORD,
					    .nhs_number = k % 3 ? FULL : OLD_EPI,
					    .request_id = "test-submit",
					    .now = NOW };
		assert_int_equal(jup_gate_group_submit(group, &rq[k], &d[k], count_done, &c, &err),
				 JUP_OK);
		if (k == SUBMITS / 2) { /* half of them: wait for those in flight */
			pthread_mutex_lock(&c.lock);
			while (c.done < k + 1)
				pthread_cond_wait(&c.cond, &c.lock);
			pthread_mutex_unlock(&c.lock);
		}
	}
	jup_gate_group_close(group); /* the rest complete before it returns */
	group = NULL;
	assert_int_equal(c.done, SUBMITS);
	assert_int_equal(c.failed, 0);
	for (int k = 0; k < SUBMITS; k++)
		assert_int_equal(d[k].permit, k % 2 == 0);
	assert_int_equal(count(JUP_TABLE_AUDIT_ENTRY), before + SUBMITS);
}

/* ---- the property: decisions follow the rules, and denials give nothing ------------------- */

/* The model: what the fixture says, with the consent and grants the
 * sequence has made. */
#define NPEOPLE 7
static const char *const people[NPEOPLE] = { FULL,     OLD_EPI,  NATIONAL, NOT_PART,
					     OBJECTOR, TEAM_OVER, MOVER };

/* relation[user][person] at NOW: whether the user's organisation has the
 * relationship its role needs. */
static bool related(int user, int person)
{
	static const bool gp[NPEOPLE] = { 1, 1, 1, 0, 1, 1, 1 };
	static const bool doc_a[NPEOPLE] = { 1, 0, 0, 1, 0, 0, 0 };
	static const bool doc_b[NPEOPLE] = { 0, 1, 0, 0, 0, 0, 0 };
	static const bool team[NPEOPLE] = { 1, 0, 0, 0, 0, 0, 0 };
	switch (user) {
	case U_GP:
		return gp[person];
	case U_DOC_A:
		return doc_a[person];
	case U_DOC_B:
		return doc_b[person];
	case U_SOCIAL:
	case U_COORD:
	case U_EOL:
		return team[person]; /* FULL alone has a team and an end-of-life plan */
	case U_CITIZEN:
		return person == 0;
	default:
		return false;
	}
}

typedef struct model {
	bool citizen_deny[NPEOPLE]; /* every purpose */
	bool granted[U__N][NPEOPLE];
} model;

static bool may_act(int user, jup_consent_purpose p)
{
	switch (user) {
	case U_GP:
	case U_GP_OTHER:
	case U_COORD:
		return p == DC || p == RS;
	case U_DOC_A:
	case U_DOC_B:
	case U_SOCIAL:
	case U_EOL:
	case U_CITIZEN:
		return p == DC;
	case U_ANALYST:
		return p == PL || p == RE;
	default:
		return false;
	}
}

/* Whether a write gets past rule 1: direct care, by a role with relationships. */
static bool may_write(int user, jup_consent_purpose p)
{
	return p == DC && user != U_CITIZEN && user != U_ANALYST && may_act(user, p);
}

static bool can_break_glass(int user)
{
	return user == U_GP || user == U_GP_OTHER || user == U_DOC_A || user == U_DOC_B ||
	       user == U_SOCIAL || user == U_COORD;
}

/* Whether the person's consent lets their information be used. */
static bool consented(const model *m, int person, jup_consent_purpose p)
{
	if (m->citizen_deny[person] || person == 4 /* OBJECTOR */)
		return false;
	if (p == PL || p == RS)
		return person != 2; /* NATIONAL */
	return p != RE;         /* nobody here consented to research */
}

static bool expect(model *m, int user, jup_consent_purpose p, int person, bool bg)
{
	if (!may_act(user, p))
		return false;
	bool rel = user == U_ANALYST || related(user, person);
	if (!rel && p == DC && can_break_glass(user) && (bg || m->granted[user][person])) {
		if (!consented(m, person, p))
			return false;
		m->granted[user][person] = true;
		return true;
	}
	if (!rel)
		return false;
	return user == U_CITIZEN || consented(m, person, p);
}

/* A denied decision yields nothing; a permitted one only what it allows (a
 * permit to write: nothing to read). */
static void check_release(const jup_gate_decision *d)
{
	json_t *rec = NULL;
	jup_err err = { "" };
	jup_status s = jup_care_record(st, d, &rec, &err);
	if (d->action == JUP_GATE_WRITE_CARE_PLAN) {
		assert_int_equal(s, JUP_ERR_DENIED);
		assert_null(rec);
		return;
	}
	if (!d->permit) {
		assert_int_equal(s, JUP_ERR_DENIED);
		assert_null(rec);
		/* nor does a forged permit that was never logged */
		jup_gate_decision forged = *d;
		forged.permit = true;
		forged.audit_id = 0;
		assert_int_equal(jup_care_record(st, &forged, &rec, &err), JUP_ERR_DENIED);
		return;
	}
	if (s)
		fail_msg("record: %s", err.msg);
	if (!d->gp_data)
		assert_null(json_object_get(rec, "gp"));
	if (!d->social_care_data)
		assert_null(json_object_get(rec, "social_care"));
	json_decref(rec);
}

static void test_property_no_denied_data(void **state)
{
	(void)state;
	model m = { 0 };
	jup_rng rng;
	jup_rng_seed(&rng, 20261123);
	for (int step = 0; step < 400; step++) {
		int person = (int)(jup_rng_next(&rng) % NPEOPLE);
		if (jup_rng_next(&rng) % 10 == 0) { /* a citizen changes their mind */
			bool deny = jup_rng_next(&rng) % 2;
			consent(people[person], JUP_CONSENT_EVERY_PURPOSE, JUP_CONSENT_SRC_CITIZEN,
				!deny);
			m.citizen_deny[person] = deny;
			continue;
		}
		int user = (int)(jup_rng_next(&rng) % U__N);
		jup_consent_purpose p =
			(jup_consent_purpose)(jup_rng_next(&rng) % JUP_CONSENT_PURPOSE__COUNT);
		bool bg = jup_rng_next(&rng) % 4 == 0;
		bool write = jup_rng_next(&rng) % 4 == 0;
		jup_gate_decision d =
			ask_action(user, write ? JUP_GATE_WRITE_CARE_PLAN : JUP_GATE_READ_RECORD, p,
				   people[person], bg ? BG_REASON : NULL, NOW);
		/* a write is refused before anything else unless it is direct care by
		 * a role that writes; otherwise the rules are the reader's */
		bool want = (!write || may_write(user, p)) && expect(&m, user, p, person, bg);
		if (d.permit != want)
			fail_msg("step %d: %s %s %s person %d%s: got %s (%s)", step,
				 user_spec[user].name, write ? "writing" : "reading",
				 jup_consent_purpose_name(p), person, bg ? " break-glass" : "",
				 d.permit ? "permit" : "deny", d.reason);
		check_release(&d);
	}
	jup_audit_report rep;
	jup_err err = { "" };
	assert_int_equal(jup_audit_verify(st, NULL, &rep, &err), JUP_OK);
}

int main(void)
{
#define BOTH(t)                                                                      \
	cmocka_unit_test_setup_teardown(t, setup, teardown),                         \
		cmocka_unit_test_prestate_setup_teardown(t, setup, teardown, &grouped)
	const struct CMUnitTest tests[] = {
		BOTH(test_roles_by_purpose),
		BOTH(test_gp_registration),
		BOTH(test_hospital_episodes),
		BOTH(test_care_team_and_eol),
		BOTH(test_unknown_and_invalid),
		BOTH(test_break_glass),
		BOTH(test_break_glass_refusals),
		BOTH(test_review),
		BOTH(test_write_care_plan),
		BOTH(test_opt_outs_and_participation),
		BOTH(test_change_takes_effect_next_request),
		BOTH(test_data_change_takes_effect_next_request),
		BOTH(test_log_verifies),
		BOTH(test_property_no_denied_data),
		cmocka_unit_test_prestate_setup_teardown(test_group_threads, setup, teardown,
							 &grouped),
		cmocka_unit_test_prestate_setup_teardown(test_group_submit, setup, teardown,
							 &grouped),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
