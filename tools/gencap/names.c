/*
 * names.c: the host-name pool (see names.h).  All names live in one
 * allocation; the pool is read-only after gencap_names_init.
 */
#include "names.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CAP 256

static char *pool;  /* as sent in DNS questions */
static char *lpool; /* lower-cased, as clients send SNI and Host */
static uint16_t lens[GENCAP_NAMES];
static uint16_t doms[GENCAP_NAMES];

static const char *const syllables[] = {
	"ka", "lo", "mi", "ne", "tor", "ban", "zu", "fle", "gle", "dum", "pling", "sri",
	"ra", "cha", "mad", "ness", "flo", "ople", "net", "ex", "am", "ple", "shop", "go",
	"pix", "cloud", "data", "hub", "lab", "byte", "nova", "terra", "quick", "blue",
};
static const char *const tlds[] = {
	"com", "com", "com", "net", "org", "io", "co.uk", "de", "fr", "jp", "com.au", "dev",
};
static const char *const prefixes[] = {
	"", "", "www", "www", "api", "cdn", "mail", "static", "img", "login", "m",
	"ws.api", "eu-west-1.s3", "assets.cdn", "r3.sn-4d.media", "a.b.c.tracker", "ns1",
	"push", "time", "updates", "edge-7.pop.fra", "v2.api", "_dmarc",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char long_label[] =
	"abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz0123456789";

/* Upper-cases the first letter of each label and the whole last label. */
static void mixed_case(char *name)
{
	char *last = strrchr(name, '.');

	for (char *p = name; *p; p++) {
		bool start = p == name || p[-1] == '.';

		if ((start || (last && p > last)) && *p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	}
}

static size_t make_domain(struct gencap_rng *r, char *out, size_t cap)
{
	size_t n = 0;
	unsigned k = gencap_rng_range(r, 2, 4);

	for (unsigned i = 0; i < k; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s", syllables[gencap_rng_below(r, N(syllables))]);
	if (gencap_rng_chance(r, 150))
		n += (size_t)snprintf(out + n, cap - n, "%u", gencap_rng_below(r, 100));
	if (gencap_rng_chance(r, 100))
		n += (size_t)snprintf(out + n, cap - n, "-%s", syllables[gencap_rng_below(r, N(syllables))]);
	n += (size_t)snprintf(out + n, cap - n, ".%s", tlds[gencap_rng_below(r, N(tlds))]);
	return n;
}

int gencap_names_init(uint64_t seed)
{
	struct gencap_rng r;
	char dom[NAME_CAP];

	pool = malloc((size_t)GENCAP_NAMES * NAME_CAP);
	lpool = malloc((size_t)GENCAP_NAMES * NAME_CAP);
	if (!pool || !lpool) {
		gencap_names_free();
		return -ENOMEM;
	}
	gencap_rng_seed(&r, seed ^ 0x6e616d6573ULL);
	for (uint32_t i = 0; i < GENCAP_NAMES; i++) {
		char *out = pool + (size_t)i * NAME_CAP;
		const char *pre;
		int n;

		/* Several hosts share a registrable domain. */
		if (i % 4 == 0 || i < 4)
			make_domain(&r, dom, sizeof(dom));
		pre = prefixes[gencap_rng_below(&r, N(prefixes))];
		if (*pre)
			n = snprintf(out, NAME_CAP, "%s.%s", pre, dom);
		else
			n = snprintf(out, NAME_CAP, "%s", dom);
		doms[i] = (uint16_t)(*pre ? strlen(pre) + 1 : 0);
		if (i % 1024 == 7) /* maximum-length labels, a 200-byte name */
			n = snprintf(out, NAME_CAP, "%.63s.%.63s.%.63s.%s", long_label, long_label + 1,
				     long_label + 2, dom);
		if (i % 1024 == 7)
			doms[i] = 3 * 64;
		if (i % 97 == 5) /* names are case-insensitive and kept as sent */
			mixed_case(out);
		lens[i] = (uint16_t)n;
		for (int k = 0; k <= n; k++)
			lpool[(size_t)i * NAME_CAP + (size_t)k] =
				(char)(out[k] >= 'A' && out[k] <= 'Z' ? out[k] - 'A' + 'a' : out[k]);
	}
	return 0;
}

void gencap_names_free(void)
{
	free(pool);
	free(lpool);
	pool = lpool = NULL;
}

const char *gencap_names_get(uint32_t idx)
{
	return pool + (size_t)(idx % GENCAP_NAMES) * NAME_CAP;
}

const char *gencap_names_lower(uint32_t idx)
{
	return lpool + (size_t)(idx % GENCAP_NAMES) * NAME_CAP;
}

unsigned gencap_names_len(uint32_t idx)
{
	return lens[idx % GENCAP_NAMES];
}

unsigned gencap_names_domain_off(uint32_t idx)
{
	return doms[idx % GENCAP_NAMES];
}

uint32_t gencap_names_pick(struct gencap_rng *r)
{
	return gencap_rng_skewed(r, GENCAP_NAMES);
}
