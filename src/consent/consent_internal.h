/*
 * consent_internal.h - what the files of src/consent/ share: finding the
 * policy row and gathering what applies to a person. Private to the module.
 */
#ifndef CONSENT_INTERNAL_H
#define CONSENT_INTERNAL_H

#include "consent/jup_consent.h"

/* A recorded choice: none, or the latest permit or deny. */
typedef enum consent_choice { CONSENT_NONE, CONSENT_PERMIT, CONSENT_DENY } consent_choice;

/* What applies to one person for one purpose (the rules' inputs). */
typedef struct consent_facts {
	consent_choice citizen;   /* latest citizen decision about the purpose */
	bool citizen_specific;    /* ... and it names the purpose (not every purpose) */
	consent_choice objection; /* latest record objection decision */
	bool national_opt_out;    /* on the national data opt-out list */
	bool gp_type1;            /* a GP type 1 objection at any practice */
	bool gp_record;           /* a GP register record carries the number */
	bool gp_participating;    /* the practice of the latest one takes part */
	consent_choice sc_form;   /* latest council consent form over their records */
} consent_facts;

/* consent_policy_find: the row of flow (NULL: the purpose's first active
 * row). Errors as jup_consent_decide gives them for the flow. */
jup_status consent_policy_find(jup_store *st, jup_consent_purpose purpose, const char *flow,
			       jup_consent_policy *out, jup_err *err) JUP_MUST_CHECK;

/* consent_facts_gather: what applies to the holder of nhs (10 canonical
 * digits) for purpose. Store errors; JUP_ERR_NOMEM. */
jup_status consent_facts_gather(jup_store *st, const char *nhs, jup_consent_purpose purpose,
				consent_facts *f, jup_err *err) JUP_MUST_CHECK;

/* consent_apply: the rules (jup_consent.h) for facts f under policy p. */
void consent_apply(const jup_consent_policy *p, const consent_facts *f, jup_consent_decision *out);

#endif
