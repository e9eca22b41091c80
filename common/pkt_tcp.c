/*
 * pkt_tcp.c: TCP (RFC 9293).
 *
 *   +-------------------------------+-------------------------------+
 *   |          Source Port          |       Destination Port        |
 *   +-------------------------------+-------------------------------+
 *   |                        Sequence Number                        |
 *   |                     Acknowledgment Number                     |
 *   +-------+-----+-+-+-+-+-+-+-+-+-+-------------------------------+
 *   | DOff  | Rsv |N|C|E|U|A|P|R|S|F|             Window            |
 *   +-------+-----+-+-+-+-+-+-+-+-+-+-------------------------------+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-------------------------------+-------------------------------+
 *   |                    Options (DOff > 5)                         |
 * The header with its options must be captured whole.  The payload runs
 * to the end the IP layer claims (clipped to the capture).  Port 53 on
 * either side marks the payload as DNS (scapy's binding), anything else
 * non-empty is Raw.
 */
#include <string.h>

#include "pkt_internal.h"

void nd__pkt_tcp(struct nd_packet *p, uint32_t off, uint32_t end)
{
	struct nd_cursor c;
	uint16_t w;
	uint32_t hlen;

	nd_cur_init(&c, p->data, end, off);
	p->sport = nd_cur_be16(&c);
	p->dport = nd_cur_be16(&c);
	p->tcp.seq = nd_cur_be32(&c);
	p->tcp.ack = nd_cur_be32(&c);
	w = nd_cur_be16(&c);
	p->tcp.window = nd_cur_be16(&c);
	nd_cur_skip(&c, 2);
	p->tcp.urg_ptr = nd_cur_be16(&c);
	hlen = (uint32_t)(w >> 12) * 4;
	if (c.err || (hlen >= 20 && !nd_cur_skip(&c, hlen - 20))) {
		nd__pkt_short(p);
		goto no_tcp;
	}
	if (hlen < 20) {
		nd__pkt_malformed(p);
		goto no_tcp;
	}
	if (!nd__pkt_push(p, ND_LAYER_TCP, off, hlen))
		goto no_tcp;
	p->tcp.flags = w & 0x1ff;
	p->tcp.hdr_len = (uint8_t)hlen;
	p->tcp.opt_len = (uint8_t)(hlen - 20);
	p->payload_off = c.off;
	p->payload_len = end - c.off;
	if (p->payload_len == 0)
		return;
	if (p->sport == 53 || p->dport == 53)
		nd__pkt_push(p, ND_LAYER_DNS, c.off, p->payload_len);
	else
		nd__pkt_raw(p, c.off, end);
	return;

no_tcp:
	p->sport = p->dport = 0;
	memset(&p->tcp, 0, sizeof(p->tcp));
}
