/*
 * care_plan_internal.h - what the care plan files of src/care/ share: a
 * validated write (care_plan_valid.c), storing a version with its audit
 * entry (care_plan_store.c), and turning stored versions into the plan
 * shape in a decision's view (care_plan_json.c). Private to the module.
 */
#ifndef CARE_PLAN_INTERNAL_H
#define CARE_PLAN_INTERNAL_H

#include "audit/jup_audit.h"
#include "care/jup_care_plan.h"
#include "core/jup_limits.h"
#include "core/jup_str.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum care_plan_kind {
	CARE_PLAN_KIND_CARE_PLAN,
	CARE_PLAN_KIND_END_OF_LIFE,
	CARE_PLAN_KIND_NOTE,
	CARE_PLAN_KIND__COUNT
} care_plan_kind;

/* care_plan_kind_name: "care_plan", "end_of_life", "note". */
const char *care_plan_kind_name(care_plan_kind k);

/* care_plan_kind_of: the kind a stored value names; CARE_PLAN_KIND__COUNT
 * for anything else. */
care_plan_kind care_plan_kind_of(const jup_value *v);

/* A validated write: views into the JSON it was read from (valid while
 * that lives; ptr NULL for an absent optional value), codes as static
 * strings, and the end-of-life lists as compact JSON text (malloc'd). */
typedef struct care_plan_in {
	care_plan_kind kind;
	const char *status;
	jup_sv title, description;
	jup_sv period_start, period_end;
	jup_sv place_of_care, place_of_death; /* end_of_life only */
	const char *resuscitation;            /* end_of_life only, else NULL */
	char *contacts, *medicines;           /* end_of_life only, else NULL */
} care_plan_in;

/* care_plan_parse: validate in (jup_care_plan_validate's rules) into *out.
 * Errors as jup_care_plan_validate, and JUP_ERR_NOMEM. Free *out with
 * care_plan_in_free either way. */
jup_status care_plan_parse(const json_t *in, care_plan_in *out, jup_err *err) JUP_MUST_CHECK;
void care_plan_in_free(care_plan_in *p);

/* care_plan_parse_id: a plan id as the API gives it (1 to 18 digits, no
 * leading zero) into *id; false for anything else. */
bool care_plan_parse_id(const char *s, int64_t *id);

/* Who writes a version. */
typedef struct care_plan_author {
	int64_t user_id;
	const char *username;
	const char *role;
	int64_t org_id;
	const char *org_code;
} care_plan_author;

/* Where a version goes and why. */
typedef struct care_plan_target {
	int64_t plan_id, version, person_id;
	const char *recorded_at; /* "YYYY-MM-DDTHH:MM:SSZ" */
	const char *reason;      /* the audit entry's reason (NULL: none) */
} care_plan_target;

/* care_plan_store: in the caller's transaction, append the version's audit
 * entry (through batch b, or jup_audit_append when b is NULL) and insert
 * the version; *row_id gets its row. Store and audit errors. */
jup_status care_plan_store(jup_store *st, jup_audit_batch *b, const care_plan_author *a,
			   const care_plan_target *t, const care_plan_in *p, int64_t *row_id,
			   jup_err *err) JUP_MUST_CHECK;

/* care_plan_next_id: the id a new plan takes (the largest so far plus one). */
jup_status care_plan_next_id(jup_store *st, int64_t *id, jup_err *err) JUP_MUST_CHECK;

/* Turning stored versions into JSON: the view, and what was read once
 * (authors, organisation codes). JSON allocations that fail set oom. */
#define CARE_PLAN_CACHE 16
typedef struct care_plan_reader {
	jup_store *st;
	jup_gate_view view;
	struct {
		int64_t id;
		char username[JUP_USERNAME_MAX + 1], role[32];
	} users[CARE_PLAN_CACHE];
	struct {
		int64_t id;
		char code[JUP_MAX_ORG_CODE_LEN + 1];
	} orgs[CARE_PLAN_CACHE];
	int nusers, norgs;
	bool oom;
} care_plan_reader;

/* One stored version, as read. */
typedef struct care_plan_version {
	int64_t plan_id, version, person_id;
	care_plan_kind kind;
	json_t *json; /* in the reader's view; owned */
} care_plan_version;

/* care_plan_visible: whether the view shows plans of kind k (the
 * end-of-life view: end-of-life plans and notes only). */
bool care_plan_visible(jup_gate_view view, care_plan_kind k);

/* care_plan_row_json: a care_plan row (id, values) as a version in r's
 * view (v->json NULL when out of memory: r->oom is set). JUP_ERR_STORE for
 * a damaged row; store errors. */
jup_status care_plan_row_json(care_plan_reader *r, const jup_value *vals, care_plan_version *v,
			      jup_err *err) JUP_MUST_CHECK;

#endif
