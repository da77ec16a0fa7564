/* link_parallel.c - run a loop over pairs on every core. */
#include "link/link_internal.h"

#include <pthread.h>

typedef struct link_slice {
	void (*fn)(void *ctx, int slice, size_t from, size_t to);
	void *ctx;
	int slice;
	size_t from, to;
} link_slice;

static void *link_slice_run(void *arg)
{
	const link_slice *s = arg;
	s->fn(s->ctx, s->slice, s->from, s->to);
	return NULL;
}

void link_parallel(size_t n, void (*fn)(void *ctx, int slice, size_t from, size_t to),
		   void *ctx)
{
	link_slice s[LINK_THREADS];
	pthread_t th[LINK_THREADS];
	bool started[LINK_THREADS] = { false };
	size_t per = n / LINK_THREADS + 1;
	for (int i = 0; i < LINK_THREADS; i++) {
		size_t from = per * (size_t)i, to = per * (size_t)(i + 1);
		to = to > n ? n : to;
		s[i] = (link_slice){ fn, ctx, i, from > to ? to : from, to };
		started[i] = pthread_create(&th[i], NULL, link_slice_run, &s[i]) == 0;
	}
	for (int i = 0; i < LINK_THREADS; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			link_slice_run(&s[i]);
	}
}
