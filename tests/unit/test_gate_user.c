/*
 * test_gate_user.c - users: roles, the rules for adding them, signing in.
 */
#include "jup_test.h"

#include "gate/jup_user.h"
#include "ingest/jup_ingest_import.h"

#include <stdio.h>
#include <string.h>

#define PASSWORD "correct horse battery staple"
#define SECRET   "client-secret-0123456789abcdef-0123456789"

static jup_store *st;

static int setup(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/users.db", jup_test_tmpdir());
	jup_err err;
	if (jup_store_open(path, JUP_STORE_CREATE, &st, &err))
		fail_msg("open: %s", err.msg);
	const char *orgs = jup_test_write_file(
		jup_test_tmpdir(), "organisations.csv",
		"org_code,name,kind,participating,postcode\n"
		"Y90001,Larchfield Surgery,gp_practice,Y,LS6 2AB\n"
		"R9A,Synthetic Trust,hospital_trust,Y,\n"
		"E08000035,Council,council,Y,\n"
		"H9A01,Hospice,hospice,Y,\n");
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23) };
	jup_import_summary sum;
	const char *paths[] = { orgs };
	if (jup_ingest_import(st, paths, 1, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jup_store_close(st);
	return 0;
}

static jup_status add_kind(const char *username, jup_role role, const char *org, const char *nhs,
			   const char *password, bool system, jup_err *err)
{
	jup_user_new u = { username, role, org, nhs, password, system };
	int64_t id;
	return jup_user_add(st, &u, &id, err);
}

static jup_status add(const char *username, jup_role role, const char *org, const char *nhs,
		      const char *password, jup_err *err)
{
	jup_user_new u = { username, role, org, nhs, password };
	int64_t id;
	return jup_user_add(st, &u, &id, err);
}

static void test_roles(void **state)
{
	(void)state;
	for (int r = 0; r < JUP_ROLE__COUNT; r++) {
		jup_role back;
		assert_true(jup_role_parse(jup_role_name((jup_role)r), &back));
		assert_int_equal(back, r);
	}
	jup_role none;
	assert_false(jup_role_parse("doctor", &none));
	assert_false(jup_role_parse(NULL, &none));
	assert_string_equal(jup_role_name(JUP_ROLE__COUNT), "unknown");
	assert_int_equal(jup_role_org_kinds(JUP_ROLE_CITIZEN), 0);
	assert_int_equal(jup_role_org_kinds(JUP_ROLE_GP), 1u << JUP_ORG_GP_PRACTICE);
}

/* Each rule for adding, and what is stored. */
static const struct {
	const char *username;
	jup_role role;
	const char *org, *nhs, *password;
	jup_status want;
	const char *why; /* in the message when refused */
} add_cases[] = {
	{ "dr.ada", JUP_ROLE_GP, "Y90001", NULL, PASSWORD, JUP_OK, NULL },
	{ "dr.ada", JUP_ROLE_GP, "Y90001", NULL, PASSWORD, JUP_ERR_EXISTS, "taken" },
	{ "sw.bo", JUP_ROLE_SOCIAL_WORKER, "E08000035", NULL, PASSWORD, JUP_OK, NULL },
	{ "eol.cy", JUP_ROLE_EOL_OPERATOR, "H9A01", NULL, PASSWORD, JUP_OK, NULL },
	{ "cit.di", JUP_ROLE_CITIZEN, NULL, "999 000 0018", PASSWORD, JUP_OK, NULL },
	{ "sw.x", JUP_ROLE_SOCIAL_WORKER, "Y90001", NULL, PASSWORD, JUP_ERR_INVALID,
	  "cannot belong to a gp_practice" },
	{ "gp.x", JUP_ROLE_GP, NULL, NULL, PASSWORD, JUP_ERR_INVALID, "needs an organisation" },
	{ "gp.y", JUP_ROLE_GP, "NOPE1", NULL, PASSWORD, JUP_ERR_INVALID, "no organisation" },
	{ "gp.z", JUP_ROLE_GP, "Y90001", "9990000018", PASSWORD, JUP_ERR_INVALID,
	  "only a citizen" },
	{ "cit.x", JUP_ROLE_CITIZEN, NULL, NULL, PASSWORD, JUP_ERR_INVALID, "needs the citizen" },
	{ "cit.y", JUP_ROLE_CITIZEN, NULL, "9990000019", PASSWORD, JUP_ERR_INVALID, "NHS number" },
	{ "Dr.Ada", JUP_ROLE_GP, "Y90001", NULL, PASSWORD, JUP_ERR_INVALID, "username" },
	{ "", JUP_ROLE_GP, "Y90001", NULL, PASSWORD, JUP_ERR_INVALID, "username" },
	{ "gp.short", JUP_ROLE_GP, "Y90001", NULL, "too short", JUP_ERR_INVALID, "password" },
};

static void test_add_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof add_cases / sizeof add_cases[0]; i++) {
		jup_err err = { 0 };
		jup_status got = add(add_cases[i].username, add_cases[i].role, add_cases[i].org,
				     add_cases[i].nhs, add_cases[i].password, &err);
		if (got != add_cases[i].want)
			fail_msg("case %zu (%s): got %s, want %s: %s", i, add_cases[i].username,
				 jup_strerror(got), jup_strerror(add_cases[i].want), err.msg);
		if (add_cases[i].why)
			assert_non_null(strstr(err.msg, add_cases[i].why));
		assert_null(strstr(err.msg, PASSWORD)); /* never echoed */
	}
	jup_user u;
	jup_err err;
	assert_int_equal(jup_user_find(st, "cit.di", &u, &err), JUP_OK);
	assert_int_equal(u.role, JUP_ROLE_CITIZEN);
	assert_string_equal(u.nhs_number, "9990000018"); /* spaces removed */
	assert_int_equal(u.org_id, 0);
	assert_int_equal(jup_user_find(st, "dr.ada", &u, &err), JUP_OK);
	assert_true(u.org_id > 0);
	assert_string_equal(u.nhs_number, "");
	assert_int_equal(jup_user_find(st, "nobody", &u, &err), JUP_ERR_NOT_FOUND);
}

static void test_sign_in(void **state)
{
	(void)state;
	jup_err err;
	jup_status r = add("gp.signin", JUP_ROLE_GP, "Y90001", NULL, PASSWORD, &err);
	assert_int_equal(r, JUP_OK);
	jup_user u;
	assert_int_equal(jup_user_sign_in(st, "gp.signin", PASSWORD, &u, &err), JUP_OK);
	assert_string_equal(u.username, "gp.signin");
	assert_int_equal(u.role, JUP_ROLE_GP);
	char wrong_user[sizeof err.msg], wrong_pw[sizeof err.msg];
	assert_int_equal(jup_user_sign_in(st, "gp.signin", PASSWORD "x", &u, &err), JUP_ERR_DENIED);
	snprintf(wrong_pw, sizeof wrong_pw, "%s", err.msg);
	assert_int_equal(u.id, 0); /* nothing handed out */
	assert_int_equal(jup_user_sign_in(st, "gp.nobody", PASSWORD, &u, &err), JUP_ERR_DENIED);
	snprintf(wrong_user, sizeof wrong_user, "%s", err.msg);
	assert_string_equal(wrong_user, wrong_pw); /* the same answer either way */
	assert_int_equal(jup_user_sign_in(st, "gp.signin", "", &u, &err), JUP_ERR_DENIED);
	assert_int_equal(jup_user_sign_in(st, "gp.signin", NULL, &u, &err), JUP_ERR_DENIED);
	/* a disabled user cannot sign in, even with the right password */
	jup_match who = { JUP_USER_USERNAME, jup_v_cstr("gp.signin") };
	jup_match off = { JUP_USER_DISABLED, jup_v_int(1) };
	assert_int_equal(jup_store_update(st, JUP_TABLE_APP_USER, &who, 1, &off, 1, NULL, &err),
			 JUP_OK);
	assert_int_equal(jup_user_sign_in(st, "gp.signin", PASSWORD, &u, &err), JUP_ERR_DENIED);
	assert_string_equal(err.msg, wrong_pw);
}

/* Systems: client secrets of 32 bytes or more, never citizens, and they
 * sign in only with client credentials (people only with passwords). */
static void test_systems(void **state)
{
	(void)state;
	jup_err err;
	assert_int_equal(add_kind("sys.risk", JUP_ROLE_ANALYST, "E08000035", NULL, SECRET, true,
				  &err),
			 JUP_OK);
	assert_int_equal(add_kind("sys.short", JUP_ROLE_ANALYST, "E08000035", NULL, PASSWORD, true,
				  &err),
			 JUP_ERR_INVALID);
	assert_string_equal(err.msg, "client secret: 32 to 512 bytes");
	assert_int_equal(add_kind("sys.cit", JUP_ROLE_CITIZEN, NULL, "9990000026", SECRET, true,
				  &err),
			 JUP_ERR_INVALID);
	assert_string_equal(err.msg, "a system cannot be a citizen");
	assert_int_equal(add_kind("sys.bad", JUP_ROLE_GP, "E08000035", NULL, SECRET, true, &err),
			 JUP_ERR_INVALID); /* the role's organisation rules hold for systems */
	jup_user u;
	assert_int_equal(jup_user_find(st, "sys.risk", &u, &err), JUP_OK);
	assert_true(u.system);
	assert_int_equal(jup_user_find(st, "dr.ada", &u, &err), JUP_OK);
	assert_false(u.system);
	assert_int_equal(jup_user_client_sign_in(st, "sys.risk", SECRET, &u, &err), JUP_OK);
	assert_true(u.system && strcmp(u.username, "sys.risk") == 0);
	char denied[sizeof err.msg];
	assert_int_equal(jup_user_sign_in(st, "sys.risk", SECRET, &u, &err), JUP_ERR_DENIED);
	snprintf(denied, sizeof denied, "%s", err.msg);
	assert_int_equal(u.id, 0);
	assert_int_equal(jup_user_client_sign_in(st, "sys.risk", SECRET "x", &u, &err),
			 JUP_ERR_DENIED);
	assert_string_equal(err.msg, denied);
	assert_int_equal(jup_user_client_sign_in(st, "nobody", SECRET, &u, &err), JUP_ERR_DENIED);
	assert_string_equal(err.msg, denied);
	assert_int_equal(add("gp.person", JUP_ROLE_GP, "Y90001", NULL, SECRET, &err), JUP_OK);
	assert_int_equal(jup_user_client_sign_in(st, "gp.person", SECRET, &u, &err),
			 JUP_ERR_DENIED);
	assert_string_equal(err.msg, denied);
	assert_int_equal(jup_user_sign_in(st, "gp.person", SECRET, &u, &err), JUP_OK);
	int64_t id = u.id;
	assert_int_equal(jup_user_get(st, id, &u, &err), JUP_OK);
	assert_string_equal(u.username, "gp.person");
	assert_int_equal(jup_user_get(st, 424242, &u, &err), JUP_ERR_NOT_FOUND);
	assert_true(jup_username_ok("a.b_c-9"));
	assert_false(jup_username_ok("A"));
	assert_false(jup_username_ok(""));
	assert_false(jup_username_ok(NULL));
}

static jup_status count_user(void *ctx, const jup_user *u, jup_err *err)
{
	(void)err;
	(void)u;
	(*(int *)ctx)++;
	return JUP_OK;
}

static void test_each(void **state)
{
	(void)state;
	int n = 0;
	jup_err err;
	assert_int_equal(jup_user_each(st, count_user, &n, &err), JUP_OK);
	int64_t rows;
	assert_int_equal(jup_store_count(st, JUP_TABLE_APP_USER, &rows, &err), JUP_OK);
	assert_int_equal(n, rows);
	assert_true(n >= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_add_rules),
		cmocka_unit_test(test_sign_in),
		cmocka_unit_test(test_systems),
		cmocka_unit_test(test_each),
	};
	return cmocka_run_group_tests_name("gate_user", tests, setup, teardown);
}
