/*
 * pkt_ipv4.c: IPv4 (RFC 791).
 *
 *    0                   1                   2                   3
 *   +-------+-------+---------------+-------------------------------+
 *   |Version|  IHL  |      TOS      |          Total Length         |
 *   +-------+-------+---------------+-----+-------------------------+
 *   |         Identification        |Flags|     Fragment Offset     |
 *   +---------------+---------------+-----+-------------------------+
 *   |      TTL      |    Protocol   |        Header Checksum        |
 *   +---------------+---------------+-------------------------------+
 *   |                 Source Address / Destination Address          |
 *   +---------------------------------------------------------------+
 *   |                    Options (IHL > 5)                          |
 * The header (options included) must be captured whole.  Total Length
 * bounds the payload; a Total Length of 0 (seen on captures of TCP
 * segmentation offload) means "up to what was captured".  Only a first
 * fragment (offset 0) carries the transport header; later fragments' data
 * is Raw.  Checksums are not verified (offload makes them unreliable in
 * captures).
 */
#include <string.h>

#include "pkt_internal.h"

void nd__pkt_ipv4(struct nd_packet *p, uint32_t off)
{
	struct nd_cursor c;
	uint8_t vihl;
	uint16_t frag;
	uint32_t hlen, end, claimed;

	nd_cur_init(&c, p->data, p->caplen, off);
	vihl = nd_cur_u8(&c);
	p->ip.tos = nd_cur_u8(&c);
	p->ip.total_len = nd_cur_be16(&c);
	p->ip.id = nd_cur_be16(&c);
	frag = nd_cur_be16(&c);
	p->ip.ttl = nd_cur_u8(&c);
	p->ip.proto = nd_cur_u8(&c);
	nd_cur_skip(&c, 2);
	nd_cur_copy(&c, p->ip.src, 4);
	nd_cur_copy(&c, p->ip.dst, 4);
	hlen = (uint32_t)(vihl & 0x0f) * 4;
	if (c.err || !nd_cur_has(&c, hlen > 20 ? hlen - 20 : 0)) {
		nd__pkt_short(p);
		goto no_ip;
	}
	if (vihl >> 4 != 4 || hlen < 20 ||
	    (p->ip.total_len != 0 && p->ip.total_len < hlen)) {
		nd__pkt_malformed(p);
		goto no_ip;
	}
	if (!nd__pkt_push(p, ND_LAYER_IP, off, hlen))
		goto no_ip;
	p->ip.version = 4;
	p->ip.hdr_len = (uint16_t)hlen;
	p->ip.df = (frag & 0x4000) != 0;
	p->ip.more_fragments = (frag & 0x2000) != 0;
	p->ip.frag_offset = (uint16_t)((frag & 0x1fff) * 8);
	p->ip.is_fragment = p->ip.more_fragments || p->ip.frag_offset != 0;
	p->ip.frag_id = p->ip.id;

	/* The payload ends where IP says, or where the capture does. */
	end = p->caplen;
	claimed = p->ip.total_len ? p->ip.total_len : p->caplen - off;
	if (claimed <= p->caplen - off)
		end = off + claimed;
	if (p->ip.frag_offset != 0)
		nd__pkt_raw(p, off + hlen, end);
	else
		nd__pkt_transport(p, p->ip.proto, off + hlen, end);
	nd__pkt_padding(p, end);
	return;

no_ip:
	memset(&p->ip, 0, sizeof(p->ip));
}
