/*
 * pkt_link.c: link-layer headers and VLAN tags.
 *
 *   Ethernet II (DLT_EN10MB)          Linux cooked v1 (DLT_LINUX_SLL), 16 B
 *   +-----------+-----------+------+  +--------+--------+-------+----------+-------+
 *   | dst 6     | src 6     | type |  |pkttype2|hatype 2|halen 2| addr 8   |proto 2|
 *   +-----------+-----------+------+  +--------+--------+-------+----------+-------+
 *   Linux cooked v2 (DLT_LINUX_SLL2), 20 B
 *   +-------+------+---------+--------+--------+-------+----------+
 *   |proto 2|rsvd 2|ifindex 4|hatype 2|pkttype1|halen 1| addr 8   |
 *   +-------+------+---------+--------+--------+-------+----------+
 *   BSD loopback: a 4-byte address family, host order of the capturing
 *   machine (DLT_NULL) or network order (DLT_LOOP).
 *   802.1Q / 802.1ad tag (IEEE 802.1Q-2018), after TPID 0x8100 / 0x88a8:
 *   +-----+---+--------+------+
 *   |PCP 3|DEI| VID 12 | type |
 *   +-----+---+--------+------+
 * Ethernet frames with a type field below 0x0600 (802.3 length, LLC) have
 * their payload recorded as Raw.
 */
#include "pkt_internal.h"

#include <errno.h>
#include <pcap/dlt.h>
#include <string.h>

#define ND_SLL_LEN 16
#define ND_SLL2_LEN 20

static void nd_pkt_vlan(struct nd_packet *p, uint16_t tpid, uint32_t off)
{
	struct nd_cursor c;
	uint16_t tci, type;
	uint8_t n = p->vlan.count;

	nd_cur_init(&c, p->data, p->caplen, off);
	tci = nd_cur_be16(&c);
	type = nd_cur_be16(&c);
	if (c.err) {
		nd__pkt_short(p);
		return;
	}
	if (n >= ND_PACKET_MAX_VLANS) {
		nd__pkt_malformed(p);
		return;
	}
	if (!nd__pkt_push(p, tpid == ND_ETH_DOT1AD ? ND_LAYER_DOT1AD
						 : ND_LAYER_DOT1Q,
			  off, 4))
		return;
	p->vlan.tpid[n] = tpid;
	p->vlan.tci[n] = tci;
	p->vlan.count = (uint8_t)(n + 1);
	nd__pkt_ethertype(p, type, c.off);
}

void nd__pkt_ethertype(struct nd_packet *p, uint16_t type, uint32_t off)
{
	p->eth.ethertype = type;
	switch (type) {
	case ND_ETH_IPV4:
		nd__pkt_ipv4(p, off);
		break;
	case ND_ETH_IPV6:
		nd__pkt_ipv6(p, off);
		break;
	case ND_ETH_ARP:
		nd__pkt_arp(p, off);
		break;
	case ND_ETH_DOT1Q:
	case ND_ETH_DOT1AD:
	case ND_ETH_QINQ_OLD:
		nd_pkt_vlan(p, type, off);
		break;
	default:
		nd__pkt_raw(p, off, p->caplen);
		break;
	}
}

static void nd_pkt_ethernet(struct nd_packet *p)
{
	struct nd_cursor c;
	uint16_t type;

	nd_cur_init(&c, p->data, p->caplen, 0);
	nd_cur_copy(&c, p->eth.dst, 6);
	nd_cur_copy(&c, p->eth.src, 6);
	type = nd_cur_be16(&c);
	if (c.err) {
		memset(p->eth.src, 0, sizeof(p->eth.src));
		memset(p->eth.dst, 0, sizeof(p->eth.dst));
		nd__pkt_short(p);
		return;
	}
	nd__pkt_push(p, ND_LAYER_ETHERNET, 0, 14);
	if (type < 0x0600) {
		nd__pkt_raw(p, c.off, p->caplen);
		return;
	}
	nd__pkt_ethertype(p, type, c.off);
}

static void nd_pkt_sll(struct nd_packet *p)
{
	struct nd_cursor c;
	uint16_t halen, type;
	const uint8_t *addr;

	nd_cur_init(&c, p->data, p->caplen, 0);
	p->eth.sll_pkttype = nd_cur_be16(&c);
	p->eth.sll_hatype = nd_cur_be16(&c);
	halen = nd_cur_be16(&c);
	addr = nd_cur_take(&c, 8);
	type = nd_cur_be16(&c);
	if (c.err) {
		p->eth.sll_pkttype = p->eth.sll_hatype = 0;
		nd__pkt_short(p);
		return;
	}
	if (halen == 6)
		memcpy(p->eth.src, addr, 6);
	nd__pkt_push(p, ND_LAYER_SLL, 0, ND_SLL_LEN);
	nd__pkt_ethertype(p, type, ND_SLL_LEN);
}

static void nd_pkt_sll2(struct nd_packet *p)
{
	struct nd_cursor c;
	uint16_t type;
	uint8_t halen;
	const uint8_t *addr;

	nd_cur_init(&c, p->data, p->caplen, 0);
	type = nd_cur_be16(&c);
	nd_cur_skip(&c, 2);
	p->eth.sll_ifindex = nd_cur_be32(&c);
	p->eth.sll_hatype = nd_cur_be16(&c);
	p->eth.sll_pkttype = nd_cur_u8(&c);
	halen = nd_cur_u8(&c);
	addr = nd_cur_take(&c, 8);
	if (c.err) {
		p->eth.sll_pkttype = p->eth.sll_hatype = 0;
		p->eth.sll_ifindex = 0;
		nd__pkt_short(p);
		return;
	}
	if (halen == 6)
		memcpy(p->eth.src, addr, 6);
	nd__pkt_push(p, ND_LAYER_SLL2, 0, ND_SLL2_LEN);
	nd__pkt_ethertype(p, type, ND_SLL2_LEN);
}

/* AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD, OpenBSD),
 * 28 (FreeBSD), 30 (macOS). */
static void nd_pkt_loopback(struct nd_packet *p, bool net_order)
{
	struct nd_cursor c;
	uint32_t fam;

	nd_cur_init(&c, p->data, p->caplen, 0);
	fam = net_order ? nd_cur_be32(&c) : nd_cur_le32(&c);
	if (c.err) {
		nd__pkt_short(p);
		return;
	}
	/* DLT_NULL is in the capturing host's order: accept both. */
	if (!net_order && fam > 0xffff)
		fam = __builtin_bswap32(fam);
	p->eth.loop_family = fam;
	nd__pkt_push(p, ND_LAYER_LOOPBACK, 0, 4);
	switch (fam) {
	case 2:
		p->eth.ethertype = ND_ETH_IPV4;
		nd__pkt_ipv4(p, 4);
		break;
	case 10:
	case 24:
	case 28:
	case 30:
		p->eth.ethertype = ND_ETH_IPV6;
		nd__pkt_ipv6(p, 4);
		break;
	default:
		nd__pkt_raw(p, 4, p->caplen);
		break;
	}
}

/* Raw IP: the version nibble says which. */
static void nd_pkt_rawip(struct nd_packet *p)
{
	uint8_t v;

	if (p->caplen < 1) {
		nd__pkt_short(p);
		return;
	}
	v = p->data[0] >> 4;
	if (v == 4) {
		p->eth.ethertype = ND_ETH_IPV4;
		nd__pkt_ipv4(p, 0);
	} else if (v == 6) {
		p->eth.ethertype = ND_ETH_IPV6;
		nd__pkt_ipv6(p, 0);
	} else {
		nd__pkt_malformed(p);
		nd__pkt_raw(p, 0, p->caplen);
	}
}

bool nd_packet_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	default:
		return false;
	}
}

int nd__pkt_link(struct nd_packet *p)
{
	switch (p->dlt) {
	case DLT_EN10MB:
		nd_pkt_ethernet(p);
		break;
	case DLT_LINUX_SLL:
		nd_pkt_sll(p);
		break;
	case DLT_LINUX_SLL2:
		nd_pkt_sll2(p);
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		nd_pkt_rawip(p);
		break;
	case DLT_NULL:
		nd_pkt_loopback(p, false);
		break;
	case DLT_LOOP:
		nd_pkt_loopback(p, true);
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	return 0;
}
