/*
 * frames.h: crafted frames for the chef tests, dissected by the real
 * dissector (nd_packet_dissect_raw), so chefs see exactly what a kitchen
 * would give them.
 */
#ifndef ND_TEST_FRAMES_H
#define ND_TEST_FRAMES_H

#include "packet.h"

#include <stddef.h>
#include <stdint.h>

struct ct_frame {
	uint8_t buf[2048];
	size_t len;
	struct nd_packet pkt;
};

/* Each builds an Ethernet frame (addresses as text, "10.0.0.1" or
 * "2001:db8::1"; the IP version follows from the text), dissects it with
 * capture time ts_sec.ts_usec, and returns &f->pkt. */
struct nd_packet *ct_udp(struct ct_frame *f, const char *src, uint16_t sport, const char *dst,
			 uint16_t dport, const void *payload, size_t plen, long ts_sec, long ts_usec);
struct nd_packet *ct_tcp(struct ct_frame *f, const char *src, uint16_t sport, const char *dst,
			 uint16_t dport, const void *payload, size_t plen, long ts_sec, long ts_usec);
/* A TCP segment without payload and with the given flags (ND_TCP_*). */
struct nd_packet *ct_tcp_flags(struct ct_frame *f, const char *src, uint16_t sport,
			       const char *dst, uint16_t dport, uint16_t flags, long ts_sec,
			       long ts_usec);
struct nd_packet *ct_icmp4(struct ct_frame *f, const char *src, const char *dst, long ts_sec,
			   long ts_usec);
/* ARP over Ethernet/IPv4: op 1 request, 2 reply; hardware addresses as
 * "aa:bb:cc:dd:ee:ff". */
struct nd_packet *ct_arp(struct ct_frame *f, uint16_t op, const char *sha, const char *spa,
			 const char *tha, const char *tpa, long ts_sec, long ts_usec);

/* Application payloads; each returns its length. */
size_t ct_dns_message(uint8_t *buf, size_t size, uint16_t id, const char *qname, int response);
size_t ct_tls_client_hello(uint8_t *buf, size_t size, const char *sni);

#endif
