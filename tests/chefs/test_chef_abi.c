/*
 * test_chef_abi.c: the chef ABI, loader and runtime, through real shared
 * objects: a good module with one chef per feature (modules/good.c) and
 * deliberately broken ones (wrong ABI version, wrong packet layout, no entry
 * symbol, bad name, failing init, bad BPF filter).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"

#include <errno.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An Ethernet/IPv4/UDP or TCP frame with the given ports, and the view the
 * dissector would make of it (filled by hand: these tests are about the
 * runtime, not the dissector). */
struct frame {
	uint8_t bytes[64];
	struct nd_packet pkt;
};

static void make_frame(struct frame *f, uint8_t proto, uint16_t sport, uint16_t dport)
{
	static const uint8_t hdr[] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x30, 0x00, 0x01, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
		10,   0,    0,    1,    10,   0,    0,    2,
	};
	uint8_t *l4 = f->bytes + sizeof(hdr);

	memset(f, 0, sizeof(*f));
	memcpy(f->bytes, hdr, sizeof(hdr));
	f->bytes[14 + 9] = proto;
	l4[0] = (uint8_t)(sport >> 8);
	l4[1] = (uint8_t)sport;
	l4[2] = (uint8_t)(dport >> 8);
	l4[3] = (uint8_t)dport;
	if (proto == 6)
		l4[12] = 0x50;
	else
		l4[5] = 8;
	f->pkt.ts.tv_sec = 1700000000;
	f->pkt.caplen = f->pkt.wire_len = 14 + 0x30;
	f->pkt.data = f->bytes;
	f->pkt.dlt = DLT_EN10MB;
	f->pkt.ifindex = -1;
	f->pkt.layers = ND_LAYER_BIT(ND_LAYER_ETHERNET) | ND_LAYER_BIT(ND_LAYER_IP) |
			ND_LAYER_BIT(proto == 6 ? ND_LAYER_TCP : ND_LAYER_UDP);
	f->pkt.eth.ethertype = 0x0800;
	f->pkt.ip.version = 4;
	f->pkt.ip.proto = proto;
	f->pkt.sport = sport;
	f->pkt.dport = dport;
}

static const char *mod(const char *stem)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	return ct_module_path(stem, buf[k], sizeof(buf[k]));
}

static void test_good_module_lists_its_chefs(void **state)
{
	struct nd_chef_catalog *cat = nd_chef_catalog_new();
	const struct nd_chef_module_info *mi;
	const struct nd_chef_entry *e;
	char err[512] = "";

	assert_int_equal(nd_chef_catalog_add(cat, mod("good"), err, sizeof(err)), 0);
	/* The same file again (by another path) is not loaded twice. */
	assert_int_equal(nd_chef_catalog_add(cat, mod("good"), err, sizeof(err)), 0);
	assert_int_equal(nd_chef_catalog_module_count(cat), 1);
	mi = nd_chef_catalog_module(cat, 0);
	assert_string_equal(mi->name, "testgood");
	assert_null(mi->error);
	assert_int_equal(mi->n_chefs, 7);
	assert_int_equal(mi->abi_major, ND_CHEF_ABI_MAJOR);
	assert_int_equal(nd_chef_catalog_count(cat), 7);
	e = nd_chef_catalog_get(cat, 0);
	assert_string_equal(e->name, "EchoChef");
	assert_string_equal(e->full_name, "testgood.EchoChef");
	assert_string_equal(e->summary, "emits a count per packet");
	assert_true(e->assignable);
	e = nd_chef_catalog_get(cat, 6);
	assert_string_equal(e->name, "HiddenChef");
	assert_false(e->assignable);
	assert_null(nd_chef_catalog_get(cat, 7));
	nd_chef_catalog_free(cat);
}

static void expect_load_error(const char *stem, int want_rc, const char *const *needles)
{
	struct nd_chef_catalog *cat = nd_chef_catalog_new();
	const struct nd_chef_module_info *mi;
	char err[512] = "";
	int rc = nd_chef_catalog_add(cat, mod(stem), err, sizeof(err));

	if (rc != want_rc || !strstr(err, mod(stem)))
		fail_msg("%s: rc %d, error \"%s\"", stem, rc, err);
	for (; *needles; needles++)
		if (!strstr(err, *needles))
			fail_msg("%s: error \"%s\" does not say \"%s\"", stem, err, *needles);
	/* Listed with its error, offering no chefs. */
	assert_int_equal(nd_chef_catalog_module_count(cat), 1);
	mi = nd_chef_catalog_module(cat, 0);
	assert_non_null(mi->error);
	assert_string_equal(mi->error, err);
	assert_int_equal(mi->n_chefs, 0);
	assert_int_equal(nd_chef_catalog_count(cat), 0);
	nd_chef_catalog_free(cat);
}

static void test_wrong_abi_version_names_both(void **state)
{
	const char *n[] = {"version mismatch", "built for 99.3", "speaks 1.0", NULL};

	expect_load_error("badversion", -EPROTO, n);
}

static void test_wrong_packet_layout_refused(void **state)
{
	const char *n[] = {"packet view version mismatch", NULL};

	expect_load_error("badpacket", -EPROTO, n);
}

static void test_missing_entry_symbol(void **state)
{
	const char *n[] = {"no entry symbol nd_chef_module_entry", NULL};

	expect_load_error("nosymbol", -ENOEXEC, n);
}

static void test_bad_chef_name(void **state)
{
	const char *n[] = {"chef \"Bad Name\"", NULL};

	expect_load_error("badname", -EPROTO, n);
}

static void test_description_smaller_than_1_0(void **state)
{
	const char *n[] = {"a chef description is 8 bytes, smaller than", NULL};

	expect_load_error("badsize", -EPROTO, n);
}

/* A module another user could have replaced is never loaded. */
static void test_writable_module_refused(void **state)
{
	char dir[] = "/tmp/nd-chef-test.XXXXXX", path[600], err[512] = "", buf[65536];
	struct nd_chef_catalog *cat = nd_chef_catalog_new();
	FILE *in, *out;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/good.so", dir);
	in = fopen(mod("good"), "rb");
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(nd_chef_catalog_add(cat, path, err, sizeof(err)), 0);
	nd_chef_catalog_free(cat);

	cat = nd_chef_catalog_new();
	assert_int_equal(chmod(path, 0666), 0);
	assert_true(nd_chef_catalog_add(cat, path, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "writable"));
	assert_int_equal(nd_chef_catalog_count(cat), 0);
	nd_chef_catalog_free(cat);
	unlink(path);
	rmdir(dir);
}

static void test_reserved_option_key(void **state)
{
	const char *n[] = {"chef \"GreedyChef\": option key \"priority\" is reserved", NULL};

	expect_load_error("badoption", -EPROTO, n);
}

/* -o Chef.bpf and -o Chef.priority work for every chef. */
static void test_runtime_options_bpf_and_priority(void **state)
{
	const char *names[] = {"EchoChef", "LateChef", "BPFChef"};
	const char *opts[] = {"EchoChef.bpf=tcp", "LateChef.priority=100", "BPFChef.bpf="};
	const char *bad_prio[] = {"LateChef.priority=high"};
	const char *bad_bpf[] = {"testgood.EchoChef.bpf=tcp prot 1"};
	struct chef_test ct;
	struct frame f;

	assert_int_equal(ct_open(&ct, mod("good"), names, 3, opts, 3), 0);
	assert_string_equal(nd_chef_runtime_info(ct.rt, 0)->name, "LateChef");
	assert_int_equal(nd_chef_runtime_info(ct.rt, 0)->priority, 100);
	make_frame(&f, 17, 1, 2); /* UDP: EchoChef filtered out; BPFChef now unfiltered */
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 2);
	make_frame(&f, 6, 1, 2);
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 3);
	ct_close(&ct);

	assert_int_equal(ct_open(&ct, mod("good"), names, 3, bad_prio, 1), -EINVAL);
	assert_non_null(strstr(ct.err, "LateChef.priority: \"high\" is not a 32-bit integer"));
	ct_close(&ct);
	assert_int_equal(ct_open(&ct, mod("good"), names, 3, bad_bpf, 1), -EINVAL);
	assert_non_null(strstr(ct.err, "chef \"EchoChef\": its BPF filter \"tcp prot 1\" does not compile"));
	ct_close(&ct);
}

static void test_missing_file(void **state)
{
	struct nd_chef_catalog *cat = nd_chef_catalog_new();
	char err[512] = "";

	assert_int_equal(nd_chef_catalog_add(cat, "/nonexistent/x.so", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.so"));
	nd_chef_catalog_free(cat);
}

static void test_failing_init_names_file_and_chef(void **state)
{
	struct chef_test ct;

	assert_int_equal(ct_open(&ct, mod("badinit"), NULL, 0, NULL, 0), -EACCES);
	assert_non_null(strstr(ct.err, mod("badinit")));
	assert_non_null(strstr(ct.err, "chef \"GrumpyChef\": init failed"));
	assert_int_equal(nd_chef_runtime_count(ct.rt), 0);
	ct_close(&ct);
}

static void test_bad_bpf_is_a_load_error(void **state)
{
	struct chef_test ct;

	assert_int_equal(ct_open(&ct, mod("badbpf"), NULL, 0, NULL, 0), -EINVAL);
	assert_non_null(strstr(ct.err, "chef \"TypoChef\""));
	assert_non_null(strstr(ct.err, "\"udp prot 53\" does not compile"));
	ct_close(&ct);
}

static void test_directory_loads_the_good_and_lists_the_bad(void **state)
{
	struct nd_chef_catalog *cat = nd_chef_catalog_new();
	char err[512] = "", *text = NULL;
	size_t len = 0, bad = 0;
	FILE *f;
	int rc = nd_chef_catalog_add(cat, ND_TEST_MODULE_DIR, err, sizeof(err));

	assert_true(rc < 0);
	assert_int_equal(nd_chef_catalog_module_count(cat), 11);
	for (size_t i = 0; i < nd_chef_catalog_module_count(cat); i++)
		bad += nd_chef_catalog_module(cat, i)->error != NULL;
	assert_int_equal(bad, 6); /* badname, badoption, badpacket, badsize, badversion, nosymbol */
	/* good (7) + badinit, badbpf, oldminor, synchef (1 each) */
	assert_int_equal(nd_chef_catalog_count(cat), 11);
	f = open_memstream(&text, &len);
	nd_chef_catalog_print(cat, f);
	fclose(f);
	assert_non_null(strstr(text, "  EchoChef  emits a count per packet\n"
				     "    -o EchoChef.greeting=hello  a word to put in every dumpling\n"
				     "    -o EchoChef.copies=VALUE  dumplings per packet, 1 to 5\n"));
	assert_non_null(strstr(text, "  HiddenChef (not assignable to a kitchen)\n"));
	assert_non_null(strstr(text, "  error loading module: "));
	free(text);
	nd_chef_catalog_free(cat);
}

static void test_priority_order_and_halt(void **state)
{
	const char *opts[] = {"HaltChef.port=80"};
	struct chef_test ct;
	struct nd_chef_counters c;
	struct frame f;

	assert_int_equal(ct_open(&ct, mod("good"), NULL, 0, opts, 1), 0);
	assert_int_equal(nd_chef_runtime_count(ct.rt), 6); /* HiddenChef is not loaded */
	assert_string_equal(nd_chef_runtime_info(ct.rt, 0)->name, "HaltChef");
	assert_string_equal(nd_chef_runtime_info(ct.rt, 1)->name, "EchoChef");
	assert_string_equal(nd_chef_runtime_info(ct.rt, 5)->name, "LateChef");
	assert_string_equal(nd_chef_runtime_info(ct.rt, 5)->full_name, "testgood.LateChef");
	assert_string_equal(nd_chef_runtime_info(ct.rt, 5)->module, "testgood");

	make_frame(&f, 17, 40000, 80);
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 1); /* halted */
	assert_int_equal(ct_count(&ct), 0);
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 0, &c), 0);
	assert_int_equal(c.halts, 1);
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 5, &c), 0);
	assert_int_equal(c.halted_before, 1);
	assert_int_equal(c.packets, 0);

	make_frame(&f, 17, 40000, 443);
	/* Halt, Echo, Fail, Late; DNSOnly and BPF are not interested. */
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 4);
	assert_int_equal(ct_count(&ct), 2);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "EchoChef", "packet"),
			       "{\"echo\":1,\"greeting\":\"hello\",\"kitchen\":\"test_kitchen\"}"));
	assert_true(ct_json_eq(ct_payload(&ct, 1, "LateChef", "packet"), "{\"late\":true}"));
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 3, &c), 0);
	assert_int_equal(c.skipped, 1);
	ct_close(&ct);
}

static void test_interest_flags_and_bpf(void **state)
{
	const char *names[] = {"DNSOnlyChef", "testgood.BPFChef"};
	struct chef_test ct;
	struct frame f;

	assert_int_equal(ct_open(&ct, mod("good"), names, 2, NULL, 0), 0);
	assert_int_equal(nd_chef_runtime_count(ct.rt), 2);
	make_frame(&f, 17, 40000, 53); /* both */
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 2);
	make_frame(&f, 17, 53, 40000); /* interest matches either port; BPF wants dst 53 */
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 1);
	make_frame(&f, 6, 40000, 53); /* TCP: neither */
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 0);
	assert_int_equal(ct_count(&ct), 3);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "DNSOnlyChef", "packet"), "{\"dport\":53}"));
	assert_true(ct_json_eq(ct_payload(&ct, 1, "BPFChef", "packet"), "{\"dport\":53}"));
	assert_true(ct_json_eq(ct_payload(&ct, 2, "DNSOnlyChef", "packet"), "{\"dport\":40000}"));
	ct_close(&ct);
}

static void test_failures_are_counted_and_the_kitchen_goes_on(void **state)
{
	const char *names[] = {"FailChef", "EchoChef"};
	struct chef_test ct;
	struct nd_chef_counters c;
	struct frame f;

	assert_int_equal(ct_open(&ct, mod("good"), names, 2, NULL, 0), 0);
	make_frame(&f, 6, 1, 2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 2);
	assert_int_equal(nd_chef_runtime_poke(ct.rt, 5.0), 2);
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 0, &c), 0); /* EchoChef: load order */
	assert_int_equal(c.packets, 3);
	assert_int_equal(c.emitted, 4);
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 1, &c), 0);
	assert_string_equal(nd_chef_runtime_info(ct.rt, 1)->name, "FailChef");
	assert_int_equal(c.packets, 3);
	assert_int_equal(c.packet_failures, 3);
	assert_int_equal(c.intervals, 1);
	assert_int_equal(c.interval_failures, 1);
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 2, &c), -ERANGE);
	assert_int_equal(ct_count(&ct), 4);
	assert_true(ct_json_eq(ct_payload(&ct, 3, "EchoChef", "interval"),
			       "{\"intervals\":1,\"interval\":5.0,\"now\":1234567890.5}"));
	ct_close(&ct);
}

static void test_refused_emit_is_a_failure(void **state)
{
	const char *names[] = {"EchoChef"};
	struct chef_test ct;
	struct nd_chef_counters c;
	struct frame f;

	assert_int_equal(ct_open(&ct, mod("good"), names, 1, NULL, 0), 0);
	ct.emit_rc = -ENOBUFS;
	make_frame(&f, 6, 1, 2);
	nd_chef_runtime_packet(ct.rt, &f.pkt);
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 0, &c), 0);
	assert_int_equal(c.emit_failures, 1);
	assert_int_equal(c.packet_failures, 1);
	assert_int_equal(c.emitted, 0);
	ct_close(&ct);
}

static void test_options(void **state)
{
	const char *names[] = {"EchoChef"};
	const char *good[] = {"EchoChef.greeting=hi there", "testgood.EchoChef.copies=3"};
	const char *unknown_key[] = {"EchoChef.nope=1"};
	const char *unselected[] = {"HaltChef.port=1"};
	const char *malformed[] = {"EchoChef=1"};
	const char *out_of_range[] = {"EchoChef.copies=9"};
	struct chef_test ct;
	struct frame f;

	assert_int_equal(ct_open(&ct, mod("good"), names, 1, good, 2), 0);
	make_frame(&f, 6, 1, 2);
	nd_chef_runtime_packet(ct.rt, &f.pkt);
	assert_int_equal(ct_count(&ct), 3);
	assert_true(ct_json_eq(ct_payload(&ct, 2, "EchoChef", "packet"),
			       "{\"echo\":1,\"greeting\":\"hi there\",\"kitchen\":\"test_kitchen\"}"));
	ct_close(&ct);

	assert_int_equal(ct_open(&ct, mod("good"), names, 1, unknown_key, 1), -EINVAL);
	assert_non_null(strstr(ct.err, "chef \"EchoChef\" has no option \"nope\""));
	ct_close(&ct);
	assert_int_equal(ct_open(&ct, mod("good"), names, 1, unselected, 1), -EINVAL);
	assert_non_null(strstr(ct.err, "no chef named \"HaltChef\" is selected"));
	ct_close(&ct);
	assert_int_equal(ct_open(&ct, mod("good"), names, 1, malformed, 1), -EINVAL);
	assert_non_null(strstr(ct.err, "Chef.key=value"));
	ct_close(&ct);
	assert_int_equal(ct_open(&ct, mod("good"), names, 1, out_of_range, 1), -ERANGE);
	assert_non_null(strstr(ct.err, "chef \"EchoChef\": init failed"));
	ct_close(&ct);
}

static void test_selection_by_name(void **state)
{
	const char *names[] = {"EchoChef", "HiddenChef", "NoSuchChef"};
	const char *none[] = {"NoSuchChef", "HiddenChef"};
	struct chef_test ct;

	assert_int_equal(ct_open(&ct, mod("good"), names, 3, NULL, 0), 0);
	assert_int_equal(nd_chef_runtime_count(ct.rt), 1);
	assert_string_equal(nd_chef_runtime_info(ct.rt, 0)->full_name, "testgood.EchoChef");
	ct_close(&ct);
	assert_int_equal(ct_open(&ct, mod("good"), none, 2, NULL, 0), -ENOENT);
	assert_non_null(strstr(ct.err, "no chefs selected"));
	ct_close(&ct);
}

static void test_module_of_an_older_minor_runs(void **state)
{
	struct chef_test ct;
	struct nd_chef_counters c;
	struct frame f;

	assert_int_equal(ct_open(&ct, mod("oldminor"), NULL, 0, NULL, 0), 0);
	assert_string_equal(nd_chef_runtime_info(ct.rt, 0)->full_name, "oldminor.OldChef");
	make_frame(&f, 6, 1, 2);
	assert_int_equal(nd_chef_runtime_packet(ct.rt, &f.pkt), 1);
	/* Its emit from init was refused, and counted. */
	assert_true(ct_json_eq(ct_payload(&ct, 0, "OldChef", "packet"), "{\"init_emit_rc\":-1}"));
	assert_int_equal(nd_chef_runtime_counters(ct.rt, 0, &c), 0);
	assert_int_equal(c.emit_failures, 1);
	assert_int_equal(c.emitted, 1);
	ct_close(&ct);
}

/* ND_CHEF_HAS: what a chef uses to check for host services of later minors. */
static void test_has_field_macro(void **state)
{
	struct nd_chef_host h = {.struct_size = offsetof(struct nd_chef_host, log)};
	const struct nd_chef_host *hp = &h;

	assert_true(ND_CHEF_HAS(hp, emit));
	assert_false(ND_CHEF_HAS(hp, log));
	h.struct_size = sizeof(h);
	assert_true(ND_CHEF_HAS(hp, kitchen_name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_module_lists_its_chefs),
		cmocka_unit_test(test_wrong_abi_version_names_both),
		cmocka_unit_test(test_wrong_packet_layout_refused),
		cmocka_unit_test(test_missing_entry_symbol),
		cmocka_unit_test(test_bad_chef_name),
		cmocka_unit_test(test_description_smaller_than_1_0),
		cmocka_unit_test(test_writable_module_refused),
		cmocka_unit_test(test_reserved_option_key),
		cmocka_unit_test(test_runtime_options_bpf_and_priority),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_failing_init_names_file_and_chef),
		cmocka_unit_test(test_bad_bpf_is_a_load_error),
		cmocka_unit_test(test_directory_loads_the_good_and_lists_the_bad),
		cmocka_unit_test(test_priority_order_and_halt),
		cmocka_unit_test(test_interest_flags_and_bpf),
		cmocka_unit_test(test_failures_are_counted_and_the_kitchen_goes_on),
		cmocka_unit_test(test_refused_emit_is_a_failure),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_selection_by_name),
		cmocka_unit_test(test_module_of_an_older_minor_runs),
		cmocka_unit_test(test_has_field_macro),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
