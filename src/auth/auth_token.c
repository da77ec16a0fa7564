/*
 * auth_token.c - tokens once issued: their form and hash, checking,
 * revoking, purging; names of grant types and purposes; the audit entries
 * the module writes.
 */
#include "auth/auth_internal.h"

#include "core/jup_date.h"
#include "core/jup_hex.h"
#include "gate/jup_gate.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- names ------------------------------------------------------------------ */

static const char *const grant_names[JUP_AUTH_GRANT__COUNT] = {
	[JUP_AUTH_GRANT_PASSWORD] = "password",
	[JUP_AUTH_GRANT_CLIENT] = "client_credentials",
};

const char *jup_auth_grant_type_name(jup_auth_grant_type g)
{
	return (unsigned)g < JUP_AUTH_GRANT__COUNT ? grant_names[g] : "unknown";
}

bool jup_auth_grant_type_parse(const char *s, jup_auth_grant_type *out)
{
	for (int g = 0; s && g < JUP_AUTH_GRANT__COUNT; g++)
		if (strcmp(s, grant_names[g]) == 0) {
			*out = (jup_auth_grant_type)g;
			return true;
		}
	return false;
}

const char *jup_auth_purpose_name(jup_consent_purpose p)
{
	if (p == JUP_AUTH_NO_PURPOSE)
		return "none";
	return (unsigned)p < JUP_CONSENT_PURPOSE__COUNT ? jup_consent_purpose_name(p) : "unknown";
}

bool jup_auth_purpose_parse(const char *s, jup_consent_purpose *out)
{
	if (!s || !*s || strcmp(s, "none") == 0) {
		*out = JUP_AUTH_NO_PURPOSE;
		return true;
	}
	return jup_consent_purpose_parse(s, false, out);
}

void jup_auth_options_default(jup_auth_options *o)
{
	o->lifetime = JUP_AUTH_LIFETIME;
	o->break_glass_lifetime = JUP_AUTH_BREAK_GLASS_LIFETIME;
}

int64_t auth_now(int64_t now)
{
	return now ? now : (int64_t)time(NULL);
}

/* ---- the token's form and hash --------------------------------------------------- */

static bool base64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

bool auth_token_key(const char *token, uint8_t key[AUTH_KEY_LEN])
{
	static const size_t prefix = sizeof JUP_AUTH_TOKEN_PREFIX - 1;
	if (!token || strncmp(token, JUP_AUTH_TOKEN_PREFIX, prefix) != 0)
		return false;
	size_t n = prefix;
	while (n <= JUP_AUTH_TOKEN_MAX && token[n] && base64url_char(token[n]))
		n++;
	if (n != JUP_AUTH_TOKEN_MAX || token[n])
		return false;
	return crypto_generichash(key, AUTH_KEY_LEN, (const unsigned char *)token, n, NULL, 0) == 0;
}

/* ---- reading a token's row ------------------------------------------------------- */

typedef struct token_row {
	bool found, revoked, bad; /* bad: a value this build cannot read */
	int64_t id, user_id;
	jup_auth_grant_type grant_type;
	jup_consent_purpose purpose;
	char break_glass[JUP_AUDIT_MAX_FIELD + 1];
	int64_t issued_at, expires_at;
} token_row;

static bool read_time(const jup_value *v, int64_t *out)
{
	jup_err ignored;
	return v->type == JUP_V_TEXT && !jup_time_parse(v->s, out, &ignored);
}

static jup_status token_row_read(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	token_row *t = ctx;
	char grant[32], purpose[32];
	t->found = true;
	t->id = id;
	t->user_id = v[JUP_TOKEN_USER_ID].type == JUP_V_INT ? v[JUP_TOKEN_USER_ID].i : 0;
	jup_value_copy_text(grant, sizeof grant, &v[JUP_TOKEN_GRANT_TYPE]);
	jup_value_copy_text(purpose, sizeof purpose, &v[JUP_TOKEN_PURPOSE]);
	jup_value_copy_text(t->break_glass, sizeof t->break_glass, &v[JUP_TOKEN_BREAK_GLASS]);
	t->revoked = v[JUP_TOKEN_REVOKED_AT].type != JUP_V_NULL;
	t->bad = !jup_auth_grant_type_parse(grant, &t->grant_type) || !purpose[0] ||
		 !jup_auth_purpose_parse(purpose, &t->purpose) ||
		 !read_time(&v[JUP_TOKEN_ISSUED_AT], &t->issued_at) ||
		 !read_time(&v[JUP_TOKEN_EXPIRES_AT], &t->expires_at);
	return JUP_OK;
}

/* The row of the token whose hash is key; t->found false when none. */
static jup_status find_token(jup_store *st, const uint8_t key[AUTH_KEY_LEN], token_row *t,
			     jup_err *err)
{
	char hex[2 * AUTH_KEY_LEN + 1];
	jup_hex_encode(key, AUTH_KEY_LEN, hex);
	memset(t, 0, sizeof *t);
	jup_match by_hash = { JUP_TOKEN_HASH, jup_v_cstr(hex) };
	return jup_store_scan(st, JUP_TABLE_AUTH_TOKEN, &by_hash, 1, token_row_read, t, err);
}

/* ---- checking --------------------------------------------------------------------- */

static jup_status token_denied(jup_auth_grant *out, jup_err *err)
{
	memset(out, 0, sizeof *out);
	return jup_err_set(err, JUP_ERR_DENIED, AUTH_TOKEN_DENIED);
}

/* Whether the user may still hold a token for this purpose (the role may
 * have changed since it was issued). */
static bool still_fits(const jup_user *u, const token_row *t)
{
	if (u->disabled)
		return false;
	if (t->break_glass[0] && (u->system || !jup_gate_role_may_break_glass(u->role)))
		return false;
	if (t->purpose != JUP_AUTH_NO_PURPOSE)
		return jup_gate_role_may(u->role, t->purpose);
	for (int p = 0; p < JUP_CONSENT_PURPOSE__COUNT; p++)
		if (jup_gate_role_may(u->role, (jup_consent_purpose)p))
			return false; /* a role with purposes acts for one of them */
	return true;
}

/* Fill *out from t and the token's user as stored now. */
static jup_status grant_of(jup_store *st, const token_row *t, jup_auth_grant *out, jup_err *err)
{
	memset(out, 0, sizeof *out);
	jup_status r = jup_user_get(st, t->user_id, &out->user, err);
	if (r == JUP_ERR_NOT_FOUND || (!r && !still_fits(&out->user, t)))
		return token_denied(out, err);
	if (!r && out->user.org_id)
		r = jup_store_org_code(st, out->user.org_id, out->org_code, sizeof out->org_code,
				       err);
	if (r) {
		memset(out, 0, sizeof *out);
		return r;
	}
	out->token_id = t->id;
	out->grant_type = t->grant_type;
	out->purpose = t->purpose;
	memcpy(out->break_glass, t->break_glass, sizeof out->break_glass);
	out->issued_at = t->issued_at;
	out->expires_at = t->expires_at;
	return JUP_OK;
}

jup_status auth_lookup(jup_store *st, const uint8_t key[AUTH_KEY_LEN], int64_t now,
		       jup_auth_grant *out, jup_err *err)
{
	token_row t;
	jup_status r = find_token(st, key, &t, err);
	if (r) {
		memset(out, 0, sizeof *out);
		return r;
	}
	if (!t.found || t.bad || t.revoked || t.expires_at <= now)
		return token_denied(out, err);
	return grant_of(st, &t, out, err);
}

jup_status jup_auth_check(jup_store *st, const char *token, int64_t now, jup_auth_grant *out,
			  jup_err *err)
{
	uint8_t key[AUTH_KEY_LEN];
	if (!st || !out)
		return jup_err_set(err, JUP_ERR_USAGE, "auth: check needs a store and a grant");
	if (!auth_token_key(token, key))
		return token_denied(out, err);
	return auth_lookup(st, key, auth_now(now), out, err);
}

/* ---- revoking and purging ------------------------------------------------------------ */

/* Mark row t revoked at now and log it, inside the caller's transaction;
 * *revoked false when another call got there first. */
static jup_status revoke_row(jup_store *st, const token_row *t, int64_t now, bool *revoked,
			     jup_err *err)
{
	char at[21], what[40];
	jup_time_format(now, at);
	jup_match where[2] = { { JUP_COL_ID, jup_v_int(t->id) },
			       { JUP_TOKEN_REVOKED_AT, jup_v_null() } };
	jup_match set = { JUP_TOKEN_REVOKED_AT, jup_v_cstr(at) };
	int64_t changed = 0;
	jup_status r = jup_store_update(st, JUP_TABLE_AUTH_TOKEN, where, 2, &set, 1, &changed, err);
	*revoked = !r && changed == 1;
	if (r || !*revoked)
		return r;
	jup_user u;
	char org[JUP_MAX_ORG_CODE_LEN + 1] = "";
	r = jup_user_get(st, t->user_id, &u, err);
	if (!r && u.org_id)
		r = jup_store_org_code(st, u.org_id, org, sizeof org, err);
	if (r)
		return r;
	snprintf(what, sizeof what, "auth_token:%lld", (long long)t->id);
	auth_event e = { .at = now,
			 .actor = u.username,
			 .user = &u,
			 .org_code = org,
			 .purpose = t->purpose,
			 .action = "auth.revoke",
			 .what = what,
			 .outcome = "done" };
	return auth_audit(st, &e, err);
}

jup_status jup_auth_revoke(jup_store *st, const char *token, int64_t now, bool *revoked,
			   jup_err *err)
{
	bool ignored;
	revoked = revoked ? revoked : &ignored;
	*revoked = false;
	if (!st)
		return jup_err_set(err, JUP_ERR_USAGE, "auth: revoke needs a store");
	uint8_t key[AUTH_KEY_LEN];
	token_row t;
	if (!auth_token_key(token, key))
		return JUP_OK; /* RFC 7009: nothing to revoke is not an error */
	jup_status r = find_token(st, key, &t, err);
	if (r || !t.found || t.revoked)
		return r;
	if ((r = jup_store_begin(st, err)))
		return r;
	r = revoke_row(st, &t, auth_now(now), revoked, err);
	if (!r)
		r = jup_store_commit(st, err);
	if (r) {
		jup_store_abandon(st);
		*revoked = false;
	}
	return r;
}

jup_status jup_auth_purge(jup_store *st, int64_t now, int64_t *n, jup_err *err)
{
	char before[21];
	if (n)
		*n = 0;
	if (!st)
		return jup_err_set(err, JUP_ERR_USAGE, "auth: purge needs a store");
	jup_time_format(auth_now(now) - JUP_AUTH_PURGE_AFTER, before);
	return jup_store_auth_purge(st, before, n, err);
}

/* ---- audit entries -------------------------------------------------------------------- */

static const char *or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

jup_status auth_audit(jup_store *st, const auth_event *e, jup_err *err)
{
	char at[21];
	jup_time_format(e->at, at);
	jup_audit_entry a = {
		.recorded_at = at,
		.actor = e->actor,
		.role = e->user ? jup_role_name(e->user->role) : NULL,
		.org_code = or_null(e->org_code),
		.purpose = jup_auth_purpose_name(e->purpose),
		.action = e->action,
		.what = or_null(e->what),
		.outcome = e->outcome,
		.reason = or_null(e->reason),
		.break_glass = or_null(e->break_glass),
		.request_id = or_null(e->request_id),
	};
	int64_t id;
	return jup_audit_append(st, &a, &id, err);
}
