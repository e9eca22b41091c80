/*
 * eater_conn.c: the eater's connection (see eater.h for the contract).
 *
 * At most one connection at a time; the states are WAITING (a reconnect
 * timer runs) -> CONNECTING -> CONNECTED -> back to WAITING, or to FINISHED
 * once the eater stops.  Stopping sends a close frame when connected, then
 * tears the context down from a uv callback, as libwebsockets needs on a
 * foreign loop.  Message handling (reassembly, validation, filtering)
 * lives in eater_msg.c.
 */
#include "eater_int.h"

#include "client_auth.h"
#include "log.h"
#include "proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eater_lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	nd_debug("eater", "libwebsockets: %.*s", (int)n, line);
}

void eater_finish_cb(uv_timer_t *t)
{
	struct nd_eater *e = t->data;

	if (e->state == ST_FINISHED)
		return;
	e->state = ST_FINISHED;
	e->result = e->pending;
	uv_timer_stop(&e->retry_timer);
	uv_timer_stop(&e->stop_timer);
	uv_close((uv_handle_t *)&e->retry_timer, NULL);
	uv_close((uv_handle_t *)&e->stop_timer, NULL);
	/* First of two destroys: closes lws's handles on the loop. */
	lws_context_destroy(e->ctx);
	nd_debug("eater", "eater stopped: %s", nd_eater_done_name(e->result));
	if (e->cfg.on_stopped)
		e->cfg.on_stopped(e, e->result, e->cfg.user);
}

static void finish_soon(struct nd_eater *e)
{
	if (e->state != ST_FINISHED)
		uv_timer_start(&e->stop_timer, eater_finish_cb, 0, 0);
}

static void close_with_reason(struct nd_eater *e, struct lws *wsi)
{
	const char *why = e->close_code == ND_CLOSE_EATER_FULL ? "dumpling eater is full"
							       : "connection cancelled";

	nd_debug("eater", "closing the connection to %s with %d", e->url, e->close_code);
	lws_close_reason(wsi, (enum lws_close_status)e->close_code, (unsigned char *)why,
			 strlen(why));
}

void eater_stop_with(struct nd_eater *e, enum nd_eater_done why, int close_code)
{
	if (e->stopping || e->state == ST_FINISHED)
		return;
	e->stopping = true;
	e->pending = why;
	e->close_code = close_code;
	uv_timer_stop(&e->retry_timer);
	if (e->state == ST_CONNECTED && e->wsi) {
		/* A close from a WRITEABLE callback would drop the socket without
		 * a close frame in lws 4.1; an asynchronous kill sends the frame
		 * with the reason set here.  Inside RECEIVE, on_receive closes. */
		if (!e->in_receive)
			lws_callback_on_writable(e->wsi);
		uv_timer_start(&e->stop_timer, eater_finish_cb, STOP_GRACE_MS, 0);
	} else {
		finish_soon(e);
	}
}

static void retry_cb(uv_timer_t *t)
{
	eater_connect(t->data);
}

static void schedule_retry(struct nd_eater *e)
{
	uint64_t jitter = uv_hrtime() % (e->backoff_ms / 5 + 1);
	uint64_t delay = e->backoff_ms - e->backoff_ms / 10 + jitter;

	e->state = ST_WAITING;
	nd_debug("eater", "reconnecting to %s in %llu ms", e->url, (unsigned long long)delay);
	uv_timer_start(&e->retry_timer, retry_cb, delay, 0);
	e->backoff_ms = e->backoff_ms * 2 > e->cfg.backoff_max_ms ? e->cfg.backoff_max_ms
								   : e->backoff_ms * 2;
}

/* A connection attempt failed before the WebSocket was established. */
static void attempt_failed(struct nd_eater *e, const char *why)
{
	if (e->state != ST_CONNECTING)
		return;
	e->wsi = NULL;
	e->state = ST_WAITING;
	snprintf(e->last_error, sizeof(e->last_error), "cannot connect to %s: %s", e->url,
		 why && *why ? why : "connection failed");
	nd_debug("eater", "%s", e->last_error);
	if (e->cfg.on_lost)
		e->cfg.on_lost(e, false, e->last_error, e->cfg.user);
	if (e->stopping)
		finish_soon(e);
	else if (e->cfg.no_reconnect)
		eater_stop_with(e, ND_EATER_DONE_REFUSED, 0);
	else
		schedule_retry(e);
}

/* An established connection ended. */
static void connection_ended(struct nd_eater *e)
{
	if (e->state != ST_CONNECTED)
		return;
	e->wsi = NULL;
	e->state = ST_WAITING;
	if (e->local_error[0])
		snprintf(e->last_error, sizeof(e->last_error), "%s", e->local_error);
	else if (e->peer_close[0])
		snprintf(e->last_error, sizeof(e->last_error), "hub closed the connection: %s",
			 e->peer_close);
	else
		snprintf(e->last_error, sizeof(e->last_error), "connection to %s closed", e->url);
	if (e->cfg.on_lost && !e->stopping)
		e->cfg.on_lost(e, true, e->last_error, e->cfg.user);
	if (e->stopping)
		finish_soon(e);
	else if (e->cfg.no_reconnect)
		eater_stop_with(e, e->invalid_close ? ND_EATER_DONE_INVALID : ND_EATER_DONE_LOST, 0);
	else
		schedule_retry(e);
}

void eater_connect(struct nd_eater *e)
{
	struct lws_client_connect_info ci;
	struct lws *wsi;

	if (e->stopping || e->state == ST_FINISHED)
		return;
	memset(&ci, 0, sizeof(ci));
	ci.context = e->ctx;
	ci.address = e->addr.host;
	ci.port = e->addr.port;
	ci.path = e->addr.path;
	ci.host = e->hostport;
	/* No Origin header: this is not a browser page. */
	ci.local_protocol_name = EATER_PROTOCOL;
	ci.retry_and_idle_policy = &e->idle_policy;
	if (e->addr.tls) {
		ci.ssl_connection = LCCSCF_USE_SSL;
		if (e->cfg.tls_insecure)
			ci.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED |
					     LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
					     LCCSCF_ALLOW_INSECURE;
	}
	e->state = ST_CONNECTING;
	e->stats.attempts++;
	e->local_error[0] = '\0';
	e->peer_close[0] = '\0';
	e->invalid_close = false;
	e->close_sent = false;
	e->wsi = NULL;
	wsi = lws_client_connect_via_info(&ci);
	/* A synchronous failure may already have gone through attempt_failed. */
	if (!wsi)
		attempt_failed(e, "connection could not be started");
	else if (e->state == ST_CONNECTING && !e->wsi)
		e->wsi = wsi;
}

static void deliver(struct nd_eater *e)
{
	struct nd_eater_dumpling d = {.text = e->rx.buf, .len = e->rx.len};
	char err[160];
	enum eater_verdict v;

	e->stats.received++;
	v = eater_msg_judge(&e->filter, e->rx.buf, e->rx.len, e->cfg.max_message_bytes, &d.root,
			    &d.view, err, sizeof(err));
	if (v == EATER_INVALID) {
		e->stats.invalid++;
		snprintf(e->local_error, sizeof(e->local_error),
			 "hub at %s sent something that is not a dumpling: %s", e->url, err);
		nd_warn("eater", "%s", e->local_error);
		e->invalid_close = true;
		return;
	}
	if (v == EATER_DELIVER && !e->stopping) {
		e->stats.delivered++;
		e->cfg.on_dumpling(e, &d, e->cfg.user);
		if (e->cfg.dumpling_count && e->stats.delivered >= e->cfg.dumpling_count)
			eater_stop_with(e, ND_EATER_DONE_COUNT, ND_CLOSE_EATER_FULL);
	} else if (v == EATER_SKIP) {
		e->stats.filtered++;
	}
	json_decref(d.root);
}

/* Returns 0 to go on, -1 to close the connection.  Closes only at the end
 * of a message: lws 4.1 writes past its receive buffer when a client
 * callback asks to close in the middle of a frame that spans several
 * reads, so an oversize message is discarded to its end first. */
static int on_receive(struct nd_eater *e, struct lws *wsi, const void *in, size_t len)
{
	int rc;

	if (lws_is_first_fragment(wsi)) {
		eater_rxbuf_reset(&e->rx);
		e->rx_refused = false;
	}
	if (!e->rx_refused) {
		rc = eater_rxbuf_append(&e->rx, in, len);
		if (rc < 0) {
			if (rc == -EMSGSIZE)
				snprintf(e->local_error, sizeof(e->local_error),
					 "hub at %s sent a message larger than %zu bytes", e->url,
					 e->rx.max);
			else
				snprintf(e->local_error, sizeof(e->local_error), "out of memory");
			nd_warn("eater", "%s", e->local_error);
			e->rx_refused = true;
			eater_rxbuf_reset(&e->rx);
		}
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return 0;
	if (e->rx_refused) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
				 (unsigned char *)"message too large", 17);
		return -1;
	}
	e->in_receive = true;
	deliver(e);
	e->in_receive = false;
	eater_rxbuf_reset(&e->rx);
	if (e->invalid_close) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_INVALID_PAYLOAD,
				 (unsigned char *)"not a dumpling", 14);
		return -1;
	}
	if (e->stopping) {
		close_with_reason(e, wsi);
		return -1;
	}
	return 0;
}

/* Sends our close frame from WRITEABLE.  lws 4.1 drops the socket without a
 * close frame when WRITEABLE returns -1, and its public API has no
 * "close now" outside RECEIVE; writing the frame ourselves lets the hub
 * see the code, and lws then completes the closing handshake. */
static int send_close(struct nd_eater *e, struct lws *wsi)
{
	const char *why = e->close_code == ND_CLOSE_EATER_FULL ? "dumpling eater is full"
							       : "connection cancelled";
	unsigned char buf[LWS_PRE + 64];
	size_t n = strlen(why);

	if (e->close_sent)
		return 0;
	e->close_sent = true;
	nd_debug("eater", "closing the connection to %s with %d", e->url, e->close_code);
	buf[LWS_PRE] = (unsigned char)(e->close_code >> 8);
	buf[LWS_PRE + 1] = (unsigned char)(e->close_code & 0xff);
	memcpy(buf + LWS_PRE + 2, why, n);
	if (lws_write(wsi, buf + LWS_PRE, n + 2, (enum lws_write_protocol)ND_LWS_WRITE_CLOSE) < 0)
		return -1;
	return 0;
}

static int on_writeable(struct nd_eater *e, struct lws *wsi)
{
	unsigned char *buf;
	int n;

	if (e->stopping)
		return send_close(e, wsi);
	if (!e->hello_due)
		return 0;
	/* lws_write masks a client's payload in place: use a fresh copy. */
	buf = malloc(LWS_PRE + e->hello_len);
	if (!buf)
		return -1;
	memcpy(buf + LWS_PRE, e->hello, e->hello_len);
	n = lws_write(wsi, buf + LWS_PRE, e->hello_len, LWS_WRITE_TEXT);
	free(buf);
	if (n < (int)e->hello_len) {
		snprintf(e->local_error, sizeof(e->local_error), "cannot send the hello to %s",
			 e->url);
		return -1;
	}
	e->hello_due = false;
	return 0;
}

static void on_peer_close(struct nd_eater *e, const unsigned char *in, size_t len)
{
	unsigned code;

	if (len < 2)
		return;
	code = (unsigned)in[0] << 8 | in[1];
	snprintf(e->peer_close, sizeof(e->peer_close), "%u %.*s", code,
		 (int)(len - 2 > 120 ? 120 : len - 2), (const char *)in + 2);
}

static int eater_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			  void *in, size_t len)
{
	struct nd_eater *e = lws_context_user(lws_get_context(wsi));

	if (!e || e->state == ST_FINISHED)
		return lws_callback_http_dummy(wsi, reason, user, in, len);

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (wsi == e->wsi || e->state == ST_CONNECTING)
			attempt_failed(e, in ? (const char *)in : NULL);
		return 0;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (e->state == ST_CONNECTING)
			attempt_failed(e, "no WebSocket upgrade reply");
		break;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: /* client_auth.h */
		if (nd_client_auth_append(e->token, in, len))
			return -1;
		break;
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		nd_client_auth_verify_log("eater", user, (int)len);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		e->wsi = wsi;
		e->state = ST_CONNECTED;
		e->stats.connects++;
		e->backoff_ms = e->cfg.backoff_min_ms;
		e->hello_due = true;
		eater_rxbuf_reset(&e->rx);
		nd_debug("eater", "connected to %s", e->url);
		lws_callback_on_writable(wsi);
		if (e->cfg.on_connect)
			e->cfg.on_connect(e, e->url, e->cfg.user);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return wsi == e->wsi ? on_writeable(e, wsi) : 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return wsi == e->wsi ? on_receive(e, wsi, in, len) : 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (wsi == e->wsi)
			on_peer_close(e, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (wsi == e->wsi)
			connection_ended(e);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if (wsi == e->wsi) {
			if (e->state == ST_CONNECTING)
				attempt_failed(e, "connection dropped");
			else if (e->state == ST_CONNECTED)
				connection_ended(e);
			e->wsi = NULL;
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

const struct lws_protocols eater_protocols[] = {
	{EATER_PROTOCOL, eater_callback, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};
