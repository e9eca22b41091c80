/*
 * rng.c: seeding and helpers for the generator's PRNG (see rng.h).
 */
#include <stddef.h>

#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void gencap_rng_seed(struct gencap_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

void gencap_rng_fill(struct gencap_rng *r, uint8_t *p, size_t n)
{
	while (n > 0) {
		uint64_t v = gencap_rng_next(r);

		for (int i = 0; i < 8 && n > 0; i++, n--) {
			*p++ = (uint8_t)v;
			v >>= 8;
		}
	}
}

uint32_t gencap_rng_skewed(struct gencap_rng *r, uint32_t n)
{
	double u = gencap_rng_unit(r);

	return (uint32_t)((double)n * u * u * u);
}
