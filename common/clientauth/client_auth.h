/*
 * client_auth.h: what the hub's clients (the kitchen uplink, the eater
 * library) need to prove who they are and to check who the hub is:
 * their bearer token in the WebSocket handshake, and a readable line
 * when the hub's certificate fails verification.
 *
 * No libwebsockets here: the callbacks pass lws's arguments through, so
 * that each client keeps its own lws protocol callback and only adds two
 * cases to it:
 *
 *   case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
 *           if (nd_client_auth_append(token, in, len))
 *                   return -1;
 *           break;
 *   case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
 *           nd_client_auth_verify_log("kitchen", user, (int)len);
 *           break;
 */
#ifndef ND_CLIENT_AUTH_H
#define ND_CLIENT_AUTH_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the client's token file (nd_token_read_file: a private file, first
 * non-comment line).  `who` names the client in the log.  Returns 0 with
 * the token in out, or a negative errno after logging why. */
int nd_client_auth_load(const char *who, const char *path, char *out, size_t outlen);

/* Appends "Authorization: Bearer <token>\r\n" at *(char **)in, with len
 * bytes of room, and advances the pointer.  A NULL or empty token appends
 * nothing.  Returns 0 or -ENOSPC. */
int nd_client_auth_append(const char *token, void *in, size_t len);

/* Logs, once per failure, why the hub's certificate was refused (x509_ctx
 * is lws's X509_STORE_CTX *).  Changes nothing: OpenSSL's verdict stands. */
void nd_client_auth_verify_log(const char *who, void *x509_ctx, int preverify_ok);

/* The loud warning for --insecure. */
void nd_client_auth_warn_insecure(const char *who);

/* Warns when a token would travel in clear text (ws:// to a host that is
 * not loopback). */
void nd_client_auth_warn_cleartext(const char *who, const char *host, bool tls, bool has_token);

#endif
