/*
 * arpchef.c: ARPChef, netdumplings' ARP chef.
 *
 * One packet dumpling per ARP packet:
 *
 *     {"operation": "reply", "src_hw": "aa:bb:cc:dd:ee:ff", "src_ip": "10.0.1.100",
 *      "dst_hw": "11:22:33:44:55:66", "dst_ip": "10.0.1.99",
 *      "time": 1499041214.205803, "notes": "source device is new"}
 *
 * `operation` is "request" (1), "reply" (2), or the operation number for
 * anything else; `time` is the packet's capture time.  `notes` is null
 * except for replies: "source device is new" the first time an IP address
 * answers, "source device has new IP address" when it answers from another
 * hardware address than before (netdumplings' wording, kept).  Addresses
 * are null for ARP that is not Ethernet/IPv4.
 *
 * The IP -> hardware address memory holds at most `max_devices` entries
 * (option, default 4096); the least recently heard is forgotten first (and
 * is then "new" again if it comes back).
 */
#include "chef.h"

#include "addrfmt.h"
#include "chef_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct device {
	uint8_t hw[6];
};

struct arpchef {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	struct nd_chef_table *ip_mac;
};

static int arp_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct arpchef *a;
	uint64_t max;
	int rc;

	rc = host->option_u64(ctx, "max_devices", 1, 1000000, 4096, &max);
	if (rc < 0)
		return rc;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->ip_mac = nd_chef_table_new(max, sizeof(struct device));
	if (!a->ip_mac) {
		free(a);
		return -ENOMEM;
	}
	a->ctx = ctx;
	a->host = host;
	*state = a;
	return 0;
}

static json_t *mac_json(const uint8_t hw[6])
{
	char buf[ND_MAC_TEXT_MAX];

	return nd_fmt_mac(hw, buf, sizeof(buf)) < 0 ? json_null() : json_string(buf);
}

static json_t *ipv4_json(const uint8_t ip[4])
{
	char buf[ND_IPV4_TEXT_MAX];

	return nd_fmt_ipv4(ip, buf, sizeof(buf)) < 0 ? json_null() : json_string(buf);
}

/* netdumplings' notes for a reply, remembering the sender. */
static json_t *reply_notes(struct arpchef *a, const struct nd_packet *pkt)
{
	struct device *d;
	bool created;
	json_t *notes = json_null();

	d = nd_chef_table_put(a->ip_mac, pkt->arp.spa, 4, &created);
	if (!d)
		return notes;
	if (created)
		notes = json_string("source device is new");
	else if (memcmp(d->hw, pkt->arp.sha, 6) != 0)
		notes = json_string("source device has new IP address");
	memcpy(d->hw, pkt->arp.sha, 6);
	return notes;
}

static int arp_packet(void *state, const struct nd_packet *pkt)
{
	struct arpchef *a = state;
	const bool addrs = pkt->arp.is_eth_ipv4;
	json_t *op, *notes = json_null();
	double t;

	if (!nd_packet_has(pkt, ND_LAYER_ARP))
		return 0;
	if (pkt->arp.op == 1)
		op = json_string("request");
	else if (pkt->arp.op == 2)
		op = json_string("reply");
	else
		op = json_integer(pkt->arp.op);
	if (pkt->arp.op == 2 && addrs)
		notes = reply_notes(a, pkt);
	t = (double)pkt->ts.tv_sec + (double)pkt->ts.tv_usec / 1e6;
	return a->host->emit(a->ctx,
			     json_pack("{s:o,s:o,s:o,s:o,s:o,s:f,s:o}", "operation", op, "src_hw",
				       addrs ? mac_json(pkt->arp.sha) : json_null(), "src_ip",
				       addrs ? ipv4_json(pkt->arp.spa) : json_null(), "dst_hw",
				       addrs ? mac_json(pkt->arp.tha) : json_null(), "dst_ip",
				       addrs ? ipv4_json(pkt->arp.tpa) : json_null(), "time", t,
				       "notes", notes));
}

static void arp_fini(void *state)
{
	struct arpchef *a = state;

	nd_chef_table_free(a->ip_mac);
	free(a);
}

static const struct nd_chef_option arp_options[] = {
	{"max_devices", "4096", "IP addresses remembered; the least recently heard is forgotten beyond"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc arp_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "ARPChef",
	.summary = "a dumpling per ARP packet, noting new devices and changed addresses",
	.interest = {.n_ethertypes = 1, .ethertypes = {0x0806}},
	.options = arp_options,
	.init = arp_init,
	.packet = arp_packet,
	.fini = arp_fini,
};

ND_CHEF_MODULE(NULL, &arp_chef)
