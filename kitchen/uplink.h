/*
 * uplink.h: the kitchen's WebSocket connection to the hub.
 *
 * A libwebsockets client on the kitchen's own libuv loop.  Each connection
 * sends the kitchen's registration first, then queued dumplings in order.
 * While the hub is unreachable, dumplings wait in a bounded queue (see
 * queue.h: drop-oldest, counted) and the uplink reconnects with exponential
 * backoff plus jitter, registering again each time.  Closing flushes what
 * is queued within a bounded time and closes with 4101.
 *
 * What this cannot know: dumplings already handed to the kernel when a
 * connection dies may or may not have reached the hub (there are no
 * acknowledgements in netdumplings' protocol).  The uplink logs the last
 * sequence number it wrote on each disconnect, so a gap at or below it is
 * "in flight", and every later gap is counted as dropped.
 */
#ifndef KITCHEN_UPLINK_H
#define KITCHEN_UPLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "addr.h"

struct kitchen_uplink;

struct kitchen_uplink_config {
	struct nd_addr hub;
	const char *hello;           /* registration JSON text (copied) */
	size_t max_count;            /* queue bound in dumplings */
	size_t max_bytes;            /* queue bound in payload bytes */
	unsigned backoff_min_ms;     /* first reconnect delay; 0: 250 ms */
	unsigned backoff_max_ms;     /* ceiling; 0: 10 s */
	unsigned flush_timeout_ms;   /* bound on the final flush; 0: 5 s */
	const char *ca_file;         /* wss: CA bundle; NULL: system default */
	bool insecure;               /* wss: accept any certificate (tests) */
	const char *token;           /* bearer token sent in the handshake; NULL: none */
	const char *cert_file;       /* wss: client certificate and key (read when the */
	const char *key_file;        /* context is created); NULL: none */
};

struct kitchen_uplink_stats {
	bool connected;
	uint64_t connects;        /* successful registrations */
	uint64_t disconnects;
	uint64_t sent;            /* dumplings written to a connection */
	uint64_t last_sent_seq;
	uint64_t dropped;         /* dropped from the queue, oldest first */
	uint64_t dropped_at_exit; /* still queued when the flush time ran out */
	size_t queued, queued_bytes;
};

/* Called once when a close started by kitchen_uplink_close has finished
 * (flushed and closed, or out of time).  Runs from a libuv callback, so it
 * may call kitchen_uplink_stop. */
typedef void (*kitchen_uplink_done_cb)(struct kitchen_uplink *u, void *arg);
/* Called when the queue falls to its low-water mark after having been
 * above its high-water mark (see kitchen_uplink_congested). */
typedef void (*kitchen_uplink_drain_cb)(struct kitchen_uplink *u, void *arg);

/* Creates the lws context on `loop` and starts connecting.  Returns NULL
 * (after logging why) when the context cannot be created. */
struct kitchen_uplink *kitchen_uplink_new(uv_loop_t *loop, const struct kitchen_uplink_config *cfg);

void kitchen_uplink_set_drain_cb(struct kitchen_uplink *u, kitchen_uplink_drain_cb cb, void *arg);

/* Queues one encoded dumpling (copied) with its sequence number.  Returns 0,
 * or a negative errno when it was refused (counted as dropped). */
int kitchen_uplink_send(struct kitchen_uplink *u, const char *text, size_t len, uint64_t seq);

/* True while connected with the queue above its high-water mark: a reader
 * that can wait (a capture file) should pause until the drain callback. */
bool kitchen_uplink_congested(const struct kitchen_uplink *u);

void kitchen_uplink_get_stats(const struct kitchen_uplink *u, struct kitchen_uplink_stats *st);

/* Starts the final flush: no new dumplings are accepted; what is queued is
 * sent (connecting if needed) until the queue is empty or flush_timeout_ms
 * has passed, then the connection is closed with 4101 and done(u, arg)
 * runs.  Call once. */
void kitchen_uplink_close(struct kitchen_uplink *u, kitchen_uplink_done_cb done, void *arg);

/* From a libuv callback after done: closes the uplink's handles and starts
 * destroying the lws context.  Then let uv_run return. */
void kitchen_uplink_stop(struct kitchen_uplink *u);

/* After uv_run has returned: finishes destroying the context and frees u.
 * The caller then runs the loop once more (UV_RUN_NOWAIT) and closes it. */
void kitchen_uplink_free(struct kitchen_uplink *u);

#endif
