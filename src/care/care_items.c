/*
 * care_items.c - the sections of the joined-up record and the care teams.
 *
 * Which lists a section holds, which of them the end-of-life view keeps and
 * which fields the de-identified view drops is the table `lists` below;
 * one generic reader turns rows into items. Items are read only from the
 * source records that may be shown (c->recs), record by record in id
 * order, and within a record in row id order. Every item carries its
 * source: the organisation and record, the import file and line.
 */
#include "care/care_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define F_IDENT 1u /* identifies (a local id, free text): dropped when de-identified */
#define F_ORG   2u /* an organisation id: shown as the organisation's code */

typedef struct care_field {
	int col;
	const char *key;
	unsigned flags;
} care_field;

typedef jup_status (*care_extra_fn)(care_ctx *c, int64_t id, json_t *item, jup_err *err);

/* One list of a section: a table read by source record. */
typedef struct care_list {
	const char *key; /* its name in the section */
	jup_table table;
	int source_col;    /* the table's source record column */
	unsigned sections; /* a bit per care_section whose records are read for it */
	bool eol;          /* kept in the end-of-life view */
	const care_field *fields;
	size_t nfields;
	care_extra_fn extra; /* adds to each item (NULL: nothing) */
} care_list;

static jup_status diagnoses(care_ctx *c, int64_t id, json_t *item, jup_err *err);

/* clang-format off */
static const care_field registration[] = {
	{ JUP_GPREG_PRACTICE_ID, "practice", F_ORG },
	{ JUP_GPREG_REGISTERED_ON, "registered_on", 0 },
};
static const care_field condition[] = {
	{ JUP_COND_CODE_SYSTEM, "code_system", 0 },
	{ JUP_COND_CODE, "code", 0 },
	{ JUP_COND_DESCRIPTION, "description", F_IDENT },
	{ JUP_COND_ONSET_ON, "onset_on", 0 },
};
static const care_field medication[] = {
	{ JUP_MED_CODE_SYSTEM, "code_system", 0 },
	{ JUP_MED_CODE, "code", 0 },
	{ JUP_MED_DESCRIPTION, "description", F_IDENT },
	{ JUP_MED_STARTED_ON, "started_on", 0 },
	{ JUP_MED_ENDED_ON, "ended_on", 0 },
};
static const care_field eol_plan[] = {
	{ JUP_EOL_ADDED_ON, "added_on", 0 },
	{ JUP_EOL_PLACE_OF_CARE, "preferred_place_of_care", 0 },
	{ JUP_EOL_PLACE_OF_DEATH, "preferred_place_of_death", 0 },
	{ JUP_EOL_RESUSCITATION, "resuscitation", 0 },
};
static const care_field admission[] = {
	{ JUP_ADM_SPELL_ID, "spell_id", F_IDENT },
	{ JUP_ADM_METHOD, "method", 0 },
	{ JUP_ADM_ADMITTED_ON, "admitted_on", 0 },
	{ JUP_ADM_DISCHARGED_ON, "discharged_on", 0 },
	{ JUP_ADM_DESTINATION, "discharge_destination", 0 },
};
static const care_field ae_attendance[] = {
	{ JUP_AE_ATTENDANCE_ID, "attendance_id", F_IDENT },
	{ JUP_AE_ARRIVED_AT, "arrived_at", 0 },
	{ JUP_AE_DISPOSAL, "disposal", 0 },
};
static const care_field assessment[] = {
	{ JUP_SCA_ASSESSMENT_ID, "assessment_id", F_IDENT },
	{ JUP_SCA_KIND, "kind", 0 },
	{ JUP_SCA_STARTED_ON, "started_on", 0 },
	{ JUP_SCA_COMPLETED_ON, "completed_on", 0 },
	{ JUP_SCA_OUTCOME, "outcome", 0 },
};
static const care_field service[] = {
	{ JUP_SCS_SERVICE_ID, "service_id", F_IDENT },
	{ JUP_SCS_KIND, "kind", 0 },
	{ JUP_SCS_STARTED_ON, "started_on", 0 },
	{ JUP_SCS_ENDED_ON, "ended_on", 0 },
	{ JUP_SCS_END_REASON, "end_reason", 0 },
};
static const care_field consent_form[] = {
	{ JUP_SCC_FORM_VERSION, "form_version", 0 },
	{ JUP_SCC_DECISION, "decision", 0 },
	{ JUP_SCC_RECORDED_ON, "recorded_on", 0 },
	{ JUP_SCC_RECORDED_BY, "recorded_by", F_IDENT },
};
static const care_field care_team[] = {
	{ JUP_TEAM_TEAM, "team", F_IDENT },
	{ JUP_TEAM_ROLE, "role", 0 },
	{ JUP_TEAM_STARTED_ON, "started_on", 0 },
	{ JUP_TEAM_ENDED_ON, "ended_on", 0 },
};

#define BIT(s) (1u << (s))
#define EVERY_SECTION (BIT(CARE_GP) | BIT(CARE_HOSPITAL) | BIT(CARE_SOCIAL_CARE))
#define FIELDS(f) f, N(f)

/* In the order they appear in a section. End-of-life plans belong to the
 * section of the record they are held on. */
static const care_list lists[] = {
	{ "registrations", JUP_TABLE_GP_REGISTRATION, JUP_GPREG_SOURCE_ID, BIT(CARE_GP), false,
	  FIELDS(registration), NULL },
	{ "conditions", JUP_TABLE_CONDITION, JUP_COND_SOURCE_ID, BIT(CARE_GP), false,
	  FIELDS(condition), NULL },
	{ "medications", JUP_TABLE_MEDICATION, JUP_MED_SOURCE_ID, BIT(CARE_GP), false,
	  FIELDS(medication), NULL },
	{ "admissions", JUP_TABLE_ADMISSION, JUP_ADM_SOURCE_ID, BIT(CARE_HOSPITAL), false,
	  FIELDS(admission), diagnoses },
	{ "ae_attendances", JUP_TABLE_AE_ATTENDANCE, JUP_AE_SOURCE_ID, BIT(CARE_HOSPITAL), false,
	  FIELDS(ae_attendance), NULL },
	{ "assessments", JUP_TABLE_SC_ASSESSMENT, JUP_SCA_SOURCE_ID, BIT(CARE_SOCIAL_CARE), false,
	  FIELDS(assessment), NULL },
	{ "services", JUP_TABLE_SC_SERVICE, JUP_SCS_SOURCE_ID, BIT(CARE_SOCIAL_CARE), false,
	  FIELDS(service), NULL },
	{ "consent_forms", JUP_TABLE_SC_CONSENT, JUP_SCC_SOURCE_ID, BIT(CARE_SOCIAL_CARE), false,
	  FIELDS(consent_form), NULL },
	{ "end_of_life_plans", JUP_TABLE_EOL_PLAN, JUP_EOL_SOURCE_ID, EVERY_SECTION, true,
	  FIELDS(eol_plan), NULL },
};
/* clang-format on */

/* ---- items ---------------------------------------------------------------------- */

/* The fields of a row the view may show, into item. */
static jup_status add_fields(care_ctx *c, const care_field *fields, size_t n, const jup_value *v,
			     json_t *item, jup_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const care_field *f = &fields[i];
		if (c->deid && (f->flags & F_IDENT))
			continue;
		if (!(f->flags & F_ORG)) {
			care_set(c, item, f->key, care_value(&v[f->col]));
			continue;
		}
		size_t org;
		jup_status r = care_org_get(c, care_int(&v[f->col]), &org, err);
		if (r)
			return r;
		care_set(c, item, f->key, json_string(c->orgs[org].code));
	}
	return JUP_OK;
}

/* An item's source, then the item onto arr (item is released on failure). */
static jup_status finish_item(care_ctx *c, const care_rec *rec, const jup_provenance *prov,
			      json_t *item, json_t *arr, jup_err *err)
{
	json_t *src;
	jup_status r = care_item_source(c, rec, prov, &src, err);
	if (r) {
		json_decref(item);
		return r;
	}
	care_set(c, item, "source", src);
	care_append(c, arr, item);
	return care_done(c, err);
}

typedef struct item_scan {
	care_ctx *c;
	const care_list *l;
	const care_rec *rec;
	json_t *arr;
} item_scan;

static jup_status item_row(void *ctx, int64_t id, const jup_value *v, const jup_provenance *prov,
			   jup_err *err)
{
	item_scan *s = ctx;
	care_ctx *c = s->c;
	json_t *item = json_object();
	if (item)
		care_set(c, item, "id", json_integer(id)); /* the row's store id */
	jup_status r = add_fields(c, s->l->fields, s->l->nfields, v, item, err);
	if (!r && s->l->extra)
		r = s->l->extra(c, id, item, err);
	if (r) {
		json_decref(item);
		return r;
	}
	return finish_item(c, s->rec, prov, item, s->arr, err);
}

/* ---- an admission's diagnoses --------------------------------------------------- */

typedef struct dx_scan {
	care_ctx *c;
	json_t *arr;
} dx_scan;

static jup_status diagnosis_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	care_ctx *c = ((dx_scan *)ctx)->c;
	json_t *arr = ((dx_scan *)ctx)->arr;
	json_int_t pos = care_int(&v[JUP_DIAG_POSITION]);
	json_t *dx = json_object();
	care_set(c, dx, "position", json_integer(pos));
	care_set(c, dx, "code_system", care_value(&v[JUP_DIAG_CODE_SYSTEM]));
	care_set(c, dx, "code", care_value(&v[JUP_DIAG_CODE]));
	/* by position, whatever order the store gives (the primary first) */
	size_t at = json_array_size(arr);
	while (at > 0 &&
	       json_integer_value(json_object_get(json_array_get(arr, at - 1), "position")) > pos)
		at--;
	if (!dx || json_array_insert_new(arr, at, dx))
		c->oom = true;
	return JUP_OK;
}

static jup_status diagnoses(care_ctx *c, int64_t id, json_t *item, jup_err *err)
{
	json_t *arr = json_array();
	care_set(c, item, "diagnoses", arr);
	jup_status r = care_done(c, err);
	if (r)
		return r;
	dx_scan s = { c, arr };
	jup_match by_admission = { JUP_DIAG_ADMISSION_ID, jup_v_int(id) };
	r = jup_store_scan(c->st, JUP_TABLE_ADMISSION_DIAGNOSIS, &by_admission, 1, diagnosis_row,
			   &s, err);
	return r ? r : care_done(c, err);
}

/* ---- the sections --------------------------------------------------------------- */

static jup_status read_list(care_ctx *c, const care_list *l, care_section sec, json_t *arr,
			    jup_err *err)
{
	for (size_t i = 0; i < c->nrecs; i++) {
		if (c->recs[i].section != sec)
			continue;
		item_scan s = { c, l, &c->recs[i], arr };
		jup_match by_record = { l->source_col, jup_v_int(c->recs[i].id) };
		jup_status r =
			jup_store_scan_prov(c->st, l->table, &by_record, 1, item_row, &s, err);
		if (r)
			return r;
	}
	return JUP_OK;
}

static jup_status add_section(care_ctx *c, care_section sec, json_t *root, jup_err *err)
{
	json_t *obj = json_object();
	care_set(c, root, care_section_name(sec), obj); /* obj is root's from here */
	jup_status r = care_done(c, err);
	for (size_t i = 0; !r && i < N(lists); i++) {
		const care_list *l = &lists[i];
		if (!(l->sections & BIT(sec)) || (c->eol && !l->eol))
			continue;
		json_t *arr = json_array();
		care_set(c, obj, l->key, arr);
		r = care_done(c, err);
		if (!r)
			r = read_list(c, l, sec, arr, err);
	}
	return r;
}

/* ---- care teams ----------------------------------------------------------------- */

typedef struct team_scan {
	care_ctx *c;
	const care_rec *rec;
	json_t *arr;
} team_scan;

static jup_status team_row(void *ctx, int64_t id, const jup_value *v, const jup_provenance *prov,
			   jup_err *err)
{
	team_scan *s = ctx;
	care_ctx *c = s->c;
	size_t org;
	jup_status r = care_org_get(c, care_int(&v[JUP_TEAM_ORG_ID]), &org, err);
	if (r)
		return r;
	const care_org *o = &c->orgs[org];
	if (!care_allowed(c, care_section_of(o->kind)))
		return JUP_OK; /* a team of a section the decision withholds */
	json_t *team = json_object();
	if (!team) {
		c->oom = true;
		return care_done(c, err);
	}
	care_set(c, team, "id", json_integer(id));
	care_set(c, team, "organisation", json_string(o->code));
	care_set(c, team, "organisation_name", json_incref(o->name));
	care_set(c, team, "organisation_kind", json_string(jup_store_org_kind_name(o->kind)));
	r = add_fields(c, care_team, N(care_team), v, team, err);
	if (r) {
		json_decref(team);
		return r;
	}
	return finish_item(c, s->rec, prov, team, s->arr, err);
}

static jup_status add_care_teams(care_ctx *c, json_t *root, jup_err *err)
{
	json_t *arr = json_array();
	care_set(c, root, "care_teams", arr);
	jup_status r = care_done(c, err);
	for (size_t i = 0; !r && i < c->nrecs; i++) {
		team_scan s = { c, &c->recs[i], arr };
		jup_match by_record = { JUP_TEAM_SOURCE_ID, jup_v_int(c->recs[i].id) };
		r = jup_store_scan_prov(c->st, JUP_TABLE_CARE_TEAM, &by_record, 1, team_row, &s,
					err);
	}
	return r;
}

jup_status care_sections(care_ctx *c, json_t *root, jup_err *err)
{
	jup_status r = JUP_OK;
	for (int sec = 0; !r && sec < CARE_SECTION__COUNT; sec++)
		if (care_allowed(c, (care_section)sec))
			r = add_section(c, (care_section)sec, root, err);
	return r ? r : add_care_teams(c, root, err);
}
