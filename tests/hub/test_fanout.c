/*
 * test_fanout.c: the hub's shared messages and bounded per-eater queues
 * (hub/fanout.c): ordering, reference counts, drop-oldest, coalescing of
 * interval dumplings, byte and count ceilings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fanout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct hub_msg *msg(const char *text, enum hub_msg_kind kind, const char *chef,
			   const char *kitchen)
{
	struct hub_msg *m = hub_msg_new(text, strlen(text), kind, chef, kitchen);

	assert_non_null(m);
	return m;
}

static void test_msg_layout(void **state)
{
	struct hub_msg *m = msg("{\"a\":1}", HUB_MSG_PACKET, "C", "K");

	(void)state;
	assert_int_equal(m->len, 7);
	assert_memory_equal(hub_msg_data(m), "{\"a\":1}", 8); /* NUL-terminated */
	assert_string_equal(m->chef, "C");
	assert_string_equal(m->kitchen, "K");
	assert_int_equal(m->refs, 1);
	hub_msg_unref(m);

	m = hub_msg_new("x", 1, HUB_MSG_PACKET, NULL, NULL);
	assert_string_equal(m->chef, "");
	assert_string_equal(m->kitchen, "");
	hub_msg_unref(m);
	hub_msg_unref(NULL);
}

static void test_order_and_refs(void **state)
{
	struct hub_queue a, b;
	struct hub_msg *m[5];
	char text[8];

	(void)state;
	assert_int_equal(hub_queue_init(&a, 8, 1024), 0);
	assert_int_equal(hub_queue_init(&b, 8, 1024), 0);
	for (int i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "m%d", i);
		m[i] = msg(text, HUB_MSG_PACKET, "C", "K");
		assert_int_equal(hub_queue_push(&a, m[i]), HUB_PUSH_OK);
		assert_int_equal(hub_queue_push(&b, m[i]), HUB_PUSH_OK);
		assert_int_equal(m[i]->refs, 3);
	}
	assert_int_equal(a.count, 5);
	assert_int_equal(a.bytes, 10);
	for (int i = 0; i < 5; i++) {
		struct hub_msg *p = hub_queue_pop(&a);

		assert_ptr_equal(p, m[i]);
		hub_msg_unref(p);
		assert_int_equal(m[i]->refs, 2);
	}
	assert_null(hub_queue_pop(&a));
	assert_int_equal(a.bytes, 0);
	hub_queue_fini(&b); /* releases the queued references */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(m[i]->refs, 1);
		hub_msg_unref(m[i]);
	}
	hub_queue_fini(&a);
}

static void test_count_cap_drops_oldest(void **state)
{
	struct hub_queue q;
	char text[8];

	(void)state;
	assert_int_equal(hub_queue_init(&q, 4, 1 << 20), 0);
	for (int i = 0; i < 10; i++) {
		struct hub_msg *m;

		snprintf(text, sizeof(text), "%d", i);
		m = msg(text, HUB_MSG_PACKET, "C", "K");
		assert_int_equal(hub_queue_push(&q, m), i < 4 ? HUB_PUSH_OK : HUB_PUSH_DROPPED);
		hub_msg_unref(m);
	}
	assert_int_equal(q.count, 4);
	assert_int_equal(q.dropped, 6);
	for (int i = 6; i < 10; i++) {
		struct hub_msg *m = hub_queue_pop(&q);

		snprintf(text, sizeof(text), "%d", i);
		assert_string_equal((char *)hub_msg_data(m), text);
		hub_msg_unref(m);
	}
	hub_queue_fini(&q);
}

static void test_byte_cap(void **state)
{
	struct hub_queue q;
	char big[101];
	struct hub_msg *m;

	(void)state;
	memset(big, 'b', 100);
	big[100] = '\0';
	assert_int_equal(hub_queue_init(&q, 100, 250), 0);
	for (int i = 0; i < 2; i++) {
		m = msg(big, HUB_MSG_PACKET, "C", "K");
		assert_int_equal(hub_queue_push(&q, m), HUB_PUSH_OK);
		hub_msg_unref(m);
	}
	m = msg(big, HUB_MSG_PACKET, "C", "K");
	assert_int_equal(hub_queue_push(&q, m), HUB_PUSH_DROPPED);
	hub_msg_unref(m);
	assert_int_equal(q.count, 2);
	assert_int_equal(q.bytes, 200);
	assert_true(q.bytes <= q.max_bytes);

	/* A message larger than the whole ceiling is refused, not queued. */
	{
		char huge[300];

		memset(huge, 'h', sizeof(huge) - 1);
		huge[sizeof(huge) - 1] = '\0';
		m = msg(huge, HUB_MSG_PACKET, "C", "K");
		assert_int_equal(hub_queue_push(&q, m), HUB_PUSH_REFUSED);
		assert_int_equal(m->refs, 1);
		hub_msg_unref(m);
	}
	assert_int_equal(q.dropped, 2);
	hub_queue_fini(&q);
}

static void test_drop_prefers_packets(void **state)
{
	struct hub_queue q;
	struct hub_msg *iv, *p1, *p2, *p3, *out;

	(void)state;
	assert_int_equal(hub_queue_init(&q, 3, 1 << 20), 0);
	iv = msg("i1", HUB_MSG_INTERVAL, "Stats", "K");
	p1 = msg("p1", HUB_MSG_PACKET, "C", "K");
	p2 = msg("p2", HUB_MSG_PACKET, "C", "K");
	p3 = msg("p3", HUB_MSG_PACKET, "C", "K");
	hub_queue_push(&q, iv);
	hub_queue_push(&q, p1);
	hub_queue_push(&q, p2);
	/* Full: the oldest packet (p1) goes, the older interval one stays. */
	assert_int_equal(hub_queue_push(&q, p3), HUB_PUSH_DROPPED);
	assert_int_equal(p1->refs, 1);
	out = hub_queue_pop(&q);
	assert_ptr_equal(out, iv);
	hub_msg_unref(out);
	out = hub_queue_pop(&q);
	assert_ptr_equal(out, p2);
	hub_msg_unref(out);
	out = hub_queue_pop(&q);
	assert_ptr_equal(out, p3);
	hub_msg_unref(out);
	hub_msg_unref(iv);
	hub_msg_unref(p1);
	hub_msg_unref(p2);
	hub_msg_unref(p3);
	hub_queue_fini(&q);
}

static void test_coalesce_interval(void **state)
{
	struct hub_queue q;
	struct hub_msg *a1, *b1, *p, *a2, *c1, *out;

	(void)state;
	assert_int_equal(hub_queue_init(&q, 3, 1 << 20), 0);
	a1 = msg("a1", HUB_MSG_INTERVAL, "A", "K");
	b1 = msg("b1", HUB_MSG_INTERVAL, "B", "K");
	p = msg("pp", HUB_MSG_PACKET, "A", "K");
	a2 = msg("a2", HUB_MSG_INTERVAL, "A", "K");
	c1 = msg("c1", HUB_MSG_INTERVAL, "A", "K2"); /* same chef, other kitchen */
	hub_queue_push(&q, a1);
	hub_queue_push(&q, b1);
	hub_queue_push(&q, p);
	/* Full: a2 replaces a1 in place rather than dropping anything. */
	assert_int_equal(hub_queue_push(&q, a2), HUB_PUSH_COALESCED);
	assert_int_equal(q.coalesced, 1);
	assert_int_equal(q.dropped, 0);
	assert_int_equal(a1->refs, 1);
	/* Another kitchen's interval dumpling does not coalesce with K's. */
	assert_int_equal(hub_queue_push(&q, c1), HUB_PUSH_DROPPED);
	out = hub_queue_pop(&q);
	assert_ptr_equal(out, a2);
	hub_msg_unref(out);
	out = hub_queue_pop(&q);
	assert_ptr_equal(out, b1);
	hub_msg_unref(out);
	out = hub_queue_pop(&q);
	assert_ptr_equal(out, c1);
	hub_msg_unref(out);
	assert_int_equal(p->refs, 1); /* the packet dumpling was the one dropped */
	hub_msg_unref(a1);
	hub_msg_unref(b1);
	hub_msg_unref(p);
	hub_msg_unref(a2);
	hub_msg_unref(c1);
	hub_queue_fini(&q);
}

static void test_wraparound_and_watermarks(void **state)
{
	struct hub_queue q;
	struct hub_msg *m = msg("w", HUB_MSG_PACKET, "C", "K");

	(void)state;
	assert_int_equal(hub_queue_init(&q, 8, 1 << 20), 0);
	assert_true(hub_queue_low(&q));
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 5; i++)
			hub_queue_push(&q, m);
		for (int i = 0; i < 5; i++)
			hub_msg_unref(hub_queue_pop(&q));
	}
	for (int i = 0; i < 6; i++)
		hub_queue_push(&q, m);
	assert_true(hub_queue_high(&q));
	assert_false(hub_queue_low(&q));
	for (int i = 0; i < 4; i++)
		hub_msg_unref(hub_queue_pop(&q));
	assert_true(hub_queue_low(&q));
	assert_int_equal(m->refs, 3);
	hub_queue_fini(&q);
	assert_int_equal(m->refs, 1);
	hub_msg_unref(m);
	assert_int_equal(hub_queue_init(&q, 0, 10), -EINVAL);
}

static void test_growth_keeps_order(void **state)
{
	struct hub_queue q;
	struct hub_msg *m[1000];
	char text[16];

	(void)state;
	assert_int_equal(hub_queue_init(&q, 1000, 1 << 20), 0);
	assert_true(q.cap < 1000); /* small until needed */
	for (int i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "%d", i);
		m[i] = msg(text, HUB_MSG_PACKET, "C", "K");
	}
	/* Move the head so that growth happens on a wrapped ring. */
	for (int i = 0; i < 40; i++)
		hub_queue_push(&q, m[i]);
	for (int i = 0; i < 40; i++)
		hub_msg_unref(hub_queue_pop(&q));
	for (int i = 0; i < 1000; i++)
		assert_int_equal(hub_queue_push(&q, m[i]), HUB_PUSH_OK);
	assert_int_equal(q.cap, 1000);
	assert_int_equal(q.count, 1000);
	assert_int_equal(hub_queue_push(&q, m[0]), HUB_PUSH_DROPPED); /* at the ceiling */
	for (int i = 1; i < 1000; i++) {
		struct hub_msg *p = hub_queue_pop(&q);

		assert_ptr_equal(p, m[i]);
		hub_msg_unref(p);
	}
	hub_queue_fini(&q);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(m[i]->refs, 1);
		hub_msg_unref(m[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_layout),
		cmocka_unit_test(test_order_and_refs),
		cmocka_unit_test(test_count_cap_drops_oldest),
		cmocka_unit_test(test_byte_cap),
		cmocka_unit_test(test_drop_prefers_packets),
		cmocka_unit_test(test_coalesce_interval),
		cmocka_unit_test(test_wraparound_and_watermarks),
		cmocka_unit_test(test_growth_keeps_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
