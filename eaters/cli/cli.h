/*
 * cli.h: what nd-print, nd-hubstatus and nd-hubdetails share around the
 * eater library: colour choice, running an eater until it stops with
 * SIGINT/SIGTERM as a clean stop, and the exit status.
 */
#ifndef ND_EATERS_CLI_H
#define ND_EATERS_CLI_H

#include "eater.h"

#include <stdbool.h>

enum cli_color {
	CLI_COLOR_AUTO = -1, /* on a terminal only (and not with NO_COLOR or TERM=dumb) */
	CLI_COLOR_NEVER = 0,
	CLI_COLOR_ALWAYS = 1,
};

/* Whether output to stdout should be coloured. */
bool cli_use_color(enum cli_color mode);

/* Runs e (created with its own loop and started) until it stops; SIGINT and
 * SIGTERM stop it with 4101 "connection cancelled".  Prints a one-line
 * reason to stderr when it stopped on an error.  Returns the exit status:
 * 0 for a count reached or a signal, 1 for a refused or lost connection or
 * a hub that sent invalid data. */
int cli_run(struct nd_eater *e);

/* The default on_lost: with reconnect, logs a warning; without, nothing
 * (cli_run reports the reason once the eater has stopped). */
void cli_on_lost(struct nd_eater *e, bool was_connected, const char *why, void *user);

#endif
