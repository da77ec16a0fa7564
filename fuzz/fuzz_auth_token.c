/*
 * fuzz_auth_token.c - libFuzzer target for what a client sends the auth
 * module: a bearer token (jup_auth_check, the cache, jup_auth_revoke) and a
 * token request (jup_auth_issue).
 *
 * The input's lines are: the token; then, when there are more lines, the
 * request's grant_type, username (or client id), secret, purpose and
 * break-glass reason (a missing line is NULL). The store holds a GP, an
 * information governance officer and a system. Whatever the input: a
 * token checks as JUP_OK (only the one issued at start, never guessed) or
 * JUP_ERR_DENIED with the one message; revoking is JUP_OK; a request gives
 * JUP_OK, JUP_ERR_INVALID or JUP_ERR_DENIED, never echoes the secret, and a
 * token issued checks and then revokes.
 */
#include "auth/jup_auth.h"
#include "fuzz_check.h"
#include "scratch_store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 6

static jup_store *st;
static jup_auth_cache *cache;
static char live[JUP_AUTH_TOKEN_MAX + 1];

static void add_user(const char *name, jup_role role, const char *secret, bool system)
{
	jup_user_new u = { name, role,   role == JUP_ROLE_GP ? "Y90001" : "E08000035",
			   NULL, secret, system };
	jup_err err;
	if (jup_user_add(st, &u, NULL, &err))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	st = scratch_open("auth");
	scratch_import_text("organisations.csv", "org_code,name,kind,participating,postcode\n"
						 "Y90001,Larchfield Surgery,gp_practice,Y,\n"
						 "E08000035,Council,council,Y,\n");
	add_user("gp.fuzz", JUP_ROLE_GP, "fuzz password 123", false);
	add_user("ig.fuzz", JUP_ROLE_IG_OFFICER, "fuzz password 123", false);
	add_user("sys.fuzz", JUP_ROLE_ANALYST, "fuzz client secret 0123456789abcdef", true);
	jup_err err;
	jup_auth_grant g;
	jup_auth_request rq = { .grant_type = JUP_AUTH_GRANT_PASSWORD,
				.username = "gp.fuzz",
				.secret = "fuzz password 123",
				.purpose = "direct_care" };
	if (jup_auth_issue(st, &rq, live, &g, &err) || jup_auth_cache_new(64, &cache, &err))
		abort();
	return 0;
}

/* Split the input into up to MAX_LINES NUL-terminated lines (a NUL byte
 * ends its line early); *n gets how many. */
static char *split(const uint8_t *data, size_t size, char *line[MAX_LINES], int *n)
{
	char *text = malloc(size + 1);
	check(text != NULL);
	memcpy(text, data, size);
	text[size] = 0;
	*n = 0;
	for (char *p = text; *n < MAX_LINES;) {
		line[(*n)++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = 0;
		p = nl + 1;
	}
	return text;
}

static void fuzz_token(const char *token)
{
	jup_auth_grant g;
	jup_err err;
	jup_status r = jup_auth_check(st, token, 0, &g, &err);
	bool is_live = strcmp(token, live) == 0;
	check(r == (is_live ? JUP_OK : JUP_ERR_DENIED));
	check(r || g.token_id > 0);
	check(!r || strcmp(err.msg, "invalid or expired token") == 0);
	r = jup_auth_cache_check(cache, st, token, 0, &g, &err);
	check(r == (is_live ? JUP_OK : JUP_ERR_DENIED));
	jup_auth_cache_forget(cache, token);
	if (!is_live)
		check(jup_auth_revoke(st, token, 0, NULL, &err) == JUP_OK);
}

static void fuzz_request(char *line[MAX_LINES], int n)
{
	jup_auth_request rq = { .now = 0 };
	if (!jup_auth_grant_type_parse(line[1], &rq.grant_type))
		rq.grant_type = (jup_auth_grant_type)(strlen(line[1]) % 3);
	rq.username = n > 2 ? line[2] : NULL;
	rq.secret = n > 3 ? line[3] : NULL;
	rq.purpose = n > 4 ? line[4] : NULL;
	rq.break_glass = n > 5 ? line[5] : NULL;
	char token[JUP_AUTH_TOKEN_MAX + 1];
	jup_auth_grant g, c;
	jup_err err;
	jup_status r = jup_auth_issue(st, &rq, token, &g, &err);
	check(r == JUP_OK || r == JUP_ERR_INVALID || r == JUP_ERR_DENIED);
	if (r) {
		check(token[0] == 0 && g.token_id == 0);
		/* no message holds a '#': a secret with one is never in a message */
		check(!rq.secret || !strchr(rq.secret, '#') || !strstr(err.msg, rq.secret));
		return;
	}
	check(strlen(token) == JUP_AUTH_TOKEN_MAX);
	check(jup_auth_check(st, token, 0, &c, &err) == JUP_OK && c.token_id == g.token_id);
	bool revoked = false;
	check(jup_auth_revoke(st, token, 0, &revoked, &err) == JUP_OK && revoked);
	check(jup_auth_check(st, token, 0, &c, &err) == JUP_ERR_DENIED);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line[MAX_LINES];
	int n;
	char *text = split(data, size, line, &n);
	fuzz_token(line[0]);
	if (n > 1)
		fuzz_request(line, n);
	free(text);
	return 0;
}
