/*
 * auth_cache.c - live tokens' grants in memory (jup_auth.h, "The token
 * cache").
 *
 * A set-associative table: the token's hash picks a set of WAYS entries;
 * a set is guarded by one of LOCKS mutexes (sets striped over them), so a
 * hit is one hash, one lock and at most WAYS comparisons, and threads
 * checking different tokens rarely meet. A full set gives up the entry that
 * expires first. Memory is fixed when the cache is made.
 *
 * A refresh that empties the cache raises a generation number first; a
 * miss notes the generation before it reads the store and keeps what it
 * read only if the generation is unchanged, so an answer read before a
 * refresh is never kept after it.
 */
#include "auth/auth_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WAYS  8  /* entries per set */
#define LOCKS 64 /* mutexes the sets are striped over */

/* What a cached grant holds: all of jup_auth_grant but the break-glass
 * reason (break-glass tokens are never cached). */
typedef struct entry {
	uint8_t key[AUTH_KEY_LEN];
	bool used;
	int64_t token_id;
	jup_user user;
	char org_code[JUP_MAX_ORG_CODE_LEN + 1];
	jup_auth_grant_type grant_type;
	jup_consent_purpose purpose;
	int64_t issued_at, expires_at;
} entry;

struct jup_auth_cache {
	entry *sets; /* nsets * WAYS */
	size_t nsets;
	pthread_mutex_t locks[LOCKS];
	atomic_uint_fast64_t generation;
	atomic_uint_fast64_t hits, misses, clears;
	pthread_mutex_t refresh_lock; /* guards the versions below */
	bool refreshed;
	uint64_t token_version, user_version;
};

jup_status jup_auth_cache_new(size_t max, jup_auth_cache **out, jup_err *err)
{
	*out = NULL;
	if (max == 0 || max > JUP_AUTH_CACHE_MAX)
		return jup_err_set(err, JUP_ERR_USAGE, "auth: a token cache holds 1 to %d grants",
				   JUP_AUTH_CACHE_MAX);
	jup_auth_cache *c = calloc(1, sizeof *c);
	size_t nsets = (max + WAYS - 1) / WAYS;
	entry *sets = c ? calloc(nsets * WAYS, sizeof *sets) : NULL;
	if (!sets) {
		free(c);
		return jup_err_set(err, JUP_ERR_NOMEM, "auth: token cache: out of memory");
	}
	c->sets = sets;
	c->nsets = nsets;
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_init(&c->locks[i], NULL);
	pthread_mutex_init(&c->refresh_lock, NULL);
	*out = c;
	return JUP_OK;
}

void jup_auth_cache_free(jup_auth_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_destroy(&c->locks[i]);
	pthread_mutex_destroy(&c->refresh_lock);
	free(c->sets);
	free(c);
}

/* ---- sets -------------------------------------------------------------------------- */

static size_t set_of(const jup_auth_cache *c, const uint8_t key[AUTH_KEY_LEN])
{
	uint64_t h;
	memcpy(&h, key, sizeof h); /* a BLAKE2b hash: any 8 bytes are uniform */
	return (size_t)(h % c->nsets);
}

static pthread_mutex_t *lock_of(jup_auth_cache *c, size_t set)
{
	return &c->locks[set % LOCKS];
}

/* The entry of key in set s, or NULL. Under the set's lock. */
static entry *find(jup_auth_cache *c, size_t s, const uint8_t key[AUTH_KEY_LEN])
{
	entry *e = &c->sets[s * WAYS];
	for (int i = 0; i < WAYS; i++)
		if (e[i].used && memcmp(e[i].key, key, AUTH_KEY_LEN) == 0)
			return &e[i];
	return NULL;
}

/* Where a new entry goes in set s: a free way, else the one expiring
 * first. Under the set's lock. */
static entry *slot(jup_auth_cache *c, size_t s)
{
	entry *e = &c->sets[s * WAYS], *victim = &e[0];
	for (int i = 0; i < WAYS; i++) {
		if (!e[i].used)
			return &e[i];
		if (e[i].expires_at < victim->expires_at)
			victim = &e[i];
	}
	return victim;
}

static void pack(entry *e, const uint8_t key[AUTH_KEY_LEN], const jup_auth_grant *g)
{
	memcpy(e->key, key, AUTH_KEY_LEN);
	e->used = true;
	e->token_id = g->token_id;
	e->user = g->user;
	memcpy(e->org_code, g->org_code, sizeof e->org_code);
	e->grant_type = g->grant_type;
	e->purpose = g->purpose;
	e->issued_at = g->issued_at;
	e->expires_at = g->expires_at;
}

static void unpack(const entry *e, jup_auth_grant *g)
{
	memset(g, 0, sizeof *g);
	g->token_id = e->token_id;
	g->user = e->user;
	memcpy(g->org_code, e->org_code, sizeof g->org_code);
	g->grant_type = e->grant_type;
	g->purpose = e->purpose;
	g->issued_at = e->issued_at;
	g->expires_at = e->expires_at;
}

/* ---- checking ------------------------------------------------------------------------ */

/* A hit: true with *out filled. An expired entry is dropped (a miss). */
static bool hit(jup_auth_cache *c, const uint8_t key[AUTH_KEY_LEN], int64_t now,
		jup_auth_grant *out)
{
	size_t s = set_of(c, key);
	pthread_mutex_t *m = lock_of(c, s);
	pthread_mutex_lock(m);
	entry *e = find(c, s, key);
	bool live = e && e->expires_at > now;
	if (live)
		unpack(e, out);
	else if (e)
		e->used = false;
	pthread_mutex_unlock(m);
	return live;
}

/* Keep what a miss read, unless the cache was emptied since it began. */
static void keep(jup_auth_cache *c, const uint8_t key[AUTH_KEY_LEN], const jup_auth_grant *g,
		 uint64_t generation)
{
	size_t s = set_of(c, key);
	pthread_mutex_t *m = lock_of(c, s);
	pthread_mutex_lock(m);
	if (atomic_load(&c->generation) == generation) {
		entry *e = find(c, s, key);
		pack(e ? e : slot(c, s), key, g);
	}
	pthread_mutex_unlock(m);
}

jup_status jup_auth_cache_check(jup_auth_cache *c, jup_store *st, const char *token, int64_t now,
				jup_auth_grant *out, jup_err *err)
{
	uint8_t key[AUTH_KEY_LEN];
	if (!c || !st || !out)
		return jup_err_set(err, JUP_ERR_USAGE,
				   "auth: check needs a cache, a store and a grant");
	if (!auth_token_key(token, key)) {
		memset(out, 0, sizeof *out);
		return jup_err_set(err, JUP_ERR_DENIED, AUTH_TOKEN_DENIED);
	}
	now = auth_now(now);
	if (hit(c, key, now, out)) {
		atomic_fetch_add(&c->hits, 1);
		return JUP_OK;
	}
	atomic_fetch_add(&c->misses, 1);
	uint64_t generation = atomic_load(&c->generation);
	jup_status r = auth_lookup(st, key, now, out, err);
	if (!r && !out->break_glass[0])
		keep(c, key, out, generation);
	return r;
}

void jup_auth_cache_forget(jup_auth_cache *c, const char *token)
{
	uint8_t key[AUTH_KEY_LEN];
	if (!c || !auth_token_key(token, key))
		return;
	size_t s = set_of(c, key);
	pthread_mutex_t *m = lock_of(c, s);
	pthread_mutex_lock(m);
	entry *e = find(c, s, key);
	if (e)
		e->used = false;
	pthread_mutex_unlock(m);
}

/* ---- refreshing ------------------------------------------------------------------------- */

/* Empty every set (the generation first, so no miss begun before keeps
 * its answer). */
static void clear(jup_auth_cache *c)
{
	atomic_fetch_add(&c->generation, 1);
	atomic_fetch_add(&c->clears, 1);
	for (int l = 0; l < LOCKS; l++) {
		pthread_mutex_lock(&c->locks[l]);
		for (size_t s = (size_t)l; s < c->nsets; s += LOCKS)
			for (int i = 0; i < WAYS; i++)
				c->sets[s * WAYS + i].used = false;
		pthread_mutex_unlock(&c->locks[l]);
	}
}

jup_status jup_auth_cache_refresh(jup_auth_cache *c, jup_store *st, bool *cleared, jup_err *err)
{
	bool ignored;
	cleared = cleared ? cleared : &ignored;
	*cleared = false;
	if (!c || !st)
		return jup_err_set(err, JUP_ERR_USAGE, "auth: refresh needs a cache and a store");
	uint64_t v[JUP_TABLE__COUNT];
	pthread_mutex_lock(&c->refresh_lock);
	jup_status r = jup_store_versions(st, v, err);
	bool changed = r || !c->refreshed || v[JUP_TABLE_AUTH_TOKEN] != c->token_version ||
		       v[JUP_TABLE_APP_USER] != c->user_version;
	if (changed)
		clear(c);
	c->refreshed = !r;
	c->token_version = v[JUP_TABLE_AUTH_TOKEN];
	c->user_version = v[JUP_TABLE_APP_USER];
	pthread_mutex_unlock(&c->refresh_lock);
	*cleared = changed;
	return r;
}

void jup_auth_cache_stats(jup_auth_cache *c, jup_auth_cache_counts *out)
{
	memset(out, 0, sizeof *out);
	out->hits = atomic_load(&c->hits);
	out->misses = atomic_load(&c->misses);
	out->clears = atomic_load(&c->clears);
	for (int l = 0; l < LOCKS; l++) {
		pthread_mutex_lock(&c->locks[l]);
		for (size_t s = (size_t)l; s < c->nsets; s += LOCKS)
			for (int i = 0; i < WAYS; i++)
				out->entries += c->sets[s * WAYS + i].used;
		pthread_mutex_unlock(&c->locks[l]);
	}
}
