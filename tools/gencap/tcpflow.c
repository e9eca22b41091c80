/*
 * tcpflow.c: TCP conversations (see flows.h): the three-way handshake,
 * request/response rounds, and the FIN exchange (sometimes a reset).
 * Carried: TLS (a ClientHello with SNI, then application-data records),
 * HTTP/1.1 keep-alive GETs with Host, DNS over TCP (one length-prefixed
 * message per segment, as scapy decodes it), and opaque bulk traffic.
 * Sequence and acknowledgement numbers are consistent in both directions.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "flows.h"
#include "names.h"
#include "tls.h"

enum {
	S_SYN,
	S_SYNACK,
	S_ACK,
	S_REQUEST,
	S_RESPONSE,
	S_CLIENT_ACK,
	S_FIN,
	S_FINACK,
	S_LAST_ACK,
};

static const char *const paths[] = {
	"/", "/index.html", "/api/v1/items", "/static/app.js", "/img/logo.png",
	"/search?q=dumplings", "/favicon.ico", "/login", "/feed.xml",
};
static const char *const agents[] = {
	"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
	"curl/7.88.1",
	"Wget/1.21.3",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/119.0",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

void gencap_tcp_start(struct gencap_ctx *c, struct gencap_conv *v)
{
	static const uint16_t bulk_ports[] = {22, 5432, 993, 3306, 6379, 8883};
	struct gencap_rng *r = &c->rng;

	v->cli = gencap_net_pick(&c->net, r);
	v->smac = c->net.gw.mac;
	v->v6 = gencap_rng_chance(r, 300);
	gencap_net_server(r, v->v6, v->sip);
	v->sport = gencap_conv_ephemeral(c);
	v->cid = (uint16_t)gencap_rng_next(r);
	v->sid = (uint16_t)gencap_rng_next(r);
	v->cseq = (uint32_t)gencap_rng_next(r);
	v->sseq = (uint32_t)gencap_rng_next(r);
	v->name = gencap_names_pick(r);
	switch (v->kind) {
	case GK_DNS_TCP:
		v->dport = 53;
		v->rounds = 1;
		v->dns.id = (uint16_t)gencap_rng_next(r);
		v->dns.name = v->name;
		v->dns.qtype = gencap_dns_pick_qtype(r);
		v->dns.edns = gencap_rng_chance(r, 500);
		break;
	case GK_TLS:
		v->dport = 443;
		v->rounds = (int)gencap_rng_range(r, 1, 5);
		break;
	case GK_HTTP:
		v->dport = gencap_rng_chance(r, 150) ? 8080 : 80;
		v->rounds = (int)gencap_rng_range(r, 1, 3);
		break;
	default:
		v->dport = bulk_ports[gencap_rng_below(r, N(bulk_ports))];
		v->rounds = (int)gencap_rng_range(r, 1, 6);
		break;
	}
}

static size_t mss(const struct gencap_conv *v)
{
	return v->v6 ? 1416 : 1436;
}

static void tcp_head(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f,
		     bool from_client, uint8_t flags)
{
	int opts = (flags & GENCAP_TH_SYN) ? GENCAP_TCPOPT_SYN
		   : (flags & GENCAP_TH_RST) ? GENCAP_TCPOPT_NONE /* short: padded on IPv4 */
					     : GENCAP_TCPOPT_TS;

	v->tsval += 1 + gencap_rng_below(&c->rng, 20);
	gencap_conv_ip(v, f, from_client, IPPROTO_TCP);
	if (from_client)
		gencap_frame_tcp(f, v->sport, v->dport, v->cseq, (flags & GENCAP_TH_ACK) ? v->sseq : 0,
				 flags, opts, v->tsval);
	else
		gencap_frame_tcp(f, v->dport, v->sport, v->sseq, v->cseq, flags, opts, v->tsval);
}

/* The client's request of this round; records its truth after sealing. */
static void request(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f, bool first)
{
	uint8_t buf[1024];
	size_t n, start = f->len;
	int64_t sni = -1;

	switch (v->kind) {
	case GK_DNS_TCP:
		v->dns.response = 0;
		n = gencap_dns_build(buf + 2, sizeof(buf) - 2, &v->dns, &c->rng);
		buf[0] = (uint8_t)(n >> 8);
		buf[1] = (uint8_t)n;
		gencap_frame_put(f, buf, n + 2);
		break;
	case GK_TLS:
		if (first) {
			if (!gencap_rng_chance(&c->rng, 20))
				sni = v->name;
			n = gencap_tls_client_hello(buf, sizeof(buf), sni < 0 ? NULL : gencap_names_lower(v->name),
						    gencap_names_len(v->name), &c->rng);
			gencap_frame_put(f, buf, n);
		} else {
			n = gencap_rng_range(&c->rng, 40, 700);
			gencap_tls_appdata_header(buf, (uint16_t)n);
			gencap_frame_put(f, buf, 5);
			gencap_conv_noise(c, f, n);
		}
		break;
	case GK_HTTP: {
		int k = snprintf((char *)buf, sizeof(buf),
				 "GET %s HTTP/1.1\r\nHost: %s%s\r\nUser-Agent: %s\r\n"
				 "Accept: */*\r\nConnection: keep-alive\r\n\r\n",
				 paths[gencap_rng_below(&c->rng, N(paths))], gencap_names_lower(v->name),
				 v->dport == 8080 ? ":8080" : "", agents[gencap_rng_below(&c->rng, N(agents))]);
		gencap_frame_put(f, buf, (size_t)k);
		break;
	}
	default:
		gencap_conv_noise(c, f, gencap_rng_range(&c->rng, 36, 400));
		break;
	}
	v->cseq += (uint32_t)(f->len - start);
	gencap_conv_seal(c, f);
	if (v->kind == GK_DNS_TCP)
		gencap_truth_dns(c->truth, v->dns.name, 0, v->dns.qtype, 0, 0, true);
	else if (v->kind == GK_TLS && first)
		gencap_truth_sni(c->truth, sni);
	else if (v->kind == GK_HTTP)
		gencap_truth_http(c->truth, v->name, v->dport == 8080 ? 8080 : 0);
	/* how the server answers */
	switch (v->kind) {
	case GK_DNS_TCP:
		v->segs = 1;
		break;
	case GK_HTTP:
		v->body_left = gencap_rng_range(&c->rng, 120, 9000);
		v->segs = -1; /* until the body is sent */
		break;
	default:
		v->segs = (int)gencap_rng_range(&c->rng, 1, first && v->kind == GK_TLS ? 3 : 6);
		break;
	}
}

/* One segment of the server's response. */
static void response(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f, bool first)
{
	uint8_t buf[600];
	size_t start, n;
	bool last;

	if (v->kind == GK_HTTP)
		last = false; /* decided below */
	else
		last = v->segs <= 1;
	tcp_head(c, v, f, false, GENCAP_TH_ACK);
	start = f->len;
	switch (v->kind) {
	case GK_DNS_TCP:
		v->dns.response = 1;
		n = gencap_dns_build(buf + 2, sizeof(buf) - 2, &v->dns, &c->rng);
		buf[0] = (uint8_t)(n >> 8);
		buf[1] = (uint8_t)n;
		gencap_frame_put(f, buf, n + 2);
		break;
	case GK_HTTP:
		if (v->segs == -1) {
			int k = snprintf((char *)buf, sizeof(buf),
					 "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
					 "Content-Length: %u\r\nServer: nginx\r\n\r\n", v->body_left);
			gencap_frame_put(f, buf, (size_t)k);
			v->segs = 0;
		}
		n = mss(v) - (f->len - start);
		if (n > v->body_left)
			n = v->body_left;
		gencap_conv_noise(c, f, n);
		v->body_left -= (uint32_t)n;
		last = v->body_left == 0;
		break;
	case GK_TLS:
		n = first ? gencap_rng_range(&c->rng, 1000, (uint32_t)mss(v) - 5)
			  : gencap_rng_range(&c->rng, 60, (uint32_t)mss(v) - 5);
		gencap_tls_appdata_header(buf, (uint16_t)n);
		gencap_frame_put(f, buf, 5);
		gencap_conv_noise(c, f, n);
		break;
	default:
		gencap_conv_noise(c, f, gencap_rng_range(&c->rng, 40, (uint32_t)mss(v)));
		break;
	}
	if (last)
		f->buf[f->l4_off + 13] |= GENCAP_TH_PSH;
	v->sseq += (uint32_t)(f->len - start);
	gencap_conv_seal(c, f);
	if (v->kind == GK_DNS_TCP)
		gencap_truth_dns(c->truth, v->dns.name, 1, v->dns.qtype, v->dns.ancount, v->dns.rcode, true);
	if (v->kind != GK_HTTP)
		v->segs--;
	v->step = last ? S_CLIENT_ACK : S_RESPONSE;
}

void gencap_tcp_next(struct gencap_ctx *c, struct gencap_conv *v, struct gencap_frame *f)
{
	switch (v->step) {
	case S_SYN:
		tcp_head(c, v, f, true, GENCAP_TH_SYN);
		v->cseq++;
		gencap_conv_seal(c, f);
		gencap_truth_tcp_open(c->truth);
		v->step = gencap_rng_chance(&c->rng, 15) ? S_SYN : S_SYNACK; /* a retransmitted SYN */
		if (v->step == S_SYN)
			v->cseq--;
		break;
	case S_SYNACK:
		tcp_head(c, v, f, false, GENCAP_TH_SYN | GENCAP_TH_ACK);
		v->sseq++;
		gencap_conv_seal(c, f);
		v->step = S_ACK;
		break;
	case S_ACK:
		tcp_head(c, v, f, true, GENCAP_TH_ACK);
		gencap_conv_seal(c, f);
		v->step = S_REQUEST;
		break;
	case S_REQUEST:
		tcp_head(c, v, f, true, GENCAP_TH_ACK | GENCAP_TH_PSH);
		request(c, v, f, v->reqs++ == 0);
		v->step = S_RESPONSE;
		break;
	case S_RESPONSE:
		response(c, v, f, v->reqs == 1);
		break;
	case S_CLIENT_ACK:
		tcp_head(c, v, f, true, GENCAP_TH_ACK);
		gencap_conv_seal(c, f);
		v->step = --v->rounds > 0 ? S_REQUEST : S_FIN;
		break;
	case S_FIN:
		if (gencap_rng_chance(&c->rng, 30)) {
			tcp_head(c, v, f, true, GENCAP_TH_RST | GENCAP_TH_ACK);
			gencap_conv_seal(c, f);
			v->done = true;
			break;
		}
		tcp_head(c, v, f, true, GENCAP_TH_FIN | GENCAP_TH_ACK);
		v->cseq++;
		gencap_conv_seal(c, f);
		v->step = S_FINACK;
		break;
	case S_FINACK:
		tcp_head(c, v, f, false, GENCAP_TH_FIN | GENCAP_TH_ACK);
		v->sseq++;
		gencap_conv_seal(c, f);
		v->step = S_LAST_ACK;
		break;
	default:
		tcp_head(c, v, f, true, GENCAP_TH_ACK);
		gencap_conv_seal(c, f);
		v->done = true;
		break;
	}
}
