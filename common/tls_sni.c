/*
 * tls_sni.c: the server name from a TLS ClientHello (RFC 8446 4.1.2,
 * RFC 5246 7.4.1.2, RFC 6066 section 3).
 *
 *   record:    type=22 (1) | version (2) | length (2)
 *   handshake: type=1 (1)  | length (3)
 *   hello:     legacy_version (2) | random (32) | session_id <0..32>
 *              | cipher_suites <2..2^16-2> | compression_methods <1..255>
 *              | extensions <0..2^16-1>
 *   extension: type (2) | length (2) | data
 *   server_name (type 0): list length (2), then entries of
 *              name_type (1, 0 = host_name) | length (2) | name
 *
 * Two limits apply to every length: the enclosing structure (exceeding it
 * is -EINVAL) and the captured bytes (running out of them inside the
 * claimed structure is -EAGAIN).  The handshake is read only inside the
 * first record; a ClientHello longer than its record counts as cut off.
 * Extension walking is bounded by the extension block and by a count.
 */
#include <errno.h>
#include <string.h>

#include "pkt_cursor.h"
#include "tls_sni.h"

#define ND_TLS_RECORD_MAX (16384 + 2048)
#define ND_TLS_MAX_EXTENSIONS 256

struct nd_tls_walk {
	struct nd_cursor c; /* bounded by what is captured and claimed */
	uint32_t limit;     /* end of the ClientHello as claimed */
	bool cut;           /* captured bytes end before limit */
};

/* Claim n bytes starting here: beyond the structure is invalid. */
static bool nd_tls_claim_ok(const struct nd_tls_walk *w, uint32_t n,
			    uint32_t end)
{
	return w->c.off <= end && n <= end - w->c.off;
}

/* Result for a cursor that ran out. */
static int nd_tls_ran_out(const struct nd_tls_walk *w)
{
	return w->cut ? -EAGAIN : -EINVAL;
}

static int nd_tls_server_name(struct nd_tls_hello *h, struct nd_tls_walk *w,
			      uint32_t ext_end)
{
	uint32_t list_len, list_end;

	list_len = nd_cur_be16(&w->c);
	if (w->c.err)
		return nd_tls_ran_out(w);
	if (!nd_tls_claim_ok(w, list_len, ext_end))
		return -EINVAL;
	list_end = w->c.off + list_len;
	while (w->c.off < list_end) {
		uint8_t type = nd_cur_u8(&w->c);
		uint32_t n = nd_cur_be16(&w->c);
		const uint8_t *name;

		if (w->c.err)
			return nd_tls_ran_out(w);
		if (!nd_tls_claim_ok(w, n, list_end))
			return -EINVAL;
		name = nd_cur_take(&w->c, n);
		if (!name)
			return nd_tls_ran_out(w);
		if (type == 0) {
			if (n == 0 || n > ND_TLS_SNI_MAX)
				return -EINVAL;
			h->has_sni = true;
			h->sni.ptr = name;
			h->sni.len = n;
			return 0;
		}
	}
	return 0;
}

int nd_tls_sni_parse(struct nd_tls_hello *h, const uint8_t *buf, size_t len)
{
	struct nd_tls_walk w;
	uint32_t rlen, hlen, rec_end, n, ext_end, cap;
	unsigned count;

	memset(h, 0, sizeof(*h));
	if (!buf || len < 1 || buf[0] != 22)
		return -EINVAL;
	cap = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	nd_cur_init(&w.c, buf, cap, 1);
	h->record_version = nd_cur_be16(&w.c);
	rlen = nd_cur_be16(&w.c);
	if (w.c.err)
		return (cap < 2 || buf[1] == 3) ? -EAGAIN : -EINVAL;
	if (h->record_version >> 8 != 3 || rlen < 4 || rlen > ND_TLS_RECORD_MAX)
		return -EINVAL;
	rec_end = 5 + rlen;
	if (cap < 6)
		return -EAGAIN;
	if (nd_cur_u8(&w.c) != 1)
		return -EINVAL;
	hlen = nd_cur_be24(&w.c);
	if (w.c.err)
		return -EAGAIN;
	if (hlen < 38)
		return -EINVAL;
	/* The hello as claimed, and what of it is in this record and capture. */
	w.limit = 9 + hlen;
	w.cut = w.limit > rec_end || w.limit > cap;
	w.c.len = w.limit < rec_end ? w.limit : rec_end;
	if (w.c.len > cap)
		w.c.len = cap;

	h->hello_version = nd_cur_be16(&w.c);
	nd_cur_skip(&w.c, 32);
	n = nd_cur_u8(&w.c);
	if (w.c.err)
		return nd_tls_ran_out(&w);
	if (n > 32 || !nd_tls_claim_ok(&w, n, w.limit))
		return -EINVAL;
	nd_cur_skip(&w.c, n);
	n = nd_cur_be16(&w.c);
	if (w.c.err)
		return nd_tls_ran_out(&w);
	if (n < 2 || (n & 1) || !nd_tls_claim_ok(&w, n, w.limit))
		return -EINVAL;
	nd_cur_skip(&w.c, n);
	n = nd_cur_u8(&w.c);
	if (w.c.err)
		return nd_tls_ran_out(&w);
	if (n < 1 || !nd_tls_claim_ok(&w, n, w.limit))
		return -EINVAL;
	if (!nd_cur_skip(&w.c, n))
		return nd_tls_ran_out(&w);
	if (w.c.off == w.limit)
		return 0; /* no extensions at all */
	n = nd_cur_be16(&w.c);
	if (w.c.err)
		return nd_tls_ran_out(&w);
	if (!nd_tls_claim_ok(&w, n, w.limit))
		return -EINVAL;
	ext_end = w.c.off + n;
	for (count = 0; w.c.off < ext_end; count++) {
		uint16_t type;
		uint32_t elen, end;

		if (count >= ND_TLS_MAX_EXTENSIONS)
			return -EINVAL;
		type = nd_cur_be16(&w.c);
		elen = nd_cur_be16(&w.c);
		if (w.c.err)
			return nd_tls_ran_out(&w);
		if (!nd_tls_claim_ok(&w, elen, ext_end))
			return -EINVAL;
		end = w.c.off + elen;
		if (type == 0)
			return nd_tls_server_name(h, &w, end);
		if (!nd_cur_skip(&w.c, elen))
			return nd_tls_ran_out(&w);
	}
	return 0;
}
