/*
 * fanout.c: refcounted shared messages and bounded per-eater queues.
 * See fanout.h for the contract and the room-making policy.
 *
 * The queue is a ring that starts at HUB_QUEUE_INITIAL slots and doubles,
 * up to max_count, when full; if growing fails it behaves as full.
 * Removing from the middle (to
 * drop the oldest packet dumpling behind a queued interval one) shifts
 * the older entries up by one and advances the head, so cost grows only
 * with the distance from the head, which is usually zero.
 */
#include "fanout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HUB_QUEUE_INITIAL 64

uint64_t hub_msg_key(const char *kitchen, const char *chef)
{
	uint64_t h = 1469598103934665603ull;
	const unsigned char *p;

	for (p = (const unsigned char *)(kitchen ? kitchen : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull; /* separator no name contains */
	for (p = (const unsigned char *)(chef ? chef : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

struct hub_msg *hub_msg_new_n(const char *text, size_t len, enum hub_msg_kind kind,
			      const char *chef, size_t chef_len, const char *kitchen,
			      size_t kitchen_len)
{
	size_t total;
	struct hub_msg *m;
	unsigned char *p;

	if (!chef)
		chef_len = 0;
	if (!kitchen)
		kitchen_len = 0;
	total = sizeof(*m) + HUB_MSG_HEADROOM + len + 1 + chef_len + 1 + kitchen_len + 1;
	m = malloc(total);
	if (!m)
		return NULL;
	m->refs = 1;
	m->kind = kind;
	m->len = len;
	p = m->buf + HUB_MSG_HEADROOM;
	memcpy(p, text, len);
	p[len] = '\0';
	p += len + 1;
	if (chef_len)
		memcpy(p, chef, chef_len);
	p[chef_len] = '\0';
	m->chef = (const char *)p;
	p += chef_len + 1;
	if (kitchen_len)
		memcpy(p, kitchen, kitchen_len);
	p[kitchen_len] = '\0';
	m->kitchen = (const char *)p;
	m->key = hub_msg_key(m->kitchen, m->chef);
	return m;
}

struct hub_msg *hub_msg_new(const char *text, size_t len, enum hub_msg_kind kind,
			    const char *chef, const char *kitchen)
{
	return hub_msg_new_n(text, len, kind, chef, chef ? strlen(chef) : 0, kitchen,
			     kitchen ? strlen(kitchen) : 0);
}

void hub_msg_unref(struct hub_msg *m)
{
	if (m && --m->refs == 0)
		free(m);
}

bool hub_msg_same_source(const struct hub_msg *a, const struct hub_msg *b)
{
	return a->key == b->key && strcmp(a->chef, b->chef) == 0 &&
	       strcmp(a->kitchen, b->kitchen) == 0;
}

int hub_queue_init(struct hub_queue *q, size_t max_count, size_t max_bytes)
{
	memset(q, 0, sizeof(*q));
	if (max_count == 0 || max_bytes == 0)
		return -EINVAL;
	q->cap = max_count < HUB_QUEUE_INITIAL ? max_count : HUB_QUEUE_INITIAL;
	q->ring = calloc(q->cap, sizeof(*q->ring));
	if (!q->ring)
		return -ENOMEM;
	q->max_count = max_count;
	q->max_bytes = max_bytes;
	return 0;
}

static size_t slot(const struct hub_queue *q, size_t i)
{
	return (q->head + i) % q->cap;
}

void hub_queue_fini(struct hub_queue *q)
{
	struct hub_msg *m;

	if (!q->ring)
		return;
	while ((m = hub_queue_pop(q)))
		hub_msg_unref(m);
	free(q->ring);
	q->ring = NULL;
}

/* Removes the i-th oldest entry, releasing its reference. */
static void remove_at(struct hub_queue *q, size_t i)
{
	struct hub_msg *m = q->ring[slot(q, i)];

	for (; i > 0; i--)
		q->ring[slot(q, i)] = q->ring[slot(q, i - 1)];
	q->ring[q->head] = NULL;
	q->head = (q->head + 1) % q->cap;
	q->count--;
	q->bytes -= m->len;
	hub_msg_unref(m);
}

/* Doubles the ring (up to max_count), unwrapping it.  False when it
 * cannot grow. */
static bool grow(struct hub_queue *q)
{
	size_t cap = q->cap * 2 < q->max_count ? q->cap * 2 : q->max_count;
	struct hub_msg **ring;

	if (cap <= q->cap)
		return false;
	ring = malloc(cap * sizeof(*ring));
	if (!ring)
		return false;
	for (size_t i = 0; i < q->count; i++)
		ring[i] = q->ring[slot(q, i)];
	memset(ring + q->count, 0, (cap - q->count) * sizeof(*ring));
	free(q->ring);
	q->ring = ring;
	q->cap = cap;
	q->head = 0;
	return true;
}

static bool fits(struct hub_queue *q, size_t len)
{
	if (len > q->max_bytes - q->bytes)
		return false;
	return q->count < q->cap || grow(q);
}

/* Replaces a queued interval dumpling from m's source, if there is one. */
static bool coalesce(struct hub_queue *q, struct hub_msg *m)
{
	for (size_t i = 0; i < q->count; i++) {
		struct hub_msg **s = &q->ring[slot(q, i)];

		if ((*s)->kind != HUB_MSG_INTERVAL || !hub_msg_same_source(*s, m))
			continue;
		q->bytes = q->bytes - (*s)->len + m->len;
		hub_msg_unref(*s);
		*s = hub_msg_ref(m);
		q->coalesced++;
		return true;
	}
	return false;
}

/* Drops the oldest packet dumpling, or the oldest of any kind. */
static void drop_oldest(struct hub_queue *q)
{
	size_t victim = 0;

	for (size_t i = 0; i < q->count; i++) {
		if (q->ring[slot(q, i)]->kind == HUB_MSG_PACKET) {
			victim = i;
			break;
		}
	}
	remove_at(q, victim);
	q->dropped++;
}

enum hub_push_result hub_queue_push(struct hub_queue *q, struct hub_msg *m)
{
	enum hub_push_result res = HUB_PUSH_OK;

	if (m->len > q->max_bytes) {
		q->dropped++;
		return HUB_PUSH_REFUSED;
	}
	if (!fits(q, m->len)) {
		if (m->kind == HUB_MSG_INTERVAL && coalesce(q, m)) {
			/* The replacement may be larger than what it replaced. */
			while (q->bytes > q->max_bytes && q->count > 1)
				drop_oldest(q);
			return HUB_PUSH_COALESCED;
		}
		while (!fits(q, m->len))
			drop_oldest(q);
		res = HUB_PUSH_DROPPED;
	}
	q->ring[slot(q, q->count)] = hub_msg_ref(m);
	q->count++;
	q->bytes += m->len;
	return res;
}

struct hub_msg *hub_queue_peek(const struct hub_queue *q)
{
	return q->count ? q->ring[q->head] : NULL;
}

struct hub_msg *hub_queue_pop(struct hub_queue *q)
{
	struct hub_msg *m;

	if (!q->count)
		return NULL;
	m = q->ring[q->head];
	q->ring[q->head] = NULL;
	q->head = (q->head + 1) % q->cap;
	q->count--;
	q->bytes -= m->len;
	return m;
}

bool hub_queue_high(const struct hub_queue *q)
{
	return q->count * 4 >= q->max_count * 3 || q->bytes / 3 >= q->max_bytes / 4;
}

bool hub_queue_low(const struct hub_queue *q)
{
	return q->count * 4 <= q->max_count && q->bytes <= q->max_bytes / 4;
}
