/*
 * audit_tool.c - benchmark helper for the audit log (not installed).
 *
 *   audit_tool append DB N BATCH [PERSONS]
 *                                  append N entries, BATCH per transaction
 *                                  (group commit), print entries per second
 *   audit_tool verify DB           time jup_audit_verify over the whole log
 *
 * Entries are synthetic references, as the purpose gate writes them: actor,
 * role, organisation, purpose, action, what, outcome; about no person, or
 * with PERSONS about persons 1..PERSONS in a scattered order (as requests
 * arrive), the persons made first (a link run and bare person rows) where
 * the store has fewer.
 */
#include "audit/jup_audit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int fail(const char *what, const jup_err *err)
{
	fprintf(stderr, "audit_tool: %s: %s\n", what, err->msg);
	return 1;
}

/* Persons 1..n exist (person ids from 1 in a store without persons). */
static int make_persons(jup_store *st, long n)
{
	jup_err err;
	int64_t have, run;
	if (jup_store_count(st, JUP_TABLE_PERSON, &have, &err))
		return fail("persons", &err);
	if (have >= n)
		return 0;
	jup_value r[JUP_RUN__N];
	for (int i = 0; i < JUP_RUN__N; i++)
		r[i] = jup_v_null();
	r[JUP_RUN_STARTED_AT] = jup_v_cstr("2026-11-23T12:00:00Z");
	r[JUP_RUN_UPPER] = jup_v_real(0.99);
	r[JUP_RUN_LOWER] = jup_v_real(0.8);
	if (jup_store_begin(st, &err) ||
	    jup_store_insert(st, JUP_TABLE_LINK_RUN, r, NULL, &run, &err))
		return fail("link run", &err);
	for (long i = have; i < n; i++) {
		jup_value p[JUP_PERSON__N] = { jup_v_int(run), jup_v_null() };
		if (jup_store_insert(st, JUP_TABLE_PERSON, p, NULL, NULL, &err))
			return fail("person", &err);
	}
	if (jup_store_commit(st, &err))
		return fail("commit", &err);
	return 0;
}

/* The person of entry i: 0 for none, else scattered over 1..persons. */
static int64_t person_of(long i, long persons)
{
	return persons ? (int64_t)((uint64_t)i * 2654435761u % (uint64_t)persons) + 1 : 0;
}

static int append(jup_store *st, long n, long batch, long persons)
{
	jup_err err;
	if (persons && make_persons(st, persons))
		return 1;
	double t0 = now();
	char what[32];
	for (long i = 0; i < n;) {
		if (jup_store_begin(st, &err))
			return fail("begin", &err);
		for (long k = 0; k < batch && i < n; k++, i++) {
			snprintf(what, sizeof what, "record:%ld", i % 100000);
			jup_audit_entry e = { .actor = "gp.bench", .role = "gp", .org_code = "Y90001",
					      .purpose = "direct_care",
					      .person_id = person_of(i, persons), .action = "read",
					      .what = what, .outcome = i % 10 ? "permit" : "deny",
					      .reason = "registered at the practice" };
			int64_t id;
			if (jup_audit_append(st, &e, &id, &err))
				return fail("append", &err);
		}
		if (jup_store_commit(st, &err))
			return fail("commit", &err);
	}
	double s = now() - t0;
	printf("appended %ld entries in %.2f s: %.0f entries/s (batch %ld, %ld persons)\n", n, s,
	       (double)n / s, batch, persons);
	return 0;
}

static int verify(jup_store *st)
{
	jup_audit_report rep;
	jup_err err;
	double t0 = now();
	jup_status r = jup_audit_verify(st, NULL, &rep, &err);
	double s = now() - t0;
	if (r)
		return fail("verify", &err);
	printf("verified %llu entries in %.2f s\n", (unsigned long long)rep.entries, s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: audit_tool append DB N BATCH [PERSONS] | verify DB\n", stderr);
		return 2;
	}
	jup_store *st;
	jup_err err;
	if (jup_store_open(argv[2], JUP_STORE_CREATE, &st, &err))
		return fail("open", &err);
	int rc = 2;
	char *end1 = NULL, *end2 = NULL, *end3 = NULL;
	bool args = argc == 5 || argc == 6;
	long n = args ? strtol(argv[3], &end1, 10) : 0;
	long batch = args ? strtol(argv[4], &end2, 10) : 0;
	long persons = argc == 6 ? strtol(argv[5], &end3, 10) : 0;
	if (strcmp(argv[1], "append") == 0 && args && !*end1 && !*end2 && (!end3 || !*end3) &&
	    n > 0 && persons >= 0)
		rc = append(st, n, batch > 0 ? batch : 1, persons);
	else if (strcmp(argv[1], "verify") == 0)
		rc = verify(st);
	jup_store_close(st);
	return rc;
}
