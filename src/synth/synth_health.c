/*
 * synth_health.c - a resident's health: long-term conditions, repeat
 * medication, death, the end-of-life register, opt-outs, and the GP record.
 *
 * Conditions come from the one catalogue (synth_catalog.c): the chance of
 * each rises with age (prevalence by band), with deprivation (a rate ratio
 * between decile 1 and decile 10, spread evenly over the deciles) and with
 * a person's latent frailty (a log-normal factor shared by all their
 * conditions, so multimorbidity clusters); frailty findings rise further
 * with the number of major conditions. Drugs follow conditions, so older
 * multimorbid people often take five or more.
 *
 * Death: a Gompertz hazard by age times deprivation and the mortality rate
 * ratios of the person's conditions, over the years of the window the
 * person lived through, for residents with an NHS number (deaths.csv is
 * keyed on it). The place of death depends on the trajectory (cancer, organ
 * failure, dementia/frailty, sudden). Most who die of a long illness were
 * put on the end-of-life register in their last year; some living people
 * with severe illness are on it too. Nothing happens after death.
 */
#include "synth/synth_internal.h"

#include <math.h>
#include <string.h>

static double dep_factor(int decile, int rr10)
{
	/* decile 1 gets sqrt(rr), decile 10 1/sqrt(rr): the ratio is rr */
	return pow(rr10 / 10.0, (5.5 - decile) / 9.0);
}

static double sex_factor(const synth_condition *k, char sex)
{
	if (k->female_rr10 == 0)
		return sex == 'M' ? 1.0 : 0.0;
	if (k->female_rr10 == 255)
		return sex == 'F' ? 1.0 : 0.0;
	double s = sqrt(k->female_rr10 / 10.0);
	return sex == 'F' ? s : 1.0 / s;
}

static void add_cond(synth_person *p, int id, jup_date onset)
{
	if (p->nconds >= SYNTH_MAX_CONDS)
		return;
	p->conds[p->nconds++] = (synth_cond){(uint8_t)id, onset};
	p->cmask[id >> 6] |= 1ull << (id & 63);
}

static jup_date onset_of(const synth_person *p, int id)
{
	for (int i = 0; i < p->nconds; i++)
		if (p->conds[i].id == id)
			return p->conds[i].onset;
	return 0;
}

static jup_date clamp_date(jup_date d, jup_date lo, jup_date hi)
{
	return d < lo ? lo : d > hi ? hi : d;
}

/* when a condition began: recent events in the last three years, children
 * of a condition after it, others spread over the years since min age */
static jup_date pick_onset(synth_city *c, synth_person *p, const synth_condition *k,
                           jup_date parent_onset)
{
	synth_rng *r = &p->rng;
	jup_date lo = p->dob, hi = c->as_of;
	if (k->flags & SYNTH_C_RECENT)
		return clamp_date(hi - (jup_date)synth_rng_below(r, 3 * 365), lo, hi);
	if (parent_onset)
		return parent_onset + (jup_date)(synth_rng_unit(r) * (double)(hi - parent_onset));
	int min_age = k->onset_min_age < p->age ? k->onset_min_age : p->age;
	double span = p->age - min_age;
	double at = p->age - span * pow(synth_rng_unit(r), 1.5);
	jup_date d = p->dob + (jup_date)(at * 365.25) + (jup_date)synth_rng_below(r, 365);
	return clamp_date(d, lo, hi);
}

static double condition_chance(const synth_person *p, const synth_condition *k, int nmajor)
{
	double pr = k->prev[synth_age_band(p->age)] / 10000.0;
	pr *= dep_factor(p->area->decile, k->dep_rr10) * sex_factor(k, p->sex);
	if (k->parent[0] < 0)
		pr *= p->frailty;
	if (k->flags & SYNTH_C_FRAILTY)
		pr *= 1.0 + 0.25 * nmajor;
	return pr > 0.95 ? 0.95 : pr;
}

static void pregnancy(synth_city *c, synth_person *p)
{
	static const double by_age[] = {0.02, 0.05, 0.075, 0.085, 0.05, 0.012};
	if (p->sex != 'F' || p->age < 16 || p->age > 45)
		return;
	int band = p->age < 20 ? 0 : p->age >= 40 ? 5 : (p->age - 15) / 5;
	double pr = by_age[band] * dep_factor(p->area->decile, 12);
	if (synth_rng_chance(&p->rng, pr))
		add_cond(p, SC_PREGNANCY, c->as_of - (jup_date)synth_rng_below(&p->rng, 266));
}

void synth_health_conditions(synth_city *c, synth_person *p)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	p->frailty = exp(0.6 * synth_rng_normal(&p->rng) - 0.18);
	int nmajor = 0;
	for (size_t id = 0; id < n; id++) {
		const synth_condition *k = &cat[id];
		if (id == SC_PREGNANCY)
			continue;
		if ((k->flags & SYNTH_C_ALONE) && p->hh_size != 1)
			continue;
		jup_date parent_onset = 0;
		if (k->parent[0] >= 0) {
			int a = k->parent[0], b = k->parent[1];
			if (synth_has(p, a))
				parent_onset = onset_of(p, a);
			else if (b >= 0 && synth_has(p, b))
				parent_onset = onset_of(p, b);
			else
				continue;
		}
		if (!synth_rng_chance(&p->rng, condition_chance(p, k, nmajor)))
			continue;
		add_cond(p, (int)id, pick_onset(c, p, k, parent_onset));
		nmajor += (k->flags & SYNTH_C_MAJOR) != 0;
	}
	pregnancy(c, p);
}

/* ---------------------------------------------------------------- death */

static double base_hazard(int age)
{
	if (age < 1)
		return 0.0035;
	if (age < 15)
		return 0.0001;
	if (age < 30)
		return 0.0004;
	return exp(-10.6 + 0.088 * age);
}

static int trajectory(const synth_person *p)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	int t = 0; /* 0 sudden, 1 cancer, 2 organ failure, 3 dementia/frailty */
	for (int i = 0; i < p->nconds; i++) {
		uint16_t f = cat[p->conds[i].id].flags;
		if (f & SYNTH_C_CANCER)
			return 1;
		if (f & SYNTH_C_ORGAN)
			t = 2;
		else if ((f & SYNTH_C_DEMENTIA) && t == 0)
			t = 3;
	}
	if (t == 0 && p->age >= 85)
		t = 3;
	return t;
}

static int death_place(synth_rng *r, int traj)
{
	/* cumulative per cent: home, care home, hospital, hospice, other */
	static const uint32_t cum[4][5] = {
	    {36, 46, 94, 95, 100}, /* sudden */
	    {30, 40, 75, 97, 100}, /* cancer */
	    {25, 38, 93, 97, 100}, /* organ failure */
	    {14, 59, 97, 98, 100}, /* dementia, frailty */
	};
	return (int)synth_rng_pick(r, cum[traj], 5);
}

/* after a death, every date on the record must fall on or before it */
static void clip_to_death(synth_person *p)
{
	jup_date d = p->death;
	for (int i = 0; i < p->nconds; i++)
		if (p->conds[i].onset > d)
			p->conds[i].onset =
			    clamp_date(d - (jup_date)synth_rng_below(&p->rng, 200), p->dob, d);
	if (p->registered_on > d)
		p->registered_on = p->dob > d - 30 ? p->dob : d - 30;
	if (p->moved && p->moved_on > d)
		p->moved = false;
}

void synth_health_death(synth_city *c, synth_person *p)
{
	if (!p->has_nhs)
		return;
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	double h = base_hazard(p->age) * dep_factor(p->area->decile, 20);
	double m = 1.0;
	for (int i = 0; i < p->nconds; i++)
		m *= cat[p->conds[i].id].mort10 / 10.0;
	/* conditions cluster with age, so their ratios are damped (square root) */
	h *= sqrt(m > 30 ? 30 : m);
	jup_date begin = synth_begin(c, p);
	double years = (c->as_of - begin) / 365.25;
	if (!synth_rng_chance(&p->rng, 1.0 - exp(-h * years)))
		return;
	p->death = begin + 1 + (jup_date)synth_rng_below(&p->rng, (uint32_t)(c->as_of - begin));
	if (p->death > c->as_of)
		p->death = c->as_of;
	p->death_place = death_place(&p->rng, trajectory(p));
	clip_to_death(p);
	c->n.deaths++;
}

/* ---------------------------------------------------------- end of life */

static bool severe_alive(synth_person *p)
{
	double pr = 0;
	if (synth_has(p, SC_METS_LIVER) || synth_has(p, SC_METS_BONE) || synth_has(p, SC_CA_LUNG))
		pr = 0.6;
	else if (synth_has(p, SC_HEART_FAILURE) && p->age >= 80)
		pr = 0.12;
	else if (synth_has(p, SC_DEMENTIA) && p->age >= 90)
		pr = 0.15;
	else if ((synth_has(p, SC_COPD) || synth_has(p, SC_CKD4)) && p->age >= 80)
		pr = 0.06;
	return pr > 0 && synth_rng_chance(&p->rng, pr);
}

void synth_health_eol(synth_city *c, synth_person *p)
{
	if (!p->has_nhs)
		return;
	jup_date lo = synth_begin(c, p);
	if (p->registered_on > lo)
		lo = p->registered_on;
	if (p->death) {
		if (trajectory(p) == 0 || !synth_rng_chance(&p->rng, 0.78))
			return;
		p->eol = true;
		p->eol_added = p->death - 14 - (jup_date)synth_rng_below(&p->rng, 320);
	} else {
		if (!severe_alive(p))
			return;
		p->eol = true;
		p->eol_added = c->as_of - (jup_date)synth_rng_below(&p->rng, 365);
	}
	p->eol_added = clamp_date(p->eol_added, lo, synth_end(c, p));
	/* people known to be dying mostly die where they chose */
	if (p->death && p->death_place == SYNTH_P_HOSPITAL && synth_rng_chance(&p->rng, 0.2))
		p->death_place = synth_rng_chance(&p->rng, 0.6) ? SYNTH_P_HOME : SYNTH_P_HOSPICE;
}

/* ------------------------------------------------------------ GP record */

static const char *const places[] = {"home", "care_home", "hospital", "hospice", "other"};

static void put_gp_key(synth_city *c, synth_out *o, const synth_person *p)
{
	synth_put(o, c->orgs[p->practice].code);
	synth_sep(o);
	synth_put_local_id(o, "", &c->id_gp, p->idx);
}

static void write_patient(synth_city *c, const synth_person *p)
{
	synth_out *o = &c->out[SYNTH_F_GP_PATIENTS];
	/* column order as docs/FORMATS.md gives it for gp_patients.csv */
	synth_row_begin(o);
	synth_put(o, p->nhs);
	synth_sep(o);
	synth_put_csv(o, p->given);
	synth_sep(o);
	synth_put_csv(o, p->family);
	synth_sep(o);
	synth_put_date(o, p->dob);
	synth_sep(o);
	synth_put_char(o, p->sex);
	synth_sep(o);
	synth_put(o, p->postcode);
	synth_sep(o);
	put_gp_key(c, o, p);
	synth_sep(o);
	synth_put_csv(o, p->address);
	synth_sep(o);
	synth_put_date(o, p->registered_on);
	synth_row_end(o);
	o = &c->out[SYNTH_F_TRUTH];
	synth_row_begin(o);
	put_gp_key(c, o, p);
	synth_sep(o);
	synth_put_person_key(o, p->idx);
	synth_row_end(o);
}

static void write_conditions(synth_city *c, const synth_person *p)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	synth_out *o = &c->out[SYNTH_F_GP_CONDITIONS];
	for (int i = 0; i < p->nconds; i++) {
		const synth_condition *k = &cat[p->conds[i].id];
		synth_row_begin(o);
		put_gp_key(c, o, p);
		synth_put(o, ",snomed,");
		synth_put(o, k->snomed);
		synth_sep(o);
		synth_put_csv(o, k->term);
		synth_sep(o);
		synth_put_date(o, p->conds[i].onset);
		synth_row_end(o);
	}
}

static void write_drug(synth_city *c, synth_person *p, const synth_drug *d, jup_date from)
{
	synth_out *o = &c->out[SYNTH_F_GP_MEDICATIONS];
	jup_date end = synth_end(c, p);
	jup_date start = clamp_date(from + (jup_date)synth_rng_below(&p->rng, 180), p->dob, end);
	jup_date stop = 0;
	if (p->death)
		stop = p->death;
	else if (synth_rng_chance(&p->rng, 0.12) && start + 30 < end)
		stop =
		    start + 30 + (jup_date)synth_rng_below(&p->rng, (uint32_t)(end - start - 30));
	synth_row_begin(o);
	put_gp_key(c, o, p);
	synth_put(o, ",snomed,");
	synth_put(o, d->snomed);
	synth_sep(o);
	synth_put_csv(o, d->name);
	synth_sep(o);
	synth_put_date(o, start);
	synth_sep(o);
	if (stop)
		synth_put_date(o, stop);
	synth_row_end(o);
}

static void write_medications(synth_city *c, synth_person *p)
{
	size_t nrules, ndrugs;
	const synth_drug_rule *rules = synth_drug_rules(&nrules);
	const synth_drug *drugs = synth_drugs(&ndrugs);
	uint64_t given = 0;
	for (size_t i = 0; i < nrules; i++) {
		const synth_drug_rule *ru = &rules[i];
		if (p->age < ru->min_age || (given >> ru->drug) & 1u)
			continue;
		if (ru->cond >= 0 && !synth_has(p, ru->cond))
			continue;
		if (!synth_rng_chance(&p->rng, ru->pct / 100.0))
			continue;
		given |= 1ull << ru->drug;
		jup_date from =
		    ru->cond >= 0 ? onset_of(p, ru->cond) : synth_end(c, p) - (jup_date)(5 * 365);
		write_drug(c, p, &drugs[ru->drug], from);
	}
}

static void write_eol(synth_city *c, synth_person *p)
{
	static const uint32_t pref[] = {50, 65, 70, 88, 90, 100}; /* last: not recorded */
	static const uint32_t resus[] = {62, 72, 100};
	static const char *const resus_names[] = {"dnacpr", "attempt_cpr", "not_discussed"};
	synth_out *o = &c->out[SYNTH_F_GP_EOL];
	synth_row_begin(o);
	put_gp_key(c, o, p);
	synth_sep(o);
	synth_put_date(o, p->eol_added);
	for (int k = 0; k < 2; k++) {
		size_t pl = synth_rng_pick(&p->rng, pref, 6);
		synth_sep(o);
		if (pl == 5)
			continue;
		/* order in pref: home, hospice, care_home, home, hospital, none */
		static const int map[] = {SYNTH_P_HOME, SYNTH_P_HOSPICE, SYNTH_P_CARE_HOME,
		                          SYNTH_P_HOME, SYNTH_P_HOSPITAL};
		synth_put(o, places[map[pl]]);
	}
	synth_sep(o);
	synth_put(o, resus_names[synth_rng_pick(&p->rng, resus, 3)]);
	synth_row_end(o);
}

static jup_date date_between(synth_rng *r, jup_date lo, jup_date hi)
{
	if (hi <= lo)
		return lo;
	return lo + (jup_date)synth_rng_below(r, (uint32_t)(hi - lo) + 1);
}

static void write_choices(synth_city *c, synth_person *p)
{
	jup_date lo = synth_begin(c, p), hi = synth_end(c, p);
	bool objects = synth_rng_chance(&p->rng, 0.02);
	if (objects) {
		synth_out *o = &c->out[SYNTH_F_GP_OBJECTIONS];
		synth_row_begin(o);
		synth_put(o, c->orgs[p->practice].code);
		synth_sep(o);
		synth_put(o, p->nhs);
		synth_sep(o);
		synth_put_date(
		    o, date_between(&p->rng, p->registered_on > lo ? p->registered_on : lo, hi));
		synth_row_end(o);
	}
	if (synth_rng_chance(&p->rng, objects ? 0.4 : 0.043)) {
		synth_out *o = &c->out[SYNTH_F_OPT_OUTS];
		synth_row_begin(o);
		synth_put(o, p->nhs);
		synth_sep(o);
		synth_put_date(o, date_between(&p->rng, lo, hi));
		synth_row_end(o);
	}
}

static void write_death(synth_city *c, const synth_person *p)
{
	synth_out *o = &c->out[SYNTH_F_DEATHS];
	synth_row_begin(o);
	synth_put(o, p->nhs);
	synth_sep(o);
	synth_put_date(o, p->dob);
	synth_sep(o);
	synth_put_date(o, p->death);
	synth_sep(o);
	synth_put(o, places[p->death_place]);
	synth_row_end(o);
}

void synth_health_write(synth_city *c, synth_person *p)
{
	if (!p->has_nhs)
		return;
	write_patient(c, p);
	write_conditions(c, p);
	write_medications(c, p);
	if (p->eol)
		write_eol(c, p);
	write_choices(c, p);
	if (p->death)
		write_death(c, p);
}

/* one transposition, substitution or deletion, never at the first letter */
void synth_typo(synth_rng *r, char *s)
{
	size_t n = strlen(s);
	if (n < 3)
		return;
	size_t i = 1 + synth_rng_below(r, (uint32_t)(n - 2));
	switch (synth_rng_below(r, 3)) {
	case 0: {
		char t = s[i];
		s[i] = s[i + 1];
		s[i + 1] = t;
		break;
	}
	case 1:
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)('a' + (s[i] - 'a' + 1 + (int)synth_rng_below(r, 25)) % 26);
		break;
	default:
		memmove(s + i, s + i + 1, n - i);
		break;
	}
}
