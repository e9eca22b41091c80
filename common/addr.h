/*
 * addr.h: parse the hub addresses people type.
 *
 * Accepted forms (default_port fills a missing port):
 *   host            host:port        example.org:11347
 *   192.0.2.1:80    [2001:db8::1]:80 [::1]        ::1 (bare IPv6, no port)
 *   ws://host[:port][/path]          wss://[::1]:11348/anything
 * Host names are checked for legal characters (letters, digits, '-', '.',
 * '_'), IPv6 literals with inet_pton.  Nothing is resolved here.
 */
#ifndef ND_ADDR_H
#define ND_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#define ND_ADDR_HOST_MAX 256
#define ND_ADDR_PATH_MAX 512

struct nd_addr {
	char host[ND_ADDR_HOST_MAX]; /* no brackets around IPv6 literals */
	char path[ND_ADDR_PATH_MAX]; /* "/" unless a URL gave one */
	uint16_t port;
	bool tls;   /* wss:// */
	bool ipv6;  /* host is an IPv6 literal */
};

/* Parses s into out.  Returns 0, or -EINVAL with *why (a static string,
 * may be NULL) saying what is wrong. */
int nd_addr_parse(const char *s, uint16_t default_port, struct nd_addr *out,
		  const char **why);

/* Formats as "host:port" or "[v6]:port" into buf; returns buf. */
char *nd_addr_format(const struct nd_addr *a, char *buf, unsigned size);

#endif
