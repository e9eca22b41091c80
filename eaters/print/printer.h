/*
 * printer.h: nd-print's output, as netdumplings' nd-print prints it:
 *
 *   2026-11-26T11:33:07.123456 [packet  ] DNSLookupChef from default_kitchen
 *
 *   {
 *       "lookup": {
 *           ...
 *   }
 *
 * (local time in ISO form, the driver padded to 8, chef and kitchen in
 * bold when coloured, then the payload pretty-printed), or with --json one
 * raw dumpling per line, exactly as the hub sent it.
 */
#ifndef ND_PRINTER_H
#define ND_PRINTER_H

#include "eater.h"

#include <stdbool.h>
#include <stdio.h>

struct printer {
	FILE *out;
	bool json;    /* raw dumplings, one per line */
	bool payload; /* print payloads (pretty form) */
	bool color;
};

/* The banner printed once connected (nothing in --json mode). */
void printer_connected(const struct printer *p, const char *url);
/* Prints one dumpling.  Returns 0 or -EIO when stdout fails. */
int printer_dumpling(const struct printer *p, const struct nd_eater_dumpling *d);

/* Formats t (epoch seconds) as Python's datetime.fromtimestamp(t).isoformat():
 * local time, microseconds only when not zero.  Returns buf. */
char *printer_iso_time(double t, char *buf, size_t size);

#endif
