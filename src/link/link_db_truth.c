/*
 * link_db_truth.c - scoring the master person index against a ground truth.
 *
 * Accuracy is counted over pairs of source records: a pair is found when
 * both records belong to one person, true when the truth gives them one
 * person key. Records are matched to truth rows by (organisation, local id)
 * through a 64-bit hash of the two, and truth person keys are compared by
 * a 64-bit hash too: with a few million records a collision is far less
 * likely than one in a million, and would move one pair.
 */
#include "link/link_db_internal.h"

#include "core/jup_array.h"
#include "core/jup_file.h"
#include "ingest/jup_ingest_csv.h"

#include <stdlib.h>
#include <string.h>

#define TRUTH_MAX_FILE_BYTES (4LL * 1024 * 1024 * 1024)
#define TRUTH_MAX_PROBLEMS   50

typedef struct org_code {
	char code[16];
	int64_t id;
	bool council;
} org_code;

typedef struct linked {
	uint64_t key; /* hash of (org id, local id) */
	int64_t person;
	bool council;
} linked;

typedef struct labelled {
	int64_t person;
	uint64_t truth; /* hash of the person key */
	bool council;
} labelled;

typedef struct scorer {
	org_code *orgs;
	size_t norg, org_cap;
	link_db_members members;
	linked *recs;
	size_t nrec, rec_cap;
	labelled *rows;
	size_t nrow, row_cap;
	const char *path;
	FILE *problems;
	int64_t nproblems;
} scorer;

/* qsort, for arrays that may be empty (and then NULL) */
static void sort(void *items, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(items, n, size, cmp);
}

static uint64_t hash_bytes(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

static uint64_t record_key(int64_t org_id, jup_sv local)
{
	return hash_bytes(0xcbf29ce484222325ull ^ (uint64_t)org_id * 0x9e3779b97f4a7c15ull,
			  local.ptr, local.len);
}

/* ---- what the store holds -------------------------------------------------------- */

static jup_status org_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	scorer *s = ctx;
	org_code *orgs = jup_array_grow(s->orgs, &s->org_cap, s->norg, sizeof *orgs, 64);
	if (!orgs)
		return jup_err_set(err, JUP_ERR_NOMEM, "scoring: out of memory");
	s->orgs = orgs;
	org_code *o = &s->orgs[s->norg++];
	jup_sv code = link_db_text(&v[JUP_ORG_CODE]);
	snprintf(o->code, sizeof o->code, "%.*s", (int)(code.len > 15 ? 15 : code.len), code.ptr);
	o->id = id;
	o->council = jup_sv_eq_cstr(link_db_text(&v[JUP_ORG_KIND]), "council");
	return JUP_OK;
}

static const org_code *org_by_id(const scorer *s, int64_t id)
{
	for (size_t i = 0; i < s->norg; i++) /* organisations are few */
		if (s->orgs[i].id == id)
			return &s->orgs[i];
	return NULL;
}

static jup_status source_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	scorer *s = ctx;
	int64_t person = link_db_members_person(&s->members, id);
	if (!person)
		return JUP_OK; /* not linked yet */
	linked *recs = jup_array_grow(s->recs, &s->rec_cap, s->nrec, sizeof *recs, 4096);
	if (!recs)
		return jup_err_set(err, JUP_ERR_NOMEM, "scoring: out of memory");
	s->recs = recs;
	int64_t org = v[JUP_SRC_ORG_ID].i;
	const org_code *o = org_by_id(s, org);
	s->recs[s->nrec++] = (linked){ record_key(org, link_db_text(&v[JUP_SRC_LOCAL_ID])),
				       person, o && o->council };
	return JUP_OK;
}

static int linked_cmp(const void *pa, const void *pb)
{
	const linked *a = pa, *b = pb;
	return a->key < b->key ? -1 : a->key > b->key;
}

static int org_cmp(const void *pa, const void *pb)
{
	return strcmp(((const org_code *)pa)->code, ((const org_code *)pb)->code);
}

static jup_status load_store(scorer *s, jup_store *st, jup_err *err)
{
	jup_status r = jup_store_scan(st, JUP_TABLE_ORGANISATION, NULL, 0, org_row, s, err);
	if (!r)
		r = link_db_members_load(st, &s->members, err);
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, NULL, 0, source_row, s, err);
	if (!r) {
		sort(s->recs, s->nrec, sizeof *s->recs, linked_cmp);
		sort(s->orgs, s->norg, sizeof *s->orgs, org_cmp);
	}
	return r;
}

/* ---- the truth file ---------------------------------------------------------------- */

enum { T_SOURCE, T_LOCAL, T_PERSON, T__N };
static const char *const truth_cols[T__N] = { "source", "local_id", "person_key" };

static void problem(scorer *s, int64_t line, const char *field, const char *reason)
{
	if (++s->nproblems <= TRUTH_MAX_PROBLEMS && s->problems)
		fprintf(s->problems, "%s:%lld: %s: %s\n", s->path, (long long)line, field, reason);
}

static bool map_header(scorer *s, const jup_sv *cells, size_t n, int64_t line, int col[T__N])
{
	for (int c = 0; c < T__N; c++) {
		col[c] = -1;
		for (size_t i = 0; i < n; i++)
			if (jup_sv_eq_cstr(jup_sv_trim(cells[i]), truth_cols[c]))
				col[c] = (int)i;
		if (col[c] < 0)
			problem(s, line, truth_cols[c], "missing column in the header");
	}
	return s->nproblems == 0;
}

static const linked *find_record(const scorer *s, jup_sv code, jup_sv local)
{
	if (!s->norg || !s->nrec)
		return NULL;
	org_code key;
	snprintf(key.code, sizeof key.code, "%.*s", (int)(code.len > 15 ? 15 : code.len), code.ptr);
	const org_code *o = bsearch(&key, s->orgs, s->norg, sizeof *s->orgs, org_cmp);
	if (!o || code.len > 15)
		return NULL;
	linked k = { .key = record_key(o->id, local) };
	return bsearch(&k, s->recs, s->nrec, sizeof *s->recs, linked_cmp);
}

static jup_status add_row(scorer *s, const jup_sv *cells, const int col[T__N], int64_t line)
{
	jup_sv person = jup_sv_trim(cells[col[T_PERSON]]);
	if (person.len == 0) {
		problem(s, line, "person_key", "required, but blank");
		return JUP_OK;
	}
	const linked *r =
		find_record(s, jup_sv_trim(cells[col[T_SOURCE]]), jup_sv_trim(cells[col[T_LOCAL]]));
	if (!r)
		return JUP_OK; /* not in the store (or not linked yet) */
	labelled *rows = jup_array_grow(s->rows, &s->row_cap, s->nrow, sizeof *rows, 4096);
	if (!rows)
		return JUP_ERR_NOMEM;
	s->rows = rows;
	s->rows[s->nrow++] =
		(labelled){ r->person, hash_bytes(0x84222325cbf29ce4ull, person.ptr, person.len),
			    r->council };
	return JUP_OK;
}

static jup_status read_truth(scorer *s, const char *data, size_t len, jup_err *err)
{
	jup_csv csv;
	jup_ingest_csv_init(&csv, data, len);
	jup_sv cells[JUP_CSV_MAX_FIELDS];
	size_t n;
	int64_t line;
	int col[T__N];
	jup_err why;
	jup_status fatal = JUP_OK; /* anything but a problem with the file's content */
	jup_status st = jup_ingest_csv_next(&csv, cells, JUP_CSV_MAX_FIELDS, &n, &line, &why);
	if (st)
		problem(s, 1, "header", st == JUP_ERR_NOT_FOUND ? "the file is empty" : why.msg);
	size_t ncols = n;
	bool more = !st && map_header(s, cells, n, line, col);
	while (more && !fatal && s->nproblems < TRUTH_MAX_PROBLEMS) {
		st = jup_ingest_csv_next(&csv, cells, JUP_CSV_MAX_FIELDS, &n, &line, &why);
		if (st == JUP_ERR_NOT_FOUND)
			more = false;
		else if (st)
			problem(s, line, "row", why.msg);
		else if (n != ncols)
			problem(s, line, "row", "has a different number of fields from the header");
		else
			fatal = add_row(s, cells, col, line);
	}
	jup_ingest_csv_free(&csv);
	if (fatal)
		return jup_err_set(err, fatal, "reading \"%s\": %s", s->path, jup_strerror(fatal));
	if (s->nproblems)
		return jup_err_set(err, JUP_ERR_INVALID, "\"%s\": %lld problem%s", s->path,
				   (long long)s->nproblems, s->nproblems == 1 ? "" : "s");
	return JUP_OK;
}

/* ---- counting pairs -------------------------------------------------------------- */

static int by_person(const void *pa, const void *pb)
{
	const labelled *a = pa, *b = pb;
	if (a->person != b->person)
		return a->person < b->person ? -1 : 1;
	return a->truth < b->truth ? -1 : a->truth > b->truth;
}

static int by_truth(const void *pa, const void *pb)
{
	const labelled *a = pa, *b = pb;
	return a->truth < b->truth ? -1 : a->truth > b->truth;
}

static uint64_t pairs_of(uint64_t n)
{
	return n * (n ? n - 1 : 0) / 2;
}

typedef enum group_by { GROUP_PERSON, GROUP_TRUTH, GROUP_BOTH } group_by;

static bool same_group(const labelled *a, const labelled *b, group_by g)
{
	if (g == GROUP_TRUTH)
		return a->truth == b->truth;
	return a->person == b->person && (g == GROUP_PERSON || a->truth == b->truth);
}

/* Pairs within groups of consecutive rows (all, and with a council record). */
static void count_pairs(const labelled *rows, size_t n, group_by g, uint64_t *all, uint64_t *sc)
{
	*all = *sc = 0;
	for (size_t i = 0, j; i < n; i = j) {
		uint64_t council = 0;
		for (j = i; j < n && same_group(&rows[i], &rows[j], g); j++)
			council += rows[j].council;
		uint64_t size = j - i;
		*all += pairs_of(size);
		*sc += pairs_of(size) - pairs_of(size - council);
	}
}

static void rates(uint64_t correct, uint64_t found, uint64_t truth, double *p, double *r, double *f)
{
	*p = found ? (double)correct / (double)found : 1;
	*r = truth ? (double)correct / (double)truth : 1;
	*f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

static void score(scorer *s, jup_link_truth *out)
{
	sort(s->rows, s->nrow, sizeof *s->rows, by_person);
	count_pairs(s->rows, s->nrow, GROUP_BOTH, &out->correct_pairs, &out->sc_correct_pairs);
	count_pairs(s->rows, s->nrow, GROUP_PERSON, &out->found_pairs, &out->sc_found_pairs);
	sort(s->rows, s->nrow, sizeof *s->rows, by_truth);
	count_pairs(s->rows, s->nrow, GROUP_TRUTH, &out->true_pairs, &out->sc_true_pairs);
	out->records = s->nrow;
	rates(out->correct_pairs, out->found_pairs, out->true_pairs, &out->precision, &out->recall,
	      &out->f1);
	rates(out->sc_correct_pairs, out->sc_found_pairs, out->sc_true_pairs, &out->sc_precision,
	      &out->sc_recall, &out->sc_f1);
}

jup_status jup_link_db_truth(jup_store *st, const char *path, FILE *problems, jup_link_truth *out,
			     jup_err *err)
{
	memset(out, 0, sizeof *out);
	scorer s = { .path = path, .problems = problems };
	jup_file f;
	jup_status r = jup_file_map(path, TRUTH_MAX_FILE_BYTES, &f, err);
	if (r)
		return r;
	r = load_store(&s, st, err);
	if (!r)
		r = read_truth(&s, f.data ? f.data : "", f.len, err);
	if (!r)
		score(&s, out);
	jup_file_unmap(&f);
	free(s.orgs);
	link_db_members_free(&s.members);
	free(s.recs);
	free(s.rows);
	return r;
}
