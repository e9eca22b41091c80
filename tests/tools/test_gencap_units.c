/*
 * test_gencap_units.c: unit tests of nd-gencap's parts (tools/gencap/):
 * the PRNG is a pure function of its seed and its exponential variate has
 * mean 1; frames carry valid Internet checksums and are padded to 60 bytes
 * with a Padding layer; DNS messages encode the question name exactly and
 * every compression pointer points backwards into the message; ClientHello
 * lengths nest and the SNI sits where RFC 6066 puts it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dns.h"
#include "frame.h"
#include "names.h"
#include "rng.h"
#include "tls.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void test_rng_deterministic(void **state)
{
	struct gencap_rng a, b;
	uint64_t sum = 0;

	(void)state;
	gencap_rng_seed(&a, 42);
	gencap_rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(gencap_rng_next(&a), gencap_rng_next(&b));
	gencap_rng_seed(&b, 43);
	assert_int_not_equal(gencap_rng_next(&a), gencap_rng_next(&b));
	for (int i = 0; i < 200000; i++)
		sum += gencap_rng_exp_q16(&a);
	/* mean 1.0 in Q16, within 2% */
	assert_in_range(sum / 200000, 65536 * 98 / 100, 65536 * 102 / 100);
	for (int i = 0; i < 10000; i++)
		assert_in_range(gencap_rng_range(&a, 49152, 65535), 49152, 65535);
}

/* One's complement sum over a pseudo header + segment must fold to 0. */
static uint16_t fold_sum(const uint8_t *p, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += get16(p + i);
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static void test_frame_checksums_and_padding(void **state)
{
	static const uint8_t mac1[6] = {2, 0, 0, 0, 0, 1}, mac2[6] = {2, 0, 0, 0, 0, 2};
	static const uint8_t ip1[4] = {192, 168, 1, 10}, ip2[4] = {198, 51, 100, 7};
	struct gencap_frame f;
	const uint8_t *ip, *tcp;
	uint32_t pseudo = 0;
	size_t l4len;

	(void)state;
	gencap_frame_start(&f);
	gencap_frame_eth(&f, mac2, mac1, (struct gencap_tags){0, 0}, 0x0800);
	gencap_frame_ipv4(&f, ip1, ip2, 6, 64, 1);
	gencap_frame_tcp(&f, 50000, 443, 1, 2, GENCAP_TH_RST | GENCAP_TH_ACK, GENCAP_TCPOPT_NONE, 0);
	gencap_frame_finish(&f);
	assert_int_equal(f.len, 60);
	assert_int_equal(f.nlayers, 4);
	assert_int_equal(f.layers[3], GL_PADDING);
	ip = f.buf + 14;
	assert_int_equal(get16(ip + 2), 40);
	assert_int_equal(fold_sum(ip, 20, 0), 0xffff);
	tcp = ip + 20;
	l4len = 20;
	pseudo = get16(ip + 12) + get16(ip + 14) + get16(ip + 16) + get16(ip + 18) + 6 + (uint32_t)l4len;
	assert_int_equal(fold_sum(tcp, l4len, pseudo), 0xffff);

	gencap_frame_start(&f);
	gencap_frame_eth(&f, mac2, mac1, (struct gencap_tags){100, 30}, 0x0800);
	gencap_frame_ipv4(&f, ip1, ip2, 17, 64, 2);
	gencap_frame_udp(&f, 50000, 53);
	gencap_frame_put(&f, "0123456789abcdefghijklmnopqrstuvwxyz", 36);
	gencap_frame_finish(&f);
	assert_int_equal(f.nlayers, 6); /* Ethernet 802_1AD 802.1Q IP UDP DNS */
	assert_int_equal(f.layers[1], GL_DOT1AD);
	assert_int_equal(f.layers[2], GL_DOT1Q);
	assert_int_equal(f.layers[5], GL_DNS);
	assert_int_equal(get16(f.buf + 12), 0x88a8);
	assert_int_equal(get16(f.buf + 16), 0x8100);
}

/* Checks the name at off; returns the offset after it. */
static size_t walk_name(const uint8_t *msg, size_t n, size_t off)
{
	for (int hops = 0; hops < 128; hops++) {
		assert_true(off < n);
		if ((msg[off] & 0xc0) == 0xc0) {
			size_t target = (size_t)(get16(msg + off) & 0x3fff);

			assert_true(target >= 12 && target < off);
			return off + 2;
		}
		if (msg[off] == 0)
			return off + 1;
		assert_true(msg[off] <= 63);
		off += 1 + (size_t)msg[off];
	}
	fail_msg("name too long at %zu", off);
	return n;
}

static void test_dns_names_and_pointers(void **state)
{
	struct gencap_rng r;
	uint8_t msg[512];

	(void)state;
	assert_int_equal(gencap_names_init(9), 0);
	gencap_rng_seed(&r, 9);
	for (uint32_t i = 0; i < GENCAP_NAMES; i++) {
		struct gencap_dns_msg m = {.id = 1, .qtype = (uint16_t)(i % 3 ? 1 : 15), .name = i,
					   .response = 1, .edns = (int)(i & 1)};
		size_t n = gencap_dns_build(msg, sizeof(msg), &m, &r);
		char text[256];
		size_t off = 12, t = 0;

		assert_true(n <= 512);
		/* the question name decodes to the pool's name */
		while (msg[off]) {
			assert_true(msg[off] <= 63);
			if (t)
				text[t++] = '.';
			memcpy(text + t, msg + off + 1, msg[off]);
			t += msg[off];
			off += 1 + (size_t)msg[off];
		}
		text[t] = '\0';
		assert_string_equal(text, gencap_names_get(i));
		assert_int_equal(get16(msg + 6), m.ancount);
		/* walk every record: names are labels ending in a root or a
		 * pointer, each pointer strictly backwards; the walk ends
		 * exactly at the end of the message */
		off += 5; /* root, qtype, qclass */
		for (unsigned rr = 0; rr < m.ancount + (unsigned)m.edns; rr++) {
			uint16_t type, rdlen;

			off = walk_name(msg, n, off);
			type = get16(msg + off);
			rdlen = get16(msg + off + 8);
			off += 10;
			if (type == 5)
				assert_int_equal(walk_name(msg, n, off), off + rdlen);
			if (type == 15)
				assert_int_equal(walk_name(msg, n, off + 2), off + rdlen);
			off += rdlen;
		}
		assert_int_equal(off, n);
	}
	gencap_names_free();
}

static void test_client_hello(void **state)
{
	static const char sni[] = "www.example.org";
	struct gencap_rng r;
	uint8_t b[700];
	size_t n, off;

	(void)state;
	gencap_rng_seed(&r, 1);
	n = gencap_tls_client_hello(b, sizeof(b), sni, strlen(sni), &r);
	assert_int_equal(b[0], 0x16);
	assert_int_equal(get16(b + 3), n - 5);                        /* record */
	assert_int_equal(b[5], 1);                                     /* ClientHello */
	assert_int_equal((size_t)b[6] << 16 | get16(b + 7), n - 9);    /* handshake */
	off = 9 + 2 + 32;                                              /* version, random */
	off += 1 + b[off];                                             /* session id */
	off += 2 + get16(b + off);                                     /* suites */
	off += 1 + b[off];                                             /* compression */
	assert_int_equal(get16(b + off), n - off - 2);                 /* extensions */
	off += 2;
	assert_int_equal(get16(b + off), 0);                           /* server_name */
	assert_int_equal(get16(b + off + 7), strlen(sni));
	assert_memory_equal(b + off + 9, sni, strlen(sni));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_deterministic),
		cmocka_unit_test(test_frame_checksums_and_padding),
		cmocka_unit_test(test_dns_names_and_pointers),
		cmocka_unit_test(test_client_hello),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
