/*
 * test_pkt_ipv4.c: IPv4 header, options, fragments, length claims,
 * padding, truncation.
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

/* 10.0.0.1 -> 192.0.2.9, TCP 1000 -> 80, ACK, no payload. */
#define TCP_ACK "03e80050 00000001 00000002 5010ffff 00000000"

static void test_ipv4_fields(void **state)
{
	uint8_t b[256];
	char s[ND_IPV4_TEXT_MAX];
	size_t n = pkt_hex(b, sizeof(b),
			   "45b80028 abcd4000 3f060000 0a000001 c0000209 |" TCP_ACK);
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p), "IP:TCP");
	assert_int_equal(p->ip.version, 4);
	assert_int_equal(p->ip.tos, 0xb8);
	assert_int_equal(p->ip.total_len, 40);
	assert_int_equal(p->ip.id, 0xabcd);
	assert_true(p->ip.df);
	assert_false(p->ip.is_fragment);
	assert_int_equal(p->ip.ttl, 63);
	assert_int_equal(p->ip.proto, 6);
	assert_int_equal(p->ip.hdr_len, 20);
	nd_fmt_ipv4(p->ip.src, s, sizeof(s));
	assert_string_equal(s, "10.0.0.1");
	nd_fmt_ipv4(p->ip.dst, s, sizeof(s));
	assert_string_equal(s, "192.0.2.9");
	assert_int_equal(p->ip.src[4], 0); /* rest of the 16 bytes zero */
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

static void test_ipv4_options(void **state)
{
	uint8_t b[256];
	/* IHL 7: record-route option (7 bytes) + EOL. */
	size_t n = pkt_hex(b, sizeof(b),
			   "47000030 00010000 40060000 0a000001 c0000209"
			   " 07070400000000 00 |" TCP_ACK);
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p), "IP:TCP");
	assert_int_equal(p->ip.hdr_len, 28);
	assert_int_equal(p->layer[0].len, 28);
	assert_int_equal(p->layer[1].off, 28);
	assert_int_equal(p->dport, 80);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

static void test_ipv4_bad_headers(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* IHL below 5. */
	n = pkt_hex(b, sizeof(b),
		    "44000028 00010000 40060000 0a000001 c0000209 |" TCP_ACK);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_int_equal(p->nlayers, 0);
	/* IHL 15 but only 20 bytes captured after it. */
	n = pkt_hex(b, sizeof(b),
		    "4f000028 00010000 40060000 0a000001 c0000209 |" TCP_ACK);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_SHORT);
	assert_int_equal(p->nlayers, 0);
	/* Total length shorter than the header. */
	n = pkt_hex(b, sizeof(b),
		    "45000010 00010000 40060000 0a000001 c0000209 |" TCP_ACK);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	/* Ethernet says IPv4, the version nibble says 6. */
	n = pkt_hex(b, sizeof(b),
		    "020000000002 020000000001 0800 |"
		    "65000028 00010000 40060000 0a000001 c0000209 |" TCP_ACK);
	p = pkt_dissect_full(DLT_EN10MB, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_string_equal(pkt_layers(p), "Ethernet");
	pkt_check_done();
}

static void test_ipv4_lengths(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* Total length 0 (segmentation offload): to the end of capture. */
	n = pkt_hex(b, sizeof(b),
		    "45000000 00010000 40060000 0a000001 c0000209 |" TCP_ACK
		    "6869");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:TCP:Raw");
	assert_int_equal(p->payload_len, 2);
	/* Total length 40 but 46 bytes captured: Padding. */
	n = pkt_hex(b, sizeof(b),
		    "45000028 00010000 40060000 0a000001 c0000209 |" TCP_ACK
		    "000000000000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:TCP:Padding");
	assert_int_equal(p->payload_len, 0);
	assert_int_equal(p->layer[2].len, 6);
	/* Total length beyond the capture (and wire): clipped, no flags. */
	n = pkt_hex(b, sizeof(b),
		    "450005dc 00010000 40060000 0a000001 c0000209 |" TCP_ACK
		    "6869");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:TCP:Raw");
	assert_int_equal(p->payload_len, 2);
	pkt_check_done();
}

static void test_ipv4_fragments(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* First fragment (MF, offset 0): transport header parsed. */
	n = pkt_hex(b, sizeof(b),
		    "45000024 00072000 40110000 0a000001 c0000209 |"
		    "13881389 00300000 41414141");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:UDP:Raw");
	assert_true(p->ip.is_fragment);
	assert_true(p->ip.more_fragments);
	assert_int_equal(p->ip.frag_offset, 0);
	assert_int_equal(p->ip.frag_id, 7);
	assert_int_equal(p->sport, 5000);
	/* Later fragment (offset 6*8): Raw only, no ports. */
	n = pkt_hex(b, sizeof(b),
		    "4500001c 00070006 40110000 0a000001 c0000209 |"
		    "4242424242424242");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:Raw");
	assert_true(p->ip.is_fragment);
	assert_false(p->ip.more_fragments);
	assert_int_equal(p->ip.frag_offset, 48);
	assert_int_equal(p->sport, 0);
	assert_false(nd_packet_has(p, ND_LAYER_UDP));
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

static void test_ipv4_other_protocols(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* GRE (47): not dissected further. */
	n = pkt_hex(b, sizeof(b),
		    "45000018 00010000 402f0000 0a000001 c0000209 00000800");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:Raw");
	assert_int_equal(p->ip.proto, 47);
	/* ICMPv6 number inside IPv4: Raw, not ICMPv6. */
	b[9] = 58;
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:Raw");
	/* No payload at all. */
	n = pkt_hex(b, sizeof(b),
		    "45000014 00010000 40060000 0a000001 c0000209");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP");
	assert_true(p->flags & ND_PKT_SHORT); /* TCP header missing */
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_fields),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv4_bad_headers),
		cmocka_unit_test(test_ipv4_lengths),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv4_other_protocols),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
