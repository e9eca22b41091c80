/*
 * test_jsonenc.c: kitchen/jsonenc.c must write exactly what jansson's
 * json_dumpb writes with the kitchen's flags, for random trees of every
 * JSON type: strings with escapes, control bytes, NULs and multi-byte
 * UTF-8, integers to both extremes, reals of every magnitude (time stamps
 * above all), nested objects and arrays; and refuse what jansson refuses.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonenc.h"

#define FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(16) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void random_text(char *buf, size_t *len)
{
	static const char *pieces[] = { "a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n",
					 "\r", "\t", "\x01", "\x1f", "\x7f", "\xc3\xa9",
					 "\xe2\x82\xac", "\xf0\x9f\x98\x80", "host.example", "." };
	size_t n = next() % 12, off = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = pieces[next() % (sizeof(pieces) / sizeof(pieces[0]))];

		memcpy(buf + off, p, strlen(p));
		off += strlen(p);
		if (next() % 40 == 0)
			buf[off++] = '\0';
	}
	*len = off;
}

static double random_real(void)
{
	switch (next() % 6) {
	case 0: /* a time stamp in microseconds */
		return 1.6e9 + (double)(next() % 400000000) + (double)(next() % 1000000) / 1e6;
	case 1: /* a time stamp, any double */
		return 1e9 + (double)(next() % 9000000000ull) + (double)(next() % 1000000000) / 1e9;
	case 2:
		return ldexp((double)(next() % 10000000) - 5e6, (int)(next() % 200) - 100);
	case 3:
		return (double)(next() % 1000) / 8.0;
	case 4: {
		static const double odd[] = { 0.0, -0.0, 0.1, 1e-5, 1e20, 1e21, 123456789012345678.0,
					      DBL_MAX, DBL_MIN, 9999999999.9999995, 1e9, 1e10,
					      999999999.9999999, 1700000000.0000005, -1.5 };

		return odd[next() % (sizeof(odd) / sizeof(odd[0]))];
	}
	default:
		return (double)(int64_t)next() / 3.0;
	}
}

static json_t *random_value(int depth)
{
	char text[256];
	size_t len;
	unsigned kind = (unsigned)(next() % (depth > 4 ? 6 : 8));

	switch (kind) {
	case 0:
		random_text(text, &len);
		return json_stringn(text, len);
	case 1: {
		static const json_int_t edge[] = { 0, -1, 1, INT64_MAX, INT64_MIN, 1795694588 };

		return json_integer(next() % 2 ? edge[next() % 6] : (json_int_t)next());
	}
	case 2:
	case 3:
		return json_real(random_real());
	case 4:
		return next() % 2 ? json_true() : json_false();
	case 5:
		return json_null();
	case 6: {
		json_t *o = json_object();
		size_t n = next() % 6;

		for (size_t i = 0; i < n; i++) {
			random_text(text, &len);
			json_object_setn_new(o, text, len, random_value(depth + 1));
		}
		return o;
	}
	default: {
		json_t *a = json_array();
		size_t n = next() % 6;

		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, random_value(depth + 1));
		return a;
	}
	}
}

static void same_as_jansson(const json_t *v)
{
	static char want[1 << 16], got[1 << 16];
	size_t wn = json_dumpb(v, want, sizeof(want), FLAGS);
	size_t gn = kitchen_json_encode(v, got, sizeof(got));

	if (wn == 0) {
		assert_int_equal(gn, 0);
		return;
	}
	if (gn != wn || memcmp(got, want, wn) != 0)
		fail_msg("differs from jansson:\n  jansson: %.*s\n  ours:    %.*s", (int)wn, want,
			 (int)gn, got);
}

static void test_random_trees(void **state)
{
	for (int i = 0; i < 20000; i++) {
		json_t *v = random_value(0);

		assert_non_null(v);
		same_as_jansson(v);
		json_decref(v);
	}
}

static void test_time_stamps(void **state)
{
	for (int i = 0; i < 200000; i++) {
		json_t *v = json_real(random_real());

		same_as_jansson(v);
		json_decref(v);
	}
}

static void test_refusals_and_short_buffers(void **state)
{
	json_t *bad = json_stringn_nocheck("\xff\xfe", 2);
	json_t *deep = json_array(), *cur = deep;
	json_t *v = json_pack("{s{ss,sf}}", "lookup", "hostname", "example.com", "when",
			      1732620000.123456);
	char small[10], big[256];
	size_t n;

	assert_int_equal(kitchen_json_encode(bad, big, sizeof(big)), 0);
	assert_int_equal(json_dumpb(bad, big, sizeof(big), FLAGS), 0);
	for (int i = 0; i < 100; i++) {
		json_t *a = json_array();

		json_array_append_new(cur, a);
		cur = a;
	}
	assert_int_equal(kitchen_json_encode(deep, big, sizeof(big)), 0);
	n = kitchen_json_encode(v, small, sizeof(small));
	assert_int_equal(n, strlen("{\"lookup\":{\"hostname\":\"example.com\",\"when\":1732620000.123456}}"));
	assert_int_equal(kitchen_json_encode(v, big, sizeof(big)), n);
	assert_memory_equal(big, "{\"lookup\":{\"hostname\":\"example.com\",\"when\":1732620000.123456}}", n);
	json_decref(bad);
	json_decref(deep);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_trees),
		cmocka_unit_test(test_time_stamps),
		cmocka_unit_test(test_refusals_and_short_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
