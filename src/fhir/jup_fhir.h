/*
 * jup_fhir.h - joinedup's model as FHIR R4 JSON (UK Core conventions), and
 * the few FHIR resources clients send us read back into the model.
 *
 * Pure mapping: no HTTP, no store. Functions take jansson values or structs
 * and give NEW jansson values (the caller owns *out and json_decref's it;
 * *out is NULL after any failure). Nothing here reads personal data on its
 * own: the record JSON it maps was read by src/care behind a permitted gate
 * decision, and the caller decides what reaches a client.
 *
 * What each resource holds, the id scheme, the provenance scheme, the code
 * systems and extensions: docs/FHIR.md. In short:
 *  - resource ids are stable and unique within the server: a prefix per kind
 *    of row and the row's store id ("cond-12", "adm-7", "adm-7-dx-2"),
 *    "org-" and the ODS code for organisations, "cp-" and the care plan's
 *    logical id, the caller's patient id for the Patient;
 *  - every resource taken from a record carries the extension
 *    JUP_FHIR_EXT_SOURCE (organisation code, record, import file and line)
 *    and, where FHIR has an element for it, a reference to the Organization;
 *  - our own code systems, identifier systems and extensions live under
 *    JUP_FHIR_CANONICAL.
 *
 * Errors: JUP_ERR_USAGE for a missing argument or a malformed caller value
 * (a patient id that is not a FHIR id, an unknown enum); JUP_ERR_INVALID for
 * input that breaks the rules, with a message naming where (a JSON path)
 * and never echoing a value; JUP_ERR_LIMIT past a limit of
 * src/core/jup_limits.h; JUP_ERR_NOMEM.
 */
#ifndef JUP_FHIR_H
#define JUP_FHIR_H

#include "audit/jup_audit.h"
#include "consent/jup_consent.h"
#include "core/jup_status.h"
#include "link/jup_link_db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The base of joinedup's own canonical URLs (code systems, extensions,
 * identifier systems). A placeholder under the reserved .example domain
 * until the project publishes its definitions; a deployment changes it
 * here, in one place. */
#define JUP_FHIR_CANONICAL "https://joinedup.example/fhir"

/* The extension every resource taken from a record carries: where it came
 * from (docs/FHIR.md, "Provenance"). */
#define JUP_FHIR_EXT_SOURCE JUP_FHIR_CANONICAL "/StructureDefinition/source"
/* End-of-life preferences on a CarePlan (docs/FHIR.md, "CarePlan"). */
#define JUP_FHIR_EXT_EOL JUP_FHIR_CANONICAL "/StructureDefinition/end-of-life"
/* The kind of a care plan: care_plan, end_of_life, note. */
#define JUP_FHIR_CS_CARE_PLAN_KIND JUP_FHIR_CANONICAL "/CodeSystem/care-plan-kind"
/* Purposes of use as joinedup names them (direct_care, ...). */
#define JUP_FHIR_CS_PURPOSE JUP_FHIR_CANONICAL "/CodeSystem/purpose"

/* National systems. */
#define JUP_FHIR_NHS_NUMBER "https://fhir.nhs.uk/Id/nhs-number"
#define JUP_FHIR_ODS_CODE   "https://fhir.nhs.uk/Id/ods-organization-code"
#define JUP_FHIR_SNOMED     "http://snomed.info/sct"
#define JUP_FHIR_ICD10      "http://hl7.org/fhir/sid/icd-10"

/* A FHIR id: 1 to 64 of [A-Za-z0-9.-]. */
#define JUP_FHIR_ID_MAX 64

/* jup_fhir_id_ok: whether s is a FHIR id (NULL is not). */
bool jup_fhir_id_ok(const char *s);

/* What a resource id names (docs/FHIR.md, "Resource ids"). */
typedef enum jup_fhir_row {
	JUP_FHIR_ROW_GP_REGISTRATION,     /* EpisodeOfCare gpreg-N */
	JUP_FHIR_ROW_CONDITION,           /* Condition cond-N */
	JUP_FHIR_ROW_ADMISSION_DIAGNOSIS, /* Condition adm-N-dx-P (row: the admission) */
	JUP_FHIR_ROW_MEDICATION,          /* MedicationStatement med-N */
	JUP_FHIR_ROW_EOL_PLAN,            /* CarePlan eol-N */
	JUP_FHIR_ROW_CARE_PLAN,           /* CarePlan cp-ID (text: the plan id) */
	JUP_FHIR_ROW_ADMISSION,           /* Encounter adm-N */
	JUP_FHIR_ROW_AE_ATTENDANCE,       /* Encounter ae-N */
	JUP_FHIR_ROW_SC_ASSESSMENT,       /* EpisodeOfCare sca-N */
	JUP_FHIR_ROW_SC_SERVICE,          /* EpisodeOfCare scs-N */
	JUP_FHIR_ROW_SC_CONSENT,          /* Consent scc-N */
	JUP_FHIR_ROW_CONSENT,             /* Consent consent-PATIENT-PURPOSE */
	JUP_FHIR_ROW_CARE_TEAM,           /* CareTeam team-N */
	JUP_FHIR_ROW_ORGANISATION,        /* Organization org-CODE (text: the code) */
	JUP_FHIR_ROW_AUDIT_ENTRY,         /* AuditEvent audit-N */
	JUP_FHIR_ROW__COUNT
} jup_fhir_row;

/* A resource id read back. */
typedef struct jup_fhir_id {
	jup_fhir_row row;
	int64_t n;                      /* the store id (N), 0 when the id has none */
	int64_t position;               /* a diagnosis's position (P), else 0 */
	jup_consent_purpose purpose;    /* a consent's purpose */
	char text[JUP_FHIR_ID_MAX + 1]; /* a plan id, an ODS code, a consent's patient id */
} jup_fhir_id;

/* jup_fhir_id_parse: what id names, for a request to Type/id (type the
 * resource type, "Condition"): the kind of row and its store id, so the
 * server finds the item (and whose record it is in) without a search.
 * JUP_ERR_NOT_FOUND for an id that is not of joinedup's scheme for that
 * type (the server's 404: no such resource); JUP_ERR_USAGE for a missing
 * argument. Numbers are decimal without sign or leading zeros, 1 to
 * 2^63-1. */
jup_status jup_fhir_id_parse(const char *type, const char *id, jup_fhir_id *out,
			     jup_err *err) JUP_MUST_CHECK;

/* ---- JSON bodies ----------------------------------------------------------------- */

/*
 * jup_fhir_json_parse: read a client's JSON body (every JSON body the
 * server takes goes through here). The body must be 1 to
 * JUP_JSON_MAX_BODY_LEN bytes (JUP_ERR_LIMIT past it), nested no deeper
 * than JUP_JSON_MAX_DEPTH arrays and objects (JUP_ERR_LIMIT, checked
 * before jansson sees it), one JSON object with nothing after it but
 * white space, no key twice in one object, UTF-8 without NUL characters
 * (JUP_ERR_INVALID, "request body: duplicate key at line L, column C").
 * Messages never quote the body. *out (caller json_decref's) gets the
 * object.
 */
jup_status jup_fhir_json_parse(const char *body, size_t len, json_t **out,
			       jup_err *err) JUP_MUST_CHECK;

/* ---- OperationOutcome ------------------------------------------------------------ */

typedef enum jup_fhir_severity {
	JUP_FHIR_FATAL,
	JUP_FHIR_ERROR,
	JUP_FHIR_WARNING,
	JUP_FHIR_INFORMATION,
	JUP_FHIR_SEVERITY__COUNT
} jup_fhir_severity;

/* The FHIR R4 issue types (http://hl7.org/fhir/issue-type). */
typedef enum jup_fhir_issue {
	JUP_FHIR_ISSUE_INVALID,
	JUP_FHIR_ISSUE_STRUCTURE,
	JUP_FHIR_ISSUE_REQUIRED,
	JUP_FHIR_ISSUE_VALUE,
	JUP_FHIR_ISSUE_INVARIANT,
	JUP_FHIR_ISSUE_SECURITY,
	JUP_FHIR_ISSUE_LOGIN,
	JUP_FHIR_ISSUE_UNKNOWN,
	JUP_FHIR_ISSUE_EXPIRED,
	JUP_FHIR_ISSUE_FORBIDDEN,
	JUP_FHIR_ISSUE_SUPPRESSED,
	JUP_FHIR_ISSUE_PROCESSING,
	JUP_FHIR_ISSUE_NOT_SUPPORTED,
	JUP_FHIR_ISSUE_DUPLICATE,
	JUP_FHIR_ISSUE_MULTIPLE_MATCHES,
	JUP_FHIR_ISSUE_NOT_FOUND,
	JUP_FHIR_ISSUE_DELETED,
	JUP_FHIR_ISSUE_TOO_LONG,
	JUP_FHIR_ISSUE_CODE_INVALID,
	JUP_FHIR_ISSUE_EXTENSION,
	JUP_FHIR_ISSUE_TOO_COSTLY,
	JUP_FHIR_ISSUE_BUSINESS_RULE,
	JUP_FHIR_ISSUE_CONFLICT,
	JUP_FHIR_ISSUE_TRANSIENT,
	JUP_FHIR_ISSUE_LOCK_ERROR,
	JUP_FHIR_ISSUE_NO_STORE,
	JUP_FHIR_ISSUE_EXCEPTION,
	JUP_FHIR_ISSUE_TIMEOUT,
	JUP_FHIR_ISSUE_INCOMPLETE,
	JUP_FHIR_ISSUE_THROTTLED,
	JUP_FHIR_ISSUE_INFORMATIONAL,
	JUP_FHIR_ISSUE__COUNT
} jup_fhir_issue;

/* jup_fhir_issue_name / jup_fhir_severity_name: the FHIR code ("too-long",
 * "error"); "unknown" out of range. */
const char *jup_fhir_issue_name(jup_fhir_issue code);
const char *jup_fhir_severity_name(jup_fhir_severity s);

/* jup_fhir_issue_of: the issue type that fits a failure status (invalid
 * for JUP_ERR_INVALID and JUP_ERR_USAGE, too-long for JUP_ERR_LIMIT,
 * not-found, conflict for JUP_ERR_EXISTS, forbidden for JUP_ERR_DENIED,
 * not-supported for JUP_ERR_VERSION, exception for the rest). */
jup_fhir_issue jup_fhir_issue_of(jup_status st);

/*
 * jup_fhir_outcome: a new OperationOutcome with one issue: severity, code,
 * diagnostics (may be NULL) and expression (a FHIRPath of the element at
 * fault, may be NULL). The text goes to the client as it is: the CALLER
 * makes sure it holds no personal data (jup_err messages never do).
 * JUP_ERR_USAGE for an enum out of range; JUP_ERR_INVALID for text that is
 * not UTF-8; JUP_ERR_NOMEM.
 */
jup_status jup_fhir_outcome(jup_fhir_severity severity, jup_fhir_issue code,
			    const char *diagnostics, const char *expression, json_t **out,
			    jup_err *err) JUP_MUST_CHECK;

/* ---- the joined-up record -------------------------------------------------------- */

/*
 * jup_fhir_patient: the Patient of a joined-up record (record as
 * jup_care_record gives it, docs/FORMATS.md) with id patient_id: NHS number
 * (with its verification status), names, gender, birth date, addresses,
 * death, the GP practice (generalPractitioner, from the latest GP
 * registration), the records it was assembled from (one source extension
 * each, with how it was linked) and their local ids. The de-identified view
 * gives no identifier, name or address even if the record held one, the
 * year of birth as birthDate "YYYY" and the year of death. Errors as above
 * (JUP_ERR_INVALID naming the record's element at fault).
 */
jup_status jup_fhir_patient(const json_t *record, const char *patient_id, json_t **out,
			    jup_err *err) JUP_MUST_CHECK;

/*
 * jup_fhir_everything: the record as a searchset Bundle (Patient/$everything)
 * whose fullUrls start with base_url (e.g. "https://host/fhir", no trailing
 * slash needed): the Patient (mode match), one Organization per organisation
 * the record names (mode include), then every item of every section shown
 * as its resource (mode match): GP registrations as EpisodeOfCare,
 * conditions as Condition, medications as MedicationStatement, admissions
 * and A&E attendances as Encounter (an admission's diagnoses as Condition),
 * social care assessments and services as EpisodeOfCare, council consent
 * forms as Consent, end-of-life plans and care plans as CarePlan, care
 * teams as CareTeam; and what was withheld as an OperationOutcome (mode
 * outcome) with the plain-English reasons. total counts the match entries.
 * Errors as jup_fhir_patient.
 */
jup_status jup_fhir_everything(const json_t *record, const char *patient_id, const char *base_url,
			       json_t **out, jup_err *err) JUP_MUST_CHECK;

/* ---- CarePlan -------------------------------------------------------------------- */

/*
 * jup_fhir_careplan: one version of a care plan (the internal shape of
 * src/care's care plans: id, version, recorded_at, kind, status, title,
 * description, period_start, period_end, author, end_of_life, source) as a
 * CarePlan "cp-<id>" about Patient/patient_id: meta.versionId and
 * meta.lastUpdated, status, intent plan, category (our kind, and SNOMED CT
 * where one fits), title, description, period, author, the end-of-life
 * extension, the source extension. Keys a view dropped (title, ...) are
 * left out; deidentified (the plan was read in the de-identified view)
 * also leaves out any free text the plan still holds (title, description,
 * key contacts, medicine descriptions, a place written as text) and labels
 * the resource PSEUDED. Errors as jup_fhir_patient.
 */
jup_status jup_fhir_careplan(const json_t *plan, const char *patient_id, bool deidentified,
			     json_t **out, jup_err *err) JUP_MUST_CHECK;

/*
 * jup_fhir_careplan_parse: a client's CarePlan (create or update) read
 * strictly into the internal write shape: {"kind", "status", "title",
 * "description" (or null), "period_start", "period_end" (or null),
 * "end_of_life" (null, or preferred_place_of_care, preferred_place_of_death,
 * resuscitation, key_contacts, medicines_in_home)}. Requires resourceType
 * CarePlan, intent plan, a status joinedup knows, one kind in category,
 * a title, period.start (a date; end not before it) and subject
 * "Patient/ID", whose ID goes to subject_id. Server-owned elements (id,
 * meta, text, author, contributor, created) are ignored, as are extensions joinedup does
 * not define; any other element is refused, so nothing is silently lost.
 * Every error is JUP_ERR_INVALID naming the JSON path ("CarePlan.period.start:
 * not a date"), or as jup_fhir_json_parse for the body itself. *plan
 * (caller json_decref's) on success only.
 */
jup_status jup_fhir_careplan_parse(const char *body, size_t len, json_t **plan,
				   char subject_id[JUP_FHIR_ID_MAX + 1],
				   jup_err *err) JUP_MUST_CHECK;

/* ---- Consent --------------------------------------------------------------------- */

/* What jup_fhir_consent shows for one person and purpose. */
typedef struct jup_fhir_consent_in {
	const char *patient_id;               /* the Patient's id (required) */
	const char *nhs_number;               /* NULL: not shown */
	jup_consent_purpose purpose;          /* not EVERY */
	const jup_consent_decision *decision; /* the effective outcome and its reasons */
	jup_consent_choice choice;            /* the person's own latest choice covering it */
	bool choice_specific;                 /* ... made for this purpose (not for all) */
	bool opt_in;                          /* the flow needs specific consent (research) */
	const char *recorded_at;              /* when the choice was made; NULL: unknown */
} jup_fhir_consent_in;

/*
 * jup_fhir_consent: a Consent "consent-<patient>-<purpose>" (status active,
 * scope patient-privacy, category LOINC 59284-0, policyRule OPTIN or OPTOUT)
 * whose provision says what happens: type permit or deny (the effective
 * outcome), the purpose (v3 PurposeOfUse and ours), and nested provisions
 * for the GP and social care records. The person's own choice and the
 * reasons are extensions (docs/FHIR.md, "Consent"). JUP_ERR_USAGE for a
 * missing decision, a bad patient id or purpose; JUP_ERR_NOMEM.
 */
jup_status jup_fhir_consent(const jup_fhir_consent_in *in, json_t **out,
			    jup_err *err) JUP_MUST_CHECK;

/* A citizen's change of choice, as jup_fhir_consent_parse reads it. */
typedef struct jup_fhir_consent_change {
	jup_consent_purpose purpose; /* JUP_CONSENT_EVERY_PURPOSE when none is named */
	bool permit;
	char patient_id[JUP_FHIR_ID_MAX + 1];
} jup_fhir_consent_change;

/*
 * jup_fhir_consent_parse: a citizen's Consent read strictly: resourceType
 * Consent, status active, scope patient-privacy, patient "Patient/ID",
 * provision.type permit or deny, and at most one purpose in
 * provision.purpose (ours, or the v3 PurposeOfUse code that maps to one of
 * ours; none means every purpose). Server-owned elements (id, meta, text,
 * dateTime) and category are ignored; anything else is refused.
 * JUP_ERR_INVALID naming the JSON path, or as jup_fhir_json_parse.
 */
jup_status jup_fhir_consent_parse(const char *body, size_t len, jup_fhir_consent_change *out,
				  jup_err *err) JUP_MUST_CHECK;

/* ---- AuditEvent ------------------------------------------------------------------ */

/*
 * jup_fhir_audit_event: an audit entry as AuditEvent "audit-<id>": type and
 * action from the entry's action, recorded, outcome (0 permit or done, 4
 * deny) with the reason, the actor (user, role) and their organisation as
 * agents, purposeOfEvent (v3 PurposeOfUse where one fits, and ours; break-
 * glass adds BTG with the justification), the patient (Patient/patient_id;
 * NULL: the entry's person id) and what was touched as entities.
 * JUP_ERR_USAGE for a bad patient id; JUP_ERR_INVALID for an entry whose
 * text is not UTF-8; JUP_ERR_NOMEM.
 */
jup_status jup_fhir_audit_event(const jup_audit_record *r, const char *patient_id, json_t **out,
				jup_err *err) JUP_MUST_CHECK;

/* ---- Patient/$match ------------------------------------------------------------- */

#define JUP_FHIR_MATCH_DEFAULT_COUNT 10 /* candidates when the client names no count */

/*
 * jup_fhir_match_parse: the Parameters of a Patient/$match (body from
 * jup_fhir_json_parse) read strictly: one "resource" parameter holding the
 * Patient to match (identifier with the NHS number system, the first name's
 * family and first given name, gender, birthDate, the first address's
 * postalCode and first line; other Patient elements are refused), and
 * optionally "count" (1 to JUP_HTTP_MAX_CANDIDATES; default
 * JUP_FHIR_MATCH_DEFAULT_COUNT) and "onlyCertainMatches". *q gets views
 * into body (valid while body lives); the values themselves are checked by
 * jup_link_db_match. JUP_ERR_INVALID naming the element at fault.
 */
jup_status jup_fhir_match_parse(const json_t *body, jup_link_match_query *q, size_t *count,
				bool *only_certain, jup_err *err) JUP_MUST_CHECK;

/* ---- searchset Bundles and paging ------------------------------------------------- */

/* A page of search results, for its links. */
typedef struct jup_fhir_page {
	const char *base_url; /* "https://host/fhir" */
	const char *path;     /* "CarePlan", "Patient/1/$everything" */
	const char *query;    /* the other parameters, already URL-encoded
				 ("patient=1&status=active"); NULL or "" for none;
				 never _count or _offset */
	int64_t count;        /* _count: 1 to JUP_FHIR_MAX_COUNT */
	int64_t offset;       /* _offset: the first entry of this page, from 0 */
	int64_t total;        /* matches in all; -1 when not known */
	bool more;            /* when total is not known: another page follows */
} jup_fhir_page;

/* jup_fhir_page_links: a new Bundle.link array for page p: self, first,
 * previous (when offset > 0), next (when another page follows) and last
 * (when total is known). JUP_ERR_USAGE for a missing base or path, a count
 * or offset out of range, or a query naming _count or _offset;
 * JUP_ERR_LIMIT for a URL longer than JUP_FHIR_MAX_URL_LEN; JUP_ERR_NOMEM. */
jup_status jup_fhir_page_links(const jup_fhir_page *p, json_t **links, jup_err *err) JUP_MUST_CHECK;

/* jup_fhir_entry: a new Bundle entry {fullUrl base_url/Type/id, resource,
 * search.mode} for resource (a reference is TAKEN, also on failure) with
 * mode "match", "include" or "outcome" (an entry of mode outcome, or a
 * resource without id, has no fullUrl). JUP_ERR_USAGE for a resource
 * without resourceType or a bad mode; JUP_ERR_NOMEM. */
jup_status jup_fhir_entry(const char *base_url, json_t *resource, const char *mode, json_t **out,
			  jup_err *err) JUP_MUST_CHECK;

/* jup_fhir_bundle_searchset: a new searchset Bundle of entries (an array;
 * its reference is TAKEN, also on failure) with total (-1: left out) and
 * links (an array from jup_fhir_page_links, or NULL; TAKEN too); no entry
 * element when entries is empty (FHIR JSON has no empty arrays).
 * JUP_ERR_USAGE when entries is not an array; JUP_ERR_NOMEM. */
jup_status jup_fhir_bundle_searchset(json_t *entries, int64_t total, json_t *links, json_t **out,
				     jup_err *err) JUP_MUST_CHECK;

/* ---- CapabilityStatement --------------------------------------------------------- */

/* A search parameter: name ("patient"), FHIR type ("reference", "token",
 * "date", "string", ...), documentation (may be NULL). */
typedef struct jup_fhir_cap_param {
	const char *name, *type, *doc;
} jup_fhir_cap_param;

/* An operation: name without "$" ("everything") and its definition
 * (canonical URL of the OperationDefinition). */
typedef struct jup_fhir_cap_op {
	const char *name, *definition;
} jup_fhir_cap_op;

/* One resource type the server offers, as its route table says. */
typedef struct jup_fhir_cap_resource {
	const char *type;                /* "Patient" */
	const char *profile;             /* NULL: none claimed */
	const char *const *interactions; /* "read", "vread", "search-type", ... */
	size_t ninteractions;
	const jup_fhir_cap_param *params;
	size_t nparams;
	const jup_fhir_cap_op *ops;
	size_t nops;
} jup_fhir_cap_resource;

/* What the statement says about the server. */
typedef struct jup_fhir_cap_info {
	const char *base_url;         /* implementation.url */
	const char *software_name;    /* NULL: "joinedup" */
	const char *software_version; /* NULL: JUP_VERSION */
	const char *token_url;        /* the OAuth token endpoint; NULL: none */
	const char *date;             /* "YYYY-MM-DD"; NULL: today */
} jup_fhir_cap_info;

/*
 * jup_fhir_capability: a CapabilityStatement (status active, kind instance,
 * fhirVersion 4.0.1, format json) with one rest entry in mode server: its
 * security (OAuth, the token URL as the SMART oauth-uris extension) and one
 * resource per list entry with exactly the interactions, search parameters
 * and operations given, in order. JUP_ERR_USAGE for a missing field, an
 * interaction or parameter type FHIR does not define; JUP_ERR_NOMEM.
 */
jup_status jup_fhir_capability(const jup_fhir_cap_resource *list, size_t n,
			       const jup_fhir_cap_info *info, json_t **out,
			       jup_err *err) JUP_MUST_CHECK;

#endif
