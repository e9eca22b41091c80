/*
 * main.c: nd-hubstatus, a one-line hub status refreshed in place from the
 * hub's SystemStatusChef dumplings.  Wiring only; the line is built in
 * status_line.c.
 */
#include "cli.h"
#include "eater.h"
#include "log.h"
#include "opt.h"
#include "proto.h"
#include "status_line.h"

#include <getopt.h>
#include <stdio.h>
#include <time.h>

enum {
	OPT_COLOR = 256,
	OPT_NO_COLOR,
	OPT_JSON,
	OPT_NEWLINE,
	OPT_COUNT,
	OPT_LOG_LEVEL,
	OPT_HELP,
	OPT_VERSION,
};

struct hubstatus {
	bool color;
	bool json;
	bool newline;
	bool printed;
};

static void usage(void)
{
	printf("Usage: nd-hubstatus [OPTIONS]\n"
	       "\n"
	       "  A dumpling eater.  Connects to nd-hub (the dumpling hub) and continually\n"
	       "  prints summary status information from its SystemStatusChef dumplings.\n"
	       "\n"
	       "Options:\n"
	       "  -h, --hub HOST:PORT|URL       Address where nd-hub is sending dumplings from\n"
	       "                                [default: localhost:11348]\n"
	       "  -n, --eater-name EATER_NAME   Eater name sent to nd-hub [default: statuseater]\n"
	       "  --color / --no-color          Colour output [default: on a terminal only]\n"
	       "  --newline                     One line per status instead of refreshing in place\n"
	       "  --json                        Print each status dumpling raw, one per line\n"
	       "  --count N                     Exit after N status dumplings\n"
	       "  -r, --reconnect               Reconnect when the hub goes away (default: exit 1)\n"
	       CLI_SECURITY_HELP
	       "  -v                            More log output (repeatable)\n"
	       "  --log-level LEVEL             error, warn, info, debug or trace\n"
	       "  --version                     Show the version and exit\n"
	       "  --help                        Show this message and exit\n");
}

static void on_connect(struct nd_eater *e, const char *url, void *user)
{
	struct hubstatus *hs = user;

	(void)e;
	if (hs->json)
		return;
	if (hs->printed)
		fputc('\n', stdout);
	printf("nd-hub status from %s\nWaiting for data... ", url);
	hs->printed = true;
	fflush(stdout);
}

static void on_dumpling(struct nd_eater *e, const struct nd_eater_dumpling *d, void *user)
{
	struct hubstatus *hs = user;
	char line[512];

	(void)e;
	if (hs->json) {
		fwrite(d->text, 1, d->len, stdout);
		fputc('\n', stdout);
	} else {
		status_line_format(d->view.payload, time(NULL), hs->color, line, sizeof(line));
		printf(hs->newline ? "%s\n" : "\r%s", line);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"hub", required_argument, NULL, 'h'},
		CLI_SECURITY_LONGOPTS,
		{"eater-name", required_argument, NULL, 'n'},
		{"color", no_argument, NULL, OPT_COLOR},
		{"no-color", no_argument, NULL, OPT_NO_COLOR},
		{"json", no_argument, NULL, OPT_JSON},
		{"newline", no_argument, NULL, OPT_NEWLINE},
		{"count", required_argument, NULL, OPT_COUNT},
		{"reconnect", no_argument, NULL, 'r'},
		{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
		{"help", no_argument, NULL, OPT_HELP},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	static const char *const chefs[] = {ND_STATUS_CHEF};
	struct hubstatus hs = {0};
	struct nd_eater_config cfg = {
		.size = sizeof(cfg),
		.hub = ND_DEFAULT_HOST ":11348",
		.name = "statuseater",
		.chefs = chefs,
		.n_chefs = 1,
		.no_reconnect = true,
		.on_connect = on_connect,
		.on_dumpling = on_dumpling,
		.on_lost = cli_on_lost,
		.user = &hs,
	};
	enum cli_color color = CLI_COLOR_AUTO;
	struct nd_eater *e;
	int c, rc = ND_EXIT_FAILURE;

	nd_opt_init("nd-hubstatus");
	while ((c = getopt_long(argc, argv, "h:n:rv", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': cfg.hub = optarg; break;
		case 'n': cfg.name = optarg; break;
		case OPT_COLOR: color = CLI_COLOR_ALWAYS; break;
		case OPT_NO_COLOR: color = CLI_COLOR_NEVER; break;
		case OPT_JSON: hs.json = true; break;
		case OPT_NEWLINE: hs.newline = true; break;
		case OPT_COUNT:
			cfg.dumpling_count = nd_opt_u64_or_die("--count", optarg, 1, UINT64_MAX);
			break;
		case 'r': cfg.no_reconnect = false; break;
		case 'v': nd_opt_verbose(); break;
		case OPT_LOG_LEVEL: nd_opt_log_level_or_die(optarg); break;
		case OPT_HELP: usage(); return ND_EXIT_OK;
		case OPT_VERSION: nd_opt_print_version(); return ND_EXIT_OK;
		default:
			if (cli_security_option(c, optarg, &cfg))
				break;
			fprintf(stderr, "Try 'nd-hubstatus --help' for help.\n");
			return ND_EXIT_USAGE;
		}
	}
	if (optind < argc)
		nd_opt_die(argv[optind], "unexpected argument");
	hs.color = !hs.json && cli_use_color(color);

	e = nd_eater_new(NULL, &cfg);
	if (!e)
		return ND_EXIT_FAILURE;
	if (nd_eater_start(e) == 0)
		rc = cli_run(e);
	if (hs.printed && !hs.json && !hs.newline)
		fputc('\n', stdout);
	nd_eater_free(e);
	return rc;
}
