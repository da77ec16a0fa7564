/*
 * http_fhir_patient.c - Patient: read, search, $everything and $match.
 *
 * The Patient id is the master person index's person id (the survivor of
 * any merge). Every person a response could show is first decided about
 * by the purpose gate for the token's actor and purpose, each decision
 * audited; a search shows only those the gate permits.
 */
#include "http/http_fhir.h"

#include "care/jup_care.h"
#include "fhir/jup_fhir.h"
#include "ingest/jup_ingest_valid.h"
#include "link/jup_link_db.h"
#include "person/jup_person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHS_SYSTEM "https://fhir.nhs.uk/Id/nhs-number"

/* The joined-up record the decision allows; NULL with an error sent. */
static json_t *record_for(http_worker *w, http_req *r, const jup_gate_decision *d)
{
	json_t *rec = NULL;
	jup_err err;
	jup_status st = jup_care_record(w->st, d, &rec, &err);
	if (st) {
		http_reply_error(r, st, &err);
		return NULL;
	}
	return rec;
}

static void id_text(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

/* Reply body j (stolen) with an ETag, or 304 when the client has it. */
static void reply_read(http_req *r, json_t *j)
{
	if (!j) {
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
		return;
	}
	if (http_fhir_etag(r, j)) {
		json_decref(j);
		http_reply_empty(r, 304);
		return;
	}
	http_reply_json(r, 200, j);
}

static void patient_read_decided(http_worker *w, http_req *r)
{
	char id[24];
	if (!http_fhir_permitted(r))
		return;
	json_t *rec = record_for(w, r, &r->dec);
	if (!rec)
		return;
	id_text(r->person_id, id);
	json_t *p = NULL;
	jup_err err;
	jup_status st = jup_fhir_patient(rec, id, &p, &err);
	json_decref(rec);
	if (st)
		http_reply_error(r, st, &err);
	else
		reply_read(r, p);
}

void http_h_patient_read(http_worker *w, http_req *r)
{
	if (r->nparams) {
		http_reply_outcome(r, 400, "not-supported", "A read takes no parameters.");
		return;
	}
	http_fhir_gate_person(w, r, r->ids[0], JUP_GATE_READ_RECORD, patient_read_decided);
}

static void everything_decided(http_worker *w, http_req *r)
{
	char id[24];
	if (!http_fhir_permitted(r))
		return;
	json_t *rec = record_for(w, r, &r->dec);
	if (!rec)
		return;
	id_text(r->person_id, id);
	char base[320];
	json_t *b = NULL;
	jup_err err;
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	jup_status st = jup_fhir_everything(rec, id, base, &b, &err);
	json_decref(rec);
	if (st)
		http_reply_error(r, st, &err);
	else
		reply_read(r, b);
}

void http_h_patient_everything(http_worker *w, http_req *r)
{
	if (r->nparams) {
		http_reply_outcome(r, 400, "not-supported",
				   "$everything takes no parameters here: the whole record is sent.");
		return;
	}
	http_fhir_gate_person(w, r, r->ids[0], JUP_GATE_READ_RECORD, everything_decided);
}

/* --- search --- */

/* The search's paging, kept between the decisions and the answer. */
typedef struct search_page {
	http_many m;
	int count, offset;
	bool summary_count;
	const char *path;
} search_page;

/* The Bundle entry of decided candidate i into *entry (NULL: not shown). */
static jup_status candidate_entry(http_worker *w, http_req *r, http_many *m, int i, bool match,
				  json_t **entry, jup_err *err)
{
	char id[24], base[320];
	json_t *rec = NULL, *p = NULL;
	*entry = NULL;
	if (m->st[i] || !m->dec[i].permit)
		return JUP_OK;
	jup_status st = jup_care_record(w->st, &m->dec[i], &rec, err);
	if (st)
		return st;
	id_text(m->ids[i], id);
	st = jup_fhir_patient(rec, id, &p, err);
	json_decref(rec);
	snprintf(base, sizeof base, "%s/fhir", r->srv->url);
	if (st || (st = jup_fhir_entry(base, p, "match", entry, err)))
		return st;
	if (!match)
		return JUP_OK;
	json_t *search = json_object_get(*entry, "search");
	json_object_set_new(search, "score", json_real(m->score[i]));
	json_object_set_new(search, "extension",
			    json_pack("[{s:s, s:s}]", "url",
				      "http://hl7.org/fhir/StructureDefinition/match-grade",
				      "valueCode", m->grade[i]));
	return JUP_OK;
}

/* A candidate's decision failed for a reason of its own (a bad request
 * about them is still logged); anything else fails the search. */
static bool candidate_failed(jup_status st)
{
	return st && st != JUP_ERR_INVALID && st != JUP_ERR_LIMIT;
}

static void search_decided(http_worker *w, http_req *r, bool match)
{
	search_page *sp = r->scratch;
	http_many *m = &sp->m;
	json_t *all = json_array();
	jup_err err = { "" };
	jup_status st = JUP_OK;
	for (int i = 0; i < m->n && !st; i++) {
		json_t *e = NULL;
		st = candidate_failed(m->st[i]) ? m->st[i]
						: candidate_entry(w, r, m, i, match, &e, &err);
		if (e)
			json_array_append_new(all, e);
	}
	if (st) {
		json_decref(all);
		http_reply_error(r, st, &err);
		return;
	}
	int total = (int)json_array_size(all);
	json_t *page = json_array();
	for (int i = sp->offset; !sp->summary_count && i < total && i < sp->offset + sp->count; i++)
		json_array_append(page, json_array_get(all, (size_t)i));
	json_decref(all);
	json_t *b = http_fhir_searchset(r, sp->path, page, total, sp->count, sp->offset);
	if (b)
		http_reply_json(r, 200, b);
	else
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
}

static void patient_search_decided(http_worker *w, http_req *r)
{
	search_decided(w, r, false);
}

static void match_decided(http_worker *w, http_req *r)
{
	search_decided(w, r, true);
}

/* identifier=[system|]value: an NHS number. */
static bool read_identifier(http_req *r, const char *v, char nhs[11])
{
	const char *bar = strchr(v, '|');
	jup_err err;
	if (bar && !((size_t)(bar - v) == strlen(NHS_SYSTEM) &&
		     strncmp(v, NHS_SYSTEM, strlen(NHS_SYSTEM)) == 0)) {
		http_reply_outcome(r, 400, "not-supported",
				   "identifier: only the NHS number system (" NHS_SYSTEM
				   ") is searched.");
		return false;
	}
	const char *num = bar ? bar + 1 : v;
	if (jup_ingest_nhs_number(jup_sv_from(num), nhs, &err)) {
		http_reply_outcome(r, 400, "value", "identifier: not a valid NHS number.");
		return false;
	}
	return true;
}

/* The search's criteria from the parameters; false with a 400 sent. */
static bool read_criteria(http_req *r, jup_person_query *q, char nhs[11], bool *summary)
{
	static const char *const allowed[] = { "identifier", "family", "given", "name",
					       "birthdate", "_count", "_offset", "_summary", NULL };
	if (!http_fhir_only_params(r, allowed))
		return false;
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].key, "_count") && strcmp(r->params[i].key, "_offset") &&
		    http_param_count(r, r->params[i].key) > 1) {
			http_reply_outcome(r, 400, "not-supported",
					   "Each search parameter may be given once.");
			return false;
		}
	const char *id = http_param(r, "identifier"), *sum = http_param(r, "_summary");
	if (sum && strcmp(sum, "count") != 0) {
		http_reply_outcome(r, 400, "not-supported", "_summary: only \"count\" is supported.");
		return false;
	}
	*summary = sum != NULL;
	memset(q, 0, sizeof *q);
	if (id && !read_identifier(r, id, nhs))
		return false;
	q->nhs_number = jup_sv_from(id ? nhs : NULL);
	q->family = jup_sv_from(http_param(r, "family") ? http_param(r, "family")
							: http_param(r, "name"));
	q->given = jup_sv_from(http_param(r, "given"));
	q->birthdate = jup_sv_from(http_param(r, "birthdate"));
	return true;
}

void http_h_patient_search(http_worker *w, http_req *r)
{
	search_page *sp = calloc(1, sizeof *sp);
	jup_person_query q;
	char nhs[11];
	jup_err err;
	size_t n = 0;
	if (!sp) {
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
		return;
	}
	r->scratch = sp;
	sp->path = "Patient";
	if (!http_param_page(r, &sp->count, &sp->offset) ||
	    !read_criteria(r, &q, nhs, &sp->summary_count))
		return;
	jup_status st = jup_person_search(w->st, &q, sp->m.ids, JUP_HTTP_MAX_CANDIDATES, &n, &err);
	if (st == JUP_ERR_LIMIT) {
		http_reply_outcome(r, 400, "too-costly",
				   "More than " JUP_STR(JUP_HTTP_MAX_CANDIDATES) " people match: "
				   "add a birth date or a given name.");
		return;
	}
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	sp->m.n = (int)n;
	http_fhir_gate_many(w, r, &sp->m, JUP_GATE_READ_RECORD, patient_search_decided);
}

void http_h_patient_match(http_worker *w, http_req *r)
{
	search_page *sp = calloc(1, sizeof *sp);
	jup_link_match_query q;
	jup_link_match found[JUP_HTTP_MAX_CANDIDATES];
	jup_err err;
	size_t n = 0, max;
	bool certain;
	if (!sp) {
		http_reply_error(r, JUP_ERR_NOMEM, NULL);
		return;
	}
	r->scratch = sp;
	sp->path = "Patient/$match";
	json_t *body = http_fhir_body(r);
	if (!body)
		return;
	jup_status st = jup_fhir_match_parse(body, &q, &max, &certain, &err);
	if (!st)
		st = jup_link_db_match(w->st, &q, max, found, &n, &err);
	json_decref(body);
	if (st) {
		http_reply_error(r, st, &err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (certain && found[i].grade != JUP_LINK_GRADE_CERTAIN)
			continue;
		sp->m.ids[sp->m.n] = found[i].person_id;
		sp->m.score[sp->m.n] = found[i].probability;
		sp->m.grade[sp->m.n] = jup_link_grade_name(found[i].grade);
		sp->m.n++;
	}
	sp->count = (int)max;
	http_fhir_gate_many(w, r, &sp->m, JUP_GATE_READ_RECORD, match_decided);
}
