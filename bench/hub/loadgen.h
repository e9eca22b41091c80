/*
 * loadgen.h: the WebSocket clients of the hub benchmark.
 *
 * loadgen_kitchens() connects K kitchens that each send N numbered
 * dumplings of about `size` bytes as fast as the hub accepts them (writing
 * while the socket is not choked).  loadgen_eaters() connects E eaters and
 * checks that each receives every kitchen's dumplings complete and in
 * order.  Each runs its own libuv loop and returns when done; they are
 * meant to run in separate processes so that the clients use both cores.
 *
 * Paced mode (rate > 0): each kitchen sends at most `rate` dumplings per
 * second (a 1 ms tick releases what is due).  Every dumpling carries its
 * send time (CLOCK_MONOTONIC, ns) in payload.t; eaters given a histogram
 * record receive time minus send time for every dumpling whose seq is
 * above warmup_seq.  Clients and hub must share one machine's clock.
 */
#ifndef BENCH_HUB_LOADGEN_H
#define BENCH_HUB_LOADGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loadgen_conf {
	const char *host;
	int in_port, out_port;
	unsigned kitchens, eaters;
	unsigned first_eater; /* index of this process's first eater (names) */
	uint64_t per_kitchen; /* dumplings each kitchen sends */
	unsigned size;        /* approximate dumpling size in bytes */
	unsigned idle_ms;     /* eaters give up after this long without data */
	/* Appended fields; zero means off. */
	uint64_t rate;        /* per kitchen, dumplings/s (0: as fast as allowed) */
	unsigned duration_ms; /* kitchens stop after this long (0: after per_kitchen) */
	uint64_t warmup_seq;  /* latencies of seq <= this are not recorded */
	struct loadgen_hist *hist; /* eaters record latencies here, or NULL */
};

/* Latency histogram: 1 us buckets below 10 ms, 1 ms buckets above (to ~10 s). */
#define LOADGEN_HIST_FINE 10000u
#define LOADGEN_HIST_BUCKETS 20000u
struct loadgen_hist {
	uint64_t n, max_ns, sum_ns;
	uint64_t b[LOADGEN_HIST_BUCKETS];
};

struct loadgen_result {
	uint64_t deliveries;  /* dumplings received, all eaters */
	uint64_t gaps;        /* seq jumps seen by eaters */
	uint64_t out_of_order;
	unsigned complete;    /* eaters that received everything */
	uint64_t first_ns, last_ns; /* CLOCK_MONOTONIC of first and last receipt */
	uint64_t bytes;
};

/* Return 0 or a negative errno. */
int loadgen_kitchens(const struct loadgen_conf *c);
/* The same; *sent receives the dumplings sent by all kitchens. */
int loadgen_kitchens_count(const struct loadgen_conf *c, uint64_t *sent);
int loadgen_eaters(const struct loadgen_conf *c, struct loadgen_result *r,
		   void (*ready)(void *), void *arg);

/* Eaters over raw sockets (raweater.c): the same checks, without
 * libwebsockets' client-side frame parser, which costs more per message
 * than the hub does per delivery.  Same contract as loadgen_eaters(). */
int loadgen_raw_eaters(const struct loadgen_conf *c, struct loadgen_result *r,
		       void (*ready)(void *), void *arg);

/* One received message of one eater: counts it into r (order against
 * last[kitchen], completeness against *got) and records its latency into
 * c->hist.  m is NUL-terminated.  Returns true if it was a benchmark
 * dumpling. */
bool loadgen_check(const struct loadgen_conf *c, struct loadgen_result *r, uint64_t *last,
		   uint64_t *got, const char *m, size_t len);

uint64_t loadgen_now_ns(void);

void loadgen_hist_add(struct loadgen_hist *h, uint64_t ns);
void loadgen_hist_merge(struct loadgen_hist *into, const struct loadgen_hist *from);
/* The latency at quantile q (0..1) in microseconds, a bucket's lower edge. */
double loadgen_hist_quantile_us(const struct loadgen_hist *h, double q);

#endif
