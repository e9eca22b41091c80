/*
 * test_kitchenstatschef.c: KitchenStatsChef (chefs/kitchenstatschef.c)
 * loaded from the build tree: totals and deltas from the kitchen's capture
 * statistics, groups left out when not valid, nothing when unsupported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"

#include <errno.h>

static const char *no_chefs[] = {"KitchenStatsChef.chefs=0"};

static void test_totals_and_deltas(void **state)
{
	struct chef_test ct;

	assert_int_equal(ct_open_chef(&ct, "kitchenstatschef", no_chefs, 1), 0);
	assert_int_equal(ct_poke(&ct, 5.0), 1);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "KitchenStatsChef", "interval"),
		"{\"kitchen_stats\":{\"interval\":5.0,\"received\":1000,\"dropped_kernel\":7,"
		"\"dropped_iface\":3,\"packets_processed\":990,\"packets_dropped\":2,"
		"\"dumplings_sent\":40,\"dumplings_dropped\":1,"
		"\"delta\":{\"received\":1000,\"dropped_kernel\":7,\"dropped_iface\":3,"
		"\"packets_processed\":990,\"packets_dropped\":2,\"dumplings_sent\":40,"
		"\"dumplings_dropped\":1}}}"));
	ct.stats.received = 1500;
	ct.stats.dropped_kernel = 9;
	ct.stats.packets_processed = 1480;
	ct.stats.dumplings_sent = 45;
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(json_object_get(json_object_get(ct_payload(&ct, 1, "KitchenStatsChef",
									   "interval"),
							       "kitchen_stats"),
					       "delta"),
		"{\"received\":500,\"dropped_kernel\":2,\"dropped_iface\":0,"
		"\"packets_processed\":490,\"packets_dropped\":0,\"dumplings_sent\":5,"
		"\"dumplings_dropped\":0}"));
	ct_close(&ct);
}

static void test_only_valid_groups(void **state)
{
	struct chef_test ct;

	assert_int_equal(ct_open_chef(&ct, "kitchenstatschef", no_chefs, 1), 0);
	ct.stats.valid = ND_CHEF_STAT_KITCHEN; /* an offline file: no pcap_stats */
	ct_poke(&ct, 2.0);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "KitchenStatsChef", "interval"),
		"{\"kitchen_stats\":{\"interval\":2.0,\"packets_processed\":990,\"packets_dropped\":2,"
		"\"dumplings_sent\":40,\"dumplings_dropped\":1,"
		"\"delta\":{\"packets_processed\":990,\"packets_dropped\":2,\"dumplings_sent\":40,"
		"\"dumplings_dropped\":1}}}"));
	ct_close(&ct);
}

/* The runtime's counters of every running chef, as they stand when the
 * kitchen pokes (this very call is not counted yet). */
static void test_chef_counters(void **state)
{
	const char *names[] = {"KitchenStatsChef", "PacketCountChef"};
	struct chef_test ct;

	assert_int_equal(ct_open(&ct, ct_chef_dir(), names, 2, NULL, 0), 0);
	ct_poke(&ct, 5.0);
	ct_poke(&ct, 5.0);
	assert_true(ct_json_eq(
		json_object_get(json_object_get(ct_payload(&ct, 2, "KitchenStatsChef", "interval"),
						"kitchen_stats"),
				"chefs"),
		"{\"kitchenstatschef.KitchenStatsChef\":{\"packets\":0,\"skipped\":0,"
		"\"halted_before\":0,\"halts\":0,\"packet_failures\":0,\"intervals\":1,"
		"\"interval_failures\":0,\"emitted\":1,\"emit_failures\":0},"
		"\"packetcountchef.PacketCountChef\":{\"packets\":0,\"skipped\":0,"
		"\"halted_before\":0,\"halts\":0,\"packet_failures\":0,\"intervals\":1,"
		"\"interval_failures\":0,\"emitted\":1,\"emit_failures\":0}}"));
	ct_close(&ct);
}

static void test_nothing_when_unsupported(void **state)
{
	struct chef_test ct;
	struct nd_chef_counters c;

	assert_int_equal(ct_open_chef(&ct, "kitchenstatschef", NULL, 0), 0);
	ct.stats_rc = -ENOTSUP;
	ct_poke(&ct, 5.0);
	ct_poke(&ct, 5.0);
	assert_int_equal(ct_count(&ct), 0);
	assert_int_equal(ct.stats_calls, 2);
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 0, &c), 0);
	assert_int_equal(c.interval_failures, 0);
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals_and_deltas),
		cmocka_unit_test(test_only_valid_groups),
		cmocka_unit_test(test_chef_counters),
		cmocka_unit_test(test_nothing_when_unsupported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
