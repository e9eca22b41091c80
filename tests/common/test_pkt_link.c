/*
 * test_pkt_link.c: link layers (Ethernet, Linux cooked v1/v2, loopback,
 * raw IP), VLAN tag stacks, unsupported link types, capture metadata.
 */
#include <errno.h>
#include <pcap/dlt.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "packet.h"
#include "support/pkt_check.h"

/* IPv4/UDP 10.0.0.1:12345 -> 10.0.0.53:53, DNS query for a.example. */
#define IP_UDP_DNS                                                             \
	"45000037 00010000 40110000 0a000001 0a000035 |"                      \
	"30390035 00230000 |"                                                  \
	"12340100 00010000 00000000 0161076578616d706c6500 00010001"
#define ETH_HDR(type) "020000000002 020000000001 " type " |"

static void test_ethernet_ipv4_udp_dns(void **state)
{
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b), ETH_HDR("0800") IP_UDP_DNS);
	const struct nd_packet *p = pkt_dissect_full(DLT_EN10MB, b, n);
	char name[ND_DNS_NAME_TEXT_MAX];
	const struct nd_dns *d;

	(void)state;
	assert_string_equal(pkt_layers(p), "Ethernet:IP:UDP:DNS");
	assert_int_equal(p->flags, 0);
	assert_int_equal(p->eth.ethertype, 0x0800);
	assert_int_equal(p->eth.src[5], 1);
	assert_int_equal(p->eth.dst[5], 2);
	assert_int_equal(p->ts.tv_sec, 1700000000);
	assert_int_equal(p->dlt, DLT_EN10MB);
	assert_int_equal(p->sport, 12345);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->layer[1].off, 14);
	assert_int_equal(p->layer[2].off, 34);
	assert_int_equal(p->payload_off, 42);
	assert_int_equal(p->payload_len, 27);
	d = nd_packet_dns(p);
	assert_non_null(d);
	assert_int_equal(nd_dns_qname(d, 0, name, sizeof(name)), 9);
	assert_string_equal(name, "a.example");
	assert_string_equal(nd_packet_layer_name(p, 0), "Ethernet");
	assert_string_equal(nd_packet_layer_name(p, 3), "DNS");
	pkt_check_truncations(DLT_EN10MB, b, (uint32_t)n);
	pkt_check_done();
}

static void test_pcap_header_entry(void **state)
{
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b), ETH_HDR("0800") IP_UDP_DNS);
	struct pcap_pkthdr h;
	struct nd_packet p;

	(void)state;
	nd_packet_init(&p);
	assert_int_equal(p.ifindex, -1);
	assert_null(p.ifname);
	h.ts.tv_sec = 5;
	h.ts.tv_usec = 7;
	h.caplen = 40;
	h.len = (bpf_u_int32)n;
	assert_int_equal(nd_packet_dissect(&p, DLT_EN10MB, &h, b), 0);
	assert_int_equal(p.ts.tv_usec, 7);
	assert_int_equal(p.caplen, 40);
	assert_int_equal(p.wire_len, n);
	assert_true(p.flags & ND_PKT_TRUNCATED);
	assert_true(p.flags & ND_PKT_SHORT); /* UDP header cut at 40 */
	assert_string_equal(pkt_layers(&p), "Ethernet:IP");
	assert_int_equal(nd_packet_dissect(&p, DLT_EN10MB, NULL, b), -EINVAL);
	assert_int_equal(nd_packet_dissect(NULL, DLT_EN10MB, &h, b), -EINVAL);
	h.caplen = 0;
	assert_int_equal(nd_packet_dissect(&p, DLT_EN10MB, &h, NULL), -EINVAL);
}

static void test_unsupported_dlt(void **state)
{
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b), ETH_HDR("0800") IP_UDP_DNS);
	int rc;
	const struct nd_packet *p =
		pkt_dissect(DLT_IEEE802_11, b, (uint32_t)n, (uint32_t)n, &rc);

	(void)state;
	assert_int_equal(rc, -EPROTONOSUPPORT);
	assert_true(p->flags & ND_PKT_NOT_DISSECTED);
	assert_int_equal(p->nlayers, 0);
	assert_int_equal(p->layers, 0);
	assert_null(nd_packet_dns(p));
	assert_false(nd_packet_dlt_supported(DLT_IEEE802_11));
	assert_true(nd_packet_dlt_supported(DLT_LINUX_SLL2));
	pkt_check_done();
}

static void test_sll_v1_v2(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	n = pkt_hex(b, sizeof(b),
		    "0004 0001 0006 020000000001 0000 0800 |" IP_UDP_DNS);
	p = pkt_dissect_full(DLT_LINUX_SLL, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "SLL:IP:UDP:DNS");
	assert_string_equal(nd_packet_layer_name(p, 0), "cooked linux");
	assert_int_equal(p->eth.sll_pkttype, 4);
	assert_int_equal(p->eth.src[5], 1);
	pkt_check_truncations(DLT_LINUX_SLL, b, (uint32_t)n);

	n = pkt_hex(b, sizeof(b),
		    "0800 0000 00000007 0001 00 06 020000000001 0000 |"
		    IP_UDP_DNS);
	p = pkt_dissect_full(DLT_LINUX_SLL2, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "SLL2:IP:UDP:DNS");
	assert_string_equal(nd_packet_layer_name(p, 0), "cooked linux v2");
	assert_int_equal(p->eth.sll_ifindex, 7);
	assert_int_equal(p->eth.sll_hatype, 1);
	assert_int_equal(p->layer[1].off, 20);
	pkt_check_truncations(DLT_LINUX_SLL2, b, (uint32_t)n);
	pkt_check_done();
}

static void test_loopback_and_raw(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	n = pkt_hex(b, sizeof(b), "02000000 |" IP_UDP_DNS);
	p = pkt_dissect_full(DLT_NULL, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Loopback:IP:UDP:DNS");
	assert_int_equal(p->eth.loop_family, 2);
	pkt_check_truncations(DLT_NULL, b, (uint32_t)n);

	/* DLT_NULL from a big-endian host, and DLT_LOOP (network order). */
	n = pkt_hex(b, sizeof(b), "00000002 |" IP_UDP_DNS);
	p = pkt_dissect_full(DLT_NULL, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Loopback:IP:UDP:DNS");
	p = pkt_dissect_full(DLT_LOOP, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Loopback:IP:UDP:DNS");

	/* Unknown family: the rest is Raw. */
	n = pkt_hex(b, sizeof(b), "07000000 |" IP_UDP_DNS);
	p = pkt_dissect_full(DLT_NULL, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Loopback:Raw");

	n = pkt_hex(b, sizeof(b), IP_UDP_DNS);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:DNS");
	p = pkt_dissect_full(DLT_IPV4, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:DNS");
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* Version nibble neither 4 nor 6. */
	b[0] = 0x55;
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_string_equal(pkt_layers(p), "Raw");
	pkt_check_done();
}

static void test_vlan_stack(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	n = pkt_hex(b, sizeof(b),
		    ETH_HDR("88a8") "a064 8100 0007 0800 |" IP_UDP_DNS);
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Ethernet:Dot1AD:Dot1Q:IP:UDP:DNS");
	assert_string_equal(nd_packet_layer_name(p, 1), "802_1AD");
	assert_string_equal(nd_packet_layer_name(p, 2), "802.1Q");
	assert_int_equal(p->vlan.count, 2);
	assert_int_equal(p->vlan.tpid[0], 0x88a8);
	assert_int_equal(p->vlan.tci[0] & 0xfff, 100);
	assert_int_equal(p->vlan.tci[0] >> 13, 5);
	assert_int_equal(p->vlan.tci[1], 7);
	assert_int_equal(p->eth.ethertype, 0x0800);
	assert_int_equal(p->layer[3].off, 22);
	pkt_check_truncations(DLT_EN10MB, b, (uint32_t)n);

	/* Four tags are fine, a fifth is refused. */
	n = pkt_hex(b, sizeof(b),
		    ETH_HDR("8100") "0001 8100 0002 8100 0003 8100 0004 0800 |"
		    IP_UDP_DNS);
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_int_equal(p->vlan.count, 4);
	assert_false(p->flags & ND_PKT_MALFORMED);
	n = pkt_hex(b, sizeof(b),
		    ETH_HDR("8100") "0001 8100 0002 8100 0003 8100 0004 8100 "
		    "0005 0800 |" IP_UDP_DNS);
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_int_equal(p->vlan.count, 4);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_false(nd_packet_has(p, ND_LAYER_IP));
	pkt_check_truncations(DLT_EN10MB, b, (uint32_t)n);
	pkt_check_done();
}

static void test_ethernet_other(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* 802.3 length field + LLC: Raw after Ethernet. */
	n = pkt_hex(b, sizeof(b), ETH_HDR("0026") "424203000000");
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Ethernet:Raw");
	/* Unknown ethertype. */
	n = pkt_hex(b, sizeof(b), ETH_HDR("88cc") "0207");
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "Ethernet:Raw");
	assert_int_equal(p->eth.ethertype, 0x88cc);
	/* Header only. */
	p = pkt_dissect_full(DLT_EN10MB, b, 14);
	assert_string_equal(pkt_layers(p), "Ethernet");
	/* Less than a header. */
	p = pkt_dissect_full(DLT_EN10MB, b, 13);
	assert_string_equal(pkt_layers(p), "");
	assert_true(p->flags & ND_PKT_SHORT);
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet_ipv4_udp_dns),
		cmocka_unit_test(test_pcap_header_entry),
		cmocka_unit_test(test_unsupported_dlt),
		cmocka_unit_test(test_sll_v1_v2),
		cmocka_unit_test(test_loopback_and_raw),
		cmocka_unit_test(test_vlan_stack),
		cmocka_unit_test(test_ethernet_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
