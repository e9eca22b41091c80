/*
 * kitchenstatschef.c: KitchenStatsChef: the kitchen's capture statistics
 * every poke interval.
 *
 *     {"kitchen_stats": {"interval": 5.0,
 *        "received": 1000, "dropped_kernel": 7, "dropped_iface": 3,
 *        "packets_processed": 990, "packets_dropped": 2,
 *        "dumplings_sent": 40, "dumplings_dropped": 1,
 *        "delta": {"received": 120, "dropped_kernel": 0, ...},
 *        "chefs": {"arpchef.ARPChef": {"packets": 990, "skipped": 0,
 *                  "halted_before": 0, "halts": 0, "packet_failures": 0,
 *                  "intervals": 3, "interval_failures": 0, "emitted": 12,
 *                  "emit_failures": 0}, ...}}}
 *
 * received / dropped_kernel / dropped_iface are libpcap's pcap_stats
 * (packets the capture saw, dropped for lack of buffer space, dropped by the
 * interface), summed over the kitchen's interfaces; the others are the
 * kitchen's own counters.  All are totals since the kitchen started; `delta`
 * holds their increase since this chef's previous dumpling; `chefs` the
 * kitchen's counters for every running chef (option chefs=0 leaves them
 * out).  A group the
 * kitchen cannot provide (an offline file has no pcap_stats) is left out.
 * When the kitchen offers no statistics at all, the chef sends nothing.
 */
#include "chef.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct kstats {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	struct nd_chef_capture_stats prev;
	bool have_prev;
	bool told_unsupported;
	bool chefs;
};

static int ks_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct kstats *k;
	uint64_t chefs;
	int rc;

	rc = host->option_u64(ctx, "chefs", 0, 1, 1, &chefs);
	if (rc < 0)
		return rc;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->chefs = chefs && ND_CHEF_HAS(host, chef_counters) && host->chef_counters;
	k->ctx = ctx;
	k->host = host;
	*state = k;
	return 0;
}

static json_int_t delta(uint64_t now, uint64_t before)
{
	/* A counter that went down was reset: count from zero. */
	return (json_int_t)(now >= before ? now - before : now);
}

static void put(json_t *o, json_t *d, const char *key, uint64_t now, uint64_t before)
{
	json_object_set_new(o, key, json_integer((json_int_t)now));
	json_object_set_new(d, key, json_integer(delta(now, before)));
}

static int ks_interval(void *state, double interval)
{
	struct kstats *k = state;
	struct nd_chef_capture_stats s, zero;
	const struct nd_chef_capture_stats *b;
	json_t *o, *d;
	int rc;

	memset(&s, 0, sizeof(s));
	s.struct_size = sizeof(s);
	rc = k->host->capture_stats(k->ctx, &s);
	if (rc == -ENOTSUP) {
		if (!k->told_unsupported)
			k->host->log(k->ctx, ND_CHEF_LOG_INFO,
				     "this kitchen offers no capture statistics; sending none");
		k->told_unsupported = true;
		return 0;
	}
	if (rc < 0)
		return rc;
	memset(&zero, 0, sizeof(zero));
	b = k->have_prev ? &k->prev : &zero;
	o = json_object();
	d = json_object();
	if (!o || !d) {
		json_decref(o);
		json_decref(d);
		return -ENOMEM;
	}
	json_object_set_new(o, "interval", json_real(interval));
	if (s.valid & ND_CHEF_STAT_PCAP) {
		put(o, d, "received", s.received, b->received);
		put(o, d, "dropped_kernel", s.dropped_kernel, b->dropped_kernel);
		put(o, d, "dropped_iface", s.dropped_iface, b->dropped_iface);
	}
	if (s.valid & ND_CHEF_STAT_KITCHEN) {
		put(o, d, "packets_processed", s.packets_processed, b->packets_processed);
		put(o, d, "packets_dropped", s.packets_dropped, b->packets_dropped);
		put(o, d, "dumplings_sent", s.dumplings_sent, b->dumplings_sent);
		put(o, d, "dumplings_dropped", s.dumplings_dropped, b->dumplings_dropped);
	}
	json_object_set_new(o, "delta", d);
	if (k->chefs) {
		json_t *c = k->host->chef_counters(k->ctx);

		if (c)
			json_object_set_new(o, "chefs", c);
	}
	k->prev = s;
	k->have_prev = true;
	return k->host->emit(k->ctx, json_pack("{s:o}", "kitchen_stats", o));
}

static void ks_fini(void *state)
{
	free(state);
}

static const struct nd_chef_option ks_options[] = {
	{"chefs", "1", "0: leave out the per-chef counters"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc kitchen_stats_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.options = ks_options,
	.name = "KitchenStatsChef",
	.summary = "capture statistics (pcap_stats) and the kitchen's own counters every interval",
	.init = ks_init,
	.interval = ks_interval,
	.fini = ks_fini,
};

ND_CHEF_MODULE(NULL, &kitchen_stats_chef)
