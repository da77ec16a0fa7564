/*
 * fhir_items.c - the items of a joined-up record's sections as resources:
 * GP registrations (EpisodeOfCare), conditions (Condition), medications
 * (MedicationStatement), admissions with their diagnoses and A&E
 * attendances (Encounter, Condition), social care assessments and services
 * (EpisodeOfCare), council consent forms (Consent), end-of-life plans and
 * care plans (CarePlan), care teams (CareTeam).
 *
 * Which list maps how is the table `lists`; each mapper turns one item into
 * one resource (an admission also gives its diagnoses). Every resource
 * carries the item's source extension and names the organisation in the
 * element FHIR has for it, and the organisation is noted for the Bundle.
 */
#include "fhir/fhir_internal.h"

#include <stdio.h>
#include <string.h>

/* clang-format off */
static const fx_code destinations[] = {
	{ "home", "Home", FX_HL7_CS("discharge-disposition"), "home", "Home" },
	{ "care_home", "Care home", FX_HL7_CS("discharge-disposition"), "long", "Long-term care" },
	{ "reablement", "Reablement", NULL, NULL, NULL },
	{ "other_hospital", "Another hospital", FX_HL7_CS("discharge-disposition"), "other-hcf",
	  "Other healthcare facility" },
	{ "died", "Died", FX_HL7_CS("discharge-disposition"), "exp", "Expired" },
	{ "other", "Other", FX_HL7_CS("discharge-disposition"), "oth", "Other" },
};
static const fx_code disposals[] = {
	{ "admitted", "Admitted", NULL, NULL, NULL },
	{ "discharged", "Discharged", NULL, NULL, NULL },
	{ "referred", "Referred", NULL, NULL, NULL },
	{ "transferred", "Transferred", FX_HL7_CS("discharge-disposition"), "other-hcf",
	  "Other healthcare facility" },
	{ "left", "Left the department", NULL, NULL, NULL },
	{ "died", "Died", FX_HL7_CS("discharge-disposition"), "exp", "Expired" },
};
static const fx_code methods[] = {
	{ "elective", "Elective", FX_HL7_CS("v3-ActPriority"), "EL", "elective" },
	{ "emergency", "Emergency", FX_HL7_CS("v3-ActPriority"), "EM", "emergency" },
};
static const fx_code assessment_kinds[] = {
	{ "needs", "Needs assessment", NULL, NULL, NULL },
	{ "carer", "Carer's assessment", NULL, NULL, NULL },
	{ "review", "Review", NULL, NULL, NULL },
	{ "reablement", "Reablement assessment", NULL, NULL, NULL },
};
static const fx_code assessment_outcomes[] = {
	{ "services_provided", "Services provided", NULL, NULL, NULL },
	{ "no_eligible_needs", "No eligible needs", NULL, NULL, NULL },
	{ "signposted", "Signposted to other support", NULL, NULL, NULL },
	{ "declined", "Declined", NULL, NULL, NULL },
};
static const fx_code service_kinds[] = {
	{ "reablement", "Reablement", NULL, NULL, NULL },
	{ "home_care", "Home care", NULL, NULL, NULL },
	{ "day_care", "Day care", NULL, NULL, NULL },
	{ "direct_payment", "Direct payment", NULL, NULL, NULL },
	{ "residential_care", "Residential care", NULL, NULL, NULL },
	{ "nursing_care", "Nursing care", NULL, NULL, NULL },
};
static const fx_code end_reasons[] = {
	{ "completed", "Completed", NULL, NULL, NULL },
	{ "moved_to_long_term_care", "Moved to long-term care", NULL, NULL, NULL },
	{ "admitted_to_hospital", "Admitted to hospital", NULL, NULL, NULL },
	{ "died", "Died", NULL, NULL, NULL },
	{ "moved_away", "Moved away", NULL, NULL, NULL },
	{ "no_longer_needed", "No longer needed", NULL, NULL, NULL },
};
static const fx_code team_roles[] = {
	{ "social_worker", "Social worker", NULL, NULL, NULL },
	{ "care_coordinator", "Care coordinator", NULL, NULL, NULL },
	{ "district_nurse", "District nurse", NULL, NULL, NULL },
	{ "palliative_care", "Palliative care", NULL, NULL, NULL },
	{ "key_worker", "Key worker", NULL, NULL, NULL },
};
static const fx_code episode_types[] = {
	{ "gp-registration", "GP registration", NULL, NULL, NULL },
	{ "social-care-assessment", "Social care assessment", NULL, NULL, NULL },
	{ "social-care-service", "Social care service", NULL, NULL, NULL },
};
/* clang-format on */

#define CODED(cs, table, code, key) fx_coded(x, FX_CS(cs), table, FX_N(table), code, key)

/* ---- what every item has ---------------------------------------------------------------- */

/* A new resource for item: id PREFIX-N, the source extension, the subject;
 * *org gets the source's organisation (noted for the Bundle). */
static json_t *start(fx_ev *e, const json_t *item, const char *type, const char *prefix,
		     const char *subject_key, const char **org, char id[JUP_FHIR_ID_MAX + 1])
{
	fx *x = e->x;
	json_int_t n = 0;
	(void)fx_get_int(x, item, "id", true, &n);
	fx_item_id(prefix, n, id);
	json_t *r = fx_resource(x, type, id);
	const json_t *src = fx_get_obj(x, item, "source");
	fx_add_ext(x, r, fx_source_ext(x, src, NULL));
	*org = fx_get_str(x, src, "organisation", false);
	if (*org)
		fx_ev_org(e, *org, NULL, NULL, NULL);
	if (subject_key)
		fx_set(x, r, subject_key, fx_ref(x, "Patient", e->pid, NULL));
	return r;
}

/* A one-element array of v. */
static json_t *list1(fx *x, json_t *v)
{
	json_t *a = fx_arr(x);
	fx_push(x, a, v);
	return a;
}

/* An identifier in the system of one organisation ("hospital-spell/R9A"). */
static json_t *local_identifier(fx *x, const char *kind, const char *org, const char *value)
{
	char system[160];
	snprintf(system, sizeof system, "%s/%s/%s", JUP_FHIR_CANONICAL "/Id", kind, org);
	json_t *id = fx_obj(x);
	fx_sets(x, id, "system", system);
	fx_sets(x, id, "value", value);
	return list1(x, id);
}

static void set_period(fx *x, json_t *r, const char *key, const char *start, const char *end)
{
	json_t *p = fx_period(x, start, end);
	if (p)
		fx_set(x, r, key, p);
}

/* A code of the record (code_system snomed or icd10) as a CodeableConcept. */
static json_t *clinical_code(fx *x, const json_t *item, const char *text)
{
	const char *cs = fx_get_str(x, item, "code_system", true);
	const char *code = fx_get_str(x, item, "code", true);
	const char *system = NULL;
	if (cs && strcmp(cs, "snomed") == 0)
		system = JUP_FHIR_SNOMED;
	else if (cs && strcmp(cs, "icd10") == 0)
		system = JUP_FHIR_ICD10;
	else if (cs)
		fx_fail(x, JUP_ERR_INVALID, "record %s.code_system: unknown code", x->where);
	return fx_cc(x, fx_coding(x, system, code, text), NULL, text);
}

static void outcome_ext(fx *x, json_t *r, const char *url, json_t *cc)
{
	json_t *ext = fx_obj(x);
	fx_sets(x, ext, "url", url);
	fx_set(x, ext, "valueCodeableConcept", cc);
	fx_add_ext(x, r, ext);
}

/* ---- GP ------------------------------------------------------------------------------- */

typedef struct item_ctx {
	fx_ev *e;
	size_t index; /* the item's position in its list */
	long current; /* the list's current (latest) item, -1 none */
} item_ctx;

static json_t *registration(item_ctx *c, const json_t *item)
{
	fx_ev *e = c->e;
	fx *x = e->x;
	const char *org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(e, item, "EpisodeOfCare", "gpreg", "patient", &org, id);
	/* only one practice at a time: the latest registration is the current one */
	fx_sets(x, r, "status", (long)c->index == c->current ? "active" : "finished");
	fx_set(x, r, "type",
	       list1(x, CODED("episode-type", episode_types, "gp-registration", "type")));
	const char *practice = fx_get_str(x, item, "practice", true);
	if (practice) {
		fx_ev_org(e, practice, NULL, NULL, NULL);
		fx_set(x, r, "managingOrganization", fx_org_ref(x, practice, NULL));
	}
	set_period(x, r, "period", fx_get_str(x, item, "registered_on", false), NULL);
	return r;
}

static json_t *condition(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	const char *org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(c->e, item, "Condition", "cond", NULL, &org, id);
	fx_set(x, r, "category",
	       list1(x, fx_cc(x,
			      fx_coding(x, FX_HL7_CS("condition-category"), "problem-list-item",
					"Problem List Item"),
			      NULL, NULL)));
	const char *text = x->deid ? NULL : fx_get_str(x, item, "description", false);
	fx_set(x, r, "code", clinical_code(x, item, text));
	fx_set(x, r, "subject", fx_ref(x, "Patient", c->e->pid, NULL));
	fx_sets(x, r, "onsetDateTime", fx_get_str(x, item, "onset_on", false));
	return r;
}

static json_t *medication(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	const char *org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(c->e, item, "MedicationStatement", "med", NULL, &org, id);
	const char *ended = fx_get_str(x, item, "ended_on", false);
	fx_sets(x, r, "status", ended ? "completed" : "active");
	fx_set(x, r, "category",
	       fx_cc(x,
		     fx_coding(x, FX_HL7_CS("medication-statement-category"), "community",
			       "Community"),
		     NULL, NULL));
	const char *text = x->deid ? NULL : fx_get_str(x, item, "description", false);
	fx_set(x, r, "medicationCodeableConcept", clinical_code(x, item, text));
	fx_set(x, r, "subject", fx_ref(x, "Patient", c->e->pid, NULL));
	set_period(x, r, "effectivePeriod", fx_get_str(x, item, "started_on", false), ended);
	if (org)
		fx_set(x, r, "informationSource", fx_org_ref(x, org, NULL));
	return r;
}

static json_t *eol_plan(item_ctx *c, const json_t *item)
{
	const json_t *src = fx_get_obj(c->e->x, item, "source");
	const char *org = fx_get_str(c->e->x, src, "organisation", false);
	if (org)
		fx_ev_org(c->e, org, NULL, NULL, NULL);
	return fx_careplan_eol(c->e->x, item, c->e->pid);
}

/* ---- hospital ------------------------------------------------------------------------- */

static json_t *encounter_class(fx *x, const char *code, const char *display)
{
	return fx_coding(x, FX_V3_ACT_CODE, code, display);
}

/* An admission's diagnoses: one Condition each ("adm-N-dx-P"), referenced
 * from the Encounter by rank. */
static void diagnoses(item_ctx *c, const json_t *item, const char *adm_id, json_t *enc)
{
	fx_ev *e = c->e;
	fx *x = e->x;
	const json_t *list = fx_get_arr(x, item, "diagnoses");
	if (!json_array_size(list))
		return;
	char base[sizeof x->where];
	memcpy(base, x->where, sizeof base);
	json_t *refs = fx_arr(x);
	size_t i;
	const json_t *dx;
	json_array_foreach(list, i, dx)
	{
		fx_where(x, "%s.diagnoses[%zu]", base, i);
		json_int_t pos = 0;
		(void)fx_get_int(x, dx, "position", true, &pos);
		char id[JUP_FHIR_ID_MAX + 1];
		snprintf(id, sizeof id, "%s-dx-%lld", adm_id, (long long)pos);
		json_t *r = fx_resource(x, "Condition", id);
		fx_add_ext(x, r, fx_source_ext(x, fx_get_obj(x, item, "source"), NULL));
		fx_set(x, r, "category",
		       list1(x, fx_cc(x,
				      fx_coding(x, FX_HL7_CS("condition-category"),
						"encounter-diagnosis", "Encounter Diagnosis"),
				      NULL, NULL)));
		fx_set(x, r, "code", clinical_code(x, dx, NULL));
		fx_set(x, r, "subject", fx_ref(x, "Patient", e->pid, NULL));
		fx_set(x, r, "encounter", fx_ref(x, "Encounter", adm_id, NULL));
		fx_push(x, e->items, r);
		json_t *d = fx_obj(x);
		fx_set(x, d, "condition", fx_ref(x, "Condition", id, NULL));
		fx_set(x, d, "rank", json_integer(pos));
		fx_push(x, refs, d);
	}
	fx_where(x, "%s", base);
	fx_set(x, enc, "diagnosis", refs);
}

static void disposition(fx *x, json_t *r, json_t *cc)
{
	json_t *h = fx_obj(x);
	fx_set(x, h, "dischargeDisposition", cc);
	fx_set(x, r, "hospitalization", h);
}

static json_t *admission(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	const char *org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(c->e, item, "Encounter", "adm", "subject", &org, id);
	const char *spell = x->deid ? NULL : fx_get_str(x, item, "spell_id", false);
	if (spell && org)
		fx_set(x, r, "identifier", local_identifier(x, "hospital-spell", org, spell));
	const char *ended = fx_get_str(x, item, "discharged_on", false);
	fx_sets(x, r, "status", ended ? "finished" : "in-progress");
	fx_set(x, r, "class", encounter_class(x, "IMP", "inpatient encounter"));
	fx_set(x, r, "priority",
	       CODED("admission-method", methods, fx_get_str(x, item, "method", true), "method"));
	set_period(x, r, "period", fx_get_str(x, item, "admitted_on", false), ended);
	const char *dest = fx_get_str(x, item, "discharge_destination", false);
	if (dest)
		disposition(x, r,
			    CODED("discharge-destination", destinations, dest,
				  "discharge_destination"));
	if (org)
		fx_set(x, r, "serviceProvider", fx_org_ref(x, org, NULL));
	fx_push(x, c->e->items, r); /* the Encounter before its diagnoses */
	diagnoses(c, item, id, r);
	return NULL;
}

static json_t *ae_attendance(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	const char *org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(c->e, item, "Encounter", "ae", "subject", &org, id);
	const char *att = x->deid ? NULL : fx_get_str(x, item, "attendance_id", false);
	if (att && org)
		fx_set(x, r, "identifier", local_identifier(x, "ae-attendance", org, att));
	fx_sets(x, r, "status", "finished"); /* an attendance is extracted with its disposal */
	fx_set(x, r, "class", encounter_class(x, "EMER", "emergency"));
	const char *arrived = fx_get_str(x, item, "arrived_at", false);
	char when[32];
	if (arrived && !fx_local_datetime(arrived, when))
		fx_fail(x, JUP_ERR_INVALID, "record %s.arrived_at: not a date-time", x->where);
	else if (arrived)
		set_period(x, r, "period", when, NULL);
	const char *disposal = fx_get_str(x, item, "disposal", false);
	if (disposal)
		disposition(x, r, CODED("ae-disposal", disposals, disposal, "disposal"));
	if (org)
		fx_set(x, r, "serviceProvider", fx_org_ref(x, org, NULL));
	return r;
}

/* ---- social care ------------------------------------------------------------------------ */

static json_t *episode(item_ctx *c, const json_t *item, const char *prefix, const char *type,
		       const char *local_key, const char *end_key, json_t *kind)
{
	fx *x = c->e->x;
	const char *org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(c->e, item, "EpisodeOfCare", prefix, "patient", &org, id);
	const char *local = x->deid ? NULL : fx_get_str(x, item, local_key, false);
	if (local && org)
		fx_set(x, r, "identifier", local_identifier(x, type, org, local));
	const char *ended = fx_get_str(x, item, end_key, false);
	fx_sets(x, r, "status", ended ? "finished" : "active");
	json_t *types = list1(x, CODED("episode-type", episode_types, type, "type"));
	fx_push(x, types, kind);
	fx_set(x, r, "type", types);
	set_period(x, r, "period", fx_get_str(x, item, "started_on", false), ended);
	if (org)
		fx_set(x, r, "managingOrganization", fx_org_ref(x, org, NULL));
	return r;
}

static json_t *assessment(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	json_t *kind = CODED("sc-assessment-kind", assessment_kinds,
			     fx_get_str(x, item, "kind", true), "kind");
	json_t *r = episode(c, item, "sca", "social-care-assessment", "assessment_id",
			    "completed_on", kind);
	const char *outcome = fx_get_str(x, item, "outcome", false);
	if (outcome)
		outcome_ext(
			x, r, FX_EXT("episode-outcome"),
			CODED("sc-assessment-outcome", assessment_outcomes, outcome, "outcome"));
	return r;
}

static json_t *service(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	json_t *kind =
		CODED("sc-service-kind", service_kinds, fx_get_str(x, item, "kind", true), "kind");
	json_t *r = episode(c, item, "scs", "social-care-service", "service_id", "ended_on", kind);
	const char *reason = fx_get_str(x, item, "end_reason", false);
	if (reason)
		outcome_ext(x, r, FX_EXT("episode-outcome"),
			    CODED("sc-service-end-reason", end_reasons, reason, "end_reason"));
	return r;
}

/* A council consent form: the person's decision about sharing their social
 * care record; the latest form is in force, earlier ones are inactive. */
static json_t *consent_form(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	const char *org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(c->e, item, "Consent", "scc", "patient", &org, id);
	fx_sets(x, r, "status", (long)c->index == c->current ? "active" : "inactive");
	fx_set(x, r, "scope",
	       fx_cc(x,
		     fx_coding(x, FX_HL7_CS("consentscope"), "patient-privacy", "Privacy Consent"),
		     NULL, NULL));
	fx_set(x, r, "category",
	       list1(x, fx_cc(x, fx_coding(x, "http://loinc.org", "59284-0", "Patient Consent"),
			      NULL, NULL)));
	fx_sets(x, r, "dateTime", fx_get_str(x, item, "recorded_on", false));
	if (org)
		fx_set(x, r, "organization", list1(x, fx_org_ref(x, org, NULL)));
	const char *form = fx_get_str(x, item, "form_version", false);
	if (form) {
		json_t *att = fx_obj(x);
		fx_sets(x, att, "title", form);
		fx_set(x, r, "sourceAttachment", att);
	}
	fx_set(x, r, "policyRule",
	       fx_cc(x, fx_coding(x, FX_V3_ACT_CODE, "OPTIN", "opt-in"), NULL, NULL));
	const char *decision = fx_get_str(x, item, "decision", true);
	if (decision && strcmp(decision, "permit") != 0 && strcmp(decision, "deny") != 0)
		fx_fail(x, JUP_ERR_INVALID, "record %s.decision: unknown code", x->where);
	json_t *prov = fx_obj(x);
	fx_sets(x, prov, "type", decision);
	fx_set(x, prov, "code",
	       list1(x, fx_cc(x,
			      fx_coding(x, FX_CS("record-section"), "social_care",
					"Council social care record"),
			      NULL, NULL)));
	fx_set(x, r, "provision", prov);
	return r;
}

/* ---- care teams and care plans ---------------------------------------------------------- */

static json_t *care_team(item_ctx *c, const json_t *item)
{
	fx_ev *e = c->e;
	fx *x = e->x;
	const char *src_org;
	char id[JUP_FHIR_ID_MAX + 1];
	json_t *r = start(e, item, "CareTeam", "team", "subject", &src_org, id);
	const char *ended = fx_get_str(x, item, "ended_on", false);
	fx_sets(x, r, "status", ended ? "inactive" : "active");
	if (!x->deid)
		fx_sets(x, r, "name", fx_get_str(x, item, "team", false));
	const char *org = fx_get_str(x, item, "organisation", true);
	if (org)
		fx_ev_org(e, org, fx_get_str(x, item, "organisation_name", false),
			  fx_get_str(x, item, "organisation_kind", false), NULL);
	const char *start_on = fx_get_str(x, item, "started_on", false);
	set_period(x, r, "period", start_on, ended);
	json_t *p = fx_obj(x);
	fx_set(x, p, "role",
	       list1(x, CODED("care-team-role", team_roles, fx_get_str(x, item, "role", true),
			      "role")));
	if (org)
		fx_set(x, p, "member", fx_org_ref(x, org, NULL));
	set_period(x, p, "period", start_on, ended);
	fx_set(x, r, "participant", list1(x, p));
	if (org)
		fx_set(x, r, "managingOrganization", list1(x, fx_org_ref(x, org, NULL)));
	return r;
}

static json_t *care_plan(item_ctx *c, const json_t *item)
{
	fx *x = c->e->x;
	const json_t *src = fx_get_obj(x, item, "source");
	const json_t *author = fx_get_obj(x, item, "author");
	const char *org = fx_get_str(x, src, "organisation", false);
	const char *by = fx_get_str(x, author, "organisation", false);
	if (org)
		fx_ev_org(c->e, org, NULL, NULL, NULL);
	if (by)
		fx_ev_org(c->e, by, NULL, NULL, NULL);
	return fx_careplan(x, item, c->e->pid);
}

/* ---- the lists -------------------------------------------------------------------------- */

typedef json_t *(*item_fn)(item_ctx *c, const json_t *item);

typedef struct fx_list {
	const char *section; /* NULL: a list at the top of the record */
	const char *key;
	item_fn map;
	const char *latest_by; /* the date whose latest item is current (NULL: none) */
} fx_list;

static const fx_list lists[] = {
	{ "gp", "registrations", registration, "registered_on" },
	{ "gp", "conditions", condition, NULL },
	{ "gp", "medications", medication, NULL },
	{ "gp", "end_of_life_plans", eol_plan, NULL },
	{ "hospital", "admissions", admission, NULL },
	{ "hospital", "ae_attendances", ae_attendance, NULL },
	{ "hospital", "end_of_life_plans", eol_plan, NULL },
	{ "social_care", "assessments", assessment, NULL },
	{ "social_care", "services", service, NULL },
	{ "social_care", "consent_forms", consent_form, "recorded_on" },
	{ "social_care", "end_of_life_plans", eol_plan, NULL },
	{ NULL, "care_plans", care_plan, NULL },
	{ NULL, "care_teams", care_team, NULL },
};

static void map_list(fx_ev *e, const fx_list *l)
{
	fx *x = e->x;
	fx_where(x, "%s", l->section ? l->section : "");
	const json_t *holder = l->section ? fx_get_obj(x, e->record, l->section) : e->record;
	const json_t *arr = holder ? fx_get_arr(x, holder, l->key) : NULL;
	char where[64];
	snprintf(where, sizeof where, "%s%s%s", l->section ? l->section : "", l->section ? "." : "",
		 l->key);
	item_ctx c = { e, 0, l->latest_by ? fx_latest(x, arr, l->latest_by, where) : -1 };
	size_t i;
	const json_t *item;
	json_array_foreach(arr, i, item)
	{
		if (x->st)
			return;
		fx_where(x, "%s[%zu]", where, i);
		c.index = i;
		json_t *r = l->map(&c, item);
		if (r)
			fx_push(x, e->items, r);
	}
}

void fx_ev_sections(fx_ev *e)
{
	for (size_t i = 0; i < FX_N(lists) && !e->x->st; i++)
		map_list(e, &lists[i]);
}
