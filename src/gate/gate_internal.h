/*
 * gate_internal.h - what the files of src/gate/ share: the facts a decision
 * reads about a person (gate_facts), where they come from (read from the
 * store for one decision, or kept in a gate_index by a group), and
 * decisions made and written in batches (one for jup_gate_decide, many
 * for group commit). Private to the module.
 */
#ifndef GATE_INTERNAL_H
#define GATE_INTERNAL_H

#include "core/jup_date.h"
#include "gate/jup_gate.h"
#include "person/jup_person.h"

#define GATE_DATE_EARLY INT32_MIN /* a date missing or unreadable where a start is read */
#define GATE_DATE_LATE  INT32_MAX /* an end that has not come */

/* A hospital record of the person: its trust, an admission not yet
 * discharged, and the latest discharge or A&E arrival (GATE_DATE_EARLY:
 * none). */
typedef struct gate_episode {
	int64_t org_id;
	bool open;
	jup_date last;
} gate_episode;

/* An allocation to a team of an organisation, from..to inclusive. */
typedef struct gate_team {
	int64_t org_id;
	jup_date from, to;
} gate_team;

/* Everything a decision reads about the holder of one NHS number. One
 * allocation (gate_facts_free); references and dates only. */
typedef struct gate_facts {
	jup_status found; /* JUP_OK; JUP_ERR_NOT_FOUND: no linked record; JUP_ERR_LIMIT */
	int nids;
	int64_t ids[JUP_PERSON_MAX_IDS]; /* ascending */
	int64_t gp_org;                  /* the latest GP register record's practice; 0: none */
	bool eol_plan;                   /* an end-of-life plan is recorded */
	size_t nep, nteam;
	gate_episode *ep; /* one per hospital record */
	gate_team *team;  /* every care team allocation */
	jup_consent_facts consent;
} gate_facts;

/* gate_facts_load: read the facts about the holder of canonical NHS number
 * nhs from st into a new *out (found says whether anyone holds it).
 * JUP_ERR_NOMEM; store errors. */
jup_status gate_facts_load(jup_store *st, const char *nhs, gate_facts **out,
			   jup_err *err) JUP_MUST_CHECK;

void gate_facts_free(gate_facts *f);

/* gate_facts_relation: whether f shows relationship basis (REGISTERED,
 * HOSPITAL_EPISODE, CARE_TEAM or EOL_REGISTER; jup_gate.h rule 3) with
 * organisation org_id on day today. */
bool gate_facts_relation(const gate_facts *f, jup_gate_basis basis, int64_t org_id, jup_date today);

/*
 * gate_index: the facts of the people decided about recently, and the
 * default consent policy rows, kept between decisions by one group (one
 * thread uses it at a time). gate_index_refresh, called at the start of
 * every batch inside its transaction, compares the store's table versions
 * with those the index was filled under: a change to any table the facts
 * come from drops every person (imports and linkage are bulk jobs); new
 * consent decisions drop just the people they are about; a policy change
 * drops the policies. So a decision never reads facts older than the last
 * commit before its batch began.
 */
typedef struct gate_index gate_index;

jup_status gate_index_new(gate_index **out, jup_err *err) JUP_MUST_CHECK;
void gate_index_free(gate_index *ix);
jup_status gate_index_refresh(gate_index *ix, jup_store *st, jup_err *err) JUP_MUST_CHECK;

/* gate_index_counts: people held, and loads (misses) since it was made. */
void gate_index_counts(const gate_index *ix, size_t *people, uint64_t *loads);

/* Where a decision's facts come from: the index when there is one (then
 * kept there), else read from st for this decision alone. */
typedef struct gate_source {
	jup_store *st;
	gate_index *ix;  /* NULL: no index */
	gate_facts *own; /* facts read for this decision (freed by gate_source_done) */
} gate_source;

/* gate_source_facts: the facts for canonical nhs (valid until the source's
 * next call or gate_source_done). Errors as gate_facts_load. */
jup_status gate_source_facts(gate_source *src, const char *nhs, const gate_facts **out,
			     jup_err *err) JUP_MUST_CHECK;

/* gate_source_policy: the purpose's default consent policy row. Errors as
 * jup_consent_policy_find. */
jup_status gate_source_policy(gate_source *src, jup_consent_purpose purpose,
			      jup_consent_policy *out, jup_err *err) JUP_MUST_CHECK;

void gate_source_done(gate_source *src);

/* One decision of a batch: the request, where its decision goes, and how
 * it ended (as jup_gate_decide returns). */
typedef struct gate_job {
	const jup_gate_request *rq;
	jup_gate_decision *out;
	jup_status status;
	jup_err err;
	struct gate_job *next; /* the next job of the batch, or NULL */
} gate_job;

/*
 * gate_decide_batch: decide every job of the list in one transaction of
 * st, reading facts through ix (NULL: from st for each decision), append
 * each decision's audit entry (and any break-glass grant), and commit once.
 * Each job gets its status: a malformed request (JUP_ERR_USAGE) fails
 * alone with nothing written for it; an invalid one (JUP_ERR_INVALID) is
 * logged as a denial; a failure to read, write or commit fails every other
 * job (nothing written, none permitted).
 */
void gate_decide_batch(jup_store *st, gate_index *ix, gate_job *jobs);

/* gate_fail_jobs: fail every job of the list that has not failed on its
 * own (status OK, or INVALID: a denial to log) with s and err, permitting
 * and logging nothing: for a batch whose transaction was rolled back or
 * whose commit could not be made durable. */
void gate_fail_jobs(gate_job *jobs, jup_status s, const jup_err *err);

#endif
