/*
 * addr.c: HOST:PORT and ws[s]:// URL parsing.  See addr.h.
 * Works on bounded copies; never reads past the NUL of its input.
 */
#include "addr.h"

#include "opt.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -EINVAL;
}

static bool hostname_ok(const char *h)
{
	if (!*h)
		return false;
	for (const char *p = h; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return false;
	}
	return true;
}

static int parse_port(const char *s, uint16_t *port, const char **why)
{
	if (!*s)
		return fail(why, "empty port after ':'");
	if (nd_opt_parse_port(s, 0, port) != 0)
		return fail(why, "port is not a number from 1 to 65535");
	return 0;
}

/* Parses "host", "host:port", "[v6]", "[v6]:port" or a bare v6 literal. */
static int parse_hostport(char *s, uint16_t default_port, struct nd_addr *out,
			  const char **why)
{
	struct in6_addr a6;
	char *colon;

	out->port = default_port;
	if (*s == '[') {
		char *close = strchr(s, ']');

		if (!close)
			return fail(why, "'[' without a closing ']'");
		*close = '\0';
		if (inet_pton(AF_INET6, s + 1, &a6) != 1)
			return fail(why, "not an IPv6 address inside [ ]");
		if (close[1] == ':') {
			if (parse_port(close + 2, &out->port, why))
				return -EINVAL;
		} else if (close[1] != '\0') {
			return fail(why, "unexpected text after ']'");
		}
		s++;
		out->ipv6 = true;
	} else if ((colon = strchr(s, ':')) && strchr(colon + 1, ':')) {
		/* Two or more colons and no brackets: a bare IPv6 literal. */
		if (inet_pton(AF_INET6, s, &a6) != 1)
			return fail(why, "not an IPv6 address (use [addr]:port to give a port)");
		out->ipv6 = true;
	} else {
		if (colon) {
			*colon = '\0';
			if (parse_port(colon + 1, &out->port, why))
				return -EINVAL;
		}
		if (!hostname_ok(s))
			return fail(why, *s ? "host name has characters that are not allowed"
					    : "empty host");
	}
	if (strlen(s) >= sizeof(out->host))
		return fail(why, "host name too long");
	strcpy(out->host, s);
	return 0;
}

int nd_addr_parse(const char *s, uint16_t default_port, struct nd_addr *out,
		  const char **why)
{
	char buf[ND_ADDR_HOST_MAX + ND_ADDR_PATH_MAX + 16];
	char *p, *slash;

	memset(out, 0, sizeof(*out));
	strcpy(out->path, "/");
	if (!s || !*s)
		return fail(why, "empty address");
	if (strlen(s) >= sizeof(buf))
		return fail(why, "address too long");
	strcpy(buf, s);
	p = buf;
	if (strncmp(p, "ws://", 5) == 0) {
		p += 5;
	} else if (strncmp(p, "wss://", 6) == 0) {
		p += 6;
		out->tls = true;
	} else if (strstr(p, "://")) {
		return fail(why, "unsupported URL scheme (use ws:// or wss://)");
	} else {
		return parse_hostport(p, default_port, out, why);
	}
	slash = strchr(p, '/');
	if (slash) {
		if (strlen(slash) >= sizeof(out->path))
			return fail(why, "URL path too long");
		strcpy(out->path, slash);
		*slash = '\0';
	}
	if (!*p)
		return fail(why, "URL has no host");
	return parse_hostport(p, default_port, out, why);
}

char *nd_addr_format(const struct nd_addr *a, char *buf, unsigned size)
{
	if (a->ipv6)
		snprintf(buf, size, "[%s]:%u", a->host, a->port);
	else
		snprintf(buf, size, "%s:%u", a->host, a->port);
	return buf;
}
