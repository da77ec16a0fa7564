/*
 * synth_run.c - `joinedup synth`: the driver that writes a synthetic city.
 *
 * Order of work: read the areas, set up organisations and NHS numbers, open
 * every extract, then stream residents area by area, household by
 * household; each resident's whole history (conditions, death, hospital,
 * social care, care teams) is made and written before the next, so memory
 * stays small and output rows are built straight into 1 MiB buffers. All
 * randomness is seeded from the options (never the clock), so the same
 * options give the same bytes.
 */
#include "synth/jup_synth.h"
#include "synth/synth_internal.h"

#include "core/jup_limits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void jup_synth_defaults(jup_synth_opts *o)
{
	memset(o, 0, sizeof *o);
	o->people = 20000;
	o->seed = 1;
	o->area = "Leeds";
	o->imd_path = JUP_DATA_DIR "/imd2019/lsoa_imd2019_england.csv";
	o->out_dir = "synthetic-city";
	o->as_of = jup_date_from_ymd(2026, 11, 1);
	o->years = 3;
}

static jup_status check_opts(const jup_synth_opts *o, jup_err *err)
{
	if (!o || !o->area || !o->area[0] || !o->imd_path || !o->out_dir || !o->out_dir[0])
		return jup_err_set(err, JUP_ERR_USAGE,
		                   "synth needs an area, a deprivation file "
		                   "and an output folder");
	if (o->people < 1 || o->people > JUP_SYNTH_MAX_PEOPLE)
		return jup_err_set(err, JUP_ERR_USAGE, "people must be 1 to %d",
		                   JUP_SYNTH_MAX_PEOPLE);
	if (o->years < 1 || o->years > 10)
		return jup_err_set(err, JUP_ERR_USAGE, "years of history must be 1 to 10");
	if (o->as_of < jup_date_from_ymd(1990, 1, 1) || o->as_of > jup_date_from_ymd(2999, 12, 31))
		return jup_err_set(err, JUP_ERR_USAGE, "the extract date must be 1990 to 2999");
	return JUP_OK;
}

/* ------------------------------------------------------------------ ids */

static int id_width(uint64_t n)
{
	int w = 1;
	for (uint64_t x = 10; x < n && w < 19; x *= 10)
		w++;
	return w;
}

void synth_put_local_id(synth_out *o, const char *prefix, const synth_perm *perm, int64_t idx)
{
	synth_put(o, prefix);
	synth_put_padded(o, synth_perm_apply(perm, (uint64_t)idx), id_width(perm->n));
}

void synth_put_person_key(synth_out *o, int64_t idx)
{
	synth_put_char(o, 'P');
	synth_put_padded(o, (uint64_t)idx + 1, 7);
}

void synth_put_event_id(synth_out *o, const synth_city *c, const char *prefix, uint64_t tag,
                        int64_t seq)
{
	synth_put(o, prefix);
	synth_put_padded(o, synth_perm_apply(&c->id_event, (uint64_t)seq * 8 + tag), 11);
}

static void init_ids(synth_city *c)
{
	uint64_t d = 10000000; /* ids of at least seven digits, ten times the people */
	while (d < (uint64_t)c->o->people * 10)
		d *= 10;
	synth_perm_init(&c->id_gp, d, c->seed, 1);
	synth_perm_init(&c->id_hosp[0], d, c->seed, 2);
	synth_perm_init(&c->id_hosp[1], d, c->seed, 3);
	synth_perm_init(&c->id_sc, d, c->seed, 4);
	synth_perm_init(&c->id_event, 100000000000ull, c->seed, 5);
}

/* -------------------------------------------------------------- driving */

static void run_person(synth_city *c, synth_person *p)
{
	synth_health_conditions(c, p);
	synth_health_death(c, p);
	synth_health_eol(c, p);
	synth_hospital_events(c, p);
	synth_health_write(c, p);
	synth_hospital_write(c, p);
	synth_social_run(c, p);
	synth_care_team_write(c, p);
	if (++c->done >= c->next_progress && c->o->progress) {
		c->o->progress(c->o->progress_ctx, (double)c->done / (double)c->o->people);
		c->next_progress += c->o->people / 100 > 0 ? c->o->people / 100 : 1;
	}
}

jup_status synth_city_setup(synth_city *c, const jup_synth_opts *o, jup_err *err)
{
	c->o = o;
	c->seed = o->seed;
	c->as_of = o->as_of;
	c->ws = o->as_of - (jup_date)lround(o->years * 365.25);
	c->cur_district = -1;
	jup_status st = synth_city_load(c, err);
	if (!st)
		st = synth_city_orgs(c, err);
	if (!st && synth_names_prepare(&c->names))
		st = jup_err_set(err, JUP_ERR_NOMEM, "out of memory for names");
	if (!st)
		st = synth_people_nhs(c, err);
	if (!st)
		init_ids(c);
	return st;
}

static jup_status generate(synth_city *c, jup_err *err)
{
	synth_person *p = malloc(sizeof *p);
	if (!p)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	synth_city_write_orgs(c);
	c->next_progress = c->o->people / 100 > 0 ? c->o->people / 100 : 1;
	jup_status st = JUP_OK;
	for (int64_t a = 0; a < c->nareas && !st; a++)
		st = synth_people_area(c, a, p, run_person, err);
	free(p);
	return st;
}

static void report(const synth_city *c, jup_synth_report *rep)
{
	memset(rep, 0, sizeof *rep);
	rep->people = c->o->people;
	rep->areas = c->nareas;
	rep->practices = c->npractices;
	rep->with_nhs_number = c->with_nhs;
	for (int k = 0; k < SYNTH_F__COUNT; k++) {
		rep->files[k].name = synth_out_name(k);
		rep->files[k].rows = c->out[k].rows;
	}
	rep->nfiles = SYNTH_F__COUNT;
}

jup_status jup_synth_run(const jup_synth_opts *o, jup_synth_report *rep, jup_err *err)
{
	jup_status st = check_opts(o, err);
	if (st)
		return st;
	synth_city *c = calloc(1, sizeof *c);
	if (!c)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	st = synth_city_setup(c, o, err);
	if (!st)
		st = synth_out_open_all(c->out, o->out_dir, err);
	if (!st) {
		st = generate(c, err);
		jup_err cerr;
		jup_status cst = synth_out_close_all(c->out, &cerr);
		if (!st && cst) {
			st = cst;
			if (err)
				*err = cerr;
		}
	}
	if (!st && rep)
		report(c, rep);
	synth_city_free(c);
	free(c);
	return st;
}
