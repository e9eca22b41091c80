/*
 * frame.h: builds one Ethernet frame at a time, header by header, and
 * records the layers it contains under the names scapy gives them (the
 * names netdumplings' PacketCountChef counts).
 *
 * Usage: gencap_frame_start, gencap_frame_eth (tags included), one network
 * header, one transport header, payload with gencap_frame_put, then
 * gencap_frame_finish, which fills in lengths and checksums, decides the
 * application layer the way scapy would (DNS on port 53, Raw for any other
 * payload) and pads short frames to 60 bytes (a "Padding" layer).
 * The builder never reads what it did not write; callers keep frames under
 * GENCAP_FRAME_MAX (payload writers take the room left into account).
 */
#ifndef GENCAP_FRAME_H
#define GENCAP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define GENCAP_FRAME_MAX 1600
#define GENCAP_MIN_FRAME 60

enum gencap_layer {
	GL_ETHERNET,
	GL_DOT1AD,
	GL_DOT1Q,
	GL_ARP,
	GL_IP,
	GL_IPV6,
	GL_TCP,
	GL_UDP,
	GL_ICMP,
	GL_ICMPV6_ECHO_REQUEST,
	GL_ICMPV6_ECHO_REPLY,
	GL_DNS,
	GL_RAW,
	GL_PADDING,
	GL_COUNT
};

/* scapy's name for a layer ("Ethernet", "802.1Q", "802_1AD", ...). */
const char *gencap_layer_name(enum gencap_layer l);

/* VLAN tags of a host's segment: 0 means absent.  An outer tag is an
 * 802.1ad S-tag (0x88a8), an inner one an 802.1Q C-tag (0x8100). */
struct gencap_tags {
	uint16_t outer;
	uint16_t inner;
};

enum { GENCAP_TCPOPT_NONE, GENCAP_TCPOPT_SYN, GENCAP_TCPOPT_TS };

#define GENCAP_TH_FIN 0x01
#define GENCAP_TH_SYN 0x02
#define GENCAP_TH_RST 0x04
#define GENCAP_TH_PSH 0x08
#define GENCAP_TH_ACK 0x10

struct gencap_frame {
	uint8_t buf[GENCAP_FRAME_MAX];
	size_t len;
	size_t l3_off;
	size_t l4_off;
	size_t payload_off;
	int l3; /* 4, 6, or 0 (ARP) */
	int l4; /* IPPROTO_* or 0 */
	uint8_t layers[12];
	unsigned nlayers;
};

void gencap_frame_start(struct gencap_frame *f);
void gencap_frame_eth(struct gencap_frame *f, const uint8_t dst[6], const uint8_t src[6],
		      struct gencap_tags tags, uint16_t ethertype);
/* ARP over Ethernet/IPv4, op 1 or 2; addresses in network order. */
void gencap_frame_arp(struct gencap_frame *f, uint16_t op, const uint8_t sha[6],
		      const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4]);
void gencap_frame_ipv4(struct gencap_frame *f, const uint8_t src[4], const uint8_t dst[4],
		       uint8_t proto, uint8_t ttl, uint16_t id);
void gencap_frame_ipv6(struct gencap_frame *f, const uint8_t src[16], const uint8_t dst[16],
		       uint8_t nh, uint8_t hlim, uint32_t flow);
void gencap_frame_tcp(struct gencap_frame *f, uint16_t sport, uint16_t dport, uint32_t seq,
		      uint32_t ack, uint8_t flags, int opts, uint32_t tsval);
void gencap_frame_udp(struct gencap_frame *f, uint16_t sport, uint16_t dport);
/* ICMP (IPv4) or ICMPv6 echo request/reply header, by f->l3. */
void gencap_frame_echo(struct gencap_frame *f, int reply, uint16_t id, uint16_t seq);

/* Room left for payload. */
static inline size_t gencap_frame_room(const struct gencap_frame *f)
{
	return GENCAP_FRAME_MAX - f->len;
}

/* Appends n payload bytes (truncated to the room left); returns the
 * number appended. */
size_t gencap_frame_put(struct gencap_frame *f, const void *p, size_t n);

/* Lengths, checksums, application layer, padding.  Call once. */
void gencap_frame_finish(struct gencap_frame *f);

#endif
