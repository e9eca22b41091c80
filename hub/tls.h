/*
 * tls.h: the hub's TLS: one certificate and key for both ports, and with
 * --tls-ca, client certificates required and verified against that CA.
 *
 * With TLS the ports speak only wss:// and https:// (ALPN http/1.1, so the
 * dashboard and /status stay on HTTP/1.1, where the handshake checks of
 * auth.h answer with a status).  The key file must pass the secret-file
 * permission check (fileperm.h).
 */
#ifndef HUB_TLS_H
#define HUB_TLS_H

#include <libwebsockets.h>
#include <stdbool.h>

struct hub;

/* Checks that the files exist and the key is private.  Returns 0 or
 * -EINVAL after logging the reason.  Nothing to check without TLS. */
int hub_tls_check(const struct hub *h);

/* Options the context needs (OpenSSL initialisation when TLS is used). */
uint64_t hub_tls_context_options(const struct hub *h);

/* Fills the TLS part of a vhost's creation info. */
void hub_tls_vhost(const struct hub *h, struct lws_context_creation_info *info);

/* "wss" or "ws", for log lines. */
const char *hub_tls_scheme(const struct hub *h);

/* LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION: logs why a
 * client certificate failed verification (lws's own text says little).
 * Returns the callback's answer: 0 accepts what OpenSSL accepted. */
int hub_tls_client_verify(struct lws *wsi, void *x509_ctx, int preverify_ok);

#endif
