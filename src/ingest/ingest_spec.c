/*
 * ingest_spec.c - the extract kinds of docs/FORMATS.md as tables.
 *
 * Keep this file and docs/FORMATS.md in step: a column added here is a
 * column documented there.
 */
#include "ingest/ingest_spec.h"

#include <string.h>

static const char *const sexes[] = { "M", "F", "U", NULL };
static const char *const org_kinds[] = { "gp_practice", "hospital_trust", "council", "hospice",
					  NULL };
static const char *const places[] = { "home", "care_home", "hospice", "hospital", "other",
				      NULL };
static const char *const resuscitation[] = { "dnacpr", "attempt_cpr", "not_discussed", NULL };
static const char *const methods[] = { "elective", "emergency", NULL };
static const char *const destinations[] = { "home",         "care_home", "reablement",
					    "other_hospital", "died",    "other",
					    NULL };
static const char *const disposals[] = { "admitted", "discharged", "referred", "transferred",
					 "left",     "died",       NULL };
static const char *const assessment_kinds[] = { "needs", "carer", "review", "reablement",
						NULL };
static const char *const assessment_outcomes[] = { "services_provided", "no_eligible_needs",
						   "signposted", "declined", NULL };
static const char *const service_kinds[] = { "reablement",       "home_care",
					     "day_care",         "direct_payment",
					     "residential_care", "nursing_care",
					     NULL };
static const char *const end_reasons[] = { "completed",        "moved_to_long_term_care",
					   "admitted_to_hospital", "died",
					   "moved_away",       "no_longer_needed",
					   NULL };
static const char *const decisions[] = { "permit", "deny", NULL };
static const char *const team_roles[] = { "social_worker",   "care_coordinator",
					  "district_nurse",  "palliative_care",
					  "key_worker",      NULL };
static const char *const death_places[] = { "home", "care_home", "hospital", "hospice", "other",
					    NULL };

/* Column shorthands: the designated initialisers keep each row readable. */
#define COL(n, t, req, c) { .name = n, .type = t, .required = req, .col = c, .col2 = NO_COL, \
			    .col3 = NO_COL }
#define TEXT(n, req, c, m) { .name = n, .type = F_TEXT, .required = req, .col = c,         \
			     .col2 = NO_COL, .col3 = NO_COL, .max = m }
#define ENUM(n, req, c, v) { .name = n, .type = F_ENUM, .required = req, .col = c,         \
			     .col2 = NO_COL, .col3 = NO_COL, .values = v }
#define ORG(n, req, c, c2, k) { .name = n, .type = F_ORG, .required = req, .col = c,      \
				.col2 = c2, .col3 = NO_COL, .org_kind = k }
#define SREF(n, c, org) { .name = n, .type = F_SOURCE_REF, .required = true, .col = c,    \
			  .col2 = NO_COL, .col3 = NO_COL, .ref = org }
#define DATE(n, req, c, nb) { .name = n, .type = F_DATE, .required = req, .col = c,       \
			      .col2 = NO_COL, .col3 = NO_COL, .not_before = nb }
#define CODE(n, c, sys) { .name = n, .type = F_CODE, .required = true, .col = c,          \
			  .col2 = NO_COL, .col3 = NO_COL, .ref = sys }
#define SYSTEM(c) ENUM("code_system", true, c, code_systems)
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const code_systems[] = { "snomed", "icd10", NULL };

static const field_spec organisations[] = {
	COL("org_code", F_ORG_CODE, true, JUP_ORG_CODE),
	TEXT("name", true, JUP_ORG_NAME, 200),
	ENUM("kind", true, JUP_ORG_KIND, org_kinds),
	COL("participating", F_YN, true, JUP_ORG_PARTICIPATING),
	{ .name = "postcode", .type = F_POSTCODE, .col = NO_COL, .col2 = JUP_ORG_POSTCODE,
	  .col3 = NO_COL },
};

/* The demographic columns every record master carries. */
#define DEMOGRAPHICS(nhs_type, postcode_required)                                             \
	COL("local_id", F_LOCAL_ID, true, JUP_SRC_LOCAL_ID),                                  \
	{ .name = "nhs_number", .type = nhs_type, .required = nhs_type == F_NHS_STRICT,       \
	  .col = JUP_SRC_NHS_NUMBER_RAW, .col2 = JUP_SRC_NHS_NUMBER,                          \
	  .col3 = JUP_SRC_NHS_NUMBER_STATUS },                                                \
	TEXT("given_name", true, JUP_SRC_GIVEN_NAME, JUP_MAX_NAME_LEN),                       \
	TEXT("family_name", true, JUP_SRC_FAMILY_NAME, JUP_MAX_NAME_LEN),                     \
	DATE("dob", true, JUP_SRC_DOB, NULL),                                                 \
	ENUM("sex", true, JUP_SRC_SEX, sexes),                                                \
	{ .name = "postcode", .type = F_POSTCODE, .required = postcode_required,              \
	  .col = JUP_SRC_POSTCODE_RAW, .col2 = JUP_SRC_POSTCODE, .col3 = NO_COL },            \
	TEXT("address", false, JUP_SRC_ADDRESS, JUP_MAX_ADDRESS_LEN)

static const field_spec gp_patients[] = {
	ORG("practice_code", true, JUP_SRC_ORG_ID, JUP_SRC_PRACTICE_ID, JUP_ORG_GP_PRACTICE),
	DEMOGRAPHICS(F_NHS_STRICT, true),
	DATE("registered_on", true, NO_COL, "dob"),
};

static const field_spec hospital_patients[] = {
	ORG("trust_code", true, JUP_SRC_ORG_ID, NO_COL, JUP_ORG_HOSPITAL_TRUST),
	DEMOGRAPHICS(F_NHS_FLAGGED, false),
};

static const field_spec social_care_clients[] = {
	ORG("council_code", true, JUP_SRC_ORG_ID, NO_COL, JUP_ORG_COUNCIL),
	DEMOGRAPHICS(F_NHS_FLAGGED, false),
	ORG("practice_code", false, JUP_SRC_PRACTICE_ID, NO_COL, JUP_ORG_GP_PRACTICE),
};

static const field_spec gp_conditions[] = {
	ORG("practice_code", true, NO_COL, NO_COL, JUP_ORG_GP_PRACTICE),
	SREF("local_id", JUP_COND_SOURCE_ID, "practice_code"),
	SYSTEM(JUP_COND_CODE_SYSTEM),
	CODE("code", JUP_COND_CODE, "code_system"),
	TEXT("description", false, JUP_COND_DESCRIPTION, JUP_MAX_TEXT_LEN),
	DATE("onset_on", true, JUP_COND_ONSET_ON, NULL),
};

static const field_spec gp_medications[] = {
	ORG("practice_code", true, NO_COL, NO_COL, JUP_ORG_GP_PRACTICE),
	SREF("local_id", JUP_MED_SOURCE_ID, "practice_code"),
	SYSTEM(JUP_MED_CODE_SYSTEM),
	CODE("code", JUP_MED_CODE, "code_system"),
	TEXT("description", false, JUP_MED_DESCRIPTION, JUP_MAX_TEXT_LEN),
	DATE("started_on", true, JUP_MED_STARTED_ON, NULL),
	DATE("ended_on", false, JUP_MED_ENDED_ON, "started_on"),
};

static const field_spec gp_eol_register[] = {
	ORG("practice_code", true, NO_COL, NO_COL, JUP_ORG_GP_PRACTICE),
	SREF("local_id", JUP_EOL_SOURCE_ID, "practice_code"),
	DATE("added_on", true, JUP_EOL_ADDED_ON, NULL),
	ENUM("preferred_place_of_care", false, JUP_EOL_PLACE_OF_CARE, places),
	ENUM("preferred_place_of_death", false, JUP_EOL_PLACE_OF_DEATH, places),
	ENUM("resuscitation", true, JUP_EOL_RESUSCITATION, resuscitation),
};

static const field_spec gp_objections[] = {
	ORG("practice_code", true, JUP_OPT_ORG_ID, NO_COL, JUP_ORG_GP_PRACTICE),
	{ .name = "nhs_number", .type = F_NHS_STRICT, .required = true, .col = NO_COL,
	  .col2 = JUP_OPT_NHS_NUMBER, .col3 = NO_COL },
	DATE("recorded_on", true, JUP_OPT_RECORDED_ON, NULL),
};

static const field_spec national_opt_outs[] = {
	{ .name = "nhs_number", .type = F_NHS_STRICT, .required = true, .col = NO_COL,
	  .col2 = JUP_OPT_NHS_NUMBER, .col3 = NO_COL },
	DATE("recorded_on", true, JUP_OPT_RECORDED_ON, NULL),
};

static const field_spec hospital_admissions[] = {
	ORG("trust_code", true, JUP_ADM_ORG_ID, NO_COL, JUP_ORG_HOSPITAL_TRUST),
	COL("spell_id", F_LOCAL_ID, true, JUP_ADM_SPELL_ID),
	SREF("local_id", JUP_ADM_SOURCE_ID, "trust_code"),
	ENUM("method", true, JUP_ADM_METHOD, methods),
	DATE("admitted_on", true, JUP_ADM_ADMITTED_ON, NULL),
	DATE("discharged_on", false, JUP_ADM_DISCHARGED_ON, "admitted_on"),
	ENUM("discharge_destination", false, JUP_ADM_DESTINATION, destinations),
	COL("diagnoses", F_DIAGNOSES, true, NO_COL),
};

static const field_spec ae_attendances[] = {
	ORG("trust_code", true, JUP_AE_ORG_ID, NO_COL, JUP_ORG_HOSPITAL_TRUST),
	COL("attendance_id", F_LOCAL_ID, true, JUP_AE_ATTENDANCE_ID),
	SREF("local_id", JUP_AE_SOURCE_ID, "trust_code"),
	COL("arrived_at", F_DATETIME, true, JUP_AE_ARRIVED_AT),
	ENUM("disposal", true, JUP_AE_DISPOSAL, disposals),
};

static const field_spec social_care_assessments[] = {
	ORG("council_code", true, JUP_SCA_ORG_ID, NO_COL, JUP_ORG_COUNCIL),
	COL("assessment_id", F_LOCAL_ID, true, JUP_SCA_ASSESSMENT_ID),
	SREF("local_id", JUP_SCA_SOURCE_ID, "council_code"),
	ENUM("kind", true, JUP_SCA_KIND, assessment_kinds),
	DATE("started_on", true, JUP_SCA_STARTED_ON, NULL),
	DATE("completed_on", false, JUP_SCA_COMPLETED_ON, "started_on"),
	ENUM("outcome", false, JUP_SCA_OUTCOME, assessment_outcomes),
};

static const field_spec social_care_services[] = {
	ORG("council_code", true, JUP_SCS_ORG_ID, NO_COL, JUP_ORG_COUNCIL),
	COL("service_id", F_LOCAL_ID, true, JUP_SCS_SERVICE_ID),
	SREF("local_id", JUP_SCS_SOURCE_ID, "council_code"),
	ENUM("kind", true, JUP_SCS_KIND, service_kinds),
	DATE("started_on", true, JUP_SCS_STARTED_ON, NULL),
	DATE("ended_on", false, JUP_SCS_ENDED_ON, "started_on"),
	ENUM("end_reason", false, JUP_SCS_END_REASON, end_reasons),
};

static const field_spec social_care_consents[] = {
	ORG("council_code", true, NO_COL, NO_COL, JUP_ORG_COUNCIL),
	SREF("local_id", JUP_SCC_SOURCE_ID, "council_code"),
	TEXT("form_version", true, JUP_SCC_FORM_VERSION, 64),
	ENUM("decision", true, JUP_SCC_DECISION, decisions),
	DATE("recorded_on", true, JUP_SCC_RECORDED_ON, NULL),
	TEXT("recorded_by", true, JUP_SCC_RECORDED_BY, 64),
};

static const field_spec care_team[] = {
	ORG("org_code", true, JUP_TEAM_ORG_ID, NO_COL, ANY_ORG),
	TEXT("team", true, JUP_TEAM_TEAM, 200),
	ORG("source_org", true, NO_COL, NO_COL, ANY_ORG),
	SREF("local_id", JUP_TEAM_SOURCE_ID, "source_org"),
	ENUM("role", true, JUP_TEAM_ROLE, team_roles),
	DATE("started_on", true, JUP_TEAM_STARTED_ON, NULL),
	DATE("ended_on", false, JUP_TEAM_ENDED_ON, "started_on"),
};

static const field_spec deaths[] = {
	{ .name = "nhs_number", .type = F_NHS_STRICT, .required = true, .col = NO_COL,
	  .col2 = JUP_DEATH_NHS_NUMBER, .col3 = NO_COL },
	DATE("dob", true, JUP_DEATH_DOB, NULL),
	DATE("date_of_death", true, JUP_DEATH_DATE_OF_DEATH, "dob"),
	ENUM("place_of_death", true, JUP_DEATH_PLACE_OF_DEATH, death_places),
};

#define SPEC(k, ord, tbl, dup, cols, ...)                                                     \
	{ .kind = k, .order = ord, .table = tbl, .dup_field = dup, .fields = cols,            \
	  .nfields = N(cols), __VA_ARGS__ }
#define NOCONST .const_col = NO_COL

static const extract_spec specs[] = {
	SPEC("organisations", 0, JUP_TABLE_ORGANISATION, "org_code", organisations, NOCONST),
	SPEC("gp_patients", 1, JUP_TABLE_SOURCE_RECORD, "local_id", gp_patients,
	     .after = ingest_after_gp_patient, NOCONST),
	SPEC("hospital_patients", 1, JUP_TABLE_SOURCE_RECORD, "local_id", hospital_patients, NOCONST),
	SPEC("social_care_clients", 1, JUP_TABLE_SOURCE_RECORD, "local_id",
	     social_care_clients, NOCONST),
	SPEC("gp_conditions", 2, JUP_TABLE_CONDITION, NULL, gp_conditions, NOCONST),
	SPEC("gp_medications", 2, JUP_TABLE_MEDICATION, NULL, gp_medications, NOCONST),
	SPEC("gp_eol_register", 2, JUP_TABLE_EOL_PLAN, NULL, gp_eol_register, NOCONST),
	SPEC("gp_objections", 2, JUP_TABLE_OPT_OUT, NULL, gp_objections,
	     .const_col = JUP_OPT_KIND, .const_val = "gp_type1"),
	SPEC("national_opt_outs", 2, JUP_TABLE_OPT_OUT, NULL, national_opt_outs,
	     .const_col = JUP_OPT_KIND, .const_val = "national_data_opt_out"),
	SPEC("hospital_admissions", 2, JUP_TABLE_ADMISSION, "spell_id", hospital_admissions,
	     .after = ingest_after_admission, NOCONST),
	SPEC("ae_attendances", 2, JUP_TABLE_AE_ATTENDANCE, "attendance_id", ae_attendances, NOCONST),
	SPEC("social_care_assessments", 2, JUP_TABLE_SC_ASSESSMENT, "assessment_id",
	     social_care_assessments, NOCONST),
	SPEC("social_care_services", 2, JUP_TABLE_SC_SERVICE, "service_id",
	     social_care_services, NOCONST),
	SPEC("social_care_consents", 2, JUP_TABLE_SC_CONSENT, NULL, social_care_consents, NOCONST),
	SPEC("care_team", 2, JUP_TABLE_CARE_TEAM, NULL, care_team, NOCONST),
	SPEC("deaths", 2, JUP_TABLE_DEATH, NULL, deaths, NOCONST),
};

const extract_spec *ingest_specs(int *n)
{
	*n = N(specs);
	return specs;
}

const extract_spec *ingest_spec_for(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const extract_spec *best = NULL;
	for (int i = 0; i < N(specs); i++) {
		size_t k = strlen(specs[i].kind);
		if (strncmp(base, specs[i].kind, k) != 0)
			continue;
		char next = base[k];
		if (next != '.' && next != '_' && next != '-')
			continue;
		if (!best || k > strlen(best->kind))
			best = &specs[i];
	}
	return best;
}
