/* jup_buf.c - growable byte buffer with a maximum. */
#include "core/jup_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void jup_buf_init(jup_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : SIZE_MAX / 2;
}

void jup_buf_free(jup_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

jup_status jup_buf_reserve(jup_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return JUP_ERR_LIMIT;
	size_t need = b->len + extra + 1; /* room for the trailing NUL */
	if (need <= b->cap)
		return JUP_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return JUP_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return JUP_OK;
}

jup_status jup_buf_append(jup_buf *b, const void *p, size_t n)
{
	jup_status st = jup_buf_reserve(b, n);
	if (st)
		return st;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return JUP_OK;
}

jup_status jup_buf_append_sv(jup_buf *b, jup_sv s)
{
	return jup_buf_append(b, s.ptr, s.len);
}

jup_status jup_buf_append_cstr(jup_buf *b, const char *s)
{
	return jup_buf_append(b, s, strlen(s));
}

jup_status jup_buf_append_char(jup_buf *b, char c)
{
	return jup_buf_append(b, &c, 1);
}

const char *jup_fmt_i64(char tmp[24], int64_t v, size_t *len)
{
	size_t n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[23 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[23 - n++] = '-';
	*len = n;
	return tmp + 24 - n;
}

jup_status jup_buf_append_i64(jup_buf *b, int64_t v)
{
	char tmp[24];
	size_t n;
	const char *digits = jup_fmt_i64(tmp, v, &n);
	return jup_buf_append(b, digits, n);
}

jup_status jup_buf_appendf(jup_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return JUP_ERR_INTERNAL;
	jup_status st = jup_buf_reserve(b, (size_t)n);
	if (st)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return JUP_OK;
}

jup_status jup_buf_append_csv_field(jup_buf *b, jup_sv s)
{
	bool quote = false;
	for (size_t i = 0; i < s.len && !quote; i++)
		quote = s.ptr[i] == ',' || s.ptr[i] == '"' || s.ptr[i] == '\r' ||
			s.ptr[i] == '\n';
	if (!quote)
		return jup_buf_append_sv(b, s);
	jup_status st = jup_buf_append_char(b, '"');
	for (size_t i = 0; i < s.len && !st; i++) {
		if (s.ptr[i] == '"')
			st = jup_buf_append_char(b, '"');
		if (!st)
			st = jup_buf_append_char(b, s.ptr[i]);
	}
	return st ? st : jup_buf_append_char(b, '"');
}
