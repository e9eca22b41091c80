/*
 * httphostchef.c: HTTPHostChef: which names hosts are reaching over plain
 * HTTP, from the Host header of HTTP/1.x requests (TCP, any port).
 *
 * Per request with a Host header (unless per_packet=0):
 *
 *     {"http_host": {"hostname": "example.com", "method": "GET", "when": 1499040017.81,
 *                    "client": "10.0.0.5", "server": "93.184.216.34", "server_port": 80}}
 *
 * Every poke interval, the `top` names by count since start (ties: by
 * name), with the count and the latest time each was seen:
 *
 *     {"http_host_top": [{"hostname": "example.com", "count": 12, "latest": 1499040017.81}],
 *      "hosts_tracked": 57, "hosts_evicted": 0}
 *
 * The name is the Host header as sent (a ":port" suffix included),
 * lowercased; bytes outside printable ASCII are escaped ("\\DDD").  At most
 * max_hosts names are tracked, the least recently seen forgotten first
 * (counted in hosts_evicted).  Only the segment holding the request line is
 * looked at (no reassembly): a Host header in a later segment is not seen.
 *
 * Options: top (default 10), max_hosts (default 2000), per_packet (1).
 */
#include "chef.h"

#include "addrfmt.h"
#include "chef_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NAME_TEXT_MAX 1024

struct seen {
	json_int_t count;
	double latest;
};

struct hosts {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	struct nd_chef_table *names;
	uint64_t top;
	bool per_packet;
};

static int hh_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	uint64_t max, top, per_packet;
	struct hosts *s;
	int rc;

	rc = host->option_u64(ctx, "max_hosts", 1, 1000000, 2000, &max);
	if (rc == 0)
		rc = host->option_u64(ctx, "top", 1, 1000, 10, &top);
	if (rc == 0)
		rc = host->option_u64(ctx, "per_packet", 0, 1, 1, &per_packet);
	if (rc < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->names = nd_chef_table_new(max, sizeof(struct seen));
	if (!s->names) {
		free(s);
		return -ENOMEM;
	}
	s->ctx = ctx;
	s->host = host;
	s->top = top;
	s->per_packet = per_packet != 0;
	*state = s;
	return 0;
}

static json_t *ip_json(const struct nd_packet *pkt, const uint8_t *ip)
{
	char buf[ND_IP_TEXT_MAX];

	return nd_fmt_ip(pkt->ip.version, ip, buf, sizeof(buf)) < 0 ? json_null()
								     : json_string(buf);
}

static int hh_packet(void *state, const struct nd_packet *pkt)
{
	struct hosts *s = state;
	const struct nd_http_req *req = nd_packet_http(pkt);
	struct nd_slice name = req && req->has_host ? req->host : (struct nd_slice){NULL, 0};
	char text[NAME_TEXT_MAX], method[32];
	struct seen *e;
	double now;
	int len;

	if (name.len == 0)
		return 0;
	len = nd_slice_escape(name, text, sizeof(text));
	if (len <= 0)
		return 0;
	for (int i = 0; i < len; i++)
		if (text[i] >= 'A' && text[i] <= 'Z')
			text[i] = (char)(text[i] - 'A' + 'a');
	now = s->host->now(s->ctx);
	e = nd_chef_table_put(s->names, text, (size_t)len + 1, NULL);
	if (!e)
		return -ENOMEM;
	e->count++;
	e->latest = now;
	if (!s->per_packet)
		return 0;
	if (nd_slice_escape(req->method, method, sizeof(method)) < 0)
		method[0] = '\0';
	return s->host->emit(s->ctx, json_pack("{s:{s:s,s:s,s:f,s:o,s:o,s:i}}", "http_host",
						"hostname", text, "method", method, "when", now,
						"client", ip_json(pkt, pkt->ip.src), "server",
						ip_json(pkt, pkt->ip.dst), "server_port",
						(int)pkt->dport));
}

/* Most seen first. */
static int by_count(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	return x->count != y->count ? (x->count > y->count ? -1 : 1) : 0;
}

static int hh_interval(void *state, double interval)
{
	struct hosts *s = state;
	void **best = calloc(s->top, sizeof(*best));
	json_t *list = json_array();
	size_t n;

	if (!best || !list) {
		free(best);
		json_decref(list);
		return -ENOMEM;
	}
	n = nd_chef_table_top(s->names, by_count, s->top, best);
	for (size_t i = 0; i < n; i++) {
		const struct seen *e = best[i];

		json_array_append_new(list, json_pack("{s:s,s:I,s:f}", "hostname",
						      (const char *)nd_chef_table_key_of(s->names, e, NULL),
						      "count", e->count, "latest", e->latest));
	}
	free(best);
	return s->host->emit(s->ctx,
			     json_pack("{s:o,s:I,s:I}", "http_host_top", list, "hosts_tracked",
				       (json_int_t)nd_chef_table_count(s->names), "hosts_evicted",
				       (json_int_t)nd_chef_table_evicted(s->names)));
}

static void hh_fini(void *state)
{
	struct hosts *s = state;

	nd_chef_table_free(s->names);
	free(s);
}

static const struct nd_chef_option hh_options[] = {
	{"top", "10", "names in each interval dumpling"},
	{"max_hosts", "2000", "names tracked; the least recently seen is forgotten beyond"},
	{"per_packet", "1", "0: no dumpling per request, only the interval top list"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc http_host_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "HTTPHostChef",
	.summary = "Host headers of HTTP/1.x requests, per request and as an interval top list",
	.interest = {.n_ip_protos = 1, .ip_protos = {6}},
	.options = hh_options,
	.init = hh_init,
	.packet = hh_packet,
	.interval = hh_interval,
	.fini = hh_fini,
};

ND_CHEF_MODULE(NULL, &http_host_chef)
