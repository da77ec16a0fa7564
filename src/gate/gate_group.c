/*
 * gate_group.c - group commit of gate decisions (jup_gate.h).
 *
 * Leader and followers: a thread queues its request; if no batch is being
 * decided it becomes the leader, takes everything queued and decides and
 * writes it in one transaction on the group's connection, through the
 * group's index of facts (gate_decide_batch), and commits without waiting
 * for the disk; it hands the lead to the first thread queued meanwhile
 * (whose requests form the next batch), flushes its own batch to disk
 * (jup_store_sync) while that next batch is decided, and only then wakes
 * its batch's threads. So batches grow with the load, a quiet system still
 * commits at once, the disk and the deciding overlap, each thread is woken
 * once, and no call returns before its entry is on disk. Only the leader
 * touches the connection and the index (the flush uses a handle of its own).
 */
#include "gate/gate_internal.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

struct jup_gate_group {
	jup_store *st;
	gate_index *ix;
	pthread_mutex_t lock;
	gate_job *head, **tail;
	bool deciding;               /* a leader is deciding; queued jobs wait for the lead */
	uint64_t batches, decisions; /* these and the index's counts, under lock */
	size_t people;
	uint64_t loads;
};

jup_status jup_gate_group_open(const char *location, jup_gate_group **out, jup_err *err)
{
	*out = NULL;
	jup_gate_group *g = calloc(1, sizeof *g);
	if (!g)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory opening the gate");
	jup_status s = jup_store_open(location, JUP_STORE_DEFER_SYNC, &g->st, err);
	if (!s)
		s = gate_index_new(&g->ix, err);
	if (s) {
		jup_store_close(g->st);
		free(g);
		return s;
	}
	pthread_mutex_init(&g->lock, NULL);
	g->tail = &g->head;
	*out = g;
	return JUP_OK;
}

void jup_gate_group_close(jup_gate_group *g)
{
	if (!g)
		return;
	gate_index_free(g->ix);
	jup_store_close(g->st);
	pthread_mutex_destroy(&g->lock);
	free(g);
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

/* A queued request and its thread's wake-up. */
typedef struct waiter {
	gate_job job; /* first: the batch links jobs, and a job is its waiter */
	sem_t wake;   /* posted once: to lead the next batch, or when its batch ended */
	bool lead;    /* set before the post that asks it to lead */
} waiter;

/* A batch whose commit could not be made durable fails, as if it had not
 * been committed (its entries may survive: the log then names accesses
 * that never released anything, never the reverse). */
static void fail_batch(gate_job *batch, jup_status s, const jup_err *err)
{
	for (gate_job *j = batch; j; j = j->next) {
		if (j->status && j->status != JUP_ERR_INVALID)
			continue;
		j->status = s;
		j->err = *err;
		j->out->permit = false;
		j->out->audit_id = j->out->grant_id = 0;
	}
}

/* Wake the threads of a finished batch but self. A woken thread returns at
 * once and its job (on its stack) is gone: read the link before posting. */
static void wake_batch(gate_job *batch, const waiter *self)
{
	for (gate_job *j = batch, *next; j; j = next) {
		next = j->next;
		j->done = true;
		if ((waiter *)j != self)
			sem_post(&((waiter *)j)->wake);
	}
}

/* As leader: decide and commit everything queued, pass the lead on, then
 * (while the next batch is decided) flush this batch to disk and wake its
 * threads. */
static void lead_batch(jup_gate_group *g, waiter *self)
{
	pthread_mutex_lock(&g->lock);
	gate_job *batch = g->head;
	g->head = NULL;
	g->tail = &g->head;
	pthread_mutex_unlock(&g->lock);
	gate_decide_batch(g->st, g->ix, batch);
	uint64_t n = 0, loads;
	size_t people;
	for (gate_job *j = batch; j; j = j->next)
		n++;
	gate_index_counts(g->ix, &people, &loads);
	pthread_mutex_lock(&g->lock);
	g->people = people;
	g->loads = loads;
	g->batches++;
	g->decisions += n;
	waiter *next = (waiter *)g->head; /* stays queued: only a leader takes */
	g->deciding = next != NULL;
	pthread_mutex_unlock(&g->lock);
	if (next) {
		next->lead = true;
		sem_post(&next->wake);
	}
	jup_err err;
	jup_status s = jup_store_sync(g->st, &err);
	if (s)
		fail_batch(batch, s, &err);
	wake_batch(batch, self);
}

/* Queue w and return once the batch holding it has ended. */
static void decide_grouped(jup_gate_group *g, waiter *w)
{
	pthread_mutex_lock(&g->lock);
	*g->tail = &w->job;
	g->tail = &w->job.next;
	bool lead = !g->deciding;
	g->deciding = true;
	pthread_mutex_unlock(&g->lock);
	if (!lead) {
		while (sem_wait(&w->wake) != 0)
			; /* EINTR */
		lead = w->lead;
	}
	if (lead)
		lead_batch(g, w);
}

jup_status jup_gate_group_decide(jup_gate_group *g, const jup_gate_request *rq,
				 jup_gate_decision *out, jup_err *err)
{
	waiter w = { .job = { .rq = rq, .out = out } };
	sem_init(&w.wake, 0, 0);
	decide_grouped(g, &w);
	sem_destroy(&w.wake);
	if (w.job.status)
		*err = w.job.err;
	return w.job.status;
}
