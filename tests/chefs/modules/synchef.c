/*
 * synchef.c: SynChef, the example chef of docs/writing-a-chef.md (keep the
 * two the same).  A dumpling per TCP connection attempt (SYN without ACK):
 *
 *     {"syn": {"src": "10.0.0.1", "dst": "10.0.0.2", "dport": 22, "time": 1700000000.5}}
 *
 * and every poke interval how many it saw since the previous poke:
 *
 *     {"syns": 12, "interval": 5.0}
 *
 * Option: port (only attempts to this port; default 0, every port).
 */
#include "addrfmt.h"
#include "chef.h"

#include <errno.h>
#include <stdlib.h>

struct syn {
	struct nd_chef_ctx *ctx;         /* our handle: passed to every host call */
	const struct nd_chef_host *host; /* the kitchen's services */
	uint64_t port;
	json_int_t seen;
};

static int syn_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct syn *s;
	uint64_t port;
	int rc;

	rc = host->option_u64(ctx, "port", 0, 65535, 0, &port);
	if (rc < 0)
		return rc; /* the kitchen reports: file, chef, "init failed" */
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ctx = ctx;
	s->host = host;
	s->port = port;
	*state = s;
	return 0;
}

static int syn_packet(void *state, const struct nd_packet *pkt)
{
	struct syn *s = state;
	char src[ND_IP_TEXT_MAX], dst[ND_IP_TEXT_MAX];
	double t = (double)pkt->ts.tv_sec + (double)pkt->ts.tv_usec / 1e6;

	/* The interest flags promise TCP; the flags are ours to check. */
	if ((pkt->tcp.flags & (ND_TCP_SYN | ND_TCP_ACK)) != ND_TCP_SYN)
		return ND_CHEF_OK;
	if (s->port && pkt->dport != s->port)
		return ND_CHEF_OK;
	s->seen++;
	nd_fmt_ip(pkt->ip.version, pkt->ip.src, src, sizeof(src));
	nd_fmt_ip(pkt->ip.version, pkt->ip.dst, dst, sizeof(dst));
	/* emit steals the payload; json_pack's NULL on failure is refused
	 * with -EINVAL, which the kitchen counts. */
	return s->host->emit(s->ctx, json_pack("{s:{s:s,s:s,s:i,s:f}}", "syn", "src", src, "dst",
					       dst, "dport", (int)pkt->dport, "time", t));
}

static int syn_interval(void *state, double interval)
{
	struct syn *s = state;
	json_int_t seen = s->seen;

	s->seen = 0;
	return s->host->emit(s->ctx, json_pack("{s:I,s:f}", "syns", seen, "interval", interval));
}

static void syn_fini(void *state)
{
	free(state);
}

static const struct nd_chef_option syn_options[] = {
	{"port", "0", "only connection attempts to this port (0: all)"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc syn_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "SynChef",
	.summary = "a dumpling per TCP connection attempt, and a count every interval",
	.interest = {.n_ip_protos = 1, .ip_protos = {6}}, /* TCP only */
	.options = syn_options,
	.init = syn_init,
	.packet = syn_packet,
	.interval = syn_interval,
	.fini = syn_fini,
};

ND_CHEF_MODULE("examples", &syn_chef)
