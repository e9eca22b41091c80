/*
 * pretty.c: netdumplings' pretty JSON form (see pretty.h).
 *
 * A recursive walk over the jansson value into a growable buffer; the
 * recursion is bounded by the depth limit the dumpling parser enforces.
 */
#include "pretty.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C_KEY "\x1b[34m"
#define C_STR "\x1b[33m"
#define C_NUM "\x1b[36m"
#define C_KW "\x1b[35m"
#define C_OFF "\x1b[39m"

struct pbuf {
	char *p;
	size_t len;
	size_t cap;
	bool oom;
	bool color;
};

static void put(struct pbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct pbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void colored(struct pbuf *b, const char *color, const char *s)
{
	if (b->color)
		puts_(b, color);
	puts_(b, s);
	if (b->color)
		puts_(b, C_OFF);
}

static void indent(struct pbuf *b, int level)
{
	static const char spaces[] = "                                ";

	put(b, "\n", 1);
	for (int i = 0; i < level; i++)
		put(b, spaces, 4);
}

/* Decodes one UTF-8 sequence (jansson strings are valid UTF-8). */
static uint32_t utf8_next(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	uint32_t c = *p++;
	int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (extra)
		c &= 0x3fu >> extra;
	while (extra-- > 0 && p < end)
		c = c << 6 | (*p++ & 0x3fu);
	*pp = p;
	return c;
}

static void put_string(struct pbuf *b, const char *s, size_t n, const char *color)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	char esc[16];

	if (b->color)
		puts_(b, color);
	put(b, "\"", 1);
	while (p < end) {
		uint32_t c = *p;

		if (c >= 0x80) {
			c = utf8_next(&p, end);
			if (c >= 0x10000) {
				c -= 0x10000;
				snprintf(esc, sizeof(esc), "\\u%04x\\u%04x", 0xd800 + (c >> 10),
					 0xdc00 + (c & 0x3ff));
			} else {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
			}
			puts_(b, esc);
			continue;
		}
		p++;
		switch (c) {
		case '"': puts_(b, "\\\""); break;
		case '\\': puts_(b, "\\\\"); break;
		case '\n': puts_(b, "\\n"); break;
		case '\r': puts_(b, "\\r"); break;
		case '\t': puts_(b, "\\t"); break;
		case '\b': puts_(b, "\\b"); break;
		case '\f': puts_(b, "\\f"); break;
		default:
			if (c < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				puts_(b, esc);
			} else {
				char ch = (char)c;
				put(b, &ch, 1);
			}
		}
	}
	put(b, "\"", 1);
	if (b->color)
		puts_(b, C_OFF);
}

char *nd_eater_format_real(double d, char *buf, unsigned size)
{
	char digits[40];
	int p, exp10;

	if (isnan(d)) {
		snprintf(buf, size, "NaN");
		return buf;
	}
	if (isinf(d)) {
		snprintf(buf, size, d < 0 ? "-Infinity" : "Infinity");
		return buf;
	}
	/* The fewest significant digits that read back as the same double. */
	for (p = 1; p < 17; p++) {
		snprintf(digits, sizeof(digits), "%.*e", p - 1, d);
		if (strtod(digits, NULL) == d)
			break;
	}
	snprintf(digits, sizeof(digits), "%.*e", p - 1, d);
	exp10 = atoi(strchr(digits, 'e') + 1);
	if (exp10 < -4 || exp10 >= 16) {
		snprintf(buf, size, "%s", digits);
	} else {
		int decimals = p - 1 - exp10;

		snprintf(buf, size, "%.*f", decimals > 0 ? decimals : 0, d);
		if (!strchr(buf, '.') && strlen(buf) + 3 <= size)
			strcat(buf, ".0");
	}
	return buf;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void put_value(struct pbuf *b, const json_t *v, int level)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		const char **keys;
		const char *k;
		json_t *x;

		if (n == 0) {
			put(b, "{}", 2);
			return;
		}
		keys = malloc(n * sizeof(*keys));
		if (!keys) {
			b->oom = true;
			return;
		}
		json_object_foreach((json_t *)v, k, x)
			keys[i++] = k;
		qsort(keys, n, sizeof(*keys), key_cmp);
		put(b, "{", 1);
		for (i = 0; i < n; i++) {
			indent(b, level + 1);
			put_string(b, keys[i], strlen(keys[i]), C_KEY);
			put(b, ": ", 2);
			put_value(b, json_object_get(v, keys[i]), level + 1);
			if (i + 1 < n)
				put(b, ",", 1);
		}
		free(keys);
		indent(b, level);
		put(b, "}", 1);
		return;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);

		if (n == 0) {
			put(b, "[]", 2);
			return;
		}
		put(b, "[", 1);
		for (size_t i = 0; i < n; i++) {
			indent(b, level + 1);
			put_value(b, json_array_get(v, i), level + 1);
			if (i + 1 < n)
				put(b, ",", 1);
		}
		indent(b, level);
		put(b, "]", 1);
		return;
	}
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v), C_STR);
		return;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		colored(b, C_NUM, num);
		return;
	case JSON_REAL:
		colored(b, C_NUM, nd_eater_format_real(json_real_value(v), num, sizeof(num)));
		return;
	case JSON_TRUE:
		colored(b, C_KW, "true");
		return;
	case JSON_FALSE:
		colored(b, C_KW, "false");
		return;
	case JSON_NULL:
		colored(b, C_KW, "null");
		return;
	}
}

char *nd_eater_pretty(const json_t *v, bool color)
{
	struct pbuf b = {.color = color};

	put(&b, "", 0);
	if (v)
		put_value(&b, v, 0);
	else
		colored(&b, C_KW, "null");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
