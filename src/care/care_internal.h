/*
 * care_internal.h - what the files of src/care/ share while one joined-up
 * record is built: the decision, the caches of organisations and import
 * files, the person's source records that may be shown, and small JSON
 * helpers. Private to the module.
 *
 * JSON is built with jansson. An allocation that fails only sets c->oom;
 * each step ends with care_done, which turns it into JUP_ERR_NOMEM, so the
 * many small sets and appends need no status of their own.
 */
#ifndef CARE_INTERNAL_H
#define CARE_INTERNAL_H

#include "care/jup_care.h"
#include "core/jup_limits.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The sections of the record, as the decision allows them. */
typedef enum care_section {
	CARE_GP,          /* gp_practice records */
	CARE_HOSPITAL,    /* hospital_trust and hospice records */
	CARE_SOCIAL_CARE, /* council records */
	CARE_SECTION__COUNT
} care_section;

/* An organisation, read once. */
typedef struct care_org {
	int64_t id;
	char code[JUP_MAX_ORG_CODE_LEN + 1];
	json_t *name; /* a JSON string, shared into the record */
	jup_org_kind kind;
	bool participating;
} care_org;

/* An import file's name, read once. */
typedef struct care_file {
	int64_t id;
	json_t *name; /* a JSON string, shared into the record */
} care_file;

/* A membership of one of the decision's persons. */
typedef struct care_member {
	int64_t source_id, person_id;
	char method[16]; /* person_member.method */
} care_member;

/* A source record that may be shown. */
typedef struct care_rec {
	int64_t id;
	size_t org; /* index in the organisation cache */
	care_section section;
} care_rec;

typedef struct care_ctx {
	jup_store *st;
	const jup_gate_decision *d;
	bool deid; /* de-identified view */
	bool eol;  /* end-of-life view */
	care_org *orgs;
	size_t norgs, orgs_cap;
	care_file *files;
	size_t nfiles, files_cap;
	care_member *members; /* ascending by source_id */
	size_t nmembers, members_cap;
	care_rec *recs; /* ascending by id */
	size_t nrecs, recs_cap;
	bool held[CARE_SECTION__COUNT];     /* the persons have records of the section */
	bool unshared[CARE_SECTION__COUNT]; /* ... some at an organisation not taking part */
	bool oom;                           /* a JSON allocation failed */
} care_ctx;

/* care_section_of: the section an organisation of kind k belongs to. */
care_section care_section_of(jup_org_kind k);

/* care_section_name: "gp", "hospital", "social_care". */
const char *care_section_name(care_section s);

/* care_allowed: whether the decision allows section s. */
bool care_allowed(const care_ctx *c, care_section s);

/* care_ctx_free: release the caches and lists (not the JSON built). */
void care_ctx_free(care_ctx *c);

/* care_org_get: the organisation with id (read once, then cached); *idx
 * is its index in c->orgs. JUP_ERR_STORE when there is none; store errors. */
jup_status care_org_get(care_ctx *c, int64_t id, size_t *idx, jup_err *err) JUP_MUST_CHECK;

/* care_file_name: the name of import file id as a JSON string (a new
 * reference, NULL when out of memory). JUP_ERR_STORE when there is none. */
jup_status care_file_name(care_ctx *c, int64_t id, json_t **name, jup_err *err) JUP_MUST_CHECK;

/* care_provenance: {"file", "line"} of prov, into obj. */
jup_status care_provenance(care_ctx *c, json_t *obj, const jup_provenance *prov,
			   jup_err *err) JUP_MUST_CHECK;

/* care_item_source: a new {"organisation", "record", "file", "line"} for an
 * item of rec read at prov (NULL when out of memory: c->oom is set). */
jup_status care_item_source(care_ctx *c, const care_rec *rec, const jup_provenance *prov,
			    json_t **out, jup_err *err) JUP_MUST_CHECK;

/* care_set / care_append: obj[key] = v, arr += v, taking v's reference;
 * a NULL v or a failure sets c->oom. */
void care_set(care_ctx *c, json_t *obj, const char *key, json_t *v);
void care_append(care_ctx *c, json_t *arr, json_t *v);

/* care_value: a stored value as JSON (text, integer, real or null). */
json_t *care_value(const jup_value *v);

/* care_int: an integer value, 0 for any other. */
int64_t care_int(const jup_value *v);

/* care_year: the year of a "YYYY-..." text value as JSON, null when none. */
json_t *care_year(const jup_value *v);

/* care_done: JUP_ERR_NOMEM (with a message) when c->oom, else JUP_OK. */
jup_status care_done(const care_ctx *c, jup_err *err) JUP_MUST_CHECK;

/* care_person: the persons' memberships and source records: fills c->recs,
 * c->held and c->unshared, and sets root's "person" and "sources". */
jup_status care_person(care_ctx *c, json_t *root, jup_err *err) JUP_MUST_CHECK;

/* care_sections: the allowed sections' items ("gp", "hospital",
 * "social_care") and "care_teams", into root. */
jup_status care_sections(care_ctx *c, json_t *root, jup_err *err) JUP_MUST_CHECK;

/* care_plans_section: the latest version of each of the persons' care
 * plans the view shows ("care_plans", by plan id), into root
 * (care_plan_read.c). */
jup_status care_plans_section(care_ctx *c, json_t *root, jup_err *err) JUP_MUST_CHECK;

#endif
