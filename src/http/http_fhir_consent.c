/*
 * http_fhir_consent.c - Consent: a person's sharing choices, one Consent
 * per purpose, showing their own choice and what actually applies (with
 * the reasons); a citizen changes their own (POST), staff with a care
 * relationship read them. Reads go through the purpose gate like any read
 * of the record; a change is recorded by jup_consent_set with its audit
 * entry.
 */
#include "http/http_fhir.h"

#include "fhir/jup_fhir.h"
#include "person/jup_person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One purpose's Consent for the person holding r->nhs; NULL with a reply. */
static json_t *consent_for(http_worker *w, http_req *r, const jup_consent_facts *f,
			   jup_consent_purpose p, const char *pid)
{
	jup_consent_policy pol;
	jup_consent_decision d;
	jup_err err;
	json_t *c = NULL;
	jup_status st = jup_consent_policy_find(w->st, p, NULL, &pol, &err);
	if (st == JUP_OK)
		jup_consent_decide_facts(&pol, f, &d);
	jup_fhir_consent_in in = {
		.patient_id = pid,
		.nhs_number = NULL,
		.purpose = p,
		.decision = &d,
		.choice = f->citizen[p],
		.choice_specific = f->citizen_specific[p],
		.opt_in = st == JUP_OK && pol.specific_consent,
	};
	if (st || (st = jup_fhir_consent(&in, &c, &err))) {
		http_reply_error(r, st, &err);
		return NULL;
	}
	return c;
}

/* The person's facts, for every purpose at once. */
static jup_status load_facts(http_worker *w, const char *nhs, jup_consent_facts *f, jup_err *err)
{
	jup_person p = { 0 };
	jup_status st = jup_person_load(w->st, nhs, &p, err);
	if (st == JUP_ERR_NOT_FOUND)
		st = JUP_OK; /* the lists may still name the number */
	if (!st)
		st = jup_consent_facts_load(w->st, nhs, &p, f, err);
	jup_person_free(&p);
	return st;
}

/* Entries for the Consents of the purposes from..to (inclusive). */
static json_t *consent_entries(http_worker *w, http_req *r, int from, int to)
{
	jup_consent_facts f;
	jup_err err;
	char pid[24], base[320];
	jup_status st = load_facts(w, r->nhs, &f, &err);
	if (st) {
		http_reply_error(r, st, &err);
		return NULL;
	}
	snprintf(pid, sizeof pid, "%lld", (long long)r->person_id);
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	json_t *entries = json_array();
	for (int p = from; p <= to; p++) {
		json_t *c = consent_for(w, r, &f, (jup_consent_purpose)p, pid), *e = NULL;
		if (!c || jup_fhir_entry(base, c, "match", &e, &err)) {
			json_decref(entries);
			if (c)
				http_reply_error(r, JUP_ERR_NOMEM, NULL);
			return NULL;
		}
		json_array_append_new(entries, e);
	}
	return entries;
}

static void consent_decided(http_worker *w, http_req *r)
{
	int count, offset;
	if (!http_fhir_permitted(r) || !http_param_page(r, &count, &offset)) /* checked before */
		return;
	if (!r->person_id)
		r->person_id = r->dec.persons[0];
	json_t *entries = consent_entries(w, r, 0, JUP_CONSENT_PURPOSE__COUNT - 1);
	if (!entries)
		return;
	int n = (int)json_array_size(entries);
	json_t *page = json_array();
	for (int i = offset; i < n && i < offset + count; i++)
		json_array_append(page, json_array_get(entries, (size_t)i));
	json_decref(entries);
	json_t *b = http_fhir_searchset(r, "Consent", page, n, count, offset);
	if (b)
		http_reply_json(r, 200, b);
	else
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
}

/* patient=ID or patient=Patient/ID: the id. */
static const char *patient_param(const http_req *r)
{
	const char *p = http_param(r, "patient");
	if (p && strncmp(p, "Patient/", 8) == 0)
		p += 8;
	return p;
}

void http_fhir_gate_subject(http_worker *w, http_req *r, http_step_fn next)
{
	const char *pid = patient_param(r);
	if (http_param_count(r, "patient") > 1) {
		http_reply_outcome(r, 400, "invalid", "patient: give it once.");
		return;
	}
	if (pid) {
		http_fhir_gate_person(w, r, pid, JUP_GATE_READ_RECORD, next);
	} else if (r->grant.user.role == JUP_ROLE_CITIZEN) {
		http_fhir_gate_nhs(r, r->grant.user.nhs_number, JUP_GATE_READ_RECORD, next);
	} else {
		http_reply_outcome(r, 400, "required", "patient: say whose choices to show.");
	}
}

/* Paged like every search, so the Bundle's own links can be followed. */
void http_h_consent_search(http_worker *w, http_req *r)
{
	static const char *const allowed[] = { "patient", "_count", "_offset", NULL };
	int count, offset;
	if (http_fhir_only_params(r, allowed) && http_param_page(r, &count, &offset))
		http_fhir_gate_subject(w, r, consent_decided);
}

/* GET Consent/{id}: one purpose's Consent ("consent-<patient>-<purpose>"). */
static void consent_read_decided(http_worker *w, http_req *r)
{
	const jup_consent_purpose *p = r->scratch;
	if (!http_fhir_permitted(r))
		return;
	json_t *entries = consent_entries(w, r, (int)*p, (int)*p);
	if (!entries)
		return;
	json_t *c = json_incref(json_object_get(json_array_get(entries, 0), "resource"));
	json_decref(entries);
	if (http_fhir_etag(r, c)) {
		json_decref(c);
		http_reply_empty(r, 304);
		return;
	}
	http_reply_json(r, 200, c);
}

void http_h_consent_read(http_worker *w, http_req *r)
{
	jup_fhir_id id;
	jup_err err;
	jup_consent_purpose *p = malloc(sizeof *p);
	if (!p) {
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
		return;
	}
	r->scratch = p;
	if (r->nparams) {
		http_reply_outcome(r, 400, "not-supported", "A read takes no parameters.");
		return;
	}
	if (jup_fhir_id_parse("Consent", r->ids[0], &id, &err)) {
		http_reply_outcome(r, 404, "not-found", "There is no Consent with this id.");
		return;
	}
	*p = id.purpose;
	http_fhir_gate_person(w, r, id.text, JUP_GATE_READ_RECORD, consent_read_decided);
}

/* After the citizen's change: what applies now. */
static void reply_changed(http_worker *w, http_req *r, jup_consent_purpose p)
{
	char loc[400];
	bool every = p == JUP_CONSENT_EVERY_PURPOSE;
	json_t *entries = consent_entries(w, r, every ? 0 : (int)p,
					  every ? JUP_CONSENT_PURPOSE__COUNT - 1 : (int)p);
	if (!entries)
		return;
	if (!every) {
		json_t *c = json_incref(json_object_get(json_array_get(entries, 0), "resource"));
		json_decref(entries);
		snprintf(loc, sizeof loc, "%s/fhir/Consent/%s", r->srv->url,
			 json_string_value(json_object_get(c, "id")));
		snprintf(r->location, sizeof r->location, "%s", loc);
		http_reply_json(r, 201, c);
		return;
	}
	int n = (int)json_array_size(entries);
	json_t *b = http_fhir_searchset(r, "Consent", entries, n, n, 0);
	if (b)
		http_reply_json(r, 200, b);
	else
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
}

void http_h_consent_create(http_worker *w, http_req *r)
{
	jup_fhir_consent_change ch;
	jup_err err;
	char nhs[11], evidence[64];
	int64_t survivor;
	if (r->grant.user.role != JUP_ROLE_CITIZEN) {
		http_reply_outcome(r, 403, "forbidden",
				   "Only the person themselves records their sharing choices here.");
		return;
	}
	if (!r->json_body) {
		http_reply_outcome(r, 415, "not-supported", "Send a Consent as application/fhir+json.");
		return;
	}
	jup_status st = jup_fhir_consent_parse(r->body.data ? r->body.data : "", r->body.len, &ch,
					       &err);
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	int64_t pid = 0;
	st = http_fhir_person_id(ch.patient_id, &pid) ? jup_person_nhs(w->st, pid, nhs, &survivor, &err)
						       : JUP_ERR_NOT_FOUND;
	if (st == JUP_ERR_NOT_FOUND || (!st && strcmp(nhs, r->grant.user.nhs_number) != 0)) {
		http_reply_outcome(r, 403, "forbidden", "You can change only your own choices.");
		return;
	}
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	snprintf(evidence, sizeof evidence, "FHIR API, request %s", r->rid);
	st = jup_consent_set(w->st, nhs, ch.purpose, JUP_CONSENT_SRC_CITIZEN, ch.permit,
			     r->grant.user.username, evidence, NULL, &err);
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	snprintf(r->nhs, sizeof r->nhs, "%s", nhs);
	r->person_id = survivor;
	reply_changed(w, r, ch.purpose);
}
