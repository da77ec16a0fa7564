/*
 * e2e_http.h - what the server's end-to-end test (server.c) stands on:
 * checks that count and name their case, child processes (the joinedup
 * binary), a `joinedup serve` started on a free port and stopped with
 * SIGTERM, and HTTP requests through libcurl with the whole answer kept
 * (status, headers, body, the body as JSON, the time taken).
 *
 * Test code: failures are counted and reported, never fatal, so one run
 * lists every broken case. Nothing here prints a response body, which may
 * hold (synthetic) personal data; checks print what was expected and the
 * status or the OperationOutcome's diagnostics.
 */
#ifndef E2E_HTTP_H
#define E2E_HTTP_H

#include "core/jup_buf.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- checks ---------------------------------------------------------------------- */

/* e2e_check: count a check named name; when ok is false print "FAIL name:
 * " and the message and count a failure. Returns ok. */
bool e2e_check(bool ok, const char *name, const char *fmt, ...) JUP_PRINTF(3, 4);

/* e2e_failures / e2e_checks: the counts so far. */
int e2e_failures(void);
int e2e_checks(void);

/* ---- files and processes ---------------------------------------------------------- */

/* e2e_write_file: write len bytes (len 0: strlen) to path; false on error. */
bool e2e_write_file(const char *path, const char *text, size_t len);

/* e2e_read_file: the file's contents, NUL-terminated (caller frees), at
 * most max bytes; NULL when it cannot be read. *len (may be NULL) gets the
 * length. */
char *e2e_read_file(const char *path, size_t max, size_t *len);

/* e2e_spawn: start argv (argv[0] a path, or a name looked up in PATH)
 * with standard input from /dev/null and standard output and error
 * appended to out_path (NULL: /dev/null); the child's pid, or -1. */
pid_t e2e_spawn(char *const argv[], const char *out_path);

/* e2e_wait: wait up to secs for pid: its exit status; -1 when it died of
 * a signal; -2 when it was still running (it is then killed). */
int e2e_wait(pid_t pid, double secs);

/* e2e_run: e2e_spawn and e2e_wait (up to secs). */
int e2e_run(char *const argv[], const char *out_path, double secs);

/* e2e_rm_rf: remove the directory tree at path (a test's own temp dir). */
void e2e_rm_rf(const char *path);

/* e2e_seconds: a steady clock, in seconds. */
double e2e_seconds(void);

/* e2e_sleep: sleep secs seconds. */
void e2e_sleep(double secs);

/* ---- a server --------------------------------------------------------------------- */

typedef struct e2e_server {
	char name[32];
	pid_t pid; /* 0: not running */
	unsigned port;
	char base[64];   /* "http://127.0.0.1:PORT" (https with TLS) */
	char conf[1100]; /* its files, in the test's directory: config, */
	char port_file[1100];
	char log[1100];     /* access log, */
	char out[1100];     /* standard output and error */
	const char *cainfo; /* TLS: the certificate the client trusts; NULL: none */
	CURL *curl;         /* one handle, so connections are kept alive */
} e2e_server;

/*
 * e2e_server_start: write config (the config file's text) to
 * DIR/NAME.conf and start `joinedup serve --db DB --listen 127.0.0.1:0
 * --port-file DIR/NAME.port --access-log DIR/NAME.access.log --config
 * DIR/NAME.conf`; wait (up to 30 s) for the port. cainfo: the certificate
 * the client trusts when the config turns TLS on (else NULL). false (with
 * a failed check) when the server does not come up.
 */
bool e2e_server_start(e2e_server *s, const char *joinedup, const char *dir, const char *name,
		      const char *db, const char *config, const char *cainfo);

/* e2e_server_stop: SIGTERM, then wait (up to 60 s): the exit status as
 * e2e_wait gives it. Frees the client handle. */
int e2e_server_stop(e2e_server *s);

/* ---- requests --------------------------------------------------------------------- */

typedef struct e2e_req {
	const char *method; /* NULL: GET, or POST when there is a body */
	const char *path;   /* "/fhir/metadata" (under the server's base) or an absolute URL */
	const char *token;  /* bearer token; NULL: no Authorization header */
	const char *ctype;  /* Content-Type; NULL: none */
	const char *body;   /* NULL: none */
	size_t body_len;    /* 0: strlen(body) */
	const char *header; /* one more "Name: value"; NULL: none */
	long timeout_ms;    /* give up after this long; 0: 60 s */
} e2e_req;

typedef struct e2e_resp {
	long status; /* 0: no answer (error says why) */
	char error[CURL_ERROR_SIZE];
	jup_buf body;    /* NUL-terminated */
	jup_buf headers; /* the final response's header block */
	json_t *json;    /* the body as JSON; NULL when it is not */
	double seconds;  /* the whole exchange */
} e2e_resp;

/* e2e_http: send rq to s; the answer into *out (e2e_resp_free it). */
void e2e_http(e2e_server *s, const e2e_req *rq, e2e_resp *out);

#define E2E_MAX_PARALLEL 32

/* e2e_http_parallel: send n (at most E2E_MAX_PARALLEL) copies of rq at
 * once, each on a connection of its own; the answers into out[0..n)
 * (e2e_resp_free each). */
void e2e_http_parallel(e2e_server *s, const e2e_req *rq, int n, e2e_resp *out);

/* e2e_resp_free: release *r's memory. */
void e2e_resp_free(e2e_resp *r);

/* e2e_header: header name's value (case-insensitive name, value trimmed)
 * copied into out; false when absent. */
bool e2e_header(const e2e_resp *r, const char *name, char *out, size_t cap);

/* e2e_form: an application/x-www-form-urlencoded body of the NULL-ended
 * key, value, key, value ... list (values percent-encoded) into out;
 * false when it does not fit. */
bool e2e_form(char *out, size_t cap, ...);

/* ---- JSON ------------------------------------------------------------------------- */

/* e2e_at: the value at a dotted path ("issue.0.diagnostics": keys, and
 * indexes into arrays); NULL when absent. Borrowed. */
json_t *e2e_at(const json_t *j, const char *path);

/* e2e_str: the string at path, or "" when absent or not a string. */
const char *e2e_str(const json_t *j, const char *path);

/* e2e_diag: what a response says about itself for a failure message: the
 * OperationOutcome's diagnostics or the OAuth error_description, else "". */
const char *e2e_diag(const e2e_resp *r);

#endif
