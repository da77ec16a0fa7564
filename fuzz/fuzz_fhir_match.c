/*
 * fuzz_fhir_match.c - libFuzzer target for the Parameters of
 * Patient/$match: the body reader, then the strict parameter reader, then
 * the master person index's own checks of the fields (on an empty store:
 * no model, so a well-formed query ends in NOT_FOUND). Statuses are the
 * documented ones and a failure always says why.
 */
#include "fhir/jup_fhir.h"
#include "scratch_store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *body = NULL;
	jup_err err = { { 0 } };
	if (jup_fhir_json_parse((const char *)data, size, &body, &err))
		return 0;
	jup_link_match_query q;
	size_t count;
	bool certain;
	jup_status st = jup_fhir_match_parse(body, &q, &count, &certain, &err);
	if (st) {
		check(st == JUP_ERR_INVALID && err.msg[0]);
	} else {
		check(count >= 1 && count <= JUP_HTTP_MAX_CANDIDATES);
		static jup_store *s;
		if (!s)
			s = scratch_open("match");
		jup_link_match out[JUP_HTTP_MAX_CANDIDATES];
		size_t n = 0;
		st = jup_link_db_match(s, &q, count, out, &n, &err);
		check(st == JUP_ERR_NOT_FOUND || st == JUP_ERR_INVALID || st == JUP_ERR_USAGE ||
		      st == JUP_ERR_LIMIT);
		check(n == 0 && err.msg[0]);
	}
	json_decref(body);
	return 0;
}
