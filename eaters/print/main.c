/*
 * main.c: nd-print, the eater that prints every dumpling it receives.
 * Wiring only: options (the shared ones in cli_opts.c), the eater, the
 * printer (printer.c), run, exit.
 */
#include "cli.h"
#include "eater.h"
#include "log.h"
#include "opt.h"
#include "printer.h"
#include "proto.h"

#include <stdio.h>

enum {
	OPT_INTERVAL = 256,
	OPT_NO_INTERVAL,
	OPT_PACKET,
	OPT_NO_PACKET,
	OPT_PAYLOAD,
	OPT_NO_PAYLOAD,
};

/* What nd-print's own options set. */
struct print_args {
	struct printer *pr;
	struct nd_strv chefs, kitchens;
	bool interval, packet;
};

static void usage(void)
{
	printf("Usage: nd-print [OPTIONS]\n"
	       "\n"
	       "  A dumpling eater.  Connects to nd-hub (the dumpling hub) and prints\n"
	       "  information on all received dumplings.\n"
	       "\n"
	       "Options:\n"
	       CLI_HUB_HELP
	       "  -c, --chef CHEF_NAME          Only dumplings made by this chef (repeatable)\n"
	       "  -k, --kitchen KITCHEN_NAME    Only dumplings from this kitchen (repeatable)\n"
	       CLI_NAME_HELP("printereater")
	       "  --interval-dumplings / --no-interval-dumplings\n"
	       "                                Print interval dumplings [default: on]\n"
	       "  --packet-dumplings / --no-packet-dumplings\n"
	       "                                Print packet dumplings [default: on]\n"
	       "  --payload / --no-payload      Print dumpling payloads [default: on]\n"
	       CLI_COLOR_HELP
	       "  --json                        One raw dumpling per line, as the hub sent it\n"
	       "  --count N                     Exit after printing N dumplings\n"
	       CLI_RECONNECT_HELP
	       CLI_TAIL_HELP);
}

static bool print_option(int opt, const char *arg, void *user)
{
	struct print_args *a = user;

	switch (opt) {
	case 'c':
		if (nd_strv_push(&a->chefs, arg) < 0)
			nd_opt_die("--chef", "out of memory");
		return true;
	case 'k':
		if (nd_strv_push(&a->kitchens, arg) < 0)
			nd_opt_die("--kitchen", "out of memory");
		return true;
	case OPT_INTERVAL: a->interval = true; return true;
	case OPT_NO_INTERVAL: a->interval = false; return true;
	case OPT_PACKET: a->packet = true; return true;
	case OPT_NO_PACKET: a->packet = false; return true;
	case OPT_PAYLOAD: a->pr->payload = true; return true;
	case OPT_NO_PAYLOAD: a->pr->payload = false; return true;
	default: return false;
	}
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
		{"chef", required_argument, NULL, 'c'},
		{"kitchen", required_argument, NULL, 'k'},
		{"interval-dumplings", no_argument, NULL, OPT_INTERVAL},
		{"no-interval-dumplings", no_argument, NULL, OPT_NO_INTERVAL},
		{"packet-dumplings", no_argument, NULL, OPT_PACKET},
		{"no-packet-dumplings", no_argument, NULL, OPT_NO_PACKET},
		{"payload", no_argument, NULL, OPT_PAYLOAD},
		{"no-payload", no_argument, NULL, OPT_NO_PAYLOAD},
		{NULL, 0, NULL, 0},
	};
	struct printer pr = {.out = stdout, .payload = true};
	struct print_args a = {.pr = &pr, .interval = true, .packet = true};
	const struct cli_program prog = {
		.name = "nd-print",
		.flags = CLI_F_COUNT | CLI_F_RECONNECT,
		.shortopts = "c:k:",
		.longopts = longopts,
		.usage = usage,
		.option = print_option,
		.user = &a,
	};
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
	struct cli_output out;
	int rc = cli_parse(&prog, argc, argv, &cfg, &out);

	if (rc != CLI_GO)
		goto out;
	if (!a.interval && !a.packet)
		nd_opt_die("--no-packet-dumplings", "with --no-interval-dumplings nothing is printed");
	pr.json = out.json;
	pr.color = out.color;
	cfg.chefs = a.chefs.v;
	cfg.n_chefs = a.chefs.n;
	cfg.kitchens = a.kitchens.v;
	cfg.n_kitchens = a.kitchens.n;
	if (!(a.interval && a.packet))
		cfg.drivers = a.interval ? ND_EATER_INTERVAL : ND_EATER_PACKET;
	rc = cli_eat(&cfg, NULL);
out:
	nd_strv_free(&a.chefs);
	nd_strv_free(&a.kitchens);
	return rc;
}
