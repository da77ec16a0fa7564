/*
 * gate_group.c - group commit of gate decisions (jup_gate.h).
 *
 * Two threads of the group's own: the decider takes every request queued,
 * decides and writes them in one transaction on the group's connection,
 * through the group's index of facts (gate_decide_batch), commits without
 * waiting for the disk and passes the batch to the syncer; the syncer
 * flushes every batch committed so far in one go (jup_store_sync) and only
 * then completes each request (a blocked caller is woken, a callback is
 * called). So batches grow with the load, a quiet system still commits at
 * once, deciding and the disk overlap, and nothing is completed before its
 * entry is on disk. Only the decider touches the connection and the index
 * (the flush uses a handle of its own).
 */
#include "gate/gate_internal.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

/* A request in the group: the job, and how to complete it. */
typedef struct group_job {
	gate_job job; /* first: batches link jobs, and a job is its group_job */
	jup_gate_done_fn fn;
	void *ctx;
	bool owned; /* allocated by jup_gate_group_submit: freed once completed */
} group_job;

struct jup_gate_group {
	jup_store *st;
	gate_index *ix;
	pthread_t decider, syncer;
	pthread_mutex_t lock;
	pthread_cond_t work;    /* to the decider: requests queued, or stopping */
	pthread_cond_t to_sync; /* to the syncer: batches committed, or the decider ended */
	gate_job *head, **tail; /* requests waiting for the decider */
	gate_job *sync_head, **sync_tail; /* committed, waiting for the flush */
	bool stopping, decider_done;
	uint64_t batches, decisions; /* these and the index's counts, under lock */
	size_t people;
	uint64_t loads;
};

/* ---- the decider ------------------------------------------------------------------ */

static gate_job *take_queue(gate_job **head, gate_job ***tail)
{
	gate_job *list = *head;
	*head = NULL;
	*tail = head;
	return list;
}

/* Append list (its last job `last`) to a queue. */
static void append(gate_job ***tail, gate_job *list, gate_job *last)
{
	**tail = list;
	*tail = &last->next;
}

static void *decide_loop(void *arg)
{
	jup_gate_group *g = arg;
	pthread_mutex_lock(&g->lock);
	for (;;) {
		while (!g->head && !g->stopping)
			pthread_cond_wait(&g->work, &g->lock);
		if (!g->head)
			break;
		gate_job *batch = take_queue(&g->head, &g->tail);
		pthread_mutex_unlock(&g->lock);
		gate_decide_batch(g->st, g->ix, batch);
		uint64_t n = 1, loads;
		size_t people;
		gate_job *last = batch;
		for (; last->next; last = last->next)
			n++;
		gate_index_counts(g->ix, &people, &loads);
		pthread_mutex_lock(&g->lock);
		g->people = people;
		g->loads = loads;
		g->batches++;
		g->decisions += n;
		append(&g->sync_tail, batch, last);
		pthread_cond_signal(&g->to_sync);
	}
	g->decider_done = true;
	pthread_cond_signal(&g->to_sync);
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* ---- the syncer ------------------------------------------------------------------- */


/* Complete every job of list. A completed job may be gone at once (a woken
 * caller returns): read the link first. */
static void complete(gate_job *list)
{
	for (gate_job *j = list, *next; j; j = next) {
		next = j->next;
		group_job *gj = (group_job *)j;
		bool owned = gj->owned;
		gj->fn(gj->ctx, j->status, &j->err);
		if (owned)
			free(gj);
	}
}

static void *sync_loop(void *arg)
{
	jup_gate_group *g = arg;
	pthread_mutex_lock(&g->lock);
	for (;;) {
		while (!g->sync_head && !g->decider_done)
			pthread_cond_wait(&g->to_sync, &g->lock);
		if (!g->sync_head)
			break;
		gate_job *list = take_queue(&g->sync_head, &g->sync_tail);
		pthread_mutex_unlock(&g->lock);
		jup_err err;
		jup_status s = jup_store_sync(g->st, &err);
		/* not durable: fail them (their entries may survive; the log then
		 * names accesses that released nothing, never the reverse) */
		if (s)
			gate_fail_jobs(list, s, &err);
		complete(list);
		pthread_mutex_lock(&g->lock);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* ---- the group -------------------------------------------------------------------- */

static void free_group(jup_gate_group *g)
{
	gate_index_free(g->ix);
	jup_store_close(g->st);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->work);
	pthread_cond_destroy(&g->to_sync);
	free(g);
}

/* Start the two threads; on failure stop whichever started. */
static jup_status start_threads(jup_gate_group *g, jup_err *err)
{
	if (pthread_create(&g->decider, NULL, decide_loop, g) != 0)
		return jup_err_set(err, JUP_ERR_NOMEM, "the gate could not start its decider");
	if (pthread_create(&g->syncer, NULL, sync_loop, g) == 0)
		return JUP_OK;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->work);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->decider, NULL);
	return jup_err_set(err, JUP_ERR_NOMEM, "the gate could not start its syncer");
}

jup_status jup_gate_group_open(const char *location, jup_gate_group **out, jup_err *err)
{
	*out = NULL;
	jup_gate_group *g = calloc(1, sizeof *g);
	if (!g)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory opening the gate");
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->work, NULL);
	pthread_cond_init(&g->to_sync, NULL);
	g->tail = &g->head;
	g->sync_tail = &g->sync_head;
	jup_status s = jup_store_open(location, JUP_STORE_DEFER_SYNC, &g->st, err);
	if (!s)
		s = gate_index_new(&g->ix, err);
	if (!s)
		s = start_threads(g, err);
	if (s) {
		free_group(g);
		return s;
	}
	*out = g;
	return JUP_OK;
}

void jup_gate_group_close(jup_gate_group *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->work);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->decider, NULL); /* it decides what is queued first */
	pthread_join(g->syncer, NULL);  /* and this completes it */
	free_group(g);
}

void jup_gate_group_stats(jup_gate_group *g, jup_gate_group_counts *c)
{
	pthread_mutex_lock(&g->lock);
	c->batches = g->batches;
	c->decisions = g->decisions;
	c->people = g->people;
	c->loads = g->loads;
	pthread_mutex_unlock(&g->lock);
}

static void queue_job(jup_gate_group *g, group_job *gj)
{
	pthread_mutex_lock(&g->lock);
	bool idle = g->head == NULL;
	append(&g->tail, &gj->job, &gj->job);
	if (idle)
		pthread_cond_signal(&g->work);
	pthread_mutex_unlock(&g->lock);
}

jup_status jup_gate_group_submit(jup_gate_group *g, const jup_gate_request *rq,
				 jup_gate_decision *out, jup_gate_done_fn done, void *ctx,
				 jup_err *err)
{
	group_job *gj = calloc(1, sizeof *gj);
	if (!gj)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory queueing a gate request");
	*gj = (group_job){ .job = { .rq = rq, .out = out }, .fn = done, .ctx = ctx, .owned = true };
	queue_job(g, gj);
	return JUP_OK;
}

static void wake_caller(void *ctx, jup_status status, const jup_err *err)
{
	(void)status;
	(void)err;
	sem_post(ctx);
}

jup_status jup_gate_group_decide(jup_gate_group *g, const jup_gate_request *rq,
				 jup_gate_decision *out, jup_err *err)
{
	sem_t woken;
	sem_init(&woken, 0, 0);
	group_job gj = { .job = { .rq = rq, .out = out }, .fn = wake_caller, .ctx = &woken };
	queue_job(g, &gj);
	while (sem_wait(&woken) != 0)
		; /* EINTR */
	sem_destroy(&woken);
	if (gj.job.status)
		*err = gj.job.err;
	return gj.job.status;
}
