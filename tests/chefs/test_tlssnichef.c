/*
 * test_tlssnichef.c: TLSSNIChef (chefs/tlssnichef.c) loaded from the build
 * tree: a dumpling per ClientHello with a server name, the interval top
 * list, per_packet=0, and what it ignores.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

static struct nd_packet *hello(struct ct_frame *f, const char *client, const char *server,
			       uint16_t port, const char *sni)
{
	uint8_t buf[512];
	size_t n = ct_tls_client_hello(buf, sizeof(buf), sni);

	return ct_tcp(f, client, 40000, server, port, buf, n, 1, 0);
}

static void test_client_hello(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "tlssnichef", NULL, 0), 0);
	ct_packet(&ct, hello(&f, "10.0.0.5", "93.184.216.34", 443, "Example.COM"));
	ct_packet(&ct, hello(&f, "2001:db8::5", "2001:db8::443", 8443, "api.example.com"));
	assert_int_equal(ct_count(&ct), 2);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "TLSSNIChef", "packet"),
			       "{\"tls_sni\":{\"hostname\":\"example.com\",\"when\":1234567890.5,"
			       "\"client\":\"10.0.0.5\",\"server\":\"93.184.216.34\",\"server_port\":443}}"));
	assert_true(ct_json_eq(ct_payload(&ct, 1, "TLSSNIChef", "packet"),
			       "{\"tls_sni\":{\"hostname\":\"api.example.com\",\"when\":1234567890.5,"
			       "\"client\":\"2001:db8::5\",\"server\":\"2001:db8::443\",\"server_port\":8443}}"));
	ct_close(&ct);
}

static void test_interval_top_list(void **state)
{
	const char *opts[] = {"TLSSNIChef.top=2", "TLSSNIChef.per_packet=0"};
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "tlssnichef", opts, 2), 0);
	ct_packet(&ct, hello(&f, "10.0.0.5", "10.0.0.9", 443, "b.example"));
	for (int i = 0; i < 3; i++)
		ct_packet(&ct, hello(&f, "10.0.0.5", "10.0.0.9", 443, "c.example"));
	ct_packet(&ct, hello(&f, "10.0.0.5", "10.0.0.9", 443, "a.example"));
	assert_int_equal(ct_count(&ct), 0);
	ct_poke(&ct, 5.0);
	/* c (3), then a and b tie at 1: by name. */
	assert_true(ct_json_eq(ct_payload(&ct, 0, "TLSSNIChef", "interval"),
			       "{\"tls_sni_top\":[{\"hostname\":\"c.example\",\"count\":3,\"latest\":1234567890.5},"
			       "{\"hostname\":\"a.example\",\"count\":1,\"latest\":1234567890.5}],"
			       "\"hosts_tracked\":3,\"hosts_evicted\":0}"));
	ct_close(&ct);
}

static void test_ignores_what_is_not_a_client_hello(void **state)
{
	struct chef_test ct;
	struct ct_frame f;
	uint8_t buf[512];
	size_t n = ct_tls_client_hello(buf, sizeof(buf), "example.com");

	assert_int_equal(ct_open_chef(&ct, "tlssnichef", NULL, 0), 0);
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40000, "10.0.0.2", 443, "GET / HTTP/1.1\r\n", 16, 1, 0));
	/* Over UDP the interest flags keep it from the chef. */
	assert_int_equal(ct_packet(&ct, ct_udp(&f, "10.0.0.1", 40000, "10.0.0.2", 443, buf, n, 1, 0)),
			 0);
	/* Cut off before the server name. */
	ct_packet(&ct, ct_tcp(&f, "10.0.0.1", 40000, "10.0.0.2", 443, buf, n - 8, 1, 0));
	assert_int_equal(ct_count(&ct), 0);
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_hello),
		cmocka_unit_test(test_interval_top_list),
		cmocka_unit_test(test_ignores_what_is_not_a_client_hello),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
