/*
 * e2e_http.c - checks, child processes, a server and a libcurl client for
 * the server's end-to-end test (e2e_http.h).
 */
#include "e2e_http.h"

#include "core/jup_file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The test's tally: one process, one run (the only mutable globals). */
static int n_checks, n_failures;

bool e2e_check(bool ok, const char *name, const char *fmt, ...)
{
	n_checks++;
	if (ok)
		return true;
	n_failures++;
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL %s: ", name);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	return false;
}

int e2e_failures(void)
{
	return n_failures;
}

int e2e_checks(void)
{
	return n_checks;
}

/* ---- files and processes ---------------------------------------------------------- */

bool e2e_write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	size_t n = len ? len : strlen(text);
	bool ok = fwrite(text, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

char *e2e_read_file(const char *path, size_t max, size_t *len)
{
	jup_file m;
	jup_err err;
	if (jup_file_map(path, (int64_t)max, &m, &err))
		return NULL;
	char *s = malloc(m.len + 1);
	if (s) {
		if (m.len)
			memcpy(s, m.data, m.len);
		s[m.len] = '\0';
		if (len)
			*len = m.len;
	}
	jup_file_unmap(&m);
	return s;
}

pid_t e2e_spawn(char *const argv[], const char *out_path)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int in = open("/dev/null", O_RDONLY);
	int out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0600)
			   : open("/dev/null", O_WRONLY);
	if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(127);
	close(in);
	close(out);
	execvp(argv[0], argv);
	_exit(127);
}

double e2e_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void e2e_sleep(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int e2e_wait(pid_t pid, double secs)
{
	int status = 0;
	double until = e2e_seconds() + secs;
	for (;;) {
		pid_t got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0)
			return -1;
		if (e2e_seconds() > until) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -2;
		}
		e2e_sleep(0.02);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int e2e_run(char *const argv[], const char *out_path, double secs)
{
	pid_t pid = e2e_spawn(argv, out_path);
	return pid < 0 ? -1 : e2e_wait(pid, secs);
}

void e2e_rm_rf(const char *path)
{
	char *argv[] = { "rm", "-rf", (char *)path, NULL };
	(void)e2e_run(argv, NULL, 60);
}

/* ---- a server --------------------------------------------------------------------- */

/* The port from the port file, once the server has written it (0: not yet). */
static unsigned read_port(const char *path)
{
	char *text = e2e_read_file(path, 64, NULL);
	unsigned port = 0;
	if (text && strchr(text, '\n')) {
		char *end;
		unsigned long v = strtoul(text, &end, 10);
		port = v > 0 && v < 65536 && *end == '\n' ? (unsigned)v : 0;
	}
	free(text);
	return port;
}

static void server_paths(e2e_server *s, const char *dir, const char *name)
{
	snprintf(s->name, sizeof s->name, "%s", name);
	snprintf(s->conf, sizeof s->conf, "%s/%s.conf", dir, name);
	snprintf(s->port_file, sizeof s->port_file, "%s/%s.port", dir, name);
	snprintf(s->log, sizeof s->log, "%s/%s.access.log", dir, name);
	snprintf(s->out, sizeof s->out, "%s/%s.out", dir, name);
}

bool e2e_server_start(e2e_server *s, const char *joinedup, const char *dir, const char *name,
		      const char *db, const char *config, const char *cainfo)
{
	memset(s, 0, sizeof *s);
	server_paths(s, dir, name);
	s->cainfo = cainfo;
	if (!e2e_check(e2e_write_file(s->conf, config, 0), name, "could not write %s", s->conf))
		return false;
	char *argv[] = { (char *)joinedup, "serve",       "--db",       (char *)db,     "--listen",
			 "127.0.0.1:0",    "--port-file", s->port_file, "--access-log", s->log,
			 "--config",       s->conf,       NULL };
	s->pid = e2e_spawn(argv, s->out);
	double until = e2e_seconds() + 30;
	while (s->pid > 0 && !(s->port = read_port(s->port_file)) && e2e_seconds() < until) {
		int status;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0; /* it gave up: its output says why */
			break;
		}
		e2e_sleep(0.02);
	}
	if (!e2e_check(s->port != 0, name, "the server did not start (see %s)", s->out)) {
		if (s->pid > 0)
			(void)e2e_server_stop(s);
		return false;
	}
	snprintf(s->base, sizeof s->base, "%s://127.0.0.1:%u", cainfo ? "https" : "http", s->port);
	s->curl = curl_easy_init();
	return e2e_check(s->curl != NULL, name, "curl_easy_init failed");
}

int e2e_server_stop(e2e_server *s)
{
	if (s->curl)
		curl_easy_cleanup(s->curl);
	s->curl = NULL;
	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	int rc = e2e_wait(s->pid, 60);
	s->pid = 0;
	return rc;
}

/* ---- requests --------------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	jup_buf *b = ctx;
	return jup_buf_append(b, p, size * n) ? 0 : size * n;
}

/* Headers: keep only the final response's (a 100 Continue comes first). */
static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	jup_buf *b = ctx;
	if (size * n >= 5 && memcmp(p, "HTTP/", 5) == 0)
		jup_buf_reset(b);
	return jup_buf_append(b, p, size * n) ? 0 : size * n;
}

/* The request's header list; NULL when it has none. */
static struct curl_slist *request_headers(const e2e_req *rq)
{
	struct curl_slist *h = NULL;
	char line[512];
	if (rq->token) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", rq->token);
		h = curl_slist_append(h, line);
	}
	if (rq->ctype) {
		snprintf(line, sizeof line, "Content-Type: %s", rq->ctype);
		h = curl_slist_append(h, line);
	} else if (rq->body) {
		h = curl_slist_append(h, "Content-Type:"); /* none, not curl's form type */
	}
	if (rq->body)
		h = curl_slist_append(h, "Expect:"); /* send big bodies at once */
	if (rq->header)
		h = curl_slist_append(h, rq->header);
	return h;
}

/* Set c up for rq to s, the answer going into *out (zeroed here); the
 * header list (curl_slist_free_all it after the transfer) in *h. */
static void prepare(CURL *c, e2e_server *s, const e2e_req *rq, e2e_resp *out, struct curl_slist **h)
{
	char url[2048];
	memset(out, 0, sizeof *out);
	jup_buf_init(&out->body, 64u << 20);
	jup_buf_init(&out->headers, 1u << 20);
	if (strncmp(rq->path, "http://", 7) == 0 || strncmp(rq->path, "https://", 8) == 0)
		snprintf(url, sizeof url, "%s", rq->path);
	else
		snprintf(url, sizeof url, "%s%s", s->base, rq->path);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url); /* copied by libcurl */
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, rq->timeout_ms ? rq->timeout_ms : 60000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (s->cainfo)
		curl_easy_setopt(c, CURLOPT_CAINFO, s->cainfo);
	if (rq->body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(rq->body_len ? rq->body_len : strlen(rq->body)));
	}
	if (rq->method)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
	if (rq->method && strcmp(rq->method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	*h = request_headers(rq);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &out->headers);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, out->error);
}

/* After the transfer: the status and the body as JSON. */
static void finish(CURL *c, CURLcode rc, e2e_resp *out)
{
	if (rc != CURLE_OK) {
		if (!out->error[0])
			snprintf(out->error, sizeof out->error, "%s", curl_easy_strerror(rc));
		return;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	if (out->body.len)
		out->json = json_loadb(out->body.data, out->body.len, 0, NULL);
}

void e2e_http(e2e_server *s, const e2e_req *rq, e2e_resp *out)
{
	struct curl_slist *h;
	prepare(s->curl, s, rq, out, &h);
	double t0 = e2e_seconds();
	CURLcode rc = curl_easy_perform(s->curl);
	out->seconds = e2e_seconds() - t0;
	curl_slist_free_all(h);
	finish(s->curl, rc, out);
}

/* Run the transfers in m until all are done; each one's result into
 * rc[i] (the handle's private pointer is i). */
static void run_multi(CURLM *m, CURLcode *rc)
{
	int running = 1;
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(m, &left))) {
		char *i = NULL;
		if (msg->msg == CURLMSG_DONE &&
		    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &i) == CURLE_OK)
			rc[(intptr_t)i] = msg->data.result;
	}
}

void e2e_http_parallel(e2e_server *s, const e2e_req *rq, int n, e2e_resp *out)
{
	CURLM *m = curl_multi_init();
	CURL *c[E2E_MAX_PARALLEL] = { 0 };
	struct curl_slist *h[E2E_MAX_PARALLEL] = { 0 };
	CURLcode rc[E2E_MAX_PARALLEL];
	if (n > E2E_MAX_PARALLEL)
		n = E2E_MAX_PARALLEL;
	for (int i = 0; i < n; i++) {
		rc[i] = CURLE_FAILED_INIT;
		c[i] = curl_easy_init();
		if (!c[i] || !m) {
			memset(&out[i], 0, sizeof out[i]);
			continue;
		}
		prepare(c[i], s, rq, &out[i], &h[i]);
		curl_easy_setopt(c[i], CURLOPT_PRIVATE, (char *)(intptr_t)i);
		curl_multi_add_handle(m, c[i]);
	}
	double t0 = e2e_seconds();
	if (m)
		run_multi(m, rc);
	for (int i = 0; i < n; i++) {
		if (!c[i])
			continue;
		out[i].seconds = e2e_seconds() - t0;
		finish(c[i], rc[i], &out[i]);
		curl_multi_remove_handle(m, c[i]);
		curl_easy_cleanup(c[i]);
		curl_slist_free_all(h[i]);
	}
	curl_multi_cleanup(m);
}

void e2e_resp_free(e2e_resp *r)
{
	jup_buf_free(&r->body);
	jup_buf_free(&r->headers);
	json_decref(r->json);
	r->json = NULL;
}

bool e2e_header(const e2e_resp *r, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	const char *line = r->headers.data ? r->headers.data : "";
	while (*line) {
		const char *end = line + strcspn(line, "\n");
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t len = strcspn(v, "\r\n");
			if (len >= cap)
				len = cap - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return true;
		}
		line = *end ? end + 1 : end;
	}
	return false;
}

bool e2e_form(char *out, size_t cap, ...)
{
	va_list ap;
	size_t at = 0;
	bool ok = true;
	out[0] = '\0';
	va_start(ap, cap);
	for (const char *k; ok && (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		char *ev = curl_easy_escape(NULL, v, 0);
		int n = ev ? snprintf(out + at, cap - at, "%s%s=%s", at ? "&" : "", k, ev) : -1;
		ok = n >= 0 && (size_t)n < cap - at;
		at += ok ? (size_t)n : 0;
		curl_free(ev);
	}
	va_end(ap);
	return ok;
}

/* ---- JSON ------------------------------------------------------------------------- */

json_t *e2e_at(const json_t *j, const char *path)
{
	char key[128];
	json_t *v = (json_t *)j;
	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		path += n + (path[n] == '.');
		if (json_is_array(v)) {
			char *end;
			unsigned long i = strtoul(key, &end, 10);
			v = *end ? NULL : json_array_get(v, i);
		} else {
			v = json_object_get(v, key);
		}
	}
	return v;
}

const char *e2e_str(const json_t *j, const char *path)
{
	const char *s = json_string_value(e2e_at(j, path));
	return s ? s : "";
}

const char *e2e_diag(const e2e_resp *r)
{
	const char *d = e2e_str(r->json, "issue.0.diagnostics");
	if (!*d)
		d = e2e_str(r->json, "error_description");
	if (!*d && r->status == 0)
		d = r->error;
	return d;
}
