/*
 * eater.c: the eater library's connection machinery (see eater.h).
 *
 * One libwebsockets client context per eater, on a libuv loop (its own or
 * the caller's).  At most one connection at a time; the states are
 * WAITING (a reconnect timer runs) -> CONNECTING -> CONNECTED -> back to
 * WAITING, or to FINISHED once the eater stops.  Stopping sends a close
 * frame when connected, then tears the context down from a uv callback, as
 * libwebsockets needs on a foreign loop.  Message handling (reassembly,
 * validation, filtering) lives in eater_msg.c.
 */
#include "eater.h"

#include "addr.h"
#include "client_auth.h"
#include "eater_msg.h"
#include "hello.h"
#include "log.h"
#include "proto.h"
#include "token.h"

#include <errno.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EATER_PROTOCOL "nd-eater"
#define STOP_GRACE_MS 2000
/* lws's internal write type for a close frame (lws-write.h leaves it out). */
#define ND_LWS_WRITE_CLOSE 4

enum eater_state {
	ST_NEW = 0,
	ST_WAITING,
	ST_CONNECTING,
	ST_CONNECTED,
	ST_FINISHED,
};

struct nd_eater {
	struct nd_eater_config cfg; /* strings below are our copies */
	char *hub;
	char *name;
	struct nd_addr addr;
	char hostport[ND_ADDR_HOST_MAX + 16];
	char url[ND_ADDR_HOST_MAX + ND_ADDR_PATH_MAX + 32];
	char *hello; /* encoded hello text */
	size_t hello_len;
	struct eater_filter filter;
	struct eater_rxbuf rx;
	char token[ND_TOKEN_MAX + 1]; /* client_auth.h; "" when none */

	uv_loop_t own_loop;
	uv_loop_t *loop;
	bool own;
	bool started;
	struct lws_context *ctx;
	struct lws *wsi; /* the current connection attempt or connection */
	lws_retry_bo_t idle_policy;
	uv_timer_t retry_timer;
	uv_timer_t stop_timer;
	unsigned backoff_ms;

	enum eater_state state;
	bool stopping;
	bool hello_due;
	bool invalid_close; /* we closed because the hub sent garbage */
	bool in_receive;    /* inside on_dumpling, called from RECEIVE */
	bool close_sent;
	int close_code;
	enum nd_eater_done pending; /* the result once stopped */
	enum nd_eater_done result;
	struct nd_eater_stats stats;
	char local_error[1100]; /* why we closed, when we did */
	char peer_close[160];  /* the hub's close code and reason */
	char last_error[1400];
};

static void eater_connect(struct nd_eater *e);

static void lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	nd_debug("eater", "libwebsockets: %.*s", (int)n, line);
}

static void finish_cb(uv_timer_t *t)
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
		uv_timer_start(&e->stop_timer, finish_cb, 0, 0);
}

static void close_with_reason(struct nd_eater *e, struct lws *wsi)
{
	const char *why = e->close_code == ND_CLOSE_EATER_FULL ? "dumpling eater is full"
							       : "connection cancelled";

	nd_debug("eater", "closing the connection to %s with %d", e->url, e->close_code);
	lws_close_reason(wsi, (enum lws_close_status)e->close_code, (unsigned char *)why,
			 strlen(why));
}

/* Enters the stopping state with result `why` (the first reason wins). */
static void stop_with(struct nd_eater *e, enum nd_eater_done why, int close_code)
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
		uv_timer_start(&e->stop_timer, finish_cb, STOP_GRACE_MS, 0);
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
		stop_with(e, ND_EATER_DONE_REFUSED, 0);
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
		stop_with(e, e->invalid_close ? ND_EATER_DONE_INVALID : ND_EATER_DONE_LOST, 0);
	else
		schedule_retry(e);
}

static void eater_connect(struct nd_eater *e)
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
			stop_with(e, ND_EATER_DONE_COUNT, ND_CLOSE_EATER_FULL);
	} else if (v == EATER_SKIP) {
		e->stats.filtered++;
	}
	json_decref(d.root);
}

/* Returns 0 to go on, -1 to close the connection. */
static int on_receive(struct nd_eater *e, struct lws *wsi, const void *in, size_t len)
{
	int rc;

	if (lws_is_first_fragment(wsi))
		eater_rxbuf_reset(&e->rx);
	rc = eater_rxbuf_append(&e->rx, in, len);
	if (rc == -EMSGSIZE) {
		snprintf(e->local_error, sizeof(e->local_error),
			 "hub at %s sent a message larger than %zu bytes", e->url, e->rx.max);
		nd_warn("eater", "%s", e->local_error);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
				 (unsigned char *)"message too large", 17);
		return -1;
	}
	if (rc < 0) {
		snprintf(e->local_error, sizeof(e->local_error), "out of memory");
		return -1;
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return 0;
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

static const struct lws_protocols eater_protocols[] = {
	{EATER_PROTOCOL, eater_callback, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static int build_hello(struct nd_eater *e)
{
	struct nd_eater_hello h = {
		.eater_name = e->name,
		.chefs = (const char *const *)e->filter.chefs,
		.n_chefs = e->filter.n_chefs,
		.kitchens = (const char *const *)e->filter.kitchens,
		.n_kitchens = e->filter.n_kitchens,
	};
	json_t *o = nd_hello_eater_build(&h);

	if (!o)
		return -ENOMEM;
	e->hello = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!e->hello)
		return -ENOMEM;
	e->hello_len = strlen(e->hello);
	return 0;
}

struct nd_eater *nd_eater_new(uv_loop_t *loop, const struct nd_eater_config *cfg)
{
	struct nd_eater *e;
	const char *why = NULL;
	char hp[ND_ADDR_HOST_MAX + 16];

	if (!cfg || cfg->size < sizeof(*cfg) || !cfg->on_dumpling) {
		nd_error("eater", "eater configuration is incomplete: size or on_dumpling missing");
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->cfg = *cfg;
	e->hub = strdup(cfg->hub ? cfg->hub : ND_DEFAULT_HOST ":11348");
	e->name = strdup(cfg->name ? cfg->name : "nameless_eater");
	if (!e->hub || !e->name)
		goto fail;
	e->cfg.hub = e->hub;
	e->cfg.name = e->name;
	e->cfg.chefs = e->cfg.kitchens = NULL;
	e->cfg.ca_file = NULL; /* only used while creating the context */
	if (nd_addr_parse(e->hub, ND_DEFAULT_OUT_PORT, &e->addr, &why) < 0) {
		nd_error("eater", "eater: bad hub address \"%s\": %s", e->hub,
			 why ? why : "not HOST:PORT or a ws:// URL");
		goto fail;
	}
	if (cfg->token_file &&
	    nd_client_auth_load("eater", cfg->token_file, e->token, sizeof(e->token)))
		goto fail;
	e->cfg.token_file = NULL;
	if (cfg->tls_insecure && e->addr.tls)
		nd_client_auth_warn_insecure("eater");
	nd_client_auth_warn_cleartext("eater", e->addr.host, e->addr.tls, e->token[0] != '\0');
	nd_addr_format(&e->addr, hp, sizeof(hp));
	snprintf(e->hostport, sizeof(e->hostport), "%s", hp);
	snprintf(e->url, sizeof(e->url), "%s://%s%s", e->addr.tls ? "wss" : "ws", hp,
		 e->addr.path);
	if (eater_filter_init(&e->filter, cfg->chefs, cfg->n_chefs, cfg->kitchens, cfg->n_kitchens,
			      cfg->drivers) < 0 ||
	    build_hello(e) < 0)
		goto fail;
	if (!e->cfg.backoff_min_ms)
		e->cfg.backoff_min_ms = 250;
	if (!e->cfg.backoff_max_ms)
		e->cfg.backoff_max_ms = 5000;
	if (e->cfg.backoff_max_ms < e->cfg.backoff_min_ms)
		e->cfg.backoff_max_ms = e->cfg.backoff_min_ms;
	if (!e->cfg.max_message_bytes)
		e->cfg.max_message_bytes = 4u * 1024 * 1024;
	e->rx.max = e->cfg.max_message_bytes;
	e->idle_policy.secs_since_valid_ping = (uint16_t)(cfg->idle_ping_s ? cfg->idle_ping_s : 20);
	e->idle_policy.secs_since_valid_hangup =
		(uint16_t)(cfg->idle_hangup_s ? cfg->idle_hangup_s : 30);
	e->backoff_ms = e->cfg.backoff_min_ms;
	if (loop) {
		e->loop = loop;
	} else {
		if (uv_loop_init(&e->own_loop) < 0)
			goto fail;
		e->loop = &e->own_loop;
		e->own = true;
	}
	/* The CA path is needed at context creation, in nd_eater_start. */
	if (cfg->ca_file && !(e->cfg.ca_file = strdup(cfg->ca_file)))
		goto fail_loop;
	return e;

fail_loop:
	if (e->own)
		uv_loop_close(&e->own_loop);
fail:
	eater_filter_free(&e->filter);
	free(e->hello);
	free(e->hub);
	free(e->name);
	free(e);
	return NULL;
}

int nd_eater_start(struct nd_eater *e)
{
	struct lws_context_creation_info info;
	void *foreign[1];

	if (e->started)
		return -EALREADY;
	memset(&info, 0, sizeof(info));
	foreign[0] = e->loop;
	info.options = LWS_SERVER_OPTION_LIBUV;
	if (e->addr.tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = foreign;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = eater_protocols;
	info.user = e;
	info.gid = -1;
	info.uid = -1;
	info.client_ssl_ca_filepath = e->cfg.ca_file;
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_emit);
	e->ctx = lws_create_context(&info);
	if (!e->ctx) {
		nd_error("eater", "eater: cannot create the WebSocket client context");
		return -EIO;
	}
	uv_timer_init(e->loop, &e->retry_timer);
	uv_timer_init(e->loop, &e->stop_timer);
	e->retry_timer.data = e->stop_timer.data = e;
	e->started = true;
	eater_connect(e);
	return 0;
}

int nd_eater_run(struct nd_eater *e)
{
	if (!e->own)
		return -EINVAL;
	uv_run(e->loop, UV_RUN_DEFAULT);
	return 0;
}

void nd_eater_stop(struct nd_eater *e, int close_code)
{
	if (!e->started) {
		e->result = e->pending = ND_EATER_DONE_STOPPED;
		return;
	}
	stop_with(e, ND_EATER_DONE_STOPPED, close_code ? close_code : ND_CLOSE_CANCELLED);
}

enum nd_eater_done nd_eater_result(const struct nd_eater *e)
{
	return e->result;
}

const char *nd_eater_last_error(const struct nd_eater *e)
{
	return e->last_error;
}

uv_loop_t *nd_eater_loop(struct nd_eater *e)
{
	return e->loop;
}

const char *nd_eater_url(const struct nd_eater *e)
{
	return e->url;
}

void nd_eater_get_stats(const struct nd_eater *e, struct nd_eater_stats *out)
{
	*out = e->stats;
}

void nd_eater_free(struct nd_eater *e)
{
	if (!e)
		return;
	if (e->started) {
		if (e->state != ST_FINISHED) {
			/* Freed while running: tear down now and let the loop settle. */
			e->pending = ND_EATER_DONE_STOPPED;
			e->cfg.on_stopped = NULL;
			finish_cb(&e->stop_timer);
			uv_run(e->loop, e->own ? UV_RUN_DEFAULT : UV_RUN_NOWAIT);
		}
		/* Second destroy, after lws's close callbacks have run. */
		lws_context_destroy(e->ctx);
		uv_run(e->loop, UV_RUN_NOWAIT);
	}
	if (e->own && uv_loop_close(e->loop) != 0)
		nd_warn("eater", "eater: event loop still had open handles at exit");
	eater_filter_free(&e->filter);
	eater_rxbuf_free(&e->rx);
	free(e->hello);
	free(e->hub);
	free(e->name);
	free((char *)e->cfg.ca_file);
	free(e);
}

const char *nd_eater_done_name(enum nd_eater_done why)
{
	switch (why) {
	case ND_EATER_RUNNING: return "running";
	case ND_EATER_DONE_COUNT: return "dumpling count reached";
	case ND_EATER_DONE_STOPPED: return "stopped";
	case ND_EATER_DONE_REFUSED: return "could not connect";
	case ND_EATER_DONE_LOST: return "connection lost";
	case ND_EATER_DONE_INVALID: return "hub sent invalid data";
	}
	return "unknown";
}
