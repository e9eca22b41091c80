/* test_hello.c: kitchens' and eaters' first messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hello.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void test_kitchen_build_matches_netdumplings(void **state)
{
	const char *chefs[] = {"dnslookupchef.DNSLookupChef", "packetcountchef.PacketCountChef"};
	struct nd_kitchen_hello h = {
		.kitchen_name = "k1", .interface = "eth0", .filter = "tcp or udp or arp",
		.chefs = chefs, .n_chefs = 2, .poke_interval = 5,
	};
	json_t *o = nd_hello_kitchen_build(&h);
	char *s;

	assert_non_null(o);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"kitchen_name\":\"k1\",\"interface\":\"eth0\","
			       "\"filter\":\"tcp or udp or arp\",\"chefs\":"
			       "[\"dnslookupchef.DNSLookupChef\",\"packetcountchef.PacketCountChef\"],"
			       "\"poke_interval\":5.0}");
	assert_int_equal(nd_hello_kitchen_check(o, NULL, 0), 0);
	free(s);
	json_decref(o);
}

static void test_eater_build_with_filters(void **state)
{
	const char *chefs[] = {"DNSLookupChef"};
	struct nd_eater_hello h = {.eater_name = "e", .chefs = chefs, .n_chefs = 1};
	json_t *o = nd_hello_eater_build(&h);
	char *s;
	char err[128];

	assert_non_null(o);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"eater_name\":\"e\",\"chefs\":[\"DNSLookupChef\"]}");
	assert_int_equal(nd_hello_eater_check(o, err, sizeof(err)), 0);
	free(s);
	json_decref(o);
	/* No filters: exactly what netdumplings' eaters send. */
	h.n_chefs = 0;
	o = nd_hello_eater_build(&h);
	s = json_dumps(o, JSON_COMPACT);
	assert_string_equal(s, "{\"eater_name\":\"e\"}");
	free(s);
	json_decref(o);
}

struct bad {
	const char *text;
	int kitchen; /* 1: kitchen check, 0: eater check */
	const char *why;
};

static void test_checks_say_why(void **state)
{
	static const struct bad cases[] = {
		{"[1]", 1, "not a JSON object"},
		{"{}", 1, "no \"kitchen_name\""},
		{"{\"kitchen_name\":3}", 1, "\"kitchen_name\" is not a string"},
		{"{\"kitchen_name\":\"k\",\"chefs\":\"x\"}", 1, "\"chefs\" is not an array"},
		{"{\"kitchen_name\":\"k\",\"chefs\":[1]}", 1, "\"chefs\"[0] is not a string"},
		{"{}", 0, "no \"eater_name\""},
		{"{\"eater_name\":[]}", 0, "\"eater_name\" is not a string"},
		{"{\"eater_name\":\"e\",\"kitchens\":{}}", 0, "\"kitchens\" is not an array"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[128] = "";
		json_t *o = json_loads(cases[i].text, JSON_DECODE_ANY, NULL);
		int rc = cases[i].kitchen ? nd_hello_kitchen_check(o, err, sizeof(err))
					  : nd_hello_eater_check(o, err, sizeof(err));

		if (rc != -EINVAL || !strstr(err, cases[i].why))
			fail_msg("%s: rc=%d err=%s", cases[i].text, rc, err);
		json_decref(o);
	}
}

static void test_netdumplings_minimal_hellos_accepted(void **state)
{
	json_t *k = json_loads("{\"kitchen_name\":\"k\",\"interface\":null,\"filter\":null,"
			       "\"chefs\":null,\"poke_interval\":5}", 0, NULL);
	json_t *e = json_loads("{\"eater_name\":\"printer\"}", 0, NULL);

	assert_int_equal(nd_hello_kitchen_check(k, NULL, 0), 0);
	assert_int_equal(nd_hello_eater_check(e, NULL, 0), 0);
	json_decref(k);
	json_decref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kitchen_build_matches_netdumplings),
		cmocka_unit_test(test_eater_build_with_filters),
		cmocka_unit_test(test_checks_say_why),
		cmocka_unit_test(test_netdumplings_minimal_hellos_accepted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
