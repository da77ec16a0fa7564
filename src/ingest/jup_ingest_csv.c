/*
 * jup_ingest_csv.c - a strict, streaming RFC 4180 CSV reader over memory.
 *
 * The hot path is the unquoted field: one table lookup per byte until a
 * comma, line break, quote or NUL. A quoted field without doubled quotes is
 * also returned as a view into the input; only a field holding "" is copied
 * (unescaped) into the scratch buffer. The scratch buffer is reserved once,
 * at its full size, the first time it is needed, so it never moves while a
 * record is being read and views into it stay valid until the next call.
 *
 * Errors come in two kinds:
 *  - broken structure (unterminated quote, quote inside an unquoted field,
 *    text after a closing quote, lone CR, NUL): the reader stops where it
 *    noticed and skips to just past the next LF;
 *  - a limit (field or row too long, too many fields): the record itself is
 *    well formed, so the reader reads on to its real end (storing nothing
 *    more) and the next call starts on the next record's line. A broken
 *    structure found while doing so wins and is handled as above.
 * Either way each call moves forward by at least one byte, so a caller
 * that loops until JUP_ERR_NOT_FOUND always terminates.
 */
#include "ingest/jup_ingest_csv.h"

#include <string.h>

/* Everything quoted fields of one record can need: the unescaped content of
 * the fields before the current one is at most the raw row (checked at each
 * field end) and the current field adds at most one field's worth. */
#define SCRATCH_MAX ((size_t)JUP_CSV_MAX_ROW_LEN + JUP_CSV_MAX_FIELD_LEN)

#define SP_UNQ 1 /* stops an unquoted field */
#define SP_QUO 2 /* needs a look inside a quoted field */

static const unsigned char special[256] = {
	[0] = SP_UNQ | SP_QUO, ['\n'] = SP_UNQ | SP_QUO, ['"'] = SP_UNQ | SP_QUO,
	['\r'] = SP_UNQ,       [','] = SP_UNQ,
};

/* The state of the record being read. */
typedef struct rec {
	jup_csv *c;
	const char *p;     /* cursor */
	const char *end;   /* end of input */
	const char *start; /* first byte of the record */
	int64_t line;      /* physical line of *p */
	jup_sv *fields;
	size_t limit;    /* fields that may be stored: min(max, JUP_CSV_MAX_FIELDS) */
	size_t max;      /* the caller's max, for the message */
	size_t n;        /* fields stored */
	size_t col;      /* 1-based number of the field being read */
	jup_status over; /* first limit passed (the record is read on to its end) */
	jup_err *err;
} rec;

void jup_ingest_csv_init(jup_csv *c, const char *data, size_t len)
{
	c->data = data ? data : "";
	c->len = data ? len : 0;
	c->pos = 0;
	c->line = 1;
	jup_buf_init(&c->scratch, SCRATCH_MAX);
	if (c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
}

void jup_ingest_csv_free(jup_csv *c)
{
	jup_buf_free(&c->scratch);
}

/* The limits: the first one passed is reported; after it nothing more of
 * the record is stored, but it is read on to its end. */
static void field_too_long(rec *r)
{
	if (!r->over)
		r->over = jup_err_set(r->err, JUP_ERR_LIMIT, "column %zu: longer than %d bytes",
				      r->col, JUP_CSV_MAX_FIELD_LEN);
}

static void row_too_long(rec *r)
{
	if (!r->over)
		r->over = jup_err_set(r->err, JUP_ERR_LIMIT, "row longer than %d bytes",
				      JUP_CSV_MAX_ROW_LEN);
}

static void too_many_fields(rec *r)
{
	if (r->over)
		return;
	if (r->limit == r->max)
		r->over = jup_err_set(r->err, JUP_ERR_LIMIT, "more than %zu fields", r->max);
	else
		r->over = jup_err_set(r->err, JUP_ERR_LIMIT, "more than %d fields (the limit)",
				      JUP_CSV_MAX_FIELDS);
}

/* Broken structure at p: leave the cursor there and fail. */
static jup_status broken(rec *r, const char *p, const char *what)
{
	r->p = p;
	jup_err_set(r->err, JUP_ERR_INVALID, "column %zu: %s", r->col, what);
	return JUP_ERR_INVALID;
}

/* Append from..to (part of a quoted field whose unescaped content starts at
 * scratch offset base) to the scratch buffer, unless a limit was passed. */
static jup_status copy_part(rec *r, size_t base, const char *from, const char *to)
{
	jup_buf *b = &r->c->scratch;
	size_t n = (size_t)(to - from);
	if (r->over)
		return JUP_OK;
	if (b->len - base + n > JUP_CSV_MAX_FIELD_LEN) {
		field_too_long(r);
		return JUP_OK;
	}
	if (jup_buf_append(b, from, n) != JUP_OK) { /* cannot happen: see SCRATCH_MAX */
		jup_err_set(r->err, JUP_ERR_INTERNAL, "csv scratch buffer overflow");
		return JUP_ERR_INTERNAL;
	}
	return JUP_OK;
}

/* First use of the scratch buffer: reserve all of it so it never moves. */
static jup_status scratch_ready(rec *r)
{
	jup_buf *b = &r->c->scratch;
	if (b->cap > SCRATCH_MAX)
		return JUP_OK;
	if (jup_buf_reserve(b, SCRATCH_MAX) != JUP_OK) {
		jup_err_set(r->err, JUP_ERR_NOMEM, "out of memory reading csv");
		return JUP_ERR_NOMEM;
	}
	return JUP_OK;
}

/* A quoted field: r->p is at the opening quote. Leaves r->p just past the
 * closing quote and the unescaped content in *out. */
static jup_status quoted_field(rec *r, jup_sv *out)
{
	const char *p = r->p + 1, *seg = p, *end = r->end;
	size_t base = 0;
	bool copying = false;
	jup_status st;
	for (;;) {
		while (p < end && !(special[(unsigned char)*p] & SP_QUO))
			p++;
		if (p == end)
			return broken(r, p, "unterminated quoted field");
		if (*p == '\n') {
			r->line++;
			p++;
			continue;
		}
		if (*p == '\0')
			return broken(r, p, "nul byte");
		if (p + 1 == end || p[1] != '"')
			break; /* the closing quote */
		if (!copying) {
			if ((st = scratch_ready(r)) != JUP_OK) {
				r->p = p;
				return st;
			}
			base = r->c->scratch.len;
			copying = true;
		}
		if ((st = copy_part(r, base, seg, p + 1)) != JUP_OK)
			return st;
		p += 2;
		seg = p;
	}
	if (copying) {
		if ((st = copy_part(r, base, seg, p)) != JUP_OK)
			return st;
		*out = (jup_sv){ r->c->scratch.data + base, r->c->scratch.len - base };
	} else {
		*out = (jup_sv){ seg, (size_t)(p - seg) };
		if (out->len > JUP_CSV_MAX_FIELD_LEN)
			field_too_long(r);
	}
	r->p = p + 1;
	return JUP_OK;
}

/* An unquoted field: scan to the first byte that can end or break it. */
static void unquoted_field(rec *r, jup_sv *out)
{
	const char *p = r->p, *end = r->end;
	while (p < end && !special[(unsigned char)*p])
		p++;
	*out = (jup_sv){ r->p, (size_t)(p - r->p) };
	r->p = p;
	if (out->len > JUP_CSV_MAX_FIELD_LEN)
		field_too_long(r);
}

/* Keep a field (unless a limit was passed) and check the row so far. */
static void store_field(rec *r, jup_sv v)
{
	if ((size_t)(r->p - r->start) > JUP_CSV_MAX_ROW_LEN)
		row_too_long(r);
	if (r->over)
		return;
	if (r->n == r->limit) {
		too_many_fields(r);
		return;
	}
	r->fields[r->n++] = v;
}

/* After a field: a comma (1: another field follows), the end of the record
 * (0) or broken structure (an error status). */
static int field_end(rec *r, bool was_quoted, jup_status *st)
{
	const char *p = r->p;
	if (p == r->end)
		return 0;
	switch (*p) {
	case ',':
		r->p = p + 1;
		r->col++;
		return 1;
	case '\n':
		r->p = p + 1;
		r->line++;
		return 0;
	case '\r':
		if (p + 1 < r->end && p[1] == '\n') {
			r->p = p + 2;
			r->line++;
			return 0;
		}
		*st = broken(r, p, "carriage return without line feed");
		return -1;
	case '\0':
		*st = broken(r, p, "nul byte");
		return -1;
	default:
		*st = broken(r, p,
			     was_quoted ? "text after a closing quote"
					: "quote inside an unquoted field");
		return -1;
	}
}

/* Read fields until the end of the record. */
static jup_status read_record(rec *r)
{
	jup_status st = JUP_OK;
	for (;;) {
		jup_sv v = { NULL, 0 }; /* set by both readers; gcc -O2 cannot tell */
		bool q = r->p < r->end && *r->p == '"';
		if (!q)
			unquoted_field(r, &v);
		else if ((st = quoted_field(r, &v)) != JUP_OK)
			return st;
		store_field(r, v);
		int more = field_end(r, q, &st);
		if (more < 0)
			return st;
		if (!more)
			return r->over;
	}
}

/* Skip LF and CRLF lines that hold nothing. */
static void skip_empty_lines(jup_csv *c)
{
	const char *d = c->data;
	while (c->pos < c->len) {
		if (d[c->pos] == '\n')
			c->pos++;
		else if (d[c->pos] == '\r' && c->pos + 1 < c->len && d[c->pos + 1] == '\n')
			c->pos += 2;
		else
			break;
		c->line++;
	}
}

/* After broken structure at p (on physical line `line`): go past the next LF. */
static void skip_past_line(jup_csv *c, const char *p, int64_t line)
{
	const char *end = c->data + c->len;
	const char *lf = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
	c->pos = lf ? (size_t)(lf + 1 - c->data) : c->len;
	c->line = lf ? line + 1 : line;
}

jup_status jup_ingest_csv_next(jup_csv *c, jup_sv *fields, size_t max, size_t *nfields,
			       int64_t *line, jup_err *err)
{
	*nfields = 0;
	skip_empty_lines(c);
	*line = c->line;
	if (c->pos >= c->len)
		return JUP_ERR_NOT_FOUND;
	jup_buf_reset(&c->scratch);
	rec r = {
		.c = c,
		.p = c->data + c->pos,
		.end = c->data + c->len,
		.start = c->data + c->pos,
		.line = c->line,
		.fields = fields,
		.limit = max < JUP_CSV_MAX_FIELDS ? max : JUP_CSV_MAX_FIELDS,
		.max = max,
		.col = 1,
		.err = err,
	};
	jup_status st = read_record(&r);
	if (st != JUP_OK && st != JUP_ERR_LIMIT) {
		skip_past_line(c, r.p, r.line);
		return st;
	}
	c->pos = (size_t)(r.p - c->data);
	c->line = r.line;
	if (st == JUP_OK)
		*nfields = r.n;
	return st;
}
