/*
 * pkt_icmp.c: ICMP (RFC 792) and ICMPv6 (RFC 4443).
 *
 *   +---------------+---------------+-------------------------------+
 *   |     Type      |     Code      |           Checksum            |
 *   +---------------+---------------+-------------------------------+
 *   |  rest of header (echo: Identifier 16 | Sequence Number 16)   |
 *   +---------------------------------------------------------------+
 * The 8-byte header must be captured whole.  For ICMP the body after it is
 * Raw, except for errors (types 3, 4, 5, 11, 12), whose quoted datagram
 * goes to pkt_icmp_quote.c.  For ICMPv6 the body stays inside the layer,
 * as scapy keeps it inside its per-type ICMPv6 classes, except for errors
 * (types 1-4: quoted datagram, as for ICMP) and Neighbor Discovery
 * messages (RFC 4861), whose options are layers of their own:
 *   +--------+--------+----------------------+
 *   | type 1 | len 1  | (len * 8 - 2) bytes  |   len 0 is invalid
 *   +--------+--------+----------------------+
 * An option type scapy does not know ends the chain as Raw, as in scapy.
 */
#include "pkt_internal.h"

/* Fixed part of a Neighbor Discovery message, or 0 if not one. */
static uint32_t nd_pkt_nd_fixed(uint8_t type)
{
	switch (type) {
	case 133: /* Router Solicitation */
	case 141: /* Inverse ND Solicitation */
	case 142: /* Inverse ND Advertisement */
		return 8;
	case 134: /* Router Advertisement */
		return 16;
	case 135: /* Neighbor Solicitation */
	case 136: /* Neighbor Advertisement */
		return 24;
	case 137: /* Redirect */
		return 40;
	default:
		return 0;
	}
}

static void nd_pkt_nd_options(struct nd_packet *p, uint32_t pos, uint32_t end)
{
	while (end - pos > 1) {
		uint8_t type = p->data[pos];
		uint32_t olen = (uint32_t)p->data[pos + 1] * 8;

		if (!nd__pkt_ndopt_known(type)) {
			nd__pkt_raw(p, pos, end);
			return;
		}
		if (olen == 0) {
			nd__pkt_malformed(p);
			nd__pkt_raw(p, pos, end);
			return;
		}
		if (olen > end - pos)
			olen = end - pos; /* cut off: what is there */
		if (p->nlayers >= ND_PACKET_MAX_LAYERS)
			return; /* no room to record more */
		nd__pkt_push(p, ND_LAYER_ICMPV6_NDOPT, pos, olen);
		p->layer[p->nlayers - 1].sub = type;
		pos += olen;
	}
	nd__pkt_raw(p, pos, end);
}

static bool nd_pkt_icmp_common(struct nd_packet *p, enum nd_layer id,
			       uint32_t off, uint32_t end, bool is_echo_v6)
{
	struct nd_cursor c;
	uint8_t type, code;
	uint16_t id16, seq;
	bool echo;

	nd_cur_init(&c, p->data, end, off);
	type = nd_cur_u8(&c);
	code = nd_cur_u8(&c);
	nd_cur_skip(&c, 2);
	id16 = nd_cur_be16(&c);
	seq = nd_cur_be16(&c);
	if (c.err) {
		nd__pkt_short(p);
		return false;
	}
	if (!nd__pkt_push(p, id, off, id == ND_LAYER_ICMP ? 8 : end - off))
		return false;
	p->icmp.type = type;
	p->icmp.code = code;
	echo = is_echo_v6 ? (type == 128 || type == 129)
			  : (type == 0 || type == 8);
	if (echo) {
		p->icmp.id = id16;
		p->icmp.seq = seq;
	}
	p->payload_off = c.off;
	p->payload_len = end - c.off;
	return true;
}

void nd__pkt_icmp(struct nd_packet *p, uint32_t off, uint32_t end)
{
	if (!nd_pkt_icmp_common(p, ND_LAYER_ICMP, off, end, false))
		return;
	switch (p->icmp.type) {
	case 3:  /* destination unreachable */
	case 4:  /* source quench */
	case 5:  /* redirect */
	case 11: /* time exceeded */
	case 12: /* parameter problem */
		nd__pkt_icmp_quote(p, 4, off + 8, end);
		break;
	default:
		nd__pkt_raw(p, off + 8, end);
		break;
	}
}

void nd__pkt_icmpv6(struct nd_packet *p, uint32_t off, uint32_t end)
{
	uint32_t fixed;

	if (!nd_pkt_icmp_common(p, ND_LAYER_ICMPV6, off, end, true))
		return;
	if (p->icmp.type >= 1 && p->icmp.type <= 4) {
		p->layer[p->nlayers - 1].len = 8;
		nd__pkt_icmp_quote(p, 6, off + 8, end);
		return;
	}
	fixed = nd_pkt_nd_fixed(p->icmp.type);
	if (fixed == 0 || fixed > end - off)
		return;
	p->layer[p->nlayers - 1].len = fixed;
	nd_pkt_nd_options(p, off + fixed, end);
}
