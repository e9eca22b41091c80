/*
 * auth.h: who may connect to the hub: bearer tokens, browser origins, and
 * the warning about an exposed, unprotected hub.
 *
 * Checks happen before the WebSocket upgrade.  A refused handshake gets an
 * HTTP answer (401 for a missing or unknown token, 403 for a foreign
 * Origin) from LWS_CALLBACK_HTTP_CONFIRM_UPGRADE, and the same checks run
 * again at LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION (which cannot answer,
 * only drop), so that no path reaches ESTABLISHED unchecked.  The name a
 * token admits is kept in the peer and compared with the kitchen_name (or
 * eater_name) of its first message.
 *
 * Tokens come from "Authorization: Bearer <token>", or for browsers, which
 * cannot set that header on a WebSocket, from a "token" URL argument.
 * Origin: a request without one (every non-browser client) passes; one
 * with an Origin passes when it is the hub's own (the Origin's host:port
 * equals the Host header: the dashboard the hub serves) or is in
 * --allowed-origin ("*" admits any).
 */
#ifndef HUB_AUTH_H
#define HUB_AUTH_H

#include <libwebsockets.h>
#include <stdbool.h>

struct hub;
struct hub_peer;

enum hub_auth_port {
	HUB_AUTH_KITCHEN = 0, /* the in-port */
	HUB_AUTH_EATER = 1,   /* the out-port */
};

/* Loads the token files named in h->conf.  Returns 0 or a negative errno
 * after logging the reason (file, line, permissions). */
int hub_auth_init(struct hub *h);
void hub_auth_fini(struct hub *h);

/* LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: returns 0 to let the upgrade go on,
 * or 1 after writing a 401/403 answer (lws then ends the transaction). */
int hub_auth_upgrade(struct hub *h, struct lws *wsi, enum hub_auth_port port);

/* LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: the name the presented token
 * admits ("*" when the port needs no token), or NULL when the handshake
 * must be dropped (counted and logged). */
const char *hub_auth_admitted(struct hub *h, struct lws *wsi, enum hub_auth_port port);

/* HTTP requests on the out-port (/status, /metrics): true when allowed;
 * a refusal is counted and logged, and the caller answers 401. */
bool hub_auth_http_ok(struct hub *h, struct lws *wsi);

/* After a first message names the peer: 0 when its token admits `name`;
 * otherwise logs, counts, sets the peer's close code and reason and
 * returns -EACCES (the caller closes). */
int hub_auth_check_name(struct hub_peer *p, const char *name, const char *what);

/* Refused connections are logged at most a few times a second; the rest
 * are counted and summarised once a second by hub_refusals_tick, so that a
 * flood of connections cannot flood the log.  True when this one may be
 * logged. */
bool hub_refusal_log_ok(struct hub *h);
void hub_refusals_tick(struct hub *h, uint64_t now);

/* Logs the prominent warning for a listening address that is not
 * loopback while TLS or tokens are missing.  Called once per address on
 * every start. */
void hub_auth_warn_exposed(const struct hub *h, const char *addr);

#endif
