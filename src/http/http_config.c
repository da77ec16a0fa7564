/*
 * http_config.c - the server's settings: defaults, the config file
 * ("key = value" lines) and the checks that they hang together.
 */
#include "http/jup_http.h"

#include "core/jup_file.h"
#include "core/jup_limits.h"
#include "core/jup_str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jup_http_config_defaults(jup_http_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->host, sizeof c->host, "127.0.0.1");
	c->port = 8080;
	snprintf(c->access_log, sizeof c->access_log, "-");
	c->log_addresses = JUP_HTTP_LOG_ADDR_HASH;
	c->max_body_bytes = JUP_HTTP_MAX_BODY_BYTES;
	c->max_header_bytes = 32 * 1024;
	c->max_connections = 4096;
	c->max_connections_per_address = 64;
	c->connection_timeout = 60;
	c->rate_per_address = 100;
	c->burst_per_address = 200;
	c->rate_per_token = 100;
	c->burst_per_token = 200;
	c->token_lifetime = 3600;
	c->break_glass_token_lifetime = 900;
	c->shutdown_timeout = 30;
}

typedef enum key_kind { K_STR, K_PORT, K_INT, K_SIZE, K_RATE, K_SECONDS, K_ADDRLOG } key_kind;

/* One setting: its key, its kind, where it lives and its bounds. */
typedef struct key_def {
	const char *key;
	key_kind kind;
	size_t off, cap; /* offset in the config; string capacity */
	int64_t min, max;
} key_def;

#define STR(k, f)            { k, K_STR, offsetof(jup_http_config, f), sizeof(((jup_http_config *)0)->f), 0, 0 }
#define NUM(k, kind, f, lo, hi) { k, kind, offsetof(jup_http_config, f), 0, lo, hi }

static const key_def keys[] = {
	STR("db", db),
	STR("host", host),
	NUM("port", K_PORT, port, 0, 65535),
	STR("base_url", base_url),
	NUM("threads", K_INT, threads, 0, JUP_HTTP_MAX_THREADS),
	NUM("workers", K_INT, workers, 0, JUP_HTTP_MAX_THREADS),
	STR("tls_cert", tls_cert),
	STR("tls_key", tls_key),
	STR("access_log", access_log),
	NUM("log_addresses", K_ADDRLOG, log_addresses, 0, 0),
	NUM("max_body_bytes", K_SIZE, max_body_bytes, 1024, JUP_HTTP_MAX_BODY_BYTES),
	NUM("max_header_bytes", K_SIZE, max_header_bytes, 4096, JUP_HTTP_MAX_HEADER_BYTES),
	NUM("max_connections", K_INT, max_connections, 1, 100000),
	NUM("max_connections_per_address", K_INT, max_connections_per_address, 1, 100000),
	NUM("connection_timeout", K_INT, connection_timeout, 1, 3600),
	NUM("rate_per_address", K_RATE, rate_per_address, 0, 1000000),
	NUM("burst_per_address", K_RATE, burst_per_address, 1, 1000000),
	NUM("rate_per_token", K_RATE, rate_per_token, 0, 1000000),
	NUM("burst_per_token", K_RATE, burst_per_token, 1, 1000000),
	NUM("token_lifetime", K_SECONDS, token_lifetime, 1, 43200),
	NUM("break_glass_token_lifetime", K_SECONDS, break_glass_token_lifetime, 1, 43200),
	NUM("shutdown_timeout", K_INT, shutdown_timeout, 0, 3600),
};

static const key_def *key_find(jup_sv k)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (jup_sv_eq_cstr(k, keys[i].key))
			return &keys[i];
	return NULL;
}

/* A whole decimal number in [min, max]; false otherwise. */
static bool parse_int(jup_sv v, int64_t min, int64_t max, int64_t *out)
{
	if (v.len == 0 || v.len > 18)
		return false;
	int64_t n = 0;
	for (size_t i = 0; i < v.len; i++) {
		if (v.ptr[i] < '0' || v.ptr[i] > '9')
			return false;
		n = n * 10 + (v.ptr[i] - '0');
	}
	if (n < min || n > max)
		return false;
	*out = n;
	return true;
}

/* A non-negative decimal number (digits, one optional point) in [min, max]. */
static bool parse_rate(jup_sv v, double min, double max, double *out)
{
	char tmp[32];
	if (v.len == 0 || v.len >= sizeof tmp)
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (!((v.ptr[i] >= '0' && v.ptr[i] <= '9') || v.ptr[i] == '.'))
			return false;
	memcpy(tmp, v.ptr, v.len);
	tmp[v.len] = '\0';
	char *end;
	errno = 0;
	double d = strtod(tmp, &end);
	if (errno || *end || !isfinite(d) || d < min || d > max)
		return false;
	*out = d;
	return true;
}

/* A string value: printable ASCII, fits. */
static const char *set_str(const key_def *k, jup_sv v, jup_http_config *c)
{
	if (v.len >= k->cap)
		return "too long";
	for (size_t i = 0; i < v.len; i++)
		if ((unsigned char)v.ptr[i] < 0x20 || v.ptr[i] == 0x7f)
			return "control characters are not allowed";
	char *dst = (char *)c + k->off;
	memcpy(dst, v.ptr, v.len);
	dst[v.len] = '\0';
	return NULL;
}

static const char *set_addrlog(jup_sv v, jup_http_config *c)
{
	if (jup_sv_eq_cstr(v, "hash"))
		c->log_addresses = JUP_HTTP_LOG_ADDR_HASH;
	else if (jup_sv_eq_cstr(v, "full"))
		c->log_addresses = JUP_HTTP_LOG_ADDR_FULL;
	else if (jup_sv_eq_cstr(v, "none"))
		c->log_addresses = JUP_HTTP_LOG_ADDR_NONE;
	else
		return "expected hash, full or none";
	return NULL;
}

/* Set key k to v in c; NULL, or why not. */
static const char *set_value(const key_def *k, jup_sv v, jup_http_config *c)
{
	static char why[96];
	void *at = (char *)c + k->off;
	int64_t n;
	double d;
	switch (k->kind) {
	case K_STR:
		return set_str(k, v, c);
	case K_ADDRLOG:
		return set_addrlog(v, c);
	case K_RATE:
		if (!parse_rate(v, (double)k->min, (double)k->max, &d))
			return "expected a number of requests";
		*(double *)at = d;
		return NULL;
	default:
		break;
	}
	if (!parse_int(v, k->min, k->max, &n)) {
		snprintf(why, sizeof why, "expected a whole number from %lld to %lld",
			 (long long)k->min, (long long)k->max);
		return why;
	}
	if (k->kind == K_PORT)
		*(uint16_t *)at = (uint16_t)n;
	else if (k->kind == K_SIZE)
		*(size_t *)at = (size_t)n;
	else if (k->kind == K_SECONDS)
		*(int64_t *)at = n;
	else if (k->off == offsetof(jup_http_config, threads) ||
		 k->off == offsetof(jup_http_config, workers))
		*(int *)at = (int)n;
	else
		*(unsigned *)at = (unsigned)n;
	return NULL;
}

/* One line: blank, a comment or "key = value". */
static jup_status parse_line(const char *name, int lineno, jup_sv line, jup_http_config *c,
			     jup_err *err)
{
	const char *hash = memchr(line.ptr, '#', line.len);
	if (hash)
		line.len = (size_t)(hash - line.ptr);
	line = jup_sv_trim(line);
	if (line.len == 0)
		return JUP_OK;
	const char *eq = memchr(line.ptr, '=', line.len);
	if (!eq)
		return jup_err_set(err, JUP_ERR_INVALID, "%s:%d: expected \"key = value\"", name,
				   lineno);
	jup_sv key = jup_sv_trim((jup_sv){ line.ptr, (size_t)(eq - line.ptr) });
	jup_sv val = jup_sv_trim((jup_sv){ eq + 1, line.len - (size_t)(eq - line.ptr) - 1 });
	const key_def *k = key_find(key);
	if (!k)
		return jup_err_set(err, JUP_ERR_INVALID, "%s:%d: %.*s: unknown setting", name,
				   lineno, (int)(key.len > 64 ? 64 : key.len), key.ptr);
	const char *why = set_value(k, val, c);
	if (why)
		return jup_err_set(err, JUP_ERR_INVALID, "%s:%d: %s: %s", name, lineno, k->key,
				   why);
	return JUP_OK;
}

jup_status jup_http_config_parse(const char *name, const char *text, size_t len,
				 jup_http_config *c, jup_err *err)
{
	jup_http_config tmp = *c;
	size_t at = 0;
	for (int lineno = 1; at < len; lineno++) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		if (n > JUP_HTTP_MAX_CONFIG_LINE)
			return jup_err_set(err, JUP_ERR_LIMIT,
					   "%s:%d: line longer than " JUP_STR(
						   JUP_HTTP_MAX_CONFIG_LINE) " bytes",
					   name, lineno);
		jup_sv line = { text + at, n };
		if (n && line.ptr[n - 1] == '\r')
			line.len--;
		jup_status s = parse_line(name, lineno, line, &tmp, err);
		if (s)
			return s;
		at += n + (nl ? 1 : 0);
	}
	*c = tmp;
	return JUP_OK;
}

jup_status jup_http_config_load(const char *path, jup_http_config *c, jup_err *err)
{
	jup_file f;
	jup_status s = jup_file_map(path, 1024 * 1024, &f, err);
	if (s)
		return s;
	s = jup_http_config_parse(path, f.data ? f.data : "", f.len, c, err);
	jup_file_unmap(&f);
	return s;
}

jup_status jup_http_config_set(jup_http_config *c, const char *key, const char *value,
			       jup_err *err)
{
	const key_def *k = key_find(jup_sv_from(key));
	if (!k)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: unknown setting", key);
	const char *why = set_value(k, jup_sv_from(value), c);
	if (why)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: %s", key, why);
	return JUP_OK;
}

/* An IPv4 or IPv6 literal, as the server binds it (checked here so that a
 * bad host is a usage error, not a failure to start). */
static bool host_ok(const char *host)
{
	unsigned char a[16];
	return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

jup_status jup_http_config_check(const jup_http_config *c, jup_err *err)
{
	if (!c->db[0])
		return jup_err_set(err, JUP_ERR_INVALID, "db: no database given");
	if (!c->host[0])
		return jup_err_set(err, JUP_ERR_INVALID, "host: no listen address given");
	if (!host_ok(c->host))
		return jup_err_set(err, JUP_ERR_INVALID,
				   "host: \"%s\" is not an IPv4 or IPv6 address", c->host);
	if (!c->tls_cert[0] != !c->tls_key[0])
		return jup_err_set(err, JUP_ERR_INVALID,
				   "tls_cert, tls_key: give both files or neither");
	if (c->max_body_bytes > JUP_HTTP_MAX_BODY_BYTES ||
	    c->max_header_bytes > JUP_HTTP_MAX_HEADER_BYTES)
		return jup_err_set(err, JUP_ERR_INVALID, "a size limit is past the hard cap");
	if (c->max_connections_per_address > c->max_connections)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "max_connections_per_address: more than max_connections");
	return JUP_OK;
}
