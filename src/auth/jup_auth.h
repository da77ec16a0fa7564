/*
 * jup_auth.h - sign-in tokens for the HTTP API: issuing, checking and
 * revoking OAuth-2-style bearer tokens, a cache of live tokens for the
 * server's hot path, and the slowing of failed sign-ins.
 *
 * Who may have a token: a person signing in with username and password
 * (grant type "password") or another system with client id and client
 * secret ("client_credentials"); jup_user.h says which account is which.
 *
 * Purpose: every token is bound to ONE purpose of use (jup_consent_purpose:
 * direct_care, risk_stratification, planning, research), and only to one
 * the user's role may act for (jup_gate_role_may). Roles that act for no
 * purpose at all (ig_officer, engagement_officer, admin) get a token with
 * NO purpose: JUP_AUTH_NO_PURPOSE, asked for and stored as "none". Such a
 * token never opens a person's record through the gate (the gate refuses
 * the role for every purpose); the server may still let an ig_officer read
 * the audit log with it.
 *
 * Break-glass: a person whose role may break glass (the gate's role table)
 * may ask for a direct_care token carrying a reason (JUP_GATE_BREAK_GLASS_MIN
 * to JUP_AUDIT_MAX_FIELD bytes of plain text); it lives for the shorter
 * break-glass lifetime, and the server hands the reason to the gate with
 * every request made with it. Systems never break glass.
 *
 * Tokens: "jup_" and 43 characters of base64url (no padding) encoding 32
 * random bytes (randombytes_buf), 47 characters in all; the prefix makes a
 * leaked token easy to find in logs and code. Only the BLAKE2b-256 hash of
 * the token text (64 hex digits) is stored (table auth_token), so a copy of
 * the database holds no usable token; a token is looked up by its hash.
 * Tokens expire (default JUP_AUTH_LIFETIME, break-glass
 * JUP_AUTH_BREAK_GLASS_LIFETIME) and can be revoked; a token whose user was
 * disabled, or whose role no longer allows its purpose, stops working.
 * Rows expired or revoked more than JUP_AUTH_PURGE_AFTER ago are purged.
 *
 * Audit: issuing a token ("auth.token", outcome "done"), a failed sign-in
 * ("auth.sign_in", "deny"; the actor is the username as sent only when it
 * is a well-formed username, else "unknown"; never the secret), a signed-in
 * user refused a token ("auth.token", "deny", e.g. a purpose the role may
 * not act for) and a revocation ("auth.revoke", "done") each append an
 * audit entry, in the same transaction as the token row they concern. No
 * entry names a person (they are about the actor) or holds a token.
 *
 * Messages never carry the token, the secret or any personal data. Every
 * failure to sign in is JUP_ERR_DENIED with one message, whatever the cause;
 * every unusable token is JUP_ERR_DENIED with one other message.
 */
#ifndef JUP_AUTH_H
#define JUP_AUTH_H

#include "audit/jup_audit.h"
#include "consent/jup_consent.h"
#include "core/jup_limits.h"
#include "core/jup_status.h"
#include "gate/jup_user.h"
#include "store/jup_store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JUP_AUTH_TOKEN_PREFIX         "jup_"
#define JUP_AUTH_TOKEN_BYTES          32    /* random bytes in a token */
#define JUP_AUTH_TOKEN_MAX            47    /* characters: the prefix and 43 of base64url */
#define JUP_AUTH_LIFETIME             3600  /* seconds a token lives, by default */
#define JUP_AUTH_BREAK_GLASS_LIFETIME 900   /* seconds a break-glass token lives, by default */
#define JUP_AUTH_MAX_LIFETIME         43200 /* seconds: the longest lifetime allowed */
#define JUP_AUTH_PURGE_AFTER          86400 /* seconds a dead token's row is kept */
#define JUP_AUTH_NO_PURPOSE           JUP_CONSENT_PURPOSE__COUNT /* a token without purpose */

/* How the client proves who it is. */
typedef enum jup_auth_grant_type {
	JUP_AUTH_GRANT_PASSWORD, /* a person: username and password */
	JUP_AUTH_GRANT_CLIENT,   /* a system: client id and client secret */
	JUP_AUTH_GRANT__COUNT
} jup_auth_grant_type;

/* jup_auth_grant_type_name: "password" or "client_credentials" (the OAuth
 * names; "unknown" out of range). */
const char *jup_auth_grant_type_name(jup_auth_grant_type g);

/* jup_auth_grant_type_parse: the grant type named s (as above); false for
 * anything else, NULL included. */
bool jup_auth_grant_type_parse(const char *s, jup_auth_grant_type *out);

/* jup_auth_purpose_name: the purpose's name, "none" for JUP_AUTH_NO_PURPOSE
 * ("unknown" for anything else). */
const char *jup_auth_purpose_name(jup_consent_purpose p);

/* jup_auth_purpose_parse: the purpose named s, JUP_AUTH_NO_PURPOSE for
 * "none", NULL or ""; false for anything else ("all" included). */
bool jup_auth_purpose_parse(const char *s, jup_consent_purpose *out);

/* Lifetimes, in seconds (1 to JUP_AUTH_MAX_LIFETIME each). */
typedef struct jup_auth_options {
	int64_t lifetime;             /* an ordinary token */
	int64_t break_glass_lifetime; /* a token carrying a break-glass reason */
} jup_auth_options;

/* jup_auth_options_default: JUP_AUTH_LIFETIME and JUP_AUTH_BREAK_GLASS_LIFETIME. */
void jup_auth_options_default(jup_auth_options *o);

/* A request for a token, as the client sent it (POST /auth/token). */
typedef struct jup_auth_request {
	jup_auth_grant_type grant_type;
	const char *username;            /* the username, or a system's client id */
	const char *secret;              /* the password, or the client secret */
	const char *purpose;             /* as sent: a purpose name, or "none"/NULL/"" for none */
	const char *break_glass;         /* NULL: none; else the reason (direct_care only) */
	int64_t now;                     /* unix seconds; 0: the clock */
	const jup_auth_options *options; /* NULL: jup_auth_options_default */
	const char *request_id;          /* for the audit entry; NULL: none */
} jup_auth_request;

/* What a live token grants. */
typedef struct jup_auth_grant {
	int64_t token_id;                        /* the auth_token row (never the token itself) */
	jup_user user;                           /* as stored now (role, organisation, kind) */
	char org_code[JUP_MAX_ORG_CODE_LEN + 1]; /* "" for citizens */
	jup_auth_grant_type grant_type;
	jup_consent_purpose purpose;               /* JUP_AUTH_NO_PURPOSE: none */
	char break_glass[JUP_AUDIT_MAX_FIELD + 1]; /* the reason; "" when none */
	int64_t issued_at, expires_at;             /* unix seconds */
} jup_auth_grant;

/*
 * jup_auth_issue: sign the client in and issue a token: the token text into
 * token (JUP_AUTH_TOKEN_MAX characters and a NUL; the caller sends it once
 * and should wipe it), what it grants into *out. The token row and its audit
 * entry are one transaction.
 *
 * JUP_ERR_INVALID, naming the field, for a malformed request, checked before
 * any sign-in: an unknown grant_type, a missing username/client_id or
 * password/client_secret, an unknown purpose, a break_glass reason that is
 * too short, too long or not plain text, or given for another purpose than
 * direct_care or by a system. JUP_ERR_DENIED, "wrong username or password",
 * for every failed sign-in (unknown user, wrong secret, disabled account, a
 * system using the password grant or a person the client grant), logged as
 * "auth.sign_in". Once signed in, JUP_ERR_INVALID (logged as a refused
 * "auth.token") for a purpose the role may not act for, no purpose for a
 * role that has some, or break-glass for a role that may not. JUP_ERR_USAGE
 * for a NULL argument or lifetimes out of range; store and audit errors
 * (nothing written). token is "" and *out zeroed unless JUP_OK.
 */
jup_status jup_auth_issue(jup_store *st, const jup_auth_request *rq,
			  char token[JUP_AUTH_TOKEN_MAX + 1], jup_auth_grant *out,
			  jup_err *err) JUP_MUST_CHECK;

/*
 * jup_auth_check: what token (as sent, NUL-terminated) grants at now (unix
 * seconds; 0: the clock). JUP_ERR_DENIED, "invalid or expired token", for a
 * malformed, unknown, expired or revoked token, a user now disabled or
 * gone, or a purpose the user's role no longer allows; store errors. Writes
 * nothing. *out is zeroed unless JUP_OK.
 */
jup_status jup_auth_check(jup_store *st, const char *token, int64_t now, jup_auth_grant *out,
			  jup_err *err) JUP_MUST_CHECK;

/*
 * jup_auth_revoke: revoke token at now (unix seconds; 0: the clock), with
 * an "auth.revoke" audit entry in the same transaction. As RFC 7009 asks,
 * a malformed, unknown or already revoked token is JUP_OK too (nothing
 * written); *revoked (may be NULL) says whether this call revoked it. Store
 * and audit errors. A server with a jup_auth_cache calls
 * jup_auth_cache_forget afterwards.
 */
jup_status jup_auth_revoke(jup_store *st, const char *token, int64_t now, bool *revoked,
			   jup_err *err) JUP_MUST_CHECK;

/* jup_auth_purge: delete the rows of tokens that expired or were revoked
 * more than JUP_AUTH_PURGE_AFTER seconds before now (unix seconds; 0: the
 * clock); *n (may be NULL) gets how many. Housekeeping, for a timer. Store
 * errors. */
jup_status jup_auth_purge(jup_store *st, int64_t now, int64_t *n, jup_err *err) JUP_MUST_CHECK;

/*
 * The token cache: live tokens' grants in memory, for the server's hot path.
 * A check is a hash lookup under one of many locks (striped by the token's
 * hash), so many threads check at once; a miss reads the store
 * (jup_auth_check) on the calling thread and keeps the answer. Entries are
 * keyed by the token's hash (the token text is never kept), dropped at
 * expiry and bounded in number: a full set of entries gives up the one
 * expiring first. Break-glass tokens are never kept: each of their uses
 * reads the store, so revoking one takes effect at once everywhere.
 *
 * Staleness: a revoke in this process is seen at once after
 * jup_auth_cache_forget; anything else (a revoke or a disabled user in
 * another process, a role changed) once jup_auth_cache_refresh has run,
 * which empties the cache when the store's table versions say auth_token or
 * app_user changed. The server calls it about once a second, so a change
 * reaches a cached token within about a second. New tokens change
 * auth_token too, so while tokens are being issued each cached token is
 * read again from the store about once a second: one indexed lookup each.
 */
typedef struct jup_auth_cache jup_auth_cache;

/* jup_auth_cache_new: a cache holding at most max grants (at least 1;
 * about 200 bytes each, allocated at once). JUP_ERR_USAGE for max 0 or past
 * JUP_AUTH_CACHE_MAX (jup_limits.h); JUP_ERR_NOMEM. */
jup_status jup_auth_cache_new(size_t max, jup_auth_cache **out, jup_err *err) JUP_MUST_CHECK;

/* jup_auth_cache_free: free the cache (NULL is allowed). No call may run. */
void jup_auth_cache_free(jup_auth_cache *c);

/*
 * jup_auth_cache_check: jup_auth_check through the cache: memory first,
 * the store (st) on a miss. Thread-safe; st is used only on a miss, by the
 * calling thread, so each thread passes a connection no other thread uses
 * meanwhile. Errors as jup_auth_check.
 */
jup_status jup_auth_cache_check(jup_auth_cache *c, jup_store *st, const char *token, int64_t now,
				jup_auth_grant *out, jup_err *err) JUP_MUST_CHECK;

/* jup_auth_cache_forget: drop token's entry, if any (after a revoke).
 * Thread-safe. */
void jup_auth_cache_forget(jup_auth_cache *c, const char *token);

/* jup_auth_cache_refresh: read the store's table versions and empty the
 * cache when auth_token or app_user changed since the last refresh (the
 * first refresh empties it too). Thread-safe; store errors (the cache is
 * then emptied, to be safe). *cleared (may be NULL) says whether it was. */
jup_status jup_auth_cache_refresh(jup_auth_cache *c, jup_store *st, bool *cleared,
				  jup_err *err) JUP_MUST_CHECK;

/* What a cache has done: hits, misses (store reads), grants kept now. */
typedef struct jup_auth_cache_counts {
	uint64_t hits, misses, clears;
	size_t entries;
} jup_auth_cache_counts;

/* jup_auth_cache_stats: c's counts so far (thread-safe). */
void jup_auth_cache_stats(jup_auth_cache *c, jup_auth_cache_counts *out);

/*
 * Slowing failed sign-ins. The throttle counts failures per key (the server
 * passes "user:<username>" and "addr:<client address>"; any string will do)
 * and says how long to hold the next answer for that key, so guessing is
 * slow while a person who mistypes twice waits for nothing. The server holds
 * the response for the longest delay of the request's keys, without
 * blocking a thread, before it even tries the sign-in.
 *
 * Policy: with f failures counted, the delay is 0 for f < JUP_AUTH_THROTTLE_FREE
 * (3), then JUP_AUTH_THROTTLE_BASE_MS (250 ms) doubling with every further
 * failure (250, 500, 1000, ... ms) up to JUP_AUTH_THROTTLE_CAP_MS (10 s).
 * Failures are forgiven with time: one for every JUP_AUTH_THROTTLE_DECAY_MS
 * (60 s) since the key's last failure, so a key left alone for f minutes is
 * clean again, while a guesser held at the cap (6 tries a minute) never
 * gets below it. A success clears the key: the server clears the user key
 * on a successful sign-in, and leaves address keys to decay (so an attacker
 * with an account of their own cannot clear their address by signing in).
 *
 * Memory is bounded (max keys, fixed at creation; a key is kept as a keyed
 * 64-bit hash, never as text). When a set of keys is full, the key with the
 * fewest failures gives way: a flood of new keys evicts the quiet ones
 * before the one being guessed at. In memory only: a restart forgives all.
 */
#define JUP_AUTH_THROTTLE_FREE     3
#define JUP_AUTH_THROTTLE_BASE_MS  250
#define JUP_AUTH_THROTTLE_CAP_MS   10000
#define JUP_AUTH_THROTTLE_DECAY_MS 60000

typedef struct jup_auth_throttle jup_auth_throttle;

/* jup_auth_throttle_new: a throttle remembering at most max keys (at least
 * 1; about 24 bytes each, allocated at once). JUP_ERR_USAGE for max 0 or
 * past JUP_AUTH_THROTTLE_MAX (jup_limits.h); JUP_ERR_NOMEM. */
jup_status jup_auth_throttle_new(size_t max, jup_auth_throttle **out, jup_err *err) JUP_MUST_CHECK;

/* jup_auth_throttle_free: free t (NULL is allowed). No call may run. */
void jup_auth_throttle_free(jup_auth_throttle *t);

/* jup_auth_throttle_delay_ms: how long to hold the answer to an attempt
 * with key at now_ms (milliseconds, any steady clock): 0 for a clean key.
 * Thread-safe. */
uint32_t jup_auth_throttle_delay_ms(jup_auth_throttle *t, const char *key, int64_t now_ms);

/* jup_auth_throttle_fail: count a failed attempt with key at now_ms.
 * Thread-safe. */
void jup_auth_throttle_fail(jup_auth_throttle *t, const char *key, int64_t now_ms);

/* jup_auth_throttle_success: forget key's failures. Thread-safe. */
void jup_auth_throttle_success(jup_auth_throttle *t, const char *key);

#endif
