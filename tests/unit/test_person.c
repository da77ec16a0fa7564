/*
 * test_person.c - finding people: a person id's survivor and NHS number,
 * and Patient search (jup_person.h).
 *
 * A synthetic city (3000 people, seed 7) is imported and linked once; each
 * test works on its own copy and adds a few hand-written records of invented
 * people (NHS numbers from the 999 test range). Search is checked against an
 * oracle that reads every record (no index) on queries drawn from the
 * city's own records, and on the invented people for exact answers: folded
 * names, double-barrelled names, merges, unlinked records, limits, errors,
 * and the keys a database linked before migration 9 gets on its next run.
 */
#include "jup_test.h"

#include "core/jup_limits.h"
#include "core/jup_rng.h"
#include "ingest/jup_ingest_import.h"
#include "link/jup_link_db.h"
#include "person/jup_person.h"
#include "store/jup_store.h"
#include "synth/jup_synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Organisations of the seed-7 city (checked by test_link_db). */
#define GP      "Y90002"
#define TRUST   "R9A"
#define TRUST2  "R9B"
#define COUNCIL "E08000035"

#define GP_HEAD                                                                                    \
	"nhs_number,given_name,family_name,dob,sex,postcode,practice_code,local_id,"               \
	"address,registered_on\n"
#define HOSP_HEAD "trust_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address\n"

static char linked[512];

/* ------------------------------------------------------------ helpers */

static void import_text(jup_store *st, const char *name, const char *text)
{
	const char *path = jup_test_write_file(jup_test_tmpdir(), name, text);
	char *problems = NULL;
	size_t len = 0;
	FILE *probs = open_memstream(&problems, &len);
	assert_non_null(probs);
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23), .problems = probs };
	jup_import_summary sum;
	jup_err err = { "" };
	jup_status rc = jup_ingest_import(st, &path, 1, &opts, &sum, &err);
	fclose(probs);
	if (rc)
		fail_msg("import: %s\n%s", err.msg, problems);
	free(problems);
}

static jup_link_db_report link_run(jup_store *st, double upper)
{
	jup_link_db_opts o;
	jup_link_db_defaults(&o);
	if (upper > 0)
		o.upper = upper;
	jup_link_db_report rep;
	jup_err err = { "" };
	if (jup_link_db_run(st, &o, &rep, &err))
		fail_msg("link: %s", err.msg);
	return rep;
}

static int64_t rec(jup_store *st, const char *name)
{
	jup_link_db_ref ref;
	jup_err err;
	if (jup_link_db_find(st, name, &ref, &err))
		fail_msg("find %s: %s", name, err.msg);
	return ref.id;
}

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	*(int64_t *)ctx = v[JUP_PM_PERSON_ID].i;
	return JUP_OK;
}

/* The person record `source` is a member of (0: not linked). */
static int64_t person_of(jup_store *st, int64_t source)
{
	int64_t p = 0;
	jup_match w = { JUP_PM_SOURCE_ID, jup_v_int(source) };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &w, 1, member_row, &p, &err),
			 JUP_OK);
	return p;
}

typedef struct found {
	jup_status rc;
	size_t n;
	int64_t ids[64];
	jup_err err;
} found;

static found search(jup_store *st, const char *nhs, const char *family, const char *given,
		    const char *dob, size_t max)
{
	found f = { .err = { "" } };
	jup_person_query q = { jup_sv_from(nhs), jup_sv_from(family), jup_sv_from(given),
			       jup_sv_from(dob) };
	assert_true(max <= 64);
	f.rc = jup_person_search(st, &q, f.ids, max, &f.n, &f.err);
	return f;
}

/* A search expected to give exactly the people listed (ascending). */
static void expect(jup_store *st, const char *nhs, const char *family, const char *given,
		   const char *dob, int n, const int64_t *want)
{
	found f = search(st, nhs, family, given, dob, 64);
	if (f.rc)
		fail_msg("search: %s", f.err.msg);
	if (f.n != (size_t)n)
		fail_msg("search gave %zu people, want %d", f.n, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(f.ids[i], want[i]);
}

static void expect_none(jup_store *st, const char *nhs, const char *family, const char *given,
			const char *dob)
{
	expect(st, nhs, family, given, dob, 0, NULL);
}

static void expect_one(jup_store *st, const char *nhs, const char *family, const char *given,
		       const char *dob, int64_t person)
{
	expect(st, nhs, family, given, dob, 1, &person);
}

static void expect_error(jup_store *st, const char *nhs, const char *family, const char *given,
			 const char *dob, jup_status rc, const char *field, const char *secret)
{
	found f = search(st, nhs, family, given, dob, 64);
	assert_int_equal(f.rc, rc);
	assert_int_equal(f.n, 0);
	if (field && !strstr(f.err.msg, field))
		fail_msg("\"%s\" does not name %s", f.err.msg, field);
	if (secret && secret[0] && strstr(f.err.msg, secret))
		fail_msg("\"%s\" echoes the value", f.err.msg);
}

/* ------------------------------------------------------------ invented people */

/* Zoë O'Brien-Fenwrathe (GP register, NHS number) and her hospital record
 * without one; Quillon Fenwrathe, a hospital record only; Peregrine
 * Ashwold, twice at the hospitals under two NHS numbers on no GP register
 * (two people); Ottoline Brackwater, a hospital record without an NHS
 * number. */
static const char people_gp[] =
	GP_HEAD "9990001006,Zoë Mary,O'Brien-Fenwrathe,1972-05-09,F,LS1 9ZN," GP
		",GZOE,2 Fairfield Way,2001-03-04\n";
static const char people_hosp[] = HOSP_HEAD TRUST
	",HZOE,,Zoe,O'Brien-Fenwrathe,1972-05-09,F,LS1 9ZN,2 Fairfield Way\n" TRUST
	",HQUI,9990001014,Quillon,Fenwrathe,1958-04-21,M,LS1 0TR,4 Heather Square\n" TRUST
	",HPER1,9990001022,Peregrine,Ashwold,1949-02-17,M,LS6 2AB,6 Quarry Lane\n" TRUST2
	",HPER2,9990001030,Peregrine,Ashwold,1949-02-17,M,LS6 2AB,6 Quarry Lane\n" TRUST2
	",HOTT,,Ottoline,Brackwater,1981-10-30,F,LS7 3QD,3 Beck Road\n";

typedef struct people {
	int64_t zoe, quillon, per1, per2, ottoline; /* persons */
} people;

static jup_store *with_people(const char *name, people *p)
{
	jup_store *st = jup_test_open_copy(linked, name);
	import_text(st, "gp_patients_people.csv", people_gp);
	import_text(st, "hospital_patients_people.csv", people_hosp);
	link_run(st, 0);
	p->zoe = person_of(st, rec(st, GP ":GZOE"));
	assert_int_equal(person_of(st, rec(st, TRUST ":HZOE")), p->zoe);
	p->quillon = person_of(st, rec(st, TRUST ":HQUI"));
	p->per1 = person_of(st, rec(st, TRUST ":HPER1"));
	p->per2 = person_of(st, rec(st, TRUST2 ":HPER2"));
	p->ottoline = person_of(st, rec(st, TRUST2 ":HOTT"));
	assert_int_not_equal(p->per1, p->per2);
	assert_true(p->per1 < p->per2);
	return st;
}

/* ------------------------------------------------------------ NHS numbers */

static void test_nhs_of_a_person(void **state)
{
	(void)state;
	people p;
	jup_store *st = with_people("nhs.db", &p);
	char nhs[11];
	int64_t survivor;
	jup_err err;
	assert_int_equal(jup_person_nhs(st, p.zoe, nhs, &survivor, &err), JUP_OK);
	assert_string_equal(nhs, "9990001006");
	assert_int_equal(survivor, p.zoe);
	assert_int_equal(jup_person_nhs(st, p.quillon, nhs, &survivor, &err), JUP_OK);
	assert_string_equal(nhs, "9990001014");
	/* no record with a number; no such person */
	assert_int_equal(jup_person_nhs(st, p.ottoline, nhs, &survivor, &err), JUP_ERR_NOT_FOUND);
	assert_string_equal(nhs, "");
	assert_int_equal(survivor, p.ottoline);
	assert_int_equal(jup_person_nhs(st, INT64_C(1) << 40, nhs, &survivor, &err),
			 JUP_ERR_NOT_FOUND);
	assert_int_equal(jup_person_survivor(st, INT64_C(1) << 40, &survivor, &err),
			 JUP_ERR_NOT_FOUND);
	jup_store_close(st);
}

/* ------------------------------------------------------------ merges */

/* Fold person `gone` into `keep` as a review decision does (members move,
 * the person points at the survivor). */
static void merge(jup_store *st, int64_t keep, int64_t gone)
{
	jup_err err;
	jup_match in_gone = { JUP_PM_PERSON_ID, jup_v_int(gone) };
	jup_match to_keep = { JUP_PM_PERSON_ID, jup_v_int(keep) };
	assert_int_equal(
		jup_store_update(st, JUP_TABLE_PERSON_MEMBER, &in_gone, 1, &to_keep, 1, NULL, &err),
		JUP_OK);
	jup_match id = { JUP_COL_ID, jup_v_int(gone) };
	jup_match into = { JUP_PERSON_MERGED_INTO, jup_v_int(keep) };
	assert_int_equal(jup_store_update(st, JUP_TABLE_PERSON, &id, 1, &into, 1, NULL, &err),
			 JUP_OK);
}

static void test_merged_people_are_found_as_the_survivor(void **state)
{
	(void)state;
	people p;
	jup_store *st = with_people("merge.db", &p);
	/* Ottoline folded into Quillon (the lower id survives), then Quillon
	 * into Zoe: a chain a survivor lookup follows */
	int64_t a = p.zoe, b = p.quillon, c = p.ottoline;
	assert_true(a < b && b < c);
	merge(st, b, c);
	jup_err err;
	jup_match id = { JUP_COL_ID, jup_v_int(b) };
	jup_match into = { JUP_PERSON_MERGED_INTO, jup_v_int(a) };
	assert_int_equal(jup_store_update(st, JUP_TABLE_PERSON, &id, 1, &into, 1, NULL, &err),
			 JUP_OK);
	int64_t survivor;
	assert_int_equal(jup_person_survivor(st, c, &survivor, &err), JUP_OK);
	assert_int_equal(survivor, a);
	char nhs[11];
	assert_int_equal(jup_person_nhs(st, c, nhs, &survivor, &err), JUP_OK);
	assert_int_equal(survivor, a);
	assert_string_equal(nhs, "9990001006"); /* the lowest record id with a number */
	expect_one(st, NULL, "brackwater", NULL, NULL, a);
	expect_one(st, NULL, NULL, NULL, "1981-10-30", a);
	/* a loop is the store's fault, not an answer */
	jup_match a_id = { JUP_COL_ID, jup_v_int(a) };
	jup_match a_into = { JUP_PERSON_MERGED_INTO, jup_v_int(c) };
	assert_int_equal(jup_store_update(st, JUP_TABLE_PERSON, &a_id, 1, &a_into, 1, NULL, &err),
			 JUP_OK);
	assert_int_equal(jup_person_survivor(st, c, &survivor, &err), JUP_ERR_STORE);
	jup_store_close(st);
}

static void test_review_acceptance_gives_one_person(void **state)
{
	(void)state;
	people p;
	jup_store *st = with_people("accept.db", &p);
	int64_t two[2] = { p.per1, p.per2 };
	expect(st, NULL, "ashwold", NULL, NULL, 2, two);
	merge(st, p.per1, p.per2);
	expect_one(st, NULL, "ashwold", "peregrine", NULL, p.per1);
	expect_one(st, "9990001030", NULL, NULL, NULL, p.per1);
	jup_store_close(st);
}

/* ------------------------------------------------------------ search */

static void test_search_by_each_criterion(void **state)
{
	(void)state;
	people p;
	jup_store *st = with_people("criteria.db", &p);
	expect_one(st, "9990001006", NULL, NULL, NULL, p.zoe);
	expect_one(st, "999 000 1006", NULL, NULL, NULL, p.zoe);
	expect_one(st, "9990001006", "o'brien", "zoe", "1972-05-09", p.zoe);
	expect_none(st, "9990001006", "fenwrathe", "quillon", NULL);
	expect_none(st, "9990001006", NULL, NULL, "1972-05-10");
	expect_none(st, "9990001057", NULL, NULL, NULL); /* valid, held by nobody */
	expect_one(st, NULL, "Brackwater", NULL, "1981-10-30", p.ottoline);
	expect_one(st, NULL, NULL, "OTTO", "1981-10-30", p.ottoline);
	expect_none(st, NULL, "Brackwatex", NULL, "1981-10-30");
	jup_store_close(st);
}

static void test_names_compare_folded(void **state)
{
	(void)state;
	people p;
	jup_store *st = with_people("folded.db", &p);
	int64_t fen[2] = { p.zoe, p.quillon };
	/* case, accents, apostrophes and hyphens ignored; starts-with */
	expect_one(st, NULL, "O'BRIEN", "zoe mary", NULL, p.zoe);
	expect_one(st, NULL, "obrien-fen", NULL, NULL, p.zoe);
	expect_one(st, NULL, "O Brien Fenwrathe", NULL, NULL, p.zoe);
	expect_none(st, NULL, "brien", NULL, "1972-05-09"); /* not the start of a part */
	/* the last part of a double-barrelled name is a family name too */
	expect(st, NULL, "fenwrathe", NULL, NULL, 2, fen);
	expect(st, NULL, "FENW", NULL, NULL, 2, fen);
	expect_one(st, NULL, "fenwrathe", "quil", NULL, p.quillon);
	/* a second given name, names run together, an accent either way */
	expect_one(st, NULL, "fenwrathe", "zoe", NULL, p.zoe);
	expect_one(st, NULL, "fenwrathe", "Zoë", NULL, p.zoe);
	expect_one(st, NULL, "fenwrathe", "mary", NULL, p.zoe);
	expect_one(st, NULL, "fenwrathe", "zoe mary", NULL, p.zoe);
	expect_one(st, NULL, "fenwrathe", "zoema", NULL, p.zoe);
	expect_none(st, NULL, "fenwrathe", "oem", NULL);
	expect_none(st, NULL, "fenwrathe", "ary", NULL);
	jup_store_close(st);
}

/* Records imported since the last run belong to nobody yet. */
static void test_unlinked_records_are_not_found(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(linked, "unlinked.db");
	import_text(st, "hospital_patients_new.csv",
		    HOSP_HEAD TRUST
		    ",HNEW,9990001049,Wenna,Colquist,1990-01-05,F,LS7 3QD,1 Beck Road\n");
	expect_none(st, "9990001049", NULL, NULL, NULL);
	expect_none(st, NULL, "colquist", NULL, NULL);
	link_run(st, 0);
	int64_t wenna = person_of(st, rec(st, TRUST ":HNEW"));
	assert_true(wenna > 0);
	expect_one(st, "9990001049", NULL, NULL, NULL, wenna);
	expect_one(st, NULL, "colquist", "wenna", NULL, wenna);
	expect_one(st, NULL, "colq", NULL, "1990-01-05", wenna);
	jup_store_close(st);
}

static void test_search_refuses_bad_queries(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(linked, "bad.db");
	expect_error(st, NULL, NULL, NULL, NULL, JUP_ERR_USAGE, NULL, NULL);
	expect_error(st, NULL, NULL, "ada", NULL, JUP_ERR_USAGE, NULL, NULL);
	expect_error(st, "   ", " ", "ada", "", JUP_ERR_USAGE, NULL, NULL);
	expect_error(st, "9990001007", NULL, NULL, NULL, JUP_ERR_INVALID, "nhs_number",
		     "999000100");
	expect_error(st, "99900010", NULL, NULL, NULL, JUP_ERR_INVALID, "nhs_number", "99900010");
	expect_error(st, NULL, NULL, NULL, "1972-02-30", JUP_ERR_INVALID, "birthdate", "1972");
	expect_error(st, NULL, NULL, NULL, "1972-5-9", JUP_ERR_INVALID, "birthdate", "1972");
	expect_error(st, NULL, "1234", NULL, NULL, JUP_ERR_INVALID, "family", "1234");
	expect_error(st, NULL, "Ab\x01c", NULL, NULL, JUP_ERR_INVALID, "family", "Ab");
	expect_error(st, NULL, "smith", "\xff\xfe", NULL, JUP_ERR_INVALID, "given", NULL);
	char longname[JUP_MAX_NAME_LEN + 2];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	expect_error(st, NULL, longname, NULL, NULL, JUP_ERR_LIMIT, "family", "aaaa");
	expect_error(st, NULL, "smith", longname, NULL, JUP_ERR_LIMIT, "given", "aaaa");
	longname[JUP_MAX_NAME_LEN] = 0; /* at the limit: accepted */
	expect_none(st, NULL, longname, NULL, NULL);
	jup_store_close(st);
}

/* ------------------------------------------------------------ the oracle */

/* Every source record's identifying fields, folded, and its survivor. */
typedef struct orec {
	int64_t id, person;
	char nhs[11], dob[11];
	jup_link_rec rec;
	char given[2 * JUP_LINK_NAME_MAX];
} orec;

typedef struct oracle {
	jup_store *st;
	orec *v;
	size_t n, cap;
} oracle;

static void copy_text(char *dst, size_t cap, const jup_value *v)
{
	jup_value_copy_text(dst, cap, v);
}

static jup_status oracle_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	oracle *o = ctx;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4096;
		o->v = realloc(o->v, o->cap * sizeof *o->v);
		assert_non_null(o->v);
	}
	orec *r = &o->v[o->n++];
	memset(r, 0, sizeof *r);
	r->id = id;
	copy_text(r->nhs, sizeof r->nhs, &v[JUP_SRC_NHS_NUMBER]);
	copy_text(r->dob, sizeof r->dob, &v[JUP_SRC_DOB]);
	jup_link_input in = { JUP_SV_LIT(""), JUP_SV_LIT(""), JUP_SV_LIT(""), JUP_SV_LIT(""),
			      JUP_SV_LIT(""), JUP_SV_LIT(""), JUP_SV_LIT("") };
	if (v[JUP_SRC_GIVEN_NAME].type == JUP_V_TEXT)
		in.given_name = v[JUP_SRC_GIVEN_NAME].s;
	if (v[JUP_SRC_FAMILY_NAME].type == JUP_V_TEXT)
		in.family_name = v[JUP_SRC_FAMILY_NAME].s;
	jup_link_prepare(&in, &r->rec);
	jup_link_given_names(&r->rec, r->given);
	return JUP_OK;
}

static oracle oracle_load(jup_store *st)
{
	oracle o = { .st = st };
	jup_err err;
	assert_int_equal(jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, NULL, 0, oracle_row, &o, &err),
			 JUP_OK);
	for (size_t i = 0; i < o.n; i++) {
		int64_t p = person_of(st, o.v[i].id);
		if (p)
			assert_int_equal(jup_person_survivor(st, p, &o.v[i].person, &err), JUP_OK);
	}
	return o;
}

static bool prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* The given-name rule written out once more: q starts a name, or the
 * names from one on run together. */
static bool given_ok(const char *words, const char *q)
{
	char joined[2 * JUP_LINK_NAME_MAX];
	for (const char *w = words; w; w = strchr(w, ' ') ? strchr(w, ' ') + 1 : NULL) {
		size_t k = 0;
		for (const char *c = w; *c; c++)
			if (*c != ' ')
				joined[k++] = *c;
		joined[k] = 0;
		if (prefix(joined, q))
			return true;
	}
	return false;
}

typedef struct oquery {
	char nhs[16], dob[11], family[40], given[40]; /* as typed */
} oquery;

static bool orec_matches(const orec *r, const oquery *q)
{
	char family[JUP_LINK_NAME_MAX], given[JUP_LINK_NAME_MAX];
	jup_link_fold_name(jup_sv_from(q->family), family, sizeof family);
	jup_link_fold_name(jup_sv_from(q->given), given, sizeof given);
	if (!r->person || (q->nhs[0] && strcmp(r->nhs, q->nhs)) ||
	    (q->dob[0] && strcmp(r->dob, q->dob)))
		return false;
	if (family[0] && !prefix(r->rec.family, family) &&
	    !(r->rec.family_part[0] && prefix(r->rec.family_part, family)))
		return false;
	return !given[0] || given_ok(r->given, given);
}

static int id_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return (a > b) - (a < b);
}

/* The people matching q by reading every record; *n of them. */
static size_t oracle_answer(const oracle *o, const oquery *q, int64_t *ids, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < o->n; i++)
		if (orec_matches(&o->v[i], q) && n < cap)
			ids[n++] = o->v[i].person;
	qsort(ids, n, sizeof *ids, id_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || ids[i] != ids[k - 1])
			ids[k++] = ids[i];
	return k;
}

static size_t below(jup_rng *rng, size_t n)
{
	return (size_t)(jup_rng_next(rng) % n);
}

/* A query drawn from record r: some of its fields, names cut short. */
static void draw_query(jup_rng *rng, const orec *r, oquery *q)
{
	memset(q, 0, sizeof *q);
	int shape = (int)below(rng, 5);
	const char *fam =
		below(rng, 4) == 0 && r->rec.family_part[0] ? r->rec.family_part : r->rec.family;
	size_t flen = strlen(fam), glen = strlen(r->rec.given);
	size_t fcut = flen ? 1 + below(rng, flen) : 0;
	size_t gcut = glen ? 1 + below(rng, glen) : 0;
	if (shape == 0)
		snprintf(q->nhs, sizeof q->nhs, "%s", r->nhs);
	if (shape == 1 || shape == 2)
		snprintf(q->dob, sizeof q->dob, "%s", r->dob);
	if (shape >= 2)
		snprintf(q->family, sizeof q->family, "%.*s", (int)(shape == 4 ? flen : fcut), fam);
	if (shape >= 3 || below(rng, 3) == 0)
		snprintf(q->given, sizeof q->given, "%.*s", (int)gcut, r->rec.given);
	if (shape == 3 && fcut < 3) /* a one- or two-letter family name alone: too many */
		snprintf(q->family, sizeof q->family, "%.*s", (int)flen, fam);
}

static void check_against_oracle(jup_store *st, const oracle *o, const oquery *q, int *limited)
{
	static int64_t want[8192];
	int64_t got[64];
	size_t nwant = oracle_answer(o, q, want, sizeof want / sizeof want[0]), n;
	jup_person_query pq = { jup_sv_from(q->nhs), jup_sv_from(q->family), jup_sv_from(q->given),
				jup_sv_from(q->dob) };
	jup_err err = { "" };
	jup_status rc = jup_person_search(st, &pq, got, 64, &n, &err);
	if (!q->nhs[0] && !q->dob[0] && !q->family[0]) {
		assert_int_equal(rc, JUP_ERR_USAGE);
		return;
	}
	if (nwant > 64) {
		assert_int_equal(rc, JUP_ERR_LIMIT);
		assert_int_equal(n, 0);
		(*limited)++;
		return;
	}
	if (rc)
		fail_msg("search [%s|%s|%s|%s]: %s", q->nhs, q->dob, q->family, q->given, err.msg);
	if (n != nwant)
		fail_msg("search [%s|%s|%s|%s]: %zu people, the oracle %zu", q->nhs, q->dob,
			 q->family, q->given, n, nwant);
	assert_memory_equal(got, want, n * sizeof *got);
}

static void test_search_agrees_with_reading_everything(void **state)
{
	(void)state;
	jup_store *st = jup_test_open_copy(linked, "oracle.db");
	oracle o = oracle_load(st);
	assert_true(o.n > 3000);
	jup_rng rng;
	jup_rng_seed(&rng, 20261123);
	int limited = 0;
	for (int i = 0; i < 600; i++) {
		const orec *r = &o.v[below(&rng, o.n)];
		oquery q;
		draw_query(&rng, r, &q);
		check_against_oracle(st, &o, &q, &limited);
	}
	oquery wide = { .family = "s" }; /* a few hundred people */
	check_against_oracle(st, &o, &wide, &limited);
	assert_true(limited >= 1);
	free(o.v);
	jup_store_close(st);
}

/* More people than the caller has room for: refine the search. */
static void test_too_many_people_is_a_limit(void **state)
{
	(void)state;
	people p;
	jup_store *st = with_people("limit.db", &p);
	found f = search(st, NULL, "fenwrathe", NULL, NULL, 1);
	assert_int_equal(f.rc, JUP_ERR_LIMIT);
	assert_int_equal(f.n, 0);
	assert_non_null(strstr(f.err.msg, "refine"));
	f = search(st, NULL, "fenwrathe", NULL, NULL, 2);
	assert_int_equal(f.rc, JUP_OK);
	assert_int_equal(f.n, 2);
	f = search(st, NULL, "fenwrathe", "zoe", NULL, 0);
	assert_int_equal(f.rc, JUP_ERR_LIMIT);
	f = search(st, NULL, "fenwrathe", "nobody", NULL, 0);
	assert_int_equal(f.rc, JUP_OK);
	assert_int_equal(f.n, 0);
	jup_store_close(st);
}

/* ------------------------------------------------------------ keys of older stores */

typedef struct key_count {
	int64_t names, keys;
} key_count;

static key_count key_counts(jup_store *st)
{
	key_count k;
	jup_err err;
	assert_int_equal(jup_store_count(st, JUP_TABLE_PERSON_NAME, &k.names, &err), JUP_OK);
	assert_int_equal(jup_store_count(st, JUP_TABLE_LINK_KEY, &k.keys, &err), JUP_OK);
	return k;
}

/* A store linked before migration 9 has people but no keys: the next run
 * writes every linked record's, without a run of its own. */
static void test_keys_of_a_store_linked_before_migration_9(void **state)
{
	(void)state;
	people p;
	jup_store *st = with_people("old.db", &p);
	key_count before = key_counts(st);
	assert_true(before.names > 3000 && before.keys > 3000);
	jup_err err;
	assert_int_equal(jup_store_delete(st, JUP_TABLE_PERSON_NAME, NULL, 0, &err), JUP_OK);
	assert_int_equal(jup_store_delete(st, JUP_TABLE_LINK_KEY, NULL, 0, &err), JUP_OK);
	expect_none(st, NULL, "fenwrathe", NULL, NULL);
	jup_link_db_report rep = link_run(st, 0);
	assert_int_equal(rep.run_id, 0);
	assert_int_equal(rep.new_records, 0);
	key_count after = key_counts(st);
	assert_int_equal(after.names, before.names);
	assert_int_equal(after.keys, before.keys);
	int64_t fen[2] = { p.zoe, p.quillon };
	expect(st, NULL, "fenwrathe", NULL, NULL, 2, fen);
	/* and a run with nothing new leaves them be */
	rep = link_run(st, 0);
	assert_int_equal(rep.run_id, 0);
	after = key_counts(st);
	assert_int_equal(after.names, before.names);
	jup_store_close(st);
}

/* ------------------------------------------------------------ setup */

static int setup(void **state)
{
	(void)state;
	const char *dir = jup_test_tmpdir();
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
	snprintf(linked, sizeof linked, "%s/linked.db", dir);
	jup_store *st = jup_test_open_store(linked);
	char *problems = NULL;
	size_t len = 0;
	FILE *probs = open_memstream(&problems, &len);
	jup_import_opts opts = { .today = jup_date_from_ymd(2026, 11, 23), .problems = probs };
	jup_import_summary sum;
	const char *paths[] = { out };
	if (jup_ingest_import(st, paths, 1, &opts, &sum, &err))
		fail_msg("import: %s", err.msg);
	fclose(probs);
	free(problems);
	link_run(st, 0);
	jup_store_close(st);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nhs_of_a_person),
		cmocka_unit_test(test_merged_people_are_found_as_the_survivor),
		cmocka_unit_test(test_review_acceptance_gives_one_person),
		cmocka_unit_test(test_search_by_each_criterion),
		cmocka_unit_test(test_names_compare_folded),
		cmocka_unit_test(test_unlinked_records_are_not_found),
		cmocka_unit_test(test_search_refuses_bad_queries),
		cmocka_unit_test(test_search_agrees_with_reading_everything),
		cmocka_unit_test(test_too_many_people_is_a_limit),
		cmocka_unit_test(test_keys_of_a_store_linked_before_migration_9),
	};
	return cmocka_run_group_tests_name("person", tests, setup, NULL);
}
