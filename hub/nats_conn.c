/*
 * nats_conn.c: the hub's NATS connection: options, the hub id, the
 * callbacks libnats calls on its own threads (they touch only the hand-off
 * ring and atomics), connection-state logging, and starting over when
 * libnats gives a connection up for good.  See nats_bridge.h.
 */
#include "nats_priv.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RESTART_MS 5000

/* ---- libnats threads ---- */

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

static void on_link_closed(natsConnection *nc, void *closure)
{
	struct hub_nats *n = closure;

	(void)nc;
	atomic_store(&n->link_closed, 1);
}

static void on_async_error(natsConnection *nc, natsSubscription *sub, natsStatus err,
			   void *closure)
{
	struct hub_nats *n = closure;

	(void)nc;
	(void)sub;
	atomic_store(&n->last_async_error, (int)err);
	atomic_fetch_add(&n->async_errors, 1);
}

/* ---- the loop thread (and, for nats_link_open, a worker) ---- */

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
	nats_put_token(n->id, 40, host);
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
	/* One delivery thread for every subscription: messages reach the
	 * hand-off ring in the order the server sent them, even across
	 * subscriptions (nats_interest.c relies on it). */
	if (s == NATS_OK)
		s = nats_SetMessageDeliveryPoolSize(1);
	if (s == NATS_OK)
		s = natsOptions_UseGlobalMessageDelivery(o, true);
	if (s == NATS_OK)
		s = natsOptions_SetClosedCB(o, on_link_closed, n);
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

/* Connects l (first attempt synchronous, bounded by the 2 s timeout per
 * server; then libnats retries in the background) and subscribes.  Safe
 * on a worker thread: it touches only l and the atomics. */
natsStatus nats_link_open(struct hub_nats *n, struct nats_link *l)
{
	natsStatus s = natsConnection_Connect(&l->nc, n->opts);

	if (s == NATS_OK)
		atomic_store(&n->connected, 1);
	else if (s == NATS_NOT_YET_CONNECTED)
		s = NATS_OK;
	if (s == NATS_OK)
		s = natsConnection_Subscribe(&l->cluster, l->nc, NATS_ANNOUNCE_PREFIX ".*", on_cluster,
					     n);
	if (s == NATS_OK)
		nats_track_sub(n, l->cluster);
	if (s == NATS_OK && n->conf->stream)
		s = natsConnection_JetStream(&l->js, l->nc, NULL);
	if (s == NATS_CONNECTION_CLOSED && l->nc) {
		/* Given up already (an -ERR from the server): start over later. */
		atomic_store(&n->link_closed, 1);
		s = NATS_OK;
	}
	return s;
}

/* Closes and frees everything of l. */
void nats_link_close(struct nats_link *l)
{
	if (l->cluster) {
		natsSubscription_Unsubscribe(l->cluster);
		natsSubscription_Destroy(l->cluster);
	}
	jsCtx_Destroy(l->js);
	if (l->nc) {
		natsConnection_Close(l->nc);
		natsConnection_Destroy(l->nc);
	}
	memset(l, 0, sizeof(*l));
}

/* libnats gives up on a connection for good on some server errors (the
 * same authentication error twice, most -ERR replies).  The hub then
 * starts over with a new connection, on a worker thread, every
 * RESTART_MS, so that it resumes whenever NATS is usable again. */
static void restart_work(uv_work_t *w)
{
	struct hub_nats *n = w->data;

	n->fresh_status = nats_link_open(n, &n->fresh);
}

static void restart_done(uv_work_t *w, int status)
{
	struct hub_nats *n = w->data;

	(void)status;
	n->restarting = false;
	if (n->stopped || n->fresh_status != NATS_OK) {
		if (!n->stopped) {
			nd_warn("nats", "cannot open a new NATS connection: %s; trying again",
				natsStatus_GetText(n->fresh_status));
			atomic_store(&n->link_closed, 1);
		}
		nats_link_close(&n->fresh);
		return;
	}
	/* Replays were consumers of the old connection: their eaters must
	 * come back and ask again. */
	for (size_t i = 0; i < NATS_MAX_REPLAYS; i++)
		if (n->replays[i].e)
			hub_peer_close(&n->replays[i].e->p, 1011, "NATS connection lost");
	nats_replay_stop_all(n);
	nats_link_close(&n->l);
	n->l = n->fresh;
	memset(&n->fresh, 0, sizeof(n->fresh));
	nats_interest_resubscribe(n);
	n->stream_ready = false;
	n->restarts++;
}

static void check_link(struct hub_nats *n, uint64_t now)
{
	const char *text = NULL;
	natsStatus st;

	if (n->stopped || n->restarting || !atomic_load(&n->link_closed))
		return;
	if (!n->closed_logged) {
		n->closed_logged = true;
		n->closed_seen_ms = now;
		atomic_store(&n->connected, 0);
		st = natsConnection_GetLastError(n->l.nc, &text);
		nd_error("nats", "libnats closed the connection for good: %s: %s; opening a new one every %d s",
			 natsStatus_GetText(st), text ? text : "", RESTART_MS / 1000);
	}
	if (now - n->closed_seen_ms < RESTART_MS || n->stream_busy || n->replay_busy)
		return; /* workers still use the old connection's JetStream context */
	n->closed_seen_ms = now;
	atomic_store(&n->link_closed, 0); /* the new connection may set it again */
	n->restarting = true;
	n->restart_work.data = n;
	if (uv_queue_work(n->h->loop, &n->restart_work, restart_work, restart_done)) {
		n->restarting = false;
		atomic_store(&n->link_closed, 1);
	}
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
			n->closed_logged = false;
			natsConnection_GetConnectedUrl(n->l.nc, url, sizeof(url));
			nd_info("nats", "connected to %s as hub %s", url, n->id);
		} else {
			nd_warn("nats", "disconnected: serving local kitchens and eaters, buffering up to %llu bytes for NATS",
				(unsigned long long)n->conf->reconnect_buf);
		}
	}
	if (now && atomic_load(&n->reconnects) != n->logged_reconnects) {
		n->logged_reconnects = atomic_load(&n->reconnects);
		natsConnection_GetConnectedUrl(n->l.nc, url, sizeof(url));
		nd_info("nats", "reconnected to %s (%llu disconnections so far)", url,
			(unsigned long long)atomic_load(&n->disconnects));
	}
	if (errs != n->logged_async_errors) {
		nd_warn("nats", "asynchronous errors: %llu so far, the last: %s",
			(unsigned long long)errs,
			natsStatus_GetText((natsStatus)atomic_load(&n->last_async_error)));
		n->logged_async_errors = errs;
	}
}

static void on_sub_done(void *closure)
{
	struct hub_nats *n = closure;

	atomic_fetch_sub(&n->subs_open, 1);
}

/* libnats finishes a closed subscription on its delivery thread, and a
 * message it frees while nats_CloseAndWait stops its threads can be left
 * behind; hub_nats_fini waits for every subscription counted here. */
void nats_track_sub(struct hub_nats *n, natsSubscription *sub)
{
	if (natsSubscription_SetOnCompleteCB(sub, on_sub_done, n) == NATS_OK)
		atomic_fetch_add(&n->subs_open, 1);
}

natsStatus nats_conn_init(struct hub_nats *n)
{
	make_id(n);
	return make_options(n);
}

void nats_conn_tick(struct hub_nats *n, uint64_t now)
{
	log_connection(n);
	check_link(n, now);
}
