/*
 * fuzz_fhir_careplan.c - libFuzzer target for the CarePlan parser (and the
 * JSON body reader under it).
 *
 * Checks the parser's promises: only JUP_OK, JUP_ERR_INVALID or
 * JUP_ERR_LIMIT, with a reason naming the body or a CarePlan path on
 * failure; on success the plan has exactly the write shape's keys with
 * values joinedup knows (kind, status, a title within JUP_MAX_TEXT_LEN,
 * dates in order, end-of-life details only on an end-of-life plan, within
 * the contact and medicine limits) and the subject is a FHIR id. And what
 * we give is what we take: the plan mapped back to a CarePlan and parsed
 * again is the same plan.
 */
#include "fuzz_check.h"
#include "fhir/jup_fhir.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool one_of(const json_t *v, const char *const *list)
{
	const char *s = json_string_value(v);
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static void check_eol(const json_t *eol)
{
	static const char *const resus[] = { "dnacpr", "attempt_cpr", "not_discussed", NULL };
	check(json_object_size(eol) == 5);
	check(one_of(json_object_get(eol, "resuscitation"), resus));
	const json_t *contacts = json_object_get(eol, "key_contacts");
	const json_t *meds = json_object_get(eol, "medicines_in_home");
	check(json_is_array(contacts) &&
	      json_array_size(contacts) <= JUP_CARE_PLAN_MAX_CONTACTS);
	check(json_is_array(meds) && json_array_size(meds) <= JUP_CARE_PLAN_MAX_MEDICINES);
	size_t i;
	const json_t *c;
	json_array_foreach(contacts, i, c)
	{
		check(json_is_string(json_object_get(c, "name")));
	}
	json_array_foreach(meds, i, c)
	{
		check(json_string_length(json_object_get(c, "description")) <= JUP_MAX_TEXT_LEN);
	}
}

static void check_plan(const json_t *plan, const char *subject)
{
	static const char *const kinds[] = { "care_plan", "end_of_life", "note", NULL };
	static const char *const statuses[] = { "draft", "active", "completed", "revoked", NULL };
	check(jup_fhir_id_ok(subject));
	check(json_object_size(plan) == 7);
	check(one_of(json_object_get(plan, "kind"), kinds));
	check(one_of(json_object_get(plan, "status"), statuses));
	size_t tl = json_string_length(json_object_get(plan, "title"));
	check(tl >= 1 && tl <= JUP_MAX_TEXT_LEN);
	const char *start = json_string_value(json_object_get(plan, "period_start"));
	const char *end = json_string_value(json_object_get(plan, "period_end"));
	check(start && strlen(start) == 10);
	check(!end || (strlen(end) == 10 && strcmp(start, end) <= 0));
	const json_t *eol = json_object_get(plan, "end_of_life");
	bool is_eol = strcmp(json_string_value(json_object_get(plan, "kind")), "end_of_life") == 0;
	check(is_eol ? json_is_object(eol) : json_is_null(eol));
	if (is_eol)
		check_eol(eol);
}

/* The plan mapped out and read back is the same plan. */
static void round_trip(json_t *plan)
{
	jup_err err;
	json_t *stored = json_deep_copy(plan), *cp = NULL, *back = NULL;
	check(stored != NULL);
	json_object_set_new(stored, "id", json_string("1"));
	json_object_set_new(stored, "version", json_integer(1));
	check(jup_fhir_careplan(stored, "1", false, &cp, &err) == JUP_OK);
	char *text = json_dumps(cp, 0);
	check(text != NULL);
	char subject[JUP_FHIR_ID_MAX + 1];
	check(jup_fhir_careplan_parse(text, strlen(text), &back, subject, &err) == JUP_OK);
	check(json_equal(back, plan) && strcmp(subject, "1") == 0);
	free(text);
	json_decref(back);
	json_decref(cp);
	json_decref(stored);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *plan = NULL;
	char subject[JUP_FHIR_ID_MAX + 1];
	jup_err err = { "" };
	jup_status r = jup_fhir_careplan_parse((const char *)data, size, &plan, subject, &err);
	if (r) {
		check(r == JUP_ERR_INVALID || r == JUP_ERR_LIMIT);
		check(plan == NULL);
		check(strncmp(err.msg, "CarePlan", 8) == 0 ||
		      strncmp(err.msg, "request body: ", 14) == 0);
		return 0;
	}
	check_plan(plan, subject);
	round_trip(plan);
	json_decref(plan);
	return 0;
}
