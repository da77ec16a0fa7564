/*
 * link_db_review.c - explaining a pair, the review queue, and people's
 * decisions on queued pairs.
 */
#include "link/link_db_internal.h"

#include "audit/jup_audit.h"
#include "core/jup_array.h"

#include <stdlib.h>
#include <string.h>

/* ---- naming records -------------------------------------------------------------- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

jup_status jup_link_db_find(jup_store *st, const char *text, jup_link_db_ref *out, jup_err *err)
{
	jup_link_rec rec;
	if (all_digits(text) && strlen(text) <= 18)
		return link_db_record(st, strtoll(text, NULL, 10), &rec, out, err);
	const char *colon = strchr(text, ':');
	if (!colon || colon == text || !colon[1])
		return jup_err_set(
			err, JUP_ERR_USAGE,
			"a source record is its id or ORG:LOCAL_ID (e.g. Y90001:G12345)");
	jup_org_info org;
	jup_status r = jup_store_org_find(st, (jup_sv){ text, (size_t)(colon - text) }, &org, err);
	if (r == JUP_ERR_NOT_FOUND)
		return jup_err_set(err, r, "no organisation \"%.*s\"",
				   (int)(colon - text > 12 ? 12 : colon - text), text);
	int64_t id = 0;
	if (!r)
		r = jup_store_source_find(st, org.id, jup_sv_from(colon + 1), &id, err);
	if (r == JUP_ERR_NOT_FOUND)
		return jup_err_set(err, r, "no source record with that local id at that organisation");
	return r ? r : link_db_record(st, id, &rec, out, err);
}

/* ---- explaining ---------------------------------------------------------------- */

static jup_status need_model(const link_db_stored *s, jup_err *err)
{
	if (s->model_run_id)
		return JUP_OK;
	return jup_err_set(err, JUP_ERR_NOT_FOUND,
			   "no linkage model yet: run `joinedup link` on this database first");
}

static jup_status explain_with(jup_store *st, const link_db_stored *s, int64_t a, int64_t b,
			       jup_link_db_ref *ra, jup_link_db_ref *rb, jup_link_explain *ex,
			       jup_err *err)
{
	jup_link_rec x, y;
	jup_link_tf *tf = NULL;
	jup_status r = link_db_record(st, a, &x, ra, err);
	if (!r)
		r = link_db_record(st, b, &y, rb, err);
	if (!r)
		r = link_db_tf_for(st, s, &x, &y, &tf, err);
	if (!r)
		jup_link_score(&s->model, tf, &x, &y, ex);
	jup_link_tf_free(tf);
	return r;
}

jup_status jup_link_db_explain(jup_store *st, int64_t a, int64_t b, jup_link_explain *ex,
			       jup_err *err)
{
	link_db_stored s;
	jup_link_db_ref ra, rb;
	jup_status r = link_db_load_model(st, &s, err);
	if (!r)
		r = need_model(&s, err);
	return r ? r : explain_with(st, &s, a, b, &ra, &rb, ex, err);
}

/* ---- stored pairs -------------------------------------------------------------- */

typedef struct pair_list {
	jup_link_db_pair *items;
	size_t n, cap;
} pair_list;

static jup_status pair_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	pair_list *l = ctx;
	jup_link_db_pair *items = jup_array_grow(l->items, &l->cap, l->n, sizeof *items, 64);
	if (!items)
		return jup_err_set(err, JUP_ERR_NOMEM, "review: out of memory");
	l->items = items;
	jup_link_db_pair *p = &l->items[l->n++];
	memset(p, 0, sizeof *p);
	p->id = id;
	p->a.id = v[JUP_PAIR_SOURCE_A].i;
	p->b.id = v[JUP_PAIR_SOURCE_B].i;
	p->probability = v[JUP_PAIR_PROBABILITY].d;
	p->weight = v[JUP_PAIR_WEIGHT].d;
	jup_value_copy_text(p->status, sizeof p->status, &v[JUP_PAIR_STATUS]);
	jup_value_copy_text(p->decided_by, sizeof p->decided_by, &v[JUP_PAIR_DECIDED_BY]);
	jup_value_copy_text(p->decided_at, sizeof p->decided_at, &v[JUP_PAIR_DECIDED_AT]);
	return JUP_OK;
}

jup_status jup_link_db_review(jup_store *st, jup_link_db_pair_fn fn, void *ctx, jup_err *err)
{
	link_db_stored s;
	pair_list l = { 0 };
	jup_match queued = { JUP_PAIR_STATUS, jup_v_cstr("review") };
	jup_status r = link_db_load_model(st, &s, err);
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_LINK_PAIR, &queued, 1, pair_row, &l, err);
	if (!r && l.n)
		r = need_model(&s, err);
	for (size_t i = 0; i < l.n && !r; i++) {
		jup_link_db_pair *p = &l.items[i];
		jup_link_explain ex;
		r = explain_with(st, &s, p->a.id, p->b.id, &p->a, &p->b, &ex, err);
		if (!r)
			r = fn(ctx, p, &ex, err);
	}
	free(l.items);
	return r;
}

/* ---- decisions ------------------------------------------------------------------- */

static jup_status person_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	*(int64_t *)ctx = v[JUP_PM_PERSON_ID].i;
	return JUP_OK;
}

static jup_status person_of(jup_store *st, int64_t source, int64_t *person, jup_err *err)
{
	*person = 0;
	jup_match m = { JUP_PM_SOURCE_ID, jup_v_int(source) };
	jup_status r = jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &m, 1, person_row, person, err);
	if (!r && !*person)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "source record %lld is not linked",
				(long long)source);
	return r;
}

/* The NHS numbers of a person's records, collected for the two-numbers rule. */
typedef struct nhs_set {
	jup_store *st;
	char first[11];
	bool two;
} nhs_set;

static jup_status nhs_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	nhs_set *s = ctx;
	jup_sv nhs = link_db_text(&v[JUP_SRC_NHS_NUMBER]);
	if (nhs.len != 10)
		return JUP_OK;
	if (!s->first[0])
		memcpy(s->first, nhs.ptr, 10);
	else if (memcmp(s->first, nhs.ptr, 10) != 0)
		s->two = true;
	return JUP_OK;
}

static jup_status member_nhs(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	nhs_set *s = ctx;
	jup_match m = { JUP_COL_ID, jup_v_int(v[JUP_PM_SOURCE_ID].i) };
	return jup_store_scan(s->st, JUP_TABLE_SOURCE_RECORD, &m, 1, nhs_row, s, err);
}

/* Is there a rejected pair with one record in each of two people? */
typedef struct apart_check {
	jup_store *st;
	int64_t p1, p2;
	int64_t pair; /* the rejected pair found, or 0 */
} apart_check;

static jup_status rejected_pair_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	apart_check *c = ctx;
	int64_t pa, pb;
	jup_status r = person_of(c->st, v[JUP_PAIR_SOURCE_A].i, &pa, err);
	if (!r)
		r = person_of(c->st, v[JUP_PAIR_SOURCE_B].i, &pb, err);
	if (!r && ((pa == c->p1 && pb == c->p2) || (pa == c->p2 && pb == c->p1)))
		c->pair = id;
	return r;
}

static jup_status check_not_rejected(jup_store *st, int64_t p1, int64_t p2, jup_err *err)
{
	apart_check c = { st, p1, p2, 0 };
	jup_match rejected = { JUP_PAIR_STATUS, jup_v_cstr("rejected") };
	jup_status r =
		jup_store_scan(st, JUP_TABLE_LINK_PAIR, &rejected, 1, rejected_pair_row, &c, err);
	if (!r && c.pair)
		r = jup_err_set(err, JUP_ERR_INVALID,
				"accepting would join records a person decided are different "
				"people (pair %lld was rejected)",
				(long long)c.pair);
	return r;
}

/* Fold person `gone` into `keep`, unless the result would hold two NHS
 * numbers or records a person has already kept apart. */
static jup_status merge_people(jup_store *st, int64_t keep, int64_t gone, jup_err *err)
{
	nhs_set s = { .st = st };
	jup_match in_keep = { JUP_PM_PERSON_ID, jup_v_int(keep) };
	jup_match in_gone = { JUP_PM_PERSON_ID, jup_v_int(gone) };
	jup_status r =
		jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &in_keep, 1, member_nhs, &s, err);
	if (!r)
		r = jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &in_gone, 1, member_nhs, &s, err);
	if (!r && s.two)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "accepting would give one person two different NHS numbers");
	if (!r)
		r = check_not_rejected(st, keep, gone, err);
	jup_match to_keep[] = { { JUP_PM_PERSON_ID, jup_v_int(keep) },
				{ JUP_PM_METHOD, jup_v_cstr("review") } };
	if (!r)
		r = jup_store_update(st, JUP_TABLE_PERSON_MEMBER, &in_gone, 1, to_keep, 2, NULL,
				     err);
	jup_match merged = { JUP_PERSON_MERGED_INTO, jup_v_int(keep) };
	jup_match gone_id = { JUP_COL_ID, jup_v_int(gone) };
	jup_match into_gone = { JUP_PERSON_MERGED_INTO, jup_v_int(gone) };
	if (!r) /* people merged into `gone` earlier now point at `keep` */
		r = jup_store_update(st, JUP_TABLE_PERSON, &into_gone, 1, &merged, 1, NULL, err);
	if (!r)
		r = jup_store_update(st, JUP_TABLE_PERSON, &gone_id, 1, &merged, 1, NULL, err);
	return r;
}

static jup_status accept_pair(jup_store *st, const jup_link_db_pair *p, jup_err *err)
{
	int64_t pa, pb;
	jup_status r = person_of(st, p->a.id, &pa, err);
	if (!r)
		r = person_of(st, p->b.id, &pb, err);
	if (!r && pa != pb)
		r = merge_people(st, pa < pb ? pa : pb, pa < pb ? pb : pa, err);
	return r;
}

static jup_status check_waiting(const jup_link_db_pair *p, jup_err *err)
{
	if (strcmp(p->status, "accepted") == 0 || strcmp(p->status, "rejected") == 0)
		return jup_err_set(err, JUP_ERR_EXISTS, "pair %lld was already %s by %s at %s",
				   (long long)p->id, p->status, p->decided_by, p->decided_at);
	if (strcmp(p->status, "review") != 0)
		return jup_err_set(err, JUP_ERR_INVALID,
				   "pair %lld is not waiting for review (it is %s)",
				   (long long)p->id, p->status);
	return JUP_OK;
}

/* The decision in the audit log, in the decision's transaction: who, when,
 * which pair and the person it leaves record a of the pair in. */
static jup_status audit_decision(jup_store *st, const jup_link_db_pair *p, bool accept,
				 const char *by, jup_err *err)
{
	int64_t person = 0;
	jup_status r = person_of(st, p->a.id, &person, err);
	char what[64];
	snprintf(what, sizeof what, "link_pair:%lld", (long long)p->id);
	jup_audit_entry e = {
		.actor = by,
		.purpose = "linkage",
		.person_id = person,
		.action = accept ? "link.accept" : "link.reject",
		.what = what,
		.outcome = "done",
	};
	int64_t id;
	return r ? r : jup_audit_append(st, &e, &id, err);
}

static jup_status decide(jup_store *st, int64_t pair, bool accept, const char *by, const char *note,
			 jup_link_db_pair *out, jup_err *err)
{
	pair_list l = { 0 };
	jup_match id = { JUP_COL_ID, jup_v_int(pair) };
	jup_status r = jup_store_scan(st, JUP_TABLE_LINK_PAIR, &id, 1, pair_row, &l, err);
	if (!r && l.n == 0)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND, "no pair %lld", (long long)pair);
	if (!r && out)
		*out = l.items[0];
	if (!r)
		r = check_waiting(&l.items[0], err);
	if (!r && accept)
		r = accept_pair(st, &l.items[0], err);
	char now[21];
	jup_date_now_utc(now);
	jup_match set[] = {
		{ JUP_PAIR_STATUS, jup_v_cstr(accept ? "accepted" : "rejected") },
		{ JUP_PAIR_DECIDED_BY, jup_v_cstr(by) },
		{ JUP_PAIR_DECIDED_AT, jup_v_cstr(now) },
		{ JUP_PAIR_NOTE, note ? jup_v_cstr(note) : jup_v_null() },
	};
	if (!r)
		r = jup_store_update(st, JUP_TABLE_LINK_PAIR, &id, 1, set, 4, NULL, err);
	if (!r)
		r = audit_decision(st, &l.items[0], accept, by, err);
	if (!r && out) {
		snprintf(out->status, sizeof out->status, "%s", accept ? "accepted" : "rejected");
		snprintf(out->decided_by, sizeof out->decided_by, "%s", by);
		snprintf(out->decided_at, sizeof out->decided_at, "%s", now);
	}
	free(l.items);
	return r;
}

jup_status jup_link_db_decide(jup_store *st, int64_t pair, bool accept, const char *by,
			      const char *note, jup_link_db_pair *out, jup_err *err)
{
	if (!by || !*by)
		return jup_err_set(err, JUP_ERR_USAGE, "a decision needs the name of who made it");
	jup_status r = jup_store_begin(st, err);
	if (r)
		return r;
	r = decide(st, pair, accept, by, note, out, err);
	if (!r)
		return jup_store_commit(st, err);
	jup_store_abandon(st);
	return r;
}
