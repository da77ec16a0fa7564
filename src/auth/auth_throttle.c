/*
 * auth_throttle.c - slowing failed sign-ins (jup_auth.h, "Slowing failed
 * sign-ins"): failures counted per key in a bounded, set-associative table.
 *
 * A key is kept as its SipHash-2-4 under a key made at random when the
 * throttle is made (crypto_shorthash): 8 bytes whatever the key's length,
 * and an outsider cannot choose keys that collide. A set is guarded by one
 * of LOCKS mutexes. Counts decay lazily: an entry holds the count at its
 * last failure, and readers subtract what time has forgiven since.
 */
#include "auth/auth_internal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define WAYS         8
#define LOCKS        64
#define MAX_FAILURES 64 /* counted at most (far past the cap) */

typedef struct slot {
	uint64_t hash;   /* 0: free */
	int64_t last_ms; /* the last failure */
	uint32_t failures;
} slot;

struct jup_auth_throttle {
	slot *sets;
	size_t nsets;
	unsigned char key[crypto_shorthash_KEYBYTES];
	pthread_mutex_t locks[LOCKS];
};

jup_status jup_auth_throttle_new(size_t max, jup_auth_throttle **out, jup_err *err)
{
	*out = NULL;
	if (max == 0 || max > JUP_AUTH_THROTTLE_MAX)
		return jup_err_set(err, JUP_ERR_USAGE, "auth: a throttle holds 1 to %d keys",
				   JUP_AUTH_THROTTLE_MAX);
	if (sodium_init() < 0)
		return jup_err_set(err, JUP_ERR_INTERNAL, "auth: libsodium did not start");
	jup_auth_throttle *t = calloc(1, sizeof *t);
	size_t nsets = (max + WAYS - 1) / WAYS;
	slot *sets = t ? calloc(nsets * WAYS, sizeof *sets) : NULL;
	if (!sets) {
		free(t);
		return jup_err_set(err, JUP_ERR_NOMEM, "auth: throttle: out of memory");
	}
	t->sets = sets;
	t->nsets = nsets;
	crypto_shorthash_keygen(t->key);
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_init(&t->locks[i], NULL);
	*out = t;
	return JUP_OK;
}

void jup_auth_throttle_free(jup_auth_throttle *t)
{
	if (!t)
		return;
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_destroy(&t->locks[i]);
	sodium_memzero(t->key, sizeof t->key);
	free(t->sets);
	free(t);
}

/* ---- the policy ---------------------------------------------------------------- */

/* The failures still counted at now_ms. */
static uint32_t failures_at(const slot *s, int64_t now_ms)
{
	if (!s->hash)
		return 0;
	int64_t since = now_ms > s->last_ms ? now_ms - s->last_ms : 0;
	int64_t forgiven = since / JUP_AUTH_THROTTLE_DECAY_MS;
	return forgiven >= s->failures ? 0 : s->failures - (uint32_t)forgiven;
}

/* The delay after f failures. */
static uint32_t delay_for(uint32_t f)
{
	if (f < JUP_AUTH_THROTTLE_FREE)
		return 0;
	uint32_t d = JUP_AUTH_THROTTLE_BASE_MS;
	for (uint32_t i = JUP_AUTH_THROTTLE_FREE; i < f && d < JUP_AUTH_THROTTLE_CAP_MS; i++)
		d *= 2;
	return d < JUP_AUTH_THROTTLE_CAP_MS ? d : JUP_AUTH_THROTTLE_CAP_MS;
}

/* ---- the table ----------------------------------------------------------------- */

/* The key's hash (never 0, which marks a free slot) and its set. */
static uint64_t hash_of(const jup_auth_throttle *t, const char *key, size_t *set)
{
	unsigned char out[crypto_shorthash_BYTES];
	const char *k = key ? key : "";
	crypto_shorthash(out, (const unsigned char *)k, strlen(k), t->key);
	uint64_t h;
	memcpy(&h, out, sizeof h);
	h = h ? h : 1;
	*set = (size_t)(h % t->nsets);
	return h;
}

static slot *find(jup_auth_throttle *t, size_t set, uint64_t h)
{
	slot *s = &t->sets[set * WAYS];
	for (int i = 0; i < WAYS; i++)
		if (s[i].hash == h)
			return &s[i];
	return NULL;
}

/* Where a new key goes: the slot with the fewest failures still counted
 * (a free one has none), the oldest among equals. */
static slot *victim(jup_auth_throttle *t, size_t set, int64_t now_ms)
{
	slot *s = &t->sets[set * WAYS], *v = &s[0];
	uint32_t least = failures_at(v, now_ms);
	for (int i = 1; i < WAYS && (least || v->hash); i++) {
		uint32_t f = failures_at(&s[i], now_ms);
		if (f < least || (f == least && (!s[i].hash || s[i].last_ms < v->last_ms))) {
			v = &s[i];
			least = f;
		}
	}
	return v;
}

uint32_t jup_auth_throttle_delay_ms(jup_auth_throttle *t, const char *key, int64_t now_ms)
{
	size_t set;
	uint64_t h = hash_of(t, key, &set);
	pthread_mutex_t *m = &t->locks[set % LOCKS];
	pthread_mutex_lock(m);
	slot *s = find(t, set, h);
	uint32_t f = s ? failures_at(s, now_ms) : 0;
	pthread_mutex_unlock(m);
	return delay_for(f);
}

void jup_auth_throttle_fail(jup_auth_throttle *t, const char *key, int64_t now_ms)
{
	size_t set;
	uint64_t h = hash_of(t, key, &set);
	pthread_mutex_t *m = &t->locks[set % LOCKS];
	pthread_mutex_lock(m);
	slot *s = find(t, set, h);
	uint32_t f = s ? failures_at(s, now_ms) : 0;
	if (!s)
		s = victim(t, set, now_ms);
	s->hash = h;
	s->failures = f < MAX_FAILURES ? f + 1 : MAX_FAILURES;
	s->last_ms = now_ms > s->last_ms || f == 0 ? now_ms : s->last_ms;
	pthread_mutex_unlock(m);
}

void jup_auth_throttle_success(jup_auth_throttle *t, const char *key)
{
	size_t set;
	uint64_t h = hash_of(t, key, &set);
	pthread_mutex_t *m = &t->locks[set % LOCKS];
	pthread_mutex_lock(m);
	slot *s = find(t, set, h);
	if (s)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(m);
}
