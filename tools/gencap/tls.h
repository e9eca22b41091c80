/*
 * tls.h: a TLS 1.3-style ClientHello record (RFC 8446) as browsers send
 * it: session id, cipher suites, and extensions server_name (RFC 6066),
 * supported_groups, ec_point_formats, signature_algorithms, ALPN,
 * supported_versions, key_share (x25519) and psk_key_exchange_modes.
 */
#ifndef GENCAP_TLS_H
#define GENCAP_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

/* Writes one handshake record holding a ClientHello with SNI `sni`
 * (`sni_len` bytes; NULL for no server_name extension) into out
 * (cap >= 600); returns its length. */
size_t gencap_tls_client_hello(uint8_t *out, size_t cap, const char *sni, size_t sni_len,
			       struct gencap_rng *r);

/* Writes an application-data record header for `len` bytes of body. */
void gencap_tls_appdata_header(uint8_t out[5], uint16_t len);

#endif
