/*
 * status_line.h: nd-hubstatus's one-line hub status, as netdumplings shows it:
 *
 *   \r2026-11-26 11:33:07  uptime: 00:05:12  dumplings in: 1200  out: 2400  kitchens: 1  eaters: 2 
 *
 * followed by our own counters when the hub reports them (dumplings
 * dropped for slow eaters, invalid dumplings refused).  Refreshed in place
 * with a carriage return; with --newline one line per status instead.
 */
#ifndef ND_STATUS_LINE_H
#define ND_STATUS_LINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Formats the line for a SystemStatusChef payload (borrowed) at wall time
 * `now` into buf (no leading \r, no newline).  Missing keys print as "?".
 * Returns the length written (truncated to size - 1). */
size_t status_line_format(const json_t *payload, time_t now, bool color, char *buf, size_t size);

/* Sums a counter over the hub's status: the top-level key when present,
 * otherwise the same key summed over dumpling_eaters[]/dumpling_kitchens[]
 * entries.  Returns false when the hub reports it nowhere. */
bool status_counter(const json_t *payload, const char *key, long long *out);

#endif
