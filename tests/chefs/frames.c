/* frames.c: crafted frames for the chef tests.  See frames.h. */
#include "frames.h"

#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t mac_a[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0b};

/* Test set-up errors abort (assert would vanish under NDEBUG). */
static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "frames: bad test input: %s\n", what);
		abort();
	}
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static struct nd_packet *dissect(struct ct_frame *f, long ts_sec, long ts_usec)
{
	struct timeval ts = {.tv_sec = ts_sec, .tv_usec = ts_usec};

	nd_packet_init(&f->pkt);
	nd_packet_dissect_raw(&f->pkt, DLT_EN10MB, ts, (uint32_t)f->len, (uint32_t)f->len, f->buf);
	return &f->pkt;
}

/* Ethernet + IP header for `proto` carrying l4len bytes; returns the
 * offset of the transport header. */
static size_t ip_header(struct ct_frame *f, const char *src, const char *dst, uint8_t proto,
			size_t l4len)
{
	uint8_t *p = f->buf;
	int v6 = strchr(src, ':') != NULL;

	memset(f->buf, 0, sizeof(f->buf));
	memcpy(p, mac_b, 6);
	memcpy(p + 6, mac_a, 6);
	put16(p + 12, v6 ? 0x86dd : 0x0800);
	p += 14;
	if (v6) {
		p[0] = 0x60;
		put16(p + 4, (uint16_t)l4len);
		p[6] = proto;
		p[7] = 64;
		must(inet_pton(AF_INET6, src, p + 8) == 1, "inet_pton(AF_INET6, src, p + 8) == 1");
		must(inet_pton(AF_INET6, dst, p + 24) == 1, "inet_pton(AF_INET6, dst, p + 24) == 1");
		return 14 + 40;
	}
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + l4len));
	put16(p + 4, 1);
	p[8] = 64;
	p[9] = proto;
	must(inet_pton(AF_INET, src, p + 12) == 1, "inet_pton(AF_INET, src, p + 12) == 1");
	must(inet_pton(AF_INET, dst, p + 16) == 1, "inet_pton(AF_INET, dst, p + 16) == 1");
	return 14 + 20;
}

struct nd_packet *ct_udp(struct ct_frame *f, const char *src, uint16_t sport, const char *dst,
			 uint16_t dport, const void *payload, size_t plen, long ts_sec, long ts_usec)
{
	size_t off = ip_header(f, src, dst, 17, 8 + plen);
	uint8_t *u = f->buf + off;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + plen));
	if (plen)
		memcpy(u + 8, payload, plen);
	f->len = off + 8 + plen;
	return dissect(f, ts_sec, ts_usec);
}

struct nd_packet *ct_tcp(struct ct_frame *f, const char *src, uint16_t sport, const char *dst,
			 uint16_t dport, const void *payload, size_t plen, long ts_sec, long ts_usec)
{
	size_t off = ip_header(f, src, dst, 6, 20 + plen);
	uint8_t *t = f->buf + off;

	put16(t, sport);
	put16(t + 2, dport);
	t[12] = 0x50;
	t[13] = 0x18; /* PSH ACK */
	put16(t + 14, 65535);
	if (plen)
		memcpy(t + 20, payload, plen);
	f->len = off + 20 + plen;
	return dissect(f, ts_sec, ts_usec);
}

struct nd_packet *ct_tcp_flags(struct ct_frame *f, const char *src, uint16_t sport,
			       const char *dst, uint16_t dport, uint16_t flags, long ts_sec,
			       long ts_usec)
{
	ct_tcp(f, src, sport, dst, dport, NULL, 0, ts_sec, ts_usec);
	f->buf[f->len - 20 + 13] = (uint8_t)flags;
	return dissect(f, ts_sec, ts_usec);
}

struct nd_packet *ct_icmp4(struct ct_frame *f, const char *src, const char *dst, long ts_sec,
			   long ts_usec)
{
	size_t off = ip_header(f, src, dst, 1, 8);

	f->buf[off] = 8; /* echo request */
	f->len = off + 8;
	return dissect(f, ts_sec, ts_usec);
}

static void parse_mac(const char *s, uint8_t out[6])
{
	unsigned v[6];

	must(sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == 6, "a MAC address");
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
}

struct nd_packet *ct_arp(struct ct_frame *f, uint16_t op, const char *sha, const char *spa,
			 const char *tha, const char *tpa, long ts_sec, long ts_usec)
{
	uint8_t *p = f->buf, *a;

	memset(f->buf, 0, sizeof(f->buf));
	memset(p, 0xff, 6);
	parse_mac(sha, p + 6);
	put16(p + 12, 0x0806);
	a = p + 14;
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	parse_mac(sha, a + 8);
	must(inet_pton(AF_INET, spa, a + 14) == 1, "inet_pton(AF_INET, spa, a + 14) == 1");
	parse_mac(tha, a + 18);
	must(inet_pton(AF_INET, tpa, a + 24) == 1, "inet_pton(AF_INET, tpa, a + 24) == 1");
	f->len = 14 + 28;
	return dissect(f, ts_sec, ts_usec);
}

size_t ct_dns_message(uint8_t *buf, size_t size, uint16_t id, const char *qname, int response)
{
	size_t n = 12;
	const char *label = qname;

	must(size >= 12 + strlen(qname) + 2 + 4, "size >= 12 + strlen(qname) + 2 + 4");
	memset(buf, 0, 12);
	put16(buf, id);
	put16(buf + 2, response ? 0x8180 : 0x0100);
	put16(buf + 4, 1);
	while (*label) {
		const char *dot = strchr(label, '.');
		size_t len = dot ? (size_t)(dot - label) : strlen(label);

		if (len == 0)
			break;
		buf[n++] = (uint8_t)len;
		memcpy(buf + n, label, len);
		n += len;
		label += len;
		if (*label == '.')
			label++;
	}
	buf[n++] = 0;
	put16(buf + n, 1); /* A */
	put16(buf + n + 2, 1);
	return n + 4;
}

size_t ct_tls_client_hello(uint8_t *buf, size_t size, const char *sni)
{
	size_t name_len = strlen(sni);
	size_t ext_len = 4 + 2 + 3 + name_len;
	size_t hello_len = 2 + 32 + 1 + 2 + 2 + 1 + 1 + 2 + ext_len;
	uint8_t *p = buf;

	must(size >= 5 + 4 + hello_len, "size >= 5 + 4 + hello_len");
	*p++ = 22;
	put16(p, 0x0301), p += 2;
	put16(p, (uint16_t)(4 + hello_len)), p += 2;
	*p++ = 1;
	*p++ = 0;
	put16(p, (uint16_t)hello_len), p += 2;
	put16(p, 0x0303), p += 2;
	memset(p, 0x42, 32), p += 32;
	*p++ = 0;                  /* session id */
	put16(p, 2), p += 2;       /* cipher suites */
	put16(p, 0x1301), p += 2;
	*p++ = 1;                  /* compression methods */
	*p++ = 0;
	put16(p, (uint16_t)ext_len), p += 2;
	put16(p, 0), p += 2;       /* server_name */
	put16(p, (uint16_t)(2 + 3 + name_len)), p += 2;
	put16(p, (uint16_t)(3 + name_len)), p += 2;
	*p++ = 0;                  /* host_name */
	put16(p, (uint16_t)name_len), p += 2;
	memcpy(p, sni, name_len), p += name_len;
	return (size_t)(p - buf);
}
