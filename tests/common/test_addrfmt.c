/*
 * test_addrfmt.c: MAC, IPv4 and IPv6 text (RFC 5952 examples), buffer
 * sizes, and IPv6 against inet_pton round trips.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addrfmt.h"

static void test_mac_ipv4(void **state)
{
	static const uint8_t mac[6] = {0x00, 0x1b, 0xAA, 0xff, 0x0, 0x9};
	static const uint8_t ip[4] = {192, 0, 2, 255};
	static const uint8_t zero[4] = {0, 0, 0, 0};
	char b[ND_IP_TEXT_MAX];

	(void)state;
	assert_int_equal(nd_fmt_mac(mac, b, sizeof(b)), 17);
	assert_string_equal(b, "00:1b:aa:ff:00:09");
	assert_int_equal(nd_fmt_mac(mac, b, 17), -ENOSPC);
	assert_string_equal(b, "");
	assert_int_equal(nd_fmt_mac(mac, b, 18), 17);
	assert_int_equal(nd_fmt_ipv4(ip, b, sizeof(b)), 11);
	assert_string_equal(b, "192.0.2.255");
	assert_int_equal(nd_fmt_ipv4(zero, b, sizeof(b)), 7);
	assert_string_equal(b, "0.0.0.0");
	assert_int_equal(nd_fmt_ipv4(ip, b, 11), -ENOSPC);
	assert_int_equal(nd_fmt_ip(5, ip, b, sizeof(b)), -EINVAL);
	assert_int_equal(nd_fmt_ip(4, ip, b, sizeof(b)), 11);
	assert_int_equal(nd_fmt_ipv4(ip, NULL, 0), -ENOSPC);
}

static void v6(const char *in, const char *want)
{
	uint8_t a[16];
	char b[ND_IPV6_TEXT_MAX];

	assert_int_equal(inet_pton(AF_INET6, in, a), 1);
	assert_int_equal(nd_fmt_ipv6(a, b, sizeof(b)), (int)strlen(want));
	assert_string_equal(b, want);
}

static void test_ipv6_rfc5952(void **state)
{
	(void)state;
	v6("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
	v6("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");    /* first of ties */
	v6("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"); /* single 0 kept */
	v6("2001:0:0:1:0:0:0:1", "2001:0:0:1::1");          /* longest run */
	v6("2001:DB8::AbCd", "2001:db8::abcd");
	v6("::", "::");
	v6("::1", "::1");
	v6("1::", "1::");
	v6("fe80::1:2", "fe80::1:2");
	v6("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8");
	v6("::ffff:192.0.2.1", "::ffff:192.0.2.1");
	v6("::ffff:0:0", "::ffff:0.0.0.0");
	v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	   "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	v6("0:0:1::", "0:0:1::");
	v6("0:0:0:14a:0:0:0:d900", "::14a:0:0:0:d900");
}

static void test_ipv6_round_trip(void **state)
{
	char b[ND_IPV6_TEXT_MAX];
	uint8_t a[16], back[16];

	(void)state;
	srand(7);
	for (int i = 0; i < 20000; i++) {
		for (int k = 0; k < 16; k++)
			a[k] = (rand() & 3) ? 0 : (uint8_t)rand();
		assert_true(nd_fmt_ipv6(a, b, sizeof(b)) > 0);
		assert_int_equal(inet_pton(AF_INET6, b, back), 1);
		assert_memory_equal(a, back, 16);
		assert_null(strstr(b, ":::"));
	}
	memset(a, 0xff, 16);
	assert_int_equal(nd_fmt_ipv6(a, b, 39), -ENOSPC);
	assert_int_equal(nd_fmt_ipv6(a, b, 40), 39);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_ipv4),
		cmocka_unit_test(test_ipv6_rfc5952),
		cmocka_unit_test(test_ipv6_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
