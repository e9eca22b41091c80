/*
 * test_http_req.c: HTTP/1.x request line and Host: methods, targets,
 * versions, header forms, cut-off requests, things that are not HTTP.
 */
#include <errno.h>
#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http_req.h"
#include "support/pkt_check.h"

static int parse(struct nd_http_req *r, const char *s, size_t n)
{
	return nd_http_req_parse(r, (const uint8_t *)s, n);
}

static void test_http_basic(void **state)
{
	static const char req[] = "GET /index.html?q=1 HTTP/1.1\r\n"
				  "User-Agent: x\r\n"
				  "hOsT: \t www.example.org:8080 \r\n"
				  "Host: second.example\r\n"
				  "\r\n";
	struct nd_http_req r;

	(void)state;
	assert_int_equal(parse(&r, req, strlen(req)), 0);
	assert_true(nd_slice_eq(r.method, "GET"));
	assert_true(nd_slice_eq(r.target, "/index.html?q=1"));
	assert_int_equal(r.version_minor, 1);
	assert_true(r.has_host);
	assert_true(nd_slice_eq(r.host, "www.example.org:8080"));
	assert_true(r.headers_complete);
}

static void test_http_variants(void **state)
{
	struct nd_http_req r;
	const char *s;

	(void)state;
	s = "POST http://a/b HTTP/1.0\nHost:a\n\n";
	assert_int_equal(parse(&r, s, strlen(s)), 0);
	assert_true(nd_slice_eq(r.method, "POST"));
	assert_int_equal(r.version_minor, 0);
	assert_true(nd_slice_eq(r.host, "a"));
	assert_true(r.headers_complete);
	s = "OPTIONS * HTTP/1.1\r\n";
	assert_int_equal(parse(&r, s, strlen(s)), 0);
	assert_false(r.has_host);
	assert_false(r.headers_complete);
	s = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n";
	assert_int_equal(parse(&r, s, strlen(s)), 0);
	assert_true(nd_slice_eq(r.host, "239.255.255.250:1900"));
	/* Host line cut before its end: not taken. */
	s = "GET / HTTP/1.1\r\nHost: exa";
	assert_int_equal(parse(&r, s, strlen(s)), 0);
	assert_false(r.has_host);
	/* Empty Host value. */
	s = "GET / HTTP/1.1\r\nHost:\r\n\r\n";
	assert_int_equal(parse(&r, s, strlen(s)), 0);
	assert_true(r.has_host);
	assert_int_equal(r.host.len, 0);
	/* "Hostname:" is not "Host:". */
	s = "GET / HTTP/1.1\r\nHostname: x\r\n\r\n";
	assert_int_equal(parse(&r, s, strlen(s)), 0);
	assert_false(r.has_host);
}

static void test_http_cut_everywhere(void **state)
{
	static const char req[] = "DELETE /x HTTP/1.1\r\nHost: h\r\n\r\n";
	struct nd_http_req r;
	size_t line = strlen("DELETE /x HTTP/1.1\r\n");

	(void)state;
	for (size_t k = 1; k <= strlen(req); k++) {
		char *c = malloc(k);
		int rc;

		memcpy(c, req, k);
		rc = parse(&r, c, k);
		assert_int_equal(rc, k < line ? -EAGAIN : 0);
		if (rc == 0)
			assert_int_equal(r.has_host, k >= line + 9);
		free(c);
	}
	assert_int_equal(parse(&r, req, 0), -EINVAL);
}

static void test_http_not_http(void **state)
{
	struct nd_http_req r;
	static const char *const bad[] = {
		"get / HTTP/1.1\r\n",          /* lowercase method */
		"GET  / HTTP/1.1\r\n",         /* empty target */
		"GET / HTTP/2.0\r\n",          /* not 1.x */
		"GET / HTTP/1.x\r\n",
		"GET / HTTP/1.1 \r\n",
		"GET / HTTP/1.1\rX",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
		"ABCDEFGHIJKLMNOPQ / HTTP/1.1\r\n", /* 17-letter method */
		"\x16\x03\x01\x00\x10",
		"GET /\x01 HTTP/1.1\r\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(&r, bad[i], strlen(bad[i])), -EINVAL);
	assert_int_equal(parse(&r, "ABCDEFGHIJKLMNOP", 16), -EAGAIN);
}

static void test_http_packet_accessor(void **state)
{
	static const char req[] = "HEAD /h HTTP/1.1\r\nHost: pkt.example\r\n\r\n";
	uint8_t b[256];
	size_t n = pkt_hex(b, sizeof(b),
			   "45000000 00010000 40060000 0a000001 0a000002 |"
			   "c000 0050 00000001 00000002 5018ffff 00000000");
	const struct nd_packet *p;
	const struct nd_http_req *h;

	(void)state;
	memcpy(b + n, req, strlen(req));
	n += strlen(req);
	p = pkt_dissect_full(DLT_RAW, b, (uint32_t)n);
	h = nd_packet_http(p);
	assert_non_null(h);
	assert_true(nd_slice_eq(h->method, "HEAD"));
	assert_true(nd_slice_eq(h->host, "pkt.example"));
	assert_null(nd_packet_tls(p));
	pkt_check_truncations(DLT_RAW, b, (uint32_t)n);
	pkt_check_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_basic),
		cmocka_unit_test(test_http_variants),
		cmocka_unit_test(test_http_cut_everywhere),
		cmocka_unit_test(test_http_not_http),
		cmocka_unit_test(test_http_packet_accessor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
