/*
 * http_fhir_common.c - what the FHIR handlers share: deciding about people
 * through the purpose gate (one or many at once), refusing with the gate's
 * reason, searchset Bundles with paging links, ETags, JSON bodies.
 */
#include "http/http_fhir.h"

#include "core/jup_hex.h"
#include "fhir/jup_fhir.h"
#include "person/jup_person.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

jup_consent_purpose http_fhir_purpose(const http_req *r)
{
	return r->grant.purpose == JUP_AUTH_NO_PURPOSE ? JUP_CONSENT_DIRECT_CARE : r->grant.purpose;
}

/* A gate request for nhs by the token's actor. */
static void fill_request(const http_req *r, jup_gate_request *rq, const char *nhs,
			 jup_gate_action action)
{
	*rq = (jup_gate_request){
		.actor = &r->grant.user,
		.org_code = r->grant.org_code[0] ? r->grant.org_code : NULL,
		.purpose = http_fhir_purpose(r),
		.action = action,
		.nhs_number = nhs,
		.break_glass = r->grant.break_glass[0] ? r->grant.break_glass : NULL,
		.request_id = r->rid,
	};
}

bool http_fhir_person_id(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

void http_fhir_gate_nhs(http_req *r, const char *nhs, jup_gate_action action, http_step_fn next)
{
	if (nhs != r->nhs)
		snprintf(r->nhs, sizeof r->nhs, "%s", nhs);
	fill_request(r, &r->grq, r->nhs, action);
	http_gate_submit(r, next);
}

void http_fhir_gate_person(http_worker *w, http_req *r, const char *id, jup_gate_action action,
			   http_step_fn next)
{
	int64_t pid, survivor;
	jup_err err;
	if (!http_fhir_person_id(id, &pid)) {
		http_reply_outcome(r, 404, "not-found", "There is no patient with this id.");
		return;
	}
	jup_status st = jup_person_nhs(w->st, pid, r->nhs, &survivor, &err);
	if (st == JUP_ERR_NOT_FOUND) {
		http_reply_outcome(r, 404, "not-found", "There is no patient with this id.");
		return;
	}
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	r->person_id = survivor;
	http_fhir_gate_nhs(r, r->nhs, action, next);
}

bool http_fhir_permitted(http_req *r)
{
	if (r->gate_status) {
		jup_err err;
		snprintf(err.msg, sizeof err.msg, "%s", r->gate_err);
		http_reply_error(r, r->gate_status, &err);
		return false;
	}
	if (!r->dec.permit) {
		http_reply_outcome(r, 403, "forbidden", r->dec.reason);
		return false;
	}
	return true;
}

static void many_done(void *ctx, jup_status st, const jup_err *err)
{
	(void)err;
	struct http_many_cb *cb = ctx;
	http_many *m = cb->r->scratch;
	m->st[cb->i] = st;
	if (atomic_fetch_sub(&m->left, 1) == 1)
		http_defer(cb->r, m->next, false);
}

void http_fhir_gate_many(http_worker *w, http_req *r, http_many *m, jup_gate_action action,
			 http_step_fn next)
{
	jup_err err;
	int k = 0;
	for (int i = 0; i < m->n; i++) { /* keep those with an NHS number, survivors once */
		int64_t survivor;
		if (jup_person_nhs(w->st, m->ids[i], m->nhs[k], &survivor, &err))
			continue;
		bool seen = false;
		for (int j = 0; j < k; j++)
			seen |= m->ids[j] == survivor;
		if (seen)
			continue;
		m->ids[k] = survivor;
		m->score[k] = m->score[i];
		m->grade[k] = m->grade[i];
		k++;
	}
	m->n = k;
	m->next = next;
	if (k == 0) {
		next(w, r);
		return;
	}
	atomic_store(&m->left, k);
	for (int i = 0; i < k; i++) {
		bool closed;
		fill_request(r, &m->rq[i], m->nhs[i], action);
		m->cb[i] = (struct http_many_cb){ r, i };
		/* once submitted, m belongs to the callbacks: the last may answer r */
		jup_status st = http_gate_raw(r->srv, &m->rq[i], &m->dec[i], many_done, &m->cb[i],
					      &closed, &err);
		if (closed || st) { /* not submitted: done, failed */
			m->st[i] = closed ? JUP_ERR_IO : st;
			if (atomic_fetch_sub(&m->left, 1) == 1)
				http_defer(r, next, false);
		}
	}
}

/* Append key=value, percent-encoded, to b ('&' first unless b is empty). */
static jup_status append_param(jup_buf *b, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	jup_status st = b->len ? jup_buf_append_char(b, '&') : JUP_OK;
	const char *parts[2] = { key, value };
	for (int p = 0; p < 2 && !st; p++) {
		if (p == 1)
			st = jup_buf_append_char(b, '=');
		for (const unsigned char *c = (const unsigned char *)parts[p]; *c && !st; c++) {
			bool plain = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
				     (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
				     *c == '.' || *c == '~';
			if (plain)
				st = jup_buf_append_char(b, (char)*c);
			else if (!(st = jup_buf_append_char(b, '%')) &&
				 !(st = jup_buf_append_char(b, hex[*c >> 4])))
				st = jup_buf_append_char(b, hex[*c & 15]);
		}
	}
	return st;
}

json_t *http_fhir_searchset(const http_req *r, const char *path, json_t *entries, int total,
			    int count, int offset)
{
	char base[320];
	jup_buf q;
	jup_err err;
	json_t *links = NULL, *bundle = NULL;
	jup_buf_init(&q, 16384);
	jup_status st = JUP_OK;
	for (int i = 0; i < r->nparams && !st; i++)
		if (strcmp(r->params[i].key, "_offset") && strcmp(r->params[i].key, "_count"))
			st = append_param(&q, r->params[i].key, r->params[i].value);
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	bool pageable = r->method != HTTP_POST; /* a POST search has no GET links */
	jup_fhir_page p = { base, path, q.len ? q.data : NULL, count ? count : 1, offset, total,
			    false };
	if (!st && pageable)
		st = jup_fhir_page_links(&p, &links, &err);
	jup_buf_free(&q);
	if (jup_fhir_bundle_searchset(entries, total, st ? NULL : links, &bundle, &err))
		return NULL;
	return bundle;
}

bool http_fhir_etag(http_req *r, const json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	uint8_t h[8];
	char hex[17];
	if (!text) {
		r->etag[0] = '\0';
		return false;
	}
	crypto_generichash(h, sizeof h, (const uint8_t *)text, strlen(text), NULL, 0);
	free(text);
	jup_hex_encode(h, sizeof h, hex);
	hex[16] = '\0';
	snprintf(r->etag, sizeof r->etag, "W/\"%s\"", hex);
	return r->if_none_match[0] && strstr(r->if_none_match, r->etag) != NULL;
}

json_t *http_fhir_body(http_req *r)
{
	jup_err err;
	json_t *j = NULL;
	if (!r->json_body) {
		http_reply_outcome(r, 415, "not-supported",
				   "Send the resource as application/fhir+json.");
		return NULL;
	}
	jup_status st = jup_fhir_json_parse(r->body.data ? r->body.data : "", r->body.len, &j,
					    &err);
	if (st) {
		http_reply_outcome(r, 400, st == JUP_ERR_LIMIT ? "too-costly" : "structure",
				   err.msg);
		return NULL;
	}
	return j;
}

bool http_fhir_only_params(http_req *r, const char *const *allowed)
{
	for (int i = 0; i < r->nparams; i++) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(r->params[i].key, *a) == 0;
		if (!ok) {
			char msg[160];
			snprintf(msg, sizeof msg, "%.64s: this search parameter is not supported",
				 r->params[i].key);
			http_reply_outcome(r, 400, "not-supported", msg);
			return false;
		}
	}
	return true;
}
