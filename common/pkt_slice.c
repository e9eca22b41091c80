/*
 * pkt_slice.c: comparing and escaping strings taken from packets.
 */
#include <errno.h>
#include <string.h>

#include "pkt_slice.h"

bool nd_slice_eq(struct nd_slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && (n == 0 || memcmp(s.ptr, lit, n) == 0);
}

bool nd_slice_eq_nocase(struct nd_slice s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t a = s.ptr[i], b = (uint8_t)lit[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a | 0x20);
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b | 0x20);
		if (a != b)
			return false;
	}
	return true;
}

int nd_slice_escape(struct nd_slice s, char *buf, size_t size)
{
	size_t o = 0;

	if (!buf || size == 0)
		return -ENOSPC;
	for (uint32_t i = 0; i < s.len; i++) {
		uint8_t ch = s.ptr[i];
		char tmp[4];
		size_t t = 0;

		if (ch == '\\') {
			tmp[t++] = '\\';
			tmp[t++] = '\\';
		} else if (ch >= 0x21 && ch <= 0x7e) {
			tmp[t++] = (char)ch;
		} else {
			tmp[t++] = '\\';
			tmp[t++] = (char)('0' + ch / 100);
			tmp[t++] = (char)('0' + ch / 10 % 10);
			tmp[t++] = (char)('0' + ch % 10);
		}
		if (t >= size - o) {
			buf[o] = '\0';
			return -ENOSPC;
		}
		memcpy(buf + o, tmp, t);
		o += t;
	}
	buf[o] = '\0';
	return (int)o;
}
