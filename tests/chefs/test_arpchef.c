/*
 * test_arpchef.c: ARPChef (chefs/arpchef.c) loaded from the build tree:
 * netdumplings' payload for requests and replies, its two notes, other
 * operations, and non-ARP packets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

static void test_request(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "arpchef", NULL, 0), 0);
	ct_packet(&ct, ct_arp(&f, 1, "aa:bb:cc:dd:ee:ff", "10.0.1.100", "00:00:00:00:00:00",
			      "10.0.1.99", 1499041214, 205803));
	assert_true(ct_json_eq(ct_payload(&ct, 0, "ARPChef", "packet"),
			       "{\"operation\":\"request\",\"src_hw\":\"aa:bb:cc:dd:ee:ff\","
			       "\"src_ip\":\"10.0.1.100\",\"dst_hw\":\"00:00:00:00:00:00\","
			       "\"dst_ip\":\"10.0.1.99\",\"time\":1499041214.205803,\"notes\":null}"));
	/* A request teaches nothing: a later reply from it is still new. */
	ct_packet(&ct, ct_arp(&f, 2, "aa:bb:cc:dd:ee:ff", "10.0.1.100", "11:22:33:44:55:66",
			      "10.0.1.99", 1499041215, 0));
	assert_true(ct_json_eq(ct_payload(&ct, 1, "ARPChef", "packet"),
			       "{\"operation\":\"reply\",\"src_hw\":\"aa:bb:cc:dd:ee:ff\","
			       "\"src_ip\":\"10.0.1.100\",\"dst_hw\":\"11:22:33:44:55:66\","
			       "\"dst_ip\":\"10.0.1.99\",\"time\":1499041215.0,"
			       "\"notes\":\"source device is new\"}"));
	ct_close(&ct);
}

static void test_reply_notes(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "arpchef", NULL, 0), 0);
	ct_packet(&ct, ct_arp(&f, 2, "aa:bb:cc:dd:ee:ff", "10.0.1.100", "11:22:33:44:55:66",
			      "10.0.1.99", 10, 0));
	ct_packet(&ct, ct_arp(&f, 2, "aa:bb:cc:dd:ee:ff", "10.0.1.100", "11:22:33:44:55:66",
			      "10.0.1.99", 11, 0));
	ct_packet(&ct, ct_arp(&f, 2, "02:02:02:02:02:02", "10.0.1.100", "11:22:33:44:55:66",
			      "10.0.1.99", 12, 500000));
	assert_int_equal(ct_count(&ct), 3);
	assert_true(ct_json_eq(json_object_get(ct_payload(&ct, 0, "ARPChef", "packet"), "notes"),
			       "\"source device is new\""));
	assert_true(ct_json_eq(json_object_get(ct_payload(&ct, 1, "ARPChef", "packet"), "notes"),
			       "null"));
	assert_true(ct_json_eq(ct_payload(&ct, 2, "ARPChef", "packet"),
			       "{\"operation\":\"reply\",\"src_hw\":\"02:02:02:02:02:02\","
			       "\"src_ip\":\"10.0.1.100\",\"dst_hw\":\"11:22:33:44:55:66\","
			       "\"dst_ip\":\"10.0.1.99\",\"time\":12.5,"
			       "\"notes\":\"source device has new IP address\"}"));
	ct_close(&ct);
}

static void test_other_operations_and_non_arp(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "arpchef", NULL, 0), 0);
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40000, "17.253.144.10", 80, "test", 4, 1, 0));
	assert_int_equal(ct_count(&ct), 0);
	ct_packet(&ct, ct_arp(&f, 3, "aa:bb:cc:dd:ee:ff", "10.0.1.100", "00:00:00:00:00:00",
			      "10.0.1.99", 1, 0));
	assert_true(ct_json_eq(json_object_get(ct_payload(&ct, 0, "ARPChef", "packet"), "operation"),
			       "3"));
	ct_poke(&ct, 5.0); /* no interval dumplings */
	assert_int_equal(ct_count(&ct), 1);
	ct_close(&ct);
}

static void test_device_memory_is_bounded(void **state)
{
	const char *opts[] = {"ARPChef.max_devices=1"};
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "arpchef", opts, 1), 0);
	ct_packet(&ct, ct_arp(&f, 2, "aa:aa:aa:aa:aa:aa", "10.0.0.1", "11:22:33:44:55:66",
			      "10.0.0.9", 1, 0));
	ct_packet(&ct, ct_arp(&f, 2, "bb:bb:bb:bb:bb:bb", "10.0.0.2", "11:22:33:44:55:66",
			      "10.0.0.9", 2, 0)); /* forgets 10.0.0.1 */
	ct_packet(&ct, ct_arp(&f, 2, "aa:aa:aa:aa:aa:aa", "10.0.0.1", "11:22:33:44:55:66",
			      "10.0.0.9", 3, 0));
	assert_true(ct_json_eq(json_object_get(ct_payload(&ct, 2, "ARPChef", "packet"), "notes"),
			       "\"source device is new\""));
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_reply_notes),
		cmocka_unit_test(test_other_operations_and_non_arp),
		cmocka_unit_test(test_device_memory_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
