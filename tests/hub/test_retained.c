/*
 * test_retained.c: the latest interval dumpling per kitchen/chef
 * (hub/retained.c): replacement, ceiling, owners, references.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "retained.h"

#include <errno.h>
#include <string.h>

static struct hub_msg *iv(const char *text, const char *chef, const char *kitchen)
{
	return hub_msg_new(text, strlen(text), HUB_MSG_INTERVAL, chef, kitchen);
}

static void test_latest_per_pair(void **state)
{
	struct hub_retained r;
	int o1, o2;
	struct hub_msg *a1 = iv("a1", "A", "K1"), *a2 = iv("a2", "A", "K1"),
		       *b = iv("b", "B", "K1"), *c = iv("c", "A", "K2"), *d = iv("d", "D", "K2");

	(void)state;
	assert_int_equal(hub_retained_init(&r, 3, 1 << 20), 0);
	assert_int_equal(hub_retained_put(&r, a1, &o1), 0);
	assert_int_equal(hub_retained_put(&r, b, &o1), 0);
	assert_int_equal(hub_retained_put(&r, a2, &o1), 0); /* replaces a1 */
	assert_int_equal(r.n, 2);
	assert_ptr_equal(r.v[0].msg, a2);
	assert_int_equal(a1->refs, 1);
	assert_int_equal(hub_retained_put(&r, c, &o2), 0);
	assert_int_equal(hub_retained_put(&r, d, &o2), -ENOSPC);
	assert_int_equal(r.refused, 1);
	assert_int_equal(d->refs, 1);

	hub_retained_drop_owner(&r, &o1);
	assert_int_equal(r.n, 1);
	assert_ptr_equal(r.v[0].msg, c);
	assert_int_equal(a2->refs, 1);
	assert_int_equal(b->refs, 1);
	hub_retained_fini(&r);
	assert_int_equal(c->refs, 1);
	hub_msg_unref(a1);
	hub_msg_unref(a2);
	hub_msg_unref(b);
	hub_msg_unref(c);
	hub_msg_unref(d);
}

static void test_zero_capacity(void **state)
{
	struct hub_retained r;
	struct hub_msg *a = iv("a", "A", "K");

	(void)state;
	assert_int_equal(hub_retained_init(&r, 0, 1 << 20), 0);
	assert_int_equal(hub_retained_put(&r, a, NULL), -ENOSPC);
	hub_retained_fini(&r);
	hub_msg_unref(a);
}

static void test_byte_ceiling(void **state)
{
	struct hub_retained r;
	int o;
	struct hub_msg *a = iv("aaaa", "A", "K"), *b = iv("bbbb", "B", "K"),
		       *c = iv("cc", "C", "K"), *a2 = iv("aaaaaaa", "A", "K");

	(void)state;
	assert_int_equal(hub_retained_init(&r, 10, 10), 0);
	assert_int_equal(hub_retained_put(&r, a, &o), 0);
	assert_int_equal(hub_retained_put(&r, b, &o), 0);
	assert_int_equal(r.bytes, 8);
	assert_int_equal(hub_retained_put(&r, c, &o), 0); /* exactly 10 */
	assert_int_equal(r.bytes, 10);
	/* A larger value for A would pass the ceiling: A is forgotten. */
	assert_int_equal(hub_retained_put(&r, a2, &o), -ENOSPC);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.bytes, 6);
	assert_int_equal(a->refs, 1);
	assert_int_equal(r.refused, 1);
	assert_ptr_equal(r.v[0].msg, b);
	assert_ptr_equal(r.v[1].msg, c);
	hub_retained_drop_owner(&r, &o);
	assert_int_equal(r.bytes, 0);
	assert_int_equal(r.n, 0);
	hub_retained_fini(&r);
	hub_msg_unref(a);
	hub_msg_unref(b);
	hub_msg_unref(c);
	hub_msg_unref(a2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest_per_pair),
		cmocka_unit_test(test_zero_capacity),
		cmocka_unit_test(test_byte_ceiling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
