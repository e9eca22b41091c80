/*
 * test_tls_sni.c: server name from TLS ClientHellos: where the extension
 * sits, hellos without it, every cut-off point, lengths that overrun their
 * enclosing structure, things that are not ClientHellos, and the packet
 * accessor.
 */
#include <errno.h>
#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/pkt_check.h"
#include "tls_sni.h"

struct hello {
	uint8_t b[1024];
	size_t n;
	size_t sni_len_at; /* offset of the host_name length */
	size_t ext_len_at; /* offset of the extensions block length */
};

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Builds a ClientHello with `before` filler extensions ahead of
 * server_name (none if name is NULL); no extensions at all if noext. */
static void build(struct hello *h, const char *name, int before, bool noext)
{
	uint8_t *b = h->b;
	size_t o = 9, ext0;

	memset(h, 0, sizeof(*h));
	b[0] = 22;
	b[1] = 3;
	b[2] = 1;
	b[5] = 1;
	b[o++] = 3;
	b[o++] = 3;
	memset(b + o, 0x11, 32);
	o += 32;
	b[o++] = 32;
	memset(b + o, 0x22, 32);
	o += 32;
	put16(b + o, 4);
	o += 2;
	memcpy(b + o, "\x13\x01\x13\x02", 4);
	o += 4;
	b[o++] = 1;
	b[o++] = 0;
	if (!noext) {
		h->ext_len_at = o;
		o += 2;
		ext0 = o;
		for (int i = 0; i < before; i++) {
			put16(b + o, 0xff00 + (size_t)i);
			put16(b + o + 2, 3);
			memcpy(b + o + 4, "xyz", 3);
			o += 7;
		}
		if (name) {
			size_t l = strlen(name);

			put16(b + o, 0);
			put16(b + o + 2, l + 5);
			put16(b + o + 4, l + 3);
			b[o + 6] = 0;
			h->sni_len_at = o + 7;
			put16(b + o + 7, l);
			memcpy(b + o + 9, name, l);
			o += 9 + l;
		}
		put16(b + o, 10);
		put16(b + o + 2, 2);
		o += 6;
		put16(b + h->ext_len_at, o - ext0);
	}
	put16(b + 3, o - 5);
	b[6] = (uint8_t)((o - 9) >> 16);
	put16(b + 7, o - 9);
	h->n = o;
}

static int parse_copy(struct nd_tls_hello *t, const uint8_t *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	memcpy(c, b, n);
	rc = nd_tls_sni_parse(t, c, n);
	/* The slice must point into c: compare before freeing. */
	if (rc == 0 && t->has_sni) {
		assert_true(t->sni.ptr >= c && t->sni.ptr + t->sni.len <= c + n);
		t->sni.ptr = b + (t->sni.ptr - c);
	}
	free(c);
	return rc;
}

static void test_sni_found(void **state)
{
	struct hello h;
	struct nd_tls_hello t;

	(void)state;
	for (int before = 0; before < 4; before++) {
		build(&h, "www.example.org", before, false);
		assert_int_equal(parse_copy(&t, h.b, h.n), 0);
		assert_true(t.has_sni);
		assert_true(nd_slice_eq(t.sni, "www.example.org"));
		assert_int_equal(t.record_version, 0x0301);
		assert_int_equal(t.hello_version, 0x0303);
	}
	build(&h, NULL, 2, false);
	assert_int_equal(parse_copy(&t, h.b, h.n), 0);
	assert_false(t.has_sni);
	build(&h, NULL, 0, true);
	assert_int_equal(parse_copy(&t, h.b, h.n), 0);
	assert_false(t.has_sni);
}

static void test_sni_every_cut(void **state)
{
	struct hello h;
	struct nd_tls_hello t;

	(void)state;
	build(&h, "cut.example", 3, false);
	for (size_t k = 1; k < h.n; k++) {
		int rc = parse_copy(&t, h.b, k);

		if (k >= h.sni_len_at + 2 + strlen("cut.example")) {
			assert_int_equal(rc, 0);
			assert_true(nd_slice_eq(t.sni, "cut.example"));
		} else {
			assert_int_equal(rc, -EAGAIN);
		}
	}
	assert_int_equal(parse_copy(&t, h.b, 0), -EINVAL);
}

static void test_sni_bad_lengths(void **state)
{
	struct hello h;
	struct nd_tls_hello t;

	(void)state;
	/* Session id longer than 32. */
	build(&h, "a.example", 0, false);
	h.b[9 + 2 + 32] = 33;
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	/* Extensions block longer than the hello. */
	build(&h, "a.example", 0, false);
	put16(h.b + h.ext_len_at, 500);
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	/* host_name longer than its list. */
	build(&h, "a.example", 1, false);
	put16(h.b + h.sni_len_at, 40);
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	/* Empty host_name. */
	build(&h, "a.example", 1, false);
	put16(h.b + h.sni_len_at, 0);
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	/* Handshake length below the fixed part. */
	build(&h, "a.example", 0, false);
	h.b[6] = 0;
	h.b[7] = 0;
	h.b[8] = 10;
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	/* Hello longer than its record: cut off, not invalid. */
	build(&h, "a.example", 0, false);
	put16(h.b + 3, 60);
	assert_int_equal(parse_copy(&t, h.b, h.n), -EAGAIN);
}

static void test_not_client_hello(void **state)
{
	struct hello h;
	struct nd_tls_hello t;

	(void)state;
	build(&h, "a.example", 0, false);
	h.b[0] = 23; /* application data */
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	build(&h, "a.example", 0, false);
	h.b[5] = 2; /* ServerHello */
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	build(&h, "a.example", 0, false);
	h.b[1] = 2; /* SSL 2 */
	assert_int_equal(parse_copy(&t, h.b, h.n), -EINVAL);
	assert_int_equal(parse_copy(&t, (const uint8_t *)"GET / HTTP/1.1\r\n", 16),
			 -EINVAL);
}

static void test_packet_accessor(void **state)
{
	uint8_t b[1200];
	struct hello h;
	size_t n = pkt_hex(b, sizeof(b),
			   "45000000 00010000 40060000 0a000001 0a000002 |"
			   "c000 01bb 00000001 00000002 5018ffff 00000000");
	const struct nd_packet *p;
	struct nd_slice s;

	(void)state;
	build(&h, "pkt.example", 1, false);
	memcpy(b + n, h.b, h.n);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)(n + h.n));
	s = nd_packet_tls_sni(p);
	assert_true(nd_slice_eq(s, "pkt.example"));
	assert_non_null(nd_packet_tls(p));
	assert_null(nd_packet_http(p));
	pkt_check_truncations(DLT_RAW, b, (uint32_t)(n + h.n));
	/* Not TCP: no TLS even with the same bytes. */
	b[9] = 17;
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)(n + h.n));
	assert_null(nd_packet_tls(p));
	assert_int_equal(nd_packet_tls_sni(p).len, 0);
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sni_found),
		cmocka_unit_test(test_sni_every_cut),
		cmocka_unit_test(test_sni_bad_lengths),
		cmocka_unit_test(test_not_client_hello),
		cmocka_unit_test(test_packet_accessor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
