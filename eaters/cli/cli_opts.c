/*
 * cli_opts.c: the command line nd-print, nd-hubstatus and nd-hubdetails
 * share.  See cli.h.  Each program gets one getopt_long table: the shared
 * options (--count and --reconnect only when it asks for them) around its
 * own, in the order the programs have always had them.
 */
#include "cli.h"

#include "opt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_TOKEN_FILE = 0x5100,
	OPT_CA_FILE,
	OPT_INSECURE,
	OPT_CERT,
	OPT_KEY,
	OPT_COLOR,
	OPT_NO_COLOR,
	OPT_JSON,
	OPT_COUNT,
	OPT_LOG_LEVEL,
	OPT_HELP,
	OPT_VERSION,
};

#define MAX_LONGOPTS 48

enum color_mode {
	COLOR_AUTO = -1, /* on a terminal only (and not with NO_COLOR or TERM=dumb) */
	COLOR_NEVER = 0,
	COLOR_ALWAYS = 1,
};

static const struct option shared_head[] = {
	{"hub", required_argument, NULL, 'h'},
	{"token-file", required_argument, NULL, OPT_TOKEN_FILE},
	{"ca-file", required_argument, NULL, OPT_CA_FILE},
	{"insecure", no_argument, NULL, OPT_INSECURE},
	{"cert", required_argument, NULL, OPT_CERT},
	{"key", required_argument, NULL, OPT_KEY},
	{"eater-name", required_argument, NULL, 'n'},
	{NULL, 0, NULL, 0},
};
static const struct option shared_output[] = {
	{"color", no_argument, NULL, OPT_COLOR},
	{"no-color", no_argument, NULL, OPT_NO_COLOR},
	{"json", no_argument, NULL, OPT_JSON},
	{NULL, 0, NULL, 0},
};
static const struct option opt_count[] = {
	{"count", required_argument, NULL, OPT_COUNT},
	{NULL, 0, NULL, 0},
};
static const struct option opt_reconnect[] = {
	{"reconnect", no_argument, NULL, 'r'},
	{NULL, 0, NULL, 0},
};
static const struct option shared_tail[] = {
	{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* Appends the options of `from` (ended by {NULL}) to table[*n]. */
static void append(struct option *table, size_t *n, const struct option *from)
{
	for (; from && from->name; from++) {
		/* Only a change to a program can get here: the table is
		 * sized for every program. */
		if (*n + 1 >= MAX_LONGOPTS)
			nd_opt_die(from->name, "more long options than cli_opts.c has room for");
		table[(*n)++] = *from;
	}
	table[*n] = (struct option){NULL, 0, NULL, 0};
}

static void build_longopts(const struct cli_program *prog, struct option *table)
{
	size_t n = 0;

	append(table, &n, shared_head);
	append(table, &n, prog->longopts);
	append(table, &n, shared_output);
	append(table, &n, prog->output_longopts);
	if (prog->flags & CLI_F_COUNT)
		append(table, &n, opt_count);
	if (prog->flags & CLI_F_RECONNECT)
		append(table, &n, opt_reconnect);
	append(table, &n, shared_tail);
}

/* Whether output to stdout should be coloured. */
static bool use_color(enum color_mode mode)
{
	const char *term = getenv("TERM");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

int cli_parse(const struct cli_program *prog, int argc, char **argv,
	      struct nd_eater_config *cfg, struct cli_output *out)
{
	struct option longopts[MAX_LONGOPTS];
	enum color_mode color = COLOR_AUTO;
	char shortopts[64];
	int c;

	nd_opt_init(prog->name);
	build_longopts(prog, longopts);
	snprintf(shortopts, sizeof(shortopts), "h:n:%s%sv", prog->shortopts ? prog->shortopts : "",
		 (prog->flags & CLI_F_RECONNECT) ? "r" : "");
	*out = (struct cli_output){0};
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h': cfg->hub = optarg; break;
		case 'n': cfg->name = optarg; break;
		case OPT_TOKEN_FILE: cfg->token_file = optarg; break;
		case OPT_CA_FILE: cfg->ca_file = optarg; break;
		case OPT_INSECURE: cfg->tls_insecure = true; break;
		case OPT_CERT: cfg->cert_file = optarg; break;
		case OPT_KEY: cfg->key_file = optarg; break;
		case OPT_COLOR: color = COLOR_ALWAYS; break;
		case OPT_NO_COLOR: color = COLOR_NEVER; break;
		case OPT_JSON: out->json = true; break;
		case OPT_COUNT:
			cfg->dumpling_count = nd_opt_u64_or_die("--count", optarg, 1, UINT64_MAX);
			break;
		case 'r': cfg->no_reconnect = false; break;
		case 'v': nd_opt_verbose(); break;
		case OPT_LOG_LEVEL: nd_opt_log_level_or_die(optarg); break;
		case OPT_HELP: prog->usage(); return ND_EXIT_OK;
		case OPT_VERSION: nd_opt_print_version(); return ND_EXIT_OK;
		default:
			if (prog->option && prog->option(c, optarg, prog->user))
				break;
			fprintf(stderr, "Try '%s --help' for help.\n", prog->name);
			return ND_EXIT_USAGE;
		}
	}
	if (optind < argc)
		nd_opt_die(argv[optind], "unexpected argument");
	out->color = !out->json && use_color(color);
	return CLI_GO;
}
