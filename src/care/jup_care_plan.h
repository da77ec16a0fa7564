/*
 * jup_care_plan.h - care plans, notes and end-of-life plans written through
 * the joined-up record by the professionals caring for a person: validated,
 * audited and versioned, never overwritten.
 *
 * A plan has a logical id (decimal text, "17") and versions 1, 2, ...; a
 * change is a new version of the same plan (FHIR _history), and every
 * version stays readable. An end-of-life plan carries what a 24-hour
 * end-of-life line needs: the preferred places of care and of death, the
 * resuscitation decision, key contacts and the medicines in the home.
 *
 * One version, as JSON (docs/FORMATS.md, "Care plans"; shared with the FHIR
 * mapping):
 *
 *   {"id": "17", "version": 2, "recorded_at": "2026-11-23T10:00:00Z",
 *    "kind": "care_plan" | "end_of_life" | "note",
 *    "status": "draft" | "active" | "completed" | "revoked",
 *    "title": "...", "description": "..." or null,
 *    "period_start": "YYYY-MM-DD", "period_end": "YYYY-MM-DD" or null,
 *    "author": {"username": "...", "role": "gp", "organisation": "Y90001"},
 *    "end_of_life": null | {"preferred_place_of_care": "..." or null,
 *        "preferred_place_of_death": "..." or null,
 *        "resuscitation": "dnacpr" | "attempt_cpr" | "not_discussed",
 *        "key_contacts": [{"name": "...", "relationship": "...", "phone": "..."}],
 *        "medicines_in_home": [{"description": "...", "code": "..." or null}]},
 *    "source": {"organisation": "Y90001"}}
 *
 * A write takes the same object without the keys the server owns (id,
 * version, recorded_at, author, source).
 *
 * Writing is a gate action (JUP_GATE_WRITE_CARE_PLAN): only under a logged
 * permit for it, made for the author. Reading is behind a logged permit to
 * read the person's record, in its view: the end-of-life view sees
 * end-of-life plans and notes only; the de-identified view sees no free
 * text. Every write is one transaction holding the new version and its
 * audit entry.
 */
#ifndef JUP_CARE_PLAN_H
#define JUP_CARE_PLAN_H

#include "core/jup_status.h"
#include "gate/jup_gate.h"
#include "gate/jup_user.h"
#include "store/jup_store.h"

#include <jansson.h>
#include <stdint.h>

/*
 * jup_care_plan_validate: check a write (the plan shape without the
 * server's keys): kind and status codes; title 1 to JUP_MAX_TEXT_LEN bytes;
 * description null or 1 to JUP_CARE_PLAN_MAX_DESCRIPTION bytes; period_start
 * a real date (not before JUP_MIN_YEAR), period_end null or a date not
 * before it; end_of_life an object exactly when kind is end_of_life (absent
 * or null otherwise), with resuscitation required, places null or 1 to
 * JUP_MAX_TEXT_LEN bytes, at most JUP_CARE_PLAN_MAX_CONTACTS key contacts
 * (name and relationship 1 to JUP_MAX_NAME_LEN bytes, phone 1 to
 * JUP_MAX_PHONE_LEN of digits, spaces and + ( ) -, with at least 3 digits)
 * and JUP_CARE_PLAN_MAX_MEDICINES medicines (description 1 to
 * JUP_MAX_TEXT_LEN bytes, code null or a SNOMED CT concept id); every
 * string UTF-8 without control characters; no unknown keys (nor the
 * server's). JUP_ERR_INVALID naming the first bad field, e.g.
 * "end_of_life.key_contacts[2].phone: too long" (values are never echoed);
 * JUP_ERR_USAGE for a NULL in.
 */
jup_status jup_care_plan_validate(const json_t *in, jup_err *err) JUP_MUST_CHECK;

/*
 * jup_care_plan_write: write in (validated as above) as a new plan
 * (plan_id NULL: version 1, about the decision's first person) or as the
 * next version of plan plan_id (about the same person as the plan). One
 * transaction holds the version and an audit entry (the author as actor,
 * role and organisation, purpose direct_care, the person, action
 * "care_plan.create" or "care_plan.update", what "care_plan:ID/_history/V",
 * outcome done). *out gets the stored version as a new JSON object (caller
 * json_decref's), in the full shape above.
 *
 * JUP_ERR_DENIED unless d is a logged permit (audit_id > 0) for
 * JUP_GATE_WRITE_CARE_PLAN whose entry names author as the actor, and,
 * when d's basis is the end-of-life line (EOL_REGISTER), unless the kind
 * is note. JUP_ERR_INVALID for a write that fails validation, for a plan
 * of another person, or a change of kind. JUP_ERR_NOT_FOUND for an unknown
 * plan_id. JUP_ERR_EXISTS (a conflict: FHIR If-Match) when if_version is
 * not 0 and is not the plan's latest version. JUP_ERR_LIMIT past
 * JUP_CARE_PLAN_MAX_VERSIONS. JUP_ERR_USAGE for missing arguments or an
 * if_version on a new plan. Store and audit errors (nothing written).
 */
jup_status jup_care_plan_write(jup_store *st, const jup_gate_decision *d, const jup_user *author,
			       const char *plan_id, int64_t if_version, const json_t *in,
			       json_t **out, jup_err *err) JUP_MUST_CHECK;

/*
 * jup_care_plan_read: version `version` (0: the latest) of plan plan_id as
 * a new JSON object (*out, caller json_decref's), in the decision's view
 * (the de-identified view drops title, description, key contacts, the
 * author's username, medicine descriptions and places not given as one of
 * the register's codes). JUP_ERR_DENIED unless d is a logged permit to read
 * the record (JUP_GATE_READ_RECORD) for someone; JUP_ERR_NOT_FOUND when
 * there is no such plan or version, when the plan is not about one of d's
 * persons, or when the view does not show its kind (so another person's
 * plan ids are not confirmed); JUP_ERR_NOMEM; store errors.
 */
jup_status jup_care_plan_read(jup_store *st, const jup_gate_decision *d, const char *plan_id,
			      int64_t version, json_t **out, jup_err *err) JUP_MUST_CHECK;

/*
 * jup_care_plan_history: every version of plan plan_id, newest first, as a
 * new JSON array (*versions, caller json_decref's), each as
 * jup_care_plan_read gives it. Errors as jup_care_plan_read.
 */
jup_status jup_care_plan_history(jup_store *st, const jup_gate_decision *d, const char *plan_id,
				 json_t **versions, jup_err *err) JUP_MUST_CHECK;

/*
 * jup_care_plan_person: the person plan plan_id is about, so that a caller
 * holding only the plan's id can ask the purpose gate about that person
 * before reading it. An id, not personal data; nothing of the plan is read.
 * JUP_ERR_NOT_FOUND when there is no such plan; store errors.
 */
jup_status jup_care_plan_person(jup_store *st, const char *plan_id, int64_t *person_id,
				jup_err *err) JUP_MUST_CHECK;

/* What jup_care_plan_seed_eol did. */
typedef struct jup_care_plan_seed_report {
	int64_t register_rows; /* end-of-life register rows read */
	int64_t people;        /* people in the end-of-life cohort (linked) */
	int64_t unlinked;      /* rows whose record is not linked to a person */
	int64_t written;       /* plans written by this call */
	int64_t had_plan;      /* people who had an end-of-life plan already */
	int64_t accounts;      /* system accounts made by this call */
} jup_care_plan_seed_report;

/*
 * jup_care_plan_seed_eol: give every person on a GP practice's end-of-life
 * register (eol_plan rows of linked records) who has no end-of-life plan
 * yet a current one (version 1), written by the practice's system account
 * "eol-register.<practice code in lower case>" (role gp, disabled, no
 * password; made when missing, jup_user_add_system): the register's
 * preferred places and resuscitation decision, its date as the start,
 * status active (completed, ending on the date of death, for a person whose
 * death is registered), one to three invented key contacts (names from the
 * synthetic city's lists, telephone numbers from Ofcom's drama ranges) and
 * the anticipatory "just in case" medicines, SNOMED CT coded. What is
 * invented depends only on seed and the register row. A person on several
 * registers gets one plan, from their latest entry. Each plan is written
 * with its audit entry as jup_care_plan_write writes one (action
 * "care_plan.create", reason "from the end-of-life register"), one
 * transaction per practice; running it again adds nothing. This is a
 * system job (like an import), not a request through the gate: it reads the
 * register, not anybody's record. rep (may be NULL) says what was done.
 * JUP_ERR_EXISTS when a practice's account name is taken by an account
 * that is not its system account; store and audit errors (that practice's
 * plans are not written; those of practices before it stay).
 */
jup_status jup_care_plan_seed_eol(jup_store *st, uint64_t seed, jup_care_plan_seed_report *rep,
				  jup_err *err) JUP_MUST_CHECK;

#endif
