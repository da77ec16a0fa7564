/*
 * http_auth.c - sign-in over HTTP: POST /auth/token (RFC 6749 form posts:
 * the password and client_credentials grants, a purpose of use, an
 * optional break-glass reason), POST /auth/revoke (RFC 7009), and the
 * bearer-token check every other route goes through.
 *
 * The /auth endpoints answer errors the OAuth way ({"error",
 * "error_description"}), since OAuth clients read them; everything under
 * /fhir answers with OperationOutcomes. Password checks run on the slow
 * workers; a client (user or address) with recent failures gets its answer
 * held back (jup_auth_throttle), without holding a thread.
 */
#include "http/http_internal.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void reply_oauth(http_req *r, unsigned status, const char *error, const char *desc)
{
	json_t *j = json_pack("{s:s, s:s}", "error", error, "error_description", desc);
	r->oauth_json = true; /* RFC 6749 5.2: application/json */
	http_reply_json(r, status, j);
}

/* The form's fields: only a form body, each field at most once. */
static bool read_form(http_req *r)
{
	if (!r->form_body) {
		reply_oauth(r, 400, "invalid_request",
			    "send the fields as application/x-www-form-urlencoded");
		return false;
	}
	http_params_free(r);
	if (!http_params_parse_form(r, r->body.data ? r->body.data : "", r->body.len)) {
		reply_oauth(r, 400, "invalid_request", r->bad_why);
		return false;
	}
	if (r->basic[0] && (http_param(r, "client_id") || http_param(r, "client_secret"))) {
		reply_oauth(r, 400, "invalid_request",
			    "authenticate the client one way: Authorization: Basic or the form");
		return false;
	}
	if (r->basic[0] && !http_params_add_basic(r, r->basic)) {
		reply_oauth(r, 401, "invalid_client", r->bad_why);
		return false;
	}
	for (int i = 0; i < r->nparams; i++) {
		if (http_param_count(r, r->params[i].key) > 1) {
			reply_oauth(r, 400, "invalid_request", "a field is given more than once");
			return false;
		}
	}
	return true;
}

static int64_t now_ms(void)
{
	return (int64_t)(http_now_ns() / 1000000u);
}

/* The throttle keys: the user as named and the client address. */
static void throttle_keys(const http_req *r, const char *user, char ukey[96], char akey[64])
{
	snprintf(ukey, 96, "user:%.80s", user ? user : "");
	char a[INET6_ADDRSTRLEN] = "";
	if (r->addr_len)
		inet_ntop(r->addr_len == 4 ? AF_INET : AF_INET6, r->addr, a, sizeof a);
	snprintf(akey, 64, "addr:%s", a);
}

static json_t *token_json(const char *token, const jup_auth_grant *g)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:b}", "access_token", token, "token_type",
			 "Bearer", "expires_in", (json_int_t)(g->expires_at - g->issued_at),
			 "purpose", jup_auth_purpose_name(g->purpose), "break_glass",
			 g->break_glass[0] != '\0');
}

/* On a slow worker: check the secret, issue the token. */
static void token_sign_in(http_worker *w, http_req *r)
{
	http_server *s = r->srv;
	jup_auth_grant_type gt;
	(void)jup_auth_grant_type_parse(http_param(r, "grant_type"), &gt);
	const char *user = gt == JUP_AUTH_GRANT_CLIENT ? http_param(r, "client_id")
						      : http_param(r, "username");
	const char *secret = gt == JUP_AUTH_GRANT_CLIENT ? http_param(r, "client_secret")
							: http_param(r, "password");
	jup_auth_options o = { s->cfg.token_lifetime, s->cfg.break_glass_token_lifetime };
	jup_auth_request rq = {
		.grant_type = gt,
		.username = user,
		.secret = secret,
		.purpose = http_param(r, "purpose"),
		.break_glass = http_param(r, "break_glass"),
		.options = &o,
		.request_id = r->rid,
	};
	char token[JUP_AUTH_TOKEN_MAX + 1], ukey[96], akey[64];
	jup_auth_grant g;
	jup_err err;
	throttle_keys(r, user, ukey, akey);
	jup_status st = jup_auth_issue(w->st, &rq, token, &g, &err);
	if (st == JUP_ERR_DENIED) {
		jup_auth_throttle_fail(s->throttle, ukey, now_ms());
		jup_auth_throttle_fail(s->throttle, akey, now_ms());
		reply_oauth(r, 400, "invalid_grant", err.msg);
	} else if (st == JUP_ERR_INVALID || st == JUP_ERR_USAGE) {
		reply_oauth(r, 400, "invalid_request", err.msg);
	} else if (st) {
		http_reply_error(r, st, &err);
	} else {
		jup_auth_throttle_success(s->throttle, ukey);
		http_reply_json(r, 200, token_json(token, &g));
	}
	sodium_memzero(token, sizeof token);
}

void http_h_token(http_worker *w, http_req *r)
{
	(void)w;
	if (!read_form(r))
		return;
	jup_auth_grant_type gt;
	if (!jup_auth_grant_type_parse(http_param(r, "grant_type"), &gt)) {
		reply_oauth(r, 400, "unsupported_grant_type",
			    "grant_type: expected password or client_credentials");
		return;
	}
	const char *user = gt == JUP_AUTH_GRANT_CLIENT ? http_param(r, "client_id")
						      : http_param(r, "username");
	char ukey[96], akey[64];
	throttle_keys(r, user, ukey, akey);
	uint32_t du = jup_auth_throttle_delay_ms(r->srv->throttle, ukey, now_ms());
	uint32_t da = jup_auth_throttle_delay_ms(r->srv->throttle, akey, now_ms());
	r->delay_ms = du > da ? du : da;
	http_defer(r, token_sign_in, true);
}

void http_h_revoke(http_worker *w, http_req *r)
{
	if (!read_form(r))
		return;
	const char *token = http_param(r, "token");
	if (!token || !token[0]) {
		reply_oauth(r, 400, "invalid_request", "token: missing");
		return;
	}
	jup_err err;
	bool revoked = false;
	jup_status st = jup_auth_revoke(w->st, token, 0, &revoked, &err);
	jup_auth_cache_forget(r->srv->tokens, token);
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	http_reply_empty(r, 200);
}

void http_authenticate(http_worker *w, http_req *r)
{
	http_server *s = r->srv;
	jup_err err;
	unsigned retry;
	jup_status st = jup_auth_cache_check(s->tokens, w->st, r->token, 0, &r->grant, &err);
	if (st == JUP_ERR_DENIED) {
		r->www_authenticate = true;
		http_reply_outcome(r, 401, "login", "The token is not valid or has expired: sign in again.");
		return;
	}
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	r->authed = true;
	if (!http_rate_take(s->rate_token, &r->grant.token_id, sizeof r->grant.token_id,
			    http_now_ns(), &retry)) {
		r->retry_after = retry;
		http_reply_outcome(r, 429, "throttled",
				   "Too many requests with this token: wait and try again.");
		return;
	}
	r->route->start(w, r);
}
