/*
 * person_find.c - finding people for the FHIR server (jup_person.h): a
 * person id's survivor and NHS number, and Patient search.
 *
 * Search finds candidate records by the most selective criterion given, by
 * an index: the NHS number, else the birth date (source_record's indexes),
 * else a family-name prefix (person_name, the folded names link runs write);
 * checks the other criteria on each record; and collects the survivors of
 * the persons the matching records belong to. Names compare folded, as the
 * linkage folds them (jup_link_prepare), so search and matching agree on
 * what a name is. Only ids leave.
 */
#include "person/jup_person.h"

#include "core/jup_limits.h"
#include "ingest/jup_ingest_valid.h"
#include "link/jup_link.h"

#include <string.h>

#define PERSON_MAX_HOPS 64 /* merges followed before calling them a loop */

/* ---- survivors and NHS numbers ----------------------------------------------------- */

typedef struct person_look {
	bool found;
	int64_t into; /* merged_into, 0 for none */
} person_look;

static jup_status person_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	person_look *p = ctx;
	const jup_value *into = &v[JUP_PERSON_MERGED_INTO];
	p->found = true;
	p->into = into->type == JUP_V_INT ? into->i : 0;
	return JUP_OK;
}

jup_status jup_person_survivor(jup_store *st, int64_t person_id, int64_t *survivor, jup_err *err)
{
	*survivor = 0;
	int64_t at = person_id;
	for (int hop = 0; hop < PERSON_MAX_HOPS; hop++) {
		person_look p = { false, 0 };
		jup_match id = { JUP_COL_ID, jup_v_int(at) };
		jup_status r = jup_store_scan(st, JUP_TABLE_PERSON, &id, 1, person_row, &p, err);
		if (r)
			return r;
		if (!p.found && hop == 0)
			return jup_err_set(err, JUP_ERR_NOT_FOUND, "no such person");
		if (!p.found)
			return jup_err_set(err, JUP_ERR_STORE,
					   "person: a merge points at no person");
		if (!p.into) {
			*survivor = at;
			return JUP_OK;
		}
		at = p.into;
	}
	return jup_err_set(err, JUP_ERR_STORE, "person: merges form a loop");
}

/* The first member record (lowest id) with a valid number: copy it, stop. */
static jup_status nhs_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	char *nhs = ctx;
	const jup_value *num = &v[JUP_SRC_NHS_NUMBER];
	if (num->type != JUP_V_TEXT || num->s.len != 10 ||
	    !jup_sv_eq_cstr(v[JUP_SRC_NHS_NUMBER_STATUS].s, "valid"))
		return JUP_OK;
	memcpy(nhs, num->s.ptr, 10);
	nhs[10] = 0;
	return JUP_ERR_EXISTS;
}

jup_status jup_person_nhs(jup_store *st, int64_t person_id, char nhs[11], int64_t *survivor,
			  jup_err *err)
{
	nhs[0] = 0;
	jup_status r = jup_person_survivor(st, person_id, survivor, err);
	if (!r)
		r = jup_store_scan_person(st, JUP_TABLE_SOURCE_RECORD, *survivor, nhs_row, nhs,
					  err);
	if (r == JUP_ERR_EXISTS && nhs[0])
		return JUP_OK;
	if (!r)
		r = jup_err_set(err, JUP_ERR_NOT_FOUND,
				"the person has no record with a valid NHS number");
	return r;
}

/* ---- the query ----------------------------------------------------------------------- */

typedef struct search {
	jup_store *st;
	char nhs[11];                   /* canonical digits; "" when not given */
	char dob[11];                   /* YYYY-MM-DD; "" when not given */
	char family[JUP_LINK_NAME_MAX]; /* folded; "" when not given */
	char given[JUP_LINK_NAME_MAX];
	int64_t *ids; /* the survivors found, ascending */
	size_t max, n;
} search;

/* A name criterion folded into out ("" when blank). */
static jup_status query_name(jup_sv s, const char *field, char out[JUP_LINK_NAME_MAX], jup_err *err)
{
	out[0] = 0;
	s = jup_sv_trim(s);
	if (s.len == 0)
		return JUP_OK;
	if (s.len > JUP_MAX_NAME_LEN)
		return jup_err_set(err, JUP_ERR_LIMIT, "%s: longer than %d bytes", field,
				   JUP_MAX_NAME_LEN);
	jup_err why;
	if (jup_ingest_text(s, JUP_MAX_NAME_LEN, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "%s: %s", field, why.msg);
	if (jup_link_fold_name(s, out, JUP_LINK_NAME_MAX) == 0)
		return jup_err_set(err, JUP_ERR_INVALID, "%s: no letters to match", field);
	return JUP_OK;
}

static jup_status parse_query(const jup_person_query *q, search *s, jup_err *err)
{
	jup_err why;
	jup_sv nhs = jup_sv_trim(q->nhs_number), dob = jup_sv_trim(q->birthdate);
	jup_status r = nhs.len ? jup_ingest_nhs_number(nhs, s->nhs, &why) : JUP_OK;
	if (r)
		return jup_err_set(err, JUP_ERR_INVALID, "nhs_number: not a valid NHS number");
	jup_date day;
	if (dob.len && jup_date_parse(dob, &day, &why))
		return jup_err_set(err, JUP_ERR_INVALID, "birthdate: not a date (YYYY-MM-DD)");
	if (dob.len)
		jup_date_format(day, s->dob);
	r = query_name(q->family, "family", s->family, err);
	if (!r)
		r = query_name(q->given, "given", s->given, err);
	if (!r && !s->nhs[0] && !s->dob[0] && !s->family[0])
		r = jup_err_set(err, JUP_ERR_USAGE,
				"a search needs an NHS number, a birth date or a family name");
	return r;
}

/* ---- matching ------------------------------------------------------------------------ */

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether s begins with q once the spaces in s are passed over. */
static bool starts_skipping_spaces(const char *s, const char *q)
{
	for (; *q; q++, s++) {
		while (*s == ' ')
			s++;
		if (*s != *q)
			return false;
	}
	return true;
}

/* Whether the folded query q begins one of the given names in words
 * ("mary ann"), or the names from there on run together ("maryann"). */
static bool given_match(const char *words, const char *q)
{
	for (const char *w = words; w;) {
		if (starts_skipping_spaces(w, q))
			return true;
		w = strchr(w, ' ');
		w = w ? w + 1 : NULL;
	}
	return false;
}

static bool text_is(const jup_value *v, const char *want)
{
	return v->type == JUP_V_TEXT && jup_sv_eq_cstr(v->s, want);
}

static jup_sv text_of(const jup_value *v)
{
	return v->type == JUP_V_TEXT ? v->s : (jup_sv){ "", 0 };
}

/* Whether a source_record row meets every criterion given. */
static bool record_matches(const search *s, const jup_value *v)
{
	if (s->nhs[0] && !text_is(&v[JUP_SRC_NHS_NUMBER], s->nhs))
		return false;
	if (s->dob[0] && !text_is(&v[JUP_SRC_DOB], s->dob))
		return false;
	if (!s->family[0] && !s->given[0])
		return true;
	jup_sv none = { "", 0 };
	jup_link_input in = { none,
			      text_of(&v[JUP_SRC_GIVEN_NAME]),
			      text_of(&v[JUP_SRC_FAMILY_NAME]),
			      none,
			      none,
			      none,
			      none };
	jup_link_rec rec;
	jup_link_prepare(&in, &rec);
	if (s->family[0] && !starts(rec.family, s->family) && !starts(rec.family_part, s->family))
		return false;
	char words[2 * JUP_LINK_NAME_MAX];
	jup_link_given_names(&rec, words);
	return !s->given[0] || given_match(words, s->given);
}

/* ---- collecting people ------------------------------------------------------------------ */

/* Add a survivor to the ascending set of ids; JUP_ERR_LIMIT past max. */
static jup_status add_person(search *s, int64_t person, jup_err *err)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->ids[mid] < person)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->ids[lo] == person)
		return JUP_OK;
	if (s->n == s->max)
		return jup_err_set(err, JUP_ERR_LIMIT,
				   "more than %zu people match: refine the search", s->max);
	memmove(&s->ids[lo + 1], &s->ids[lo], (s->n - lo) * sizeof *s->ids);
	s->ids[lo] = person;
	s->n++;
	return JUP_OK;
}

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	*(int64_t *)ctx = v[JUP_PM_PERSON_ID].i;
	return JUP_OK;
}

/* The survivor of the person source record source_id belongs to, if it is
 * linked yet. */
static jup_status add_record(search *s, int64_t source_id, jup_err *err)
{
	int64_t person = 0, survivor;
	jup_match m = { JUP_PM_SOURCE_ID, jup_v_int(source_id) };
	jup_status r =
		jup_store_scan(s->st, JUP_TABLE_PERSON_MEMBER, &m, 1, member_row, &person, err);
	if (r || !person)
		return r;
	r = jup_person_survivor(s->st, person, &survivor, err);
	return r ? r : add_person(s, survivor, err);
}

static jup_status source_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	search *s = ctx;
	return record_matches(s, v) ? add_record(s, id, err) : JUP_OK;
}

/* A person_name row (the family prefix matched by the scan's range). */
static jup_status name_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	search *s = ctx;
	char words[2 * JUP_LINK_NAME_MAX];
	jup_value_copy_text(words, sizeof words, &v[JUP_PNAME_GIVEN]);
	if (s->given[0] && !given_match(words, s->given))
		return JUP_OK;
	return add_record(s, v[JUP_PNAME_SOURCE_ID].i, err);
}

static jup_status run_search(search *s, jup_err *err)
{
	if (s->nhs[0]) {
		jup_match m = { JUP_SRC_NHS_NUMBER, jup_v_cstr(s->nhs) };
		return jup_store_scan(s->st, JUP_TABLE_SOURCE_RECORD, &m, 1, source_row, s, err);
	}
	if (s->dob[0]) {
		jup_match m = { JUP_SRC_DOB, jup_v_cstr(s->dob) };
		return jup_store_scan(s->st, JUP_TABLE_SOURCE_RECORD, &m, 1, source_row, s, err);
	}
	return jup_store_scan_prefix(s->st, JUP_TABLE_PERSON_NAME, JUP_PNAME_FAMILY,
				     jup_sv_from(s->family), name_row, s, err);
}

jup_status jup_person_search(jup_store *st, const jup_person_query *q, int64_t *ids, size_t max,
			     size_t *n, jup_err *err)
{
	*n = 0;
	search s = { .st = st, .ids = ids, .max = max };
	jup_status r = parse_query(q, &s, err);
	if (!r)
		r = run_search(&s, err);
	if (!r)
		*n = s.n;
	return r;
}
