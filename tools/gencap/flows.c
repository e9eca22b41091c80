/*
 * flows.c: conversation dispatch and the short conversations: DNS over
 * UDP, ARP exchanges, pings, UDP bursts (see flows.h; TCP is tcpflow.c).
 */
#include "flows.h"

#include <netinet/in.h>
#include <string.h>

#include "names.h"

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t zero_mac[6];
static const uint8_t resolver4[4] = {198, 51, 100, 53};
static const uint8_t resolver6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53};

uint16_t gencap_conv_ephemeral(struct gencap_ctx *c)
{
	return (uint16_t)gencap_rng_range(&c->rng, 49152, 65535);
}

void gencap_conv_noise(struct gencap_ctx *c, struct gencap_frame *f, size_t n)
{
	gencap_frame_put(f, c->noise + gencap_rng_below(&c->rng, GENCAP_NOISE), n);
}

void gencap_conv_seal(struct gencap_ctx *c, struct gencap_frame *f)
{
	gencap_frame_finish(f);
	gencap_truth_packet(c->truth, f, c->ts_us);
}

void gencap_conv_ip(struct gencap_conv *v, struct gencap_frame *f, bool from_client, uint8_t proto)
{
	const struct gencap_host *h = v->cli;
	const uint8_t *dst = from_client ? v->smac : h->mac;
	const uint8_t *src = from_client ? h->mac : v->smac;

	gencap_frame_start(f);
	gencap_frame_eth(f, dst, src, h->tags, v->v6 ? 0x86dd : 0x0800);
	if (v->v6) {
		gencap_frame_ipv6(f, from_client ? h->ip6 : v->sip, from_client ? v->sip : h->ip6,
				  proto, from_client ? 64 : 57, (uint32_t)v->sport * 2654435761u);
	} else {
		uint16_t id = from_client ? v->cid++ : v->sid++;

		gencap_frame_ipv4(f, from_client ? h->ip4 : v->sip, from_client ? v->sip : h->ip4,
				  proto, from_client ? 64 : 57, id);
	}
}

static void start_endpoints(struct gencap_ctx *c, struct gencap_conv *v, uint32_t v6_permille)
{
	v->cli = gencap_net_pick(&c->net, &c->rng);
	v->smac = c->net.gw.mac;
	v->v6 = gencap_rng_chance(&c->rng, v6_permille);
	gencap_net_server(&c->rng, v->v6, v->sip);
	v->sport = gencap_conv_ephemeral(c);
	v->cid = (uint16_t)gencap_rng_next(&c->rng);
	v->sid = (uint16_t)gencap_rng_next(&c->rng);
}

/* --- DNS over UDP: a query, usually answered. --- */

static void dns_udp_start(struct gencap_ctx *c, struct gencap_conv *v)
{
	start_endpoints(c, v, 250);
	if (gencap_rng_chance(&c->rng, 600))
		memcpy(v->sip, v->v6 ? c->net.gw.ip6 : c->net.gw.ip4, v->v6 ? 16 : 4);
	else
		memcpy(v->sip, v->v6 ? resolver6 : resolver4, v->v6 ? 16 : 4);
	v->dport = 53;
	v->dns.id = (uint16_t)gencap_rng_next(&c->rng);
	v->dns.name = gencap_names_pick(&c->rng);
	v->dns.qtype = gencap_dns_pick_qtype(&c->rng);
	v->dns.edns = gencap_rng_chance(&c->rng, 500);
}

static void dns_udp_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f)
{
	bool resp = v->step == 1;
	uint8_t msg[512];
	size_t n;

	gencap_conv_ip(v, f, !resp, IPPROTO_UDP);
	if (resp)
		gencap_frame_udp(f, 53, v->sport);
	else
		gencap_frame_udp(f, v->sport, 53);
	v->dns.response = resp;
	n = gencap_dns_build(msg, sizeof(msg), &v->dns, &c->rng);
	gencap_frame_put(f, msg, n);
	gencap_conv_seal(c, f);
	gencap_truth_dns(c->truth, v->dns.name, resp, v->dns.qtype, v->dns.ancount, v->dns.rcode,
			 false);
	v->step++;
	v->done = resp || gencap_rng_chance(&c->rng, 60);
}

/* --- ARP: who-has and is-at, address changes, replaced cards. --- */

enum { ARP_ASK, ARP_RENUMBER, ARP_NEW_CARD };

static void arp_start(struct gencap_ctx *c, struct gencap_conv *v)
{
	uint32_t x = gencap_rng_below(&c->rng, 1000);

	v->cli = gencap_net_pick(&c->net, &c->rng);
	v->peer = gencap_rng_chance(&c->rng, 400) ? &c->net.gw : gencap_net_pick(&c->net, &c->rng);
	if (v->peer == v->cli)
		v->peer = &c->net.gw;
	v->arp_event = x < 860 ? ARP_ASK : x < 950 ? ARP_RENUMBER : ARP_NEW_CARD;
}

static void arp_frame(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f,
		      const uint8_t *edst, uint16_t op, const struct gencap_host *s,
		      const uint8_t *tha, const uint8_t *tpa)
{
	gencap_frame_start(f);
	gencap_frame_eth(f, edst, s->mac, v->cli->tags, 0x0806);
	gencap_frame_arp(f, op, s->mac, s->ip4, tha, tpa);
	gencap_conv_seal(c, f);
	gencap_truth_arp(c->truth, op, s->mac, s->ip4, tha, tpa);
}

static void arp_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f)
{
	struct gencap_host *a = v->cli, *b = v->peer;

	if (v->arp_event == ARP_RENUMBER && b != &c->net.gw) {
		/* b moved to a new address and announces it (gratuitous reply) */
		gencap_net_renumber(&c->net, b);
		arp_frame(c, v, f, bcast, 2, b, bcast, b->ip4);
		v->done = true;
		return;
	}
	if (v->arp_event == ARP_NEW_CARD && b != &c->net.gw && v->step == 0) {
		/* b's address now answers from a new card */
		gencap_net_new_mac(&c->net, b);
		arp_frame(c, v, f, a->mac, 2, b, a->mac, a->ip4);
		v->done = true;
		return;
	}
	if (v->step == 0) {
		arp_frame(c, v, f, bcast, 1, a, zero_mac, b->ip4);
		v->step = 1;
		v->done = gencap_rng_chance(&c->rng, 120); /* nobody answered */
		return;
	}
	arp_frame(c, v, f, a->mac, 2, b, a->mac, a->ip4);
	v->done = true;
}

/* --- ICMP / ICMPv6 echo: one to four request/reply pairs. --- */

static void icmp_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f)
{
	bool reply = v->step % 2 == 1;
	uint8_t data[56];

	gencap_conv_ip(v, f, !reply, v->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	gencap_frame_echo(f, reply, v->sport, (uint16_t)(v->step / 2 + 1));
	memcpy(data, &v->tsval, 4); /* like ping: a timestamp, then a pattern */
	memset(data + 4, 0, 4);
	for (unsigned i = 8; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	gencap_frame_put(f, data, sizeof(data));
	gencap_conv_seal(c, f);
	v->step++;
	if (!reply && gencap_rng_chance(&c->rng, 80))
		v->step++; /* lost */
	v->done = v->step >= 2 * v->rounds;
}

/* --- Other UDP: QUIC, STUN, WireGuard, game and voice servers. --- */

static void udp_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f)
{
	bool from_client = v->step == 0 || gencap_rng_chance(&c->rng, 450);

	gencap_conv_ip(v, f, from_client, IPPROTO_UDP);
	if (from_client)
		gencap_frame_udp(f, v->sport, v->dport);
	else
		gencap_frame_udp(f, v->dport, v->sport);
	if (v->step == 0 && v->dport == 443)
		gencap_conv_noise(c, f, 1200); /* a QUIC Initial */
	else if (gencap_rng_chance(&c->rng, 40))
		gencap_conv_noise(c, f, 1); /* a NAT keepalive: Raw, then Padding on IPv4 */
	else
		gencap_conv_noise(c, f, gencap_rng_range(&c->rng, 24, 1200));
	/* First byte like QUIC's (long header 0xc3, short 0x40-0x7f), never
	 * RTP/RTCP version 2, so readers' heuristics leave it opaque. */
	f->buf[f->payload_off] = (v->step == 0 && v->dport == 443) ? 0xc3
				 : (uint8_t)(0x40 | (f->buf[f->payload_off] & 0x3f));
	gencap_conv_seal(c, f);
	v->done = ++v->step >= v->rounds;
}

void gencap_conv_start(struct gencap_ctx *c, struct gencap_conv *v, enum gencap_kind kind)
{
	static const uint16_t udp_ports[] = {443, 443, 3478, 51820, 27015, 9987, 10000};

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->tsval = (uint32_t)gencap_rng_next(&c->rng);
	switch (kind) {
	case GK_DNS_UDP:
		dns_udp_start(c, v);
		break;
	case GK_ARP:
		arp_start(c, v);
		break;
	case GK_ICMP:
		start_endpoints(c, v, 300);
		v->rounds = (int)gencap_rng_range(&c->rng, 1, 4);
		break;
	case GK_UDP_OTHER:
		start_endpoints(c, v, 250);
		v->dport = udp_ports[gencap_rng_below(&c->rng, sizeof(udp_ports) / sizeof(udp_ports[0]))];
		v->rounds = (int)gencap_rng_range(&c->rng, 2, 14);
		break;
	default:
		gencap_tcp_start(c, v);
		break;
	}
}

void gencap_conv_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f)
{
	switch (v->kind) {
	case GK_DNS_UDP:
		dns_udp_next(c, v, f);
		break;
	case GK_ARP:
		arp_next(c, v, f);
		break;
	case GK_ICMP:
		icmp_next(c, v, f);
		break;
	case GK_UDP_OTHER:
		udp_next(c, v, f);
		break;
	default:
		gencap_tcp_next(c, v, f);
		break;
	}
}
