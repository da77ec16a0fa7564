/*
 * test_link_db.c - the master person index over a store: one person never
 * holds two NHS numbers, NHS numbers on a GP register link deterministically,
 * review decisions survive later runs, runs are incremental (person ids stay),
 * explanations give the stored probability, truth scoring counts pairs, and
 * bad thresholds write nothing.
 *
 * A synthetic city (3000 people, seed 7) is imported and linked once; each
 * test works on its own copy of that store and adds a few hand-written
 * records of invented people (NHS numbers from the 999 test range) held by
 * the city's organisations.
 */
#include "jup_test.h"

#include "core/jup_limits.h"
#include "ingest/jup_ingest_import.h"
#include "link/jup_link_db.h"
#include "store/jup_store.h"
#include "synth/jup_synth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Organisations of the seed-7 city (checked in setup). */
#define GP      "Y90002"
#define TRUST   "R9A"
#define TRUST2  "R9B"
#define COUNCIL "E08000035"

#define GP_HEAD "nhs_number,given_name,family_name,dob,sex,postcode,practice_code,local_id," \
		"address,registered_on\n"
#define HOSP_HEAD "trust_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address\n"
#define SC_HEAD "local_id,nhs_number,given_name,family_name,dob,sex,postcode,practice_code," \
		"council_code,address\n"

/* A GP register record of the city, as stored. */
typedef struct demo {
	int64_t id;
	char local[40], nhs[16], given[64], family[64], dob[16], sex[4], postcode[16];
	char address[128];
} demo;

static struct {
	char unlinked[512], linked[512];
	demo gp[2]; /* the first two records of practice GP */
} city;

/* ------------------------------------------------------------ helpers */
static void import_paths(jup_store *st, const char *const *paths, size_t n)
{
	char *problems = NULL;
	size_t len = 0;
	FILE *probs = open_memstream(&problems, &len);
	assert_non_null(probs);
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23), .problems = probs };
	jup_import_summary sum;
	jup_err err = { "" };
	jup_status rc = jup_ingest_import(st, paths, n, &opts, &sum, &err);
	fclose(probs);
	if (rc)
		fail_msg("import: %s\n%s", err.msg, problems);
	free(problems);
}

/* Write text to the tmp dir as name and import it. */
static void import_text(jup_store *st, const char *name, const char *text)
{
	const char *path = jup_test_write_file(jup_test_tmpdir(), name, text);
	import_paths(st, &path, 1);
}

static void link_with(jup_store *st, const jup_link_db_opts *o, jup_link_db_report *rep)
{
	jup_link_db_opts defaults;
	jup_link_db_defaults(&defaults);
	jup_err err = { "" };
	if (jup_link_db_run(st, o ? o : &defaults, rep, &err))
		fail_msg("link: %s", err.msg);
}

/* Thresholds for the review tests: invented names are rare, so the model is
 * surer of them than of common ones; a pair agreeing on names, date of birth
 * and sex but not on postcode or address scores about 0.9997. */
static void review_opts(jup_link_db_opts *o)
{
	jup_link_db_defaults(o);
	o->upper = 0.9999;
}

static int64_t rec(jup_store *st, const char *name)
{
	jup_link_db_ref ref;
	jup_err err;
	if (jup_link_db_find(st, name, &ref, &err))
		fail_msg("find %s: %s", name, err.msg);
	return ref.id;
}

static int64_t count(jup_store *st, jup_table t)
{
	int64_t n = -1;
	jup_err err;
	assert_int_equal(jup_store_count(st, t, &n, &err), JUP_OK);
	return n;
}

static void copy_text(char *dst, size_t cap, const jup_value *v)
{
	size_t n = v->type == JUP_V_TEXT ? v->s.len : 0;
	n = n < cap - 1 ? n : cap - 1;
	if (n)
		memcpy(dst, v->s.ptr, n);
	dst[n] = 0;
}

/* ---- person membership */

typedef struct membership {
	int64_t person;
	char method[16];
} membership;

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	membership *m = ctx;
	m->person = v[JUP_PM_PERSON_ID].i;
	copy_text(m->method, sizeof m->method, &v[JUP_PM_METHOD]);
	return JUP_OK;
}

static membership member_of(jup_store *st, int64_t source)
{
	membership m = { 0, "" };
	jup_match w = { JUP_PM_SOURCE_ID, jup_v_int(source) };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &w, 1, member_row, &m, &err),
			 JUP_OK);
	return m;
}

static int64_t person(jup_store *st, int64_t source)
{
	int64_t p = member_of(st, source).person;
	if (!p)
		fail_msg("source record %lld is not linked", (long long)source);
	return p;
}

static jup_status person_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	int64_t *out = ctx;
	out[0] = v[JUP_PERSON_CREATED_RUN].i;
	out[1] = v[JUP_PERSON_MERGED_INTO].type == JUP_V_INT ? v[JUP_PERSON_MERGED_INTO].i : 0;
	return JUP_OK;
}

/* The person row: created_run in [0], merged_into (0 for none) in [1]. */
static void person_info(jup_store *st, int64_t p, int64_t out[2])
{
	out[0] = out[1] = -1;
	jup_match w = { JUP_COL_ID, jup_v_int(p) };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_PERSON, &w, 1, person_row, out, &err),
			 JUP_OK);
	assert_int_not_equal(out[0], -1);
}

/* ---- stored pairs */

static jup_status pair_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	jup_link_db_pair *p = ctx;
	memset(p, 0, sizeof *p);
	p->id = id;
	p->a.id = v[JUP_PAIR_SOURCE_A].i;
	p->b.id = v[JUP_PAIR_SOURCE_B].i;
	p->probability = v[JUP_PAIR_PROBABILITY].d;
	p->weight = v[JUP_PAIR_WEIGHT].d;
	copy_text(p->status, sizeof p->status, &v[JUP_PAIR_STATUS]);
	copy_text(p->decided_by, sizeof p->decided_by, &v[JUP_PAIR_DECIDED_BY]);
	copy_text(p->decided_at, sizeof p->decided_at, &v[JUP_PAIR_DECIDED_AT]);
	return JUP_OK;
}

/* The stored pair of records a and b (either order); fails if none. */
static jup_link_db_pair pair_of(jup_store *st, int64_t a, int64_t b)
{
	jup_link_db_pair p = { 0 };
	jup_match w[2] = { { JUP_PAIR_SOURCE_A, jup_v_int(a < b ? a : b) },
			   { JUP_PAIR_SOURCE_B, jup_v_int(a < b ? b : a) } };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_PAIR, w, 2, pair_row, &p, &err), JUP_OK);
	if (!p.id)
		fail_msg("no stored pair of records %lld and %lld", (long long)a, (long long)b);
	return p;
}

/* The first stored pair with this status (id 0 when none). */
static jup_link_db_pair pair_with_status(jup_store *st, const char *status)
{
	jup_link_db_pair p = { 0 };
	jup_match w = { JUP_PAIR_STATUS, jup_v_cstr(status) };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_PAIR, &w, 1, pair_row, &p, &err),
			 JUP_OK);
	return p;
}

/* ---- whole-store snapshots */

typedef struct pm_list {
	int64_t (*rows)[2]; /* source id, person id */
	size_t n, cap;
} pm_list;

static jup_status pm_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	pm_list *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->rows = realloc(l->rows, l->cap * sizeof *l->rows);
		assert_non_null(l->rows);
	}
	l->rows[l->n][0] = v[JUP_PM_SOURCE_ID].i;
	l->rows[l->n++][1] = v[JUP_PM_PERSON_ID].i;
	return JUP_OK;
}

/* Every (source, person) membership, in source id order. */
static pm_list members(jup_store *st)
{
	pm_list l = { 0 };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, NULL, 0, pm_row, &l, &err),
			 JUP_OK);
	return l;
}

static const jup_table linkage_tables[] = {
	JUP_TABLE_LINK_RUN, JUP_TABLE_LINK_MODEL,    JUP_TABLE_LINK_TF,
	JUP_TABLE_PERSON,   JUP_TABLE_PERSON_MEMBER, JUP_TABLE_LINK_PAIR,
};
#define NLINKAGE (sizeof linkage_tables / sizeof linkage_tables[0])

static void linkage_counts(jup_store *st, int64_t out[NLINKAGE])
{
	for (size_t i = 0; i < NLINKAGE; i++)
		out[i] = count(st, linkage_tables[i]);
}

/* Valid NHS numbers by source id, then checked per person. */
typedef struct nhs_map {
	uint64_t *v;
	size_t n;
} nhs_map;

static void nhs_put(nhs_map *m, int64_t key, uint64_t *slot_out, uint64_t value)
{
	assert_true(key > 0);
	if ((size_t)key >= m->n) {
		size_t n = (size_t)key * 2 + 16;
		m->v = realloc(m->v, n * sizeof *m->v);
		assert_non_null(m->v);
		memset(m->v + m->n, 0, (n - m->n) * sizeof *m->v);
		m->n = n;
	}
	if (slot_out)
		*slot_out = m->v[key];
	if (value && !m->v[key])
		m->v[key] = value;
}

static jup_status source_nhs_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	const jup_value *nhs = &v[JUP_SRC_NHS_NUMBER];
	char digits[11] = "";
	copy_text(digits, sizeof digits, nhs);
	nhs_put(ctx, id, NULL, strlen(digits) == 10 ? strtoull(digits, NULL, 10) : 0);
	return JUP_OK;
}

typedef struct person_nhs {
	nhs_map by_source, by_person;
	int64_t clashes;
} person_nhs;

static jup_status member_nhs_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	person_nhs *p = ctx;
	int64_t src = v[JUP_PM_SOURCE_ID].i;
	uint64_t nhs = (size_t)src < p->by_source.n ? p->by_source.v[src] : 0, held;
	nhs_put(&p->by_person, v[JUP_PM_PERSON_ID].i, &held, nhs);
	p->clashes += nhs && held && held != nhs;
	return JUP_OK;
}

static void assert_one_nhs_number_per_person(jup_store *st)
{
	person_nhs p = { 0 };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, NULL, 0, source_nhs_row,
					&p.by_source, &err),
			 JUP_OK);
	assert_int_equal(jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, NULL, 0, member_nhs_row, &p,
					&err),
			 JUP_OK);
	free(p.by_source.v);
	free(p.by_person.v);
	assert_int_equal(p.clashes, 0);
}

/* ------------------------------------------------------------ 1. two NHS numbers */

/* Two different valid numbers (on no GP register), everything else the
 * same; and a council record without a number, otherwise the same too. */
static const char two_hosp[] =
	HOSP_HEAD TRUST ",HTWO1,9990001022,Quillon,Fenwrathe,1958-04-21,M,LS1 9ZN,4 Fairfield Way\n"
	TRUST2 ",HTWO2,9990001030,Quillon,Fenwrathe,1958-04-21,M,LS1 9ZN,4 Fairfield Way\n";
static const char two_sc[] =
	SC_HEAD "STWO3,,Quillon,Fenwrathe,1958-04-21,M,LS1 9ZN,," COUNCIL ",4 Fairfield Way\n";

static void test_two_nhs_numbers_never_one_person(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "two_nhs.db");
	import_text(st, "hospital_patients_two.csv", two_hosp);
	import_text(st, "social_care_clients_two.csv", two_sc);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	int64_t a = rec(st, TRUST ":HTWO1"), b = rec(st, TRUST2 ":HTWO2");
	int64_t c = rec(st, COUNCIL ":STWO3");
	int64_t pa = person(st, a), pb = person(st, b), pc = person(st, c);
	assert_int_not_equal(pa, pb);
	/* the record without a number matches both, strongly: it joins one */
	assert_true((pc == pa) != (pc == pb));
	jup_link_db_pair refused = pair_of(st, pc == pa ? b : a, c);
	assert_string_equal(refused.status, "conflict");
	assert_true(refused.probability >= JUP_LINK_DEFAULT_UPPER);
	assert_true(rep.refused >= 1);
	assert_one_nhs_number_per_person(st);
	jup_store_close(st);
}

/* ------------------------------------------------------------ 2. deterministic */

/* name with its second letter changed */
static void misspell(char *dst, size_t cap, const char *name)
{
	snprintf(dst, cap, "%s", name);
	if (strlen(dst) > 1)
		dst[1] = dst[1] == 'z' ? 'y' : 'z';
}

static void test_nhs_number_on_gp_register_links_despite_misspelling(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "nhs.db");
	const demo *g = &city.gp[0];
	char given[64], family[64], text[1024];
	misspell(given, sizeof given, g->given);
	misspell(family, sizeof family, g->family);
	snprintf(text, sizeof text, SC_HEAD "SNHS1,%s,%s,%s,%s,%s,%s,," COUNCIL ",\"%s\"\n",
		 g->nhs, given, family, g->dob, g->sex, g->postcode, g->address);
	import_text(st, "social_care_clients_nhs.csv", text);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	assert_int_equal(rep.new_records, 1);
	assert_int_equal(rep.linked_nhs, 1);
	membership m = member_of(st, rec(st, COUNCIL ":SNHS1"));
	assert_int_equal(m.person, person(st, g->id));
	assert_string_equal(m.method, "nhs_number");
	jup_store_close(st);
}

/* ------------------------------------------------------------ 3. review */

/* Two GP patients, each with a hospital record without an NHS number that
 * agrees on names, date of birth and sex but not on postcode or address. */
static const char review_gp[] =
	GP_HEAD "9990001006,Marisol,Threnody,1972-05-09,F,LS1 9ZN," GP ",GRV1,2 Fairfield Way,"
		"2001-03-04\n"
		"9990001014,Osric,Pellamore,1965-11-23,M,LS1 0TR," GP ",GRV2,4 Heather Square,"
		"1999-07-15\n";
static const char review_hosp[] =
	HOSP_HEAD TRUST ",HRV1,,Marisol,Threnody,1972-05-09,F,LS6 2AB,17 Quarry Lane\n"
	TRUST2 ",HRV2,,Osric,Pellamore,1965-11-23,M,LS7 3QD,8 Beck Road\n";
/* Later: one council record per pair, matching both sides strongly (no
 * postcode or address to disagree on). */
static const char review_sc[] =
	SC_HEAD "SRV1,,Marisol,Threnody,1972-05-09,F,,," COUNCIL ",\n"
		"SRV2,,Osric,Pellamore,1965-11-23,M,,," COUNCIL ",\n";

typedef struct review_case {
	int64_t g[2], h[2];    /* the GP and hospital records of the two people */
	jup_link_db_pair p[2]; /* their queued pairs */
} review_case;

static jup_store *queued_store(const char *name, review_case *rc)
{
	jup_store *st = jup_test_open_copy(city.linked, name);
	const char *paths[] = {
		jup_test_write_file(jup_test_tmpdir(), "gp_patients_rv.csv", review_gp),
		jup_test_write_file(jup_test_tmpdir(), "hospital_patients_rv.csv", review_hosp),
	};
	import_paths(st, paths, 2);
	jup_link_db_opts o;
	review_opts(&o);
	jup_link_db_report rep;
	link_with(st, &o, &rep);
	rc->g[0] = rec(st, GP ":GRV1");
	rc->g[1] = rec(st, GP ":GRV2");
	rc->h[0] = rec(st, TRUST ":HRV1");
	rc->h[1] = rec(st, TRUST2 ":HRV2");
	for (int i = 0; i < 2; i++) {
		rc->p[i] = pair_of(st, rc->g[i], rc->h[i]);
		assert_string_equal(rc->p[i].status, "review");
		assert_true(rc->p[i].probability >= o.lower && rc->p[i].probability < o.upper);
		assert_int_not_equal(person(st, rc->g[i]), person(st, rc->h[i]));
	}
	return st;
}

static void decide_ok(jup_store *st, int64_t pair, bool accept)
{
	jup_err err;
	if (jup_link_db_decide(st, pair, accept, "unit-test", "checked by hand", NULL, &err))
		fail_msg("decide: %s", err.msg);
}

/* Import the council records and link again with the review thresholds. */
static void rerun_with_council_records(jup_store *st, jup_link_db_report *rep)
{
	import_text(st, "social_care_clients_rv.csv", review_sc);
	jup_link_db_opts o;
	review_opts(&o);
	link_with(st, &o, rep);
}

static void test_rejection_survives_a_later_run(void **state)
{
	(void)state;
	review_case rc;
	jup_store *st = queued_store("reject.db", &rc);
	decide_ok(st, rc.p[0].id, false);
	jup_link_db_pair before = pair_of(st, rc.g[0], rc.h[0]);
	assert_string_equal(before.status, "rejected");
	assert_string_equal(before.decided_by, "unit-test");
	int64_t pg = person(st, rc.g[0]), ph = person(st, rc.h[0]);
	jup_link_db_report rep;
	rerun_with_council_records(st, &rep);
	/* the new record matched a side above the upper threshold */
	int64_t s = rec(st, COUNCIL ":SRV1");
	jup_link_db_opts o;
	review_opts(&o);
	int64_t joined = person(st, s) == person(st, rc.g[0]) ? rc.g[0] : rc.h[0];
	assert_true(pair_of(st, joined, s).probability >= o.upper);
	jup_link_db_pair after = pair_of(st, rc.g[0], rc.h[0]);
	assert_int_equal(after.id, before.id);
	assert_string_equal(after.status, "rejected");
	assert_string_equal(after.decided_by, before.decided_by);
	assert_string_equal(after.decided_at, before.decided_at);
	assert_int_equal(person(st, rc.g[0]), pg);
	assert_int_equal(person(st, rc.h[0]), ph);
	/* it joined one side; joining the other would undo the rejection, so
	 * that pair is not even queued */
	int64_t ps = person(st, s);
	assert_true(ps == pg || ps == ph);
	jup_link_db_pair other = { 0 };
	int64_t o_rec = ps == pg ? rc.h[0] : rc.g[0];
	jup_match w[2] = { { JUP_PAIR_SOURCE_A, jup_v_int(o_rec < s ? o_rec : s) },
			   { JUP_PAIR_SOURCE_B, jup_v_int(o_rec < s ? s : o_rec) } };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_PAIR, w, 2, pair_row, &other, &err),
			 JUP_OK);
	assert_true(other.id == 0 || strcmp(other.status, "review") != 0);
	jup_store_close(st);
}

/* A pair queued before a rejection cannot be accepted to join the people the
 * rejection kept apart. */
static void test_rejection_cannot_be_undone_through_another_pair(void **state)
{
	(void)state;
	review_case rc;
	jup_store *st = queued_store("bypass.db", &rc);
	jup_link_db_report rep;
	rerun_with_council_records(st, &rep); /* SRV1 joins one side; the other is queued */
	int64_t s = rec(st, COUNCIL ":SRV1");
	int64_t pg = person(st, rc.g[0]);
	int64_t other = person(st, s) == pg ? rc.h[0] : rc.g[0];
	jup_link_db_pair bridge = pair_of(st, other, s);
	assert_string_equal(bridge.status, "review");
	decide_ok(st, rc.p[0].id, false); /* g0 and h0 are different people */
	jup_err err;
	assert_int_equal(jup_link_db_decide(st, bridge.id, true, "unit-test", NULL, NULL, &err),
			 JUP_ERR_INVALID);
	assert_non_null(strstr(err.msg, "rejected"));
	assert_string_equal(pair_of(st, other, s).status, "review");
	assert_int_not_equal(person(st, rc.g[0]), person(st, rc.h[0]));
	jup_store_close(st);
}

static void assert_merged(jup_store *st, const review_case *rc, int64_t keep, int64_t gone)
{
	assert_int_equal(person(st, rc->g[1]), keep);
	assert_int_equal(person(st, rc->h[1]), keep);
	int64_t info[2];
	person_info(st, gone, info);
	assert_int_equal(info[1], keep);
	person_info(st, keep, info);
	assert_int_equal(info[1], 0);
}

static void test_acceptance_merges_people_for_good(void **state)
{
	(void)state;
	review_case rc;
	jup_store *st = queued_store("accept.db", &rc);
	int64_t pg = person(st, rc.g[1]), ph = person(st, rc.h[1]);
	int64_t keep = pg < ph ? pg : ph, gone = pg < ph ? ph : pg;
	int64_t moved = pg == gone ? rc.g[1] : rc.h[1];
	decide_ok(st, rc.p[1].id, true);
	assert_merged(st, &rc, keep, gone);
	assert_string_equal(member_of(st, moved).method, "review");
	assert_string_equal(pair_of(st, rc.g[1], rc.h[1]).status, "accepted");
	jup_link_db_report rep;
	rerun_with_council_records(st, &rep);
	assert_int_equal(rep.new_records, 2);
	assert_merged(st, &rc, keep, gone);
	int64_t s2 = rec(st, COUNCIL ":SRV2");
	assert_int_equal(person(st, s2), keep);
	assert_string_equal(pair_of(st, rc.g[1], s2).status, "linked");
	assert_string_equal(pair_of(st, rc.h[1], s2).status, "linked");
	assert_string_equal(member_of(st, moved).method, "review");
	assert_string_equal(pair_of(st, rc.g[1], rc.h[1]).status, "accepted");
	jup_store_close(st);
}

static void test_decide_refuses_what_it_cannot_decide(void **state)
{
	(void)state;
	review_case rc;
	jup_store *st = queued_store("decide.db", &rc);
	decide_ok(st, rc.p[0].id, false);
	jup_link_db_pair out;
	jup_err err;
	assert_int_equal(jup_link_db_decide(st, rc.p[0].id, true, "someone-else", NULL, &out, &err),
			 JUP_ERR_EXISTS);
	assert_string_equal(out.decided_by, "unit-test");
	assert_string_equal(pair_of(st, rc.g[0], rc.h[0]).status, "rejected");
	jup_link_db_pair linked = pair_with_status(st, "linked");
	assert_true(linked.id > 0);
	assert_int_equal(jup_link_db_decide(st, linked.id, true, "unit-test", NULL, NULL, &err),
			 JUP_ERR_INVALID);
	assert_string_equal(pair_of(st, linked.a.id, linked.b.id).status, "linked");
	assert_int_equal(jup_link_db_decide(st, INT64_C(1) << 40, true, "unit-test", NULL, NULL,
					    &err),
			 JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_link_db_decide(st, rc.p[1].id, true, "", NULL, NULL, &err),
			 JUP_ERR_USAGE);
	assert_string_equal(pair_of(st, rc.g[1], rc.h[1]).status, "review");
	jup_store_close(st);
}

/* ------------------------------------------------------------ 4. incremental */

/* A hospital extract: the first GP patient with its NHS number, the second
 * without one but otherwise exact, and an invented new person. */
static void write_incremental(char *text, size_t cap)
{
	const demo *a = &city.gp[0], *b = &city.gp[1];
	snprintf(text, cap,
		 HOSP_HEAD
		 TRUST ",HINC1,%s,%s,%s,%s,%s,%s,\"%s\"\n"
		 TRUST ",HINC2,,%s,%s,%s,%s,%s,\"%s\"\n"
		 TRUST ",HINC3,,Tamsin,Orrowfield,1988-08-08,F,LS7 3QD,9 Beck Road\n",
		 a->nhs, a->given, a->family, a->dob, a->sex, a->postcode, a->address, b->given,
		 b->family, b->dob, b->sex, b->postcode, b->address);
}

static void assert_unchanged_prefix(const pm_list *before, const pm_list *after)
{
	assert_true(after->n >= before->n);
	for (size_t i = 0; i < before->n; i++) {
		assert_int_equal(after->rows[i][0], before->rows[i][0]);
		if (after->rows[i][1] != before->rows[i][1])
			fail_msg("source record %lld moved from person %lld to %lld",
				 (long long)before->rows[i][0], (long long)before->rows[i][1],
				 (long long)after->rows[i][1]);
	}
}

static void assert_nothing_new(jup_store *st)
{
	int64_t before[NLINKAGE], after[NLINKAGE];
	linkage_counts(st, before);
	pm_list m0 = members(st);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	assert_int_equal(rep.run_id, 0);
	assert_int_equal(rep.new_records, 0);
	linkage_counts(st, after);
	assert_memory_equal(before, after, sizeof before);
	pm_list m1 = members(st);
	assert_int_equal(m1.n, m0.n);
	assert_unchanged_prefix(&m0, &m1);
	free(m0.rows);
	free(m1.rows);
}

static void test_incremental_run_keeps_person_ids(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "incremental.db");
	int64_t records = count(st, JUP_TABLE_SOURCE_RECORD);
	pm_list before = members(st);
	assert_int_equal((int64_t)before.n, records);
	char text[2048];
	write_incremental(text, sizeof text);
	import_text(st, "hospital_patients_inc.csv", text);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	assert_true(rep.run_id > 0);
	assert_int_equal(rep.records, records + 3);
	assert_int_equal(rep.new_records, 3);
	assert_int_equal(rep.persons_new, 1);
	pm_list after = members(st);
	assert_int_equal(after.n, before.n + 3);
	assert_unchanged_prefix(&before, &after);
	membership m1 = member_of(st, rec(st, TRUST ":HINC1"));
	assert_int_equal(m1.person, person(st, city.gp[0].id));
	assert_string_equal(m1.method, "nhs_number");
	membership m2 = member_of(st, rec(st, TRUST ":HINC2"));
	assert_int_equal(m2.person, person(st, city.gp[1].id));
	assert_string_equal(m2.method, "probabilistic");
	membership m3 = member_of(st, rec(st, TRUST ":HINC3"));
	int64_t info[2];
	person_info(st, m3.person, info);
	assert_int_equal(info[0], rep.run_id);
	assert_string_equal(m3.method, "alone");
	free(before.rows);
	free(after.rows);
	assert_nothing_new(st);
	jup_store_close(st);
}

/* ------------------------------------------------------------ 5. explain */

typedef struct stored_pair {
	int64_t a, b;
	double prob, weight;
	char levels[JUP_CMP__COUNT + 1];
} stored_pair;

typedef struct pair_list {
	stored_pair *items;
	size_t n, cap;
} pair_list;

static jup_status stored_pair_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	pair_list *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->items = realloc(l->items, l->cap * sizeof *l->items);
		assert_non_null(l->items);
	}
	stored_pair *p = &l->items[l->n++];
	p->a = v[JUP_PAIR_SOURCE_A].i;
	p->b = v[JUP_PAIR_SOURCE_B].i;
	p->prob = v[JUP_PAIR_PROBABILITY].d;
	p->weight = v[JUP_PAIR_WEIGHT].d;
	copy_text(p->levels, sizeof p->levels, &v[JUP_PAIR_LEVELS]);
	return JUP_OK;
}

static void assert_explains(jup_store *st, const stored_pair *p)
{
	jup_link_explain ex;
	jup_err err;
	if (jup_link_db_explain(st, p->a, p->b, &ex, &err))
		fail_msg("explain: %s", err.msg);
	assert_true(fabs(ex.probability - p->prob) < 1e-9);
	assert_true(fabs(ex.total - p->weight) < 1e-9);
	assert_int_equal(strlen(p->levels), JUP_CMP__COUNT);
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		assert_true(ex.level[c] < jup_link_levels((jup_link_cmp)c));
		assert_int_equal(ex.level[c], p->levels[c] - '0');
	}
}

static void test_explain_gives_the_stored_probability(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "explain.db");
	pair_list l = { 0 };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_LINK_PAIR, NULL, 0, stored_pair_row, &l,
					&err),
			 JUP_OK);
	assert_true(l.n > 0);
	for (size_t i = 0; i < l.n; i++)
		assert_explains(st, &l.items[i]);
	free(l.items);
	jup_link_explain ex;
	assert_int_equal(jup_link_db_explain(st, 1, INT64_C(1) << 40, &ex, &err),
			 JUP_ERR_NOT_FOUND);
	jup_store_close(st);
}

static void test_explain_needs_a_link_run(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.unlinked, "explain_early.db");
	jup_link_explain ex;
	jup_err err;
	assert_int_equal(jup_link_db_explain(st, 1, 2, &ex, &err), JUP_ERR_NOT_FOUND);
	jup_store_close(st);
}

/* ------------------------------------------------------------ find */

static void test_find_names_records(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "find.db");
	const demo *g = &city.gp[0];
	char name[64], id[32];
	snprintf(name, sizeof name, GP ":%s", g->local);
	snprintf(id, sizeof id, "%lld", (long long)g->id);
	jup_link_db_ref ref;
	jup_err err;
	assert_int_equal(jup_link_db_find(st, name, &ref, &err), JUP_OK);
	assert_int_equal(ref.id, g->id);
	assert_string_equal(ref.name, name);
	assert_int_equal(jup_link_db_find(st, id, &ref, &err), JUP_OK);
	assert_string_equal(ref.name, name);
	assert_int_equal(jup_link_db_find(st, GP ":NO-SUCH-ID", &ref, &err), JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_link_db_find(st, "ZZZ99:1", &ref, &err), JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_link_db_find(st, "no colon", &ref, &err), JUP_ERR_USAGE);
	assert_int_equal(jup_link_db_find(st, ":1", &ref, &err), JUP_ERR_USAGE);
	jup_store_close(st);
}

/* ------------------------------------------------------------ 6. truth */

/*
 * T1: a GP, a hospital and a council record sharing an NHS number (linked).
 * T2: two hospital records alike (linked) and a council record nothing like
 *     them (a person the links split).
 * T3, T4: a hospital and a council record alike (linked: a wrong merge).
 */
static const char truth_gp[] =
	GP_HEAD "9990001049,Peregrine,Ashwold,1949-02-17,M,LS1 9ZN," GP ",GT1,6 Fairfield Way,"
		"1980-06-01\n";
static const char truth_hosp[] =
	HOSP_HEAD TRUST ",HT1,9990001049,Peregrine,Ashwold,1949-02-17,M,LS1 9ZN,6 Fairfield Way\n"
	TRUST ",HT2A,,Ottoline,Brackwater,1981-10-30,F,LS1 0TR,3 Heather Square\n"
	TRUST2 ",HT2C,,Ottoline,Brackwater,1981-10-30,F,LS1 0TR,3 Heather Square\n"
	TRUST2 ",HT3,,Isembard,Tolley,1975-06-12,M,LS6 2AB,12 Quarry Lane\n";
static const char truth_sc[] =
	SC_HEAD "ST1,9990001049,Peregrine,Ashwold,1949-02-17,M,LS1 9ZN," GP "," COUNCIL
		",6 Fairfield Way\n"
		"ST2B,,Wenna,Colquist,1990-01-05,F,LS7 3QD,," COUNCIL ",1 Beck Road\n"
		"ST4,,Isembard,Tolley,1975-06-12,M,LS6 2AB,," COUNCIL ",12 Quarry Lane\n";
#define TRUTH_HEAD "source,local_id,person_key\n"
#define TRUTH_T1   GP ",GT1,T1\n" TRUST ",HT1,T1\n" COUNCIL ",ST1,T1\n"
/* every case, and two rows naming records not in the store (passed over) */
static const char truth_pairs[] =
	TRUTH_HEAD TRUTH_T1
	TRUST ",HT2A,T2\n" TRUST2 ",HT2C,T2\n" COUNCIL ",ST2B,T2\n"
	TRUST2 ",HT3,T3\n" COUNCIL ",ST4,T4\n"
	TRUST ",NOT-HERE,T9\n" "ZZZ99,X1,T9\n";

static jup_store *truth_store(const char *name)
{
	jup_store *st = jup_test_open_copy(city.linked, name);
	const char *dir = jup_test_tmpdir();
	const char *paths[] = {
		jup_test_write_file(dir, "gp_patients_truth.csv", truth_gp),
		jup_test_write_file(dir, "hospital_patients_truth.csv", truth_hosp),
		jup_test_write_file(dir, "social_care_clients_truth.csv", truth_sc),
	};
	import_paths(st, paths, 3);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	return st;
}

static jup_status score_truth(jup_store *st, const char *name, const char *text,
			      jup_link_truth *out, char **problems)
{
	const char *path = jup_test_write_file(jup_test_tmpdir(), name, text);
	size_t len;
	FILE *probs = open_memstream(problems, &len);
	assert_non_null(probs);
	jup_err err = { "" };
	jup_status rc = jup_link_db_truth(st, path, probs, out, &err);
	fclose(probs);
	return rc;
}

static void assert_near(double got, double want)
{
	if (fabs(got - want) > 1e-12)
		fail_msg("got %.15g, want %.15g", got, want);
}

static void test_truth_counts_pairs(void **state)
{
	(void)state;
	jup_store *st = truth_store("truth.db");
	/* the links as expected: T1 one person, T2 split 2+1, T3 and T4 merged */
	assert_int_equal(person(st, rec(st, GP ":GT1")), person(st, rec(st, COUNCIL ":ST1")));
	assert_int_equal(person(st, rec(st, TRUST ":HT2A")), person(st, rec(st, TRUST2 ":HT2C")));
	assert_int_not_equal(person(st, rec(st, TRUST ":HT2A")),
			     person(st, rec(st, COUNCIL ":ST2B")));
	assert_int_equal(person(st, rec(st, TRUST2 ":HT3")), person(st, rec(st, COUNCIL ":ST4")));
	jup_link_truth t;
	char *problems;
	assert_int_equal(score_truth(st, "truth_pairs.csv", truth_pairs, &t, &problems), JUP_OK);
	assert_string_equal(problems, "");
	free(problems);
	/* true: T1 3 + T2 3 = 6; found: T1 3 + (HT2A,HT2C) + (HT3,ST4) = 5; correct 4 */
	assert_int_equal(t.records, 8);
	assert_int_equal(t.true_pairs, 6);
	assert_int_equal(t.found_pairs, 5);
	assert_int_equal(t.correct_pairs, 4);
	assert_near(t.precision, 0.8);
	assert_near(t.recall, 4.0 / 6.0);
	assert_near(t.f1, 8.0 / 11.0);
	/* with a council record: true T1 2 + T2 2; found T1 2 + (HT3,ST4); correct 2 */
	assert_int_equal(t.sc_true_pairs, 4);
	assert_int_equal(t.sc_found_pairs, 3);
	assert_int_equal(t.sc_correct_pairs, 2);
	assert_near(t.sc_precision, 2.0 / 3.0);
	assert_near(t.sc_recall, 0.5);
	assert_near(t.sc_f1, 4.0 / 7.0);
	jup_store_close(st);
}

static void test_truth_perfect_case(void **state)
{
	(void)state;
	jup_store *st = truth_store("truth_perfect.db");
	jup_link_truth t;
	char *problems;
	const char *text = TRUTH_HEAD TRUTH_T1 TRUST2 ",HT3,T3\n";
	assert_int_equal(score_truth(st, "truth_perfect.csv", text, &t, &problems), JUP_OK);
	free(problems);
	assert_int_equal(t.records, 4);
	assert_int_equal(t.true_pairs, 3);
	assert_int_equal(t.found_pairs, 3);
	assert_int_equal(t.correct_pairs, 3);
	assert_near(t.precision, 1);
	assert_near(t.recall, 1);
	assert_near(t.f1, 1);
	assert_int_equal(t.sc_true_pairs, 2);
	assert_near(t.sc_f1, 1);
	jup_store_close(st);
}

static void test_truth_missing_column_is_invalid(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "truth_bad.db");
	jup_link_truth t;
	char *problems;
	assert_int_equal(score_truth(st, "truth_bad.csv", "source,local_id\n" TRUST ",X1\n", &t,
				     &problems),
			 JUP_ERR_INVALID);
	char want[600];
	snprintf(want, sizeof want, "%s/truth_bad.csv:1: %s\n", jup_test_tmpdir(),
		 "person_key: missing column in the header");
	assert_string_equal(problems, want);
	free(problems);
	jup_store_close(st);
}

/* Rows naming no linked record are passed over: no pairs at all. */
static void test_truth_rows_not_in_store_are_passed_over(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "truth_none.db");
	jup_link_truth t;
	char *problems;
	assert_int_equal(score_truth(st, "truth_none.csv",
				     TRUTH_HEAD TRUST ",NOT-HERE,T1\nZZZ99,X1,T1\n", &t, &problems),
			 JUP_OK);
	free(problems);
	assert_int_equal(t.records, 0);
	assert_int_equal(t.true_pairs, 0);
	assert_int_equal(t.found_pairs, 0);
	assert_near(t.precision, 1);
	assert_near(t.recall, 1);
	jup_store_close(st);
}

/* ------------------------------------------------------------ 8. $match */

typedef struct matched {
	jup_status rc;
	size_t n;
	jup_link_match m[16];
	jup_err err;
} matched;

static matched match(jup_store *st, const jup_link_match_query *q, size_t max)
{
	matched r = { .err = { "" } };
	assert_true(max <= 16);
	r.rc = jup_link_db_match(st, q, max, r.m, &r.n, &r.err);
	if (r.rc == JUP_OK) { /* strongest first, above the floor, graded by the thresholds */
		for (size_t i = 0; i < r.n; i++) {
			const jup_link_match *m = &r.m[i];
			assert_true(m->probability >= JUP_LINK_MATCH_FLOOR);
			assert_true(fabs(m->probability - jup_link_probability(m->weight)) < 1e-12);
			jup_link_grade g = m->probability >= JUP_LINK_DEFAULT_UPPER ? JUP_LINK_GRADE_CERTAIN
					   : m->probability >= JUP_LINK_DEFAULT_LOWER
						   ? JUP_LINK_GRADE_PROBABLE
						   : JUP_LINK_GRADE_POSSIBLE;
			assert_int_equal(m->grade, g);
			if (i)
				assert_true(r.m[i - 1].weight >= m->weight);
			for (size_t j = 0; j < i; j++)
				assert_int_not_equal(r.m[j].person_id, m->person_id);
		}
	}
	return r;
}

/* The query a record's own fields make (without its NHS number). */
static jup_link_match_query query_of(const demo *d)
{
	return (jup_link_match_query){
		.family = jup_sv_from(d->family),
		.given = jup_sv_from(d->given),
		.birth_date = jup_sv_from(d->dob),
		.sex = jup_sv_from(d->sex),
		.postcode = jup_sv_from(d->postcode),
		.address = jup_sv_from(d->address),
	};
}

/* Where person p is in the results: its index, or -1. */
static int rank_of(const matched *r, int64_t p)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->m[i].person_id == p)
			return (int)i;
	return -1;
}

typedef struct member_ids {
	int64_t v[16];
	int n;
} member_ids;

static jup_status member_id_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	member_ids *m = ctx;
	if (m->n < 16)
		m->v[m->n++] = v[JUP_PM_SOURCE_ID].i;
	return JUP_OK;
}

static void test_match_needs_a_link_run(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.unlinked, "match_early.db");
	matched r = match(st, &(jup_link_match_query){ .birth_date = JUP_SV_LIT("1950-01-01") }, 4);
	assert_int_equal(r.rc, JUP_ERR_NOT_FOUND);
	assert_int_equal(r.n, 0);
	jup_store_close(st);
}

/* A record's own fields find its person first, certainly, with the weight
 * an explanation gives for the best of the person's records. */
static void test_match_finds_the_person(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "match_self.db");
	for (int k = 0; k < 2; k++) {
		const demo *g = &city.gp[k];
		int64_t p = person(st, g->id);
		jup_link_match_query q = query_of(g);
		matched r = match(st, &q, 16);
		assert_int_equal(r.rc, JUP_OK);
		assert_true(r.n >= 1);
		assert_int_equal(r.m[0].person_id, p);
		assert_int_equal(r.m[0].grade, JUP_LINK_GRADE_CERTAIN);
		/* with its NHS number too, the query is the record: the weight is
		 * an explanation's, of the best of the person's records */
		q.nhs_number = jup_sv_from(g->nhs);
		r = match(st, &q, 1);
		assert_int_equal(r.rc, JUP_OK);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.m[0].person_id, p);
		member_ids m = { .n = 0 };
		jup_match w = { JUP_PM_PERSON_ID, jup_v_int(p) };
		jup_err err;
		assert_int_equal(jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &w, 1, member_id_row, &m,
						&err),
				 JUP_OK);
		double self = 0;
		bool one_of = false;
		for (int i = 0; i < m.n; i++) {
			jup_link_explain ex;
			assert_int_equal(jup_link_db_explain(st, g->id, m.v[i], &ex, &err), JUP_OK);
			self = m.v[i] == g->id ? ex.total : self;
			one_of |= fabs(ex.total - r.m[0].weight) < 1e-9;
		}
		assert_true(one_of);
		assert_true(r.m[0].weight >= self - 1e-9);
		r = match(st, &q, 0);
		assert_int_equal(r.rc, JUP_OK);
		assert_int_equal(r.n, 0);
	}
	jup_store_close(st);
}

/* Marisol Threnody on a GP register; queries with the errors people make,
 * each found by a different blocking rule. */
static const char match_gp[] =
	GP_HEAD "9990001006,Marisol,Threnody,1972-05-09,F,LS1 9ZN," GP ",GMT1,2 Fairfield Way,"
		"2001-03-04\n";

static void expect_found(jup_store *st, const jup_link_match_query *q, int64_t p)
{
	matched r = match(st, q, 16);
	if (r.rc)
		fail_msg("match: %s", r.err.msg);
	if (rank_of(&r, p) != 0)
		fail_msg("the person is at %d of %zu", rank_of(&r, p), r.n);
}

static void expect_not_found(jup_store *st, const jup_link_match_query *q, int64_t p)
{
	matched r = match(st, q, 16);
	assert_int_equal(r.rc, JUP_OK);
	assert_int_equal(rank_of(&r, p), -1);
}

static void test_match_finds_people_through_errors(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "match_errors.db");
	import_text(st, "gp_patients_match.csv", match_gp);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	int64_t p = person(st, rec(st, GP ":GMT1"));
	jup_link_match_query q = {
		.family = JUP_SV_LIT("THRENODY"), .given = JUP_SV_LIT("marisol"),
		.birth_date = JUP_SV_LIT("1972-05-09"), .sex = JUP_SV_LIT("female"),
		.postcode = JUP_SV_LIT("ls19zn"), .address = JUP_SV_LIT("2 Fairfield Way"),
	};
	expect_found(st, &q, p);
	/* one digit of the date wrong, next door: her name codes with her birth
	 * year find her, and only those, through the stored keys */
	jup_link_match_query codes = q;
	codes.birth_date = JUP_SV_LIT("1972-05-19");
	codes.postcode = JUP_SV_LIT("LS1 9ZP");
	expect_found(st, &codes, p);
	jup_err err;
	assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_KEY, NULL, 0, &err), JUP_OK);
	expect_not_found(st, &codes, p);
	/* the column indexes, without the keys: moved away, the date of birth
	 * finds her; a wrong date at her address, the postcode; day and month
	 * swapped and moved, the swapped date */
	jup_link_match_query moved = q;
	moved.postcode = JUP_SV_LIT("LS7 3QD");
	moved.address = JUP_SV_LIT("9 Beck Road");
	expect_found(st, &moved, p);
	jup_link_match_query wrong_date = q;
	wrong_date.birth_date = JUP_SV_LIT("1973-06-19");
	expect_found(st, &wrong_date, p);
	jup_link_match_query swapped = q;
	swapped.birth_date = JUP_SV_LIT("1972-09-05");
	swapped.postcode = JUP_SV_LIT("LS7 3QD");
	expect_found(st, &swapped, p);
	/* nothing in common but names and sex: no candidate */
	moved.birth_date = JUP_SV_LIT("1990-01-01");
	expect_not_found(st, &moved, p);
	jup_store_close(st);
}

/* A record carrying another valid NHS number is never the person. */
static void test_match_respects_nhs_numbers(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "match_nhs.db");
	import_text(st, "gp_patients_match.csv", match_gp);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	int64_t p = person(st, rec(st, GP ":GMT1"));
	jup_link_match_query q = {
		.family = JUP_SV_LIT("Threnody"), .given = JUP_SV_LIT("Marisol"),
		.birth_date = JUP_SV_LIT("1972-05-09"), .sex = JUP_SV_LIT("F"),
		.postcode = JUP_SV_LIT("LS1 9ZN"), .nhs_number = JUP_SV_LIT("999 000 1006"),
	};
	matched r = match(st, &q, 16);
	assert_int_equal(r.rc, JUP_OK);
	assert_int_equal(rank_of(&r, p), 0);
	assert_int_equal(r.m[0].grade, JUP_LINK_GRADE_CERTAIN);
	q.nhs_number = JUP_SV_LIT("9990001014");
	expect_not_found(st, &q, p);
	/* the number alone finds her, however little else agrees */
	jup_link_match_query only = { .nhs_number = JUP_SV_LIT("9990001006"),
				      .family = JUP_SV_LIT("Threnody") };
	expect_found(st, &only, p);
	jup_store_close(st);
}

/* People merged by a review decision are one candidate: the survivor. */
static void test_match_gives_survivors(void **state)
{
	(void)state;
	review_case rc;
	jup_store *st = queued_store("match_merge.db", &rc);
	int64_t pg = person(st, rc.g[1]), ph = person(st, rc.h[1]);
	jup_link_match_query q = {
		.family = JUP_SV_LIT("Pellamore"), .given = JUP_SV_LIT("Osric"),
		.birth_date = JUP_SV_LIT("1965-11-23"), .sex = JUP_SV_LIT("male"),
	};
	matched r = match(st, &q, 16);
	assert_int_equal(r.rc, JUP_OK);
	assert_true(rank_of(&r, pg) >= 0 && rank_of(&r, pg) < 2);
	assert_true(rank_of(&r, ph) >= 0 && rank_of(&r, ph) < 2);
	decide_ok(st, rc.p[1].id, true);
	int64_t keep = pg < ph ? pg : ph, gone = pg < ph ? ph : pg;
	for (int i = 0; i < 2; i++) {
		/* her hospital address the second time: the moved record is the best */
		if (i)
			q.postcode = JUP_SV_LIT("LS7 3QD");
		r = match(st, &q, 16);
		assert_int_equal(r.rc, JUP_OK);
		assert_int_equal(rank_of(&r, keep), 0);
		assert_int_equal(rank_of(&r, gone), -1);
	}
	jup_store_close(st);
}

static void expect_refused(jup_store *st, const jup_link_match_query *q, jup_status rc,
			   const char *field, const char *secret)
{
	matched r = match(st, q, 16);
	assert_int_equal(r.rc, rc);
	assert_int_equal(r.n, 0);
	if (field && !strstr(r.err.msg, field))
		fail_msg("\"%s\" does not name %s", r.err.msg, field);
	if (secret && strstr(r.err.msg, secret))
		fail_msg("\"%s\" echoes the value", r.err.msg);
}

static void test_match_refuses_bad_queries(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.linked, "match_bad.db");
	jup_link_match_query ok = { .family = JUP_SV_LIT("Threnody"),
				    .birth_date = JUP_SV_LIT("1972-05-09") };
	jup_link_match_query q = ok;
	q.birth_date = JUP_SV_LIT("1972-02-30");
	expect_refused(st, &q, JUP_ERR_INVALID, "birth_date", "1972");
	q.birth_date = JUP_SV_LIT("2999-01-01");
	expect_refused(st, &q, JUP_ERR_INVALID, "birth_date", "2999");
	q = ok;
	q.nhs_number = JUP_SV_LIT("9990001007");
	expect_refused(st, &q, JUP_ERR_INVALID, "nhs_number", "999000100");
	q = ok;
	q.sex = JUP_SV_LIT("x");
	expect_refused(st, &q, JUP_ERR_INVALID, "sex", NULL);
	q = ok;
	q.postcode = JUP_SV_LIT("LS1 9Z");
	expect_refused(st, &q, JUP_ERR_INVALID, "postcode", "LS1");
	q = ok;
	q.given = JUP_SV_LIT("Mar\x01isol");
	expect_refused(st, &q, JUP_ERR_INVALID, "given", "Mar");
	char longname[JUP_MAX_ADDRESS_LEN + 2];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	q = ok;
	q.family = jup_sv_from(longname);
	expect_refused(st, &q, JUP_ERR_LIMIT, "family", "aaaa");
	q = ok;
	q.address = jup_sv_from(longname);
	expect_refused(st, &q, JUP_ERR_LIMIT, "address", "aaaa");
	jup_link_match_query names = { .family = JUP_SV_LIT("Threnody"),
				       .given = JUP_SV_LIT("Marisol"), .sex = JUP_SV_LIT("F") };
	expect_refused(st, &names, JUP_ERR_USAGE, NULL, NULL);
	jup_store_close(st);
}

/* ------------------------------------------------------------ 7. thresholds */

static void assert_refused(jup_store *st, double lower, double upper)
{
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	o.lower = lower;
	o.upper = upper;
	jup_link_db_report rep;
	jup_err err;
	assert_int_equal(jup_link_db_run(st, &o, &rep, &err), JUP_ERR_USAGE);
	assert_int_equal(rep.run_id, 0);
}

static void test_bad_thresholds_write_nothing(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(city.unlinked, "thresholds.db");
	int64_t before[NLINKAGE], after[NLINKAGE];
	linkage_counts(st, before);
	assert_refused(st, 0.9, 0.8); /* lower above upper */
	assert_refused(st, 0.8, 1.5); /* upper above 1 */
	assert_refused(st, -0.1, 0.9);
	assert_refused(st, NAN, 0.9);
	linkage_counts(st, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(after[0], 0); /* no link_run */
	jup_store_close(st);
}

/* ------------------------------------------------------------ setup */

static void check_org(jup_store *st, const char *code, jup_org_kind kind)
{
	jup_org_info org;
	jup_err err;
	if (jup_store_org_find(st, jup_sv_from(code), &org, &err) || org.kind != kind)
		fail_msg("the city has no %s %s", jup_store_org_kind_name(kind), code);
}

typedef struct demo_list {
	demo *d;
	int n, want;
} demo_list;

static jup_status demo_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	demo_list *l = ctx;
	if (l->n == l->want)
		return JUP_OK;
	demo *d = &l->d[l->n++];
	d->id = id;
	copy_text(d->local, sizeof d->local, &v[JUP_SRC_LOCAL_ID]);
	copy_text(d->nhs, sizeof d->nhs, &v[JUP_SRC_NHS_NUMBER]);
	copy_text(d->given, sizeof d->given, &v[JUP_SRC_GIVEN_NAME]);
	copy_text(d->family, sizeof d->family, &v[JUP_SRC_FAMILY_NAME]);
	copy_text(d->dob, sizeof d->dob, &v[JUP_SRC_DOB]);
	copy_text(d->sex, sizeof d->sex, &v[JUP_SRC_SEX]);
	copy_text(d->postcode, sizeof d->postcode, &v[JUP_SRC_POSTCODE_RAW]);
	copy_text(d->address, sizeof d->address, &v[JUP_SRC_ADDRESS]);
	assert_null(strchr(d->address, '"'));
	return JUP_OK;
}

static void read_gp_records(jup_store *st)
{
	jup_org_info org;
	jup_err err;
	assert_int_equal(jup_store_org_find(st, JUP_SV_LIT(GP), &org, &err), JUP_OK);
	jup_match w = { JUP_SRC_ORG_ID, jup_v_int(org.id) };
	demo_list l = { city.gp, 0, 2 };
	assert_int_equal(jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, &w, 1, demo_row, &l, &err),
			 JUP_OK);
	assert_int_equal(l.n, 2);
}

static void make_city(const char *dir)
{
	jup_synth_opts o;
	jup_synth_defaults(&o);
	char out[512];
	snprintf(out, sizeof out, "%s/city", dir);
	o.people = 3000;
	o.seed = 7;
	o.out_dir = out;
	jup_synth_report rep;
	jup_err err;
	if (jup_synth_run(&o, &rep, &err))
		fail_msg("synth: %s", err.msg);
	snprintf(city.unlinked, sizeof city.unlinked, "%s/unlinked.db", dir);
	jup_store *st = jup_test_open_store(city.unlinked);
	const char *paths[] = { out };
	import_paths(st, paths, 1);
	check_org(st, GP, JUP_ORG_GP_PRACTICE);
	check_org(st, TRUST, JUP_ORG_HOSPITAL_TRUST);
	check_org(st, TRUST2, JUP_ORG_HOSPITAL_TRUST);
	check_org(st, COUNCIL, JUP_ORG_COUNCIL);
	read_gp_records(st);
	jup_store_close(st);
}

static int setup(void **state)
{
	(void)state;
	const char *dir = jup_test_tmpdir();
	make_city(dir);
	snprintf(city.linked, sizeof city.linked, "%s/linked.db", dir);
	jup_test_copy_file(city.unlinked, city.linked);
	jup_store *st = jup_test_open_store(city.linked);
	jup_link_db_report rep;
	link_with(st, NULL, &rep);
	assert_true(rep.trained);
	assert_int_equal(rep.new_records, rep.records);
	jup_store_close(st);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_thresholds_write_nothing),
		cmocka_unit_test(test_explain_needs_a_link_run),
		cmocka_unit_test(test_explain_gives_the_stored_probability),
		cmocka_unit_test(test_find_names_records),
		cmocka_unit_test(test_truth_missing_column_is_invalid),
		cmocka_unit_test(test_two_nhs_numbers_never_one_person),
		cmocka_unit_test(test_nhs_number_on_gp_register_links_despite_misspelling),
		cmocka_unit_test(test_rejection_survives_a_later_run),
		cmocka_unit_test(test_rejection_cannot_be_undone_through_another_pair),
		cmocka_unit_test(test_acceptance_merges_people_for_good),
		cmocka_unit_test(test_decide_refuses_what_it_cannot_decide),
		cmocka_unit_test(test_incremental_run_keeps_person_ids),
		cmocka_unit_test(test_truth_counts_pairs),
		cmocka_unit_test(test_truth_perfect_case),
		cmocka_unit_test(test_truth_rows_not_in_store_are_passed_over),
		cmocka_unit_test(test_match_needs_a_link_run),
		cmocka_unit_test(test_match_finds_the_person),
		cmocka_unit_test(test_match_finds_people_through_errors),
		cmocka_unit_test(test_match_respects_nhs_numbers),
		cmocka_unit_test(test_match_gives_survivors),
		cmocka_unit_test(test_match_refuses_bad_queries),
	};
	return cmocka_run_group_tests_name("link_db", tests, setup, NULL);
}
