/*
 * tls_sni.h: the server name (SNI, RFC 6066) from a TLS ClientHello.
 *
 * Reads one TLS record from the start of a TCP payload (no reassembly
 * across segments): record header, handshake header, ClientHello fields,
 * then the extension list, looking for server_name (type 0) with a
 * host_name entry.  Zero-copy: the name is a slice into the payload.
 * Anything that is not a ClientHello is -EINVAL; a ClientHello cut off by
 * the end of the captured bytes before its server name is -EAGAIN.
 */
#ifndef ND_TLS_SNI_H
#define ND_TLS_SNI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt_slice.h"

#define ND_TLS_SNI_MAX 255 /* longest host_name we accept (RFC 6066: DNS) */

struct nd_tls_hello {
	uint16_t record_version; /* e.g. 0x0301 */
	uint16_t hello_version;  /* legacy_version in the ClientHello */
	bool has_sni;
	struct nd_slice sni;     /* host_name bytes, unvalidated */
};

/* Parses buf[0..len).  Returns 0 (h filled; has_sni says whether a
 * host_name was found), -EAGAIN (a ClientHello, but cut off before its
 * extensions were all seen), or -EINVAL (not a TLS ClientHello, or a
 * malformed one).  h borrows buf. */
int nd_tls_sni_parse(struct nd_tls_hello *h, const uint8_t *buf, size_t len);

#endif
