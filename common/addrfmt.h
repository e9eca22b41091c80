/*
 * addrfmt.h: link and IP addresses as text, into caller buffers.
 *
 * No allocation, no locale, no inet_ntop: MAC as "aa:bb:cc:dd:ee:ff"
 * (lowercase, as scapy and tshark print them), IPv4 dotted quad, IPv6 in
 * RFC 5952 canonical form (lowercase hex, leading zeros dropped, the
 * longest run of two or more zero groups -- the first one on a tie --
 * written "::", IPv4-mapped ::ffff:a.b.c.d in mixed notation).
 */
#ifndef ND_ADDRFMT_H
#define ND_ADDRFMT_H

#include <stddef.h>
#include <stdint.h>

#define ND_MAC_TEXT_MAX 18   /* "aa:bb:cc:dd:ee:ff" + NUL */
#define ND_IPV4_TEXT_MAX 16  /* "255.255.255.255" + NUL */
#define ND_IPV6_TEXT_MAX 46  /* INET6_ADDRSTRLEN */
#define ND_IP_TEXT_MAX 46

/* Each writes the text and a NUL into buf and returns its length, or
 * -ENOSPC if size is too small (buf then holds "" when size > 0). */
int nd_fmt_mac(const uint8_t mac[6], char *buf, size_t size);
int nd_fmt_ipv4(const uint8_t ip[4], char *buf, size_t size);
int nd_fmt_ipv6(const uint8_t ip[16], char *buf, size_t size);

/* IPv4 (version 4: the first 4 bytes) or IPv6 (version 6); -EINVAL for any
 * other version. */
int nd_fmt_ip(int version, const uint8_t *ip, char *buf, size_t size);

#endif
