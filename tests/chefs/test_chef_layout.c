/*
 * test_chef_layout.c: the chef ABI 1.0 layout, frozen.  Every field of every
 * ABI struct must stay where 1.0 put it; later minor versions may only add
 * fields after `spare`.  If this fails, a change broke modules built
 * against an earlier 1.x header: move the new field to the end, or bump
 * ND_CHEF_ABI_MAJOR (and then update this table).  Offsets are those of
 * LP64 Linux (x86-64, aarch64); elsewhere the test is skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef.h"

#define L(type, field, off)                                                    \
	do {                                                                   \
		if (offsetof(struct type, field) != (off))                     \
			fail_msg("struct " #type "." #field " moved: offset %zu, ABI 1.0 has %d", \
				 offsetof(struct type, field), (off));                 \
	} while (0)

/* The end of the 1.0 part of a struct: its spare slots end there. */
#define END(type, size)                                                        \
	do {                                                                   \
		size_t end = offsetof(struct type, spare) + sizeof(((struct type *)0)->spare); \
		if (end != (size))                                             \
			fail_msg("struct " #type ": the 1.0 part ends at %zu, ABI 1.0 has %d", end, \
				 (size));                                      \
	} while (0)

static void test_abi_1_0_layout(void **state)
{
	if (sizeof(void *) != 8 || sizeof(long) != 8)
		skip();
	assert_int_equal(ND_CHEF_ABI_MAJOR, 1);
	L(nd_chef_module, abi_major, 0);
	L(nd_chef_module, struct_size, 4);
	L(nd_chef_module, abi_minor, 8);
	L(nd_chef_module, packet_version, 12);
	L(nd_chef_module, name, 16);
	L(nd_chef_module, version, 24);
	L(nd_chef_module, chefs, 32);
	L(nd_chef_module, spare, 40);
	END(nd_chef_module, 72);
	L(nd_chef_desc, struct_size, 0);
	L(nd_chef_desc, flags, 4);
	L(nd_chef_desc, name, 8);
	L(nd_chef_desc, summary, 16);
	L(nd_chef_desc, priority, 24);
	L(nd_chef_desc, bpf, 32);
	L(nd_chef_desc, interest, 40);
	L(nd_chef_desc, options, 88);
	L(nd_chef_desc, init, 96);
	L(nd_chef_desc, packet, 104);
	L(nd_chef_desc, interval, 112);
	L(nd_chef_desc, fini, 120);
	L(nd_chef_desc, spare, 128);
	END(nd_chef_desc, 192);
	L(nd_chef_interest, n_ethertypes, 0);
	L(nd_chef_interest, n_ip_protos, 1);
	L(nd_chef_interest, n_ports, 2);
	L(nd_chef_interest, ethertypes, 4);
	L(nd_chef_interest, ip_protos, 20);
	L(nd_chef_interest, ports, 28);
	assert_int_equal(sizeof(struct nd_chef_interest), 44);
	L(nd_chef_option, key, 0);
	L(nd_chef_option, default_value, 8);
	L(nd_chef_option, help, 16);
	assert_int_equal(sizeof(struct nd_chef_option), 24);
	L(nd_chef_capture_stats, struct_size, 0);
	L(nd_chef_capture_stats, valid, 4);
	L(nd_chef_capture_stats, received, 8);
	L(nd_chef_capture_stats, dropped_kernel, 16);
	L(nd_chef_capture_stats, dropped_iface, 24);
	L(nd_chef_capture_stats, packets_processed, 32);
	L(nd_chef_capture_stats, packets_dropped, 40);
	L(nd_chef_capture_stats, dumplings_sent, 48);
	L(nd_chef_capture_stats, dumplings_dropped, 56);
	L(nd_chef_capture_stats, spare, 64);
	END(nd_chef_capture_stats, 128);
	L(nd_chef_host, abi_major, 0);
	L(nd_chef_host, struct_size, 4);
	L(nd_chef_host, abi_minor, 8);
	L(nd_chef_host, emit, 16);
	L(nd_chef_host, log, 24);
	L(nd_chef_host, now, 32);
	L(nd_chef_host, monotonic_ns, 40);
	L(nd_chef_host, option, 48);
	L(nd_chef_host, option_u64, 56);
	L(nd_chef_host, capture_stats, 64);
	L(nd_chef_host, kitchen_name, 72);
	L(nd_chef_host, chef_counters, 80);
	L(nd_chef_host, spare, 88);
	END(nd_chef_host, 152);
	/* Values that modules compile in. */
	assert_int_equal(ND_CHEF_OK, 0);
	assert_int_equal(ND_CHEF_HALT, 1);
	assert_int_equal(ND_CHEF_F_UNASSIGNABLE, 1);
	assert_int_equal(ND_CHEF_F_EXPLICIT, 2);
	assert_int_equal(ND_CHEF_STAT_PCAP, 1);
	assert_int_equal(ND_CHEF_STAT_KITCHEN, 2);
	assert_int_equal(ND_CHEF_MAX_INTEREST, 8);
	assert_string_equal(ND_CHEF_ENTRY_SYMBOL, "nd_chef_module_entry");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abi_1_0_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
