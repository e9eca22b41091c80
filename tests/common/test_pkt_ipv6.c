/*
 * test_pkt_ipv6.c: IPv6 header and the extension-header chain: each kind,
 * fragments, hop limit on the chain, lengths, truncation.
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

#define V6(plen, nh)                                                           \
	"6a812345 " plen " " nh " 40 20010db8000000000000000000000001"         \
	" 20010db8000000000000000000000002 |"
#define UDP_X "03e807d0 00090000 78"

static void test_ipv6_fields(void **state)
{
	uint8_t b[256];
	char s[ND_IPV6_TEXT_MAX];
	size_t n = pkt_hex(b, sizeof(b), V6("0009", "11") UDP_X);
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p), "IPv6:UDP:Raw");
	assert_int_equal(p->ip.version, 6);
	assert_int_equal(p->ip.tos, 0xa8);
	assert_int_equal(p->ip.flow_label, 0x12345);
	assert_int_equal(p->ip.ttl, 64);
	assert_int_equal(p->ip.proto, 17);
	assert_int_equal(p->ip.total_len, 49);
	assert_int_equal(p->ip.hdr_len, 40);
	nd_fmt_ipv6(p->ip.src, s, sizeof(s));
	assert_string_equal(s, "2001:db8::1");
	assert_int_equal(p->payload_len, 1);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

static void test_ipv6_ext_chain(void **state)
{
	uint8_t b[256];
	/* Hop-by-Hop (8) -> Dest opts (16) -> Routing (24) -> Fragment (8,
	 * first) -> UDP. */
	size_t n = pkt_hex(b, sizeof(b),
			   V6("0041", "00")
			   "3c00 010400000000 |"
			   "2b01 0000000000000000000000000000 |"
			   "2c02 000100000000 20010db8000000000000000000000009 |"
			   "1100 0001 00000063 |" UDP_X);
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p),
			    "IPv6:IPv6HopOpts:IPv6DstOpts:IPv6Routing:IPv6Frag:"
			    "UDP:Raw");
	assert_string_equal(
		nd_packet_layer_name(p, 1),
		"IPv6 Extension Header - Hop-by-Hop Options Header");
	assert_string_equal(nd_packet_layer_name(p, 3),
			    "IPv6 Option Header Routing");
	assert_string_equal(nd_packet_layer_name(p, 4),
			    "IPv6 Extension Header - Fragmentation header");
	assert_int_equal(p->layer[2].len, 16);
	assert_int_equal(p->layer[3].len, 24);
	assert_int_equal(p->ip.proto, 17);
	assert_int_equal(p->ip.hdr_len, 40 + 8 + 16 + 24 + 8);
	assert_true(p->ip.is_fragment);
	assert_true(p->ip.more_fragments);
	assert_int_equal(p->ip.frag_id, 0x63);
	assert_int_equal(p->sport, 1000);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

static void test_ipv6_later_fragment(void **state)
{
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b),
			   V6("0010", "2c") "1100 0028 00000063 |"
					    "4141414141414141");
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p), "IPv6:IPv6Frag:Raw");
	assert_int_equal(p->ip.frag_offset, 40);
	assert_false(p->ip.more_fragments);
	assert_int_equal(p->sport, 0);
	pkt_check_done();
}

static void test_ipv6_chain_limit(void **state)
{
	uint8_t b[512];
	char hex[1024] = V6("0050", "3c");
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* Ten destination-options headers in a row: more than allowed. */
	for (int i = 0; i < 10; i++)
		strcat(hex, "3c00 000000000000 |");
	n = pkt_hex(b, sizeof(b), hex);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_int_equal(p->nlayers, 1 + ND_PACKET_MAX_IPV6_EXT);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* An extension header longer than the payload length claims. */
	n = pkt_hex(b, sizeof(b), V6("0008", "00") "11 05 000000000000" UDP_X);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_SHORT);
	assert_string_equal(pkt_layers(p), "IPv6:Padding");
	pkt_check_done();
}

static void test_ipv6_other(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* No next header (59). */
	n = pkt_hex(b, sizeof(b), V6("0000", "3b"));
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IPv6");
	assert_int_equal(p->ip.proto, 59);
	/* Payload length 0 with data: up to the end of the capture. */
	n = pkt_hex(b, sizeof(b), V6("0000", "11") UDP_X);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IPv6:UDP:Raw");
	/* Payload length shorter than the data: Padding. */
	n = pkt_hex(b, sizeof(b), V6("0008", "11") UDP_X);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IPv6:UDP:Padding");
	/* Version nibble wrong behind an IPv6 ethertype. */
	n = pkt_hex(b, sizeof(b),
		    "020000000002 020000000001 86dd |"
		    "4a812345 0009 11 40 20010db8000000000000000000000001"
		    " 20010db8000000000000000000000002 |" UDP_X);
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_string_equal(pkt_layers(p), "Ethernet");
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_fields),
		cmocka_unit_test(test_ipv6_ext_chain),
		cmocka_unit_test(test_ipv6_later_fragment),
		cmocka_unit_test(test_ipv6_chain_limit),
		cmocka_unit_test(test_ipv6_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
