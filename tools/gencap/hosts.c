/*
 * hosts.c: the simulated network (see hosts.h).
 */
#include "hosts.h"

#include <string.h>

static void make_mac(uint8_t mac[6], uint32_t serial, uint8_t kind)
{
	mac[0] = 0x02; /* locally administered, unicast */
	mac[1] = kind;
	mac[2] = (uint8_t)(serial >> 24);
	mac[3] = (uint8_t)(serial >> 16);
	mac[4] = (uint8_t)(serial >> 8);
	mac[5] = (uint8_t)serial;
}

static void make_ip6(uint8_t ip6[16], const uint8_t mac[6])
{
	static const uint8_t prefix[8] = {0xfd, 0x00, 0x0d, 0x0e, 0x0a, 0x0d, 0x00, 0x01};

	memcpy(ip6, prefix, 8);
	ip6[8] = mac[0] ^ 0x02;
	ip6[9] = mac[1];
	ip6[10] = mac[2];
	ip6[11] = 0xff;
	ip6[12] = 0xfe;
	ip6[13] = mac[3];
	ip6[14] = mac[4];
	ip6[15] = mac[5];
}

void gencap_net_init(struct gencap_net *n, struct gencap_rng *r)
{
	memset(n, 0, sizeof(*n));
	make_mac(n->gw.mac, 1, 0x00);
	memcpy(n->gw.ip4, (uint8_t[]){192, 168, 1, 1}, 4);
	make_ip6(n->gw.ip6, n->gw.mac);
	for (unsigned i = 0; i < GENCAP_HOSTS; i++) {
		struct gencap_host *h = &n->hosts[i];

		make_mac(h->mac, gencap_rng_next(r) >> 32 & 0xffffff, 0x10);
		memcpy(h->ip4, (uint8_t[]){192, 168, 1, (uint8_t)(10 + i)}, 4);
		make_ip6(h->ip6, h->mac);
		if (i >= 46) {
			h->tags.outer = 100;
			h->tags.inner = 30;
		} else if (i >= 40) {
			h->tags.inner = i % 2 ? 10 : 20;
		}
	}
	n->next_ip = 100;
	n->next_mac = 1;
}

struct gencap_host *gencap_net_pick(struct gencap_net *n, struct gencap_rng *r)
{
	return &n->hosts[gencap_rng_below(r, GENCAP_HOSTS)];
}

void gencap_net_renumber(struct gencap_net *n, struct gencap_host *h)
{
	h->ip4[3] = n->next_ip;
	n->next_ip = (uint8_t)(n->next_ip >= 249 ? 100 : n->next_ip + 1);
}

void gencap_net_new_mac(struct gencap_net *n, struct gencap_host *h)
{
	make_mac(h->mac, n->next_mac++, 0xee);
}

void gencap_net_server(struct gencap_rng *r, int v6, uint8_t out[16])
{
	static const uint8_t nets[3][3] = {{192, 0, 2}, {198, 51, 100}, {203, 0, 113}};

	if (v6) {
		static const uint8_t p[6] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00};

		memcpy(out, p, 6);
		out[6] = (uint8_t)gencap_rng_below(r, 256);
		out[7] = (uint8_t)gencap_rng_below(r, 256);
		memset(out + 8, 0, 6);
		out[14] = (uint8_t)gencap_rng_below(r, 256);
		out[15] = (uint8_t)gencap_rng_range(r, 1, 255);
	} else {
		memcpy(out, nets[gencap_rng_below(r, 3)], 3);
		out[3] = (uint8_t)gencap_rng_range(r, 1, 254);
	}
}
