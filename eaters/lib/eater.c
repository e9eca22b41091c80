/*
 * eater.c: the eater library's public API and lifecycle (see eater.h):
 * configuration, the libwebsockets context on the chosen loop, stop, and
 * the two-step teardown.  The connection itself is in eater_conn.c.
 */
#include "eater_int.h"

#include "client_auth.h"
#include "fileperm.h"
#include "hello.h"
#include "log.h"
#include "proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	e->cfg.cert_file = e->cfg.key_file = NULL; /* likewise */
	if (nd_addr_parse(e->hub, ND_DEFAULT_OUT_PORT, &e->addr, &why) < 0) {
		nd_error("eater", "eater: bad hub address \"%s\": %s", e->hub,
			 why ? why : "not HOST:PORT or a ws:// URL");
		goto fail;
	}
	if (cfg->token_file &&
	    nd_client_auth_load("eater", cfg->token_file, e->token, sizeof(e->token)))
		goto fail;
	e->cfg.token_file = NULL;
	if (cfg->key_file) {
		char kerr[256];

		if (nd_fileperm_check(cfg->key_file, ND_FILEPERM_SECRET, kerr, sizeof(kerr))) {
			nd_error("eater", "cannot use the client key: %s", kerr);
			goto fail;
		}
	}
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
	if ((cfg->cert_file && !(e->cfg.cert_file = strdup(cfg->cert_file))) ||
	    (cfg->key_file && !(e->cfg.key_file = strdup(cfg->key_file))))
		goto fail_loop;
	return e;

fail_loop:
	if (e->own)
		uv_loop_close(&e->own_loop);
fail:
	free((char *)e->cfg.ca_file);
	free((char *)e->cfg.cert_file);
	free((char *)e->cfg.key_file);
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
	info.client_ssl_cert_filepath = e->cfg.cert_file;
	info.client_ssl_private_key_filepath = e->cfg.key_file;
	lws_set_log_level(LLL_ERR | LLL_WARN, eater_lws_log_emit);
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
	eater_stop_with(e, ND_EATER_DONE_STOPPED, close_code ? close_code : ND_CLOSE_CANCELLED);
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
			eater_finish_cb(&e->stop_timer);
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
	free((char *)e->cfg.cert_file);
	free((char *)e->cfg.key_file);
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
