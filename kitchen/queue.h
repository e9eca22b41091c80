/*
 * queue.h: the kitchen's bounded queue of encoded dumplings waiting for the
 * hub.
 *
 * Each entry is one encoded dumpling copied into a buffer with `pre` bytes
 * of headroom in front of it (libwebsockets needs LWS_PRE bytes there and
 * masks the payload in place, so an entry is written once and freed).
 * The queue is bounded both by entry count and by payload bytes; pushing
 * past either bound drops the oldest entries and counts them.  An entry
 * bigger than the whole byte bound is refused and counted the same way.
 * Not thread-safe: the kitchen uses it from its loop thread only.
 */
#ifndef KITCHEN_QUEUE_H
#define KITCHEN_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct kitchen_qentry {
	struct kitchen_qentry *next;
	uint64_t seq;        /* the dumpling's sequence number */
	size_t len;          /* payload bytes */
	unsigned char buf[]; /* pre bytes of headroom, then the payload */
};

struct kitchen_queue {
	struct kitchen_qentry *head, *tail;
	size_t count, bytes;       /* what is queued now */
	size_t max_count, max_bytes;
	size_t pre;                /* headroom before each payload */
	uint64_t pushed;           /* entries accepted */
	uint64_t dropped;          /* entries dropped (oldest first) or refused */
	uint64_t dropped_bytes;
	uint64_t last_dropped_seq; /* seq of the newest entry dropped; 0: none */
};

/* Sets up an empty queue.  max_count and max_bytes must be at least 1. */
void kitchen_queue_init(struct kitchen_queue *q, size_t max_count, size_t max_bytes,
			size_t pre);

/* Copies text[0..len) in as the newest entry, dropping the oldest entries
 * until both bounds hold.  Returns 0, -E2BIG when the entry alone exceeds
 * max_bytes (counted as dropped), or -ENOMEM (nothing changed). */
int kitchen_queue_push(struct kitchen_queue *q, const void *text, size_t len, uint64_t seq);

/* The oldest entry, still queued (NULL when empty); its payload starts at
 * kitchen_qentry_payload(q, e). */
struct kitchen_qentry *kitchen_queue_peek(const struct kitchen_queue *q);

/* Unlinks the oldest entry and returns it; the caller frees it with free(). */
struct kitchen_qentry *kitchen_queue_pop(struct kitchen_queue *q);

/* Drops every entry, counting them as dropped.  Returns how many. */
size_t kitchen_queue_drop_all(struct kitchen_queue *q);

static inline unsigned char *kitchen_qentry_payload(const struct kitchen_queue *q,
						    struct kitchen_qentry *e)
{
	return e->buf + q->pre;
}

#endif
