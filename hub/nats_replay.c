/*
 * nats_replay.c: the JetStream stream and the eaters fed from it.
 *
 * --nats-stream NAME: the hub makes sure a stream NAME exists that stores
 * netdumplings.> (file storage, oldest discarded first, bounded by
 * --nats-stream-max-age and --nats-stream-max-bytes).  Every hub of a
 * deployment may name the same stream; creating it again with the same
 * configuration is harmless, and an existing stream is used as it is.
 * The check runs on a libuv worker thread, because JetStream's API is
 * request/reply and must not block the loop.
 *
 * An eater whose hello has "replay_seconds": N (N > 0) gets its own
 * ordered push consumer on the stream, starting at the first dumpling
 * stored at or after now - N.  The ordered consumer delivers stored
 * dumplings and then new ones as one sequence in stream order, so there is
 * no seam to stitch: no gap, no duplicate (libnats recreates the consumer
 * from the last stream sequence when it sees a gap, and the hub drops any
 * sequence at or below the last one delivered).  Such an eater gets
 * nothing else: no retained dumplings, no live fan-out, no status
 * dumplings; the dumplings of this hub's own kitchens reach it through the
 * stream like everyone else's.  Creating the consumer is one request made
 * on the loop thread (bounded by a 2 s wait) when the eater registers.
 */
#include "nats_priv.h"

#include "log.h"
#include "proto.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_RETRY_MS 3000
#define API_WAIT_MS 2000

static void stream_work(uv_work_t *w)
{
	struct hub_nats *n = w->data;
	const struct hub_nats_conf *c = n->conf;
	const char *subjects[] = {NATS_SUBJECT_PREFIX ".>"};
	jsStreamInfo *si = NULL;
	jsStreamConfig cfg;
	jsOptions jo;
	jsErrCode jerr = 0;
	natsStatus s;

	jsOptions_Init(&jo);
	jo.Wait = API_WAIT_MS;
	n->stream_err[0] = '\0';
	s = js_GetStreamInfo(&si, n->l.js, c->stream, &jo, &jerr);
	if (s == NATS_NOT_FOUND) {
		jsStreamConfig_Init(&cfg);
		cfg.Name = c->stream;
		cfg.Subjects = subjects;
		cfg.SubjectsLen = 1;
		cfg.MaxAge = (int64_t)(c->stream_max_age * 1e9);
		cfg.MaxBytes = (int64_t)c->stream_max_bytes;
		cfg.Discard = js_DiscardOld;
		cfg.Storage = js_FileStorage;
		cfg.Replicas = c->stream_replicas;
		s = js_AddStream(&si, n->l.js, &cfg, &jo, &jerr);
		if (s != NATS_OK) {
			const char *e = nats_GetLastError(NULL);

			snprintf(n->stream_err, sizeof(n->stream_err), "cannot create it: %s (JetStream error %d): %s",
				 natsStatus_GetText(s), (int)jerr, e ? e : "");
			jerr = 0; /* another hub may have just made it */
			if (js_GetStreamInfo(&si, n->l.js, c->stream, &jo, &jerr) == NATS_OK)
				s = NATS_OK;
		}
	} else if (s != NATS_OK) {
		const char *e = nats_GetLastError(NULL);

		snprintf(n->stream_err, sizeof(n->stream_err), "%s (JetStream error %d): %s",
			 natsStatus_GetText(s), (int)jerr, e ? e : "");
	}
	jsStreamInfo_Destroy(si);
	n->stream_status = (int)s;
}

static void stream_done(uv_work_t *w, int status)
{
	struct hub_nats *n = w->data;

	n->stream_busy = false;
	if (status == 0 && n->stream_status == NATS_OK) {
		n->stream_ready = true;
		nd_info("nats", "stream %s ready: dumplings kept for up to %.0f s or %llu bytes",
			n->conf->stream, n->conf->stream_max_age,
			(unsigned long long)n->conf->stream_max_bytes);
		return;
	}
	nd_warn("nats", "stream %s not available: %s; retrying", n->conf->stream,
		status ? "cancelled" : n->stream_err);
}

void nats_stream_tick(struct hub_nats *n)
{
	uint64_t now = hub_now_ms(n->h);

	if (!n->l.js || n->stream_ready || n->stream_busy || n->stopped || n->restarting ||
	    !atomic_load(&n->connected) || now - n->stream_try_ms < STREAM_RETRY_MS)
		return;
	n->stream_try_ms = now;
	n->stream_busy = true;
	n->stream_work.data = n;
	if (uv_queue_work(n->h->loop, &n->stream_work, stream_work, stream_done))
		n->stream_busy = false;
}

static void on_replay(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
	struct nats_replay_cb *cb = closure;

	(void)nc;
	(void)sub;
	nats_handoff(cb->n, m, cb->tag);
}

static struct nats_replay *find_tag(struct hub_nats *n, uint64_t tag)
{
	for (size_t i = 0; i < NATS_MAX_REPLAYS; i++)
		if (n->replays[i].e && n->replays[i].tag == tag)
			return &n->replays[i];
	return NULL;
}

static struct nats_replay *find_eater(struct hub_nats *n, const struct hub_eater *e)
{
	for (size_t i = 0; i < NATS_MAX_REPLAYS; i++)
		if (n->replays[i].e == e)
			return &n->replays[i];
	return NULL;
}

static bool refuse(struct hub_nats *n, struct hub_eater *e, const char *why)
{
	if (n)
		n->c.replays_refused++;
	nd_warn("nats", "eater %s at %s:%d asked for a replay: %s; it gets live dumplings only",
		e->name, e->p.host, e->p.port, why);
	return false;
}

/* The stream sequence of the first dumpling stored at or after start_ns:
 * a short-lived pull consumer created by start time reports it. */
static natsStatus start_seq(struct nats_replay_cb *cb, jsOptions *jo, uint64_t *seq)
{
	const char *stream = cb->n->conf->stream;
	jsConsumerInfo *ci = NULL;
	jsConsumerConfig cc;
	natsStatus s;

	jsConsumerConfig_Init(&cc);
	cc.DeliverPolicy = js_DeliverByStartTime;
	cc.OptStartTime = cb->start_ns;
	cc.AckPolicy = js_AckNone;
	cc.InactiveThreshold = 30LL * 1000000000LL; /* gone by itself if we cannot delete it */
	s = js_AddConsumer(&ci, cb->js, stream, &cc, jo, &cb->jerr);
	if (s != NATS_OK)
		return s;
	*seq = ci->Delivered.Stream + 1;
	js_DeleteConsumer(cb->js, stream, ci->Name, jo, NULL);
	jsConsumerInfo_Destroy(ci);
	return NATS_OK;
}

/* On a worker: the requests that create the ordered consumer.  It starts
 * by stream sequence, not by time: libnats 3.4 recreates an ordered
 * consumer (after a gap or missed heartbeats, e.g. a node restart) with
 * the original start time still set beside its new start sequence, which
 * the server refuses, so a consumer made by time could never recover. */
static void subscribe_work(uv_work_t *w)
{
	struct nats_replay_cb *cb = w->data;
	const struct hub_nats_conf *c = cb->n->conf;
	jsSubOptions so;
	jsOptions jo;
	uint64_t seq = 0;

	jsOptions_Init(&jo);
	jo.Wait = API_WAIT_MS;
	cb->status = start_seq(cb, &jo, &seq);
	if (cb->status != NATS_OK)
		return;
	jsSubOptions_Init(&so);
	so.Stream = c->stream;
	so.Ordered = true;
	so.Config.DeliverPolicy = js_DeliverByStartSequence;
	so.Config.OptStartSeq = seq;
	cb->status = js_Subscribe(&cb->sub, cb->js, NATS_SUBJECT_PREFIX ".>", on_replay, cb, &jo, &so,
				  &cb->jerr);
	if (cb->status == NATS_OK) {
		natsSubscription_SetPendingLimits(cb->sub, 65536, 64 << 20);
		nats_track_sub(cb->n, cb->sub);
	}
}

static void subscribe_done(uv_work_t *w, int status)
{
	struct nats_replay_cb *cb = w->data;
	struct hub_nats *n = cb->n;
	struct nats_replay *r = find_tag(n, cb->tag);

	n->replay_busy--;
	if (status == 0 && cb->status == NATS_OK && r && !n->stopped) {
		r->sub = cb->sub;
		return;
	}
	if (cb->sub) {
		natsSubscription_Unsubscribe(cb->sub);
		natsSubscription_Destroy(cb->sub);
	}
	cb->sub = NULL;
	if (!r)
		return; /* its eater left meanwhile */
	n->c.replays_refused++;
	nd_warn("nats", "eater %s at %s:%d: cannot create a stream consumer: %s (JetStream error %d); it gets live dumplings only",
		r->e->name, r->e->p.host, r->e->p.port, natsStatus_GetText(cb->status),
		(int)cb->jerr);
	r->e->nats_fed = false;
	memset(r, 0, sizeof(*r));
}

bool nats_replay_hello(struct hub *h, struct hub_eater *e, const json_t *hello)
{
	struct hub_nats *n = h->nats;
	const json_t *rs = json_object_get(hello, ND_KEY_REPLAY_SECONDS);
	struct nats_replay *r;
	struct nats_replay_cb *cb;
	double secs;

	if (!rs || !json_is_number(rs) || json_number_value(rs) <= 0)
		return false;
	secs = json_number_value(rs);
	if (!n || !n->conf->stream)
		return refuse(n, e, "this hub keeps no stream (--nats-stream)");
	if (!n->stream_ready || !atomic_load(&n->connected) || n->restarting || !n->l.js)
		return refuse(n, e, "the stream is not available now");
	r = find_eater(n, NULL);
	if (!r)
		return refuse(n, e, "too many replaying eaters");
	if (secs > n->conf->replay_max)
		secs = n->conf->replay_max;
	cb = calloc(1, sizeof(*cb));
	if (!cb)
		return refuse(n, e, "out of memory");
	cb->n = n;
	cb->tag = n->next_tag++;
	cb->js = n->l.js;
	cb->start_ns = (int64_t)((hub_wall_now() - secs) * 1e9);
	cb->work.data = cb;
	if (uv_queue_work(h->loop, &cb->work, subscribe_work, subscribe_done)) {
		free(cb);
		return refuse(n, e, "cannot start a worker");
	}
	cb->next = n->cbs;
	n->cbs = cb;
	n->replay_busy++;
	/* Messages may arrive before subscribe_done: the slot is ready. */
	memset(r, 0, sizeof(*r));
	r->e = e;
	r->tag = cb->tag;
	e->nats_fed = true;
	n->c.replays++;
	nd_info("nats", "eater %s at %s:%d: replaying the last %.0f s of stream %s, then live",
		e->name, e->p.host, e->p.port, secs, n->conf->stream);
	return true;
}

static void release(struct nats_replay *r)
{
	if (r->sub) {
		natsSubscription_Unsubscribe(r->sub);
		natsSubscription_Destroy(r->sub);
	}
	memset(r, 0, sizeof(*r));
}

void nats_replay_gone(struct hub *h, struct hub_eater *e)
{
	struct nats_replay *r;

	if (!h->nats || !e->nats_fed)
		return;
	r = find_eater(h->nats, e);
	if (r)
		release(r);
	e->nats_fed = false;
}

void nats_replay_on_msg(struct hub_nats *n, uint64_t tag, natsMsg *m)
{
	struct nats_replay *r = find_tag(n, tag);
	jsMsgMetaData *meta = NULL;
	struct hub_jscan v;
	struct hub_msg *hm;

	if (!r || !r->e->p.registered || r->e->p.closing)
		return; /* its eater has gone */
	if (natsMsg_GetMetaData(&meta, m) != NATS_OK)
		return;
	if (meta->Sequence.Stream <= r->last_sseq) {
		r->dups++;
		jsMsgMetaData_Destroy(meta);
		return;
	}
	r->last_sseq = meta->Sequence.Stream;
	if (!r->caught_up && meta->NumPending == 0) {
		r->caught_up = true;
		nd_info("nats", "eater %s at %s:%d: replay caught up at stream sequence %llu after %llu dumplings: live from here",
			r->e->name, r->e->p.host, r->e->p.port, (unsigned long long)r->last_sseq,
			(unsigned long long)r->delivered + 1);
	}
	jsMsgMetaData_Destroy(meta);
	hm = nats_dumpling(n, m, &v);
	if (!hm)
		return;
	r->delivered++;
	n->c.replayed++;
	hub_eater_push(r->e, hm);
	hub_msg_unref(hm);
}

void nats_replay_stop_all(struct hub_nats *n)
{
	for (size_t i = 0; i < NATS_MAX_REPLAYS; i++) {
		if (n->replays[i].e) {
			n->replays[i].e->nats_fed = false;
			release(&n->replays[i]);
		}
	}
}

void nats_replay_fini(struct hub_nats *n)
{
	while (n->cbs) {
		struct nats_replay_cb *cb = n->cbs;

		n->cbs = cb->next;
		free(cb);
	}
}

json_t *nats_replay_status(struct hub_nats *n)
{
	json_t *eaters = json_array();

	for (size_t i = 0; i < NATS_MAX_REPLAYS; i++) {
		const struct nats_replay *r = &n->replays[i];

		if (r->e)
			json_array_append_new(eaters, json_pack("{s:s, s:s, s:i, s:I, s:I, s:I, s:b}",
					"eater", r->e->name ? r->e->name : "", "host", r->e->p.host,
					"port", r->e->p.port, "stream_seq", (json_int_t)r->last_sseq,
					"delivered", (json_int_t)r->delivered, "duplicates_dropped",
					(json_int_t)r->dups, "caught_up", r->caught_up));
	}
	return json_pack("{s:s, s:b, s:I, s:I, s:I, s:o}", "name", n->conf->stream, "ready",
			 n->stream_ready, "replays", (json_int_t)n->c.replays, "replays_refused",
			 (json_int_t)n->c.replays_refused, "replayed", (json_int_t)n->c.replayed,
			 "replaying_eaters", eaters);
}
