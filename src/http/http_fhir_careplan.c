/*
 * http_fhir_careplan.c - CarePlan: care plans, notes and end-of-life plans.
 * Search by patient, read, vread and history behind a gate decision to
 * read the person's record; create and update behind a decision to write
 * one (JUP_GATE_WRITE_CARE_PLAN), every version kept (_history), updates
 * guarded by If-Match. The resource id is "cp-" and the plan's logical id.
 */
#include "http/http_fhir.h"

#include "care/jup_care.h"
#include "care/jup_care_plan.h"
#include "fhir/jup_fhir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a CarePlan request carries between its steps. */
typedef struct plan_req {
	char plan_id[HTTP_MAX_ID + 1]; /* the logical id ("17"); "" for a create */
	int64_t version;               /* vread's version, or If-Match's; 0: none */
	json_t *plan;                  /* a write's plan (internal shape) */
	enum { PLAN_READ, PLAN_VREAD, PLAN_HISTORY, PLAN_WRITE } op;
} plan_req;

static void plan_free(http_req *r)
{
	plan_req *p = r->scratch;
	if (p) {
		json_decref(p->plan);
		p->plan = NULL;
	}
}

/* "cp-17" -> "17". */
static bool plan_id_of(const char *id, char out[HTTP_MAX_ID + 1])
{
	int64_t n;
	if (strncmp(id, "cp-", 3) != 0 || !http_fhir_person_id(id + 3, &n))
		return false;
	snprintf(out, HTTP_MAX_ID + 1, "%s", id + 3);
	return true;
}

static plan_req *plan_new(http_req *r)
{
	plan_req *p = calloc(1, sizeof *p);
	if (!p)
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
	r->scratch = p;
	r->cleanup = plan_free;
	return p;
}

/* A version as a CarePlan resource; NULL with a reply sent. */
static json_t *as_fhir(http_req *r, const json_t *plan)
{
	char pid[24];
	json_t *cp = NULL;
	jup_err err;
	snprintf(pid, sizeof pid, "%lld", (long long)r->person_id);
	jup_status st = jup_fhir_careplan(plan, pid, r->dec.view == JUP_GATE_VIEW_DEIDENTIFIED, &cp, &err);
	if (st)
		http_reply_error(r, st, &err);
	return cp;
}

/* ETag W/"version" for a CarePlan version. */
static void version_etag(http_req *r, const json_t *plan)
{
	snprintf(r->etag, sizeof r->etag, "W/\"%lld\"",
		 (long long)json_integer_value(json_object_get(plan, "version")));
}

static void reply_version(http_req *r, json_t *plan, unsigned status)
{
	json_t *cp = as_fhir(r, plan);
	if (!cp) {
		json_decref(plan);
		return;
	}
	version_etag(r, plan);
	if (status == 201)
		snprintf(r->location, sizeof r->location, "%s/fhir/CarePlan/cp-%s/_history/%lld",
			 r->srv->url, json_string_value(json_object_get(plan, "id")),
			 (long long)json_integer_value(json_object_get(plan, "version")));
	json_decref(plan);
	if (status == 200 && r->if_none_match[0] && strstr(r->if_none_match, r->etag)) {
		json_decref(cp);
		http_reply_empty(r, 304);
		return;
	}
	http_reply_json(r, status, cp);
}

static void history_reply(http_worker *w, http_req *r, plan_req *p)
{
	json_t *versions = NULL, *entries = json_array();
	jup_err err;
	char base[320];
	jup_status st = jup_care_plan_history(w->st, &r->dec, p->plan_id, &versions, &err);
	if (st) {
		json_decref(entries);
		http_reply_error(r, st, &err);
		return;
	}
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v) {
		json_t *cp = as_fhir(r, v), *e = NULL;
		if (!cp || jup_fhir_entry(base, cp, "match", &e, &err)) {
			json_decref(versions);
			json_decref(entries);
			if (cp)
				http_reply_error(r, JUP_ERR_NOMEM, NULL);
			return;
		}
		json_array_append_new(entries, e);
	}
	json_decref(versions);
	/* every version at once: one link, to this history (which takes no paging) */
	char self[512];
	json_t *b = NULL;
	snprintf(self, sizeof self, "%s/CarePlan/cp-%s/_history", base, p->plan_id);
	json_t *links = json_pack("[{s:s, s:s}]", "relation", "self", "url", self);
	if (!links)
		json_decref(entries);
	if (!links ||
	    jup_fhir_bundle_searchset(entries, (int64_t)json_array_size(entries), links, &b, &err)) {
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
		return;
	}
	json_object_set_new(b, "type", json_string("history"));
	http_reply_json(r, 200, b);
}

static void read_decided(http_worker *w, http_req *r)
{
	plan_req *p = r->scratch;
	json_t *plan = NULL;
	jup_err err;
	if (!http_fhir_permitted(r))
		return;
	if (p->op == PLAN_HISTORY) {
		history_reply(w, r, p);
		return;
	}
	jup_status st = jup_care_plan_read(w->st, &r->dec, p->plan_id,
					   p->op == PLAN_VREAD ? p->version : 0, &plan, &err);
	if (st)
		http_reply_error(r, st, &err);
	else
		reply_version(r, plan, 200);
}

/* The plan's person, then the gate. */
static void gate_plan(http_worker *w, http_req *r, plan_req *p, jup_gate_action a,
		      http_step_fn next)
{
	int64_t person;
	jup_err err;
	char pid[24];
	jup_status st = jup_care_plan_person(w->st, p->plan_id, &person, &err);
	if (st == JUP_ERR_NOT_FOUND) {
		http_reply_outcome(r, 404, "not-found", "There is no care plan with this id.");
		return;
	}
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	snprintf(pid, sizeof pid, "%lld", (long long)person);
	http_fhir_gate_person(w, r, pid, a, next);
}

static void start_read(http_worker *w, http_req *r, int op)
{
	plan_req *p = plan_new(r);
	if (!p)
		return;
	p->op = op;
	if (r->nparams) {
		http_reply_outcome(r, 400, "not-supported", "A read takes no parameters.");
		return;
	}
	if (!plan_id_of(r->ids[0], p->plan_id)) {
		http_reply_outcome(r, 404, "not-found", "There is no care plan with this id.");
		return;
	}
	if (op == PLAN_VREAD && !http_fhir_person_id(r->ids[1], &p->version)) {
		http_reply_outcome(r, 404, "not-found", "There is no such version.");
		return;
	}
	gate_plan(w, r, p, JUP_GATE_READ_RECORD, read_decided);
}

void http_h_careplan_read(http_worker *w, http_req *r)
{
	start_read(w, r, PLAN_READ);
}

void http_h_careplan_vread(http_worker *w, http_req *r)
{
	start_read(w, r, PLAN_VREAD);
}

void http_h_careplan_history(http_worker *w, http_req *r)
{
	start_read(w, r, PLAN_HISTORY);
}

/* Search: the latest version of each plan in the person's record. */
static void search_decided(http_worker *w, http_req *r)
{
	json_t *rec = NULL, *entries = json_array();
	jup_err err;
	char base[320];
	int count, offset;
	if (!http_fhir_permitted(r) || !http_param_page(r, &count, &offset)) {
		json_decref(entries);
		return;
	}
	jup_status st = jup_care_record(w->st, &r->dec, &rec, &err);
	if (st) {
		json_decref(entries);
		http_reply_error(r, st, &err);
		return;
	}
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	json_t *plans = json_object_get(rec, "care_plans");
	int total = (int)json_array_size(plans);
	for (int i = offset; i < total && i < offset + count; i++) {
		json_t *cp = as_fhir(r, json_array_get(plans, (size_t)i)), *e = NULL;
		if (!cp || jup_fhir_entry(base, cp, "match", &e, &err)) {
			json_decref(rec);
			json_decref(entries);
			if (cp)
				http_reply_error(r, JUP_ERR_NOMEM, NULL);
			return;
		}
		json_array_append_new(entries, e);
	}
	json_decref(rec);
	json_t *b = http_fhir_searchset(r, "CarePlan", entries, total, count, offset);
	if (b)
		http_reply_json(r, 200, b);
	else
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
}

void http_h_careplan_search(http_worker *w, http_req *r)
{
	static const char *const allowed[] = { "patient", "_count", "_offset", NULL };
	if (http_fhir_only_params(r, allowed))
		http_fhir_gate_subject(w, r, search_decided);
}

/* --- writes --- */

static void write_decided(http_worker *w, http_req *r)
{
	plan_req *p = r->scratch;
	json_t *out = NULL;
	jup_err err;
	if (!http_fhir_permitted(r))
		return; /* r is answered: not to be touched (cleanup frees the plan) */
	jup_status st = jup_care_plan_write(w->st, &r->dec, &r->grant.user,
					    p->plan_id[0] ? p->plan_id : NULL, p->version, p->plan,
					    &out, &err);
	bool created = !p->plan_id[0];
	plan_free(r);
	if (st == JUP_ERR_EXISTS) {
		http_reply_outcome(r, 412, "conflict",
				   "The care plan has changed since the version in If-Match: read it "
				   "again.");
		return;
	}
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	reply_version(r, out, created ? 201 : 200);
}

/* If-Match: W/"N" or "N". */
static bool read_if_match(const http_req *r, int64_t *version)
{
	const char *v = r->if_match;
	char num[24];
	if (strncmp(v, "W/", 2) == 0)
		v += 2;
	size_t n = strlen(v);
	if (n < 3 || v[0] != '"' || v[n - 1] != '"' || n - 2 >= sizeof num)
		return false;
	memcpy(num, v + 1, n - 2);
	num[n - 2] = '\0';
	return http_fhir_person_id(num, version);
}

static void start_write(http_worker *w, http_req *r, bool update)
{
	plan_req *p = plan_new(r);
	char subject[JUP_FHIR_ID_MAX + 1];
	jup_err err;
	if (!p)
		return;
	p->op = PLAN_WRITE;
	if (!r->json_body) {
		http_reply_outcome(r, 415, "not-supported", "Send a CarePlan as application/fhir+json.");
		return;
	}
	if (update && !plan_id_of(r->ids[0], p->plan_id)) {
		http_reply_outcome(r, 404, "not-found", "There is no care plan with this id.");
		return;
	}
	if (update && !r->if_match[0]) {
		http_reply_outcome(r, 428, "required",
				   "Send If-Match: W/\"version\" with the version you read, so no "
				   "change is lost.");
		return;
	}
	if (update && !read_if_match(r, &p->version)) {
		http_reply_outcome(r, 400, "invalid", "If-Match: expected W/\"version\".");
		return;
	}
	jup_status st = jup_fhir_careplan_parse(r->body.data ? r->body.data : "", r->body.len,
						&p->plan, subject, &err);
	if (!st)
		st = jup_care_plan_validate(p->plan, &err);
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	http_fhir_gate_person(w, r, subject, JUP_GATE_WRITE_CARE_PLAN, write_decided);
}

void http_h_careplan_create(http_worker *w, http_req *r)
{
	start_write(w, r, false);
}

void http_h_careplan_update(http_worker *w, http_req *r)
{
	start_write(w, r, true);
}
