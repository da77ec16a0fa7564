/*
 * search_tool.c - benchmark helper for finding people (not installed).
 *
 *   search_tool match DB N     N $match queries (jup_link_db_match), each made
 *                              from a random linked record without its NHS
 *                              number, in four shapes: as recorded; moved (the
 *                              postcode and address of another record); the
 *                              date of birth one digit out; and the given name
 *                              cut to its first three letters and moved. Prints
 *                              the time per query (median, 99th percentile) and
 *                              how often the record's own person came first and
 *                              came at all, per shape.
 *   search_tool search DB N    N Patient searches (jup_person_search) made from
 *                              random linked records: by NHS number; family and
 *                              given name; family prefix of three letters and
 *                              birth date. Prints the time per search and how
 *                              often the record's person was among the results
 *                              (or the search asked to be refined).
 *
 * The records are read here only to make queries; nothing about anyone is
 * printed, only counts and times.
 */
#include "core/jup_rng.h"
#include "link/jup_link_db.h"
#include "person/jup_person.h"
#include "store/jup_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RESULTS 100

typedef struct sample {
	int64_t id, person;
	char nhs[11], given[101], family[101], dob[11], sex[2], postcode[9], address[201];
} sample;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int fail(const char *what, const jup_err *err)
{
	fprintf(stderr, "search_tool: %s: %s\n", what, err->msg);
	return 1;
}

static size_t below(jup_rng *r, size_t n)
{
	return (size_t)(jup_rng_next(r) % n);
}

static jup_status sample_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	sample *s = ctx;
	s->id = id;
	jup_value_copy_text(s->nhs, sizeof s->nhs, &v[JUP_SRC_NHS_NUMBER]);
	jup_value_copy_text(s->given, sizeof s->given, &v[JUP_SRC_GIVEN_NAME]);
	jup_value_copy_text(s->family, sizeof s->family, &v[JUP_SRC_FAMILY_NAME]);
	jup_value_copy_text(s->dob, sizeof s->dob, &v[JUP_SRC_DOB]);
	jup_value_copy_text(s->sex, sizeof s->sex, &v[JUP_SRC_SEX]);
	jup_value_copy_text(s->postcode, sizeof s->postcode, &v[JUP_SRC_POSTCODE]);
	jup_value_copy_text(s->address, sizeof s->address, &v[JUP_SRC_ADDRESS]);
	return JUP_OK;
}

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	*(int64_t *)ctx = v[JUP_PM_PERSON_ID].i;
	return JUP_OK;
}

/* A random linked record with a date of birth and names. */
static int draw(jup_store *st, jup_rng *rng, int64_t records, sample *s)
{
	jup_err err;
	for (;;) {
		memset(s, 0, sizeof *s);
		jup_match id = { JUP_COL_ID, jup_v_int(1 + (int64_t)below(rng, (size_t)records)) };
		int64_t person = 0;
		if (jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, &id, 1, sample_row, s, &err))
			return fail("reading a record", &err);
		jup_match m = { JUP_PM_SOURCE_ID, jup_v_int(s->id) };
		if (s->id &&
		    jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &m, 1, member_row, &person, &err))
			return fail("reading a member", &err);
		if (!person || !s->dob[0] || !s->family[0] || !s->given[0])
			continue;
		if (jup_person_survivor(st, person, &s->person, &err))
			return fail("survivor", &err);
		return 0;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void print_times(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += t[i];
	printf("%-28s %6d queries  mean %.3f ms  median %.3f ms  p99 %.3f ms\n", what, n,
	       1e3 * sum / n, 1e3 * t[n / 2], 1e3 * t[(int)(n * 0.99)]);
}

/* ---- match ---------------------------------------------------------------------- */

enum { SHAPE_AS_RECORDED, SHAPE_MOVED, SHAPE_DOB_DIGIT, SHAPE_SHORT_GIVEN_MOVED, SHAPES };
static const char *const shape_names[SHAPES] = { "as recorded", "moved", "date one digit out",
						 "given cut, moved" };

static void make_query(sample *s, const sample *other, int shape, jup_rng *rng)
{
	if (shape == SHAPE_MOVED || shape == SHAPE_SHORT_GIVEN_MOVED) {
		memcpy(s->postcode, other->postcode, sizeof s->postcode);
		memcpy(s->address, other->address, sizeof s->address);
	}
	if (shape == SHAPE_DOB_DIGIT) { /* the day's last digit, or 3x -> 2x */
		int day = (s->dob[8] - '0') * 10 + (s->dob[9] - '0'), next = day;
		for (size_t k = 1 + below(rng, 9), tries = 0; tries < 9 && next == day; tries++) {
			int d = day / 10 * 10 + (day % 10 + (int)k + (int)tries) % 10;
			next = d >= 1 && d <= 28 ? d : day;
		}
		if (next == day)
			next = day - 10;
		s->dob[8] = (char)('0' + next / 10);
		s->dob[9] = (char)('0' + next % 10);
	}
	if (shape == SHAPE_SHORT_GIVEN_MOVED && strlen(s->given) > 3)
		s->given[3] = 0;
}

static int run_match(jup_store *st, int64_t records, int n)
{
	jup_rng rng;
	jup_rng_seed(&rng, 42);
	double *t = calloc((size_t)n, sizeof *t);
	int first[SHAPES] = { 0 }, any[SHAPES] = { 0 }, tried[SHAPES] = { 0 };
	jup_link_match out[MAX_RESULTS];
	for (int i = 0; i < n; i++) {
		sample s, other;
		if (draw(st, &rng, records, &s) || draw(st, &rng, records, &other))
			return 1;
		int shape = i % SHAPES;
		make_query(&s, &other, shape, &rng);
		jup_link_match_query q = {
			.family = jup_sv_from(s.family),
			.given = jup_sv_from(s.given),
			.birth_date = jup_sv_from(s.dob),
			.sex = jup_sv_from(s.sex),
			.postcode = jup_sv_from(s.postcode),
			.address = jup_sv_from(s.address),
		};
		size_t got;
		jup_err err;
		double t0 = now();
		jup_status rc = jup_link_db_match(st, &q, MAX_RESULTS, out, &got, &err);
		t[i] = now() - t0;
		if (rc == JUP_ERR_INVALID)
			continue; /* a made-up date that is not one */
		if (rc)
			return fail("match", &err);
		tried[shape]++;
		first[shape] += got > 0 && out[0].person_id == s.person;
		for (size_t k = 0; k < got; k++)
			any[shape] += out[k].person_id == s.person;
	}
	print_times("$match", t, n);
	for (int k = 0; k < SHAPES; k++)
		printf("  %-20s %5d queries: own person first %.1f%%, returned %.1f%%\n",
		       shape_names[k], tried[k], 100.0 * first[k] / tried[k],
		       100.0 * any[k] / tried[k]);
	free(t);
	return 0;
}

/* ---- search ---------------------------------------------------------------------- */

enum { BY_NHS, BY_NAMES, BY_PREFIX_DOB, KINDS };
static const char *const kind_names[KINDS] = { "search: NHS number", "search: family + given",
					       "search: fam. prefix + date" };

static int run_search(jup_store *st, int64_t records, int n)
{
	jup_rng rng;
	jup_rng_seed(&rng, 43);
	for (int kind = 0; kind < KINDS; kind++) {
		double *t = calloc((size_t)n, sizeof *t);
		int found = 0, limited = 0, done = 0;
		size_t results = 0;
		int64_t ids[MAX_RESULTS];
		while (done < n) {
			sample s;
			if (draw(st, &rng, records, &s))
				return 1;
			if (kind == BY_NHS && !s.nhs[0])
				continue;
			char prefix[4] = { s.family[0], s.family[1], s.family[2], 0 };
			jup_person_query q = { { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 } };
			if (kind == BY_NHS)
				q.nhs_number = jup_sv_from(s.nhs);
			if (kind == BY_NAMES) {
				q.family = jup_sv_from(s.family);
				q.given = jup_sv_from(s.given);
			}
			if (kind == BY_PREFIX_DOB) {
				q.family = jup_sv_from(prefix);
				q.birthdate = jup_sv_from(s.dob);
			}
			size_t got;
			jup_err err;
			double t0 = now();
			jup_status rc = jup_person_search(st, &q, ids, MAX_RESULTS, &got, &err);
			t[done++] = now() - t0;
			if (rc == JUP_ERR_LIMIT) {
				limited++;
				continue;
			}
			if (rc)
				return fail("search", &err);
			results += got;
			for (size_t k = 0; k < got; k++)
				found += ids[k] == s.person;
		}
		print_times(kind_names[kind], t, n);
		printf("  own person found %.1f%%, %.1f people a search, %d asked to refine\n",
		       100.0 * found / (n - limited), (double)results / (n - limited), limited);
		free(t);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: search_tool match|search DB N\n");
		return 2;
	}
	char *end;
	long nl = strtol(argv[3], &end, 10);
	int n = *end || nl <= 0 || nl > 10000000 ? 0 : (int)nl;
	jup_store *st;
	jup_err err;
	if (n <= 0 || jup_store_open(argv[2], 0, &st, &err))
		return n <= 0 ? 2 : fail("open", &err);
	int64_t records;
	if (jup_store_count(st, JUP_TABLE_SOURCE_RECORD, &records, &err) || records == 0)
		return fail("count", &err);
	int rc = strcmp(argv[1], "match") == 0    ? run_match(st, records, n)
		 : strcmp(argv[1], "search") == 0 ? run_search(st, records, n)
						  : 2;
	jup_store_close(st);
	return rc;
}
