/*
 * layers.c: names of layers, for display and for per-layer counting.
 *
 * nd_packet_layer_name() gives the `.name` of the scapy 2.5 layer class
 * that netdumplings' chefs saw for the same bytes, so that dashboards keyed
 * on those names keep working.  ICMPv6 is one layer kind here but many
 * classes in scapy, one per message type: the table below follows scapy's
 * icmp6typescls (MLD query: the MLDv2 class when the body is 28 bytes or
 * more, as scapy's dispatch does).  nd_layer_name() gives short stable
 * identifiers instead.
 */
#include "pkt_internal.h"

static const char *const nd_scapy_names[ND_LAYER_COUNT] = {
	[ND_LAYER_ETHERNET] = "Ethernet",
	[ND_LAYER_SLL] = "cooked linux",
	[ND_LAYER_SLL2] = "cooked linux v2",
	[ND_LAYER_LOOPBACK] = "Loopback",
	[ND_LAYER_DOT1Q] = "802.1Q",
	[ND_LAYER_DOT1AD] = "802_1AD",
	[ND_LAYER_ARP] = "ARP",
	[ND_LAYER_IP] = "IP",
	[ND_LAYER_IPV6] = "IPv6",
	[ND_LAYER_IPV6_HOPOPTS] =
		"IPv6 Extension Header - Hop-by-Hop Options Header",
	[ND_LAYER_IPV6_ROUTING] = "IPv6 Option Header Routing",
	[ND_LAYER_IPV6_FRAGMENT] =
		"IPv6 Extension Header - Fragmentation header",
	[ND_LAYER_IPV6_DSTOPTS] =
		"IPv6 Extension Header - Destination Options Header",
	[ND_LAYER_TCP] = "TCP",
	[ND_LAYER_UDP] = "UDP",
	[ND_LAYER_ICMP] = "ICMP",
	[ND_LAYER_ICMPV6] = "ICMPv6",
	[ND_LAYER_DNS] = "DNS",
	[ND_LAYER_RAW] = "Raw",
	[ND_LAYER_PADDING] = "Padding",
	[ND_LAYER_ICMPV6_NDOPT] = "ICMPv6 Neighbor Discovery Option",
	[ND_LAYER_IP_IN_ICMP] = "IP in ICMP",
	[ND_LAYER_IPV6_IN_ICMPV6] = "IPv6 in ICMPv6",
	[ND_LAYER_TCP_IN_ICMP] = "TCP in ICMP",
	[ND_LAYER_UDP_IN_ICMP] = "UDP in ICMP",
	[ND_LAYER_ICMP_IN_ICMP] = "ICMP in ICMP",
};

static const char *const nd_short_names[ND_LAYER_COUNT] = {
	[ND_LAYER_ETHERNET] = "Ethernet",
	[ND_LAYER_SLL] = "SLL",
	[ND_LAYER_SLL2] = "SLL2",
	[ND_LAYER_LOOPBACK] = "Loopback",
	[ND_LAYER_DOT1Q] = "Dot1Q",
	[ND_LAYER_DOT1AD] = "Dot1AD",
	[ND_LAYER_ARP] = "ARP",
	[ND_LAYER_IP] = "IP",
	[ND_LAYER_IPV6] = "IPv6",
	[ND_LAYER_IPV6_HOPOPTS] = "IPv6HopOpts",
	[ND_LAYER_IPV6_ROUTING] = "IPv6Routing",
	[ND_LAYER_IPV6_FRAGMENT] = "IPv6Frag",
	[ND_LAYER_IPV6_DSTOPTS] = "IPv6DstOpts",
	[ND_LAYER_TCP] = "TCP",
	[ND_LAYER_UDP] = "UDP",
	[ND_LAYER_ICMP] = "ICMP",
	[ND_LAYER_ICMPV6] = "ICMPv6",
	[ND_LAYER_DNS] = "DNS",
	[ND_LAYER_RAW] = "Raw",
	[ND_LAYER_PADDING] = "Padding",
	[ND_LAYER_ICMPV6_NDOPT] = "ICMPv6NDOpt",
	[ND_LAYER_IP_IN_ICMP] = "IPinICMP",
	[ND_LAYER_IPV6_IN_ICMPV6] = "IPv6inICMPv6",
	[ND_LAYER_TCP_IN_ICMP] = "TCPinICMP",
	[ND_LAYER_UDP_IN_ICMP] = "UDPinICMP",
	[ND_LAYER_ICMP_IN_ICMP] = "ICMPinICMP",
};

/* scapy's icmp6ndoptscls; types it does not know end the chain as Raw, so
 * they never reach here. */
static const char *nd_ndopt_name(uint8_t type)
{
#define NDO "ICMPv6 Neighbor Discovery Option - "
#define ND "ICMPv6 Neighbor Discovery - "
	switch (type) {
	case 1: return NDO "Source Link-Layer Address";
	case 2: return NDO "Destination Link-Layer Address";
	case 3: return NDO "Prefix Information";
	case 4: return NDO "Redirected Header";
	case 5: return NDO "MTU";
	case 6: return NDO "NBMA Shortcut Limit";
	case 7: return ND "Interval Advertisement";
	case 8: return ND "Home Agent Information";
	case 9: return "ICMPv6 Inverse Neighbor Discovery Option - Source Address List";
	case 10: return "ICMPv6 Inverse Neighbor Discovery Option - Target Address List";
	case 17: return ND "IP Address Option (FH for MIPv6)";
	case 18: return ND "New Router Prefix Information Option (FH for MIPv6)";
	case 19: return ND "Link-Layer Address (LLA) Option (FH for MIPv6)";
	case 23: return ND "MAP Option";
	case 24: return NDO "Route Information Option";
	case 25: return NDO "Recursive DNS Server Option";
	case 26: return NDO "Expanded Flags Option";
	case 31: return NDO "DNS Search List Option";
	default: return NDO "Scapy Unimplemented";
	}
#undef NDO
#undef ND
}

bool nd__pkt_ndopt_known(uint8_t type)
{
	return (type >= 1 && type <= 10) || (type >= 17 && type <= 19) ||
	       (type >= 23 && type <= 26) || type == 31;
}

static const char *nd_icmpv6_name(uint8_t type, uint32_t len)
{
	switch (type) {
	case 1: return "ICMPv6 Destination Unreachable";
	case 2: return "ICMPv6 Packet Too Big";
	case 3: return "ICMPv6 Time Exceeded";
	case 4: return "ICMPv6 Parameter Problem";
	case 128: return "ICMPv6 Echo Request";
	case 129: return "ICMPv6 Echo Reply";
	case 130:
		return len >= 28 ? "MLDv2 - Multicast Listener Query"
				 : "MLD - Multicast Listener Query";
	case 131: return "MLD - Multicast Listener Report";
	case 132: return "MLD - Multicast Listener Done";
	case 133: return "ICMPv6 Neighbor Discovery - Router Solicitation";
	case 134: return "ICMPv6 Neighbor Discovery - Router Advertisement";
	case 135: return "ICMPv6 Neighbor Discovery - Neighbor Solicitation";
	case 136: return "ICMPv6 Neighbor Discovery - Neighbor Advertisement";
	case 137: return "ICMPv6 Neighbor Discovery - Redirect";
	case 141: return "ICMPv6 Inverse Neighbor Discovery Solicitation";
	case 142: return "ICMPv6 Inverse Neighbor Discovery Advertisement";
	case 143: return "MLDv2 - Multicast Listener Report";
	case 144: return "ICMPv6 Home Agent Address Discovery Request";
	case 145: return "ICMPv6 Home Agent Address Discovery Reply";
	case 146: return "ICMPv6 Mobile Prefix Solicitation";
	case 147: return "ICMPv6 Mobile Prefix Advertisement";
	case 151: return "ICMPv6 Multicast Router Discovery Advertisement";
	case 152: return "ICMPv6 Multicast Router Discovery Solicitation";
	case 153: return "ICMPv6 Multicast Router Discovery Termination";
	case 155: return "RPL";
	default: return "Scapy6 ICMPv6 fallback class";
	}
}

const char *nd_packet_layer_name(const struct nd_packet *p, unsigned i)
{
	const struct nd_layer_span *s;

	if (i >= p->nlayers || p->layer[i].id >= ND_LAYER_COUNT)
		return "";
	s = &p->layer[i];
	if (s->id == ND_LAYER_ICMPV6)
		return nd_icmpv6_name(p->icmp.type, s->len);
	if (s->id == ND_LAYER_ICMPV6_NDOPT)
		return nd_ndopt_name(s->sub);
	return nd_scapy_names[s->id];
}

const char *nd_layer_name(enum nd_layer l)
{
	if ((unsigned)l >= ND_LAYER_COUNT)
		return "?";
	return nd_short_names[l];
}
