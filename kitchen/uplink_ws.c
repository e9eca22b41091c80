/*
 * uplink_ws.c: the hub connection's libwebsockets callback (see uplink.h).
 *
 * On establishment the registration is written first; then, from each
 * WRITEABLE callback, queued dumplings in order, several per callback while
 * the socket is not choked.  lws masks client payloads in place, so each
 * queued entry is written once and freed; the registration is copied into
 * a scratch buffer on each connection.  Closing sends the 4101 close frame
 * once the queue is empty.  Every way a connection or attempt can end goes
 * through on_gone exactly once.
 */
#include <stdlib.h>
#include <string.h>

#include "client_auth.h"
#include "log.h"
#include "proto.h"
#include "uplink_int.h"

#define COMP "uplink"
#define WRITES_PER_CALLBACK 256
/* lws_write's close-frame opcode: public in lws 3.x, private in 4.1 (where
 * lws_write-private.h still maps 4 to a close frame). */
#define LWS_WRITE_CLOSE_FRAME ((enum lws_write_protocol)4)

/* The attempt or connection ended (refused, failed upgrade, closed). */
static void on_gone(struct kitchen_uplink *u, const char *why)
{
	if (!u->attempt_live)
		return;
	if (u->established && u->close_sent) {
		nd_info(COMP, "closed the connection to the hub at %s; %llu dumplings sent on it",
			u->hostport, (unsigned long long)u->sent_this_conn);
	} else if (u->established) {
		u->st.disconnects++;
		nd_warn(COMP,
			"lost the connection to the hub at %s: %s; %llu dumplings sent on it, the last with seq %llu; %zu queued",
			u->hostport, why, (unsigned long long)u->sent_this_conn,
			(unsigned long long)u->st.last_sent_seq, u->q.count);
	} else if (u->st.connects == 0 && u->backoff_ms == u->backoff_min_ms) {
		nd_warn(COMP, "cannot reach the hub at %s: %s; will keep trying", u->hostport, why);
	} else {
		nd_debug(COMP, "cannot reach the hub at %s: %s", u->hostport, why);
	}
	u->attempt_live = false;
	u->established = false;
	u->wsi = NULL;
	kitchen_uplink_update_congestion(u);
	kitchen_uplink_schedule_retry(u);
}

static int write_some(struct kitchen_uplink *u, struct lws *wsi)
{
	int n = 0;

	if (!u->hello_sent) {
		memcpy(u->scratch + LWS_PRE, u->hello, u->hello_len);
		if (lws_write(wsi, u->scratch + LWS_PRE, u->hello_len, LWS_WRITE_TEXT) < 0)
			return -1;
		u->hello_sent = true;
		u->st.connects++;
		nd_info(COMP, "registered with the hub at %s; %zu dumplings queued", u->hostport,
			u->q.count);
	}
	while (n < WRITES_PER_CALLBACK && u->q.count && !lws_send_pipe_choked(wsi)) {
		struct kitchen_qentry *e = kitchen_queue_pop(&u->q);
		int rc = lws_write(wsi, kitchen_qentry_payload(&u->q, e), e->len, LWS_WRITE_TEXT);

		if (rc < 0) {
			/* The payload may already be masked: it cannot be retried. */
			u->q.dropped++;
			u->q.dropped_bytes += e->len;
			free(e);
			return -1;
		}
		u->st.sent++;
		u->sent_this_conn++;
		u->st.last_sent_seq = e->seq;
		free(e);
		n++;
	}
	kitchen_uplink_update_congestion(u);
	if (u->q.count || u->closing)
		lws_callback_on_writable(wsi);
	return 0;
}

/* Sends the close frame (4101) ourselves and waits for the hub's reply.
 * (Returning -1 after lws_close_reason kills the connection without the
 * close frame in libwebsockets 4.1 on libuv.) */
static int send_close(struct kitchen_uplink *u, struct lws *wsi)
{
	static const char reason_text[] = "connection cancelled";
	unsigned char buf[LWS_PRE + 2 + sizeof(reason_text)];
	unsigned char *p = buf + LWS_PRE;

	if (u->close_sent)
		return 0;
	u->close_sent = true;
	p[0] = (unsigned char)(ND_CLOSE_CANCELLED >> 8);
	p[1] = (unsigned char)(ND_CLOSE_CANCELLED & 0xff);
	memcpy(p + 2, reason_text, sizeof(reason_text) - 1);
	if (lws_write(wsi, p, 2 + sizeof(reason_text) - 1, LWS_WRITE_CLOSE_FRAME) < 0)
		return -1;
	/* The hub answers with its own close; do not wait for ever. */
	lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, 2);
	return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct kitchen_uplink *u = lws_context_user(lws_get_context(wsi));

	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		u->established = true;
		kitchen_uplink_update_congestion(u);
		u->sent_this_conn = 0;
		u->backoff_ms = u->backoff_min_ms;
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (u->closing && u->hello_sent && u->q.count == 0)
			return send_close(u, wsi);
		return write_some(u, wsi);
	case LWS_CALLBACK_CLIENT_RECEIVE:
		break; /* the hub says nothing to kitchens */
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2 && !u->close_sent) {
			const unsigned char *p = in;

			nd_warn(COMP, "the hub closed the connection: code %u: %.*s",
				(unsigned)(p[0] << 8 | p[1]), (int)(len - 2), (const char *)in + 2);
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		on_gone(u, in ? (const char *)in : "connection error");
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		on_gone(u, "no WebSocket upgrade");
		break;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: /* client_auth.h */
		if (nd_client_auth_append(u->token, in, len))
			return -1;
		break;
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		nd_client_auth_verify_log(COMP, user, (int)len);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		on_gone(u, "closed");
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

const struct lws_protocols kitchen_uplink_protocols[] = {
	{ "nd-kitchen", callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};
