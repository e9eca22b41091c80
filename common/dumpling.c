/*
 * dumpling.c: build, encode, guard and validate dumplings.  See dumpling.h.
 *
 * Received text is untrusted: it is size- and depth-checked by a single
 * linear scan before jansson sees it, then parsed with JSON_REJECT_DUPLICATES
 * off (netdumplings' Python peers accept duplicates; last one wins) and
 * validated field by field, each failure with its own message.
 */
#include "dumpling.h"
#include "errbuf.h"

#include "proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>


static size_t lim_bytes(const struct nd_dumpling_limits *lim)
{
	return lim && lim->max_bytes ? lim->max_bytes : ND_DUMPLING_MAX_BYTES_DEFAULT;
}

static int lim_depth(const struct nd_dumpling_limits *lim)
{
	return lim && lim->max_depth > 0 ? lim->max_depth : ND_DUMPLING_MAX_DEPTH_DEFAULT;
}

const char *nd_driver_name(enum nd_driver d)
{
	switch (d) {
	case ND_DRIVER_PACKET:
		return ND_DRIVER_NAME_PACKET;
	case ND_DRIVER_INTERVAL:
		return ND_DRIVER_NAME_INTERVAL;
	default:
		return "unknown";
	}
}

enum nd_driver nd_driver_from_name(const char *s)
{
	if (!s)
		return ND_DRIVER_UNKNOWN;
	if (strcmp(s, ND_DRIVER_NAME_PACKET) == 0)
		return ND_DRIVER_PACKET;
	if (strcmp(s, ND_DRIVER_NAME_INTERVAL) == 0)
		return ND_DRIVER_INTERVAL;
	return ND_DRIVER_UNKNOWN;
}

json_t *nd_dumpling_new(const struct nd_dumpling_meta *meta, json_t *payload)
{
	json_t *md, *d;

	if (!meta || !meta->chef || !meta->kitchen || meta->driver == ND_DRIVER_UNKNOWN) {
		json_decref(payload);
		return NULL;
	}
	md = json_object();
	d = json_object();
	if (!md || !d)
		goto fail;
	if (json_object_set_new(md, ND_KEY_CHEF, json_string(meta->chef)) ||
	    json_object_set_new(md, ND_KEY_KITCHEN, json_string(meta->kitchen)) ||
	    json_object_set_new(md, ND_KEY_CREATION_TIME, json_real(meta->creation_time)) ||
	    json_object_set_new(md, ND_KEY_DRIVER, json_string(nd_driver_name(meta->driver))))
		goto fail;
	if (meta->seq &&
	    json_object_set_new(md, ND_KEY_SEQ, json_integer((json_int_t)meta->seq)))
		goto fail;
	if (meta->kitchen_start &&
	    json_object_set_new(md, ND_KEY_KITCHEN_START, json_string(meta->kitchen_start)))
		goto fail;
	if (json_object_set_new(d, ND_KEY_METADATA, md)) {
		md = NULL; /* stolen even on failure */
		goto fail;
	}
	md = NULL;
	if (json_object_set_new(d, ND_KEY_PAYLOAD, payload ? payload : json_null())) {
		payload = NULL;
		goto fail;
	}
	return d;
fail:
	json_decref(md);
	json_decref(d);
	json_decref(payload);
	return NULL;
}

char *nd_dumpling_encode(const json_t *dumpling, const struct nd_dumpling_limits *lim,
			 size_t *len, const char **why)
{
	char *text = json_dumps(dumpling, JSON_COMPACT | JSON_REAL_PRECISION(16) |
						 JSON_PRESERVE_ORDER);
	size_t n;

	if (!text) {
		if (why)
			*why = "cannot encode (invalid UTF-8 in a string, or out of memory)";
		return NULL;
	}
	n = strlen(text);
	if (n > lim_bytes(lim)) {
		free(text);
		if (why)
			*why = "encoded dumpling exceeds the size limit";
		return NULL;
	}
	if (len)
		*len = n;
	return text;
}

bool nd_json_within_limits(const char *text, size_t len,
			   const struct nd_dumpling_limits *lim, char *err, size_t errlen)
{
	size_t max = lim_bytes(lim);
	int max_depth = lim_depth(lim);
	int depth = 0;
	bool in_str = false;

	if (len > max) {
		nd_errbuf_set(err, errlen, "size %zu bytes exceeds the limit of %zu", len, max);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (in_str) {
			if (c == '\\')
				i++; /* skip the escaped byte; bounded by the loop test */
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth) {
				nd_errbuf_set(err, errlen, "JSON nests deeper than the limit of %d",
					max_depth);
				return false;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return true;
}

int nd_dumpling_validate(json_t *root, enum nd_dumpling_check check,
			 struct nd_dumpling_view *view, char *err, size_t errlen)
{
	struct nd_dumpling_view v = {0};
	json_t *md, *chef, *kitchen, *driver, *ctime, *seq, *start;

	if (!json_is_object(root)) {
		nd_errbuf_set(err, errlen, "not a JSON object");
		return -EINVAL;
	}
	md = json_object_get(root, ND_KEY_METADATA);
	if (!md) {
		nd_errbuf_set(err, errlen, "no \"metadata\" key");
		return -EINVAL;
	}
	if (!json_is_object(md)) {
		nd_errbuf_set(err, errlen, "\"metadata\" is not an object");
		return -EINVAL;
	}
	chef = json_object_get(md, ND_KEY_CHEF);
	if (!chef) {
		nd_errbuf_set(err, errlen, "no metadata.chef");
		return -EINVAL;
	}
	if (!json_is_string(chef)) {
		nd_errbuf_set(err, errlen, "metadata.chef is not a string");
		return -EINVAL;
	}
	v.chef = json_string_value(chef);

	kitchen = json_object_get(md, ND_KEY_KITCHEN);
	driver = json_object_get(md, ND_KEY_DRIVER);
	ctime = json_object_get(md, ND_KEY_CREATION_TIME);
	v.payload = json_object_get(root, ND_KEY_PAYLOAD);
	if (json_is_string(kitchen))
		v.kitchen = json_string_value(kitchen);
	if (json_is_string(driver))
		v.driver = nd_driver_from_name(json_string_value(driver));
	if (json_is_number(ctime))
		v.creation_time = json_number_value(ctime);

	if (check == ND_DUMPLING_STRICT) {
		if (!json_is_string(kitchen)) {
			nd_errbuf_set(err, errlen, kitchen ? "metadata.kitchen is not a string"
						     : "no metadata.kitchen");
			return -EINVAL;
		}
		if (!driver) {
			nd_errbuf_set(err, errlen, "no metadata.driver");
			return -EINVAL;
		}
		if (v.driver == ND_DRIVER_UNKNOWN) {
			nd_errbuf_set(err, errlen,
				"metadata.driver must be \"packet\" or \"interval\"");
			return -EINVAL;
		}
		if (!json_is_number(ctime)) {
			nd_errbuf_set(err, errlen, ctime ? "metadata.creation_time is not a number"
						   : "no metadata.creation_time");
			return -EINVAL;
		}
		if (!v.payload) {
			nd_errbuf_set(err, errlen, "no \"payload\" key");
			return -EINVAL;
		}
	}
	seq = json_object_get(md, ND_KEY_SEQ);
	if (json_is_integer(seq) && json_integer_value(seq) > 0) {
		v.has_seq = true;
		v.seq = (uint64_t)json_integer_value(seq);
	}
	start = json_object_get(md, ND_KEY_KITCHEN_START);
	if (json_is_string(start))
		v.kitchen_start = json_string_value(start);
	if (view)
		*view = v;
	return 0;
}

json_t *nd_dumpling_parse(const char *text, size_t len, const struct nd_dumpling_limits *lim,
			  enum nd_dumpling_check check, struct nd_dumpling_view *view,
			  char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root;

	if (!text) {
		nd_errbuf_set(err, errlen, "no data");
		return NULL;
	}
	if (!nd_json_within_limits(text, len, lim, err, errlen))
		return NULL;
	root = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
	if (!root) {
		nd_errbuf_set(err, errlen, "not JSON: %s (line %d, column %d)", jerr.text,
			jerr.line, jerr.column);
		return NULL;
	}
	if (nd_dumpling_validate(root, check, view, err, errlen) != 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}
