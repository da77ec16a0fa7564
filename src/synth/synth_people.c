/*
 * synth_people.c - residents: households, demographics and NHS numbers.
 *
 * Each small area gets its share of people split by its real age structure
 * (0-15, 16-59, 60+ from IoD 2019; ages spread within the bands, the 60+
 * band thinning towards 100). People are grouped into households of 1-5:
 * families (one or two parents aged 20-55 with children, older children
 * with older parents), working-age singles, couples and sharers, and older
 * singles and couples. A household shares an address ("14 Larch Grove") and
 * a postcode (about 15 households to a unit postcode, units numbered within
 * a district) and usually a family name.
 *
 * NHS numbers: only check-valid numbers in the test range 9990000000-
 * 9999999999 are used. There are exactly 909,091 of them (one per nine-digit
 * body 999xxxxxx whose Modulus 11 check is not 10). A seeded shuffle of that
 * list numbers the residents, visited in a keyed random order. About 2% of
 * residents are not registered with a GP (no NHS number, no GP record; they
 * can still reach hospital or social care with no number). Residents past
 * the range's capacity are unregistered as well, so a city of 1,000,000
 * has about 9% without a number; jup_synth_report.with_nhs_number counts
 * those who have one.
 */
#include "synth/synth_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NHS_BODIES             1000000u
#define UNREGISTERED_PER_10000 200

/* ---------------------------------------------------------- NHS numbers */

uint32_t synth_nhs_valid_range(uint32_t *vals)
{
	uint32_t n = 0;
	for (uint32_t b = 0; b < NHS_BODIES; b++) {
		/* digits 1-3 are 9 9 9 (weights 10 9 8), then b's six digits */
		int sum = 9 * 10 + 9 * 9 + 9 * 8;
		uint32_t x = b;
		for (int w = 2; w <= 7; w++, x /= 10)
			sum += (int)(x % 10) * w;
		int check = 11 - sum % 11;
		if (check == 11)
			check = 0;
		if (check == 10)
			continue;
		if (vals)
			vals[n] = b * 10 + (uint32_t)check;
		n++;
	}
	return n;
}

void synth_nhs_format(uint32_t off, char out[11])
{
	out[0] = out[1] = out[2] = '9';
	for (int i = 9; i >= 3; i--, off /= 10)
		out[i] = (char)('0' + off % 10);
	out[10] = '\0';
}

static bool wants_registration(uint64_t seed, int64_t i)
{
	uint64_t h = synth_mix64(synth_mix64(seed ^ 0x5bd1e995ull) + (uint64_t)i);
	return h % 10000 >= UNREGISTERED_PER_10000;
}

jup_status synth_people_nhs(synth_city *c, jup_err *err)
{
	int64_t n = c->o->people;
	uint32_t cap = synth_nhs_valid_range(NULL);
	c->nhs = malloc((size_t)cap * sizeof *c->nhs);
	c->nhs_slot = malloc((size_t)n * sizeof *c->nhs_slot);
	if (!c->nhs || !c->nhs_slot)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory for NHS numbers");
	synth_nhs_valid_range(c->nhs);
	synth_perm order;
	synth_perm_init(&order, (uint64_t)n, c->seed, SYNTH_TAG_REGISTER);
	uint32_t next = 0;
	for (int64_t k = 0; k < n; k++) {
		int64_t i = (int64_t)synth_perm_apply(&order, (uint64_t)k);
		if (next < cap && wants_registration(c->seed, i))
			c->nhs_slot[i] = (int32_t)next++;
		else
			c->nhs_slot[i] = -1;
	}
	/* a partial Fisher-Yates shuffle draws the numbers actually used */
	synth_rng r;
	synth_rng_init(&r, c->seed, SYNTH_TAG_NHS, 0);
	for (uint32_t j = 0; j < next; j++) {
		uint32_t k = j + synth_rng_below(&r, cap - j);
		uint32_t t = c->nhs[j];
		c->nhs[j] = c->nhs[k];
		c->nhs[k] = t;
	}
	c->with_nhs = next;
	return JUP_OK;
}

/* ----------------------------------------------------------- households */

enum { ROLE_PARENT1, ROLE_PARENT2, ROLE_CHILD, ROLE_ADULT, ROLE_OLDER };

typedef struct resident {
	int16_t age;
	char sex;
	uint8_t role;
	uint8_t group;
	const char *fam, *fam2; /* fam2: second half of a double-barrelled name */
} resident;

typedef struct household {
	int32_t start, len; /* into members[] */
} household;

typedef struct area_work {
	resident *res;
	int32_t *members, *kids, *adults, *olds, *tmp, *tmp2, *cnt;
	household *hh;
	int32_t nres, nhh, nmem, nkids, nadults, nolds;
} area_work;

/* what the members of one household share */
typedef struct house {
	char address[96], postcode[9];
	char old_address[96], old_postcode[9];
	bool moved;
	jup_date moved_on;
	int practice, old_practice, size;
	const char *given[5]; /* given names already used in the household */
	int ngiven;
} house;

static void work_free(area_work *w)
{
	free(w->res);
	free(w->members);
	free(w->kids);
	free(w->adults);
	free(w->olds);
	free(w->tmp);
	free(w->tmp2);
	free(w->cnt);
	free(w->hh);
}

static jup_status work_alloc(area_work *w, int64_t n)
{
	memset(w, 0, sizeof *w);
	size_t m = (size_t)n + 1;
	w->res = malloc(m * sizeof *w->res);
	w->hh = malloc(m * sizeof *w->hh);
	int32_t **arrays[] = {&w->members, &w->kids, &w->adults, &w->olds,
	                      &w->tmp,     &w->tmp2, &w->cnt};
	bool ok = w->res && w->hh;
	for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
		*arrays[i] = malloc(m * sizeof(int32_t));
		ok = ok && *arrays[i];
	}
	if (!ok) {
		work_free(w);
		return JUP_ERR_NOMEM;
	}
	return JUP_OK;
}

static int older_age(synth_rng *r)
{
	static const uint32_t cum[] = {210, 390, 565, 705, 815, 885, 918, 926, 927};
	size_t band = synth_rng_pick(r, cum, sizeof cum / sizeof cum[0]);
	return 60 + 5 * (int)band + (int)synth_rng_below(r, 5);
}

static char sex_for(synth_rng *r, int age)
{
	double pf = 0.50;
	if (age < 16)
		pf = 0.49;
	else if (age >= 95)
		pf = 0.75;
	else if (age >= 85)
		pf = 0.64;
	else if (age >= 75)
		pf = 0.56;
	else if (age >= 60)
		pf = 0.52;
	return synth_rng_chance(r, pf) ? 'F' : 'M';
}

static jup_status make_residents(const synth_area *a, synth_rng *r, area_work *w)
{
	int64_t wts[3] = {a->a0_15, a->a16_59, a->a60p}, got[3];
	jup_status st = synth_apportion(wts, 3, a->people, got);
	if (st)
		return st;
	int32_t k = 0;
	for (int band = 0; band < 3; band++)
		for (int64_t j = 0; j < got[band]; j++, k++) {
			resident *p = &w->res[k];
			memset(p, 0, sizeof *p);
			if (band == 0)
				p->age = (int16_t)synth_rng_below(r, 16);
			else if (band == 1)
				p->age = (int16_t)(16 + synth_rng_below(r, 44));
			else
				p->age = (int16_t)older_age(r);
			p->sex = sex_for(r, p->age);
			int32_t *list = band == 0 ? w->kids : band == 1 ? w->adults : w->olds;
			int32_t *cnt = band == 0 ? &w->nkids : band == 1 ? &w->nadults : &w->nolds;
			list[(*cnt)++] = k;
		}
	w->nres = k;
	return JUP_OK;
}

static void shuffle(synth_rng *r, int32_t *v, int32_t n)
{
	for (int32_t i = n - 1; i > 0; i--) {
		int32_t j = (int32_t)synth_rng_below(r, (uint32_t)i + 1);
		int32_t t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* stable counting sort of indexes by age, oldest first (linear, so even a
 * very large area sorts quickly); scratch holds n entries */
static void sort_by_age_desc(const resident *res, int32_t *v, int32_t n, int32_t *scratch)
{
	enum { AGES = 128 };
	int32_t start[AGES + 1] = {0};
	for (int32_t i = 0; i < n; i++)
		start[AGES - 1 - (res[v[i]].age & (AGES - 1)) + 1]++;
	for (int a = 0; a < AGES; a++)
		start[a + 1] += start[a];
	for (int32_t i = 0; i < n; i++)
		scratch[start[AGES - 1 - (res[v[i]].age & (AGES - 1))]++] = v[i];
	memcpy(v, scratch, (size_t)n * sizeof *v);
}

/* swap into v[i] someone of the other sex from the next few places, of a
 * similar age when there is one, so most couples are a man and a woman of
 * about the same age */
static void pair_opposite(const resident *res, int32_t *v, int32_t i, int32_t n, int32_t ref)
{
	int32_t best = -1;
	for (int32_t j = i; j < n && j < i + 40; j++) {
		if (res[v[j]].sex == res[ref].sex)
			continue;
		if (abs(res[v[j]].age - res[ref].age) <= 7) {
			best = j;
			break;
		}
		if (best < 0 && j < i + 12)
			best = j;
	}
	if (best >= 0) {
		int32_t t = v[i];
		v[i] = v[best];
		v[best] = t;
	}
}

static int32_t new_household(area_work *w)
{
	int32_t h = w->nhh++;
	w->hh[h].start = w->nmem;
	w->hh[h].len = 0;
	return h;
}

static void add_member(area_work *w, int32_t h, int32_t idx, int role)
{
	w->members[w->nmem++] = idx;
	w->hh[h].len++;
	w->res[idx].role = (uint8_t)role;
}

/* the family child k goes to: round robin from k, skipping full families and
 * (while one is left) parents under 17 years older than the child; -1 when
 * every family is full (a household never passes 5 people). Deterministic,
 * so the counting walk and the placing walk agree. */
static int32_t family_for(const area_work *w, const int32_t *cand, int32_t k, int32_t fams,
                          int32_t two, const int32_t *used)
{
	int kid_age = w->res[w->kids[k]].age;
	for (int pass = 0; pass < 2; pass++) {
		int32_t f = k % fams;
		for (int32_t tries = 0; tries < fams; tries++, f = (f + 1) % fams)
			if (used[f] < (f < two ? 3 : 4) &&
			    (pass || w->res[cand[f]].age >= kid_age + 17))
				return f;
	}
	return -1;
}

/* families: parents aged 20-55, the oldest parents with the oldest children */
static void make_families(area_work *w, synth_rng *r)
{
	int32_t *cand = w->tmp, *base = w->tmp2, *cnt = w->cnt;
	int32_t nc = 0, nrest = 0, nleft = 0;
	shuffle(r, w->adults, w->nadults);
	for (int32_t i = 0; i < w->nadults; i++) {
		int32_t x = w->adults[i];
		if (w->res[x].age >= 20 && w->res[x].age <= 55)
			cand[nc++] = x;
		else
			w->adults[nrest++] = x;
	}
	int32_t fams = (w->nkids + 1) / 2, two = 0;
	if (fams > nc)
		fams = nc;
	for (int32_t f = 0; f < fams; f++)
		if (fams + two < nc && synth_rng_chance(r, 0.65))
			two++;
	sort_by_age_desc(w->res, cand, fams, w->tmp2);
	sort_by_age_desc(w->res, cand + fams, two, w->tmp2);
	for (int32_t f = 0; f < two; f++)
		if (synth_rng_chance(r, 0.95))
			pair_opposite(w->res, cand + fams, f, two, cand[f]);
	sort_by_age_desc(w->res, w->kids, w->nkids, w->tmp2);
	memset(cnt, 0, (size_t)fams * sizeof *cnt);
	for (int32_t k = 0; k < w->nkids && fams; k++) {
		int32_t f = family_for(w, cand, k, fams, two, cnt);
		if (f >= 0)
			cnt[f]++;
	}
	for (int32_t f = 0; f < fams; f++) {
		int32_t h = new_household(w);
		add_member(w, h, cand[f], ROLE_PARENT1);
		if (f < two)
			add_member(w, h, cand[fams + f], ROLE_PARENT2);
		base[f] = w->nmem;
		w->nmem += cnt[f];
		w->hh[h].len += cnt[f];
		cnt[f] = 0;
	}
	/* the same walk again places the children */
	for (int32_t k = 0; k < w->nkids; k++) {
		int32_t x = w->kids[k];
		int32_t f = fams ? family_for(w, cand, k, fams, two, cnt) : -1;
		if (f < 0) {
			w->kids[nleft++] = x;
			continue;
		}
		w->members[base[f] + cnt[f]++] = x;
		w->res[x].role = ROLE_CHILD;
	}
	for (int32_t i = fams + two; i < nc; i++)
		w->adults[nrest++] = cand[i];
	w->nadults = nrest;
	w->nkids = nleft;
}

/* children no family could take: with a remaining adult, else together */
static void make_leftover_children(area_work *w)
{
	int32_t k = 0;
	while (k < w->nkids) {
		int32_t h = new_household(w);
		int room = 4;
		if (w->nadults > 0)
			add_member(w, h, w->adults[--w->nadults], ROLE_PARENT1);
		else if (w->nolds > 0)
			add_member(w, h, w->olds[--w->nolds], ROLE_PARENT1);
		else
			room = 5;
		for (int i = 0; i < room && k < w->nkids; i++)
			add_member(w, h, w->kids[k++], ROLE_CHILD);
	}
	w->nkids = 0;
}

static void make_groups(area_work *w, synth_rng *r, int32_t *list, int32_t n, const uint32_t *cum,
                        size_t ncum, int role)
{
	shuffle(r, list, n);
	int32_t k = 0;
	while (k < n) {
		int32_t size = (int32_t)synth_rng_pick(r, cum, ncum) + 1;
		int32_t h = new_household(w);
		if (size == 2 && k + 1 < n && synth_rng_chance(r, 0.92))
			pair_opposite(w->res, list, k + 1, n, list[k]);
		for (int32_t i = 0; i < size && k < n; i++)
			add_member(w, h, list[k++], role);
	}
}

static void make_households(area_work *w, synth_rng *r)
{
	static const uint32_t adult_sizes[] = {32, 72, 88, 100};
	static const uint32_t older_sizes[] = {48, 100};
	w->nhh = 0;
	w->nmem = 0;
	if (w->nkids)
		make_families(w, r);
	make_leftover_children(w);
	make_groups(w, r, w->adults, w->nadults, adult_sizes, 4, ROLE_ADULT);
	make_groups(w, r, w->olds, w->nolds, older_sizes, 2, ROLE_OLDER);
}

/* ---------------------------------------------------------------- names */

static bool plain(const char *s)
{
	return !strchr(s, '-') && !strchr(s, ' ');
}

static void name_member(const synth_city *c, synth_rng *r, resident *m, int pos, int size,
                        const char *fam, const char **p2fam, int g, int decile)
{
	m->group = (uint8_t)g;
	m->fam = fam;
	m->fam2 = NULL;
	double u = synth_rng_unit(r);
	switch (m->role) {
	case ROLE_PARENT2:
		if (u >= 0.75)
			m->fam = *p2fam = synth_family_name(c->names, r, g);
		break;
	case ROLE_CHILD:
		if (u >= 0.88 && u < 0.95)
			m->fam = *p2fam;
		else if (u >= 0.95 && *p2fam != fam && plain(fam) && plain(*p2fam))
			m->fam2 = *p2fam;
		break;
	case ROLE_ADULT:
	case ROLE_OLDER:
		if (pos == 0 || (size == 2 && u < (m->role == ROLE_OLDER ? 0.9 : 0.6)))
			break;
		m->group = (uint8_t)synth_name_group(r, decile, c->town);
		m->fam = synth_family_name(c->names, r, m->group);
		break;
	default:
		break;
	}
}

static void name_household(const synth_city *c, area_work *w, const household *h, synth_rng *r,
                           int decile)
{
	int g = synth_name_group(r, decile, c->town);
	const char *fam = synth_family_name(c->names, r, g);
	const char *p2fam = fam;
	for (int32_t i = 0; i < h->len; i++)
		name_member(c, r, &w->res[w->members[h->start + i]], (int)i, (int)h->len, fam,
		            &p2fam, g, decile);
}

/* ------------------------------------------------------------ addresses */

static size_t put_uint(char *out, unsigned v)
{
	char tmp[12];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

static void make_address(char *out, size_t cap, unsigned number, const char *street)
{
	size_t n = put_uint(out, number);
	out[n++] = ' ';
	size_t sl = strlen(street);
	if (n + sl + 1 > cap)
		sl = cap - n - 1;
	memcpy(out + n, street, sl);
	out[n + sl] = '\0';
}

typedef struct street_state {
	char street[64];
	char postcode[9];
	unsigned number, step;
	int left_on_street, left_in_unit;
} street_state;

static void next_unit(synth_city *c, const synth_area *a, synth_rng *r, street_state *s,
                      char postcode[9])
{
	if (c->cur_district != a->district) {
		c->cur_district = a->district;
		c->cur_unit = 0;
	}
	synth_postcode(c, a->district, c->cur_unit++, postcode);
	s->left_in_unit = synth_rng_range(r, 8, 22);
}

static void next_house(synth_city *c, const synth_area *a, synth_rng *r, street_state *s, house *hs)
{
	if (s->left_on_street <= 0) {
		synth_street_name(r, s->street, sizeof s->street);
		s->number = 1 + synth_rng_below(r, 2);
		s->step = synth_rng_chance(r, 0.6) ? 2 : 1;
		s->left_on_street = synth_rng_range(r, 15, 60);
		s->left_in_unit = 0;
	}
	if (s->left_in_unit <= 0)
		next_unit(c, a, r, s, s->postcode);
	memcpy(hs->postcode, s->postcode, sizeof hs->postcode);
	make_address(hs->address, sizeof hs->address, s->number, s->street);
	s->number += s->step;
	s->left_on_street--;
	s->left_in_unit--;
}

/* movers: the household came from elsewhere in the city during the window;
 * councils and hospitals may still hold the old address */
static void house_extras(synth_city *c, const synth_area *a, synth_rng *r, house *hs)
{
	int p = a->practice;
	if (synth_rng_chance(r, 0.2))
		p += synth_rng_chance(r, 0.5) ? 1 : -1;
	if (p < 0)
		p = 1;
	if (p >= c->npractices)
		p = c->npractices - 2;
	hs->practice = p;
	hs->old_practice = p;
	hs->moved = synth_rng_chance(r, 0.08);
	if (!hs->moved)
		return;
	hs->moved_on = c->ws + (jup_date)synth_rng_below(r, (uint32_t)(c->as_of - c->ws) + 1);
	char street[64];
	synth_street_name(r, street, sizeof street);
	make_address(hs->old_address, sizeof hs->old_address, 1 + synth_rng_below(r, 140), street);
	synth_postcode(c, (int)synth_rng_below(r, (uint32_t)c->ndistricts),
	               synth_rng_below(r, 3800), hs->old_postcode);
	hs->old_practice = (int)synth_rng_below(r, (uint32_t)c->npractices);
}

/* --------------------------------------------------------------- people */

static jup_date birth_date(synth_city *c, synth_rng *r, int age)
{
	jup_date last = c->as_of - (jup_date)synth_rng_below(r, 365);
	int y, m, d;
	jup_date_to_ymd(last, &y, &m, &d);
	if (!jup_date_valid_ymd(y - age, m, d))
		d = 28;
	return jup_date_from_ymd(y - age, m, d);
}

static jup_date registration(synth_city *c, synth_person *p, const house *hs)
{
	synth_rng *r = &p->rng;
	jup_date reg;
	if (hs->moved)
		reg = hs->moved_on + (jup_date)synth_rng_below(r, 60);
	else
		reg = c->as_of - (jup_date)(-log(1.0 - synth_rng_unit(r)) * 14.0 * 365.25);
	jup_date earliest = p->dob + (jup_date)synth_rng_below(r, 42);
	if (reg < earliest)
		reg = earliest;
	return reg > c->as_of ? c->as_of : reg;
}

/* names; no two members of a household share a given name */
static const char *fill_names(synth_city *c, synth_person *p, const resident *rs,
                              const char *const *used, int nused)
{
	int y, m, d;
	jup_date_to_ymd(p->dob, &y, &m, &d);
	const char *g = NULL;
	for (int tries = 0, clash = 1; clash && tries < 6; tries++) {
		g = synth_given_name(c->names, &p->rng, rs->group, p->sex, y);
		clash = 0;
		for (int i = 0; i < nused; i++)
			clash |= strcmp(used[i], g) == 0;
	}
	jup_sv_to_cstr(jup_sv_from(g), p->given, sizeof p->given);
	size_t a = strlen(rs->fam);
	jup_sv_to_cstr(jup_sv_from(rs->fam), p->family, sizeof p->family);
	if (rs->fam2 && a + 1 + strlen(rs->fam2) < sizeof p->family) {
		p->family[a] = '-';
		jup_sv_to_cstr(jup_sv_from(rs->fam2), p->family + a + 1, sizeof p->family - a - 1);
	}
	return g;
}

static void fill_person(synth_city *c, const synth_area *a, const resident *rs, house *hs,
                        int64_t idx, synth_person *p)
{
	p->idx = idx;
	p->area = a;
	p->district = a->district;
	p->near_trust = a->trust;
	synth_rng_init(&p->rng, c->seed, SYNTH_TAG_PERSON, (uint64_t)idx);
	p->sex = rs->sex;
	p->age = rs->age;
	p->group = rs->group;
	p->hh_size = hs->size;
	p->dob = birth_date(c, &p->rng, rs->age);
	const char *g = fill_names(c, p, rs, hs->given, hs->ngiven);
	if (hs->ngiven < 5)
		hs->given[hs->ngiven++] = g;
	memcpy(p->address, hs->address, sizeof p->address);
	memcpy(p->postcode, hs->postcode, sizeof p->postcode);
	p->moved = hs->moved && hs->moved_on > p->dob;
	p->moved_on = hs->moved_on;
	memcpy(p->old_address, hs->old_address, sizeof p->old_address);
	memcpy(p->old_postcode, hs->old_postcode, sizeof p->old_postcode);
	p->practice = hs->practice;
	p->old_practice = p->moved ? hs->old_practice : hs->practice;
	int32_t slot = c->nhs_slot[idx];
	p->has_nhs = slot >= 0;
	if (p->has_nhs)
		synth_nhs_format(c->nhs[slot], p->nhs);
	else
		p->nhs[0] = '\0';
	p->registered_on = registration(c, p, hs);
	p->death = 0;
	p->death_place = SYNTH_P_OTHER;
	p->nconds = 0;
	p->cmask[0] = p->cmask[1] = 0;
	p->nadm = 0;
	p->nae = 0;
	p->eol = false;
	p->sc_client = false;
	p->frailty = 1.0;
}

static void emit_households(synth_city *c, int64_t ai, area_work *w, synth_rng *r, synth_person *p,
                            synth_person_fn fn)
{
	const synth_area *a = &c->areas[ai];
	int32_t *order = w->tmp;
	for (int32_t h = 0; h < w->nhh; h++)
		order[h] = h;
	shuffle(r, order, w->nhh);
	street_state st = {.left_on_street = 0};
	int64_t idx = a->first;
	for (int32_t k = 0; k < w->nhh; k++) {
		const household *h = &w->hh[order[k]];
		house hs;
		memset(&hs, 0, sizeof hs);
		hs.size = (int)h->len;
		next_house(c, a, r, &st, &hs);
		house_extras(c, a, r, &hs);
		name_household(c, w, h, r, a->decile);
		for (int32_t i = 0; i < h->len; i++) {
			fill_person(c, a, &w->res[w->members[h->start + i]], &hs, idx++, p);
			fn(c, p);
		}
	}
}

jup_status synth_people_area(synth_city *c, int64_t ai, synth_person *scratch, synth_person_fn fn,
                             jup_err *err)
{
	const synth_area *a = &c->areas[ai];
	if (a->people == 0)
		return JUP_OK;
	area_work w;
	if (work_alloc(&w, a->people))
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory for an area's people");
	synth_rng r;
	synth_rng_init(&r, c->seed, SYNTH_TAG_AREA, (uint64_t)ai);
	jup_status st = make_residents(a, &r, &w);
	if (!st) {
		make_households(&w, &r);
		emit_households(c, ai, &w, &r, scratch, fn);
	}
	work_free(&w);
	return st ? jup_err_set(err, st, "could not share out an area's people") : JUP_OK;
}
