/*
 * main.c: nd-hubdetails waits for one SystemStatusChef dumpling from the
 * hub, prints it in full (details.c) and exits.  Wiring only; the options
 * are cli_opts.c's.
 */
#include "cli.h"
#include "details.h"
#include "eater.h"
#include "log.h"
#include "proto.h"

#include <stdio.h>

static void usage(void)
{
	printf("Usage: nd-hubdetails [OPTIONS]\n"
	       "\n"
	       "  A dumpling eater.  Connects to nd-hub (the dumpling hub), waits for a\n"
	       "  single SystemStatusChef dumpling, prints its full contents and exits.\n"
	       "\n"
	       "Options:\n"
	       CLI_HUB_HELP
	       CLI_NAME_HELP("detailseater")
	       CLI_COLOR_HELP
	       "  --json                        Print the status dumpling raw, on one line\n"
	       CLI_TAIL_HELP);
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
	static const char *const chefs[] = {ND_STATUS_CHEF};
	static const struct cli_program prog = {
		.name = "nd-hubdetails",
		.usage = usage,
	};
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
	struct cli_output out;
	int rc = cli_parse(&prog, argc, argv, &cfg, &out);

	if (rc != CLI_GO)
		return rc;
	det.json = out.json;
	det.color = out.color;
	return cli_eat(&cfg, NULL);
}
