/*
 * jup_link_db.h - the master person index: linking the source records in
 * the store into people (`joinedup link`).
 *
 * A run links every source record not yet linked ("new"):
 *  1. deterministic: a record whose check-valid NHS number is also on a GP
 *     register record joins that GP record's person;
 *  2. probabilistic: new records are blocked against every record (and
 *     against each other), pairs the NHS number has not already settled are
 *     scored with the Fellegi-Sunter model, and pairs at or above the upper
 *     threshold are linked, strongest first; pairs between the thresholds go
 *     to the review queue;
 *  3. clustering refuses any merge that would give one person two different
 *     valid NHS numbers, and never merges two people who already existed:
 *     person ids of linked records do not change in later runs (such a pair
 *     is queued for review instead). A record linked to nobody is a person
 *     of its own.
 * The model (m, u, prior) is trained on the first run (or with retrain) and
 * kept in the store, so later runs and explanations use the same weights;
 * term frequencies are recounted on every run. One run is one transaction.
 *
 * Review decisions are made by people (jup_link_db_decide) and are never
 * changed by a later run: runs only ever score pairs with a new record.
 */
#ifndef JUP_LINK_DB_H
#define JUP_LINK_DB_H

#include "core/jup_status.h"
#include "link/jup_link_model.h"
#include "store/jup_store.h"

#include <stdio.h>

#define JUP_LINK_DEFAULT_UPPER 0.99 /* link at or above */
#define JUP_LINK_DEFAULT_LOWER 0.80 /* review at or above, below the upper */

typedef struct jup_link_db_opts {
	double upper, lower; /* thresholds on the match probability, lower <= upper */
	bool retrain;        /* train a new model even if one is stored */
	FILE *log;           /* progress lines, no personal data (may be NULL) */
} jup_link_db_opts;

/* jup_link_db_defaults: the default thresholds, no retraining, no log. */
void jup_link_db_defaults(jup_link_db_opts *o);

typedef struct jup_link_db_report {
	int64_t run_id;
	size_t records;       /* source records in the store */
	size_t new_records;   /* of which linked by this run */
	size_t candidates;    /* pairs blocking produced */
	size_t scored;        /* pairs the model weighed (not settled by NHS number) */
	size_t linked_nhs;    /* new records joined by an NHS number on a GP register */
	size_t linked_prob;   /* pairs linked by the model */
	size_t queued;        /* pairs put in the review queue */
	size_t refused;       /* pairs above the upper threshold refused: two NHS numbers */
	size_t persons_new;   /* people created */
	bool trained;         /* the model was trained by this run */
	int64_t model_run_id; /* the run whose model was used */
	jup_link_model model;
} jup_link_db_report;

/*
 * jup_link_db_run: link every new source record in the store (see above).
 * With no new records nothing is written and the report says so (run_id 0).
 * JUP_ERR_USAGE for bad thresholds; store errors as the store gives them;
 * on any failure nothing is written.
 */
jup_status jup_link_db_run(jup_store *st, const jup_link_db_opts *o, jup_link_db_report *rep,
			   jup_err *err) JUP_MUST_CHECK;

/* A source record named for people: "ORG:LOCAL_ID" and the store id. */
typedef struct jup_link_db_ref {
	int64_t id;
	char name[64];
} jup_link_db_ref;

/*
 * jup_link_db_find: the source record a person typed: its id ("1234") or
 * "ORG:LOCAL_ID" (the organisation code and the source system's own id).
 * JUP_ERR_NOT_FOUND when there is no such record, JUP_ERR_USAGE when the
 * text is neither form.
 */
jup_status jup_link_db_find(jup_store *st, const char *text, jup_link_db_ref *out,
			    jup_err *err) JUP_MUST_CHECK;

/*
 * jup_link_db_explain: the weight of evidence for records a and b being one
 * person, under the stored model and term frequencies. JUP_ERR_NOT_FOUND
 * when no link run has trained a model yet, or a record does not exist.
 */
jup_status jup_link_db_explain(jup_store *st, int64_t a, int64_t b, jup_link_explain *ex,
			       jup_err *err) JUP_MUST_CHECK;

/* A stored pair, as listed for review. */
typedef struct jup_link_db_pair {
	int64_t id;
	jup_link_db_ref a, b;
	double probability, weight;
	char status[16];
	char decided_by[64], decided_at[24];
} jup_link_db_pair;

/* jup_link_db_review: call fn for each pair waiting for review (oldest
 * first) with its explanation; stops at the first status fn returns. */
typedef jup_status (*jup_link_db_pair_fn)(void *ctx, const jup_link_db_pair *p,
					  const jup_link_explain *ex, jup_err *err);
jup_status jup_link_db_review(jup_store *st, jup_link_db_pair_fn fn, void *ctx,
			      jup_err *err) JUP_MUST_CHECK;

/*
 * jup_link_db_decide: record a person's decision on a queued pair: accept
 * (the two records' people become one; the older person id survives and
 * the other points at it) or reject (they stay apart, for good). by names
 * who decided; note may be NULL. JUP_ERR_NOT_FOUND for no such pair,
 * JUP_ERR_EXISTS when it was already decided (*out says by whom), JUP_ERR_INVALID
 * when it is not waiting for review or accepting would give one person two
 * different NHS numbers. One transaction, with its audit log entry (purpose
 * "linkage", action link.accept or link.reject); *out (may be NULL) gets
 * the pair.
 */
jup_status jup_link_db_decide(jup_store *st, int64_t pair, bool accept, const char *by,
			      const char *note, jup_link_db_pair *out, jup_err *err) JUP_MUST_CHECK;

/* Accuracy against a ground truth, over pairs of source records. */
typedef struct jup_link_truth {
	double precision, recall, f1;
	uint64_t true_pairs, found_pairs, correct_pairs;
	size_t records; /* truth rows matched to a linked source record */
	/* the same over pairs with at least one social care (council) record */
	double sc_precision, sc_recall, sc_f1;
	uint64_t sc_true_pairs, sc_found_pairs, sc_correct_pairs;
} jup_link_truth;

/*
 * jup_link_db_truth: score the store's people against truth.csv (header
 * source,local_id,person_key: the organisation code, the local id and the
 * true person). Rows naming records not in the store are passed over.
 * Problems go to `problems` as FILE:LINE: field: reason (JUP_ERR_INVALID).
 */
jup_status jup_link_db_truth(jup_store *st, const char *path, FILE *problems, jup_link_truth *out,
			     jup_err *err) JUP_MUST_CHECK;

#endif
