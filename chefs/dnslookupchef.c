/*
 * dnslookupchef.c: DNSLookupChef, netdumplings' DNS lookup chef.
 *
 * For every DNS message with a question (queries and, as in netdumplings,
 * responses, on the ports the dissector marks as DNS: 53 and 5353), one
 * packet dumpling naming the first question's host, without the trailing
 * dot, and the kitchen's current time:
 *
 *     {"lookup": {"hostname": "srirachamadness.com", "when": 1499040017.811247}}
 *
 * and every poke interval the hosts seen so far with a count and the time
 * of the latest lookup:
 *
 *     {"lookups_seen": {"srirachamadness.com": {"count": 28, "latest": 1499040017.811247}}}
 *
 * Bounded where netdumplings is not: at most `max_hosts` hosts are kept;
 * beyond that the least recently looked-up host is forgotten, and the
 * interval dumpling then also carries "lookups_evicted": N (the key is
 * absent while nothing was evicted, so the payload is netdumplings' own).
 * Host names with bytes outside printable ASCII are escaped as in DNS
 * presentation format ("\\DDD").
 *
 * Options: max_hosts (default 2000), queries_only (default 0: also count
 * responses, as netdumplings does).
 */
#include "chef.h"

#include "chef_table.h"
#include "dns.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct host_seen {
	json_int_t count;
	double latest;
};

struct dnslookup {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	struct nd_chef_table *seen;
	bool queries_only;
};

static int dl_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct dnslookup *dl;
	uint64_t max, qonly;
	int rc;

	rc = host->option_u64(ctx, "max_hosts", 1, 1000000, 2000, &max);
	if (rc == 0)
		rc = host->option_u64(ctx, "queries_only", 0, 1, 0, &qonly);
	if (rc < 0)
		return rc;
	dl = calloc(1, sizeof(*dl));
	if (!dl)
		return -ENOMEM;
	dl->seen = nd_chef_table_new(max, sizeof(struct host_seen));
	if (!dl->seen) {
		free(dl);
		return -ENOMEM;
	}
	dl->ctx = ctx;
	dl->host = host;
	dl->queries_only = qonly != 0;
	*state = dl;
	return 0;
}

static int dl_packet(void *state, const struct nd_packet *pkt)
{
	struct dnslookup *dl = state;
	const struct nd_dns *dns;
	struct host_seen *h;
	char name[ND_DNS_NAME_TEXT_MAX];
	const char *hostname = name;
	double now;
	int len;

	if (!nd_packet_has(pkt, ND_LAYER_DNS))
		return 0;
	dns = nd_packet_dns(pkt);
	if (!dns || dns->nquestions == 0)
		return 0;
	if (dl->queries_only && (dns->flags & ND_DNS_FLAG_QR))
		return 0;
	len = nd_dns_qname(dns, 0, name, sizeof(name));
	if (len < 0)
		return 0;
	if (strcmp(name, ".") == 0) /* the root: "" once its dot is stripped */
		hostname = "";
	now = dl->host->now(dl->ctx);
	/* The key includes the NUL so that "" is a valid key. */
	h = nd_chef_table_put(dl->seen, hostname, strlen(hostname) + 1, NULL);
	if (!h)
		return -ENOMEM;
	h->count++;
	h->latest = now;
	return dl->host->emit(dl->ctx, json_pack("{s:{s:s,s:f}}", "lookup", "hostname", hostname,
						  "when", now));
}

static int dl_interval(void *state, double interval)
{
	struct dnslookup *dl = state;
	const struct nd_chef_table_entry *it = NULL;
	const struct host_seen *h;
	json_t *seen = json_object(), *payload;
	const void *key;

	if (!seen)
		return -ENOMEM;
	/* Least recently used first, so the latest lookups come last. */
	while ((h = nd_chef_table_next(dl->seen, &it, &key, NULL)) != NULL) {
		if (json_object_set_new(seen, key,
					json_pack("{s:I,s:f}", "count", h->count, "latest", h->latest)) < 0) {
			json_decref(seen);
			return -ENOMEM;
		}
	}
	payload = json_pack("{s:o}", "lookups_seen", seen);
	if (payload && nd_chef_table_evicted(dl->seen))
		json_object_set_new(payload, "lookups_evicted",
				    json_integer((json_int_t)nd_chef_table_evicted(dl->seen)));
	return dl->host->emit(dl->ctx, payload);
}

static void dl_fini(void *state)
{
	struct dnslookup *dl = state;

	nd_chef_table_free(dl->seen);
	free(dl);
}

static const struct nd_chef_option dl_options[] = {
	{"max_hosts", "2000", "hosts remembered for lookups_seen; the least recent is forgotten beyond"},
	{"queries_only", "0", "1: ignore DNS responses (netdumplings counts both)"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc dns_lookup_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "DNSLookupChef",
	.summary = "a dumpling per DNS lookup, and the hosts looked up so far every interval",
	.options = dl_options,
	.init = dl_init,
	.packet = dl_packet,
	.interval = dl_interval,
	.fini = dl_fini,
};

ND_CHEF_MODULE(NULL, &dns_lookup_chef)
