/*
 * tlssnichef.c: TLSSNIChef: which names hosts are reaching over TLS, from
 * the server name (SNI) in TLS ClientHellos (TCP, any port).
 *
 * Per ClientHello with a server name (unless per_packet=0):
 *
 *     {"tls_sni": {"hostname": "example.com", "when": 1499040017.81,
 *                  "client": "10.0.0.5", "server": "93.184.216.34", "server_port": 443}}
 *
 * Every poke interval, the `top` names by count since start (ties: by
 * name), with the count and the latest time each was seen:
 *
 *     {"tls_sni_top": [{"hostname": "example.com", "count": 12, "latest": 1499040017.81}],
 *      "hosts_tracked": 57, "hosts_evicted": 0}
 *
 * Names are lowercased; bytes outside printable ASCII are escaped
 * ("\\DDD").  At most max_hosts names are tracked, the least recently seen
 * forgotten first (counted in hosts_evicted).  Only the first segment of a
 * ClientHello is looked at (no reassembly): a ClientHello split before its
 * server name is not seen.
 *
 * Options: top (default 10), max_hosts (default 2000), per_packet (1).
 * The tally, the options and both dumplings are chef_names.c's; this file
 * finds the name in the packet.
 */
#include "chef.h"

#include "chef_names.h"

static int sni_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct nd_chef_names *names;
	int rc = nd_chef_names_init(ctx, host, "tls_sni", "tls_sni_top", &names);

	*state = names;
	return rc;
}

static int sni_packet(void *state, const struct nd_packet *pkt)
{
	return nd_chef_names_packet(state, pkt, nd_packet_tls_sni(pkt), NULL, NULL);
}

static const struct nd_chef_option sni_options[] = {
	ND_CHEF_NAMES_OPTIONS("ClientHello"),
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc tls_sni_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "TLSSNIChef",
	.summary = "server names in TLS ClientHellos, per hello and as an interval top list",
	.interest = {.n_ip_protos = 1, .ip_protos = {6}},
	.options = sni_options,
	.init = sni_init,
	.packet = sni_packet,
	.interval = nd_chef_names_interval,
	.fini = nd_chef_names_fini,
};

ND_CHEF_MODULE(NULL, &tls_sni_chef)
