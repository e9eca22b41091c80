/*
 * retained.h: the latest interval dumpling of every kitchen/chef pair,
 * replayed to each newly registered eater (like MQTT's retained messages)
 * so that a dashboard is full as soon as it connects.
 *
 * The table holds references to shared hub_msg values and has ceilings on
 * entries and on bytes: an update for a new pair that would pass either is
 * refused and counted, and so is an update that would pass the byte
 * ceiling (the pair's older dumpling is then forgotten too).  Entries belong to the kitchen connection that sent them
 * (an opaque owner pointer) and go when that kitchen disconnects.
 * Replay is in the order pairs were first seen.
 */
#ifndef HUB_RETAINED_H
#define HUB_RETAINED_H

#include "fanout.h"

#include <stddef.h>
#include <stdint.h>

struct hub_retained_entry {
	struct hub_msg *msg; /* owned reference */
	const void *owner;
};

struct hub_retained {
	struct hub_retained_entry *v;
	size_t n, max;
	size_t bytes, max_bytes; /* payload bytes held */
	uint64_t refused;
};

/* Returns 0 or -ENOMEM. */
int hub_retained_init(struct hub_retained *r, size_t max, size_t max_bytes);
void hub_retained_fini(struct hub_retained *r);

/* Keeps a new reference to m (an interval dumpling) as the latest of its
 * kitchen and chef.  Returns 0, or -ENOSPC when the table is full. */
int hub_retained_put(struct hub_retained *r, struct hub_msg *m, const void *owner);

/* Forgets every entry that owner put. */
void hub_retained_drop_owner(struct hub_retained *r, const void *owner);

#endif
