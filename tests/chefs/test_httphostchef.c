/*
 * test_httphostchef.c: HTTPHostChef (chefs/httphostchef.c) loaded from the
 * build tree: a dumpling per HTTP/1.x request with a Host header, the
 * interval top list with eviction, and what it ignores.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_test.h"
#include "frames.h"

#include <string.h>

static struct nd_packet *request(struct ct_frame *f, const char *text)
{
	return ct_tcp(f, "10.0.0.5", 40000, "93.184.216.34", 80, text, strlen(text), 1, 0);
}

static void test_request(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "httphostchef", NULL, 0), 0);
	ct_packet(&ct, request(&f, "POST /form HTTP/1.1\r\nUser-Agent: t\r\nHost: WWW.Example.com:8080\r\n\r\n"));
	assert_true(ct_json_eq(ct_payload(&ct, 0, "HTTPHostChef", "packet"),
			       "{\"http_host\":{\"hostname\":\"www.example.com:8080\",\"method\":\"POST\","
			       "\"when\":1234567890.5,\"client\":\"10.0.0.5\",\"server\":\"93.184.216.34\","
			       "\"server_port\":80}}"));
	ct_close(&ct);
}

static void test_top_list_and_eviction(void **state)
{
	const char *opts[] = {"HTTPHostChef.max_hosts=2", "HTTPHostChef.per_packet=0"};
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "httphostchef", opts, 2), 0);
	ct_packet(&ct, request(&f, "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n"));
	ct_packet(&ct, request(&f, "GET / HTTP/1.1\r\nHost: b.example\r\n\r\n"));
	ct_packet(&ct, request(&f, "GET / HTTP/1.1\r\nHost: b.example\r\n\r\n"));
	ct_packet(&ct, request(&f, "GET / HTTP/1.0\r\nHost: c.example\r\n\r\n"));
	ct_poke(&ct, 5.0);
	assert_int_equal(ct_count(&ct), 1);
	assert_true(ct_json_eq(ct_payload(&ct, 0, "HTTPHostChef", "interval"),
			       "{\"http_host_top\":[{\"hostname\":\"b.example\",\"count\":2,\"latest\":1234567890.5},"
			       "{\"hostname\":\"c.example\",\"count\":1,\"latest\":1234567890.5}],"
			       "\"hosts_tracked\":2,\"hosts_evicted\":1}"));
	ct_close(&ct);
}

static void test_ignores_requests_without_host_and_other_data(void **state)
{
	struct chef_test ct;
	struct ct_frame f;

	assert_int_equal(ct_open_chef(&ct, "httphostchef", NULL, 0), 0);
	ct_packet(&ct, request(&f, "GET / HTTP/1.0\r\n\r\n"));
	ct_packet(&ct, request(&f, "HTTP/1.1 200 OK\r\nHost: x\r\n\r\n"));
	ct_packet(&ct, request(&f, "\x16\x03\x01 not http"));
	assert_int_equal(ct_count(&ct), 0);
	ct_close(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_top_list_and_eviction),
		cmocka_unit_test(test_ignores_requests_without_host_and_other_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
