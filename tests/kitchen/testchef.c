/*
 * testchef.c: a chef module for the kitchen's tests.
 *
 * PacketEchoChef emits one packet dumpling per packet it sees
 * ({"n": <count so far>, "len": <wire length>, "ts": <capture time>}) and
 * one interval dumpling ({"packets": <count>}), so tests can count exactly
 * what the kitchen delivered.  Option pad=N adds N bytes of padding to each
 * packet dumpling (to exercise the byte bound of the hub queue).
 */
#include <stdlib.h>
#include <string.h>

#include "chef.h"

struct echo {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	unsigned long long n;
	char *pad;
};

static int echo_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct echo *e = calloc(1, sizeof(*e));
	uint64_t pad = 0;

	if (!e)
		return -12;
	e->ctx = ctx;
	e->host = host;
	if (host->option_u64(ctx, "pad", 0, 1 << 20, 0, &pad) != 0) {
		free(e);
		return -22;
	}
	if (pad) {
		e->pad = malloc(pad + 1);
		if (!e->pad) {
			free(e);
			return -12;
		}
		memset(e->pad, 'x', pad);
		e->pad[pad] = '\0';
	}
	*state = e;
	return 0;
}

static int echo_packet(void *state, const struct nd_packet *pkt)
{
	struct echo *e = state;
	json_t *p = json_object();

	e->n++;
	json_object_set_new(p, "n", json_integer((json_int_t)e->n));
	json_object_set_new(p, "len", json_integer(pkt->wire_len));
	json_object_set_new(p, "ts", json_real((double)pkt->ts.tv_sec + pkt->ts.tv_usec / 1e6));
	if (e->pad)
		json_object_set_new(p, "pad", json_string(e->pad));
	return e->host->emit(e->ctx, p);
}

static int echo_interval(void *state, double interval)
{
	struct echo *e = state;

	return e->host->emit(e->ctx, json_pack("{sI}", "packets", (json_int_t)e->n));
}

static void echo_fini(void *state)
{
	struct echo *e = state;

	free(e->pad);
	free(e);
}

static const struct nd_chef_option echo_options[] = {
	{ "pad", "0", "bytes of padding in each packet dumpling" },
	{ NULL, NULL, NULL },
};

static const struct nd_chef_desc echo_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "PacketEchoChef",
	.summary = "one dumpling per packet, for tests",
	.options = echo_options,
	.init = echo_init,
	.packet = echo_packet,
	.interval = echo_interval,
	.fini = echo_fini,
};

static const struct nd_chef_desc idle_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.flags = ND_CHEF_F_UNASSIGNABLE,
	.name = "UnassignableChef",
	.summary = "never loaded",
};

ND_CHEF_MODULE("testchef", &echo_chef, &idle_chef);
