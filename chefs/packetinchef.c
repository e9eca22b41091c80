/*
 * packetinchef.c: PacketInChef: forwards raw packets to eaters, as
 * controller frameworks deliver packet-in events, so that eaters in any
 * language can do their own processing.
 *
 * Per forwarded packet:
 *
 *     {"packet_in": {"time": 1700000000.000123, "caplen": 98, "wire_len": 98,
 *                    "linktype": 1, "linktype_name": "EN10MB", "interface": "eth0",
 *                    "encoding": "base64", "data": "AAECAwQF...", "data_len": 98,
 *                    "snapped": false}}
 *
 * `data` holds the first `snaplen` captured bytes (`snapped` says whether
 * that cut the capture short); `interface` is null when the kitchen does
 * not know it.  A token bucket on capture times (`rate` packets a second,
 * bursts of `burst`) bounds what it sends; offline captures are limited the
 * same way as live ones.  Every poke interval it reports what it did:
 *
 *     {"packet_in_stats": {"forwarded": 100, "skipped_rate": 2345, "snapped": 80}}
 *
 * It sends a lot, so it only runs when named: `nd-sniff -c PacketInChef`.
 * Combine it with the kitchen's capture filter (-f) to forward only what an
 * eater needs.
 *
 * Options: snaplen (default 128, 1..65535), rate (default 100 packets a
 * second, 0: no limit), burst (default: the rate, at least 1), encoding
 * ("base64", the default, or "hex").
 */
#include "chef.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

struct packetin {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	uint64_t snaplen, rate, burst;
	bool hex;
	double tokens, last; /* token bucket on capture time */
	bool started;
	json_int_t forwarded, skipped_rate, snapped;
	char *buf; /* encoded data, sized for snaplen */
};

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void encode_base64(const uint8_t *in, size_t n, char *out)
{
	size_t i = 0;

	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = b64[(v >> 6) & 63];
		*out++ = b64[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = '=';
		*out++ = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = b64[(v >> 6) & 63];
		*out++ = '=';
	}
	*out = '\0';
}

static void encode_hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		*out++ = digits[in[i] >> 4];
		*out++ = digits[in[i] & 15];
	}
	*out = '\0';
}

static int pin_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	const char *enc = host->option(ctx, "encoding");
	uint64_t snaplen, rate, burst;
	struct packetin *p;
	int rc;

	rc = host->option_u64(ctx, "snaplen", 1, 65535, 128, &snaplen);
	if (rc == 0)
		rc = host->option_u64(ctx, "rate", 0, 1000000, 100, &rate);
	if (rc == 0)
		rc = host->option_u64(ctx, "burst", 1, 1000000, rate ? rate : 1, &burst);
	if (rc < 0)
		return rc;
	if (enc && strcmp(enc, "base64") != 0 && strcmp(enc, "hex") != 0) {
		host->log(ctx, ND_CHEF_LOG_ERROR, "option encoding: \"%.32s\" is neither base64 nor hex",
			  enc);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->buf = malloc(snaplen * 2 + 4);
	if (!p->buf) {
		free(p);
		return -ENOMEM;
	}
	p->ctx = ctx;
	p->host = host;
	p->snaplen = snaplen;
	p->rate = rate;
	p->burst = burst;
	p->hex = enc && strcmp(enc, "hex") == 0;
	*state = p;
	return 0;
}

/* True when the token bucket lets a packet captured at t through. */
static bool admit(struct packetin *p, double t)
{
	if (p->rate == 0)
		return true;
	if (!p->started) {
		p->started = true;
		p->tokens = (double)p->burst;
		p->last = t;
	}
	if (t > p->last) {
		p->tokens += (t - p->last) * (double)p->rate;
		if (p->tokens > (double)p->burst)
			p->tokens = (double)p->burst;
		p->last = t;
	}
	if (p->tokens < 1.0)
		return false;
	p->tokens -= 1.0;
	return true;
}

static int pin_packet(void *state, const struct nd_packet *pkt)
{
	struct packetin *p = state;
	const double t = (double)pkt->ts.tv_sec + (double)pkt->ts.tv_usec / 1e6;
	size_t n = pkt->caplen < p->snaplen ? pkt->caplen : (size_t)p->snaplen;
	const char *ltname = pcap_datalink_val_to_name(pkt->dlt);
	int rc;

	if (!admit(p, t)) {
		p->skipped_rate++;
		return 0;
	}
	if (!pkt->data)
		n = 0;
	(p->hex ? encode_hex : encode_base64)(pkt->data, n, p->buf);
	rc = p->host->emit(
		p->ctx,
		json_pack("{s:{s:f,s:I,s:I,s:i,s:o,s:o,s:s,s:s,s:I,s:b}}", "packet_in", "time", t,
			  "caplen", (json_int_t)pkt->caplen, "wire_len", (json_int_t)pkt->wire_len,
			  "linktype", pkt->dlt, "linktype_name",
			  ltname ? json_string(ltname) : json_null(), "interface",
			  pkt->ifname ? json_string(pkt->ifname) : json_null(), "encoding",
			  p->hex ? "hex" : "base64", "data", p->buf, "data_len", (json_int_t)n,
			  "snapped", n < pkt->caplen));
	if (rc == 0) {
		p->forwarded++;
		if (n < pkt->caplen)
			p->snapped++;
	}
	return rc;
}

static int pin_interval(void *state, double interval)
{
	struct packetin *p = state;

	return p->host->emit(p->ctx, json_pack("{s:{s:I,s:I,s:I}}", "packet_in_stats", "forwarded",
					       p->forwarded, "skipped_rate", p->skipped_rate,
					       "snapped", p->snapped));
}

static void pin_fini(void *state)
{
	struct packetin *p = state;

	free(p->buf);
	free(p);
}

static const struct nd_chef_option pin_options[] = {
	{"snaplen", "128", "captured bytes forwarded per packet, 1 to 65535"},
	{"rate", "100", "packets forwarded per second of capture time; 0: no limit"},
	{"burst", NULL, "packets forwarded back to back before the rate applies (default: rate)"},
	{"encoding", "base64", "base64 or hex"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc packet_in_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.flags = ND_CHEF_F_EXPLICIT,
	.name = "PacketInChef",
	.summary = "forwards raw packets (base64 or hex), rate-limited, for eaters to process",
	.options = pin_options,
	.init = pin_init,
	.packet = pin_packet,
	.interval = pin_interval,
	.fini = pin_fini,
};

ND_CHEF_MODULE(NULL, &packet_in_chef)
