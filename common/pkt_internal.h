/*
 * pkt_internal.h: how the per-protocol dissectors hand over to each other.
 *
 * Each dissector reads its header at `off` through a cursor bounded by
 * `end` (never beyond caplen; an inner length claim may shrink it), records
 * its layer and fields, and calls the next one.  None returns anything: a
 * short or inconsistent header sets ND_PKT_SHORT / ND_PKT_MALFORMED and
 * ends the chain.  Internal to common/ (nd__pkt_ names).
 */
#ifndef ND_PKT_INTERNAL_H
#define ND_PKT_INTERNAL_H

#include <stdint.h>

#include "packet.h"
#include "pkt_cursor.h"

/* Ethertypes and IP protocol numbers the dissectors know. */
#define ND_ETH_IPV4 0x0800
#define ND_ETH_ARP 0x0806
#define ND_ETH_DOT1Q 0x8100
#define ND_ETH_DOT1AD 0x88a8
#define ND_ETH_QINQ_OLD 0x9100
#define ND_ETH_IPV6 0x86dd

#define ND_IPPROTO_HOPOPTS 0
#define ND_IPPROTO_ICMP 1
#define ND_IPPROTO_TCP 6
#define ND_IPPROTO_UDP 17
#define ND_IPPROTO_ROUTING 43
#define ND_IPPROTO_FRAGMENT 44
#define ND_IPPROTO_ICMPV6 58
#define ND_IPPROTO_DSTOPTS 60

/* Appends a layer; false when the list is full (only a long run of ND
 * options can fill it: the other chains are bounded well below it). */
static inline bool nd__pkt_push(struct nd_packet *p, enum nd_layer id,
				uint32_t off, uint32_t len)
{
	struct nd_layer_span *s;

	if (p->nlayers >= ND_PACKET_MAX_LAYERS)
		return false;
	s = &p->layer[p->nlayers++];
	s->id = (uint8_t)id;
	s->sub = 0;
	s->off = off;
	s->len = len;
	p->layers |= ND_LAYER_BIT(id);
	return true;
}

/* Marks the chain ended by a header cut off at `end`. */
static inline void nd__pkt_short(struct nd_packet *p)
{
	p->flags |= ND_PKT_SHORT;
}

static inline void nd__pkt_malformed(struct nd_packet *p)
{
	p->flags |= ND_PKT_MALFORMED;
}

/* Link-layer dispatch on p->dlt, once p is reset.  Returns 0 or
 * -EPROTONOSUPPORT. */
int nd__pkt_link(struct nd_packet *p);

/* Layer after a link header: by ethertype (VLAN tags, ARP, IPv4, IPv6);
 * anything else becomes Raw. */
void nd__pkt_ethertype(struct nd_packet *p, uint16_t type, uint32_t off);

void nd__pkt_arp(struct nd_packet *p, uint32_t off);
void nd__pkt_ipv4(struct nd_packet *p, uint32_t off);
void nd__pkt_ipv6(struct nd_packet *p, uint32_t off);

/* Transport dispatch: proto's header at off, IP payload ends at end. */
void nd__pkt_transport(struct nd_packet *p, uint8_t proto, uint32_t off,
		       uint32_t end);
void nd__pkt_tcp(struct nd_packet *p, uint32_t off, uint32_t end);
void nd__pkt_udp(struct nd_packet *p, uint32_t off, uint32_t end);
void nd__pkt_icmp(struct nd_packet *p, uint32_t off, uint32_t end);
void nd__pkt_icmpv6(struct nd_packet *p, uint32_t off, uint32_t end);

/* The datagram quoted by an ICMP (version 4) or ICMPv6 (6) error, from
 * off to end: its headers as layers, nothing else. */
void nd__pkt_icmp_quote(struct nd_packet *p, int version, uint32_t off,
			uint32_t end);

/* True for the Neighbor Discovery option types scapy dissects (and that
 * nd_packet_layer_name can name). */
bool nd__pkt_ndopt_known(uint8_t type);

/* Records [off, end) as Raw if non-empty. */
void nd__pkt_raw(struct nd_packet *p, uint32_t off, uint32_t end);

/* Records [end, caplen) as Padding if non-empty and nothing has claimed it
 * yet (called by the layer whose length claim ends before the capture). */
void nd__pkt_padding(struct nd_packet *p, uint32_t end);

#endif
