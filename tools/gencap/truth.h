/*
 * truth.h: the ground truth of a generated capture, written as one JSON
 * document (format in docs/bench.md).  Layer counts are in scapy's terms
 * (what netdumplings' PacketCountChef reports); the lists (DNS packets,
 * ARP packets, TLS SNIs, HTTP Hosts) are in capture order with 1-based
 * frame numbers, and can be left out for huge captures.
 * The ARP list carries the note netdumplings' ARPChef would attach.
 */
#ifndef GENCAP_TRUTH_H
#define GENCAP_TRUTH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "frame.h"

struct gencap_truth;

struct gencap_truth_meta {
	const char *profile;
	const char *format;
	uint64_t seed;
	double rate;
};

/* Constructor; keeps the ordered lists when `lists`.  NULL on ENOMEM. */
struct gencap_truth *gencap_truth_new(bool lists);
void gencap_truth_free(struct gencap_truth *t);

/* Counts a finished frame (its layers and length) at time ts_us. */
void gencap_truth_packet(struct gencap_truth *t, const struct gencap_frame *f, uint64_t ts_us);

/* Records the DNS message in the frame just counted. */
void gencap_truth_dns(struct gencap_truth *t, uint32_t name, int qr, uint16_t qtype,
		      uint16_t ancount, uint8_t rcode, bool tcp);
void gencap_truth_arp(struct gencap_truth *t, uint16_t op, const uint8_t sha[6],
		      const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4]);
/* A ClientHello; name < 0 when it has no server_name. */
void gencap_truth_sni(struct gencap_truth *t, int64_t name);
/* An HTTP request; port 0 when the Host header has none. */
void gencap_truth_http(struct gencap_truth *t, uint32_t name, uint16_t port);
/* Counts a TCP connection opened (its SYN). */
void gencap_truth_tcp_open(struct gencap_truth *t);

/* Writes the document; returns 0 or -errno.  -ENOMEM if any list could
 * not grow (the document would be incomplete). */
int gencap_truth_write(const struct gencap_truth *t, FILE *fp, const struct gencap_truth_meta *m);

#endif
