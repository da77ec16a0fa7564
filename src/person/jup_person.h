/*
 * jup_person.h - whom an NHS number resolves to in the master person index:
 * the linked person(s) holding it and every source record linked to them,
 * with the record's organisation. The gate, consent and the audit log's
 * citizen view all start here, so they agree on who a person is (a record
 * linked by matching, without an NHS number, belongs to the person as much
 * as one carrying it). References and organisation facts only: no
 * demographics are read.
 *
 * Finding people (person_find.c) for the FHIR server: a person id's
 * survivor and NHS number (the purpose gate takes NHS numbers), and Patient
 * search by NHS number, names and birth date. Search reads the records'
 * identifying fields to compare them, but every function here gives back
 * ids and NHS numbers only, never names, dates or addresses: the caller
 * puts every person found through the purpose gate before showing anything.
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

/*
 * jup_person_find_joined: the first person, by record id among at most
 * tries records carrying a valid NHS number, whose linked records take in
 * a participating GP practice (their current one), a hospital and a
 * participating council: a joined-up example, for the demo's accounts and
 * for tests. nhs gets the number, *p the person (as jup_person_load; free
 * it with jup_person_free either way). JUP_ERR_NOT_FOUND when none is found
 * in the records tried; store errors.
 */
jup_status jup_person_find_joined(jup_store *st, int tries, char nhs[11], jup_person *p,
				  jup_err *err) JUP_MUST_CHECK;

/* jup_person_free: release p's records (p itself may be reused). */
void jup_person_free(jup_person *p);

/* ---- finding people ----------------------------------------------------------- */

/*
 * jup_person_survivor: the person person_id is now: itself, or the person
 * a review decision merged it into (following merged_into). JUP_ERR_NOT_FOUND
 * when there is no such person; JUP_ERR_STORE when merges form a loop;
 * store errors.
 */
jup_status jup_person_survivor(jup_store *st, int64_t person_id, int64_t *survivor,
			       jup_err *err) JUP_MUST_CHECK;

/*
 * jup_person_nhs: the survivor of person_id (*survivor) and an NHS number
 * its member records carry: that of the lowest record id with a valid
 * number, 10 digits and a NUL into nhs. JUP_ERR_NOT_FOUND for no such person
 * or one none of whose records has a valid number (nhs is "" then); store
 * errors.
 */
jup_status jup_person_nhs(jup_store *st, int64_t person_id, char nhs[11], int64_t *survivor,
			  jup_err *err) JUP_MUST_CHECK;

/* A Patient search; an empty view is a criterion not given. Views need not
 * be NUL-terminated and are only read during the call. */
typedef struct jup_person_query {
	jup_sv nhs_number; /* the NHS number, 10 digits (spaces allowed) */
	jup_sv family;     /* a family name or its beginning */
	jup_sv given;      /* a given name or its beginning */
	jup_sv birthdate;  /* YYYY-MM-DD: born on that day */
} jup_person_query;

/*
 * jup_person_search: the people (survivors) one of whose linked records
 * matches every criterion given: the same valid NHS number; a family name
 * and a given name that start with the query's, compared folded as linkage
 * folds names (case, accents, hyphens, apostrophes and spaces ignored: "o'ne"
 * finds O'Neill; the last part of a double-barrelled name counts as a family
 * name, a second given name as a given name); born on that day. Records not
 * yet linked are not found. Writes the ids, ascending, to ids[0..*n).
 * JUP_ERR_USAGE unless one of NHS number, birth date or family name is given;
 * JUP_ERR_INVALID (naming the field, never echoing the value) for a
 * malformed NHS number or date, a name that is not text or has no letters;
 * JUP_ERR_LIMIT for a name past JUP_MAX_NAME_LEN, and when more than max
 * people match (refine the search; *n is 0 then); store errors.
 */
jup_status jup_person_search(jup_store *st, const jup_person_query *q, int64_t *ids, size_t max,
			     size_t *n, jup_err *err) JUP_MUST_CHECK;

#endif
