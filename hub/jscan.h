/*
 * jscan.h: the hub's one-pass dumpling check, without building a tree.
 *
 * The hub only forwards bytes, so it needs to know that a message is valid
 * JSON (RFC 8259, strings valid UTF-8, as jansson accepts it) and a few
 * metadata fields, not a parsed document.  hub_jscan_dumpling validates
 * the whole text in one pass with no allocation and returns the fields as
 * slices of the text.  It agrees with nd_dumpling_parse (common/) on what
 * is a valid dumpling at each check level, number ranges included, so
 * that eaters built on jansson accept whatever the hub forwards;
 * tests/hub/test_jscan.c compares the two.
 *
 * When a key or field it needs is written with escapes (legal, but rare:
 * Python kitchens escape non-ASCII names), or a real is near the double
 * range, it returns -EAGAIN and the caller falls back to nd_dumpling_parse.
 */
#ifndef HUB_JSCAN_H
#define HUB_JSCAN_H

#include "dumpling.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hub_slice {
	const char *p; /* NULL when absent */
	size_t n;
};

struct hub_jscan {
	struct hub_slice chef;
	struct hub_slice kitchen;       /* only when a string */
	struct hub_slice kitchen_start; /* only when a string */
	enum nd_driver driver;
	bool has_seq;                   /* a positive integer that fits */
	uint64_t seq;
};

/* Returns 0 and fills out; -EINVAL with a reason in err; or -EAGAIN when
 * the slow path must decide. */
int hub_jscan_dumpling(const char *text, size_t len, const struct nd_dumpling_limits *lim,
		       enum nd_dumpling_check check, struct hub_jscan *out, char *err,
		       size_t errlen);

#endif
