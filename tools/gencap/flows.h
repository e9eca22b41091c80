/*
 * flows.h: conversations.  The generator keeps a few dozen conversations
 * open at once and interleaves their packets; each conversation is a
 * small state machine that emits one frame per call (a DNS query and its
 * response, a TCP connection from SYN to FIN, an ARP exchange, a ping, a
 * burst of UDP datagrams) and records what it emitted in the ground truth.
 */
#ifndef GENCAP_FLOWS_H
#define GENCAP_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include "dns.h"
#include "frame.h"
#include "hosts.h"
#include "rng.h"
#include "truth.h"

enum gencap_kind {
	GK_DNS_UDP,
	GK_DNS_TCP,
	GK_TLS,
	GK_HTTP,
	GK_TCP_BULK,
	GK_UDP_OTHER,
	GK_ARP,
	GK_ICMP,
	GK_COUNT
};

#define GENCAP_NOISE 65536

/* State shared by every conversation of one run. */
struct gencap_ctx {
	struct gencap_rng rng;
	struct gencap_net net;
	struct gencap_truth *truth;
	uint64_t ts_us; /* timestamp of the frame being built */
	uint8_t noise[GENCAP_NOISE + GENCAP_FRAME_MAX]; /* payload bytes */
};

struct gencap_conv {
	enum gencap_kind kind;
	int step;
	bool done;
	struct gencap_host *cli;
	const uint8_t *smac; /* next hop of the server side */
	bool v6;
	uint8_t sip[16];
	uint16_t sport, dport;
	uint32_t cseq, sseq, tsval;
	uint16_t cid, sid; /* IPv4 ids */
	int rounds, segs, reqs;
	uint32_t body_left;
	uint32_t name;
	struct gencap_dns_msg dns;
	/* ARP */
	int arp_event;
	struct gencap_host *peer;
};

/* Starts a conversation of `kind`. */
void gencap_conv_start(struct gencap_ctx *c, struct gencap_conv *v, enum gencap_kind kind);
/* Emits the conversation's next frame into f (finished) and records it in
 * the truth; sets v->done after the last one. */
void gencap_conv_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f);

/* Internal to flows.c / tcpflow.c. */
void gencap_tcp_start(struct gencap_ctx *c, struct gencap_conv *v);
void gencap_tcp_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f);
/* Ethernet (+tags) and IP header for one direction of v. */
void gencap_conv_ip(struct gencap_conv *v, struct gencap_frame *f, bool from_client, uint8_t proto);
/* Finishes f and counts it in the truth; app-level truth goes after. */
void gencap_conv_seal(struct gencap_ctx *c, struct gencap_frame *f);
/* Appends n pseudo-random payload bytes. */
void gencap_conv_noise(struct gencap_ctx *c, struct gencap_frame *f, size_t n);
/* An ephemeral client port (49152-65535: no protocol scapy decodes). */
uint16_t gencap_conv_ephemeral(struct gencap_ctx *c);

#endif
