/*
 * packet.c: the packet view's entry point and the glue between dissectors.
 *
 * nd_packet_dissect_raw() resets the per-packet part of the view (the
 * kitchen's interface slot survives), records the capture metadata and
 * runs the link-layer dissector, which runs the rest of the chain (see
 * pkt_internal.h).  Nothing here allocates.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <string.h>

#include "pkt_internal.h"

void nd_packet_init(struct nd_packet *p)
{
	memset(p, 0, sizeof(*p));
	p->ifindex = -1;
}

int nd_packet_dissect_raw(struct nd_packet *p, int dlt, struct timeval ts,
			  uint32_t caplen, uint32_t wire_len,
			  const uint8_t *bytes)
{
	int rc;

	if (!p || !bytes)
		return -EINVAL;
	p->ts = ts;
	p->caplen = caplen;
	p->wire_len = wire_len;
	p->data = bytes;
	p->dlt = dlt;
	p->flags = caplen < wire_len ? ND_PKT_TRUNCATED : 0;
	p->layers = 0;
	p->nlayers = 0;
	/* Zero every parsed field group, eth through payload_len. */
	memset(&p->eth, 0,
	       offsetof(struct nd_packet, app) - offsetof(struct nd_packet, eth));
	p->app.tried = 0;
	p->app.ok = 0;
	rc = nd__pkt_link(p);
	if (rc < 0)
		p->flags |= ND_PKT_NOT_DISSECTED;
	return rc;
}

int nd_packet_dissect(struct nd_packet *p, int dlt,
		      const struct pcap_pkthdr *h, const uint8_t *bytes)
{
	if (!h)
		return -EINVAL;
	return nd_packet_dissect_raw(p, dlt, h->ts, h->caplen, h->len, bytes);
}

void nd__pkt_transport(struct nd_packet *p, uint8_t proto, uint32_t off,
		       uint32_t end)
{
	switch (proto) {
	case ND_IPPROTO_TCP:
		nd__pkt_tcp(p, off, end);
		break;
	case ND_IPPROTO_UDP:
		nd__pkt_udp(p, off, end);
		break;
	case ND_IPPROTO_ICMP:
		if (p->ip.version == 4)
			nd__pkt_icmp(p, off, end);
		else
			nd__pkt_raw(p, off, end);
		break;
	case ND_IPPROTO_ICMPV6:
		if (p->ip.version == 6)
			nd__pkt_icmpv6(p, off, end);
		else
			nd__pkt_raw(p, off, end);
		break;
	default:
		nd__pkt_raw(p, off, end);
		break;
	}
}

void nd__pkt_raw(struct nd_packet *p, uint32_t off, uint32_t end)
{
	if (off < end && end <= p->caplen)
		nd__pkt_push(p, ND_LAYER_RAW, off, end - off);
}

void nd__pkt_padding(struct nd_packet *p, uint32_t end)
{
	if (end >= p->caplen)
		return;
	if (p->nlayers && p->layer[p->nlayers - 1].id == ND_LAYER_PADDING)
		return;
	nd__pkt_push(p, ND_LAYER_PADDING, end, p->caplen - end);
}

const struct nd_layer_span *nd_packet_layer_find(const struct nd_packet *p,
						 enum nd_layer l)
{
	if (!nd_packet_has(p, l))
		return NULL;
	for (unsigned i = 0; i < p->nlayers; i++)
		if (p->layer[i].id == l)
			return &p->layer[i];
	return NULL;
}

struct nd_slice nd_packet_payload(const struct nd_packet *p)
{
	struct nd_slice s = {NULL, 0};

	if (p->payload_len) {
		s.ptr = p->data + p->payload_off;
		s.len = p->payload_len;
	}
	return s;
}
