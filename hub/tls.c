/*
 * tls.c: TLS settings for the hub's vhosts.  See tls.h.
 */
#include "tls.h"

#include "auth.h"
#include "fileperm.h"
#include "hub.h"
#include "log.h"

#include <errno.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <unistd.h>

int hub_tls_check(const struct hub *h)
{
	const struct hub_conf *c = &h->conf;
	char err[256];

	if (!c->tls_cert)
		return 0;
	if (access(c->tls_cert, R_OK) != 0) {
		nd_error("hub", "cannot read --tls-cert %s: %m", c->tls_cert);
		return -EINVAL;
	}
	if (c->tls_ca && access(c->tls_ca, R_OK) != 0) {
		nd_error("hub", "cannot read --tls-ca %s: %m", c->tls_ca);
		return -EINVAL;
	}
	if (nd_fileperm_check(c->tls_key, ND_FILEPERM_SECRET, err, sizeof(err))) {
		nd_error("hub", "cannot use --tls-key: %s", err);
		return -EINVAL;
	}
	return 0;
}

uint64_t hub_tls_context_options(const struct hub *h)
{
	return h->conf.tls_cert ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
}

void hub_tls_vhost(const struct hub *h, struct lws_context_creation_info *info)
{
	const struct hub_conf *c = &h->conf;

	if (!c->tls_cert)
		return;
	info->ssl_cert_filepath = c->tls_cert;
	info->ssl_private_key_filepath = c->tls_key;
	info->alpn = "http/1.1";
	/* lws reads this option again per vhost: without it the vhost
	 * silently serves plain text. */
	info->options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	if (c->tls_ca) {
		info->ssl_ca_filepath = c->tls_ca;
		info->options |= LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT;
	}
}

const char *hub_tls_scheme(const struct hub *h)
{
	return h->conf.tls_cert ? "wss" : "ws";
}

int hub_tls_client_verify(struct lws *wsi, void *x509_ctx, int preverify_ok)
{
	X509_STORE_CTX *x = x509_ctx;
	struct hub *h = lws_context_user(lws_get_context(wsi));
	int err;

	if (preverify_ok)
		return 0;
	err = X509_STORE_CTX_get_error(x);
	h->c.tls_refused++;
	if (hub_refusal_log_ok(h))
		nd_warn("hub", "client certificate refused: %s (depth %d)",
			X509_verify_cert_error_string(err), X509_STORE_CTX_get_error_depth(x));
	return 1;
}
