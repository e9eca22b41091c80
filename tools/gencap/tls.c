/*
 * tls.c: ClientHello and record headers (see tls.h).  Lengths are patched
 * after each nested part is written.
 */
#include "tls.h"

#include <string.h>

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static const uint8_t suites[] = {
	0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f, 0xcc, 0xa9, 0xcc, 0xa8,
	0xc0, 0x2c, 0xc0, 0x30, 0xc0, 0x13, 0xc0, 0x14, 0x00, 0x9c, 0x00, 0x9d, 0x00, 0x2f,
	0x00, 0x35,
};

/* Fixed extensions after server_name: supported_groups, ec_point_formats,
 * signature_algorithms, ALPN h2/http1.1, supported_versions, psk modes. */
static const uint8_t fixed_ext[] = {
	0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18,
	0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
	0x00, 0x0d, 0x00, 0x12, 0x00, 0x10, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03,
	0x08, 0x05, 0x05, 0x01, 0x08, 0x06, 0x06, 0x01,
	0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/',
	'1', '.', '1',
	0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03, 0x03,
	0x00, 0x2d, 0x00, 0x02, 0x01, 0x01,
};

size_t gencap_tls_client_hello(uint8_t *out, size_t cap, const char *sni, size_t sni_len,
			       struct gencap_rng *r)
{
	size_t n = 0, hs, body, ext;

	(void)cap; /* at most ~330 + a 200-byte name */
	out[n++] = 0x16;
	out[n++] = 0x03;
	out[n++] = 0x01;
	n += 2; /* record length */
	hs = n;
	out[n++] = 0x01;
	n += 3; /* handshake length */
	body = n;
	out[n++] = 0x03;
	out[n++] = 0x03;
	gencap_rng_fill(r, out + n, 32);
	n += 32;
	out[n++] = 32;
	gencap_rng_fill(r, out + n, 32);
	n += 32;
	put16(out + n, sizeof(suites));
	n += 2;
	memcpy(out + n, suites, sizeof(suites));
	n += sizeof(suites);
	out[n++] = 1;
	out[n++] = 0;
	n += 2; /* extensions length */
	ext = n;
	if (sni) {
		put16(out + n, 0x0000);
		put16(out + n + 2, sni_len + 5);
		put16(out + n + 4, sni_len + 3);
		out[n + 6] = 0; /* host_name */
		put16(out + n + 7, sni_len);
		memcpy(out + n + 9, sni, sni_len);
		n += 9 + sni_len;
	}
	memcpy(out + n, fixed_ext, sizeof(fixed_ext));
	n += sizeof(fixed_ext);
	/* key_share: x25519, 32-byte key */
	put16(out + n, 0x0033);
	put16(out + n + 2, 38);
	put16(out + n + 4, 36);
	put16(out + n + 6, 0x001d);
	put16(out + n + 8, 32);
	gencap_rng_fill(r, out + n + 10, 32);
	n += 42;
	put16(out + ext - 2, n - ext);
	out[hs + 1] = (uint8_t)((n - body) >> 16);
	put16(out + hs + 2, n - body);
	put16(out + 3, n - hs);
	return n;
}

void gencap_tls_appdata_header(uint8_t out[5], uint16_t len)
{
	out[0] = 0x17;
	out[1] = 0x03;
	out[2] = 0x03;
	put16(out + 3, len);
}
