/*
 * pkt_check.c: see pkt_check.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addrfmt.h"
#include "pkt_check.h"

#define PKT_CHECK(cond) assert_true(cond)
#include "pkt_invariants.h"

static struct nd_packet pkt_view;
static uint8_t *pkt_copy;

size_t pkt_hex(uint8_t *out, size_t max, const char *hex)
{
	size_t n = 0;
	int hi = -1;

	for (const char *s = hex; *s; s++) {
		int v = 0;

		if (*s == ' ' || *s == '\n' || *s == '|')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			fail_msg("bad hex character '%c'", *s);
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < max);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_int_equal(hi, -1);
	return n;
}

void pkt_check_invariants(const struct nd_packet *p)
{
	pkt_invariants_check(p);
}

const struct nd_packet *pkt_dissect(int dlt, const uint8_t *pkt,
				    uint32_t caplen, uint32_t wire_len,
				    int *rc)
{
	struct timeval ts = {1700000000, 5};
	int r;

	free(pkt_copy);
	pkt_copy = malloc(caplen ? caplen : 1);
	assert_non_null(pkt_copy);
	if (caplen)
		memcpy(pkt_copy, pkt, caplen);
	/* Stale state from a previous packet must not leak through. */
	memset(&pkt_view, 0xa5, sizeof(pkt_view));
	pkt_view.ifindex = 3;
	pkt_view.ifname = "eth3";
	r = nd_packet_dissect_raw(&pkt_view, dlt, ts, caplen, wire_len,
				  pkt_copy);
	if (rc)
		*rc = r;
	assert_int_equal(pkt_view.ifindex, 3);
	assert_string_equal(pkt_view.ifname, "eth3");
	assert_int_equal(pkt_view.caplen, caplen);
	assert_int_equal(pkt_view.wire_len, wire_len);
	assert_int_equal(!!(pkt_view.flags & ND_PKT_TRUNCATED),
			 caplen < wire_len);
	pkt_check_invariants(&pkt_view);
	return &pkt_view;
}

const struct nd_packet *pkt_dissect_full(int dlt, const uint8_t *pkt,
					 uint32_t len)
{
	return pkt_dissect(dlt, pkt, len, len, NULL);
}

void pkt_check_truncations(int dlt, const uint8_t *pkt, uint32_t len)
{
	for (uint32_t n = 0; n <= len; n++)
		pkt_dissect(dlt, pkt, n, len, NULL);
}

const char *pkt_layers(const struct nd_packet *p)
{
	static char buf[512];
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < p->nlayers; i++) {
		const char *n = nd_layer_name(p->layer[i].id);
		size_t l = strlen(n);

		assert_true(o + l + 2 < sizeof(buf));
		if (i)
			buf[o++] = ':';
		memcpy(buf + o, n, l);
		o += l;
		buf[o] = '\0';
	}
	return buf;
}

void pkt_check_done(void)
{
	free(pkt_copy);
	pkt_copy = NULL;
}
