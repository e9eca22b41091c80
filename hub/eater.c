/*
 * eater.c: the out-port WebSocket protocol, where eaters read dumplings.
 *
 * An eater's first message registers it: a JSON object with a string
 * "eater_name", optionally "chefs" and "kitchens" arrays that limit what
 * the hub sends it (status dumplings pass the kitchen filter).  Anything
 * else closes with ND_CLOSE_BAD_HELLO.  After registering, the eater is
 * first sent the retained latest interval dumpling of every kitchen/chef.
 * Whatever it sends later is ignored.
 *
 * Delivery: each eater has a bounded queue of shared messages (fanout.h).
 * WRITEABLE writes from it while the socket takes more: without
 * permessage-deflate, many frames are built into one buffer and written
 * with a single raw lws_write (one send() for many dumplings); with it,
 * lws compresses each message of up to DEFLATE_MAX bytes.
 *
 * Slow eaters, in three steps:
 *   1. above the queue's high-water mark an eater "presses": kitchens'
 *      receive is paused until it drains below the low-water mark;
 *   2. an eater that cannot drain from the high to the low mark within
 *      flow_grace_ms while kitchens wait for it (it reads less than half a
 *      queue per grace period: stalled, or nearly) is exempted: kitchens
 *      resume, and its queue drops oldest packet dumplings and coalesces
 *      interval ones (counted per eater).  It takes part again once it has
 *      drained.  An eater that is merely slower than the kitchens but
 *      keeps draining holds them back (backpressure), so healthy eaters
 *      get everything;
 *   3. an eater whose queue has been full (dropping) for too_slow_ms is
 *      closed with ND_CLOSE_EATER_TOO_SLOW and its queue released at once.
 * So a healthy eater gets everything, and a stalled one costs at most its
 * queue ceilings until it is dropped.
 */
#include "hub.h"

#include "auth.h"
#include "hello.h"
#include "log.h"
#include "proto.h"
#include "tls.h"

#include <string.h>

/* Writes per WRITEABLE: single messages with deflate, else batches of up
 * to HUB_BATCH_BYTES (so at most 256 KiB per eater per callback, which
 * keeps one busy eater from holding up the others). */
#define WRITE_ROUNDS_SINGLE 64
#define WRITE_ROUNDS_BATCH 4
/* Largest message sent compressed (see write_one_deflate). */
#define DEFLATE_MAX 768

static bool in_list(const json_t *list, const char *s)
{
	size_t i;
	const json_t *v;

	if (!list || !json_array_size(list))
		return true;
	json_array_foreach(list, i, v) {
		if (strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

static bool wants(const struct hub_eater *e, const struct hub_msg *m, bool status)
{
	if (e->chefs && !in_list(e->chefs, m->chef))
		return false;
	if (!status && e->kitchens && !in_list(e->kitchens, m->kitchen))
		return false;
	return true;
}

static void press(struct hub *h, struct hub_eater *e, uint64_t now)
{
	e->pressing = true;
	e->pressing_since_ms = now;
	if (h->n_pressing++ == 0)
		hub_kitchens_flow(h, false);
}

static void unpress(struct hub *h, struct hub_eater *e)
{
	if (!e->pressing)
		return;
	e->pressing = false;
	if (--h->n_pressing == 0)
		hub_kitchens_flow(h, true);
}

static void push(struct hub *h, struct hub_eater *e, struct hub_msg *m, uint64_t now)
{
	enum hub_push_result r = hub_queue_push(&e->q, m);

	if (r != HUB_PUSH_OK) {
		if (r == HUB_PUSH_COALESCED)
			h->c.coalesced++;
		else
			h->c.dropped++;
		if (!e->full_since_ms)
			e->full_since_ms = now;
	}
	if (!e->pressing && !e->exempt && hub_queue_high(&e->q))
		press(h, e, now);
	if (!e->writable_asked) {
		e->writable_asked = true;
		lws_callback_on_writable(e->p.wsi);
	}
}

void hub_fanout(struct hub *h, struct hub_msg *m, bool status)
{
	struct hub_list *pos, *tmp;
	uint64_t now = hub_now_ms(h);

	hub_list_foreach_safe(pos, tmp, &h->eaters) {
		struct hub_eater *e = hub_container_of(pos, struct hub_eater, p.link);

		if (e->p.registered && !e->p.closing && !e->nats_fed && wants(e, m, status))
			push(h, e, m, now);
	}
}

void hub_eater_push(struct hub_eater *e, struct hub_msg *m)
{
	if (e->p.registered && !e->p.closing)
		push(e->p.hub, e, m, hub_now_ms(e->p.hub));
}

static void drop_queue(struct hub *h, struct hub_eater *e)
{
	unpress(h, e);
	hub_queue_fini(&e->q);
}

/* Filters are matched against every dumpling for every eater: a hello
 * with thousands of names would make each one cost that much. */
#define MAX_FILTER_NAMES 256

static bool filters_too_long(const json_t *root, char *err, size_t errlen)
{
	const char *keys[] = {ND_KEY_FILTER_CHEFS, ND_KEY_FILTER_KITCHENS};

	for (size_t i = 0; i < 2; i++) {
		if (json_array_size(json_object_get(root, keys[i])) > MAX_FILTER_NAMES) {
			snprintf(err, errlen, "more than %d names in \"%s\"", MAX_FILTER_NAMES,
				 keys[i]);
			return true;
		}
	}
	return false;
}

static int on_hello(struct hub_eater *e, const char *text, size_t len)
{
	struct hub *h = e->p.hub;
	json_error_t jerr;
	char err[160];
	json_t *root;
	int rc;

	root = json_loadb(text, len, 0, &jerr);
	if (!root)
		snprintf(err, sizeof(err), "first message is not JSON: %.100s", jerr.text);
	else if (nd_hello_eater_check(root, err, sizeof(err)) == 0 &&
		 !filters_too_long(root, err, sizeof(err)))
		goto ok;
	json_decref(root);
	h->c.hello_refused++;
	nd_warn("hub", "eater refused: peer=%s:%d: %s", e->p.host, e->p.port, err);
	e->p.close_code = ND_CLOSE_BAD_HELLO;
	e->p.close_reason = "bad eater registration";
	return hub_peer_close_now(&e->p);
ok:
	if (hub_auth_check_name(&e->p, json_string_value(json_object_get(root, ND_KEY_EATER_NAME)),
				"eater")) {
		json_decref(root);
		return hub_peer_close_now(&e->p);
	}
	rc = hub_queue_init(&e->q, h->conf.queue_count, h->conf.queue_bytes);
	if (rc) {
		json_decref(root);
		nd_error("hub", "out of memory: eater at %s:%d closed", e->p.host, e->p.port);
		return -1;
	}
	e->p.info = root;
	e->p.registered = true;
	e->name = json_string_value(json_object_get(root, ND_KEY_EATER_NAME));
	e->chefs = json_object_get(root, ND_KEY_FILTER_CHEFS);
	e->kitchens = json_object_get(root, ND_KEY_FILTER_KITCHENS);
	if (e->chefs && !json_is_array(e->chefs))
		e->chefs = NULL;
	if (e->kitchens && !json_is_array(e->kitchens))
		e->kitchens = NULL;
	h->n_eaters++;
	nd_info("hub", "eater connected: name=%s peer=%s:%d", e->name, e->p.host, e->p.port);
	if (hub_nats_eater_hello(h, e, root))
		return 0; /* fed from a NATS stream (nats_replay.c) */
	for (size_t i = 0; i < h->retained.n; i++) {
		struct hub_msg *m = h->retained.v[i].msg;

		if (wants(e, m, false))
			push(h, e, m, hub_now_ms(h));
	}
	return 0;
}

static int on_receive(struct hub_eater *e, struct lws *wsi, const void *in, size_t len)
{
	struct hub *h = e->p.hub;
	bool final = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
	const char *msg = NULL;
	size_t n = 0;

	if (e->p.registered || e->p.closing)
		return 0; /* eaters have nothing more to say */
	switch (hub_peer_rx(&e->p, in, len, final, h->conf.max_hello_bytes,
			    h->conf.max_hello_bytes, &msg, &n)) {
	case HUB_RX_MORE:
		return 0;
	case HUB_RX_MSG:
		return on_hello(e, msg, n);
	case HUB_RX_NOMEM:
		return -1;
	default:
		break;
	}
	nd_warn("hub", "eater closed: peer=%s:%d: first message larger than %zu bytes",
		e->p.host, e->p.port, h->conf.max_hello_bytes);
	e->p.close_code = LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
	e->p.close_reason = "message too large";
	return hub_peer_close_now(&e->p);
}

static void count_out(struct hub *h, struct hub_eater *e, size_t len)
{
	e->dumplings_out++;
	e->bytes_out += len;
	h->c.dumplings_out++;
	h->c.bytes_out += len;
}

/* One message through lws's framing, without extensions: lws copies
 * whatever the socket does not take at once. */
static int write_one(struct hub *h, struct hub_eater *e, struct lws *wsi)
{
	struct hub_msg *m = hub_queue_pop(&e->q);
	size_t len = m->len;
	int rc = lws_write(wsi, hub_msg_data(m), len, LWS_WRITE_TEXT);

	hub_msg_unref(m);
	if (rc < 0)
		return -1;
	count_out(h, e, len);
	return 0;
}

/* Writes the frame header for len payload bytes (FIN, text, RSV1 clear)
 * into the hdr bytes before p; returns the header length. */
static size_t frame_header(unsigned char *p, size_t len)
{
	size_t hl = len < 126 ? 2 : len < 65536 ? 4 : 10;
	unsigned char *h = p - hl;

	h[0] = 0x81;
	if (hl == 2) {
		h[1] = (unsigned char)len;
	} else if (hl == 4) {
		h[1] = 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
	} else {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	}
	return hl;
}

/* One message on a connection that may have permessage-deflate.
 *
 * lws 4.1.6's deflate keeps reading the caller's buffer after lws_write
 * returns when a message's compressed output does not fit its 1 KiB-ish
 * output buffer ("tx draining"), and on a server it then expects the next
 * lws_write to continue that message: a use-after-free for a shared
 * message, and corruption.  So only messages of at most DEFLATE_MAX bytes,
 * whose output always fits, go through deflate; larger ones are sent as
 * plain uncompressed frames (RSV1 clear), which RFC 7692 allows on a
 * compressed connection.  The header goes into the message's headroom:
 * every eater writes the same bytes there. */
static int write_one_deflate(struct hub *h, struct hub_eater *e, struct lws *wsi)
{
	struct hub_msg *m = hub_queue_pop(&e->q);
	unsigned char *p = hub_msg_data(m);
	size_t len = m->len;
	int rc;

	if (len <= DEFLATE_MAX) {
		rc = lws_write(wsi, p, len, LWS_WRITE_TEXT);
	} else {
		size_t hl = frame_header(p, len);

		rc = lws_write(wsi, p - hl, hl + len, LWS_WRITE_HTTP); /* raw bytes */
	}
	hub_msg_unref(m);
	if (rc < 0)
		return -1;
	count_out(h, e, len);
	return 0;
}

/* Frames as many queued messages as fit into one buffer and hands lws the
 * bytes in one raw write: one send() for many dumplings.  Only used when
 * no extension can be active (permessage-deflate is off), because raw
 * bytes bypass lws's framing.  lws keeps what the socket does not take
 * and sends it before anything else. */
static unsigned char batch[LWS_PRE + HUB_BATCH_BYTES];

static int write_batch(struct hub *h, struct hub_eater *e, struct lws *wsi)
{
	unsigned char *p = batch + LWS_PRE;
	size_t off = 0;
	struct hub_msg *m;

	while ((m = hub_queue_peek(&e->q))) {
		size_t hl = m->len < 126 ? 2 : m->len < 65536 ? 4 : 10;

		if (hl + m->len > HUB_BATCH_BYTES - off)
			break;
		frame_header(p + off + hl, m->len);
		memcpy(p + off + hl, hub_msg_data(m), m->len);
		off += hl + m->len;
		count_out(h, e, m->len);
		hub_msg_unref(hub_queue_pop(&e->q));
	}
	if (!off) /* the head message is larger than the batch */
		return write_one(h, e, wsi);
	return lws_write(wsi, p, off, LWS_WRITE_HTTP) < 0 ? -1 : 0;
}

static int on_writeable(struct hub_eater *e, struct lws *wsi)
{
	struct hub *h = e->p.hub;
	unsigned n = 0;

	e->writable_asked = false;
	if (e->p.closing)
		return hub_peer_close_writeable(&e->p);
	while (e->q.count) {
		if ((h->conf.deflate ? write_one_deflate(h, e, wsi) : write_batch(h, e, wsi)) < 0)
			return -1;
		if (++n >= (h->conf.deflate ? WRITE_ROUNDS_SINGLE : WRITE_ROUNDS_BATCH) ||
		    lws_partial_buffered(wsi))
			break;
		if (h->conf.deflate && lws_send_pipe_choked(wsi))
			break;
	}
	if (hub_queue_low(&e->q)) {
		e->full_since_ms = 0;
		e->exempt = false;
		unpress(h, e);
	}
	if (e->q.count) {
		e->writable_asked = true;
		lws_callback_on_writable(wsi);
	}
	return 0;
}

void hub_eaters_tick(struct hub *h, uint64_t now)
{
	struct hub_list *pos, *tmp;

	hub_list_foreach_safe(pos, tmp, &h->eaters) {
		struct hub_eater *e = hub_container_of(pos, struct hub_eater, p.link);

		if (e->p.closing)
			continue;
		if (!e->p.registered) {
			if (now - e->p.connected_ms >= h->conf.hello_timeout_ms) {
				h->c.hello_refused++;
				nd_warn("hub", "eater closed: peer=%s:%d: no first message within %u ms",
					e->p.host, e->p.port, h->conf.hello_timeout_ms);
				hub_peer_close(&e->p, LWS_CLOSE_STATUS_POLICY_VIOLATION,
					       "no registration");
			}
			continue;
		}
		if (e->pressing && now - e->pressing_since_ms >= h->conf.flow_grace_ms) {
			nd_info("hub", "eater %s at %s:%d is slow: kitchens no longer wait for it",
				e->name, e->p.host, e->p.port);
			e->exempt = true;
			unpress(h, e);
		}
		if (e->full_since_ms && now - e->full_since_ms >= h->conf.too_slow_ms) {
			h->c.eaters_too_slow++;
			nd_warn("hub", "eater closed: name=%s peer=%s:%d: queue full for %u ms (dropped %llu)",
				e->name, e->p.host, e->p.port, h->conf.too_slow_ms,
				(unsigned long long)e->q.dropped);
			hub_peer_close(&e->p, ND_CLOSE_EATER_TOO_SLOW, "dumpling eater too slow");
			drop_queue(h, e);
			/* Gone as far as counts and status are concerned. */
			e->p.registered = false;
			h->n_eaters--;
		}
	}
}

static void on_closed(struct hub_eater *e)
{
	struct hub *h = e->p.hub;

	if (!e->p.established)
		return;
	if (e->p.registered) {
		h->n_eaters--;
		nd_info("hub", "eater disconnected: name=%s peer=%s:%d sent=%llu dropped=%llu",
			e->name, e->p.host, e->p.port, (unsigned long long)e->dumplings_out,
			(unsigned long long)e->q.dropped);
	}
	hub_nats_eater_gone(h, e);
	drop_queue(h, e);
	hub_peer_release(&e->p);
}

int hub_eater_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		       size_t len)
{
	struct hub *h = lws_context_user(lws_get_context(wsi));
	struct hub_eater *e = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: /* auth.c: token and Origin, 401/403 */
		return hub_auth_upgrade(h, wsi, HUB_AUTH_EATER);
	case LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION:
		return hub_tls_client_verify(wsi, user, (int)len);
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		if (!hub_conn_allowed(h, wsi))
			return -1;
		e->p.auth_name = hub_auth_admitted(h, wsi, HUB_AUTH_EATER);
		return e->p.auth_name ? 0 : -1;
	case LWS_CALLBACK_ESTABLISHED:
		return hub_peer_open(&e->p, h, wsi, &h->eaters) ? -1 : 0;
	case LWS_CALLBACK_RECEIVE:
		return on_receive(e, wsi, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return on_writeable(e, wsi);
	case LWS_CALLBACK_CLOSED:
		on_closed(e);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}
