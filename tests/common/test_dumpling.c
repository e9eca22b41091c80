/* test_dumpling.c: the dumpling envelope: build, encode, parse, reject. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dumpling.h"

#include <stdlib.h>
#include <string.h>

/* netdumplings' own README example, verbatim in shape. */
static const char readme_example[] =
	"{\n"
	"    \"metadata\": {\n"
	"        \"chef\": \"DNSLookupChef\",\n"
	"        \"creation_time\": 1515990765.925951,\n"
	"        \"driver\": \"packet\",\n"
	"        \"kitchen\": \"default_kitchen\"\n"
	"\n"
	"    },\n"
	"    \"payload\": {\n"
	"        \"lookup\": {\n"
	"            \"hostname\": \"myspace.com\",\n"
	"            \"when\": 1515990721.147\n"
	"        }\n"
	"    }\n"
	"}\n";

static json_t *parse(const char *s, enum nd_dumpling_check check, char *err, size_t errlen)
{
	struct nd_dumpling_view v;

	return nd_dumpling_parse(s, strlen(s), NULL, check, &v, err, errlen);
}

static void test_readme_example_parses(void **state)
{
	struct nd_dumpling_view v;
	char err[256] = "";
	json_t *d = nd_dumpling_parse(readme_example, sizeof(readme_example) - 1, NULL,
				      ND_DUMPLING_STRICT, &v, err, sizeof(err));

	assert_non_null(d);
	assert_string_equal(v.chef, "DNSLookupChef");
	assert_string_equal(v.kitchen, "default_kitchen");
	assert_int_equal(v.driver, ND_DRIVER_PACKET);
	assert_true(v.creation_time > 1515990765.9 && v.creation_time < 1515990766.0);
	assert_false(v.has_seq);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(v.payload, "lookup"), "hostname")),
			    "myspace.com");
	json_decref(d);
}

static void test_round_trip(void **state)
{
	struct nd_dumpling_meta m = {
		.chef = "PacketCountChef", .kitchen = "k1", .driver = ND_DRIVER_INTERVAL,
		.creation_time = 1732620000.123456, .seq = 42, .kitchen_start = "abc",
	};
	json_t *payload = json_pack("{s:{s:i,s:i}}", "packet_counts", "IP", 10, "TCP", 7);
	json_t *d = nd_dumpling_new(&m, payload);
	struct nd_dumpling_view v;
	char err[256] = "";
	size_t len = 0;
	const char *why = NULL;
	char *text;
	json_t *back;

	assert_non_null(d);
	text = nd_dumpling_encode(d, NULL, &len, &why);
	assert_non_null(text);
	assert_int_equal(len, strlen(text));
	/* netdumplings' shape: metadata first, then payload; time to the µs. */
	assert_non_null(strstr(text, "{\"metadata\":{\"chef\":\"PacketCountChef\",\"kitchen\":\"k1\","
				     "\"creation_time\":1732620000.123456,\"driver\":\"interval\""));
	assert_non_null(strstr(text, "\"payload\":{\"packet_counts\":{\"IP\":10,\"TCP\":7}}}"));
	back = nd_dumpling_parse(text, len, NULL, ND_DUMPLING_STRICT, &v, err, sizeof(err));
	assert_non_null(back);
	assert_string_equal(v.chef, "PacketCountChef");
	assert_int_equal(v.driver, ND_DRIVER_INTERVAL);
	assert_true(v.has_seq);
	assert_int_equal(v.seq, 42);
	assert_string_equal(v.kitchen_start, "abc");
	assert_true(json_equal(v.payload, json_object_get(d, "payload")));
	json_decref(back);
	json_decref(d);
	free(text);
}

static void test_new_rejects_incomplete_meta(void **state)
{
	struct nd_dumpling_meta m = {.chef = "c", .kitchen = NULL, .driver = ND_DRIVER_PACKET};

	/* Steals the payload even on failure: the sanitizer build checks it. */
	assert_null(nd_dumpling_new(&m, json_object()));
	m.kitchen = "k";
	m.driver = ND_DRIVER_UNKNOWN;
	assert_null(nd_dumpling_new(&m, json_object()));
}

struct bad_case {
	const char *text;
	enum nd_dumpling_check check;
	const char *expect; /* substring of the reason */
};

static void test_rejections_each_say_why(void **state)
{
	static const struct bad_case cases[] = {
		{"not json at all", ND_DUMPLING_BASIC, "not JSON"},
		{"{\"metadata\":", ND_DUMPLING_BASIC, "not JSON"},
		{"[1,2,3]", ND_DUMPLING_BASIC, "not a JSON object"},
		{"\"str\"", ND_DUMPLING_BASIC, "not a JSON object"},
		{"{}", ND_DUMPLING_BASIC, "no \"metadata\" key"},
		{"{\"metadata\":5}", ND_DUMPLING_BASIC, "\"metadata\" is not an object"},
		{"{\"metadata\":{}}", ND_DUMPLING_BASIC, "no metadata.chef"},
		{"{\"metadata\":{\"chef\":1}}", ND_DUMPLING_BASIC, "metadata.chef is not a string"},
		{"{\"metadata\":{\"chef\":null}}", ND_DUMPLING_BASIC, "metadata.chef is not a string"},
		{"{\"metadata\":{\"chef\":\"c\"},\"payload\":1}", ND_DUMPLING_STRICT,
		 "no metadata.kitchen"},
		{"{\"metadata\":{\"chef\":\"c\",\"kitchen\":3}}", ND_DUMPLING_STRICT,
		 "metadata.kitchen is not a string"},
		{"{\"metadata\":{\"chef\":\"c\",\"kitchen\":\"k\",\"creation_time\":1}}",
		 ND_DUMPLING_STRICT, "no metadata.driver"},
		{"{\"metadata\":{\"chef\":\"c\",\"kitchen\":\"k\",\"driver\":\"boat\","
		 "\"creation_time\":1}}", ND_DUMPLING_STRICT, "must be \"packet\" or \"interval\""},
		{"{\"metadata\":{\"chef\":\"c\",\"kitchen\":\"k\",\"driver\":\"packet\","
		 "\"creation_time\":\"x\"}}", ND_DUMPLING_STRICT, "creation_time is not a number"},
		{"{\"metadata\":{\"chef\":\"c\",\"kitchen\":\"k\",\"driver\":\"packet\","
		 "\"creation_time\":1}}", ND_DUMPLING_STRICT, "no \"payload\" key"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		json_t *d = parse(cases[i].text, cases[i].check, err, sizeof(err));

		if (d || !strstr(err, cases[i].expect))
			fail_msg("case %zu (%s): got \"%s\", wanted \"%s\"", i, cases[i].text,
				 err, cases[i].expect);
	}
}

static void test_basic_accepts_what_netdumplings_accepts(void **state)
{
	char err[256] = "";
	json_t *d = parse("{\"metadata\":{\"chef\":\"c\"}}", ND_DUMPLING_BASIC, err, sizeof(err));

	assert_non_null(d);
	json_decref(d);
}

static void test_oversize_rejected(void **state)
{
	struct nd_dumpling_limits lim = {.max_bytes = 100};
	const char *prefix = "{\"metadata\":{\"chef\":\"c\"},\"payload\":\"";
	size_t n = 200;
	char *big = malloc(n + 1);
	char err[256] = "";
	struct nd_dumpling_view v;

	memset(big, 'a', n);
	memcpy(big, prefix, strlen(prefix));
	big[n - 2] = '"';
	big[n - 1] = '}';
	big[n] = '\0';
	assert_null(nd_dumpling_parse(big, n, &lim, ND_DUMPLING_BASIC, &v, err, sizeof(err)));
	assert_non_null(strstr(err, "size 200 bytes exceeds the limit of 100"));
	/* The same text is fine under the default 1 MiB ceiling. */
	json_t *d = nd_dumpling_parse(big, n, NULL, ND_DUMPLING_BASIC, &v, err, sizeof(err));
	assert_non_null(d);
	json_decref(d);
	free(big);
}

static void test_encode_respects_size_limit(void **state)
{
	struct nd_dumpling_limits lim = {.max_bytes = 20};
	json_t *o = json_pack("{s:s}", "k", "a value longer than twenty bytes");
	const char *why = NULL;
	size_t len;

	assert_null(nd_dumpling_encode(o, &lim, &len, &why));
	assert_non_null(why);
	json_decref(o);
}

static void test_overdeep_rejected(void **state)
{
	struct nd_dumpling_limits lim = {.max_depth = 8};
	char text[256];
	char err[256] = "";
	struct nd_dumpling_view v;
	size_t n = 0;

	n += (size_t)sprintf(text, "{\"metadata\":{\"chef\":\"c\"},\"payload\":");
	for (int i = 0; i < 10; i++)
		text[n++] = '[';
	for (int i = 0; i < 10; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	assert_null(nd_dumpling_parse(text, n, &lim, ND_DUMPLING_BASIC, &v, err, sizeof(err)));
	assert_non_null(strstr(err, "deeper than the limit of 8"));
}

static void test_depth_scan_skips_strings(void **state)
{
	struct nd_dumpling_limits lim = {.max_depth = 3};
	const char *s = "{\"metadata\":{\"chef\":\"[[[[[[[[\\\"{{{{{{\"}}";
	char err[256] = "";
	struct nd_dumpling_view v;
	json_t *d = nd_dumpling_parse(s, strlen(s), &lim, ND_DUMPLING_BASIC, &v, err, sizeof(err));

	assert_non_null(d);
	assert_string_equal(v.chef, "[[[[[[[[\"{{{{{{");
	json_decref(d);
}

static void test_not_nul_terminated(void **state)
{
	const char *s = "{\"metadata\":{\"chef\":\"c\"}}GARBAGE";
	char err[256] = "";
	struct nd_dumpling_view v;
	json_t *d = nd_dumpling_parse(s, 25, NULL, ND_DUMPLING_BASIC, &v, err, sizeof(err));

	assert_non_null(d);
	json_decref(d);
}

static void test_driver_names(void **state)
{
	assert_int_equal(nd_driver_from_name("packet"), ND_DRIVER_PACKET);
	assert_int_equal(nd_driver_from_name("interval"), ND_DRIVER_INTERVAL);
	assert_int_equal(nd_driver_from_name("Packet"), ND_DRIVER_UNKNOWN);
	assert_int_equal(nd_driver_from_name(NULL), ND_DRIVER_UNKNOWN);
	assert_string_equal(nd_driver_name(ND_DRIVER_INTERVAL), "interval");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme_example_parses),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_new_rejects_incomplete_meta),
		cmocka_unit_test(test_rejections_each_say_why),
		cmocka_unit_test(test_basic_accepts_what_netdumplings_accepts),
		cmocka_unit_test(test_oversize_rejected),
		cmocka_unit_test(test_encode_respects_size_limit),
		cmocka_unit_test(test_overdeep_rejected),
		cmocka_unit_test(test_depth_scan_skips_strings),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_driver_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
