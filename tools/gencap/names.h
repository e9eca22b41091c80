/*
 * names.h: the pool of host names the generator draws DNS query names, TLS
 * SNIs and HTTP Host headers from.  Built once from the seed: registrable
 * domains from syllables and a TLD (some two-label, "co.uk"), with host
 * prefixes of zero to three labels ("www", "api", "r3.sn-4d.cdn", ...),
 * a few in mixed case ("Www.Example.COM"), a few with 63-byte labels.
 * Names are ASCII letters, digits, '-', '_' and '.', at most 220 bytes,
 * no trailing dot.  gencap_names_domain_off gives where the
 * registrable domain starts, so DNS answers can point into the query name.
 */
#ifndef GENCAP_NAMES_H
#define GENCAP_NAMES_H

#include <stdint.h>

#include "rng.h"

#define GENCAP_NAMES 4096

/* Builds the pool; returns 0 or -ENOMEM. */
int gencap_names_init(uint64_t seed);
void gencap_names_free(void);

const char *gencap_names_get(uint32_t idx);
/* The same name in lower case (what TLS clients and browsers send). */
const char *gencap_names_lower(uint32_t idx);
unsigned gencap_names_len(uint32_t idx);
/* Offset of the registrable domain inside the name (0 when bare). */
unsigned gencap_names_domain_off(uint32_t idx);
/* A popular-skewed random index. */
uint32_t gencap_names_pick(struct gencap_rng *r);

#endif
