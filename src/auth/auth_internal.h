/*
 * auth_internal.h - what the auth module's files share (private to auth/).
 */
#ifndef AUTH_INTERNAL_H
#define AUTH_INTERNAL_H

#include "auth/jup_auth.h"

#define AUTH_KEY_LEN 32 /* a token's BLAKE2b-256 hash, the store's and the cache's key */

/* The one answer for a token that does not work, whatever the reason. */
#define AUTH_TOKEN_DENIED "invalid or expired token"

/* auth_now: now, or the clock's unix seconds when now is 0. */
int64_t auth_now(int64_t now);

/* auth_token_key: when token is well formed (JUP_AUTH_TOKEN_PREFIX and 43
 * base64url characters), its hash into key and true; false otherwise. */
bool auth_token_key(const char *token, uint8_t key[AUTH_KEY_LEN]);

/* auth_lookup: jup_auth_check by the token's hash. */
jup_status auth_lookup(jup_store *st, const uint8_t key[AUTH_KEY_LEN], int64_t now,
		       jup_auth_grant *out, jup_err *err) JUP_MUST_CHECK;

/* An audit entry about the auth module's acts (never about a person). */
typedef struct auth_event {
	int64_t at;                  /* unix seconds */
	const char *actor;           /* a well-formed username, or "unknown" */
	const jup_user *user;        /* signed in (role, organisation), or NULL */
	const char *org_code;        /* the user's organisation code, or NULL/"" */
	jup_consent_purpose purpose; /* JUP_AUTH_NO_PURPOSE for none */
	const char *action;          /* "auth.token", "auth.sign_in", "auth.revoke" */
	const char *what;            /* e.g. "auth_token:12", or NULL */
	const char *outcome;         /* "done" or "deny" */
	const char *reason;          /* NULL: none */
	const char *break_glass;     /* NULL: none */
	const char *request_id;      /* NULL: none */
} auth_event;

/* auth_audit: append e to the audit log, inside the caller's transaction.
 * Audit and store errors. */
jup_status auth_audit(jup_store *st, const auth_event *e, jup_err *err) JUP_MUST_CHECK;

#endif
