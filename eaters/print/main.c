/*
 * main.c: nd-print, the eater that prints every dumpling it receives.
 * Wiring only: options, the eater, the printer (printer.c), run, exit.
 */
#include "cli.h"
#include "eater.h"
#include "log.h"
#include "opt.h"
#include "printer.h"
#include "proto.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

enum {
	OPT_INTERVAL = 256,
	OPT_NO_INTERVAL,
	OPT_PACKET,
	OPT_NO_PACKET,
	OPT_PAYLOAD,
	OPT_NO_PAYLOAD,
	OPT_COLOR,
	OPT_NO_COLOR,
	OPT_JSON,
	OPT_COUNT,
	OPT_LOG_LEVEL,
	OPT_HELP,
	OPT_VERSION,
};

static void usage(void)
{
	printf("Usage: nd-print [OPTIONS]\n"
	       "\n"
	       "  A dumpling eater.  Connects to nd-hub (the dumpling hub) and prints\n"
	       "  information on all received dumplings.\n"
	       "\n"
	       "Options:\n"
	       "  -h, --hub HOST:PORT|URL       Address where nd-hub is sending dumplings from\n"
	       "                                [default: localhost:11348]\n"
	       "  -c, --chef CHEF_NAME          Only dumplings made by this chef (repeatable)\n"
	       "  -k, --kitchen KITCHEN_NAME    Only dumplings from this kitchen (repeatable)\n"
	       "  -n, --eater-name EATER_NAME   Eater name sent to nd-hub [default: printereater]\n"
	       "  --interval-dumplings / --no-interval-dumplings\n"
	       "                                Print interval dumplings [default: on]\n"
	       "  --packet-dumplings / --no-packet-dumplings\n"
	       "                                Print packet dumplings [default: on]\n"
	       "  --payload / --no-payload      Print dumpling payloads [default: on]\n"
	       "  --color / --no-color          Colour output [default: on a terminal only]\n"
	       "  --json                        One raw dumpling per line, as the hub sent it\n"
	       "  --count N                     Exit after printing N dumplings\n"
	       "  -r, --reconnect               Reconnect when the hub goes away (default: exit 1)\n"
	       CLI_SECURITY_HELP
	       "  -v                            More log output (repeatable)\n"
	       "  --log-level LEVEL             error, warn, info, debug or trace\n"
	       "  --version                     Show the version and exit\n"
	       "  --help                        Show this message and exit\n");
}

static void on_connect(struct nd_eater *e, const char *url, void *user)
{
	(void)e;
	printer_connected(user, url);
}

static void on_dumpling(struct nd_eater *e, const struct nd_eater_dumpling *d, void *user)
{
	if (printer_dumpling(user, d) < 0) {
		nd_error("print", "cannot write to standard output: stopping");
		nd_eater_stop(e, 0);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"hub", required_argument, NULL, 'h'},
		CLI_SECURITY_LONGOPTS,
		{"chef", required_argument, NULL, 'c'},
		{"kitchen", required_argument, NULL, 'k'},
		{"eater-name", required_argument, NULL, 'n'},
		{"interval-dumplings", no_argument, NULL, OPT_INTERVAL},
		{"no-interval-dumplings", no_argument, NULL, OPT_NO_INTERVAL},
		{"packet-dumplings", no_argument, NULL, OPT_PACKET},
		{"no-packet-dumplings", no_argument, NULL, OPT_NO_PACKET},
		{"payload", no_argument, NULL, OPT_PAYLOAD},
		{"no-payload", no_argument, NULL, OPT_NO_PAYLOAD},
		{"color", no_argument, NULL, OPT_COLOR},
		{"no-color", no_argument, NULL, OPT_NO_COLOR},
		{"json", no_argument, NULL, OPT_JSON},
		{"count", required_argument, NULL, OPT_COUNT},
		{"reconnect", no_argument, NULL, 'r'},
		{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
		{"help", no_argument, NULL, OPT_HELP},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	struct nd_strv chefs = {0}, kitchens = {0};
	struct printer pr = {.out = stdout, .payload = true};
	struct nd_eater_config cfg = {
		.size = sizeof(cfg),
		.hub = ND_DEFAULT_HOST ":11348",
		.name = "printereater",
		.no_reconnect = true,
		.on_connect = on_connect,
		.on_dumpling = on_dumpling,
		.on_lost = cli_on_lost,
		.user = &pr,
	};
	enum cli_color color = CLI_COLOR_AUTO;
	bool interval = true, packet = true;
	struct nd_eater *e;
	int c, rc = ND_EXIT_FAILURE;

	nd_opt_init("nd-print");
	while ((c = getopt_long(argc, argv, "h:c:k:n:rv", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': cfg.hub = optarg; break;
		case 'c':
			if (nd_strv_push(&chefs, optarg) < 0)
				nd_opt_die("--chef", "out of memory");
			break;
		case 'k':
			if (nd_strv_push(&kitchens, optarg) < 0)
				nd_opt_die("--kitchen", "out of memory");
			break;
		case 'n': cfg.name = optarg; break;
		case OPT_INTERVAL: interval = true; break;
		case OPT_NO_INTERVAL: interval = false; break;
		case OPT_PACKET: packet = true; break;
		case OPT_NO_PACKET: packet = false; break;
		case OPT_PAYLOAD: pr.payload = true; break;
		case OPT_NO_PAYLOAD: pr.payload = false; break;
		case OPT_COLOR: color = CLI_COLOR_ALWAYS; break;
		case OPT_NO_COLOR: color = CLI_COLOR_NEVER; break;
		case OPT_JSON: pr.json = true; break;
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
			fprintf(stderr, "Try 'nd-print --help' for help.\n");
			return ND_EXIT_USAGE;
		}
	}
	if (optind < argc)
		nd_opt_die(argv[optind], "unexpected argument");
	if (!interval && !packet)
		nd_opt_die("--no-packet-dumplings", "with --no-interval-dumplings nothing is printed");
	pr.color = !pr.json && cli_use_color(color);
	cfg.chefs = chefs.v;
	cfg.n_chefs = chefs.n;
	cfg.kitchens = kitchens.v;
	cfg.n_kitchens = kitchens.n;
	if (!(interval && packet))
		cfg.drivers = interval ? ND_EATER_INTERVAL : ND_EATER_PACKET;

	e = nd_eater_new(NULL, &cfg);
	if (!e)
		goto out; /* the reason is logged */
	if (nd_eater_start(e) == 0)
		rc = cli_run(e);
	nd_eater_free(e);
out:
	nd_strv_free(&chefs);
	nd_strv_free(&kitchens);
	return rc;
}
