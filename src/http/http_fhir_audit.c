/*
 * http_fhir_audit.c - GET /fhir/AuditEvent?patient=ID: who has seen a
 * person's record. A citizen sees their own access history; the
 * information governance officer anyone's; nobody else. Looking is itself
 * recorded ("audit.read", permit or deny) before anything is read, so the
 * citizen sees who looked at their log too. Newest first, paged.
 */
#include "http/http_fhir.h"

#include "fhir/jup_fhir.h"
#include "person/jup_person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Record the look (or the refusal) in its own transaction. */
static jup_status log_look(http_worker *w, http_req *r, int64_t person, bool permit,
			   const char *reason, jup_err *err)
{
	bool ig = r->grant.user.role == JUP_ROLE_IG_OFFICER;
	jup_audit_entry e = {
		.actor = r->grant.user.username,
		.role = jup_role_name(r->grant.user.role),
		.org_code = r->grant.org_code[0] ? r->grant.org_code : NULL,
		.purpose = ig ? "governance" : "transparency",
		.person_id = person,
		.action = "audit.read",
		.what = "audit_history",
		.outcome = permit ? "permit" : "deny",
		.reason = reason,
		.request_id = r->rid,
	};
	jup_status st = jup_store_begin(w->st, err);
	if (st)
		return st;
	if ((st = jup_audit_append(w->st, &e, NULL, err)) || (st = jup_store_commit(w->st, err))) {
		jup_store_abandon(w->st);
		return st;
	}
	return JUP_OK;
}

typedef struct collect {
	json_t *events; /* oldest first */
	const char *pid;
	jup_status st;
	jup_err err;
} collect;

static jup_status add_event(void *ctx, const jup_audit_record *rec, jup_err *err)
{
	collect *c = ctx;
	json_t *ev = NULL;
	jup_status st = jup_fhir_audit_event(rec, c->pid, &ev, err);
	if (st)
		return st;
	json_array_append_new(c->events, ev);
	return JUP_OK;
}

/* Whose history: the patient parameter or the citizen's own number. false
 * with a reply sent (the refusal logged) when it may not be read. */
static bool subject(http_worker *w, http_req *r, char nhs[11], int64_t *person)
{
	const char *pid = http_param(r, "patient");
	bool citizen = r->grant.user.role == JUP_ROLE_CITIZEN;
	bool ig = r->grant.user.role == JUP_ROLE_IG_OFFICER;
	jup_err err;
	int64_t id = 0;
	*person = 0;
	if (pid && strncmp(pid, "Patient/", 8) == 0)
		pid += 8;
	if (!pid && !citizen) {
		http_reply_outcome(r, 400, "required", "patient: say whose access history to show.");
		return false;
	}
	jup_status st = JUP_OK;
	if (pid) {
		st = http_fhir_person_id(pid, &id) ? jup_person_nhs(w->st, id, nhs, person, &err)
						   : JUP_ERR_NOT_FOUND;
	} else {
		int64_t *ids = NULL;
		size_t n = 0;
		snprintf(nhs, 11, "%s", r->grant.user.nhs_number);
		st = jup_person_ids(w->st, nhs, &ids, &n, &err);
		*person = st == JUP_OK && n ? ids[0] : 0;
		free(ids);
		if (st == JUP_ERR_NOT_FOUND)
			st = JUP_OK; /* not linked yet: an empty history */
	}
	if (st && st != JUP_ERR_NOT_FOUND) {
		http_reply_error(r, st, &err);
		return false;
	}
	bool own = citizen && st == JUP_OK && strcmp(nhs, r->grant.user.nhs_number) == 0;
	if (ig ? st == JUP_OK : own)
		return true;
	const char *why = citizen ? "You can read only your own access history."
				  : "Only the person themselves and information governance read "
				    "access histories.";
	if ((st = log_look(w, r, *person, false, why, &err)))
		http_reply_error(r, st, &err);
	else
		http_reply_outcome(r, st == JUP_OK && ig ? 404 : 403, ig ? "not-found" : "forbidden",
				   ig ? "There is no patient with this id." : why);
	return false;
}

void http_h_audit_search(http_worker *w, http_req *r)
{
	static const char *const allowed[] = { "patient", "_count", "_offset", NULL };
	char nhs[11], pid[24];
	int64_t person;
	int count, offset;
	jup_err err;
	if (!http_fhir_only_params(r, allowed) || !http_param_page(r, &count, &offset) ||
	    !subject(w, r, nhs, &person))
		return;
	jup_status st = log_look(w, r, person, true, NULL, &err);
	collect c = { .events = json_array() };
	if (person)
		snprintf(pid, sizeof pid, "%lld", (long long)person);
	c.pid = person ? pid : NULL;
	if (!st)
		st = jup_audit_history(w->st, nhs, add_event, &c, NULL, &err);
	if (st == JUP_ERR_NOT_FOUND)
		st = JUP_OK; /* nobody holds the number: nothing logged about them */
	if (st) {
		json_decref(c.events);
		http_reply_error(r, st, &err);
		return;
	}
	int total = (int)json_array_size(c.events);
	json_t *page = json_array();
	char base[320];
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	for (int i = total - 1 - offset, k = 0; i >= 0 && k < count; i--, k++) {
		json_t *e = NULL;
		if (!jup_fhir_entry(base, json_incref(json_array_get(c.events, (size_t)i)), "match",
				    &e, &err))
			json_array_append_new(page, e);
	}
	json_decref(c.events);
	json_t *b = http_fhir_searchset(r, "AuditEvent", page, total, count, offset);
	if (b)
		http_reply_json(r, 200, b);
	else
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
}
