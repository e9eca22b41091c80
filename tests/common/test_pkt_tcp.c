/*
 * test_pkt_tcp.c: TCP header, options, flags, payload, DNS over TCP,
 * bad data offsets, truncation.
 */
#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "packet.h"
#include "support/pkt_check.h"

#define IP4(len) "4500" len " 00010000 40060000 0a000001 0a000002 |"

static void test_tcp_fields_and_options(void **state)
{
	uint8_t b[256];
	/* SYN|ECE|CWR, NS, MSS 1460, SACK-permitted, wscale 7, NOP. */
	size_t n = pkt_hex(b, sizeof(b),
			   IP4("0034") "c0000050 11223344 00000000 81c2faf0"
				       " 00000000 020405b4 0402 030307 01 0000 |");
	const struct nd_packet *p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);

	(void)state;
	assert_string_equal(pkt_layers(p), "IP:TCP");
	assert_int_equal(p->sport, 49152);
	assert_int_equal(p->dport, 80);
	assert_int_equal(p->tcp.seq, 0x11223344);
	assert_int_equal(p->tcp.flags,
			 ND_TCP_SYN | ND_TCP_ECE | ND_TCP_CWR | ND_TCP_NS);
	assert_int_equal(p->tcp.window, 0xfaf0);
	assert_int_equal(p->tcp.hdr_len, 32);
	assert_int_equal(p->tcp.opt_len, 12);
	assert_int_equal(p->layer[1].len, 32);
	assert_int_equal(p->payload_len, 0);
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

static void test_tcp_payload_raw_and_dns(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;
	const struct nd_dns *d;
	char name[ND_DNS_NAME_TEXT_MAX];

	(void)state;
	n = pkt_hex(b, sizeof(b),
		    IP4("002c") "04d2 1f90 00000001 00000002 5018ffff 00000000 |"
				"68656c6c");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:TCP:Raw");
	assert_int_equal(p->tcp.flags, ND_TCP_PSH | ND_TCP_ACK);
	assert_int_equal(p->tcp.ack, 2);
	assert_int_equal(p->payload_off, 40);
	assert_int_equal(p->payload_len, 4);
	assert_int_equal(nd_packet_payload(p).len, 4);
	assert_memory_equal(nd_packet_payload(p).ptr, "hell", 4);
	assert_null(nd_packet_dns(p));

	/* DNS over TCP: 2-byte length, then the message (query for "x."). */
	n = pkt_hex(b, sizeof(b),
		    IP4("003d") "9c40 0035 00000001 00000002 5018ffff 00000000 |"
				"0013 00070100 00010000 00000000 017800 0001 0001");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_string_equal(pkt_layers(p), "IP:TCP:DNS");
	d = nd_packet_dns(p);
	assert_non_null(d);
	assert_int_equal(d->id, 7);
	assert_int_equal(nd_dns_qname(d, 0, name, sizeof(name)), 1);
	assert_string_equal(name, "x");
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);

	/* Length prefix claiming less than a header: not DNS. */
	b[40] = 0;
	b[41] = 5;
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(nd_packet_has(p, ND_LAYER_DNS));
	assert_null(nd_packet_dns(p));
	pkt_check_done();
}

static void test_tcp_bad_offsets(void **state)
{
	uint8_t b[256];
	size_t n;
	const struct nd_packet *p;

	(void)state;
	/* Data offset 4 (< 5). */
	n = pkt_hex(b, sizeof(b),
		    IP4("0028") "04d2 1f90 00000001 00000002 4010ffff 00000000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_MALFORMED);
	assert_string_equal(pkt_layers(p), "IP");
	assert_int_equal(p->sport, 0);
	/* Data offset 15 past the IP payload end. */
	b[32] = 0xf0;
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_SHORT);
	assert_string_equal(pkt_layers(p), "IP");
	/* IP total length cutting the TCP header. */
	n = pkt_hex(b, sizeof(b),
		    IP4("0020") "04d2 1f90 00000001 00000002 5010ffff 00000000");
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	assert_true(p->flags & ND_PKT_SHORT);
	assert_string_equal(pkt_layers(p), "IP:Padding");
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_fields_and_options),
		cmocka_unit_test(test_tcp_payload_raw_and_dns),
		cmocka_unit_test(test_tcp_bad_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
