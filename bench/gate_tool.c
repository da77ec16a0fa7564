/*
 * gate_tool.c - benchmark helper for the purpose gate (not installed).
 *
 *   gate_tool users DB CITY_DIR          add a GP user per practice of the city
 *   gate_tool decide DB CITY_DIR N T     N audited decisions on T threads with
 *                                        group commit, twice on one group: first
 *                                        with its index of facts empty (cold),
 *                                        then again (warm); print decisions per
 *                                        second of each round
 *   gate_tool sync DB CITY_DIR N         N audited decisions, one commit each
 *
 * Requests: direct care by a GP, nine in ten at the person's own practice
 * (permits, unless consent says no), one in ten at another (denials). The
 * people are the city's GP register (gp_patients.csv), read here only for
 * their NHS numbers and practices; nothing is printed about them.
 */
#include "core/jup_rng.h"
#include "gate/jup_gate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PRACTICES 64

typedef struct patient {
	char nhs[11];
	int practice;
} patient;

static struct {
	patient *v;
	size_t n;
	char codes[MAX_PRACTICES][16];
	int npractices;
	jup_user users[MAX_PRACTICES];
} city;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int fail(const char *what, const jup_err *err)
{
	fprintf(stderr, "gate_tool: %s: %s\n", what, err->msg);
	return 1;
}

static int practice_index(const char *code)
{
	for (int i = 0; i < city.npractices; i++)
		if (strcmp(city.codes[i], code) == 0)
			return i;
	if (city.npractices == MAX_PRACTICES)
		return -1;
	snprintf(city.codes[city.npractices], sizeof city.codes[0], "%s", code);
	return city.npractices++;
}

/* Field k (0-based) of a CSV line without quotes, into out. */
static void field(const char *line, int k, char *out, size_t cap)
{
	const char *p = line;
	for (int i = 0; i < k && p; i++) {
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	size_t n = p ? strcspn(p, ",\r\n") : 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p ? p : "", n);
	out[n] = 0;
}

static int column(const char *header, const char *name)
{
	char f[64];
	for (int k = 0; k < 32; k++) {
		field(header, k, f, sizeof f);
		if (strcmp(f, name) == 0)
			return k;
	}
	return -1;
}

static int read_city(const char *dir)
{
	char path[1024], line[4096];
	snprintf(path, sizeof path, "%s/gp_patients.csv", dir);
	FILE *f = fopen(path, "r");
	if (!f || !fgets(line, sizeof line, f)) {
		fprintf(stderr, "gate_tool: cannot read %s\n", path);
		return 1;
	}
	int c_nhs = column(line, "nhs_number"), c_practice = column(line, "practice_code");
	size_t cap = 0;
	while (fgets(line, sizeof line, f)) {
		if (city.n == cap) {
			cap = cap ? cap * 2 : 4096;
			city.v = realloc(city.v, cap * sizeof *city.v);
		}
		patient *p = &city.v[city.n];
		char code[16];
		field(line, c_nhs, p->nhs, sizeof p->nhs);
		field(line, c_practice, code, sizeof code);
		p->practice = practice_index(code);
		if (p->practice >= 0 && strlen(p->nhs) == 10)
			city.n++;
	}
	fclose(f);
	return city.n ? 0 : 1;
}

/* The bench GP of practice i: "gp.bench.y90001". */
static void user_name(char *out, size_t cap, int i)
{
	snprintf(out, cap, "gp.bench.%s", city.codes[i]);
	for (char *c = out; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
}

static int find_users(jup_store *st)
{
	for (int i = 0; i < city.npractices; i++) {
		char name[64];
		user_name(name, sizeof name, i);
		jup_err err;
		if (jup_user_find(st, name, &city.users[i], &err))
			return fail("find user (run `gate_tool users` first)", &err);
	}
	return 0;
}

static int add_users(jup_store *st)
{
	for (int i = 0; i < city.npractices; i++) {
		char name[64];
		user_name(name, sizeof name, i);
		jup_user_new u = { name, JUP_ROLE_GP, city.codes[i], NULL, "bench password 12345" };
		jup_err err;
		jup_status s = jup_user_add(st, &u, NULL, &err);
		if (s && s != JUP_ERR_EXISTS)
			return fail("add user", &err);
	}
	return 0;
}

/* Request i of a run seeded by seed. */
static jup_gate_request request(jup_rng *rng, char *rid, size_t cap, long i)
{
	const patient *p = &city.v[jup_rng_next(rng) % city.n];
	int practice = p->practice;
	if (jup_rng_next(rng) % 10 == 0 && city.npractices > 1)
		practice = (practice + 1) % city.npractices;
	snprintf(rid, cap, "bench-%ld", i);
	return (jup_gate_request){ .actor = &city.users[practice],
				   .org_code = city.codes[practice],
				   .purpose = JUP_CONSENT_DIRECT_CARE,
				   .action = JUP_GATE_READ_RECORD,
				   .nhs_number = p->nhs,
				   .request_id = rid };
}

typedef struct worker {
	jup_gate_group *group;
	long n, permits;
	int seed;
	int rc;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	jup_rng rng;
	jup_rng_seed(&rng, (uint64_t)w->seed);
	char rid[32];
	for (long i = 0; i < w->n; i++) {
		jup_gate_request rq = request(&rng, rid, sizeof rid, i);
		jup_gate_decision d;
		jup_err err;
		if (jup_gate_group_decide(w->group, &rq, &d, &err)) {
			w->rc = fail("decide", &err);
			break;
		}
		w->permits += d.permit;
	}
	return NULL;
}

/* One round of n decisions on threads threads; the rate in *rate. */
static int round_of(jup_gate_group *g, const char *name, long n, int threads, int seed,
		    double *rate)
{
	worker w[256];
	pthread_t t[256];
	jup_gate_group_counts c0, c1;
	jup_gate_group_stats(g, &c0);
	double t0 = now();
	for (int i = 0; i < threads; i++) {
		w[i] = (worker){ g, n / threads, 0, seed + i, 0 };
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	long permits = 0, done = 0;
	int rc = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		permits += w[i].permits;
		done += w[i].n;
		rc |= w[i].rc;
	}
	double s = now() - t0;
	jup_gate_group_stats(g, &c1);
	*rate = (double)done / s;
	printf("%s: %ld audited decisions in %.2f s: %.0f decisions/s (%d threads, %llu batches, "
	       "%llu facts read from the store, %ld permitted)\n",
	       name, done, s, *rate, threads, (unsigned long long)(c1.batches - c0.batches),
	       (unsigned long long)(c1.loads - c0.loads), permits);
	return rc;
}

static int decide_grouped(const char *db, long n, int threads)
{
	jup_gate_group *g;
	jup_err err;
	if (jup_gate_group_open(db, &g, &err))
		return fail("open group", &err);
	double cold, warm;
	int rc = round_of(g, "cold", n, threads, 1, &cold);
	if (!rc)
		rc = round_of(g, "warm", n, threads, 1001, &warm);
	jup_gate_group_close(g);
	return rc;
}

static int decide_sync(jup_store *st, long n)
{
	jup_rng rng;
	jup_rng_seed(&rng, 1);
	char rid[32];
	long permits = 0;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		jup_gate_request rq = request(&rng, rid, sizeof rid, i);
		jup_gate_decision d;
		jup_err err;
		if (jup_gate_decide(st, &rq, &d, &err))
			return fail("decide", &err);
		permits += d.permit;
	}
	double s = now() - t0;
	printf("%ld audited decisions in %.2f s: %.0f decisions/s (one commit each, %ld "
	       "permitted)\n",
	       n, s, (double)n / s, permits);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: gate_tool users|decide|sync DB CITY_DIR [N [THREADS]]\n");
		return 2;
	}
	const char *mode = argv[1], *db = argv[2];
	if (read_city(argv[3]))
		return 1;
	jup_store *st;
	jup_err err;
	if (jup_store_open(db, 0, &st, &err))
		return fail("open", &err);
	int rc;
	if (strcmp(mode, "users") == 0) {
		rc = add_users(st);
	} else {
		long n = argc > 4 ? strtol(argv[4], NULL, 10) : 10000;
		int threads = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 2;
		if (threads < 1 || threads > 256)
			threads = 2;
		rc = find_users(st);
		if (!rc && strcmp(mode, "sync") == 0)
			rc = decide_sync(st, n);
		else if (!rc)
			rc = decide_grouped(db, n, threads);
	}
	jup_store_close(st);
	free(city.v);
	return rc;
}
