/*
 * test_dnslookupchef.c: DNSLookupChef (chefs/dnslookupchef.c) loaded from
 * the build tree: netdumplings' payloads for lookups and lookups_seen, the
 * trailing dot, responses, and the bounded host table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

#include <string.h>

static struct nd_packet *dns_packet(struct ct_frame *f, const char *name, int response)
{
	uint8_t dns[300];
	size_t n = ct_dns_message(dns, sizeof(dns), 0x1234, name, response);

	if (response)
		return ct_udp(f, "10.0.0.53", 53, "10.0.0.1", 40000, dns, n, 1, 0);
	return ct_udp(f, "10.0.0.1", 40000, "10.0.0.53", 53, dns, n, 1, 0);
}

/* netdumplings' test_packet_handler and test_interval_handler. */
static void test_lookup_and_lookups_seen(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "dnslookupchef", NULL, 0), 0);
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "DNSLookupChef", "interval"),
			       "{\"lookups_seen\":{}}"));
	assert_int_equal(ct_packet(&ct, dns_packet(&f, "www.apple.com", 0)), 1);
	assert_true(ct_json_eq(ct_payload(&ct, 1, "DNSLookupChef", "packet"),
			       "{\"lookup\":{\"hostname\":\"www.apple.com\",\"when\":1234567890.5}}"));
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 2, "DNSLookupChef", "interval"),
			       "{\"lookups_seen\":{\"www.apple.com\":{\"count\":1,\"latest\":1234567890.5}}}"));
	ct_close(&ct);
}

static void test_trailing_dot_is_stripped(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "dnslookupchef", NULL, 0), 0);
	ct_packet(&ct, dns_packet(&f, "www.apple.com.", 0));
	assert_true(ct_json_eq(ct_payload(&ct, 0, "DNSLookupChef", "packet"),
			       "{\"lookup\":{\"hostname\":\"www.apple.com\",\"when\":1234567890.5}}"));
	ct_close(&ct);
}

static void test_non_dns_packets_are_ignored(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "dnslookupchef", NULL, 0), 0);
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40000, "10.0.0.2", 80, "test", 4, 1, 0));
	ct_packet(&ct, ct_udp(&f, "10.0.0.1", 40000, "10.0.0.2", 123, "xxxxxxxx", 8, 1, 0));
	/* Port 53 but not a DNS message. */
	ct_packet(&ct, ct_udp(&f, "10.0.0.1", 40000, "10.0.0.2", 53, "abc", 3, 1, 0));
	assert_int_equal(ct_count(&ct), 0);
	ct_close(&ct);
}

static void test_responses_count_like_netdumplings_unless_queries_only(void **state)
{
	const char *opts[] = {"DNSLookupChef.queries_only=1"};
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "dnslookupchef", NULL, 0), 0);
	ct_packet(&ct, dns_packet(&f, "example.org", 0));
	ct_packet(&ct, dns_packet(&f, "example.org", 1));
	ct_poke(&ct, 5.0);
	assert_int_equal(ct_count(&ct), 3);
	assert_true(ct_json_eq(ct_payload(&ct, 2, "DNSLookupChef", "interval"),
			       "{\"lookups_seen\":{\"example.org\":{\"count\":2,\"latest\":1234567890.5}}}"));
	ct_close(&ct);

	assert_int_equal(ct_open_chef(&ct, "dnslookupchef", opts, 1), 0);
	ct_packet(&ct, dns_packet(&f, "example.org", 0));
	ct_packet(&ct, dns_packet(&f, "example.org", 1));
	assert_int_equal(ct_count(&ct), 1);
	ct_close(&ct);
}

static void test_dns_over_ipv6_and_mdns(void **state)
{
	struct chef_test ct;
	struct ct_frame f;
	uint8_t dns[300];
	size_t n = ct_dns_message(dns, sizeof(dns), 0, "printer.local", 0);

	assert_int_equal(ct_open_chef(&ct, "dnslookupchef", NULL, 0), 0);
	ct_packet(&ct, ct_udp(&f, "2001:db8::1", 40000, "2001:db8::53", 53, dns, n, 1, 0));
	ct_packet(&ct, ct_udp(&f, "10.0.0.1", 5353, "224.0.0.251", 5353, dns, n, 1, 0));
	assert_int_equal(ct_count(&ct), 2);
	assert_true(ct_json_eq(ct_payload(&ct, 1, "DNSLookupChef", "packet"),
			       "{\"lookup\":{\"hostname\":\"printer.local\",\"when\":1234567890.5}}"));
	ct_close(&ct);
}

static void test_host_table_is_bounded(void **state)
{
	const char *opts[] = {"DNSLookupChef.max_hosts=2"};
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "dnslookupchef", opts, 1), 0);
	ct_packet(&ct, dns_packet(&f, "a.example", 0));
	ct_packet(&ct, dns_packet(&f, "b.example", 0));
	ct_packet(&ct, dns_packet(&f, "a.example", 0)); /* a is now the most recent */
	ct_packet(&ct, dns_packet(&f, "c.example", 0)); /* evicts b */
	ct_clear(&ct);
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "DNSLookupChef", "interval"),
			       "{\"lookups_seen\":{\"a.example\":{\"count\":2,\"latest\":1234567890.5},"
			       "\"c.example\":{\"count\":1,\"latest\":1234567890.5}},"
			       "\"lookups_evicted\":1}"));
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_and_lookups_seen),
		cmocka_unit_test(test_trailing_dot_is_stripped),
		cmocka_unit_test(test_non_dns_packets_are_ignored),
		cmocka_unit_test(test_responses_count_like_netdumplings_unless_queries_only),
		cmocka_unit_test(test_dns_over_ipv6_and_mdns),
		cmocka_unit_test(test_host_table_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
