/*
 * test_flowchef.c: FlowChef (chefs/flowchef.c) loaded from the build tree:
 * conversations in both directions, talkers, per-interval restarts, IPv6,
 * and the bounded flow table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

#include <string.h>

static const char ten[] = "0123456789";
static char hundred[100];

static void test_conversations_and_talkers(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	memset(hundred, 'x', sizeof(hundred));
	assert_int_equal(ct_open_chef(&ct, "flowchef", NULL, 0), 0);
	/* 64 + 154 + 64 bytes between A and B, 46 from C to B, 66 over IPv6. */
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40000, "10.0.0.2", 80, ten, 10, 1, 0));
	ct_packet(&ct, ct_tcp(&f, "10.0.0.2", 80, "10.0.0.1", 40000, hundred, 100, 1, 500000));
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40000, "10.0.0.2", 80, ten, 10, 2, 0));
	ct_packet(&ct, ct_udp(&f, "10.0.0.3", 5000, "10.0.0.2", 53, "abcd", 4, 2, 500000));
	ct_packet(&ct, ct_udp(&f, "2001:db8::1", 1000, "2001:db8::2", 2000, "abcd", 4, 3, 0));
	ct_packet(&ct, ct_arp(&f, 1, "02:00:00:00:00:0a", "10.0.0.1", "00:00:00:00:00:00",
			      "10.0.0.2", 3, 0)); /* not IP: not counted */
	assert_int_equal(ct_count(&ct), 0);
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "FlowChef", "interval"),
		"{\"interval\":5.0,\"packets\":5,\"bytes\":394,"
		"\"conversations\":["
		"{\"proto\":6,\"proto_name\":\"TCP\",\"src\":\"10.0.0.1\",\"sport\":40000,"
		"\"dst\":\"10.0.0.2\",\"dport\":80,\"packets\":3,\"bytes\":282,"
		"\"interval_packets\":3,\"interval_bytes\":282,\"first_seen\":1.0,\"last_seen\":2.0},"
		"{\"proto\":17,\"proto_name\":\"UDP\",\"src\":\"2001:db8::1\",\"sport\":1000,"
		"\"dst\":\"2001:db8::2\",\"dport\":2000,\"packets\":1,\"bytes\":66,"
		"\"interval_packets\":1,\"interval_bytes\":66,\"first_seen\":3.0,\"last_seen\":3.0},"
		"{\"proto\":17,\"proto_name\":\"UDP\",\"src\":\"10.0.0.3\",\"sport\":5000,"
		"\"dst\":\"10.0.0.2\",\"dport\":53,\"packets\":1,\"bytes\":46,"
		"\"interval_packets\":1,\"interval_bytes\":46,\"first_seen\":2.5,\"last_seen\":2.5}],"
		"\"talkers\":["
		"{\"ip\":\"10.0.0.2\",\"bytes_sent\":154,\"bytes_received\":174,\"packets_sent\":1,\"packets_received\":3},"
		"{\"ip\":\"10.0.0.1\",\"bytes_sent\":128,\"bytes_received\":154,\"packets_sent\":2,\"packets_received\":1},"
		"{\"ip\":\"2001:db8::1\",\"bytes_sent\":66,\"bytes_received\":0,\"packets_sent\":1,\"packets_received\":0},"
		"{\"ip\":\"2001:db8::2\",\"bytes_sent\":0,\"bytes_received\":66,\"packets_sent\":0,\"packets_received\":1},"
		"{\"ip\":\"10.0.0.3\",\"bytes_sent\":46,\"bytes_received\":0,\"packets_sent\":1,\"packets_received\":0}],"
		"\"flows_tracked\":3,\"flows_evicted\":0,\"talkers_evicted\":0}"));

	/* The next interval: only what happened in it, lifetimes kept. */
	ct_packet(&ct, ct_tcp(&f, "10.0.0.2", 80, "10.0.0.1", 40000, NULL, 0, 4, 0));
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 1, "FlowChef", "interval"),
		"{\"interval\":5.0,\"packets\":1,\"bytes\":54,"
		"\"conversations\":["
		"{\"proto\":6,\"proto_name\":\"TCP\",\"src\":\"10.0.0.1\",\"sport\":40000,"
		"\"dst\":\"10.0.0.2\",\"dport\":80,\"packets\":4,\"bytes\":336,"
		"\"interval_packets\":1,\"interval_bytes\":54,\"first_seen\":1.0,\"last_seen\":4.0}],"
		"\"talkers\":["
		"{\"ip\":\"10.0.0.1\",\"bytes_sent\":0,\"bytes_received\":54,\"packets_sent\":0,\"packets_received\":1},"
		"{\"ip\":\"10.0.0.2\",\"bytes_sent\":54,\"bytes_received\":0,\"packets_sent\":1,\"packets_received\":0}],"
		"\"flows_tracked\":3,\"flows_evicted\":0,\"talkers_evicted\":0}"));
	ct_close(&ct);
}

static void test_bounded_tables_and_top(void **state)
{
	const char *opts[] = {"FlowChef.max_flows=1", "FlowChef.top=1", "FlowChef.max_talkers=1"};
	struct chef_test ct;
	struct ct_frame f;
	json_t *p;

	assert_int_equal(ct_open_chef(&ct, "flowchef", opts, 3), 0);
	ct_packet(&ct, ct_icmp4(&f, "10.0.0.1", "10.0.0.2", 1, 0));
	ct_packet(&ct, ct_icmp4(&f, "10.0.0.3", "10.0.0.4", 2, 0));
	ct_poke(&ct, 1.0);
	p = ct_payload(&ct, 0, "FlowChef", "interval");
	assert_true(ct_json_eq(json_object_get(p, "conversations"),
		"[{\"proto\":1,\"proto_name\":\"ICMP\",\"src\":\"10.0.0.3\",\"sport\":0,"
		"\"dst\":\"10.0.0.4\",\"dport\":0,\"packets\":1,\"bytes\":42,"
		"\"interval_packets\":1,\"interval_bytes\":42,\"first_seen\":2.0,\"last_seen\":2.0}]"));
	assert_int_equal(json_integer_value(json_object_get(p, "flows_tracked")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "flows_evicted")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "talkers_evicted")), 3);
	assert_int_equal(json_array_size(json_object_get(p, "talkers")), 1);
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversations_and_talkers),
		cmocka_unit_test(test_bounded_tables_and_top),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
