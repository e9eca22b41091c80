/*
 * emit.h: turning chefs' payloads into dumplings, once, for every sink.
 *
 * Each payload gets netdumplings' metadata (chef, kitchen, creation_time,
 * driver) plus ours: "seq", numbered from 1 and contiguous over every
 * dumpling this kitchen process made, and "kitchen_start", an id unique to
 * this process start.  A seq is consumed only when the dumpling encodes,
 * so a payload that cannot be encoded leaves no gap (it is counted).  The
 * encoded text goes to the hub uplink and/or standard output as one JSON
 * line; nothing is re-encoded per sink.
 *
 * Speed: the envelope is written directly around the payload's own
 * encoding (jsonenc.c: jansson's exact output, without its cost) in one
 * reusable buffer, with the same keys, key order and number formats as
 * nd_dumpling_new + nd_dumpling_encode, which remain the fallback for
 * anything unusual (a chef name that would need escaping).
 */
#ifndef KITCHEN_EMIT_H
#define KITCHEN_EMIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dumpling.h"

struct kitchen_uplink;

#define KITCHEN_START_ID_LEN 40

struct kitchen_emitter {
	const char *kitchen_name;          /* borrowed */
	char kitchen_start[KITCHEN_START_ID_LEN];
	uint64_t next_seq;
	struct kitchen_uplink *uplink;     /* NULL: no hub */
	FILE *out;                         /* NULL: no standard output */
	bool out_failed;
	bool out_dirty;
	struct nd_dumpling_limits limits;
	char *buf;                         /* reusable encoding buffer */
	size_t cap;                        /* its size, at most limits' max_bytes + 1 */
	char *kitchen_json;                /* the kitchen name as a JSON string */
	size_t kitchen_json_len;
	uint64_t made;                     /* dumplings encoded */
	uint64_t bytes;                    /* their encoded size */
	uint64_t encode_failures;
	void (*on_out_failed)(void *arg);  /* standard output went away */
	void *arg;
};

/* Sets up an emitter: seq starts at 1 and kitchen_start is generated.
 * Returns 0, -EINVAL (the name is not UTF-8) or -ENOMEM. */
int kitchen_emitter_init(struct kitchen_emitter *e, const char *kitchen_name);

/* Frees the emitter's buffers. */
void kitchen_emitter_free(struct kitchen_emitter *e);

/* The runtime's sink: builds, encodes and hands one dumpling to every sink.
 * Steals payload.  Returns 0, or a negative errno when it could not be
 * encoded (counted; no seq used). */
int kitchen_emit(struct kitchen_emitter *e, const char *chef, enum nd_driver driver,
		 json_t *payload);

/* Flushes buffered standard output (once per loop iteration). */
void kitchen_emitter_flush(struct kitchen_emitter *e);

#endif
