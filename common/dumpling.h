/*
 * dumpling.h: the dumpling envelope, netdumplings' unit of data.
 *
 * On the wire a dumpling is one JSON text:
 *   {"metadata":{"chef":"DNSLookupChef","kitchen":"default_kitchen",
 *                "creation_time":1732620000.123456,"driver":"packet"},
 *    "payload":...}
 * Our kitchens add, as additive metadata keys, "seq" (per-kitchen sequence
 * number, from 1) and "kitchen_start" (an id that changes when the kitchen
 * restarts).  netdumplings' peers ignore them.
 *
 * Validation has two levels: ND_DUMPLING_BASIC is what netdumplings itself
 * relies on (a JSON object whose metadata.chef is a string); STRICT also
 * requires metadata.kitchen (string), metadata.driver ("packet" or
 * "interval"), metadata.creation_time (number) and a payload.  Both
 * enforce a size and nesting-depth ceiling before any parsing.
 */
#ifndef ND_DUMPLING_H
#define ND_DUMPLING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_DUMPLING_MAX_BYTES_DEFAULT (1024u * 1024u)
#define ND_DUMPLING_MAX_DEPTH_DEFAULT 64

enum nd_driver {
	ND_DRIVER_UNKNOWN = 0,
	ND_DRIVER_PACKET,
	ND_DRIVER_INTERVAL,
};

enum nd_dumpling_check {
	ND_DUMPLING_BASIC = 0,
	ND_DUMPLING_STRICT = 1,
};

struct nd_dumpling_limits {
	size_t max_bytes; /* encoded size ceiling; 0 means the default */
	int max_depth;    /* nesting ceiling; 0 means the default */
};

/* Metadata of a dumpling being built. */
struct nd_dumpling_meta {
	const char *chef;
	const char *kitchen;
	enum nd_driver driver;
	double creation_time;      /* seconds since the epoch */
	uint64_t seq;              /* 0: not written */
	const char *kitchen_start; /* NULL: not written */
};

/* What a parsed dumpling says.  Pointers borrow from the json_t returned by
 * nd_dumpling_parse and live as long as it does. */
struct nd_dumpling_view {
	const char *chef;
	const char *kitchen;       /* NULL when absent (BASIC only) */
	enum nd_driver driver;     /* UNKNOWN when absent or other (BASIC only) */
	double creation_time;      /* 0 when absent (BASIC only) */
	bool has_seq;
	uint64_t seq;
	const char *kitchen_start; /* NULL when absent */
	json_t *payload;           /* borrowed; NULL when absent (BASIC only) */
};

const char *nd_driver_name(enum nd_driver d);
/* "packet" / "interval" -> the driver; anything else -> UNKNOWN. */
enum nd_driver nd_driver_from_name(const char *s);

/* Builds a dumpling object.  Steals `payload` (even on failure).
 * Returns a new reference, or NULL when meta is incomplete or memory ran out. */
json_t *nd_dumpling_new(const struct nd_dumpling_meta *meta, json_t *payload);

/* Serializes a dumpling (or any JSON value) compactly, with creation_time
 * printed to microsecond precision.  Returns a malloc'd NUL-terminated text
 * and its length in *len, or NULL when it cannot be encoded or is larger
 * than limits->max_bytes (why says which). */
char *nd_dumpling_encode(const json_t *dumpling, const struct nd_dumpling_limits *lim,
			 size_t *len, const char **why);

/* Cheap pre-parse guard over raw text: true when len is within the size
 * ceiling and [ and { nest no deeper than the depth ceiling (strings are
 * skipped).  On false, writes the reason into err. */
bool nd_json_within_limits(const char *text, size_t len,
			   const struct nd_dumpling_limits *lim, char *err, size_t errlen);

/* Parses and validates one received dumpling from text[0..len) (not
 * necessarily NUL-terminated).  Returns a new reference and fills view, or
 * NULL with a one-line reason in err ("not JSON: ...", "metadata.chef is not
 * a string", "size 2000000 bytes exceeds the limit of 1048576", ...). */
json_t *nd_dumpling_parse(const char *text, size_t len, const struct nd_dumpling_limits *lim,
			  enum nd_dumpling_check check, struct nd_dumpling_view *view,
			  char *err, size_t errlen);

/* Validates an already-parsed value as a dumpling (no size check). */
int nd_dumpling_validate(json_t *root, enum nd_dumpling_check check,
			 struct nd_dumpling_view *view, char *err, size_t errlen);

#endif
