/*
 * fuzz_one.c: see fuzz_one.h.  Checks invariants, not just "did not
 * crash": every span and slice inside the captured bytes, bitmask equal to
 * the spans, texts printable ASCII and NUL-terminated at their length,
 * cached app-layer results stable, truncation flag right.
 */
#include <errno.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrfmt.h"
#include "fuzz_one.h"
#include "packet.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_one: invariant broken: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__);                    \
			abort();                                               \
		}                                                              \
	} while (0)

#define PKT_CHECK(cond) CHECK(cond)
#include "pkt_invariants.h"

static const int nd_fuzz_dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6,   DLT_NULL,      DLT_LOOP,       DLT_IEEE802_11,
};

int nd_fuzz_dissect_one(const uint8_t *data, size_t size)
{
	struct timeval ts = {0, 0};
	struct nd_packet p;
	struct nd_dns d;
	struct nd_tls_hello t;
	struct nd_http_req h;
	const uint8_t *pkt;
	uint32_t caplen, wire;
	int dlt, rc;

	if (size < 2 || size - 2 > 262144)
		return 0;
	dlt = nd_fuzz_dlts[data[0] % (sizeof(nd_fuzz_dlts) / sizeof(int))];
	pkt = data + 2;
	caplen = (uint32_t)(size - 2);
	wire = caplen + ((data[1] & 1) ? 100 : 0);

	nd_packet_init(&p);
	p.ifindex = 1;
	rc = nd_packet_dissect_raw(&p, dlt, ts, caplen, wire, pkt);
	CHECK(rc == 0 || rc == -EPROTONOSUPPORT);
	CHECK((rc == 0) == nd_packet_dlt_supported(dlt));
	CHECK(p.ifindex == 1);
	CHECK(!!(p.flags & ND_PKT_TRUNCATED) == (data[1] & 1));
	pkt_invariants_check(&p);

	/* Dissecting again into a used view gives the same layers. */
	{
		uint32_t layers = p.layers;
		uint8_t n = p.nlayers;

		nd_packet_dissect_raw(&p, dlt, ts, caplen, wire, pkt);
		CHECK(p.layers == layers && p.nlayers == n);
		pkt_invariants_check(&p);
	}

	/* The app-layer parsers on the raw bytes, whatever the ports. */
	if (nd_dns_parse(&d, pkt, caplen) == 0)
		pkt_inv_dns(&d, pkt, caplen);
	rc = nd_tls_sni_parse(&t, pkt, caplen);
	CHECK(rc == 0 || rc == -EAGAIN || rc == -EINVAL);
	if (rc == 0)
		pkt_inv_tls(&t, pkt, caplen);
	rc = nd_http_req_parse(&h, pkt, caplen);
	CHECK(rc == 0 || rc == -EAGAIN || rc == -EINVAL);
	if (rc == 0)
		pkt_inv_http(&h, pkt, caplen);
	return 0;
}
