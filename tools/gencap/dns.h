/*
 * dns.h: DNS messages (RFC 1035) for the generator: one question, and in
 * responses A/AAAA/CNAME/MX answers whose owner names and targets are
 * compression pointers into the question (0xc00c, or the registrable
 * domain inside it), sometimes NXDOMAIN, sometimes an EDNS OPT record.
 */
#ifndef GENCAP_DNS_H
#define GENCAP_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

struct gencap_dns_msg {
	uint16_t id;
	uint16_t qtype;
	uint32_t name; /* index into the name pool */
	int response;
	int edns;
	/* set by gencap_dns_build for responses */
	uint16_t ancount;
	uint8_t rcode;
};

/* Writes the message into out (cap >= 512); returns its length. */
size_t gencap_dns_build(uint8_t *out, size_t cap, struct gencap_dns_msg *m, struct gencap_rng *r);

/* A query type with a realistic spread (A, AAAA, HTTPS, MX). */
uint16_t gencap_dns_pick_qtype(struct gencap_rng *r);

#endif
