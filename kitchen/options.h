/*
 * options.h: nd-sniff's command line.
 *
 * netdumplings' flags keep their names and meanings (-n, -h, -i, -f, -m,
 * -c, -l, -p); the rest are ours.  Parsing exits with status 2 and one line
 * naming the flag on a bad value; strings point into argv.
 */
#ifndef KITCHEN_OPTIONS_H
#define KITCHEN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "opt.h"

struct kitchen_options {
	const char *kitchen_name;
	const char *hub;        /* HOST:PORT or ws[s]://... */
	bool hub_given;
	struct nd_addr hub_addr; /* hub, parsed */
	bool use_hub;           /* false with --stdout and no -h */
	struct nd_strv ifaces;  /* default: "all" */
	const char *filter;
	struct nd_strv modules; /* default: ND_CHEF_DIR */
	struct nd_strv chefs;   /* empty: every assignable chef */
	struct nd_strv chef_opts;
	bool list_chefs;
	double poke_interval;   /* 0: no pokes */

	const char *read_file;
	double realtime;        /* 0: as fast as possible */
	bool loop;              /* with realtime: replay the file forever */
	int snaplen;
	int buffer_size;
	bool promisc;
	bool immediate;
	const char *user;       /* -Z */
	int progress;           /* -1: when stderr is a terminal, 0 never, 1 always */

	bool to_stdout;
	uint64_t queue_count;
	uint64_t queue_bytes;
	double flush_timeout;
	double stats_interval;  /* 0: only at exit */
	double reconnect_max;
	const char *hub_ca;
	bool hub_insecure;
	const char *token_file; /* --token-file */
	const char *cert_file;  /* --cert, --key: client certificate for mutual TLS */
	const char *key_file;
	char *token;            /* its token, read at start (before -Z drops privileges) */
};

/* Parses argv into o (defaults first).  Exits 0 for --help/--version and
 * 2 on a bad command line. */
void kitchen_options_parse(struct kitchen_options *o, int argc, char **argv);

void kitchen_options_free(struct kitchen_options *o);

#endif
