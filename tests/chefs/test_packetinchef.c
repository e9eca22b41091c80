/*
 * test_packetinchef.c: PacketInChef (chefs/packetinchef.c) loaded from the
 * build tree: only when named, hex and base64 data with a snap length, the
 * interface, and the rate limit on capture time with its counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

#include <errno.h>

static const char *names[] = {"PacketInChef"};

static int open_pin(struct chef_test *ct, const char **opts, size_t n)
{
	char path[512];

	return ct_open(ct, ct_chef_path("packetinchef", path, sizeof(path)), names, 1, opts, n);
}

static void test_only_when_named(void **state)
{
	struct chef_test ct;

	assert_int_equal(ct_open_chef(&ct, "packetinchef", NULL, 0), -ENOENT);
	ct_close(&ct);
}

static void test_hex_with_snaplen(void **state)
{
	const char *opts[] = {"PacketInChef.snaplen=16", "PacketInChef.encoding=hex"};
	struct chef_test ct;
	struct ct_frame f;
	struct nd_packet *p;

	assert_int_equal(open_pin(&ct, opts, 2), 0);
	p = ct_udp(&f, "10.0.0.1", 1, "10.0.0.2", 2, "abcd", 4, 1700000000, 250000);
	p->ifname = "eth7";
	ct_packet(&ct, p);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "PacketInChef", "packet"),
			       "{\"packet_in\":{\"time\":1700000000.25,\"caplen\":46,\"wire_len\":46,"
			       "\"linktype\":1,\"linktype_name\":\"EN10MB\",\"interface\":\"eth7\","
			       "\"encoding\":\"hex\",\"data\":\"02000000000b02000000000a08004500\","
			       "\"data_len\":16,\"snapped\":true}}"));
	ct_close(&ct);
}

static void test_base64(void **state)
{
	const char *six[] = {"PacketInChef.snaplen=6"};
	const char *five[] = {"PacketInChef.snaplen=5"};
	const char *bad[] = {"PacketInChef.encoding=rot13"};
	struct chef_test ct;
	struct ct_frame f;
	json_t *p;

	assert_int_equal(open_pin(&ct, six, 1), 0);
	ct_packet(&ct, ct_icmp4(&f, "10.0.0.1", "10.0.0.2", 1, 0));
	p = json_object_get(ct_payload(&ct, 0, "PacketInChef", "packet"), "packet_in");
	assert_true(ct_json_eq(json_object_get(p, "data"), "\"AgAAAAAL\""));
	assert_true(ct_json_eq(json_object_get(p, "encoding"), "\"base64\""));
	assert_true(ct_json_eq(json_object_get(p, "interface"), "null"));
	ct_close(&ct);
	assert_int_equal(open_pin(&ct, five, 1), 0);
	ct_packet(&ct, ct_icmp4(&f, "10.0.0.1", "10.0.0.2", 1, 0));
	p = json_object_get(ct_payload(&ct, 0, "PacketInChef", "packet"), "packet_in");
	assert_true(ct_json_eq(json_object_get(p, "data"), "\"AgAAAAA=\""));
	ct_close(&ct);
	assert_int_equal(open_pin(&ct, bad, 1), -EINVAL);
	ct_close(&ct);
}

static void test_rate_limit_on_capture_time(void **state)
{
	const char *opts[] = {"PacketInChef.rate=2", "PacketInChef.burst=2"};
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(open_pin(&ct, opts, 2), 0);
	for (int i = 0; i < 5; i++)
		ct_packet(&ct, ct_icmp4(&f, "10.0.0.1", "10.0.0.2", 10, 0));
	assert_int_equal(ct_count(&ct), 2);
	ct_packet(&ct, ct_icmp4(&f, "10.0.0.1", "10.0.0.2", 10, 500000)); /* one token back */
	ct_packet(&ct, ct_icmp4(&f, "10.0.0.1", "10.0.0.2", 10, 500000));
	assert_int_equal(ct_count(&ct), 3);
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(ct_payload(&ct, 3, "PacketInChef", "interval"),
			       "{\"packet_in_stats\":{\"forwarded\":3,\"skipped_rate\":4,\"snapped\":0}}"));
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_when_named),
		cmocka_unit_test(test_hex_with_snaplen),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_rate_limit_on_capture_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
