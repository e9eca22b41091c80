/*
 * seq_eater.c: a C eater built on the eater library, for the whole-system
 * tests.  It writes one line per dumpling, "<kitchen> <seq> <chef> <len>",
 * to the file given (flushed per line), reconnects when the hub goes away,
 * and on SIGTERM prints its library counters and exits 0.
 *
 *   seq_eater HUB OUTFILE
 */
#include "eater.h"
#include "log.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static FILE *out;
static struct nd_eater *eater;

static void on_dumpling(struct nd_eater *e, const struct nd_eater_dumpling *d, void *user)
{
	fprintf(out, "%s %llu %s %zu\n", d->view.kitchen ? d->view.kitchen : "-",
		(unsigned long long)(d->view.has_seq ? d->view.seq : 0), d->view.chef, d->len);
	fflush(out);
}

static void on_connect(struct nd_eater *e, const char *url, void *user)
{
	fprintf(stderr, "seq_eater: connected to %s\n", url);
}

static void on_signal(uv_signal_t *s, int signum)
{
	nd_eater_stop(eater, 0);
	uv_close((uv_handle_t *)s, NULL);
}

int main(int argc, char **argv)
{
	struct nd_eater_config cfg = {
		.size = sizeof(cfg),
		.name = "seq_eater",
		.backoff_min_ms = 100,
		.backoff_max_ms = 500,
		.on_dumpling = on_dumpling,
		.on_connect = on_connect,
	};
	struct nd_eater_stats st;
	uv_loop_t loop;
	uv_signal_t sig;

	if (argc != 3) {
		fprintf(stderr, "usage: seq_eater HUB OUTFILE\n");
		return 2;
	}
	nd_log_init("seq_eater");
	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	cfg.hub = argv[1];
	uv_loop_init(&loop);
	eater = nd_eater_new(&loop, &cfg);
	if (!eater || nd_eater_start(eater) != 0)
		return 1;
	uv_signal_init(&loop, &sig);
	uv_signal_start(&sig, on_signal, SIGTERM);
	uv_run(&loop, UV_RUN_DEFAULT);
	nd_eater_get_stats(eater, &st);
	fprintf(stderr, "seq_eater: connects=%llu delivered=%llu invalid=%llu\n",
		(unsigned long long)st.connects, (unsigned long long)st.delivered,
		(unsigned long long)st.invalid);
	nd_eater_free(eater);
	uv_loop_close(&loop);
	fclose(out);
	return 0;
}
