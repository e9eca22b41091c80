/*
 * pkt_invariants.h: the invariants every dissected packet view keeps,
 * checked the same way by the cmocka dissector tests (pkt_check.c) and the
 * fuzz target (tests/fuzz/fuzz_one.c).
 *
 * Header-only on purpose: the includer first defines PKT_CHECK(cond) as
 * its own way of failing (a cmocka assertion, or abort() in the fuzzer),
 * then includes this file once.  Everything here is static.
 *
 * The invariants: every span and slice lies inside the captured bytes;
 * the bitmask equals the spans; texts are printable ASCII, NUL-terminated
 * at their length; field groups of absent layers are zero; app-layer
 * results are cached (a second call gives the same pointer).
 */
#ifndef ND_TEST_PKT_INVARIANTS_H
#define ND_TEST_PKT_INVARIANTS_H

#ifndef PKT_CHECK
#error "define PKT_CHECK(cond) before including pkt_invariants.h"
#endif

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "addrfmt.h"
#include "packet.h"

static void pkt_inv_text(const char *s, int n, size_t size)
{
	PKT_CHECK(n >= 0 && (size_t)n < size);
	PKT_CHECK(strlen(s) == (size_t)n);
	for (int i = 0; i < n; i++)
		PKT_CHECK(s[i] >= 0x21 && s[i] <= 0x7e);
}

static void pkt_inv_slice(struct nd_slice s, const uint8_t *base, size_t len)
{
	char buf[4 * 1024 + 1];
	int n;

	if (s.len == 0)
		return;
	PKT_CHECK(s.ptr >= base && (size_t)(s.ptr - base) <= len);
	PKT_CHECK(s.len <= len - (size_t)(s.ptr - base));
	n = nd_slice_escape(s, buf, sizeof(buf));
	if (n != -ENOSPC)
		pkt_inv_text(buf, n, sizeof(buf));
	else
		PKT_CHECK(strlen(buf) < sizeof(buf));
}

static void pkt_inv_dns(const struct nd_dns *d, const uint8_t *base, size_t len)
{
	char t[ND_DNS_NAME_TEXT_MAX];

	PKT_CHECK(d->msg >= base && d->len <= len - (size_t)(d->msg - base));
	PKT_CHECK(d->nquestions <= ND_DNS_MAX_QUESTIONS);
	PKT_CHECK(d->nanswers <= ND_DNS_MAX_ANSWERS);
	for (unsigned i = 0; i < d->nquestions; i++)
		pkt_inv_text(t, nd_dns_qname(d, i, t, sizeof(t)), sizeof(t));
	for (unsigned i = 0; i < d->nanswers; i++) {
		const struct nd_dns_rr *rr = &d->answer[i];
		int n;

		pkt_inv_text(t, nd_dns_name_text(d, rr->name_off, t, sizeof(t)), sizeof(t));
		PKT_CHECK((uint32_t)rr->rdata_off + rr->rdlen <= d->len);
		/* rdata names are read on demand: any result but overflow. */
		n = nd_dns_name_text(d, rr->rdata_off, t, sizeof(t));
		PKT_CHECK(n != -ENOSPC);
		if (n >= 0)
			pkt_inv_text(t, n, sizeof(t));
		n = nd_dns_name_text(d, rr->rdata_off, t, 7);
		PKT_CHECK(strlen(t) < 7);
	}
}

static void pkt_inv_http(const struct nd_http_req *h, const uint8_t *base, size_t len)
{
	PKT_CHECK(h->method.len > 0 && h->method.len <= ND_HTTP_METHOD_MAX);
	pkt_inv_slice(h->method, base, len);
	pkt_inv_slice(h->target, base, len);
	pkt_inv_slice(h->host, base, len);
	PKT_CHECK(h->has_host || h->host.len == 0);
}

static void pkt_inv_tls(const struct nd_tls_hello *t, const uint8_t *base, size_t len)
{
	pkt_inv_slice(t->sni, base, len);
	PKT_CHECK(t->has_sni == (t->sni.len != 0));
}


static bool pkt_inv_all_zero(const void *v, size_t n)
{
	const uint8_t *b = v;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Field groups of absent layers are zero (packet.h's contract). */
static void pkt_inv_absent_zero(const struct nd_packet *p)
{
	unsigned tags = 0;

	if (!nd_packet_has(p, ND_LAYER_IP) && !nd_packet_has(p, ND_LAYER_IPV6))
		PKT_CHECK(pkt_inv_all_zero(&p->ip, sizeof(p->ip)));
	if (!nd_packet_has(p, ND_LAYER_TCP))
		PKT_CHECK(pkt_inv_all_zero(&p->tcp, sizeof(p->tcp)));
	if (!nd_packet_has(p, ND_LAYER_UDP))
		PKT_CHECK(p->udp.len == 0);
	if (!nd_packet_has(p, ND_LAYER_TCP) && !nd_packet_has(p, ND_LAYER_UDP))
		PKT_CHECK(p->sport == 0 && p->dport == 0);
	if (!nd_packet_has(p, ND_LAYER_ICMP) && !nd_packet_has(p, ND_LAYER_ICMPV6))
		PKT_CHECK(pkt_inv_all_zero(&p->icmp, sizeof(p->icmp)));
	if (!nd_packet_has(p, ND_LAYER_ARP))
		PKT_CHECK(pkt_inv_all_zero(&p->arp, sizeof(p->arp)));
	if (!nd_packet_has(p, ND_LAYER_ETHERNET))
		PKT_CHECK(pkt_inv_all_zero(p->eth.dst, sizeof(p->eth.dst)));
	if (!nd_packet_has(p, ND_LAYER_ETHERNET) && !nd_packet_has(p, ND_LAYER_SLL) &&
	    !nd_packet_has(p, ND_LAYER_SLL2))
		PKT_CHECK(pkt_inv_all_zero(p->eth.src, sizeof(p->eth.src)));
	for (unsigned i = 0; i < p->nlayers; i++)
		tags += p->layer[i].id == ND_LAYER_DOT1Q || p->layer[i].id == ND_LAYER_DOT1AD;
	PKT_CHECK(tags == p->vlan.count);
	if (p->payload_len == 0)
		PKT_CHECK(nd_packet_payload(p).len == 0);
}

/* Every invariant of a dissected view, app-layer parsers included. */
static void pkt_invariants_check(const struct nd_packet *p)
{
	uint32_t mask = 0;
	char buf[ND_IPV6_TEXT_MAX];
	const struct nd_dns *d;
	const struct nd_tls_hello *t;
	const struct nd_http_req *h;

	PKT_CHECK(p->nlayers <= ND_PACKET_MAX_LAYERS);
	PKT_CHECK(p->vlan.count <= ND_PACKET_MAX_VLANS);
	for (unsigned i = 0; i < p->nlayers; i++) {
		const struct nd_layer_span *s = &p->layer[i];

		PKT_CHECK(s->id < ND_LAYER_COUNT);
		PKT_CHECK(s->off <= p->caplen && s->len <= p->caplen - s->off);
		PKT_CHECK(i == 0 || s->off >= p->layer[i - 1].off);
		PKT_CHECK(nd_packet_layer_name(p, i)[0] != '\0');
		PKT_CHECK(strcmp(nd_layer_name(s->id), "?") != 0);
		mask |= ND_LAYER_BIT(s->id);
	}
	PKT_CHECK(mask == p->layers);
	PKT_CHECK(nd_packet_layer_name(p, p->nlayers)[0] == '\0');
	PKT_CHECK(p->payload_off <= p->caplen && p->payload_len <= p->caplen - p->payload_off);
	pkt_inv_absent_zero(p);
	if (p->flags & ND_PKT_NOT_DISSECTED)
		PKT_CHECK(p->nlayers == 0);
	if (p->ip.version) {
		PKT_CHECK(p->ip.version == 4 || p->ip.version == 6);
		PKT_CHECK(nd_fmt_ip(p->ip.version, p->ip.src, buf, sizeof(buf)) > 0);
	}
	nd_fmt_mac(p->eth.src, buf, sizeof(buf));

	d = nd_packet_dns(p);
	t = nd_packet_tls(p);
	h = nd_packet_http(p);
	/* Cached: a second call gives the same answer. */
	PKT_CHECK(d == nd_packet_dns(p) && t == nd_packet_tls(p) && h == nd_packet_http(p));
	if (d) {
		PKT_CHECK(nd_packet_has(p, ND_LAYER_DNS));
		pkt_inv_dns(d, p->data, p->caplen);
	}
	if (t) {
		PKT_CHECK(nd_packet_has(p, ND_LAYER_TCP));
		pkt_inv_tls(t, p->data, p->caplen);
	}
	if (h)
		pkt_inv_http(h, p->data, p->caplen);
}

#endif
