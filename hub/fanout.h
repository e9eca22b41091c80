/*
 * fanout.h: the hub's shared messages and per-eater bounded queues.
 *
 * A dumpling is copied once into a refcounted hub_msg whose bytes have
 * HUB_MSG_HEADROOM spare bytes in front (for the WebSocket frame header
 * that lws_write puts there), and every eater's queue holds a reference
 * to that same message: nothing is re-encoded or copied per eater.
 *
 * Each queue has a ceiling on messages and on bytes.  A push that would
 * pass either ceiling makes room rather than growing:
 *   - an interval dumpling replaces, in place, a queued interval dumpling
 *     from the same kitchen and chef (coalesced: only the latest matters);
 *   - otherwise the oldest packet dumpling is dropped (or, when only
 *     interval dumplings are queued, the oldest of those);
 *   - a message larger than the byte ceiling on its own is refused.
 * Every message leaves the queue by being popped, dropped, coalesced or
 * released with the queue, and each of those drops exactly one reference.
 *
 * Nothing here knows about libwebsockets or the loop; it is plain data.
 */
#ifndef HUB_FANOUT_H
#define HUB_FANOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room before the payload for a WebSocket frame header; server.c checks
 * at compile time that it covers LWS_PRE. */
#define HUB_MSG_HEADROOM 16

enum hub_msg_kind {
	HUB_MSG_PACKET = 0,   /* driver "packet" or unknown: droppable */
	HUB_MSG_INTERVAL = 1, /* driver "interval": coalesced per kitchen+chef */
};

struct hub_msg {
	unsigned refs;
	enum hub_msg_kind kind;
	uint64_t key;        /* hash of kitchen and chef, for coalescing */
	const char *chef;    /* NUL-terminated copies stored after the payload */
	const char *kitchen; /* "" when the dumpling names no kitchen */
	size_t len;          /* payload bytes, without headroom */
	unsigned char buf[]; /* HUB_MSG_HEADROOM + len + NUL, then chef, kitchen */
};

/* The payload: len bytes, NUL-terminated, with HUB_MSG_HEADROOM writable
 * bytes before it. */
static inline unsigned char *hub_msg_data(struct hub_msg *m)
{
	return m->buf + HUB_MSG_HEADROOM;
}

/* Copies text[0..len) and the names into one allocation.  chef and
 * kitchen may be NULL (stored as "").  Returns a message holding one
 * reference, or NULL when memory ran out. */
struct hub_msg *hub_msg_new(const char *text, size_t len, enum hub_msg_kind kind,
			    const char *chef, const char *kitchen);

/* The same with the names as (pointer, length) slices of untrusted text;
 * a NUL inside a name ends it. */
struct hub_msg *hub_msg_new_n(const char *text, size_t len, enum hub_msg_kind kind,
			      const char *chef, size_t chef_len, const char *kitchen,
			      size_t kitchen_len);

static inline struct hub_msg *hub_msg_ref(struct hub_msg *m)
{
	m->refs++;
	return m;
}

/* Drops one reference; frees the message with the last.  NULL is fine. */
void hub_msg_unref(struct hub_msg *m);

/* True when a and b come from the same kitchen and chef. */
bool hub_msg_same_source(const struct hub_msg *a, const struct hub_msg *b);

/* The coalescing key of a kitchen and chef (FNV-1a over both). */
uint64_t hub_msg_key(const char *kitchen, const char *chef);

enum hub_push_result {
	HUB_PUSH_OK = 0,        /* appended, nothing else changed */
	HUB_PUSH_COALESCED = 1, /* replaced a queued interval dumpling */
	HUB_PUSH_DROPPED = 2,   /* appended after dropping older dumplings */
	HUB_PUSH_REFUSED = 3,   /* larger than the byte ceiling: not queued */
};

struct hub_queue {
	struct hub_msg **ring;
	size_t head, count;
	size_t cap;         /* ring slots allocated; grows up to max_count */
	size_t max_count, max_bytes;
	size_t bytes;       /* payload bytes queued */
	uint64_t dropped;   /* dumplings dropped to make room, or refused */
	uint64_t coalesced; /* interval dumplings replaced by newer ones */
};

/* Sets the ceilings (max_count >= 1) and allocates a small ring that
 * doubles as needed up to max_count, so idle eaters cost little.  Returns
 * 0, -ENOMEM or -EINVAL. */
int hub_queue_init(struct hub_queue *q, size_t max_count, size_t max_bytes);

/* Releases every queued reference and the ring. */
void hub_queue_fini(struct hub_queue *q);

/* Queues a new reference to m (taken by this call), making room as the
 * header comment describes.  Never fails for lack of memory. */
enum hub_push_result hub_queue_push(struct hub_queue *q, struct hub_msg *m);

/* The oldest message (borrowed), or NULL when empty. */
struct hub_msg *hub_queue_peek(const struct hub_queue *q);

/* Removes the oldest message and hands its reference to the caller, or
 * returns NULL when empty. */
struct hub_msg *hub_queue_pop(struct hub_queue *q);

/* Watermarks: high at 3/4 of either ceiling, low at 1/4 of both. */
bool hub_queue_high(const struct hub_queue *q);
bool hub_queue_low(const struct hub_queue *q);

#endif
