/*
 * fuzz_care_plan_valid.c - libFuzzer target for the care plan write check
 * (jup_care_plan_validate, care_plan_parse): the input is parsed as JSON
 * (NULs allowed inside strings, as a lenient server might) and checked.
 * Promises: the answer is OK or INVALID with a message naming a field; the
 * same document copied gets the same answer; a valid end-of-life plan's
 * lists come back as JSON arrays within their limits.
 */
#include "care/care_plan_internal.h"
#include "fuzz_check.h"

#include <jansson.h>
#include <string.h>

static void check_lists(const care_plan_in *p)
{
	check((p->kind == CARE_PLAN_KIND_END_OF_LIFE) == (p->contacts != NULL));
	check((p->contacts != NULL) == (p->medicines != NULL));
	if (!p->contacts)
		return;
	json_t *c = json_loads(p->contacts, 0, NULL), *m = json_loads(p->medicines, 0, NULL);
	check(json_is_array(c) && json_array_size(c) <= JUP_CARE_PLAN_MAX_CONTACTS);
	check(json_is_array(m) && json_array_size(m) <= JUP_CARE_PLAN_MAX_MEDICINES);
	json_decref(c);
	json_decref(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
	if (!in)
		return 0;
	care_plan_in p;
	jup_err err = { "" };
	jup_status s = care_plan_parse(in, &p, &err);
	check(s == JUP_OK || s == JUP_ERR_INVALID);
	if (s == JUP_ERR_INVALID)
		check(err.msg[0] && strstr(err.msg, ": "));
	else
		check_lists(&p);
	care_plan_in_free(&p);
	json_t *copy = json_deep_copy(in);
	jup_err again = { "" };
	check(jup_care_plan_validate(copy, &again) == s && strcmp(again.msg, err.msg) == 0);
	json_decref(copy);
	json_decref(in);
	return 0;
}
