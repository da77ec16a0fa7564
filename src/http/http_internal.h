/*
 * http_internal.h - what the server's files share: the request, the
 * server, the worker pool, routing, replies.
 *
 * A request (http_req) lives from libmicrohttpd's first call about it to
 * its completion notice. Handlers run on worker threads while the
 * connection is suspended; each ends by replying (http_reply_*), which
 * resumes the connection, or by handing the request on (http_defer,
 * http_gate_submit). libmicrohttpd's own threads only parse, route and
 * queue prepared responses.
 */
#ifndef HTTP_INTERNAL_H
#define HTTP_INTERNAL_H

#include "auth/jup_auth.h"
#include "core/jup_buf.h"
#include "core/jup_limits.h"
#include "gate/jup_gate.h"
#include "http/jup_http.h"
#include "store/jup_store.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct http_server http_server;
typedef struct http_req http_req;
typedef struct http_worker http_worker;

/* A step of a request's work, run on a worker. */
typedef void (*http_step_fn)(http_worker *w, http_req *r);

typedef enum http_method {
	HTTP_GET,
	HTTP_POST,
	HTTP_PUT,
	HTTP_HEAD,
	HTTP_OTHER
} http_method;

/* A route: method and path pattern ("{id}" matches one segment). */
typedef struct http_route {
	http_method method;
	const char *pattern;
	bool auth;          /* needs a bearer token */
	bool body;          /* takes a request body */
	http_step_fn start; /* runs on a worker once the token is checked */
	const char *type;   /* FHIR resource type for the capability statement, or NULL */
} http_route;

#define HTTP_MAX_PATH_IDS 2
#define HTTP_MAX_ID       64

/* One query or form parameter (copies, NUL-terminated). */
typedef struct http_kv {
	char *key, *value;
} http_kv;

typedef enum http_state {
	HTTP_STATE_NEW,     /* headers read; maybe a body to come */
	HTTP_STATE_WORKING, /* suspended while a worker or the gate has it */
	HTTP_STATE_READY,   /* the response is prepared */
	HTTP_STATE_SENT,    /* queued */
} http_state;

struct http_req {
	http_server *srv;
	struct MHD_Connection *conn;
	http_req *next; /* in a work queue */
	http_step_fn step;
	_Atomic int state;
	uint64_t started_ns;
	char rid[17]; /* request id (hex) */
	http_method method;
	const http_route *route;
	char ids[HTTP_MAX_PATH_IDS][HTTP_MAX_ID + 1];
	int nparams;
	http_kv params[JUP_HTTP_MAX_PARAMS];
	bool params_bad;                 /* too many, too long or malformed */
	char bad_why[128];
	char token[128];                 /* the bearer token as sent ("" none) */
	char basic[256];                 /* HTTP Basic credentials as sent ("" none) */
	char if_none_match[96], if_match[96];
	bool json_body;                  /* Content-Type says JSON */
	bool form_body;                  /* ... form-urlencoded */
	jup_buf body;
	bool body_too_big;
	uint8_t addr[16];                /* client address (IPv4 in the first 4) */
	int addr_len;
	/* once signed in */
	bool authed;
	jup_auth_grant grant;
	/* the gate */
	jup_gate_request grq;
	jup_gate_decision dec;
	jup_status gate_status;
	char gate_err[512];
	char nhs[11];
	http_step_fn after_gate;
	int64_t person_id;       /* whom the request is about */
	void *scratch;           /* a handler's own state (freed with free()) */
	void (*cleanup)(http_req *r); /* releases what scratch holds, if set */
	/* the response */
	unsigned status;
	char *resp;
	size_t resp_len;
	char etag[40];
	char location[512];
	unsigned retry_after;    /* seconds; 0: none */
	bool www_authenticate;
	bool oauth_json;         /* an OAuth answer (application/json), not FHIR */
	int64_t delay_ms;        /* hold the answer this long (slowed sign-in) */
};

struct http_worker {
	http_server *srv;
	jup_store *st;
	pthread_t thread;
	bool slow; /* serves the slow queue (password checks) */
};

/* A queue of requests for the workers. */
typedef struct http_queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	http_req *head, *tail;
	bool closing;
} http_queue;

/* A token bucket table (http_rate.c). */
typedef struct http_rate http_rate;

/* Held answers (slowed sign-ins), released by the timer thread. */
typedef struct http_held {
	http_req *req;
	uint64_t due_ns;
} http_held;

struct http_server {
	jup_http_config cfg;
	char url[300];
	uint16_t port;
	struct MHD_Daemon *mhd;
	jup_gate_group *gate;
	pthread_rwlock_t gate_lock;
	bool gate_closed;
	jup_auth_cache *tokens;
	jup_auth_throttle *throttle;
	http_rate *rate_addr, *rate_token;
	http_queue fast, slow;
	int nworkers;
	http_worker *workers;
	/* the timer thread: held answers, log flushing, token cache refresh */
	pthread_t timer;
	pthread_mutex_t timer_mu;
	pthread_cond_t timer_cv;
	bool timer_stop;
	bool timer_started;
	http_held *held;
	size_t nheld, capheld;
	jup_store *timer_st;
	/* the access log */
	pthread_mutex_t log_mu;
	FILE *log;
	bool log_owned;
	jup_buf logbuf;
	uint8_t addr_key[16];
	char *tls_cert_pem, *tls_key_pem;
	_Atomic uint64_t requests, in_flight, refused, failed;
};

/* http_server.c */
uint64_t http_now_ns(void);

/* http_work.c: the worker pool and the hand-offs. */
jup_status http_workers_start(http_server *s, jup_err *err) JUP_MUST_CHECK;
void http_workers_stop(http_server *s);
/* http_defer: run step on a worker (the slow pool when slow). */
void http_defer(http_req *r, http_step_fn step, bool slow);
/* http_gate_submit: hand r->grq to the gate; then runs next on a worker,
 * with r->gate_status and r->dec set. */
void http_gate_submit(http_req *r, http_step_fn next);
/* http_gate_raw: jup_gate_group_submit unless the gate is closed for
 * shutdown (*closed true, nothing submitted). */
jup_status http_gate_raw(http_server *s, const jup_gate_request *rq, jup_gate_decision *out,
			jup_gate_done_fn done, void *ctx, bool *closed, jup_err *err) JUP_MUST_CHECK;
/* http_shutting_down: answer 503 (the server is stopping). */
void http_shutting_down(http_worker *w, http_req *r);
/* http_hold: resume r's connection after r->delay_ms. */
void http_hold(http_req *r);
/* http_timer_start/stop: the timer thread. */
jup_status http_timer_start(http_server *s, jup_err *err) JUP_MUST_CHECK;
void http_timer_stop(http_server *s);

/* http_reply.c: prepared responses; each ends the request's work. */
/* http_reply_json: status with body j (stolen: decref'd here). */
void http_reply_json(http_req *r, unsigned status, json_t *j);
/* http_reply_outcome: an OperationOutcome (FHIR issue code, message). */
void http_reply_outcome(http_req *r, unsigned status, const char *code, const char *msg);
/* http_reply_status: the HTTP status and FHIR issue code for a failed
 * status, the message from err (or a generic one for server failures). */
void http_reply_error(http_req *r, jup_status st, const jup_err *err);
/* http_reply_empty: status with no body. */
void http_reply_empty(http_req *r, unsigned status);
/* http_finish: the response is ready: resume the connection (or hold it). */
void http_finish(http_req *r);
/* http_queue_response: queue r's prepared response on its connection
 * (libmicrohttpd thread). */
enum MHD_Result http_queue_response(http_req *r);

/* http_route.c */
const http_route *http_route_find(const char *path, http_method m, http_req *r,
				  bool *method_mismatch);
const http_route *http_routes(size_t *n);

/* http_params.c */
/* http_params_parse_form: split a form body (application/x-www-form-urlencoded)
 * into r's params. false (r->bad_why set) when malformed or too many. */
bool http_params_parse_form(http_req *r, const char *body, size_t len);
/* http_params_add_basic: a client's HTTP Basic credentials (base64 of
 * form-encoded client_id ":" client_secret, RFC 6749 2.3.1) as the
 * client_id and client_secret parameters; false (r->bad_why set) when
 * malformed. */
bool http_params_add_basic(http_req *r, const char *b64);
/* http_param: the value of key (NULL when absent; the first when repeated). */
const char *http_param(const http_req *r, const char *key);
/* http_param_count: how many times key is given. */
int http_param_count(const http_req *r, const char *key);
/* http_params_free: release r's params. */
void http_params_free(http_req *r);
/* http_params_add: add a copy of key=value; false when too many/long. */
bool http_params_add(http_req *r, const char *key, size_t klen, const char *value,
		     size_t vlen);
/* http_param_page: _count and the offset (the "_offset" parameter) with
 * their limits; false with a reply sent when malformed. */
bool http_param_page(http_req *r, int *count, int *offset);

/* http_rate.c */
http_rate *http_rate_new(double rate, double burst);
void http_rate_free(http_rate *t);
/* http_rate_take: take one request from key's bucket; true when allowed,
 * else *retry_after gets seconds to wait. Always true when rate is 0. */
bool http_rate_take(http_rate *t, const void *key, size_t len, uint64_t now_ns,
		    unsigned *retry_after);

/* http_log.c */
jup_status http_log_open(http_server *s, jup_err *err) JUP_MUST_CHECK;
void http_log_request(http_server *s, const http_req *r);
void http_log_flush(http_server *s);
void http_log_close(http_server *s);
/* http_log_event: a server event line (start, stop), no personal data. */
void http_log_event(http_server *s, const char *event, const char *detail);

/* http_auth.c: check the bearer token (and the token's rate), then run
 * the route's start. */
void http_authenticate(http_worker *w, http_req *r);

/* Handlers (http_auth.c, http_fhir_*.c). */
void http_h_token(http_worker *w, http_req *r);
void http_h_revoke(http_worker *w, http_req *r);
void http_h_metadata(http_worker *w, http_req *r);

#endif
