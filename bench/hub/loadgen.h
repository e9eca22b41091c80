/*
 * loadgen.h: the WebSocket clients of the hub benchmark.
 *
 * loadgen_kitchens() connects K kitchens that each send N numbered
 * dumplings of about `size` bytes as fast as the hub accepts them (writing
 * while the socket is not choked).  loadgen_eaters() connects E eaters and
 * checks that each receives every kitchen's dumplings complete and in
 * order.  Each runs its own libuv loop and returns when done; they are
 * meant to run in separate processes so that the clients use both cores.
 */
#ifndef BENCH_HUB_LOADGEN_H
#define BENCH_HUB_LOADGEN_H

#include <stdint.h>

struct loadgen_conf {
	const char *host;
	int in_port, out_port;
	unsigned kitchens, eaters;
	unsigned first_eater; /* index of this process's first eater (names) */
	uint64_t per_kitchen; /* dumplings each kitchen sends */
	unsigned size;        /* approximate dumpling size in bytes */
	unsigned idle_ms;     /* eaters give up after this long without data */
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
int loadgen_eaters(const struct loadgen_conf *c, struct loadgen_result *r,
		   void (*ready)(void *), void *arg);

uint64_t loadgen_now_ns(void);

#endif
