/*
 * test_auth.c - sign-in tokens: issuing, checking, revoking, expiry and
 * purging; the purpose and break-glass rules per role; systems and people;
 * one answer for every failed sign-in; tokens stored only hashed; the
 * audit entries written; the token cache (also across connections and
 * threads) and the throttle.
 */
#include "jup_test.h"

#include "auth/jup_auth.h"
#include "core/jup_hex.h"
#include "gate/jup_gate.h"
#include "ingest/jup_ingest_import.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD "correct horse battery staple"
#define SECRET   "client-secret-0123456789abcdef-0123456789"
#define T0       1795000000 /* 2026-11-18T...Z: every test's "now" */
#define REASON   "unconscious in A&E, no registration here"

static jup_store *st;
static char db_path[512];

/* ---- fixture ----------------------------------------------------------------- */

/* The users, one per role worth testing, and two systems. */
static const struct {
	const char *name;
	jup_role role;
	const char *org, *nhs;
	bool system;
} users[] = {
	{ "gp.ada", JUP_ROLE_GP, "Y90001", NULL, false },
	{ "hc.bo", JUP_ROLE_HOSPITAL_CLINICIAN, "R9A", NULL, false },
	{ "sw.cy", JUP_ROLE_SOCIAL_WORKER, "E08000035", NULL, false },
	{ "cc.di", JUP_ROLE_CARE_COORDINATOR, "E08000035", NULL, false },
	{ "eol.ed", JUP_ROLE_EOL_OPERATOR, "H9A01", NULL, false },
	{ "an.fi", JUP_ROLE_ANALYST, "E08000035", NULL, false },
	{ "ig.gu", JUP_ROLE_IG_OFFICER, "E08000035", NULL, false },
	{ "eng.ha", JUP_ROLE_ENGAGEMENT_OFFICER, "E08000035", NULL, false },
	{ "cit.io", JUP_ROLE_CITIZEN, NULL, "9990000018", false },
	{ "adm.jo", JUP_ROLE_ADMIN, "E08000035", NULL, false },
	{ "sys.risk", JUP_ROLE_ANALYST, "E08000035", NULL, true },
	{ "sys.gp", JUP_ROLE_GP, "Y90001", NULL, true },
	{ "gp.off", JUP_ROLE_GP, "Y90001", NULL, false },  /* disabled below */
	{ "gp.role", JUP_ROLE_GP, "Y90001", NULL, false }, /* role changed by a test */
};

static void add_users(void)
{
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		jup_user_new u = { users[i].name,
				   users[i].role,
				   users[i].org,
				   users[i].nhs,
				   users[i].system ? SECRET : PASSWORD,
				   users[i].system };
		jup_err err;
		if (jup_user_add(st, &u, NULL, &err))
			fail_msg("add %s: %s", users[i].name, err.msg);
	}
}

static void set_user(jup_store *s, const char *name, jup_match set)
{
	jup_match who = { JUP_USER_USERNAME, jup_v_cstr(name) };
	jup_err err;
	if (jup_store_update(s, JUP_TABLE_APP_USER, &who, 1, &set, 1, NULL, &err))
		fail_msg("update %s: %s", name, err.msg);
}

static int setup(void **state)
{
	(void)state;
	snprintf(db_path, sizeof db_path, "%s/auth.db", jup_test_tmpdir());
	st = jup_test_open_store(db_path);
	const char *orgs = jup_test_write_file(jup_test_tmpdir(), "organisations.csv",
					       "org_code,name,kind,participating,postcode\n"
					       "Y90001,Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
					       "R9A,Synthetic Trust,hospital_trust,Y,\n"
					       "E08000035,Council,council,Y,\n"
					       "H9A01,Hospice,hospice,Y,\n");
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23) };
	jup_import_summary sum;
	const char *paths[] = { orgs };
	jup_err err;
	if (jup_ingest_import(st, paths, 1, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	add_users();
	set_user(st, "gp.off", (jup_match){ JUP_USER_DISABLED, jup_v_int(1) });
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jup_audit_report rep;
	jup_err err;
	if (jup_audit_verify(st, NULL, &rep, &err))
		fail_msg("the audit log does not verify: %s", err.msg);
	jup_store_close(st);
	return 0;
}

/* ---- helpers ------------------------------------------------------------------- */

static jup_auth_request person(const char *name, const char *purpose)
{
	return (jup_auth_request){ .grant_type = JUP_AUTH_GRANT_PASSWORD,
				   .username = name,
				   .secret = PASSWORD,
				   .purpose = purpose,
				   .now = T0 };
}

static jup_auth_request client(const char *name, const char *purpose)
{
	return (jup_auth_request){ .grant_type = JUP_AUTH_GRANT_CLIENT,
				   .username = name,
				   .secret = SECRET,
				   .purpose = purpose,
				   .now = T0 };
}

/* Issue rq, expecting want; the message must not carry the secret. */
static jup_status issue(const jup_auth_request *rq, char token[JUP_AUTH_TOKEN_MAX + 1],
			jup_auth_grant *g, jup_err *err)
{
	jup_status r = jup_auth_issue(st, rq, token, g, err);
	if (r) {
		assert_string_equal(token, "");
		if (rq->secret && *rq->secret)
			assert_null(strstr(err->msg, rq->secret));
	}
	return r;
}

/* A token for rq, which must be issued. */
static void must_issue(const jup_auth_request *rq, char token[JUP_AUTH_TOKEN_MAX + 1],
		       jup_auth_grant *g)
{
	jup_err err;
	jup_status r = issue(rq, token, g, &err);
	if (r)
		fail_msg("issue for %s: %s: %s", rq->username, jup_strerror(r), err.msg);
}

static int64_t audit_size(jup_store *s)
{
	int64_t n;
	jup_err err;
	assert_int_equal(jup_audit_size(s, &n, &err), JUP_OK);
	return n;
}

/* An audit entry's fields as text ("" for NULL). */
typedef struct entry_text {
	char actor[80], role[32], org[16], purpose[32], action[32], what[64], outcome[8];
	char reason[256], break_glass[512], request_id[64];
	bool person;
} entry_text;

static jup_status entry_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	entry_text *e = ctx;
	jup_value_copy_text(e->actor, sizeof e->actor, &v[JUP_AUDIT_ACTOR]);
	jup_value_copy_text(e->role, sizeof e->role, &v[JUP_AUDIT_ROLE]);
	jup_value_copy_text(e->org, sizeof e->org, &v[JUP_AUDIT_ORG_CODE]);
	jup_value_copy_text(e->purpose, sizeof e->purpose, &v[JUP_AUDIT_PURPOSE]);
	jup_value_copy_text(e->action, sizeof e->action, &v[JUP_AUDIT_ACTION]);
	jup_value_copy_text(e->what, sizeof e->what, &v[JUP_AUDIT_WHAT]);
	jup_value_copy_text(e->outcome, sizeof e->outcome, &v[JUP_AUDIT_OUTCOME]);
	jup_value_copy_text(e->reason, sizeof e->reason, &v[JUP_AUDIT_REASON]);
	jup_value_copy_text(e->break_glass, sizeof e->break_glass, &v[JUP_AUDIT_BREAK_GLASS]);
	jup_value_copy_text(e->request_id, sizeof e->request_id, &v[JUP_AUDIT_REQUEST_ID]);
	e->person = v[JUP_AUDIT_PERSON_ID].type != JUP_V_NULL;
	return JUP_OK;
}

static entry_text last_entry(void)
{
	entry_text e;
	memset(&e, 0, sizeof e);
	jup_match m = { JUP_COL_ID, jup_v_int(audit_size(st)) };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_AUDIT_ENTRY, &m, 1, entry_row, &e, &err),
			 JUP_OK);
	assert_false(e.person); /* auth entries are about the actor, never a person */
	return e;
}

static int64_t count(jup_table t)
{
	int64_t n;
	jup_err err;
	assert_int_equal(jup_store_count(st, t, &n, &err), JUP_OK);
	return n;
}

/* ---- issuing and checking ------------------------------------------------------------ */

static void test_issue_check_and_expiry(void **state)
{
	(void)state;
	char token[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g, c;
	jup_err err;
	jup_auth_request rq = person("gp.ada", "direct_care");
	rq.request_id = "req-1";
	must_issue(&rq, token, &g);
	assert_int_equal(strlen(token), JUP_AUTH_TOKEN_MAX);
	assert_memory_equal(token, "jup_", 4);
	for (const char *p = token + 4; *p; p++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789-_",
				       *p));
	assert_true(g.token_id > 0);
	assert_string_equal(g.user.username, "gp.ada");
	assert_int_equal(g.user.role, JUP_ROLE_GP);
	assert_false(g.user.system);
	assert_string_equal(g.org_code, "Y90001");
	assert_int_equal(g.grant_type, JUP_AUTH_GRANT_PASSWORD);
	assert_int_equal(g.purpose, JUP_CONSENT_DIRECT_CARE);
	assert_string_equal(g.break_glass, "");
	assert_int_equal(g.issued_at, T0);
	assert_int_equal(g.expires_at, T0 + JUP_AUTH_LIFETIME);
	entry_text e = last_entry();
	assert_string_equal(e.actor, "gp.ada");
	assert_string_equal(e.role, "gp");
	assert_string_equal(e.org, "Y90001");
	assert_string_equal(e.purpose, "direct_care");
	assert_string_equal(e.action, "auth.token");
	assert_string_equal(e.outcome, "done");
	assert_string_equal(e.request_id, "req-1");
	char what[40];
	snprintf(what, sizeof what, "auth_token:%lld", (long long)g.token_id);
	assert_string_equal(e.what, what);
	assert_null(strstr(e.reason, token + 4));

	assert_int_equal(jup_auth_check(st, token, T0 + 10, &c, &err), JUP_OK);
	assert_memory_equal(&c, &g, sizeof c);
	assert_int_equal(jup_auth_check(st, token, T0 + JUP_AUTH_LIFETIME - 1, &c, &err), JUP_OK);
	assert_int_equal(jup_auth_check(st, token, T0 + JUP_AUTH_LIFETIME, &c, &err),
			 JUP_ERR_DENIED);
	assert_string_equal(err.msg, "invalid or expired token");
	assert_int_equal(c.token_id, 0);
	/* a token one character off, cut short, too long, or malformed */
	char other[JUP_AUTH_TOKEN_MAX + 2];
	memcpy(other, token, sizeof other - 1);
	other[10] = other[10] == 'A' ? 'B' : 'A';
	const char *bad[] = { other, "jup_", "", NULL, "Bearer x", token + 1 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(jup_auth_check(st, bad[i], T0 + 10, &c, &err), JUP_ERR_DENIED);
		assert_string_equal(err.msg, "invalid or expired token");
	}
	memcpy(other, token, JUP_AUTH_TOKEN_MAX);
	memcpy(other + JUP_AUTH_TOKEN_MAX, "A", 2);
	assert_int_equal(jup_auth_check(st, other, T0 + 10, &c, &err), JUP_ERR_DENIED);
	other[JUP_AUTH_TOKEN_MAX] = 0;
	other[20] = '+'; /* base64, not base64url */
	assert_int_equal(jup_auth_check(st, other, T0 + 10, &c, &err), JUP_ERR_DENIED);
	/* the clock: a token issued now works now */
	rq.now = 0;
	must_issue(&rq, token, &g);
	assert_int_equal(jup_auth_check(st, token, 0, &c, &err), JUP_OK);
}

static jup_status row_texts(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	const char *token = ctx;
	for (int i = 0; i < JUP_TOKEN__N; i++)
		if (v[i].type == JUP_V_TEXT) {
			char text[600];
			jup_value_copy_text(text, sizeof text, &v[i]);
			assert_null(strstr(text, token + 4));
		}
	return JUP_OK;
}

typedef struct hash_row {
	char hash[80], purpose[32], grant[32];
	bool found;
} hash_row;

static jup_status read_hash(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	hash_row *h = ctx;
	jup_value_copy_text(h->hash, sizeof h->hash, &v[JUP_TOKEN_HASH]);
	jup_value_copy_text(h->purpose, sizeof h->purpose, &v[JUP_TOKEN_PURPOSE]);
	jup_value_copy_text(h->grant, sizeof h->grant, &v[JUP_TOKEN_GRANT_TYPE]);
	h->found = true;
	return JUP_OK;
}

/* Whether the file at path holds text (read whole: test databases are small). */
static bool file_holds(const char *path, const char *text)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc(len > 0 ? (size_t)len : 1);
	assert_non_null(buf);
	size_t got = fread(buf, 1, len > 0 ? (size_t)len : 0, f), n = strlen(text);
	fclose(f);
	bool found = false;
	for (size_t i = 0; !found && i + n <= got; i++)
		found = memcmp(buf + i, text, n) == 0;
	free(buf);
	return found;
}

static void test_tokens_are_stored_only_hashed(void **state)
{
	(void)state;
	char token[JUP_AUTH_TOKEN_MAX + 1], hex[65], wal[600];
	jup_auth_grant g;
	jup_auth_request rq = person("hc.bo", "direct_care");
	must_issue(&rq, token, &g);
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_AUTH_TOKEN, NULL, 0, row_texts, token, &err),
			 JUP_OK);
	hash_row h = { 0 };
	jup_match m = { JUP_COL_ID, jup_v_int(g.token_id) };
	assert_int_equal(jup_store_scan(st, JUP_TABLE_AUTH_TOKEN, &m, 1, read_hash, &h, &err),
			 JUP_OK);
	assert_true(h.found);
	uint8_t key[32];
	assert_int_equal(crypto_generichash(key, sizeof key, (const unsigned char *)token,
					    strlen(token), NULL, 0),
			 0);
	jup_hex_encode(key, sizeof key, hex);
	assert_string_equal(h.hash, hex); /* BLAKE2b-256 of the token text */
	assert_string_equal(h.purpose, "direct_care");
	assert_string_equal(h.grant, "password");
	snprintf(wal, sizeof wal, "%s-wal", db_path);
	assert_false(file_holds(db_path, token + 4));
	assert_false(file_holds(wal, token + 4));
	assert_true(file_holds(wal, hex) || file_holds(db_path, hex)); /* the check can see */
}

/* ---- purposes per role ----------------------------------------------------------------- */

static void test_role_table_is_the_gates(void **state)
{
	(void)state;
	static const struct {
		jup_role role;
		const char *may; /* initials of the purposes: d r p s(earch) */
		bool glass;
	} want[] = {
		{ JUP_ROLE_GP, "dr", true },           { JUP_ROLE_HOSPITAL_CLINICIAN, "d", true },
		{ JUP_ROLE_SOCIAL_WORKER, "d", true }, { JUP_ROLE_CARE_COORDINATOR, "dr", true },
		{ JUP_ROLE_EOL_OPERATOR, "d", false }, { JUP_ROLE_ANALYST, "ps", false },
		{ JUP_ROLE_IG_OFFICER, "", false },    { JUP_ROLE_ENGAGEMENT_OFFICER, "", false },
		{ JUP_ROLE_CITIZEN, "d", false },      { JUP_ROLE_ADMIN, "", false },
	};
	static const char initials[] = "drps";
	assert_int_equal(sizeof want / sizeof want[0], JUP_ROLE__COUNT);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++)
			assert_int_equal(jup_gate_role_may(want[i].role, (jup_consent_purpose)p),
					 strchr(want[i].may, initials[p]) != NULL);
		assert_int_equal(jup_gate_role_may_break_glass(want[i].role), want[i].glass);
		assert_false(jup_gate_role_may(want[i].role, JUP_CONSENT_EVERY_PURPOSE));
		assert_false(jup_gate_role_may(want[i].role, JUP_AUTH_NO_PURPOSE));
	}
	assert_false(jup_gate_role_may(JUP_ROLE__COUNT, JUP_CONSENT_DIRECT_CARE));
	assert_false(jup_gate_role_may_break_glass(JUP_ROLE__COUNT));
}

/* Each user asks for each purpose (and none): a token only for a purpose
 * the role may act for, and "none" only for the roles without any. */
static void test_purpose_rules_per_role(void **state)
{
	(void)state;
	static const char *const purposes[] = { "direct_care", "risk_stratification", "planning",
						"research", "none" };
	static const char *const who[] = { "gp.ada", "eol.ed", "an.fi", "ig.gu",
					   "eng.ha", "cit.io", "adm.jo" };
	for (size_t u = 0; u < sizeof who / sizeof who[0]; u++) {
		jup_user user;
		jup_err err;
		assert_int_equal(jup_user_find(st, who[u], &user, &err), JUP_OK);
		bool any = false;
		for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++)
			any |= jup_gate_role_may(user.role, (jup_consent_purpose)p);
		for (int p = 0; p < 5; p++) {
			jup_consent_purpose want_p =
				p < 4 ? (jup_consent_purpose)p : JUP_AUTH_NO_PURPOSE;
			bool ok = p < 4 ? jup_gate_role_may(user.role, want_p) : !any;
			char token[JUP_AUTH_TOKEN_MAX + 1];
			jup_auth_grant g;
			jup_auth_request rq = person(who[u], purposes[p]);
			int64_t before = audit_size(st);
			jup_status r = issue(&rq, token, &g, &err);
			if (r != (ok ? JUP_OK : JUP_ERR_INVALID))
				fail_msg("%s for %s: %s: %s", who[u], purposes[p], jup_strerror(r),
					 err.msg);
			assert_int_equal(audit_size(st), before + 1); /* logged either way */
			entry_text e = last_entry();
			assert_string_equal(e.action, "auth.token");
			assert_string_equal(e.outcome, ok ? "done" : "deny");
			assert_string_equal(e.purpose, purposes[p]);
			if (ok)
				assert_int_equal(g.purpose, want_p);
			else
				assert_non_null(strstr(err.msg, "purpose: "));
		}
	}
	/* a purpose left out is no purpose: fine for an ig_officer only */
	char token[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_err err;
	jup_auth_request rq = person("ig.gu", NULL);
	must_issue(&rq, token, &g);
	assert_int_equal(g.purpose, JUP_AUTH_NO_PURPOSE);
	assert_int_equal(jup_auth_check(st, token, T0 + 1, &g, &err), JUP_OK);
	assert_int_equal(g.purpose, JUP_AUTH_NO_PURPOSE);
	assert_string_equal(last_entry().purpose, "none");
	rq = person("gp.ada", "");
	assert_int_equal(issue(&rq, token, &g, &err), JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "purpose: required (a gp acts for direct_care, "
					"risk_stratification)"));
}

/* ---- break-glass ------------------------------------------------------------------------ */

static void test_break_glass(void **state)
{
	(void)state;
	char token[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g, c;
	jup_err err;
	jup_auth_request rq = person("gp.ada", "direct_care");
	rq.break_glass = REASON;
	must_issue(&rq, token, &g);
	assert_string_equal(g.break_glass, REASON);
	assert_int_equal(g.expires_at, T0 + JUP_AUTH_BREAK_GLASS_LIFETIME);
	entry_text e = last_entry();
	assert_string_equal(e.break_glass, REASON);
	assert_string_equal(e.action, "auth.token");
	assert_int_equal(jup_auth_check(st, token, T0 + 60, &c, &err), JUP_OK);
	assert_string_equal(c.break_glass, REASON);
	assert_int_equal(jup_auth_check(st, token, T0 + JUP_AUTH_BREAK_GLASS_LIFETIME, &c, &err),
			 JUP_ERR_DENIED);

	/* lifetimes of one's own */
	jup_auth_options o;
	jup_auth_options_default(&o);
	assert_int_equal(o.lifetime, 3600);
	assert_int_equal(o.break_glass_lifetime, 900);
	o.lifetime = 120;
	o.break_glass_lifetime = 30;
	rq.options = &o;
	must_issue(&rq, token, &g);
	assert_int_equal(g.expires_at, T0 + 30);
	rq.break_glass = NULL;
	must_issue(&rq, token, &g);
	assert_int_equal(g.expires_at, T0 + 120);

	/* a role that may not break glass: refused once signed in, and logged */
	rq = person("eol.ed", "direct_care");
	rq.break_glass = REASON;
	int64_t before = audit_size(st);
	assert_int_equal(issue(&rq, token, &g, &err), JUP_ERR_INVALID);
	assert_string_equal(err.msg, "break_glass: not open to a eol_operator");
	assert_int_equal(audit_size(st), before + 1);
	e = last_entry();
	assert_string_equal(e.outcome, "deny");
	assert_string_equal(e.break_glass, ""); /* a refusal carries no grant */
}

/* ---- systems and people -------------------------------------------------------------- */

static void test_systems_and_people(void **state)
{
	(void)state;
	char token[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_err err;
	jup_auth_request rq = client("sys.risk", "planning");
	must_issue(&rq, token, &g);
	assert_true(g.user.system);
	assert_int_equal(g.grant_type, JUP_AUTH_GRANT_CLIENT);
	assert_int_equal(g.purpose, JUP_CONSENT_PLANNING);
	assert_string_equal(g.org_code, "E08000035");
	assert_int_equal(jup_auth_check(st, token, T0 + 1, &g, &err), JUP_OK);
	assert_int_equal(g.grant_type, JUP_AUTH_GRANT_CLIENT);
	entry_text e = last_entry();
	assert_string_equal(e.actor, "sys.risk");
	assert_string_equal(e.role, "analyst");
	assert_non_null(strstr(e.reason, "client_credentials grant"));
	/* a system's role rules are its role's */
	rq = client("sys.gp", "risk_stratification");
	must_issue(&rq, token, &g);
	rq = client("sys.gp", "planning");
	assert_int_equal(issue(&rq, token, &g, &err), JUP_ERR_INVALID);
	/* the user API: each sign-in refuses the other kind */
	jup_user u;
	assert_int_equal(jup_user_client_sign_in(st, "sys.gp", SECRET, &u, &err), JUP_OK);
	assert_true(u.system);
	assert_int_equal(jup_user_sign_in(st, "sys.gp", SECRET, &u, &err), JUP_ERR_DENIED);
	assert_int_equal(u.id, 0);
	assert_int_equal(jup_user_client_sign_in(st, "gp.ada", PASSWORD, &u, &err), JUP_ERR_DENIED);
	assert_int_equal(jup_user_get(st, 1, &u, &err), JUP_OK);
	assert_int_equal(jup_user_get(st, 999999, &u, &err), JUP_ERR_NOT_FOUND);
}

/* ---- one answer for every failed sign-in ------------------------------------------------ */

static void test_every_failed_sign_in_is_denied_alike(void **state)
{
	(void)state;
	static const struct {
		jup_auth_grant_type grant;
		const char *name, *secret, *actor;
	} cases[] = {
		{ JUP_AUTH_GRANT_PASSWORD, "nobody.here", PASSWORD, "nobody.here" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD "x", "gp.ada" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.off", PASSWORD, "gp.off" },     /* disabled */
		{ JUP_AUTH_GRANT_PASSWORD, "sys.risk", SECRET, "sys.risk" },   /* a system */
		{ JUP_AUTH_GRANT_CLIENT, "gp.ada", PASSWORD, "gp.ada" },       /* a person */
		{ JUP_AUTH_GRANT_CLIENT, "sys.risk", SECRET "x", "sys.risk" }, /* wrong secret */
		{ JUP_AUTH_GRANT_PASSWORD, "Robert'); DROP TABLE", PASSWORD, "unknown" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada\n", PASSWORD, "unknown" },
	};
	jup_err first = { "" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_auth_request rq = { .grant_type = cases[i].grant,
					.username = cases[i].name,
					.secret = cases[i].secret,
					.purpose = "direct_care",
					.request_id = "req-deny",
					.now = T0 };
		char token[JUP_AUTH_TOKEN_MAX + 1];
		jup_auth_grant g;
		jup_err err;
		int64_t before = audit_size(st), tokens = count(JUP_TABLE_AUTH_TOKEN);
		assert_int_equal(issue(&rq, token, &g, &err), JUP_ERR_DENIED);
		assert_int_equal(g.user.id, 0);
		if (!first.msg[0])
			first = err;
		assert_string_equal(err.msg, first.msg);
		assert_string_equal(err.msg, "wrong username or password");
		assert_int_equal(count(JUP_TABLE_AUTH_TOKEN), tokens);
		assert_int_equal(audit_size(st), before + 1);
		entry_text e = last_entry();
		assert_string_equal(e.actor, cases[i].actor);
		assert_string_equal(e.action, "auth.sign_in");
		assert_string_equal(e.outcome, "deny");
		assert_string_equal(e.purpose, "direct_care");
		assert_string_equal(e.role, "");
		assert_string_equal(e.request_id, "req-deny");
		assert_string_equal(e.what, jup_auth_grant_type_name(cases[i].grant));
		assert_null(strstr(e.reason, cases[i].secret));
	}
}

/* ---- malformed requests ------------------------------------------------------------------- */

static void test_bad_requests(void **state)
{
	(void)state;
	char long_reason[JUP_AUDIT_MAX_FIELD + 2];
	memset(long_reason, 'x', sizeof long_reason - 1);
	long_reason[sizeof long_reason - 1] = 0;
	jup_auth_options zero = { 0, 900 }, huge = { 3600, JUP_AUTH_MAX_LIFETIME + 1 };
	static const char *const dc = "direct_care";
	const struct {
		jup_auth_grant_type grant;
		const char *name, *secret, *purpose, *glass;
		const jup_auth_options *o;
		jup_status want;
		const char *msg;
	} cases[] = {
		{ 7, "gp.ada", PASSWORD, dc, NULL, NULL, JUP_ERR_INVALID, "grant_type: " },
		{ -1, "gp.ada", PASSWORD, dc, NULL, NULL, JUP_ERR_INVALID, "grant_type: " },
		{ JUP_AUTH_GRANT_PASSWORD, NULL, PASSWORD, dc, NULL, NULL, JUP_ERR_INVALID,
		  "username: required" },
		{ JUP_AUTH_GRANT_PASSWORD, "", PASSWORD, dc, NULL, NULL, JUP_ERR_INVALID,
		  "username: required" },
		{ JUP_AUTH_GRANT_CLIENT, "", SECRET, dc, NULL, NULL, JUP_ERR_INVALID,
		  "client_id: required" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", NULL, dc, NULL, NULL, JUP_ERR_INVALID,
		  "password: required" },
		{ JUP_AUTH_GRANT_CLIENT, "sys.gp", "", dc, NULL, NULL, JUP_ERR_INVALID,
		  "client_secret: required" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, "surgery", NULL, NULL,
		  JUP_ERR_INVALID, "purpose: one of" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, "all", NULL, NULL, JUP_ERR_INVALID,
		  "purpose: one of" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, "Direct_Care", NULL, NULL,
		  JUP_ERR_INVALID, "purpose: one of" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, "research", REASON, NULL,
		  JUP_ERR_INVALID, "break_glass: for direct_care only" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, NULL, REASON, NULL, JUP_ERR_INVALID,
		  "break_glass: for direct_care only" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, dc, "too short", NULL,
		  JUP_ERR_INVALID, "break_glass: a reason of 10 to 500 bytes" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, dc, "", NULL, JUP_ERR_INVALID,
		  "break_glass: a reason" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, dc, long_reason, NULL,
		  JUP_ERR_INVALID, "break_glass: a reason" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, dc, "unconscious\nin A&E", NULL,
		  JUP_ERR_INVALID, "break_glass: a reason" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, dc, "unconscious \xff in A&E", NULL,
		  JUP_ERR_INVALID, "break_glass: a reason" },
		{ JUP_AUTH_GRANT_CLIENT, "sys.gp", SECRET, dc, REASON, NULL, JUP_ERR_INVALID,
		  "break_glass: only a person may break glass" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, dc, NULL, &zero, JUP_ERR_USAGE,
		  "lifetimes" },
		{ JUP_AUTH_GRANT_PASSWORD, "gp.ada", PASSWORD, dc, NULL, &huge, JUP_ERR_USAGE,
		  "lifetimes" },
	};
	int64_t entries = audit_size(st), tokens = count(JUP_TABLE_AUTH_TOKEN);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jup_auth_request rq = { .grant_type = cases[i].grant,
					.username = cases[i].name,
					.secret = cases[i].secret,
					.purpose = cases[i].purpose,
					.break_glass = cases[i].glass,
					.options = cases[i].o,
					.now = T0 };
		char token[JUP_AUTH_TOKEN_MAX + 1] = "x";
		jup_auth_grant g;
		jup_err err = { "" };
		jup_status r = issue(&rq, token, &g, &err);
		if (r != cases[i].want || !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: %s: %s", i, jup_strerror(r), err.msg);
		if (cases[i].glass && cases[i].glass[0])
			assert_null(strstr(err.msg, cases[i].glass)); /* never echoed */
	}
	/* refused before any sign-in: nothing logged, nothing issued */
	assert_int_equal(audit_size(st), entries);
	assert_int_equal(count(JUP_TABLE_AUTH_TOKEN), tokens);
	char token[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_err err;
	assert_int_equal(jup_auth_issue(st, NULL, token, &g, &err), JUP_ERR_USAGE);
	assert_int_equal(jup_auth_check(NULL, "x", T0, &g, &err), JUP_ERR_USAGE);
}

static void test_names(void **state)
{
	(void)state;
	jup_auth_grant_type t;
	jup_consent_purpose p;
	assert_true(jup_auth_grant_type_parse("password", &t) && t == JUP_AUTH_GRANT_PASSWORD);
	assert_true(jup_auth_grant_type_parse("client_credentials", &t) &&
		    t == JUP_AUTH_GRANT_CLIENT);
	assert_false(jup_auth_grant_type_parse("authorization_code", &t));
	assert_false(jup_auth_grant_type_parse(NULL, &t));
	assert_string_equal(jup_auth_grant_type_name(JUP_AUTH_GRANT__COUNT), "unknown");
	assert_true(jup_auth_purpose_parse("none", &p) && p == JUP_AUTH_NO_PURPOSE);
	assert_true(jup_auth_purpose_parse(NULL, &p) && p == JUP_AUTH_NO_PURPOSE);
	assert_true(jup_auth_purpose_parse("research", &p) && p == JUP_CONSENT_RESEARCH);
	assert_false(jup_auth_purpose_parse("all", &p));
	assert_string_equal(jup_auth_purpose_name(JUP_AUTH_NO_PURPOSE), "none");
	assert_string_equal(jup_auth_purpose_name(JUP_CONSENT_PLANNING), "planning");
	assert_string_equal(jup_auth_purpose_name(JUP_CONSENT_EVERY_PURPOSE), "unknown");
}

/* ---- revoking, disabling, purging ----------------------------------------------------------- */

static void test_revoke(void **state)
{
	(void)state;
	char token[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_err err;
	jup_auth_request rq = person("sw.cy", "direct_care");
	must_issue(&rq, token, &g);
	int64_t before = audit_size(st);
	bool revoked;
	assert_int_equal(jup_auth_revoke(st, token, T0 + 5, &revoked, &err), JUP_OK);
	assert_true(revoked);
	assert_int_equal(audit_size(st), before + 1);
	entry_text e = last_entry();
	assert_string_equal(e.action, "auth.revoke");
	assert_string_equal(e.actor, "sw.cy");
	assert_string_equal(e.role, "social_worker");
	assert_string_equal(e.org, "E08000035");
	assert_string_equal(e.outcome, "done");
	char what[40];
	snprintf(what, sizeof what, "auth_token:%lld", (long long)g.token_id);
	assert_string_equal(e.what, what);
	assert_int_equal(jup_auth_check(st, token, T0 + 6, &g, &err), JUP_ERR_DENIED);
	assert_string_equal(err.msg, "invalid or expired token");
	/* again, unknown, malformed: JUP_OK and nothing written (RFC 7009) */
	char unknown[JUP_AUTH_TOKEN_MAX + 1];
	memcpy(unknown, "jup_", 4);
	memset(unknown + 4, 'Q', JUP_AUTH_TOKEN_MAX - 4);
	unknown[JUP_AUTH_TOKEN_MAX] = 0;
	const char *nothing[] = { token, unknown, "jup_abc", "", NULL };
	for (size_t i = 0; i < sizeof nothing / sizeof nothing[0]; i++) {
		assert_int_equal(jup_auth_revoke(st, nothing[i], T0 + 7, &revoked, &err), JUP_OK);
		assert_false(revoked);
	}
	assert_int_equal(audit_size(st), before + 1);
	assert_int_equal(jup_auth_revoke(st, unknown, 0, NULL, &err), JUP_OK);
}

static void test_disabled_user_or_changed_role_stops_tokens(void **state)
{
	(void)state;
	char token[JUP_AUTH_TOKEN_MAX + 1], glass[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_err err;
	jup_auth_request rq = person("gp.role", "risk_stratification");
	must_issue(&rq, token, &g);
	rq.purpose = "direct_care";
	rq.break_glass = REASON;
	must_issue(&rq, glass, &g);
	/* an end-of-life line operator acts for direct care only, and never breaks glass */
	set_user(st, "gp.role", (jup_match){ JUP_USER_ROLE, jup_v_cstr("eol_operator") });
	assert_int_equal(jup_auth_check(st, token, T0 + 1, &g, &err), JUP_ERR_DENIED);
	assert_int_equal(jup_auth_check(st, glass, T0 + 1, &g, &err), JUP_ERR_DENIED);
	set_user(st, "gp.role", (jup_match){ JUP_USER_ROLE, jup_v_cstr("gp") });
	assert_int_equal(jup_auth_check(st, token, T0 + 1, &g, &err), JUP_OK);
	assert_int_equal(jup_auth_check(st, glass, T0 + 1, &g, &err), JUP_OK);
	set_user(st, "gp.role", (jup_match){ JUP_USER_DISABLED, jup_v_int(1) });
	assert_int_equal(jup_auth_check(st, token, T0 + 1, &g, &err), JUP_ERR_DENIED);
	assert_string_equal(err.msg, "invalid or expired token");
	set_user(st, "gp.role", (jup_match){ JUP_USER_DISABLED, jup_v_int(0) });
	assert_int_equal(jup_auth_check(st, token, T0 + 1, &g, &err), JUP_OK);
}

static void test_purge(void **state)
{
	(void)state;
	char a[JUP_AUTH_TOKEN_MAX + 1], b[JUP_AUTH_TOKEN_MAX + 1], c[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_err err;
	int64_t n = -1;
	assert_int_equal(jup_auth_purge(st, T0 + 10 * 86400, &n, &err), JUP_OK);
	assert_int_equal(count(JUP_TABLE_AUTH_TOKEN), 0); /* everything earlier is gone */
	jup_auth_request rq = person("cc.di", "direct_care");
	must_issue(&rq, a, &g); /* expires T0+3600 */
	rq.now = T0 + 7200;
	must_issue(&rq, b, &g); /* revoked at T0+7300 */
	must_issue(&rq, c, &g); /* expires T0+10800 */
	assert_int_equal(jup_auth_revoke(st, b, T0 + 7300, NULL, &err), JUP_OK);
	assert_int_equal(jup_auth_purge(st, T0 + 3600 + 86400, &n, &err), JUP_OK);
	assert_int_equal(n, 0); /* a expired exactly a day ago: kept */
	assert_int_equal(jup_auth_purge(st, T0 + 3601 + 86400, &n, &err), JUP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(jup_auth_purge(st, T0 + 7301 + 86400, &n, &err), JUP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count(JUP_TABLE_AUTH_TOKEN), 1);
	assert_int_equal(jup_auth_check(st, c, T0 + 7300, &g, &err), JUP_OK);
	assert_int_equal(jup_auth_purge(st, T0 + 10801 + 86400, NULL, &err), JUP_OK);
	assert_int_equal(count(JUP_TABLE_AUTH_TOKEN), 0);
	assert_int_equal(jup_store_auth_purge(st, "yesterday", &n, &err), JUP_ERR_USAGE);
}

/* ---- the cache ---------------------------------------------------------------------------- */

static void counts_are(jup_auth_cache *c, uint64_t hits, uint64_t misses)
{
	jup_auth_cache_counts k;
	jup_auth_cache_stats(c, &k);
	if (k.hits != hits || k.misses != misses)
		fail_msg("hits %llu misses %llu, want %llu and %llu", (unsigned long long)k.hits,
			 (unsigned long long)k.misses, (unsigned long long)hits,
			 (unsigned long long)misses);
}

static void test_cache_hits_misses_and_forgets(void **state)
{
	(void)state;
	jup_auth_cache *c;
	jup_err err;
	assert_int_equal(jup_auth_cache_new(0, &c, &err), JUP_ERR_USAGE);
	assert_int_equal(jup_auth_cache_new(64, &c, &err), JUP_OK);
	char token[JUP_AUTH_TOKEN_MAX + 1], glass[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g, h;
	jup_auth_request rq = person("hc.bo", "direct_care");
	must_issue(&rq, token, &g);
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 1, &h, &err), JUP_OK);
	counts_are(c, 0, 1);
	assert_memory_equal(&g, &h, sizeof g);
	memset(&h, 0, sizeof h);
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 2, &h, &err), JUP_OK);
	counts_are(c, 1, 1);
	assert_memory_equal(&g, &h, sizeof g);
	/* forgotten: read again */
	jup_auth_cache_forget(c, token);
	jup_auth_cache_forget(c, "not a token");
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 3, &h, &err), JUP_OK);
	counts_are(c, 1, 2);
	/* revoked here and forgotten: denied at once */
	assert_int_equal(jup_auth_revoke(st, token, T0 + 4, NULL, &err), JUP_OK);
	jup_auth_cache_forget(c, token);
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 5, &h, &err), JUP_ERR_DENIED);
	assert_string_equal(err.msg, "invalid or expired token");
	/* expired in the cache: dropped, denied */
	must_issue(&rq, token, &g);
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 1, &h, &err), JUP_OK);
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + JUP_AUTH_LIFETIME, &h, &err),
			 JUP_ERR_DENIED);
	assert_int_equal(h.token_id, 0);
	/* break-glass tokens are never kept */
	rq = person("gp.ada", "direct_care");
	rq.break_glass = REASON;
	must_issue(&rq, glass, &g);
	jup_auth_cache_counts k0, k1;
	jup_auth_cache_stats(c, &k0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(jup_auth_cache_check(c, st, glass, T0 + 1, &h, &err), JUP_OK);
		assert_string_equal(h.break_glass, REASON);
	}
	jup_auth_cache_stats(c, &k1);
	assert_int_equal(k1.misses - k0.misses, 3);
	assert_int_equal(k1.entries, k0.entries);
	/* malformed: denied without a lookup */
	assert_int_equal(jup_auth_cache_check(c, st, "jup_x", T0, &h, &err), JUP_ERR_DENIED);
	jup_auth_cache_stats(c, &k0);
	assert_int_equal(k0.misses, k1.misses);
	jup_auth_cache_free(c);
	jup_auth_cache_free(NULL);
}

/* A revoke or a disabled user in another connection (another process, for
 * all the store can tell) reaches the cache through a refresh. */
static void test_cache_refresh_sees_other_connections(void **state)
{
	(void)state;
	jup_store *other = jup_test_open_store(db_path);
	jup_auth_cache *c;
	jup_err err;
	bool cleared;
	assert_int_equal(jup_auth_cache_new(64, &c, &err), JUP_OK);
	assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	assert_true(cleared); /* the first refresh starts clean */
	assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	assert_false(cleared);
	char token[JUP_AUTH_TOKEN_MAX + 1], mine[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_auth_request rq = person("an.fi", "research");
	must_issue(&rq, token, &g);
	rq = person("cc.di", "risk_stratification");
	must_issue(&rq, mine, &g);
	assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	assert_true(cleared); /* new tokens changed auth_token */
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 1, &g, &err), JUP_OK);
	assert_int_equal(jup_auth_cache_check(c, st, mine, T0 + 1, &g, &err), JUP_OK);
	assert_int_equal(jup_auth_revoke(other, token, T0 + 2, NULL, &err), JUP_OK);
	/* until the refresh, the cache still answers from memory */
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 3, &g, &err), JUP_OK);
	assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	assert_true(cleared);
	assert_int_equal(jup_auth_cache_check(c, st, token, T0 + 4, &g, &err), JUP_ERR_DENIED);
	assert_int_equal(jup_auth_cache_check(c, st, mine, T0 + 4, &g, &err), JUP_OK);
	/* a user disabled elsewhere */
	set_user(other, "cc.di", (jup_match){ JUP_USER_DISABLED, jup_v_int(1) });
	assert_int_equal(jup_auth_cache_check(c, st, mine, T0 + 5, &g, &err), JUP_OK);
	assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	assert_true(cleared);
	assert_int_equal(jup_auth_cache_check(c, st, mine, T0 + 6, &g, &err), JUP_ERR_DENIED);
	set_user(other, "cc.di", (jup_match){ JUP_USER_DISABLED, jup_v_int(0) });
	assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	assert_true(cleared);
	assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	assert_false(cleared); /* nothing changed since */
	jup_auth_cache_free(c);
	jup_store_close(other);
}

/* Bounded: a cache of 8 keeps at most 8 grants, and every token still
 * checks (from the store when it was given up). */
static void test_cache_is_bounded(void **state)
{
	(void)state;
	enum { N = 12 };
	static char tokens[N][JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_cache *c;
	jup_err err;
	jup_auth_grant g;
	assert_int_equal(jup_auth_cache_new(8, &c, &err), JUP_OK);
	jup_auth_request rq = person("sw.cy", "direct_care");
	for (int i = 0; i < N; i++) {
		rq.now = T0 + i; /* later tokens expire later */
		must_issue(&rq, tokens[i], &g);
		assert_int_equal(jup_auth_cache_check(c, st, tokens[i], T0 + N, &g, &err), JUP_OK);
	}
	jup_auth_cache_counts k;
	jup_auth_cache_stats(c, &k);
	assert_int_equal(k.entries, 8);
	/* the ones expiring first gave way */
	assert_int_equal(jup_auth_cache_check(c, st, tokens[N - 1], T0 + N, &g, &err), JUP_OK);
	assert_int_equal(jup_auth_cache_check(c, st, tokens[0], T0 + N, &g, &err), JUP_OK);
	jup_auth_cache_counts k2;
	jup_auth_cache_stats(c, &k2);
	assert_int_equal(k2.hits, k.hits + 1);
	assert_int_equal(k2.misses, k.misses + 1);
	jup_auth_cache_free(c);
}

typedef struct hammer {
	jup_auth_cache *c;
	const char (*tokens)[JUP_AUTH_TOKEN_MAX + 1];
	int ntokens, rounds, failures;
} hammer;

static void *hammer_run(void *arg)
{
	hammer *h = arg;
	jup_store *own = jup_test_open_store(db_path);
	for (int i = 0; i < h->rounds; i++) {
		jup_auth_grant g;
		jup_err err;
		const char *t = h->tokens[i % h->ntokens];
		if (jup_auth_cache_check(h->c, own, t, T0 + 1, &g, &err) || g.token_id == 0)
			h->failures++;
		if (i % 97 == 0)
			jup_auth_cache_forget(h->c, t);
	}
	jup_store_close(own);
	return NULL;
}

static void test_cache_from_many_threads(void **state)
{
	(void)state;
	enum { THREADS = 8, TOKENS = 4 };
	static char tokens[TOKENS][JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g;
	jup_err err;
	jup_auth_cache *c;
	assert_int_equal(jup_auth_cache_new(1024, &c, &err), JUP_OK);
	jup_auth_request rq = person("gp.ada", "risk_stratification");
	for (int i = 0; i < TOKENS; i++)
		must_issue(&rq, tokens[i], &g);
	pthread_t th[THREADS];
	hammer h[THREADS];
	for (int i = 0; i < THREADS; i++) {
		h[i] = (hammer){ c, (const char(*)[JUP_AUTH_TOKEN_MAX + 1]) tokens, TOKENS, 3000,
				 0 };
		assert_int_equal(pthread_create(&th[i], NULL, hammer_run, &h[i]), 0);
	}
	bool cleared;
	for (int i = 0; i < 20; i++)
		assert_int_equal(jup_auth_cache_refresh(c, st, &cleared, &err), JUP_OK);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(h[i].failures, 0);
	}
	jup_auth_cache_counts k;
	jup_auth_cache_stats(c, &k);
	assert_int_equal(k.hits + k.misses, THREADS * 3000);
	assert_true(k.hits > k.misses);
	jup_auth_cache_free(c);
}

/* ---- the throttle ------------------------------------------------------------------------- */

static void test_throttle_grows_caps_and_decays(void **state)
{
	(void)state;
	jup_auth_throttle *t;
	jup_err err;
	assert_int_equal(jup_auth_throttle_new(0, &t, &err), JUP_ERR_USAGE);
	assert_int_equal(jup_auth_throttle_new(1024, &t, &err), JUP_OK);
	const char *k = "user:gp.ada";
	int64_t now = 1000000;
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now), 0);
	static const uint32_t want[] = { 0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 10000, 10000 };
	for (size_t i = 1; i < sizeof want / sizeof want[0]; i++) {
		jup_auth_throttle_fail(t, k, now);
		assert_int_equal(jup_auth_throttle_delay_ms(t, k, now), want[i]);
	}
	for (int i = 0; i < 100; i++)
		jup_auth_throttle_fail(t, k, now); /* counted up to a bound */
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now), 10000);
	/* another key is untouched */
	assert_int_equal(jup_auth_throttle_delay_ms(t, "addr:192.0.2.1", now), 0);
	/* decay: one failure forgiven per minute since the last */
	jup_auth_throttle_success(t, k);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now), 0);
	for (int i = 0; i < 9; i++)
		jup_auth_throttle_fail(t, k, now);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now), 10000);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now + 59999), 10000);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now + 60000), 8000);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now + 5 * 60000), 500);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now + 6 * 60000), 250);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now + 7 * 60000), 0);
	/* a failure after some decay counts from what is left */
	jup_auth_throttle_fail(t, k, now + 6 * 60000); /* 3 left, now 4 */
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now + 6 * 60000), 500);
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now + 30 * 60000), 0);
	/* a clock going back does not forgive */
	assert_int_equal(jup_auth_throttle_delay_ms(t, k, now), 500);
	jup_auth_throttle_success(t, "never seen");
	jup_auth_throttle_fail(t, NULL, now); /* a missing key is "" */
	assert_int_equal(jup_auth_throttle_delay_ms(t, "", now), 0);
	jup_auth_throttle_free(t);
	jup_auth_throttle_free(NULL);
}

/* A flood of new keys evicts the quiet ones, not the key under attack. */
static void test_throttle_is_bounded(void **state)
{
	(void)state;
	jup_auth_throttle *t;
	jup_err err;
	assert_int_equal(jup_auth_throttle_new(8, &t, &err), JUP_OK);
	int64_t now = 5000;
	for (int i = 0; i < 5; i++)
		jup_auth_throttle_fail(t, "user:victim", now);
	assert_int_equal(jup_auth_throttle_delay_ms(t, "user:victim", now), 1000);
	for (int i = 0; i < 1000; i++) {
		char key[32];
		snprintf(key, sizeof key, "addr:10.0.%d.%d", i / 256, i % 256);
		jup_auth_throttle_fail(t, key, now + i);
	}
	assert_int_equal(jup_auth_throttle_delay_ms(t, "user:victim", now + 1000), 1000);
	jup_auth_throttle_free(t);
}

typedef struct fail_loop {
	jup_auth_throttle *t;
	int n;
} fail_loop;

static void *fail_run(void *arg)
{
	fail_loop *f = arg;
	for (int i = 0; i < f->n; i++) {
		char key[32];
		snprintf(key, sizeof key, "addr:%d", i % 50);
		jup_auth_throttle_fail(f->t, "user:shared", 1000 + i);
		jup_auth_throttle_fail(f->t, key, 1000 + i);
		(void)jup_auth_throttle_delay_ms(f->t, key, 1000 + i);
		if (i % 10 == 0)
			jup_auth_throttle_success(f->t, key);
	}
	return NULL;
}

static void test_throttle_from_many_threads(void **state)
{
	(void)state;
	enum { THREADS = 8 };
	jup_auth_throttle *t;
	jup_err err;
	assert_int_equal(jup_auth_throttle_new(256, &t, &err), JUP_OK);
	pthread_t th[THREADS];
	fail_loop f = { t, 5000 };
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, fail_run, &f), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(jup_auth_throttle_delay_ms(t, "user:shared", 6000), 10000);
	jup_auth_throttle_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_check_and_expiry),
		cmocka_unit_test(test_tokens_are_stored_only_hashed),
		cmocka_unit_test(test_role_table_is_the_gates),
		cmocka_unit_test(test_purpose_rules_per_role),
		cmocka_unit_test(test_break_glass),
		cmocka_unit_test(test_systems_and_people),
		cmocka_unit_test(test_every_failed_sign_in_is_denied_alike),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_revoke),
		cmocka_unit_test(test_disabled_user_or_changed_role_stops_tokens),
		cmocka_unit_test(test_purge),
		cmocka_unit_test(test_cache_hits_misses_and_forgets),
		cmocka_unit_test(test_cache_refresh_sees_other_connections),
		cmocka_unit_test(test_cache_is_bounded),
		cmocka_unit_test(test_cache_from_many_threads),
		cmocka_unit_test(test_throttle_grows_caps_and_decays),
		cmocka_unit_test(test_throttle_is_bounded),
		cmocka_unit_test(test_throttle_from_many_threads),
	};
	return cmocka_run_group_tests_name("auth", tests, setup, teardown);
}
