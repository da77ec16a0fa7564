/*
 * consent_set.c - recording a person's decision, with its audit entry, in
 * one transaction.
 */
#include "consent/jup_consent.h"

#include "audit/jup_audit.h"
#include "core/jup_date.h"
#include "ingest/jup_ingest_valid.h"
#include "person/jup_person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text of 1 (or 0, when optional) to max bytes without control characters. */
static bool text_ok(const char *s, size_t max, bool optional)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return optional;
	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static jup_status check(const char *nhs, jup_consent_purpose purpose, jup_consent_source source,
			const char *by, const char *evidence, char canon[11], jup_err *err)
{
	jup_err why;
	if (!nhs || jup_ingest_nhs_number(jup_sv_from(nhs), canon, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "not a valid NHS number");
	if (purpose != JUP_CONSENT_EVERY_PURPOSE && (unsigned)purpose >= JUP_CONSENT_PURPOSE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "no such purpose");
	if ((unsigned)source >= JUP_CONSENT_SOURCE__COUNT)
		return jup_err_set(err, JUP_ERR_USAGE, "no such source of a consent decision");
	if (!text_ok(by, JUP_CONSENT_MAX_BY, false))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "recorded by: 1 to %d bytes without control characters",
				   JUP_CONSENT_MAX_BY);
	if (!text_ok(evidence, JUP_CONSENT_MAX_TEXT, true))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "evidence: at most %d bytes without control characters",
				   JUP_CONSENT_MAX_TEXT);
	return JUP_OK;
}

/* The first person holding the number, or 0 when no linked record does. */
static jup_status first_person(jup_store *st, const char *nhs, int64_t *person, jup_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0;
	*person = 0;
	jup_status r = jup_person_ids(st, nhs, &ids, &n, err);
	if (r == JUP_ERR_NOT_FOUND)
		r = JUP_OK;
	else if (!r && n)
		*person = ids[0];
	free(ids);
	return r;
}

static jup_status audit_set(jup_store *st, const char *nhs, int64_t id, const char *by,
			    jup_err *err)
{
	int64_t person;
	jup_status r = first_person(st, nhs, &person, err);
	if (r)
		return r;
	char what[48];
	snprintf(what, sizeof what, "consent_decision:%lld", (long long)id);
	jup_audit_entry e = {
		.actor = by,
		.purpose = "consent",
		.person_id = person,
		.action = "consent.set",
		.what = what,
		.outcome = "done",
	};
	int64_t entry;
	return jup_audit_append(st, &e, &entry, err);
}

static jup_status insert(jup_store *st, const char *nhs, jup_consent_purpose purpose,
			 jup_consent_source source, bool permit, const char *by,
			 const char *evidence, int64_t *id, jup_err *err)
{
	char now[21];
	jup_date_now_utc(now);
	jup_value row[JUP_CDEC__N] = {
		[JUP_CDEC_NHS_NUMBER] = jup_v_cstr(nhs),
		[JUP_CDEC_PURPOSE] = purpose == JUP_CONSENT_EVERY_PURPOSE
					     ? jup_v_null()
					     : jup_v_cstr(jup_consent_purpose_name(purpose)),
		[JUP_CDEC_SOURCE] = jup_v_cstr(jup_consent_source_name(source)),
		[JUP_CDEC_DECISION] = jup_v_cstr(permit ? "permit" : "deny"),
		[JUP_CDEC_RECORDED_BY] = jup_v_cstr(by),
		[JUP_CDEC_RECORDED_AT] = jup_v_cstr(now),
		[JUP_CDEC_EVIDENCE] = evidence && *evidence ? jup_v_cstr(evidence) : jup_v_null(),
	};
	jup_status r = jup_store_insert(st, JUP_TABLE_CONSENT_DECISION, row, NULL, id, err);
	return r ? r : audit_set(st, nhs, *id, by, err);
}

jup_status jup_consent_set(jup_store *st, const char *nhs, jup_consent_purpose purpose,
			   jup_consent_source source, bool permit, const char *recorded_by,
			   const char *evidence, int64_t *id, jup_err *err)
{
	char canon[11];
	int64_t ignored;
	jup_status r = check(nhs, purpose, source, recorded_by, evidence, canon, err);
	if (r || (r = jup_store_begin(st, err)))
		return r;
	r = insert(st, canon, purpose, source, permit, recorded_by, evidence, id ? id : &ignored,
		   err);
	if (!r)
		return jup_store_commit(st, err);
	jup_store_abandon(st);
	return r;
}
