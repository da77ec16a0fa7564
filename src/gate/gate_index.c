/*
 * gate_index.c - the facts a group keeps between decisions
 * (gate_internal.h): people by NHS number in an open-addressing table, the
 * default consent policy rows, and the store's table versions they were
 * read under.
 */
#include "gate/gate_internal.h"

#include <stdlib.h>
#include <string.h>

/* The tables the facts are read from (besides consent decisions, which
 * are followed row by row, and the policy). */
static const jup_table fact_tables[] = {
	JUP_TABLE_ORGANISATION,  JUP_TABLE_SOURCE_RECORD, JUP_TABLE_PERSON,
	JUP_TABLE_PERSON_MEMBER, JUP_TABLE_ADMISSION,     JUP_TABLE_AE_ATTENDANCE,
	JUP_TABLE_CARE_TEAM,     JUP_TABLE_EOL_PLAN,      JUP_TABLE_SC_CONSENT,
	JUP_TABLE_OPT_OUT,
};

/* A slot: key 0 is empty; facts NULL means "read again". */
typedef struct slot {
	uint64_t key;
	gate_facts *facts;
} slot;

struct gate_index {
	slot *slots;
	size_t cap, used; /* cap a power of two; used counts keys */
	bool have_versions;
	uint64_t versions[JUP_TABLE__COUNT];
	int64_t last_decision; /* the highest consent_decision id seen */
	bool have_policy[JUP_CONSENT_PURPOSE__COUNT];
	jup_consent_policy policy[JUP_CONSENT_PURPOSE__COUNT];
	uint64_t loads;
};

/* The key of a canonical NHS number: its value plus one (never 0). */
static uint64_t key_of(const char *nhs)
{
	uint64_t k = 0;
	for (int i = 0; i < 10; i++)
		k = k * 10 + (uint64_t)(nhs[i] - '0');
	return k + 1;
}

static size_t hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

static slot *find(gate_index *ix, uint64_t key)
{
	size_t mask = ix->cap - 1;
	for (size_t i = hash(key) & mask;; i = (i + 1) & mask)
		if (ix->slots[i].key == key || ix->slots[i].key == 0)
			return &ix->slots[i];
}

static void clear_people(gate_index *ix)
{
	for (size_t i = 0; i < ix->cap; i++) {
		gate_facts_free(ix->slots[i].facts);
		ix->slots[i] = (slot){ 0, NULL };
	}
	ix->used = 0;
}

static jup_status grow(gate_index *ix, jup_err *err)
{
	size_t cap = ix->cap ? ix->cap * 2 : 1024;
	slot *old = ix->slots, *fresh = calloc(cap, sizeof *fresh);
	if (!fresh)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory growing the gate's index");
	size_t oldcap = ix->cap;
	ix->slots = fresh;
	ix->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(ix, old[i].key) = old[i];
	free(old);
	return JUP_OK;
}

jup_status gate_index_new(gate_index **out, jup_err *err)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory making the gate's index");
	jup_status s = grow(*out, err);
	if (s) {
		free(*out);
		*out = NULL;
	}
	return s;
}

void gate_index_free(gate_index *ix)
{
	if (!ix)
		return;
	clear_people(ix);
	free(ix->slots);
	free(ix);
}

void gate_index_counts(const gate_index *ix, size_t *people, uint64_t *loads)
{
	*people = ix->used;
	*loads = ix->loads;
}

/* ---- keeping up with the store --------------------------------------------------- */

static jup_status decision_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	gate_index *ix = ctx;
	const jup_value *nhs = &v[JUP_CDEC_NHS_NUMBER];
	if (id > ix->last_decision)
		ix->last_decision = id;
	if (nhs->type != JUP_V_TEXT || nhs->s.len != 10)
		return JUP_OK;
	slot *s = find(ix, key_of(nhs->s.ptr));
	if (s->key) {
		gate_facts_free(s->facts);
		s->facts = NULL;
	}
	return JUP_OK;
}

/* New consent decisions drop the people they are about. A change that
 * added no row (an edit or a removal) drops everyone. */
static jup_status follow_decisions(gate_index *ix, jup_store *st, jup_err *err)
{
	int64_t before = ix->last_decision;
	jup_status s =
		jup_store_scan_after(st, JUP_TABLE_CONSENT_DECISION, before, decision_row, ix, err);
	if (!s && ix->last_decision == before)
		clear_people(ix);
	return s;
}

jup_status gate_index_refresh(gate_index *ix, jup_store *st, jup_err *err)
{
	uint64_t v[JUP_TABLE__COUNT];
	jup_status s = jup_store_versions(st, v, err);
	if (s)
		return s;
	bool first = !ix->have_versions;
	bool facts_changed = first;
	for (size_t i = 0; i < sizeof fact_tables / sizeof fact_tables[0]; i++)
		facts_changed |= v[fact_tables[i]] != ix->versions[fact_tables[i]];
	if (facts_changed)
		clear_people(ix);
	if (first || v[JUP_TABLE_CONSENT_POLICY] != ix->versions[JUP_TABLE_CONSENT_POLICY])
		memset(ix->have_policy, 0, sizeof ix->have_policy);
	if (first || v[JUP_TABLE_CONSENT_DECISION] != ix->versions[JUP_TABLE_CONSENT_DECISION])
		s = follow_decisions(ix, st, err);
	if (s) {
		clear_people(ix); /* not known to be current: start afresh next time */
		ix->have_versions = false;
		return s;
	}
	memcpy(ix->versions, v, sizeof v);
	ix->have_versions = true;
	return JUP_OK;
}

/* ---- reading through the index ------------------------------------------------------ */

static jup_status index_facts(gate_index *ix, jup_store *st, const char *nhs,
			      const gate_facts **out, jup_err *err)
{
	uint64_t key = key_of(nhs);
	slot *s = find(ix, key);
	if (s->key && s->facts) {
		*out = s->facts;
		return JUP_OK;
	}
	gate_facts *f;
	jup_status r = gate_facts_load(st, nhs, &f, err);
	if (r)
		return r;
	ix->loads++;
	if (!s->key && (ix->used + 1) * 2 > ix->cap) {
		if (ix->used >= JUP_GATE_INDEX_MAX_PEOPLE)
			clear_people(ix);
		else if ((r = grow(ix, err))) {
			gate_facts_free(f);
			return r;
		}
		s = find(ix, key);
	}
	if (!s->key)
		ix->used++;
	s->key = key;
	s->facts = f;
	*out = f;
	return JUP_OK;
}

jup_status gate_source_facts(gate_source *src, const char *nhs, const gate_facts **out,
			     jup_err *err)
{
	if (src->ix)
		return index_facts(src->ix, src->st, nhs, out, err);
	gate_facts_free(src->own);
	src->own = NULL;
	jup_status s = gate_facts_load(src->st, nhs, &src->own, err);
	*out = src->own;
	return s;
}

jup_status gate_source_policy(gate_source *src, jup_consent_purpose purpose,
			      jup_consent_policy *out, jup_err *err)
{
	gate_index *ix = src->ix;
	if (ix && ix->have_policy[purpose]) {
		*out = ix->policy[purpose];
		return JUP_OK;
	}
	jup_status s = jup_consent_policy_find(src->st, purpose, NULL, out, err);
	if (!s && ix) {
		ix->policy[purpose] = *out;
		ix->have_policy[purpose] = true;
	}
	return s;
}

void gate_source_done(gate_source *src)
{
	gate_facts_free(src->own);
	src->own = NULL;
}
