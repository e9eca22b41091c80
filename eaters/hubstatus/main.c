/*
 * main.c: nd-hubstatus, a one-line hub status refreshed in place from the
 * hub's SystemStatusChef dumplings.  Wiring only; the options are
 * cli_opts.c's and --newline, the line is built in status_line.c.
 */
#include "cli.h"
#include "eater.h"
#include "opt.h"
#include "proto.h"
#include "status_line.h"

#include <stdio.h>
#include <time.h>

enum {
	OPT_NEWLINE = 256,
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
	       CLI_HUB_HELP
	       CLI_NAME_HELP("statuseater")
	       CLI_COLOR_HELP
	       "  --newline                     One line per status instead of refreshing in place\n"
	       "  --json                        Print each status dumpling raw, one per line\n"
	       "  --count N                     Exit after N status dumplings\n"
	       CLI_RECONNECT_HELP
	       CLI_TAIL_HELP);
}

static bool hubstatus_option(int opt, const char *arg, void *user)
{
	struct hubstatus *hs = user;

	(void)arg;
	if (opt != OPT_NEWLINE)
		return false;
	hs->newline = true;
	return true;
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

/* Ends a status line that was being refreshed in place. */
static void on_done(void *user)
{
	const struct hubstatus *hs = user;

	if (hs->printed && !hs->json && !hs->newline)
		fputc('\n', stdout);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"newline", no_argument, NULL, OPT_NEWLINE},
		{NULL, 0, NULL, 0},
	};
	static const char *const chefs[] = {ND_STATUS_CHEF};
	struct hubstatus hs = {0};
	const struct cli_program prog = {
		.name = "nd-hubstatus",
		.flags = CLI_F_COUNT | CLI_F_RECONNECT,
		.output_longopts = longopts,
		.usage = usage,
		.option = hubstatus_option,
		.user = &hs,
	};
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
	struct cli_output out;
	int rc = cli_parse(&prog, argc, argv, &cfg, &out);

	if (rc != CLI_GO)
		return rc;
	hs.json = out.json;
	hs.color = out.color;
	return cli_eat(&cfg, on_done);
}
