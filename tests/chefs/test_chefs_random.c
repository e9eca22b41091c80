/*
 * test_chefs_random.c: every standard chef at once, fed many mutated and
 * truncated frames (fixed seed, so runs repeat exactly).  Invariants: no
 * chef ever fails (every payload it builds is valid JSON: strings from the
 * wire are escaped), every payload encodes, and the chefs' tables stay
 * within their caps.  Under the sanitizer build this also catches any read
 * outside the packet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 20000

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void make_template(struct ct_frame *f, unsigned kind)
{
	uint8_t app[512];
	size_t n;

	switch (kind % 7) {
	case 0:
		n = ct_dns_message(app, sizeof(app), 1, "www.example.com", (int)(kind & 8));
		ct_udp(f, "10.0.0.1", 40000, "10.0.0.53", 53, app, n, 1, 0);
		break;
	case 1:
		n = ct_dns_message(app, sizeof(app), 1, "a.b.c.example", 0);
		ct_udp(f, "2001:db8::1", 5353, "ff02::fb", 5353, app, n, 1, 0);
		break;
	case 2:
		n = ct_tls_client_hello(app, sizeof(app), "secure.example.org");
		ct_tcp(f, "10.0.0.1", 40000, "10.0.0.2", 443, app, n, 1, 0);
		break;
	case 3:
		ct_tcp(f, "10.0.0.1", 40000, "10.0.0.2", 80,
		       "GET /x HTTP/1.1\r\nHost: h.example\r\n\r\n", 37, 1, 0);
		break;
	case 4:
		ct_arp(f, 2, "aa:bb:cc:dd:ee:ff", "10.0.1.100", "11:22:33:44:55:66", "10.0.1.99", 1,
		       0);
		break;
	case 5:
		ct_icmp4(f, "10.0.0.1", "10.0.0.2", 1, 0);
		break;
	default:
		ct_tcp_flags(f, "2001:db8::1", 1, "2001:db8::2", 2, ND_TCP_SYN, 1, 0);
		break;
	}
}

static void test_mutated_frames(void **state)
{
	const char *names[] = {"PacketCountChef", "DNSLookupChef", "ARPChef", "TLSSNIChef",
			       "HTTPHostChef", "FlowChef", "PacketInChef", "KitchenStatsChef"};
	const char *opts[] = {"DNSLookupChef.max_hosts=50", "TLSSNIChef.max_hosts=50",
			      "HTTPHostChef.max_hosts=50", "FlowChef.max_flows=50",
			      "ARPChef.max_devices=50", "PacketInChef.rate=0"};
	struct chef_test ct;
	struct ct_frame f;
	size_t emitted = 0;

	assert_int_equal(ct_open(&ct, ct_chef_dir(), names, 8, opts, 6), 0);
	assert_int_equal(nd_chef_runtime_count(ct.rt), 8);
	for (unsigned round = 0; round < ROUNDS; round++) {
		struct timeval ts = {.tv_sec = 1700000000 + round / 100, .tv_usec = 0};
		uint32_t caplen;

		make_template(&f, next_rand());
		if (round % 10 == 0) {
			for (size_t i = 0; i < f.len; i++)
				f.buf[i] = (uint8_t)next_rand();
		} else {
			unsigned flips = 1 + next_rand() % 6;

			for (unsigned i = 0; i < flips; i++)
				f.buf[14 + next_rand() % (f.len - 14)] = (uint8_t)next_rand();
		}
		caplen = (uint32_t)(next_rand() % 4 ? f.len : next_rand() % (f.len + 1));
		nd_packet_init(&f.pkt);
		nd_packet_dissect_raw(&f.pkt, DLT_EN10MB, ts, caplen, (uint32_t)f.len, f.buf);
		ct_packet(&ct, &f.pkt);
		if (round % 1000 == 999)
			ct_poke(&ct, 5.0);
		/* Every payload must encode, tables stay within their caps;
		 * then forget them. */
		for (size_t i = 0; i < ct_count(&ct); i++) {
			json_t *d = json_array_get(ct.out, i), *p = json_object_get(d, "payload");
			char *s = json_dumps(d, JSON_COMPACT);

			assert_non_null(s);
			free(s);
			assert_true(json_integer_value(json_object_get(p, "flows_tracked")) <= 50);
			assert_true(json_integer_value(json_object_get(p, "hosts_tracked")) <= 50);
			assert_true(json_object_size(json_object_get(p, "lookups_seen")) <= 50);
		}
		emitted += ct_count(&ct);
		ct_clear(&ct);
	}
	assert_true(emitted > ROUNDS / 2);
	for (size_t i = 0; i < nd_chef_runtime_count(ct.rt); i++) {
		struct nd_chef_counters c;

		assert_int_equal(nd_chef_runtime_counters(ct.rt, i, &c), 0);
		if (c.packet_failures || c.interval_failures || c.emit_failures)
			fail_msg("%s failed: %llu packet, %llu interval, %llu emit",
				 nd_chef_runtime_info(ct.rt, i)->name,
				 (unsigned long long)c.packet_failures,
				 (unsigned long long)c.interval_failures,
				 (unsigned long long)c.emit_failures);
	}
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutated_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
