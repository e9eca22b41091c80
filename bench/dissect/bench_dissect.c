/*
 * bench_dissect.c: how long dissection takes per packet.
 *
 * Builds a mix of typical packets in memory (Ethernet + IPv4/TCP with
 * options and payload, IPv4/UDP DNS query, IPv6/TCP, VLAN-tagged UDP, ARP,
 * Linux cooked v2 + IPv4/UDP), then times, over the whole mix, repeated
 * ROUNDS times and reported as the median (and min) ns per packet:
 *   touch      baseline: one read per 64-byte line of each packet
 *   sum64      baseline: adds up each packet's first 64 bytes
 *   l2-l4      nd_packet_dissect_raw()
 *   dns-parse  nd_dns_parse() on a DNS message (query, 1 question)
 *   dns+qname  nd_dns_parse() and the question name as text
 *   dns-resp   nd_dns_parse() on a response with 3 answers, compressed
 *   pkt+dns    nd_packet_dissect_raw() then nd_packet_dns() (DNS packets)
 * Usage: nd-dissect-bench [ROUNDS [ITERATIONS]]
 */
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packet.h"

#define NPKT 1024
#define PKT_MAX 256

struct bench_pkt {
	int dlt;
	uint32_t len;
	uint8_t b[PKT_MAX];
};

static struct bench_pkt pkts[NPKT];
static volatile uint64_t sink;

static uint32_t hex(uint8_t *out, const char *s)
{
	uint32_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

#define ETH "020000000002 020000000001"
#define DNSQ "abcd01000001000000000000 03777777076578616d706c6503636f6d00 00010001"
#define DNSR                                                                   \
	"abcd81800001000300000000 03777777076578616d706c6503636f6d00 00010001" \
	" c00c000500010000012c000603636463c010"                               \
	" c02d000100010000003c0004c0000201"                                   \
	" c02d000100010000003c0004c0000202"

static const struct {
	int dlt;
	const char *hex;
} templates[] = {
	/* IPv4/TCP, timestamps option, 100 bytes of payload. */
	{DLT_EN10MB, ETH "0800 4500009800004000400600000a000001c0000209"
		     " c35001bb0000000100000002801801f500000000"
		     " 0101080a0000000100000002"
		     " 00000000000000000000000000000000000000000000000000"
		     " 00000000000000000000000000000000000000000000000000"
		     " 00000000000000000000000000000000000000000000000000"
		     " 00000000000000000000000000000000000000000000000000"},
	/* IPv4/UDP DNS query. */
	{DLT_EN10MB, ETH "0800 4500003d00004000401100000a0000010a000035"
		     " d43100350029 0000 " DNSQ},
	/* IPv6/TCP ACK. */
	{DLT_EN10MB, ETH "86dd 6000000000140640 20010db8000000000000000000000001"
		     " 20010db8000000000000000000000002"
		     " c35001bb00000001000000025010ffff00000000"},
	/* VLAN 42, IPv4/UDP 12 bytes. */
	{DLT_EN10MB, ETH "8100 002a 0800 4500002800004000401100000a0000010a000002"
		     " 1388138900140000 000000000000000000000000"},
	/* ARP request. */
	{DLT_EN10MB, "ffffffffffff 020000000001 0806 0001080006040001"
		     " 0200000000010a000001 0000000000000a000002"},
	/* Linux cooked v2, IPv4/UDP DNS query. */
	{DLT_LINUX_SLL2, "0800 0000 00000002 0001 00 06 020000000001 0000"
			 " 4500003d00004000401100000a0000010a000035"
			 " d43100350029 0000 " DNSQ},
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

enum bench_kind { B_TOUCH, B_BASELINE, B_L2L4, B_DNS, B_DNS_QNAME, B_DNS_RESP, B_PKT_DNS };

static uint8_t dnsq[128], dnsr[256];
static int dns_idx[NPKT], ndns;
static uint32_t dnsq_len, dnsr_len;

/* One pass over the mix (or NPKT DNS messages); returns packets done. */
static uint64_t run_once(enum bench_kind k, struct nd_packet *p)
{
	struct timeval ts = {0, 0};
	struct nd_dns d;
	char name[ND_DNS_NAME_TEXT_MAX];
	uint64_t acc = 0;

	for (int i = 0; i < NPKT; i++) {
		const struct bench_pkt *bp = &pkts[i];

		switch (k) {
		case B_TOUCH:
			/* One load per 64-byte line of the packet. */
			for (uint32_t j = 0; j < bp->len; j += 64)
				acc += bp->b[j];
			acc += bp->b[bp->len - 1];
			break;
		case B_BASELINE:
			for (uint32_t j = 0; j < 64 && j < bp->len; j++)
				acc += bp->b[j];
			break;
		case B_L2L4:
			nd_packet_dissect_raw(p, bp->dlt, ts, bp->len, bp->len,
					      bp->b);
			acc += p->layers + p->sport;
			break;
		case B_DNS:
			nd_dns_parse(&d, dnsq, dnsq_len);
			acc += d.nquestions;
			break;
		case B_DNS_QNAME:
			nd_dns_parse(&d, dnsq, dnsq_len);
			acc += (uint64_t)nd_dns_qname(&d, 0, name, sizeof(name));
			break;
		case B_DNS_RESP:
			nd_dns_parse(&d, dnsr, dnsr_len);
			acc += d.nanswers;
			break;
		case B_PKT_DNS:
			/* Only the DNS packets of the mix. */
			bp = &pkts[dns_idx[i % ndns]];
			nd_packet_dissect_raw(p, bp->dlt, ts, bp->len, bp->len,
					      bp->b);
			acc += nd_packet_dns(p) != NULL;
			break;
		}
	}
	sink += acc;
	return NPKT;
}

static void bench(const char *label, enum bench_kind k, int rounds, int iters,
		  struct nd_packet *p)
{
	double *r = calloc((size_t)rounds, sizeof(double));

	run_once(k, p); /* warm up */
	for (int i = 0; i < rounds; i++) {
		double t0 = now_ns();
		uint64_t n = 0;

		for (int j = 0; j < iters; j++)
			n += run_once(k, p);
		r[i] = (now_ns() - t0) / (double)n;
	}
	qsort(r, (size_t)rounds, sizeof(double), cmp_double);
	printf("%-10s median %7.2f ns/packet   min %7.2f   max %7.2f\n", label,
	       r[rounds / 2], r[0], r[rounds - 1]);
	free(r);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 9;
	int iters = argc > 2 ? atoi(argv[2]) : 2000;
	size_t nt = sizeof(templates) / sizeof(templates[0]);
	struct nd_packet p;

	if (rounds < 1 || iters < 1) {
		fprintf(stderr, "usage: nd-dissect-bench [ROUNDS [ITERATIONS]]\n");
		return 2;
	}
	nd_packet_init(&p);
	/* The mix: templates in a fixed, irregular order (index * 7 mod 8). */
	for (int i = 0; i < NPKT; i++) {
		size_t t = ((size_t)i * 7 % 8) % nt;

		pkts[i].dlt = templates[t].dlt;
		pkts[i].len = hex(pkts[i].b, templates[t].hex);
	}
	/* Check the mix is what it claims before timing it. */
	for (size_t t = 0; t < nt; t++) {
		struct bench_pkt bp;
		struct timeval ts = {0, 0};

		bp.len = hex(bp.b, templates[t].hex);
		nd_packet_dissect_raw(&p, templates[t].dlt, ts, bp.len, bp.len,
				      bp.b);
		printf("template %zu: %u bytes:", t, bp.len);
		for (unsigned i = 0; i < p.nlayers; i++)
			printf(" %s", nd_layer_name(p.layer[i].id));
		printf("%s\n", p.flags ? " (flags set!)" : "");
		if (p.flags)
			return 1;
	}
	for (int i = 0; i < NPKT; i++) {
		struct timeval ts = {0, 0};

		nd_packet_dissect_raw(&p, pkts[i].dlt, ts, pkts[i].len,
				      pkts[i].len, pkts[i].b);
		if (nd_packet_dns(&p))
			dns_idx[ndns++] = i;
	}
	if (ndns == 0)
		return 1;
	dnsq_len = hex(dnsq, DNSQ);
	dnsr_len = hex(dnsr, DNSR);
	printf("nd-dissect-bench: %d packets per pass, %d passes per round, "
	       "%d rounds\n", NPKT, iters, rounds);
	bench("touch", B_TOUCH, rounds, iters, &p);
	bench("sum64", B_BASELINE, rounds, iters, &p);
	bench("l2-l4", B_L2L4, rounds, iters, &p);
	bench("dns-parse", B_DNS, rounds, iters, &p);
	bench("dns+qname", B_DNS_QNAME, rounds, iters, &p);
	bench("dns-resp", B_DNS_RESP, rounds, iters, &p);
	bench("pkt+dns", B_PKT_DNS, rounds, iters, &p);
	return sink == 42 ? 1 : 0;
}
