/*
 * test_eater_msg.c: the eater library's message handling without a
 * network: reassembly under a ceiling, the client-side filter (chefs,
 * kitchens, drivers; a status dumpling has no kitchen), and the verdict on
 * whole messages.
 */
#include "eater.h"
#include "eater_msg.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static void test_rxbuf_reassembles_under_ceiling(void **state)
{
	struct eater_rxbuf rb = {.max = 10};

	(void)state;
	assert_int_equal(eater_rxbuf_append(&rb, "abc", 3), 0);
	assert_int_equal(eater_rxbuf_append(&rb, "", 0), 0);
	assert_int_equal(eater_rxbuf_append(&rb, "defghij", 7), 0);
	assert_int_equal(rb.len, 10);
	assert_string_equal(rb.buf, "abcdefghij");
	assert_int_equal(eater_rxbuf_append(&rb, "k", 1), -EMSGSIZE);
	assert_int_equal(rb.len, 10);
	eater_rxbuf_reset(&rb);
	assert_int_equal(rb.len, 0);
	assert_string_equal(rb.buf, "");
	assert_int_equal(eater_rxbuf_append(&rb, "0123456789x", 11), -EMSGSIZE);
	assert_int_equal(eater_rxbuf_append(&rb, "xy", 2), 0);
	assert_string_equal(rb.buf, "xy");
	eater_rxbuf_free(&rb);
}

static struct nd_dumpling_view view(const char *chef, const char *kitchen, enum nd_driver d)
{
	struct nd_dumpling_view v = {.chef = chef, .kitchen = kitchen, .driver = d};

	return v;
}

static void test_filter_empty_passes_all(void **state)
{
	struct eater_filter f;
	struct nd_dumpling_view v = view("X", NULL, ND_DRIVER_UNKNOWN);

	(void)state;
	assert_int_equal(eater_filter_init(&f, NULL, 0, NULL, 0, 0), 0);
	assert_true(eater_filter_match(&f, &v));
	eater_filter_free(&f);
}

static void test_filter_chefs_kitchens_drivers(void **state)
{
	const char *chefs[] = {"DNSLookupChef", "ARPChef"};
	const char *kitchens[] = {"k1"};
	struct eater_filter f;
	struct nd_dumpling_view a = view("DNSLookupChef", "k1", ND_DRIVER_PACKET);
	struct nd_dumpling_view b = view("ARPChef", "k2", ND_DRIVER_PACKET);
	struct nd_dumpling_view c = view("FlowChef", "k1", ND_DRIVER_PACKET);
	struct nd_dumpling_view d = view("DNSLookupChef", NULL, ND_DRIVER_PACKET);
	struct nd_dumpling_view i = view("ARPChef", "k1", ND_DRIVER_INTERVAL);

	(void)state;
	assert_int_equal(eater_filter_init(&f, chefs, 2, kitchens, 1, ND_EATER_PACKET), 0);
	chefs[0] = "changed"; /* the filter holds copies */
	assert_true(eater_filter_match(&f, &a));
	assert_false(eater_filter_match(&f, &b)); /* wrong kitchen */
	assert_false(eater_filter_match(&f, &c)); /* wrong chef */
	assert_false(eater_filter_match(&f, &d)); /* no kitchen */
	assert_false(eater_filter_match(&f, &i)); /* interval */
	eater_filter_free(&f);
}

static void test_filter_status_chef_without_kitchen(void **state)
{
	const char *chefs[] = {"SystemStatusChef"};
	struct eater_filter f;
	struct nd_dumpling_view s = view("SystemStatusChef", NULL, ND_DRIVER_INTERVAL);
	struct nd_dumpling_view u = view("SystemStatusChef", NULL, ND_DRIVER_UNKNOWN);

	(void)state;
	assert_int_equal(eater_filter_init(&f, chefs, 1, NULL, 0, 0), 0);
	assert_true(eater_filter_match(&f, &s));
	assert_true(eater_filter_match(&f, &u));
	eater_filter_free(&f);
	assert_int_equal(eater_filter_init(&f, chefs, 1, NULL, 0, ND_EATER_INTERVAL), 0);
	assert_true(eater_filter_match(&f, &s));
	assert_false(eater_filter_match(&f, &u)); /* unknown driver never passes a driver filter */
	eater_filter_free(&f);
}

static void test_judge(void **state)
{
	const char *chefs[] = {"A"};
	struct eater_filter f;
	struct nd_dumpling_view v;
	json_t *root;
	char err[128];
	const char *ok = "{\"metadata\":{\"chef\":\"A\",\"kitchen\":\"k\",\"driver\":\"packet\","
			 "\"creation_time\":1.25},\"payload\":{\"x\":1}}";
	const char *other = "{\"metadata\":{\"chef\":\"B\"},\"payload\":null}";

	(void)state;
	assert_int_equal(eater_filter_init(&f, chefs, 1, NULL, 0, 0), 0);
	assert_int_equal(eater_msg_judge(&f, ok, strlen(ok), 0, &root, &v, err, sizeof(err)),
			 EATER_DELIVER);
	assert_string_equal(v.chef, "A");
	assert_string_equal(v.kitchen, "k");
	assert_int_equal(v.driver, ND_DRIVER_PACKET);
	assert_true(v.creation_time == 1.25);
	assert_int_equal(json_integer_value(json_object_get(v.payload, "x")), 1);
	json_decref(root);
	assert_int_equal(eater_msg_judge(&f, other, strlen(other), 0, &root, &v, err, sizeof(err)),
			 EATER_SKIP);
	json_decref(root);
	assert_int_equal(eater_msg_judge(&f, "nope", 4, 0, &root, &v, err, sizeof(err)),
			 EATER_INVALID);
	assert_null(root);
	assert_non_null(strstr(err, "JSON"));
	assert_int_equal(eater_msg_judge(&f, "{\"metadata\":{}}", 15, 0, &root, &v, err, sizeof(err)),
			 EATER_INVALID);
	assert_int_equal(eater_msg_judge(&f, "[1]", 3, 0, &root, &v, err, sizeof(err)),
			 EATER_INVALID);
	/* Over the size ceiling. */
	assert_int_equal(eater_msg_judge(&f, ok, strlen(ok), 20, &root, &v, err, sizeof(err)),
			 EATER_INVALID);
	eater_filter_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rxbuf_reassembles_under_ceiling),
		cmocka_unit_test(test_filter_empty_passes_all),
		cmocka_unit_test(test_filter_chefs_kitchens_drivers),
		cmocka_unit_test(test_filter_status_chef_without_kitchen),
		cmocka_unit_test(test_judge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
