/*
 * main.c: nd-hubdetails waits for one SystemStatusChef dumpling from the
 * hub, prints it in full (details.c) and exits.  Wiring only.
 */
#include "cli.h"
#include "details.h"
#include "eater.h"
#include "log.h"
#include "opt.h"
#include "proto.h"

#include <getopt.h>
#include <stdio.h>

enum {
	OPT_COLOR = 256,
	OPT_NO_COLOR,
	OPT_JSON,
	OPT_LOG_LEVEL,
	OPT_HELP,
	OPT_VERSION,
};

static void usage(void)
{
	printf("Usage: nd-hubdetails [OPTIONS]\n"
	       "\n"
	       "  A dumpling eater.  Connects to nd-hub (the dumpling hub), waits for a\n"
	       "  single SystemStatusChef dumpling, prints its full contents and exits.\n"
	       "\n"
	       "Options:\n"
	       "  -h, --hub HOST:PORT|URL       Address where nd-hub is sending dumplings from\n"
	       "                                [default: localhost:11348]\n"
	       "  -n, --eater-name EATER_NAME   Eater name sent to nd-hub [default: detailseater]\n"
	       "  --color / --no-color          Colour output [default: on a terminal only]\n"
	       "  --json                        Print the status dumpling raw, on one line\n"
	       CLI_SECURITY_HELP
	       "  -v                            More log output (repeatable)\n"
	       "  --log-level LEVEL             error, warn, info, debug or trace\n"
	       "  --version                     Show the version and exit\n"
	       "  --help                        Show this message and exit\n");
}

static void on_connect(struct nd_eater *e, const char *url, void *user)
{
	(void)e;
	details_connected(user, url);
}

static void on_dumpling(struct nd_eater *e, const struct nd_eater_dumpling *d, void *user)
{
	if (details_print(user, d) < 0)
		nd_error("details", "cannot write to standard output");
	(void)e;
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
		{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
		{"help", no_argument, NULL, OPT_HELP},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	static const char *const chefs[] = {ND_STATUS_CHEF};
	struct details det = {.out = stdout};
	struct nd_eater_config cfg = {
		.size = sizeof(cfg),
		.hub = ND_DEFAULT_HOST ":11348",
		.name = "detailseater",
		.chefs = chefs,
		.n_chefs = 1,
		.dumpling_count = 1,
		.no_reconnect = true,
		.on_connect = on_connect,
		.on_dumpling = on_dumpling,
		.on_lost = cli_on_lost,
		.user = &det,
	};
	enum cli_color color = CLI_COLOR_AUTO;
	struct nd_eater *e;
	int c, rc = ND_EXIT_FAILURE;

	nd_opt_init("nd-hubdetails");
	while ((c = getopt_long(argc, argv, "h:n:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': cfg.hub = optarg; break;
		case 'n': cfg.name = optarg; break;
		case OPT_COLOR: color = CLI_COLOR_ALWAYS; break;
		case OPT_NO_COLOR: color = CLI_COLOR_NEVER; break;
		case OPT_JSON: det.json = true; break;
		case 'v': nd_opt_verbose(); break;
		case OPT_LOG_LEVEL: nd_opt_log_level_or_die(optarg); break;
		case OPT_HELP: usage(); return ND_EXIT_OK;
		case OPT_VERSION: nd_opt_print_version(); return ND_EXIT_OK;
		default:
			if (cli_security_option(c, optarg, &cfg))
				break;
			fprintf(stderr, "Try 'nd-hubdetails --help' for help.\n");
			return ND_EXIT_USAGE;
		}
	}
	if (optind < argc)
		nd_opt_die(argv[optind], "unexpected argument");
	det.color = !det.json && cli_use_color(color);

	e = nd_eater_new(NULL, &cfg);
	if (!e)
		return ND_EXIT_FAILURE;
	if (nd_eater_start(e) == 0)
		rc = cli_run(e);
	nd_eater_free(e);
	return rc;
}
