/*
 * link_tool.c - benchmark helper for linkage on a synthetic city.
 *
 *   link_tool convert CITY_DIR OUT_DIR
 *       writes OUT_DIR/gp.csv, hospital.csv, social.csv in the link-files
 *       format (id = ORG:local_id), from the city's record masters.
 *   link_tool score TRUTH.csv PAIRS.csv LEFT.csv RIGHT.csv [THRESHOLD]
 *       precision, recall and F1 of link-files' pairs at or above THRESHOLD
 *       (default 0.5) against the city's ground truth, over pairs of one
 *       LEFT and one RIGHT record.
 *
 * Not part of joinedup: it only exists to measure it.
 */
#include "core/jup_buf.h"
#include "core/jup_file.h"
#include "ingest/jup_ingest_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct table {
	jup_file f;
	jup_csv csv;
	jup_sv cells[JUP_CSV_MAX_FIELDS];
	size_t n;
	int64_t line;
} table;

static int open_table(table *t, const char *path)
{
	jup_err err;
	if (jup_file_map(path, 1LL << 34, &t->f, &err)) {
		fprintf(stderr, "link_tool: %s\n", err.msg);
		return -1;
	}
	jup_ingest_csv_init(&t->csv, t->f.data ? t->f.data : "", t->f.len);
	return 0;
}

static int next_row(table *t)
{
	jup_err err;
	jup_status st = jup_ingest_csv_next(&t->csv, t->cells, JUP_CSV_MAX_FIELDS, &t->n, &t->line,
					    &err);
	return st == JUP_OK ? 1 : 0;
}

static void close_table(table *t)
{
	jup_ingest_csv_free(&t->csv);
	jup_file_unmap(&t->f);
}

static int column(const table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (jup_sv_eq_cstr(t->cells[i], name))
			return (int)i;
	return -1;
}

/* ---- convert --------------------------------------------------------------- */

static const char *const link_cols[] = { "nhs_number", "given_name", "family_name", "dob",
					 "sex",        "postcode",   "address" };

static int convert_one(const char *in, const char *org_col, const char *out)
{
	table t;
	if (open_table(&t, in))
		return -1;
	int org = -1, local = -1, cols[7];
	if (next_row(&t)) {
		org = column(&t, org_col);
		local = column(&t, "local_id");
		for (int i = 0; i < 7; i++)
			cols[i] = column(&t, link_cols[i]);
	}
	FILE *f = fopen(out, "wb");
	jup_buf b;
	jup_buf_init(&b, 0);
	int rc = (org < 0 || local < 0 || !f) ? -1 : 0;
	if (!rc && jup_buf_append_cstr(&b, "id,nhs_number,given_name,family_name,dob,sex,"
					   "postcode,address\n"))
		rc = -1;
	while (!rc && next_row(&t)) {
		jup_status st = jup_buf_append_sv(&b, t.cells[org]);
		st = st ? st : jup_buf_append_char(&b, ':');
		st = st ? st : jup_buf_append_sv(&b, t.cells[local]);
		for (int i = 0; i < 7 && !st; i++) {
			st = jup_buf_append_char(&b, ',');
			if (!st && cols[i] >= 0)
				st = jup_buf_append_csv_field(&b, t.cells[cols[i]]);
		}
		st = st ? st : jup_buf_append_char(&b, '\n');
		if (st || (b.len > (1 << 20) && fwrite(b.data, 1, b.len, f) != b.len))
			rc = -1;
		else if (b.len > (1 << 20))
			jup_buf_reset(&b);
	}
	if (!rc && b.len && fwrite(b.data, 1, b.len, f) != b.len)
		rc = -1;
	if (f && fclose(f) != 0)
		rc = -1;
	jup_buf_free(&b);
	close_table(&t);
	if (rc)
		fprintf(stderr, "link_tool: could not convert %s\n", in);
	return rc;
}

static int convert(const char *city, const char *out)
{
	static const struct {
		const char *in, *org, *out;
	} files[] = {
		{ "gp_patients.csv", "practice_code", "gp.csv" },
		{ "hospital_patients.csv", "trust_code", "hospital.csv" },
		{ "social_care_clients.csv", "council_code", "social.csv" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char in[4096], to[4096];
		snprintf(in, sizeof in, "%s/%s", city, files[i].in);
		snprintf(to, sizeof to, "%s/%s", out, files[i].out);
		if (convert_one(in, files[i].org, to))
			return 1;
	}
	return 0;
}

/* ---- score ------------------------------------------------------------------ */

/* A string -> value map with open addressing (keys copied into one buffer). */
typedef struct map {
	size_t *slot; /* offset+1 into keys of the key; 0: empty */
	int64_t *val;
	size_t cap, n;
	jup_buf keys;
} map;

static uint64_t hash(jup_sv s)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < s.len; i++)
		h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ULL;
	return h;
}

static int map_init(map *m, size_t cap)
{
	m->cap = 1;
	while (m->cap < cap * 2)
		m->cap <<= 1;
	m->slot = calloc(m->cap, sizeof *m->slot);
	m->val = calloc(m->cap, sizeof *m->val);
	m->n = 0;
	jup_buf_init(&m->keys, 0);
	return m->slot && m->val ? 0 : -1;
}

static int64_t *map_at(map *m, jup_sv key, int insert)
{
	for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slot[i]) {
			if (!insert || m->n * 2 >= m->cap)
				return NULL;
			m->slot[i] = m->keys.len + 1;
			if (jup_buf_append_sv(&m->keys, key) || jup_buf_append_char(&m->keys, '\0'))
				return NULL;
			m->n++;
			return &m->val[i];
		}
		const char *k = m->keys.data + m->slot[i] - 1;
		if (strlen(k) == key.len && memcmp(k, key.ptr, key.len) == 0)
			return &m->val[i];
	}
}

static void map_free(map *m)
{
	free(m->slot);
	free(m->val);
	jup_buf_free(&m->keys);
}

/* Mark every id of a link-files input with `side` in `ids`. */
static int load_side(map *ids, const char *path, int64_t side)
{
	table t;
	if (open_table(&t, path))
		return -1;
	next_row(&t);
	while (next_row(&t)) {
		int64_t *v = map_at(ids, t.cells[0], 1);
		if (!v)
			return -1;
		*v |= side;
	}
	close_table(&t);
	return 0;
}

static int score(const char *truth, const char *pairs, const char *left, const char *right,
		 double threshold)
{
	map person, side;
	if (map_init(&person, 8000000) || map_init(&side, 8000000))
		return 1;
	if (load_side(&side, left, 1) || load_side(&side, right, 2))
		return 1;
	/* person key per record id, and true pairs: per person, left x right counts */
	map lefts, rights;
	if (map_init(&lefts, 4000000) || map_init(&rights, 4000000))
		return 1;
	table t;
	if (open_table(&t, truth))
		return 1;
	next_row(&t);
	char id[256];
	while (next_row(&t)) {
		int n = snprintf(id, sizeof id, "%.*s:%.*s", (int)t.cells[0].len, t.cells[0].ptr,
				 (int)t.cells[1].len, t.cells[1].ptr);
		jup_sv key = { id, (size_t)n };
		int64_t *s = map_at(&side, key, 0);
		if (!s || !*s)
			continue;
		int64_t pk = strtoll(t.cells[2].ptr + 1, NULL, 10); /* P0000123 */
		*map_at(&person, key, 1) = pk;
		char pks[32];
		int pn = snprintf(pks, sizeof pks, "%lld", (long long)pk);
		if (*s & 1)
			(*map_at(&lefts, (jup_sv){ pks, (size_t)pn }, 1))++;
		if (*s & 2)
			(*map_at(&rights, (jup_sv){ pks, (size_t)pn }, 1))++;
	}
	close_table(&t);
	int64_t true_pairs = 0;
	for (size_t i = 0; i < lefts.cap; i++) {
		if (!lefts.slot[i])
			continue;
		const char *k = lefts.keys.data + lefts.slot[i] - 1;
		int64_t *r = map_at(&rights, jup_sv_from(k), 0);
		if (r)
			true_pairs += lefts.val[i] * *r;
	}
	int64_t tp = 0, fp = 0;
	if (open_table(&t, pairs))
		return 1;
	next_row(&t);
	while (next_row(&t)) {
		if (t.n < 3 || strtod(t.cells[2].ptr, NULL) < threshold)
			continue;
		int64_t *a = map_at(&person, t.cells[0], 0), *b = map_at(&person, t.cells[1], 0);
		if (a && b && *a == *b)
			tp++;
		else
			fp++;
	}
	close_table(&t);
	double p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	double r = true_pairs ? (double)tp / (double)true_pairs : 0;
	printf("precision=%.4f recall=%.4f f1=%.4f (true pairs %lld, found %lld, wrong %lld)\n", p,
	       r, p + r > 0 ? 2 * p * r / (p + r) : 0, (long long)true_pairs, (long long)tp,
	       (long long)fp);
	map_free(&person);
	map_free(&side);
	map_free(&lefts);
	map_free(&rights);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "convert") == 0)
		return convert(argv[2], argv[3]);
	if ((argc == 6 || argc == 7) && strcmp(argv[1], "score") == 0)
		return score(argv[2], argv[3], argv[4], argv[5], argc == 7 ? strtod(argv[6], NULL) : 0.5);
	fputs("usage: link_tool convert CITY_DIR OUT_DIR\n"
	      "       link_tool score TRUTH.csv PAIRS.csv LEFT.csv RIGHT.csv [THRESHOLD]\n",
	      stderr);
	return 2;
}
