/*
 * test_seqtrack.c: gap accounting from kitchens' seq and kitchen_start
 * (hub/seqtrack.c), and the per-name table that outlives a connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seqtrack.h"

#include <string.h>

static void note(struct hub_seqtrack *t, bool has_seq, uint64_t seq, const char *start)
{
	hub_seqtrack_note(t, has_seq, seq, start, start ? strlen(start) : 0);
}

static void test_gaps_restarts_order(void **state)
{
	struct hub_seqtrack t;

	(void)state;
	memset(&t, 0, sizeof(t));
	note(&t, false, 0, NULL); /* netdumplings' kitchen: ignored */
	assert_false(t.tracking);
	note(&t, true, 5, "run1"); /* first sight: no history lost */
	assert_true(t.tracking);
	assert_int_equal(t.first, 5);
	assert_int_equal(t.gaps, 0);
	note(&t, true, 6, "run1");
	note(&t, true, 10, "run1"); /* 7, 8, 9 missing */
	assert_int_equal(t.gaps, 1);
	assert_int_equal(t.missing, 3);
	note(&t, true, 9, "run1"); /* late */
	assert_int_equal(t.out_of_order, 1);
	assert_int_equal(t.last, 10);
	note(&t, true, 3, "run2"); /* restart, 1 and 2 lost */
	assert_int_equal(t.restarts, 1);
	assert_int_equal(t.gaps, 2);
	assert_int_equal(t.missing, 5);
	assert_string_equal(t.start, "run2");
	note(&t, true, 1, "run3"); /* clean restart */
	assert_int_equal(t.restarts, 2);
	assert_int_equal(t.missing, 5);
	note(&t, true, 2, NULL); /* half-stamped: ignored */
	assert_int_equal(t.last, 1);
}

static void test_table(void **state)
{
	struct hub_seqtable st;
	struct hub_seqentry *a, *b, *c, *a2;

	(void)state;
	assert_int_equal(hub_seqtable_init(&st, 2), 0);
	a = hub_seqtable_acquire(&st, "a");
	b = hub_seqtable_acquire(&st, "b");
	assert_non_null(a);
	assert_non_null(b);
	note(&a->t, true, 1, "s");
	assert_null(hub_seqtable_acquire(&st, "c")); /* both in use */
	hub_seqtable_release(&st, a);
	a2 = hub_seqtable_acquire(&st, "a"); /* reconnect keeps the counts */
	assert_ptr_equal(a2, a);
	assert_int_equal(a2->t.last, 1);
	hub_seqtable_release(&st, a2);
	hub_seqtable_release(&st, b);
	c = hub_seqtable_acquire(&st, "c"); /* reuses the least recent: a */
	assert_ptr_equal(c, a);
	assert_false(c->t.tracking);
	hub_seqtable_release(&st, c);
	hub_seqtable_fini(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gaps_restarts_order),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
