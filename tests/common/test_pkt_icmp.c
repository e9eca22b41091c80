/*
 * test_pkt_icmp.c: ICMP and ICMPv6 headers, echo fields, scapy names of
 * ICMPv6 message types, truncation.
 */
#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "packet.h"
#include "support/pkt_check.h"

#define V6(plen)                                                               \
	"60000000 " plen " 3a ff fe800000000000000000000000000001"            \
	" ff020000000000000000000000000001 |"

static void test_icmp_echo(void **state)
{
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b),
			   "45000020 00010000 40010000 0a000001 0a000002 |"
			   "0800 0000 1234 0005 70696e67");
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p), "IP:ICMP:Raw");
	assert_int_equal(p->icmp.type, 8);
	assert_int_equal(p->icmp.code, 0);
	assert_int_equal(p->icmp.id, 0x1234);
	assert_int_equal(p->icmp.seq, 5);
	assert_int_equal(p->payload_len, 4);
	assert_int_equal(p->sport, 0);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* Destination unreachable: no echo fields. */
	n = pkt_hex(b, sizeof(b),
		    "4500001c 00010000 40010000 0a000001 0a000002 |"
		    "0303 0000 1234 0005");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:ICMP");
	assert_int_equal(p->icmp.code, 3);
	assert_int_equal(p->icmp.id, 0);
	pkt_check_done();
}

static void test_icmpv6_types(void **state)
{
	static const struct {
		uint8_t type;
		const char *name;
	} cases[] = {
		{128, "ICMPv6 Echo Request"},
		{129, "ICMPv6 Echo Reply"},
		{135, "ICMPv6 Neighbor Discovery - Neighbor Solicitation"},
		{1, "ICMPv6 Destination Unreachable"},
		{143, "MLDv2 - Multicast Listener Report"},
		{130, "MLD - Multicast Listener Query"},
		{200, "Scapy6 ICMPv6 fallback class"},
	};
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b),
			   V6("000c") "8000 0000 0007 0009 61626364");
	const struct nd_packet *p;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool error = cases[i].type < 128;

		b[40] = cases[i].type;
		p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
		/* An error quoting less than an IPv6 header: Raw, as scapy. */
		assert_string_equal(pkt_layers(p), error ? "IPv6:ICMPv6:Raw"
							 : "IPv6:ICMPv6");
		assert_string_equal(nd_packet_layer_name(p, 1), cases[i].name);
		assert_int_equal(p->icmp.type, cases[i].type);
		assert_int_equal(p->icmp.id, cases[i].type == 128 || cases[i].type == 129 ? 7 : 0);
		assert_int_equal(p->layer[1].len, error ? 8 : 12);
	}
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* MLD query of 28 bytes or more is MLDv2 in scapy. */
	n = pkt_hex(b, sizeof(b),
		    V6("001c") "8200 0000 0000 0000 "
			       "00000000000000000000000000000000 00000000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(nd_packet_layer_name(p, 1),
			    "MLDv2 - Multicast Listener Query");
	pkt_check_done();
}

static void test_icmpv6_nd_options(void **state)
{
	uint8_t b[1024];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* Neighbor Solicitation + source link-layer address option. */
	n = pkt_hex(b, sizeof(b),
		    V6("0020") "8700 0000 00000000 fe800000000000000000000000000002"
			       " 0101 020000000001");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IPv6:ICMPv6:ICMPv6NDOpt");
	assert_int_equal(p->layer[1].len, 24);
	assert_int_equal(p->layer[2].off, 64);
	assert_int_equal(p->layer[2].len, 8);
	assert_int_equal(p->layer[2].sub, 1);
	assert_string_equal(
		nd_packet_layer_name(p, 2),
		"ICMPv6 Neighbor Discovery Option - Source Link-Layer Address");
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* Router Advertisement: MTU option, then a type scapy does not know
	 * (Raw to the end), as scapy shows it. */
	n = pkt_hex(b, sizeof(b),
		    V6("0028") "8600 0000 40000708 00000000 00000000"
			       " 0501 0000000005dc 9901 616263646566");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IPv6:ICMPv6:ICMPv6NDOpt:Raw");
	assert_string_equal(nd_packet_layer_name(p, 2),
			    "ICMPv6 Neighbor Discovery Option - MTU");

	/* Option length 0 is invalid: Raw, flagged. */
	n = pkt_hex(b, sizeof(b),
		    V6("0020") "8700 0000 00000000 fe800000000000000000000000000002"
			       " 0100 020000000001");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IPv6:ICMPv6:Raw");
	assert_true(p->flags & ND_PKT_MALFORMED);

	/* Option longer than what is left: recorded as far as it goes. */
	n = pkt_hex(b, sizeof(b),
		    V6("0020") "8700 0000 00000000 fe800000000000000000000000000002"
			       " 0103 020000000001");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IPv6:ICMPv6:ICMPv6NDOpt");
	assert_int_equal(p->layer[2].len, 8);

	/* Many options: recorded while there is room, never flagged. */
	{
		char hex[2048] = V6("0210") "8600 0000 40000708 00000000 00000000";

		for (int i = 0; i < 64; i++)
			strcat(hex, " 0501 0000000005dc");
		n = pkt_hex(b, sizeof(b), hex);
		p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
		assert_int_equal(p->nlayers, ND_PACKET_MAX_LAYERS);
		assert_false(p->flags & ND_PKT_MALFORMED);
	}
	pkt_check_done();
}

static void test_icmp_errors_quote(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;
	const struct nd_dns *d;
	char name[ND_DNS_NAME_TEXT_MAX];

	(void)state;
	/* Port unreachable quoting IPv4/UDP (header + 8 bytes). */
	n = pkt_hex(b, sizeof(b),
		    "45000038 00010000 40010000 0a000009 0a000003 |"
		    "0303 0000 00000000 |"
		    "45000024 00020000 40110000 0a000003 0a000009 |"
		    "9c40 270f 0010 0000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:ICMP:IPinICMP:UDPinICMP");
	assert_string_equal(nd_packet_layer_name(p, 2), "IP in ICMP");
	assert_string_equal(nd_packet_layer_name(p, 3), "UDP in ICMP");
	assert_int_equal(p->icmp.type, 3);
	assert_int_equal(p->sport, 0); /* the view keeps the outer packet's */
	assert_int_equal(p->ip.src[3], 9);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* Time exceeded quoting 8 bytes of TCP. */
	n = pkt_hex(b, sizeof(b),
		    "45000038 00010000 40010000 0a000009 0a000003 |"
		    "0b00 0000 00000000 |"
		    "4500003c 00020000 01060000 0a000003 08080808 |"
		    "9c41 01bb 00000001");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:ICMP:IPinICMP:TCPinICMP");
	assert_int_equal(p->layer[3].len, 8);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* Quoted DNS query: a DNS layer, parsed on demand. */
	n = pkt_hex(b, sizeof(b),
		    "4500004b 00010000 40010000 0a000009 0a000003 |"
		    "0303 0000 00000000 |"
		    "4500002f 00020000 40110000 0a000003 0a000009 |"
		    "9c40 0035 001b 0000 | 0007 0100 0001 0000 0000 0000 017800 0001 0001");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:ICMP:IPinICMP:UDPinICMP:DNS");
	d = nd_packet_dns(p);
	assert_non_null(d);
	assert_int_equal(nd_dns_qname(d, 0, name, sizeof(name)), 1);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* Something that is not IPv4 in the quote: Raw. */
	n = pkt_hex(b, sizeof(b),
		    "45000030 00010000 40010000 0a000009 0a000003 |"
		    "0300 0000 00000000 | 6500000000000000 0000000000000000 00000000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:ICMP:Raw");

	/* ICMPv6 destination unreachable quoting IPv6/UDP with data. */
	n = pkt_hex(b, sizeof(b),
		    V6("003a") "0104 0000 00000000 |"
		    "60000000 0008 11 40 20010db8000000000000000000000003"
		    " 20010db8000000000000000000000009 |"
		    "9c42 829a 000d 0000 7072");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p),
			    "IPv6:ICMPv6:IPv6inICMPv6:UDPinICMP:Raw");
	assert_string_equal(nd_packet_layer_name(p, 1),
			    "ICMPv6 Destination Unreachable");
	assert_string_equal(nd_packet_layer_name(p, 2), "IPv6 in ICMPv6");
	assert_int_equal(p->layer[1].len, 8);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_icmpv6_types),
		cmocka_unit_test(test_icmpv6_nd_options),
		cmocka_unit_test(test_icmp_errors_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
