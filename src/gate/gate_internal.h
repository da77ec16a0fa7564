/*
 * gate_internal.h - what the files of src/gate/ share: the person a request
 * is about (their linked records), the relationship checks, and a decision
 * split into its reading half (gate_check) and its writing half
 * (gate_write), so that group commit can batch the writes of many
 * decisions into one transaction. Private to the module.
 */
#ifndef GATE_INTERNAL_H
#define GATE_INTERNAL_H

#include "core/jup_date.h"
#include "gate/jup_gate.h"

/* One linked source record and its organisation. */
typedef struct gate_record {
	int64_t id;
	int64_t org_id;
	jup_org_kind kind;
} gate_record;

/* The person a request is about. */
typedef struct gate_person {
	int npersons;
	int64_t persons[JUP_GATE_MAX_PERSONS]; /* ascending; [0] the survivor */
	gate_record *rec;                      /* every member record, by id */
	size_t nrec, cap;
} gate_person;

/* gate_person_load: the persons holding canonical NHS number nhs and all
 * their member records. JUP_ERR_NOT_FOUND when no linked record carries the
 * number; JUP_ERR_LIMIT past JUP_GATE_MAX_PERSONS persons; store errors. */
jup_status gate_person_load(jup_store *st, const char *nhs, gate_person *p,
			    jup_err *err) JUP_MUST_CHECK;

void gate_person_free(gate_person *p);

/* gate_relation: whether the person has relationship `basis` with the
 * organisation org_id on day today (jup_gate.h, rule 3). For
 * JUP_GATE_BASIS_SELF and ANONYMOUS the caller decides. Store errors. */
jup_status gate_relation(jup_store *st, const gate_person *p, jup_gate_basis basis,
			 int64_t org_id, jup_date today, bool *has, jup_err *err) JUP_MUST_CHECK;

/* What a decision will write: its audit entry (texts kept here) and, for
 * a new break-glass access, the grant. */
typedef struct gate_pending {
	char actor[JUP_USERNAME_MAX + 1];
	char role[32];
	char org_code[JUP_MAX_ORG_CODE_LEN + 1];
	char purpose[32];
	char recorded_at[21];
	char request_id[JUP_AUDIT_MAX_FIELD + 1];
	char break_glass[JUP_AUDIT_MAX_FIELD + 1]; /* "" when none */
	bool new_grant;
	int64_t user_id;
	char expires_at[21];
} gate_pending;

/* gate_check: the reading half of jup_gate_decide: decide rq into *out and
 * say in *w what to write. Errors as jup_gate_decide; an invalid request
 * (bad NHS number or break-glass reason) is JUP_ERR_INVALID with *out a
 * denial that should still be written. */
jup_status gate_check(jup_store *st, const jup_gate_request *rq, jup_gate_decision *out,
		      gate_pending *w, jup_err *err);

/* gate_write: the writing half, inside the caller's transaction: append
 * the audit entry and record any grant; out->audit_id and grant_id are set.
 * Audit and store errors (the caller rolls back). */
jup_status gate_write(jup_store *st, const gate_pending *w, jup_gate_decision *out,
		      jup_err *err) JUP_MUST_CHECK;

#endif
