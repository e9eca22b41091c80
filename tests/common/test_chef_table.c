/* test_chef_table.c: the bounded LRU map chefs keep their state in
 * (common/chef_table.c): lookups, LRU eviction and its count, iteration
 * order, top-N with deterministic ties, key limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chef_table.h"

#include <stdio.h>
#include <string.h>

struct val {
	int n;
};

static struct val *put(struct nd_chef_table *t, const char *k, bool *created)
{
	return nd_chef_table_put(t, k, strlen(k), created);
}

static void test_put_get_and_lru_eviction(void **state)
{
	struct nd_chef_table *t = nd_chef_table_new(3, sizeof(struct val));
	bool created;

	assert_non_null(t);
	put(t, "a", &created)->n = 1;
	assert_true(created);
	put(t, "b", NULL)->n = 2;
	put(t, "c", NULL)->n = 3;
	assert_int_equal(put(t, "a", &created)->n, 1); /* a is now most recent */
	assert_false(created);
	put(t, "d", &created)->n = 4; /* evicts b, the least recent */
	assert_true(created);
	assert_int_equal(nd_chef_table_count(t), 3);
	assert_int_equal(nd_chef_table_evicted(t), 1);
	assert_null(nd_chef_table_get(t, "b", 1));
	assert_int_equal(((struct val *)nd_chef_table_get(t, "c", 1))->n, 3); /* c most recent */
	put(t, "e", NULL); /* evicts a */
	assert_null(nd_chef_table_get(t, "a", 1));
	assert_int_equal(nd_chef_table_evicted(t), 2);
	assert_int_equal(nd_chef_table_max(t), 3);
	nd_chef_table_free(t);
}

static void test_iteration_least_recent_first(void **state)
{
	struct nd_chef_table *t = nd_chef_table_new(10, sizeof(struct val));
	const struct nd_chef_table_entry *it = NULL;
	const void *key;
	size_t klen;
	char order[16] = "";
	struct val *v;

	put(t, "x", NULL);
	put(t, "y", NULL);
	put(t, "z", NULL);
	nd_chef_table_get(t, "x", 1);
	while ((v = nd_chef_table_next(t, &it, &key, &klen)) != NULL) {
		assert_int_equal(klen, 1);
		strncat(order, key, 1);
		assert_memory_equal(nd_chef_table_key_of(t, v, &klen), key, 1);
	}
	assert_string_equal(order, "yzx");
	nd_chef_table_clear(t);
	assert_int_equal(nd_chef_table_count(t), 0);
	it = NULL;
	assert_null(nd_chef_table_next(t, &it, NULL, NULL));
	nd_chef_table_free(t);
}

static int by_n_desc(const void *a, const void *b)
{
	const struct val *x = a, *y = b;

	return x->n != y->n ? (x->n > y->n ? -1 : 1) : 0;
}

static void test_top_with_ties_by_key(void **state)
{
	struct nd_chef_table *t = nd_chef_table_new(10, sizeof(struct val));
	void *best[3];
	size_t klen;

	put(t, "m", NULL)->n = 5;
	put(t, "k", NULL)->n = 9;
	put(t, "b", NULL)->n = 5;
	put(t, "a", NULL)->n = 1;
	put(t, "c", NULL)->n = 5;
	assert_int_equal(nd_chef_table_top(t, by_n_desc, 3, best), 3);
	assert_memory_equal(nd_chef_table_key_of(t, best[0], &klen), "k", 1);
	assert_memory_equal(nd_chef_table_key_of(t, best[1], &klen), "b", 1);
	assert_memory_equal(nd_chef_table_key_of(t, best[2], &klen), "c", 1);
	nd_chef_table_free(t);
}

static void test_limits_and_churn(void **state)
{
	struct nd_chef_table *t = nd_chef_table_new(100, sizeof(struct val));
	char big[ND_CHEF_TABLE_KEY_MAX + 1];
	char k[32];

	assert_null(nd_chef_table_new(0, 4));
	memset(big, 'x', sizeof(big));
	assert_null(nd_chef_table_put(t, big, sizeof(big), NULL));
	assert_non_null(nd_chef_table_put(t, big, sizeof(big) - 1, NULL));
	assert_null(nd_chef_table_put(t, "", 0, NULL));
	for (int i = 0; i < 10000; i++) {
		snprintf(k, sizeof(k), "host-%d", i);
		put(t, k, NULL)->n = i;
	}
	assert_int_equal(nd_chef_table_count(t), 100);
	assert_int_equal(nd_chef_table_evicted(t), 10000 + 1 - 100);
	assert_int_equal(((struct val *)nd_chef_table_get(t, "host-9999", 9))->n, 9999);
	assert_null(nd_chef_table_get(t, "host-9899", 9));
	nd_chef_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_and_lru_eviction),
		cmocka_unit_test(test_iteration_least_recent_first),
		cmocka_unit_test(test_top_with_ties_by_key),
		cmocka_unit_test(test_limits_and_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
