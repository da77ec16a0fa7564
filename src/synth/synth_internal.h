/*
 * synth_internal.h - private interface between the synthetic city's files.
 *
 * Not installed and not for other modules (the unit tests use it to check
 * the static catalogues). Layout of the generator:
 *
 *   synth_rng.c      PRNG (splitmix64 seeding xoshiro256**), keyed bijections
 *   synth_out.c      buffered CSV writers, one per extract
 *   synth_names.c    name, street and nickname tables and their pickers
 *   synth_catalog.c  the condition catalogue (SNOMED CT + ICD-10), drugs,
 *                    hospital reasons
 *   synth_city.c     areas (IoD 2019), districts, postcodes, organisations
 *   synth_people.c   households, demographics, NHS numbers
 *   synth_health.c   conditions, medication, deaths, end of life, opt-outs
 *   synth_hospital.c admissions, A&E, hospital patient masters
 *   synth_social.c   social care clients, assessments, services, consents,
 *                    care teams
 *   synth_run.c      jup_synth_run: the driver
 *
 * Everything here is prefixed synth_ and is not exported from the library's
 * public headers. There are no mutable globals: the city context is passed.
 */
#ifndef JUP_SYNTH_INTERNAL_H
#define JUP_SYNTH_INTERNAL_H

#include "core/jup_buf.h"
#include "core/jup_date.h"
#include "core/jup_rng.h"
#include "core/jup_status.h"
#include "synth/jup_synth.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- rng */

typedef jup_rng synth_rng; /* core's xoshiro256**, seeded per stream below */

/* stream tags: each kind of decision draws from its own stream */
enum {
	SYNTH_TAG_AREA = 1,
	SYNTH_TAG_PERSON,
	SYNTH_TAG_NHS,
	SYNTH_TAG_REGISTER,
	SYNTH_TAG_ORGS,
	SYNTH_TAG_ID,
	SYNTH_TAG_POSTCODE,
	SYNTH_TAG_STAFF,
};

uint64_t synth_mix64(uint64_t x);
void synth_rng_init(synth_rng *r, uint64_t seed, uint64_t tag, uint64_t index);
uint64_t synth_rng_next(synth_rng *r);
double synth_rng_unit(synth_rng *r);                /* [0, 1) */
uint32_t synth_rng_below(synth_rng *r, uint32_t n); /* [0, n), n > 0 */
int synth_rng_range(synth_rng *r, int lo, int hi);  /* [lo, hi] */
bool synth_rng_chance(synth_rng *r, double p);
double synth_rng_normal(synth_rng *r);
int synth_rng_poisson(synth_rng *r, double lambda);
/* index of a draw from cumulative weights cum[0..n) (cum[n-1] > 0) */
size_t synth_rng_pick(synth_rng *r, const uint32_t *cum, size_t n);

/* A keyed bijection of [0, n): a balanced Feistel network over the next even
 * power of two with cycle walking. Local ids are perm(index) so they do not
 * reveal the order people were made in. */
typedef struct synth_perm {
	uint64_t n;
	unsigned half; /* bits per half */
	uint64_t mask;
	uint64_t key[4];
} synth_perm;

void synth_perm_init(synth_perm *p, uint64_t n, uint64_t seed, uint64_t tag);
uint64_t synth_perm_apply(const synth_perm *p, uint64_t i);

/* --------------------------------------------------------------- output */

enum {
	SYNTH_F_ORGS,
	SYNTH_F_GP_PATIENTS,
	SYNTH_F_GP_CONDITIONS,
	SYNTH_F_GP_MEDICATIONS,
	SYNTH_F_GP_EOL,
	SYNTH_F_GP_OBJECTIONS,
	SYNTH_F_OPT_OUTS,
	SYNTH_F_HOSP_PATIENTS,
	SYNTH_F_HOSP_ADMISSIONS,
	SYNTH_F_AE,
	SYNTH_F_SC_CLIENTS,
	SYNTH_F_SC_ASSESSMENTS,
	SYNTH_F_SC_SERVICES,
	SYNTH_F_SC_CONSENTS,
	SYNTH_F_CARE_TEAM,
	SYNTH_F_DEATHS,
	SYNTH_F_TRUTH,
	SYNTH_F__COUNT
};

#define SYNTH_OUT_FLUSH (1u << 20) /* write out once a buffer holds 1 MiB */
#define SYNTH_ROW_MAX   8192u      /* room reserved for one row */

typedef struct synth_out {
	const char *name;   /* file name (static) */
	const char *header; /* header line without LF (static) */
	FILE *f;
	jup_buf buf;
	int64_t rows; /* data rows written */
	bool failed;  /* a write or buffer problem happened */
} synth_out;

/* synth_out_names: the file name and header of extract k. */
const char *synth_out_name(int k);

/* synth_out_open_all: create dir if needed, open every extract and write
 * the headers. On failure closes what was opened. */
jup_status synth_out_open_all(synth_out *outs, const char *dir, jup_err *err) JUP_MUST_CHECK;
/* synth_out_close_all: flush and close; reports the first failure. Safe to
 * call after a failed open or twice. */
jup_status synth_out_close_all(synth_out *outs, jup_err *err) JUP_MUST_CHECK;

/* Row building. synth_row_begin makes room for one row (flushing when the
 * buffer is full); the put functions then append without checks beyond a
 * bound that marks the writer failed instead of overflowing. */
void synth_row_begin(synth_out *o);
void synth_row_end(synth_out *o);
void synth_put(synth_out *o, const char *s);
void synth_put_n(synth_out *o, const char *s, size_t n);
void synth_put_csv(synth_out *o, const char *s); /* quoted when needed */
void synth_put_char(synth_out *o, char ch);
void synth_put_i64(synth_out *o, int64_t v);
void synth_put_padded(synth_out *o, uint64_t v, int width); /* zero padded */
void synth_put_date(synth_out *o, jup_date d);
void synth_put_datetime(synth_out *o, jup_date d, int minute_of_day);
static inline void synth_sep(synth_out *o)
{
	synth_put_char(o, ',');
}

/* ---------------------------------------------------------- catalogues */

/* age bands used by prevalence tables */
enum { SYNTH_NBANDS = 7 }; /* 0-15 16-34 35-54 55-64 65-74 75-84 85+ */
int synth_age_band(int age);

/* condition flags */
enum {
	SYNTH_C_CANCER = 1 << 0,
	SYNTH_C_METS = 1 << 1,
	SYNTH_C_LD = 1 << 2,
	SYNTH_C_SMI = 1 << 3,
	SYNTH_C_MATERNITY = 1 << 4,
	SYNTH_C_DEMENTIA = 1 << 5,
	SYNTH_C_ORGAN = 1 << 6,   /* organ failure trajectory */
	SYNTH_C_FRAILTY = 1 << 7, /* a frailty finding (falls, mobility...) */
	SYNTH_C_RECENT = 1 << 8,  /* an event: onset in the last two years */
	SYNTH_C_ALONE = 1 << 9,   /* only for people living alone */
	SYNTH_C_MAJOR = 1 << 10,  /* a major long-term condition */
};

/* condition ids (index into the catalogue); parents come before children */
enum {
	SC_HYPERTENSION,
	SC_T2DM,
	SC_T1DM,
	SC_DM_KIDNEY,
	SC_DM_RETINOPATHY,
	SC_DM_FOOT_ULCER,
	SC_OBESITY,
	SC_IHD,
	SC_OLD_MI,
	SC_HEART_FAILURE,
	SC_AF,
	SC_AORTIC_STENOSIS,
	SC_STROKE,
	SC_HEMIPLEGIA,
	SC_TIA,
	SC_PVD,
	SC_CKD3,
	SC_CKD4,
	SC_DEMENTIA,
	SC_ALZHEIMERS,
	SC_VASCULAR_DEMENTIA,
	SC_COPD,
	SC_ASTHMA,
	SC_RA,
	SC_OA,
	SC_OSTEOPOROSIS,
	SC_HIP_FRACTURE,
	SC_PARKINSONS,
	SC_EPILEPSY,
	SC_HYPOTHYROID,
	SC_HYPERTHYROID,
	SC_DEPRESSION,
	SC_ANXIETY,
	SC_SCHIZOPHRENIA,
	SC_BIPOLAR,
	SC_LD,
	SC_ANAEMIA,
	SC_PEPTIC_ULCER,
	SC_ALCOHOLIC_LIVER,
	SC_CIRRHOSIS,
	SC_HIV,
	SC_CA_COLON,
	SC_CA_LUNG,
	SC_CA_BREAST,
	SC_CA_PROSTATE,
	SC_METS_LIVER,
	SC_METS_BONE,
	SC_PRESSURE_ULCER,
	SC_HYPOTENSION,
	SC_SYNCOPE,
	SC_UTI,
	SC_BPH,
	SC_DIZZINESS,
	SC_DYSPNOEA,
	SC_FALLS,
	SC_MEMORY,
	SC_INSOMNIA,
	SC_INCONTINENCE,
	SC_WEIGHT_LOSS,
	SC_VISION,
	SC_HEARING,
	SC_DISABILITY,
	SC_HOUSEBOUND,
	SC_MOBILITY,
	SC_CARER,
	SC_LIVES_ALONE,
	SC_FOOT,
	SC_PREGNANCY,
	SC__COUNT
};

typedef struct synth_condition {
	const char *key;             /* short name (tests, debugging) */
	const char *snomed;          /* SNOMED CT concept id */
	const char *term;            /* SNOMED CT preferred term (description) */
	const char *icd10;           /* ICD-10 code */
	const char *icd10b;          /* second hospital code (asterisk code) or NULL */
	const char *acute;           /* ICD-10 of an acute episode, or NULL */
	uint16_t prev[SYNTH_NBANDS]; /* per 10,000 (conditional on parent) */
	uint8_t dep_rr10;            /* decile 1 vs decile 10 rate ratio x10 */
	uint8_t female_rr10; /* women vs men rate ratio x10 (0: men only, 255: women only) */
	int8_t parent[2];    /* needs one of these (-1: none) */
	uint8_t mort10;      /* mortality rate ratio x10 */
	uint8_t adm10;       /* emergency admission weight x10 */
	uint16_t flags;
	uint8_t onset_min_age;
} synth_condition;

const synth_condition *synth_conditions(size_t *n);

typedef struct synth_drug {
	const char *snomed; /* SNOMED CT substance concept id */
	const char *name;
} synth_drug;

const synth_drug *synth_drugs(size_t *n);

/* which drugs a condition brings, with the chance (per cent) of each */
typedef struct synth_drug_rule {
	int8_t cond; /* condition id, or -1 for an age rule */
	uint8_t min_age;
	uint8_t drug; /* index into synth_drugs */
	uint8_t pct;
} synth_drug_rule;

const synth_drug_rule *synth_drug_rules(size_t *n);

/* hospital reasons that are not long-term conditions (ICD-10 only) */
enum { SYNTH_R_EMERGENCY, SYNTH_R_ELECTIVE };
typedef struct synth_reason {
	const char *icd10;
	const char *what; /* a short description (documentation only) */
	uint8_t kind;     /* SYNTH_R_* */
	uint8_t min_age, max_age;
	char sex; /* 0, 'M' or 'F' */
	uint16_t weight;
} synth_reason;

const synth_reason *synth_reasons(size_t *n);

/* ---------------------------------------------------------------- names */

enum {
	SYNTH_G_BRITISH,
	SYNTH_G_SOUTH_ASIAN_MUSLIM,
	SYNTH_G_SOUTH_ASIAN_OTHER,
	SYNTH_G_BLACK,
	SYNTH_G_EAST_EUROPEAN,
	SYNTH_G_EAST_ASIAN,
	SYNTH_G_MIXED,
	SYNTH_G__COUNT
};

typedef struct synth_names synth_names; /* prepared cumulative weights */

jup_status synth_names_prepare(synth_names **out) JUP_MUST_CHECK;
void synth_names_free(synth_names *n);
/* the name-origin group of a household in an area of this decile */
int synth_name_group(synth_rng *r, int decile, const char *lad_name);
const char *synth_family_name(const synth_names *n, synth_rng *r, int group);
const char *synth_given_name(const synth_names *n, synth_rng *r, int group, char sex,
                             int birth_year);
/* a common nickname for a given name, or NULL */
const char *synth_nickname(const char *given, synth_rng *r);
const char *synth_street_name(synth_rng *r, char *out, size_t cap);
const char *synth_place_word(synth_rng *r);

/* ---------------------------------------------------------------- city */

enum { SYNTH_K_GP, SYNTH_K_TRUST, SYNTH_K_COUNCIL, SYNTH_K_HOSPICE };

typedef struct synth_area {
	char code[16];
	char name[72];
	int decile;
	int64_t pop, a0_15, a16_59, a60p; /* IoD 2019 denominators */
	int64_t people;                   /* residents placed here */
	int64_t first;                    /* index of the first resident */
	int district;
	int practice; /* home practice (index into orgs) */
	int trust;    /* nearer trust: 0 or 1 */
	int locality; /* social work locality 0..4 */
} synth_area;

typedef struct synth_org {
	char code[13];
	char name[128];
	int kind;
	bool participating;
	char postcode[9];
} synth_org;

typedef struct synth_counters {
	int64_t spell[2], attendance[2], assessment, service;
	int64_t deaths, sc_clients;
} synth_counters;

typedef struct synth_city {
	const jup_synth_opts *o;
	uint64_t seed;
	jup_date as_of, ws; /* extract date, start of the history window */
	char lad_code[16], lad_name[72], town[72];
	char pc_area[3]; /* postcode area letters */
	synth_area *areas;
	int64_t nareas;
	int ndistricts;
	synth_org *orgs;
	int norgs, npractices;
	int trust0, council, hospice; /* org indexes */
	synth_names *names;
	uint32_t *nhs;     /* NHS numbers (offset from 9990000000) by slot */
	int32_t *nhs_slot; /* per resident: slot in nhs, or -1 */
	int64_t with_nhs;
	synth_perm id_gp, id_hosp[2], id_sc, id_event;
	synth_counters n;
	int64_t done, next_progress; /* residents made so far; next report */
	int cur_district;            /* postcode units are numbered within a district */
	uint32_t cur_unit;
	synth_out out[SYNTH_F__COUNT];
} synth_city;

/* synth_city_setup: everything before the first resident: areas,
 * organisations, names, NHS numbers, id permutations. The caller zeroes c
 * first and frees it with synth_city_free. */
jup_status synth_city_setup(synth_city *c, const jup_synth_opts *o, jup_err *err) JUP_MUST_CHECK;
/* synth_city_load: read the IoD file, pick the area's LSOAs and share out
 * the people. JUP_ERR_NOT_FOUND for an unknown area. */
jup_status synth_city_load(synth_city *c, jup_err *err) JUP_MUST_CHECK;
/* synth_city_orgs: districts, practices, trusts, council, hospice. */
jup_status synth_city_orgs(synth_city *c, jup_err *err) JUP_MUST_CHECK;
void synth_city_write_orgs(synth_city *c);
void synth_city_free(synth_city *c);
/* a postcode in district d for unit u (0..3999 distinct per district) */
void synth_postcode(const synth_city *c, int district, uint32_t unit, char out[9]);

/* largest-remainder apportionment of total over weights w[0..n) into out */
jup_status synth_apportion(const int64_t *w, size_t n, int64_t total, int64_t *out) JUP_MUST_CHECK;

/* --------------------------------------------------------------- people */

#define SYNTH_MAX_CONDS 40
#define SYNTH_MAX_ADM   40
#define SYNTH_MAX_AE    60
#define SYNTH_MAX_SVC   12

typedef struct synth_cond {
	uint8_t id;
	jup_date onset;
} synth_cond;

enum { SYNTH_M_ELECTIVE, SYNTH_M_EMERGENCY };
enum {
	SYNTH_D_HOME,
	SYNTH_D_CARE_HOME,
	SYNTH_D_REABLEMENT,
	SYNTH_D_OTHER_HOSPITAL,
	SYNTH_D_DIED,
	SYNTH_D_OTHER,
	SYNTH_D_OPEN, /* still in hospital at as_of */
};
enum { SYNTH_P_HOME, SYNTH_P_CARE_HOME, SYNTH_P_HOSPITAL, SYNTH_P_HOSPICE, SYNTH_P_OTHER };

typedef struct synth_adm {
	uint8_t trust, method, dest;
	int16_t reason; /* >= 0 condition id; < 0: -1 - reason index */
	jup_date in, out;
} synth_adm;

typedef struct synth_ae {
	uint8_t trust, disposal;
	uint16_t minute;
	jup_date day;
} synth_ae;

typedef struct synth_person {
	int64_t idx; /* global resident index */
	const synth_area *area;
	int district;
	char sex;
	int age; /* at as_of */
	int group;
	int hh_size;
	jup_date dob;
	char given[64], family[128];
	char address[96], postcode[9];
	bool moved; /* moved house in the window: old address below */
	jup_date moved_on;
	char old_address[96], old_postcode[9];
	bool has_nhs;
	char nhs[11];
	int practice, old_practice;
	jup_date registered_on;
	jup_date death; /* 0: alive at as_of (dates are never 1970-01-01 here) */
	int death_place;
	double frailty; /* latent multimorbidity propensity */
	synth_cond conds[SYNTH_MAX_CONDS];
	int nconds;
	uint64_t cmask[2];
	int near_trust;
	synth_adm adm[SYNTH_MAX_ADM];
	int nadm;
	synth_ae ae[SYNTH_MAX_AE];
	int nae;
	bool eol;
	jup_date eol_added;
	bool sc_client;
	synth_rng rng;
} synth_person;

static inline bool synth_has(const synth_person *p, int cond)
{
	return (p->cmask[cond >> 6] >> (cond & 63)) & 1u;
}

/* the end of the person's record: death or as_of */
static inline jup_date synth_end(const synth_city *c, const synth_person *p)
{
	return p->death ? p->death : c->as_of;
}

/* the start of the person's history: the window start or birth */
static inline jup_date synth_begin(const synth_city *c, const synth_person *p)
{
	return p->dob > c->ws ? p->dob : c->ws;
}

/* synth_people_nhs: pick which residents are registered and draw their NHS
 * numbers from the shuffled check-valid 999 range. */
jup_status synth_people_nhs(synth_city *c, jup_err *err) JUP_MUST_CHECK;
/* the count of check-valid numbers in 9990000000..9999999999 (909,091),
 * written into vals (which must hold that many) when vals is not NULL */
uint32_t synth_nhs_valid_range(uint32_t *vals);
/* format a number offset from 9990000000 as 10 digits */
void synth_nhs_format(uint32_t off, char out[11]);

/* synth_people_area: build households for area a and run fn on each
 * resident (already given demographics). */
typedef void (*synth_person_fn)(synth_city *c, synth_person *p);
jup_status synth_people_area(synth_city *c, int64_t a, synth_person *scratch, synth_person_fn fn,
                             jup_err *err) JUP_MUST_CHECK;

/* write a local id for resident idx under a permutation, with a prefix */
void synth_put_local_id(synth_out *o, const char *prefix, const synth_perm *perm, int64_t idx);
void synth_put_person_key(synth_out *o, int64_t idx);
void synth_put_event_id(synth_out *o, const synth_city *c, const char *prefix, uint64_t tag,
                        int64_t seq);

/* --------------------------------------------------------------- health */

void synth_health_conditions(synth_city *c, synth_person *p);
void synth_health_death(synth_city *c, synth_person *p);
void synth_health_eol(synth_city *c, synth_person *p);
void synth_health_write(synth_city *c, synth_person *p);
void synth_typo(synth_rng *r, char *s);

/* ------------------------------------------------------------- hospital */

void synth_hospital_events(synth_city *c, synth_person *p);
void synth_hospital_write(synth_city *c, synth_person *p);

/* --------------------------------------------------------------- social */

void synth_social_run(synth_city *c, synth_person *p);
void synth_care_team_write(synth_city *c, synth_person *p);

#endif
