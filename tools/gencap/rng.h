/*
 * rng.h: the generator's only source of randomness, xoshiro256** seeded
 * through splitmix64.  Same seed, same stream, on every platform: the
 * generator's output depends on nothing else (no clock, no libc rand).
 */
#ifndef GENCAP_RNG_H
#define GENCAP_RNG_H

#include <stddef.h>
#include <stdint.h>

struct gencap_rng {
	uint64_t s[4];
};

void gencap_rng_seed(struct gencap_rng *r, uint64_t seed);

static inline uint64_t gencap_rng_next(struct gencap_rng *r)
{
	uint64_t *s = r->s;
	uint64_t x = s[1] * 5;
	uint64_t result = ((x << 7) | (x >> 57)) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return result;
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t gencap_rng_below(struct gencap_rng *r, uint32_t n)
{
	return (uint32_t)(((gencap_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline uint32_t gencap_rng_range(struct gencap_rng *r, uint32_t lo, uint32_t hi)
{
	return lo + gencap_rng_below(r, hi - lo + 1);
}

/* True with probability permille / 1000. */
static inline int gencap_rng_chance(struct gencap_rng *r, uint32_t permille)
{
	return gencap_rng_below(r, 1000) < permille;
}

/* Uniform in [0, 1). */
static inline double gencap_rng_unit(struct gencap_rng *r)
{
	return (double)(gencap_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Fills n bytes. */
void gencap_rng_fill(struct gencap_rng *r, uint8_t *p, size_t n);

/* An exponential variate with mean 1, in Q16 fixed point, computed with
 * integers only (a table of log2), so every platform gives the same. */
uint64_t gencap_rng_exp_q16(struct gencap_rng *r);

/* Index in [0, n) skewed towards 0 (a few names are popular). */
uint32_t gencap_rng_skewed(struct gencap_rng *r, uint32_t n);

#endif
