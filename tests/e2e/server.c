/*
 * server.c - end-to-end tests of `joinedup serve` with a real HTTP client
 * (libcurl), for issue 5: "End-to-end tests start the real server and use
 * a real HTTP client for: sign-in and token expiry/revocation; each role
 * reading what it may and being refused what it may not; break-glass; a
 * citizen changing a choice and seeing the effect; a citizen reading their
 * access log; malformed requests of every kind (bad JSON, huge bodies, bad
 * parameters, bad tokens) answered with 4xx and nothing changed."
 *
 * It makes its own temp dir, runs `joinedup demo --no-serve` (a small
 * synthetic city with one account per role, all around one shared
 * patient), then starts servers as child processes on free ports:
 *  - "expiry": token_lifetime 2 s: a token works, then expires (and the
 *    expired token is used again on the main server);
 *  - "main": sign-in and revocation, each role's reads, AuditEvent,
 *    search and $match, CarePlan versions, a citizen's choices and their
 *    access log, break-glass, malformed requests (with the store counted
 *    before and after: no consent decision, care plan version or token
 *    written, and exactly the audit entries each case should write), and
 *    a graceful stop while a request is in flight;
 *  - "rate": rate_per_token 5: 429 with Retry-After; failed sign-ins slowed;
 *  - "tls": a self-signed certificate made with the openssl CLI: HTTPS
 *    works and carries Strict-Transport-Security.
 * Every server is stopped with SIGTERM and must exit 0; its access log and
 * output must hold no NHS number, name, birth date or token; `joinedup
 * audit verify` must pass at the end.
 *
 * The expectations follow the purpose gate (src/gate/gate_decide.c) and the
 * demo's shared patient: registered at gp.demo's practice, on the GP
 * end-of-life register (eol.demo may read), their hospital attendances
 * and council care team long over (so the clinician and the social
 * workers are refused and may break glass), analysts see them
 * de-identified, information governance and engagement never see a
 * record. The environment gives JOINEDUP, the binary.
 */
#include "e2e_http.h"

#include "auth/jup_auth.h"
#include "fhir/jup_fhir.h"
#include "store/jup_store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PASSWORD  "joinedup-demo" /* the demo accounts' (cmd_demo_accounts.c) */
#define FORM      "application/x-www-form-urlencoded"
#define FHIR_JSON "application/fhir+json"
#define REASON    "Unconscious on arrival, no history available"
#define BODY_BIG  "@2MiB"                       /* run_case makes a 2 MiB body */
#define BODY_DEEP "@deep"                       /* ... JSON arrays nested 100 deep */
#define NO_PLAN   "/fhir/CarePlan/cp-999999999" /* a cheap authenticated 404 */

#define SCOPE                                                                                      \
	"\"scope\": {\"coding\": [{\"system\": "                                                   \
	"\"http://terminology.hl7.org/CodeSystem/consentscope\", \"code\": \"patient-privacy\"}]}"
#define CONSENT(patient, type)                                                                     \
	"{\"resourceType\": \"Consent\", \"status\": \"active\", " SCOPE ", \"patient\": "         \
	"{\"reference\": \"Patient/" patient "\"}, \"provision\": {\"type\": \"" type "\", "       \
	"\"purpose\": [{\"system\": \"" JUP_FHIR_CANONICAL "/CodeSystem/purpose\", \"code\": "     \
	"\"direct_care\"}]}}"
#define CAREPLAN_HEAD                                                                              \
	"{\"resourceType\": \"CarePlan\", \"status\": \"active\", \"intent\": \"plan\", "          \
	"\"category\": [{\"coding\": [{\"system\": \"" JUP_FHIR_CANONICAL                          \
	"/CodeSystem/care-plan-kind\", \"code\": \"care_plan\"}]}], "                              \
	"\"subject\": {\"reference\": \"Patient/{pid}\"}, \"period\": {\"start\": \"2026-11-01\"}"
#define CAREPLAN(title) CAREPLAN_HEAD ", \"title\": \"" title "\"}"

/* A token the cases can name ("gp", "revoked", ...). */
typedef struct named_token {
	char name[24];
	char value[256];
} named_token;

/* What the test knows: its files, the shared patient, its tokens. */
typedef struct world {
	const char *joinedup;
	char dir[128], db[512];
	char pid[24], other[24], cp[40];                /* patients; the care plan made */
	char nhs[16], family[96], given[96], birth[16]; /* from the GP's read */
	char family_q[300], given_q[300];               /* ... URL-encoded */
	e2e_server *srv;                                /* where cases go */
	jup_store *st;                                  /* the test's own connection */
	named_token tok[32];
	int ntok;
	char issued[64][JUP_AUTH_TOKEN_MAX + 1]; /* every token seen: never logged */
	int nissued;
} world;

/* ---- small helpers ------------------------------------------------------------------ */

static const char *token_of(const world *w, const char *name)
{
	for (int i = 0; i < w->ntok; i++)
		if (strcmp(w->tok[i].name, name) == 0)
			return w->tok[i].value;
	return NULL;
}

static void keep_token(world *w, const char *name, const char *value)
{
	int i = 0;
	while (i < w->ntok && strcmp(w->tok[i].name, name) != 0)
		i++;
	if (i == (int)(sizeof w->tok / sizeof w->tok[0]))
		return;
	snprintf(w->tok[i].name, sizeof w->tok[i].name, "%s", name);
	snprintf(w->tok[i].value, sizeof w->tok[i].value, "%s", value);
	if (i == w->ntok)
		w->ntok++;
}

/* Remember a token the server gave out, for the access log check. */
static void issued(world *w, const char *token)
{
	if (w->nissued < (int)(sizeof w->issued / sizeof w->issued[0]))
		snprintf(w->issued[w->nissued++], sizeof w->issued[0], "%s", token);
}

static int64_t rows(world *w, jup_table t)
{
	int64_t n = -1;
	jup_err err;
	if (jup_store_count(w->st, t, &n, &err))
		e2e_check(false, "store", "could not count rows: %s", err.msg);
	return n;
}

/* Fill {pid}, {other}, {cp}, {nhs}, {family}, {given}, {birth} and {many}
 * (33 query parameters) into out. */
static void expand(const world *w, const char *tmpl, char *out, size_t cap)
{
	char many[400] = "";
	for (int i = 0, n = 0; i <= JUP_HTTP_MAX_PARAMS; i++)
		n += snprintf(many + n, sizeof many - (size_t)n, "%sp%d=1", i ? "&" : "", i);
	const struct {
		const char *key, *value;
	} vars[] = { { "{pid}", w->pid },         { "{other}", w->other },
		     { "{cp}", w->cp },           { "{nhs}", w->nhs },
		     { "{family}", w->family_q }, { "{given}", w->given_q },
		     { "{birth}", w->birth },     { "{many}", many } };
	size_t at = 0;
	while (*tmpl && at + 1 < cap) {
		size_t k = 0;
		while (k < sizeof vars / sizeof vars[0] &&
		       strncmp(tmpl, vars[k].key, strlen(vars[k].key)) != 0)
			k++;
		if (k == sizeof vars / sizeof vars[0]) {
			out[at++] = *tmpl++;
			continue;
		}
		at += (size_t)snprintf(out + at, cap - at, "%s", vars[k].value);
		if (at >= cap)
			at = cap - 1;
		tmpl += strlen(vars[k].key);
	}
	out[at] = '\0';
}

/* GET path (placeholders filled) with as's token; the answer in *r. */
static long get(world *w, const char *as, const char *tmpl, e2e_resp *r)
{
	char path[2048];
	expand(w, tmpl, path, sizeof path);
	e2e_req rq = { .path = path, .token = as ? token_of(w, as) : NULL };
	e2e_http(w->srv, &rq, r);
	return r->status;
}

/* POST (or PUT) a FHIR JSON body (placeholders filled) with as's token. */
static long send_json(world *w, const char *method, const char *as, const char *tmpl,
		      const char *body_tmpl, const char *header, e2e_resp *r)
{
	char path[2048], body[4096];
	expand(w, tmpl, path, sizeof path);
	expand(w, body_tmpl, body, sizeof body);
	e2e_req rq = { method, path, token_of(w, as), FHIR_JSON, body, 0, header };
	e2e_http(w->srv, &rq, r);
	return r->status;
}

static bool has(const e2e_resp *r, const char *text)
{
	return r->body.data && strstr(r->body.data, text) != NULL;
}

static bool header_is(const e2e_resp *r, const char *name, const char *prefix)
{
	char v[512];
	return e2e_header(r, name, v, sizeof v) && strncmp(v, prefix, strlen(prefix)) == 0;
}

/* Check the status; say what the server said when it is not. */
static bool want_status(const char *name, const e2e_resp *r, long want)
{
	return e2e_check(r->status == want, name, "status %ld, want %ld (%s)", r->status, want,
			 e2e_diag(r));
}

/* The link of relation rel in a Bundle ("" when none). */
static const char *link_of(const json_t *bundle, const char *rel)
{
	const json_t *links = e2e_at(bundle, "link");
	for (size_t i = 0; i < json_array_size(links); i++)
		if (strcmp(e2e_str(json_array_get(links, i), "relation"), rel) == 0)
			return e2e_str(json_array_get(links, i), "url");
	return "";
}

/* Follow a Bundle's link rel: it must answer 200. */
static void follow(world *w, const char *name, const char *as, const json_t *bundle,
		   const char *rel)
{
	char url[2048];
	snprintf(url, sizeof url, "%s", link_of(bundle, rel));
	if (!e2e_check(url[0] != '\0', name, "the Bundle has no %s link", rel))
		return;
	e2e_resp r;
	e2e_req rq = { .path = url, .token = token_of(w, as) };
	e2e_http(w->srv, &rq, &r);
	want_status(name, &r, 200);
	e2e_resp_free(&r);
}

/* ---- sign-in ----------------------------------------------------------------------- */

/* POST /auth/token for user; remembers a token it is given. */
static void sign_in(world *w, e2e_server *s, const char *user, const char *password,
		    const char *purpose, const char *break_glass, e2e_resp *r)
{
	char form[1024];
	if (break_glass)
		e2e_form(form, sizeof form, "grant_type", "password", "username", user, "password",
			 password, "purpose", purpose, "break_glass", break_glass, NULL);
	else
		e2e_form(form, sizeof form, "grant_type", "password", "username", user, "password",
			 password, "purpose", purpose, NULL);
	e2e_req rq = { "POST", "/auth/token", NULL, FORM, form, 0, NULL };
	e2e_http(s, &rq, r);
	if (r->status == 200 && e2e_str(r->json, "access_token")[0])
		issued(w, e2e_str(r->json, "access_token"));
}

/* Sign in and keep the token under name; false when refused. */
static bool token_for(world *w, e2e_server *s, const char *name, const char *user,
		      const char *purpose, const char *break_glass)
{
	e2e_resp r;
	char what[64];
	snprintf(what, sizeof what, "sign-in %s", name);
	sign_in(w, s, user, PASSWORD, purpose, break_glass, &r);
	bool ok = want_status(what, &r, 200);
	if (ok)
		keep_token(w, name, e2e_str(r.json, "access_token"));
	e2e_resp_free(&r);
	return ok;
}

static const struct sign_in_case {
	const char *name, *user, *password, *purpose, *break_glass;
	long want;
	const char *error; /* the OAuth error, when refused */
	const char *keep;  /* keep the token under this name */
	int audits;        /* entries written: issued, or refused once signed in */
} sign_ins[] = {
	{ "gp", "gp.demo", PASSWORD, "direct_care", NULL, 200, NULL, "gp", 1 },
	{ "clinician", "clinician.demo", PASSWORD, "direct_care", NULL, 200, NULL, "clinician", 1 },
	{ "social worker", "socialworker.demo", PASSWORD, "direct_care", NULL, 200, NULL,
	  "socialworker", 1 },
	{ "care coordinator", "coordinator.demo", PASSWORD, "direct_care", NULL, 200, NULL,
	  "coordinator", 1 },
	{ "end-of-life line", "eol.demo", PASSWORD, "direct_care", NULL, 200, NULL, "eol", 1 },
	{ "analyst for planning", "analyst.demo", PASSWORD, "planning", NULL, 200, NULL, "analyst",
	  1 },
	{ "ig officer, no purpose", "ig.demo", PASSWORD, "none", NULL, 200, NULL, "ig", 1 },
	{ "engagement officer, no purpose", "engagement.demo", PASSWORD, "none", NULL, 200, NULL,
	  "engagement", 1 },
	{ "citizen", "citizen.demo", PASSWORD, "direct_care", NULL, 200, NULL, "citizen", 1 },
	{ "gp for risk stratification", "gp.demo", PASSWORD, "risk_stratification", NULL, 200, NULL,
	  "gp_rs", 1 },
	{ "wrong password", "gp.demo", "not-the-password", "direct_care", NULL, 400,
	  "invalid_grant", NULL, 1 },
	{ "unknown user", "nobody.demo", PASSWORD, "direct_care", NULL, 400, "invalid_grant", NULL,
	  1 },
	{ "analyst refused direct care", "analyst.demo", PASSWORD, "direct_care", NULL, 400,
	  "invalid_request", NULL, 1 },
	{ "ig officer refused a purpose", "ig.demo", PASSWORD, "direct_care", NULL, 400,
	  "invalid_request", NULL, 1 },
	{ "gp refused no purpose", "gp.demo", PASSWORD, "none", NULL, 400, "invalid_request", NULL,
	  1 },
	{ "end-of-life line may not break glass", "eol.demo", PASSWORD, "direct_care", REASON, 400,
	  "invalid_request", NULL, 1 },
	{ "break-glass reason too short", "socialworker.demo", PASSWORD, "direct_care", "urgent",
	  400, "invalid_request", NULL, 0 },
	{ "break-glass for planning", "analyst.demo", PASSWORD, "planning", REASON, 400,
	  "invalid_request", NULL, 0 },
	{ "unknown purpose", "gp.demo", PASSWORD, "marketing", NULL, 400, "invalid_request", NULL,
	  0 },
};

/* A granted token's answer says what it grants. */
static void check_grant(const char *name, const struct sign_in_case *c, const e2e_resp *r)
{
	const char *t = e2e_str(r->json, "access_token");
	json_int_t life = json_integer_value(e2e_at(r->json, "expires_in"));
	e2e_check(strncmp(t, JUP_AUTH_TOKEN_PREFIX, 4) == 0 && strlen(t) == JUP_AUTH_TOKEN_MAX,
		  name, "access_token is not jup_ and 43 characters");
	e2e_check(strcmp(e2e_str(r->json, "token_type"), "Bearer") == 0, name,
		  "not a Bearer token");
	e2e_check(strcmp(e2e_str(r->json, "purpose"), c->purpose) == 0, name, "purpose %s, want %s",
		  e2e_str(r->json, "purpose"), c->purpose);
	e2e_check(life == (c->break_glass ? 900 : 3600), name, "expires_in %lld", (long long)life);
	e2e_check(json_is_boolean(e2e_at(r->json, "break_glass")) &&
			  json_is_true(e2e_at(r->json, "break_glass")) == (c->break_glass != NULL),
		  name, "break_glass flag wrong");
	e2e_check(header_is(r, "Content-Type", "application/json"), name,
		  "a token answer is not application/json");
}

static void sign_in_cases(world *w)
{
	int64_t tokens = rows(w, JUP_TABLE_AUTH_TOKEN);
	int granted = 0;
	for (size_t i = 0; i < sizeof sign_ins / sizeof sign_ins[0]; i++) {
		const struct sign_in_case *c = &sign_ins[i];
		char name[96];
		e2e_resp r;
		snprintf(name, sizeof name, "sign-in: %s", c->name);
		int64_t audits = rows(w, JUP_TABLE_AUDIT_ENTRY);
		sign_in(w, w->srv, c->user, c->password, c->purpose, c->break_glass, &r);
		want_status(name, &r, c->want);
		e2e_check(rows(w, JUP_TABLE_AUDIT_ENTRY) - audits == c->audits, name,
			  "%lld audit entries, want %d",
			  (long long)(rows(w, JUP_TABLE_AUDIT_ENTRY) - audits), c->audits);
		if (r.status == 200) {
			granted++;
			check_grant(name, c, &r);
			if (c->keep)
				keep_token(w, c->keep, e2e_str(r.json, "access_token"));
		} else if (c->error) {
			e2e_check(strcmp(e2e_str(r.json, "error"), c->error) == 0, name,
				  "error \"%s\", want %s", e2e_str(r.json, "error"), c->error);
			e2e_check(header_is(&r, "Content-Type", "application/json"), name,
				  "an OAuth error is not application/json (RFC 6749 5.2)");
		}
		e2e_resp_free(&r);
	}
	e2e_check(rows(w, JUP_TABLE_AUTH_TOKEN) - tokens == granted, "sign-in: tokens stored",
		  "%lld rows for %d tokens", (long long)(rows(w, JUP_TABLE_AUTH_TOKEN) - tokens),
		  granted);
}

/* A token works until revoked; revoking is idempotent (RFC 7009). */
static void revocation(world *w)
{
	const char *name = "revocation";
	char form[256];
	e2e_resp r;
	if (!token_for(w, w->srv, "revoked", "gp.demo", "direct_care", NULL))
		return;
	get(w, "revoked", NO_PLAN, &r);
	e2e_check(r.status == 404, name, "the token did not work before revoking: %ld", r.status);
	e2e_resp_free(&r);
	e2e_form(form, sizeof form, "token", token_of(w, "revoked"), NULL);
	e2e_req rq = { "POST", "/auth/revoke", NULL, FORM, form, 0, NULL };
	for (int i = 0; i < 2; i++) {
		e2e_http(w->srv, &rq, &r);
		want_status(i ? "revoking twice" : name, &r, 200);
		e2e_resp_free(&r);
	}
	get(w, "revoked", NO_PLAN, &r);
	want_status("a revoked token", &r, 401);
	e2e_resp_free(&r);
}

/* ---- the cases' table ------------------------------------------------------------------ */

/* One request and what must come back. */
typedef struct http_case {
	const char *name;
	const char *method; /* NULL: GET (POST with a body) */
	const char *path;   /* placeholders as expand() */
	const char *as;     /* whose token; NULL: none */
	const char *ctype;
	const char *body;   /* placeholders filled; BODY_BIG, BODY_DEEP */
	const char *header; /* one more header */
	long want, also;    /* the status (also: another one allowed) */
	const char *text;   /* in the answer */
	int audits;         /* audit entries it writes */
} http_case;

/* The headers every answer carries, and the shape of a refusal: OAuth's
 * under /auth (400), an OperationOutcome everywhere else. */
static void check_answer(const char *name, const char *path, const e2e_resp *r)
{
	e2e_check(header_is(r, "X-Content-Type-Options", "nosniff") &&
			  header_is(r, "Cache-Control", "no-store") &&
			  header_is(r, "X-Request-ID", ""),
		  name, "security headers missing");
	if (r->status == 401)
		e2e_check(header_is(r, "WWW-Authenticate", "Bearer"), name,
			  "401 without WWW-Authenticate: Bearer");
	if (r->status < 400 || r->body.len == 0)
		return;
	if (strncmp(path, "/auth/", 6) == 0 && r->status == 400)
		e2e_check(header_is(r, "Content-Type", "application/json") &&
				  e2e_str(r->json, "error")[0],
			  name, "not an OAuth error in application/json");
	else
		e2e_check(header_is(r, "Content-Type", FHIR_JSON) &&
				  strcmp(e2e_str(r->json, "resourceType"), "OperationOutcome") ==
					  0 &&
				  strcmp(e2e_str(r->json, "issue.0.severity"), "error") == 0,
			  name, "not an OperationOutcome in application/fhir+json");
}

/* The body of case c (caller frees); *len its length. */
static char *case_body(const world *w, const http_case *c, size_t *len)
{
	if (!c->body)
		return NULL;
	size_t n = strcmp(c->body, BODY_BIG) == 0 ? 2u << 20 : 8192;
	char *b = malloc(n + 1);
	if (!b)
		return NULL;
	if (strcmp(c->body, BODY_BIG) == 0) {
		memset(b, 'a', n);
		b[n] = '\0';
	} else if (strcmp(c->body, BODY_DEEP) == 0) {
		memset(b, '[', 100);
		memset(b + 100, ']', 100);
		b[200] = '\0';
	} else {
		expand(w, c->body, b, n);
	}
	*len = strlen(b);
	return b;
}

/* Send case c; check status, text, headers and audit entries written. */
static void run_case(world *w, const http_case *c)
{
	char path[2048];
	size_t blen = 0;
	expand(w, c->path, path, sizeof path);
	const char *token = c->as ? token_of(w, c->as) : NULL;
	if (c->as && !e2e_check(token != NULL, c->name, "no token for %s", c->as))
		return;
	char *body = case_body(w, c, &blen);
	e2e_req rq = { c->method, path, token, c->ctype, body, blen, c->header };
	int64_t audits = rows(w, JUP_TABLE_AUDIT_ENTRY);
	e2e_resp r;
	e2e_http(w->srv, &rq, &r);
	free(body);
	e2e_check(r.status == c->want || (c->also && r.status == c->also), c->name,
		  "status %ld, want %ld (%s)", r.status, c->want, e2e_diag(&r));
	if (c->text)
		e2e_check(has(&r, c->text), c->name, "the answer does not say \"%s\" (%s)", c->text,
			  e2e_diag(&r));
	check_answer(c->name, path, &r);
	int64_t added = rows(w, JUP_TABLE_AUDIT_ENTRY) - audits;
	e2e_check(added == c->audits, c->name, "%lld audit entries written, want %d",
		  (long long)added, c->audits);
	e2e_resp_free(&r);
}

static void run_cases(world *w, const http_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_case(w, &cases[i]);
}

/* ---- who reads what ------------------------------------------------------------------- */

#define NO_ACCESS "your role does not give access to a person's record"

static const http_case role_reads[] = {
	{ "metadata without a token", NULL, "/fhir/metadata", NULL, NULL, NULL, NULL, 200, 0,
	  "CapabilityStatement", 0 },
	{ "gp: Patient", NULL, "/fhir/Patient/{pid}", "gp", NULL, NULL, NULL, 200, 0, NULL, 1 },
	{ "gp: $everything", NULL, "/fhir/Patient/{pid}/$everything", "gp", NULL, NULL, NULL, 200,
	  0, "\"searchset\"", 1 },
	{ "gp: Consent", NULL, "/fhir/Consent?patient={pid}", "gp", NULL, NULL, NULL, 200, 0, NULL,
	  1 },
	{ "gp: CarePlan search", NULL, "/fhir/CarePlan?patient=Patient/{pid}", "gp", NULL, NULL,
	  NULL, 200, 0, NULL, 1 },
	{ "gp for risk stratification: Patient", NULL, "/fhir/Patient/{pid}", "gp_rs", NULL, NULL,
	  NULL, 200, 0, NULL, 1 },
	{ "clinician without an episode: Patient", NULL, "/fhir/Patient/{pid}", "clinician", NULL,
	  NULL, NULL, 403, 0, "no open admission", 1 },
	{ "clinician without an episode: $everything", NULL, "/fhir/Patient/{pid}/$everything",
	  "clinician", NULL, NULL, NULL, 403, 0, "you may break glass", 1 },
	{ "social worker without a care team: Patient", NULL, "/fhir/Patient/{pid}", "socialworker",
	  NULL, NULL, NULL, 403, 0, "not allocated to a team", 1 },
	{ "social worker without a care team: $everything", NULL, "/fhir/Patient/{pid}/$everything",
	  "socialworker", NULL, NULL, NULL, 403, 0, "not allocated to a team", 1 },
	{ "social worker without a care team: Consent", NULL, "/fhir/Consent?patient={pid}",
	  "socialworker", NULL, NULL, NULL, 403, 0, "not allocated to a team", 1 },
	{ "care coordinator without a care team: Patient", NULL, "/fhir/Patient/{pid}",
	  "coordinator", NULL, NULL, NULL, 403, 0, "not allocated to a team", 1 },
	{ "end-of-life line, person on the register: Patient", NULL, "/fhir/Patient/{pid}", "eol",
	  NULL, NULL, NULL, 200, 0, NULL, 1 },
	{ "end-of-life line: $everything", NULL, "/fhir/Patient/{pid}/$everything", "eol", NULL,
	  NULL, NULL, 200, 0, NULL, 1 },
	{ "analyst, planning: Patient", NULL, "/fhir/Patient/{pid}", "analyst", NULL, NULL, NULL,
	  200, 0, "PSEUDED", 1 },
	{ "analyst, planning: $everything", NULL, "/fhir/Patient/{pid}/$everything", "analyst",
	  NULL, NULL, NULL, 200, 0, NULL, 1 },
	{ "citizen: own Patient", NULL, "/fhir/Patient/{pid}", "citizen", NULL, NULL, NULL, 200, 0,
	  NULL, 1 },
	{ "citizen: own $everything", NULL, "/fhir/Patient/{pid}/$everything", "citizen", NULL,
	  NULL, NULL, 200, 0, NULL, 1 },
	{ "citizen: someone else's Patient", NULL, "/fhir/Patient/{other}", "citizen", NULL, NULL,
	  NULL, 403, 0, "only their own record", 1 },
	{ "ig officer: Patient", NULL, "/fhir/Patient/{pid}", "ig", NULL, NULL, NULL, 403, 0,
	  NO_ACCESS, 1 },
	{ "ig officer: $everything", NULL, "/fhir/Patient/{pid}/$everything", "ig", NULL, NULL,
	  NULL, 403, 0, NO_ACCESS, 1 },
	{ "engagement officer: Patient", NULL, "/fhir/Patient/{pid}", "engagement", NULL, NULL,
	  NULL, 403, 0, NO_ACCESS, 1 },
	{ "engagement officer: $everything", NULL, "/fhir/Patient/{pid}/$everything", "engagement",
	  NULL, NULL, NULL, 403, 0, NO_ACCESS, 1 },
	/* the access log: the citizen their own, information governance anyone's */
	{ "ig officer: AuditEvent", NULL, "/fhir/AuditEvent?patient={pid}", "ig", NULL, NULL, NULL,
	  200, 0, "\"AuditEvent\"", 1 },
	{ "ig officer: AuditEvent of nobody", NULL, "/fhir/AuditEvent?patient=999999999", "ig",
	  NULL, NULL, NULL, 404, 0, NULL, 1 },
	{ "gp: AuditEvent", NULL, "/fhir/AuditEvent?patient={pid}", "gp", NULL, NULL, NULL, 403, 0,
	  "information governance", 1 },
	{ "engagement officer: AuditEvent", NULL, "/fhir/AuditEvent?patient={pid}", "engagement",
	  NULL, NULL, NULL, 403, 0, NULL, 1 },
	{ "citizen: own AuditEvent", NULL, "/fhir/AuditEvent?patient={pid}", "citizen", NULL, NULL,
	  NULL, 200, 0, NULL, 1 },
	{ "citizen: someone else's AuditEvent", NULL, "/fhir/AuditEvent?patient={other}", "citizen",
	  NULL, NULL, NULL, 403, 0, "only your own access history", 1 },
	{ "CarePlan by a citizen", "POST", "/fhir/CarePlan", "citizen", FHIR_JSON, CAREPLAN("Mine"),
	  NULL, 403, 0, "may not write care plans", 1 },
	{ "CarePlan by an analyst", "POST", "/fhir/CarePlan", "analyst", FHIR_JSON,
	  CAREPLAN("Theirs"), NULL, 403, 0, "may not write care plans", 1 },
};

/* Who the shared patient is, from the GP's read; the search terms. */
static bool learn_patient(world *w)
{
	e2e_resp r;
	get(w, "gp", "/fhir/Patient/{pid}", &r);
	const json_t *ids = e2e_at(r.json, "identifier");
	for (size_t i = 0; i < json_array_size(ids); i++)
		if (strcmp(e2e_str(json_array_get(ids, i), "system"), JUP_FHIR_NHS_NUMBER) == 0)
			snprintf(w->nhs, sizeof w->nhs, "%s",
				 e2e_str(json_array_get(ids, i), "value"));
	snprintf(w->family, sizeof w->family, "%s", e2e_str(r.json, "name.0.family"));
	snprintf(w->given, sizeof w->given, "%s", e2e_str(r.json, "name.0.given.0"));
	snprintf(w->birth, sizeof w->birth, "%s", e2e_str(r.json, "birthDate"));
	e2e_resp_free(&r);
	char *f = curl_easy_escape(NULL, w->family, 0), *g = curl_easy_escape(NULL, w->given, 0);
	snprintf(w->family_q, sizeof w->family_q, "%s", f ? f : "");
	snprintf(w->given_q, sizeof w->given_q, "%s", g ? g : "");
	curl_free(f);
	curl_free(g);
	return e2e_check(
		strlen(w->nhs) == 10 && w->family[0] && w->given[0] && strlen(w->birth) == 10,
		"the shared patient", "the GP's read lacks an NHS number, name or birth date");
}

/* What each view shows of the Patient. */
static void views(world *w)
{
	e2e_resp r;
	get(w, "analyst", "/fhir/Patient/{pid}", &r);
	const char *name = "analyst sees the patient de-identified";
	e2e_check(r.status == 200 && !e2e_at(r.json, "identifier") && !e2e_at(r.json, "name") &&
			  !e2e_at(r.json, "address") && strlen(e2e_str(r.json, "birthDate")) == 4 &&
			  !has(&r, w->nhs) && !has(&r, w->family),
		  name, "status %ld; identifier, name, address or full birth date shown", r.status);
	e2e_resp_free(&r);
	get(w, "citizen", "/fhir/Patient/{pid}", &r);
	e2e_check(has(&r, w->nhs) && has(&r, w->family), "citizen sees their own record",
		  "no NHS number or name");
	e2e_resp_free(&r);
	get(w, "gp", "/fhir/Patient/{pid}", &r);
	char etag[64] = "", inm[96];
	e2e_check(e2e_header(&r, "ETag", etag, sizeof etag), "Patient read", "no ETag");
	e2e_resp_free(&r);
	char path[64];
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	snprintf(path, sizeof path, "/fhir/Patient/%s", w->pid);
	e2e_req rq = { .path = path, .token = token_of(w, "gp"), .header = inm };
	e2e_http(w->srv, &rq, &r);
	want_status("Patient read with If-None-Match", &r, 304);
	e2e_resp_free(&r);
}

static void metadata(world *w)
{
	e2e_resp r;
	const char *name = "metadata";
	get(w, NULL, "/fhir/metadata", &r);
	char url[128];
	snprintf(url, sizeof url, "%s/fhir", w->srv->base);
	want_status(name, &r, 200);
	e2e_check(strcmp(e2e_str(r.json, "fhirVersion"), "4.0.1") == 0 &&
			  strcmp(e2e_str(r.json, "implementation.url"), url) == 0,
		  name, "not a FHIR R4 CapabilityStatement for %s", url);
	e2e_check(!header_is(&r, "Strict-Transport-Security", ""), name,
		  "HSTS sent over plain HTTP");
	e2e_resp_free(&r);
}

/* ---- search and $match -------------------------------------------------------------- */

/* A search answered with total want; the first entry is the shared
 * patient when want_pid. */
static void search_case(world *w, const char *name, const char *as, const char *path,
			json_int_t want, bool want_pid)
{
	e2e_resp r;
	get(w, as, path, &r);
	if (want_status(name, &r, 200)) {
		json_int_t total = json_integer_value(e2e_at(r.json, "total"));
		e2e_check(total == want, name, "total %lld, want %lld", (long long)total,
			  (long long)want);
		if (want_pid)
			e2e_check(strcmp(e2e_str(r.json, "entry.0.resource.id"), w->pid) == 0, name,
				  "the first entry is not Patient/%s", w->pid);
		follow(w, name, as, r.json, "self");
	}
	e2e_resp_free(&r);
}

/* Paging through the GP's patients of the family name. */
static void paging(world *w)
{
	e2e_resp r, all;
	const char *name = "Patient search paging";
	get(w, "gp", "/fhir/Patient?family={family}&_summary=count", &all);
	get(w, "gp", "/fhir/Patient?family={family}&_count=1", &r);
	json_int_t total = json_integer_value(e2e_at(all.json, "total"));
	e2e_check(all.status == 200 && total >= 1 &&
			  json_array_size(e2e_at(all.json, "entry")) == 0,
		  "_summary=count", "status %ld, total %lld, or entries sent", all.status,
		  (long long)total);
	e2e_check(r.status == 200 && json_integer_value(e2e_at(r.json, "total")) == total &&
			  json_array_size(e2e_at(r.json, "entry")) == 1,
		  name, "a page of 1 of %lld: status %ld", (long long)total, r.status);
	e2e_check((total > 1) == (link_of(r.json, "next")[0] != '\0'), name,
		  "a next link iff more than one page");
	if (total > 1)
		follow(w, "Patient search: next page", "gp", r.json, "next");
	e2e_resp_free(&r);
	e2e_resp_free(&all);
}

/* $match with a Parameters body; answered with the shared patient when
 * as may see them. */
static void match(world *w, const char *as, bool permitted)
{
	char name[64];
	snprintf(name, sizeof name, "$match by %s", as);
	json_t *p = json_pack(
		"{s:s, s:[{s:s, s:{s:s, s:[{s:s, s:s}], s:[{s:s, s:[s]}], s:s}}, {s:s, s:i}]}",
		"resourceType", "Parameters", "parameter", "name", "resource", "resource",
		"resourceType", "Patient", "identifier", "system", JUP_FHIR_NHS_NUMBER, "value",
		w->nhs, "name", "family", w->family, "given", w->given, "birthDate", w->birth,
		"name", "count", "valueInteger", 3);
	char *body = p ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(p);
	if (!e2e_check(body != NULL, name, "could not make the body"))
		return;
	e2e_req rq = { "POST", "/fhir/Patient/$match", token_of(w, as), FHIR_JSON, body, 0, NULL };
	e2e_resp r;
	e2e_http(w->srv, &rq, &r);
	free(body);
	if (want_status(name, &r, 200) && permitted)
		e2e_check(strcmp(e2e_str(r.json, "entry.0.resource.id"), w->pid) == 0 &&
				  json_real_value(e2e_at(r.json, "entry.0.search.score")) > 0.9 &&
				  strcmp(e2e_str(r.json, "entry.0.search.extension.0.valueCode"),
					 "certain") == 0,
			  name, "the shared patient is not the certain first match");
	else if (r.status == 200)
		e2e_check(json_integer_value(e2e_at(r.json, "total")) == 0, name,
			  "someone not permitted was shown");
	e2e_resp_free(&r);
}

static void search(world *w)
{
	search_case(w, "Patient by NHS number", "gp",
		    "/fhir/Patient?identifier=" JUP_FHIR_NHS_NUMBER "%7C{nhs}", 1, true);
	search_case(w, "Patient by NHS number without a system", "gp",
		    "/fhir/Patient?identifier={nhs}", 1, true);
	search_case(w, "Patient by family and birth date", "gp",
		    "/fhir/Patient?family={family}&birthdate={birth}", 1, true);
	search_case(w, "Patient by family, given name and birth date", "gp",
		    "/fhir/Patient?family={family}&given={given}&birthdate={birth}", 1, true);
	search_case(w, "Patient search by a clinician who may not see them", "clinician",
		    "/fhir/Patient?family={family}&birthdate={birth}", 0, false);
	search_case(w, "Patient search by an ig officer", "ig", "/fhir/Patient?identifier={nhs}", 0,
		    false);
	paging(w);
	match(w, "gp", true);
	match(w, "clinician", false);
}

/* Many clients at once, and clients that give up: every answer complete
 * and alike, and the server still serving (it must still stop cleanly). */
static void crowd(world *w)
{
	enum { N = 16 };
	e2e_resp r[N];
	char path[2048];
	int alike = 0, refused = 0;
	expand(w, "/fhir/Patient?family={family}", path, sizeof path);
	e2e_req rq = { .path = path, .token = token_of(w, "gp") };
	e2e_http_parallel(w->srv, &rq, N, r);
	json_int_t total = json_integer_value(e2e_at(r[0].json, "total"));
	for (int i = 0; i < N; i++) {
		alike += r[i].status == 200 &&
			 json_integer_value(e2e_at(r[i].json, "total")) == total && total > 0;
		e2e_resp_free(&r[i]);
	}
	e2e_check(alike == N, "16 searches at once", "%d of %d answered alike", alike, N);
	expand(w, "/fhir/Patient/{pid}/$everything", path, sizeof path);
	rq.token = token_of(w, "clinician");
	e2e_http_parallel(w->srv, &rq, N, r);
	for (int i = 0; i < N; i++) {
		refused += r[i].status == 403;
		e2e_resp_free(&r[i]);
	}
	e2e_check(refused == N, "16 refusals at once", "%d of %d refused", refused, N);
	rq.token = token_of(w, "gp");
	rq.timeout_ms = 5;
	e2e_http_parallel(w->srv, &rq, N, r); /* most give up before the answer */
	for (int i = 0; i < N; i++)
		e2e_resp_free(&r[i]);
	get(w, "gp", "/fhir/Patient/{pid}", &r[0]);
	want_status("a read after clients gave up", &r[0], 200);
	e2e_resp_free(&r[0]);
}

/* ---- care plans ------------------------------------------------------------------ */

/* Create, read, update with If-Match, a stale update, history, vread. */
static void care_plans(world *w)
{
	e2e_resp r;
	char v[512], tmpl[128];
	int64_t before = rows(w, JUP_TABLE_CARE_PLAN);
	send_json(w, "POST", "gp", "/fhir/CarePlan", CAREPLAN("Falls prevention"), NULL, &r);
	want_status("CarePlan create", &r, 201);
	snprintf(w->cp, sizeof w->cp, "%s", e2e_str(r.json, "id"));
	snprintf(tmpl, sizeof tmpl, "/fhir/CarePlan/%s/_history/1", w->cp);
	e2e_check(e2e_header(&r, "Location", v, sizeof v) && strstr(v, tmpl) &&
			  header_is(&r, "ETag", "W/\"1\""),
		  "CarePlan create", "Location or ETag W/\"1\" missing");
	e2e_resp_free(&r);
	send_json(w, "PUT", "gp", "/fhir/CarePlan/{cp}", CAREPLAN("Falls prevention, v2"),
		  "If-Match: W/\"1\"", &r);
	want_status("CarePlan update with If-Match", &r, 200);
	e2e_check(header_is(&r, "ETag", "W/\"2\"") &&
			  strcmp(e2e_str(r.json, "meta.versionId"), "2") == 0,
		  "CarePlan update with If-Match", "not version 2");
	e2e_resp_free(&r);
	send_json(w, "PUT", "gp", "/fhir/CarePlan/{cp}", CAREPLAN("Falls prevention, lost"),
		  "If-Match: W/\"1\"", &r);
	want_status("CarePlan update with a stale If-Match", &r, 412);
	e2e_resp_free(&r);
	send_json(w, "PUT", "gp", "/fhir/CarePlan/{cp}", CAREPLAN("x"), "If-Match: one", &r);
	want_status("CarePlan update with a malformed If-Match", &r, 400);
	e2e_resp_free(&r);
	send_json(w, "PUT", "gp", "/fhir/CarePlan/{cp}", CAREPLAN("x"), NULL, &r);
	want_status("CarePlan update without If-Match", &r, 428);
	e2e_resp_free(&r);
	e2e_check(rows(w, JUP_TABLE_CARE_PLAN) - before == 2, "CarePlan versions stored",
		  "%lld rows, want 2", (long long)(rows(w, JUP_TABLE_CARE_PLAN) - before));
	get(w, "gp", "/fhir/CarePlan/{cp}/_history", &r);
	e2e_check(r.status == 200 && strcmp(e2e_str(r.json, "type"), "history") == 0 &&
			  json_integer_value(e2e_at(r.json, "total")) == 2,
		  "CarePlan history", "status %ld, not a history of 2", r.status);
	if (r.status == 200)
		follow(w, "CarePlan history: self link", "gp", r.json, "self");
	e2e_resp_free(&r);
	static const struct {
		const char *path;
		long want;
		const char *title;
	} reads[] = {
		{ "/fhir/CarePlan/{cp}/_history/1", 200, "Falls prevention\"" },
		{ "/fhir/CarePlan/{cp}/_history/2", 200, "Falls prevention, v2" },
		{ "/fhir/CarePlan/{cp}", 200, "Falls prevention, v2" },
		{ "/fhir/CarePlan/{cp}/_history/3", 404, NULL },
	};
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		char name[96];
		snprintf(name, sizeof name, "CarePlan read %s", reads[i].path);
		get(w, "gp", reads[i].path, &r);
		if (want_status(name, &r, reads[i].want) && reads[i].title)
			e2e_check(has(&r, reads[i].title), name, "not the version asked for");
		e2e_resp_free(&r);
	}
	get(w, "gp", "/fhir/CarePlan?patient={pid}", &r);
	snprintf(tmpl, sizeof tmpl, "\"id\":\"%s\"", w->cp);
	e2e_check(r.status == 200 && has(&r, tmpl), "CarePlan search", "the new plan is missing");
	e2e_resp_free(&r);
}

/* ---- a citizen's choices ------------------------------------------------------------ */

/* The Consent of purpose (its id's suffix) in a Bundle of Consents. */
static json_t *consent_of(const json_t *bundle, const char *pid, const char *purpose)
{
	char id[96];
	snprintf(id, sizeof id, "consent-%s-%s", pid, purpose);
	const json_t *entries = e2e_at(bundle, "entry");
	for (size_t i = 0; i < json_array_size(entries); i++)
		if (strcmp(e2e_str(json_array_get(entries, i), "resource.id"), id) == 0)
			return e2e_at(json_array_get(entries, i), "resource");
	return NULL;
}

/* The citizen's Consent for direct care says type (permit or deny). */
static void check_choice(world *w, const char *name, const char *type)
{
	e2e_resp r;
	get(w, "citizen", "/fhir/Consent", &r);
	json_t *dc = consent_of(r.json, w->pid, "direct-care");
	e2e_check(r.status == 200 && dc && strcmp(e2e_str(dc, "provision.type"), type) == 0, name,
		  "status %ld; direct care is not %s", r.status, type);
	e2e_resp_free(&r);
}

/* POST a change of choice for direct care; 201 with a Location. */
static void choose(world *w, const char *name, const char *body)
{
	e2e_resp r;
	char v[512], want[96];
	send_json(w, "POST", "citizen", "/fhir/Consent", body, NULL, &r);
	want_status(name, &r, 201);
	snprintf(want, sizeof want, "/fhir/Consent/consent-%s-direct-care", w->pid);
	bool located = e2e_header(&r, "Location", v, sizeof v) && strstr(v, want);
	e2e_check(located, name, "no Location of the direct care Consent");
	e2e_resp_free(&r);
	if (!located)
		return;
	get(w, "citizen", strstr(v, "/fhir/"), &r); /* the Location answers */
	e2e_check(r.status == 200 && strcmp(e2e_str(r.json, "resourceType"), "Consent") == 0 &&
			  strstr(want, e2e_str(r.json, "id")),
		  name, "its Location gives status %ld, not the Consent", r.status);
	e2e_resp_free(&r);
}

static void consent_flow(world *w)
{
	e2e_resp r;
	static const char *const purposes[] = { "direct-care", "risk-stratification", "planning",
						"research" };
	get(w, "citizen", "/fhir/Consent", &r);
	want_status("citizen: own Consents", &r, 200);
	for (size_t i = 0; i < 4; i++)
		e2e_check(consent_of(r.json, w->pid, purposes[i]) != NULL, "citizen: own Consents",
			  "no Consent for %s", purposes[i]);
	if (r.status == 200)
		follow(w, "Consent search: self link", "citizen", r.json, "self");
	e2e_resp_free(&r);
	int64_t decisions = rows(w, JUP_TABLE_CONSENT_DECISION);
	choose(w, "citizen says no to direct care", CONSENT("{pid}", "deny"));
	check_choice(w, "citizen's no is shown", "deny");
	get(w, "gp", "/fhir/Patient/{pid}", &r);
	want_status("gp after the citizen's no", &r, 403);
	e2e_check(has(&r, "consent:") && has(&r, "asked for their information not to be used"),
		  "gp after the citizen's no", "the refusal does not name the choice: %s",
		  e2e_diag(&r));
	e2e_resp_free(&r);
	get(w, "gp", "/fhir/Patient/{pid}/$everything", &r);
	want_status("gp's $everything after the citizen's no", &r, 403);
	e2e_resp_free(&r);
	choose(w, "citizen says yes again", CONSENT("{pid}", "permit"));
	check_choice(w, "citizen's yes is shown", "permit");
	get(w, "gp", "/fhir/Patient/{pid}", &r);
	want_status("gp after the citizen's yes", &r, 200);
	e2e_resp_free(&r);
	e2e_check(rows(w, JUP_TABLE_CONSENT_DECISION) - decisions == 2, "consent decisions stored",
		  "%lld rows, want 2",
		  (long long)(rows(w, JUP_TABLE_CONSENT_DECISION) - decisions));
}

/* ---- break-glass and the citizen's access log --------------------------------------- */

static void break_glass(world *w)
{
	e2e_resp r;
	if (!token_for(w, w->srv, "sw_bg", "socialworker.demo", "direct_care", REASON) ||
	    !token_for(w, w->srv, "clin_bg", "clinician.demo", "direct_care", REASON))
		return;
	get(w, "sw_bg", "/fhir/Patient/{pid}", &r);
	want_status("social worker breaks glass: Patient", &r, 200);
	e2e_resp_free(&r);
	get(w, "clin_bg", "/fhir/Patient/{pid}/$everything", &r);
	want_status("clinician breaks glass: $everything", &r, 200);
	e2e_resp_free(&r);
}

/* Every entry of the citizen's own access log, newest first (paged). */
static json_t *citizen_log(world *w)
{
	json_t *all = json_array();
	char url[2048];
	snprintf(url, sizeof url, "/fhir/AuditEvent?_count=100");
	for (int page = 0; page < 50 && url[0]; page++) {
		e2e_resp r;
		e2e_req rq = { .path = url, .token = token_of(w, "citizen") };
		e2e_http(w->srv, &rq, &r);
		if (!want_status("citizen: own access log", &r, 200)) {
			e2e_resp_free(&r);
			break;
		}
		const json_t *entries = e2e_at(r.json, "entry");
		for (size_t i = 0; i < json_array_size(entries); i++)
			json_array_append(all, e2e_at(json_array_get(entries, i), "resource"));
		snprintf(url, sizeof url, "%s", link_of(r.json, "next"));
		e2e_resp_free(&r);
	}
	return all;
}

/* Does event ev give purpose code (with text as its text, when text)? */
static bool has_purpose(const json_t *ev, const char *code, const char *text)
{
	const json_t *purposes = e2e_at(ev, "purposeOfEvent");
	for (size_t k = 0; k < json_array_size(purposes); k++) {
		const json_t *p = json_array_get(purposes, k), *codes = e2e_at(p, "coding");
		for (size_t m = 0; m < json_array_size(codes); m++)
			if (strcmp(e2e_str(json_array_get(codes, m), "code"), code) == 0 &&
			    (!text || strcmp(e2e_str(p, "text"), text) == 0))
				return true;
	}
	return false;
}

/* Is there an event by actor of action with outcome ("0" done, "4"
 * refused) whose description has desc (when desc) and whose purposes
 * include code (when code)? */
static bool logged(const json_t *events, const char *actor, const char *action, const char *outcome,
		   const char *desc, const char *code, const char *text)
{
	for (size_t i = 0; i < json_array_size(events); i++) {
		const json_t *ev = json_array_get(events, i);
		if (strcmp(e2e_str(ev, "agent.0.who.display"), actor) == 0 &&
		    strcmp(e2e_str(ev, "subtype.0.code"), action) == 0 &&
		    strcmp(e2e_str(ev, "outcome"), outcome) == 0 &&
		    (!desc || strstr(e2e_str(ev, "outcomeDesc"), desc)) &&
		    (!code || has_purpose(ev, code, text)))
			return true;
	}
	return false;
}

static void access_log(world *w)
{
	json_t *ev = citizen_log(w);
	const char *name = "citizen's access log";
	e2e_check(logged(ev, "gp.demo", "record.read", "0", NULL, NULL, NULL), name,
		  "the gp's reads are not shown");
	e2e_check(logged(ev, "gp.demo", "record.read", "4", "asked for their information", NULL,
			 NULL),
		  name, "the gp's refusal after the citizen's no is not shown");
	e2e_check(logged(ev, "clinician.demo", "record.read", "4", NULL, NULL, NULL), name,
		  "the clinician's refusal is not shown");
	e2e_check(logged(ev, "socialworker.demo", "record.read", "0", NULL, "BTG", REASON), name,
		  "the social worker's break-glass (BTG with the reason) is not shown");
	e2e_check(logged(ev, "clinician.demo", "record.read", "0", NULL, "BTG", REASON), name,
		  "the clinician's break-glass is not shown");
	e2e_check(logged(ev, "ig.demo", "audit.read", "0", NULL, NULL, NULL), name,
		  "the ig officer's look at the log is not shown");
	e2e_check(logged(ev, "gp.demo", "audit.read", "4", NULL, NULL, NULL), name,
		  "the gp's refused look at the log is not shown");
	e2e_check(logged(ev, "citizen.demo", "consent.set", "0", NULL, NULL, NULL), name,
		  "the citizen's own changes of choice are not shown");
	json_decref(ev);
}

/* ---- malformed requests: 4xx, and nothing changed ------------------------------------ */

#define BAD_FORM(form) "POST", "/auth/token", NULL, FORM, form, NULL

static const http_case malformed[] = {
	/* bodies */
	{ "bad JSON", "POST", "/fhir/CarePlan", "gp", FHIR_JSON, "{\"resourceType\": \"CarePlan\",",
	  NULL, 400, 0, "request body", 0 },
	{ "bad JSON consent", "POST", "/fhir/Consent", "citizen", FHIR_JSON, "{bad", NULL, 400, 0,
	  "not valid JSON", 0 },
	{ "JSON nested 100 deep", "POST", "/fhir/CarePlan", "gp", FHIR_JSON, BODY_DEEP, NULL, 400,
	  0, "nested deeper", 0 },
	{ "JSON with a key twice", "POST", "/fhir/Consent", "citizen", FHIR_JSON,
	  "{\"status\": \"active\", \"status\": \"active\"}", NULL, 400, 0, "duplicate key", 0 },
	{ "JSON that is not an object", "POST", "/fhir/CarePlan", "gp", FHIR_JSON, "[]", NULL, 400,
	  0, NULL, 0 },
	{ "2 MiB body", "POST", "/fhir/CarePlan", "gp", FHIR_JSON, BODY_BIG, NULL, 413, 0,
	  "larger than", 0 },
	{ "2 MiB sign-in form", BAD_FORM(BODY_BIG), 413, 0, NULL, 0 },
	{ "wrong content type", "POST", "/fhir/CarePlan", "gp", "text/plain", CAREPLAN("x"), NULL,
	  415, 0, "application/fhir+json", 0 },
	{ "Consent as a form", "POST", "/fhir/Consent", "citizen", FORM, "type=deny", NULL, 415, 0,
	  NULL, 0 },
	{ "sign-in as JSON", "POST", "/auth/token", NULL, FHIR_JSON,
	  "{\"grant_type\": \"password\"}", NULL, 400, 0, "x-www-form-urlencoded", 0 },
	{ "a body on a read", "GET", "/fhir/Patient/{pid}", "gp", FORM, "a=b", NULL, 400, 0,
	  "takes no body", 0 },
	{ "$match without parameters", "POST", "/fhir/Patient/$match", "gp", FHIR_JSON,
	  "{\"resourceType\": \"Parameters\"}", NULL, 400, 0, "Parameters.parameter", 0 },
	{ "CarePlan without a title", "POST", "/fhir/CarePlan", "gp", FHIR_JSON, CAREPLAN_HEAD "}",
	  NULL, 400, 0, "CarePlan.title", 0 },
	{ "CarePlan update with a stale If-Match", "PUT", "/fhir/CarePlan/{cp}", "gp", FHIR_JSON,
	  CAREPLAN("lost"), "If-Match: W/\"1\"", 412, 0, NULL, 1 },
	{ "Consent for someone else", "POST", "/fhir/Consent", "citizen", FHIR_JSON,
	  CONSENT("{other}", "deny"), NULL, 403, 0, "only your own", 0 },
	{ "Consent by staff", "POST", "/fhir/Consent", "gp", FHIR_JSON, CONSENT("{pid}", "deny"),
	  NULL, 403, 0, "Only the person themselves", 0 },
	/* parameters */
	{ "unknown search parameter", NULL, "/fhir/Patient?colour=blue", "gp", NULL, NULL, NULL,
	  400, 0, "colour: this search parameter is not supported", 0 },
	{ "_count=abc", NULL, "/fhir/Patient?family={family}&_count=abc", "gp", NULL, NULL, NULL,
	  400, 0, "_count", 0 },
	{ "_count past the limit", NULL, "/fhir/AuditEvent?patient={pid}&_count=101", "ig", NULL,
	  NULL, NULL, 400, 0, "_count", 0 },
	{ "_offset=-1", NULL, "/fhir/Consent?patient={pid}&_offset=-1", "gp", NULL, NULL, NULL, 400,
	  0, "_offset", 0 },
	{ "a search parameter twice", NULL, "/fhir/Patient?family={family}&family={family}", "gp",
	  NULL, NULL, NULL, 400, 0, "once", 0 },
	{ "identifier of another system", NULL, "/fhir/Patient?identifier=urn:oid:1.2%7C{nhs}",
	  "gp", NULL, NULL, NULL, 400, 0, "only the NHS number system", 0 },
	{ "identifier not an NHS number", NULL, "/fhir/Patient?identifier=1234567890", "gp", NULL,
	  NULL, NULL, 400, 0, "not a valid NHS number", 0 },
	{ "a control character", NULL, "/fhir/Patient?family=%01", "gp", NULL, NULL, NULL, 400, 0,
	  "control characters", 0 },
	{ "33 parameters", NULL, "/fhir/Patient?{many}", "gp", NULL, NULL, NULL, 400, 0,
	  "parameters", 0 },
	{ "a read with parameters", NULL, "/fhir/Patient/{pid}?_format=xml", "gp", NULL, NULL, NULL,
	  400, 0, NULL, 0 },
	{ "Consent without a patient, by staff", NULL, "/fhir/Consent", "gp", NULL, NULL, NULL, 400,
	  0, "patient", 0 },
	/* ids, paths, methods */
	{ "a patient id that is not a number", NULL, "/fhir/Patient/abc", "gp", NULL, NULL, NULL,
	  404, 0, NULL, 0 },
	{ "patient id 0", NULL, "/fhir/Patient/0", "gp", NULL, NULL, NULL, 404, 0, NULL, 0 },
	{ "no such patient", NULL, "/fhir/Patient/999999999/$everything", "gp", NULL, NULL, NULL,
	  404, 0, NULL, 0 },
	{ "no such care plan", NULL, NO_PLAN, "gp", NULL, NULL, NULL, 404, 0, NULL, 0 },
	{ "a care plan id without cp-", NULL, "/fhir/CarePlan/17/_history", "gp", NULL, NULL, NULL,
	  404, 0, NULL, 0 },
	{ "no such path", NULL, "/fhir/Observation", "gp", NULL, NULL, NULL, 404, 0, NULL, 0 },
	{ "DELETE", "DELETE", "/fhir/Patient/{pid}", "gp", NULL, NULL, NULL, 405, 0, NULL, 0 },
	{ "PATCH", "PATCH", "/fhir/CarePlan/{cp}", "gp", FHIR_JSON, "{}", NULL, 405, 0, NULL, 0 },
	{ "GET /auth/token", NULL, "/auth/token", NULL, NULL, NULL, NULL, 405, 0, NULL, 0 },
	/* tokens */
	{ "no token", NULL, "/fhir/Patient/{pid}", NULL, NULL, NULL, NULL, 401, 0, "Sign in", 0 },
	{ "Authorization: Basic", NULL, "/fhir/Patient/{pid}", NULL, NULL, NULL,
	  "Authorization: Basic x", 401, 401, NULL, 0 },
	{ "Authorization: Bearer and nothing", NULL, "/fhir/Patient/{pid}", NULL, NULL, NULL,
	  "Authorization: Bearer ", 400, 401, NULL, 0 },
	{ "a random token", NULL, "/fhir/Patient/{pid}", "random", NULL, NULL, NULL, 401, 0,
	  "not valid or has expired", 0 },
	{ "not a token at all", NULL, "/fhir/Patient/{pid}", "garbage", NULL, NULL, NULL, 401, 0,
	  NULL, 0 },
	{ "a token far too long", NULL, "/fhir/Patient/{pid}", "long", NULL, NULL, NULL, 400, 401,
	  NULL, 0 },
	{ "a revoked token", NULL, "/fhir/Patient/{pid}", "revoked", NULL, NULL, NULL, 401, 0, NULL,
	  0 },
	{ "an expired token", NULL, "/fhir/Patient/{pid}", "expired", NULL, NULL, NULL, 401, 0,
	  NULL, 0 },
	{ "a revoked token writing a care plan", "POST", "/fhir/CarePlan", "revoked", FHIR_JSON,
	  CAREPLAN("x"), NULL, 401, 0, NULL, 0 },
	{ "a token without purpose on Patient", NULL, "/fhir/Patient/{pid}", "ig", NULL, NULL, NULL,
	  403, 0, NO_ACCESS, 1 },
	{ "a token without purpose writing a care plan", "POST", "/fhir/CarePlan", "engagement",
	  FHIR_JSON, CAREPLAN("x"), NULL, 403, 0, NULL, 1 },
	/* sign-in forms */
	{ "a sign-in field twice",
	  BAD_FORM("grant_type=password&username=gp.demo&username=gp.demo&password=" PASSWORD
		   "&purpose=direct_care"),
	  400, 0, "more than once", 0 },
	{ "unsupported grant_type",
	  BAD_FORM("grant_type=implicit&username=gp.demo&password=" PASSWORD), 400, 0,
	  "unsupported_grant_type", 0 },
	{ "no grant_type", BAD_FORM("username=gp.demo&password=" PASSWORD), 400, 0,
	  "unsupported_grant_type", 0 },
	{ "a badly encoded form", BAD_FORM("grant_type=password&username=%zz"), 400, 0,
	  "not properly encoded", 0 },
	{ "no password", BAD_FORM("grant_type=password&username=gp.demo&purpose=direct_care"), 400,
	  0, "invalid_request", 0 },
	{ "revoke without a token", "POST", "/auth/revoke", NULL, FORM, "token=", NULL, 400, 0,
	  "token: missing", 0 },
};

/* The malformed cases write no consent decision, care plan version or
 * token (and only the audit entries each case says). */
static void malformed_cases(world *w)
{
	char long_token[201];
	memset(long_token, 'A', 200);
	long_token[200] = '\0';
	keep_token(w, "random", "jup_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	keep_token(w, "garbage", "not-a-token");
	keep_token(w, "long", long_token);
	const jup_table tables[] = { JUP_TABLE_CONSENT_DECISION, JUP_TABLE_CARE_PLAN,
				     JUP_TABLE_AUTH_TOKEN, JUP_TABLE_BREAK_GLASS };
	const char *names[] = { "consent decisions", "care plan versions", "tokens",
				"break-glass grants" };
	int64_t before[4];
	for (int i = 0; i < 4; i++)
		before[i] = rows(w, tables[i]);
	run_cases(w, malformed, sizeof malformed / sizeof malformed[0]);
	for (int i = 0; i < 4; i++)
		e2e_check(rows(w, tables[i]) == before[i], "malformed requests change nothing",
			  "%lld new %s", (long long)(rows(w, tables[i]) - before[i]), names[i]);
}

/* Headers past the limit: refused by libmicrohttpd itself. */
static void huge_header(world *w)
{
	char *h = malloc(80 * 1024);
	if (!h)
		return;
	memcpy(h, "X-Filler: ", 10);
	memset(h + 10, 'a', 70 * 1024);
	h[10 + 70 * 1024] = '\0';
	e2e_req rq = { .path = "/fhir/metadata", .header = h };
	e2e_resp r;
	e2e_http(w->srv, &rq, &r);
	e2e_check(r.status == 431 || r.status == 413 || r.status == 400, "a 70 KiB header",
		  "status %ld, want 431 (or 413, 400)", r.status);
	e2e_resp_free(&r);
	free(h);
}

/* ---- stopping ------------------------------------------------------------------------ */

static int connect_to(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static bool send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* Read until the peer closes (or secs pass) into out (NUL-terminated). */
static size_t read_all(int fd, char *out, size_t cap, double secs)
{
	size_t n = 0;
	double until = e2e_seconds() + secs;
	while (n + 1 < cap && e2e_seconds() < until) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t k = recv(fd, out + n, cap - 1 - n, 0);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	out[n] = '\0';
	return n;
}

/* SIGTERM while a sign-in is half sent: no new connection is taken, the
 * sign-in finishes, then the server exits 0. */
static void stop_in_flight(world *w, e2e_server *s)
{
	const char *name = "graceful stop with a request in flight";
	char form[256], head[512], answer[8192];
	e2e_form(form, sizeof form, "grant_type", "password", "username", "gp.demo", "password",
		 PASSWORD, "purpose", "direct_care", NULL);
	size_t n = strlen(form);
	snprintf(head, sizeof head,
		 "POST /auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " FORM
		 "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		 n);
	int fd = connect_to(s->port);
	bool sent = fd >= 0 && send_all(fd, head, strlen(head)) && send_all(fd, form, 10);
	e2e_check(sent, name, "could not send the first half");
	e2e_sleep(0.3);
	kill(s->pid, SIGTERM);
	e2e_sleep(0.3);
	int late = connect_to(s->port);
	e2e_check(late < 0, name, "a new connection was accepted after SIGTERM");
	if (late >= 0)
		close(late);
	sent = sent && send_all(fd, form + 10, n - 10);
	read_all(fd, answer, sizeof answer, 30);
	if (fd >= 0)
		close(fd);
	char *json = strstr(answer, "\r\n\r\n");
	json_t *j = json ? json_loads(json + 4, 0, NULL) : NULL;
	if (j && e2e_str(j, "access_token")[0])
		issued(w, e2e_str(j, "access_token"));
	e2e_check(sent && strncmp(answer, "HTTP/1.1 200", 12) == 0 && j &&
			  e2e_str(j, "access_token")[0],
		  name, "the request in flight was not answered with a token");
	json_decref(j);
	int rc = e2e_server_stop(s);
	e2e_check(rc == 0, name, "exit %d, want 0 (see %s)", rc, s->out);
}

/* What must never be in an access log or the server's output. */
static void check_secrets(world *w, const char *name, const char *path)
{
	size_t len = 0;
	char *text = e2e_read_file(path, 64u << 20, &len);
	if (!e2e_check(text != NULL, name, "could not read %s", path))
		return;
	const char *personal[] = { w->nhs, w->family, w->given, w->birth };
	const char *what[] = { "the NHS number", "the family name searched", "the given name",
			       "the birth date" };
	for (size_t i = 0; i < 4; i++)
		e2e_check(!personal[i][0] || !strstr(text, personal[i]), name, "%s holds %s", path,
			  what[i]);
	for (int i = 0; i < w->nissued; i++)
		e2e_check(!strstr(text, w->issued[i]), name, "%s holds a token", path);
	e2e_check(!strstr(text, "Bearer "), name, "%s holds an Authorization header", path);
	free(text);
}

/* Every access log line is a JSON object naming a route or an event. */
static void check_log_lines(const char *name, const char *path)
{
	char *text = e2e_read_file(path, 64u << 20, NULL);
	int lines = 0, bad = 0;
	for (char *line = text, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		json_t *j = json_loadb(line, (size_t)(nl - line), 0, NULL);
		bad += !j || !(e2e_at(j, "route") || e2e_at(j, "event"));
		lines++;
		json_decref(j);
	}
	e2e_check(lines > 0 && bad == 0, name, "%d of %d lines are not access log entries", bad,
		  lines);
	free(text);
}

static void check_server_files(world *w, const e2e_server *s)
{
	char name[64];
	snprintf(name, sizeof name, "%s: access log", s->name);
	check_log_lines(name, s->log);
	check_secrets(w, name, s->log);
	snprintf(name, sizeof name, "%s: output", s->name);
	check_secrets(w, name, s->out);
}

static void audit_verify(world *w)
{
	char out[512];
	snprintf(out, sizeof out, "%s/verify.out", w->dir);
	char *argv[] = { (char *)w->joinedup, "audit", "verify", "--db", w->db, NULL };
	int rc = e2e_run(argv, out, 120);
	e2e_check(rc == 0, "audit verify", "exit %d (see %s)", rc, out);
}

/* ---- the servers ------------------------------------------------------------------- */

static void section(const char *title)
{
	printf("== %s (%d checks so far, %d failed)\n", title, e2e_checks(), e2e_failures());
	fflush(stdout);
}

/* Tokens expire: one works at once, not 3 s later; it is kept as
 * "expired" for the main server's cases (same store). */
static void expiry_server(world *w)
{
	section("expiry server: token_lifetime = 2");
	e2e_server s;
	e2e_resp r;
	if (!e2e_server_start(&s, w->joinedup, w->dir, "expiry", w->db, "token_lifetime = 2\n",
			      NULL))
		return;
	w->srv = &s;
	sign_in(w, &s, "gp.demo", PASSWORD, "direct_care", NULL, &r);
	e2e_check(r.status == 200 && json_integer_value(e2e_at(r.json, "expires_in")) == 2,
		  "token_lifetime = 2", "status %ld, or expires_in not 2", r.status);
	keep_token(w, "expired", e2e_str(r.json, "access_token"));
	e2e_resp_free(&r);
	get(w, "expired", NO_PLAN, &r);
	want_status("a fresh token works", &r, 404);
	e2e_resp_free(&r);
	e2e_sleep(3.2);
	get(w, "expired", NO_PLAN, &r);
	want_status("an expired token", &r, 401);
	e2e_resp_free(&r);
	w->srv = NULL;
	int rc = e2e_server_stop(&s);
	e2e_check(rc == 0, "expiry: stop", "exit %d (see %s)", rc, s.out);
	check_server_files(w, &s);
}

static void main_server(world *w)
{
	section("main server");
	e2e_server s;
	if (!e2e_server_start(&s, w->joinedup, w->dir, "main", w->db,
			      "rate_per_address = 1000\nburst_per_address = 1000\n", NULL))
		return;
	w->srv = &s;
	metadata(w);
	sign_in_cases(w);
	if (learn_patient(w)) {
		run_cases(w, role_reads, sizeof role_reads / sizeof role_reads[0]);
		views(w);
		search(w);
		crowd(w);
		care_plans(w);
		consent_flow(w);
		break_glass(w);
		access_log(w);
		revocation(w);
		malformed_cases(w);
		huge_header(w);
	}
	stop_in_flight(w, &s);
	w->srv = NULL;
	check_server_files(w, &s);
	audit_verify(w);
}

/* A token's requests past its rate: 429 with Retry-After; then failed
 * sign-ins slowed (the 5th answer after 4 wrong passwords takes at least
 * 250 ms; the policy says 500). */
static void rate_server(world *w)
{
	section("rate server: rate_per_token = 5, failed sign-ins");
	e2e_server s;
	e2e_resp r;
	if (!e2e_server_start(&s, w->joinedup, w->dir, "rate", w->db,
			      "rate_per_token = 5\nburst_per_token = 5\n", NULL))
		return;
	w->srv = &s;
	int ok = 0, limited = 0;
	char retry[32] = "";
	if (token_for(w, &s, "rated", "gp.demo", "direct_care", NULL)) {
		for (int i = 0; i < 30 && !limited; i++) {
			get(w, "rated", NO_PLAN, &r);
			ok += r.status == 404;
			if (r.status == 429) {
				limited = 1;
				e2e_header(&r, "Retry-After", retry, sizeof retry);
				e2e_check(has(&r, "throttled"), "rate limit",
					  "not a throttled outcome");
			}
			e2e_resp_free(&r);
		}
	}
	e2e_check(limited && ok >= 5 && strtol(retry, NULL, 10) >= 1, "rate limit",
		  "%d answered before a 429 (want at least 5), Retry-After \"%s\"", ok, retry);
	get(w, NULL, "/fhir/metadata", &r);
	want_status("rate limit: another client's request", &r, 200);
	e2e_resp_free(&r);
	double t[5];
	for (int i = 0; i < 5; i++) {
		sign_in(w, &s, "gp.demo", "not-the-password", "direct_care", NULL, &r);
		t[i] = r.seconds;
		want_status("wrong password", &r, 400);
		e2e_resp_free(&r);
	}
	e2e_check(t[4] >= 0.25 && t[4] > t[0] && t[4] < 30, "failed sign-ins slowed",
		  "the 5th took %.3f s (the 1st %.3f s), want at least 0.25 s", t[4], t[0]);
	sign_in(w, &s, "gp.demo", PASSWORD, "direct_care", NULL, &r);
	want_status("the right password after failures", &r, 200);
	e2e_resp_free(&r);
	w->srv = NULL;
	int rc = e2e_server_stop(&s);
	e2e_check(rc == 0, "rate: stop", "exit %d (see %s)", rc, s.out);
	check_server_files(w, &s);
}

/* HTTPS with a self-signed certificate made by the openssl CLI. */
static void tls_server(world *w)
{
	section("TLS server");
	char cert[512], key[512], conf[1200], out[512];
	e2e_server s;
	e2e_resp r;
	snprintf(cert, sizeof cert, "%s/cert.pem", w->dir);
	snprintf(key, sizeof key, "%s/key.pem", w->dir);
	snprintf(out, sizeof out, "%s/openssl.out", w->dir);
	char *argv[] = { "openssl",
			 "req",
			 "-x509",
			 "-newkey",
			 "ec",
			 "-pkeyopt",
			 "ec_paramgen_curve:prime256v1",
			 "-nodes",
			 "-keyout",
			 key,
			 "-out",
			 cert,
			 "-days",
			 "2",
			 "-subj",
			 "/CN=127.0.0.1",
			 "-addext",
			 "subjectAltName=IP:127.0.0.1",
			 NULL };
	if (!e2e_check(e2e_run(argv, out, 60) == 0, "tls", "openssl could not make a certificate"))
		return;
	snprintf(conf, sizeof conf, "tls_cert = %s\ntls_key = %s\n", cert, key);
	if (!e2e_server_start(&s, w->joinedup, w->dir, "tls", w->db, conf, cert))
		return;
	w->srv = &s;
	get(w, NULL, "/fhir/metadata", &r);
	want_status("https: metadata", &r, 200);
	e2e_check(header_is(&r, "Strict-Transport-Security", "max-age="), "https: metadata",
		  "no Strict-Transport-Security");
	e2e_check(strncmp(e2e_str(r.json, "implementation.url"), "https://", 8) == 0,
		  "https: metadata", "the base URL is not https");
	e2e_resp_free(&r);
	if (token_for(w, &s, "tls_gp", "gp.demo", "direct_care", NULL)) {
		get(w, "tls_gp", "/fhir/Patient/{pid}", &r);
		want_status("https: the gp reads the Patient", &r, 200);
		e2e_resp_free(&r);
	}
	w->srv = NULL;
	int rc = e2e_server_stop(&s);
	e2e_check(rc == 0, "tls: stop", "exit %d (see %s)", rc, s.out);
	check_server_files(w, &s);
}

/* ---- setting up ------------------------------------------------------------------- */

/* The demo city; its shared patient from "Their shared patient is Patient/N". */
static bool make_demo(world *w)
{
	char dir[256], out[512];
	snprintf(dir, sizeof dir, "%s/demo", w->dir);
	snprintf(w->db, sizeof w->db, "%s/joinedup.db", dir);
	snprintf(out, sizeof out, "%s/demo.out", w->dir);
	char *argv[] = { (char *)w->joinedup, "demo", "--no-serve", "--dir", dir,
			 "--people",          "1500", NULL };
	int rc = e2e_run(argv, out, 300);
	if (!e2e_check(rc == 0, "demo", "exit %d (see %s)", rc, out))
		return false;
	char *text = e2e_read_file(out, 16u << 20, NULL);
	const char *at = text ? strstr(text, "Their shared patient is Patient/") : NULL;
	long long pid = at ? strtoll(at + strlen("Their shared patient is Patient/"), NULL, 10) : 0;
	free(text);
	snprintf(w->pid, sizeof w->pid, "%lld", pid);
	snprintf(w->other, sizeof w->other, "%s", pid == 1 ? "2" : "1");
	snprintf(w->cp, sizeof w->cp, "cp-1");
	return e2e_check(pid > 0, "demo", "no shared patient in %s", out);
}

int main(void)
{
	world w = { .joinedup = getenv("JOINEDUP") };
	if (!w.joinedup) {
		fprintf(stderr, "server: set JOINEDUP to the joinedup binary\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(w.dir, sizeof w.dir, "/tmp/jup-e2e-server-XXXXXX");
	if (!mkdtemp(w.dir) || curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
		fprintf(stderr, "server: no temp dir or no libcurl\n");
		return 2;
	}
	double t0 = e2e_seconds();
	jup_err err;
	if (make_demo(&w) &&
	    e2e_check(jup_store_open(w.db, 0, &w.st, &err) == JUP_OK, "store", "%s", err.msg)) {
		expiry_server(&w);
		main_server(&w);
		rate_server(&w);
		tls_server(&w);
		audit_verify(&w);
	}
	jup_store_close(w.st);
	curl_global_cleanup();
	printf("%d checks, %d failed (%.1f s)\n", e2e_checks(), e2e_failures(), e2e_seconds() - t0);
	if (e2e_failures())
		printf("kept %s\n", w.dir);
	else
		e2e_rm_rf(w.dir);
	return e2e_failures() ? 1 : 0;
}
