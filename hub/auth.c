/*
 * auth.c: token and Origin checks before the WebSocket upgrade, the name
 * check after the first message, and the exposure warning.  See auth.h.
 *
 * Every refusal is counted (hub counters auth_refused, origin_refused) and
 * logged with the peer's address; the presented token itself is never
 * logged.
 */
#include "auth.h"

#include "hub.h"
#include "log.h"
#include "token.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define HDR_MAX 1024
#define REFUSALS_LOGGED_PER_SEC 10

/* The refusal log limiter: one hub per process, on one thread. */
static uint64_t refusal_window_ms;
static unsigned refusals_logged;
static uint64_t refusals_unlogged;

bool hub_refusal_log_ok(struct hub *h)
{
	hub_refusals_tick(h, hub_now_ms(h));
	if (refusals_logged < REFUSALS_LOGGED_PER_SEC) {
		refusals_logged++;
		return true;
	}
	refusals_unlogged++;
	return false;
}

void hub_refusals_tick(struct hub *h, uint64_t now)
{
	(void)h;
	if (now - refusal_window_ms < 1000)
		return;
	if (refusals_unlogged)
		nd_warn("hub", "%llu more refused connections not logged (see the refusal counters in /metrics)",
			(unsigned long long)refusals_unlogged);
	refusal_window_ms = now;
	refusals_logged = 0;
	refusals_unlogged = 0;
}

int hub_auth_init(struct hub *h)
{
	char err[256];

	if (h->conf.kitchen_tokens) {
		h->kitchen_tokens = nd_tokens_load(h->conf.kitchen_tokens, err, sizeof(err));
		if (!h->kitchen_tokens) {
			nd_error("hub", "cannot use --kitchen-tokens: %s", err);
			return -EINVAL;
		}
		nd_info("hub", "kitchens need a token: %zu tokens loaded from %s",
			nd_tokens_count(h->kitchen_tokens), h->conf.kitchen_tokens);
	}
	if (h->conf.eater_tokens) {
		h->eater_tokens = nd_tokens_load(h->conf.eater_tokens, err, sizeof(err));
		if (!h->eater_tokens) {
			nd_error("hub", "cannot use --eater-tokens: %s", err);
			return -EINVAL;
		}
		nd_info("hub", "eaters need a token: %zu tokens loaded from %s",
			nd_tokens_count(h->eater_tokens), h->conf.eater_tokens);
	}
	return 0;
}

void hub_auth_fini(struct hub *h)
{
	nd_tokens_free(h->kitchen_tokens);
	nd_tokens_free(h->eater_tokens);
	h->kitchen_tokens = h->eater_tokens = NULL;
}

static const struct nd_tokens *tokens_for(const struct hub *h, enum hub_auth_port port)
{
	return port == HUB_AUTH_KITCHEN ? h->kitchen_tokens : h->eater_tokens;
}

static const char *port_name(enum hub_auth_port port)
{
	return port == HUB_AUTH_KITCHEN ? "kitchen" : "eater";
}

static void peer_host(struct lws *wsi, char *host, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = lws_get_socket_fd(wsi);

	snprintf(host, len, "?");
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, (socklen_t)len);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, (socklen_t)len);
}

/* The presented token: the Authorization header, else the "token" URL
 * argument.  buf holds the copy; returns false when there is none. */
static bool presented(struct lws *wsi, char *buf, size_t buflen, const char **tok, size_t *len)
{
	const char *v;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) > 0) {
		if (lws_hdr_copy(wsi, buf, (int)buflen, WSI_TOKEN_HTTP_AUTHORIZATION) <= 0)
			return false;
		return nd_token_from_header(buf, tok, len) == 0;
	}
	v = lws_get_urlarg_by_name(wsi, "token=", buf, (int)buflen);
	if (!v || !*v)
		return false;
	*tok = v;
	*len = strlen(v);
	return true;
}

/* NULL: refused (why says so); otherwise the name the token admits. */
static const char *token_check(const struct hub *h, struct lws *wsi, enum hub_auth_port port,
			       const char **why)
{
	const struct nd_tokens *t = tokens_for(h, port);
	char buf[HDR_MAX];
	const char *tok, *name;
	size_t len;

	if (!t)
		return "*";
	if (!presented(wsi, buf, sizeof(buf), &tok, &len)) {
		*why = "no bearer token";
		return NULL;
	}
	name = nd_tokens_check(t, tok, len);
	if (!name)
		*why = "unknown token";
	return name;
}

/* "scheme://authority[/...]" or a bare authority: the authority. */
static void origin_authority(const char *origin, const char **a, size_t *n)
{
	const char *s = strstr(origin, "://"), *e;

	*a = s ? s + 3 : origin;
	e = strchr(*a, '/');
	*n = e ? (size_t)(e - *a) : strlen(*a);
}

/* True when host ("name[:port]" or "[v6]:port") is "localhost" or an IP
 * literal: a name no DNS answer can point elsewhere. */
static bool host_is_literal(const char *host)
{
	char name[256];
	const char *end;
	struct in6_addr a6;
	struct in_addr a4;
	size_t n;

	if (host[0] == '[') {
		end = strchr(host, ']');
		if (!end || (size_t)(end - host - 1) >= sizeof(name))
			return false;
		memcpy(name, host + 1, (size_t)(end - host - 1));
		name[end - host - 1] = '\0';
		return inet_pton(AF_INET6, name, &a6) == 1;
	}
	end = strchr(host, ':');
	n = end ? (size_t)(end - host) : strlen(host);
	if (n >= sizeof(name))
		return false;
	memcpy(name, host, n);
	name[n] = '\0';
	return strcasecmp(name, "localhost") == 0 || inet_pton(AF_INET, name, &a4) == 1;
}

/* A browser connection (one with an Origin) is allowed from the listed
 * origins, and from the hub's own pages: the Origin's host:port equals
 * the Host header.  That alone would let a DNS-rebinding page (a name of
 * the attacker's that now points at the hub) in, so the implicit rule
 * holds only for hosts named by IP address or "localhost", or where the
 * port needs a token anyway; other names must be listed. */
static bool origin_ok(const struct hub *h, struct lws *wsi, enum hub_auth_port port,
		      char *origin, size_t olen)
{
	char host[256];
	const char *a;
	size_t n;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN) <= 0)
		return true; /* not a browser */
	if (lws_hdr_copy(wsi, origin, (int)olen, WSI_TOKEN_ORIGIN) <= 0)
		return false;
	for (size_t i = 0; i < h->conf.n_origins; i++)
		if (strcmp(h->conf.origins[i], "*") == 0 ||
		    strcasecmp(h->conf.origins[i], origin) == 0)
			return true;
	if (lws_hdr_copy(wsi, host, sizeof(host), WSI_TOKEN_HOST) <= 0)
		return false;
	origin_authority(origin, &a, &n);
	if (!n || strlen(host) != n || strncasecmp(host, a, n) != 0)
		return false;
	return host_is_literal(host) || tokens_for(h, port) != NULL;
}

/* Writes a complete small HTTP answer in one write; returns 1. */
static int answer(struct lws *wsi, unsigned code, const char *text)
{
	unsigned char buf[LWS_PRE + 768], *start = buf + LWS_PRE, *p = start,
					  *end = buf + sizeof(buf) - 1;
	size_t n = strlen(text);
	char slen[24];
	int sl = snprintf(slen, sizeof(slen), "%zu", n);

	/* The status line by hand: lws would say HTTP/1.0 here (the request's
	 * version is recorded only for plain HTTP requests), and WebSocket
	 * clients insist on HTTP/1.1. */
	p += snprintf((char *)p, (size_t)(end - p), "HTTP/1.1 %u %s\r\n", code,
		      code == HTTP_STATUS_FORBIDDEN ? "Forbidden" : "Unauthorized");
	if ((code == HTTP_STATUS_UNAUTHORIZED &&
	     lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_WWW_AUTHENTICATE,
					  (const unsigned char *)"Bearer realm=\"nd-hub\"", 21,
					  &p, end)) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
					 (const unsigned char *)"text/plain", 10, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
					 (const unsigned char *)slen, sl, &p, end) ||
	    lws_finalize_http_header(wsi, &p, end) || (size_t)(end - p) < n)
		return 1;
	memcpy(p, text, n);
	p += n;
	lws_write(wsi, start, (size_t)(p - start), LWS_WRITE_HTTP_HEADERS);
	return 1;
}

/* Both checks; on refusal counts, logs and returns the HTTP status. */
static unsigned check(struct hub *h, struct lws *wsi, enum hub_auth_port port,
		      const char **admitted)
{
	char origin[256], host[64];
	const char *why = NULL;

	if (!origin_ok(h, wsi, port, origin, sizeof(origin))) {
		h->c.origin_refused++;
		peer_host(wsi, host, sizeof(host));
		if (hub_refusal_log_ok(h))
			nd_warn("hub", "%s refused: peer=%s: Origin %.200s is not allowed (see --allowed-origin)",
				port_name(port), host, origin);
		return HTTP_STATUS_FORBIDDEN;
	}
	*admitted = token_check(h, wsi, port, &why);
	if (!*admitted) {
		h->c.auth_refused++;
		peer_host(wsi, host, sizeof(host));
		if (hub_refusal_log_ok(h))
			nd_warn("hub", "%s refused: peer=%s: %s", port_name(port), host, why);
		return HTTP_STATUS_UNAUTHORIZED;
	}
	return 0;
}

int hub_auth_upgrade(struct hub *h, struct lws *wsi, enum hub_auth_port port)
{
	const char *admitted;
	unsigned code = check(h, wsi, port, &admitted);

	if (!code)
		return 0;
	return answer(wsi, code, code == HTTP_STATUS_FORBIDDEN ? "403 Forbidden: Origin not allowed\n"
							       : "401 Unauthorized: a valid bearer token is needed\n");
}

const char *hub_auth_admitted(struct hub *h, struct lws *wsi, enum hub_auth_port port)
{
	const char *admitted = NULL;

	/* Normally already checked (and answered) at CONFIRM_UPGRADE; this
	 * is the backstop for paths that skip it. */
	if (check(h, wsi, port, &admitted))
		return NULL;
	return admitted;
}

bool hub_auth_http_ok(struct hub *h, struct lws *wsi)
{
	const char *why = NULL;
	char host[64];

	if (token_check(h, wsi, HUB_AUTH_EATER, &why))
		return true;
	h->c.auth_refused++;
	peer_host(wsi, host, sizeof(host));
	if (hub_refusal_log_ok(h))
		nd_warn("hub", "HTTP request refused: peer=%s: %s", host, why);
	return false;
}

int hub_auth_check_name(struct hub_peer *p, const char *name, const char *what)
{
	if (!p->auth_name || nd_tokens_admits(p->auth_name, name))
		return 0;
	p->hub->c.auth_refused++;
	nd_warn("hub", "%s refused: peer=%s:%d: its token admits %s %.100s, not %.100s", what,
		p->host, p->port, what, p->auth_name, name);
	p->close_code = LWS_CLOSE_STATUS_POLICY_VIOLATION;
	p->close_reason = "token does not admit this name";
	return -EACCES;
}

static bool is_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

void hub_auth_warn_exposed(const struct hub *h, const char *addr)
{
	const char *missing[3];
	char list[96] = "";
	size_t n = 0;

	if (!h->conf.tls_cert)
		missing[n++] = "TLS";
	if (!h->kitchen_tokens)
		missing[n++] = "kitchen tokens";
	if (!h->eater_tokens)
		missing[n++] = "eater tokens";
	if (is_loopback(addr) || !n)
		return;
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? (i + 1 == n ? " and " : ", ") : "", missing[i]);
	nd_warn("hub", "*** SECURITY WARNING *** listening on %s, which is not a loopback address, without %s: anyone who can reach it can %s; see docs/security.md",
		addr, list,
		!h->kitchen_tokens ? "inject dumplings" :
		!h->eater_tokens ? "read every dumpling" : "read the traffic in clear text");
}
