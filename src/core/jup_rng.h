/*
 * jup_rng.h - a small, fast, seedable pseudo-random generator.
 *
 * xoshiro256** (Blackman and Vigna) seeded through splitmix64. Not for
 * secrets (those come from libsodium); for reproducible sampling and the
 * synthetic city, where the same seed must give the same numbers everywhere.
 */
#ifndef JUP_RNG_H
#define JUP_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct jup_rng {
	uint64_t s[4];
} jup_rng;

/* jup_splitmix64: one step of splitmix64 over *x (a good 64-bit mixer). */
static inline uint64_t jup_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* jup_rng_seed: a generator whose numbers depend only on seed. */
static inline void jup_rng_seed(jup_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = jup_splitmix64(&seed);
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

static inline uint64_t jup_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* jup_rng_next: the next 64 random bits. */
static inline uint64_t jup_rng_next(jup_rng *r)
{
	uint64_t *s = r->s;
	const uint64_t result = jup_rng_rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = jup_rng_rotl(s[3], 45);
	return result;
}

#endif
