/*
 * jscan.c: validating JSON scan that picks out a dumpling's metadata.
 * See jscan.h.
 *
 * Recursive descent over a bounds-checked cursor; recursion depth is
 * limited by the nesting ceiling before it is entered.  Every loop
 * advances the cursor.  The first error sticks and ends the scan.
 */
#include "jscan.h"

#include "proto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum jtype { J_NONE, J_OBJECT, J_ARRAY, J_STRING, J_NUMBER, J_TRUE, J_FALSE, J_NULL };
enum role { R_NONE, R_TOP, R_META };

struct val {
	enum jtype t;
	struct hub_slice s; /* strings: the raw bytes between the quotes */
	bool esc;           /* the string holds escapes */
	bool is_int, neg, ovf;
	uint64_t u;
};

struct cur {
	const unsigned char *p, *end, *begin;
	int depth, max_depth;
	const char *err;   /* sticky */
	bool again;        /* needs the slow path */
	/* What was found. */
	enum jtype meta_t;
	bool has_payload;
	struct val chef, kitchen, driver, ctime, seq, start;
};

static bool fail(struct cur *c, const char *why)
{
	if (!c->err)
		c->err = why;
	return false;
}

static void ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static bool hex4(struct cur *c, unsigned *out)
{
	unsigned v = 0;

	if (c->end - c->p < 4)
		return fail(c, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		int h = hexval(c->p[i]);

		if (h < 0)
			return fail(c, "invalid \\u escape");
		v = v << 4 | (unsigned)h;
	}
	c->p += 4;
	*out = v;
	return true;
}

static bool escape(struct cur *c)
{
	unsigned u, lo;

	if (c->p >= c->end)
		return fail(c, "truncated escape");
	switch (*c->p++) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return true;
	case 'u':
		break;
	default:
		return fail(c, "invalid escape");
	}
	if (!hex4(c, &u))
		return false;
	if (u == 0)
		return fail(c, "\\u0000 is not allowed");
	if (u >= 0xDC00 && u <= 0xDFFF)
		return fail(c, "lone low surrogate");
	if (u >= 0xD800 && u <= 0xDBFF) {
		if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
			return fail(c, "high surrogate without a low one");
		c->p += 2;
		if (!hex4(c, &lo))
			return false;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return fail(c, "high surrogate without a low one");
	}
	return true;
}

/* One UTF-8 sequence starting at a byte >= 0x80. */
static bool utf8(struct cur *c)
{
	unsigned char b = *c->p;
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;

	if (b >= 0xC2 && b <= 0xDF)
		n = 1;
	else if (b >= 0xE0 && b <= 0xEF)
		n = 2;
	else if (b >= 0xF0 && b <= 0xF4)
		n = 3;
	else
		return fail(c, "invalid UTF-8");
	if (b == 0xE0)
		lo = 0xA0; /* overlong */
	else if (b == 0xED)
		hi = 0x9F; /* UTF-16 surrogates */
	else if (b == 0xF0)
		lo = 0x90; /* overlong */
	else if (b == 0xF4)
		hi = 0x8F; /* above U+10FFFF */
	if ((size_t)(c->end - c->p) <= n)
		return fail(c, "truncated UTF-8");
	if (c->p[1] < lo || c->p[1] > hi)
		return fail(c, "invalid UTF-8");
	for (size_t i = 2; i <= n; i++)
		if ((c->p[i] & 0xC0) != 0x80)
			return fail(c, "invalid UTF-8");
	c->p += n + 1;
	return true;
}

/* True when any of the 8 bytes in x is a control character, a quote, a
 * backslash or not ASCII: the bytes a string scan must look at. */
static bool special8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	/* "has a byte below n" and "has a zero byte" tests: exact as booleans
	 * (a false alarm would only mean the byte loop looks). */
	return ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x) & high) != 0;
}

static bool string(struct cur *c, struct val *v)
{
	const unsigned char *s = ++c->p; /* after the quote */

	v->t = J_STRING;
	v->esc = false;
	while (c->p < c->end) {
		unsigned char b;
		uint64_t x;

		/* Plain ASCII runs, eight bytes at a time. */
		while (c->end - c->p >= 8) {
			memcpy(&x, c->p, 8);
			if (special8(x))
				break;
			c->p += 8;
		}
		if (c->p >= c->end)
			break;
		b = *c->p;

		if (b == '"') {
			v->s.p = (const char *)s;
			v->s.n = (size_t)(c->p - s);
			c->p++;
			return true;
		}
		if (b < 0x20)
			return fail(c, "control character in a string");
		if (b == '\\') {
			c->p++;
			v->esc = true;
			if (!escape(c))
				return false;
		} else if (b >= 0x80) {
			if (!utf8(c))
				return false;
		} else {
			c->p++;
		}
	}
	return fail(c, "unterminated string");
}

static bool digits(struct cur *c, struct val *v, bool acc)
{
	const unsigned char *s = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (acc) {
			unsigned d = *c->p - '0';

			if (v->u > (UINT64_MAX - d) / 10)
				v->ovf = true;
			else
				v->u = v->u * 10 + d;
		}
		c->p++;
	}
	return c->p > s || fail(c, "invalid number");
}

static bool number(struct cur *c, struct val *v)
{
	const unsigned char *int_start, *exp_start;
	size_t int_digits;
	uint64_t e = 0;
	bool eneg = false;

	v->t = J_NUMBER;
	v->is_int = true;
	v->neg = v->ovf = false;
	v->u = 0;
	if (*c->p == '-') {
		v->neg = true;
		c->p++;
	}
	int_start = c->p;
	if (c->p < c->end && *c->p == '0') {
		c->p++;
	} else if (!digits(c, v, true)) {
		return false;
	}
	int_digits = (size_t)(c->p - int_start);
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		v->is_int = false;
		if (!digits(c, v, false))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		v->is_int = false;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			eneg = *c->p++ == '-';
		exp_start = c->p;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
			if (e < 1000000)
				e = e * 10 + (uint64_t)(*c->p - '0');
			c->p++;
		}
		if (c->p == exp_start)
			return fail(c, "invalid number");
	}
	/* Refuse what jansson refuses (nd_dumpling_parse, and every eater
	 * built on it): integers outside int64 and reals that overflow a
	 * double.  Reals near that edge take the slow path, where jansson
	 * decides; below it (almost every number) nothing more is done. */
	if (v->is_int) {
		if (v->ovf || v->u > (uint64_t)INT64_MAX + (v->neg ? 1u : 0u))
			return fail(c, "integer too big");
	} else if (!eneg && int_digits + e > 300) {
		c->again = true;
	}
	return true;
}

static bool literal(struct cur *c, const char *word, enum jtype t, struct val *v)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return fail(c, "invalid token");
	c->p += n;
	v->t = t;
	return true;
}

static bool value(struct cur *c, struct val *v, enum role role);

static bool key_is(const struct val *k, const char *name)
{
	size_t n = strlen(name);

	return k->s.n == n && memcmp(k->s.p, name, n) == 0;
}

static void note_member(struct cur *c, enum role role, const struct val *k, const struct val *v)
{
	if (role == R_TOP) {
		if (key_is(k, ND_KEY_METADATA))
			c->meta_t = v->t;
		else if (key_is(k, ND_KEY_PAYLOAD))
			c->has_payload = true;
		return;
	}
	if (key_is(k, ND_KEY_CHEF))
		c->chef = *v;
	else if (key_is(k, ND_KEY_KITCHEN))
		c->kitchen = *v;
	else if (key_is(k, ND_KEY_DRIVER))
		c->driver = *v;
	else if (key_is(k, ND_KEY_CREATION_TIME))
		c->ctime = *v;
	else if (key_is(k, ND_KEY_SEQ))
		c->seq = *v;
	else if (key_is(k, ND_KEY_KITCHEN_START))
		c->start = *v;
}

static bool object(struct cur *c, enum role role)
{
	struct val k, v;

	c->p++;
	if (role == R_META) { /* a later "metadata" replaces an earlier one */
		memset(&c->chef, 0, sizeof(c->chef));
		c->kitchen = c->driver = c->ctime = c->seq = c->start = c->chef;
	}
	ws(c);
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		return true;
	}
	for (;;) {
		ws(c);
		if (c->p >= c->end || *c->p != '"')
			return fail(c, "expected a string key");
		if (!string(c, &k))
			return false;
		if (k.esc && role != R_NONE)
			c->again = true;
		ws(c);
		if (c->p >= c->end || *c->p != ':')
			return fail(c, "expected ':'");
		c->p++;
		enum role child = role == R_TOP && key_is(&k, ND_KEY_METADATA) ? R_META : R_NONE;
		memset(&v, 0, sizeof(v));
		if (!value(c, &v, child))
			return false;
		if (role != R_NONE)
			note_member(c, role, &k, &v);
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			return true;
		}
		return fail(c, "expected ',' or '}'");
	}
}

static bool array(struct cur *c)
{
	struct val v;

	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == ']') {
		c->p++;
		return true;
	}
	for (;;) {
		if (!value(c, &v, R_NONE))
			return false;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			return true;
		}
		return fail(c, "expected ',' or ']'");
	}
}

static bool value(struct cur *c, struct val *v, enum role role)
{
	bool ok;

	ws(c);
	if (c->p >= c->end)
		return fail(c, "unexpected end of text");
	switch (*c->p) {
	case '{':
	case '[':
		if (++c->depth > c->max_depth)
			return fail(c, "nesting too deep");
		v->t = *c->p == '{' ? J_OBJECT : J_ARRAY;
		ok = v->t == J_OBJECT ? object(c, role) : array(c);
		c->depth--;
		return ok;
	case '"':
		return string(c, v);
	case 't':
		return literal(c, "true", J_TRUE, v);
	case 'f':
		return literal(c, "false", J_FALSE, v);
	case 'n':
		return literal(c, "null", J_NULL, v);
	default:
		if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
			return number(c, v);
		return fail(c, "invalid token");
	}
}

static int invalid(char *err, size_t errlen, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", why);
	return -EINVAL;
}

static bool slice_eq(const struct hub_slice *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->n == n && memcmp(s->p, lit, n) == 0;
}

int hub_jscan_dumpling(const char *text, size_t len, const struct nd_dumpling_limits *lim,
		       enum nd_dumpling_check check, struct hub_jscan *out, char *err,
		       size_t errlen)
{
	size_t max = lim && lim->max_bytes ? lim->max_bytes : ND_DUMPLING_MAX_BYTES_DEFAULT;
	struct cur c = {.p = (const unsigned char *)text, .end = (const unsigned char *)text + len,
			.begin = (const unsigned char *)text};
	struct val top = {0};

	c.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : ND_DUMPLING_MAX_DEPTH_DEFAULT;
	if (len > max) {
		if (err && errlen)
			snprintf(err, errlen, "size %zu bytes exceeds the limit of %zu", len, max);
		return -EINVAL;
	}
	ws(&c);
	if (c.p < c.end && *c.p == '{') {
		if (++c.depth > c.max_depth)
			fail(&c, "nesting too deep");
		else
			object(&c, R_TOP);
		top.t = J_OBJECT;
	} else {
		value(&c, &top, R_NONE);
	}
	ws(&c);
	if (!c.err && c.p != c.end)
		fail(&c, "text after the JSON value");
	if (c.err) {
		if (err && errlen)
			snprintf(err, errlen, "not JSON: %s (at byte %zu)", c.err,
				 (size_t)(c.p - c.begin));
		return -EINVAL;
	}
	if (c.again || c.chef.esc || c.kitchen.esc || c.driver.esc || c.start.esc)
		return -EAGAIN;
	if (top.t != J_OBJECT)
		return invalid(err, errlen, "not a JSON object");
	if (c.meta_t == J_NONE)
		return invalid(err, errlen, "no \"metadata\" key");
	if (c.meta_t != J_OBJECT)
		return invalid(err, errlen, "\"metadata\" is not an object");
	if (c.chef.t == J_NONE)
		return invalid(err, errlen, "no metadata.chef");
	if (c.chef.t != J_STRING)
		return invalid(err, errlen, "metadata.chef is not a string");
	memset(out, 0, sizeof(*out));
	out->chef = c.chef.s;
	if (c.kitchen.t == J_STRING)
		out->kitchen = c.kitchen.s;
	if (c.driver.t == J_STRING)
		out->driver = slice_eq(&c.driver.s, ND_DRIVER_NAME_PACKET)     ? ND_DRIVER_PACKET
			      : slice_eq(&c.driver.s, ND_DRIVER_NAME_INTERVAL) ? ND_DRIVER_INTERVAL
									       : ND_DRIVER_UNKNOWN;
	if (check == ND_DUMPLING_STRICT) {
		if (c.kitchen.t != J_STRING)
			return invalid(err, errlen, c.kitchen.t == J_NONE ? "no metadata.kitchen"
						: "metadata.kitchen is not a string");
		if (c.driver.t == J_NONE)
			return invalid(err, errlen, "no metadata.driver");
		if (out->driver == ND_DRIVER_UNKNOWN)
			return invalid(err, errlen,
				       "metadata.driver must be \"packet\" or \"interval\"");
		if (c.ctime.t != J_NUMBER)
			return invalid(err, errlen, c.ctime.t == J_NONE ? "no metadata.creation_time"
						: "metadata.creation_time is not a number");
		if (!c.has_payload)
			return invalid(err, errlen, "no \"payload\" key");
	}
	if (c.seq.t == J_NUMBER && c.seq.is_int && !c.seq.neg && !c.seq.ovf && c.seq.u > 0 &&
	    c.seq.u <= INT64_MAX) {
		out->has_seq = true;
		out->seq = c.seq.u;
	}
	if (c.start.t == J_STRING)
		out->kitchen_start = c.start.s;
	return 0;
}
