/*
 * test_jscan.c: the hub's one-pass dumpling scanner (hub/jscan.c) must
 * agree with nd_dumpling_parse (jansson) on every input: a hand-written
 * corpus of edge cases, then a seeded mutation sweep over real dumplings
 * (byte flips, insertions, truncations), and long strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jscan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const corpus[] = {
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":\"k\",\"creation_time\":1.5,\"driver\":\"packet\"},\"payload\":{}}",
	"{\"metadata\":{\"chef\":\"C\"}}",
	" \t\r\n{ \"metadata\" : { \"chef\" : \"C\" } } \n",
	"{\"metadata\":{\"chef\":\"C\",\"seq\":7,\"kitchen_start\":\"abc\"},\"payload\":null}",
	"{\"metadata\":{\"chef\":\"C\",\"seq\":7.0,\"kitchen_start\":\"abc\"}}",
	"{\"metadata\":{\"chef\":\"C\",\"seq\":-3,\"kitchen_start\":\"abc\"}}",
	"{\"metadata\":{\"chef\":\"C\",\"seq\":0}}",
	"{\"metadata\":{\"chef\":\"C\",\"seq\":\"5\"}}",
	"{\"metadata\":{\"chef\":\"A\",\"chef\":\"B\"}}",
	"{\"metadata\":{\"chef\":\"A\"},\"metadata\":{\"kitchen\":\"k\"}}",
	"{\"metadata\":{\"chef\":\"A\"},\"metadata\":5}",
	"{\"metadata\":5,\"metadata\":{\"chef\":\"A\"}}",
	"{\"payload\":{\"metadata\":{\"chef\":\"no\"}}}",
	"{\"metadata\":{\"x\":{\"chef\":\"deep\"}}}",
	"{\"metadata\":{\"chef\":5}}",
	"{\"metadata\":{\"chef\":null}}",
	"{\"metadata\":[]}",
	"{}",
	"[]",
	"\"metadata\"",
	"5",
	"null",
	"",
	"   ",
	"{",
	"{\"metadata\":{\"chef\":\"C\"}",
	"{\"metadata\":{\"chef\":\"C\"}}}",
	"{\"metadata\":{\"chef\":\"C\"}} x",
	"{\"metadata\":{\"chef\":\"C\"},}",
	"{\"metadata\":{\"chef\":\"C\",}}",
	"{'metadata':{}}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":[1,2,]}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":[1 2]}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":[true,false,null,-0,0.5,1e3,1E-2,-1.5e+7]}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":01}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":1.}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":.5}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":-}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":1e}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":+1}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":tru}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":nulll}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":NaN}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\x\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\u00e9\\u20AC\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\u0000\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\ud83d\\ude00\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\ud83d\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\ude00\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\ud83dx\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\u12\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\\u12G4\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\xc3\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\xc0\xaf\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\xe0\x80\xaf\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\xed\xa0\x80\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\xf4\x90\x80\x80\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\xff\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"\x80\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"tab\there\"}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":\"unterminated}",
	"{\"metadata\":{\"chef\":\"C\"}}\xef\xbb\xbf",
	"\xef\xbb\xbf{\"metadata\":{\"chef\":\"C\"}}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}",
	"{\"metadata\":{\"chef\":\"C\",\"driver\":\"interval\"}}",
	"{\"metadata\":{\"chef\":\"C\",\"driver\":\"other\"}}",
	"{\"metadata\":{\"chef\":\"C\",\"driver\":5}}",
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":5}}",
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":\"k\",\"driver\":\"packet\",\"creation_time\":\"now\"},\"payload\":1}",
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":\"k\",\"driver\":\"packet\",\"creation_time\":1}}",
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":\"k\",\"driver\":\"packet\"},\"payload\":1}",
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":\"k\",\"creation_time\":1},\"payload\":1}",
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":null,\"driver\":\"interval\",\"creation_time\":1},\"payload\":1}",
	"{\"metadata\":{\"chef\":\"C\",\"seq\":9223372036854775807}}",
	"{\"metadata\":{\"chef\":\"C\",\"seq\":9223372036854775808}}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":-9223372036854775808}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":-9223372036854775809}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":123456789012345678901234567890}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":1e400}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":-1.5e308}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":1e-400}",
	"{\"metadata\":{\"chef\":\"C\"},\"p\":0.0000000001e-300}",
};

static void compare(const char *text, size_t len, enum nd_dumpling_check check)
{
	struct nd_dumpling_limits lim = {.max_bytes = 4096, .max_depth = 16};
	struct nd_dumpling_view v;
	struct hub_jscan s;
	char e1[160], e2[160];
	json_t *root;
	int rc;

	root = nd_dumpling_parse(text, len, &lim, check, &v, e1, sizeof(e1));
	rc = hub_jscan_dumpling(text, len, &lim, check, &s, e2, sizeof(e2));
	if (rc == -EAGAIN) {
		json_decref(root);
		return;
	}
	if ((root != NULL) != (rc == 0)) {
		fprintf(stderr, "disagree on [%.*s] (check %d): jansson %s, jscan %s\n", (int)len,
			text, check, root ? "accepts" : e1, rc ? e2 : "accepts");
		fail();
	}
	if (root) {
		assert_int_equal(strlen(v.chef), s.chef.n);
		assert_memory_equal(v.chef, s.chef.p, s.chef.n);
		assert_int_equal(v.kitchen != NULL, s.kitchen.p != NULL);
		if (v.kitchen)
			assert_memory_equal(v.kitchen, s.kitchen.p, s.kitchen.n);
		assert_int_equal(v.driver, s.driver);
		assert_int_equal(v.has_seq, s.has_seq);
		if (v.has_seq)
			assert_int_equal(v.seq, s.seq);
		assert_int_equal(v.kitchen_start != NULL, s.kitchen_start.p != NULL);
		json_decref(root);
	}
}

static void test_corpus(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		compare(corpus[i], strlen(corpus[i]), ND_DUMPLING_BASIC);
		compare(corpus[i], strlen(corpus[i]), ND_DUMPLING_STRICT);
	}
}

static void test_limits(void **state)
{
	struct nd_dumpling_limits lim = {.max_bytes = 64, .max_depth = 3};
	struct hub_jscan s;
	char err[160];
	const char *deep = "{\"metadata\":{\"chef\":\"C\"},\"p\":[[[1]]]}";
	const char *ok = "{\"metadata\":{\"chef\":\"C\"},\"p\":[1]}";
	char big[100];

	(void)state;
	assert_int_equal(hub_jscan_dumpling(deep, strlen(deep), &lim, 0, &s, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "deep"));
	assert_int_equal(hub_jscan_dumpling(ok, strlen(ok), &lim, 0, &s, err, sizeof(err)), 0);
	memset(big, ' ', sizeof(big));
	memcpy(big, ok, strlen(ok));
	assert_int_equal(hub_jscan_dumpling(big, sizeof(big), &lim, 0, &s, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "exceeds"));
	/* Escaped names go to the slow path. */
	ok = "{\"metadata\":{\"ch\\u0065f\":\"C\"}}";
	assert_int_equal(hub_jscan_dumpling(ok, strlen(ok), NULL, 0, &s, err, sizeof(err)),
			 -EAGAIN);
	ok = "{\"metadata\":{\"chef\":\"\\u00e9\"}}";
	assert_int_equal(hub_jscan_dumpling(ok, strlen(ok), NULL, 0, &s, err, sizeof(err)),
			 -EAGAIN);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void test_mutations(void **state)
{
	static const char alphabet[] = "{}[]\",:\\ -0123456789.eEtrufalsn\x80\xc3\xa9\xff\t\nu";
	char buf[512];

	(void)state;
	for (int i = 0; i < 30000; i++) {
		const char *base = corpus[rnd(sizeof(corpus) / sizeof(corpus[0]))];
		size_t len = strlen(base);
		int edits = 1 + (int)rnd(3);

		memcpy(buf, base, len);
		for (int e = 0; e < edits && len > 0; e++) {
			size_t at = rnd((unsigned)len);

			switch (rnd(4)) {
			case 0: /* replace */
				buf[at] = alphabet[rnd(sizeof(alphabet) - 1)];
				break;
			case 1: /* insert */
				if (len + 1 < sizeof(buf)) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = alphabet[rnd(sizeof(alphabet) - 1)];
					len++;
				}
				break;
			case 2: /* delete */
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
				break;
			default: /* truncate */
				len = at;
				break;
			}
		}
		compare(buf, len, ND_DUMPLING_BASIC);
		compare(buf, len, ND_DUMPLING_STRICT);
	}
}

/* Strings long enough for the eight-bytes-at-a-time scan, with one
 * special byte sequence at every position: both parsers must agree. */
static void test_long_strings(void **state)
{
	static const char *const specials[] = {"\"", "\\", "\\n", "\\u00e9", "\x01", "\x1f",
					       "\x7f", "\xc3\xa9", "\xc3", "\x80", "\xff", " ", "~"};
	char text[256], body[64];

	(void)state;
	for (size_t sp = 0; sp < sizeof(specials) / sizeof(specials[0]); sp++) {
		for (size_t len = 0; len < 40; len++) {
			for (size_t at = 0; at <= len; at++) {
				size_t sl = strlen(specials[sp]);
				int n;

				memset(body, 'a', len);
				memcpy(body + at, specials[sp], sl);
				memset(body + at + sl, 'b', len - at);
				body[len + sl] = '\0';
				n = snprintf(text, sizeof(text),
					     "{\"metadata\":{\"chef\":\"C\"},\"p\":\"%s\",\"q\":1}", body);
				compare(text, (size_t)n, ND_DUMPLING_BASIC);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_long_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
