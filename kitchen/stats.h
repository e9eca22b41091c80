/*
 * stats.h: the kitchen's periodic statistics line, and the final one.
 *
 *   kitchen: stats: packets=... (N/s) not_dissected=... dumplings=...
 *   sent=... queued=... dropped=... encode_failures=... pcap_received=...
 *   pcap_dropped=... pcap_ifdropped=...
 *
 * The final line ("kitchen: finished: ...") adds dropped_at_exit and the
 * last seq; chefs with failures get one line each.
 */
#ifndef KITCHEN_STATS_H
#define KITCHEN_STATS_H

#include <stdint.h>
#include <uv.h>

struct kitchen_capture;
struct kitchen_uplink;
struct kitchen_emitter;
struct nd_chef_runtime;

struct kitchen_stats {
	uv_timer_t timer;
	struct kitchen_capture *cap;
	struct kitchen_uplink *up;    /* may be NULL */
	struct kitchen_emitter *em;
	struct nd_chef_runtime *rt;
	const uint64_t *not_dissected;
	uint64_t start_ns, last_ns, last_packets;
	int open;
};

void kitchen_stats_init(struct kitchen_stats *s, uv_loop_t *loop, struct kitchen_capture *cap,
			struct kitchen_uplink *up, struct kitchen_emitter *em,
			struct nd_chef_runtime *rt, const uint64_t *not_dissected);
/* Logs every interval seconds (0: never). */
void kitchen_stats_start(struct kitchen_stats *s, double interval);
/* Logs the final line; the capture must still be open. */
void kitchen_stats_final(struct kitchen_stats *s);
/* Closes the timer. */
void kitchen_stats_stop(struct kitchen_stats *s);

#endif
