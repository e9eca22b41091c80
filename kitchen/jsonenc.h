/*
 * jsonenc.h: a fast compact JSON encoder for chefs' payloads.
 *
 * Produces exactly what json_dumpb(v, ..., JSON_COMPACT |
 * JSON_REAL_PRECISION(16) | JSON_PRESERVE_ORDER) produces (keys in
 * insertion order, jansson's escapes, its number formats), at a fraction
 * of the cost: no per-call allocation, integers and time-stamp-like reals
 * formatted by hand.  A unit test holds it to jansson's output.
 */
#ifndef KITCHEN_JSONENC_H
#define KITCHEN_JSONENC_H

#include <jansson.h>
#include <stddef.h>

/* Encodes v into buf[0..cap).  Returns the encoded length, which may be
 * larger than cap (then buf holds a prefix: grow and call again), or 0
 * when v cannot be encoded here (nested deeper than 64, or a real that is
 * not finite): use json_dumpb instead. */
size_t kitchen_json_encode(const json_t *v, char *buf, size_t cap);

#endif
