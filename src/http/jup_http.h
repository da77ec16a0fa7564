/*
 * jup_http.h - the HTTP server: joinedup's FHIR R4 API and sign-in, on
 * libmicrohttpd.
 *
 * One server process serves one store. libmicrohttpd's own threads (epoll,
 * a thread pool) read requests and write responses and never wait on the
 * store: work that touches it runs on the server's worker threads, each
 * with its own store connection, and every decision about personal data
 * goes through one purpose gate group (jup_gate.h), whose audit entry is on
 * disk before the response is queued. A connection waiting on that work is
 * suspended, so a handful of threads carry thousands of connections.
 *
 * What a client sends is bounded (docs/SECURITY.md): the request line and
 * headers, the body, query parameters, JSON depth, page sizes, connections
 * per address, and requests per second per address and per token. Every
 * refusal is a 4xx with a FHIR OperationOutcome saying why. The access log
 * (one JSON line a request) names the route, never the URL as sent, so no
 * NHS number or search term is ever written to it.
 */
#ifndef JUP_HTTP_H
#define JUP_HTTP_H

#include "core/jup_status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How client addresses appear in the access log. */
typedef enum jup_http_log_addr {
	JUP_HTTP_LOG_ADDR_HASH, /* a keyed hash, stable for the life of the process */
	JUP_HTTP_LOG_ADDR_FULL, /* the address as it is */
	JUP_HTTP_LOG_ADDR_NONE, /* not at all */
} jup_http_log_addr;

/* The server's settings: jup_http_config_defaults, then a config file
 * (jup_http_config_load), then command-line flags. */
typedef struct jup_http_config {
	char db[1024];           /* the store (required) */
	char host[64];           /* listen address, IPv4 or IPv6 literal */
	uint16_t port;           /* 0: any free port (tests) */
	char base_url[256];      /* how clients reach us ("": from host and port) */
	int threads;             /* libmicrohttpd threads (0: one per core) */
	int workers;             /* worker threads (0: 4 per core, at least 8) */
	char tls_cert[1024];     /* PEM files; both or neither */
	char tls_key[1024];
	char access_log[1024];   /* "-": stderr; "": none; else a file appended to */
	jup_http_log_addr log_addresses;
	size_t max_body_bytes;   /* at most JUP_HTTP_MAX_BODY_BYTES */
	size_t max_header_bytes; /* at most JUP_HTTP_MAX_HEADER_BYTES */
	unsigned max_connections;
	unsigned max_connections_per_address;
	unsigned connection_timeout; /* seconds idle before a connection is closed */
	double rate_per_address;     /* requests per second (0: no limit) */
	double burst_per_address;    /* requests at once above the rate */
	double rate_per_token;
	double burst_per_token;
	int64_t token_lifetime;             /* seconds */
	int64_t break_glass_token_lifetime; /* seconds */
	unsigned shutdown_timeout;          /* seconds to let requests finish */
} jup_http_config;

/* jup_http_config_defaults: sensible settings for one machine: listen on
 * 127.0.0.1:8080, no TLS, access log on stderr with hashed addresses, 1 MiB
 * bodies, 64 connections per address, 100 requests/s per address and per
 * token (bursts of 200), one-hour tokens (15 minutes for break-glass). */
void jup_http_config_defaults(jup_http_config *c);

/*
 * jup_http_config_parse: apply "key = value" lines (text of len bytes; '#'
 * starts a comment; keys as docs/SERVER.md lists them) to c. name is the
 * file's name for messages. JUP_ERR_INVALID with "NAME:LINE: key: reason"
 * for an unknown key, a bad value or a malformed line (nothing of c is
 * changed then); JUP_ERR_LIMIT for an over-long line.
 */
jup_status jup_http_config_parse(const char *name, const char *text, size_t len,
				 jup_http_config *c, jup_err *err) JUP_MUST_CHECK;

/* jup_http_config_load: jup_http_config_parse of the file at path.
 * JUP_ERR_IO when it cannot be read; errors as jup_http_config_parse. */
jup_status jup_http_config_load(const char *path, jup_http_config *c,
				jup_err *err) JUP_MUST_CHECK;

/* jup_http_config_set: one setting, as the config file would give it
 * (command-line flags use this). Errors as jup_http_config_parse, with
 * the key for the name. */
jup_status jup_http_config_set(jup_http_config *c, const char *key, const char *value,
			       jup_err *err) JUP_MUST_CHECK;

/* jup_http_config_check: the settings hang together (a store named, a host
 * that is an IPv4 or IPv6 literal, TLS files both or neither, limits within
 * the hard caps). JUP_ERR_INVALID. */
jup_status jup_http_config_check(const jup_http_config *c, jup_err *err) JUP_MUST_CHECK;

typedef struct jup_http_server jup_http_server;

/*
 * jup_http_server_start: open the store, the purpose gate group and the
 * worker threads, then listen. *out owns them all (jup_http_server_stop).
 * JUP_ERR_IO when the address cannot be bound or the TLS files read;
 * store errors; JUP_ERR_NOMEM.
 */
jup_status jup_http_server_start(const jup_http_config *c, jup_http_server **out,
				 jup_err *err) JUP_MUST_CHECK;

/* jup_http_server_port: the port the server listens on (the one chosen
 * when the config said 0). */
uint16_t jup_http_server_port(const jup_http_server *s);

/* jup_http_server_url: the base URL clients use (no trailing slash). */
const char *jup_http_server_url(const jup_http_server *s);

/*
 * jup_http_server_stop: shut down gracefully: stop accepting connections,
 * let requests in flight finish (up to the config's shutdown_timeout), then
 * stop the workers and close the gate group (every audit entry it holds is
 * flushed to disk) and the store. s is freed.
 */
void jup_http_server_stop(jup_http_server *s);

/* Counts for tests and the benchmark. */
typedef struct jup_http_stats {
	uint64_t requests;  /* answered */
	uint64_t in_flight; /* started, not yet answered */
	uint64_t refused;   /* 4xx answers */
	uint64_t failed;    /* 5xx answers */
} jup_http_stats;

/* jup_http_server_stats: the counts so far (safe while serving). */
void jup_http_server_stats(jup_http_server *s, jup_http_stats *out);

#endif
