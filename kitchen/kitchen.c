/*
 * kitchen.c: wires capture, dissection, chefs, emitter and uplink together
 * on one loop, and runs the shutdown sequence (see kitchen.h).
 *
 * Per packet: dissect into the one reusable view, show it to the chefs,
 * and, when reading a file, pause if the hub connection is congested (a
 * file can wait; a live interface cannot, so live capture never pauses).
 */
#include "kitchen.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "capture.h"
#include "chef_runtime.h"
#include "chefs.h"
#include "emit.h"
#include "hello.h"
#include "log.h"
#include "packet.h"
#include "privdrop.h"
#include "stats.h"
#include "uplink.h"

#define COMP "kitchen"

struct kitchen {
	uv_loop_t loop;
	const struct kitchen_options *opt;
	struct nd_chef_runtime *rt;
	struct kitchen_capture *cap;
	struct kitchen_uplink *up;
	struct kitchen_emitter em;
	struct kitchen_stats stats;
	struct nd_packet pkt;
	uint64_t not_dissected;

	uv_timer_t poke_timer, done_timer, stop_timer;
	uv_signal_t sigint, sigterm;
	uv_check_t flush_check;
	bool stopping, loop_ready;
	int exit_code;
};

static int sink_emit(void *user, const char *chef, enum nd_driver driver, json_t *payload)
{
	struct kitchen *k = user;

	return kitchen_emit(&k->em, chef, driver, payload);
}

static int sink_capture_stats(void *user, struct nd_chef_capture_stats *out)
{
	struct kitchen *k = user;
	struct kitchen_capture_stats cs;
	struct kitchen_uplink_stats us = { 0 };

	if (!k->cap)
		return -ENOTSUP;
	kitchen_capture_get_stats(k->cap, &cs);
	if (k->up)
		kitchen_uplink_get_stats(k->up, &us);
	if (cs.have_pcap_stats) {
		out->valid |= ND_CHEF_STAT_PCAP;
		out->received = cs.recv;
		out->dropped_kernel = cs.drop;
		out->dropped_iface = cs.ifdrop;
	}
	out->valid |= ND_CHEF_STAT_KITCHEN;
	out->packets_processed = cs.packets;
	out->packets_dropped = 0;
	out->dumplings_sent = k->up ? us.sent : k->em.made;
	out->dumplings_dropped = us.dropped + us.dropped_at_exit + k->em.encode_failures;
	return 0;
}

static void on_packet(void *arg, const struct kitchen_source *src, const struct pcap_pkthdr *h,
		      const unsigned char *data)
{
	struct kitchen *k = arg;

	if (nd_packet_dissect(&k->pkt, src->linktype, h, data) != 0)
		k->not_dissected++;
	k->pkt.ifindex = (int)src->index;
	k->pkt.ifname = src->name;
	nd_chef_runtime_packet(k->rt, &k->pkt);
	if (k->up && !src->live && kitchen_uplink_congested(k->up))
		kitchen_capture_pause(k->cap);
}

static void on_drain(struct kitchen_uplink *u, void *arg)
{
	struct kitchen *k = arg;

	if (!k->stopping && k->cap)
		kitchen_capture_resume(k->cap);
}

static void on_poke(uv_timer_t *t)
{
	struct kitchen *k = t->data;

	nd_chef_runtime_poke(k->rt, k->opt->poke_interval);
}

static void close_cb_noop(uv_handle_t *h)
{
}

/* Everything is delivered (or out of time): close our handles so that
 * uv_run returns. */
static void finish(struct kitchen *k)
{
	kitchen_emitter_flush(&k->em);
	kitchen_stats_final(&k->stats);
	kitchen_stats_stop(&k->stats);
	uv_close((uv_handle_t *)&k->poke_timer, close_cb_noop);
	uv_close((uv_handle_t *)&k->done_timer, close_cb_noop);
	uv_close((uv_handle_t *)&k->stop_timer, close_cb_noop);
	uv_close((uv_handle_t *)&k->sigint, close_cb_noop);
	uv_close((uv_handle_t *)&k->sigterm, close_cb_noop);
	uv_close((uv_handle_t *)&k->flush_check, close_cb_noop);
	kitchen_capture_close(k->cap);
	k->cap = NULL; /* freed by its close callbacks */
	if (k->up)
		kitchen_uplink_stop(k->up);
}

static void on_uplink_done(struct kitchen_uplink *u, void *arg)
{
	finish(arg);
}

static void on_done_timer(uv_timer_t *t)
{
	finish(t->data);
}

static void stop(struct kitchen *k, const char *why)
{
	if (k->stopping)
		return;
	k->stopping = true;
	nd_info(COMP, "stopping: %s", why);
	kitchen_capture_stop(k->cap);
	uv_timer_stop(&k->poke_timer);
	/* A last poke, so interval chefs report what they have. */
	nd_chef_runtime_poke(k->rt, k->opt->poke_interval);
	kitchen_emitter_flush(&k->em);
	if (k->up)
		kitchen_uplink_close(k->up, on_uplink_done, k);
	else
		uv_timer_start(&k->done_timer, on_done_timer, 0, 0);
}

static void on_end(void *arg, int status)
{
	struct kitchen *k = arg;

	if (status < 0)
		k->exit_code = 1;
	if (k->opt->read_file)
		stop(k, status < 0 ? "the capture file could not be read to the end"
				   : "end of the capture file");
	else
		stop(k, "capturing failed on every interface");
}

static void on_signal(uv_signal_t *s, int signum)
{
	struct kitchen *k = s->data;

	if (k->stopping) {
		static const char msg[] = "nd-sniff: second signal: exiting without flushing\n";

		(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
		_exit(1);
	}
	stop(k, signum == SIGINT ? "interrupted" : "terminated");
}

static void on_check(uv_check_t *c)
{
	struct kitchen *k = c->data;

	kitchen_emitter_flush(&k->em);
}

static void on_stop_timer(uv_timer_t *t)
{
	stop(t->data, "standard output was closed");
}

/* Runs inside a chef's emit: stop from the loop, not from here, so that
 * the chefs are not poked while one of them is running. */
static void on_out_failed(void *arg)
{
	struct kitchen *k = arg;

	if (!k->up && !k->stopping)
		uv_timer_start(&k->stop_timer, on_stop_timer, 0, 0);
}

static char *build_hello(const struct kitchen_options *opt, struct nd_chef_runtime *rt)
{
	struct nd_kitchen_hello h = { 0 };
	char iface[1024] = "";
	size_t n = 0, off = 0;
	const char **names = kitchen_chefs_names(rt, &n);
	json_t *j;
	char *text;

	if (opt->read_file) {
		snprintf(iface, sizeof(iface), "%s", opt->read_file);
	} else {
		for (size_t i = 0; i < opt->ifaces.n && off < sizeof(iface); i++) {
			int w = snprintf(iface + off, sizeof(iface) - off, "%s%s", i ? "," : "",
					 opt->ifaces.v[i]);

			if (w < 0)
				break;
			off += (size_t)w;
		}
	}
	h.kitchen_name = opt->kitchen_name;
	h.interface = iface;
	h.filter = opt->filter;
	h.chefs = names;
	h.n_chefs = n;
	h.poke_interval = opt->poke_interval;
	j = nd_hello_kitchen_build(&h);
	text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
		 : NULL;
	json_decref(j);
	free(names);
	return text;
}

static int start_chefs(struct kitchen *k, struct nd_chef_catalog *cat)
{
	struct nd_chef_runtime_config cfg = {
		.kitchen_name = k->opt->kitchen_name,
		.emit = sink_emit,
		.capture_stats = sink_capture_stats,
		.user = k,
	};
	char err[512] = "";
	int rc;

	k->rt = nd_chef_runtime_new(cat, &cfg);
	if (!k->rt) {
		nd_error(COMP, "out of memory");
		return -ENOMEM;
	}
	rc = nd_chef_runtime_start(k->rt, k->opt->chefs.v, k->opt->chefs.n, k->opt->chef_opts.v,
				   k->opt->chef_opts.n, err, sizeof(err));
	if (rc == -ENOENT) {
		nd_error(COMP, "%s: no valid chefs found; not starting the kitchen%s%s",
			 k->opt->kitchen_name, *err ? ": " : "", err);
		return rc;
	}
	if (rc != 0) {
		nd_error(COMP, "%s", *err ? err : "cannot start the chefs");
		return rc;
	}
	for (size_t i = 0; i < nd_chef_runtime_count(k->rt); i++)
		nd_info(COMP, "%s: using chef %s", k->opt->kitchen_name,
			nd_chef_runtime_info(k->rt, i)->full_name);
	return 0;
}

static int open_capture(struct kitchen *k)
{
	const struct kitchen_options *o = k->opt;
	struct kitchen_capture_config cc = {
		.ifaces = o->ifaces.v,
		.n_ifaces = o->ifaces.n,
		.read_file = o->read_file,
		.filter = o->filter,
		.snaplen = o->snaplen,
		.buffer_size = o->buffer_size,
		.promisc = o->promisc,
		.immediate = o->immediate,
		.realtime = o->realtime,
		.loop = o->loop,
		.progress = o->progress < 0 ? isatty(STDERR_FILENO) : o->progress,
		.on_packet = on_packet,
		.on_end = on_end,
		.arg = k,
	};

	k->cap = kitchen_capture_open(&k->loop, &cc);
	return k->cap ? 0 : -EIO;
}

static int open_uplink(struct kitchen *k)
{
	const struct kitchen_options *o = k->opt;
	struct kitchen_uplink_config uc = {
		.hub = o->hub_addr,
		.max_count = o->queue_count,
		.max_bytes = o->queue_bytes,
		.backoff_max_ms = (unsigned)(o->reconnect_max * 1000),
		.flush_timeout_ms = (unsigned)(o->flush_timeout * 1000),
		.ca_file = o->hub_ca,
		.insecure = o->hub_insecure,
		.token = o->token,
		.cert_file = o->cert_file,
		.key_file = o->key_file,
	};
	char *hello = build_hello(o, k->rt);

	if (!hello) {
		nd_error(COMP, "cannot build the registration message");
		return -ENOMEM;
	}
	if (uc.backoff_max_ms < 250)
		uc.backoff_min_ms = uc.backoff_max_ms;
	uc.hello = hello;
	k->up = kitchen_uplink_new(&k->loop, &uc);
	free(hello);
	if (!k->up)
		return -EIO;
	kitchen_uplink_set_drain_cb(k->up, on_drain, k);
	k->em.uplink = k->up;
	return 0;
}

struct kitchen *kitchen_new(const struct kitchen_options *opt, struct nd_chef_catalog *cat)
{
	struct kitchen *k = calloc(1, sizeof(*k));

	if (!k || uv_loop_init(&k->loop) != 0) {
		nd_error(COMP, "cannot set up the event loop");
		nd_chef_catalog_free(cat);
		free(k);
		return NULL;
	}
	k->loop_ready = true;
	k->opt = opt;
	nd_packet_init(&k->pkt);
	if (kitchen_emitter_init(&k->em, opt->kitchen_name) != 0) {
		nd_error(COMP, "the kitchen name is not valid UTF-8, or memory ran out");
		nd_chef_catalog_free(cat);
		goto fail;
	}
	k->em.on_out_failed = on_out_failed;
	k->em.arg = k;
	if (start_chefs(k, cat) != 0 || open_capture(k) != 0)
		goto fail;
	if (opt->user && kitchen_drop_privileges(opt->user) != 0)
		goto fail;
	if (opt->use_hub && open_uplink(k) != 0)
		goto fail;
	if (opt->to_stdout) {
		signal(SIGPIPE, SIG_IGN);
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
		k->em.out = stdout;
	}
	uv_timer_init(&k->loop, &k->poke_timer);
	uv_timer_init(&k->loop, &k->done_timer);
	uv_timer_init(&k->loop, &k->stop_timer);
	uv_signal_init(&k->loop, &k->sigint);
	uv_signal_init(&k->loop, &k->sigterm);
	uv_check_init(&k->loop, &k->flush_check);
	k->poke_timer.data = k->done_timer.data = k->stop_timer.data = k;
	k->sigint.data = k->sigterm.data = k->flush_check.data = k;
	kitchen_stats_init(&k->stats, &k->loop, k->cap, k->up, &k->em, k->rt, &k->not_dissected);
	nd_info(COMP, "%s: kitchen started (id %s), reading %s with filter \"%s\"",
		opt->kitchen_name, k->em.kitchen_start, opt->read_file ? opt->read_file : "live",
		opt->filter);
	return k;

fail:
	kitchen_free(k);
	return NULL;
}

int kitchen_run(struct kitchen *k)
{
	const struct kitchen_options *o = k->opt;

	uv_signal_start(&k->sigint, on_signal, SIGINT);
	uv_signal_start(&k->sigterm, on_signal, SIGTERM);
	uv_check_start(&k->flush_check, on_check);
	if (o->poke_interval > 0) {
		uint64_t ms = (uint64_t)(o->poke_interval * 1000);

		uv_timer_start(&k->poke_timer, on_poke, ms ? ms : 1, ms ? ms : 1);
	}
	kitchen_stats_start(&k->stats, o->stats_interval);
	kitchen_capture_start(k->cap);
	uv_run(&k->loop, UV_RUN_DEFAULT);
	return k->exit_code;
}

void kitchen_free(struct kitchen *k)
{
	if (!k)
		return;
	if (k->cap) {
		kitchen_capture_close(k->cap);
		k->cap = NULL;
	}
	if (k->up) {
		kitchen_uplink_stop(k->up);
		uv_run(&k->loop, UV_RUN_DEFAULT);
		kitchen_uplink_free(k->up);
	}
	nd_chef_runtime_free(k->rt);
	kitchen_emitter_free(&k->em);
	if (k->loop_ready) {
		uv_run(&k->loop, UV_RUN_NOWAIT);
		if (uv_loop_close(&k->loop) != 0)
			nd_debug(COMP, "the event loop still had handles at exit");
	}
	free(k);
}
