/*
 * uplink.c: the kitchen's WebSocket client to the hub (see uplink.h).
 *
 * States: idle (waiting on the retry timer) -> attempt (lws connecting) ->
 * established (registration sent first, then the queue in order) -> gone
 * (back to idle with a longer delay).  Everything runs on the kitchen's
 * loop.  This file owns the lifecycle, the backoff, the queue and the
 * bounded close; the protocol callback that writes is in uplink_ws.c.
 */
#include "uplink.h"

#include <errno.h>
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "client_auth.h"
#include "log.h"
#include "proto.h"
#include "queue.h"
#include "token.h"
#include "uplink_int.h"

#define COMP "uplink"

static void finish(struct kitchen_uplink *u);

/* The tracked state: a reader told to pause by it is always told to
 * resume, because every change of state goes through update_congestion. */
bool kitchen_uplink_congested(const struct kitchen_uplink *u)
{
	return u->was_congested;
}

/* Recomputes the high/low-water state; fires the drain callback when the
 * congestion has just cleared.  Called on every push above high water,
 * every drain, and every connection state change. */
void kitchen_uplink_update_congestion(struct kitchen_uplink *u)
{
	bool now;

	if (u->q.count > u->high_count || u->q.bytes > u->high_bytes)
		u->above_high = true;
	else if (u->q.count <= u->low_count && u->q.bytes <= u->low_bytes)
		u->above_high = false;
	now = u->above_high && (u->established || u->attempt_live) && !u->closing;
	if (u->was_congested && !now && u->drain)
		u->drain(u, u->drain_arg);
	u->was_congested = now;
}

static void lws_log_to_nd(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	nd_debug("lws", "%.*s", (int)n, line);
}

static void connect_now(struct kitchen_uplink *u)
{
	struct lws_client_connect_info i;

	memset(&i, 0, sizeof(i));
	i.context = u->ctx;
	i.address = u->hub.host;
	i.port = u->hub.port;
	i.path = u->hub.path;
	i.host = u->hostport;
	i.origin = u->hostport;
	i.ietf_version_or_minus_one = -1;
	i.local_protocol_name = "nd-kitchen";
	i.pwsi = &u->wsi;
	i.retry_and_idle_policy = &u->idle_policy;
	if (u->hub.tls) {
		i.ssl_connection = LCCSCF_USE_SSL;
		if (u->insecure)
			i.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_ALLOW_INSECURE |
					    LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
					    LCCSCF_ALLOW_EXPIRED;
	}
	u->attempt_live = true;
	u->established = false;
	u->hello_sent = false;
	kitchen_uplink_update_congestion(u);
	nd_debug(COMP, "connecting to the hub at %s", u->hostport);
	if (!lws_client_connect_via_info(&i) && u->attempt_live) {
		/* Failed before any callback: treat as a refused attempt. */
		u->attempt_live = false;
		u->wsi = NULL;
		kitchen_uplink_update_congestion(u);
		kitchen_uplink_schedule_retry(u);
	}
}

static void on_retry_timer(uv_timer_t *t)
{
	struct kitchen_uplink *u = t->data;

	if (!u->attempt_live && !u->finished)
		connect_now(u);
}

void kitchen_uplink_schedule_retry(struct kitchen_uplink *u)
{
	unsigned delay = u->backoff_ms;
	unsigned jitter;

	if (u->finished)
		return;
	if (u->closing && (u->close_deadline_passed || u->q.count == 0)) {
		finish(u);
		return;
	}
	/* Full jitter on the upper half: delay in [d/2, d]. */
	jitter = delay / 2 ? (unsigned)(random() % (delay / 2 + 1)) : 0;
	delay = delay - delay / 2 + jitter;
	u->backoff_ms = u->backoff_ms * 2 > u->backoff_max_ms ? u->backoff_max_ms
							      : u->backoff_ms * 2;
	nd_debug(COMP, "reconnecting in %u ms", delay);
	uv_timer_start(&u->retry_timer, on_retry_timer, delay, 0);
}

static void on_handle_closed(uv_handle_t *h)
{
	struct kitchen_uplink *u = h->data;

	u->handles_open--;
}

static void on_done_timer(uv_timer_t *t)
{
	struct kitchen_uplink *u = t->data;

	if (u->done)
		u->done(u, u->done_arg);
}

static void finish(struct kitchen_uplink *u)
{
	if (u->finished)
		return;
	u->finished = true;
	uv_timer_stop(&u->retry_timer);
	uv_timer_stop(&u->flush_timer);
	uv_timer_start(&u->done_timer, on_done_timer, 0, 0);
}

static void on_flush_timer(uv_timer_t *t)
{
	struct kitchen_uplink *u = t->data;

	if (u->close_deadline_passed) {
		/* The 4101 close itself did not complete in time. */
		finish(u);
		return;
	}
	u->close_deadline_passed = true;
	if (u->q.count) {
		u->st.dropped_at_exit = kitchen_queue_drop_all(&u->q);
		nd_warn(COMP, "final flush ran out of time: %llu dumplings not delivered",
			(unsigned long long)u->st.dropped_at_exit);
	}
	if (u->established && u->wsi) {
		lws_callback_on_writable(u->wsi);
		uv_timer_start(&u->flush_timer, on_flush_timer, 1000, 0);
		return;
	}
	finish(u);
}

struct kitchen_uplink *kitchen_uplink_new(uv_loop_t *loop, const struct kitchen_uplink_config *cfg)
{
	struct lws_context_creation_info info;
	struct kitchen_uplink *u = calloc(1, sizeof(*u));
	void *loops[1] = { loop };

	if (!u)
		return NULL;
	u->loop = loop;
	u->hub = cfg->hub;
	nd_addr_format(&cfg->hub, u->hostport, sizeof(u->hostport));
	u->hello_len = strlen(cfg->hello);
	u->hello = strdup(cfg->hello);
	u->scratch = malloc(LWS_PRE + u->hello_len + 1);
	u->ca_file = cfg->ca_file ? strdup(cfg->ca_file) : NULL;
	if (!u->hello || !u->scratch || (cfg->ca_file && !u->ca_file))
		goto fail_mem;
	u->insecure = cfg->insecure;
	if (cfg->token && snprintf(u->token, sizeof(u->token), "%s", cfg->token) >= (int)sizeof(u->token))
		goto fail;
	if (u->insecure && u->hub.tls)
		nd_client_auth_warn_insecure(COMP);
	nd_client_auth_warn_cleartext(COMP, u->hub.host, u->hub.tls, u->token[0] != '\0');
	u->backoff_min_ms = cfg->backoff_min_ms ? cfg->backoff_min_ms : 250;
	u->backoff_max_ms = cfg->backoff_max_ms ? cfg->backoff_max_ms : 10000;
	if (u->backoff_max_ms < u->backoff_min_ms)
		u->backoff_max_ms = u->backoff_min_ms;
	u->backoff_ms = u->backoff_min_ms;
	u->flush_timeout_ms = cfg->flush_timeout_ms ? cfg->flush_timeout_ms : 5000;
	kitchen_queue_init(&u->q, cfg->max_count, cfg->max_bytes, LWS_PRE);
	u->high_count = u->q.max_count / 2;
	u->low_count = u->q.max_count / 4;
	u->high_bytes = u->q.max_bytes / 2;
	u->low_bytes = u->q.max_bytes / 4;

	u->dummy_table[0] = 1000;
	u->idle_policy.retry_ms_table = u->dummy_table;
	u->idle_policy.retry_ms_table_count = 1;
	u->idle_policy.conceal_count = 0;
	u->idle_policy.secs_since_valid_ping = 20;
	u->idle_policy.secs_since_valid_hangup = 45;

	lws_set_log_level(nd_log_enabled(ND_LOG_TRACE) ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO | LLL_DEBUG
			  : nd_log_enabled(ND_LOG_DEBUG) ? LLL_ERR | LLL_WARN : 0,
			  lws_log_to_nd);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = kitchen_uplink_protocols;
	info.options = LWS_SERVER_OPTION_LIBUV;
	if (u->hub.tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = loops;
	info.user = u;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.client_ssl_ca_filepath = u->ca_file;
	info.client_ssl_cert_filepath = cfg->cert_file;
	info.client_ssl_private_key_filepath = cfg->key_file;
	u->ctx = lws_create_context(&info);
	if (!u->ctx) {
		nd_error(COMP, "cannot create the WebSocket client context (is the libwebsockets-evlib-uv package installed?)");
		goto fail;
	}
	uv_timer_init(loop, &u->retry_timer);
	uv_timer_init(loop, &u->flush_timer);
	uv_timer_init(loop, &u->done_timer);
	u->retry_timer.data = u->flush_timer.data = u->done_timer.data = u;
	u->handles_open = 3;
	connect_now(u);
	return u;

fail_mem:
	nd_error(COMP, "out of memory");
fail:
	free(u->ca_file);
	free(u->scratch);
	free(u->hello);
	free(u);
	return NULL;
}

void kitchen_uplink_set_drain_cb(struct kitchen_uplink *u, kitchen_uplink_drain_cb cb, void *arg)
{
	u->drain = cb;
	u->drain_arg = arg;
}

int kitchen_uplink_send(struct kitchen_uplink *u, const char *text, size_t len, uint64_t seq)
{
	int rc;

	if (u->closing) {
		u->q.dropped++;
		return -ESHUTDOWN;
	}
	rc = kitchen_queue_push(&u->q, text, len, seq);
	if (rc == 0 && u->established && u->hello_sent && u->q.count == 1)
		lws_callback_on_writable(u->wsi);
	if (u->q.count > u->high_count || u->q.bytes > u->high_bytes)
		kitchen_uplink_update_congestion(u);
	return rc;
}

void kitchen_uplink_get_stats(const struct kitchen_uplink *u, struct kitchen_uplink_stats *st)
{
	*st = u->st;
	st->connected = u->established && u->hello_sent;
	st->dropped = u->q.dropped - u->st.dropped_at_exit;
	st->queued = u->q.count;
	st->queued_bytes = u->q.bytes;
}

void kitchen_uplink_close(struct kitchen_uplink *u, kitchen_uplink_done_cb done, void *arg)
{
	u->closing = true;
	u->done = done;
	u->done_arg = arg;
	kitchen_uplink_update_congestion(u);
	uv_timer_start(&u->flush_timer, on_flush_timer, u->flush_timeout_ms, 0);
	if (u->established && u->wsi) {
		lws_callback_on_writable(u->wsi);
	} else if (!u->attempt_live) {
		if (u->q.count == 0) {
			finish(u);
		} else {
			/* Try at once rather than waiting out the backoff. */
			uv_timer_stop(&u->retry_timer);
			connect_now(u);
		}
	}
}

void kitchen_uplink_stop(struct kitchen_uplink *u)
{
	if (u->stopped)
		return;
	u->stopped = true;
	uv_close((uv_handle_t *)&u->retry_timer, on_handle_closed);
	uv_close((uv_handle_t *)&u->flush_timer, on_handle_closed);
	uv_close((uv_handle_t *)&u->done_timer, on_handle_closed);
	lws_context_destroy(u->ctx);
}

void kitchen_uplink_free(struct kitchen_uplink *u)
{
	if (!u)
		return;
	if (!u->stopped)
		kitchen_uplink_stop(u);
	lws_context_destroy(u->ctx);
	kitchen_queue_drop_all(&u->q);
	free(u->ca_file);
	free(u->scratch);
	free(u->hello);
	free(u);
}
