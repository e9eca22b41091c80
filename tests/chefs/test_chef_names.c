/*
 * test_chef_names.c: the name tally of common/chef_names.c, driven directly
 * through a stand-in host (recorded emits, a fixed clock, options from a
 * table): options and their errors, normalised names, both dumplings with
 * their keys in order, what is ignored, eviction, ties and emit failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_names.h"
#include "frames.h"
#include "opt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1234567890.5

/* The stand-in host's state; the ctx handed to the tally points at it. */
struct fake {
	const char *const *opts; /* "key=value", ended by NULL */
	json_t *out;             /* emitted payloads */
	int emit_rc;
};

static struct fake *fake_of(struct nd_chef_ctx *ctx)
{
	return (struct fake *)(void *)ctx;
}

static int fake_emit(struct nd_chef_ctx *ctx, json_t *payload)
{
	struct fake *f = fake_of(ctx);

	if (!payload)
		return -EINVAL;
	if (f->emit_rc < 0) {
		json_decref(payload);
		return f->emit_rc;
	}
	return json_array_append_new(f->out, payload) == 0 ? 0 : -ENOMEM;
}

static double fake_now(struct nd_chef_ctx *ctx)
{
	(void)ctx;
	return NOW;
}

static int fake_option_u64(struct nd_chef_ctx *ctx, const char *key, uint64_t min, uint64_t max,
			   uint64_t dflt, uint64_t *out)
{
	size_t klen = strlen(key);

	*out = dflt;
	for (const char *const *o = fake_of(ctx)->opts; o && *o; o++)
		if (strncmp(*o, key, klen) == 0 && (*o)[klen] == '=')
			return nd_opt_parse_u64(*o + klen + 1, min, max, out);
	return 0;
}

static const struct nd_chef_host fake_host = {
	.abi_major = ND_CHEF_ABI_MAJOR,
	.struct_size = sizeof(struct nd_chef_host),
	.abi_minor = ND_CHEF_ABI_MINOR,
	.emit = fake_emit,
	.now = fake_now,
	.option_u64 = fake_option_u64,
};

static struct nd_chef_names *open_names(struct fake *f, const char *const *opts)
{
	struct nd_chef_names *n;

	memset(f, 0, sizeof(*f));
	f->opts = opts;
	f->out = json_array();
	assert_non_null(f->out);
	assert_int_equal(nd_chef_names_init((struct nd_chef_ctx *)(void *)f, &fake_host, "thing",
					    "thing_top", &n),
			 0);
	assert_non_null(n);
	return n;
}

static void close_names(struct fake *f, struct nd_chef_names *n)
{
	nd_chef_names_fini(n);
	json_decref(f->out);
}

static struct nd_slice slice(const char *s)
{
	return (struct nd_slice){(const uint8_t *)s, (uint32_t)strlen(s)};
}

static struct nd_packet *pkt4(struct ct_frame *fr)
{
	return ct_tcp(fr, "10.0.0.5", 40000, "93.184.216.34", 8080, "x", 1, 1, 0);
}

/* The i-th emitted payload as compact JSON, keys in the order made. */
static void assert_emitted(const struct fake *f, size_t i, const char *expect)
{
	char *text = json_dumps(json_array_get(f->out, i), JSON_COMPACT);

	assert_non_null(text);
	assert_string_equal(text, expect);
	free(text);
}

static void test_packet_dumpling_keys_in_order(void **state)
{
	struct ct_frame fr;
	struct fake f;
	struct nd_chef_names *n = open_names(&f, NULL);

	(void)state;
	assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), slice("WWW.Example.COM:8080"), "method",
					      "GET"),
			 0);
	assert_int_equal(nd_chef_names_packet(n, ct_tcp(&fr, "2001:db8::5", 40000, "2001:db8::1",
							     443, "x", 1, 1, 0),
					      slice("a.example"), NULL, NULL),
			 0);
	assert_int_equal(json_array_size(f.out), 2);
	assert_emitted(&f, 0,
		       "{\"thing\":{\"hostname\":\"www.example.com:8080\",\"method\":\"GET\","
		       "\"when\":1234567890.5,\"client\":\"10.0.0.5\",\"server\":\"93.184.216.34\","
		       "\"server_port\":8080}}");
	assert_emitted(&f, 1,
		       "{\"thing\":{\"hostname\":\"a.example\",\"when\":1234567890.5,"
		       "\"client\":\"2001:db8::5\",\"server\":\"2001:db8::1\",\"server_port\":443}}");
	close_names(&f, n);
}

static void test_names_escaped_and_lowercased(void **state)
{
	static const uint8_t raw[] = {'A', 0x01, 'B', ' ', 0xff, '\\'};
	struct ct_frame fr;
	struct fake f;
	struct nd_chef_names *n = open_names(&f, NULL);
	json_t *got;

	(void)state;
	assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), (struct nd_slice){raw, sizeof(raw)},
					      NULL, NULL),
			 0);
	got = json_object_get(json_object_get(json_array_get(f.out, 0), "thing"), "hostname");
	assert_string_equal(json_string_value(got), "a\\001b\\032\\255\\\\");
	close_names(&f, n);
}

static void test_empty_and_overlong_names_ignored(void **state)
{
	char *longname = malloc(ND_CHEF_NAME_TEXT_MAX + 1);
	struct ct_frame fr;
	struct fake f;
	struct nd_chef_names *n = open_names(&f, NULL);

	(void)state;
	assert_non_null(longname);
	memset(longname, 'a', ND_CHEF_NAME_TEXT_MAX);
	longname[ND_CHEF_NAME_TEXT_MAX] = '\0';
	assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), (struct nd_slice){NULL, 0}, NULL, NULL),
			 0);
	assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), slice(longname), NULL, NULL), 0);
	assert_int_equal(json_array_size(f.out), 0);
	assert_int_equal(nd_chef_names_interval(n, 5.0), 0);
	assert_emitted(&f, 0, "{\"thing_top\":[],\"hosts_tracked\":0,\"hosts_evicted\":0}");
	/* One byte shorter fits. */
	longname[ND_CHEF_NAME_TEXT_MAX - 1] = '\0';
	assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), slice(longname), NULL, NULL), 0);
	assert_int_equal(json_array_size(f.out), 2);
	free(longname);
	close_names(&f, n);
}

static void test_top_list_ties_and_eviction(void **state)
{
	static const char *const opts[] = {"top=2", "max_hosts=3", "per_packet=0", NULL};
	static const char *const seen[] = {"d.example", "b.example", "c.example", "c.example",
					   "c.example", "a.example", "b.example"};
	struct ct_frame fr;
	struct fake f;
	struct nd_chef_names *n = open_names(&f, opts);

	(void)state;
	/* d is forgotten when a arrives; b and c are counted again. */
	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), slice(seen[i]), NULL, NULL), 0);
	assert_int_equal(json_array_size(f.out), 0);
	assert_int_equal(nd_chef_names_interval(n, 5.0), 0);
	assert_emitted(&f, 0,
		       "{\"thing_top\":[{\"hostname\":\"c.example\",\"count\":3,\"latest\":1234567890.5},"
		       "{\"hostname\":\"b.example\",\"count\":2,\"latest\":1234567890.5}],"
		       "\"hosts_tracked\":3,\"hosts_evicted\":1}");
	/* A tie is broken by name. */
	assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), slice("a.example"), NULL, NULL), 0);
	assert_int_equal(nd_chef_names_interval(n, 5.0), 0);
	assert_emitted(&f, 1,
		       "{\"thing_top\":[{\"hostname\":\"c.example\",\"count\":3,\"latest\":1234567890.5},"
		       "{\"hostname\":\"a.example\",\"count\":2,\"latest\":1234567890.5}],"
		       "\"hosts_tracked\":3,\"hosts_evicted\":1}");
	close_names(&f, n);
}

static void test_bad_options(void **state)
{
	static const char *const bad[][2] = {
		{"max_hosts=0", NULL}, {"top=1001", NULL}, {"per_packet=2", NULL}, {"top=x", NULL}};
	struct fake f = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nd_chef_names *n = (void *)&f; /* to be overwritten with NULL */

		f.opts = bad[i];
		assert_true(nd_chef_names_init((struct nd_chef_ctx *)(void *)&f, &fake_host, "thing",
					       "thing_top", &n) < 0);
		assert_null(n);
	}
	nd_chef_names_fini(NULL);
}

static void test_emit_failure_returned_and_still_counted(void **state)
{
	struct ct_frame fr;
	struct fake f;
	struct nd_chef_names *n = open_names(&f, NULL);

	(void)state;
	f.emit_rc = -ENOBUFS;
	assert_int_equal(nd_chef_names_packet(n, pkt4(&fr), slice("x.example"), NULL, NULL),
			 -ENOBUFS);
	assert_int_equal(nd_chef_names_interval(n, 5.0), -ENOBUFS);
	f.emit_rc = 0;
	assert_int_equal(nd_chef_names_interval(n, 5.0), 0);
	assert_emitted(&f, 0,
		       "{\"thing_top\":[{\"hostname\":\"x.example\",\"count\":1,\"latest\":1234567890.5}],"
		       "\"hosts_tracked\":1,\"hosts_evicted\":0}");
	close_names(&f, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet_dumpling_keys_in_order),
		cmocka_unit_test(test_names_escaped_and_lowercased),
		cmocka_unit_test(test_empty_and_overlong_names_ignored),
		cmocka_unit_test(test_top_list_ties_and_eviction),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_emit_failure_returned_and_still_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
