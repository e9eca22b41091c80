/*
 * test_packetcountchef.c: PacketCountChef (chefs/packetcountchef.c) loaded
 * from the build tree, driven with crafted frames: per-layer counts keyed by
 * scapy's layer names, one interval dumpling per poke.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

#include <string.h>

static void test_empty_counts_before_any_packet(void **state)
{
	struct chef_test ct;

	assert_int_equal(ct_open_chef(&ct, "packetcountchef", NULL, 0), 0);
	assert_string_equal(nd_chef_runtime_info(ct.rt, 0)->full_name,
			    "packetcountchef.PacketCountChef");
	assert_int_equal(ct_poke(&ct, 5.0), 1);
	assert_int_equal(ct_count(&ct), 1);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "PacketCountChef", "interval"),
			       "{\"packet_counts\":{}}"));
	ct_close(&ct);
}

/* netdumplings' own test: two IP/TCP/Raw packets and one ARP packet. */
static void test_counts_layers_like_netdumplings(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "packetcountchef", NULL, 0), 0);
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40000, "17.253.144.10", 80, "Some raw bytes", 14, 1, 0));
	ct_packet(&ct, ct_arp(&f, 1, "02:00:00:00:00:0a", "192.168.1.10", "00:00:00:00:00:00",
			      "192.168.1.1", 2, 0));
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40001, "10.9.9.9", 80, "More raw bytes", 14, 3, 0));
	assert_int_equal(ct_count(&ct), 0); /* no packet dumplings */
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "PacketCountChef", "interval"),
			       "{\"packet_counts\":{\"Ethernet\":3,\"IP\":2,\"TCP\":2,\"Raw\":2,\"ARP\":1}}"));
	ct_close(&ct);
}

static void test_counts_accumulate_across_intervals(void **state)
{
	struct chef_test ct;
	struct ct_frame f;
	uint8_t dns[256];
	size_t n = ct_dns_message(dns, sizeof(dns), 7, "example.com", 0);

	assert_int_equal(ct_open_chef(&ct, "packetcountchef", NULL, 0), 0);
	ct_packet(&ct, ct_udp(&f, "10.0.0.1", 5353, "10.0.0.53", 53, dns, n, 1, 0));
	ct_poke(&ct, 5.0);
	ct_packet(&ct, ct_udp(&f, "2001:db8::1", 40000, "2001:db8::53", 53, dns, n, 2, 0));
	ct_packet(&ct, ct_icmp4(&f, "10.0.0.1", "10.0.0.2", 3, 0));
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "PacketCountChef", "interval"),
			       "{\"packet_counts\":{\"Ethernet\":1,\"IP\":1,\"UDP\":1,\"DNS\":1}}"));
	assert_true(ct_json_eq(ct_payload(&ct, 1, "PacketCountChef", "interval"),
			       "{\"packet_counts\":{\"Ethernet\":3,\"IP\":2,\"UDP\":2,\"DNS\":2,"
			       "\"IPv6\":1,\"ICMP\":1}}"));
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_counts_before_any_packet),
		cmocka_unit_test(test_counts_layers_like_netdumplings),
		cmocka_unit_test(test_counts_accumulate_across_intervals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
