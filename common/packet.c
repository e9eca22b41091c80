/*
 * packet.c: the packet view's entry point (placeholder while the
 * dissectors land: metadata only).
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>

#include "packet.h"

void nd_packet_init(struct nd_packet *p)
{
	memset(p, 0, sizeof(*p));
	p->ifindex = -1;
}

bool nd_packet_dlt_supported(int dlt)
{
	(void)dlt;
	return false;
}

int nd_packet_dissect_raw(struct nd_packet *p, int dlt, struct timeval ts,
			  uint32_t caplen, uint32_t wire_len,
			  const uint8_t *bytes)
{
	if (!p || (!bytes && caplen))
		return -EINVAL;
	p->ts = ts;
	p->caplen = caplen;
	p->wire_len = wire_len;
	p->data = bytes;
	p->dlt = dlt;
	p->flags = ND_PKT_NOT_DISSECTED | (caplen < wire_len ? ND_PKT_TRUNCATED : 0);
	p->layers = 0;
	p->nlayers = 0;
	p->app.tried = 0;
	p->app.ok = 0;
	return -EPROTONOSUPPORT;
}

int nd_packet_dissect(struct nd_packet *p, int dlt,
		      const struct pcap_pkthdr *h, const uint8_t *bytes)
{
	if (!h)
		return -EINVAL;
	return nd_packet_dissect_raw(p, dlt, h->ts, h->caplen, h->len, bytes);
}

const struct nd_layer_span *nd_packet_layer_find(const struct nd_packet *p,
						 enum nd_layer l)
{
	for (unsigned i = 0; i < p->nlayers; i++)
		if (p->layer[i].id == l)
			return &p->layer[i];
	return NULL;
}

const char *nd_packet_layer_name(const struct nd_packet *p, unsigned i)
{
	(void)p;
	(void)i;
	return "";
}

const char *nd_layer_name(enum nd_layer l)
{
	(void)l;
	return "?";
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

const struct nd_dns *nd_packet_dns(const struct nd_packet *p)
{
	(void)p;
	return NULL;
}

const struct nd_tls_hello *nd_packet_tls(const struct nd_packet *p)
{
	(void)p;
	return NULL;
}

struct nd_slice nd_packet_tls_sni(const struct nd_packet *p)
{
	struct nd_slice s = {NULL, 0};

	(void)p;
	return s;
}

const struct nd_http_req *nd_packet_http(const struct nd_packet *p)
{
	(void)p;
	return NULL;
}
