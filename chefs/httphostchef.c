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
 * The tally, the options and both dumplings are chef_names.c's; this file
 * finds the name in the packet.
 */
#include "chef.h"

#include "chef_names.h"

static int hh_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct nd_chef_names *names;
	int rc = nd_chef_names_init(ctx, host, "http_host", "http_host_top", &names);

	*state = names;
	return rc;
}

static int hh_packet(void *state, const struct nd_packet *pkt)
{
	const struct nd_http_req *req = nd_packet_http(pkt);
	char method[32];

	if (!req || !req->has_host)
		return 0;
	if (nd_slice_escape(req->method, method, sizeof(method)) < 0)
		method[0] = '\0';
	return nd_chef_names_packet(state, pkt, req->host, "method", method);
}

static const struct nd_chef_option hh_options[] = {
	ND_CHEF_NAMES_OPTIONS("request"),
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
	.interval = nd_chef_names_interval,
	.fini = nd_chef_names_fini,
};

ND_CHEF_MODULE(NULL, &http_host_chef)
