/*
 * pkt_icmp_quote.c: the datagram an ICMP error quotes (RFC 792: the IP
 * header and at least 8 bytes of its payload; RFC 4443: as much of the
 * invoking packet as fits).
 *
 * Its headers become layers named as scapy names them ("IP in ICMP",
 * "IPv6 in ICMPv6", "TCP in ICMP", "UDP in ICMP", "ICMP in ICMP"), so that
 * per-layer counts match; none of its fields go into the view, whose
 * addresses and ports stay the outer packet's.  The quoted transport
 * header is usually cut short (8 bytes of TCP): its layer covers what is
 * there.  A quoted UDP payload on port 53/5353 is a DNS layer, as in
 * scapy; everything else after the quoted headers is Raw.  Quoted
 * extension headers, ICMPv6 and nested errors are Raw.
 */
#include "pkt_internal.h"

static void nd_pkt_quote_l4(struct nd_packet *p, uint8_t proto, bool v6,
			    uint32_t off, uint32_t end)
{
	struct nd_cursor c;
	uint32_t have = end - off, hlen;
	uint16_t sport, dport;

	switch (proto) {
	case ND_IPPROTO_TCP:
		hlen = 20;
		if (have >= 13)
			hlen = (uint32_t)(p->data[off + 12] >> 4) * 4;
		if (hlen < 20)
			hlen = 20;
		hlen = hlen < have ? hlen : have;
		nd__pkt_push(p, ND_LAYER_TCP_IN_ICMP, off, hlen);
		nd__pkt_raw(p, off + hlen, end);
		return;
	case ND_IPPROTO_UDP:
		nd_cur_init(&c, p->data, end, off);
		sport = nd_cur_be16(&c);
		dport = nd_cur_be16(&c);
		nd_cur_skip(&c, 4);
		if (c.err) {
			nd__pkt_push(p, ND_LAYER_UDP_IN_ICMP, off, have);
			return;
		}
		nd__pkt_push(p, ND_LAYER_UDP_IN_ICMP, off, 8);
		if (c.off < end && (sport == 53 || dport == 53 ||
				    sport == 5353 || dport == 5353))
			nd__pkt_push(p, ND_LAYER_DNS, c.off, end - c.off);
		else
			nd__pkt_raw(p, c.off, end);
		return;
	case ND_IPPROTO_ICMP:
		if (!v6) {
			hlen = have < 8 ? have : 8;
			nd__pkt_push(p, ND_LAYER_ICMP_IN_ICMP, off, hlen);
			nd__pkt_raw(p, off + hlen, end);
			return;
		}
		break;
	default:
		break;
	}
	nd__pkt_raw(p, off, end);
}

static void nd_pkt_quote_v4(struct nd_packet *p, uint32_t off, uint32_t end)
{
	struct nd_cursor c;
	uint8_t vihl, proto;
	uint16_t tlen, frag;
	uint32_t hlen, qend = end;

	nd_cur_init(&c, p->data, end, off);
	vihl = nd_cur_u8(&c);
	nd_cur_skip(&c, 1);
	tlen = nd_cur_be16(&c);
	nd_cur_skip(&c, 2);
	frag = nd_cur_be16(&c);
	nd_cur_skip(&c, 1);
	proto = nd_cur_u8(&c);
	nd_cur_skip(&c, 10);
	hlen = (uint32_t)(vihl & 0x0f) * 4;
	if (c.err || vihl >> 4 != 4 || hlen < 20 || hlen > end - off) {
		nd__pkt_raw(p, off, end);
		return;
	}
	nd__pkt_push(p, ND_LAYER_IP_IN_ICMP, off, hlen);
	/* The quote is usually shorter than the datagram it quotes. */
	if (tlen >= hlen && tlen < end - off)
		qend = off + tlen;
	if (frag & 0x1fff)
		nd__pkt_raw(p, off + hlen, qend);
	else
		nd_pkt_quote_l4(p, proto, false, off + hlen, qend);
	nd__pkt_padding(p, qend);
}

static void nd_pkt_quote_v6(struct nd_packet *p, uint32_t off, uint32_t end)
{
	if (end - off < 40 || p->data[off] >> 4 != 6) {
		nd__pkt_raw(p, off, end);
		return;
	}
	nd__pkt_push(p, ND_LAYER_IPV6_IN_ICMPV6, off, 40);
	nd_pkt_quote_l4(p, p->data[off + 6], true, off + 40, end);
}

void nd__pkt_icmp_quote(struct nd_packet *p, int version, uint32_t off,
			uint32_t end)
{
	if (off >= end)
		return;
	if (version == 4)
		nd_pkt_quote_v4(p, off, end);
	else
		nd_pkt_quote_v6(p, off, end);
}
