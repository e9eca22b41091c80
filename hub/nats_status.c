/*
 * nats_status.c: what the NATS bridge adds to the hub's status ("nats" and
 * "cluster") and to /metrics (nd_hub_nats_*).  Runs on the loop thread;
 * reads the hand-off counters under their mutex.
 */
#include "nats_priv.h"

#include <stdio.h>
#include <stdlib.h>

static int64_t subs_dropped(struct hub_nats *n)
{
	int64_t sum = 0, d;

	for (size_t i = 0; n->interests && i < n->n_interests; i++)
		if (n->interests[i].sub && natsSubscription_GetDropped(n->interests[i].sub, &d) == NATS_OK)
			sum += d;
	return sum;
}

char *hub_nats_metrics(struct hub *h)
{
	static const char *const help[][2] = {
		{"nd_hub_nats_published_total", "Dumplings published to NATS."},
		{"nd_hub_nats_publish_failed_total", "Dumplings that could not be published (buffer full)."},
		{"nd_hub_nats_received_total", "Dumplings received from other hubs."},
		{"nd_hub_nats_received_invalid_total", "Invalid dumplings received from NATS."},
		{"nd_hub_nats_handoff_dropped_total", "Received dumplings dropped: hand-off ring full."},
		{"nd_hub_nats_slow_consumer_dropped_total", "Received dumplings dropped by libnats."},
		{"nd_hub_nats_disconnects_total", "Disconnections from NATS."},
		{"nd_hub_nats_reconnects_total", "Reconnections to NATS."},
		{"nd_hub_nats_remote_missing_total", "Dumplings of other hubs' kitchens never received."},
	};
	struct hub_nats *n = h->nats;
	int64_t sub_dropped = 0;
	uint64_t v[9], missing = 0;
	size_t cap = 4096, len = 0;
	char *s;

	if (!n || !(s = malloc(cap)))
		return NULL;
	sub_dropped = subs_dropped(n);
	for (size_t i = 0; i < n->n_rk; i++)
		missing += n->rk[i].t.missing;
	uv_mutex_lock(&n->mu);
	v[4] = n->handoff_dropped;
	uv_mutex_unlock(&n->mu);
	v[0] = n->c.published;
	v[1] = n->c.publish_failed;
	v[2] = n->c.received;
	v[3] = n->c.received_invalid;
	v[5] = (uint64_t)sub_dropped;
	v[6] = atomic_load(&n->disconnects);
	v[7] = atomic_load(&n->reconnects);
	v[8] = missing;
	len += (size_t)snprintf(s + len, cap - len,
				"# HELP nd_hub_nats_connected 1 while connected to NATS.\n"
				"# TYPE nd_hub_nats_connected gauge\nnd_hub_nats_connected %d\n",
				atomic_load(&n->connected) ? 1 : 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]) && len < cap; i++)
		len += (size_t)snprintf(s + len, cap - len, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n",
					help[i][0], help[i][1], help[i][0], help[i][0],
					(unsigned long long)v[i]);
	return s;
}

void hub_nats_status(struct hub *h, json_t *p)
{
	struct hub_nats *n = h->nats;
	int64_t sub_dropped = 0;
	char url[256] = "";
	json_t *o;

	if (!n)
		return;
	sub_dropped = subs_dropped(n);
	if (n->l.nc && atomic_load(&n->connected))
		natsConnection_GetConnectedUrl(n->l.nc, url, sizeof(url));
	uv_mutex_lock(&n->mu);
	o = json_pack("{s:s, s:b, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		      "hub_id", n->id, "connected", atomic_load(&n->connected) != 0,
		      "connected_url", url, "published", (json_int_t)n->c.published,
		      "publish_failed", (json_int_t)n->c.publish_failed, "received",
		      (json_int_t)n->c.received, "received_own", (json_int_t)n->c.received_own,
		      "received_invalid", (json_int_t)n->c.received_invalid, "handoff_dropped",
		      (json_int_t)n->handoff_dropped,
		      "handoff_queued", (json_int_t)n->count, "slow_consumer_dropped",
		      (json_int_t)sub_dropped, "disconnects",
		      (json_int_t)atomic_load(&n->disconnects), "reconnects",
		      (json_int_t)atomic_load(&n->reconnects), "async_errors",
		      (json_int_t)atomic_load(&n->async_errors));
	uv_mutex_unlock(&n->mu);
	if (!o)
		return;
	json_object_set_new(o, "remote_kitchens", nats_rkitchens_status(n));
	json_object_set_new(o, "subscriptions", nats_interest_status(n));
	json_object_set_new(o, "copies_dropped", json_integer((json_int_t)n->copies_dropped));
	if (n->conf->stream)
		json_object_set_new(o, "stream", nats_replay_status(n));
	json_object_set_new(p, "nats", o);
	json_object_set_new(p, "cluster", nats_cluster_status(n));
}
