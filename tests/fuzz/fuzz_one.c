/*
 * fuzz_one.c: see fuzz_one.h.  Checks invariants, not just "did not
 * crash": every span and slice inside the captured bytes, bitmask equal to
 * the spans, texts printable ASCII and NUL-terminated at their length,
 * cached app-layer results stable, truncation flag right.
 */
#include <errno.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrfmt.h"
#include "fuzz_one.h"
#include "packet.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_one: invariant broken: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__);                    \
			abort();                                               \
		}                                                              \
	} while (0)

static const int nd_fuzz_dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6,   DLT_NULL,      DLT_LOOP,       DLT_IEEE802_11,
};

static void check_text(const char *s, int n, size_t size)
{
	CHECK(n >= 0 && (size_t)n < size);
	CHECK(strlen(s) == (size_t)n);
	for (int i = 0; i < n; i++)
		CHECK(s[i] >= 0x21 && s[i] <= 0x7e);
}

static void check_slice(struct nd_slice s, const uint8_t *base, size_t len)
{
	char buf[4 * 1024 + 1];
	int n;

	if (s.len == 0)
		return;
	CHECK(s.ptr >= base && (size_t)(s.ptr - base) <= len);
	CHECK(s.len <= len - (size_t)(s.ptr - base));
	n = nd_slice_escape(s, buf, sizeof(buf));
	if (n != -ENOSPC)
		check_text(buf, n, sizeof(buf));
	else
		CHECK(strlen(buf) < sizeof(buf));
}

static void check_dns(const struct nd_dns *d, const uint8_t *base, size_t len)
{
	char t[ND_DNS_NAME_TEXT_MAX];

	CHECK(d->msg >= base && d->len <= len - (size_t)(d->msg - base));
	CHECK(d->nquestions <= ND_DNS_MAX_QUESTIONS);
	CHECK(d->nanswers <= ND_DNS_MAX_ANSWERS);
	for (unsigned i = 0; i < d->nquestions; i++)
		check_text(t, nd_dns_qname(d, i, t, sizeof(t)), sizeof(t));
	for (unsigned i = 0; i < d->nanswers; i++) {
		const struct nd_dns_rr *rr = &d->answer[i];
		int n;

		check_text(t, nd_dns_name_text(d, rr->name_off, t, sizeof(t)),
			   sizeof(t));
		CHECK((uint32_t)rr->rdata_off + rr->rdlen <= d->len);
		/* rdata names are checked on demand: any result but overflow. */
		n = nd_dns_name_text(d, rr->rdata_off, t, sizeof(t));
		CHECK(n != -ENOSPC);
		if (n >= 0)
			check_text(t, n, sizeof(t));
		n = nd_dns_name_text(d, rr->rdata_off, t, 7);
		CHECK(strlen(t) < 7);
	}
}

static void check_http(const struct nd_http_req *h, const uint8_t *base,
		       size_t len)
{
	CHECK(h->method.len > 0 && h->method.len <= ND_HTTP_METHOD_MAX);
	check_slice(h->method, base, len);
	check_slice(h->target, base, len);
	check_slice(h->host, base, len);
	CHECK(h->has_host || h->host.len == 0);
}

static bool all_zero(const void *v, size_t n)
{
	const uint8_t *b = v;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Field groups of absent layers are zero (packet.h's contract). */
static void check_absent_zero(const struct nd_packet *p)
{
	unsigned tags = 0;

	if (!nd_packet_has(p, ND_LAYER_IP) && !nd_packet_has(p, ND_LAYER_IPV6))
		CHECK(all_zero(&p->ip, sizeof(p->ip)));
	if (!nd_packet_has(p, ND_LAYER_TCP))
		CHECK(all_zero(&p->tcp, sizeof(p->tcp)));
	if (!nd_packet_has(p, ND_LAYER_UDP))
		CHECK(p->udp.len == 0);
	if (!nd_packet_has(p, ND_LAYER_TCP) && !nd_packet_has(p, ND_LAYER_UDP))
		CHECK(p->sport == 0 && p->dport == 0);
	if (!nd_packet_has(p, ND_LAYER_ICMP) && !nd_packet_has(p, ND_LAYER_ICMPV6))
		CHECK(all_zero(&p->icmp, sizeof(p->icmp)));
	if (!nd_packet_has(p, ND_LAYER_ARP))
		CHECK(all_zero(&p->arp, sizeof(p->arp)));
	if (!nd_packet_has(p, ND_LAYER_ETHERNET))
		CHECK(all_zero(p->eth.dst, sizeof(p->eth.dst)));
	for (unsigned i = 0; i < p->nlayers; i++)
		tags += p->layer[i].id == ND_LAYER_DOT1Q ||
			p->layer[i].id == ND_LAYER_DOT1AD;
	CHECK(tags == p->vlan.count);
}

static void check_packet(const struct nd_packet *p)
{
	uint32_t mask = 0;
	char buf[ND_IP_TEXT_MAX];
	const struct nd_dns *d;
	const struct nd_tls_hello *t;
	const struct nd_http_req *h;

	CHECK(p->nlayers <= ND_PACKET_MAX_LAYERS);
	CHECK(p->vlan.count <= ND_PACKET_MAX_VLANS);
	for (unsigned i = 0; i < p->nlayers; i++) {
		const struct nd_layer_span *s = &p->layer[i];

		CHECK(s->id < ND_LAYER_COUNT);
		CHECK(s->off <= p->caplen && s->len <= p->caplen - s->off);
		CHECK(i == 0 || s->off >= p->layer[i - 1].off);
		CHECK(nd_packet_layer_name(p, i)[0] != '\0');
		mask |= ND_LAYER_BIT(s->id);
	}
	CHECK(mask == p->layers);
	check_absent_zero(p);
	CHECK(p->payload_off <= p->caplen &&
	      p->payload_len <= p->caplen - p->payload_off);
	if (p->ip.version)
		CHECK(nd_fmt_ip(p->ip.version, p->ip.src, buf, sizeof(buf)) > 0);
	nd_fmt_mac(p->eth.src, buf, sizeof(buf));

	d = nd_packet_dns(p);
	t = nd_packet_tls(p);
	h = nd_packet_http(p);
	CHECK(d == nd_packet_dns(p) && t == nd_packet_tls(p) &&
	      h == nd_packet_http(p));
	if (d)
		check_dns(d, p->data, p->caplen);
	if (t)
		check_slice(t->sni, p->data, p->caplen);
	if (h)
		check_http(h, p->data, p->caplen);
}

int nd_fuzz_dissect_one(const uint8_t *data, size_t size)
{
	struct timeval ts = {0, 0};
	struct nd_packet p;
	struct nd_dns d;
	struct nd_tls_hello t;
	struct nd_http_req h;
	const uint8_t *pkt;
	uint32_t caplen, wire;
	int dlt, rc;

	if (size < 2 || size - 2 > 262144)
		return 0;
	dlt = nd_fuzz_dlts[data[0] % (sizeof(nd_fuzz_dlts) / sizeof(int))];
	pkt = data + 2;
	caplen = (uint32_t)(size - 2);
	wire = caplen + ((data[1] & 1) ? 100 : 0);

	nd_packet_init(&p);
	p.ifindex = 1;
	rc = nd_packet_dissect_raw(&p, dlt, ts, caplen, wire, pkt);
	CHECK(rc == 0 || rc == -EPROTONOSUPPORT);
	CHECK((rc == 0) == nd_packet_dlt_supported(dlt));
	CHECK(p.ifindex == 1);
	CHECK(!!(p.flags & ND_PKT_TRUNCATED) == (data[1] & 1));
	check_packet(&p);

	/* Dissecting again into a used view gives the same layers. */
	{
		uint32_t layers = p.layers;
		uint8_t n = p.nlayers;

		nd_packet_dissect_raw(&p, dlt, ts, caplen, wire, pkt);
		CHECK(p.layers == layers && p.nlayers == n);
		check_packet(&p);
	}

	/* The app-layer parsers on the raw bytes, whatever the ports. */
	if (nd_dns_parse(&d, pkt, caplen) == 0)
		check_dns(&d, pkt, caplen);
	rc = nd_tls_sni_parse(&t, pkt, caplen);
	CHECK(rc == 0 || rc == -EAGAIN || rc == -EINVAL);
	if (rc == 0)
		check_slice(t.sni, pkt, caplen);
	rc = nd_http_req_parse(&h, pkt, caplen);
	CHECK(rc == 0 || rc == -EAGAIN || rc == -EINVAL);
	if (rc == 0)
		check_http(&h, pkt, caplen);
	return 0;
}
