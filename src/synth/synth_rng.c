/*
 * synth_rng.c - the synthetic city's randomness: xoshiro256** streams
 * seeded through splitmix64 from (seed, tag, index), and keyed bijections.
 *
 * Every decision about a resident draws from the stream of (seed, person
 * index), so a resident's life does not depend on how many numbers other
 * residents drew: output is a pure function of the options.
 */
#include "synth/synth_internal.h"

#include <math.h>

uint64_t synth_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void synth_rng_init(synth_rng *r, uint64_t seed, uint64_t tag, uint64_t index)
{
	uint64_t x = synth_mix64(seed) ^ synth_mix64(tag * 0x2545f4914f6cdd1dull + 17);
	x = synth_mix64(x ^ (index * 0x9e3779b97f4a7c15ull));
	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ull;
		r->s[i] = synth_mix64(x);
	}
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

uint64_t synth_rng_next(synth_rng *r)
{
	return jup_rng_next(r);
}

double synth_rng_unit(synth_rng *r)
{
	return (double)(synth_rng_next(r) >> 11) * 0x1.0p-53;
}

uint32_t synth_rng_below(synth_rng *r, uint32_t n)
{
	/* Lemire's multiply-shift; the tiny bias is irrelevant here */
	return (uint32_t)(((synth_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int synth_rng_range(synth_rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)synth_rng_below(r, (uint32_t)(hi - lo + 1));
}

bool synth_rng_chance(synth_rng *r, double p)
{
	return synth_rng_unit(r) < p;
}

double synth_rng_normal(synth_rng *r)
{
	double u1 = synth_rng_unit(r), u2 = synth_rng_unit(r);
	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

int synth_rng_poisson(synth_rng *r, double lambda)
{
	if (lambda <= 0)
		return 0;
	if (lambda > 30) {
		double v = lambda + sqrt(lambda) * synth_rng_normal(r) + 0.5;
		return v < 0 ? 0 : (int)v;
	}
	double limit = exp(-lambda), prod = synth_rng_unit(r);
	int k = 0;
	while (prod > limit) {
		prod *= synth_rng_unit(r);
		k++;
	}
	return k;
}

size_t synth_rng_pick(synth_rng *r, const uint32_t *cum, size_t n)
{
	uint32_t x = synth_rng_below(r, cum[n - 1]);
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void synth_perm_init(synth_perm *p, uint64_t n, uint64_t seed, uint64_t tag)
{
	unsigned bits = 2;
	while (bits < 62 && (1ull << bits) < n)
		bits++;
	if (bits & 1)
		bits++;
	p->n = n;
	p->half = bits / 2;
	p->mask = (1ull << p->half) - 1;
	synth_rng r;
	synth_rng_init(&r, seed, SYNTH_TAG_ID, tag);
	for (int i = 0; i < 4; i++)
		p->key[i] = synth_rng_next(&r);
}

static uint64_t feistel(const synth_perm *p, uint64_t x)
{
	uint64_t l = x >> p->half, rr = x & p->mask;
	for (int i = 0; i < 4; i++) {
		uint64_t f = synth_mix64(rr ^ p->key[i]) & p->mask;
		uint64_t nl = rr;
		rr = l ^ f;
		l = nl;
	}
	return (l << p->half) | rr;
}

uint64_t synth_perm_apply(const synth_perm *p, uint64_t i)
{
	uint64_t x = feistel(p, i);
	while (x >= p->n)
		x = feistel(p, x);
	return x;
}
