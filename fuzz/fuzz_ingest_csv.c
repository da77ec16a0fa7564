/*
 * fuzz_ingest_csv.c - libFuzzer target for the CSV reader.
 *
 * Reads every record of the input until JUP_ERR_NOT_FOUND, going on after
 * errors as the importer does, and checks the reader's promises: every call
 * moves forward, the loop ends, views lie inside the input or the scratch
 * buffer, fields respect the limits, line numbers never go back and errors
 * carry a reason. Each good record is also written back out with
 * jup_buf_append_csv_field and read again: it must come back the same.
 */
#include "core/jup_buf.h"
#include "ingest/jup_ingest_csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 12 /* below JUP_CSV_MAX_FIELDS, so both field limits are hit */

static void check(bool ok)
{
	if (!ok)
		abort();
}

static bool inside(jup_sv v, const char *base, size_t len)
{
	return base && v.ptr >= base && v.ptr + v.len <= base + len;
}

/* Touch every byte of a view so ASan sees a bad one. */
static unsigned touch(jup_sv v)
{
	unsigned sum = 0;
	for (size_t i = 0; i < v.len; i++)
		sum += (unsigned char)v.ptr[i];
	return sum;
}

/* Write the record as CSV after a byte order mark (so a first field that
 * itself starts with one survives), read it back and compare. A record of
 * one empty field is written as an empty line, which the reader skips, so
 * it is left out. */
static void round_trip(const jup_sv *f, size_t n)
{
	if (n == 1 && f[0].len == 0)
		return;
	jup_buf b;
	jup_buf_init(&b, 0);
	check(jup_buf_append_cstr(&b, "\xEF\xBB\xBF") == JUP_OK);
	for (size_t i = 0; i < n; i++) {
		check(jup_buf_append(&b, ",", i ? 1 : 0) == JUP_OK);
		check(jup_buf_append_csv_field(&b, f[i]) == JUP_OK);
	}
	check(jup_buf_append_char(&b, '\n') == JUP_OK);
	jup_csv c;
	jup_sv g[MAX_FIELDS];
	size_t m;
	int64_t line;
	jup_err err;
	jup_ingest_csv_init(&c, b.data, b.len);
	check(jup_ingest_csv_next(&c, g, MAX_FIELDS, &m, &line, &err) == JUP_OK);
	check(m == n && line == 1);
	for (size_t i = 0; i < n; i++)
		check(jup_sv_eq(f[i], g[i]));
	check(jup_ingest_csv_next(&c, g, MAX_FIELDS, &m, &line, &err) == JUP_ERR_NOT_FOUND);
	jup_ingest_csv_free(&c);
	jup_buf_free(&b);
}

static void good_record(const jup_csv *c, const jup_sv *f, size_t n)
{
	volatile unsigned sink = 0;
	check(n >= 1 && n <= MAX_FIELDS);
	for (size_t i = 0; i < n; i++) {
		check(inside(f[i], c->data, c->len) ||
		      inside(f[i], c->scratch.data, c->scratch.len));
		check(f[i].len <= JUP_CSV_MAX_FIELD_LEN);
		sink += touch(f[i]);
	}
	(void)sink;
	round_trip(f, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_csv c;
	jup_sv f[MAX_FIELDS];
	int64_t last_line = 0;
	jup_ingest_csv_init(&c, (const char *)data, size);
	for (size_t calls = 0;; calls++) {
		size_t n, before = c.pos;
		int64_t line;
		jup_err err = { "" };
		jup_status st = jup_ingest_csv_next(&c, f, MAX_FIELDS, &n, &line, &err);
		check(calls <= size);
		if (st == JUP_ERR_NOT_FOUND)
			break;
		check(c.pos > before && c.pos <= size);
		check(line > last_line && c.line >= line);
		last_line = line;
		if (st == JUP_OK)
			good_record(&c, f, n);
		else
			check((st == JUP_ERR_INVALID || st == JUP_ERR_LIMIT) && n == 0 &&
			      err.msg[0] != '\0');
	}
	jup_ingest_csv_free(&c);
	return 0;
}
