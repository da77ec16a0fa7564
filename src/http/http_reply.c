/*
 * http_reply.c - responses: JSON bodies, OperationOutcomes for refusals,
 * the one table from jup_status to HTTP status, and the headers every
 * response carries.
 */
#include "http/http_internal.h"

#include "fhir/jup_fhir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one mapping from a failed status to an HTTP status and FHIR issue. */
static const struct status_map {
	unsigned http;
	const char *code;
} status_map[JUP_STATUS__COUNT] = {
	[JUP_OK] = { 200, "informational" },
	[JUP_ERR_NOMEM] = { 503, "transient" },
	[JUP_ERR_IO] = { 500, "exception" },
	[JUP_ERR_INVALID] = { 400, "invalid" },
	[JUP_ERR_NOT_FOUND] = { 404, "not-found" },
	[JUP_ERR_EXISTS] = { 409, "conflict" },
	[JUP_ERR_LIMIT] = { 400, "too-costly" },
	[JUP_ERR_STORE] = { 500, "exception" },
	[JUP_ERR_VERSION] = { 500, "exception" },
	[JUP_ERR_USAGE] = { 400, "invalid" },
	[JUP_ERR_INTERNAL] = { 500, "exception" },
	[JUP_ERR_DENIED] = { 403, "forbidden" },
};

void http_reply_json(http_req *r, unsigned status, json_t *j)
{
	r->status = status;
	free(r->resp);
	r->resp = j ? json_dumps(j, JSON_COMPACT) : NULL;
	r->resp_len = r->resp ? strlen(r->resp) : 0;
	if (j && !r->resp)
		r->status = 503; /* out of memory */
	json_decref(j);
	http_finish(r);
}

/* The FHIR issue type named code ("not-found"); exception when unknown. */
static jup_fhir_issue issue_named(const char *code)
{
	for (int i = 0; i < JUP_FHIR_ISSUE__COUNT; i++)
		if (strcmp(jup_fhir_issue_name((jup_fhir_issue)i), code) == 0)
			return (jup_fhir_issue)i;
	return JUP_FHIR_ISSUE_EXCEPTION;
}

void http_reply_outcome(http_req *r, unsigned status, const char *code, const char *msg)
{
	json_t *oo = NULL;
	jup_err err;
	r->etag[0] = '\0';
	if (jup_fhir_outcome(JUP_FHIR_ERROR, issue_named(code), msg, NULL, &oo, &err))
		oo = NULL; /* text that is not UTF-8: the status alone says it */
	http_reply_json(r, status, oo);
}

void http_reply_error(http_req *r, jup_status st, const jup_err *err)
{
	if ((unsigned)st >= JUP_STATUS__COUNT)
		st = JUP_ERR_INTERNAL;
	const struct status_map *m = &status_map[st];
	if (m->http >= 500) {
		/* detail stays in the server: it may name files or the store */
		http_log_event(r->srv, "error", jup_strerror(st));
		http_reply_outcome(r, m->http, m->code,
				   "The server could not do this just now; it has been logged.");
		return;
	}
	http_reply_outcome(r, m->http, m->code, err && err->msg[0] ? err->msg : jup_strerror(st));
}

void http_reply_empty(http_req *r, unsigned status)
{
	r->status = status;
	free(r->resp);
	r->resp = NULL;
	r->resp_len = 0;
	http_finish(r);
}

void http_finish(http_req *r)
{
	int was = atomic_exchange(&r->state, HTTP_STATE_READY);
	if (was != HTTP_STATE_WORKING)
		return; /* answered on libmicrohttpd's thread: queued by the caller */
	if (r->delay_ms > 0)
		http_hold(r);
	else
		MHD_resume_connection(r->conn);
}

static void add_header(struct MHD_Response *resp, const char *k, const char *v)
{
	(void)MHD_add_response_header(resp, k, v);
}

/* Headers on every response: no caching of personal data, no sniffing,
 * no framing, no referrer, and HSTS when we speak TLS. */
static void security_headers(const http_req *r, struct MHD_Response *resp)
{
	add_header(resp, "Cache-Control", "no-store");
	add_header(resp, "X-Content-Type-Options", "nosniff");
	add_header(resp, "X-Frame-Options", "DENY");
	add_header(resp, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
	add_header(resp, "Referrer-Policy", "no-referrer");
	add_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	if (r->srv->cfg.tls_cert[0])
		add_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

static const char *content_type(const http_req *r)
{
	if (r->oauth_json ||
	    (r->route && strncmp(r->route->pattern, "/auth/", 6) == 0 && r->status < 300))
		return "application/json";
	return "application/fhir+json; charset=utf-8";
}

enum MHD_Result http_queue_response(http_req *r)
{
	char buf[24];
	bool head = r->method == HTTP_HEAD;
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		head ? 0 : r->resp_len, head ? NULL : r->resp, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO;
	if (!head)
		r->resp = NULL; /* libmicrohttpd frees it */
	security_headers(r, resp);
	add_header(resp, "X-Request-ID", r->rid);
	if (r->resp_len)
		add_header(resp, "Content-Type", content_type(r));
	if (r->etag[0])
		add_header(resp, "ETag", r->etag);
	if (r->location[0])
		add_header(resp, "Location", r->location);
	if (r->retry_after) {
		snprintf(buf, sizeof buf, "%u", r->retry_after);
		add_header(resp, "Retry-After", buf);
	}
	if (r->www_authenticate)
		add_header(resp, "WWW-Authenticate", "Bearer realm=\"joinedup\"");
	atomic_store(&r->state, HTTP_STATE_SENT);
	enum MHD_Result ok = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}
