/*
 * http_rate.c - requests per second per key (a client address, a token),
 * as token buckets: a key may send `burst` requests at once and `rate` a
 * second after that. Keys are kept as 64-bit keyed hashes (SipHash, a key
 * drawn at start), never as the address or token itself, in a fixed table
 * of striped slots: memory is bounded whatever clients send; when a stripe
 * is full the bucket touched longest ago gives way.
 */
#include "http/http_internal.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define STRIPES 64
#define SLOTS   256 /* per stripe: 16,384 keys in all */

typedef struct bucket {
	uint64_t key; /* 0: empty */
	double tokens;
	uint64_t at_ns;
} bucket;

typedef struct stripe {
	pthread_mutex_t mu;
	bucket slot[SLOTS];
} stripe;

struct http_rate {
	double rate, burst;
	uint8_t k[crypto_shorthash_KEYBYTES];
	stripe s[STRIPES];
};

http_rate *http_rate_new(double rate, double burst)
{
	http_rate *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->rate = rate;
	t->burst = burst < 1 ? 1 : burst;
	randombytes_buf(t->k, sizeof t->k);
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&t->s[i].mu, NULL);
	return t;
}

void http_rate_free(http_rate *t)
{
	if (!t)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&t->s[i].mu);
	free(t);
}

/* The bucket of key h in stripe s: found, or a fresh one in an empty slot
 * or the stalest. */
static bucket *bucket_for(http_rate *t, stripe *s, uint64_t h, uint64_t now)
{
	size_t at = (size_t)(h >> 8) % SLOTS;
	bucket *stalest = &s->slot[at];
	for (size_t i = 0; i < 8; i++) {
		bucket *b = &s->slot[(at + i) % SLOTS];
		if (b->key == h)
			return b;
		if (b->key == 0 || b->at_ns < stalest->at_ns)
			stalest = b;
		if (b->key == 0)
			break;
	}
	*stalest = (bucket){ h, t->burst, now };
	return stalest;
}

bool http_rate_take(http_rate *t, const void *key, size_t len, uint64_t now_ns,
		    unsigned *retry_after)
{
	if (!t || t->rate <= 0)
		return true;
	uint8_t out[crypto_shorthash_BYTES];
	crypto_shorthash(out, key, len, t->k);
	uint64_t h;
	memcpy(&h, out, sizeof h);
	h |= 1; /* never 0 */
	stripe *s = &t->s[h % STRIPES];
	pthread_mutex_lock(&s->mu);
	bucket *b = bucket_for(t, s, h, now_ns);
	if (now_ns > b->at_ns) {
		b->tokens += (double)(now_ns - b->at_ns) / 1e9 * t->rate;
		if (b->tokens > t->burst)
			b->tokens = t->burst;
		b->at_ns = now_ns;
	}
	bool ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	else
		*retry_after = (unsigned)ceil((1 - b->tokens) / t->rate);
	pthread_mutex_unlock(&s->mu);
	if (!ok && *retry_after == 0)
		*retry_after = 1;
	return ok;
}
