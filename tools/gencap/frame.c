/*
 * frame.c: the frame builder (see frame.h).  Headers are written in network
 * byte order one byte at a time, lengths and checksums at the end.
 */
#include "frame.h"

#include <netinet/in.h>
#include <string.h>

static const char *const layer_names[GL_COUNT] = {
	[GL_ETHERNET] = "Ethernet",
	[GL_DOT1AD] = "802_1AD",
	[GL_DOT1Q] = "802.1Q",
	[GL_ARP] = "ARP",
	[GL_IP] = "IP",
	[GL_IPV6] = "IPv6",
	[GL_TCP] = "TCP",
	[GL_UDP] = "UDP",
	[GL_ICMP] = "ICMP",
	[GL_ICMPV6_ECHO_REQUEST] = "ICMPv6 Echo Request",
	[GL_ICMPV6_ECHO_REPLY] = "ICMPv6 Echo Reply",
	[GL_DNS] = "DNS",
	[GL_RAW] = "Raw",
	[GL_PADDING] = "Padding",
};

const char *gencap_layer_name(enum gencap_layer l)
{
	return (unsigned)l < GL_COUNT ? layer_names[l] : "?";
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void push_layer(struct gencap_frame *f, enum gencap_layer l)
{
	if (f->nlayers < sizeof(f->layers))
		f->layers[f->nlayers++] = (uint8_t)l;
}

static uint8_t *grow(struct gencap_frame *f, size_t n)
{
	uint8_t *p = f->buf + f->len;

	f->len += n;
	return p;
}

void gencap_frame_start(struct gencap_frame *f)
{
	f->len = 0;
	f->l3_off = f->l4_off = f->payload_off = 0;
	f->l3 = f->l4 = 0;
	f->nlayers = 0;
}

void gencap_frame_eth(struct gencap_frame *f, const uint8_t dst[6], const uint8_t src[6],
		      struct gencap_tags tags, uint16_t ethertype)
{
	uint8_t *p = grow(f, 12);

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	push_layer(f, GL_ETHERNET);
	if (tags.outer) {
		p = grow(f, 4);
		put16(p, 0x88a8);
		put16(p + 2, tags.outer & 0x0fff);
		push_layer(f, GL_DOT1AD);
	}
	if (tags.inner) {
		p = grow(f, 4);
		put16(p, 0x8100);
		put16(p + 2, (uint16_t)((tags.inner & 0x0fff) | (tags.outer ? 0 : 0x2000)));
		push_layer(f, GL_DOT1Q);
	}
	put16(grow(f, 2), ethertype);
	f->l3_off = f->len;
}

void gencap_frame_arp(struct gencap_frame *f, uint16_t op, const uint8_t sha[6],
		      const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4])
{
	uint8_t *p = grow(f, 28);

	put16(p, 1);
	put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, op);
	memcpy(p + 8, sha, 6);
	memcpy(p + 14, spa, 4);
	memcpy(p + 18, tha, 6);
	memcpy(p + 24, tpa, 4);
	push_layer(f, GL_ARP);
	f->payload_off = f->len;
}

void gencap_frame_ipv4(struct gencap_frame *f, const uint8_t src[4], const uint8_t dst[4],
		       uint8_t proto, uint8_t ttl, uint16_t id)
{
	uint8_t *p = grow(f, 20);

	f->l3 = 4;
	f->l3_off = (size_t)(p - f->buf);
	p[0] = 0x45;
	p[1] = 0;
	put16(p + 2, 0);
	put16(p + 4, id);
	put16(p + 6, 0x4000);
	p[8] = ttl;
	p[9] = proto;
	put16(p + 10, 0);
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	push_layer(f, GL_IP);
	f->payload_off = f->len;
}

void gencap_frame_ipv6(struct gencap_frame *f, const uint8_t src[16], const uint8_t dst[16],
		       uint8_t nh, uint8_t hlim, uint32_t flow)
{
	uint8_t *p = grow(f, 40);

	f->l3 = 6;
	f->l3_off = (size_t)(p - f->buf);
	put32(p, 0x60000000u | (flow & 0xfffff));
	put16(p + 4, 0);
	p[6] = nh;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	push_layer(f, GL_IPV6);
	f->payload_off = f->len;
}

void gencap_frame_tcp(struct gencap_frame *f, uint16_t sport, uint16_t dport, uint32_t seq,
		      uint32_t ack, uint8_t flags, int opts, uint32_t tsval)
{
	size_t optlen = opts == GENCAP_TCPOPT_SYN ? 20 : opts == GENCAP_TCPOPT_TS ? 12 : 0;
	uint8_t *p = grow(f, 20 + optlen);
	uint8_t *o = p + 20;

	f->l4 = IPPROTO_TCP;
	f->l4_off = (size_t)(p - f->buf);
	put16(p, sport);
	put16(p + 2, dport);
	put32(p + 4, seq);
	put32(p + 8, ack);
	p[12] = (uint8_t)(((20 + optlen) / 4) << 4);
	p[13] = flags;
	put16(p + 14, (flags & GENCAP_TH_SYN) ? 64240 : 502);
	put16(p + 16, 0);
	put16(p + 18, 0);
	if (opts == GENCAP_TCPOPT_SYN) {
		/* MSS 1460, SACK permitted, timestamps, NOP, window scale 7 */
		static const uint8_t head[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10};

		memcpy(o, head, sizeof(head));
		put32(o + 8, tsval);
		put32(o + 12, (flags & GENCAP_TH_ACK) ? tsval - 17 : 0);
		o[16] = 1;
		o[17] = 3;
		o[18] = 3;
		o[19] = 7;
	} else if (opts == GENCAP_TCPOPT_TS) {
		o[0] = 1;
		o[1] = 1;
		o[2] = 8;
		o[3] = 10;
		put32(o + 4, tsval);
		put32(o + 8, tsval - 17);
	}
	push_layer(f, GL_TCP);
	f->payload_off = f->len;
}

void gencap_frame_udp(struct gencap_frame *f, uint16_t sport, uint16_t dport)
{
	uint8_t *p = grow(f, 8);

	f->l4 = IPPROTO_UDP;
	f->l4_off = (size_t)(p - f->buf);
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, 0);
	put16(p + 6, 0);
	push_layer(f, GL_UDP);
	f->payload_off = f->len;
}

void gencap_frame_echo(struct gencap_frame *f, int reply, uint16_t id, uint16_t seq)
{
	uint8_t *p = grow(f, 8);

	f->l4_off = (size_t)(p - f->buf);
	if (f->l3 == 6) {
		f->l4 = IPPROTO_ICMPV6;
		p[0] = reply ? 129 : 128;
		push_layer(f, reply ? GL_ICMPV6_ECHO_REPLY : GL_ICMPV6_ECHO_REQUEST);
	} else {
		f->l4 = IPPROTO_ICMP;
		p[0] = reply ? 0 : 8;
		push_layer(f, GL_ICMP);
	}
	p[1] = 0;
	put16(p + 2, 0);
	put16(p + 4, id);
	put16(p + 6, seq);
	f->payload_off = f->len;
}

size_t gencap_frame_put(struct gencap_frame *f, const void *p, size_t n)
{
	if (n > gencap_frame_room(f))
		n = gencap_frame_room(f);
	memcpy(grow(f, n), p, n);
	return n;
}

/* One's complement sum of n bytes, folded later. */
static uint64_t sum_bytes(const uint8_t *p, size_t n, uint64_t acc)
{
	while (n >= 4) {
		acc += (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		p += 4;
		n -= 4;
	}
	if (n >= 2) {
		acc += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
	}
	if (n)
		acc += (uint32_t)p[0] << 8;
	return acc;
}

static uint16_t fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

static uint64_t pseudo_sum(const struct gencap_frame *f, size_t l4len)
{
	const uint8_t *ip = f->buf + f->l3_off;

	if (f->l3 == 4)
		return sum_bytes(ip + 12, 8, 0) + (uint64_t)f->l4 + l4len;
	return sum_bytes(ip + 8, 32, 0) + (uint64_t)f->l4 + l4len;
}

static enum gencap_layer app_layer(const struct gencap_frame *f)
{
	const uint8_t *l4 = f->buf + f->l4_off;

	if (f->len == f->payload_off || f->l4 == 0 || f->l4 == IPPROTO_ICMPV6)
		return GL_COUNT;
	/* scapy binds DNS to port 53 on both UDP and TCP (either direction). */
	if ((f->l4 == IPPROTO_UDP || f->l4 == IPPROTO_TCP) &&
	    (get16(l4) == 53 || get16(l4 + 2) == 53))
		return GL_DNS;
	return GL_RAW;
}

void gencap_frame_finish(struct gencap_frame *f)
{
	enum gencap_layer app = app_layer(f);

	if (f->l3) {
		uint8_t *ip = f->buf + f->l3_off;
		uint8_t *l4 = f->buf + f->l4_off;
		size_t l4len = f->len - f->l4_off;
		uint16_t ck;

		if (f->l3 == 4) {
			put16(ip + 2, (uint16_t)(f->len - f->l3_off));
			put16(ip + 10, fold(sum_bytes(ip, 20, 0)));
		} else {
			put16(ip + 4, (uint16_t)(f->len - f->l3_off - 40));
		}
		switch (f->l4) {
		case IPPROTO_UDP:
			put16(l4 + 4, (uint16_t)l4len);
			ck = fold(sum_bytes(l4, l4len, pseudo_sum(f, l4len)));
			put16(l4 + 6, ck ? ck : 0xffff);
			break;
		case IPPROTO_TCP:
			put16(l4 + 16, fold(sum_bytes(l4, l4len, pseudo_sum(f, l4len))));
			break;
		case IPPROTO_ICMP:
			put16(l4 + 2, fold(sum_bytes(l4, l4len, 0)));
			break;
		case IPPROTO_ICMPV6:
			put16(l4 + 2, fold(sum_bytes(l4, l4len, pseudo_sum(f, l4len))));
			break;
		default:
			break;
		}
	}
	if (app != GL_COUNT)
		push_layer(f, app);
	if (f->len < GENCAP_MIN_FRAME) {
		memset(f->buf + f->len, 0, GENCAP_MIN_FRAME - f->len);
		f->len = GENCAP_MIN_FRAME;
		push_layer(f, GL_PADDING);
	}
}
