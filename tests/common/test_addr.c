/* test_addr.c: HOST:PORT and ws[s]:// address parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "addr.h"

#include <errno.h>
#include <string.h>

struct good_case {
	const char *in;
	const char *host;
	unsigned port;
	bool tls;
	bool ipv6;
	const char *path;
};

static void test_good_addresses(void **state)
{
	static const struct good_case cases[] = {
		{"localhost", "localhost", 11347, false, false, "/"},
		{"localhost:9000", "localhost", 9000, false, false, "/"},
		{"192.0.2.1:80", "192.0.2.1", 80, false, false, "/"},
		{"hub.example.org", "hub.example.org", 11347, false, false, "/"},
		{"[::1]", "::1", 11347, false, true, "/"},
		{"[2001:db8::1]:443", "2001:db8::1", 443, false, true, "/"},
		{"::1", "::1", 11347, false, true, "/"},
		{"fe80::1", "fe80::1", 11347, false, true, "/"},
		{"ws://h:1", "h", 1, false, false, "/"},
		{"ws://h", "h", 11347, false, false, "/"},
		{"wss://hub.example.org:11348/eat", "hub.example.org", 11348, true, false, "/eat"},
		{"wss://[::1]:65535/a/b?c=d", "::1", 65535, true, true, "/a/b?c=d"},
		{"ws://under_score-host.lan/", "under_score-host.lan", 11347, false, false, "/"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nd_addr a;
		const char *why = NULL;
		int rc = nd_addr_parse(cases[i].in, 11347, &a, &why);

		if (rc != 0)
			fail_msg("%s: rejected: %s", cases[i].in, why ? why : "?");
		assert_string_equal(a.host, cases[i].host);
		assert_int_equal(a.port, cases[i].port);
		assert_int_equal(a.tls, cases[i].tls);
		assert_int_equal(a.ipv6, cases[i].ipv6);
		assert_string_equal(a.path, cases[i].path);
	}
}

struct bad_case {
	const char *in;
	const char *why;
};

static void test_bad_addresses(void **state)
{
	static const struct bad_case cases[] = {
		{"", "empty address"},
		{"host:", "empty port"},
		{"host:0", "port is not a number"},
		{"host:65536", "port is not a number"},
		{"host:12ab", "port is not a number"},
		{"host:-1", "port is not a number"},
		{":80", "empty host"},
		{"[::1", "without a closing"},
		{"[zzz]:80", "not an IPv6 address"},
		{"[::1]x", "unexpected text"},
		{"1:2:3:zz", "not an IPv6 address"},
		{"http://h:1", "unsupported URL scheme"},
		{"ws://", "URL has no host"},
		{"ws:///path", "URL has no host"},
		{"bad host:1", "not allowed"},
		{"h\xc3\xa9:1", "not allowed"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nd_addr a;
		const char *why = NULL;
		int rc = nd_addr_parse(cases[i].in, 11347, &a, &why);

		if (rc != -EINVAL || !why || !strstr(why, cases[i].why))
			fail_msg("%s: rc=%d why=%s, wanted %s", cases[i].in, rc,
				 why ? why : "(null)", cases[i].why);
	}
	assert_int_equal(nd_addr_parse(NULL, 1, &(struct nd_addr){0}, NULL), -EINVAL);
}

static void test_too_long(void **state)
{
	char buf[2000];
	struct nd_addr a;
	const char *why = NULL;

	memset(buf, 'a', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	assert_int_equal(nd_addr_parse(buf, 1, &a, &why), -EINVAL);
	assert_non_null(why);
	/* 300-byte host fits the input buffer but not the host field. */
	buf[300] = '\0';
	why = NULL;
	assert_int_equal(nd_addr_parse(buf, 1, &a, &why), -EINVAL);
	assert_string_equal(why, "host name too long");
}

static void test_format(void **state)
{
	struct nd_addr a;
	char buf[300];

	assert_int_equal(nd_addr_parse("[::1]:5", 1, &a, NULL), 0);
	assert_string_equal(nd_addr_format(&a, buf, sizeof(buf)), "[::1]:5");
	assert_int_equal(nd_addr_parse("example.org", 11348, &a, NULL), 0);
	assert_string_equal(nd_addr_format(&a, buf, sizeof(buf)), "example.org:11348");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_addresses),
		cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
