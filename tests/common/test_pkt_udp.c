/*
 * test_pkt_udp.c: UDP header, its length field against IP's, DNS ports,
 * padding, truncation.
 */
#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "packet.h"
#include "support/pkt_check.h"

#define IP4(len) "4500" len " 00010000 40110000 0a000001 0a000002 |"

static void test_udp_basic(void **state)
{
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b), IP4("001f") "0044 0043 000b 0000 616263");
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p), "IP:UDP:Raw");
	assert_int_equal(p->sport, 68);
	assert_int_equal(p->dport, 67);
	assert_int_equal(p->udp.len, 11);
	assert_int_equal(p->payload_len, 3);
	assert_null(nd_packet_dns(p));
	assert_null(nd_packet_tls(p));
	assert_null(nd_packet_http(p));
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

static void test_udp_lengths(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* UDP length shorter than IP's: the rest is Padding. */
	n = pkt_hex(b, sizeof(b), IP4("001f") "0044 0043 0009 0000 616263");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:Raw:Padding");
	assert_int_equal(p->payload_len, 1);
	assert_int_equal(p->layer[3].off, 29);
	assert_int_equal(p->layer[3].len, 2);
	/* Both UDP and IP lengths short: one Padding layer covers both. */
	n = pkt_hex(b, sizeof(b),
		    IP4("001e") "0044 0043 0009 0000 616263 000000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:Raw:Padding");
	assert_int_equal(p->layer[3].len, 5);
	/* UDP length beyond IP's: clipped to IP's. */
	n = pkt_hex(b, sizeof(b), IP4("001f") "0044 0043 0100 0000 616263");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:Raw");
	assert_int_equal(p->payload_len, 3);
	/* UDP length below 8: malformed. */
	n = pkt_hex(b, sizeof(b), IP4("001f") "0044 0043 0007 0000 616263");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_string_equal(pkt_layers(p), "IP");
	assert_int_equal(p->sport, 0);
	/* Header only, no payload. */
	n = pkt_hex(b, sizeof(b), IP4("001c") "0044 0043 0008 0000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP");
	pkt_check_done();
}

static void test_udp_dns_ports(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* mDNS (5353 both sides), with a valid empty message. */
	n = pkt_hex(b, sizeof(b),
		    IP4("0028") "14e9 14e9 0014 0000 000084000000000000000000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:DNS");
	assert_non_null(nd_packet_dns(p));
	assert_int_equal(nd_packet_dns(p)->flags, 0x8400);
	/* Source port 53, garbage message: DNS layer, but no parse. */
	n = pkt_hex(b, sizeof(b), IP4("001f") "0035 9999 000b 0000 616263");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:DNS");
	assert_null(nd_packet_dns(p));
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_basic),
		cmocka_unit_test(test_udp_lengths),
		cmocka_unit_test(test_udp_dns_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
