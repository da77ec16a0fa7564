/*
 * http_work.c - the server's workers: two queues of requests (the fast one
 * for ordinary work, the slow one, with two threads, for password checks,
 * which cost ~0.1 s and 64 MiB each), the hand-off to the purpose gate,
 * and the timer thread that releases held answers, flushes the access log
 * and refreshes the token cache.
 */
#include "http/http_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOW_WORKERS 2

static void queue_init(http_queue *q)
{
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
}

static void queue_destroy(http_queue *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
}

static void queue_push(http_queue *q, http_req *r)
{
	pthread_mutex_lock(&q->mu);
	r->next = NULL;
	if (q->tail)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The next request, or NULL once closing and empty. */
static http_req *queue_pop(http_queue *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->head && !q->closing)
		pthread_cond_wait(&q->cv, &q->mu);
	http_req *r = q->head;
	if (r) {
		q->head = r->next;
		if (!q->head)
			q->tail = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return r;
}

static void queue_close(http_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->closing = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static void *worker_main(void *arg)
{
	http_worker *w = arg;
	http_queue *q = w->slow ? &w->srv->slow : &w->srv->fast;
	http_req *r;
	while ((r = queue_pop(q))) {
		http_step_fn step = r->step;
		r->step = NULL;
		step(w, r);
	}
	return NULL;
}

void http_defer(http_req *r, http_step_fn step, bool slow)
{
	r->step = step;
	queue_push(slow ? &r->srv->slow : &r->srv->fast, r);
}

static int worker_count(const jup_http_config *c)
{
	if (c->workers)
		return c->workers;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int w = (int)(n < 1 ? 1 : n) * 4;
	return w < 8 ? 8 : w > JUP_HTTP_MAX_THREADS ? JUP_HTTP_MAX_THREADS : w;
}

jup_status http_workers_start(http_server *s, jup_err *err)
{
	queue_init(&s->fast);
	queue_init(&s->slow);
	int n = worker_count(&s->cfg) + SLOW_WORKERS;
	s->workers = calloc((size_t)n, sizeof *s->workers);
	if (!s->workers)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	for (int i = 0; i < n; i++) {
		http_worker *w = &s->workers[i];
		w->srv = s;
		w->slow = i >= n - SLOW_WORKERS;
		jup_status st = jup_store_open(s->cfg.db, 0, &w->st, err);
		if (st)
			return st;
		if (pthread_create(&w->thread, NULL, worker_main, w)) {
			jup_store_close(w->st);
			w->st = NULL;
			return jup_err_set(err, JUP_ERR_INTERNAL, "could not start a worker thread");
		}
		s->nworkers = i + 1;
	}
	return JUP_OK;
}

void http_workers_stop(http_server *s)
{
	if (!s->workers) {
		return;
	}
	queue_close(&s->fast);
	queue_close(&s->slow);
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i].thread, NULL);
	for (int i = 0; i < s->nworkers; i++)
		jup_store_close(s->workers[i].st);
	free(s->workers);
	s->workers = NULL;
	s->nworkers = 0;
	queue_destroy(&s->fast);
	queue_destroy(&s->slow);
}

/* The gate has decided (on its flushing thread): back to a worker. */
static void gate_done(void *ctx, jup_status st, const jup_err *err)
{
	http_req *r = ctx;
	r->gate_status = st;
	r->gate_err[0] = '\0';
	if (st && err)
		memcpy(r->gate_err, err->msg, sizeof r->gate_err);
	http_defer(r, r->after_gate, false);
}

void http_shutting_down(http_worker *w, http_req *r)
{
	(void)w;
	r->retry_after = 5;
	http_reply_outcome(r, 503, "transient", "The server is shutting down: try again soon.");
}

jup_status http_gate_raw(http_server *s, const jup_gate_request *rq, jup_gate_decision *out,
			jup_gate_done_fn done, void *ctx, bool *closed, jup_err *err)
{
	pthread_rwlock_rdlock(&s->gate_lock);
	*closed = s->gate_closed;
	jup_status st = *closed ? JUP_OK : jup_gate_group_submit(s->gate, rq, out, done, ctx, err);
	pthread_rwlock_unlock(&s->gate_lock);
	return st;
}

void http_gate_submit(http_req *r, http_step_fn next)
{
	jup_err err;
	bool closed;
	r->after_gate = next;
	r->grq.request_id = r->rid;
	jup_status st = http_gate_raw(r->srv, &r->grq, &r->dec, gate_done, r, &closed, &err);
	if (closed)
		http_defer(r, http_shutting_down, false);
	else if (st)
		http_reply_error(r, st, &err);
}

/* --- the timer thread --- */

void http_hold(http_req *r)
{
	http_server *s = r->srv;
	pthread_mutex_lock(&s->timer_mu);
	if (s->nheld == s->capheld) {
		size_t cap = s->capheld ? s->capheld * 2 : 64;
		http_held *h = realloc(s->held, cap * sizeof *h);
		if (!h) { /* no room to hold it: answer now */
			pthread_mutex_unlock(&s->timer_mu);
			MHD_resume_connection(r->conn);
			return;
		}
		s->held = h;
		s->capheld = cap;
	}
	s->held[s->nheld++] = (http_held){ r, http_now_ns() + (uint64_t)r->delay_ms * 1000000u };
	pthread_cond_signal(&s->timer_cv);
	pthread_mutex_unlock(&s->timer_mu);
}

/* Resume the held answers that are due (all of them when flushing);
 * called with timer_mu held. */
static void release_due(http_server *s, uint64_t now, bool all)
{
	size_t k = 0;
	for (size_t i = 0; i < s->nheld; i++) {
		if (all || s->held[i].due_ns <= now)
			MHD_resume_connection(s->held[i].req->conn);
		else
			s->held[k++] = s->held[i];
	}
	s->nheld = k;
}

static void timer_tick(http_server *s)
{
	jup_err err;
	http_log_flush(s);
	if (s->timer_st && jup_auth_cache_refresh(s->tokens, s->timer_st, NULL, &err))
		http_log_event(s, "token_cache", "refresh failed");
}

static void *timer_main(void *arg)
{
	http_server *s = arg;
	uint64_t next_tick = http_now_ns();
	pthread_mutex_lock(&s->timer_mu);
	while (!s->timer_stop) {
		uint64_t now = http_now_ns();
		release_due(s, now, false);
		if (now >= next_tick) {
			pthread_mutex_unlock(&s->timer_mu);
			timer_tick(s);
			pthread_mutex_lock(&s->timer_mu);
			next_tick = now + 1000000000u;
		}
		uint64_t wake = next_tick;
		for (size_t i = 0; i < s->nheld; i++)
			if (s->held[i].due_ns < wake)
				wake = s->held[i].due_ns;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t in = wake > now ? wake - now : 0;
		ts.tv_sec += (time_t)(in / 1000000000u);
		ts.tv_nsec += (long)(in % 1000000000u);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->timer_cv, &s->timer_mu, &ts);
	}
	release_due(s, 0, true);
	pthread_mutex_unlock(&s->timer_mu);
	return NULL;
}

jup_status http_timer_start(http_server *s, jup_err *err)
{
	pthread_mutex_init(&s->timer_mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->timer_cv, &ca);
	pthread_condattr_destroy(&ca);
	jup_status st = jup_store_open(s->cfg.db, 0, &s->timer_st, err);
	if (st)
		return st;
	if (pthread_create(&s->timer, NULL, timer_main, s)) {
		jup_store_close(s->timer_st);
		s->timer_st = NULL;
		return jup_err_set(err, JUP_ERR_INTERNAL, "could not start the timer thread");
	}
	s->timer_started = true;
	return JUP_OK;
}

void http_timer_stop(http_server *s)
{
	if (!s->timer_started)
		return;
	pthread_mutex_lock(&s->timer_mu);
	s->timer_stop = true;
	pthread_cond_signal(&s->timer_cv);
	pthread_mutex_unlock(&s->timer_mu);
	pthread_join(s->timer, NULL);
	jup_store_close(s->timer_st);
	free(s->held);
	pthread_mutex_destroy(&s->timer_mu);
	pthread_cond_destroy(&s->timer_cv);
	s->timer_started = false;
}
