/*
 * test_synth.c - the synthetic city: catalogues, NHS numbers, determinism,
 * and every extract checked against the rules of docs/FORMATS.md with the
 * ingest validators (values, enums, dates not after as_of, references to
 * organisations and records, unique ids, truth coverage, fault rates).
 */
#include "jup_test.h"

#include "core/jup_limits.h"
#include "ingest/jup_ingest_csv.h"
#include "ingest/jup_ingest_valid.h"
#include "synth/jup_synth.h"
#include "synth/synth_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMD_PATH JUP_DATA_DIR "/imd2019/lsoa_imd2019_england.csv"

/* ------------------------------------------------------------ helpers */

typedef struct table {
	char name[64];
	char **cells; /* nrows * ncols, row-major; header not included */
	char **header;
	size_t ncols, nrows;
} table;

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static char *dup_sv(jup_sv s)
{
	char *p = malloc(s.len + 1);
	assert_non_null(p);
	memcpy(p, s.ptr, s.len);
	p[s.len] = '\0';
	return p;
}

static void load(table *t, const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(t->name, sizeof t->name, "%s", name);
	size_t len;
	char *data = read_all(path, &len);
	jup_csv csv;
	jup_ingest_csv_init(&csv, data, len);
	jup_sv f[JUP_CSV_MAX_FIELDS];
	size_t nf, cap = 0;
	int64_t line;
	jup_err err;
	assert_int_equal(jup_ingest_csv_next(&csv, f, JUP_CSV_MAX_FIELDS, &nf, &line, &err),
	                 JUP_OK);
	t->ncols = nf;
	t->header = malloc(nf * sizeof *t->header);
	for (size_t i = 0; i < nf; i++)
		t->header[i] = dup_sv(f[i]);
	t->nrows = 0;
	t->cells = NULL;
	jup_status st;
	while ((st = jup_ingest_csv_next(&csv, f, JUP_CSV_MAX_FIELDS, &nf, &line, &err)) ==
	       JUP_OK) {
		if (nf != t->ncols)
			fail_msg("%s:%lld: %zu fields, header has %zu", name, (long long)line, nf,
			         t->ncols);
		if ((t->nrows + 1) * t->ncols > cap) {
			cap = cap ? cap * 2 : 4096;
			while (cap < (t->nrows + 1) * t->ncols)
				cap *= 2;
			t->cells = realloc(t->cells, cap * sizeof *t->cells);
			assert_non_null(t->cells);
		}
		for (size_t i = 0; i < nf; i++)
			t->cells[t->nrows * t->ncols + i] = dup_sv(f[i]);
		t->nrows++;
	}
	assert_int_equal(st, JUP_ERR_NOT_FOUND);
	jup_ingest_csv_free(&csv);
	free(data);
}

static void unload(table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->header[i]);
	free(t->cells);
	free(t->header);
}

static size_t col(const table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->header[i], name) == 0)
			return i;
	fail_msg("%s: no column %s", t->name, name);
	return 0;
}

static const char *cell(const table *t, size_t r, size_t c)
{
	return t->cells[r * t->ncols + c];
}

#define CHECK(cond, t, r, what)                                                                    \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fail_msg("%s:%zu: %s", (t)->name, (size_t)(r) + 2, (what));                \
	} while (0)

/* a sorted set of strings */
typedef struct set {
	char **v;
	size_t n, cap;
} set;

static void set_add(set *s, const char *a, const char *b)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(s->v);
	}
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	char *k = malloc(la + lb + 2);
	assert_non_null(k);
	memcpy(k, a, la);
	k[la] = '|';
	memcpy(k + la + 1, b ? b : "", lb + 1);
	s->v[s->n++] = k;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sort; returns the number of duplicates */
static size_t set_seal(set *s)
{
	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	size_t dups = 0;
	for (size_t i = 1; i < s->n; i++)
		dups += strcmp(s->v[i - 1], s->v[i]) == 0;
	return dups;
}

static bool set_has(const set *s, const char *a, const char *b)
{
	char key[256];
	snprintf(key, sizeof key, "%s|%s", a, b ? b : "");
	const char *k = key;
	return s->n && bsearch(&k, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

static void set_free(set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static jup_sv sv(const char *s)
{
	return jup_sv_from(s);
}

static void make_city(const char *dir, const char *area, int64_t people, uint64_t seed,
                      jup_synth_report *rep)
{
	jup_synth_opts o;
	jup_synth_defaults(&o);
	o.people = people;
	o.seed = seed;
	o.area = area;
	o.imd_path = IMD_PATH;
	o.out_dir = dir;
	jup_err err = {{0}};
	jup_status st = jup_synth_run(&o, rep, &err);
	if (st)
		fail_msg("synth: %s", err.msg);
}

static const char *subdir(const char *name)
{
	static char paths[8][512];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, 512, "%s/%s", jup_test_tmpdir(), name);
	return p;
}

/* --------------------------------------------------------- catalogues */

static void test_catalogue_codes(void **state)
{
	(void)state;
	jup_err err;
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	assert_int_equal(n, SC__COUNT);
	for (size_t i = 0; i < n; i++) {
		if (!jup_ingest_verhoeff_ok(sv(cat[i].snomed)) ||
		    jup_ingest_snomed_concept(sv(cat[i].snomed), &err))
			fail_msg("condition %s: bad SNOMED CT id %s", cat[i].key, cat[i].snomed);
		const char *icd[3] = {cat[i].icd10, cat[i].icd10b, cat[i].acute};
		for (int k = 0; k < 3; k++)
			if (icd[k] && jup_ingest_icd10(sv(icd[k]), &err))
				fail_msg("condition %s: bad ICD-10 %s", cat[i].key, icd[k]);
		assert_non_null(cat[i].icd10);
		for (int k = 0; k < 2; k++)
			assert_true(cat[i].parent[k] < (int)i); /* parents come first */
	}
	const synth_drug *drugs = synth_drugs(&n);
	for (size_t i = 0; i < n; i++)
		if (jup_ingest_snomed_concept(sv(drugs[i].snomed), &err))
			fail_msg("drug %s: bad SNOMED CT id %s", drugs[i].name, drugs[i].snomed);
	const synth_reason *rs = synth_reasons(&n);
	for (size_t i = 0; i < n; i++)
		if (jup_ingest_icd10(sv(rs[i].icd10), &err))
			fail_msg("reason %s: bad ICD-10", rs[i].icd10);
	const synth_drug_rule *rules = synth_drug_rules(&n);
	size_t ndrugs;
	synth_drugs(&ndrugs);
	for (size_t i = 0; i < n; i++) {
		assert_true(rules[i].drug < ndrugs && ndrugs <= 64);
		assert_true(rules[i].cond < SC__COUNT);
	}
}

static bool catalogue_has_prefix(const char *prefix)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < n; i++) {
		const char *icd[3] = {cat[i].icd10, cat[i].icd10b, cat[i].acute};
		for (int k = 0; k < 3; k++)
			if (icd[k] && strncmp(icd[k], prefix, pl) == 0)
				return true;
	}
	return false;
}

static void test_catalogue_charlson(void **state)
{
	(void)state;
	static const char *const need[] = {
	    "I21", "I25.2", "I50", "I73.9", "I63", "I64", "G45", "F00",   "F01",   "F03",   "G30",
	    "J44", "J45",   "M06", "K27",   "K70", "K74", "E10", "E11.9", "E11.2", "E11.3", "E11.5",
	    "G81", "N18",   "C18", "C34",   "C50", "C61", "C78", "C79",   "B20",   "I48",   "I10",
	    "M81", "G20",   "L89", "E03",   "E05", "F20", "F31", "G40",   "Z33",
	};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!catalogue_has_prefix(need[i]))
			fail_msg("catalogue lacks ICD-10 %s", need[i]);
}

static void test_nhs_range(void **state)
{
	(void)state;
	uint32_t n = synth_nhs_valid_range(NULL);
	assert_int_equal(n, 909091);
	uint32_t *v = malloc(n * sizeof *v);
	assert_non_null(v);
	assert_int_equal(synth_nhs_valid_range(v), n);
	char num[11], out[11];
	jup_err err;
	for (uint32_t i = 0; i < n; i += 7) {
		synth_nhs_format(v[i], num);
		assert_int_equal(jup_ingest_nhs_number(sv(num), out, &err), JUP_OK);
		assert_int_equal(jup_ingest_nhs_check_digit(num), num[9] - '0');
	}
	free(v);
}

static void test_perm_bijective(void **state)
{
	(void)state;
	synth_perm p;
	synth_perm_init(&p, 1000, 7, 1);
	unsigned char seen[1000] = {0};
	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t x = synth_perm_apply(&p, i);
		assert_true(x < 1000);
		assert_false(seen[x]);
		seen[x] = 1;
	}
}

static void test_apportion(void **state)
{
	(void)state;
	int64_t w[4] = {3, 3, 3, 1}, out[4];
	assert_int_equal(synth_apportion(w, 4, 7, out), JUP_OK);
	assert_int_equal(out[0] + out[1] + out[2] + out[3], 7);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[3], 1);
}

/* -------------------------------------------------------- determinism */

static bool same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = read_all(a, &la), *y = read_all(b, &lb);
	bool same = la == lb && memcmp(x, y, la) == 0;
	free(x);
	free(y);
	return same;
}

static void test_deterministic(void **state)
{
	(void)state;
	const char *a = subdir("det-a"), *b = subdir("det-b"), *d = subdir("det-c");
	jup_synth_report ra, rb, rd;
	make_city(a, "Leeds", 3000, 42, &ra);
	make_city(b, "Leeds", 3000, 42, &rb);
	make_city(d, "Leeds", 3000, 43, &rd);
	assert_int_equal(ra.nfiles, 17);
	int differ = 0;
	for (int i = 0; i < ra.nfiles; i++) {
		char pa[600], pb[600], pd[600];
		snprintf(pa, sizeof pa, "%s/%s", a, ra.files[i].name);
		snprintf(pb, sizeof pb, "%s/%s", b, ra.files[i].name);
		snprintf(pd, sizeof pd, "%s/%s", d, ra.files[i].name);
		if (!same_file(pa, pb))
			fail_msg("%s differs between runs with the same seed", ra.files[i].name);
		assert_int_equal(ra.files[i].rows, rb.files[i].rows);
		differ += !same_file(pa, pd);
	}
	assert_true(differ >= 10);
}

/* ----------------------------------------------------- format checks */

typedef struct city {
	const char *dir;
	jup_date as_of;
	table orgs;
	set gp, hosp, sc, org_kind, nhs;
	size_t masters;
} city;

static const char *const kinds[] = {"gp_practice", "hospital_trust", "council", "hospice", NULL};

static void check_date(const table *t, size_t r, const char *v, jup_date as_of, bool blank_ok,
                       jup_date *out)
{
	jup_err err;
	jup_date d = 0;
	if (!v[0] && blank_ok) {
		if (out)
			*out = 0;
		return;
	}
	CHECK(jup_ingest_date(sv(v), as_of, &d, &err) == JUP_OK, t, r, "date (or after as_of)");
	if (out)
		*out = d;
}

static void check_text(const table *t, size_t r, const char *v, size_t max, bool blank_ok)
{
	jup_err err;
	if (!v[0]) {
		CHECK(blank_ok, t, r, "required text blank");
		return;
	}
	CHECK(jup_ingest_text(sv(v), max, &err) == JUP_OK, t, r, "text");
}

static void check_enum(const table *t, size_t r, const char *v, const char *const *allowed,
                       bool blank_ok)
{
	jup_err err;
	size_t idx;
	if (!v[0]) {
		CHECK(blank_ok, t, r, "required enum blank");
		return;
	}
	CHECK(jup_ingest_enum(sv(v), allowed, &idx, &err) == JUP_OK, t, r, "enum value");
}

static void check_postcode(const table *t, size_t r, const char *v, bool blank_ok)
{
	jup_err err;
	char out[9];
	if (!v[0]) {
		CHECK(blank_ok, t, r, "required postcode blank");
		return;
	}
	CHECK(jup_ingest_postcode(sv(v), out, &err) == JUP_OK, t, r, "postcode");
}

static void check_org(const city *c, const table *t, size_t r, const char *v, const char *kind)
{
	jup_err err;
	CHECK(jup_ingest_org_code(sv(v), &err) == JUP_OK, t, r, "org code");
	CHECK(set_has(&c->org_kind, v, kind), t, r, "organisation missing or of the wrong kind");
}

static void check_local(const table *t, size_t r, const char *v)
{
	jup_err err;
	CHECK(jup_ingest_local_id(sv(v), &err) == JUP_OK, t, r, "local id");
}

static bool nhs_strict(const char *v)
{
	jup_err err;
	char out[11];
	return jup_ingest_nhs_number(sv(v), out, &err) == JUP_OK;
}

static void check_orgs(city *c)
{
	table *t = &c->orgs;
	load(t, c->dir, "organisations.csv");
	size_t code = col(t, "org_code"), kind = col(t, "kind"), part = col(t, "participating");
	size_t name = col(t, "name"), pc = col(t, "postcode");
	size_t practices = 0, nonpart = 0;
	static const char *const yn[] = {"Y", "N", NULL};
	jup_err err;
	for (size_t r = 0; r < t->nrows; r++) {
		CHECK(jup_ingest_org_code(sv(cell(t, r, code)), &err) == JUP_OK, t, r, "org_code");
		check_enum(t, r, cell(t, r, kind), kinds, false);
		check_enum(t, r, cell(t, r, part), yn, false);
		check_text(t, r, cell(t, r, name), JUP_MAX_TEXT_LEN, false);
		check_postcode(t, r, cell(t, r, pc), true);
		set_add(&c->org_kind, cell(t, r, code), cell(t, r, kind));
		if (strcmp(cell(t, r, kind), "gp_practice") == 0) {
			practices++;
			nonpart += cell(t, r, part)[0] == 'N';
		}
	}
	assert_int_equal(set_seal(&c->org_kind), 0);
	assert_true(practices >= 2);
	if (practices >= 5)
		assert_true(nonpart >= 1);
}

static void check_person_cols(const city *c, const table *t, size_t r, bool pc_blank_ok)
{
	check_text(t, r, cell(t, r, col(t, "given_name")), JUP_MAX_NAME_LEN, false);
	check_text(t, r, cell(t, r, col(t, "family_name")), JUP_MAX_NAME_LEN, false);
	check_date(t, r, cell(t, r, col(t, "dob")), c->as_of, false, NULL);
	static const char *const sexes[] = {"M", "F", "U", NULL};
	check_enum(t, r, cell(t, r, col(t, "sex")), sexes, false);
	check_postcode(t, r, cell(t, r, col(t, "postcode")), pc_blank_ok);
	check_text(t, r, cell(t, r, col(t, "address")), JUP_MAX_ADDRESS_LEN, true);
}

static void check_gp_patients(city *c)
{
	table t;
	load(&t, c->dir, "gp_patients.csv");
	size_t pr = col(&t, "practice_code"), id = col(&t, "local_id"), nhs = col(&t, "nhs_number");
	size_t dob = col(&t, "dob"), reg = col(&t, "registered_on");
	for (size_t r = 0; r < t.nrows; r++) {
		check_org(c, &t, r, cell(&t, r, pr), "gp_practice");
		check_local(&t, r, cell(&t, r, id));
		const char *n = cell(&t, r, nhs);
		CHECK(nhs_strict(n) && strncmp(n, "999", 3) == 0, &t, r, "nhs_number strict, 999");
		check_person_cols(c, &t, r, false);
		jup_date d, g;
		check_date(&t, r, cell(&t, r, dob), c->as_of, false, &d);
		check_date(&t, r, cell(&t, r, reg), c->as_of, false, &g);
		CHECK(g >= d, &t, r, "registered before birth");
		set_add(&c->gp, cell(&t, r, pr), cell(&t, r, id));
		set_add(&c->nhs, n, NULL);
	}
	assert_int_equal(set_seal(&c->gp), 0);
	assert_int_equal(set_seal(&c->nhs), 0); /* NHS numbers are unique */
	c->masters += t.nrows;
	unload(&t);
}

static void check_gp_events(city *c)
{
	static const char *const systems[] = {"snomed", NULL};
	static const char *const places[] = {"home",     "care_home", "hospice",
	                                     "hospital", "other",     NULL};
	static const char *const resus[] = {"dnacpr", "attempt_cpr", "not_discussed", NULL};
	jup_err err;
	const char *files[] = {"gp_conditions.csv", "gp_medications.csv", "gp_eol_register.csv"};
	for (int f = 0; f < 3; f++) {
		table t;
		load(&t, c->dir, files[f]);
		size_t pr = col(&t, "practice_code"), id = col(&t, "local_id");
		for (size_t r = 0; r < t.nrows; r++) {
			check_org(c, &t, r, cell(&t, r, pr), "gp_practice");
			CHECK(set_has(&c->gp, cell(&t, r, pr), cell(&t, r, id)), &t, r,
			      "unknown GP record");
			if (f < 2) {
				check_enum(&t, r, cell(&t, r, col(&t, "code_system")), systems,
				           false);
				CHECK(jup_ingest_snomed_concept(sv(cell(&t, r, col(&t, "code"))),
				                                &err) == JUP_OK,
				      &t, r, "SNOMED CT code");
				check_text(&t, r, cell(&t, r, col(&t, "description")),
				           JUP_MAX_TEXT_LEN, true);
			}
			if (f == 0)
				check_date(&t, r, cell(&t, r, col(&t, "onset_on")), c->as_of, false,
				           NULL);
			if (f == 1) {
				jup_date s, e;
				check_date(&t, r, cell(&t, r, col(&t, "started_on")), c->as_of,
				           false, &s);
				check_date(&t, r, cell(&t, r, col(&t, "ended_on")), c->as_of, true,
				           &e);
				CHECK(!e || e >= s, &t, r, "ended before started");
			}
			if (f == 2) {
				check_date(&t, r, cell(&t, r, col(&t, "added_on")), c->as_of, false,
				           NULL);
				check_enum(&t, r, cell(&t, r, col(&t, "preferred_place_of_care")),
				           places, true);
				check_enum(&t, r, cell(&t, r, col(&t, "preferred_place_of_death")),
				           places, true);
				check_enum(&t, r, cell(&t, r, col(&t, "resuscitation")), resus,
				           false);
			}
		}
		unload(&t);
	}
}

static void check_nhs_lists(city *c)
{
	static const char *const places[] = {"home",    "care_home", "hospital",
	                                     "hospice", "other",     NULL};
	table t;
	load(&t, c->dir, "gp_objections.csv");
	for (size_t r = 0; r < t.nrows; r++) {
		check_org(c, &t, r, cell(&t, r, col(&t, "practice_code")), "gp_practice");
		CHECK(nhs_strict(cell(&t, r, col(&t, "nhs_number"))), &t, r, "nhs strict");
		check_date(&t, r, cell(&t, r, col(&t, "recorded_on")), c->as_of, false, NULL);
	}
	unload(&t);
	load(&t, c->dir, "national_opt_outs.csv");
	for (size_t r = 0; r < t.nrows; r++) {
		const char *n = cell(&t, r, col(&t, "nhs_number"));
		CHECK(nhs_strict(n) && set_has(&c->nhs, n, NULL), &t, r, "nhs strict, known");
		check_date(&t, r, cell(&t, r, col(&t, "recorded_on")), c->as_of, false, NULL);
	}
	unload(&t);
	load(&t, c->dir, "deaths.csv");
	for (size_t r = 0; r < t.nrows; r++) {
		const char *n = cell(&t, r, col(&t, "nhs_number"));
		CHECK(nhs_strict(n) && set_has(&c->nhs, n, NULL), &t, r, "nhs strict, known");
		jup_date b, d;
		check_date(&t, r, cell(&t, r, col(&t, "dob")), c->as_of, false, &b);
		check_date(&t, r, cell(&t, r, col(&t, "date_of_death")), c->as_of, false, &d);
		CHECK(d >= b, &t, r, "death before birth");
		check_enum(&t, r, cell(&t, r, col(&t, "place_of_death")), places, false);
	}
	unload(&t);
}

/* flagged NHS numbers: blank, or ten digits that may fail the check */
static int flagged_nhs(const table *t, size_t r, const char *v)
{
	if (!v[0])
		return 1;
	CHECK(strlen(v) == 10 && strspn(v, "0123456789") == 10, t, r, "nhs_number shape");
	return nhs_strict(v) ? 0 : 2;
}

static void check_hospital(city *c)
{
	table t;
	load(&t, c->dir, "hospital_patients.csv");
	size_t tr = col(&t, "trust_code"), id = col(&t, "local_id");
	for (size_t r = 0; r < t.nrows; r++) {
		check_org(c, &t, r, cell(&t, r, tr), "hospital_trust");
		check_local(&t, r, cell(&t, r, id));
		(void)flagged_nhs(&t, r, cell(&t, r, col(&t, "nhs_number")));
		check_person_cols(c, &t, r, true);
		set_add(&c->hosp, cell(&t, r, tr), cell(&t, r, id));
	}
	assert_int_equal(set_seal(&c->hosp), 0);
	c->masters += t.nrows;
	unload(&t);
}

static void check_diagnoses(const table *t, size_t r, const char *v)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", v);
	int n = 0;
	jup_err err;
	for (char *p = buf, *q; p; p = q) {
		q = strchr(p, ';');
		if (q)
			*q++ = '\0';
		CHECK(jup_ingest_icd10(sv(p), &err) == JUP_OK, t, r, "ICD-10 diagnosis");
		n++;
	}
	CHECK(n >= 1 && n <= JUP_IMPORT_MAX_DIAGNOSES, t, r, "diagnosis count");
}

static void check_admissions(city *c)
{
	static const char *const methods[] = {"elective", "emergency", NULL};
	static const char *const dests[] = {"home", "care_home", "reablement", "other_hospital",
	                                    "died", "other",     NULL};
	table t;
	set ids = {0};
	load(&t, c->dir, "hospital_admissions.csv");
	size_t tr = col(&t, "trust_code"), id = col(&t, "local_id"), sp = col(&t, "spell_id");
	for (size_t r = 0; r < t.nrows; r++) {
		check_org(c, &t, r, cell(&t, r, tr), "hospital_trust");
		check_local(&t, r, cell(&t, r, sp));
		CHECK(set_has(&c->hosp, cell(&t, r, tr), cell(&t, r, id)), &t, r,
		      "unknown patient");
		check_enum(&t, r, cell(&t, r, col(&t, "method")), methods, false);
		jup_date in, out;
		check_date(&t, r, cell(&t, r, col(&t, "admitted_on")), c->as_of, false, &in);
		check_date(&t, r, cell(&t, r, col(&t, "discharged_on")), c->as_of, true, &out);
		CHECK(!out || out >= in, &t, r, "discharged before admitted");
		const char *dest = cell(&t, r, col(&t, "discharge_destination"));
		CHECK(!out == !dest[0], &t, r, "destination without discharge");
		check_enum(&t, r, dest, dests, true);
		check_diagnoses(&t, r, cell(&t, r, col(&t, "diagnoses")));
		set_add(&ids, cell(&t, r, tr), cell(&t, r, sp));
	}
	assert_int_equal(set_seal(&ids), 0);
	set_free(&ids);
	unload(&t);
	load(&t, c->dir, "ae_attendances.csv");
	static const char *const disp[] = {"admitted", "discharged", "referred", "transferred",
	                                   "left",     "died",       NULL};
	jup_err err;
	tr = col(&t, "trust_code"), id = col(&t, "local_id"), sp = col(&t, "attendance_id");
	for (size_t r = 0; r < t.nrows; r++) {
		check_org(c, &t, r, cell(&t, r, tr), "hospital_trust");
		check_local(&t, r, cell(&t, r, sp));
		CHECK(set_has(&c->hosp, cell(&t, r, tr), cell(&t, r, id)), &t, r,
		      "unknown patient");
		jup_date day;
		CHECK(jup_ingest_datetime(sv(cell(&t, r, col(&t, "arrived_at"))), c->as_of, &day,
		                          &err) == JUP_OK,
		      &t, r, "arrived_at");
		check_enum(&t, r, cell(&t, r, col(&t, "disposal")), disp, false);
		set_add(&ids, cell(&t, r, tr), cell(&t, r, sp));
	}
	assert_int_equal(set_seal(&ids), 0);
	set_free(&ids);
	unload(&t);
}

static void check_sc_clients(city *c)
{
	table t;
	load(&t, c->dir, "social_care_clients.csv");
	size_t co = col(&t, "council_code"), id = col(&t, "local_id");
	for (size_t r = 0; r < t.nrows; r++) {
		check_org(c, &t, r, cell(&t, r, co), "council");
		check_local(&t, r, cell(&t, r, id));
		(void)flagged_nhs(&t, r, cell(&t, r, col(&t, "nhs_number")));
		check_person_cols(c, &t, r, true);
		const char *pr = cell(&t, r, col(&t, "practice_code"));
		if (pr[0])
			check_org(c, &t, r, pr, "gp_practice");
		set_add(&c->sc, cell(&t, r, co), cell(&t, r, id));
	}
	assert_int_equal(set_seal(&c->sc), 0);
	c->masters += t.nrows;
	assert_true(t.nrows > 20);
	unload(&t);
}

static void check_sc_events(city *c)
{
	static const char *const akinds[] = {"needs", "carer", "review", "reablement", NULL};
	static const char *const outcomes[] = {"services_provided", "no_eligible_needs",
	                                       "signposted", "declined", NULL};
	static const char *const skinds[] = {
	    "reablement",       "home_care",    "day_care", "direct_payment",
	    "residential_care", "nursing_care", NULL};
	static const char *const reasons[] = {"completed",
	                                      "moved_to_long_term_care",
	                                      "admitted_to_hospital",
	                                      "died",
	                                      "moved_away",
	                                      "no_longer_needed",
	                                      NULL};
	const char *files[] = {"social_care_assessments.csv", "social_care_services.csv"};
	const char *idcol[] = {"assessment_id", "service_id"};
	const char *startc[] = {"started_on", "started_on"}, *endc[] = {"completed_on", "ended_on"};
	const char *whyc[] = {"outcome", "end_reason"};
	for (int f = 0; f < 2; f++) {
		table t;
		set ids = {0};
		load(&t, c->dir, files[f]);
		size_t co = col(&t, "council_code"), id = col(&t, "local_id");
		for (size_t r = 0; r < t.nrows; r++) {
			check_org(c, &t, r, cell(&t, r, co), "council");
			check_local(&t, r, cell(&t, r, col(&t, idcol[f])));
			CHECK(set_has(&c->sc, cell(&t, r, co), cell(&t, r, id)), &t, r,
			      "unknown client");
			check_enum(&t, r, cell(&t, r, col(&t, "kind")), f ? skinds : akinds, false);
			jup_date s, e;
			check_date(&t, r, cell(&t, r, col(&t, startc[f])), c->as_of, false, &s);
			check_date(&t, r, cell(&t, r, col(&t, endc[f])), c->as_of, true, &e);
			CHECK(!e || e >= s, &t, r, "ends before it starts");
			const char *why = cell(&t, r, col(&t, whyc[f]));
			CHECK(!e == !why[0], &t, r, "outcome without end");
			check_enum(&t, r, why, f ? reasons : outcomes, true);
			set_add(&ids, cell(&t, r, co), cell(&t, r, col(&t, idcol[f])));
		}
		assert_int_equal(set_seal(&ids), 0);
		set_free(&ids);
		unload(&t);
	}
}

static void check_consents_and_teams(city *c)
{
	static const char *const decisions[] = {"permit", "deny", NULL};
	static const char *const roles[] = {"social_worker",   "care_coordinator", "district_nurse",
	                                    "palliative_care", "key_worker",       NULL};
	table t;
	load(&t, c->dir, "social_care_consents.csv");
	size_t permit = 0;
	for (size_t r = 0; r < t.nrows; r++) {
		check_org(c, &t, r, cell(&t, r, col(&t, "council_code")), "council");
		CHECK(set_has(&c->sc, cell(&t, r, col(&t, "council_code")),
		              cell(&t, r, col(&t, "local_id"))),
		      &t, r, "unknown client");
		check_text(&t, r, cell(&t, r, col(&t, "form_version")), JUP_MAX_TEXT_LEN, false);
		check_enum(&t, r, cell(&t, r, col(&t, "decision")), decisions, false);
		check_date(&t, r, cell(&t, r, col(&t, "recorded_on")), c->as_of, false, NULL);
		check_text(&t, r, cell(&t, r, col(&t, "recorded_by")), JUP_MAX_TEXT_LEN, false);
		permit += strcmp(cell(&t, r, col(&t, "decision")), "permit") == 0;
	}
	assert_true(t.nrows > 0 && permit * 100 / t.nrows >= 75);
	unload(&t);
	load(&t, c->dir, "care_team.csv");
	jup_err err;
	for (size_t r = 0; r < t.nrows; r++) {
		const char *org = cell(&t, r, col(&t, "org_code"));
		CHECK(jup_ingest_org_code(sv(org), &err) == JUP_OK, &t, r, "org_code");
		check_text(&t, r, cell(&t, r, col(&t, "team")), JUP_MAX_TEXT_LEN, false);
		const char *src = cell(&t, r, col(&t, "source_org")),
		           *id = cell(&t, r, col(&t, "local_id"));
		CHECK(set_has(&c->gp, src, id) || set_has(&c->sc, src, id) ||
		          set_has(&c->hosp, src, id),
		      &t, r, "unknown source record");
		check_enum(&t, r, cell(&t, r, col(&t, "role")), roles, false);
		jup_date s, e;
		check_date(&t, r, cell(&t, r, col(&t, "started_on")), c->as_of, false, &s);
		check_date(&t, r, cell(&t, r, col(&t, "ended_on")), c->as_of, true, &e);
		CHECK(!e || e >= s, &t, r, "ended before started");
	}
	unload(&t);
}

static void check_truth(city *c)
{
	table t;
	set seen = {0};
	load(&t, c->dir, "truth.csv");
	size_t src = col(&t, "source"), id = col(&t, "local_id"), pk = col(&t, "person_key");
	for (size_t r = 0; r < t.nrows; r++) {
		const char *s = cell(&t, r, src), *l = cell(&t, r, id);
		CHECK(set_has(&c->gp, s, l) || set_has(&c->hosp, s, l) || set_has(&c->sc, s, l), &t,
		      r, "truth row for no record");
		CHECK(cell(&t, r, pk)[0] == 'P', &t, r, "person key");
		set_add(&seen, s, l);
	}
	assert_int_equal(set_seal(&seen), 0);
	assert_int_equal(t.nrows, c->masters); /* each record exactly once */
	set_free(&seen);
	unload(&t);
}

static void check_city(const char *dir)
{
	city c;
	memset(&c, 0, sizeof c);
	c.dir = dir;
	c.as_of = jup_date_from_ymd(2026, 11, 1);
	check_orgs(&c);
	check_gp_patients(&c);
	check_gp_events(&c);
	check_nhs_lists(&c);
	check_hospital(&c);
	check_admissions(&c);
	check_sc_clients(&c);
	check_sc_events(&c);
	check_consents_and_teams(&c);
	check_truth(&c);
	unload(&c.orgs);
	set_free(&c.gp);
	set_free(&c.hosp);
	set_free(&c.sc);
	set_free(&c.org_kind);
	set_free(&c.nhs);
}

static void progress(void *ctx, double done)
{
	double *last = ctx;
	assert_true(done >= *last && done <= 1.0);
	*last = done;
}

static void test_leeds_formats(void **state)
{
	(void)state;
	const char *dir = subdir("leeds");
	jup_synth_opts o;
	jup_synth_defaults(&o);
	o.people = 3000;
	o.seed = 5;
	o.imd_path = IMD_PATH;
	o.out_dir = dir;
	double last = 0;
	o.progress = progress;
	o.progress_ctx = &last;
	jup_synth_report rep;
	jup_err err = {{0}};
	assert_int_equal(jup_synth_run(&o, &rep, &err), JUP_OK);
	assert_true(last > 0.99);
	assert_int_equal(rep.people, 3000);
	assert_int_equal(rep.areas, 482); /* Leeds has 482 LSOAs */
	assert_true(rep.with_nhs_number > 2880 && rep.with_nhs_number < 2970);
	assert_string_equal(rep.files[0].name, "organisations.csv");
	assert_string_equal(rep.files[rep.nfiles - 1].name, "truth.csv");
	assert_int_equal(rep.files[1].rows, rep.with_nhs_number);
	check_city(dir);
}

static void test_southend(void **state)
{
	(void)state;
	const char *dir = subdir("southend");
	jup_synth_report rep;
	make_city(dir, "southend-on-sea", 3000, 9, &rep);
	check_city(dir);
	table t;
	load(&t, dir, "gp_patients.csv");
	size_t pc = col(&t, "postcode");
	for (size_t r = 0; r < t.nrows; r++)
		CHECK(strncmp(cell(&t, r, pc), "SS", 2) == 0, &t, r, "Southend postcode");
	unload(&t);
	load(&t, dir, "organisations.csv");
	bool council = false;
	for (size_t r = 0; r < t.nrows; r++)
		council |= strcmp(cell(&t, r, col(&t, "org_code")), "E06000033") == 0;
	assert_true(council);
	unload(&t);
}

/* a map from "source|local_id" to a row number */
typedef struct kv {
	char *key;
	size_t val;
} kv;

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

static kv *index_rows(const table *t, size_t c1, size_t c2, size_t *n)
{
	kv *m = malloc(t->nrows * sizeof *m);
	assert_non_null(m);
	for (size_t r = 0; r < t->nrows; r++) {
		char key[256];
		snprintf(key, sizeof key, "%s|%s", cell(t, r, c1), cell(t, r, c2));
		m[r].key = dup_sv(sv(key));
		m[r].val = r;
	}
	qsort(m, t->nrows, sizeof *m, cmp_kv);
	*n = t->nrows;
	return m;
}

static size_t lookup(const kv *m, size_t n, const char *a, const char *b)
{
	char key[256];
	snprintf(key, sizeof key, "%s|%s", a, b);
	kv k = {key, 0};
	const kv *hit = bsearch(&k, m, n, sizeof *m, cmp_kv);
	return hit ? hit->val : SIZE_MAX;
}

static void free_index(kv *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].key);
	free(m);
}

typedef struct faults {
	size_t clients, missing, invalid, given, dob, postcode, unregistered;
} faults;

/* compare each social care client with the same person's GP record */
static void count_faults(const char *dir, faults *f)
{
	table truth, gp, sc;
	load(&truth, dir, "truth.csv");
	load(&gp, dir, "gp_patients.csv");
	load(&sc, dir, "social_care_clients.csv");
	size_t nt, ng;
	kv *by_record = index_rows(&truth, col(&truth, "source"), col(&truth, "local_id"), &nt);
	size_t tpk = col(&truth, "person_key");
	/* person key -> GP row */
	kv *by_person = malloc(gp.nrows * sizeof *by_person);
	for (size_t r = 0; r < gp.nrows; r++) {
		size_t tr = lookup(by_record, nt, cell(&gp, r, col(&gp, "practice_code")),
		                   cell(&gp, r, col(&gp, "local_id")));
		assert_true(tr != SIZE_MAX);
		by_person[r].key = dup_sv(sv(cell(&truth, tr, tpk)));
		by_person[r].val = r;
	}
	ng = gp.nrows;
	qsort(by_person, ng, sizeof *by_person, cmp_kv);
	memset(f, 0, sizeof *f);
	f->clients = sc.nrows;
	for (size_t r = 0; r < sc.nrows; r++) {
		const char *nhs = cell(&sc, r, col(&sc, "nhs_number"));
		f->missing += !nhs[0];
		f->invalid += nhs[0] && !nhs_strict(nhs);
		size_t tr = lookup(by_record, nt, cell(&sc, r, col(&sc, "council_code")),
		                   cell(&sc, r, col(&sc, "local_id")));
		assert_true(tr != SIZE_MAX);
		kv k = {(char *)cell(&truth, tr, tpk), 0};
		const kv *hit = bsearch(&k, by_person, ng, sizeof *by_person, cmp_kv);
		if (!hit) {
			f->unregistered++;
			continue;
		}
		size_t g = hit->val;
		f->given += strcmp(cell(&sc, r, col(&sc, "given_name")),
		                   cell(&gp, g, col(&gp, "given_name"))) != 0;
		const char *d1 = cell(&sc, r, col(&sc, "dob")), *d2 = cell(&gp, g, col(&gp, "dob"));
		if (strcmp(d1, d2) != 0) {
			/* only a day/month swap is allowed */
			assert_memory_equal(d1, d2, 5);
			assert_memory_equal(d1 + 5, d2 + 8, 2);
			assert_memory_equal(d1 + 8, d2 + 5, 2);
			f->dob++;
		}
		f->postcode += strcmp(cell(&sc, r, col(&sc, "postcode")),
		                      cell(&gp, g, col(&gp, "postcode"))) != 0;
	}
	free_index(by_record, nt);
	free_index(by_person, ng);
	unload(&truth);
	unload(&gp);
	unload(&sc);
}

static bool between_pct(size_t part, size_t whole, double lo, double hi)
{
	double p = 100.0 * (double)part / (double)whole;
	return p >= lo && p <= hi;
}

static void test_fault_rates(void **state)
{
	(void)state;
	const char *dir = subdir("faults");
	jup_synth_report rep;
	make_city(dir, "Leeds", 20000, 1, &rep);
	faults f;
	count_faults(dir, &f);
	if (!between_pct(f.missing, f.clients, 10, 20) ||
	    !between_pct(f.invalid, f.clients, 0.2, 3) || !between_pct(f.given, f.clients, 3, 20) ||
	    !between_pct(f.dob, f.clients, 0.2, 5) || !between_pct(f.postcode, f.clients, 2, 15))
		fail_msg("faults in %zu clients: %zu missing, %zu invalid, %zu names, %zu dob, "
		         "%zu postcodes",
		         f.clients, f.missing, f.invalid, f.given, f.dob, f.postcode);
	/* clients are 1.5-2.5% of the population */
	assert_true(between_pct(f.clients, 20000, 1.5, 2.5));
}

/* person key -> (dob, death) from the GP register and deaths.csv */
typedef struct life {
	kv *by_record, *by_person;
	size_t nrec, npers;
	table truth;
	jup_date *dob, *death; /* by GP row */
} life;

static void life_load(life *l, const char *dir)
{
	table gp, deaths;
	load(&l->truth, dir, "truth.csv");
	load(&gp, dir, "gp_patients.csv");
	load(&deaths, dir, "deaths.csv");
	l->by_record =
	    index_rows(&l->truth, col(&l->truth, "source"), col(&l->truth, "local_id"), &l->nrec);
	l->npers = gp.nrows;
	l->by_person = malloc(gp.nrows * sizeof *l->by_person);
	l->dob = calloc(gp.nrows, sizeof *l->dob);
	l->death = calloc(gp.nrows, sizeof *l->death);
	size_t nn;
	kv *by_nhs = index_rows(&gp, col(&gp, "nhs_number"), col(&gp, "nhs_number"), &nn);
	jup_err err;
	for (size_t r = 0; r < gp.nrows; r++) {
		size_t tr = lookup(l->by_record, l->nrec, cell(&gp, r, col(&gp, "practice_code")),
		                   cell(&gp, r, col(&gp, "local_id")));
		l->by_person[r].key = dup_sv(sv(cell(&l->truth, tr, col(&l->truth, "person_key"))));
		l->by_person[r].val = r;
		assert_int_equal(
		    jup_date_parse(sv(cell(&gp, r, col(&gp, "dob"))), &l->dob[r], &err), JUP_OK);
	}
	for (size_t r = 0; r < deaths.nrows; r++) {
		const char *n = cell(&deaths, r, col(&deaths, "nhs_number"));
		size_t g = lookup(by_nhs, nn, n, n);
		assert_true(g != SIZE_MAX);
		assert_int_equal(jup_date_parse(sv(cell(&deaths, r, col(&deaths, "date_of_death"))),
		                                &l->death[g], &err),
		                 JUP_OK);
	}
	qsort(l->by_person, l->npers, sizeof *l->by_person, cmp_kv);
	free_index(by_nhs, nn);
	unload(&gp);
	unload(&deaths);
}

static void life_free(life *l)
{
	free_index(l->by_record, l->nrec);
	free_index(l->by_person, l->npers);
	free(l->dob);
	free(l->death);
	unload(&l->truth);
}

/* every dated row of a registered person falls between birth and death, and
 * events fall inside the history window */
static void check_life_file(const life *l, const char *dir, const char *file, const char *org,
                            const char *id, const char *const *dates, jup_date window)
{
	table t;
	load(&t, dir, file);
	size_t co = col(&t, org), ci = col(&t, id);
	jup_err err;
	for (size_t r = 0; r < t.nrows; r++) {
		size_t tr = lookup(l->by_record, l->nrec, cell(&t, r, co), cell(&t, r, ci));
		CHECK(tr != SIZE_MAX, &t, r, "record not in truth");
		kv k = {(char *)cell(&l->truth, tr, col(&l->truth, "person_key")), 0};
		const kv *hit = bsearch(&k, l->by_person, l->npers, sizeof *l->by_person, cmp_kv);
		for (int d = 0; dates[d]; d++) {
			const char *v = cell(&t, r, col(&t, dates[d]));
			jup_date day;
			if (!v[0])
				continue;
			assert_int_equal(jup_date_parse((jup_sv){v, 10}, &day, &err), JUP_OK);
			CHECK(!window || day >= window, &t, r, "event before the history window");
			if (!hit)
				continue;
			CHECK(day >= l->dob[hit->val], &t, r, "event before birth");
			CHECK(!l->death[hit->val] || day <= l->death[hit->val], &t, r,
			      "event after death");
		}
	}
	unload(&t);
}

static void test_life_order(void **state)
{
	(void)state;
	const char *dir = subdir("life");
	jup_synth_report rep;
	make_city(dir, "Leeds", 8000, 3, &rep);
	life l;
	life_load(&l, dir);
	jup_date ws = jup_date_from_ymd(2026, 11, 1) - 1096;
	static const char *const onset[] = {"onset_on", NULL};
	static const char *const meds[] = {"started_on", "ended_on", NULL};
	static const char *const eol[] = {"added_on", NULL};
	static const char *const adm[] = {"admitted_on", "discharged_on", NULL};
	static const char *const ae[] = {"arrived_at", NULL};
	static const char *const sc[] = {"started_on", "completed_on", NULL};
	static const char *const sv2[] = {"started_on", "ended_on", NULL};
	static const char *const cons[] = {"recorded_on", NULL};
	static const char *const reg[] = {"registered_on", NULL};
	check_life_file(&l, dir, "gp_patients.csv", "practice_code", "local_id", reg, 0);
	check_life_file(&l, dir, "gp_conditions.csv", "practice_code", "local_id", onset, 0);
	check_life_file(&l, dir, "gp_medications.csv", "practice_code", "local_id", meds, 0);
	check_life_file(&l, dir, "gp_eol_register.csv", "practice_code", "local_id", eol, ws);
	check_life_file(&l, dir, "hospital_admissions.csv", "trust_code", "local_id", adm, ws);
	check_life_file(&l, dir, "ae_attendances.csv", "trust_code", "local_id", ae, ws);
	check_life_file(&l, dir, "social_care_assessments.csv", "council_code", "local_id", sc, ws);
	check_life_file(&l, dir, "social_care_services.csv", "council_code", "local_id", sv2, ws);
	check_life_file(&l, dir, "social_care_consents.csv", "council_code", "local_id", cons, ws);
	check_life_file(&l, dir, "care_team.csv", "source_org", "local_id", sv2, 0);
	life_free(&l);
}

/* tallies by deprivation (deciles 1-2 vs 9-10) and age (<50 vs 70+) */
typedef struct gradient {
	synth_city c; /* first, so the callback can reach the tallies */
	double people[2][2], conds[2][2], deaths[2][2], emergencies[2][2];
} gradient;

static void tally(synth_city *c, synth_person *p)
{
	gradient *g = (gradient *)c;
	synth_health_conditions(c, p);
	synth_health_death(c, p);
	synth_health_eol(c, p);
	synth_hospital_events(c, p);
	/* deprivation compared within ages 50-79 (deprived areas are younger) */
	int d = p->area->decile <= 2 ? 0 : p->area->decile >= 9 ? 1 : -1;
	if (p->age < 50 || p->age >= 80)
		d = -1;
	int a = p->age < 50 ? 0 : p->age >= 70 ? 1 : -1;
	int em = 0;
	for (int i = 0; i < p->nadm; i++)
		em += p->adm[i].method == SYNTH_M_EMERGENCY;
	for (int k = 0; k < 2; k++) {
		int i = k == 0 ? d : a;
		if (i < 0 || (k == 0 && !p->has_nhs))
			continue;
		g->people[k][i]++;
		g->conds[k][i] += p->nconds;
		g->deaths[k][i] += p->death != 0;
		g->emergencies[k][i] += em;
	}
}

static void test_gradients(void **state)
{
	(void)state;
	gradient *g = calloc(1, sizeof *g);
	assert_non_null(g);
	jup_synth_opts o;
	jup_synth_defaults(&o);
	o.people = 60000;
	o.imd_path = IMD_PATH;
	jup_err err;
	assert_int_equal(synth_city_setup(&g->c, &o, &err), JUP_OK);
	synth_person *p = malloc(sizeof *p);
	for (int64_t a = 0; a < g->c.nareas; a++)
		assert_int_equal(synth_people_area(&g->c, a, p, tally, &err), JUP_OK);
	for (int k = 0; k < 2; k++) {
		const char *what = k ? "age" : "deprivation";
		double *n = g->people[k];
		if (!(g->conds[k][0] / n[0] > g->conds[k][1] / n[1]) == !k)
			fail_msg("conditions do not rise with %s", what);
		if (!(g->deaths[k][0] / n[0] > g->deaths[k][1] / n[1]) == !k)
			fail_msg("deaths do not rise with %s", what);
		if (!(g->emergencies[k][0] / n[0] > g->emergencies[k][1] / n[1]) == !k)
			fail_msg("emergency admissions do not rise with %s", what);
	}
	free(p);
	synth_city_free(&g->c);
	free(g);
}

/* the column order docs/FORMATS.md gives */
static void test_headers(void **state)
{
	(void)state;
	static const char *const want[][2] = {
	    {"organisations.csv", "org_code,name,kind,participating,postcode"},
	    {"gp_patients.csv", "nhs_number,given_name,family_name,dob,sex,postcode,"
	                        "practice_code,local_id,address,registered_on"},
	    {"social_care_clients.csv", "local_id,nhs_number,given_name,family_name,dob,sex,"
	                                "postcode,practice_code,council_code,address"},
	    {"hospital_patients.csv", "trust_code,local_id,nhs_number,given_name,family_name,"
	                              "dob,sex,postcode,address"},
	    {"truth.csv", "source,local_id,person_key"},
	};
	const char *dir = subdir("headers");
	jup_synth_report rep;
	make_city(dir, "E08000035", 500, 1, &rep);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char path[600];
		size_t len;
		snprintf(path, sizeof path, "%s/%s", dir, want[i][0]);
		char *data = read_all(path, &len);
		size_t n = strlen(want[i][1]);
		if (len <= n || memcmp(data, want[i][1], n) != 0 || data[n] != '\n')
			fail_msg("%s: header is not %s", want[i][0], want[i][1]);
		free(data);
	}
}

static void test_unknown_area(void **state)
{
	(void)state;
	jup_synth_opts o;
	jup_synth_defaults(&o);
	o.area = "Atlantis";
	o.imd_path = IMD_PATH;
	o.out_dir = subdir("atlantis");
	jup_synth_report rep;
	jup_err err = {{0}};
	assert_int_equal(jup_synth_run(&o, &rep, &err), JUP_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "Atlantis"));
	o.area = "Leeds";
	o.people = 0;
	assert_int_equal(jup_synth_run(&o, &rep, &err), JUP_ERR_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalogue_codes), cmocka_unit_test(test_catalogue_charlson),
	    cmocka_unit_test(test_nhs_range),       cmocka_unit_test(test_perm_bijective),
	    cmocka_unit_test(test_apportion),       cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_leeds_formats),   cmocka_unit_test(test_southend),
	    cmocka_unit_test(test_fault_rates),     cmocka_unit_test(test_life_order),
	    cmocka_unit_test(test_headers),         cmocka_unit_test(test_gradients),
	    cmocka_unit_test(test_unknown_area),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
