/*
 * pkt_ipv6.c: IPv6 (RFC 8200) and its extension-header chain.
 *
 *   +-------+---------------+---------------------------------------+
 *   |Version| Traffic Class |              Flow Label               |
 *   +-------+-------+-------+-------+---------------+---------------+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-------------------------------+---------------+---------------+
 *   |          Source Address (16) / Destination Address (16)       |
 * Extension headers walked: Hop-by-Hop (0), Routing (43), Fragment (44),
 * Destination Options (60); each is a layer of its own, as in scapy.  The
 * chain is bounded by ND_PACKET_MAX_IPV6_EXT headers and by the payload
 * length.  Any other next header (ESP, AH, No Next Header, ...) ends the
 * chain and is handed to the transport dispatch.  A Fragment header with a
 * non-zero offset ends dissection: the rest is Raw.  Payload Length 0
 * (jumbogram, or offload) means "up to what was captured".
 *
 *   Hop-by-Hop / Routing / Dest. Options     Fragment (8 bytes)
 *   +--------+--------+-------...            +--------+--------+-------------+--+-+
 *   |next hdr|hdr len | (len+1)*8 bytes      |next hdr|reserved| offset (13) |00|M|
 *   +--------+--------+-------...            +--------+--------+-------------+--+-+
 *                                            |        identification (32)        |
 */
#include <string.h>

#include "pkt_internal.h"

static enum nd_layer nd_pkt_ext_layer(uint8_t nh)
{
	switch (nh) {
	case ND_IPPROTO_HOPOPTS:
		return ND_LAYER_IPV6_HOPOPTS;
	case ND_IPPROTO_ROUTING:
		return ND_LAYER_IPV6_ROUTING;
	case ND_IPPROTO_FRAGMENT:
		return ND_LAYER_IPV6_FRAGMENT;
	case ND_IPPROTO_DSTOPTS:
		return ND_LAYER_IPV6_DSTOPTS;
	default:
		return ND_LAYER_COUNT;
	}
}

void nd__pkt_ipv6(struct nd_packet *p, uint32_t off)
{
	struct nd_cursor c;
	uint32_t vtf, plen, end, hops;
	uint8_t nh;
	enum nd_layer ext;

	nd_cur_init(&c, p->data, p->caplen, off);
	vtf = nd_cur_be32(&c);
	plen = nd_cur_be16(&c);
	nh = nd_cur_u8(&c);
	p->ip.ttl = nd_cur_u8(&c);
	nd_cur_copy(&c, p->ip.src, 16);
	nd_cur_copy(&c, p->ip.dst, 16);
	if (c.err || vtf >> 28 != 6 || !nd__pkt_push(p, ND_LAYER_IPV6, off, 40)) {
		if (c.err)
			nd__pkt_short(p);
		else if (vtf >> 28 != 6)
			nd__pkt_malformed(p);
		memset(&p->ip, 0, sizeof(p->ip));
		return;
	}
	p->ip.version = 6;
	p->ip.tos = (uint8_t)(vtf >> 20);
	p->ip.flow_label = vtf & 0xfffff;
	p->ip.total_len = (uint16_t)(plen + 40 > 0xffff ? 0xffff : plen + 40);

	end = p->caplen;
	if (plen != 0 && plen <= p->caplen - c.off)
		end = c.off + plen;
	c.len = end; /* extension headers live inside the payload */

	for (hops = 0; (ext = nd_pkt_ext_layer(nh)) != ND_LAYER_COUNT; hops++) {
		uint32_t at = c.off, hlen;
		uint8_t next, b1;
		uint16_t fo;

		if (hops >= ND_PACKET_MAX_IPV6_EXT) {
			nd__pkt_malformed(p);
			goto done;
		}
		next = nd_cur_u8(&c);
		b1 = nd_cur_u8(&c);
		hlen = ext == ND_LAYER_IPV6_FRAGMENT ? 8 : ((uint32_t)b1 + 1) * 8;
		if (ext == ND_LAYER_IPV6_FRAGMENT) {
			fo = nd_cur_be16(&c);
			p->ip.frag_id = nd_cur_be32(&c);
			p->ip.frag_offset = (uint16_t)(fo & 0xfff8);
			p->ip.more_fragments = (fo & 1) != 0;
			p->ip.is_fragment = true;
		} else {
			nd_cur_skip(&c, hlen - 2);
		}
		if (c.err) {
			nd__pkt_short(p);
			goto done;
		}
		if (!nd__pkt_push(p, ext, at, hlen))
			goto done;
		nh = next;
		if (ext == ND_LAYER_IPV6_FRAGMENT && p->ip.frag_offset != 0) {
			p->ip.proto = nh;
			p->ip.hdr_len = (uint16_t)(c.off - off);
			nd__pkt_raw(p, c.off, end);
			goto done;
		}
	}
	p->ip.proto = nh;
	p->ip.hdr_len = (uint16_t)(c.off - off);
	nd__pkt_transport(p, nh, c.off, end);
done:
	nd__pkt_padding(p, end);
}
