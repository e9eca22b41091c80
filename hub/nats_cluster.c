/*
 * nats_cluster.c: what a hub knows of the other hubs on its NATS.
 *
 * - Announcements: every two seconds each hub publishes a small JSON
 *   object on ndhub.status.<hub-id> (its id, version, address, ports, its
 *   kitchens' names, eater count, counters).  Received ones are kept, one
 *   per hub, in a table of NATS_MAX_PEERS entries (refused and counted
 *   beyond), and forgotten after PEER_TTL_MS of silence.
 * - Remote kitchens: every dumpling received from another hub is accounted
 *   to its kitchen (by name) with the same gap tracker the hub uses for its
 *   own kitchens (seqtrack.h), so a dumpling lost between hubs shows up in
 *   "missing".  The table holds NATS_MAX_RKITCHENS kitchens; when it is
 *   full the least recently seen one is forgotten.
 */
#include "nats_priv.h"

#include "log.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PEER_TTL_MS 10000

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *local_kitchens(struct hub *h)
{
	json_t *a = json_array();
	struct hub_list *pos, *tmp;

	hub_list_foreach_safe(pos, tmp, &h->kitchens) {
		struct hub_kitchen *k = hub_container_of(pos, struct hub_kitchen, p.link);

		if (k->p.registered && k->name)
			json_array_append_new(a, json_string(k->name));
	}
	return a;
}

static json_t *self_info(struct hub_nats *n)
{
	struct hub *h = n->h;

	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:o, s:i, s:o, s:o, s:o, s:f}", "hub_id",
			 n->id, "hub_version", ND_VERSION, "address", h->conf.address, "in_port",
			 (int)h->conf.in_port, "out_port", (int)h->conf.out_port, "kitchens",
			 local_kitchens(h), "eaters", (int)h->n_eaters, "dumplings_in",
			 u64(h->c.dumplings_in), "published", u64(n->c.published),
			 "publish_failed", u64(n->c.publish_failed), "uptime",
			 (double)(hub_now_ms(h) - h->start_ms) / 1000.0);
}

void nats_cluster_announce(struct hub_nats *n)
{
	char subj[sizeof(NATS_ANNOUNCE_PREFIX) + NATS_ID_MAX + 2];
	json_t *o;
	char *text;

	if (!n->l.nc || !atomic_load(&n->connected))
		return;
	o = self_info(n);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return;
	snprintf(subj, sizeof(subj), "%s.%s", NATS_ANNOUNCE_PREFIX, n->id);
	if (natsConnection_PublishString(n->l.nc, subj, text) == NATS_OK)
		n->c.announces_sent++;
	free(text);
}

void nats_cluster_on_announce(struct hub_nats *n, natsMsg *m)
{
	const char *text = natsMsg_GetData(m);
	json_t *o = text ? json_loadb(text, (size_t)natsMsg_GetDataLength(m), 0, NULL) : NULL;
	const char *id = json_string_value(json_object_get(o, "hub_id"));
	struct nats_peer *p = NULL;

	if (!id || strlen(id) >= NATS_ID_MAX || strcmp(id, n->id) == 0) {
		json_decref(o);
		return;
	}
	n->c.announces_in++;
	for (size_t i = 0; i < n->n_peers; i++)
		if (strcmp(n->peers[i].id, id) == 0)
			p = &n->peers[i];
	if (!p) {
		if (n->n_peers == NATS_MAX_PEERS) {
			n->peers_refused++;
			json_decref(o);
			return;
		}
		p = &n->peers[n->n_peers++];
		snprintf(p->id, sizeof(p->id), "%s", id);
		nd_info("nats", "hub %s joined", id);
	}
	json_decref(p->info);
	p->info = o;
	p->seen_ms = hub_now_ms(n->h);
}

void nats_cluster_expire(struct hub_nats *n, uint64_t now)
{
	for (size_t i = 0; i < n->n_peers;) {
		struct nats_peer *p = &n->peers[i];

		if (now - p->seen_ms < PEER_TTL_MS) {
			i++;
			continue;
		}
		nd_info("nats", "hub %s silent for %d s: forgotten", p->id, PEER_TTL_MS / 1000);
		json_decref(p->info);
		*p = n->peers[--n->n_peers];
		n->peers[n->n_peers].info = NULL;
	}
}

json_t *nats_cluster_status(struct hub_nats *n)
{
	json_t *hubs = json_array(), *self = self_info(n);
	uint64_t now = hub_now_ms(n->h);

	if (self) {
		json_object_set_new(self, "self", json_true());
		json_array_append_new(hubs, self);
	}
	for (size_t i = 0; i < n->n_peers; i++) {
		json_t *e = json_deep_copy(n->peers[i].info);

		if (!e)
			continue;
		json_object_set_new(e, "seen_seconds_ago",
				    json_real((double)(now - n->peers[i].seen_ms) / 1000.0));
		json_array_append_new(hubs, e);
	}
	return json_pack("{s:s, s:i, s:o, s:I}", "hub_id", n->id, "hub_count", (int)json_array_size(hubs),
			 "hubs", hubs, "hubs_refused", (json_int_t)n->peers_refused);
}

static struct nats_rkitchen *rkitchen(struct hub_nats *n, const char *name, const char *from)
{
	struct nats_rkitchen *r = NULL, *oldest = NULL;
	uint64_t now = hub_now_ms(n->h);

	for (size_t i = 0; i < n->n_rk; i++) {
		if (strcmp(n->rk[i].name, name) == 0) {
			r = &n->rk[i];
			break;
		}
		if (!oldest || n->rk[i].seen_ms < oldest->seen_ms)
			oldest = &n->rk[i];
	}
	if (!r) {
		r = n->n_rk < NATS_MAX_RKITCHENS ? &n->rk[n->n_rk++] : oldest;
		memset(r, 0, sizeof(*r));
		snprintf(r->name, sizeof(r->name), "%s", name);
	}
	if (from)
		snprintf(r->hub_id, sizeof(r->hub_id), "%s", from);
	r->seen_ms = now;
	return r;
}

bool nats_cluster_note(struct hub_nats *n, const struct hub_msg *m, const struct hub_jscan *v,
		       const char *from)
{
	struct nats_rkitchen *r = rkitchen(n, m->kitchen, from);

	/* Outside the moments when subscriptions change, a seq at or below the
	 * last is a kitchen reusing its numbers (counted out of order), not a
	 * copy, and nothing is dropped. */
	if (nats_interest_is_copy(n, r, v))
		return false;
	if (v->has_seq)
		hub_seqtrack_note(&r->t, true, v->seq, v->kitchen_start.p, v->kitchen_start.n);
	r->dumplings_in++;
	return true;
}

json_t *nats_rkitchens_status(struct hub_nats *n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n->n_rk; i++) {
		const struct nats_rkitchen *r = &n->rk[i];
		json_t *e = json_pack("{s:s, s:s, s:o}", "kitchen", r->name, "hub_id", r->hub_id,
				      "dumplings_in", u64(r->dumplings_in));

		if (e && r->t.tracking)
			json_object_set_new(e, "seq", json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
					"kitchen_start", r->t.start, "first", u64(r->t.first),
					"last", u64(r->t.last), "gaps", u64(r->t.gaps), "missing",
					u64(r->t.missing), "restarts", u64(r->t.restarts),
					"out_of_order", u64(r->t.out_of_order)));
		if (e)
			json_array_append_new(a, e);
	}
	return a;
}

void nats_cluster_fini(struct hub_nats *n)
{
	for (size_t i = 0; i < n->n_peers; i++)
		json_decref(n->peers[i].info);
	n->n_peers = 0;
}
