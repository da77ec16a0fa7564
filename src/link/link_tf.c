/*
 * link_tf.c - term frequencies of given names, family names and postcode
 * units, for weighing an exact match by how common the value is.
 *
 * One open-addressing hash table (linear probing, power-of-two size, grown
 * at half full) per field, keyed by the folded value copied into a fixed
 * NUL-padded key, counting records. A value's share is its count over the
 * records that carry the field at all.
 */
#include "link/jup_link_model.h"

#include <stdlib.h>
#include <string.h>

#define LINK_TF_KEY 24 /* holds a folded name (JUP_LINK_NAME_MAX) or a pc_unit */
#define LINK_TF_FIELDS 3

typedef struct link_tf_slot {
	char key[LINK_TF_KEY]; /* NUL-padded; key[0] == 0: empty slot */
	uint32_t count;
	uint32_t hash; /* low bits of the key's hash, to skip most key compares */
} link_tf_slot;

typedef struct link_tf_table {
	link_tf_slot *slots;
	size_t cap, used;
	uint64_t total; /* records carrying a value */
} link_tf_table;

struct jup_link_tf {
	link_tf_table t[LINK_TF_FIELDS]; /* given, family, postcode unit */
};

_Static_assert(sizeof(((jup_link_rec *)0)->given) <= LINK_TF_KEY, "given fits a key");
_Static_assert(sizeof(((jup_link_rec *)0)->family) <= LINK_TF_KEY, "family fits a key");
_Static_assert(sizeof(((jup_link_rec *)0)->pc_unit) <= LINK_TF_KEY, "pc_unit fits a key");

/* The field of r that comparison c's table counts; NULL for other
 * comparisons. */
static const char *link_tf_field(int c, const jup_link_rec *r, size_t *cap, int *table)
{
	switch (c) {
	case JUP_CMP_GIVEN:
		*cap = sizeof r->given;
		*table = 0;
		return r->given;
	case JUP_CMP_FAMILY:
		*cap = sizeof r->family;
		*table = 1;
		return r->family;
	case JUP_CMP_POSTCODE:
		*cap = sizeof r->pc_unit;
		*table = 2;
		return r->pc_unit;
	default:
		return NULL;
	}
}

/* Copy a field into a canonical NUL-padded key; false when it is empty. */
static bool link_tf_key(const char *s, size_t cap, char key[LINK_TF_KEY])
{
	size_t len = strnlen(s, cap);
	memset(key, 0, LINK_TF_KEY);
	memcpy(key, s, len);
	return len > 0;
}

static uint64_t link_tf_hash(const char key[LINK_TF_KEY])
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < LINK_TF_KEY; i += 8) {
		uint64_t w;
		memcpy(&w, key + i, sizeof w);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
	}
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 32);
}

/* The slot holding key, or the empty slot where it belongs. */
static link_tf_slot *link_tf_find(const link_tf_table *t, const char key[LINK_TF_KEY],
				  uint64_t h)
{
	size_t mask = t->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		link_tf_slot *s = &t->slots[i];
		if (!s->key[0])
			return s;
		if (s->hash == (uint32_t)h && memcmp(s->key, key, LINK_TF_KEY) == 0)
			return s;
	}
}

static bool link_tf_grow(link_tf_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	link_tf_slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return false;
	link_tf_table bigger = { slots, cap, t->used, t->total };
	for (size_t i = 0; i < t->cap; i++) {
		const link_tf_slot *s = &t->slots[i];
		if (s->key[0])
			*link_tf_find(&bigger, s->key, link_tf_hash(s->key)) = *s;
	}
	free(t->slots);
	*t = bigger;
	return true;
}

/* Add n records carrying key (the total is the caller's business). */
static bool link_tf_add_n(link_tf_table *t, const char key[LINK_TF_KEY], uint32_t n)
{
	if ((t->used + 1) * 2 > t->cap && !link_tf_grow(t))
		return false;
	uint64_t h = link_tf_hash(key);
	link_tf_slot *s = link_tf_find(t, key, h);
	if (!s->key[0]) {
		memcpy(s->key, key, LINK_TF_KEY);
		s->hash = (uint32_t)h;
		t->used++;
	}
	s->count = s->count > UINT32_MAX - n ? UINT32_MAX : s->count + n;
	return true;
}

static bool link_tf_add(link_tf_table *t, const char key[LINK_TF_KEY])
{
	if (!link_tf_add_n(t, key, 1))
		return false;
	t->total++;
	return true;
}

static bool link_tf_count(jup_link_tf *tf, const jup_link_rec *recs, size_t n)
{
	static const int cmps[LINK_TF_FIELDS] = { JUP_CMP_GIVEN, JUP_CMP_FAMILY,
						  JUP_CMP_POSTCODE };
	char key[LINK_TF_KEY];
	for (size_t i = 0; i < n; i++) {
		for (int f = 0; f < LINK_TF_FIELDS; f++) {
			size_t cap = 0;
			int table = 0;
			const char *s = link_tf_field(cmps[f], &recs[i], &cap, &table);
			if (link_tf_key(s, cap, key) && !link_tf_add(&tf->t[table], key))
				return false;
		}
	}
	return true;
}

jup_status jup_link_tf_new(jup_link_tf **out, jup_err *err)
{
	*out = NULL;
	jup_link_tf *tf = calloc(1, sizeof *tf);
	if (!tf)
		return jup_err_set(err, JUP_ERR_NOMEM, "term frequencies: out of memory");
	for (int f = 0; f < LINK_TF_FIELDS; f++) {
		if (!link_tf_grow(&tf->t[f])) {
			jup_link_tf_free(tf);
			return jup_err_set(err, JUP_ERR_NOMEM, "term frequencies: out of memory");
		}
	}
	*out = tf;
	return JUP_OK;
}

const char *jup_link_tf_value(jup_link_cmp c, const jup_link_rec *r)
{
	size_t cap = 0;
	int table = 0;
	return link_tf_field((int)c, r, &cap, &table);
}

/* The table comparison c counts, or -1. */
static int link_tf_table_of(jup_link_cmp c)
{
	static const jup_link_rec none;
	size_t cap = 0;
	int table = -1;
	return link_tf_field((int)c, &none, &cap, &table) ? table : -1;
}

jup_status jup_link_tf_put(jup_link_tf *tf, jup_link_cmp c, const char *value, uint32_t count)
{
	int table = link_tf_table_of(c);
	char key[LINK_TF_KEY];
	if (table < 0 || strlen(value) >= LINK_TF_KEY || !link_tf_key(value, LINK_TF_KEY, key))
		return JUP_ERR_USAGE;
	return link_tf_add_n(&tf->t[table], key, count) ? JUP_OK : JUP_ERR_NOMEM;
}

uint64_t jup_link_tf_total(const jup_link_tf *tf, jup_link_cmp c)
{
	int table = link_tf_table_of(c);
	return table < 0 ? 0 : tf->t[table].total;
}

void jup_link_tf_set_total(jup_link_tf *tf, jup_link_cmp c, uint64_t total)
{
	int table = link_tf_table_of(c);
	if (table >= 0)
		tf->t[table].total = total;
}

jup_status jup_link_tf_each(const jup_link_tf *tf, jup_link_tf_fn fn, void *ctx, jup_err *err)
{
	static const jup_link_cmp cmps[LINK_TF_FIELDS] = { JUP_CMP_GIVEN, JUP_CMP_FAMILY,
							   JUP_CMP_POSTCODE };
	jup_status st = JUP_OK;
	for (int f = 0; f < LINK_TF_FIELDS && !st; f++) {
		const link_tf_table *t = &tf->t[link_tf_table_of(cmps[f])];
		for (size_t i = 0; i < t->cap && !st; i++)
			if (t->slots[i].key[0])
				st = fn(ctx, cmps[f], t->slots[i].key, t->slots[i].count, err);
	}
	return st;
}

jup_status jup_link_tf_build(const jup_link_rec *recs, size_t n, const jup_link_rec *right,
			     size_t nr, jup_link_tf **out, jup_err *err)
{
	jup_link_tf *tf;
	jup_status st = jup_link_tf_new(&tf, err);
	if (st)
		return st;
	if (!link_tf_count(tf, recs, n) || (right && !link_tf_count(tf, right, nr))) {
		jup_link_tf_free(tf);
		return jup_err_set(err, JUP_ERR_NOMEM, "term frequencies: out of memory");
	}
	*out = tf;
	return JUP_OK;
}

void jup_link_tf_free(jup_link_tf *tf)
{
	if (!tf)
		return;
	for (int f = 0; f < LINK_TF_FIELDS; f++)
		free(tf->t[f].slots);
	free(tf);
}

double jup_link_tf_share(const jup_link_tf *tf, jup_link_cmp c, const jup_link_rec *r)
{
	size_t cap = 0;
	int table = 0;
	const char *s = tf ? link_tf_field(c, r, &cap, &table) : NULL;
	char key[LINK_TF_KEY];
	if (!s || !link_tf_key(s, cap, key))
		return 0;
	const link_tf_table *t = &tf->t[table];
	if (t->total == 0)
		return 0;
	const link_tf_slot *slot = link_tf_find(t, key, link_tf_hash(key));
	return slot->key[0] ? (double)slot->count / (double)t->total : 0;
}
