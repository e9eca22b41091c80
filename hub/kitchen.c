/*
 * kitchen.c: the in-port protocol, where kitchens send dumplings.
 *
 * A kitchen's first message registers it (a JSON object with a string
 * "kitchen_name"); anything else closes the connection with
 * ND_CLOSE_BAD_HELLO and leaves nothing registered.  Every later message
 * is a dumpling: validated (BASIC, as netdumplings does, or STRICT),
 * copied once into a shared message and handed to every eater; or, when
 * it fails, dropped, counted and logged (rate-limited) with the kitchen's
 * name and the reason, the connection staying up.
 *
 * While any eater that still holds kitchens back is above its high-water
 * mark, every kitchen's receive is paused (lws_rx_flow_control), so a
 * burst cannot overrun healthy eaters; see eater.c for when an eater
 * stops holding them back.
 */
#include "hub.h"

#include "auth.h"
#include "hello.h"
#include "jscan.h"
#include "log.h"
#include "proto.h"
#include "tls.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define INVALID_LOG_PER_SEC 5

void hub_kitchens_flow(struct hub *h, bool enable)
{
	struct hub_list *pos, *tmp;

	if (h->kitchens_paused == !enable)
		return;
	h->kitchens_paused = !enable;
	if (!enable)
		h->c.kitchen_pauses++;
	hub_list_foreach_safe(pos, tmp, &h->kitchens) {
		struct hub_kitchen *k = hub_container_of(pos, struct hub_kitchen, p.link);

		if (!k->p.closing)
			lws_rx_flow_control(k->p.wsi, enable);
	}
}

void hub_kitchens_tick(struct hub *h, uint64_t now)
{
	struct hub_list *pos, *tmp;

	hub_list_foreach_safe(pos, tmp, &h->kitchens) {
		struct hub_kitchen *k = hub_container_of(pos, struct hub_kitchen, p.link);

		if (k->p.registered || k->p.closing ||
		    now - k->p.connected_ms < h->conf.hello_timeout_ms)
			continue;
		h->c.hello_refused++;
		nd_warn("hub", "kitchen closed: peer=%s:%d: no first message within %u ms",
			k->p.host, k->p.port, h->conf.hello_timeout_ms);
		hub_peer_close(&k->p, LWS_CLOSE_STATUS_POLICY_VIOLATION, "no registration");
	}
}

static void log_invalid(struct hub_kitchen *k, const char *why)
{
	uint64_t now = hub_now_ms(k->p.hub);

	if (now - k->log_window_ms >= 1000) {
		if (k->log_suppressed)
			nd_warn("hub", "kitchen %s: %llu more invalid dumplings not logged",
				k->name, (unsigned long long)k->log_suppressed);
		k->log_window_ms = now;
		k->log_count = 0;
		k->log_suppressed = 0;
	}
	if (k->log_count++ < INVALID_LOG_PER_SEC)
		nd_warn("hub", "invalid dumpling dropped: kitchen=%s peer=%s:%d: %s", k->name,
			k->p.host, k->p.port, why);
	else
		k->log_suppressed++;
}

static int on_hello(struct hub_kitchen *k, const char *text, size_t len)
{
	struct hub *h = k->p.hub;
	json_error_t jerr;
	char err[160];
	json_t *root;

	root = json_loadb(text, len, 0, &jerr);
	if (!root)
		snprintf(err, sizeof(err), "first message is not JSON: %.100s", jerr.text);
	else if (nd_hello_kitchen_check(root, err, sizeof(err)) == 0)
		goto ok;
	json_decref(root);
	h->c.hello_refused++;
	nd_warn("hub", "kitchen refused: peer=%s:%d: %s", k->p.host, k->p.port, err);
	k->p.close_code = ND_CLOSE_BAD_HELLO;
	k->p.close_reason = "bad kitchen registration";
	return hub_peer_close_now(&k->p);
ok:
	if (hub_auth_check_name(&k->p, json_string_value(json_object_get(root, ND_KEY_KITCHEN_NAME)),
				"kitchen")) {
		json_decref(root);
		return hub_peer_close_now(&k->p);
	}
	k->p.info = root;
	k->p.registered = true;
	k->name = json_string_value(json_object_get(root, ND_KEY_KITCHEN_NAME));
	k->seq = hub_seqtable_acquire(&h->seqs, k->name);
	h->n_kitchens++;
	nd_info("hub", "kitchen connected: name=%s peer=%s:%d", k->name, k->p.host, k->p.port);
	return 0;
}

/* The slow path for the rare dumpling whose needed fields are escaped:
 * jansson decides, and the names are taken from its decoded strings. */
static struct hub_msg *parse_slow(struct hub_kitchen *k, const char *text, size_t len,
				  const struct nd_dumpling_limits *lim, char *err, size_t errlen)
{
	struct nd_dumpling_view v;
	struct hub_msg *m;
	json_t *root;

	root = nd_dumpling_parse(text, len, lim, k->p.hub->conf.check, &v, err, errlen);
	if (!root)
		return NULL;
	m = hub_msg_new(text, len, v.driver == ND_DRIVER_INTERVAL ? HUB_MSG_INTERVAL : HUB_MSG_PACKET,
			v.chef, v.kitchen ? v.kitchen : k->name);
	if (m && k->seq)
		hub_seqtrack_note(&k->seq->t, v.has_seq, v.seq, v.kitchen_start,
				  v.kitchen_start ? strlen(v.kitchen_start) : 0);
	json_decref(root);
	if (!m)
		snprintf(err, errlen, "out of memory");
	return m;
}

static void on_dumpling(struct hub_kitchen *k, const char *text, size_t len)
{
	struct hub *h = k->p.hub;
	struct nd_dumpling_limits lim = {.max_bytes = h->conf.max_dumpling_bytes};
	struct hub_jscan v;
	struct hub_msg *m = NULL;
	char err[160];
	int rc;

	rc = hub_jscan_dumpling(text, len, &lim, h->conf.check, &v, err, sizeof(err));
	if (rc == 0) {
		m = hub_msg_new_n(text, len,
				  v.driver == ND_DRIVER_INTERVAL ? HUB_MSG_INTERVAL : HUB_MSG_PACKET,
				  v.chef.p, v.chef.n, v.kitchen.p ? v.kitchen.p : k->name,
				  v.kitchen.p ? v.kitchen.n : strlen(k->name));
		if (m && k->seq)
			hub_seqtrack_note(&k->seq->t, v.has_seq, v.seq, v.kitchen_start.p,
					  v.kitchen_start.n);
		if (!m)
			snprintf(err, sizeof(err), "out of memory");
	} else if (rc == -EAGAIN) {
		m = parse_slow(k, text, len, &lim, err, sizeof(err));
	}
	if (!m) {
		k->invalid++;
		h->c.invalid++;
		log_invalid(k, err);
		return;
	}
	k->dumplings_in++;
	k->bytes_in += len;
	h->c.dumplings_in++;
	h->c.bytes_in += len;
	if (m->kind == HUB_MSG_INTERVAL)
		hub_retained_put(&h->retained, m, k);
	hub_fanout(h, m, false);
	hub_nats_publish(h, m); /* no-op without --nats */
	hub_msg_unref(m);
}

/* A whole binary message: refused and counted like an invalid dumpling
 * (or, as a first message, like a bad registration). */
static int on_binary(struct hub_kitchen *k)
{
	struct hub *h = k->p.hub;

	if (!k->p.registered) {
		h->c.hello_refused++;
		nd_warn("hub", "kitchen refused: peer=%s:%d: binary first message", k->p.host,
			k->p.port);
		k->p.close_code = ND_CLOSE_BAD_HELLO;
		k->p.close_reason = "bad kitchen registration";
		return hub_peer_close_now(&k->p);
	}
	k->invalid++;
	h->c.invalid++;
	log_invalid(k, "binary message (dumplings are JSON text)");
	return 0;
}

static int on_receive(struct hub_kitchen *k, struct lws *wsi, const void *in, size_t len)
{
	struct hub *h = k->p.hub;
	bool final = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
	size_t soft = k->p.registered ? h->conf.max_dumpling_bytes : h->conf.max_hello_bytes;
	size_t hard = k->p.registered ? h->conf.max_message_bytes : h->conf.max_hello_bytes;
	const char *msg = NULL;
	size_t n = 0;

	if (k->p.closing)
		return 0;
	switch (hub_peer_rx(&k->p, in, len, final, soft, hard, &msg, &n)) {
	case HUB_RX_MORE:
		return 0;
	case HUB_RX_MSG:
		break;
	case HUB_RX_SKIPPED:
		k->invalid++;
		h->c.invalid++;
		h->c.oversize++;
		{
			char why[96];

			snprintf(why, sizeof(why), "size %zu bytes exceeds the limit of %zu", n, soft);
			log_invalid(k, why);
		}
		return 0;
	case HUB_RX_TOO_BIG:
		nd_warn("hub", "kitchen closed: name=%s peer=%s:%d: message larger than %zu bytes",
			k->name ? k->name : "(unregistered)", k->p.host, k->p.port, hard);
		k->p.close_code = LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
		k->p.close_reason = "message too large";
		return hub_peer_close_now(&k->p);
	case HUB_RX_NOMEM:
		nd_error("hub", "out of memory: kitchen %s closed", k->name ? k->name : "?");
		return -1;
	}
	if (lws_frame_is_binary(wsi)) /* security: hellos and dumplings are JSON text */
		return on_binary(k);
	if (!k->p.registered)
		return on_hello(k, msg, n);
	on_dumpling(k, msg, n);
	return 0;
}

static void on_closed(struct hub_kitchen *k)
{
	struct hub *h = k->p.hub;

	if (!k->p.established)
		return;
	if (k->p.registered) {
		h->n_kitchens--;
		nd_info("hub", "kitchen disconnected: name=%s peer=%s:%d dumplings=%llu invalid=%llu",
			k->name, k->p.host, k->p.port, (unsigned long long)k->dumplings_in,
			(unsigned long long)k->invalid);
		hub_retained_drop_owner(&h->retained, k);
		hub_seqtable_release(&h->seqs, k->seq);
		k->seq = NULL;
	}
	hub_peer_release(&k->p);
}

int hub_kitchen_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			 void *in, size_t len)
{
	struct hub *h = lws_context_user(lws_get_context(wsi));
	struct hub_kitchen *k = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: /* auth.c: token and Origin, 401/403 */
		return hub_auth_upgrade(h, wsi, HUB_AUTH_KITCHEN);
	case LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION:
		return hub_tls_client_verify(wsi, user, (int)len);
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		if (!hub_conn_allowed(h, wsi))
			return -1;
		k->p.auth_name = hub_auth_admitted(h, wsi, HUB_AUTH_KITCHEN);
		return k->p.auth_name ? 0 : -1;
	case LWS_CALLBACK_ESTABLISHED:
		if (hub_peer_open(&k->p, h, wsi, &h->kitchens))
			return -1;
		if (h->kitchens_paused)
			lws_rx_flow_control(wsi, 0);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		return on_receive(k, wsi, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (k->p.closing)
			return hub_peer_close_writeable(&k->p);
		return 0;
	case LWS_CALLBACK_CLOSED:
		on_closed(k);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}
