/*
 * http_fhir.h - the FHIR R4 handlers under /fhir, and what they share:
 * deciding about people through the purpose gate, refusing with the gate's
 * reason, Bundles with paging links.
 */
#ifndef HTTP_FHIR_H
#define HTTP_FHIR_H

#include "http/http_internal.h"

/* http_fhir_purpose: the purpose a token's requests are decided for (a
 * token without one is decided as direct care, which the gate refuses to
 * such roles, with an audit entry). */
jup_consent_purpose http_fhir_purpose(const http_req *r);

/* http_fhir_person_id: a Patient id (decimal, no sign or leading zero). */
bool http_fhir_person_id(const char *s, int64_t *out);

/* http_fhir_gate_person: decide about person id (the survivor of a merge
 * is looked up) for action; then next runs on a worker with r->dec set
 * (404 when there is no such person or they have no NHS number). */
void http_fhir_gate_person(http_worker *w, http_req *r, const char *id, jup_gate_action action,
			   http_step_fn next);

/* http_fhir_gate_nhs: as http_fhir_gate_person, for an NHS number. */
void http_fhir_gate_nhs(http_req *r, const char *nhs, jup_gate_action action, http_step_fn next);

/* http_fhir_gate_subject: decide about the patient parameter's person
 * ("ID" or "Patient/ID") or, without one, a citizen's own record, for
 * reading; then next. 400 for staff without a patient. */
void http_fhir_gate_subject(http_worker *w, http_req *r, http_step_fn next);

/* http_fhir_permitted: after the gate: true when the decision permits;
 * otherwise the refusal (403 with the gate's reason, or the error) is
 * sent and false returned. */
bool http_fhir_permitted(http_req *r);

/* Many decisions at once (searches): candidates' person ids in, one gate
 * decision each, next runs once all are made. */
typedef struct http_many {
	int n;
	_Atomic int left;
	int64_t ids[JUP_HTTP_MAX_CANDIDATES];
	double score[JUP_HTTP_MAX_CANDIDATES];
	const char *grade[JUP_HTTP_MAX_CANDIDATES];
	char nhs[JUP_HTTP_MAX_CANDIDATES][11];
	jup_gate_request rq[JUP_HTTP_MAX_CANDIDATES];
	jup_gate_decision dec[JUP_HTTP_MAX_CANDIDATES];
	jup_status st[JUP_HTTP_MAX_CANDIDATES];
	struct http_many_cb {
		http_req *r;
		int i;
	} cb[JUP_HTTP_MAX_CANDIDATES];
	http_step_fn next;
} http_many;

/* http_fhir_gate_many: decide about every person in m (r->scratch, which
 * r owns) for action; m->ids with no NHS number are dropped. */
void http_fhir_gate_many(http_worker *w, http_req *r, http_many *m, jup_gate_action action,
			 http_step_fn next);

/* http_fhir_searchset: a searchset Bundle of entries (stolen) with total,
 * self/next/previous links for the request's route and parameters. */
json_t *http_fhir_searchset(const http_req *r, const char *path, json_t *entries, int total,
			    int count, int offset);

/* http_fhir_etag: set r->etag from the body about to be sent; true when
 * the client's If-None-Match already has it (reply 304). */
bool http_fhir_etag(http_req *r, const json_t *body);

/* http_fhir_body: the request's JSON body (depth and size checked); NULL
 * with a 400/415 sent. */
json_t *http_fhir_body(http_req *r);

/* http_fhir_only_params: true when every parameter is one of allowed
 * (NULL-terminated); else a 400 naming the first other. */
bool http_fhir_only_params(http_req *r, const char *const *allowed);

/* The handlers. */
void http_h_patient_read(http_worker *w, http_req *r);
void http_h_patient_search(http_worker *w, http_req *r);
void http_h_patient_everything(http_worker *w, http_req *r);
void http_h_patient_match(http_worker *w, http_req *r);
void http_h_consent_search(http_worker *w, http_req *r);
void http_h_consent_create(http_worker *w, http_req *r);
void http_h_consent_read(http_worker *w, http_req *r);
void http_h_audit_search(http_worker *w, http_req *r);
void http_h_careplan_search(http_worker *w, http_req *r);
void http_h_careplan_create(http_worker *w, http_req *r);
void http_h_careplan_read(http_worker *w, http_req *r);
void http_h_careplan_update(http_worker *w, http_req *r);
void http_h_careplan_history(http_worker *w, http_req *r);
void http_h_careplan_vread(http_worker *w, http_req *r);

#endif
