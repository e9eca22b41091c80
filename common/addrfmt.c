/*
 * addrfmt.c: MAC, IPv4 and IPv6 (RFC 5952) text into caller buffers.
 *
 * Each formatter builds the text in a local array sized for the longest
 * case, then copies it out if it fits, so a short buffer never sees a
 * partial address.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "addrfmt.h"

static const char nd_hex[] = "0123456789abcdef";

static int nd_fmt_out(const char *tmp, size_t n, char *buf, size_t size)
{
	if (!buf || size == 0)
		return -ENOSPC;
	if (n >= size) {
		buf[0] = '\0';
		return -ENOSPC;
	}
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return (int)n;
}

int nd_fmt_mac(const uint8_t mac[6], char *buf, size_t size)
{
	char tmp[ND_MAC_TEXT_MAX];
	size_t n = 0;

	for (int i = 0; i < 6; i++) {
		if (i)
			tmp[n++] = ':';
		tmp[n++] = nd_hex[mac[i] >> 4];
		tmp[n++] = nd_hex[mac[i] & 15];
	}
	return nd_fmt_out(tmp, n, buf, size);
}

static size_t nd_fmt_dec(uint8_t v, char *out)
{
	size_t n = 0;

	if (v >= 100)
		out[n++] = (char)('0' + v / 100);
	if (v >= 10)
		out[n++] = (char)('0' + v / 10 % 10);
	out[n++] = (char)('0' + v % 10);
	return n;
}

static size_t nd_fmt_quad(const uint8_t ip[4], char *out)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		if (i)
			out[n++] = '.';
		n += nd_fmt_dec(ip[i], out + n);
	}
	return n;
}

int nd_fmt_ipv4(const uint8_t ip[4], char *buf, size_t size)
{
	char tmp[ND_IPV4_TEXT_MAX];

	return nd_fmt_out(tmp, nd_fmt_quad(ip, tmp), buf, size);
}

static size_t nd_fmt_group(uint16_t g, char *out)
{
	size_t n = 0;
	bool started = false;

	for (int shift = 12; shift >= 0; shift -= 4) {
		unsigned d = (g >> shift) & 15;

		if (d || started || shift == 0) {
			out[n++] = nd_hex[d];
			started = true;
		}
	}
	return n;
}

int nd_fmt_ipv6(const uint8_t ip[16], char *buf, size_t size)
{
	char tmp[ND_IPV6_TEXT_MAX];
	uint16_t g[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0, groups = 8;
	size_t n = 0;
	bool v4 = false;

	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(ip[2 * i] << 8 | ip[2 * i + 1]);
	/* IPv4-mapped ::ffff:a.b.c.d (RFC 5952 section 5). */
	if (!g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff) {
		v4 = true;
		groups = 6;
	}
	for (int i = 0; i < groups; i++) {
		if (g[i] == 0) {
			if (cur < 0) {
				cur = i;
				cur_len = 0;
			}
			if (++cur_len > best_len) {
				best = cur;
				best_len = cur_len;
			}
		} else {
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < groups; i++) {
		if (i == best) {
			tmp[n++] = ':';
			tmp[n++] = ':';
			i += best_len - 1;
			continue;
		}
		if (i && !(best >= 0 && i == best + best_len))
			tmp[n++] = ':';
		n += nd_fmt_group(g[i], tmp + n);
	}
	if (v4) {
		if (best + best_len != groups)
			tmp[n++] = ':';
		n += nd_fmt_quad(ip + 12, tmp + n);
	}
	return nd_fmt_out(tmp, n, buf, size);
}

int nd_fmt_ip(int version, const uint8_t *ip, char *buf, size_t size)
{
	if (version == 4)
		return nd_fmt_ipv4(ip, buf, size);
	if (version == 6)
		return nd_fmt_ipv6(ip, buf, size);
	if (buf && size)
		buf[0] = '\0';
	return -EINVAL;
}
