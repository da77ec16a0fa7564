/*
 * jup_ingest_csv.h - a strict, streaming RFC 4180 CSV reader over memory.
 *
 * The reader walks a caller-owned buffer (usually a mapped file) and returns
 * one record at a time as views. Unquoted fields point into the input;
 * quoted fields are unescaped into the reader's scratch buffer. Views stay
 * valid until the next call. Limits: JUP_CSV_MAX_* in core/jup_limits.h.
 */
#ifndef JUP_INGEST_CSV_H
#define JUP_INGEST_CSV_H

#include "core/jup_buf.h"
#include "core/jup_limits.h"
#include "core/jup_status.h"
#include "core/jup_str.h"

#include <stdint.h>

typedef struct jup_csv {
	const char *data;
	size_t len;
	size_t pos;        /* next byte to read */
	int64_t line;      /* physical line number of data[pos] (1-based) */
	jup_buf scratch;   /* unescaped quoted fields of the current record */
} jup_csv;

/* jup_ingest_csv_init: start reading data[0..len). A UTF-8 byte order mark
 * at the start is skipped. The caller keeps data alive while reading. */
void jup_ingest_csv_init(jup_csv *c, const char *data, size_t len);

/* jup_ingest_csv_free: release the reader's scratch memory. */
void jup_ingest_csv_free(jup_csv *c);

/*
 * jup_ingest_csv_next: read the next record into fields[0..max).
 * Sets *nfields and *line (the physical line the record starts on).
 * Records end at LF or CRLF (a lone CR is an error); a line break inside a
 * quoted field belongs to the field. Empty lines are skipped; a final line
 * without a line break is a record.
 * Returns JUP_OK, JUP_ERR_NOT_FOUND at the end of input, JUP_ERR_INVALID for
 * malformed input (unterminated quote, a quote inside an unquoted field,
 * text after a closing quote, a NUL byte) or JUP_ERR_LIMIT (field, row or
 * field-count limit, or more than max fields), with a reason in err that
 * does not echo the input. After an error the reader has skipped to the start
 * of the next physical line so the caller may go on to report more problems.
 *
 * Clarifications (the implementation's reading of the above):
 * - *nfields is 0 whenever the result is not JUP_OK; *line is always the
 *   line the record (or the failed record) starts on. fields[] is written
 *   at most min(max, JUP_CSV_MAX_FIELDS) entries.
 * - A quoted field holding no doubled quote is also a view into the input;
 *   only fields with "" are copied to the scratch buffer, which is reserved
 *   once at full size so it never moves while a record is read.
 * - JUP_CSV_MAX_FIELD_LEN applies to a field's content (after unescaping);
 *   JUP_CSV_MAX_ROW_LEN to the raw bytes of the record, quotes and embedded
 *   line breaks included, its final line break not.
 * - Inside quotes a CR is field content (a lone CR is only an error where it
 *   would end a record); a NUL is an error anywhere.
 * - After broken structure the reader skips past the next LF after the point
 *   of the error. After a limit (the record is well formed) it skips to the
 *   end of the record, even if a quoted field makes it span several lines.
 * - JUP_ERR_NOMEM when the scratch buffer cannot be allocated (the first
 *   time a doubled quote is met).
 */
jup_status jup_ingest_csv_next(jup_csv *c, jup_sv *fields, size_t max, size_t *nfields,
			       int64_t *line, jup_err *err) JUP_MUST_CHECK;

#endif
