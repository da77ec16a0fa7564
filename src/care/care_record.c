/*
 * care_record.c - jup_care_record: the joined-up record of a gate
 * decision's persons, as docs/FORMATS.md ("The joined-up record") gives it.
 *
 * The decision is checked before anything is read. Then, in this order:
 * the decision itself (view, purpose, basis, audit entry, persons), the
 * person and their sources (care_person.c), the sections and care teams
 * (care_items.c), and what was withheld and why.
 */
#include "care/care_internal.h"

#include "core/jup_buf.h"

#include <string.h>

/* ---- the decision --------------------------------------------------------------- */

static jup_status check_decision(const jup_gate_decision *d, jup_err *err)
{
	if (!d->permit || d->audit_id <= 0 || d->npersons <= 0 || d->action != JUP_GATE_READ_RECORD)
		return jup_err_set(err, JUP_ERR_DENIED,
				   "the record is read only under a logged permit to read it, for a "
				   "person");
	if (d->view != JUP_GATE_VIEW_FULL && d->view != JUP_GATE_VIEW_EOL &&
	    d->view != JUP_GATE_VIEW_DEIDENTIFIED)
		return jup_err_set(err, JUP_ERR_DENIED,
				   "the decision allows no view of the record");
	if (d->npersons > JUP_GATE_MAX_PERSONS)
		return jup_err_set(err, JUP_ERR_USAGE, "a decision names at most %d persons",
				   JUP_GATE_MAX_PERSONS);
	for (int i = 0; i < d->npersons; i++)
		if (d->persons[i] <= 0)
			return jup_err_set(err, JUP_ERR_USAGE,
					   "a decision's person ids are positive");
	return JUP_OK;
}

static void add_decision(care_ctx *c, json_t *root)
{
	const jup_gate_decision *d = c->d;
	care_set(c, root, "view", json_string(jup_gate_view_name(d->view)));
	care_set(c, root, "purpose", json_string(jup_consent_purpose_name(d->purpose)));
	care_set(c, root, "basis", json_string(jup_gate_basis_name(d->basis)));
	care_set(c, root, "audit_entry", json_integer(d->audit_id));
	json_t *ids = json_array();
	for (int i = 0; i < d->npersons; i++)
		care_append(c, ids, json_integer(d->persons[i]));
	care_set(c, root, "person_ids", ids);
}

/* ---- what was withheld ---------------------------------------------------------- */

/* Whether a consent rule speaks about section s. */
static bool rule_for(care_section s, jup_consent_rule rule)
{
	if (s == CARE_GP)
		return rule == JUP_CONSENT_RULE_GP_TYPE1 ||
		       rule == JUP_CONSENT_RULE_PRACTICE_PARTICIPATION;
	return s == CARE_SOCIAL_CARE && rule == JUP_CONSENT_RULE_SC_CONSENT;
}

static const char *const not_in_view[CARE_SECTION__COUNT] = {
	[CARE_GP] = "The GP record is not part of what this access may show.",
	[CARE_HOSPITAL] = "Hospital records are not part of what this access may show.",
	[CARE_SOCIAL_CARE] =
		"The council social care record is not part of what this access may show.",
};

static const char not_taking_part[] =
	"Records held by an organisation that does not take part in the joined-up record are "
	"not shown.";

/* Why section s is withheld: the consent decision's reasons about it, one
 * after another, or else a plain "not part of this access". */
static jup_status withheld_reason(const care_ctx *c, care_section s, jup_buf *b)
{
	const jup_consent_decision *cd = &c->d->consent;
	int n = cd->nreasons < JUP_CONSENT_MAX_REASONS ? cd->nreasons : JUP_CONSENT_MAX_REASONS;
	jup_status r = JUP_OK;
	for (int i = 0; !r && i < n; i++) {
		const jup_consent_reason *why = &cd->reasons[i];
		if (!rule_for(s, why->rule))
			continue;
		if (b->len)
			r = jup_buf_append_char(b, ' ');
		if (!r)
			r = jup_buf_append(b, why->text, strnlen(why->text, sizeof why->text));
	}
	if (!r && !b->len)
		r = jup_buf_append_cstr(b, not_in_view[s]);
	return r;
}

static jup_status add_withheld(care_ctx *c, json_t *root, jup_err *err)
{
	json_t *arr = json_array();
	care_set(c, root, "withheld", arr);
	jup_buf why;
	jup_buf_init(&why, (JUP_CONSENT_MAX_REASONS + 1) * JUP_CONSENT_MAX_REASON);
	jup_status r = care_done(c, err);
	for (int s = 0; !r && s < CARE_SECTION__COUNT; s++) {
		bool allowed = care_allowed(c, (care_section)s);
		if (!c->held[s] || (allowed && !c->unshared[s]))
			continue;
		jup_buf_reset(&why);
		r = allowed ? jup_buf_append_cstr(&why, not_taking_part)
			    : withheld_reason(c, (care_section)s, &why);
		if (r) {
			r = jup_err_set(err, r, "could not word why a section is withheld");
			break;
		}
		json_t *e = json_object();
		care_set(c, e, "section", json_string(care_section_name((care_section)s)));
		care_set(c, e, "reason", json_stringn(why.data, why.len));
		care_append(c, arr, e);
		r = care_done(c, err);
	}
	jup_buf_free(&why);
	return r;
}

/* ---- the record ----------------------------------------------------------------- */

jup_status jup_care_record(jup_store *st, const jup_gate_decision *d, json_t **out, jup_err *err)
{
	if (out)
		*out = NULL;
	if (!st || !d || !out)
		return jup_err_set(err, JUP_ERR_USAGE, "care record: missing store or decision");
	jup_status r = check_decision(d, err);
	if (r)
		return r;
	care_ctx c = { .st = st, .d = d };
	c.deid = d->view == JUP_GATE_VIEW_DEIDENTIFIED;
	c.eol = d->view == JUP_GATE_VIEW_EOL;
	json_t *root = json_object();
	if (!root)
		c.oom = true;
	else
		add_decision(&c, root);
	r = care_done(&c, err);
	if (!r)
		r = care_person(&c, root, err);
	if (!r)
		r = care_sections(&c, root, err);
	if (!r)
		r = care_plans_section(&c, root, err);
	if (!r)
		r = add_withheld(&c, root, err);
	care_ctx_free(&c);
	if (r) {
		json_decref(root);
		return r;
	}
	*out = root;
	return JUP_OK;
}
