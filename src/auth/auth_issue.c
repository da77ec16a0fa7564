/*
 * auth_issue.c - issuing a token: the request's own checks, the sign-in,
 * what the role allows, and the token row written with its audit entry.
 */
#include "auth/auth_internal.h"

#include "core/jup_date.h"
#include "core/jup_hex.h"
#include "gate/jup_gate.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ---- the request's own checks (before any sign-in) ----------------------------- */

static jup_status check_options(const jup_auth_options *o, jup_err *err)
{
	if (o->lifetime < 1 || o->lifetime > JUP_AUTH_MAX_LIFETIME || o->break_glass_lifetime < 1 ||
	    o->break_glass_lifetime > JUP_AUTH_MAX_LIFETIME)
		return jup_err_set(err, JUP_ERR_USAGE, "auth: token lifetimes are 1 to %d seconds",
				   JUP_AUTH_MAX_LIFETIME);
	return JUP_OK;
}

static jup_status check_break_glass(const jup_auth_request *rq, jup_consent_purpose purpose,
				    jup_err *err)
{
	if (rq->grant_type == JUP_AUTH_GRANT_CLIENT)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "break_glass: only a person may break glass");
	if (purpose != JUP_CONSENT_DIRECT_CARE)
		return jup_err_set(err, JUP_ERR_INVALID, "break_glass: for direct_care only");
	if (strlen(rq->break_glass) < JUP_GATE_BREAK_GLASS_MIN ||
	    !jup_audit_text_ok(jup_sv_from(rq->break_glass)))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "break_glass: a reason of %d to %d bytes of plain text",
				   JUP_GATE_BREAK_GLASS_MIN, JUP_AUDIT_MAX_FIELD);
	return JUP_OK;
}

/* Everything that can be checked without signing in; *purpose gets the
 * purpose asked for. */
static jup_status check_request(const jup_auth_request *rq, jup_consent_purpose *purpose,
				jup_err *err)
{
	if ((unsigned)rq->grant_type >= JUP_AUTH_GRANT__COUNT)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "grant_type: password or client_credentials");
	bool client = rq->grant_type == JUP_AUTH_GRANT_CLIENT;
	if (!rq->username || !*rq->username)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: required",
				   client ? "client_id" : "username");
	if (!rq->secret || !*rq->secret)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: required",
				   client ? "client_secret" : "password");
	if (!jup_auth_purpose_parse(rq->purpose, purpose))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "purpose: one of direct_care, risk_stratification, planning, "
				   "research or none");
	return rq->break_glass ? check_break_glass(rq, *purpose, err) : JUP_OK;
}

/* ---- signing in -------------------------------------------------------------------- */

/* A failed sign-in's audit entry, a transaction of its own. */
static jup_status log_failure(jup_store *st, const jup_auth_request *rq,
			      jup_consent_purpose purpose, int64_t now, jup_err *err)
{
	auth_event e = { .at = now,
			 .actor = jup_username_ok(rq->username) ? rq->username : "unknown",
			 .purpose = purpose,
			 .action = "auth.sign_in",
			 .what = jup_auth_grant_type_name(rq->grant_type),
			 .outcome = "deny",
			 .reason = "wrong username or password",
			 .request_id = rq->request_id };
	jup_status r = jup_store_begin(st, err);
	if (!r)
		r = auth_audit(st, &e, err);
	if (!r)
		r = jup_store_commit(st, err);
	if (r)
		jup_store_abandon(st);
	return r;
}

/* Sign the client in by its grant type; a failure is logged and denied
 * with one message. */
static jup_status sign_in(jup_store *st, const jup_auth_request *rq, jup_consent_purpose purpose,
			  int64_t now, jup_user *u, jup_err *err)
{
	jup_status r = rq->grant_type == JUP_AUTH_GRANT_CLIENT
			       ? jup_user_client_sign_in(st, rq->username, rq->secret, u, err)
			       : jup_user_sign_in(st, rq->username, rq->secret, u, err);
	if (r != JUP_ERR_DENIED)
		return r;
	jup_err logged;
	jup_status s = log_failure(st, rq, purpose, now, &logged);
	if (s) {
		*err = logged;
		return s;
	}
	return r;
}

/* ---- what the role allows ------------------------------------------------------------ */

static bool role_has_purposes(jup_role r)
{
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++)
		if (jup_gate_role_may(r, (jup_consent_purpose)p))
			return true;
	return false;
}

/* The purposes role r may act for, as "a, b" into out. */
static void list_purposes(jup_role r, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = 0;
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT && n < cap; p++)
		if (jup_gate_role_may(r, (jup_consent_purpose)p))
			n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "",
					      jup_consent_purpose_name((jup_consent_purpose)p));
}

/* Why the signed-in user may not have this token (into why), or false when
 * it may. */
static bool role_refusal(const jup_user *u, jup_consent_purpose purpose, bool break_glass,
			 char *why, size_t cap)
{
	const char *role = jup_role_name(u->role);
	char may[96];
	list_purposes(u->role, may, sizeof may);
	if (purpose == JUP_AUTH_NO_PURPOSE && role_has_purposes(u->role))
		snprintf(why, cap, "purpose: required (a %s acts for %s)", role, may);
	else if (purpose != JUP_AUTH_NO_PURPOSE && !role_has_purposes(u->role))
		snprintf(why, cap, "purpose: a %s acts for no purpose (ask for none)", role);
	else if (purpose != JUP_AUTH_NO_PURPOSE && !jup_gate_role_may(u->role, purpose))
		snprintf(why, cap, "purpose: a %s may not act for %s (only %s)", role,
			 jup_consent_purpose_name(purpose), may);
	else if (break_glass && !jup_gate_role_may_break_glass(u->role))
		snprintf(why, cap, "break_glass: not open to a %s", role);
	else
		return false;
	return true;
}

/* A signed-in user refused a token: logged, then JUP_ERR_INVALID. */
static jup_status refuse(jup_store *st, const jup_auth_request *rq, const jup_user *u,
			 jup_consent_purpose purpose, int64_t now, const char *why, jup_err *err)
{
	char org[JUP_MAX_ORG_CODE_LEN + 1] = "";
	jup_status r = u->org_id ? jup_store_org_code(st, u->org_id, org, sizeof org, err) : JUP_OK;
	auth_event e = { .at = now,
			 .actor = u->username,
			 .user = u,
			 .org_code = org,
			 .purpose = purpose,
			 .action = "auth.token",
			 .outcome = "deny",
			 .reason = why,
			 .request_id = rq->request_id };
	if (!r && !(r = jup_store_begin(st, err))) {
		r = auth_audit(st, &e, err);
		r = r ? r : jup_store_commit(st, err);
		if (r)
			jup_store_abandon(st);
	}
	return r ? r : jup_err_set(err, JUP_ERR_INVALID, "%s", why);
}

/* ---- the token ------------------------------------------------------------------------- */

/* A new token's text and the hex of its hash. */
static jup_status make_token(char token[JUP_AUTH_TOKEN_MAX + 1], char hex[2 * AUTH_KEY_LEN + 1],
			     jup_err *err)
{
	static const size_t prefix = sizeof JUP_AUTH_TOKEN_PREFIX - 1;
	unsigned char raw[JUP_AUTH_TOKEN_BYTES];
	uint8_t key[AUTH_KEY_LEN];
	randombytes_buf(raw, sizeof raw);
	memcpy(token, JUP_AUTH_TOKEN_PREFIX, prefix);
	sodium_bin2base64(token + prefix, JUP_AUTH_TOKEN_MAX + 1 - prefix, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	if (!auth_token_key(token, key))
		return jup_err_set(err, JUP_ERR_INTERNAL, "auth: a new token is malformed");
	jup_hex_encode(key, AUTH_KEY_LEN, hex);
	return JUP_OK;
}

/* Write the token row of grant g (its hash hex) and its audit entry, in the
 * caller's transaction; g->token_id gets the row's id. */
static jup_status write_token(jup_store *st, const jup_auth_request *rq, const char *hex,
			      jup_auth_grant *g, jup_err *err)
{
	char issued[21], expires[21], what[40], reason[64];
	jup_time_format(g->issued_at, issued);
	jup_time_format(g->expires_at, expires);
	jup_value row[JUP_TOKEN__N] = {
		[JUP_TOKEN_HASH] = jup_v_cstr(hex),
		[JUP_TOKEN_USER_ID] = jup_v_int(g->user.id),
		[JUP_TOKEN_GRANT_TYPE] = jup_v_cstr(jup_auth_grant_type_name(g->grant_type)),
		[JUP_TOKEN_PURPOSE] = jup_v_cstr(jup_auth_purpose_name(g->purpose)),
		[JUP_TOKEN_BREAK_GLASS] =
			g->break_glass[0] ? jup_v_cstr(g->break_glass) : jup_v_null(),
		[JUP_TOKEN_ISSUED_AT] = jup_v_cstr(issued),
		[JUP_TOKEN_EXPIRES_AT] = jup_v_cstr(expires),
		[JUP_TOKEN_REVOKED_AT] = jup_v_null(),
	};
	jup_status r = jup_store_insert(st, JUP_TABLE_AUTH_TOKEN, row, NULL, &g->token_id, err);
	if (r)
		return r;
	snprintf(what, sizeof what, "auth_token:%lld", (long long)g->token_id);
	snprintf(reason, sizeof reason, "%s grant, until %s",
		 jup_auth_grant_type_name(g->grant_type), expires);
	auth_event e = { .at = g->issued_at,
			 .actor = g->user.username,
			 .user = &g->user,
			 .org_code = g->org_code,
			 .purpose = g->purpose,
			 .action = "auth.token",
			 .what = what,
			 .outcome = "done",
			 .reason = reason,
			 .break_glass = g->break_glass,
			 .request_id = rq->request_id };
	return auth_audit(st, &e, err);
}

/* Issue the token of grant g (user, purpose, break-glass and times set):
 * one transaction. */
static jup_status issue(jup_store *st, const jup_auth_request *rq,
			char token[JUP_AUTH_TOKEN_MAX + 1], jup_auth_grant *g, jup_err *err)
{
	char hex[2 * AUTH_KEY_LEN + 1];
	jup_status r = make_token(token, hex, err);
	if (!r && g->user.org_id)
		r = jup_store_org_code(st, g->user.org_id, g->org_code, sizeof g->org_code, err);
	if (r || (r = jup_store_begin(st, err)))
		return r;
	r = write_token(st, rq, hex, g, err);
	if (!r)
		r = jup_store_commit(st, err);
	if (r)
		jup_store_abandon(st);
	return r;
}

/* The grant a signed-in user gets, before its row is written. */
static void grant_start(const jup_auth_request *rq, const jup_auth_options *o, const jup_user *u,
			jup_consent_purpose purpose, int64_t now, jup_auth_grant *g)
{
	g->user = *u;
	g->grant_type = rq->grant_type;
	g->purpose = purpose;
	if (rq->break_glass)
		jup_value_copy_text(
			g->break_glass, sizeof g->break_glass,
			&(jup_value){ .type = JUP_V_TEXT, .s = jup_sv_from(rq->break_glass) });
	g->issued_at = now;
	g->expires_at = now + (rq->break_glass ? o->break_glass_lifetime : o->lifetime);
}

jup_status jup_auth_issue(jup_store *st, const jup_auth_request *rq,
			  char token[JUP_AUTH_TOKEN_MAX + 1], jup_auth_grant *out, jup_err *err)
{
	if (!st || !rq || !token || !out)
		return jup_err_set(err, JUP_ERR_USAGE,
				   "auth: issue needs a store, a request, "
				   "room for the token and a grant");
	token[0] = 0;
	memset(out, 0, sizeof *out);
	jup_auth_options defaults;
	jup_auth_options_default(&defaults);
	const jup_auth_options *o = rq->options ? rq->options : &defaults;
	jup_consent_purpose purpose;
	jup_status r = check_options(o, err);
	if (r || (r = check_request(rq, &purpose, err)))
		return r;
	int64_t now = auth_now(rq->now);
	jup_user u;
	char why[192];
	if ((r = sign_in(st, rq, purpose, now, &u, err)))
		return r;
	if (role_refusal(&u, purpose, rq->break_glass != NULL, why, sizeof why))
		return refuse(st, rq, &u, purpose, now, why, err);
	grant_start(rq, o, &u, purpose, now, out);
	if ((r = issue(st, rq, token, out, err))) {
		sodium_memzero(token, JUP_AUTH_TOKEN_MAX + 1);
		memset(out, 0, sizeof *out);
	}
	return r;
}
