/*
 * test_emit.c: the kitchen's emitter (kitchen/emit.c): numbering, the
 * envelope it writes around payloads (checked against common/dumpling.h's
 * own builder and validator), size limits, and both sinks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dumpling.h"
#include "emit.h"
#include "uplink.h"

/* The uplink, stubbed: records what it was handed. */
static char last_sent[200000];
static size_t last_sent_len;
static uint64_t last_sent_seq;
static int sends;

int kitchen_uplink_send(struct kitchen_uplink *u, const char *text, size_t len, uint64_t seq)
{
	assert_true(len < sizeof(last_sent));
	memcpy(last_sent, text, len);
	last_sent_len = len;
	last_sent_seq = seq;
	sends++;
	return 0;
}

/* Reads the lines written to f since the start. */
static char *slurp(FILE *f, size_t *len)
{
	long n;
	char *buf;

	fflush(f);
	n = ftell(f);
	buf = malloc((size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Checks one encoded dumpling against what nd_dumpling_new + encode would
 * make of the same metadata and payload. */
static void check_line(const char *line, size_t len, const char *chef, const char *kitchen,
		       enum nd_driver driver, uint64_t seq, const char *start, json_t *want_payload)
{
	struct nd_dumpling_view v;
	char err[256];
	json_t *got = nd_dumpling_parse(line, len, NULL, ND_DUMPLING_STRICT, &v, err, sizeof(err));
	struct nd_dumpling_meta meta;
	json_t *ref;
	char *ref_text;
	size_t ref_len;

	if (!got)
		fail_msg("not a valid dumpling: %s: %.*s", err, (int)len, line);
	assert_string_equal(v.chef, chef);
	assert_string_equal(v.kitchen, kitchen);
	assert_int_equal(v.driver, driver);
	assert_true(v.has_seq);
	assert_int_equal(v.seq, seq);
	assert_string_equal(v.kitchen_start, start);
	assert_true(v.creation_time > 1.6e9);
	assert_true(json_equal(v.payload, want_payload));

	/* The same dumpling through the common builder: equal as JSON, and
	 * byte for byte (same keys, order and number formatting). */
	meta = (struct nd_dumpling_meta){ .chef = chef, .kitchen = kitchen, .driver = driver,
					  .creation_time = v.creation_time, .seq = seq,
					  .kitchen_start = start };
	ref = nd_dumpling_new(&meta, json_deep_copy(want_payload));
	assert_non_null(ref);
	assert_true(json_equal(ref, got));
	ref_text = nd_dumpling_encode(ref, NULL, &ref_len, NULL);
	assert_non_null(ref_text);
	assert_int_equal(ref_len, len);
	assert_memory_equal(ref_text, line, len);
	free(ref_text);
	json_decref(ref);
	json_decref(got);
}

static void test_numbering_and_envelope(void **state)
{
	struct kitchen_emitter e;
	FILE *out = tmpfile();
	json_t *p1 = json_pack("{s{ss,sf}}", "lookup", "hostname", "example.com", "when",
			       1732620000.123456);
	json_t *p2 = json_pack("{s{si,si}}", "packet_counts", "IP", 10, "TCP", 7);
	char *text, *nl;
	size_t len;

	assert_int_equal(kitchen_emitter_init(&e, "k\"itchen \xc3\xa9"), 0);
	e.out = out;
	e.uplink = (struct kitchen_uplink *)&e; /* any non-NULL: the stub ignores it */
	sends = 0;
	assert_int_equal(kitchen_emit(&e, "DNSLookupChef", ND_DRIVER_PACKET, json_deep_copy(p1)), 0);
	assert_int_equal(last_sent_seq, 1);
	check_line(last_sent, last_sent_len, "DNSLookupChef", "k\"itchen \xc3\xa9",
		   ND_DRIVER_PACKET, 1, e.kitchen_start, p1);
	assert_int_equal(kitchen_emit(&e, "PacketCountChef", ND_DRIVER_INTERVAL,
				      json_deep_copy(p2)), 0);
	assert_int_equal(last_sent_seq, 2);
	assert_int_equal(sends, 2);
	assert_int_equal(e.made, 2);

	/* Standard output got the same bytes, one line each. */
	text = slurp(out, &len);
	nl = strchr(text, '\n');
	assert_non_null(nl);
	check_line(text, (size_t)(nl - text), "DNSLookupChef", "k\"itchen \xc3\xa9",
		   ND_DRIVER_PACKET, 1, e.kitchen_start, p1);
	check_line(nl + 1, strlen(nl + 1) - 1, "PacketCountChef", "k\"itchen \xc3\xa9",
		   ND_DRIVER_INTERVAL, 2, e.kitchen_start, p2);
	assert_memory_equal(nl + 1, last_sent, last_sent_len);
	free(text);
	fclose(out);
	json_decref(p1);
	json_decref(p2);
	kitchen_emitter_free(&e);
}

static void test_any_json_value_as_payload(void **state)
{
	struct kitchen_emitter e;
	json_t *vals[] = { json_string("just a string"), json_integer(-42), json_real(0.5),
			   json_null(), json_pack("[i,s,{s:b}]", 1, "two", "three", 1) };

	assert_int_equal(kitchen_emitter_init(&e, "k"), 0);
	e.uplink = (struct kitchen_uplink *)&e;
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		assert_int_equal(kitchen_emit(&e, "AnyChef", ND_DRIVER_INTERVAL, json_deep_copy(vals[i])), 0);
		check_line(last_sent, last_sent_len, "AnyChef", "k", ND_DRIVER_INTERVAL, i + 1,
			   e.kitchen_start, vals[i]);
		json_decref(vals[i]);
	}
	kitchen_emitter_free(&e);
}

static void test_unusual_chef_name_takes_the_general_path(void **state)
{
	struct kitchen_emitter e;
	json_t *p = json_pack("{si}", "x", 1);

	assert_int_equal(kitchen_emitter_init(&e, "k"), 0);
	e.uplink = (struct kitchen_uplink *)&e;
	assert_int_equal(kitchen_emit(&e, "Odd \"Chef\"", ND_DRIVER_PACKET, json_deep_copy(p)), 0);
	check_line(last_sent, last_sent_len, "Odd \"Chef\"", "k", ND_DRIVER_PACKET, 1,
		   e.kitchen_start, p);
	json_decref(p);
	kitchen_emitter_free(&e);
}

static void test_size_limit_keeps_seq_contiguous(void **state)
{
	struct kitchen_emitter e;
	char *big = malloc(300001);
	json_t *p;

	memset(big, 'a', 300000);
	big[300000] = '\0';
	assert_int_equal(kitchen_emitter_init(&e, "k"), 0);
	e.uplink = (struct kitchen_uplink *)&e;
	e.limits.max_bytes = 100000;
	/* Too big: refused, counted, no seq used. */
	assert_int_equal(kitchen_emit(&e, "BigChef", ND_DRIVER_PACKET, json_pack("{ss}", "s", big)),
			 -E2BIG);
	assert_int_equal(e.encode_failures, 1);
	/* Bigger than the first buffer but within the limit: the buffer grows. */
	big[90000] = '\0';
	p = json_pack("{ss}", "s", big);
	assert_int_equal(kitchen_emit(&e, "BigChef", ND_DRIVER_PACKET, json_deep_copy(p)), 0);
	check_line(last_sent, last_sent_len, "BigChef", "k", ND_DRIVER_PACKET, 1, e.kitchen_start, p);
	assert_int_equal(kitchen_emit(&e, "BigChef", ND_DRIVER_PACKET, NULL), -EINVAL);
	assert_int_equal(e.next_seq, 2);
	json_decref(p);
	free(big);
	kitchen_emitter_free(&e);
}

static void test_kitchen_start_differs_between_starts(void **state)
{
	struct kitchen_emitter a, b;

	assert_int_equal(kitchen_emitter_init(&a, "k"), 0);
	assert_int_equal(kitchen_emitter_init(&b, "k"), 0);
	assert_string_not_equal(a.kitchen_start, b.kitchen_start);
	kitchen_emitter_free(&a);
	kitchen_emitter_free(&b);
	assert_int_equal(kitchen_emitter_init(&a, "bad \xff name"), -EINVAL);
	kitchen_emitter_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbering_and_envelope),
		cmocka_unit_test(test_any_json_value_as_payload),
		cmocka_unit_test(test_unusual_chef_name_takes_the_general_path),
		cmocka_unit_test(test_size_limit_keeps_seq_contiguous),
		cmocka_unit_test(test_kitchen_start_differs_between_starts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
