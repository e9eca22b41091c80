/*
 * good.c: a well-behaved test module holding several chefs, each showing
 * one feature of the chef ABI to test_chef_abi.c:
 *   EchoChef   emits {"echo":N,"greeting":<option>} per packet and
 *              {"intervals":N,"interval":s} per poke; one packet may emit
 *              several dumplings (option "copies")
 *   HaltChef   priority 10: halts packets whose destination port is the
 *              "port" option
 *   FailChef   returns -EIO from every packet and interval call
 *   DNSOnlyChef  interest: UDP port 53 only
 *   BPFChef    BPF filter "udp dst port 53"
 *   LateChef   priority -5; emits {"late":true} per packet
 *   HiddenChef not assignable to a kitchen
 */
#include "chef.h"

#include <errno.h>
#include <stdlib.h>

struct echo {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	json_int_t packets, intervals;
	uint64_t copies;
	const char *greeting;
};

static int echo_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct echo *e = calloc(1, sizeof(*e));
	int rc;

	if (!e)
		return -ENOMEM;
	e->ctx = ctx;
	e->host = host;
	e->greeting = host->option(ctx, "greeting");
	rc = host->option_u64(ctx, "copies", 1, 5, 1, &e->copies);
	if (rc < 0) {
		free(e);
		return rc;
	}
	*state = e;
	return 0;
}

static int echo_packet(void *state, const struct nd_packet *pkt)
{
	struct echo *e = state;

	e->packets++;
	for (uint64_t i = 0; i < e->copies; i++) {
		int rc = e->host->emit(e->ctx, json_pack("{s:I,s:s,s:s}", "echo", e->packets,
							  "greeting", e->greeting, "kitchen",
							  e->host->kitchen_name(e->ctx)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int echo_interval(void *state, double interval)
{
	struct echo *e = state;

	e->intervals++;
	return e->host->emit(e->ctx, json_pack("{s:I,s:f,s:f}", "intervals", e->intervals,
					       "interval", interval, "now", e->host->now(e->ctx)));
}

static void echo_fini(void *state)
{
	free(state);
}

static const struct nd_chef_option echo_options[] = {
	{"greeting", "hello", "a word to put in every dumpling"},
	{"copies", NULL, "dumplings per packet, 1 to 5"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc echo_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "EchoChef",
	.summary = "emits a count per packet",
	.options = echo_options,
	.init = echo_init,
	.packet = echo_packet,
	.interval = echo_interval,
	.fini = echo_fini,
};

struct halt {
	uint64_t port;
};

static int halt_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct halt *h = calloc(1, sizeof(*h));
	int rc;

	if (!h)
		return -ENOMEM;
	rc = host->option_u64(ctx, "port", 0, 65535, 0, &h->port);
	if (rc < 0) {
		free(h);
		return rc;
	}
	*state = h;
	return 0;
}

static int halt_packet(void *state, const struct nd_packet *pkt)
{
	const struct halt *h = state;

	return h->port && pkt->dport == h->port ? ND_CHEF_HALT : ND_CHEF_OK;
}

static const struct nd_chef_option halt_options[] = {
	{"port", NULL, "halt packets to this port"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc halt_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "HaltChef",
	.priority = 10,
	.options = halt_options,
	.init = halt_init,
	.packet = halt_packet,
	.fini = echo_fini,
};

static int fail_packet(void *state, const struct nd_packet *pkt)
{
	return -EIO;
}

static int fail_interval(void *state, double interval)
{
	return -ENOSPC;
}

static const struct nd_chef_desc fail_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "FailChef",
	.packet = fail_packet,
	.interval = fail_interval,
};

struct counter {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	const char *key;
};

static int counter_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct counter *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->ctx = ctx;
	c->host = host;
	*state = c;
	return 0;
}

static int counter_packet(void *state, const struct nd_packet *pkt)
{
	struct counter *c = state;

	return c->host->emit(c->ctx, json_pack("{s:i}", "dport", pkt->dport));
}

static const struct nd_chef_desc dns_only_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "DNSOnlyChef",
	.interest = {.n_ip_protos = 1, .ip_protos = {17}, .n_ports = 1, .ports = {53}},
	.init = counter_init,
	.packet = counter_packet,
	.fini = echo_fini,
};

static const struct nd_chef_desc bpf_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "BPFChef",
	.bpf = "udp dst port 53",
	.init = counter_init,
	.packet = counter_packet,
	.fini = echo_fini,
};

static int late_packet(void *state, const struct nd_packet *pkt)
{
	struct counter *c = state;

	return c->host->emit(c->ctx, json_pack("{s:b}", "late", 1));
}

static const struct nd_chef_desc late_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "LateChef",
	.priority = -5,
	.init = counter_init,
	.packet = late_packet,
	.fini = echo_fini,
};

static const struct nd_chef_desc hidden_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "HiddenChef",
	.flags = ND_CHEF_F_UNASSIGNABLE,
	.packet = fail_packet,
};

ND_CHEF_MODULE("testgood", &echo_chef, &halt_chef, &fail_chef, &dns_only_chef, &bpf_chef,
	       &late_chef, &hidden_chef)
