/*
 * pkt_icmp.c: ICMP (RFC 792) and ICMPv6 (RFC 4443).
 *
 *   +---------------+---------------+-------------------------------+
 *   |     Type      |     Code      |           Checksum            |
 *   +---------------+---------------+-------------------------------+
 *   |  rest of header (echo: Identifier 16 | Sequence Number 16)   |
 *   +---------------------------------------------------------------+
 * The 8-byte header must be captured whole.  For ICMP the body after it is
 * Raw (scapy would dissect an error's quoted IP header as "IP in ICMP";
 * we do not).  For ICMPv6 the body stays inside the layer, as scapy keeps
 * it inside its per-type ICMPv6 classes.
 */
#include "pkt_internal.h"

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
	if (nd_pkt_icmp_common(p, ND_LAYER_ICMP, off, end, false))
		nd__pkt_raw(p, off + 8, end);
}

void nd__pkt_icmpv6(struct nd_packet *p, uint32_t off, uint32_t end)
{
	nd_pkt_icmp_common(p, ND_LAYER_ICMPV6, off, end, true);
}
