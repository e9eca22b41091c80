/*
 * eater_int.h: the eater library's internals shared by eater.c (the public
 * API and lifecycle) and eater_conn.c (the connection: libwebsockets
 * callbacks, reconnect, receive, close).  Not installed.
 */
#ifndef ND_EATER_INT_H
#define ND_EATER_INT_H

#include "addr.h"
#include "eater.h"
#include "eater_msg.h"
#include "token.h"

#include <libwebsockets.h>

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
	bool rx_refused; /* discarding an oversize message to its end */
	int close_code;
	enum nd_eater_done pending; /* the result once stopped */
	enum nd_eater_done result;
	struct nd_eater_stats stats;
	char local_error[1100]; /* why we closed, when we did */
	char peer_close[160];  /* the hub's close code and reason */
	char last_error[1400];
};

/* The eater's one libwebsockets protocol (eater_conn.c). */
extern const struct lws_protocols eater_protocols[];

/* Starts a connection attempt (no-op while stopping). */
void eater_connect(struct nd_eater *e);
/* Enters the stopping state with result `why` (the first reason wins),
 * closing with close_code when connected. */
void eater_stop_with(struct nd_eater *e, enum nd_eater_done why, int close_code);
/* Tears the context down (first destroy) and fires on_stopped; a uv timer
 * callback, also called directly by nd_eater_free. */
void eater_finish_cb(uv_timer_t *t);
/* libwebsockets' log lines, as our debug lines. */
void eater_lws_log_emit(int level, const char *line);

#endif
