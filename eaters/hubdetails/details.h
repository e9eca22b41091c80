/*
 * details.h: nd-hubdetails's output: the full SystemStatusChef payload,
 * kitchens and eaters with their details, pretty-printed as netdumplings'
 * nd-hubdetails prints it (a blank line, the payload, a blank line), or
 * with --json the raw status dumpling on one line.
 */
#ifndef ND_DETAILS_H
#define ND_DETAILS_H

#include "eater.h"

#include <stdbool.h>
#include <stdio.h>

struct details {
	FILE *out;
	bool json;
	bool color;
};

void details_connected(const struct details *d, const char *url);
/* Returns 0, or -ENOMEM / -EIO. */
int details_print(const struct details *d, const struct nd_eater_dumpling *dumpling);

#endif
