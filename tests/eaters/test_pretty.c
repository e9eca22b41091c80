/*
 * test_pretty.c: nd_eater_pretty against the text Python's
 * json.dumps(sort_keys=True, indent=4, separators=(',', ': ')) printed for
 * the same values (data/pretty_in.jsonl -> data/pretty_out.txt, records
 * separated by a line holding 0x1e), and the colour form's shape.
 */
#include "pretty.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *slurp(const char *name)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", getenv("ND_TEST_DATA"), name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_matches_python(void **state)
{
	char *in = slurp("pretty_in.jsonl"), *out = slurp("pretty_out.txt");
	char *line, *save = NULL, *expect = out;
	int cases = 0;

	(void)state;
	for (line = strtok_r(in, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t jerr;
		json_t *v = json_loads(line, JSON_DECODE_ANY, &jerr);
		char *end = strstr(expect, "\n\x1e\n");
		char *got;

		assert_non_null(v);
		assert_non_null(end);
		*end = '\0';
		got = nd_eater_pretty(v, false);
		assert_non_null(got);
		assert_string_equal(got, expect);
		free(got);
		json_decref(v);
		expect = end + 3;
		cases++;
	}
	assert_int_equal(cases, 7);
	free(in);
	free(out);
}

static void test_reals(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(nd_eater_format_real(0.1, b, sizeof(b)), "0.1");
	assert_string_equal(nd_eater_format_real(1.0, b, sizeof(b)), "1.0");
	assert_string_equal(nd_eater_format_real(1612.416, b, sizeof(b)), "1612.416");
	assert_string_equal(nd_eater_format_real(1e16, b, sizeof(b)), "1e+16");
	assert_string_equal(nd_eater_format_real(1e22, b, sizeof(b)), "1e+22");
	assert_string_equal(nd_eater_format_real(1.5e-5, b, sizeof(b)), "1.5e-05");
	assert_string_equal(nd_eater_format_real(-2.5, b, sizeof(b)), "-2.5");
}

static void test_color(void **state)
{
	json_t *v = json_pack("{s:i,s:s}", "n", 1, "s", "x");
	char *got = nd_eater_pretty(v, true);

	(void)state;
	assert_non_null(got);
	assert_non_null(strstr(got, "\x1b[34m\"n\"\x1b[39m: \x1b[36m1\x1b[39m"));
	assert_non_null(strstr(got, "\x1b[33m\"x\"\x1b[39m"));
	free(got);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_python),
		cmocka_unit_test(test_reals),
		cmocka_unit_test(test_color),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
