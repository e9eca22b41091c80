/*
 * packet.h: the packet view.  The kitchen fills one per captured packet
 * with nd_packet_dissect(); every chef reads it through a const pointer.
 *
 * What it holds
 *   - capture metadata: timestamp, captured and wire lengths kept apart,
 *     the raw bytes (borrowed from libpcap), the link type (DLT), and an
 *     interface slot the kitchen sets;
 *   - the layers found, in order, each with its offset and length, plus a
 *     bitmask for "is layer X present" tests;
 *   - parsed L2-L4 fields (Ethernet/SLL/loopback, VLAN stack, ARP, IPv4,
 *     IPv6 and its extension headers, TCP, UDP, ICMP, ICMPv6) and the
 *     transport payload;
 *   - application-layer results (DNS, TLS SNI, HTTP request) computed only
 *     when a chef calls nd_packet_dns() / nd_packet_tls() / nd_packet_http(),
 *     then cached for the other chefs of the same packet.
 *
 * Contracts
 *   - Zero-copy and no heap allocation: every pointer in the view, and every
 *     slice the accessors return, points into the captured bytes and is
 *     valid only until the kitchen dissects the next packet (for a chef:
 *     only during its packet callback).  Never keep them; copy what you need.
 *   - Nothing reads past caplen.  A header cut off by the capture length
 *     ends dissection there (ND_PKT_SHORT); a header whose own fields are
 *     inconsistent does too (ND_PKT_MALFORMED).  Layers before it stay valid.
 *   - Field groups (eth, vlan, arp, ip, tcp, udp, icmp) are meaningful only
 *     when the matching layer bit is set in `layers`; they are zeroed
 *     otherwise.
 *   - Multi-byte numeric fields are in host byte order; addresses are bytes
 *     in network order.
 *   - The app-layer cache (`app`) is the one part of the view that changes
 *     behind a const pointer: the nd_packet_dns/tls/http accessors fill it
 *     on first use.  That is why a view must never be defined as a const
 *     object, and why it is single-threaded: all chef calls happen on the
 *     kitchen's loop thread, one packet at a time.
 *
 * Layer names follow the `.name` of the scapy layer class that netdumplings'
 * chefs saw (scapy 2.5), so counts keyed by name stay comparable:
 * "Ethernet", "cooked linux", "cooked linux v2", "Loopback", "802.1Q",
 * "802_1AD", "ARP", "IP", "IPv6", the four IPv6 extension header names,
 * "TCP", "UDP", "ICMP", scapy's per-type ICMPv6 names ("ICMPv6 Echo
 * Request", ...) and Neighbor Discovery option names, "DNS", "Raw",
 * "Padding".  nd_layer_name() gives a short
 * stable identifier instead ("ICMPv6", "IPv6Frag", ...).
 *
 * ICMP errors: the quoted datagram's headers are layers ("IP in ICMP",
 * "UDP in ICMP", ...) but its fields are not parsed into the view (ports,
 * addresses are the outer packet's); only a quoted UDP port 53 payload
 * becomes a DNS layer.
 *
 * Not dissected: tunnels (IP-in-IP, GRE, VXLAN: their payload is "Raw"),
 * extension headers and ICMPv6 inside a quoted IPv6 datagram, non-first
 * fragments (their payload is "Raw"), and stream reassembly (app-layer
 * parsers see one segment's payload).
 */
#ifndef ND_PACKET_H
#define ND_PACKET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>

#include "dns.h"
#include "http_req.h"
#include "pkt_slice.h"
#include "tls_sni.h"

struct pcap_pkthdr;

/* Bumped whenever struct nd_packet's layout changes; chefs are built
 * against one layout and the chef ABI checks it. */
#define ND_PACKET_VERSION 1

/* Layers, in no particular order; the order of a packet's layers is in
 * nd_packet.layer[].  Values are stable: they index the `layers` bitmask. */
enum nd_layer {
	ND_LAYER_ETHERNET = 0,
	ND_LAYER_SLL,          /* Linux cooked v1 (DLT_LINUX_SLL) */
	ND_LAYER_SLL2,         /* Linux cooked v2 (DLT_LINUX_SLL2) */
	ND_LAYER_LOOPBACK,     /* BSD loopback (DLT_NULL, DLT_LOOP) */
	ND_LAYER_DOT1Q,        /* 802.1Q tag (TPID 0x8100) */
	ND_LAYER_DOT1AD,       /* 802.1ad service tag (TPID 0x88a8) */
	ND_LAYER_ARP,
	ND_LAYER_IP,           /* IPv4 */
	ND_LAYER_IPV6,
	ND_LAYER_IPV6_HOPOPTS, /* IPv6 extension headers */
	ND_LAYER_IPV6_ROUTING,
	ND_LAYER_IPV6_FRAGMENT,
	ND_LAYER_IPV6_DSTOPTS,
	ND_LAYER_TCP,
	ND_LAYER_UDP,
	ND_LAYER_ICMP,
	ND_LAYER_ICMPV6,
	ND_LAYER_DNS,          /* marked by port (53, 5353); parsed on demand */
	ND_LAYER_RAW,          /* payload not dissected further */
	ND_LAYER_PADDING,      /* bytes after the end an IP/UDP/ARP length claims */
	ND_LAYER_ICMPV6_NDOPT, /* one Neighbor Discovery option (RFC 4861 4.6) */
	/* The datagram quoted by an ICMP error: its headers are layers (as in
	 * scapy), its fields are not parsed into the view. */
	ND_LAYER_IP_IN_ICMP,
	ND_LAYER_IPV6_IN_ICMPV6,
	ND_LAYER_TCP_IN_ICMP,   /* also inside ICMPv6 errors, as scapy names it */
	ND_LAYER_UDP_IN_ICMP,
	ND_LAYER_ICMP_IN_ICMP,
	ND_LAYER_COUNT
};

#define ND_LAYER_BIT(l) ((uint32_t)1 << (l))

/* Packet flags. */
#define ND_PKT_TRUNCATED 0x01     /* caplen < wire length (snap length cut it) */
#define ND_PKT_NOT_DISSECTED 0x02 /* link type not supported: only metadata */
#define ND_PKT_SHORT 0x04         /* captured bytes ended inside a header */
#define ND_PKT_MALFORMED 0x08     /* a header's own fields were inconsistent */

#define ND_PACKET_MAX_LAYERS 24   /* more (ND options): not recorded */
#define ND_PACKET_MAX_VLANS 4     /* deeper tag stacks: ND_PKT_MALFORMED */
#define ND_PACKET_MAX_IPV6_EXT 8  /* longer extension chains: ND_PKT_MALFORMED */

/* TCP flag bits (nd_packet.tcp.flags), as in the header's low 9 bits. */
#define ND_TCP_FIN 0x001
#define ND_TCP_SYN 0x002
#define ND_TCP_RST 0x004
#define ND_TCP_PSH 0x008
#define ND_TCP_ACK 0x010
#define ND_TCP_URG 0x020
#define ND_TCP_ECE 0x040
#define ND_TCP_CWR 0x080
#define ND_TCP_NS 0x100

/* One layer: where it starts in the captured bytes and how long it is
 * (header length for protocol layers; payload length for DNS, Raw and
 * Padding).  off + len <= caplen always. */
struct nd_layer_span {
	uint8_t id;    /* enum nd_layer */
	uint8_t sub;   /* ND_LAYER_ICMPV6_NDOPT: the option type; else 0 */
	uint8_t pad_[2];
	uint32_t off;
	uint32_t len;
};

#define ND_APP_DNS 0x01
#define ND_APP_TLS 0x02
#define ND_APP_HTTP 0x04

/* Application-layer cache.  Internal to the accessors: read results
 * through nd_packet_dns() / nd_packet_tls() / nd_packet_http(). */
struct nd_packet_app {
	uint8_t tried; /* ND_APP_* bits: parse attempted for this packet */
	uint8_t ok;    /* ND_APP_* bits: parse succeeded */
	struct nd_dns dns;
	struct nd_tls_hello tls;
	struct nd_http_req http;
};

struct nd_packet {
	/* --- capture metadata (set by nd_packet_dissect) --- */
	struct timeval ts;     /* capture time, from the pcap header */
	uint32_t caplen;       /* bytes captured, readable at data[] */
	uint32_t wire_len;     /* bytes on the wire (may exceed caplen) */
	const uint8_t *data;   /* captured bytes, borrowed from libpcap */
	int dlt;               /* link type, DLT_* */
	uint32_t flags;        /* ND_PKT_* */

	/* --- set by the kitchen, untouched by nd_packet_dissect --- */
	int ifindex;           /* index in the kitchen's interface list, -1 */
	const char *ifname;    /* capture interface name, borrowed, or NULL */

	/* --- layers present --- */
	uint32_t layers;       /* ND_LAYER_BIT(id) for each layer present */
	uint8_t nlayers;       /* entries used in layer[] */
	struct nd_layer_span layer[ND_PACKET_MAX_LAYERS];

	/* --- link layer --- */
	struct {
		uint8_t src[6];      /* Ethernet, SLL (if halen == 6) */
		uint8_t dst[6];      /* Ethernet only */
		uint16_t ethertype;  /* of the payload, after any VLAN tags;
		                        for loopback: 0x0800/0x86dd or 0 */
		uint16_t sll_pkttype; /* SLL/SLL2: 0 host, 4 outgoing, ... */
		uint16_t sll_hatype;  /* SLL/SLL2: ARPHRD_* */
		uint32_t sll_ifindex; /* SLL2 only: interface index on the host */
		uint32_t loop_family; /* loopback: AF_ value as captured */
	} eth;

	struct {
		uint8_t count;                     /* tags, outermost first */
		uint16_t tpid[ND_PACKET_MAX_VLANS]; /* 0x8100 or 0x88a8 */
		uint16_t tci[ND_PACKET_MAX_VLANS];  /* PCP:3 DEI:1 VID:12 */
	} vlan;

	/* ARP: op/htype/ptype/hlen/plen always when ND_LAYER_ARP is set; the
	 * addresses only when is_eth_ipv4 (htype 1, ptype 0x0800, 6, 4). */
	struct {
		uint16_t htype, ptype, op;
		uint8_t hlen, plen;
		bool is_eth_ipv4;
		uint8_t sha[6], spa[4], tha[6], tpa[4];
	} arp;

	/* IP (v4 or v6; `version` says which).  For IPv4 the addresses are the
	 * first 4 bytes of src/dst, the rest zero. */
	struct {
		uint8_t version;       /* 4 or 6 */
		uint8_t proto;         /* upper-layer protocol after IPv6 ext hdrs */
		uint8_t ttl;           /* TTL or hop limit */
		uint8_t tos;           /* TOS / traffic class */
		uint8_t src[16];
		uint8_t dst[16];
		uint16_t total_len;    /* IPv4 total length; IPv6 40 + payload len */
		uint16_t id;           /* IPv4 identification */
		uint32_t flow_label;   /* IPv6 */
		uint16_t hdr_len;      /* IPv4 header incl. options; IPv6 40 +
		                          extension headers */
		bool df;               /* IPv4 don't fragment */
		bool is_fragment;      /* MF set or offset != 0 (or IPv6 Frag hdr) */
		bool more_fragments;
		uint16_t frag_offset;  /* in bytes */
		uint32_t frag_id;      /* IPv4 id or IPv6 fragment identification */
	} ip;

	/* Ports: TCP or UDP (0 otherwise). */
	uint16_t sport, dport;

	struct {
		uint32_t seq, ack;
		uint16_t flags;    /* ND_TCP_* */
		uint16_t window;   /* raw, unscaled */
		uint16_t urg_ptr;
		uint8_t hdr_len;   /* 20..60 */
		uint8_t opt_len;   /* hdr_len - 20; options at layer off + 20 */
	} tcp;

	struct {
		uint16_t len;      /* UDP length field */
	} udp;

	/* ICMP or ICMPv6 (ND_LAYER_ICMP / ND_LAYER_ICMPV6 says which). */
	struct {
		uint8_t type, code;
		uint16_t id, seq;  /* echo request/reply only */
	} icmp;

	/* Transport payload (TCP/UDP data, ICMP body after 8 bytes), clipped to
	 * what IP says and what was captured.  Zero-length if none. */
	uint32_t payload_off;
	uint32_t payload_len;

	/* --- application-layer cache: mutable, see the file comment --- */
	struct nd_packet_app app;
};

/* Prepares a view for its first use: zero, ifindex -1, ifname NULL. */
void nd_packet_init(struct nd_packet *p);

/* Dissects one captured packet into p.  h gives the timestamp, caplen and
 * wire length; bytes are the h->caplen captured bytes (borrowed: p points
 * into them).  Every field but ifindex/ifname is reset.  No allocation.
 * Returns 0 when the link type was dissected (even partly: see flags), or
 * -EPROTONOSUPPORT when dlt is not supported (p then carries metadata and
 * ND_PKT_NOT_DISSECTED, no layers).  -EINVAL if p, h or bytes is NULL. */
int nd_packet_dissect(struct nd_packet *p, int dlt,
		      const struct pcap_pkthdr *h, const uint8_t *bytes);

/* Same, from explicit fields (for tests, benchmarks and fuzzers). */
int nd_packet_dissect_raw(struct nd_packet *p, int dlt, struct timeval ts,
			  uint32_t caplen, uint32_t wire_len,
			  const uint8_t *bytes);

/* True if link type dlt is one nd_packet_dissect understands. */
bool nd_packet_dlt_supported(int dlt);

static inline bool nd_packet_has(const struct nd_packet *p, enum nd_layer l)
{
	return (p->layers & ND_LAYER_BIT(l)) != 0;
}

/* The span of the first layer l, or NULL if absent. */
const struct nd_layer_span *nd_packet_layer_find(const struct nd_packet *p,
						 enum nd_layer l);

/* scapy's name for layer i of p (0 <= i < p->nlayers), e.g. "802.1Q" or
 * "ICMPv6 Echo Request".  Static string; "" if i is out of range.
 * Iterate: for (i = 0; i < p->nlayers; i++) count(nd_packet_layer_name(p, i)) */
const char *nd_packet_layer_name(const struct nd_packet *p, unsigned i);

/* Short stable identifier of a layer kind ("Ethernet", "SLL", "SLL2",
 * "Loopback", "Dot1Q", "Dot1AD", "ARP", "IP", "IPv6", "IPv6HopOpts",
 * "IPv6Routing", "IPv6Frag", "IPv6DstOpts", "TCP", "UDP", "ICMP", "ICMPv6",
 * "DNS", "Raw", "Padding", "ICMPv6NDOpt", "IPinICMP", "IPv6inICMPv6",
 * "TCPinICMP", "UDPinICMP", "ICMPinICMP"), or "?" for an unknown value. */
const char *nd_layer_name(enum nd_layer l);

/* The transport payload as a slice (empty if none). */
struct nd_slice nd_packet_payload(const struct nd_packet *p);

/* DNS message of a packet with ND_LAYER_DNS (UDP, or TCP with its 2-byte
 * length prefix), parsed on first call and cached.  NULL if the packet has
 * no DNS layer or the message does not parse. */
const struct nd_dns *nd_packet_dns(const struct nd_packet *p);

/* TLS ClientHello at the start of a TCP payload (any port), parsed on
 * first call and cached.  NULL if there is none (or it is cut off before
 * its server name).  The SNI is then `has_sni` / `sni`. */
const struct nd_tls_hello *nd_packet_tls(const struct nd_packet *p);

/* Convenience: the SNI host name of a TLS ClientHello, or an empty slice. */
struct nd_slice nd_packet_tls_sni(const struct nd_packet *p);

/* HTTP/1.x request line at the start of a TCP payload (any port), parsed
 * on first call and cached.  NULL if the payload is not one. */
const struct nd_http_req *nd_packet_http(const struct nd_packet *p);

#endif
