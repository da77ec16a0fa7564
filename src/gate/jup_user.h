/*
 * jup_user.h - the people who sign in: staff, each with one role at one
 * organisation, and citizens, each tied to their NHS number. They are the
 * actors the purpose gate decides for.
 *
 * Other systems sign in too (a risk stratification service, a GP system
 * reading records for direct care): a user of kind system has a role and an
 * organisation like staff, signs in with a client id (its username) and a
 * client secret (its password, at least JUP_CLIENT_SECRET_MIN bytes), and
 * only that way: people sign in with jup_user_sign_in, systems with
 * jup_user_client_sign_in, and each refuses the other kind.
 *
 * Passwords are kept only as Argon2id hashes (libsodium's crypto_pwhash_str
 * form, interactive limits: 64 MiB, about 0.1 s a check), never logged.
 * Which organisations a role may belong to is data (the table in
 * gate_user.c), so a deployment adds a role in one place.
 */
#ifndef JUP_USER_H
#define JUP_USER_H

#include "core/jup_status.h"
#include "store/jup_store.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum jup_role {
	JUP_ROLE_GP,
	JUP_ROLE_HOSPITAL_CLINICIAN,
	JUP_ROLE_SOCIAL_WORKER,
	JUP_ROLE_CARE_COORDINATOR,
	JUP_ROLE_EOL_OPERATOR,
	JUP_ROLE_ANALYST,
	JUP_ROLE_IG_OFFICER,
	JUP_ROLE_ENGAGEMENT_OFFICER,
	JUP_ROLE_CITIZEN,
	JUP_ROLE_ADMIN,
	JUP_ROLE__COUNT
} jup_role;

#define JUP_USERNAME_MAX 64  /* bytes */
#define JUP_PASSWORD_MIN 12  /* bytes: a passphrase, not a PIN */
#define JUP_PASSWORD_MAX 512 /* bytes */
#define JUP_CLIENT_SECRET_MIN 32 /* bytes: a system's secret is generated, not remembered */

/* jup_role_name: "gp", "hospital_clinician", ... ("unknown" out of range). */
const char *jup_role_name(jup_role r);

/* jup_role_parse: the role named s; false when there is none. */
bool jup_role_parse(const char *s, jup_role *out);

/* jup_role_org_kinds: a bit per jup_org_kind the role may belong to; 0 for
 * a role with no organisation (a citizen). */
unsigned jup_role_org_kinds(jup_role r);

/* A user as stored (no password). */
typedef struct jup_user {
	int64_t id;
	char username[JUP_USERNAME_MAX + 1];
	jup_role role;
	int64_t org_id;       /* 0: none (citizens) */
	char nhs_number[11];  /* citizens only, else "" */
	bool disabled;
	bool system; /* another system (client credentials), not a person */
} jup_user;

/* What to add. org_code for staff and systems (an organisation of a kind
 * the role allows), nhs_number (check-valid) for citizens; the other NULL.
 * A system is never a citizen, and its password is its client secret. */
typedef struct jup_user_new {
	const char *username; /* 1-64 of a-z 0-9 . _ - */
	jup_role role;
	const char *org_code;
	const char *nhs_number;
	const char *password; /* 12-512 bytes (a system's: 32-512) */
	bool system;          /* a system signing in with client credentials */
} jup_user_new;

/*
 * jup_user_add: add a user in its own transaction; *id (may be NULL) gets
 * its id. JUP_ERR_INVALID for a bad username, role/organisation mismatch,
 * unknown organisation, missing or invalid NHS number, a password out of
 * bounds (err says which, never echoing the password) or a system with the
 * citizen role; JUP_ERR_EXISTS when the username is taken.
 */
jup_status jup_user_add(jup_store *st, const jup_user_new *u, int64_t *id, jup_err *err)
	JUP_MUST_CHECK;

/*
 * jup_user_add_system: add a system account: a staff role at an
 * organisation (checked as jup_user_add checks them), disabled and with no
 * password, so nobody signs in as it; it names who did what a job did (the
 * demo's care plans from the end-of-life register are written by one per
 * practice). A write like jup_store_insert: in the caller's transaction
 * when there is one. *id (may be NULL) gets its id. JUP_ERR_INVALID for a
 * bad username, a citizen role or a role/organisation mismatch;
 * JUP_ERR_EXISTS when the username is taken; store errors.
 */
jup_status jup_user_add_system(jup_store *st, const char *username, jup_role role,
			       const char *org_code, int64_t *id, jup_err *err) JUP_MUST_CHECK;

/* jup_user_find: the user with this username; JUP_ERR_NOT_FOUND if none. */
jup_status jup_user_find(jup_store *st, const char *username, jup_user *out, jup_err *err)
	JUP_MUST_CHECK;

/* jup_user_get: the user with this id; JUP_ERR_NOT_FOUND if none. */
jup_status jup_user_get(jup_store *st, int64_t id, jup_user *out, jup_err *err) JUP_MUST_CHECK;

/* jup_username_ok: whether s is a well-formed username (1 to
 * JUP_USERNAME_MAX of a-z 0-9 . _ -), so it may be shown or logged. */
bool jup_username_ok(const char *s);

/*
 * jup_user_sign_in: the person, when the username exists, is a person (not
 * a system), is not disabled and the password matches; otherwise
 * JUP_ERR_DENIED with the same message for every reason (nothing tells an
 * attacker which part was wrong). The password check costs the same
 * whether or not the username exists. *out is zeroed on a denial.
 */
jup_status jup_user_sign_in(jup_store *st, const char *username, const char *password,
			    jup_user *out, jup_err *err) JUP_MUST_CHECK;

/* jup_user_client_sign_in: jup_user_sign_in for systems: the system with
 * this client id (username) and secret; JUP_ERR_DENIED, with the same
 * message, for a person's account too. */
jup_status jup_user_client_sign_in(jup_store *st, const char *client_id, const char *secret,
				   jup_user *out, jup_err *err) JUP_MUST_CHECK;

/* jup_user_each: call fn for every user, in id order. */
typedef jup_status (*jup_user_fn)(void *ctx, const jup_user *u, jup_err *err);
jup_status jup_user_each(jup_store *st, jup_user_fn fn, void *ctx, jup_err *err) JUP_MUST_CHECK;

#endif
