/*
 * hosts.h: the simulated network.  A LAN of hosts behind one gateway,
 * most untagged, some on 802.1Q VLANs, a few behind 802.1ad (QinQ) tags;
 * each host has a MAC, an IPv4 address in 192.168.1.0/24 and an IPv6 ULA
 * address.  Servers on the Internet use the documentation prefixes
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).
 * Hosts may change IPv4 address or network card (ARP traffic shows it).
 */
#ifndef GENCAP_HOSTS_H
#define GENCAP_HOSTS_H

#include <stdint.h>

#include "frame.h"
#include "rng.h"

#define GENCAP_HOSTS 48

struct gencap_host {
	uint8_t mac[6];
	uint8_t ip4[4];
	uint8_t ip6[16];
	struct gencap_tags tags;
};

struct gencap_net {
	struct gencap_host hosts[GENCAP_HOSTS];
	struct gencap_host gw;
	uint8_t next_ip; /* last byte of the next address handed out */
	uint32_t next_mac;
};

void gencap_net_init(struct gencap_net *n, struct gencap_rng *r);
struct gencap_host *gencap_net_pick(struct gencap_net *n, struct gencap_rng *r);
/* Gives h a fresh IPv4 address in the LAN (addresses are reused in turn). */
void gencap_net_renumber(struct gencap_net *n, struct gencap_host *h);
/* Gives h a fresh MAC (a replaced network card). */
void gencap_net_new_mac(struct gencap_net *n, struct gencap_host *h);
/* A random Internet server address (4 or 16 bytes into out). */
void gencap_net_server(struct gencap_rng *r, int v6, uint8_t out[16]);

#endif
