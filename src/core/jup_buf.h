/*
 * jup_buf.h - a growable byte buffer with a hard maximum.
 *
 * Appends past the maximum fail with JUP_ERR_LIMIT and leave the buffer as it
 * was; allocation failure gives JUP_ERR_NOMEM. The buffer always keeps a NUL
 * after its contents so data can be handed to C APIs.
 */
#ifndef JUP_BUF_H
#define JUP_BUF_H

#include "core/jup_status.h"
#include "core/jup_str.h"

#include <stdint.h>

typedef struct jup_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0: no maximum beyond SIZE_MAX/2 */
} jup_buf;

/* jup_buf_init: an empty buffer that will never grow past max bytes. */
void jup_buf_init(jup_buf *b, size_t max);

/* jup_buf_free: release the buffer's memory; it is empty and reusable. */
void jup_buf_free(jup_buf *b);

/* jup_buf_reset: forget the contents, keep the memory. */
static inline void jup_buf_reset(jup_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* jup_buf_reserve: make room for extra more bytes. */
jup_status jup_buf_reserve(jup_buf *b, size_t extra) JUP_MUST_CHECK;

/* jup_buf_append: append n bytes. */
jup_status jup_buf_append(jup_buf *b, const void *p, size_t n) JUP_MUST_CHECK;

/* jup_buf_append_sv / _cstr / _char: convenience appends. */
jup_status jup_buf_append_sv(jup_buf *b, jup_sv s) JUP_MUST_CHECK;
jup_status jup_buf_append_cstr(jup_buf *b, const char *s) JUP_MUST_CHECK;
jup_status jup_buf_append_char(jup_buf *b, char c) JUP_MUST_CHECK;

/* jup_fmt_i64: format v in decimal into the end of tmp (no NUL); returns
 * where the digits start and sets *len. For hot loops that cannot afford
 * printf. */
const char *jup_fmt_i64(char tmp[24], int64_t v, size_t *len);

/* jup_buf_append_i64: append a decimal integer. */
jup_status jup_buf_append_i64(jup_buf *b, int64_t v) JUP_MUST_CHECK;

/* jup_buf_appendf: append printf-style formatted text. */
jup_status jup_buf_appendf(jup_buf *b, const char *fmt, ...) JUP_PRINTF(2, 3)
	JUP_MUST_CHECK;

/* jup_buf_append_csv_field: append s as one RFC 4180 CSV field, quoted only
 * when it holds a comma, quote, CR or LF. */
jup_status jup_buf_append_csv_field(jup_buf *b, jup_sv s) JUP_MUST_CHECK;

/* jup_buf_sv: a view of the current contents (valid until the next append). */
static inline jup_sv jup_buf_sv(const jup_buf *b)
{
	return (jup_sv){ b->data ? b->data : "", b->len };
}

#endif
