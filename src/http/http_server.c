/*
 * http_server.c - the libmicrohttpd daemon: start and graceful stop, and
 * the access handler that reads a request, routes it and queues the
 * response its workers prepared.
 *
 * libmicrohttpd calls the access handler several times per request: first
 * to announce it (we only set up our request then: queueing a response on
 * that call makes libmicrohttpd close the connection, ../shared/PERF.md),
 * then once per piece of body, then with no body left. On that last call
 * the request is routed; anything needing the store is handed to a worker
 * and the connection suspended. When the worker has prepared the response
 * it resumes the connection and the handler, called again, queues it.
 */
#include "http/http_internal.h"

#include "core/jup_file.h"
#include "core/jup_hex.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

uint64_t http_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static http_method method_of(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return HTTP_GET;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	if (strcmp(m, "PUT") == 0)
		return HTTP_PUT;
	if (strcmp(m, "HEAD") == 0)
		return HTTP_HEAD;
	return HTTP_OTHER;
}

/* Copy header `name` into dst; "" when absent; false when too long. */
static bool copy_header(struct MHD_Connection *c, const char *name, char *dst, size_t cap)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	dst[0] = '\0';
	if (!v)
		return true;
	size_t n = strlen(v);
	if (n >= cap)
		return false;
	memcpy(dst, v, n + 1);
	return true;
}

/* Authorization: a bearer token into r->token, HTTP Basic credentials
 * (a client's, for /auth/token) into r->basic; "" when absent. Another
 * scheme, or one too long, leaves both empty: no usable credentials (401). */
static void read_authorization(http_req *r)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	r->token[0] = r->basic[0] = '\0';
	if (!v)
		return;
	char *dst = NULL;
	size_t cap = 0;
	if (strncasecmp(v, "Bearer ", 7) == 0) {
		dst = r->token;
		cap = sizeof r->token;
	} else if (strncasecmp(v, "Basic ", 6) == 0) {
		dst = r->basic;
		cap = sizeof r->basic;
	}
	if (!dst)
		return;
	v = strchr(v, ' ');
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	if (n && n < cap)
		memcpy(dst, v, n + 1);
}

static enum MHD_Result add_query_param(void *cls, enum MHD_ValueKind kind, const char *key,
				       const char *value)
{
	(void)kind;
	http_req *r = cls;
	const char *v = value ? value : "";
	if (!http_params_add(r, key, strlen(key), v, strlen(v)))
		return MHD_NO;
	return MHD_YES;
}

static void read_address(http_req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	r->addr_len = 0;
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		memcpy(r->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		r->addr_len = 4;
	} else if (sa->sa_family == AF_INET6) {
		memcpy(r->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		r->addr_len = 16;
	}
}

/* The request's headers: what handlers need, copied while they are ours. */
static void read_headers(http_req *r)
{
	char ctype[128];
	read_authorization(r);
	if (!copy_header(r->conn, "If-None-Match", r->if_none_match, sizeof r->if_none_match) ||
	    !copy_header(r->conn, "If-Match", r->if_match, sizeof r->if_match)) {
		r->params_bad = true;
		snprintf(r->bad_why, sizeof r->bad_why, "If-Match, If-None-Match: too long");
	}
	if (copy_header(r->conn, "Content-Type", ctype, sizeof ctype)) {
		r->json_body = strncasecmp(ctype, "application/fhir+json", 21) == 0 ||
			       strncasecmp(ctype, "application/json", 16) == 0;
		r->form_body = strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0;
	}
	if (MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_query_param, r) < 0 ||
	    r->params_bad) {
		r->params_bad = true;
		if (!r->bad_why[0])
			snprintf(r->bad_why, sizeof r->bad_why,
				 "query: more than " JUP_STR(JUP_HTTP_MAX_PARAMS) " parameters or one "
				 "longer than " JUP_STR(JUP_HTTP_MAX_PARAM_BYTES) " bytes");
	}
}

static http_req *req_new(http_server *s, struct MHD_Connection *c, const char *method)
{
	http_req *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->srv = s;
	r->conn = c;
	r->started_ns = http_now_ns();
	uint8_t id[8];
	randombytes_buf(id, sizeof id);
	jup_hex_encode(id, sizeof id, r->rid);
	r->rid[16] = '\0';
	r->method = method_of(method);
	jup_buf_init(&r->body, s->cfg.max_body_bytes);
	atomic_store(&r->state, HTTP_STATE_NEW);
	read_address(r);
	read_headers(r);
	atomic_fetch_add(&s->in_flight, 1);
	return r;
}

static void req_free(http_req *r)
{
	http_params_free(r);
	jup_buf_free(&r->body);
	free(r->resp);
	if (r->cleanup)
		r->cleanup(r);
	free(r->scratch);
	sodium_memzero(r->token, sizeof r->token);
	sodium_memzero(r->basic, sizeof r->basic);
	free(r);
}

/* Take the body piece by piece; past the limit keep reading but drop it. */
static void take_body(http_req *r, const char *data, size_t n)
{
	if (r->body_too_big)
		return;
	if (r->body.len + n > r->srv->cfg.max_body_bytes || jup_buf_append(&r->body, data, n)) {
		r->body_too_big = true;
		jup_buf_free(&r->body);
		jup_buf_init(&r->body, 0);
	}
}

/* Suspend the connection and run the route's start on a worker. */
static void dispatch(http_req *r)
{
	atomic_store(&r->state, HTTP_STATE_WORKING);
	MHD_suspend_connection(r->conn);
	http_defer(r, r->route->auth ? http_authenticate : r->route->start, false);
}

/* Refusals that need no worker: reply now (queued by the caller). */
static bool refuse_early(http_req *r, const char *url)
{
	http_server *s = r->srv;
	unsigned retry;
	bool wrong_method = false;
	if (r->addr_len && !http_rate_take(s->rate_addr, r->addr, (size_t)r->addr_len,
					   r->started_ns, &retry)) {
		r->retry_after = retry;
		http_reply_outcome(r, 429, "throttled",
				   "Too many requests from your address: wait and try again.");
		return true;
	}
	r->route = http_route_find(url, r->method, r, &wrong_method);
	if (!r->route) {
		if (wrong_method)
			http_reply_outcome(r, 405, "not-supported",
					   "This method is not supported on this path.");
		else
			http_reply_outcome(r, 404, "not-found", "There is nothing at this path.");
		return true;
	}
	if (r->body_too_big) {
		http_reply_outcome(r, 413, "too-costly",
				   "The request body is larger than this server accepts.");
		return true;
	}
	if (r->params_bad) {
		http_reply_outcome(r, 400, "invalid", r->bad_why);
		return true;
	}
	if (!r->route->body && r->body.len) {
		http_reply_outcome(r, 400, "invalid", "This request takes no body.");
		return true;
	}
	if (r->route->auth && !r->token[0]) {
		r->www_authenticate = true;
		http_reply_outcome(r, 401, "login", "Sign in first: send a bearer token.");
		return true;
	}
	return false;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	http_server *s = cls;
	http_req *r = *con_cls;
	if (!r) {
		r = req_new(s, c, method);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		return MHD_YES; /* never queue on the first call */
	}
	if (*upload_size) {
		take_body(r, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	int state = atomic_load(&r->state);
	if (state == HTTP_STATE_NEW) {
		if (!refuse_early(r, url)) {
			dispatch(r);
			return MHD_YES;
		}
		state = HTTP_STATE_READY;
	}
	if (state == HTTP_STATE_READY)
		return http_queue_response(r);
	return MHD_YES; /* still working: libmicrohttpd waits */
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	(void)c;
	(void)why;
	http_server *s = cls;
	http_req *r = *con_cls;
	if (!r)
		return;
	*con_cls = NULL;
	if (atomic_load(&r->state) != HTTP_STATE_SENT)
		r->status = 499; /* the client went away before the answer */
	http_log_request(s, r);
	atomic_fetch_add(&s->requests, 1);
	if (r->status >= 500 && r->status != 503)
		atomic_fetch_add(&s->failed, 1);
	else if (r->status >= 400)
		atomic_fetch_add(&s->refused, 1);
	atomic_fetch_sub(&s->in_flight, 1);
	req_free(r);
}

static int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static jup_status read_pem(const char *path, char **out, jup_err *err)
{
	jup_file f;
	jup_status st = jup_file_map(path, 1024 * 1024, &f, err);
	if (st)
		return jup_err_set(err, JUP_ERR_IO, "could not read TLS file \"%s\"", path);
	*out = malloc(f.len + 1);
	if (!*out) {
		jup_file_unmap(&f);
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	}
	if (f.len)
		memcpy(*out, f.data, f.len);
	(*out)[f.len] = '\0';
	jup_file_unmap(&f);
	return JUP_OK;
}

static jup_status listen_address(const jup_http_config *c, struct sockaddr_storage *ss,
				 socklen_t *len, bool *v6, jup_err *err)
{
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, c->host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(c->port);
		*len = sizeof *a4;
		*v6 = false;
	} else if (inet_pton(AF_INET6, c->host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(c->port);
		*len = sizeof *a6;
		*v6 = true;
	} else {
		return jup_err_set(err, JUP_ERR_INVALID,
				   "host: \"%s\" is not an IPv4 or IPv6 address", c->host);
	}
	return JUP_OK;
}

static void set_url(http_server *s)
{
	if (s->cfg.base_url[0]) {
		snprintf(s->url, sizeof s->url, "%s", s->cfg.base_url);
		size_t n = strlen(s->url);
		while (n && s->url[n - 1] == '/')
			s->url[--n] = '\0';
		return;
	}
	bool v6 = strchr(s->cfg.host, ':') != NULL;
	snprintf(s->url, sizeof s->url, "%s://%s%s%s:%u", s->cfg.tls_cert[0] ? "https" : "http",
		 v6 ? "[" : "", s->cfg.host, v6 ? "]" : "", (unsigned)s->port);
}

static jup_status start_daemon(http_server *s, jup_err *err)
{
	const jup_http_config *c = &s->cfg;
	struct sockaddr_storage ss;
	socklen_t sslen;
	bool v6;
	jup_status st = listen_address(c, &ss, &sslen, &v6, err);
	if (st)
		return st;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (c->tls_cert[0]) {
		flags |= MHD_USE_TLS;
		if ((st = read_pem(c->tls_cert, &s->tls_cert_pem, err)) ||
		    (st = read_pem(c->tls_key, &s->tls_key_pem, err)))
			return st;
	}
	unsigned threads = (unsigned)(c->threads ? c->threads : cores());
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_SOCK_ADDR, 0, &ss },
		{ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, c->max_connections, NULL },
		{ MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->max_connections_per_address, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->max_header_bytes + 16384, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, c->connection_timeout, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s },
		{ MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL },
		{ c->tls_cert[0] ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, s->tls_cert_pem },
		{ c->tls_cert[0] ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, s->tls_key_pem },
		{ MHD_OPTION_END, 0, NULL },
	};
	s->mhd = MHD_start_daemon(flags, c->port, NULL, NULL, on_request, s, MHD_OPTION_ARRAY,
				  opts, MHD_OPTION_END);
	if (!s->mhd)
		return jup_err_set(err, JUP_ERR_IO, "could not listen on %s port %u%s", c->host,
				   (unsigned)c->port,
				   c->tls_cert[0] ? " (or the TLS certificate and key do not match)"
						  : "");
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : c->port;
	set_url(s);
	return JUP_OK;
}

static void server_free(http_server *s)
{
	jup_auth_cache_free(s->tokens);
	jup_auth_throttle_free(s->throttle);
	http_rate_free(s->rate_addr);
	http_rate_free(s->rate_token);
	http_log_close(s);
	pthread_rwlock_destroy(&s->gate_lock);
	free(s->tls_cert_pem);
	free(s->tls_key_pem);
	free(s);
}

static jup_status server_parts(http_server *s, jup_err *err)
{
	jup_status st;
	if ((st = http_log_open(s, err)))
		return st;
	if ((st = jup_auth_cache_new(1u << 16, &s->tokens, err)) ||
	    (st = jup_auth_throttle_new(1u << 16, &s->throttle, err)))
		return st;
	s->rate_addr = http_rate_new(s->cfg.rate_per_address, s->cfg.burst_per_address);
	s->rate_token = http_rate_new(s->cfg.rate_per_token, s->cfg.burst_per_token);
	if (!s->rate_addr || !s->rate_token)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	if ((st = jup_gate_group_open(s->cfg.db, &s->gate, err)))
		return st;
	if ((st = http_workers_start(s, err)))
		return st;
	return http_timer_start(s, err);
}

static void close_gate(http_server *s)
{
	pthread_rwlock_wrlock(&s->gate_lock);
	bool was = s->gate_closed;
	s->gate_closed = true;
	pthread_rwlock_unlock(&s->gate_lock);
	if (!was && s->gate)
		jup_gate_group_close(s->gate);
	s->gate = NULL;
}

/* Stop what started, in the order that lets every request finish. */
static void server_teardown(http_server *s)
{
	close_gate(s);
	http_workers_stop(s);
	http_timer_stop(s);
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	s->mhd = NULL;
	server_free(s);
}

jup_status jup_http_server_start(const jup_http_config *c, jup_http_server **out,
				 jup_err *err)
{
	*out = NULL;
	jup_status st = jup_http_config_check(c, err);
	if (st)
		return st;
	if (sodium_init() < 0)
		return jup_err_set(err, JUP_ERR_INTERNAL, "libsodium would not start");
	http_server *s = calloc(1, sizeof *s);
	if (!s)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	s->cfg = *c;
	pthread_rwlock_init(&s->gate_lock, NULL);
	randombytes_buf(s->addr_key, sizeof s->addr_key);
	if ((st = server_parts(s, err)) || (st = start_daemon(s, err))) {
		server_teardown(s);
		return st;
	}
	http_log_event(s, "start", s->url);
	*out = (jup_http_server *)s;
	return JUP_OK;
}

uint16_t jup_http_server_port(const jup_http_server *srv)
{
	return ((const http_server *)srv)->port;
}

const char *jup_http_server_url(const jup_http_server *srv)
{
	return ((const http_server *)srv)->url;
}

void jup_http_server_stats(jup_http_server *srv, jup_http_stats *out)
{
	http_server *s = (http_server *)srv;
	out->requests = atomic_load(&s->requests);
	out->in_flight = atomic_load(&s->in_flight);
	out->refused = atomic_load(&s->refused);
	out->failed = atomic_load(&s->failed);
}

void jup_http_server_stop(jup_http_server *srv)
{
	http_server *s = (http_server *)srv;
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	uint64_t deadline = http_now_ns() + (uint64_t)s->cfg.shutdown_timeout * 1000000000u;
	while (atomic_load(&s->in_flight) > 0 && http_now_ns() < deadline)
		usleep(10000);
	char why[64];
	snprintf(why, sizeof why, "%llu requests unfinished",
		 (unsigned long long)atomic_load(&s->in_flight));
	http_log_event(s, "stop", why);
	server_teardown(s);
}
