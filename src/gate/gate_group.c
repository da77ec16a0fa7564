/*
 * gate_group.c - group commit of gate decisions (jup_gate.h).
 *
 * Leader and followers: a thread queues its decision's writes; if no batch
 * is being written it becomes the leader, takes everything queued, writes
 * it in one transaction on the group's connection, commits, marks each
 * decision done and wakes the others. Decisions queued while a batch is
 * written form the next batch, so batches grow with the load and a quiet
 * system still commits at once.
 */
#include "gate/gate_internal.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct group_item {
	const gate_pending *w;
	jup_gate_decision *out;
	jup_status status;
	jup_err err;
	bool done;
	struct group_item *next;
} group_item;

struct jup_gate_group {
	jup_store *writer;
	pthread_mutex_t lock;
	pthread_cond_t done;
	group_item *head, **tail;
	bool writing;
};

jup_status jup_gate_group_open(const char *location, jup_gate_group **out, jup_err *err)
{
	*out = NULL;
	jup_gate_group *g = calloc(1, sizeof *g);
	if (!g)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory opening the gate");
	jup_status s = jup_store_open(location, 0, &g->writer, err);
	if (s) {
		free(g);
		return s;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->done, NULL);
	g->tail = &g->head;
	*out = g;
	return JUP_OK;
}

void jup_gate_group_close(jup_gate_group *g)
{
	if (!g)
		return;
	jup_store_close(g->writer);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->done);
	free(g);
}

/* Write one batch in one transaction; on failure every item fails. */
static void write_batch(jup_store *st, group_item *batch)
{
	jup_err err;
	jup_status s = jup_store_begin(st, &err);
	for (group_item *it = batch; !s && it; it = it->next)
		s = gate_write(st, it->w, it->out, &err);
	if (!s)
		s = jup_store_commit(st, &err);
	if (s)
		jup_store_abandon(st);
	for (group_item *it = batch; it; it = it->next) {
		if (!s)
			continue;
		it->status = s;
		it->err = err;
		it->out->permit = false;
		it->out->audit_id = it->out->grant_id = 0;
	}
}

/* Queue item and wait until a batch holding it is committed, writing
 * batches while nobody else is. */
static void commit_grouped(jup_gate_group *g, group_item *item)
{
	pthread_mutex_lock(&g->lock);
	*g->tail = item;
	g->tail = &item->next;
	while (!item->done) {
		if (g->writing) {
			pthread_cond_wait(&g->done, &g->lock);
			continue;
		}
		group_item *batch = g->head;
		g->head = NULL;
		g->tail = &g->head;
		g->writing = true;
		pthread_mutex_unlock(&g->lock);
		write_batch(g->writer, batch);
		pthread_mutex_lock(&g->lock);
		for (group_item *it = batch; it; it = it->next)
			it->done = true;
		g->writing = false;
		pthread_cond_broadcast(&g->done);
	}
	pthread_mutex_unlock(&g->lock);
}

jup_status jup_gate_group_decide(jup_gate_group *g, jup_store *reader, const jup_gate_request *rq,
				 jup_gate_decision *out, jup_err *err)
{
	gate_pending w;
	jup_err why;
	jup_status checked = gate_check(reader, rq, out, &w, &why);
	if (checked && checked != JUP_ERR_INVALID) {
		*err = why;
		return checked;
	}
	group_item item = { &w, out, JUP_OK, { "" }, false, NULL };
	commit_grouped(g, &item);
	if (item.status) {
		*err = item.err;
		return item.status;
	}
	if (checked)
		*err = why;
	return checked;
}
