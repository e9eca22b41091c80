/*
 * pkt_check.h: helpers for the dissector tests: packets from hex text,
 * dissection into exactly-sized heap copies (so ASan sees any read past
 * caplen), the invariants every dissected view must keep, and the "cut the
 * capture at every byte" sweep.
 */
#ifndef ND_TEST_PKT_CHECK_H
#define ND_TEST_PKT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* Parses hex digits (spaces, newlines and '|' ignored) into out; returns
 * the byte count.  Fails the test on bad input or overflow. */
size_t pkt_hex(uint8_t *out, size_t max, const char *hex);

/* Dissects len bytes of pkt (copied to a heap block of exactly caplen
 * bytes, freed by the next call or pkt_check_done) with caplen bytes
 * captured of wire_len.  Returns the view (static storage), after checking
 * its invariants.  rc receives nd_packet_dissect_raw's result if not NULL. */
const struct nd_packet *pkt_dissect(int dlt, const uint8_t *pkt,
				    uint32_t caplen, uint32_t wire_len,
				    int *rc);

/* Shorthand: whole packet captured. */
const struct nd_packet *pkt_dissect_full(int dlt, const uint8_t *pkt,
					 uint32_t len);

/* Fails the test unless every span lies inside caplen, the bitmask matches
 * the spans, payload lies inside caplen, and names exist; also runs every
 * app-layer accessor and formatter and checks their outputs likewise. */
void pkt_check_invariants(const struct nd_packet *p);

/* Dissects every prefix of pkt (caplen 0..len, wire length len) and checks
 * invariants and the TRUNCATED flag for each. */
void pkt_check_truncations(int dlt, const uint8_t *pkt, uint32_t len);

/* The layers of p as short names joined by ':' (static buffer). */
const char *pkt_layers(const struct nd_packet *p);

/* Frees the heap copy. */
void pkt_check_done(void);

#endif
