/*
 * test_queue.c: the kitchen's bounded drop-oldest queue (kitchen/queue.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "queue.h"

static void push_n(struct kitchen_queue *q, uint64_t from, uint64_t to, size_t len)
{
	char buf[256];

	memset(buf, 'a', sizeof(buf));
	for (uint64_t s = from; s <= to; s++)
		assert_int_equal(kitchen_queue_push(q, buf, len, s), 0);
}

static void test_fifo_order(void **state)
{
	struct kitchen_queue q;
	struct kitchen_qentry *e;

	kitchen_queue_init(&q, 10, 1000, 16);
	push_n(&q, 1, 5, 10);
	assert_int_equal(q.count, 5);
	assert_int_equal(q.bytes, 50);
	for (uint64_t s = 1; s <= 5; s++) {
		e = kitchen_queue_pop(&q);
		assert_non_null(e);
		assert_int_equal(e->seq, s);
		assert_int_equal(e->len, 10);
		assert_int_equal(kitchen_qentry_payload(&q, e)[0], 'a');
		free(e);
	}
	assert_null(kitchen_queue_pop(&q));
	assert_int_equal(q.dropped, 0);
}

static void test_count_bound_drops_oldest(void **state)
{
	struct kitchen_queue q;
	struct kitchen_qentry *e;

	kitchen_queue_init(&q, 4, 1 << 20, 0);
	push_n(&q, 1, 10, 8);
	assert_int_equal(q.count, 4);
	assert_int_equal(q.dropped, 6);
	assert_int_equal(q.last_dropped_seq, 6);
	e = kitchen_queue_peek(&q);
	assert_int_equal(e->seq, 7);
	assert_int_equal(kitchen_queue_drop_all(&q), 4);
	assert_int_equal(q.dropped, 10);
	assert_int_equal(q.bytes, 0);
}

static void test_byte_bound(void **state)
{
	struct kitchen_queue q;
	char big[300];

	kitchen_queue_init(&q, 100, 100, 0);
	push_n(&q, 1, 10, 10); /* exactly 100 bytes */
	assert_int_equal(q.count, 10);
	push_n(&q, 11, 11, 25); /* needs 25 bytes: three 10-byte entries go */
	assert_int_equal(q.count, 8);
	assert_int_equal(q.bytes, 95);
	assert_int_equal(q.dropped, 3);
	assert_int_equal(kitchen_queue_peek(&q)->seq, 4);
	memset(big, 'b', sizeof(big));
	assert_int_equal(kitchen_queue_push(&q, big, sizeof(big), 12), -E2BIG);
	assert_int_equal(q.dropped, 4);
	assert_int_equal(q.count, 8); /* nothing else lost */
	kitchen_queue_drop_all(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_order),
		cmocka_unit_test(test_count_bound_drops_oldest),
		cmocka_unit_test(test_byte_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
