/*
 * jup_consent.h - consent: may a person's information be used for a
 * purpose, and may their GP record and their council social care record be
 * part of it; and the decisions people record about that.
 *
 * Which rules apply to which purpose is data: one consent_policy row per
 * data flow or approval (RULES.md, "Purposes and opt-outs"; migration 3 adds
 * the defaults). What applies to a person comes from their own decisions
 * (consent_decision: a citizen's choice, an objection to the shared record),
 * the imported lists (opt_out: the national data opt-out and GP type 1
 * objections, by NHS number), the council's consent forms (sc_consent) and
 * the organisations holding their records (source_record, organisation).
 * A person's records are those the master person index links to them
 * (jup_person.h), whether or not each record carries the NHS number.
 *
 * The rules, in the order they are checked (each one that applies under
 * the flow's policy row gives the citizen a reason in plain English):
 *
 *  whether the information is used at all (permit):
 *   1. citizen choice: the person's latest citizen decision is deny;
 *   2. record objection: the person's latest record objection is deny;
 *   3. national data opt-out: the NHS number is on the imported list;
 *   4. specific consent: the person's latest citizen decision is not a
 *      permit given for this very purpose (a permit for every purpose is
 *      not specific consent). Not repeated when rule 1 already said no.
 *   Every one of 1-4 that applies is listed (each alone stops the use, and
 *   the person needs to know all of them to change the outcome). A citizen
 *   permit only cancels the person's own earlier deny: it never overrides
 *   2 or 3 (or 5), and the reasons say so when the person has said yes.
 *  then, only when the information is used at all:
 *   5. GP type 1 objection: the NHS number has one (at any practice): no
 *      GP record;
 *   6. practice participation: the practice holding the person's GP
 *      register record (the latest imported, when there are several) does
 *      not take part, or there is no GP register record: no GP record;
 *   7. council consent: the latest council consent form (latest
 *      recorded_on, then latest imported) over the person's council
 *      records is deny, or there is none: no social care record.
 *  When the information is not used at all, no source is (gp_data and
 *  social_care_data are false) and rules 5-7 give no reasons.
 *
 * Latest wins: among a person's consent_decision rows of one source that
 * concern the purpose (its own purpose or NULL = every purpose), the one
 * recorded last (highest id) wins. So a purpose-specific row overrides an
 * every-purpose row only if it is newer, and the other way round.
 *
 * Nothing here prints or returns personal data; errors never echo NHS
 * numbers.
 */
#ifndef JUP_CONSENT_H
#define JUP_CONSENT_H

#include "core/jup_status.h"
#include "person/jup_person.h"
#include "store/jup_store.h"

#include <stdbool.h>
#include <stdint.h>

/* The purposes (consent_policy.purpose). EVERY is only for jup_consent_set:
 * a decision about every purpose (stored as NULL). */
typedef enum jup_consent_purpose {
	JUP_CONSENT_EVERY_PURPOSE = -1,
	JUP_CONSENT_DIRECT_CARE = 0,
	JUP_CONSENT_RISK_STRATIFICATION,
	JUP_CONSENT_PLANNING,
	JUP_CONSENT_RESEARCH,
	JUP_CONSENT_PURPOSE__COUNT
} jup_consent_purpose;

/* Who a recorded decision comes from (consent_decision.source). */
typedef enum jup_consent_source {
	JUP_CONSENT_SRC_CITIZEN,          /* the person's own choice for a purpose */
	JUP_CONSENT_SRC_RECORD_OBJECTION, /* an objection to the shared record */
	JUP_CONSENT_SOURCE__COUNT
} jup_consent_source;

/* The rules, as named in a decision's reasons (the numbers above). */
typedef enum jup_consent_rule {
	JUP_CONSENT_RULE_CITIZEN_CHOICE,
	JUP_CONSENT_RULE_RECORD_OBJECTION,
	JUP_CONSENT_RULE_NATIONAL_OPT_OUT,
	JUP_CONSENT_RULE_SPECIFIC_CONSENT,
	JUP_CONSENT_RULE_GP_TYPE1,
	JUP_CONSENT_RULE_PRACTICE_PARTICIPATION,
	JUP_CONSENT_RULE_SC_CONSENT,
	JUP_CONSENT_RULE__COUNT
} jup_consent_rule;

#define JUP_CONSENT_MAX_FLOW    100 /* bytes of a flow name kept (longer ones are cut) */
#define JUP_CONSENT_MAX_TEXT    500 /* bytes of a description or evidence */
#define JUP_CONSENT_MAX_REASON  320 /* bytes of one reason or the summary */
#define JUP_CONSENT_MAX_REASONS JUP_CONSENT_RULE__COUNT
#define JUP_CONSENT_MAX_BY      64 /* bytes of recorded_by */

/* jup_consent_purpose_name: "direct_care", ... ("all" for EVERY, "unknown"
 * out of range). */
const char *jup_consent_purpose_name(jup_consent_purpose p);

/* jup_consent_purpose_parse: the purpose named s ("all" gives EVERY only
 * when allow_every); false when there is none. */
bool jup_consent_purpose_parse(const char *s, bool allow_every, jup_consent_purpose *out);

/* jup_consent_source_name: "citizen" or "record_objection" ("unknown"). */
const char *jup_consent_source_name(jup_consent_source s);

/* jup_consent_source_parse: the source named s; false when there is none. */
bool jup_consent_source_parse(const char *s, jup_consent_source *out);

/* One consent_policy row. */
typedef struct jup_consent_policy {
	int64_t id;
	jup_consent_purpose purpose;
	char flow[JUP_CONSENT_MAX_FLOW + 1];
	bool national_opt_out;                   /* applies */
	bool gp_type1;                           /* applies */
	bool record_objection;                   /* applies */
	bool citizen_choice;                     /* applies */
	bool sc_consent;                         /* required */
	bool specific_consent;                   /* required */
	bool practice_participation;             /* required */
	char approval[JUP_CONSENT_MAX_FLOW + 1]; /* "" when none */
	char description[JUP_CONSENT_MAX_TEXT + 1];
	bool active;
} jup_consent_policy;

/* One reason: the rule and what it means for the person, in plain English. */
typedef struct jup_consent_reason {
	jup_consent_rule rule;
	char text[JUP_CONSENT_MAX_REASON];
} jup_consent_reason;

/* What jup_consent_decide found for one person and purpose. */
typedef struct jup_consent_decision {
	jup_consent_purpose purpose;
	char flow[JUP_CONSENT_MAX_FLOW + 1]; /* the policy flow used */
	bool permit;                         /* the person's information may be used at all */
	bool gp_data;                        /* ... including their GP record */
	bool social_care_data;               /* ... including their council social care record */
	unsigned rules;                      /* a bit (1u << rule) per rule that gave a reason */
	int nreasons;
	jup_consent_reason reasons[JUP_CONSENT_MAX_REASONS]; /* in rule order */
	char summary[JUP_CONSENT_MAX_REASON];                /* one sentence */
} jup_consent_decision;

/* A recorded choice: none, or the latest permit or deny. */
typedef enum jup_consent_choice {
	JUP_CONSENT_CHOICE_NONE,
	JUP_CONSENT_CHOICE_PERMIT,
	JUP_CONSENT_CHOICE_DENY
} jup_consent_choice;

/* What the rules read about one person, for every purpose at once. */
typedef struct jup_consent_facts {
	jup_consent_choice citizen[JUP_CONSENT_PURPOSE__COUNT]; /* latest citizen decision
								   covering the purpose */
	bool citizen_specific[JUP_CONSENT_PURPOSE__COUNT];      /* ... naming the purpose */
	jup_consent_choice objection; /* latest record objection decision */
	bool national_opt_out;        /* on the national data opt-out list */
	bool gp_type1;                /* a GP type 1 objection at any practice */
	bool gp_record;               /* a GP register record is linked to them */
	bool gp_participating;        /* the practice of the latest one takes part */
	jup_consent_choice sc_form;   /* latest council consent form over their records */
} jup_consent_facts;

/*
 * jup_consent_facts_load: what applies to the person holding canonical
 * NHS number nhs (10 digits) whose linked records are p (NULL or no
 * records: none are linked): their decisions and the opt-out lists by
 * number, GP practice and council forms from the records. Reads only, in
 * the current transaction if any. JUP_ERR_NOMEM; store errors.
 */
jup_status jup_consent_facts_load(jup_store *st, const char *nhs, const jup_person *p,
				  jup_consent_facts *f, jup_err *err) JUP_MUST_CHECK;

/* jup_consent_policy_find: the policy row of flow (NULL: the purpose's
 * first active row). Errors as jup_consent_decide gives them for the flow. */
jup_status jup_consent_policy_find(jup_store *st, jup_consent_purpose purpose, const char *flow,
				   jup_consent_policy *out, jup_err *err) JUP_MUST_CHECK;

/* jup_consent_decide_facts: the rules above for facts f under policy row p
 * (its purpose), without reading anything. */
void jup_consent_decide_facts(const jup_consent_policy *p, const jup_consent_facts *f,
			      jup_consent_decision *out);

/*
 * jup_consent_decide: decide for the person holding NHS number nhs (10
 * digits, spaces allowed) and purpose, under the policy row of flow (NULL:
 * the purpose's first active row, in id order), by the rules above; *out is
 * filled: jup_person_load, jup_consent_facts_load, jup_consent_decide_facts.
 * A number no linked record carries is still decided (the imported lists
 * may hold it). Reads only, in the current transaction if any.
 * JUP_ERR_INVALID for an NHS number that is not check-valid (never echoed),
 * or a flow that is inactive or for another purpose; JUP_ERR_USAGE for a
 * purpose out of range (EVERY included); JUP_ERR_NOT_FOUND when there is no
 * such flow or the purpose has no active row; JUP_ERR_LIMIT when the
 * number resolves to too many persons; store errors.
 */
jup_status jup_consent_decide(jup_store *st, const char *nhs, jup_consent_purpose purpose,
			      const char *flow, jup_consent_decision *out,
			      jup_err *err) JUP_MUST_CHECK;

/*
 * jup_consent_set: record a decision (permit or deny) from source for the
 * person holding NHS number nhs about purpose (EVERY: every purpose), made
 * by recorded_by (1 to JUP_CONSENT_MAX_BY bytes, no control characters),
 * with evidence (may be NULL; at most JUP_CONSENT_MAX_TEXT bytes, no control
 * characters). One transaction holds the decision and its audit entry
 * (actor recorded_by, purpose "consent", action "consent.set", what
 * "consent_decision:<id>", outcome "done", the first person holding the
 * number or none); the next jup_consent_decide sees it. *id (may be NULL)
 * gets the decision's id. JUP_ERR_INVALID for a bad NHS number (never
 * echoed), recorded_by or evidence; JUP_ERR_USAGE for a purpose or source
 * out of range; audit and store errors (nothing written).
 */
jup_status jup_consent_set(jup_store *st, const char *nhs, jup_consent_purpose purpose,
			   jup_consent_source source, bool permit, const char *recorded_by,
			   const char *evidence, int64_t *id, jup_err *err) JUP_MUST_CHECK;

/* jup_consent_policy_each: call fn for every policy row (active or not), in
 * id order; stops at and returns the first status fn gives. Store errors;
 * JUP_ERR_STORE for a row with a purpose this build does not know. */
typedef jup_status (*jup_consent_policy_fn)(void *ctx, const jup_consent_policy *p, jup_err *err);
jup_status jup_consent_policy_each(jup_store *st, jup_consent_policy_fn fn, void *ctx,
				   jup_err *err) JUP_MUST_CHECK;

#endif
