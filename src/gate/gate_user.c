/*
 * gate_user.c - users: roles, adding, finding, signing in.
 */
#include "gate/jup_user.h"

#include "core/jup_date.h"
#include "ingest/jup_ingest_valid.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define KIND(k) (1u << (k))

/* Each role's name and the kinds of organisation it belongs to. */
static const struct {
	const char *name;
	unsigned org_kinds;
} roles[JUP_ROLE__COUNT] = {
	[JUP_ROLE_GP] = { "gp", KIND(JUP_ORG_GP_PRACTICE) },
	[JUP_ROLE_HOSPITAL_CLINICIAN] = { "hospital_clinician", KIND(JUP_ORG_HOSPITAL_TRUST) },
	[JUP_ROLE_SOCIAL_WORKER] = { "social_worker", KIND(JUP_ORG_COUNCIL) },
	[JUP_ROLE_CARE_COORDINATOR] = { "care_coordinator",
					KIND(JUP_ORG_GP_PRACTICE) | KIND(JUP_ORG_COUNCIL) |
						KIND(JUP_ORG_HOSPITAL_TRUST) },
	[JUP_ROLE_EOL_OPERATOR] = { "eol_operator",
				    KIND(JUP_ORG_HOSPICE) | KIND(JUP_ORG_HOSPITAL_TRUST) },
	[JUP_ROLE_ANALYST] = { "analyst", KIND(JUP_ORG_COUNCIL) | KIND(JUP_ORG_HOSPITAL_TRUST) |
						  KIND(JUP_ORG_GP_PRACTICE) },
	[JUP_ROLE_IG_OFFICER] = { "ig_officer", KIND(JUP_ORG_COUNCIL) |
							KIND(JUP_ORG_HOSPITAL_TRUST) |
							KIND(JUP_ORG_GP_PRACTICE) },
	[JUP_ROLE_ENGAGEMENT_OFFICER] = { "engagement_officer",
					  KIND(JUP_ORG_COUNCIL) | KIND(JUP_ORG_HOSPITAL_TRUST) },
	[JUP_ROLE_CITIZEN] = { "citizen", 0 },
	[JUP_ROLE_ADMIN] = { "admin", KIND(JUP_ORG_COUNCIL) | KIND(JUP_ORG_HOSPITAL_TRUST) |
					      KIND(JUP_ORG_GP_PRACTICE) | KIND(JUP_ORG_HOSPICE) },
};

const char *jup_role_name(jup_role r)
{
	return (unsigned)r < JUP_ROLE__COUNT ? roles[r].name : "unknown";
}

bool jup_role_parse(const char *s, jup_role *out)
{
	for (int r = 0; s && r < JUP_ROLE__COUNT; r++)
		if (strcmp(s, roles[r].name) == 0) {
			*out = (jup_role)r;
			return true;
		}
	return false;
}

unsigned jup_role_org_kinds(jup_role r)
{
	return (unsigned)r < JUP_ROLE__COUNT ? roles[r].org_kinds : 0;
}

/* ---- adding ------------------------------------------------------------------- */

bool jup_username_ok(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	if (n == 0 || n > JUP_USERNAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
			  c == '-';
		if (!ok)
			return false;
	}
	return true;
}

/* The organisation a staff user belongs to: known, and of a kind the role
 * allows. */
static jup_status check_org(jup_store *st, const jup_user_new *u, int64_t *org_id, jup_err *err)
{
	if (!u->org_code || !*u->org_code)
		return jup_err_set(err, JUP_ERR_INVALID, "a %s needs an organisation (--org)",
				   jup_role_name(u->role));
	jup_org_info org;
	jup_status r = jup_store_org_find(st, jup_sv_from(u->org_code), &org, err);
	if (r == JUP_ERR_NOT_FOUND)
		return jup_err_set(err, JUP_ERR_INVALID, "no organisation \"%.12s\"", u->org_code);
	if (r)
		return r;
	if (!(jup_role_org_kinds(u->role) & KIND(org.kind)))
		return jup_err_set(err, JUP_ERR_INVALID, "a %s cannot belong to a %s",
				   jup_role_name(u->role), jup_store_org_kind_name(org.kind));
	*org_id = org.id;
	return JUP_OK;
}

/* Everything but the organisation: username, NHS number, password. */
static jup_status check_new(const jup_user_new *u, char nhs[11], jup_err *err)
{
	if (!jup_username_ok(u->username))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "username: 1 to %d of a-z, 0-9, '.', '_' and '-'",
				   JUP_USERNAME_MAX);
	if ((unsigned)u->role >= JUP_ROLE__COUNT)
		return jup_err_set(err, JUP_ERR_INVALID, "no such role");
	size_t pw = u->password ? strlen(u->password) : 0;
	size_t min = u->system ? JUP_CLIENT_SECRET_MIN : JUP_PASSWORD_MIN;
	if (pw < min || pw > JUP_PASSWORD_MAX)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: %zu to %d bytes",
				   u->system ? "client secret" : "password", min, JUP_PASSWORD_MAX);
	bool citizen = u->role == JUP_ROLE_CITIZEN;
	if (citizen && u->system)
		return jup_err_set(err, JUP_ERR_INVALID, "a system cannot be a citizen");
	if (citizen != (u->nhs_number && *u->nhs_number))
		return jup_err_set(err, JUP_ERR_INVALID,
				   citizen ? "a citizen account needs the citizen's NHS number"
					   : "only a citizen account carries an NHS number");
	jup_err why;
	if (citizen && jup_ingest_nhs_number(jup_sv_from(u->nhs_number), nhs, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "NHS number: %s", why.msg);
	return JUP_OK;
}

/* The app_user row: hash is the password's Argon2id string (or, for a
 * system account, one no password matches). */
static jup_status insert_row(jup_store *st, const jup_user_new *u, int64_t org_id, const char *nhs,
			     const char *hash, bool disabled, int64_t *id, jup_err *err)
{
	char now[21];
	jup_date_now_utc(now);
	jup_value row[JUP_USER__N] = {
		[JUP_USER_USERNAME] = jup_v_cstr(u->username),
		[JUP_USER_ROLE] = jup_v_cstr(jup_role_name(u->role)),
		[JUP_USER_ORG_ID] = org_id ? jup_v_int(org_id) : jup_v_null(),
		[JUP_USER_NHS_NUMBER] = nhs[0] ? jup_v_cstr(nhs) : jup_v_null(),
		[JUP_USER_PASSWORD_HASH] = jup_v_cstr(hash),
		[JUP_USER_CREATED_AT] = jup_v_cstr(now),
		[JUP_USER_DISABLED] = jup_v_int(disabled),
		[JUP_USER_KIND] = jup_v_cstr(u->system ? "system" : "person"),
	};
	jup_status r = jup_store_insert(st, JUP_TABLE_APP_USER, row, NULL, id, err);
	if (r == JUP_ERR_EXISTS)
		return jup_err_set(err, r, "username \"%s\" is taken", u->username);
	return r;
}

static jup_status insert_user(jup_store *st, const jup_user_new *u, int64_t org_id,
			      const char *nhs, int64_t *id, jup_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(hash, u->password, strlen(u->password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return jup_err_set(err, JUP_ERR_NOMEM, "hashing the password: out of memory");
	jup_status r = insert_row(st, u, org_id, nhs, hash, false, id, err);
	sodium_memzero(hash, sizeof hash);
	return r;
}

jup_status jup_user_add(jup_store *st, const jup_user_new *u, int64_t *id, jup_err *err)
{
	char nhs[11] = "";
	int64_t org_id = 0, ignored;
	jup_status r = check_new(u, nhs, err);
	if (!r && u->role != JUP_ROLE_CITIZEN)
		r = check_org(st, u, &org_id, err);
	if (r)
		return r;
	if ((r = jup_store_begin(st, err)))
		return r;
	r = insert_user(st, u, org_id, nhs, id ? id : &ignored, err);
	if (!r)
		return jup_store_commit(st, err);
	jup_store_abandon(st);
	return r;
}

/* Not an Argon2id string: crypto_pwhash_str_verify refuses every password. */
#define NO_PASSWORD "!system account: no password"

jup_status jup_user_add_system(jup_store *st, const char *username, jup_role role,
			       const char *org_code, int64_t *id, jup_err *err)
{
	jup_user_new u = { username, role, org_code, NULL, NULL };
	int64_t org_id = 0, ignored;
	if (!jup_username_ok(username))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "username: 1 to %d of a-z, 0-9, '.', '_' and '-'",
				   JUP_USERNAME_MAX);
	if ((unsigned)role >= JUP_ROLE__COUNT || role == JUP_ROLE_CITIZEN)
		return jup_err_set(err, JUP_ERR_INVALID, "a system account has a staff role");
	jup_status r = check_org(st, &u, &org_id, err);
	return r ? r : insert_row(st, &u, org_id, "", NO_PASSWORD, true, id ? id : &ignored, err);
}

/* ---- finding and signing in ------------------------------------------------------ */

typedef struct found {
	jup_user *user;
	char hash[crypto_pwhash_STRBYTES];
	bool any;
} found;

static jup_status user_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	found *f = ctx;
	jup_user *u = f->user;
	char role[32];
	memset(u, 0, sizeof *u);
	u->id = id;
	jup_value_copy_text(u->username, sizeof u->username, &v[JUP_USER_USERNAME]);
	jup_value_copy_text(role, sizeof role, &v[JUP_USER_ROLE]);
	if (!jup_role_parse(role, &u->role))
		return jup_err_set(err, JUP_ERR_STORE, "user %lld: a role this build does not know",
				   (long long)id);
	u->org_id = v[JUP_USER_ORG_ID].type == JUP_V_INT ? v[JUP_USER_ORG_ID].i : 0;
	jup_value_copy_text(u->nhs_number, sizeof u->nhs_number, &v[JUP_USER_NHS_NUMBER]);
	u->disabled = v[JUP_USER_DISABLED].type == JUP_V_INT && v[JUP_USER_DISABLED].i != 0;
	u->system = v[JUP_USER_KIND].type == JUP_V_TEXT &&
		    jup_sv_eq_cstr(v[JUP_USER_KIND].s, "system");
	jup_value_copy_text(f->hash, sizeof f->hash, &v[JUP_USER_PASSWORD_HASH]);
	f->any = true;
	return JUP_OK;
}

static jup_status find(jup_store *st, const char *username, found *f, jup_err *err)
{
	jup_match by_name = { JUP_USER_USERNAME, jup_v_cstr(username ? username : "") };
	return jup_store_scan(st, JUP_TABLE_APP_USER, &by_name, 1, user_row, f, err);
}

jup_status jup_user_get(jup_store *st, int64_t id, jup_user *out, jup_err *err)
{
	found f = { .user = out };
	jup_match by_id = { JUP_COL_ID, jup_v_int(id) };
	jup_status r = jup_store_scan(st, JUP_TABLE_APP_USER, &by_id, 1, user_row, &f, err);
	sodium_memzero(f.hash, sizeof f.hash);
	if (!r && !f.any)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no user %lld", (long long)id);
	return r;
}

jup_status jup_user_find(jup_store *st, const char *username, jup_user *out, jup_err *err)
{
	found f = { .user = out };
	jup_status r = find(st, username, &f, err);
	sodium_memzero(f.hash, sizeof f.hash);
	if (!r && !f.any)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no user \"%.64s\"", username ? username : "");
	return r;
}

/* A hash to check against when the username does not exist, so that a
 * wrong username costs the same time as a wrong password: made once per
 * process (making it costs as much as a check). */
static char decoy[crypto_pwhash_STRBYTES];
static bool decoy_ok;

static void make_decoy(void)
{
	static const char text[] = "joinedup decoy password";
	decoy_ok = crypto_pwhash_str(decoy, text, sizeof text - 1,
				     crypto_pwhash_OPSLIMIT_INTERACTIVE,
				     crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static jup_status decoy_hash(char out[crypto_pwhash_STRBYTES])
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_decoy);
	if (!decoy_ok)
		return JUP_ERR_NOMEM;
	memcpy(out, decoy, sizeof decoy);
	return JUP_OK;
}

/* Signing in as a person (system false) or a system (system true): one
 * answer for every failure, the same cost whether or not the name exists. */
static jup_status sign_in(jup_store *st, const char *username, const char *password, bool system,
			  jup_user *out, jup_err *err)
{
	found f = { .user = out };
	jup_status r = sodium_init() < 0 ? JUP_ERR_INTERNAL : find(st, username, &f, err);
	if (!r && !f.any)
		r = decoy_hash(f.hash);
	if (r)
		return r == JUP_ERR_NOMEM ? jup_err_set(err, r, "signing in: out of memory") : r;
	size_t pw = password ? strlen(password) : 0;
	bool ok = pw <= JUP_PASSWORD_MAX &&
		  crypto_pwhash_str_verify(f.hash, password ? password : "", pw) == 0;
	sodium_memzero(f.hash, sizeof f.hash);
	if (!ok || !f.any || out->disabled || out->system != system) {
		memset(out, 0, sizeof *out);
		return jup_err_set(err, JUP_ERR_DENIED, "wrong username or password");
	}
	return JUP_OK;
}

jup_status jup_user_sign_in(jup_store *st, const char *username, const char *password,
			    jup_user *out, jup_err *err)
{
	return sign_in(st, username, password, false, out, err);
}

jup_status jup_user_client_sign_in(jup_store *st, const char *client_id, const char *secret,
				   jup_user *out, jup_err *err)
{
	return sign_in(st, client_id, secret, true, out, err);
}

typedef struct each_ctx {
	jup_user_fn fn;
	void *ctx;
} each_ctx;

static jup_status each_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	each_ctx *e = ctx;
	jup_user u;
	found f = { .user = &u };
	jup_status r = user_row(&f, id, v, err);
	sodium_memzero(f.hash, sizeof f.hash);
	return r ? r : e->fn(e->ctx, &u, err);
}

jup_status jup_user_each(jup_store *st, jup_user_fn fn, void *ctx, jup_err *err)
{
	each_ctx e = { fn, ctx };
	return jup_store_scan(st, JUP_TABLE_APP_USER, NULL, 0, each_row, &e, err);
}
