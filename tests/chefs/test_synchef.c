/*
 * test_synchef.c: the example chef of docs/writing-a-chef.md
 * (modules/synchef.c), loaded from the module given as argv[1] (the
 * documented plain `cc -shared` build) or else from the test modules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

#include <stdio.h>

static char module_path[512];

static void test_syn_dumplings(void **state)
{
	const char *opts[] = {"SynChef.port=22"};
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open(&ct, module_path, NULL, 0, opts, 1), 0);
	assert_string_equal(nd_chef_runtime_info(ct.rt, 0)->full_name, "examples.SynChef");
	ct_packet(&ct, ct_tcp_flags(&f, "10.0.0.1", 40000, "10.0.0.2", 22, ND_TCP_SYN, 1700000000,
				    500000));
	ct_packet(&ct, ct_tcp_flags(&f, "10.0.0.2", 22, "10.0.0.1", 40000, ND_TCP_SYN | ND_TCP_ACK,
				    1700000000, 600000));
	ct_packet(&ct, ct_tcp_flags(&f, "10.0.0.1", 40001, "10.0.0.2", 80, ND_TCP_SYN, 1700000001, 0));
	ct_packet(&ct, ct_udp(&f, "10.0.0.1", 40000, "10.0.0.2", 22, "x", 1, 1700000001, 0));
	ct_poke(&ct, 5.0);
	ct_poke(&ct, 5.0);
	assert_int_equal(ct_count(&ct), 3);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "SynChef", "packet"),
			       "{\"syn\":{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"dport\":22,"
			       "\"time\":1700000000.5}}"));
	assert_true(ct_json_eq(ct_payload(&ct, 1, "SynChef", "interval"),
			       "{\"syns\":1,\"interval\":5.0}"));
	assert_true(ct_json_eq(ct_payload(&ct, 2, "SynChef", "interval"),
			       "{\"syns\":0,\"interval\":5.0}"));
	ct_close(&ct);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_dumplings),
	};

	if (argc > 1)
		snprintf(module_path, sizeof(module_path), "%s", argv[1]);
	else
		ct_module_path("synchef", module_path, sizeof(module_path));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
