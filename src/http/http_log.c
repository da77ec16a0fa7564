/*
 * http_log.c - the access log: one JSON object a line per request, written
 * through a buffer flushed once a second and at shutdown.
 *
 * A line names the route pattern ("/fhir/Patient/{id}"), never the URL as
 * sent, so no identifier or search term in a path or query string reaches
 * the log; the signed-in user appears by id and role; the client address
 * as a keyed hash (stable while the process runs, useless outside it)
 * unless the config says otherwise.
 */
#include "http/http_internal.h"

#include "core/jup_hex.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LOG_FLUSH_AT (64 * 1024)

jup_status http_log_open(http_server *s, jup_err *err)
{
	pthread_mutex_init(&s->log_mu, NULL);
	jup_buf_init(&s->logbuf, 0);
	const char *p = s->cfg.access_log;
	if (!p[0])
		return JUP_OK;
	if (strcmp(p, "-") == 0) {
		s->log = stderr;
		return JUP_OK;
	}
	s->log = fopen(p, "a");
	if (!s->log)
		return jup_err_set(err, JUP_ERR_IO, "could not open the access log \"%s\": %s", p,
				   strerror(errno));
	s->log_owned = true;
	return JUP_OK;
}

static void flush_locked(http_server *s)
{
	if (s->log && s->logbuf.len) {
		fwrite(s->logbuf.data, 1, s->logbuf.len, s->log);
		fflush(s->log);
	}
	jup_buf_reset(&s->logbuf);
}

void http_log_flush(http_server *s)
{
	pthread_mutex_lock(&s->log_mu);
	flush_locked(s);
	pthread_mutex_unlock(&s->log_mu);
}

void http_log_close(http_server *s)
{
	http_log_flush(s);
	if (s->log_owned)
		fclose(s->log);
	s->log = NULL;
	jup_buf_free(&s->logbuf);
	pthread_mutex_destroy(&s->log_mu);
}

static void client_field(const http_server *s, const http_req *r, char *out, size_t cap)
{
	if (s->cfg.log_addresses == JUP_HTTP_LOG_ADDR_NONE || r->addr_len == 0) {
		snprintf(out, cap, "null");
	} else if (s->cfg.log_addresses == JUP_HTTP_LOG_ADDR_FULL) {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(r->addr_len == 4 ? AF_INET : AF_INET6, r->addr, a, sizeof a);
		snprintf(out, cap, "\"%s\"", a);
	} else {
		uint8_t h[8];
		char hex[17];
		crypto_shorthash(h, r->addr, (unsigned long long)r->addr_len, s->addr_key);
		jup_hex_encode(h, sizeof h, hex);
		hex[16] = '\0';
		snprintf(out, cap, "\"%s\"", hex);
	}
}

static const char *method_name(http_method m)
{
	static const char *const names[] = { "GET", "POST", "PUT", "HEAD", "OTHER" };
	return names[m];
}

static void now_utc(char out[40])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 40 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

static void append_line(http_server *s, const char *line, size_t n)
{
	pthread_mutex_lock(&s->log_mu);
	if (jup_buf_append(&s->logbuf, line, n) == JUP_OK && s->logbuf.len >= LOG_FLUSH_AT)
		flush_locked(s);
	pthread_mutex_unlock(&s->log_mu);
}

void http_log_request(http_server *s, const http_req *r)
{
	if (!s->log)
		return;
	char ts[40], client[64], user[96], line[640];
	now_utc(ts);
	client_field(s, r, client, sizeof client);
	if (r->authed)
		snprintf(user, sizeof user, "%lld,\"role\":\"%s\"", (long long)r->grant.user.id,
			 jup_role_name(r->grant.user.role));
	else
		snprintf(user, sizeof user, "null");
	uint64_t us = (http_now_ns() - r->started_ns) / 1000u;
	int n = snprintf(line, sizeof line,
			 "{\"ts\":\"%s\",\"rid\":\"%s\",\"method\":\"%s\",\"route\":\"%s\","
			 "\"status\":%u,\"bytes\":%zu,\"us\":%llu,\"client\":%s,\"user\":%s}\n",
			 ts, r->rid, method_name(r->method),
			 r->route ? r->route->pattern : "unmatched", r->status, r->resp_len,
			 (unsigned long long)us, client, user);
	if (n > 0 && (size_t)n < sizeof line)
		append_line(s, line, (size_t)n);
}

void http_log_event(http_server *s, const char *event, const char *detail)
{
	if (!s->log)
		return;
	char ts[40], line[640];
	now_utc(ts);
	int n = snprintf(line, sizeof line, "{\"ts\":\"%s\",\"event\":\"%s\",\"detail\":\"%s\"}\n",
			 ts, event, detail);
	if (n > 0 && (size_t)n < sizeof line)
		append_line(s, line, (size_t)n);
	if (strcmp(event, "start") == 0 || strcmp(event, "stop") == 0)
		http_log_flush(s);
}
