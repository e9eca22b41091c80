/*
 * test_pkt_arp.c: ARP over Ethernet: fields, padding, non-Ethernet/IPv4
 * ARP, cut-off messages.
 */
#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "addrfmt.h"
#include "packet.h"
#include "support/pkt_check.h"

#define ETH_ARP "ffffffffffff 02000000000a 0806 |"

static void test_arp_reply_padded(void **state)
{
	uint8_t b[128];
	char t[ND_MAC_TEXT_MAX], ip[ND_IPV4_TEXT_MAX];
	size_t n = pkt_hex(b, sizeof(b),
			   ETH_ARP "0001 0800 06 04 0002 02000000000a 0a000001"
				   " 02000000000b 0a000002 |"
				   "000000000000000000000000000000000000");
	const struct nd_packet *p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);

	(void)state;
	assert_int_equal(n, 60);
	assert_string_equal(pkt_layers(p), "Ethernet:ARP:Padding");
	assert_string_equal(nd_packet_layer_name(p, 2), "Padding");
	assert_int_equal(p->layer[2].off, 42);
	assert_int_equal(p->layer[2].len, 18);
	assert_true(p->arp.is_eth_ipv4);
	assert_int_equal(p->arp.op, 2);
	nd_fmt_mac(p->arp.sha, t, sizeof(t));
	assert_string_equal(t, "02:00:00:00:00:0a");
	nd_fmt_ipv4(p->arp.spa, ip, sizeof(ip));
	assert_string_equal(ip, "10.0.0.1");
	nd_fmt_mac(p->arp.tha, t, sizeof(t));
	assert_string_equal(t, "02:00:00:00:00:0b");
	nd_fmt_ipv4(p->arp.tpa, ip, sizeof(ip));
	assert_string_equal(ip, "10.0.0.2");
	pkt_check_truncations(DLT_EN10MB, b, (uint32_t)n);

	/* Without the padding: no Padding layer. */
	p = pkt_dissect_full(DLT_EN10MB, b, 42);
	assert_string_equal(pkt_layers(p), "Ethernet:ARP");
	/* Cut inside the addresses: the layer stays, flagged short. */
	p = pkt_dissect(DLT_EN10MB, b, 30, 60, NULL);
	assert_string_equal(pkt_layers(p), "Ethernet:ARP");
	assert_true(p->flags & ND_PKT_SHORT);
	assert_false(p->arp.is_eth_ipv4);
	assert_int_equal(p->arp.op, 2);
	pkt_check_done();
}

static void test_arp_other_kinds(void **state)
{
	uint8_t b[128];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* IPv6-sized protocol addresses (plen 16): fixed part only. */
	n = pkt_hex(b, sizeof(b),
		    ETH_ARP "0001 86dd 06 10 0001 02000000000a"
			    " 20010db8000000000000000000000001 000000000000"
			    " 20010db8000000000000000000000002");
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Ethernet:ARP");
	assert_false(p->arp.is_eth_ipv4);
	assert_int_equal(p->arp.ptype, 0x86dd);
	assert_int_equal(p->arp.plen, 16);
	assert_int_equal(p->layer[1].len, 8 + 12 + 32);
	pkt_check_truncations(DLT_EN10MB, b, (uint32_t)n);
	/* Biggest claimed lengths (255/255) in a short packet. */
	n = pkt_hex(b, sizeof(b), ETH_ARP "0001 0800 ff ff 0001 0000");
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_SHORT);
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_reply_padded),
		cmocka_unit_test(test_arp_other_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
