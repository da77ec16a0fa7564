/*
 * synth_social.c - adult social care and care teams.
 *
 * Clients are mostly older or disabled adults: the chance rises steeply with
 * age (far more among the 85+), with learning disability, dementia and
 * frailty findings, and with deprivation; everyone discharged from hospital
 * to reablement becomes a client. About 1.5-2.5% of the population overall.
 *
 * The council's case file carries the faults real council data has: NHS
 * number missing on about 15% and a wrong check digit on about 1% (one
 * digit changed so that Modulus 11 fails), nicknames (William -> Bill) and
 * typos in names, day and month swapped in some dates of birth (only where
 * the result is still a real date), the old address after a move, and the
 * GP practice blank or out of date.
 *
 * Events: needs assessments and yearly reviews, reablement after hospital
 * discharge (about six weeks, ending completed, moved to long-term care,
 * readmitted or died), long-term services (home care, day care, direct
 * payments, residential and nursing care), the consent form decisions
 * (about 90% permit) and care-team relationships (social workers; district
 * nurses and the hospice's palliative care team for people on the
 * end-of-life register; mental health care coordinators).
 */
#include "synth/synth_internal.h"

#include <math.h>
#include <string.h>

enum { K_NEEDS, K_CARER, K_REVIEW, K_REABLEMENT };
enum { O_SERVICES, O_NO_NEEDS, O_SIGNPOSTED, O_DECLINED, O_OPEN };
enum { S_REABLEMENT, S_HOME_CARE, S_DAY_CARE, S_DIRECT_PAYMENT, S_RESIDENTIAL, S_NURSING };
enum { E_COMPLETED, E_LONG_TERM, E_ADMITTED, E_DIED, E_MOVED_AWAY, E_NO_LONGER, E_OPEN };

static const char *const assess_kinds[] = {"needs", "carer", "review", "reablement"};
static const char *const outcomes[] = {"services_provided", "no_eligible_needs", "signposted",
                                       "declined"};
static const char *const service_kinds[] = {"reablement",     "home_care",        "day_care",
                                            "direct_payment", "residential_care", "nursing_care"};
static const char *const end_reasons[] = {
    "completed",  "moved_to_long_term_care", "admitted_to_hospital", "died",
    "moved_away", "no_longer_needed"};
static const char *const localities[] = {"North", "East", "South", "West", "Central"};

/* one client's social care story, built then written */
typedef struct story {
	jup_date since, first_contact;
	struct {
		uint8_t kind, outcome;
		jup_date start, done;
	} as[16];
	int nas;
	struct {
		uint8_t kind, reason;
		jup_date start, end;
	} sv[SYNTH_MAX_SVC];
	int nsv;
} story;

static jup_date between(synth_rng *r, jup_date lo, jup_date hi)
{
	if (hi <= lo)
		return lo;
	return lo + (jup_date)synth_rng_below(r, (uint32_t)(hi - lo) + 1);
}

static double client_chance(const synth_person *p)
{
	static const double by_band[SYNTH_NBANDS] = {0, 0.0015, 0.002, 0.0035, 0.007, 0.025, 0.09};
	double miss =
	    1.0 - by_band[synth_age_band(p->age)] * pow(1.5, (5.5 - p->area->decile) / 9.0);
	if (synth_has(p, SC_LD))
		miss *= 0.5;
	if (synth_has(p, SC_DEMENTIA))
		miss *= 0.85;
	if (synth_has(p, SC_HOUSEBOUND) || synth_has(p, SC_CARER))
		miss *= 0.95;
	if (synth_has(p, SC_SCHIZOPHRENIA) || synth_has(p, SC_BIPOLAR))
		miss *= 0.9;
	if (p->death_place == SYNTH_P_CARE_HOME && p->death)
		miss *= 0.5;
	return 1.0 - miss;
}

static void add_assessment(story *s, int kind, int outcome, jup_date start, jup_date done)
{
	if (s->nas >= (int)(sizeof s->as / sizeof s->as[0]))
		return;
	s->as[s->nas].kind = (uint8_t)kind;
	s->as[s->nas].outcome = (uint8_t)outcome;
	s->as[s->nas].start = start;
	s->as[s->nas].done = done;
	s->nas++;
}

static int add_service(story *s, int kind, jup_date start)
{
	if (s->nsv >= SYNTH_MAX_SVC)
		return -1;
	s->sv[s->nsv].kind = (uint8_t)kind;
	s->sv[s->nsv].reason = E_OPEN;
	s->sv[s->nsv].start = start;
	s->sv[s->nsv].end = 0;
	return s->nsv++;
}

static void end_service(story *s, int k, jup_date end, int reason)
{
	if (k < 0)
		return;
	s->sv[k].end = end < s->sv[k].start ? s->sv[k].start : end;
	s->sv[k].reason = (uint8_t)reason;
}

/* an assessment of kind: done within four weeks, open if not done by as_of */
static void assess(synth_city *c, synth_person *p, story *s, int kind, jup_date start, int outcome)
{
	jup_date done = start + (jup_date)synth_rng_below(&p->rng, 29);
	if (done > synth_end(c, p))
		add_assessment(s, kind, O_OPEN, start, 0);
	else
		add_assessment(s, kind, outcome, start, done);
}

static int long_term_kind(synth_person *p)
{
	double u = synth_rng_unit(&p->rng);
	bool frail =
	    synth_has(p, SC_DEMENTIA) || synth_has(p, SC_HOUSEBOUND) || synth_has(p, SC_CARER);
	if (p->death && p->death_place == SYNTH_P_CARE_HOME)
		return u < 0.5 ? S_NURSING : S_RESIDENTIAL;
	if (p->age >= 75 && frail)
		return u < 0.15 ? S_NURSING : u < 0.35 ? S_RESIDENTIAL : S_HOME_CARE;
	if (synth_has(p, SC_LD))
		return u < 0.3 ? S_DAY_CARE : u < 0.65 ? S_DIRECT_PAYMENT : S_HOME_CARE;
	if (p->age < 65)
		return u < 0.3 ? S_DIRECT_PAYMENT : u < 0.45 ? S_DAY_CARE : S_HOME_CARE;
	return u < 0.1 ? S_DAY_CARE : u < 0.25 ? S_DIRECT_PAYMENT : S_HOME_CARE;
}

/* a long-term service from start: ends at death, or now and then for
 * another reason, or stays open */
static void long_term(synth_city *c, synth_person *p, story *s, int kind, jup_date start)
{
	jup_date end = synth_end(c, p);
	if (start > end)
		return;
	int k = add_service(s, kind, start);
	double years = (end - start) / 365.25;
	if (synth_rng_chance(&p->rng, 1.0 - exp(-0.25 * years))) {
		static const uint32_t cum[] = {10, 35, 50, 60, 100};
		static const uint8_t why[] = {E_COMPLETED, E_LONG_TERM, E_ADMITTED, E_MOVED_AWAY,
		                              E_NO_LONGER};
		int reason = why[synth_rng_pick(&p->rng, cum, 5)];
		if (kind == S_RESIDENTIAL || kind == S_NURSING)
			reason = E_MOVED_AWAY;
		jup_date stop = between(&p->rng, start, end);
		end_service(s, k, stop, reason);
		if (reason == E_LONG_TERM && stop < end)
			long_term(c, p, s,
			          synth_rng_chance(&p->rng, 0.6) ? S_RESIDENTIAL : S_NURSING,
			          stop + 1);
	} else if (p->death) {
		end_service(s, k, p->death, E_DIED);
	}
}

/* reablement after a discharge: about six weeks unless cut short */
static void reablement(synth_city *c, synth_person *p, story *s, const synth_adm *a)
{
	jup_date start = a->out + (jup_date)synth_rng_below(&p->rng, 3);
	jup_date end = start + 35 + (jup_date)synth_rng_below(&p->rng, 15);
	jup_date last = synth_end(c, p);
	if (start > last)
		return;
	assess(c, p, s, K_REABLEMENT, a->out, O_SERVICES);
	int k = add_service(s, S_REABLEMENT, start);
	for (int i = 0; i < p->nadm; i++) {
		const synth_adm *b = &p->adm[i];
		if (b->method == SYNTH_M_EMERGENCY && b->in > start && b->in <= end) {
			end_service(s, k, b->in, E_ADMITTED);
			return;
		}
	}
	if (p->death && p->death <= end) {
		end_service(s, k, p->death, E_DIED);
	} else if (end <= last) {
		double u = synth_rng_unit(&p->rng);
		int reason = u < 0.7 ? E_COMPLETED : u < 0.9 ? E_LONG_TERM : E_NO_LONGER;
		end_service(s, k, end, reason);
		if (reason == E_LONG_TERM && end < last)
			long_term(c, p, s, S_HOME_CARE, end + 1);
	}
}

static void needs_and_reviews(synth_city *c, synth_person *p, story *s)
{
	static const uint32_t first[] = {65, 77, 92, 100};
	jup_date end = synth_end(c, p);
	jup_date start =
	    s->since >= c->ws ? s->since : c->ws + (jup_date)synth_rng_below(&p->rng, 365);
	if (start > end)
		return;
	int kind = s->since >= c->ws ? K_NEEDS : K_REVIEW;
	int outcome = kind == K_REVIEW ? O_SERVICES : (int)synth_rng_pick(&p->rng, first, 4);
	assess(c, p, s, kind, start, outcome);
	s->first_contact = start;
	if (s->as[s->nas - 1].outcome != O_SERVICES)
		return;
	jup_date from = s->as[s->nas - 1].done + (jup_date)synth_rng_below(&p->rng, 22);
	/* known before the window: the extract shows the service from some time
	 * in the window before its first review (spread, not piled on one day) */
	if (kind == K_REVIEW)
		from = between(&p->rng, c->ws, start);
	long_term(c, p, s, long_term_kind(p), from);
	for (jup_date r = start + 300 + (jup_date)synth_rng_below(&p->rng, 120); r <= end;
	     r += 300 + (jup_date)synth_rng_below(&p->rng, 120))
		assess(c, p, s, K_REVIEW, r,
		       synth_rng_chance(&p->rng, 0.93) ? O_SERVICES : O_SIGNPOSTED);
	if (synth_rng_chance(&p->rng, 0.08))
		assess(c, p, s, K_CARER, between(&p->rng, start, end), O_SIGNPOSTED);
}

/* ---------------------------------------------------------------- faults */

static bool mod11_ok(const char *n)
{
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (n[i] - '0') * (10 - i);
	int check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check != 10 && check == n[9] - '0';
}

/* change one digit so the Modulus 11 check fails */
static void break_check(synth_rng *r, char *n)
{
	for (int tries = 0; tries < 20; tries++) {
		int pos = 3 + (int)synth_rng_below(r, 7);
		char old = n[pos];
		n[pos] = (char)('0' + (old - '0' + 1 + (int)synth_rng_below(r, 9)) % 10);
		if (!mod11_ok(n))
			return;
		n[pos] = old;
	}
	n[9] = (char)('0' + (n[9] - '0' + 1) % 10);
}

static jup_date swapped_dob(jup_date dob)
{
	int y, m, d;
	jup_date_to_ymd(dob, &y, &m, &d);
	if (d > 12 || d == m)
		return dob;
	return jup_date_from_ymd(y, d, m);
}

static void put_sc_key(synth_city *c, synth_out *o, const synth_person *p)
{
	synth_put(o, c->orgs[c->council].code);
	synth_sep(o);
	synth_put_local_id(o, "", &c->id_sc, p->idx);
}

/* the client as the council holds them, faults and all */
typedef struct client_view {
	char nhs[11], given[64], family[128];
	jup_date dob;
	const char *postcode, *address;
	int practice; /* -1: not recorded */
} client_view;

static void client_faults(synth_city *c, synth_person *p, client_view *v)
{
	synth_rng *r = &p->rng;
	double u = synth_rng_unit(r);
	v->nhs[0] = '\0';
	if (p->has_nhs && u >= 0.133) {
		memcpy(v->nhs, p->nhs, sizeof v->nhs);
		if (u < 0.143)
			break_check(r, v->nhs);
	}
	memcpy(v->given, p->given, sizeof v->given);
	memcpy(v->family, p->family, sizeof v->family);
	const char *nick = synth_rng_chance(r, 0.15) ? synth_nickname(v->given, r) : NULL;
	if (nick)
		jup_sv_to_cstr(jup_sv_from(nick), v->given, sizeof v->given);
	else if (synth_rng_chance(r, 0.03))
		synth_typo(r, v->given);
	if (synth_rng_chance(r, 0.03))
		synth_typo(r, v->family);
	v->dob = synth_rng_chance(r, 0.05) ? swapped_dob(p->dob) : p->dob;
	bool old = p->moved && synth_rng_chance(r, 0.5);
	v->postcode = synth_rng_chance(r, 0.01) ? "" : old ? p->old_postcode : p->postcode;
	v->address = old ? p->old_address : p->address;
	v->practice = p->practice;
	if (p->moved && synth_rng_chance(r, 0.5))
		v->practice = p->old_practice;
	else if (synth_rng_chance(r, 0.03))
		v->practice = (int)synth_rng_below(r, (uint32_t)c->npractices);
	if (synth_rng_chance(r, p->has_nhs ? 0.1 : 0.6))
		v->practice = -1;
}

static void write_client(synth_city *c, synth_person *p)
{
	client_view v;
	client_faults(c, p, &v);
	/* column order as docs/FORMATS.md gives it for social_care_clients.csv */
	synth_out *o = &c->out[SYNTH_F_SC_CLIENTS];
	synth_row_begin(o);
	synth_put_local_id(o, "", &c->id_sc, p->idx);
	synth_sep(o);
	synth_put(o, v.nhs);
	synth_sep(o);
	synth_put_csv(o, v.given);
	synth_sep(o);
	synth_put_csv(o, v.family);
	synth_sep(o);
	synth_put_date(o, v.dob);
	synth_sep(o);
	synth_put_char(o, p->sex);
	synth_sep(o);
	synth_put(o, v.postcode);
	synth_sep(o);
	if (v.practice >= 0)
		synth_put(o, c->orgs[v.practice].code);
	synth_sep(o);
	synth_put(o, c->orgs[c->council].code);
	synth_sep(o);
	synth_put_csv(o, v.address);
	synth_row_end(o);
	o = &c->out[SYNTH_F_TRUTH];
	synth_row_begin(o);
	put_sc_key(c, o, p);
	synth_sep(o);
	synth_put_person_key(o, p->idx);
	synth_row_end(o);
}

/* -------------------------------------------------------------- writing */

static void write_story(synth_city *c, synth_person *p, const story *s)
{
	synth_out *o = &c->out[SYNTH_F_SC_ASSESSMENTS];
	for (int i = 0; i < s->nas; i++) {
		synth_row_begin(o);
		synth_put(o, c->orgs[c->council].code);
		synth_sep(o);
		synth_put_event_id(o, c, "AS", 4, c->n.assessment++);
		synth_sep(o);
		synth_put_local_id(o, "", &c->id_sc, p->idx);
		synth_sep(o);
		synth_put(o, assess_kinds[s->as[i].kind]);
		synth_sep(o);
		synth_put_date(o, s->as[i].start);
		synth_sep(o);
		if (s->as[i].outcome != O_OPEN) {
			synth_put_date(o, s->as[i].done);
			synth_sep(o);
			synth_put(o, outcomes[s->as[i].outcome]);
		} else {
			synth_sep(o);
		}
		synth_row_end(o);
	}
	o = &c->out[SYNTH_F_SC_SERVICES];
	for (int i = 0; i < s->nsv; i++) {
		synth_row_begin(o);
		synth_put(o, c->orgs[c->council].code);
		synth_sep(o);
		synth_put_event_id(o, c, "SV", 5, c->n.service++);
		synth_sep(o);
		synth_put_local_id(o, "", &c->id_sc, p->idx);
		synth_sep(o);
		synth_put(o, service_kinds[s->sv[i].kind]);
		synth_sep(o);
		synth_put_date(o, s->sv[i].start);
		synth_sep(o);
		if (s->sv[i].reason != E_OPEN) {
			synth_put_date(o, s->sv[i].end);
			synth_sep(o);
			synth_put(o, end_reasons[s->sv[i].reason]);
		} else {
			synth_sep(o);
		}
		synth_row_end(o);
	}
}

static void put_staff(synth_city *c, synth_out *o, synth_rng *r)
{
	uint32_t nstaff = 30 + (uint32_t)(c->o->people / 20000);
	uint32_t k = synth_rng_below(r, nstaff);
	synth_rng sr;
	synth_rng_init(&sr, c->seed, SYNTH_TAG_STAFF, k);
	int g = SYNTH_G_BRITISH;
	const char *given =
	    synth_given_name(c->names, &sr, g, synth_rng_chance(&sr, 0.7) ? 'F' : 'M',
	                     1965 + (int)synth_rng_below(&sr, 35));
	const char *fam = synth_family_name(c->names, &sr, SYNTH_G_MIXED);
	synth_put_char(o, (char)(given[0] | 32));
	for (const char *q = fam; *q; q++)
		if ((*q | 32) >= 'a' && (*q | 32) <= 'z')
			synth_put_char(o, (char)(*q | 32));
	if (k % 3 == 0)
		synth_put_i64(o, 1 + k % 9);
}

static void consent_row(synth_city *c, synth_person *p, jup_date when, bool permit)
{
	synth_out *o = &c->out[SYNTH_F_SC_CONSENTS];
	synth_row_begin(o);
	put_sc_key(c, o, p);
	synth_sep(o);
	synth_put(o, when >= c->as_of - 730 ? "SC-CONSENT-v3" : "SC-CONSENT-v2");
	synth_sep(o);
	synth_put(o, permit ? "permit" : "deny");
	synth_sep(o);
	synth_put_date(o, when);
	synth_sep(o);
	put_staff(c, o, &p->rng);
	synth_row_end(o);
}

static void write_consents(synth_city *c, synth_person *p, jup_date first)
{
	bool permit = synth_rng_chance(&p->rng, 0.9);
	consent_row(c, p, first, permit);
	jup_date end = synth_end(c, p);
	if (first < end && synth_rng_chance(&p->rng, 0.05))
		consent_row(c, p, between(&p->rng, first + 1, end), !permit);
}

static void team_row(synth_city *c, int org, const char *team, const char *team2, bool gp_record,
                     synth_person *p, const char *role, jup_date start, double p_end)
{
	synth_out *o = &c->out[SYNTH_F_CARE_TEAM];
	jup_date end = synth_end(c, p);
	if (start > end)
		start = end;
	synth_row_begin(o);
	synth_put(o, c->orgs[org].code);
	synth_sep(o);
	synth_put(o, team);
	if (team2) {
		synth_put_char(o, ' ');
		synth_put(o, team2);
	}
	synth_sep(o);
	if (gp_record) {
		synth_put(o, c->orgs[p->practice].code);
		synth_sep(o);
		synth_put_local_id(o, "", &c->id_gp, p->idx);
	} else {
		put_sc_key(c, o, p);
	}
	synth_sep(o);
	synth_put(o, role);
	synth_sep(o);
	synth_put_date(o, start);
	synth_sep(o);
	if (p->death)
		synth_put_date(o, p->death);
	else if (start < end && synth_rng_chance(&p->rng, p_end))
		synth_put_date(o, between(&p->rng, start + 1, end));
	synth_row_end(o);
}

static void write_council_team(synth_city *c, synth_person *p, jup_date first)
{
	const char *loc = localities[p->area->locality];
	if (synth_rng_chance(&p->rng, 0.65))
		team_row(c, c->council, "Adult Social Care", loc, false, p, "social_worker", first,
		         0.35);
	if (synth_has(p, SC_LD) && synth_rng_chance(&p->rng, 0.6))
		team_row(c, c->council, "Learning Disability Team", NULL, false, p, "key_worker",
		         first, 0.2);
}

void synth_social_run(synth_city *c, synth_person *p)
{
	if (p->age < 18)
		return;
	jup_date first_reable = 0;
	for (int i = 0; i < p->nadm && !first_reable; i++)
		if (p->adm[i].dest == SYNTH_D_REABLEMENT)
			first_reable = p->adm[i].out;
	if (!first_reable && !synth_rng_chance(&p->rng, client_chance(p)))
		return;
	p->sc_client = true;
	c->n.sc_clients++;
	story s;
	memset(&s, 0, sizeof s);
	jup_date end = synth_end(c, p), adult = p->dob + (jup_date)(18 * 365.25);
	jup_date lo = c->as_of - 12 * 365 > adult ? c->as_of - 12 * 365 : adult;
	s.since = first_reable ? first_reable : between(&p->rng, lo, end);
	if (!first_reable || synth_rng_chance(&p->rng, 0.3))
		needs_and_reviews(c, p, &s);
	for (int i = 0; i < p->nadm; i++)
		if (p->adm[i].dest == SYNTH_D_REABLEMENT)
			reablement(c, p, &s, &p->adm[i]);
	jup_date first = s.nas ? s.as[0].start : (s.since > c->ws ? s.since : c->ws);
	for (int i = 1; i < s.nas; i++)
		if (s.as[i].start < first)
			first = s.as[i].start;
	write_client(c, p);
	write_story(c, p, &s);
	write_consents(c, p, first > end ? end : first);
	write_council_team(c, p, first);
}

void synth_care_team_write(synth_city *c, synth_person *p)
{
	if (!p->has_nhs)
		return;
	int trust = c->trust0 + p->near_trust;
	const char *loc = localities[p->area->locality];
	jup_date begin = synth_begin(c, p);
	if (p->eol) {
		jup_date start = p->eol_added + (jup_date)synth_rng_below(&p->rng, 30);
		bool cancer = synth_has(p, SC_CA_COLON) || synth_has(p, SC_CA_LUNG) ||
		              synth_has(p, SC_CA_BREAST) || synth_has(p, SC_CA_PROSTATE);
		if (synth_rng_chance(&p->rng, 0.65))
			team_row(c, trust, "District Nursing", loc, true, p, "district_nurse",
			         start, 0.1);
		if (synth_rng_chance(&p->rng, cancer ? 0.7 : 0.3))
			team_row(c, c->hospice, "Community Palliative Care Team", NULL, true, p,
			         "palliative_care", start, 0.05);
	} else if (synth_has(p, SC_HOUSEBOUND) && synth_rng_chance(&p->rng, 0.3)) {
		team_row(c, trust, "District Nursing", loc, true, p, "district_nurse",
		         between(&p->rng, begin, synth_end(c, p)), 0.3);
	}
	if ((synth_has(p, SC_SCHIZOPHRENIA) || synth_has(p, SC_BIPOLAR)) &&
	    synth_rng_chance(&p->rng, 0.6))
		team_row(c, trust, "Community Mental Health Team", loc, true, p, "care_coordinator",
		         between(&p->rng, begin, synth_end(c, p)), 0.2);
}
