/*
 * chef_filter.c: which packets a chef sees: its interest flags, then its
 * BPF filter (the chef's nd_chef_desc.bpf, or -o Chef.bpf).  See chef.h.
 *
 * Interest flags are checked first because they cost a few compares.  A BPF
 * filter is compiled once per link type the chef meets (pcap_open_dead +
 * pcap_compile, at most CHEF_BPF_SLOTS link types) and run with
 * pcap_offline_filter on the captured bytes.  A filter that does not
 * compile for some link type (say "ether host" on raw IP) matches nothing
 * there; that is logged once per link type, then counted as skips.
 */
#include "chef_runtime_priv.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BPF_SNAPLEN 262144

static int compile(int dlt, const char *expr, struct bpf_program *prog, char *why, size_t whylen)
{
	pcap_t *p = pcap_open_dead(dlt, BPF_SNAPLEN);
	int rc = 0;

	if (!p) {
		snprintf(why, whylen, "cannot open a pcap handle for link type %d", dlt);
		return -ENOMEM;
	}
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(why, whylen, "%s", pcap_geterr(p));
		rc = -EINVAL;
	}
	pcap_close(p);
	return rc;
}

int nd__chef_filter_check(const struct nd_chef_ctx *ctx, char *err, size_t errlen)
{
	struct bpf_program prog;
	char why[PCAP_ERRBUF_SIZE + 64];
	int rc;

	if (!ctx->bpf_expr)
		return 0;
	rc = compile(DLT_EN10MB, ctx->bpf_expr, &prog, why, sizeof(why));
	if (rc < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: chef \"%s\": its BPF filter \"%.200s\" does not compile: %s",
				 ctx->info.path, ctx->info.name, ctx->bpf_expr, why);
		return rc;
	}
	pcap_freecode(&prog);
	return 0;
}

static bool in_u16(const uint16_t *v, unsigned n, uint16_t x)
{
	for (unsigned i = 0; i < n && i < ND_CHEF_MAX_INTEREST; i++)
		if (v[i] == x)
			return true;
	return false;
}

static bool interest_match(const struct nd_chef_interest *in, const struct nd_packet *pkt)
{
	if (in->n_ethertypes && !in_u16(in->ethertypes, in->n_ethertypes, pkt->eth.ethertype))
		return false;
	if (in->n_ip_protos) {
		bool hit = false;

		if (!nd_packet_has(pkt, ND_LAYER_IP) && !nd_packet_has(pkt, ND_LAYER_IPV6))
			return false;
		for (unsigned i = 0; i < in->n_ip_protos && i < ND_CHEF_MAX_INTEREST; i++)
			hit = hit || in->ip_protos[i] == pkt->ip.proto;
		if (!hit)
			return false;
	}
	if (in->n_ports) {
		if (!nd_packet_has(pkt, ND_LAYER_TCP) && !nd_packet_has(pkt, ND_LAYER_UDP))
			return false;
		if (!in_u16(in->ports, in->n_ports, pkt->sport) &&
		    !in_u16(in->ports, in->n_ports, pkt->dport))
			return false;
	}
	return true;
}

/* The compiled program for dlt, compiling it on first use; NULL when it
 * does not compile or the slots are full. */
static const struct chef_bpf *program_for(struct nd_chef_ctx *ctx, int dlt)
{
	struct chef_bpf *b;
	char why[PCAP_ERRBUF_SIZE + 64];

	for (size_t i = 0; i < ctx->n_bpf; i++)
		if (ctx->bpf[i].dlt == dlt)
			return &ctx->bpf[i];
	if (ctx->n_bpf == CHEF_BPF_SLOTS) {
		if (ctx->bpf_uncached++ == 0)
			nd_warn("chefs", "%s: BPF filter already compiled for %d link types; packets of link type %d are not shown to it",
				ctx->info.name, CHEF_BPF_SLOTS, dlt);
		return NULL;
	}
	b = &ctx->bpf[ctx->n_bpf++];
	memset(b, 0, sizeof(*b));
	b->dlt = dlt;
	b->ok = compile(dlt, ctx->bpf_expr, &b->prog, why, sizeof(why)) == 0;
	if (!b->ok)
		nd_warn("chefs", "%s: BPF filter \"%.200s\" does not compile for link type %d, so it sees no such packets: %s",
			ctx->info.name, ctx->bpf_expr, dlt, why);
	return b;
}

bool nd__chef_filter_match(struct nd_chef_ctx *ctx, const struct nd_packet *pkt)
{
	const struct chef_bpf *b;
	struct pcap_pkthdr h;

	if (!interest_match(&ctx->desc->interest, pkt))
		return false;
	if (!ctx->bpf_expr)
		return true;
	b = program_for(ctx, pkt->dlt);
	if (!b || !b->ok || !pkt->data)
		return false;
	memset(&h, 0, sizeof(h));
	h.ts = pkt->ts;
	h.caplen = pkt->caplen;
	h.len = pkt->wire_len;
	return pcap_offline_filter(&b->prog, &h, pkt->data) != 0;
}

void nd__chef_filter_free(struct nd_chef_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_bpf; i++)
		if (ctx->bpf[i].ok)
			pcap_freecode(&ctx->bpf[i].prog);
	ctx->n_bpf = 0;
}
