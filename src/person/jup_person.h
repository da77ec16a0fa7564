/*
 * jup_person.h - whom an NHS number resolves to in the master person index:
 * the linked person(s) holding it and every source record linked to them,
 * with the record's organisation. The gate, consent and the audit log's
 * citizen view all start here, so they agree on who a person is (a record
 * linked by matching, without an NHS number, belongs to the person as much
 * as one carrying it). References and organisation facts only: no
 * demographics are read.
 */
#ifndef JUP_PERSON_H
#define JUP_PERSON_H

#include "core/jup_status.h"
#include "store/jup_store.h"

#include <stdbool.h>
#include <stdint.h>

#define JUP_PERSON_MAX_IDS 8 /* persons one NHS number may resolve to */

/* One linked source record and its organisation. */
typedef struct jup_person_record {
	int64_t id;
	int64_t org_id;
	jup_org_kind kind;  /* JUP_ORG_KIND__COUNT when the kind is unknown */
	bool participating; /* the organisation takes part in the shared record */
} jup_person_record;

/* The holder of an NHS number. */
typedef struct jup_person {
	int nids;
	int64_t ids[JUP_PERSON_MAX_IDS]; /* ascending; [0] the one entries are logged under */
	jup_person_record *rec;          /* every member record, ascending by id */
	size_t nrec, cap;
} jup_person;

/*
 * jup_person_ids: the ids of the person(s) holding NHS number nhs (10
 * digits, spaces allowed): the persons of the source records carrying it
 * and every person merged into one of them or that one was merged into,
 * ascending, into a malloc'd array *ids (caller frees) of *n. JUP_ERR_INVALID
 * for a malformed NHS number, JUP_ERR_NOT_FOUND when no linked record
 * carries it (the number is never echoed); store errors.
 */
jup_status jup_person_ids(jup_store *st, const char *nhs, int64_t **ids, size_t *n,
			  jup_err *err) JUP_MUST_CHECK;

/*
 * jup_person_load: the holder of nhs (as jup_person_ids) and all their
 * member records with each record's organisation kind and participation.
 * JUP_ERR_NOT_FOUND as jup_person_ids; JUP_ERR_LIMIT past JUP_PERSON_MAX_IDS
 * persons (the linkage needs review); JUP_ERR_NOMEM; store errors. *p is
 * empty on error; free it with jup_person_free either way.
 */
jup_status jup_person_load(jup_store *st, const char *nhs, jup_person *p,
			   jup_err *err) JUP_MUST_CHECK;

/* jup_person_latest_gp: the person's GP register record imported last
 * (the highest id at a GP practice), which gives their current practice;
 * NULL when they have none. */
const jup_person_record *jup_person_latest_gp(const jup_person *p);

/* jup_person_free: release p's records (p itself may be reused). */
void jup_person_free(jup_person *p);

#endif
