/*
 * care_plan_seed.c - end-of-life plans for the people on the GP practices'
 * end-of-life registers (jup_care_plan_seed_eol): what `joinedup demo` does
 * after linking, so the synthetic city's end-of-life cohort has the plans a
 * 24-hour end-of-life line reads.
 *
 * The register gives the places and the resuscitation decision; the key
 * contacts (names from the synthetic city's lists, telephone numbers from
 * Ofcom's ranges for drama, 01632 960000-960999 and 07700 900000-900999)
 * and the anticipatory "just in case" medicines are invented, from the seed
 * and the register row alone. Each plan goes through the same validation
 * and is stored with its audit entry as any other write, authored by the
 * practice's system account; one transaction per practice.
 */
#include "care/care_plan_internal.h"

#include "core/jup_array.h"
#include "core/jup_rng.h"
#include "synth/jup_synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* One register entry, with whom and where it is held. */
typedef struct seed_row {
	int64_t row_id, source_id, person_id, org_id;
	char added_on[11], care[16], death[16], resus[16];
	char nhs[11];
} seed_row;

typedef struct seed_rows {
	seed_row *v;
	size_t n, cap;
} seed_rows;

static jup_status register_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	seed_rows *l = ctx;
	seed_row *grown = jup_array_grow(l->v, &l->cap, l->n, sizeof *l->v, 64);
	if (!grown)
		return jup_err_set(err, JUP_ERR_NOMEM,
				   "out of memory reading the end-of-life register");
	l->v = grown;
	seed_row *r = memset(&l->v[l->n++], 0, sizeof *l->v);
	r->row_id = id;
	r->source_id = v[JUP_EOL_SOURCE_ID].type == JUP_V_INT ? v[JUP_EOL_SOURCE_ID].i : 0;
	jup_value_copy_text(r->added_on, sizeof r->added_on, &v[JUP_EOL_ADDED_ON]);
	jup_value_copy_text(r->care, sizeof r->care, &v[JUP_EOL_PLACE_OF_CARE]);
	jup_value_copy_text(r->death, sizeof r->death, &v[JUP_EOL_PLACE_OF_DEATH]);
	jup_value_copy_text(r->resus, sizeof r->resus, &v[JUP_EOL_RESUSCITATION]);
	return JUP_OK;
}

static jup_status member_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	seed_row *r = ctx;
	r->person_id = v[JUP_PM_PERSON_ID].type == JUP_V_INT ? v[JUP_PM_PERSON_ID].i : 0;
	return JUP_OK;
}

static jup_status record_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	seed_row *r = ctx;
	r->org_id = v[JUP_SRC_ORG_ID].type == JUP_V_INT ? v[JUP_SRC_ORG_ID].i : 0;
	jup_value_copy_text(r->nhs, sizeof r->nhs, &v[JUP_SRC_NHS_NUMBER]);
	return JUP_OK;
}

/* Whose entry it is: the person (0: not linked) and the practice. */
static jup_status place_row(jup_store *st, seed_row *r, jup_err *err)
{
	jup_match pm = { JUP_PM_SOURCE_ID, jup_v_int(r->source_id) };
	jup_match src = { JUP_COL_ID, jup_v_int(r->source_id) };
	jup_status s = jup_store_scan(st, JUP_TABLE_PERSON_MEMBER, &pm, 1, member_row, r, err);
	return s ? s : jup_store_scan(st, JUP_TABLE_SOURCE_RECORD, &src, 1, record_row, r, err);
}

/* By person, then the latest entry (date, then row) last. */
static int by_person(const void *a, const void *b)
{
	const seed_row *x = a, *y = b;
	if (x->person_id != y->person_id)
		return (x->person_id > y->person_id) - (x->person_id < y->person_id);
	int c = strcmp(x->added_on, y->added_on);
	return c ? c : (x->row_id > y->row_id) - (x->row_id < y->row_id);
}

static int by_practice(const void *a, const void *b)
{
	const seed_row *x = a, *y = b;
	if (x->org_id != y->org_id)
		return (x->org_id > y->org_id) - (x->org_id < y->org_id);
	return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

/* The cohort: each linked person's latest entry, by practice then person. */
static jup_status cohort(jup_store *st, seed_rows *l, jup_care_plan_seed_report *rep, jup_err *err)
{
	jup_status s = jup_store_scan(st, JUP_TABLE_EOL_PLAN, NULL, 0, register_row, l, err);
	for (size_t i = 0; !s && i < l->n; i++)
		s = place_row(st, &l->v[i], err);
	if (s)
		return s;
	rep->register_rows = (int64_t)l->n;
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, by_person);
	size_t kept = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (!l->v[i].person_id || !l->v[i].org_id) {
			rep->unlinked++;
			continue;
		}
		if (i + 1 < l->n && l->v[i + 1].person_id == l->v[i].person_id)
			continue; /* a later entry of the same person follows */
		l->v[kept++] = l->v[i];
	}
	l->n = kept;
	rep->people = (int64_t)kept;
	if (kept > 1)
		qsort(l->v, kept, sizeof *l->v, by_practice);
	return JUP_OK;
}

/* ---- what is invented ---------------------------------------------------------------- */

/* A relationship, and the sex it implies ('U': either). */
static const struct {
	const char *name;
	char sex;
} relationships[] = {
	{ "daughter", 'F' },  { "son", 'M' },    { "wife", 'F' },          { "husband", 'M' },
	{ "partner", 'U' },   { "sister", 'F' }, { "brother", 'M' },       { "niece", 'F' },
	{ "nephew", 'M' },    { "friend", 'U' }, { "granddaughter", 'F' }, { "grandson", 'M' },
	{ "neighbour", 'U' },
};

/* The anticipatory medicines, coded by substance as the GP extracts are. */
static const struct {
	const char *description, *code;
} just_in_case[] = {
	{ "Morphine sulfate 10mg/1ml solution for injection ampoules", "373529000" },
	{ "Midazolam 10mg/2ml solution for injection ampoules", "373476007" },
	{ "Levomepromazine 25mg/1ml solution for injection ampoules", "387509007" },
	{ "Glycopyrronium bromide 200micrograms/1ml solution for injection ampoules", "387122008" },
	{ "Water for injections 10ml ampoules", NULL },
};

/* A key contact: the first has a mobile number, the others either kind. */
static json_t *contact(jup_rng *rng, bool first)
{
	char name[96], phone[16];
	size_t rel = (size_t)(jup_rng_next(rng) % N(relationships));
	jup_synth_contact_name(jup_rng_next(rng), relationships[rel].sex, name, sizeof name);
	unsigned number = (unsigned)(jup_rng_next(rng) % 1000);
	bool mobile = first || jup_rng_next(rng) % 2;
	snprintf(phone, sizeof phone, "%s%03u", mobile ? "07700 900" : "01632 960", number);
	return json_pack("{s:s, s:s, s:s}", "name", name, "relationship", relationships[rel].name,
			 "phone", phone);
}

/* Four in five have the medicines in the home; water for injections with them. */
static json_t *medicines(jup_rng *rng)
{
	json_t *arr = json_array();
	bool prescribed = jup_rng_next(rng) % 5 != 0;
	for (size_t i = 0; arr && prescribed && i < N(just_in_case); i++) {
		json_t *m = json_pack(
			"{s:s, s:o}", "description", just_in_case[i].description, "code",
			just_in_case[i].code ? json_string(just_in_case[i].code) : json_null());
		if (json_array_append_new(arr, m)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

/* The write for row r (death: the registered date of death, "" when none). */
static json_t *plan_for(const seed_row *r, const char *death, uint64_t seed)
{
	jup_rng rng;
	jup_rng_seed(&rng, seed ^ jup_splitmix64(&(uint64_t){ (uint64_t)r->row_id }));
	json_t *contacts = json_array();
	int n = 1 + (int)(jup_rng_next(&rng) % 3);
	for (int i = 0; contacts && i < n; i++)
		if (json_array_append_new(contacts, contact(&rng, i == 0))) {
			json_decref(contacts);
			contacts = NULL;
		}
	json_t *meds = medicines(&rng);
	const char *end = death[0] && strcmp(death, r->added_on) < 0 ? r->added_on : death;
	json_t *eol = json_pack("{s:o, s:o, s:s, s:o, s:o}", "preferred_place_of_care",
				text_or_null(r->care), "preferred_place_of_death",
				text_or_null(r->death), "resuscitation", r->resus, "key_contacts",
				contacts, "medicines_in_home", meds);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "kind", "end_of_life", "status",
			 death[0] ? "completed" : "active", "title", "End-of-life care plan",
			 "description", "From the practice's end-of-life register.", "period_start",
			 r->added_on, "period_end", text_or_null(end), "end_of_life", eol);
}

/* ---- writing, practice by practice ------------------------------------------------------- */

typedef struct seed_practice {
	jup_store *st;
	uint64_t seed;
	char code[JUP_MAX_ORG_CODE_LEN + 1];
	char now[21];
	jup_user account;
	jup_audit_batch batch;
	int64_t next_id;
	jup_care_plan_seed_report *rep;
} seed_practice;

/* The practice's system account, made when missing. */
static jup_status account(seed_practice *p, int64_t org_id, jup_err *err)
{
	char name[JUP_USERNAME_MAX + 1];
	jup_status s = jup_store_org_code(p->st, org_id, p->code, sizeof p->code, err);
	if (s)
		return s;
	size_t n = (size_t)snprintf(name, sizeof name, "eol-register.%s", p->code);
	for (size_t i = 0; i < n && i < sizeof name; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] = (char)(name[i] - 'A' + 'a');
	s = jup_user_find(p->st, name, &p->account, err);
	if (!s &&
	    (p->account.role != JUP_ROLE_GP || p->account.org_id != org_id || !p->account.disabled))
		return jup_err_set(err, JUP_ERR_EXISTS,
				   "\"%s\" is somebody else's account, not the practice's system "
				   "account",
				   name);
	if (s != JUP_ERR_NOT_FOUND)
		return s;
	s = jup_user_add_system(p->st, name, JUP_ROLE_GP, p->code, NULL, err);
	if (!s)
		p->rep->accounts++;
	return s ? s : jup_user_find(p->st, name, &p->account, err);
}

static jup_status found_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)err;
	char *out = ctx;
	if (!out[0])
		jup_value_copy_text(out, 11, &v[JUP_DEATH_DATE_OF_DEATH]);
	return JUP_OK;
}

static jup_status any_row(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)id;
	(void)v;
	(void)err;
	*(bool *)ctx = true;
	return JUP_OK;
}

/* Write r's plan unless the person has an end-of-life plan already. */
static jup_status seed_one(seed_practice *p, const seed_row *r, jup_err *err)
{
	bool has = false;
	char death[11] = "";
	jup_match eol[2] = { { JUP_CP_PERSON_ID, jup_v_int(r->person_id) },
			     { JUP_CP_KIND, jup_v_cstr("end_of_life") } };
	jup_match died = { JUP_DEATH_NHS_NUMBER, jup_v_cstr(r->nhs) };
	jup_status s = jup_store_scan(p->st, JUP_TABLE_CARE_PLAN, eol, 2, any_row, &has, err);
	if (!s && !has && r->nhs[0])
		s = jup_store_scan(p->st, JUP_TABLE_DEATH, &died, 1, found_row, death, err);
	if (s || has) {
		p->rep->had_plan += has;
		return s;
	}
	json_t *in = plan_for(r, death, p->seed);
	care_plan_in plan;
	s = in ? care_plan_parse(in, &plan, err)
	       : jup_err_set(err, JUP_ERR_NOMEM, "out of memory making a care plan");
	care_plan_author a = { p->account.id, p->account.username, jup_role_name(JUP_ROLE_GP),
			       r->org_id, p->code };
	care_plan_target t = { p->next_id, 1, r->person_id, p->now,
			       "from the end-of-life register" };
	int64_t row;
	if (!s)
		s = care_plan_store(p->st, &p->batch, &a, &t, &plan, &row, err);
	if (!s) {
		p->next_id++;
		p->rep->written++;
	}
	if (in)
		care_plan_in_free(&plan);
	json_decref(in);
	return s;
}

/* One practice's people, rows[0..n), in one transaction. */
static jup_status seed_practice_rows(seed_practice *p, const seed_row *rows, size_t n, jup_err *err)
{
	jup_status s = jup_store_begin(p->st, err);
	if (s)
		return s;
	s = account(p, rows[0].org_id, err);
	if (!s)
		s = jup_audit_batch_begin(p->st, &p->batch, err);
	if (!s)
		s = care_plan_next_id(p->st, &p->next_id, err);
	for (size_t i = 0; !s && i < n; i++)
		s = seed_one(p, &rows[i], err);
	if (!s)
		s = jup_audit_batch_end(p->st, &p->batch, err);
	if (!s)
		s = jup_store_commit(p->st, err);
	if (s)
		jup_store_abandon(p->st);
	return s;
}

jup_status jup_care_plan_seed_eol(jup_store *st, uint64_t seed, jup_care_plan_seed_report *rep,
				  jup_err *err)
{
	jup_care_plan_seed_report ignored;
	rep = rep ? rep : &ignored;
	memset(rep, 0, sizeof *rep);
	if (!st)
		return jup_err_set(err, JUP_ERR_USAGE, "care plans: no store");
	seed_rows l = { 0 };
	jup_status s = cohort(st, &l, rep, err);
	seed_practice p = { .st = st, .seed = seed, .rep = rep };
	jup_date_now_utc(p.now);
	for (size_t i = 0, j; !s && i < l.n; i = j) {
		for (j = i + 1; j < l.n && l.v[j].org_id == l.v[i].org_id; j++)
			;
		s = seed_practice_rows(&p, &l.v[i], j - i, err);
	}
	free(l.v);
	return s;
}
