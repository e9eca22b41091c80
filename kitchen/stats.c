/*
 * stats.c: periodic and final statistics lines (see stats.h).
 */
#include "stats.h"

#include <stdio.h>

#include "capture.h"
#include "chef_runtime.h"
#include "emit.h"
#include "log.h"
#include "uplink.h"

#define COMP "kitchen"

void kitchen_stats_init(struct kitchen_stats *s, uv_loop_t *loop, struct kitchen_capture *cap,
			struct kitchen_uplink *up, struct kitchen_emitter *em,
			struct nd_chef_runtime *rt, const uint64_t *not_dissected)
{
	s->cap = cap;
	s->up = up;
	s->em = em;
	s->rt = rt;
	s->not_dissected = not_dissected;
	uv_timer_init(loop, &s->timer);
	s->timer.data = s;
	s->open = 1;
	s->start_ns = s->last_ns = uv_hrtime();
}

static void log_line(struct kitchen_stats *s, const char *what, int final)
{
	struct kitchen_capture_stats cs;
	struct kitchen_uplink_stats us = { 0 };
	uint64_t now = uv_hrtime();
	uint64_t since = final ? s->start_ns : s->last_ns;
	uint64_t base = final ? 0 : s->last_packets;
	double secs = (double)(now - since) / 1e9;
	char pcap[160] = "";

	kitchen_capture_get_stats(s->cap, &cs);
	if (s->up)
		kitchen_uplink_get_stats(s->up, &us);
	if (cs.have_pcap_stats)
		snprintf(pcap, sizeof(pcap), " pcap_received=%llu pcap_dropped=%llu pcap_ifdropped=%llu",
			 (unsigned long long)cs.recv, (unsigned long long)cs.drop,
			 (unsigned long long)cs.ifdrop);
	nd_info(COMP,
		"%s: packets=%llu (%.0f/s) not_dissected=%llu dumplings=%llu sent=%llu queued=%zu dropped=%llu dropped_at_exit=%llu encode_failures=%llu last_seq=%llu hub_connects=%llu%s",
		what, (unsigned long long)cs.packets,
		secs > 0 ? (double)(cs.packets - base) / secs : 0.0,
		(unsigned long long)*s->not_dissected, (unsigned long long)s->em->made,
		(unsigned long long)us.sent, us.queued, (unsigned long long)us.dropped,
		(unsigned long long)us.dropped_at_exit, (unsigned long long)s->em->encode_failures,
		(unsigned long long)(s->em->next_seq - 1), (unsigned long long)us.connects, pcap);
	s->last_ns = now;
	s->last_packets = cs.packets;
}

static void on_timer(uv_timer_t *t)
{
	log_line(t->data, "stats", 0);
}

void kitchen_stats_start(struct kitchen_stats *s, double interval)
{
	uint64_t ms = (uint64_t)(interval * 1000);

	if (interval > 0)
		uv_timer_start(&s->timer, on_timer, ms ? ms : 1, ms ? ms : 1);
}

void kitchen_stats_final(struct kitchen_stats *s)
{
	size_t n = nd_chef_runtime_count(s->rt);

	log_line(s, "finished", 1);
	for (size_t i = 0; i < n; i++) {
		struct nd_chef_counters c;

		if (nd_chef_runtime_counters(s->rt, i, &c) != 0)
			continue;
		if (c.packet_failures || c.interval_failures || c.emit_failures)
			nd_warn(COMP, "chef %s: %llu packet failures, %llu interval failures, %llu refused emits",
				nd_chef_runtime_info(s->rt, i)->full_name,
				(unsigned long long)c.packet_failures,
				(unsigned long long)c.interval_failures,
				(unsigned long long)c.emit_failures);
	}
}

void kitchen_stats_stop(struct kitchen_stats *s)
{
	if (s->open) {
		s->open = 0;
		uv_close((uv_handle_t *)&s->timer, NULL);
	}
}
