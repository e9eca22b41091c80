/*
 * pkt_udp.c: UDP (RFC 768).
 *
 *   +-------------------------------+-------------------------------+
 *   |          Source Port          |       Destination Port        |
 *   +-------------------------------+-------------------------------+
 *   |            Length             |           Checksum            |
 *   +-------------------------------+-------------------------------+
 * Length (header included) bounds the payload when it fits in what IP
 * gave; bytes after it are Padding.  A Length below 8 is malformed; a
 * Length of 0 (IPv6 jumbograms, offload) or beyond the IP payload means
 * "up to the IP end".  Port 53 or 5353 on either side marks the payload as
 * DNS (scapy's bindings), anything else non-empty is Raw.
 */
#include "pkt_internal.h"

void nd__pkt_udp(struct nd_packet *p, uint32_t off, uint32_t end)
{
	struct nd_cursor c;
	uint32_t uend = end;

	nd_cur_init(&c, p->data, end, off);
	p->sport = nd_cur_be16(&c);
	p->dport = nd_cur_be16(&c);
	p->udp.len = nd_cur_be16(&c);
	nd_cur_skip(&c, 2);
	if (c.err) {
		p->sport = p->dport = 0;
		p->udp.len = 0;
		nd__pkt_short(p);
		return;
	}
	if (p->udp.len != 0 && p->udp.len < 8) {
		p->sport = p->dport = 0;
		p->udp.len = 0;
		nd__pkt_malformed(p);
		return;
	}
	if (!nd__pkt_push(p, ND_LAYER_UDP, off, 8)) {
		p->sport = p->dport = 0;
		p->udp.len = 0;
		return;
	}
	if (p->udp.len != 0 && p->udp.len <= end - off)
		uend = off + p->udp.len;
	p->payload_off = c.off;
	p->payload_len = uend - c.off;
	if (p->payload_len != 0) {
		if (p->sport == 53 || p->dport == 53 || p->sport == 5353 ||
		    p->dport == 5353)
			nd__pkt_push(p, ND_LAYER_DNS, c.off, p->payload_len);
		else
			nd__pkt_raw(p, c.off, uend);
	}
	nd__pkt_padding(p, uend);
}
