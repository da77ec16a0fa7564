/*
 * http_params.c - query and form parameters: bounded copies, form-body
 * decoding, and the paging parameters every search takes.
 */
#include "http/http_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool bad(http_req *r, const char *why)
{
	r->params_bad = true;
	if (!r->bad_why[0])
		snprintf(r->bad_why, sizeof r->bad_why, "%s", why);
	return false;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

bool http_params_add(http_req *r, const char *key, size_t klen, const char *value, size_t vlen)
{
	if (r->nparams >= JUP_HTTP_MAX_PARAMS)
		return bad(r, "more than " JUP_STR(JUP_HTTP_MAX_PARAMS) " parameters");
	if (klen == 0 || klen > 64 || vlen > JUP_HTTP_MAX_PARAM_BYTES)
		return bad(r, "a parameter name or value is too long");
	for (size_t i = 0; i < klen; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			return bad(r, "a parameter name has control characters");
	for (size_t i = 0; i < vlen; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return bad(r, "a parameter value has control characters");
	http_kv *p = &r->params[r->nparams];
	p->key = dup_n(key, klen);
	p->value = dup_n(value, vlen);
	if (!p->key || !p->value) {
		free(p->key);
		free(p->value);
		return bad(r, "out of memory");
	}
	r->nparams++;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into out (at least n bytes); the decoded
 * length, or -1 for a malformed escape or a NUL byte. */
static long url_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return -1;
		out[o++] = c;
	}
	return (long)o;
}

bool http_params_parse_form(http_req *r, const char *body, size_t len)
{
	char key[JUP_HTTP_MAX_PARAM_BYTES * 3 + 1], val[JUP_HTTP_MAX_PARAM_BYTES * 3 + 1];
	size_t at = 0;
	while (at < len) {
		const char *amp = memchr(body + at, '&', len - at);
		size_t n = amp ? (size_t)(amp - (body + at)) : len - at;
		const char *pair = body + at;
		at += n + (amp ? 1 : 0);
		if (n == 0)
			continue;
		const char *eq = memchr(pair, '=', n);
		size_t kn = eq ? (size_t)(eq - pair) : n;
		size_t vn = eq ? n - kn - 1 : 0;
		if (kn >= sizeof key || vn >= sizeof val)
			return bad(r, "a form field is too long");
		long k = url_decode(pair, kn, key);
		long v = eq ? url_decode(eq + 1, vn, val) : 0;
		if (k < 0 || v < 0)
			return bad(r, "the form is not properly encoded");
		if (!http_params_add(r, key, (size_t)k, val, (size_t)v))
			return false;
	}
	return true;
}

bool http_params_add_basic(http_req *r, const char *b64)
{
	unsigned char raw[192];
	char id[192], secret[192];
	size_t n = 0;
	if (sodium_base642bin(raw, sizeof raw - 1, b64, strlen(b64), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return bad(r, "Authorization: Basic credentials are not base64");
	const unsigned char *colon = memchr(raw, ':', n);
	if (!colon)
		return bad(r, "Authorization: Basic credentials need client_id:client_secret");
	size_t idn = (size_t)(colon - raw);
	long a = url_decode((const char *)raw, idn, id);
	long b = url_decode((const char *)colon + 1, n - idn - 1, secret);
	if (a <= 0 || b <= 0)
		return bad(r, "Authorization: Basic credentials are not properly encoded");
	bool ok = http_params_add(r, "client_id", 9, id, (size_t)a) &&
		  http_params_add(r, "client_secret", 13, secret, (size_t)b);
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(secret, sizeof secret);
	return ok;
}

const char *http_param(const http_req *r, const char *key)
{
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].key, key) == 0)
			return r->params[i].value;
	return NULL;
}

int http_param_count(const http_req *r, const char *key)
{
	int n = 0;
	for (int i = 0; i < r->nparams; i++)
		n += strcmp(r->params[i].key, key) == 0;
	return n;
}

void http_params_free(http_req *r)
{
	for (int i = 0; i < r->nparams; i++) {
		free(r->params[i].key);
		free(r->params[i].value);
	}
	r->nparams = 0;
}

/* A whole number in [lo, hi] from s (the default when absent). */
static bool page_value(const char *s, int lo, int hi, int dflt, int *out)
{
	if (!s) {
		*out = dflt;
		return true;
	}
	size_t n = strlen(s);
	if (n == 0 || n > 6)
		return false;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool http_param_page(http_req *r, int *count, int *offset)
{
	if (!page_value(http_param(r, "_count"), 0, JUP_HTTP_MAX_PAGE, JUP_HTTP_DEFAULT_PAGE,
			count)) {
		http_reply_outcome(r, 400, "invalid",
				   "_count: expected a whole number from 0 to " JUP_STR(
					   JUP_HTTP_MAX_PAGE));
		return false;
	}
	if (!page_value(http_param(r, "_offset"), 0, JUP_HTTP_MAX_OFFSET, 0, offset)) {
		http_reply_outcome(r, 400, "invalid",
				   "_offset: expected a whole number from 0 to " JUP_STR(
					   JUP_HTTP_MAX_OFFSET));
		return false;
	}
	return true;
}
