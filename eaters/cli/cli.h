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

/* The security options every eater program takes: put CLI_SECURITY_LONGOPTS
 * in the getopt_long table, CLI_SECURITY_HELP in the help text, and offer
 * unknown option values to cli_security_option, which returns true when
 * it took the option. */
enum {
	CLI_OPT_TOKEN_FILE = 0x5100,
	CLI_OPT_CA_FILE,
	CLI_OPT_INSECURE,
};
#define CLI_SECURITY_LONGOPTS                                                  \
	{"token-file", required_argument, NULL, CLI_OPT_TOKEN_FILE},           \
	{"ca-file", required_argument, NULL, CLI_OPT_CA_FILE},                 \
	{"insecure", no_argument, NULL, CLI_OPT_INSECURE}
#define CLI_SECURITY_HELP                                                                    \
	"  --token-file FILE             Send the bearer token in FILE to nd-hub\n"            \
	"  --ca-file FILE                wss: CA certificates to verify nd-hub with\n"          \
	"  --insecure                    wss: do not verify nd-hub's certificate (tests only)\n"
bool cli_security_option(int opt, const char *arg, struct nd_eater_config *cfg);

#endif
