/*
 * flowchef.c: FlowChef: top conversations and top talkers, IPv4 and IPv6.
 *
 * A conversation is the 5-tuple (IP version and protocol, both addresses,
 * both ports; ports are 0 for protocols without them), the same in both
 * directions.  `src` is whoever sent the first packet seen.  Per packet the
 * chef adds the frame's wire length to the conversation and to both
 * endpoints' talker counters; per poke interval it sends one dumpling:
 *
 *     {"interval": 5.0, "packets": 120, "bytes": 48000,
 *      "conversations": [{"proto": 6, "proto_name": "TCP",
 *                         "src": "10.0.0.1", "sport": 40000, "dst": "10.0.0.2", "dport": 80,
 *                         "packets": 300, "bytes": 90000,
 *                         "interval_packets": 100, "interval_bytes": 40000,
 *                         "first_seen": 1700000000.5, "last_seen": 1700000004.9}],
 *      "talkers": [{"ip": "10.0.0.1", "bytes_sent": 30000, "bytes_received": 10000,
 *                   "packets_sent": 60, "packets_received": 40}],
 *      "flows_tracked": 57, "flows_evicted": 0, "talkers_evicted": 0}
 *
 * `conversations` are the `top` conversations by bytes in this interval
 * (those with traffic in it only); their packets/bytes and first/last seen
 * (capture times) cover their whole life.  `talkers` are the `top` hosts
 * by bytes sent and received in this interval.  Bytes are frame lengths on
 * the wire.  Both tables are bounded (max_flows, max_talkers), the least
 * recently active entry evicted first and counted; talkers restart each
 * interval.
 *
 * Options: top (default 10), max_flows (default 10000), max_talkers
 * (default 10000).
 */
#include "chef.h"

#include "addrfmt.h"
#include "chef_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct flow_key {
	uint8_t version, proto;
	uint16_t port_a, port_b;
	uint8_t ip_a[16], ip_b[16]; /* (ip_a, port_a) <= (ip_b, port_b) */
};

struct flow {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t version, proto;
	json_int_t packets, bytes, ipackets, ibytes;
	double first, last;
};

struct talker_key {
	uint8_t version;
	uint8_t ip[16];
};

struct talker {
	uint8_t version;
	uint8_t ip[16];
	json_int_t bytes_sent, bytes_received, packets_sent, packets_received;
};

struct flowchef {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	struct nd_chef_table *flows, *talkers;
	uint64_t top;
	json_int_t packets, bytes; /* this interval */
};

static int flow_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	uint64_t top, max_flows, max_talkers;
	struct flowchef *f;
	int rc;

	rc = host->option_u64(ctx, "top", 1, 1000, 10, &top);
	if (rc == 0)
		rc = host->option_u64(ctx, "max_flows", 1, 10000000, 10000, &max_flows);
	if (rc == 0)
		rc = host->option_u64(ctx, "max_talkers", 1, 10000000, 10000, &max_talkers);
	if (rc < 0)
		return rc;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->flows = nd_chef_table_new(max_flows, sizeof(struct flow));
	f->talkers = nd_chef_table_new(max_talkers, sizeof(struct talker));
	if (!f->flows || !f->talkers) {
		nd_chef_table_free(f->flows);
		nd_chef_table_free(f->talkers);
		free(f);
		return -ENOMEM;
	}
	f->ctx = ctx;
	f->host = host;
	f->top = top;
	*state = f;
	return 0;
}

static int endpoint_cmp(const uint8_t *ip1, uint16_t p1, const uint8_t *ip2, uint16_t p2)
{
	int r = memcmp(ip1, ip2, 16);

	return r ? r : (p1 < p2 ? -1 : (p1 > p2 ? 1 : 0));
}

static struct talker *talker_of(struct flowchef *f, uint8_t version, const uint8_t *ip)
{
	struct talker_key k;
	struct talker *t;
	bool created;

	memset(&k, 0, sizeof(k));
	k.version = version;
	memcpy(k.ip, ip, 16);
	t = nd_chef_table_put(f->talkers, &k, sizeof(k), &created);
	if (t && created) {
		t->version = version;
		memcpy(t->ip, ip, 16);
	}
	return t;
}

static int flow_packet(void *state, const struct nd_packet *pkt)
{
	struct flowchef *f = state;
	const double t = (double)pkt->ts.tv_sec + (double)pkt->ts.tv_usec / 1e6;
	struct talker *from, *to;
	struct flow_key k;
	struct flow *fl;
	bool created;

	if (!nd_packet_has(pkt, ND_LAYER_IP) && !nd_packet_has(pkt, ND_LAYER_IPV6))
		return 0;
	memset(&k, 0, sizeof(k));
	k.version = pkt->ip.version;
	k.proto = pkt->ip.proto;
	if (endpoint_cmp(pkt->ip.src, pkt->sport, pkt->ip.dst, pkt->dport) <= 0) {
		memcpy(k.ip_a, pkt->ip.src, 16);
		memcpy(k.ip_b, pkt->ip.dst, 16);
		k.port_a = pkt->sport;
		k.port_b = pkt->dport;
	} else {
		memcpy(k.ip_a, pkt->ip.dst, 16);
		memcpy(k.ip_b, pkt->ip.src, 16);
		k.port_a = pkt->dport;
		k.port_b = pkt->sport;
	}
	fl = nd_chef_table_put(f->flows, &k, sizeof(k), &created);
	if (!fl)
		return -ENOMEM;
	if (created) {
		memcpy(fl->src, pkt->ip.src, 16);
		memcpy(fl->dst, pkt->ip.dst, 16);
		fl->sport = pkt->sport;
		fl->dport = pkt->dport;
		fl->version = pkt->ip.version;
		fl->proto = pkt->ip.proto;
		fl->first = t;
	}
	fl->packets++;
	fl->bytes += pkt->wire_len;
	fl->ipackets++;
	fl->ibytes += pkt->wire_len;
	fl->last = t;
	f->packets++;
	f->bytes += pkt->wire_len;
	from = talker_of(f, pkt->ip.version, pkt->ip.src);
	if (from) {
		from->packets_sent++;
		from->bytes_sent += pkt->wire_len;
	}
	to = talker_of(f, pkt->ip.version, pkt->ip.dst);
	if (to) {
		to->packets_received++;
		to->bytes_received += pkt->wire_len;
	}
	return from && to ? 0 : -ENOMEM;
}

static const char *proto_name(uint8_t version, uint8_t proto)
{
	switch (proto) {
	case 6: return "TCP";
	case 17: return "UDP";
	case 1: return version == 4 ? "ICMP" : NULL;
	case 58: return "ICMPv6";
	case 132: return "SCTP";
	case 47: return "GRE";
	case 50: return "ESP";
	default: return NULL;
	}
}

static json_t *ip_json(uint8_t version, const uint8_t *ip)
{
	char buf[ND_IP_TEXT_MAX];

	return nd_fmt_ip(version, ip, buf, sizeof(buf)) < 0 ? json_null() : json_string(buf);
}

static int by_interval_bytes(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;

	if (x->ibytes != y->ibytes)
		return x->ibytes > y->ibytes ? -1 : 1;
	return x->ipackets != y->ipackets ? (x->ipackets > y->ipackets ? -1 : 1) : 0;
}

static int by_talker_bytes(const void *a, const void *b)
{
	const struct talker *x = a, *y = b;
	json_int_t bx = x->bytes_sent + x->bytes_received, by = y->bytes_sent + y->bytes_received;

	return bx != by ? (bx > by ? -1 : 1) : 0;
}

static json_t *conversations_json(struct flowchef *f, void **best)
{
	size_t n = nd_chef_table_top(f->flows, by_interval_bytes, f->top, best);
	json_t *list = json_array();

	for (size_t i = 0; list && i < n; i++) {
		const struct flow *fl = best[i];
		const char *pn = proto_name(fl->version, fl->proto);

		if (fl->ipackets == 0)
			break;
		json_array_append_new(
			list, json_pack("{s:i,s:o,s:o,s:i,s:o,s:i,s:I,s:I,s:I,s:I,s:f,s:f}", "proto",
					fl->proto, "proto_name", pn ? json_string(pn) : json_null(),
					"src", ip_json(fl->version, fl->src), "sport", fl->sport, "dst",
					ip_json(fl->version, fl->dst), "dport", fl->dport, "packets",
					fl->packets, "bytes", fl->bytes, "interval_packets", fl->ipackets,
					"interval_bytes", fl->ibytes, "first_seen", fl->first,
					"last_seen", fl->last));
	}
	return list;
}

static json_t *talkers_json(struct flowchef *f, void **best)
{
	size_t n = nd_chef_table_top(f->talkers, by_talker_bytes, f->top, best);
	json_t *list = json_array();

	for (size_t i = 0; list && i < n; i++) {
		const struct talker *t = best[i];

		json_array_append_new(list, json_pack("{s:o,s:I,s:I,s:I,s:I}", "ip",
						      ip_json(t->version, t->ip), "bytes_sent",
						      t->bytes_sent, "bytes_received",
						      t->bytes_received, "packets_sent",
						      t->packets_sent, "packets_received",
						      t->packets_received));
	}
	return list;
}

static int flow_interval(void *state, double interval)
{
	struct flowchef *f = state;
	const struct nd_chef_table_entry *it = NULL;
	void **best = calloc(f->top, sizeof(*best));
	json_t *payload = NULL;
	struct flow *fl;

	if (!best)
		return -ENOMEM;
	payload = json_pack("{s:f,s:I,s:I,s:o,s:o,s:I,s:I,s:I}", "interval", interval, "packets",
			    f->packets, "bytes", f->bytes, "conversations",
			    conversations_json(f, best), "talkers", talkers_json(f, best),
			    "flows_tracked", (json_int_t)nd_chef_table_count(f->flows),
			    "flows_evicted", (json_int_t)nd_chef_table_evicted(f->flows),
			    "talkers_evicted", (json_int_t)nd_chef_table_evicted(f->talkers));
	free(best);
	/* A new interval: per-interval counters restart. */
	while ((fl = nd_chef_table_next(f->flows, &it, NULL, NULL)) != NULL)
		fl->ipackets = fl->ibytes = 0;
	nd_chef_table_clear(f->talkers);
	f->packets = f->bytes = 0;
	return f->host->emit(f->ctx, payload);
}

static void flow_fini(void *state)
{
	struct flowchef *f = state;

	nd_chef_table_free(f->flows);
	nd_chef_table_free(f->talkers);
	free(f);
}

static const struct nd_chef_option flow_options[] = {
	{"top", "10", "conversations and talkers in each interval dumpling"},
	{"max_flows", "10000", "conversations tracked; the least recently active is evicted beyond"},
	{"max_talkers", "10000", "hosts tracked per interval; the least recently active is evicted beyond"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc flow_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "FlowChef",
	.summary = "top conversations (5-tuples) and top talkers every interval, IPv4 and IPv6",
	.interest = {.n_ethertypes = 2, .ethertypes = {0x0800, 0x86dd}},
	.options = flow_options,
	.init = flow_init,
	.packet = flow_packet,
	.interval = flow_interval,
	.fini = flow_fini,
};

ND_CHEF_MODULE(NULL, &flow_chef)
