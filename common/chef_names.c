/*
 * chef_names.c: the name tally shared by HTTPHostChef and TLSSNIChef.  See
 * chef_names.h.  Names live in a chef_table keyed by their escaped,
 * lowercased text (NUL included), each with its count and latest time.
 */
#include "chef_names.h"

#include "addrfmt.h"
#include "chef_table.h"

#include <errno.h>
#include <stdlib.h>

struct nd_chef_names {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	struct nd_chef_table *table;
	const char *packet_key;
	const char *top_key;
	uint64_t top;
	bool per_packet;
};

struct seen {
	json_int_t count;
	double latest;
};

int nd_chef_names_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host,
		       const char *packet_key, const char *top_key, struct nd_chef_names **out)
{
	uint64_t max, top, per_packet;
	struct nd_chef_names *n;
	int rc;

	*out = NULL;
	rc = host->option_u64(ctx, "max_hosts", 1, 1000000, 2000, &max);
	if (rc == 0)
		rc = host->option_u64(ctx, "top", 1, 1000, 10, &top);
	if (rc == 0)
		rc = host->option_u64(ctx, "per_packet", 0, 1, 1, &per_packet);
	if (rc < 0)
		return rc;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->table = nd_chef_table_new(max, sizeof(struct seen));
	if (!n->table) {
		free(n);
		return -ENOMEM;
	}
	n->ctx = ctx;
	n->host = host;
	n->packet_key = packet_key;
	n->top_key = top_key;
	n->top = top;
	n->per_packet = per_packet != 0;
	*out = n;
	return 0;
}

/* A new reference: the address as text, or null. */
static json_t *ip_json(const struct nd_packet *pkt, const uint8_t *ip)
{
	char buf[ND_IP_TEXT_MAX];

	return nd_fmt_ip(pkt->ip.version, ip, buf, sizeof(buf)) < 0 ? json_null()
								     : json_string(buf);
}

int nd_chef_names_packet(struct nd_chef_names *n, const struct nd_packet *pkt,
			 struct nd_slice name, const char *extra_key, const char *extra_value)
{
	char text[ND_CHEF_NAME_TEXT_MAX];
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
	now = n->host->now(n->ctx);
	e = nd_chef_table_put(n->table, text, (size_t)len + 1, NULL);
	if (!e)
		return -ENOMEM;
	e->count++;
	e->latest = now;
	if (!n->per_packet)
		return 0;
	/* "s*": the extra key is left out when its value is NULL. */
	return n->host->emit(n->ctx, json_pack("{s:{s:s,s:s*,s:f,s:o,s:o,s:i}}", n->packet_key,
						"hostname", text, extra_key ? extra_key : "",
						extra_key ? extra_value : NULL, "when", now,
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

int nd_chef_names_interval(void *names, double interval)
{
	struct nd_chef_names *n = names;
	void **best = calloc(n->top, sizeof(*best));
	json_t *list = json_array();
	size_t count;

	(void)interval;
	if (!best || !list) {
		free(best);
		json_decref(list);
		return -ENOMEM;
	}
	count = nd_chef_table_top(n->table, by_count, n->top, best);
	for (size_t i = 0; i < count; i++) {
		const struct seen *e = best[i];

		json_array_append_new(list, json_pack("{s:s,s:I,s:f}", "hostname",
						      (const char *)nd_chef_table_key_of(n->table, e, NULL),
						      "count", e->count, "latest", e->latest));
	}
	free(best);
	return n->host->emit(n->ctx,
			     json_pack("{s:o,s:I,s:I}", n->top_key, list, "hosts_tracked",
				       (json_int_t)nd_chef_table_count(n->table), "hosts_evicted",
				       (json_int_t)nd_chef_table_evicted(n->table)));
}

void nd_chef_names_fini(void *names)
{
	struct nd_chef_names *n = names;

	if (!n)
		return;
	nd_chef_table_free(n->table);
	free(n);
}
