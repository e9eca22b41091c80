/*
 * uplink_int.h: what uplink.c (connecting, backoff, the queue, closing)
 * and uplink_ws.c (the libwebsockets protocol callback: registration,
 * writes, close frame) share.  Internal to kitchen/.
 */
#ifndef KITCHEN_UPLINK_INT_H
#define KITCHEN_UPLINK_INT_H

#include <libwebsockets.h>

#include "queue.h"
#include "token.h"
#include "uplink.h"

struct kitchen_uplink {
	uv_loop_t *loop;
	struct lws_context *ctx;
	struct lws *wsi;          /* the attempt or connection; NULL when idle */
	bool attempt_live;        /* an attempt or connection exists */
	bool established;
	bool hello_sent;
	bool above_high;          /* queue went above high water, not yet below low */
	bool was_congested;
	bool closing;
	bool close_deadline_passed;
	bool close_sent;          /* the 4101 close frame is out */
	bool finished;            /* done scheduled */
	bool stopped;

	struct kitchen_queue q;
	size_t high_count, low_count, high_bytes, low_bytes;

	char *hello;
	size_t hello_len;
	unsigned char *scratch;   /* LWS_PRE + hello_len */

	struct nd_addr hub;
	char hostport[ND_ADDR_HOST_MAX + 16];
	char *ca_file;
	bool insecure;
	char token[ND_TOKEN_MAX + 1]; /* client_auth.h; "" when none */
	unsigned backoff_min_ms, backoff_max_ms, backoff_ms, flush_timeout_ms;

	uv_timer_t retry_timer, flush_timer, done_timer;
	int handles_open;

	kitchen_uplink_done_cb done;
	void *done_arg;
	kitchen_uplink_drain_cb drain;
	void *drain_arg;

	uint32_t dummy_table[1];
	lws_retry_bo_t idle_policy;

	struct kitchen_uplink_stats st;
	uint64_t sent_this_conn;
};

/* Recomputes the high/low-water state; fires the drain callback when the
 * congestion has just cleared. */
void kitchen_uplink_update_congestion(struct kitchen_uplink *u);

/* Arms the reconnect timer with the next backoff delay (or finishes a
 * close that has nothing left to do). */
void kitchen_uplink_schedule_retry(struct kitchen_uplink *u);

/* The protocol the client connections are bound to (uplink_ws.c). */
extern const struct lws_protocols kitchen_uplink_protocols[];

#endif
