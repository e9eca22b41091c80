/*
 * cli.c: running an eater from a command-line program: signals, the exit
 * status.  See cli.h.
 */
#include "cli.h"

#include "log.h"
#include "opt.h"
#include "proto.h"

#include <signal.h>
#include <stdio.h>

static void on_signal(uv_signal_t *s, int signum)
{
	nd_debug("eater", "signal %d: stopping", signum);
	nd_eater_stop(s->data, ND_CLOSE_CANCELLED);
}

void cli_on_lost(struct nd_eater *e, bool was_connected, const char *why, void *user)
{
	(void)user;
	(void)was_connected;
	if (nd_eater_result(e) == ND_EATER_RUNNING)
		nd_warn("eater", "%s; reconnecting", why);
}

/* Runs e until it stops; returns the exit status (see cli_eat). */
static int run(struct nd_eater *e)
{
	uv_loop_t *loop = nd_eater_loop(e);
	uv_signal_t sigs[2];
	static const int signums[2] = {SIGINT, SIGTERM};
	enum nd_eater_done done;

	for (int i = 0; i < 2; i++) {
		uv_signal_init(loop, &sigs[i]);
		sigs[i].data = e;
		uv_signal_start(&sigs[i], on_signal, signums[i]);
		/* The eater alone keeps the loop running. */
		uv_unref((uv_handle_t *)&sigs[i]);
	}
	nd_eater_run(e);
	for (int i = 0; i < 2; i++)
		uv_close((uv_handle_t *)&sigs[i], NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	fflush(stdout);

	done = nd_eater_result(e);
	switch (done) {
	case ND_EATER_DONE_COUNT:
	case ND_EATER_DONE_STOPPED:
		return ND_EXIT_OK;
	case ND_EATER_DONE_REFUSED:
		fprintf(stderr, "%s: %s (is nd-hub running?)\n", nd_opt_program(),
			nd_eater_last_error(e));
		return ND_EXIT_FAILURE;
	case ND_EATER_DONE_LOST:
		fprintf(stderr, "%s: lost connection to nd-hub: %s\n", nd_opt_program(),
			nd_eater_last_error(e));
		return ND_EXIT_FAILURE;
	case ND_EATER_DONE_INVALID:
		fprintf(stderr, "%s: %s\n", nd_opt_program(), nd_eater_last_error(e));
		return ND_EXIT_FAILURE;
	case ND_EATER_RUNNING:
		break;
	}
	fprintf(stderr, "%s: stopped unexpectedly\n", nd_opt_program());
	return ND_EXIT_FAILURE;
}

int cli_eat(const struct nd_eater_config *cfg, void (*done)(void *user))
{
	struct nd_eater *e = nd_eater_new(NULL, cfg);
	int rc = ND_EXIT_FAILURE;

	if (!e)
		return ND_EXIT_FAILURE; /* the reason is logged */
	if (nd_eater_start(e) == 0)
		rc = run(e);
	if (done)
		done(cfg->user);
	nd_eater_free(e);
	return rc;
}
