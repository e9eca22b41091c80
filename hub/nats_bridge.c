/*
 * nats_bridge.c: the bridge's life cycle, publishing local dumplings, the
 * hand-off of received ones to the loop thread, live delivery.  The
 * connection itself is in nats_conn.c, subscriptions in nats_interest.c.
 *
 * libnats runs in its threaded mode: a read thread, a flusher, a reconnect
 * thread and one delivery thread shared by every subscription (so that
 * messages keep the order the server sent them in).  Message callbacks
 * only append (natsMsg, tag) to a bounded ring under a
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

/* ---- the loop thread ---- */

/* Subject-safe token: bytes that NATS gives a meaning to ('.', '*', '>'),
 * whitespace and control characters become '_'; empty becomes "_". */
size_t nats_put_token(char *dst, size_t room, const char *s)
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
	if (n->stopped || !n->l.nc) {
		n->c.publish_failed++;
		return;
	}
	o = (size_t)snprintf(subj, sizeof(subj), "%s.", NATS_SUBJECT_PREFIX);
	o += nats_put_token(subj + o, sizeof(subj) - o, m->kitchen);
	subj[o++] = '.';
	nats_put_token(subj + o, sizeof(subj) - o, m->chef);
	s = natsMsg_Create(&msg, subj, NULL, (const char *)m->buf + HUB_MSG_HEADROOM, (int)m->len);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(msg, NATS_HDR_HUB, n->id);
	if (s == NATS_OK)
		s = natsConnection_PublishMsg(n->l.nc, msg);
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
	if (!nats_cluster_note(n, hm, &v, from)) {
		hub_msg_unref(hm);
		return;
	}
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

static void on_timer(uv_timer_t *t)
{
	struct hub_nats *n = t->data;
	uint64_t now = hub_now_ms(n->h);

	nats_conn_tick(n, now);
	uv_mutex_lock(&n->mu);
	if (n->count && !n->h->kitchens_paused)
		uv_async_send(&n->async);
	uv_mutex_unlock(&n->mu);
	if (now - n->last_announce_ms >= ANNOUNCE_MS) {
		n->last_announce_ms = now;
		nats_cluster_announce(n);
	}
	nats_cluster_expire(n, now);
	nats_stream_tick(n);
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
	h->nats = n;
	uv_async_init(h->loop, &n->async, on_async);
	n->async.data = n;
	uv_timer_init(h->loop, &n->timer);
	n->timer.data = n;
	n->handles_open = true;

	s = nats_conn_init(n);
	if (s == NATS_OK)
		s = nats_link_open(n, &n->l);
	if (s != NATS_OK) {
		const char *e = nats_GetLastError(NULL);

		nd_error("nats", "cannot use NATS at %s: %s: %s", c->urls, natsStatus_GetText(s),
			 e ? e : "");
		nats_link_close(&n->l);
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
	if (n->l.nc && atomic_load(&n->connected))
		natsConnection_FlushTimeout(n->l.nc, 1000);
	nats_interest_fini(n);
	nats_link_close(&n->l);
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
	natsStatus s;

	if (!n)
		return;
	nats_link_close(&n->l);
	nats_link_close(&n->fresh);
	natsOptions_Destroy(n->opts);
	for (int i = 0; i < 400 && atomic_load(&n->subs_open) > 0; i++)
		uv_sleep(5); /* libnats finishing closed subscriptions (at most 2 s) */
	/* No libnats thread runs after this, so nothing can call us any more. */
	s = nats_CloseAndWait(5000);
	if (s != NATS_OK)
		nd_warn("nats", "libnats did not finish within 5 s: %s", natsStatus_GetText(s));
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

bool hub_nats_eater_hello(struct hub *h, struct hub_eater *e, const json_t *hello)
{
	bool fed = nats_replay_hello(h, e, hello);

	nats_interest_update(h->nats, NULL);
	return fed;
}

void hub_nats_eater_gone(struct hub *h, struct hub_eater *e)
{
	nats_replay_gone(h, e);
	nats_interest_update(h->nats, e);
}
