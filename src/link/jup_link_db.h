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
 *
 * A run also writes the search keys of the records it links (folded names,
 * the blocking keys no column index gives; migration 9), which Patient
 * search (jup_person_search) and $match (jup_link_db_match) look up; the
 * first run after migration 9 on a store already linked writes every
 * linked record's.
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

/* ---- $match: the people a demographic query may be --------------------------- */

/* A query as the caller received it; an empty view is a field not given.
 * Views need not be NUL-terminated and are only read during the call. */
typedef struct jup_link_match_query {
	jup_sv family, given; /* names, any text (folded as linkage folds them) */
	jup_sv birth_date;    /* YYYY-MM-DD */
	jup_sv sex;           /* FHIR gender: male, female, other, unknown (or M, F, U) */
	jup_sv postcode;      /* a UK postcode, any case, with or without the space */
	jup_sv address;       /* address lines, any text */
	jup_sv nhs_number;    /* 10 digits, spaces allowed */
} jup_link_match_query;

/* FHIR's match-grade of a candidate, by the latest link run's thresholds. */
typedef enum jup_link_grade {
	JUP_LINK_GRADE_CERTAIN,       /* probability at or above the upper threshold */
	JUP_LINK_GRADE_PROBABLE,      /* at or above the lower threshold */
	JUP_LINK_GRADE_POSSIBLE,      /* at or above JUP_LINK_MATCH_FLOOR */
	JUP_LINK_GRADE_CERTAINLY_NOT, /* below it, or another valid NHS number: never returned */
	JUP_LINK_GRADE__COUNT
} jup_link_grade;

/* Candidates with a match probability below this are not returned (a match
 * weight below about -3.17). On a 200,000-person city a person who moved
 * (another postcode and address, all else as recorded) scores at or above it
 * in 95% of queries (above 0.5 in 59%), while someone else did in 0.5% of
 * queries: docs/FHIR-SEARCH.md. */
#define JUP_LINK_MATCH_FLOOR 0.1

/* jup_link_grade_name: the FHIR code ("certain", "probable", "possible",
 * "certainly-not"; "unknown" out of range). */
const char *jup_link_grade_name(jup_link_grade g);

/* A candidate: a person (the survivor of merges) and the evidence for them
 * from their record that agrees best with the query. */
typedef struct jup_link_match {
	int64_t person_id;
	double probability; /* match probability, 0..1 */
	double weight;      /* match weight (log2 odds), as jup_link_db_explain */
	jup_link_grade grade;
} jup_link_match;

/*
 * jup_link_db_match: the people a query may be (FHIR Patient/$match). The
 * query is weighed as a record against the linked records the linkage's
 * blocking rules pair it with (same NHS number; same date of birth, or day
 * and month swapped, with the same family name code or given initial; same
 * postcode with the same initial, birth year or family name code; same name
 * codes and birth year: every rule but name codes with postcode district),
 * each found by an index, under the stored model and term frequencies of the latest link run
 * (the weights jup_link_db_explain gives). A record with another valid NHS
 * number is never the person. Each person counts with their best record;
 * those at or above JUP_LINK_MATCH_FLOOR are written to out[0..*n), at most
 * max, strongest first (ties by person id), graded. Ids and scores only.
 * JUP_ERR_USAGE unless an NHS number, a birth date or a postcode is given
 * (nothing to find candidates by); JUP_ERR_INVALID naming the field, never
 * echoing the value, for a malformed NHS number, date (or one in the future
 * or before 1870), sex, postcode or text; JUP_ERR_LIMIT for a name or address
 * past its limit (jup_limits.h); JUP_ERR_NOT_FOUND when no link run has
 * trained a model yet; JUP_ERR_NOMEM; store errors.
 */
jup_status jup_link_db_match(jup_store *st, const jup_link_match_query *q, size_t max,
			     jup_link_match *out, size_t *n, jup_err *err) JUP_MUST_CHECK;

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
