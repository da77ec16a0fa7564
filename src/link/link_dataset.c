/*
 * link_dataset.c - reading link-files inputs into prepared records.
 *
 * The whole file must be right: a bad header or row is listed as
 * FILE:LINE: field: reason and the dataset is refused, as for imports.
 */
#include "link/link_dataset.h"

#include "core/jup_file.h"
#include "core/jup_limits.h"
#include "ingest/jup_ingest_csv.h"
#include "ingest/jup_ingest_valid.h"

#include <stdlib.h>
#include <string.h>

#define LINK_MAX_FILE_BYTES (4LL * 1024 * 1024 * 1024)
#define LINK_MAX_ID_LEN 128

enum { COL_ID, COL_NHS, COL_GIVEN, COL_FAMILY, COL_DOB, COL_SEX, COL_POSTCODE, COL_ADDRESS,
       COL__N };
static const char *const col_names[COL__N] = { "id",  "nhs_number", "given_name", "family_name",
					       "dob", "sex",        "postcode",   "address" };

typedef struct reader {
	const char *path;
	FILE *problems;
	int max_problems;
	int64_t nproblems;
	int col[COL__N]; /* CSV column of each named column */
	size_t ncols;
} reader;

static void problem(reader *r, int64_t line, const char *field, const char *reason)
{
	if (++r->nproblems <= r->max_problems && r->problems)
		fprintf(r->problems, "%s:%lld: %s: %s\n", r->path, (long long)line, field, reason);
}

static void map_header(reader *r, const jup_sv *cells, size_t n, int64_t line)
{
	for (int c = 0; c < COL__N; c++)
		r->col[c] = -1;
	for (size_t i = 0; i < n; i++) {
		jup_sv name = jup_sv_trim(cells[i]);
		int c = 0;
		while (c < COL__N && !jup_sv_eq_cstr(name, col_names[c]))
			c++;
		if (c == COL__N) {
			char why[96];
			snprintf(why, sizeof why, "unknown column \"%.*s\"",
				 (int)(name.len > 64 ? 64 : name.len), name.ptr);
			problem(r, line, "header", why);
		}
		else if (r->col[c] >= 0)
			problem(r, line, "header", "a column given twice");
		else
			r->col[c] = (int)i;
	}
	for (int c = 0; c < COL__N; c++)
		if (r->col[c] < 0)
			problem(r, line, col_names[c], "missing column in the header");
	r->ncols = n;
}

static jup_status grow(link_dataset *d)
{
	if (d->n < d->cap)
		return JUP_OK;
	size_t cap = d->cap ? d->cap * 2 : 4096;
	jup_link_rec *recs = realloc(d->recs, cap * sizeof *recs);
	if (!recs)
		return JUP_ERR_NOMEM;
	d->recs = recs;
	size_t *at = realloc(d->id_at, cap * sizeof *at);
	if (!at)
		return JUP_ERR_NOMEM;
	d->id_at = at;
	d->cap = cap;
	return JUP_OK;
}

static jup_sv cell(const reader *r, const jup_sv *cells, int c)
{
	return jup_sv_trim(cells[r->col[c]]);
}

static jup_status add_row(link_dataset *d, reader *r, const jup_sv *cells, int64_t line)
{
	jup_sv id = cell(r, cells, COL_ID);
	jup_err why;
	if (id.len == 0) {
		problem(r, line, "id", "required, but blank");
		return JUP_OK;
	}
	if (id.len > LINK_MAX_ID_LEN || jup_ingest_text(id, LINK_MAX_ID_LEN, &why)) {
		problem(r, line, "id", id.len > LINK_MAX_ID_LEN ? "longer than 128 bytes" : why.msg);
		return JUP_OK;
	}
	jup_status st = grow(d);
	if (st)
		return st;
	d->id_at[d->n] = d->ids.len;
	if ((st = jup_buf_append_sv(&d->ids, id)) || (st = jup_buf_append_char(&d->ids, '\0')))
		return st;
	jup_link_input in = {
		cell(r, cells, COL_NHS),  cell(r, cells, COL_GIVEN),    cell(r, cells, COL_FAMILY),
		cell(r, cells, COL_DOB),  cell(r, cells, COL_SEX),      cell(r, cells, COL_POSTCODE),
		cell(r, cells, COL_ADDRESS),
	};
	jup_link_prepare(&in, &d->recs[d->n++]);
	return JUP_OK;
}

static jup_status read_all(link_dataset *d, reader *r, jup_csv *csv, jup_err *err)
{
	jup_sv cells[JUP_CSV_MAX_FIELDS];
	size_t n;
	int64_t line;
	jup_err why;
	jup_status st = jup_ingest_csv_next(csv, cells, JUP_CSV_MAX_FIELDS, &n, &line, &why);
	if (st == JUP_ERR_NOT_FOUND) {
		problem(r, 1, "header", "the file is empty");
		return JUP_OK;
	}
	if (st) {
		problem(r, line, "header", why.msg);
		return JUP_OK;
	}
	map_header(r, cells, n, line);
	while (r->nproblems == 0 || r->nproblems < r->max_problems) {
		st = jup_ingest_csv_next(csv, cells, JUP_CSV_MAX_FIELDS, &n, &line, &why);
		if (st == JUP_ERR_NOT_FOUND)
			return JUP_OK;
		if (st)
			problem(r, line, "row", why.msg);
		else if (n != r->ncols)
			problem(r, line, "row", "has a different number of fields from the header");
		else if (r->nproblems == 0 && (st = add_row(d, r, cells, line)))
			return jup_err_set(err, st, "reading \"%s\": %s", r->path, jup_strerror(st));
	}
	return JUP_OK;
}

jup_status link_dataset_read_csv(link_dataset *d, const char *path, FILE *problems,
				 int max_problems, jup_err *err)
{
	memset(d, 0, sizeof *d);
	jup_buf_init(&d->ids, 0);
	jup_file f;
	jup_status st = jup_file_map(path, LINK_MAX_FILE_BYTES, &f, err);
	if (st)
		return st;
	reader r = { .path = path, .problems = problems, .max_problems = max_problems };
	jup_csv csv;
	jup_ingest_csv_init(&csv, f.data ? f.data : "", f.len);
	st = read_all(d, &r, &csv, err);
	jup_ingest_csv_free(&csv);
	jup_file_unmap(&f);
	if (!st && d->n > UINT32_MAX)
		st = jup_err_set(err, JUP_ERR_LIMIT, "\"%s\" has more than %u records", path,
				 UINT32_MAX);
	if (!st && r.nproblems)
		st = jup_err_set(err, JUP_ERR_INVALID, "\"%s\": %lld problem%s", path,
				 (long long)r.nproblems, r.nproblems == 1 ? "" : "s");
	return st;
}

void link_dataset_free(link_dataset *d)
{
	free(d->recs);
	free(d->id_at);
	jup_buf_free(&d->ids);
	memset(d, 0, sizeof *d);
}
