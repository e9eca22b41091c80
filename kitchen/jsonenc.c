/*
 * jsonenc.c: compact JSON encoding identical to jansson's (see jsonenc.h).
 *
 * What jansson 2.14 writes, and so what this writes:
 *  - strings: '"' and '\\' escaped with a backslash, \b \f \n \r \t, other
 *    bytes below 0x20 as \u00XX (upper-case hex); everything else as is
 *    (no / escaping, UTF-8 kept);
 *  - integers: decimal;
 *  - reals: "%.16g", then ".0" appended when there is neither '.' nor 'e',
 *    and a '+' and leading zeros dropped from the exponent;
 *  - objects in insertion order, no spaces.
 * Reals in [1e9, 1e10) (time stamps) take a hand-written path that gives
 * the same digits; anything near a rounding tie goes through snprintf.
 */
#include "jsonenc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 64

struct out {
	char *p;      /* next byte */
	char *end;    /* end of the buffer */
	size_t total; /* bytes the whole encoding needs */
	int bad;
};

static void put(struct out *o, const char *s, size_t n)
{
	if ((size_t)(o->end - o->p) >= n) {
		memcpy(o->p, s, n);
		o->p += n;
	} else {
		o->p = o->end;
	}
	o->total += n;
}

static void put_c(struct out *o, char c)
{
	if (o->p < o->end)
		*o->p++ = c;
	o->total++;
}

static void put_u64(struct out *o, uint64_t v)
{
	char tmp[24];
	int n = (int)sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, tmp + n, sizeof(tmp) - (size_t)n);
}

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80), or 0. */
static size_t utf8_len(const char *s, size_t left)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2, cp = u[0] & 0x1f;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		n = 3, cp = u[0] & 0x0f;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		n = 4, cp = u[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (u[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void put_string(struct out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0;

	put_c(o, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];
		size_t n = 2;

		if (c >= 0x80) {
			size_t k = utf8_len(s + i, len - i);

			if (!k) {
				o->bad = 1; /* jansson refuses it too */
				return;
			}
			i += k - 1;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(o, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
			break;
		}
		put(o, esc, n);
	}
	put(o, s + run, len - run);
	put_c(o, '"');
}

/* jansson's real format, from snprintf. */
static void put_real_slow(struct out *o, double v)
{
	char buf[64], *e;
	int n = snprintf(buf, sizeof(buf), "%.16g", v);

	if (n < 0 || n >= (int)sizeof(buf) - 3) {
		o->bad = 1;
		return;
	}
	if (!strchr(buf, '.') && !strchr(buf, 'e'))
		memcpy(buf + n, ".0", 3), n += 2;
	e = strchr(buf, 'e');
	if (e) {
		char *q = e + 1, *r;

		if (*q == '-')
			q++;
		r = q;
		if (*r == '+')
			r++;
		while (*r == '0' && r[1])
			r++;
		memmove(q, r, strlen(r) + 1);
		n = (int)strlen(buf);
	}
	put(o, buf, (size_t)n);
}

/* Reals in [1e9, 1e10): "%.16g" gives ten integer digits and six decimals,
 * trailing zeros dropped.  Rounds like printf unless too near a tie. */
static void put_real(struct out *o, double v)
{
	long double scaled, ip, frac;
	uint64_t us, sec;
	char digits[8];
	int n = 6;

	if (!(v >= 1e9 && v < 1e10)) {
		put_real_slow(o, v);
		return;
	}
	scaled = (long double)v * 1000000.0L;
	frac = modfl(scaled, &ip);
	if (fabsl(frac - 0.5L) < 0.01L) {
		put_real_slow(o, v);
		return;
	}
	us = (uint64_t)ip + (frac > 0.5L);
	sec = us / 1000000;
	us %= 1000000;
	if (sec >= 10000000000ull) {
		put_real_slow(o, v);
		return;
	}
	put_u64(o, sec);
	for (int i = 5; i >= 0; i--) {
		digits[i] = (char)('0' + us % 10);
		us /= 10;
	}
	while (n > 0 && digits[n - 1] == '0')
		n--;
	put_c(o, '.');
	if (n == 0)
		put_c(o, '0');
	else
		put(o, digits, (size_t)n);
}

static void encode(struct out *o, const json_t *v, int depth)
{
	if (o->bad)
		return;
	if (depth > MAX_DEPTH) {
		o->bad = 1;
		return;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *val;
		int first = 1;

		size_t key_len;

		put_c(o, '{');
		json_object_keylen_foreach((json_t *)v, key, key_len, val) {
			if (!first)
				put_c(o, ',');
			first = 0;
			put_string(o, key, key_len);
			put_c(o, ':');
			encode(o, val, depth + 1);
		}
		put_c(o, '}');
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);

		put_c(o, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				put_c(o, ',');
			encode(o, json_array_get(v, i), depth + 1);
		}
		put_c(o, ']');
		break;
	}
	case JSON_STRING:
		put_string(o, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER: {
		json_int_t i = json_integer_value(v);

		if (i < 0) {
			put_c(o, '-');
			put_u64(o, (uint64_t)0 - (uint64_t)i);
		} else {
			put_u64(o, (uint64_t)i);
		}
		break;
	}
	case JSON_REAL: {
		double d = json_real_value(v);

		if (!isfinite(d))
			o->bad = 1;
		else
			put_real(o, d);
		break;
	}
	case JSON_TRUE:
		put(o, "true", 4);
		break;
	case JSON_FALSE:
		put(o, "false", 5);
		break;
	case JSON_NULL:
		put(o, "null", 4);
		break;
	}
}

size_t kitchen_json_encode(const json_t *v, char *buf, size_t cap)
{
	struct out o = { .p = buf, .end = buf + cap };

	if (!v)
		return 0;
	encode(&o, v, 0);
	return o.bad ? 0 : o.total;
}
