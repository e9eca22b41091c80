/*
 * pkt_arp.c: ARP (RFC 826).
 *
 *   +--------+--------+-----+-----+------+
 *   | htype 2| ptype 2|hlen1|plen1| op 2 |   then sha[hlen] spa[plen]
 *   +--------+--------+-----+-----+------+        tha[hlen] tpa[plen]
 * The fixed part is always recorded; addresses are parsed for Ethernet and
 * IPv4 (htype 1, ptype 0x0800, hlen 6, plen 4), the only kind netdumplings'
 * ARP chef reads.  Bytes after the message (Ethernet minimum-size fill) are
 * Padding, as scapy shows them.
 */
#include <string.h>

#include "pkt_internal.h"

void nd__pkt_arp(struct nd_packet *p, uint32_t off)
{
	struct nd_cursor c;
	uint32_t len;

	nd_cur_init(&c, p->data, p->caplen, off);
	p->arp.htype = nd_cur_be16(&c);
	p->arp.ptype = nd_cur_be16(&c);
	p->arp.hlen = nd_cur_u8(&c);
	p->arp.plen = nd_cur_u8(&c);
	p->arp.op = nd_cur_be16(&c);
	if (c.err) {
		memset(&p->arp, 0, sizeof(p->arp));
		nd__pkt_short(p);
		return;
	}
	len = 8 + 2u * p->arp.hlen + 2u * p->arp.plen;
	if (!nd_cur_has(&c, len - 8)) {
		/* Fixed part is there: keep the layer, note what is missing. */
		nd__pkt_push(p, ND_LAYER_ARP, off, p->caplen - off);
		nd__pkt_short(p);
		return;
	}
	if (!nd__pkt_push(p, ND_LAYER_ARP, off, len)) {
		memset(&p->arp, 0, sizeof(p->arp));
		return;
	}
	if (p->arp.htype == 1 && p->arp.ptype == ND_ETH_IPV4 &&
	    p->arp.hlen == 6 && p->arp.plen == 4) {
		nd_cur_copy(&c, p->arp.sha, 6);
		nd_cur_copy(&c, p->arp.spa, 4);
		nd_cur_copy(&c, p->arp.tha, 6);
		nd_cur_copy(&c, p->arp.tpa, 4);
		p->arp.is_eth_ipv4 = true;
	}
	nd__pkt_padding(p, off + len);
}
