/*
 * pkt_app.c: application-layer results of a packet, parsed on demand.
 *
 * The first chef that asks for DNS, TLS or HTTP pays for the parse; the
 * result (or the failure) is cached in p->app for the other chefs of the
 * same packet.  nd_packet_dissect_raw() clears the cache.  The accessors
 * take the view as const, as chefs hold it, and write only p->app: the
 * view itself is never a const object (see packet.h).
 */
#include "pkt_internal.h"

static struct nd_packet_app *nd_pkt_app(const struct nd_packet *p)
{
	return (struct nd_packet_app *)&p->app;
}

const struct nd_dns *nd_packet_dns(const struct nd_packet *p)
{
	struct nd_packet_app *a = nd_pkt_app(p);
	const struct nd_layer_span *s;

	if (!(a->tried & ND_APP_DNS)) {
		a->tried |= ND_APP_DNS;
		s = nd_packet_layer_find(p, ND_LAYER_DNS);
		if (s) {
			const uint8_t *m = p->data + s->off;
			uint32_t n = s->len;

			if (nd_packet_has(p, ND_LAYER_TCP)) {
				/* RFC 1035 4.2.2: a 2-byte length first. */
				uint32_t claim = n >= 2 ? (uint32_t)(m[0] << 8 | m[1]) : 0;

				n = n >= 2 ? n - 2 : 0;
				m += 2;
				if (claim < n)
					n = claim;
			}
			if (n && nd_dns_parse(&a->dns, m, n) == 0)
				a->ok |= ND_APP_DNS;
		}
	}
	return (a->ok & ND_APP_DNS) ? &a->dns : NULL;
}

const struct nd_tls_hello *nd_packet_tls(const struct nd_packet *p)
{
	struct nd_packet_app *a = nd_pkt_app(p);

	if (!(a->tried & ND_APP_TLS)) {
		a->tried |= ND_APP_TLS;
		if (nd_packet_has(p, ND_LAYER_TCP) && p->payload_len &&
		    p->data[p->payload_off] == 22 &&
		    nd_tls_sni_parse(&a->tls, p->data + p->payload_off,
				     p->payload_len) == 0)
			a->ok |= ND_APP_TLS;
	}
	return (a->ok & ND_APP_TLS) ? &a->tls : NULL;
}

struct nd_slice nd_packet_tls_sni(const struct nd_packet *p)
{
	const struct nd_tls_hello *h = nd_packet_tls(p);
	struct nd_slice none = {NULL, 0};

	return h && h->has_sni ? h->sni : none;
}

const struct nd_http_req *nd_packet_http(const struct nd_packet *p)
{
	struct nd_packet_app *a = nd_pkt_app(p);

	if (!(a->tried & ND_APP_HTTP)) {
		a->tried |= ND_APP_HTTP;
		if (nd_packet_has(p, ND_LAYER_TCP) && p->payload_len &&
		    nd_http_req_parse(&a->http, p->data + p->payload_off,
				      p->payload_len) == 0)
			a->ok |= ND_APP_HTTP;
	}
	return (a->ok & ND_APP_HTTP) ? &a->http : NULL;
}
