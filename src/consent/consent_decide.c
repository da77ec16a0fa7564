/*
 * consent_decide.c - the consent rules (jup_consent.h gives them in order)
 * and the plain-English reasons a citizen reads.
 */
#include "consent/jup_consent.h"

#include "ingest/jup_ingest_valid.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The purpose as the end of "your information is not used for ...". */
static const char *const uses[JUP_CONSENT_PURPOSE__COUNT] = {
	[JUP_CONSENT_DIRECT_CARE] = "your care",
	[JUP_CONSENT_RISK_STRATIFICATION] =
		"risk stratification (finding people who may need extra support)",
	[JUP_CONSENT_PLANNING] = "planning",
	[JUP_CONSENT_RESEARCH] = "research",
};

/* Add a reason for rule: the sentence fmt, then `also` (may be NULL). */
JUP_PRINTF(3, 5)
static void reason(jup_consent_decision *d, jup_consent_rule rule, const char *fmt,
		   const char *also, ...)
{
	if (d->nreasons >= JUP_CONSENT_MAX_REASONS)
		return; /* cannot happen: one reason per rule */
	jup_consent_reason *r = &d->reasons[d->nreasons++];
	r->rule = rule;
	d->rules |= 1u << rule;
	va_list ap;
	va_start(ap, also);
	int n = vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
	if (also && n >= 0 && (size_t)n < sizeof r->text)
		snprintf(r->text + n, sizeof r->text - (size_t)n, " %s", also);
}

/* Rules 1-4: whether the information is used at all. */
static void whole_rules(const jup_consent_policy *p, const jup_consent_facts *f,
			jup_consent_decision *d)
{
	const char *use = uses[p->purpose];
	jup_consent_choice citizen = f->citizen[p->purpose];
	bool said_yes = citizen == JUP_CONSENT_CHOICE_PERMIT;
	bool citizen_no = p->citizen_choice && citizen == JUP_CONSENT_CHOICE_DENY;
	if (citizen_no)
		reason(d, JUP_CONSENT_RULE_CITIZEN_CHOICE,
		       "You asked for your information not to be used for %s.", NULL, use);
	if (p->record_objection && f->objection == JUP_CONSENT_CHOICE_DENY)
		reason(d, JUP_CONSENT_RULE_RECORD_OBJECTION,
		       "You have objected to your information being shared through the joined-up "
		       "record, so it is not used for %s.",
		       said_yes ? "Saying yes here does not override that objection." : NULL, use);
	if (p->national_opt_out && f->national_opt_out)
		reason(d, JUP_CONSENT_RULE_NATIONAL_OPT_OUT,
		       "You have registered a national data opt-out, so your information is not "
		       "used for %s.",
		       said_yes ? "Saying yes here does not override your national data opt-out; "
				  "you can change the opt-out itself through the NHS."
				: NULL,
		       use);
	if (p->specific_consent && !citizen_no &&
	    !(said_yes && f->citizen_specific[p->purpose]))
		reason(d, JUP_CONSENT_RULE_SPECIFIC_CONSENT,
		       "Your information is used for %s only with your specific consent to it, and "
		       "you have not given it.",
		       said_yes ? "A yes to every purpose is not specific consent." : NULL, use);
	d->permit = d->nreasons == 0;
}

/* Rules 5 and 6: the GP record. */
static void gp_rules(const jup_consent_policy *p, const jup_consent_facts *f,
		     jup_consent_decision *d)
{
	const char *use = uses[p->purpose];
	bool said_yes = f->citizen[p->purpose] == JUP_CONSENT_CHOICE_PERMIT;
	if (p->gp_type1 && f->gp_type1) {
		d->gp_data = false;
		reason(d, JUP_CONSENT_RULE_GP_TYPE1,
		       "You have asked your GP practice not to share your GP record (a type 1 "
		       "objection), so your GP record is not used for %s.",
		       said_yes ? "Saying yes here does not override that objection." : NULL, use);
	}
	if (!p->practice_participation || (f->gp_record && f->gp_participating))
		return;
	d->gp_data = false;
	if (!f->gp_record)
		reason(d, JUP_CONSENT_RULE_PRACTICE_PARTICIPATION,
		       "We hold no record from a GP practice that takes part in the joined-up "
		       "record, so no GP record is shared.",
		       NULL);
	else
		reason(d, JUP_CONSENT_RULE_PRACTICE_PARTICIPATION,
		       "Your GP practice does not take part in the joined-up record, so your GP "
		       "record is not shared%s.",
		       NULL, said_yes ? " even though you agreed" : "");
}

/* Rule 7: the council's consent form. */
static void sc_rules(const jup_consent_policy *p, const jup_consent_facts *f,
		     jup_consent_decision *d)
{
	if (!p->sc_consent || f->sc_form == JUP_CONSENT_CHOICE_PERMIT)
		return;
	d->social_care_data = false;
	if (f->sc_form == JUP_CONSENT_CHOICE_DENY)
		reason(d, JUP_CONSENT_RULE_SC_CONSENT,
		       "You told the council, on its consent form, not to share your social care "
		       "record, so it is not used for %s.",
		       NULL, uses[p->purpose]);
	else
		reason(d, JUP_CONSENT_RULE_SC_CONSENT,
		       "The council has no consent form from you allowing your social care record "
		       "to be shared, so it is not used for %s.",
		       NULL, uses[p->purpose]);
}

static void summarise(jup_consent_decision *d)
{
	const char *use = uses[d->purpose];
	const char *but = "";
	if (!d->permit) {
		snprintf(d->summary, sizeof d->summary, "Your information is not used for %s.",
			 use);
		return;
	}
	if (!d->gp_data && !d->social_care_data)
		but = ", but not your GP record or your social care record";
	else if (!d->gp_data)
		but = ", but not your GP record";
	else if (!d->social_care_data)
		but = ", but not your social care record";
	snprintf(d->summary, sizeof d->summary, "Your information may be used for %s%s.", use, but);
}

void jup_consent_decide_facts(const jup_consent_policy *p, const jup_consent_facts *f,
			      jup_consent_decision *out)
{
	memset(out, 0, sizeof *out);
	out->purpose = p->purpose;
	memcpy(out->flow, p->flow, sizeof out->flow);
	whole_rules(p, f, out);
	out->gp_data = out->social_care_data = out->permit;
	if (out->permit) {
		gp_rules(p, f, out);
		sc_rules(p, f, out);
	}
	summarise(out);
}

jup_status jup_consent_decide(jup_store *st, const char *nhs, jup_consent_purpose purpose,
			      const char *flow, jup_consent_decision *out, jup_err *err)
{
	char canon[11];
	jup_err why;
	if (!nhs || jup_ingest_nhs_number(jup_sv_from(nhs), canon, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "not a valid NHS number");
	if ((unsigned)purpose >= JUP_CONSENT_PURPOSE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "consent is decided for one purpose");
	jup_consent_policy p;
	jup_consent_facts f;
	jup_person person;
	jup_status r = jup_consent_policy_find(st, purpose, flow, &p, err);
	if (r)
		return r;
	r = jup_person_load(st, canon, &person, err);
	if (r == JUP_ERR_NOT_FOUND)
		r = JUP_OK; /* no linked record: the lists and decisions still count */
	if (!r)
		r = jup_consent_facts_load(st, canon, &person, &f, err);
	jup_person_free(&person);
	if (!r)
		jup_consent_decide_facts(&p, &f, out);
	return r;
}
