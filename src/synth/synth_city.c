/*
 * synth_city.c - the city's places and organisations.
 *
 * Reads the English Indices of Deprivation 2019 by LSOA, keeps the small
 * areas of one local authority (matched on lad19nm, case-insensitive, or
 * lad19cd), sorts them by name so neighbours (same MSOA) sit together, and
 * shares the requested number of people among them by largest remainder on
 * the 2015 population. Neighbouring LSOAs form postcode districts of 12-20
 * areas. Postcodes are synthetic but shaped like the place's (LS for Leeds,
 * SS for Southend-on-Sea...). Organisations: GP practices (one per ~8,000
 * people, at least two, about one in ten not taking part), two hospital
 * trusts (each nearer one half of the areas), the council (its real lad19cd)
 * and a hospice.
 */
#include "synth/synth_internal.h"

#include "ingest/jup_ingest_csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	COL_LSOA,
	COL_NAME,
	COL_LADCD,
	COL_LADNM,
	COL_DECILE,
	COL_POP,
	COL_A0,
	COL_A16,
	COL_A60,
	NCOLS
};
static const char *const col_names[NCOLS] = {"lsoa11cd",  "lsoa11nm",   "lad19cd",
                                             "lad19nm",   "imd_decile", "population_2015",
                                             "aged_0_15", "aged_16_59", "aged_60_plus"};

static jup_status read_whole(const char *path, char **data, size_t *len, jup_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return jup_err_set(err, JUP_ERR_IO, "could not open \"%s\": %s", path,
		                   strerror(errno));
	jup_buf b;
	jup_buf_init(&b, 0);
	char chunk[65536];
	size_t n;
	jup_status st = JUP_OK;
	while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		st = jup_buf_append(&b, chunk, n);
	if (!st && ferror(f))
		st = JUP_ERR_IO;
	fclose(f);
	if (st) {
		jup_buf_free(&b);
		return jup_err_set(err, st, "could not read \"%s\"", path);
	}
	*data = b.data;
	*len = b.len;
	return JUP_OK;
}

static int64_t parse_int(jup_sv s)
{
	int64_t v = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return -1;
		if (v > INT64_MAX / 10 - 10)
			return -1;
		v = v * 10 + (s.ptr[i] - '0');
	}
	return s.len ? v : -1;
}

/* "Bristol, City of" also answers to "Bristol" */
static bool name_matches(jup_sv name, const char *want)
{
	size_t wl = strlen(want);
	if (name.len == wl && strncasecmp(name.ptr, want, wl) == 0)
		return true;
	return name.len > wl + 1 && strncasecmp(name.ptr, want, wl) == 0 && name.ptr[wl] == ',';
}

static jup_status map_header(const jup_sv *f, size_t nf, int *col, jup_err *err)
{
	for (int k = 0; k < NCOLS; k++) {
		col[k] = -1;
		for (size_t i = 0; i < nf; i++)
			if (jup_sv_eq_cstr(jup_sv_trim(f[i]), col_names[k]))
				col[k] = (int)i;
		if (col[k] < 0)
			return jup_err_set(err, JUP_ERR_INVALID,
			                   "deprivation file has no column \"%s\"", col_names[k]);
	}
	return JUP_OK;
}

static jup_status add_area(synth_city *c, const jup_sv *f, const int *col, size_t *cap,
                           jup_err *err)
{
	if ((size_t)c->nareas == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		if (ncap > JUP_SYNTH_MAX_AREAS)
			return jup_err_set(err, JUP_ERR_LIMIT, "too many small areas");
		synth_area *na = realloc(c->areas, ncap * sizeof *na);
		if (!na)
			return jup_err_set(err, JUP_ERR_NOMEM, "out of memory for areas");
		c->areas = na;
		*cap = ncap;
	}
	synth_area *a = &c->areas[c->nareas];
	memset(a, 0, sizeof *a);
	jup_sv_to_cstr(f[col[COL_LSOA]], a->code, sizeof a->code);
	jup_sv_to_cstr(f[col[COL_NAME]], a->name, sizeof a->name);
	int64_t dec = parse_int(f[col[COL_DECILE]]);
	a->pop = parse_int(f[col[COL_POP]]);
	a->a0_15 = parse_int(f[col[COL_A0]]);
	a->a16_59 = parse_int(f[col[COL_A16]]);
	a->a60p = parse_int(f[col[COL_A60]]);
	if (dec < 1 || dec > 10 || a->pop < 0 || a->a0_15 < 0 || a->a16_59 < 0 || a->a60p < 0)
		return jup_err_set(err, JUP_ERR_INVALID, "deprivation file: bad numbers for %s",
		                   a->code);
	a->decile = (int)dec;
	if (c->nareas == 0) {
		jup_sv_to_cstr(f[col[COL_LADCD]], c->lad_code, sizeof c->lad_code);
		jup_sv_to_cstr(f[col[COL_LADNM]], c->lad_name, sizeof c->lad_name);
	}
	c->nareas++;
	return JUP_OK;
}

static jup_status scan_areas(synth_city *c, const char *data, size_t len, jup_err *err)
{
	jup_csv csv;
	jup_ingest_csv_init(&csv, data, len);
	jup_sv f[JUP_CSV_MAX_FIELDS];
	size_t nf, cap = 0;
	int64_t line;
	int col[NCOLS];
	jup_status st = jup_ingest_csv_next(&csv, f, JUP_CSV_MAX_FIELDS, &nf, &line, err);
	if (!st)
		st = map_header(f, nf, col, err);
	while (!st) {
		st = jup_ingest_csv_next(&csv, f, JUP_CSV_MAX_FIELDS, &nf, &line, err);
		if (st)
			break;
		if (nf < NCOLS)
			st = jup_err_set(err, JUP_ERR_INVALID,
			                 "deprivation file line %lld: too few "
			                 "fields",
			                 (long long)line);
		else if (name_matches(jup_sv_trim(f[col[COL_LADCD]]), c->o->area) ||
		         name_matches(jup_sv_trim(f[col[COL_LADNM]]), c->o->area))
			st = add_area(c, f, col, &cap, err);
	}
	jup_ingest_csv_free(&csv);
	return st == JUP_ERR_NOT_FOUND ? JUP_OK : st;
}

static int cmp_area(const void *a, const void *b)
{
	return strcmp(((const synth_area *)a)->name, ((const synth_area *)b)->name);
}

typedef struct rem_idx {
	int64_t rem;
	size_t i;
} rem_idx;

static int cmp_rem(const void *a, const void *b)
{
	const rem_idx *x = a, *y = b;
	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

jup_status synth_apportion(const int64_t *w, size_t n, int64_t total, int64_t *out)
{
	int64_t sum = 0, given = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < 0 || (w[i] > 0 && total > INT64_MAX / w[i]))
			return JUP_ERR_LIMIT;
		sum += w[i];
	}
	if (n == 0)
		return JUP_OK;
	if (sum <= 0) { /* no weights: spread evenly */
		for (size_t i = 0; i < n; i++)
			out[i] = total / (int64_t)n + ((int64_t)i < total % (int64_t)n);
		return JUP_OK;
	}
	rem_idx *r = malloc(n * sizeof *r);
	if (!r)
		return JUP_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		out[i] = total * w[i] / sum;
		r[i] = (rem_idx){total * w[i] % sum, i};
		given += out[i];
	}
	/* hand out the rest by largest remainder, ties to the lower index */
	qsort(r, n, sizeof *r, cmp_rem);
	for (size_t k = 0; given < total; k = (k + 1) % n, given++)
		out[r[k].i]++;
	free(r);
	return JUP_OK;
}

static jup_status share_people(synth_city *c, jup_err *err)
{
	int64_t *w = malloc((size_t)c->nareas * sizeof *w);
	int64_t *got = malloc((size_t)c->nareas * sizeof *got);
	if (!w || !got) {
		free(w);
		free(got);
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory for areas");
	}
	for (int64_t i = 0; i < c->nareas; i++)
		w[i] = c->areas[i].pop;
	if (synth_apportion(w, (size_t)c->nareas, c->o->people, got)) {
		free(w);
		free(got);
		return jup_err_set(err, JUP_ERR_LIMIT, "too many people for the areas");
	}
	int64_t first = 0;
	for (int64_t i = 0; i < c->nareas; i++) {
		c->areas[i].people = got[i];
		c->areas[i].first = first;
		first += got[i];
	}
	free(w);
	free(got);
	return JUP_OK;
}

jup_status synth_city_load(synth_city *c, jup_err *err)
{
	char *data = NULL;
	size_t len = 0;
	jup_status st = read_whole(c->o->imd_path, &data, &len, err);
	if (st)
		return st;
	st = scan_areas(c, data, len, err);
	free(data);
	if (st)
		return st;
	if (c->nareas == 0)
		return jup_err_set(err, JUP_ERR_NOT_FOUND,
		                   "no local authority \"%s\" in the deprivation file (give a "
		                   "lad19nm such as \"Leeds\" or a lad19cd such as \"E08000035\")",
		                   c->o->area);
	qsort(c->areas, (size_t)c->nareas, sizeof *c->areas, cmp_area);
	size_t tl = strcspn(c->lad_name, ",");
	memcpy(c->town, c->lad_name, tl);
	c->town[tl] = '\0';
	return share_people(c, err);
}

/* ------------------------------------------------------------ postcodes */

static const struct {
	const char *town, *letters;
} pc_areas[] = {
    {"Leeds", "LS"},
    {"Bradford", "BD"},
    {"Southend-on-Sea", "SS"},
    {"Manchester", "M"},
    {"Birmingham", "B"},
    {"Sheffield", "S"},
    {"Liverpool", "L"},
    {"Bristol", "BS"},
    {"Newcastle upon Tyne", "NE"},
    {"Nottingham", "NG"},
    {"Leicester", "LE"},
    {"Kirklees", "HD"},
    {"Wakefield", "WF"},
    {"Calderdale", "HX"},
    {"York", "YO"},
    {"Kingston upon Hull", "HU"},
    {"Coventry", "CV"},
    {"Wolverhampton", "WV"},
    {"Stoke-on-Trent", "ST"},
    {"Derby", "DE"},
    {"Plymouth", "PL"},
    {"Southampton", "SO"},
    {"Portsmouth", "PO"},
    {"Brighton and Hove", "BN"},
    {"Norwich", "NR"},
    {"Cambridge", "CB"},
    {"Oxford", "OX"},
    {"Reading", "RG"},
    {"Luton", "LU"},
    {"Salford", "M"},
    {"Trafford", "M"},
    {"Sunderland", "SR"},
    {"Middlesbrough", "TS"},
    {"Cornwall", "TR"},
    {"Exeter", "EX"},
    {"Doncaster", "DN"},
    {"Barnsley", "S"},
    {"Rotherham", "S"},
    {"Bolton", "BL"},
    {"Wigan", "WN"},
    {"Oldham", "OL"},
    {"Rochdale", "OL"},
    {"Stockport", "SK"},
    {"Blackburn with Darwen", "BB"},
    {"Blackpool", "FY"},
    {"Preston", "PR"},
    {"Swindon", "SN"},
    {"Milton Keynes", "MK"},
    {"Peterborough", "PE"},
    {"Medway", "ME"},
    {"Gloucester", "GL"},
    {"Warrington", "WA"},
    {"Wirral", "CH"},
    {"Sefton", "L"},
    {"Gateshead", "NE"},
    {"County Durham", "DH"},
    {"Darlington", "DL"},
    {"Hartlepool", "TS"},
    {"Lincoln", "LN"},
    {"Tower Hamlets", "E"},
    {"Newham", "E"},
    {"Hackney", "E"},
    {"Camden", "NW"},
    {"Westminster", "SW"},
    {"Lambeth", "SE"},
    {"Southwark", "SE"},
    {"Croydon", "CR"},
    {"Slough", "SL"},
    {"Northampton", "NN"},
    {"Ipswich", "IP"},
    {"Colchester", "CO"},
};

static void postcode_letters(synth_city *c)
{
	for (size_t i = 0; i < sizeof pc_areas / sizeof pc_areas[0]; i++)
		if (strcasecmp(pc_areas[i].town, c->town) == 0) {
			size_t n = strlen(pc_areas[i].letters);
			memcpy(c->pc_area, pc_areas[i].letters, n + 1);
			return;
		}
	/* not known: the first letter and the next consonant of the name */
	char first = 'X', second = 'X';
	const char *p = c->town;
	while (*p && !((*p | 32) >= 'a' && (*p | 32) <= 'z'))
		p++;
	if (*p)
		first = (char)(*p++ & ~32);
	for (; *p; p++) {
		char l = (char)(*p | 32);
		if (l >= 'a' && l <= 'z' && !strchr("aeiou", l)) {
			second = (char)(l & ~32);
			break;
		}
	}
	c->pc_area[0] = first;
	c->pc_area[1] = second;
	c->pc_area[2] = '\0';
}

void synth_postcode(const synth_city *c, int district, uint32_t unit, char out[9])
{
	static const char letters[] = "ABDEFGHJLNPQRSTUWXYZ"; /* never C I K M O V */
	synth_perm p;
	synth_perm_init(&p, 4000, c->seed, 0x9c000000ull + (uint64_t)district);
	uint32_t k = (uint32_t)synth_perm_apply(&p, unit % 4000);
	size_t n = strlen(c->pc_area);
	memcpy(out, c->pc_area, n);
	int num = district % 99 + 1;
	if (num >= 10)
		out[n++] = (char)('0' + num / 10);
	out[n++] = (char)('0' + num % 10);
	out[n++] = ' ';
	out[n++] = (char)('0' + k / 400);
	out[n++] = letters[(k % 400) / 20];
	out[n++] = letters[k % 20];
	out[n] = '\0';
}

static void make_districts(synth_city *c)
{
	int d = 0, count = 0;
	for (int64_t i = 0; i < c->nareas; i++) {
		synth_area *a = &c->areas[i];
		if (i > 0) {
			const synth_area *prev = &c->areas[i - 1];
			size_t la = strlen(a->name), lp = strlen(prev->name);
			bool same_msoa =
			    la == lp && la > 1 && strncmp(a->name, prev->name, la - 1) == 0;
			if ((count >= 12 && !same_msoa) || count >= 20) {
				d++;
				count = 0;
			}
		}
		a->district = d;
		count++;
	}
	c->ndistricts = d + 1;
}

/* -------------------------------------------------------- organisations */

static void org_name(synth_rng *r, char *out, size_t cap)
{
	static const char *const forms[] = {"%sfield Surgery",       "The %s Medical Practice",
	                                    "%s Lane Health Centre", "%s Road Surgery",
	                                    "%s Family Practice",    "%s Medical Centre",
	                                    "The %s Surgery",        "%s Park Practice"};
	const char *w = synth_place_word(r);
	const char *form = forms[synth_rng_below(r, sizeof forms / sizeof forms[0])];
	/* the forms are fixed literals chosen above; build without a format call */
	size_t n = 0;
	for (const char *f = form; *f && n + 1 < cap; f++) {
		if (f[0] == '%' && f[1] == 's') {
			for (const char *q = w; *q && n + 1 < cap; q++)
				out[n++] = *q;
			f++;
		} else {
			out[n++] = *f;
		}
	}
	out[n] = '\0';
}

static void add_org(synth_city *c, int kind, const char *code, const char *name, bool part,
                    int district, uint32_t unit)
{
	synth_org *o = &c->orgs[c->norgs++];
	memset(o, 0, sizeof *o);
	size_t cl = strlen(code), nl = strlen(name);
	memcpy(o->code, code, cl < sizeof o->code ? cl + 1 : sizeof o->code - 1);
	memcpy(o->name, name, nl < sizeof o->name ? nl + 1 : sizeof o->name - 1);
	o->kind = kind;
	o->participating = part;
	synth_postcode(c, district, unit, o->postcode);
}

static void add_practices(synth_city *c, synth_rng *r)
{
	int p = c->npractices, nonpart = 0;
	for (int j = 0; j < p; j++) {
		char code[8] = "Y", name[128];
		int v = 90001 + j;
		for (int k = 5; k >= 1; k--, v /= 10)
			code[k] = (char)('0' + v % 10);
		code[6] = '\0';
		org_name(r, name, sizeof name);
		bool part = !synth_rng_chance(r, 0.1);
		nonpart += !part;
		/* place the practice in the first area it serves */
		int district = 0;
		for (int64_t a = 0; a < c->nareas; a++)
			if (c->areas[a].practice == j) {
				district = c->areas[a].district;
				break;
			}
		add_org(c, SYNTH_K_GP, code, name, part, district, 3999u - (uint32_t)(j % 50));
	}
	if (p >= 3 && nonpart == 0) /* every city shows a practice that does not take part */
		c->orgs[synth_rng_below(r, (uint32_t)p)].participating = false;
}

static void assign_areas(synth_city *c)
{
	int64_t n = c->o->people, cum = 0;
	for (int64_t a = 0; a < c->nareas; a++) {
		synth_area *ar = &c->areas[a];
		int64_t mid = cum + ar->people / 2;
		ar->practice = (int)((mid * c->npractices) / (n > 0 ? n : 1));
		if (ar->practice >= c->npractices)
			ar->practice = c->npractices - 1;
		cum += ar->people;
		ar->trust = a * 2 < c->nareas ? 0 : 1;
		ar->locality = (int)((a * 5) / c->nareas);
	}
}

jup_status synth_city_orgs(synth_city *c, jup_err *err)
{
	make_districts(c);
	postcode_letters(c);
	int64_t p = (c->o->people + 4000) / 8000;
	c->npractices = (int)(p < 2 ? 2 : p);
	c->orgs = calloc((size_t)c->npractices + 4, sizeof *c->orgs);
	if (!c->orgs)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory for organisations");
	assign_areas(c);
	synth_rng r;
	synth_rng_init(&r, c->seed, SYNTH_TAG_ORGS, 0);
	add_practices(c, &r);
	char name[128];
	int mid = c->ndistricts / 2, last = c->ndistricts - 1;
	c->trust0 = c->norgs;
	snprintf(name, sizeof name, "%s General Hospitals NHS Trust", c->town);
	add_org(c, SYNTH_K_TRUST, "R9A", name, true, 0, 3900);
	snprintf(name, sizeof name, "%s and District Hospitals NHS Foundation Trust", c->town);
	add_org(c, SYNTH_K_TRUST, "R9B", name, true, last, 3900);
	c->council = c->norgs;
	snprintf(name, sizeof name, "%s Council", c->town);
	add_org(c, SYNTH_K_COUNCIL, c->lad_code, name, true, mid, 3901);
	c->hospice = c->norgs;
	snprintf(name, sizeof name, "%swood Hospice", synth_place_word(&r));
	add_org(c, SYNTH_K_HOSPICE, "H9A01", name, true, mid, 3902);
	return JUP_OK;
}

void synth_city_write_orgs(synth_city *c)
{
	static const char *const kinds[] = {"gp_practice", "hospital_trust", "council", "hospice"};
	synth_out *o = &c->out[SYNTH_F_ORGS];
	for (int i = 0; i < c->norgs; i++) {
		const synth_org *g = &c->orgs[i];
		synth_row_begin(o);
		synth_put(o, g->code);
		synth_sep(o);
		synth_put_csv(o, g->name);
		synth_sep(o);
		synth_put(o, kinds[g->kind]);
		synth_sep(o);
		synth_put_char(o, g->participating ? 'Y' : 'N');
		synth_sep(o);
		synth_put(o, g->postcode);
		synth_row_end(o);
	}
}

void synth_city_free(synth_city *c)
{
	free(c->areas);
	free(c->orgs);
	free(c->nhs);
	free(c->nhs_slot);
	synth_names_free(c->names);
	c->areas = NULL;
	c->orgs = NULL;
	c->nhs = NULL;
	c->nhs_slot = NULL;
	c->names = NULL;
}
