/*
 * synth_hospital.c - hospital activity: inpatient spells, A&E attendances
 * and each trust's patient master.
 *
 * Rates per person-year rise with age and deprivation and with a person's
 * conditions: emergency admissions about 90 per 1,000 a year overall, steep
 * with age; electives about 120 (most of them day cases, length of stay 0);
 * A&E attendances about 350 (more for young children, young adults, the
 * old and the deprived). Most emergency admissions come through A&E the
 * same day. About one in eight emergency discharges of older people is
 * followed by another emergency admission within 30 days. People are seen
 * mostly at the trust nearer them. A death in hospital ends an emergency
 * spell with destination "died"; the last year of life brings more
 * admissions. A spell still open at as_of has no discharge date.
 *
 * Each trust knows the person under its own id (MRN) with demographics
 * mostly as the GP has them: NHS number blank for about 2% (and for
 * residents without one), occasional typos, sometimes an old address.
 */
#include "synth/synth_internal.h"

#include "core/jup_limits.h"

#include <math.h>
#include <string.h>

/* per 1,000 a year by age band (0-15 16-34 35-54 55-64 65-74 75-84 85+) */
static const double emergency_rate[SYNTH_NBANDS] = {45, 39, 45, 66, 102, 172, 290};
static const double elective_rate[SYNTH_NBANDS] = {32, 60, 110, 185, 280, 320, 235};
static const double ae_rate[SYNTH_NBANDS] = {290, 300, 210, 190, 170, 200, 300};

enum { MAX_PLAN = SYNTH_MAX_ADM };

typedef struct plan {
	jup_date day;
	uint8_t method;
} plan;

static double dep(int decile, double rr)
{
	return pow(rr, (5.5 - decile) / 9.0);
}

static int trust_for(synth_person *p)
{
	return synth_rng_chance(&p->rng, 0.85) ? p->near_trust : 1 - p->near_trust;
}

/* how much a person's conditions raise emergency use (1 = none) */
static double morbidity(const synth_person *p)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	double m = 1.0;
	for (int i = 0; i < p->nconds; i++)
		m += (cat[p->conds[i].id].adm10 - 10) / 40.0;
	return m;
}

static jup_date uniform_day(synth_rng *r, jup_date lo, jup_date hi)
{
	if (hi <= lo)
		return lo;
	return lo + (jup_date)synth_rng_below(r, (uint32_t)(hi - lo) + 1);
}

/* ------------------------------------------------------------- reasons */

static int pick_reason(synth_rng *r, int kind, int age, char sex)
{
	size_t n;
	const synth_reason *rs = synth_reasons(&n);
	uint32_t total = 0, cum[64];
	size_t m = n < 64 ? n : 64;
	for (size_t i = 0; i < m; i++) {
		const synth_reason *x = &rs[i];
		bool ok = x->kind == kind && age >= x->min_age && age <= x->max_age &&
		          (!x->sex || x->sex == sex);
		total += ok ? x->weight : 0;
		cum[i] = total;
	}
	if (total == 0)
		return -1; /* the first reason (pneumonia) */
	return -1 - (int)synth_rng_pick(r, cum, m);
}

static int find_reason(const char *icd)
{
	size_t n;
	const synth_reason *rs = synth_reasons(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rs[i].icd10, icd) == 0)
			return -1 - (int)i;
	return -1;
}

/* the main condition of an emergency: often one of the person's own
 * conditions (weighted by how often it brings people in), else acute */
static int emergency_reason(synth_person *p)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	uint32_t cum[SYNTH_MAX_CONDS], total = 0;
	for (int i = 0; i < p->nconds; i++) {
		int w = cat[p->conds[i].id].adm10 - 10;
		total += w > 0 ? (uint32_t)w : 0;
		cum[i] = total;
	}
	if (total > 0 && synth_rng_chance(&p->rng, 0.45))
		return p->conds[synth_rng_pick(&p->rng, cum, (size_t)p->nconds)].id;
	return pick_reason(&p->rng, SYNTH_R_EMERGENCY, p->age, p->sex);
}

static int elective_reason(synth_person *p)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	for (int i = 0; i < p->nconds; i++)
		if ((cat[p->conds[i].id].flags & SYNTH_C_CANCER) && synth_rng_chance(&p->rng, 0.4))
			return synth_rng_chance(&p->rng, 0.5) ? find_reason("Z51.1")
			                                      : p->conds[i].id;
	return pick_reason(&p->rng, SYNTH_R_ELECTIVE, p->age, p->sex);
}

/* the condition a dying person is admitted with */
static int terminal_reason(synth_person *p)
{
	size_t n;
	const synth_condition *cat = synth_conditions(&n);
	int best = -1, best_m = 10;
	for (int i = 0; i < p->nconds; i++)
		if (cat[p->conds[i].id].mort10 > best_m) {
			best_m = cat[p->conds[i].id].mort10;
			best = p->conds[i].id;
		}
	return best >= 0 ? best : find_reason("J18.9");
}

/* ------------------------------------------------------------- planning */

static int add_plans(synth_person *p, plan *pl, int n, int k, jup_date lo, jup_date hi, int method)
{
	for (int i = 0; i < k && n < MAX_PLAN; i++)
		pl[n++] = (plan){uniform_day(&p->rng, lo, hi), (uint8_t)method};
	return n;
}

static void sort_plans(plan *pl, int n)
{
	for (int i = 1; i < n; i++) {
		plan x = pl[i];
		int j = i - 1;
		while (j >= 0 && pl[j].day > x.day) {
			pl[j + 1] = pl[j];
			j--;
		}
		pl[j + 1] = x;
	}
}

static int make_plans(synth_city *c, synth_person *p, plan *pl)
{
	jup_date a0 = synth_begin(c, p), a1 = synth_end(c, p);
	double years = (a1 - a0 + 1) / 365.25;
	int band = synth_age_band(p->age);
	double d = dep(p->area->decile, 1.9), m = morbidity(p) * sqrt(p->frailty);
	int n = 0;
	n = add_plans(p, pl, n,
	              synth_rng_poisson(&p->rng, emergency_rate[band] / 1000 * d * m * years), a0,
	              a1, SYNTH_M_EMERGENCY);
	if (p->death) {
		jup_date from = p->death - 365 > a0 ? p->death - 365 : a0;
		double part = (p->death - from) / 365.0;
		n = add_plans(p, pl, n, synth_rng_poisson(&p->rng, 0.8 * part), from, p->death,
		              SYNTH_M_EMERGENCY);
	}
	double el = elective_rate[band] / 1000 * dep(p->area->decile, 1.1) * (0.7 + 0.3 * m);
	n = add_plans(p, pl, n, synth_rng_poisson(&p->rng, el * years), a0, a1, SYNTH_M_ELECTIVE);
	sort_plans(pl, n);
	return n;
}

static int insert_plan(plan *pl, int n, plan x)
{
	if (n >= MAX_PLAN)
		return n;
	int j = n - 1;
	while (j >= 0 && pl[j].day > x.day) {
		pl[j + 1] = pl[j];
		j--;
	}
	pl[j + 1] = x;
	return n + 1;
}

static int discharge_to(synth_person *p, int method)
{
	double u = synth_rng_unit(&p->rng);
	if (method == SYNTH_M_ELECTIVE)
		return u < 0.97 ? SYNTH_D_HOME : u < 0.98 ? SYNTH_D_OTHER_HOSPITAL : SYNTH_D_OTHER;
	if (p->age < 65)
		return u < 0.92 ? SYNTH_D_HOME : u < 0.95 ? SYNTH_D_OTHER_HOSPITAL : SYNTH_D_OTHER;
	double re = 0.03 + 0.002 * (p->age - 65);
	double ch = 0.015 + (synth_has(p, SC_DEMENTIA) ? 0.06 : 0);
	if (re > 0.08)
		re = 0.08;
	if (u < re)
		return SYNTH_D_REABLEMENT;
	if (u < re + ch)
		return SYNTH_D_CARE_HOME;
	if (u < re + ch + 0.03)
		return SYNTH_D_OTHER_HOSPITAL;
	if (u < re + ch + 0.07)
		return SYNTH_D_OTHER;
	return SYNTH_D_HOME;
}

static int los_for(synth_person *p, int method)
{
	synth_rng *r = &p->rng;
	if (method == SYNTH_M_ELECTIVE) {
		if (synth_rng_chance(r, 0.7))
			return 0;
		return 1 + (int)(-log(1.0 - synth_rng_unit(r)) * 2.5);
	}
	if (synth_rng_chance(r, 0.22))
		return 0;
	double mean = p->age < 65 ? 3.5 : p->age < 85 ? 7.5 : 10.5;
	int los = 1 + (int)(-log(1.0 - synth_rng_unit(r)) * mean);
	return los > 150 ? 150 : los;
}

static void add_spell(synth_person *p, int method, jup_date in, jup_date out, int dest, int reason)
{
	if (p->nadm >= SYNTH_MAX_ADM)
		return;
	synth_adm *a = &p->adm[p->nadm++];
	a->trust = (uint8_t)trust_for(p);
	a->method = (uint8_t)method;
	a->in = in;
	a->out = out;
	a->dest = (uint8_t)dest;
	a->reason = (int16_t)reason;
}

/* spells one after another, readmissions slotted in, the last ending at a
 * death in hospital when there is one; limit is the last day a spell may
 * end on (as_of for the living, where it may stay open) */
static void make_spells(synth_city *c, synth_person *p, plan *pl, int n, jup_date limit)
{
	jup_date last_out = synth_begin(c, p) - 1;
	bool open_allowed = !p->death;
	for (int i = 0; i < n; i++) {
		jup_date in = pl[i].day > last_out ? pl[i].day : last_out + 1;
		if (in > limit)
			break;
		int method = pl[i].method;
		jup_date out = in + los_for(p, method);
		int dest;
		if (out > limit && open_allowed) {
			out = 0;
			dest = SYNTH_D_OPEN;
		} else {
			out = out > limit ? limit : out;
			dest = discharge_to(p, method);
		}
		int reason = method == SYNTH_M_EMERGENCY ? emergency_reason(p) : elective_reason(p);
		add_spell(p, method, in, out, dest, reason);
		if (dest == SYNTH_D_OPEN)
			return;
		last_out = out;
		double readmit = p->age >= 65 ? 0.08 : 0.04;
		if (method == SYNTH_M_EMERGENCY && synth_rng_chance(&p->rng, readmit))
			n = insert_plan(pl, n,
			                (plan){out + 1 + (jup_date)synth_rng_below(&p->rng, 30),
			                       SYNTH_M_EMERGENCY});
	}
}

static void make_attendances(synth_city *c, synth_person *p)
{
	static const uint32_t disp[] = {72, 86, 94, 100}; /* discharged referred left transferred */
	static const uint8_t disp_code[] = {1, 2, 4, 3};
	for (int i = 0; i < p->nadm && p->nae < SYNTH_MAX_AE; i++) {
		const synth_adm *a = &p->adm[i];
		if (a->method != SYNTH_M_EMERGENCY || !synth_rng_chance(&p->rng, 0.88))
			continue;
		p->ae[p->nae++] =
		    (synth_ae){a->trust, 0, (uint16_t)synth_rng_below(&p->rng, 1440), a->in};
	}
	jup_date a0 = synth_begin(c, p), a1 = synth_end(c, p);
	double years = (a1 - a0 + 1) / 365.25;
	int band = synth_age_band(p->age);
	int extra = p->age >= 16 && p->age < 25 ? 80 : 0;
	double rate = (ae_rate[band] + extra) / 1000 * dep(p->area->decile, 1.7) *
	              (1 + 0.3 * (morbidity(p) - 1));
	int k = synth_rng_poisson(&p->rng, rate * years);
	for (int i = 0; i < k && p->nae < SYNTH_MAX_AE; i++) {
		uint8_t d = disp_code[synth_rng_pick(&p->rng, disp, 4)];
		int t = trust_for(p);
		p->ae[p->nae++] =
		    (synth_ae){(uint8_t)t, d, (uint16_t)synth_rng_below(&p->rng, 1440),
		               uniform_day(&p->rng, a0, a1)};
	}
}

void synth_hospital_events(synth_city *c, synth_person *p)
{
	plan pl[MAX_PLAN];
	int n = make_plans(c, p, pl);
	bool hospital_death = p->death && p->death_place == SYNTH_P_HOSPITAL;
	jup_date term_in = 0, limit = c->as_of;
	if (hospital_death) {
		int los = 1 + (int)(-log(1.0 - synth_rng_unit(&p->rng)) * 8.0);
		term_in = p->death - (los > 60 ? 60 : los);
		if (term_in < synth_begin(c, p))
			term_in = synth_begin(c, p);
		limit = term_in - 1;
	} else if (p->death) {
		limit = p->death - 1;
	}
	make_spells(c, p, pl, n, limit);
	if (hospital_death) {
		jup_date last = p->nadm ? p->adm[p->nadm - 1].out : 0;
		jup_date in = term_in > last ? term_in : last + 1;
		if (in > p->death)
			in = p->death;
		if (p->nadm == SYNTH_MAX_ADM)
			p->nadm--;
		add_spell(p, SYNTH_M_EMERGENCY, in, p->death, SYNTH_D_DIED, terminal_reason(p));
	}
	make_attendances(c, p);
}

/* -------------------------------------------------------------- writing */

static const char *const trust_prefix[2] = {"K", "H"};

static void put_mrn(synth_city *c, synth_out *o, int t, const synth_person *p)
{
	synth_put(o, c->orgs[c->trust0 + t].code);
	synth_sep(o);
	synth_put_local_id(o, trust_prefix[t], &c->id_hosp[t], p->idx);
}

static void write_master(synth_city *c, synth_person *p, int t)
{
	synth_out *o = &c->out[SYNTH_F_HOSP_PATIENTS];
	synth_rng *r = &p->rng;
	char given[64], family[128];
	memcpy(given, p->given, sizeof given);
	memcpy(family, p->family, sizeof family);
	if (synth_rng_chance(r, 0.02))
		synth_typo(r, family);
	if (synth_rng_chance(r, 0.01))
		synth_typo(r, given);
	bool old = p->moved && synth_rng_chance(r, 0.3);
	synth_row_begin(o);
	put_mrn(c, o, t, p);
	synth_sep(o);
	if (p->has_nhs && !synth_rng_chance(r, 0.02))
		synth_put(o, p->nhs);
	synth_sep(o);
	synth_put_csv(o, given);
	synth_sep(o);
	synth_put_csv(o, family);
	synth_sep(o);
	synth_put_date(o, p->dob);
	synth_sep(o);
	synth_put_char(o, synth_rng_chance(r, 0.003) ? 'U' : p->sex);
	synth_sep(o);
	if (!synth_rng_chance(r, 0.01))
		synth_put(o, old ? p->old_postcode : p->postcode);
	synth_sep(o);
	if (!synth_rng_chance(r, 0.03))
		synth_put_csv(o, old ? p->old_address : p->address);
	synth_row_end(o);
	o = &c->out[SYNTH_F_TRUTH];
	synth_row_begin(o);
	put_mrn(c, o, t, p);
	synth_sep(o);
	synth_put_person_key(o, p->idx);
	synth_row_end(o);
}

/* append an ICD-10 code unless already listed; false when the list is full */
static bool add_code(const char **list, int *n, const char *code)
{
	if (!code)
		return true;
	for (int i = 0; i < *n; i++)
		if (strcmp(list[i], code) == 0)
			return true;
	if (*n >= JUP_IMPORT_MAX_DIAGNOSES)
		return false;
	list[(*n)++] = code;
	return true;
}

static void put_diagnoses(synth_out *o, synth_person *p, const synth_adm *a)
{
	size_t nc, nr;
	const synth_condition *cat = synth_conditions(&nc);
	const synth_reason *rs = synth_reasons(&nr);
	const char *list[JUP_IMPORT_MAX_DIAGNOSES];
	int n = 0;
	if (a->reason >= 0) {
		const synth_condition *k = &cat[a->reason];
		bool acute =
		    k->acute && a->method == SYNTH_M_EMERGENCY && synth_rng_chance(&p->rng, 0.5);
		add_code(list, &n, acute ? k->acute : k->icd10);
		add_code(list, &n, k->icd10b);
	} else {
		add_code(list, &n, rs[-1 - a->reason].icd10);
	}
	for (int i = 0; i < p->nconds; i++) {
		const synth_condition *k = &cat[p->conds[i].id];
		if (p->conds[i].onset > a->in || k->flags & SYNTH_C_MATERNITY)
			continue;
		if (!(k->flags & SYNTH_C_MAJOR) && !synth_rng_chance(&p->rng, 0.4))
			continue;
		if (!add_code(list, &n, k->icd10) || !add_code(list, &n, k->icd10b))
			break;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			synth_put_char(o, ';');
		synth_put(o, list[i]);
	}
}

static void write_spell(synth_city *c, synth_person *p, const synth_adm *a)
{
	static const char *const dest[] = {"home",           "care_home", "reablement",
	                                   "other_hospital", "died",      "other"};
	synth_out *o = &c->out[SYNTH_F_HOSP_ADMISSIONS];
	synth_row_begin(o);
	synth_put(o, c->orgs[c->trust0 + a->trust].code);
	synth_sep(o);
	synth_put_event_id(o, c, "S", a->trust, c->n.spell[a->trust]++);
	synth_sep(o);
	synth_put_local_id(o, trust_prefix[a->trust], &c->id_hosp[a->trust], p->idx);
	synth_sep(o);
	synth_put(o, a->method == SYNTH_M_EMERGENCY ? "emergency" : "elective");
	synth_sep(o);
	synth_put_date(o, a->in);
	synth_sep(o);
	if (a->dest != SYNTH_D_OPEN) {
		synth_put_date(o, a->out);
		synth_sep(o);
		synth_put(o, dest[a->dest]);
	} else {
		synth_sep(o);
	}
	synth_sep(o);
	put_diagnoses(o, p, a);
	synth_row_end(o);
}

static int arrival_minute(synth_rng *r, int raw)
{
	/* most arrivals fall between 08:00 and 23:00 */
	if (synth_rng_chance(r, 0.8))
		return 8 * 60 + raw % (15 * 60);
	return raw;
}

static void write_attendance(synth_city *c, synth_person *p, const synth_ae *e)
{
	static const char *const disp[] = {"admitted", "discharged", "referred", "transferred",
	                                   "left"};
	synth_out *o = &c->out[SYNTH_F_AE];
	synth_row_begin(o);
	synth_put(o, c->orgs[c->trust0 + e->trust].code);
	synth_sep(o);
	synth_put_event_id(o, c, "A", 2 + e->trust, c->n.attendance[e->trust]++);
	synth_sep(o);
	synth_put_local_id(o, trust_prefix[e->trust], &c->id_hosp[e->trust], p->idx);
	synth_sep(o);
	synth_put_datetime(o, e->day, arrival_minute(&p->rng, e->minute));
	synth_sep(o);
	synth_put(o, disp[e->disposal]);
	synth_row_end(o);
}

void synth_hospital_write(synth_city *c, synth_person *p)
{
	bool seen[2] = {false, false};
	for (int i = 0; i < p->nadm; i++)
		seen[p->adm[i].trust] = true;
	for (int i = 0; i < p->nae; i++)
		seen[p->ae[i].trust] = true;
	for (int t = 0; t < 2; t++)
		if (seen[t])
			write_master(c, p, t);
	for (int i = 0; i < p->nadm; i++)
		write_spell(c, p, &p->adm[i]);
	for (int i = 0; i < p->nae; i++)
		write_attendance(c, p, &p->ae[i]);
}
