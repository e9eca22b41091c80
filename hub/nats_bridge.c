/*
 * nats_bridge.c: the hub's NATS connection, publishing local dumplings,
 * the hand-off of received ones to the loop thread, live delivery.
 *
 * libnats runs in its default threaded mode: a read thread, a flusher, a
 * reconnect thread and one delivery thread per asynchronous subscription.
 * Message callbacks only append (natsMsg, tag) to a bounded ring under a
 * mutex and wake the loop with uv_async_send; when the ring is full the
 * message is dropped and counted.  The loop drains the ring in batches
 * (yielding between batches so eaters get written), and not at all while
 * the hub holds its own kitchens back for a slow eater.  Connection events
 * are atomics, logged by a loop timer.  Publishing happens on the loop
 * thread (libnats' publish is thread-safe); while NATS is away libnats
 * keeps what is published in its bounded reconnect buffer, and what does
 * not fit is counted in publish_failed.
 *
 * No echo: the connection is made with NoEcho, and every published
 * dumpling carries the Nd-Hub header, which is checked on receipt too.
 */
#include "nats_priv.h"

#include "log.h"
#include "proto.h"
#include "version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DRAIN_BATCH 256
#define DRAIN_BATCHES 4
#define TIMER_MS 250
#define ANNOUNCE_MS 2000
#define SUB_PENDING_MSGS 65536
#define SUB_PENDING_BYTES (64 << 20)

/* ---- libnats threads: callbacks touch only the ring and atomics ---- */

void nats_handoff(struct hub_nats *n, natsMsg *m, uint64_t tag)
{
	uv_mutex_lock(&n->mu);
	if (n->closed || n->count == n->cap) {
		if (!n->closed)
			n->handoff_dropped++;
		uv_mutex_unlock(&n->mu);
		natsMsg_Destroy(m);
		return;
	}
	n->ring[(n->head + n->count) % n->cap] = (struct nats_slot){m, tag};
	n->count++;
	uv_async_send(&n->async); /* under the lock: never after the close */
	uv_mutex_unlock(&n->mu);
}

static void on_live(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
	(void)nc;
	(void)sub;
	nats_handoff(closure, m, NATS_TAG_LIVE);
}

static void on_cluster(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
	(void)nc;
	(void)sub;
	nats_handoff(closure, m, NATS_TAG_CLUSTER);
}

static void on_connected(natsConnection *nc, void *closure)
{
	struct hub_nats *n = closure;

	(void)nc;
	atomic_store(&n->connected, 1);
}

static void on_disconnected(natsConnection *nc, void *closure)
{
	struct hub_nats *n = closure;

	(void)nc;
	atomic_store(&n->connected, 0);
	atomic_fetch_add(&n->disconnects, 1);
}

static void on_reconnected(natsConnection *nc, void *closure)
{
	struct hub_nats *n = closure;

	(void)nc;
	atomic_store(&n->connected, 1);
	atomic_fetch_add(&n->reconnects, 1);
}

static void on_async_error(natsConnection *nc, natsSubscription *sub, natsStatus err,
			   void *closure)
{
	struct hub_nats *n = closure;

	(void)nc;
	(void)sub;
	(void)err;
	atomic_fetch_add(&n->async_errors, 1);
}

/* ---- the loop thread ---- */

/* Subject-safe token: bytes that NATS gives a meaning to ('.', '*', '>'),
 * whitespace and control characters become '_'; empty becomes "_". */
static size_t put_token(char *dst, size_t room, const char *s)
{
	size_t i = 0;

	for (; s && s[i] && i < NATS_TOKEN_MAX - 1 && i + 1 < room; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[i] = (c <= ' ' || c == 0x7f || c == '.' || c == '*' || c == '>') ? '_' : (char)c;
	}
	if (i == 0 && room > 1)
		dst[i++] = '_';
	dst[i] = '\0';
	return i;
}

static void log_publish_failure(struct hub_nats *n, natsStatus s)
{
	uint64_t now = hub_now_ms(n->h);

	if (now - n->fail_log_ms >= 10000) {
		n->fail_log_ms = now;
		n->fail_log_n = 0;
	}
	if (n->fail_log_n++ == 0)
		nd_warn("nats", "publish failed: %s (%llu failed so far; counted, not logged each time)",
			natsStatus_GetText(s), (unsigned long long)n->c.publish_failed);
}

void hub_nats_publish(struct hub *h, const struct hub_msg *m)
{
	struct hub_nats *n = h->nats;
	char subj[sizeof(NATS_SUBJECT_PREFIX) + 2 * NATS_TOKEN_MAX + 4];
	natsMsg *msg = NULL;
	natsStatus s;
	size_t o;

	if (!n)
		return;
	if (n->stopped || !n->nc) {
		n->c.publish_failed++;
		return;
	}
	o = (size_t)snprintf(subj, sizeof(subj), "%s.", NATS_SUBJECT_PREFIX);
	o += put_token(subj + o, sizeof(subj) - o, m->kitchen);
	subj[o++] = '.';
	put_token(subj + o, sizeof(subj) - o, m->chef);
	s = natsMsg_Create(&msg, subj, NULL, (const char *)m->buf + HUB_MSG_HEADROOM, (int)m->len);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(msg, NATS_HDR_HUB, n->id);
	if (s == NATS_OK)
		s = natsConnection_PublishMsg(n->nc, msg);
	natsMsg_Destroy(msg);
	if (s == NATS_OK) {
		n->c.published++;
		return;
	}
	n->c.publish_failed++;
	log_publish_failure(n, s);
}

static void log_invalid(struct hub_nats *n, const char *subject, const char *why)
{
	uint64_t now = hub_now_ms(n->h);

	if (now - n->invalid_log_ms < 1000)
		return;
	n->invalid_log_ms = now;
	nd_warn("nats", "invalid dumpling dropped: subject=%.200s: %s (%llu so far)", subject, why,
		(unsigned long long)n->c.received_invalid);
}

struct hub_msg *nats_dumpling(struct hub_nats *n, natsMsg *m, struct hub_jscan *v)
{
	struct hub *h = n->h;
	struct nd_dumpling_limits lim = {.max_bytes = h->conf.max_dumpling_bytes};
	const char *text = natsMsg_GetData(m), *subj = natsMsg_GetSubject(m);
	size_t len = (size_t)natsMsg_GetDataLength(m);
	struct nd_dumpling_view dv;
	struct hub_msg *hm = NULL;
	char err[160], ktok[NATS_TOKEN_MAX];
	const char *dot;
	json_t *root;
	int rc;

	/* The kitchen token of the subject, for dumplings naming no kitchen. */
	dot = subj ? strchr(subj, '.') : NULL;
	snprintf(ktok, sizeof(ktok), "%s", dot ? dot + 1 : "");
	if (strchr(ktok, '.'))
		*strchr(ktok, '.') = '\0';
	if (!text)
		text = "";
	memset(v, 0, sizeof(*v));
	rc = hub_jscan_dumpling(text, len, &lim, h->conf.check, v, err, sizeof(err));
	if (rc == 0) {
		hm = hub_msg_new_n(text, len,
				   v->driver == ND_DRIVER_INTERVAL ? HUB_MSG_INTERVAL : HUB_MSG_PACKET,
				   v->chef.p, v->chef.n, v->kitchen.p ? v->kitchen.p : ktok,
				   v->kitchen.p ? v->kitchen.n : strlen(ktok));
	} else if (rc == -EAGAIN) {
		root = nd_dumpling_parse(text, len, &lim, h->conf.check, &dv, err, sizeof(err));
		if (root) {
			hm = hub_msg_new(text, len,
					 dv.driver == ND_DRIVER_INTERVAL ? HUB_MSG_INTERVAL : HUB_MSG_PACKET,
					 dv.chef, dv.kitchen ? dv.kitchen : ktok);
			v->has_seq = false; /* escaped names: not tracked */
			json_decref(root);
		}
	}
	if (!hm) {
		n->c.received_invalid++;
		log_invalid(n, subj ? subj : "?", rc ? err : "out of memory");
	}
	return hm;
}

static void on_live_msg(struct hub_nats *n, natsMsg *m)
{
	struct hub *h = n->h;
	const char *from = NULL;
	struct hub_jscan v;
	struct hub_msg *hm;

	if (natsMsgHeader_Get(m, NATS_HDR_HUB, &from) != NATS_OK)
		from = NULL;
	if (from && strcmp(from, n->id) == 0) {
		n->c.received_own++;
		return;
	}
	hm = nats_dumpling(n, m, &v);
	if (!hm)
		return;
	nats_cluster_note(n, hm, &v, from);
	n->c.received++;
	if (hm->kind == HUB_MSG_INTERVAL)
		hub_retained_put(&h->retained, hm, n);
	hub_fanout(h, hm, false);
	hub_msg_unref(hm);
}

static void dispatch(struct hub_nats *n, struct nats_slot *s)
{
	if (s->tag == NATS_TAG_LIVE)
		on_live_msg(n, s->m);
	else if (s->tag == NATS_TAG_CLUSTER)
		nats_cluster_on_announce(n, s->m);
	else
		nats_replay_on_msg(n, s->tag, s->m);
	natsMsg_Destroy(s->m);
}

static void drain(struct hub_nats *n)
{
	struct nats_slot batch[DRAIN_BATCH];

	for (int b = 0; b < DRAIN_BATCHES; b++) {
		size_t k;

		if (n->h->kitchens_paused || n->stopped)
			return; /* the timer comes back for the rest */
		uv_mutex_lock(&n->mu);
		k = n->count < DRAIN_BATCH ? n->count : DRAIN_BATCH;
		for (size_t i = 0; i < k; i++)
			batch[i] = n->ring[(n->head + i) % n->cap];
		n->head = (n->head + k) % n->cap;
		n->count -= k;
		uv_mutex_unlock(&n->mu);
		if (!k)
			return;
		for (size_t i = 0; i < k; i++)
			dispatch(n, &batch[i]);
	}
	uv_async_send(&n->async); /* more may be waiting: after the writes */
}

static void on_async(uv_async_t *a)
{
	drain(a->data);
}

static void log_connection(struct hub_nats *n)
{
	int now = atomic_load(&n->connected);
	uint64_t errs = atomic_load(&n->async_errors);
	char url[256] = "";

	if (now != n->logged_connected) {
		if (n->logged_connected == -1 && !now) {
			n->logged_connected = now; /* "not reachable yet" said it */
			return;
		}
		n->logged_connected = now;
		if (now) {
			natsConnection_GetConnectedUrl(n->nc, url, sizeof(url));
			nd_info("nats", "connected to %s as hub %s", url, n->id);
		} else {
			nd_warn("nats", "disconnected: serving local kitchens and eaters, buffering up to %llu bytes for NATS",
				(unsigned long long)n->conf->reconnect_buf);
		}
	}
	if (now && atomic_load(&n->reconnects) != n->logged_reconnects) {
		n->logged_reconnects = atomic_load(&n->reconnects);
		natsConnection_GetConnectedUrl(n->nc, url, sizeof(url));
		nd_info("nats", "reconnected to %s (%llu disconnections so far)", url,
			(unsigned long long)atomic_load(&n->disconnects));
	}
	if (errs != n->logged_async_errors) {
		nd_warn("nats", "%llu asynchronous errors (slow consumer or permissions) so far",
			(unsigned long long)errs);
		n->logged_async_errors = errs;
	}
}

static void on_timer(uv_timer_t *t)
{
	struct hub_nats *n = t->data;
	uint64_t now = hub_now_ms(n->h);

	log_connection(n);
	if (n->count && !n->h->kitchens_paused)
		uv_async_send(&n->async);
	if (now - n->last_announce_ms >= ANNOUNCE_MS) {
		n->last_announce_ms = now;
		nats_cluster_announce(n);
	}
	nats_cluster_expire(n, now);
	nats_stream_tick(n);
}

static void make_id(struct hub_nats *n)
{
	char host[64] = "hub";
	unsigned r = (unsigned)uv_hrtime() ^ ((unsigned)getpid() << 16);
	FILE *f = fopen("/dev/urandom", "rb");

	if (n->conf->hub_id) {
		snprintf(n->id, sizeof(n->id), "%s", n->conf->hub_id);
		return;
	}
	if (f) {
		if (fread(&r, sizeof(r), 1, f) != 1)
			r ^= 0x5bd1e995u;
		fclose(f);
	}
	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	put_token(n->id, 40, host);
	snprintf(n->id + strlen(n->id), sizeof(n->id) - strlen(n->id), "-%d-%08x", (int)getpid(), r);
}

static natsStatus make_options(struct hub_nats *n)
{
	const struct hub_nats_conf *c = n->conf;
	natsOptions *o;
	natsStatus s = natsOptions_Create(&o);

	if (s != NATS_OK)
		return s;
	n->opts = o;
	s = natsOptions_SetURL(o, c->urls);
	if (s == NATS_OK)
		s = natsOptions_SetName(o, n->id);
	if (s == NATS_OK)
		s = natsOptions_SetNoEcho(o, true);
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(o, -1);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectWait(o, 250);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectBufSize(o, (int)c->reconnect_buf);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(o, 2000);
	if (s == NATS_OK)
		s = natsOptions_SetPingInterval(o, 2000);
	if (s == NATS_OK)
		s = natsOptions_SetMaxPingsOut(o, 3);
	if (s == NATS_OK)
		s = natsOptions_SetRetryOnFailedConnect(o, true, on_connected, n);
	if (s == NATS_OK)
		s = natsOptions_SetDisconnectedCB(o, on_disconnected, n);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectedCB(o, on_reconnected, n);
	if (s == NATS_OK)
		s = natsOptions_SetErrorHandler(o, on_async_error, n);
	if (s == NATS_OK && c->creds)
		s = natsOptions_SetUserCredentialsFromFiles(o, c->creds, NULL);
	if (s == NATS_OK && c->tls)
		s = natsOptions_SetSecure(o, true);
	if (s == NATS_OK && c->tls_ca)
		s = natsOptions_LoadCATrustedCertificates(o, c->tls_ca);
	if (s == NATS_OK && c->tls_cert)
		s = natsOptions_LoadCertificatesChain(o, c->tls_cert, c->tls_key);
	return s;
}

static natsStatus subscribe(struct hub_nats *n)
{
	natsStatus s;

	s = natsConnection_Subscribe(&n->sub_live, n->nc, NATS_SUBJECT_PREFIX ".>", on_live, n);
	if (s == NATS_OK)
		s = natsSubscription_SetPendingLimits(n->sub_live, SUB_PENDING_MSGS, SUB_PENDING_BYTES);
	if (s == NATS_OK)
		s = natsConnection_Subscribe(&n->sub_cluster, n->nc, NATS_ANNOUNCE_PREFIX ".*",
					     on_cluster, n);
	if (s == NATS_OK && n->conf->stream)
		s = natsConnection_JetStream(&n->js, n->nc, NULL);
	return s;
}

static void fail_cleanup(struct hub_nats *n)
{
	if (n->nc)
		natsConnection_Destroy(n->nc);
	n->nc = NULL;
	natsOptions_Destroy(n->opts);
	n->opts = NULL;
}

static void on_closed_handle(uv_handle_t *hd)
{
	(void)hd;
}

int hub_nats_start(struct hub *h)
{
	const struct hub_nats_conf *c = &h->conf.nats;
	struct hub_nats *n;
	natsStatus s;

	if (!c->urls)
		return 0;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->ring = calloc(c->handoff_max, sizeof(*n->ring));
	n->rk = calloc(NATS_MAX_RKITCHENS, sizeof(*n->rk));
	if (!n->ring || !n->rk || uv_mutex_init(&n->mu)) {
		free(n->ring);
		free(n->rk);
		free(n);
		return -ENOMEM;
	}
	n->h = h;
	n->conf = c;
	n->cap = c->handoff_max;
	n->logged_connected = -1;
	n->next_tag = NATS_TAG_REPLAY0;
	make_id(n);
	h->nats = n;
	uv_async_init(h->loop, &n->async, on_async);
	n->async.data = n;
	uv_timer_init(h->loop, &n->timer);
	n->timer.data = n;
	n->handles_open = true;

	s = make_options(n);
	if (s == NATS_OK) {
		/* The first attempt is synchronous (bounded by the 2 s timeout per
		 * server); after that libnats retries in the background. */
		s = natsConnection_Connect(&n->nc, n->opts);
		if (s == NATS_OK)
			atomic_store(&n->connected, 1);
		else if (s == NATS_NOT_YET_CONNECTED)
			s = NATS_OK;
	}
	if (s == NATS_OK)
		s = subscribe(n);
	if (s != NATS_OK) {
		const char *e = nats_GetLastError(NULL);

		nd_error("nats", "cannot use NATS at %s: %s: %s", c->urls, natsStatus_GetText(s),
			 e ? e : "");
		fail_cleanup(n);
		hub_nats_stop(h);
		return -EIO;
	}
	if (!atomic_load(&n->connected))
		nd_warn("nats", "no NATS server reachable at %s yet: retrying in the background", c->urls);
	uv_timer_start(&n->timer, on_timer, 0, TIMER_MS);
	return 0;
}

void hub_nats_stop(struct hub *h)
{
	struct hub_nats *n = h->nats;

	if (!n || n->stopped)
		return;
	n->stopped = true;
	nats_replay_stop_all(n);
	if (n->nc && atomic_load(&n->connected))
		natsConnection_FlushTimeout(n->nc, 1000);
	if (n->sub_live)
		natsSubscription_Unsubscribe(n->sub_live);
	if (n->sub_cluster)
		natsSubscription_Unsubscribe(n->sub_cluster);
	if (n->nc)
		natsConnection_Close(n->nc);
	uv_mutex_lock(&n->mu);
	n->closed = true;
	uv_mutex_unlock(&n->mu);
	if (n->handles_open) {
		uv_close((uv_handle_t *)&n->async, on_closed_handle);
		uv_close((uv_handle_t *)&n->timer, on_closed_handle);
		n->handles_open = false;
	}
	nd_info("nats", "closed: published=%llu publish_failed=%llu received=%llu handoff_dropped=%llu",
		(unsigned long long)n->c.published, (unsigned long long)n->c.publish_failed,
		(unsigned long long)n->c.received, (unsigned long long)n->handoff_dropped);
}

void hub_nats_fini(struct hub *h)
{
	struct hub_nats *n = h->nats;

	if (!n)
		return;
	natsSubscription_Destroy(n->sub_live);
	natsSubscription_Destroy(n->sub_cluster);
	jsCtx_Destroy(n->js);
	if (n->nc)
		natsConnection_Destroy(n->nc);
	natsOptions_Destroy(n->opts);
	/* No libnats thread runs after this, so nothing can call us any more. */
	nats_CloseAndWait(5000);
	nats_replay_fini(n);
	while (n->count) {
		natsMsg_Destroy(n->ring[n->head].m);
		n->head = (n->head + 1) % n->cap;
		n->count--;
	}
	nats_cluster_fini(n);
	uv_mutex_destroy(&n->mu);
	free(n->ring);
	free(n->rk);
	free(n);
	h->nats = NULL;
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
	if (n->sub_live)
		natsSubscription_GetDropped(n->sub_live, &sub_dropped);
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
	if (n->sub_live)
		natsSubscription_GetDropped(n->sub_live, &sub_dropped);
	if (n->nc && atomic_load(&n->connected))
		natsConnection_GetConnectedUrl(n->nc, url, sizeof(url));
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
	if (n->conf->stream)
		json_object_set_new(o, "stream", nats_replay_status(n));
	json_object_set_new(p, "nats", o);
	json_object_set_new(p, "cluster", nats_cluster_status(n));
}
