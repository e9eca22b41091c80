/*
 * status_line.c: the text of nd-hubstatus's status line.  See status_line.h.
 */
#include "status_line.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BOLD "\x1b[1m"
#define RESET "\x1b[0m"

struct out {
	char *p;
	size_t size;
	size_t len;
};

static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 1 >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = o->len + (size_t)n < o->size ? o->len + (size_t)n : o->size - 1;
}

static bool number(const json_t *v, long long *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_real(v) && isfinite(json_real_value(v))) {
		*out = (long long)json_real_value(v);
		return true;
	}
	return false;
}

static bool sum_over(const json_t *list, const char *key, long long *out)
{
	bool found = false;
	size_t i;
	json_t *x;
	long long n;

	if (!json_is_array(list))
		return false;
	json_array_foreach(list, i, x) {
		const json_t *hub = json_object_get(x, "info_from_hub");

		if (number(json_object_get(x, key), &n) || number(json_object_get(hub, key), &n)) {
			*out += n;
			found = true;
		}
	}
	return found;
}

bool status_counter(const json_t *payload, const char *key, long long *out)
{
	bool a, b;

	*out = 0;
	if (number(json_object_get(payload, key), out))
		return true;
	a = sum_over(json_object_get(payload, "dumpling_eaters"), key, out);
	b = sum_over(json_object_get(payload, "dumpling_kitchens"), key, out);
	return a || b;
}

static void field(struct out *o, bool color, const char *label, const json_t *payload,
		  const char *key)
{
	long long n;
	char v[32];

	if (number(json_object_get(payload, key), &n))
		snprintf(v, sizeof(v), "%lld", n);
	else
		snprintf(v, sizeof(v), "?");
	outf(o, "  %s: %s%s%s", label, color ? BOLD : "", v, color ? RESET : "");
}

size_t status_line_format(const json_t *payload, time_t now, bool color, char *buf, size_t size)
{
	struct out o = {.p = buf, .size = size};
	const json_t *up = json_object_get(payload, "server_uptime");
	char when[32], upt[32];
	struct tm tm;
	long long n;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	else
		snprintf(when, sizeof(when), "?");
	if (json_is_number(up) && json_number_value(up) >= 0 && json_number_value(up) < 1e12) {
		long long s = (long long)json_number_value(up);

		snprintf(upt, sizeof(upt), "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	} else {
		snprintf(upt, sizeof(upt), "?");
	}
	outf(&o, "%s  uptime: %s%s%s", when, color ? BOLD : "", upt, color ? RESET : "");
	field(&o, color, "dumplings in", payload, "total_dumplings_in");
	field(&o, color, "out", payload, "total_dumplings_out");
	field(&o, color, "kitchens", payload, "dumpling_kitchen_count");
	field(&o, color, "eaters", payload, "dumpling_eater_count");
	/* Ours, when the hub reports them. */
	if (status_counter(payload, "total_dumplings_dropped", &n) ||
	    status_counter(payload, "dumplings_dropped", &n) ||
	    status_counter(payload, "dropped", &n))
		outf(&o, "  dropped: %s%lld%s", color ? BOLD : "", n, color ? RESET : "");
	if (status_counter(payload, "total_dumplings_invalid", &n) ||
	    status_counter(payload, "dumplings_invalid", &n) ||
	    status_counter(payload, "invalid", &n))
		outf(&o, "  invalid: %s%lld%s", color ? BOLD : "", n, color ? RESET : "");
	outf(&o, " ");
	return o.len;
}
