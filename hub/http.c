/*
 * http.c: the out-port's HTTP endpoints, /status (the status payload as
 * JSON) and /metrics (Prometheus text).  Dashboard files are served by an
 * lws file mount (server.c), not here.
 *
 * The body is rendered once per request into a buffer with LWS_PRE
 * headroom and written in chunks from HTTP_WRITEABLE.
 */
#include "hub.h"

#include "auth.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK 16384

struct hub_http {
	unsigned char *body; /* LWS_PRE + len bytes */
	size_t len, sent;
};

static void http_free(struct hub_http *r)
{
	free(r->body);
	r->body = NULL;
	r->len = r->sent = 0;
}

static int status_reply(struct lws *wsi, unsigned code)
{
	if (lws_return_http_status(wsi, code, NULL))
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int respond(struct lws *wsi, struct hub_http *r, const char *ctype, char *text, size_t len)
{
	unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start,
					  *end = hdr + sizeof(hdr) - 1;

	r->body = malloc(LWS_PRE + len + 1);
	if (!r->body) {
		free(text);
		return status_reply(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR);
	}
	memcpy(r->body + LWS_PRE, text, len);
	free(text);
	r->len = len;
	r->sent = 0;
	if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, ctype, len, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
					 (const unsigned char *)"no-store", 8, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return 1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int on_http(struct lws *wsi, struct hub_http *r)
{
	struct hub *h = lws_context_user(lws_get_context(wsi));
	char uri[128];
	size_t len = 0;
	char *text = NULL;

	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0)
		return status_reply(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED);
	if (!hub_auth_http_ok(h, wsi)) /* auth.c: eater token, when required */
		return status_reply(wsi, HTTP_STATUS_UNAUTHORIZED);
	if (strcmp(uri, "/status") == 0 || strcmp(uri, "/status/") == 0) {
		json_t *p = hub_status_payload(h);

		text = p ? json_dumps(p, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
					       JSON_REAL_PRECISION(16)) : NULL;
		json_decref(p);
		if (text) {
			len = strlen(text);
			return respond(wsi, r, "application/json", text, len);
		}
	} else if (strcmp(uri, "/metrics") == 0 || strcmp(uri, "/metrics/") == 0) {
		text = hub_metrics_text(h, &len);
		if (text)
			return respond(wsi, r, "text/plain; version=0.0.4; charset=utf-8", text, len);
	} else {
		return status_reply(wsi, HTTP_STATUS_NOT_FOUND);
	}
	return status_reply(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR);
}

static int on_writeable(struct lws *wsi, struct hub_http *r)
{
	size_t n;
	bool last;

	if (!r->body)
		return 0;
	n = r->len - r->sent;
	if (n > CHUNK)
		n = CHUNK;
	last = r->sent + n == r->len;
	/* lws_write needs LWS_PRE writable bytes before the data: the bytes
	 * already sent serve for later chunks. */
	if (lws_write(wsi, r->body + LWS_PRE + r->sent, n,
		      last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
		return -1;
	r->sent += n;
	if (!last) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	http_free(r);
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int hub_http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		      size_t len)
{
	struct hub_http *r = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_http(wsi, r);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return on_writeable(wsi, r);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		if (r)
			http_free(r);
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

size_t hub_http_pss_size(void)
{
	return sizeof(struct hub_http);
}
