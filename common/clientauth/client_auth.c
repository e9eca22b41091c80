/*
 * client_auth.c: client-side token header and certificate diagnostics.
 * See client_auth.h.
 */
#include "client_auth.h"

#include "log.h"
#include "token.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int nd_client_auth_load(const char *who, const char *path, char *out, size_t outlen)
{
	char err[256];
	int rc = nd_token_read_file(path, out, outlen, err, sizeof(err));

	if (rc)
		nd_error(who, "cannot use --token-file: %s", err);
	return rc;
}

int nd_client_auth_append(const char *token, void *in, size_t len)
{
	char **p = in;
	int n;

	if (!token || !*token)
		return 0;
	n = snprintf(*p, len, "Authorization: Bearer %s\r\n", token);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	*p += n;
	return 0;
}

void nd_client_auth_verify_log(const char *who, void *x509_ctx, int preverify_ok)
{
	X509_STORE_CTX *x = x509_ctx;
	X509 *cert;
	char subject[256] = "?";
	int err;

	if (preverify_ok || !x)
		return;
	err = X509_STORE_CTX_get_error(x);
	cert = X509_STORE_CTX_get_current_cert(x);
	if (cert)
		X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
	nd_error(who, "the hub's certificate was refused: %s (certificate %s, depth %d); give the CA that signed it with --ca-file",
		 X509_verify_cert_error_string(err), subject, X509_STORE_CTX_get_error_depth(x));
}

void nd_client_auth_warn_insecure(const char *who)
{
	nd_warn(who, "*** INSECURE *** --insecure: the hub's certificate is NOT verified; anyone on the path can read and change the traffic and take the token. For tests only.");
}

static bool loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

void nd_client_auth_warn_cleartext(const char *who, const char *host, bool tls, bool has_token)
{
	if (tls || !has_token || loopback(host))
		return;
	nd_warn(who, "the token is sent to %s in clear text (ws://); use wss:// to protect it", host);
}
