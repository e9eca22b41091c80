/*
 * cli.h: what nd-print, nd-hubstatus and nd-hubdetails share around the
 * eater library: their common options, colour choice and --help lines
 * (cli_opts.c), running an eater until it stops with SIGINT/SIGTERM as a
 * clean stop, and the exit status (cli.c).
 */
#ifndef ND_EATERS_CLI_H
#define ND_EATERS_CLI_H

#include "eater.h"

#include <getopt.h>
#include <stdbool.h>

/* The options the three programs share.  Every program takes -h/--hub,
 * -n/--eater-name, --color/--no-color, --json, --token-file, --ca-file,
 * --insecure, -v, --log-level, --help and --version; these flags add: */
#define CLI_F_COUNT 0x1u     /* --count N: cfg->dumpling_count */
#define CLI_F_RECONNECT 0x2u /* -r, --reconnect: clears cfg->no_reconnect */

/* A program's command line: the shared options it takes and its own.  Its
 * own options use getopt values from 256 to 0x50ff, or short option
 * letters other than h, n, r and v. */
struct cli_program {
	const char *name;              /* "nd-print": messages and the --help hint */
	unsigned flags;                /* CLI_F_* */
	const char *shortopts;         /* its own short options ("c:k:"); NULL: none */
	/* Its own long options, each list ended by {NULL} (NULL: none): the
	 * first before --color, the second after --json.  (getopt names the
	 * candidates of an ambiguous abbreviation in table order.) */
	const struct option *longopts;
	const struct option *output_longopts;
	void (*usage)(void);           /* prints the --help text to stdout */
	/* Takes one of its own options (getopt's value and optarg); returns
	 * false when opt is none of them (an unknown option: '?'). */
	bool (*option)(int opt, const char *arg, void *user);
	void *user;
};

/* What the shared options say about output. */
struct cli_output {
	bool json;  /* --json */
	/* Colour: --color/--no-color, else on a terminal only (and not with
	 * NO_COLOR or TERM=dumb); never with --json. */
	bool color;
};

/* Parses argv after nd_opt_init(prog->name): the shared options into cfg and
 * *out, the program's own through prog->option.  Returns CLI_GO when the
 * program should go on, else the status main should exit with: ND_EXIT_OK
 * after --help or --version, ND_EXIT_USAGE after an unknown option (getopt
 * has said which, and a hint to --help follows).  A bad value or a stray
 * argument exits at once with ND_EXIT_USAGE (nd_opt_die). */
#define CLI_GO (-1)
int cli_parse(const struct cli_program *prog, int argc, char **argv,
	      struct nd_eater_config *cfg, struct cli_output *out);

/* Lines of the --help text the programs share, in their usual order. */
#define CLI_HUB_HELP                                                                          \
	"  -h, --hub HOST:PORT|URL       Address where nd-hub is sending dumplings from\n"     \
	"                                [default: localhost:11348]\n"
#define CLI_NAME_HELP(dflt)                                                                   \
	"  -n, --eater-name EATER_NAME   Eater name sent to nd-hub [default: " dflt "]\n"
#define CLI_COLOR_HELP                                                                        \
	"  --color / --no-color          Colour output [default: on a terminal only]\n"
#define CLI_RECONNECT_HELP                                                                    \
	"  -r, --reconnect               Reconnect when the hub goes away (default: exit 1)\n"
#define CLI_TAIL_HELP                                                                         \
	"  --token-file FILE             Send the bearer token in FILE to nd-hub\n"            \
	"  --ca-file FILE                wss: CA certificates to verify nd-hub with\n"          \
	"  --insecure                    wss: do not verify nd-hub's certificate (tests only)\n" \
	"  --cert FILE, --key FILE       wss: client certificate and key, for a hub that\n"   \
	"                                requires one\n"                                       \
	"  -v                            More log output (repeatable)\n"                        \
	"  --log-level LEVEL             error, warn, info, debug or trace\n"                   \
	"  --version                     Show the version and exit\n"                           \
	"  --help                        Show this message and exit\n"

/* Makes the eater of cfg (with its own loop), runs it until it stops (SIGINT
 * and SIGTERM stop it with 4101 "connection cancelled"), calls done(cfg->user)
 * when given, and frees it.  Prints a one-line reason to stderr when it
 * stopped on an error.  Returns the exit status: 0 for a count reached or a
 * signal, 1 for an eater that could not be made, a refused or lost
 * connection, or a hub that sent invalid data. */
int cli_eat(const struct nd_eater_config *cfg, void (*done)(void *user));

/* The default on_lost: with reconnect, logs a warning; without, nothing
 * (cli_eat reports the reason once the eater has stopped). */
void cli_on_lost(struct nd_eater *e, bool was_connected, const char *why, void *user);

#endif
