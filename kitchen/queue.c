/*
 * queue.c: the bounded drop-oldest queue of encoded dumplings (see queue.h).
 * Invariants: count/bytes always equal the sum over the linked entries;
 * after a successful push count <= max_count and bytes <= max_bytes.
 */
#include "queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void kitchen_queue_init(struct kitchen_queue *q, size_t max_count, size_t max_bytes,
			size_t pre)
{
	memset(q, 0, sizeof(*q));
	q->max_count = max_count ? max_count : 1;
	q->max_bytes = max_bytes ? max_bytes : 1;
	q->pre = pre;
}

static void drop_oldest(struct kitchen_queue *q)
{
	struct kitchen_qentry *e = kitchen_queue_pop(q);

	q->dropped++;
	q->dropped_bytes += e->len;
	q->last_dropped_seq = e->seq;
	free(e);
}

int kitchen_queue_push(struct kitchen_queue *q, const void *text, size_t len, uint64_t seq)
{
	struct kitchen_qentry *e;

	if (len > q->max_bytes) {
		q->dropped++;
		q->dropped_bytes += len;
		q->last_dropped_seq = seq;
		return -E2BIG;
	}
	e = malloc(sizeof(*e) + q->pre + len);
	if (!e)
		return -ENOMEM;
	e->next = NULL;
	e->seq = seq;
	e->len = len;
	memcpy(e->buf + q->pre, text, len);

	while (q->head && (q->count + 1 > q->max_count || len > q->max_bytes - q->bytes))
		drop_oldest(q);
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	q->count++;
	q->bytes += len;
	q->pushed++;
	return 0;
}

struct kitchen_qentry *kitchen_queue_peek(const struct kitchen_queue *q)
{
	return q->head;
}

struct kitchen_qentry *kitchen_queue_pop(struct kitchen_queue *q)
{
	struct kitchen_qentry *e = q->head;

	if (!e)
		return NULL;
	q->head = e->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	q->bytes -= e->len;
	e->next = NULL;
	return e;
}

size_t kitchen_queue_drop_all(struct kitchen_queue *q)
{
	size_t n = 0;

	while (q->head) {
		drop_oldest(q);
		n++;
	}
	return n;
}
