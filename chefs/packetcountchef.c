/*
 * packetcountchef.c: PacketCountChef, netdumplings' per-layer packet counter.
 *
 * Counts every layer of every packet since the kitchen started, keyed by the
 * name scapy gives the layer ("Ethernet", "IP", "TCP", "DNS", "Raw", ...),
 * and sends the counts once per poke interval:
 *
 *     {"packet_counts": {"Ethernet": 2659740, "IP": 2367035, "TCP": 535050}}
 *
 * Keys appear in the order the layers were first seen.  Layer names come
 * from a fixed set (about fifty), so the table is small and bounded; a name
 * beyond MAX_NAMES would be counted in `names_refused` and logged once.
 */
#include "chef.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMES 128

struct layer_count {
	const char *name; /* static string from the packet view */
	json_int_t count;
};

struct packetcount {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	struct layer_count counts[MAX_NAMES];
	size_t n;
	uint64_t names_refused;
};

static int pc_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct packetcount *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return -ENOMEM;
	pc->ctx = ctx;
	pc->host = host;
	*state = pc;
	return 0;
}

static void count_name(struct packetcount *pc, const char *name)
{
	for (size_t i = 0; i < pc->n; i++) {
		if (pc->counts[i].name == name || strcmp(pc->counts[i].name, name) == 0) {
			pc->counts[i].count++;
			return;
		}
	}
	if (pc->n == MAX_NAMES) {
		if (pc->names_refused++ == 0)
			pc->host->log(pc->ctx, ND_CHEF_LOG_WARN,
				      "more than %d distinct layer names; not counting \"%s\" and later ones",
				      MAX_NAMES, name);
		return;
	}
	pc->counts[pc->n].name = name;
	pc->counts[pc->n].count = 1;
	pc->n++;
}

static int pc_packet(void *state, const struct nd_packet *pkt)
{
	struct packetcount *pc = state;

	for (unsigned i = 0; i < pkt->nlayers; i++) {
		const char *name = nd_packet_layer_name(pkt, i);

		if (*name)
			count_name(pc, name);
	}
	return 0;
}

static int pc_interval(void *state, double interval)
{
	struct packetcount *pc = state;
	json_t *counts = json_object();

	if (!counts)
		return -ENOMEM;
	for (size_t i = 0; i < pc->n; i++) {
		if (json_object_set_new(counts, pc->counts[i].name,
					json_integer(pc->counts[i].count)) < 0) {
			json_decref(counts);
			return -ENOMEM;
		}
	}
	return pc->host->emit(pc->ctx, json_pack("{s:o}", "packet_counts", counts));
}

static void pc_fini(void *state)
{
	free(state);
}

static const struct nd_chef_desc packet_count_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "PacketCountChef",
	.summary = "per-layer packet counts since start, every poke interval",
	.init = pc_init,
	.packet = pc_packet,
	.interval = pc_interval,
	.fini = pc_fini,
};

ND_CHEF_MODULE(NULL, &packet_count_chef)
