/*
 * fhir_internal.h - what the files of src/fhir/ share: a build context that
 * turns the many small jansson calls into one status, readers of the
 * record JSON that name the element at fault, coded values (our code, its
 * display and a standard coding where one fits), and the canonical URLs of
 * our code systems and extensions. Private to the module.
 *
 * Building: an allocation that fails, or input of the wrong shape, only
 * records the first failure in the context (fx_fail); every step goes on
 * harmlessly (a NULL object swallows what is set on it) and the caller
 * checks x->st once at the end. So the mapping code reads like the
 * resource it builds.
 */
#ifndef FHIR_INTERNAL_H
#define FHIR_INTERNAL_H

#include "core/jup_limits.h"
#include "fhir/jup_fhir.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FX_N(a) (sizeof(a) / sizeof((a)[0]))

/* Our code systems, identifier systems and extensions (docs/FHIR.md). */
#define FX_CS(name)  JUP_FHIR_CANONICAL "/CodeSystem/" name
#define FX_EXT(name) JUP_FHIR_CANONICAL "/StructureDefinition/" name
#define FX_ID(name)  JUP_FHIR_CANONICAL "/Id/" name

/* HL7 systems. */
#define FX_HL7_CS(name)  "http://terminology.hl7.org/CodeSystem/" name
#define FX_V3_ACT_REASON FX_HL7_CS("v3-ActReason")
#define FX_V3_ACT_CODE   FX_HL7_CS("v3-ActCode")

typedef struct fx {
	jup_status st;   /* the first failure (JUP_OK so far) */
	jup_err *err;    /* its message */
	bool deid;       /* the de-identified view: never any identifier or free text */
	char where[160]; /* where in the input the current item is ("gp.conditions[2]") */
} fx;

/* fx_init: a context reporting into err. */
void fx_init(fx *x, jup_err *err);

/* fx_fail: record a failure (only the first is kept). */
void fx_fail(fx *x, jup_status st, const char *fmt, ...) JUP_PRINTF(3, 4);

/* fx_oom: record that an allocation failed. */
void fx_oom(fx *x);

/* fx_where: set where the current item is (printf-style). */
void fx_where(fx *x, const char *fmt, ...) JUP_PRINTF(2, 3);

/* ---- building ----------------------------------------------------------------------- */

/* fx_obj / fx_arr: a new empty object or array (NULL and a failure when
 * out of memory). */
json_t *fx_obj(fx *x);
json_t *fx_arr(fx *x);

/* fx_set: o[key] = v, taking v (NULL v: out of memory; NULL o: v is
 * dropped, o's failure is already recorded). */
void fx_set(fx *x, json_t *o, const char *key, json_t *v);

/* fx_sets: o[key] = the string s; nothing when s is NULL. */
void fx_sets(fx *x, json_t *o, const char *key, const char *s);

/* fx_push: append v to arr, taking v. */
void fx_push(fx *x, json_t *arr, json_t *v);

/* fx_str: a new JSON string (NULL and a failure when out of memory or not
 * UTF-8). */
json_t *fx_str(fx *x, const char *s);

/* fx_coding: {"system", "code", "display"} (display may be NULL). */
json_t *fx_coding(fx *x, const char *system, const char *code, const char *display);

/* fx_cc: a CodeableConcept of up to two codings (either may be NULL) and
 * text (may be NULL). */
json_t *fx_cc(fx *x, json_t *c1, json_t *c2, const char *text);

/* fx_ref: {"reference": "Type/id"}, display added when not NULL. */
json_t *fx_ref(fx *x, const char *type, const char *id, const char *display);

/* fx_org_id: "org-" and the ODS code into buf. */
void fx_org_id(const char *code, char buf[JUP_FHIR_ID_MAX + 1]);

/* fx_org_ref: a reference to Organization "org-CODE" with the ODS code as
 * its identifier and name as display (may be NULL). */
json_t *fx_org_ref(fx *x, const char *code, const char *name);

/* fx_item_id: PREFIX-N into buf (N the item's store id). */
void fx_item_id(const char *prefix, json_int_t n, char buf[JUP_FHIR_ID_MAX + 1]);

/* fx_resource: a new resource {"resourceType", "id"} (id may be NULL),
 * with meta.security PSEUDED in the de-identified view. */
json_t *fx_resource(fx *x, const char *type, const char *id);

/* fx_source_ext: the source extension for an item's "source" object
 * ({"organisation", "record", "file", "line"}, the last three optional),
 * with linked_by when not NULL. NULL (and a failure) for a source without
 * an organisation. */
json_t *fx_source_ext(fx *x, const json_t *source, const char *linked_by);

/* fx_add_ext: append extension e to r's "extension" array. */
void fx_add_ext(fx *x, json_t *r, json_t *e);

/* fx_period: {"start", "end"} of the strings given (either may be NULL);
 * NULL when both are. */
json_t *fx_period(fx *x, const char *start, const char *end);

/* fx_local_datetime: a local (UK) date-time "YYYY-MM-DDTHH:MM[:SS]" as a
 * FHIR dateTime with its UTC offset, "+00:00" or "+01:00" by the UK rule
 * (summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on
 * the last Sunday of October; a time in the hour the clocks go back is read
 * as summer time, one in the hour that does not exist as winter time). A
 * bare date is kept as it is. false for anything else. */
bool fx_local_datetime(const char *s, char out[32]);

/* ---- reading the record ------------------------------------------------------------- */

/* fx_get_str: obj[key] as a string; NULL when absent or null (a failure
 * "missing" when required) or of another type (a failure). */
const char *fx_get_str(fx *x, const json_t *obj, const char *key, bool required);

/* fx_get_int: obj[key] as an integer into *v; false when absent or null
 * (a failure when required) or of another type (a failure). */
bool fx_get_int(fx *x, const json_t *obj, const char *key, bool required, json_int_t *v);

/* fx_get_arr / fx_get_obj: obj[key] as an array / object; NULL when absent
 * or null, or of another type (a failure). */
const json_t *fx_get_arr(fx *x, const json_t *obj, const char *key);
const json_t *fx_get_obj(fx *x, const json_t *obj, const char *key);

/* ---- coded values ------------------------------------------------------------------- */

/* One of our codes, its display, and a standard coding that fits (system
 * NULL: none). */
typedef struct fx_code {
	const char *code, *display;
	const char *system, *std_code, *std_display;
} fx_code;

/* fx_code_find: the entry of table for code; NULL when none. */
const fx_code *fx_code_find(const fx_code *table, size_t n, const char *code);

/* fx_coded: a CodeableConcept for code from our code system cs: our
 * coding, the standard one and the display as text; a code the table does
 * not know is a failure naming key. */
json_t *fx_coded(fx *x, const char *cs, const fx_code *table, size_t n, const char *code,
		 const char *key);

/* The tables, shared by the mappers and the parsers. */
extern const fx_code fx_places[]; /* preferred place of care or death */
extern const size_t fx_nplaces;
extern const fx_code fx_resuscitation[];
extern const size_t fx_nresuscitation;
extern const fx_code fx_plan_kinds[]; /* care_plan, end_of_life, note */
extern const size_t fx_nplan_kinds;
extern const fx_code fx_purposes[]; /* ours, with the v3 PurposeOfUse */
extern const size_t fx_npurposes;

/* fx_eol_ext: the end-of-life extension of an "end_of_life" object
 * (preferred places, resuscitation, key contacts, medicines in the home;
 * keys absent are left out). */
json_t *fx_eol_ext(fx *x, const json_t *eol);

/* fx_careplan_eol: a CarePlan "eol-N" for an end-of-life plan item of the
 * record (GP register, hospital or hospice). */
json_t *fx_careplan_eol(fx *x, const json_t *item, const char *patient_id);

/* fx_careplan: a CarePlan "cp-ID" for a care plan (jup_fhir_careplan). */
json_t *fx_careplan(fx *x, const json_t *plan, const char *patient_id);

/* fx_patient: the Patient of a record (jup_fhir_patient). */
json_t *fx_patient(fx *x, const json_t *record, const char *patient_id);

/* fx_latest: the index of the item of arr with the latest date at key
 * (ISO dates compare as text; the later item on a tie), the one in force
 * (a GP registration, a council consent form); -1 when arr is empty.
 * where names the list for messages ("gp.registrations"). */
long fx_latest(fx *x, const json_t *arr, const char *key, const char *where);

/* fx_view: whether the record was read in the de-identified view (*deid);
 * JUP_ERR_INVALID for a record without a view joinedup knows. */
jup_status fx_view(const json_t *record, bool *deid, jup_err *err) JUP_MUST_CHECK;

/* ---- the record as resources (jup_fhir_everything) --------------------------------- */

/* What the Bundle is built from and into. */
typedef struct fx_ev {
	fx *x;
	const json_t *record;
	const char *pid; /* the Patient's id */
	json_t *orgs;    /* Organization resources, by first mention */
	json_t *items;   /* the record's other resources, in record order */
} fx_ev;

/* fx_ev_org: note organisation code (name, kind: NULL when not known);
 * its Organization is made once, and filled in by later mentions. */
void fx_ev_org(fx_ev *e, const char *code, const char *name, const char *kind,
	       const json_t *participating);

/* fx_ev_sections: every item of the record's sections, care plans and care
 * teams as resources onto e->items. */
void fx_ev_sections(fx_ev *e);

/* ---- reading what clients send ------------------------------------------------------- */

/* A strict reader of a parsed body: the JSON path of where it is, and the
 * first failure, always "PATH: reason" (values are never echoed). */
typedef struct fp {
	jup_status st;
	jup_err *err;
	size_t len;     /* of path */
	char path[256]; /* "CarePlan.extension[0].extension[2]" */
} fp;

/* fp_init: a reader at root ("CarePlan"). */
void fp_init(fp *p, const char *root, jup_err *err);

/* fp_fail: "PATH: reason" (only the first failure is kept). */
void fp_fail(fp *p, const char *fmt, ...) JUP_PRINTF(2, 3);

/* fp_key / fp_index: step into .key or [i]; they return the path's length
 * before the step, for fp_back. */
size_t fp_key(fp *p, const char *key);
size_t fp_index(fp *p, size_t i);
void fp_back(fp *p, size_t len);

/* fp_keys: every key of obj is in allowed or ignored (NULL-terminated
 * lists); else a failure "PATH.key: not supported". */
void fp_keys(fp *p, const json_t *obj, const char *const *allowed, const char *const *ignored);

/* fp_string: obj[key] as text of 1 to max bytes without control characters;
 * NULL when absent (a failure when required) or bad (a failure). */
const char *fp_string(fp *p, const json_t *obj, const char *key, bool required, size_t max);

/* fp_object / fp_array: obj[key] as an object / a non-empty array of at
 * most max elements; NULL when absent (a failure when required) or bad. */
const json_t *fp_object(fp *p, const json_t *obj, const char *key, bool required);
const json_t *fp_array(fp *p, const json_t *obj, const char *key, bool required, size_t max);

/* fp_date: obj[key] as "YYYY-MM-DD", a calendar date from JUP_MIN_YEAR;
 * false when absent (a failure when required) or bad. */
bool fp_date(fp *p, const json_t *obj, const char *key, bool required, int32_t *day);

/* fp_patient_ref: a Reference to "Patient/ID" at obj[key] (display and
 * type Patient allowed beside it); ID into id. */
void fp_patient_ref(fp *p, const json_t *obj, const char *key, char id[JUP_FHIR_ID_MAX + 1]);

/* fp_codings: the codings of the CodeableConcept cc (each checked: an
 * object with string system, code, display); NULL when it has none. */
const json_t *fp_codings(fp *p, const json_t *cc);

/* fp_done: JUP_OK or the first failure. */
jup_status fp_done(const fp *p);

/* fx_done: JUP_OK, or the recorded failure. */
jup_status fx_done(const fx *x);

/* fx_check_patient_id: JUP_ERR_USAGE (into err) unless id is a FHIR id. */
jup_status fx_check_patient_id(const char *id, jup_err *err);

#endif
