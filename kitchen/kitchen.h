/*
 * kitchen.h: one running kitchen: capture -> dissect -> chefs -> emit ->
 * hub and/or standard output, on one libuv loop.
 *
 * Lifecycle: kitchen_new opens and loads everything (logging any error and
 * returning NULL), kitchen_run runs the loop until the kitchen has stopped
 * (end of a capture file, SIGINT/SIGTERM, or a fatal capture error) and
 * flushed, and kitchen_free releases it.  On the way out the chefs are
 * poked one last time so interval chefs report, then what is queued for the
 * hub is flushed within the flush timeout and the connection is closed
 * with 4101.
 */
#ifndef KITCHEN_KITCHEN_H
#define KITCHEN_KITCHEN_H

#include "options.h"

struct kitchen;
struct nd_chef_catalog;

/* Starts the chefs of `cat` (taking ownership of it, even on failure),
 * opens the capture, drops privileges if asked and connects to the hub.
 * Returns NULL after logging why. */
struct kitchen *kitchen_new(const struct kitchen_options *opt, struct nd_chef_catalog *cat);

/* Runs until the kitchen stops.  Returns the exit status: 0, or 1 when the
 * capture failed. */
int kitchen_run(struct kitchen *k);

void kitchen_free(struct kitchen *k);

#endif
