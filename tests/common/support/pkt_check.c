/*
 * pkt_check.c: see pkt_check.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addrfmt.h"
#include "pkt_check.h"

static struct nd_packet pkt_view;
static uint8_t *pkt_copy;

size_t pkt_hex(uint8_t *out, size_t max, const char *hex)
{
	size_t n = 0;
	int hi = -1;

	for (const char *s = hex; *s; s++) {
		int v = 0;

		if (*s == ' ' || *s == '\n' || *s == '|')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			fail_msg("bad hex character '%c'", *s);
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < max);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_int_equal(hi, -1);
	return n;
}

static void check_text(const char *s, int n)
{
	assert_true(n >= 0);
	assert_int_equal(strlen(s), (size_t)n);
	for (int i = 0; i < n; i++)
		assert_true(s[i] >= 0x21 && s[i] <= 0x7e);
}

static void check_slice_in(struct nd_slice s, const struct nd_packet *p)
{
	static char buf[4 * 65536 + 1];

	if (s.len == 0)
		return;
	assert_true(s.ptr >= p->data);
	assert_true((size_t)(s.ptr - p->data) <= p->caplen);
	assert_true(s.len <= p->caplen - (size_t)(s.ptr - p->data));
	if (s.len <= 65536)
		check_text(buf, nd_slice_escape(s, buf, sizeof(buf)));
}

static void check_app(const struct nd_packet *p)
{
	const struct nd_dns *d = nd_packet_dns(p);
	const struct nd_tls_hello *t = nd_packet_tls(p);
	const struct nd_http_req *h = nd_packet_http(p);
	char name[ND_DNS_NAME_TEXT_MAX];

	/* Cached: a second call gives the same answer. */
	assert_ptr_equal(d, nd_packet_dns(p));
	assert_ptr_equal(t, nd_packet_tls(p));
	assert_ptr_equal(h, nd_packet_http(p));
	if (d) {
		assert_true(nd_packet_has(p, ND_LAYER_DNS));
		assert_true(d->msg >= p->data);
		assert_true(d->len <= p->caplen - (size_t)(d->msg - p->data));
		assert_true(d->nquestions <= ND_DNS_MAX_QUESTIONS);
		assert_true(d->nanswers <= ND_DNS_MAX_ANSWERS);
		for (unsigned i = 0; i < d->nquestions; i++)
			check_text(name, nd_dns_qname(d, i, name, sizeof(name)));
		for (unsigned i = 0; i < d->nanswers; i++) {
			const struct nd_dns_rr *rr = &d->answer[i];

			check_text(name, nd_dns_name_text(d, rr->name_off, name,
							  sizeof(name)));
			assert_true((uint32_t)rr->rdata_off + rr->rdlen <= d->len);
		}
	}
	if (t) {
		assert_true(nd_packet_has(p, ND_LAYER_TCP));
		check_slice_in(t->sni, p);
		assert_int_equal(t->has_sni, t->sni.len != 0);
	}
	if (h) {
		check_slice_in(h->method, p);
		check_slice_in(h->target, p);
		check_slice_in(h->host, p);
		assert_true(h->method.len > 0);
	}
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
		assert_true(all_zero(&p->ip, sizeof(p->ip)));
	if (!nd_packet_has(p, ND_LAYER_TCP))
		assert_true(all_zero(&p->tcp, sizeof(p->tcp)));
	if (!nd_packet_has(p, ND_LAYER_UDP))
		assert_int_equal(p->udp.len, 0);
	if (!nd_packet_has(p, ND_LAYER_TCP) && !nd_packet_has(p, ND_LAYER_UDP)) {
		assert_int_equal(p->sport, 0);
		assert_int_equal(p->dport, 0);
	}
	if (!nd_packet_has(p, ND_LAYER_ICMP) && !nd_packet_has(p, ND_LAYER_ICMPV6))
		assert_true(all_zero(&p->icmp, sizeof(p->icmp)));
	if (!nd_packet_has(p, ND_LAYER_ARP))
		assert_true(all_zero(&p->arp, sizeof(p->arp)));
	if (!nd_packet_has(p, ND_LAYER_ETHERNET))
		assert_true(all_zero(p->eth.dst, sizeof(p->eth.dst)));
	if (!nd_packet_has(p, ND_LAYER_ETHERNET) && !nd_packet_has(p, ND_LAYER_SLL) &&
	    !nd_packet_has(p, ND_LAYER_SLL2))
		assert_true(all_zero(p->eth.src, sizeof(p->eth.src)));
	for (unsigned i = 0; i < p->nlayers; i++)
		tags += p->layer[i].id == ND_LAYER_DOT1Q ||
			p->layer[i].id == ND_LAYER_DOT1AD;
	assert_int_equal(tags, p->vlan.count);
	if (p->payload_len == 0)
		assert_int_equal(nd_packet_payload(p).len, 0);
}

void pkt_check_invariants(const struct nd_packet *p)
{
	uint32_t mask = 0;
	char buf[ND_IPV6_TEXT_MAX];

	assert_true(p->nlayers <= ND_PACKET_MAX_LAYERS);
	assert_true(p->vlan.count <= ND_PACKET_MAX_VLANS);
	for (unsigned i = 0; i < p->nlayers; i++) {
		const struct nd_layer_span *s = &p->layer[i];

		assert_true(s->id < ND_LAYER_COUNT);
		assert_true(s->off <= p->caplen);
		assert_true(s->len <= p->caplen - s->off);
		if (i)
			assert_true(s->off >= p->layer[i - 1].off);
		mask |= ND_LAYER_BIT(s->id);
		assert_true(nd_packet_layer_name(p, i)[0] != '\0');
		assert_string_not_equal(nd_layer_name(s->id), "?");
	}
	assert_int_equal(mask, p->layers);
	assert_true(p->payload_off <= p->caplen);
	assert_true(p->payload_len <= p->caplen - p->payload_off);
	assert_string_equal(nd_packet_layer_name(p, p->nlayers), "");
	check_absent_zero(p);
	if (p->flags & ND_PKT_NOT_DISSECTED)
		assert_int_equal(p->nlayers, 0);
	if (p->ip.version) {
		assert_true(p->ip.version == 4 || p->ip.version == 6);
		assert_true(nd_fmt_ip(p->ip.version, p->ip.src, buf,
				      sizeof(buf)) > 0);
	}
	check_app(p);
}

const struct nd_packet *pkt_dissect(int dlt, const uint8_t *pkt,
				    uint32_t caplen, uint32_t wire_len,
				    int *rc)
{
	struct timeval ts = {1700000000, 5};
	int r;

	free(pkt_copy);
	pkt_copy = malloc(caplen ? caplen : 1);
	assert_non_null(pkt_copy);
	if (caplen)
		memcpy(pkt_copy, pkt, caplen);
	/* Stale state from a previous packet must not leak through. */
	memset(&pkt_view, 0xa5, sizeof(pkt_view));
	pkt_view.ifindex = 3;
	pkt_view.ifname = "eth3";
	r = nd_packet_dissect_raw(&pkt_view, dlt, ts, caplen, wire_len,
				  pkt_copy);
	if (rc)
		*rc = r;
	assert_int_equal(pkt_view.ifindex, 3);
	assert_string_equal(pkt_view.ifname, "eth3");
	assert_int_equal(pkt_view.caplen, caplen);
	assert_int_equal(pkt_view.wire_len, wire_len);
	assert_int_equal(!!(pkt_view.flags & ND_PKT_TRUNCATED),
			 caplen < wire_len);
	pkt_check_invariants(&pkt_view);
	return &pkt_view;
}

const struct nd_packet *pkt_dissect_full(int dlt, const uint8_t *pkt,
					 uint32_t len)
{
	return pkt_dissect(dlt, pkt, len, len, NULL);
}

void pkt_check_truncations(int dlt, const uint8_t *pkt, uint32_t len)
{
	for (uint32_t n = 0; n <= len; n++)
		pkt_dissect(dlt, pkt, n, len, NULL);
}

const char *pkt_layers(const struct nd_packet *p)
{
	static char buf[512];
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < p->nlayers; i++) {
		const char *n = nd_layer_name(p->layer[i].id);
		size_t l = strlen(n);

		assert_true(o + l + 2 < sizeof(buf));
		if (i)
			buf[o++] = ':';
		memcpy(buf + o, n, l);
		o += l;
		buf[o] = '\0';
	}
	return buf;
}

void pkt_check_done(void)
{
	free(pkt_copy);
	pkt_copy = NULL;
}
