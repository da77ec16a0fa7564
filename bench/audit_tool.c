/*
 * audit_tool.c - benchmark helper for the audit log (not installed).
 *
 *   audit_tool append DB N BATCH   append N entries, BATCH per transaction
 *                                  (group commit), print entries per second
 *   audit_tool verify DB           time jup_audit_verify over the whole log
 *
 * Entries are synthetic references (no person), as the purpose gate will
 * write them: actor, role, organisation, purpose, action, what, outcome.
 */
#include "audit/jup_audit.h"

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

static int append(jup_store *st, long n, long batch)
{
	jup_err err;
	double t0 = now();
	char what[32];
	for (long i = 0; i < n;) {
		if (jup_store_begin(st, &err))
			return fail("begin", &err);
		for (long k = 0; k < batch && i < n; k++, i++) {
			snprintf(what, sizeof what, "record:%ld", i % 100000);
			jup_audit_entry e = { .actor = "gp.bench", .role = "gp", .org_code = "Y90001",
					      .purpose = "direct_care", .action = "read",
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
	printf("appended %ld entries in %.2f s: %.0f entries/s (batch %ld)\n", n, s, (double)n / s,
	       batch);
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
		fputs("usage: audit_tool append DB N BATCH | verify DB\n", stderr);
		return 2;
	}
	jup_store *st;
	jup_err err;
	if (jup_store_open(argv[2], JUP_STORE_CREATE, &st, &err))
		return fail("open", &err);
	int rc = 2;
	char *end1 = NULL, *end2 = NULL;
	long n = argc == 5 ? strtol(argv[3], &end1, 10) : 0;
	long batch = argc == 5 ? strtol(argv[4], &end2, 10) : 0;
	if (strcmp(argv[1], "append") == 0 && argc == 5 && !*end1 && !*end2 && n > 0)
		rc = append(st, n, batch > 0 ? batch : 1);
	else if (strcmp(argv[1], "verify") == 0)
		rc = verify(st);
	jup_store_close(st);
	return rc;
}
