/*
 * peer.c: what the hub's kitchens and eaters have in common.
 *
 * - The peer's numeric address and port (for logs and status).
 * - Reassembly of messages that lws hands over in pieces, with two
 *   ceilings: past the soft one a message is discarded as it streams in
 *   (the caller counts it and the connection stays up); past the hard one
 *   the connection is closed with 1009.  Memory per peer never exceeds
 *   the soft ceiling.
 * - Connection limits: a total, and a per-address count kept in a small
 *   table (hub_addrtab) of at most max_conns addresses.
 * - Closing with a code from inside or outside the peer's callbacks.
 */
#include "hub.h"

#include "auth.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct hub_addr_count {
	char host[64];
	unsigned n;
};

struct hub_addrtab {
	struct hub_addr_count *v;
	size_t n, max;
};

struct hub_addrtab *hub_addrtab_new(size_t max)
{
	struct hub_addrtab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->v = calloc(max ? max : 1, sizeof(*t->v));
	if (!t->v) {
		free(t);
		return NULL;
	}
	t->max = max ? max : 1;
	return t;
}

void hub_addrtab_free(struct hub_addrtab *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

static struct hub_addr_count *addr_find(struct hub_addrtab *t, const char *host, bool create)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].host, host) == 0)
			return &t->v[i];
	if (!create || t->n >= t->max)
		return NULL;
	snprintf(t->v[t->n].host, sizeof(t->v[t->n].host), "%s", host);
	t->v[t->n].n = 0;
	return &t->v[t->n++];
}

static void addr_put(struct hub_addrtab *t, const char *host)
{
	struct hub_addr_count *a = addr_find(t, host, false);

	if (!a || !a->n)
		return;
	if (--a->n == 0)
		*a = t->v[--t->n]; /* order does not matter */
}

static void peer_address(struct lws *wsi, char *host, size_t hostlen, int *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = lws_get_socket_fd(wsi);

	snprintf(host, hostlen, "?");
	*port = 0;
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, (socklen_t)hostlen);
		*port = ntohs(sin->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, (socklen_t)hostlen);
		*port = ntohs(sin6->sin6_port);
	}
}

bool hub_conn_allowed(struct hub *h, struct lws *wsi)
{
	struct hub_addr_count *a;
	char host[64];
	int port;

	if (h->stopping)
		return false;
	peer_address(wsi, host, sizeof(host), &port);
	if (h->n_conns >= h->conf.max_conns) {
		h->c.conns_refused++;
		if (hub_refusal_log_ok(h)) /* auth.c: rate-limited */
			nd_warn("hub", "connection refused: peer=%s:%d: already %u connections (limit)",
				host, port, h->n_conns);
		return false;
	}
	a = addr_find(h->addrs, host, false);
	if (a && a->n >= h->conf.max_per_addr) {
		h->c.conns_refused++;
		if (hub_refusal_log_ok(h)) /* auth.c: rate-limited */
			nd_warn("hub", "connection refused: peer=%s:%d: already %u connections from this address (limit)",
				host, port, a->n);
		return false;
	}
	return true;
}

int hub_peer_open(struct hub_peer *p, struct hub *h, struct lws *wsi, struct hub_list *list)
{
	struct hub_addr_count *a;

	p->hub = h;
	p->wsi = wsi;
	peer_address(wsi, p->host, sizeof(p->host), &p->port);
	p->connected_ms = hub_now_ms(h);
	a = addr_find(h->addrs, p->host, true);
	if (!a)
		return -ENOSPC;
	a->n++;
	p->established = true;
	h->n_conns++;
	hub_list_add_tail(list, &p->link);
	return 0;
}

void hub_peer_release(struct hub_peer *p)
{
	if (!p->established)
		return;
	p->established = false;
	hub_list_del(&p->link);
	p->hub->n_conns--;
	addr_put(p->hub->addrs, p->host);
	json_decref(p->info);
	p->info = NULL;
	hub_peer_rx_reset(p);
}

void hub_peer_rx_reset(struct hub_peer *p)
{
	free(p->rx);
	p->rx = NULL;
	p->rx_len = p->rx_cap = 0;
	p->rx_skip = 0;
	p->rx_skipping = false;
}

enum hub_rx hub_peer_rx(struct hub_peer *p, const void *in, size_t len, bool final,
			size_t soft_max, size_t hard_max, const char **msg, size_t *msg_len)
{
	size_t have = p->rx_skipping ? p->rx_skip : p->rx_len;

	if (len > hard_max - have || have > hard_max) {
		hub_peer_rx_reset(p);
		return HUB_RX_TOO_BIG;
	}
	/* Fast path: a whole message in one piece, used in place. */
	if (final && !p->rx_len && !p->rx_skipping && len <= soft_max) {
		*msg = in;
		*msg_len = len;
		return HUB_RX_MSG;
	}
	if (!p->rx_skipping && len > soft_max - p->rx_len) {
		p->rx_skipping = true;
		p->rx_skip = p->rx_len;
		p->rx_len = 0;
	}
	if (p->rx_skipping) {
		p->rx_skip += len;
		if (!final)
			return HUB_RX_MORE;
		*msg_len = p->rx_skip;
		p->rx_skip = 0;
		p->rx_skipping = false;
		return HUB_RX_SKIPPED;
	}
	if (p->rx_len + len > p->rx_cap) {
		size_t cap = p->rx_cap ? p->rx_cap : 4096;
		char *n;

		while (cap < p->rx_len + len)
			cap *= 2;
		if (cap > soft_max)
			cap = soft_max;
		n = realloc(p->rx, cap);
		if (!n)
			return HUB_RX_NOMEM;
		p->rx = n;
		p->rx_cap = cap;
	}
	memcpy(p->rx + p->rx_len, in, len);
	p->rx_len += len;
	if (!final)
		return HUB_RX_MORE;
	*msg = p->rx;
	*msg_len = p->rx_len;
	p->rx_len = 0; /* the buffer stays for the next message */
	return HUB_RX_MSG;
}

void hub_peer_close(struct hub_peer *p, int code, const char *reason)
{
	if (p->closing)
		return;
	p->closing = true;
	p->close_code = code;
	p->close_reason = reason;
	lws_callback_on_writable(p->wsi);
	/* A peer that never reads never becomes writable: kill it soon.  The
	 * cancel makes lws re-arm its timer on our loop now. */
	lws_set_timeout(p->wsi, PENDING_TIMEOUT_USER_OK, 2);
	lws_cancel_service(lws_get_context(p->wsi));
}

int hub_peer_close_now(struct hub_peer *p)
{
	const char *r = p->close_reason ? p->close_reason : "";

	lws_close_reason(p->wsi, (enum lws_close_status)p->close_code,
			 (unsigned char *)(uintptr_t)r, strlen(r));
	return -1;
}

int hub_peer_close_writeable(struct hub_peer *p)
{
	unsigned char buf[LWS_PRE + 125];
	const char *r = p->close_reason ? p->close_reason : "";
	size_t n = strlen(r);

	/* Returning -1 from WRITEABLE does not send lws_close_reason's frame
	 * in lws 4.1, so the close frame is written here. */
	if (n > sizeof(buf) - LWS_PRE - 2)
		n = sizeof(buf) - LWS_PRE - 2;
	buf[LWS_PRE] = (unsigned char)(p->close_code >> 8);
	buf[LWS_PRE + 1] = (unsigned char)(p->close_code & 0xff);
	memcpy(buf + LWS_PRE + 2, r, n);
	lws_write(p->wsi, buf + LWS_PRE, n + 2, (enum lws_write_protocol)4 /* LWS_WRITE_CLOSE */);
	return -1;
}
