/*
 * capture.c: packet sources on the kitchen's loop (see capture.h).
 *
 * Opening, live sources, and the lifecycle of both kinds (capture_file.c
 * reads files).  Live sources: pcap_setnonblock + uv_poll on
 * pcap_get_selectable_fd; each readable event drains up to DRAIN_ROUNDS
 * buffers with pcap_dispatch.  pcap handles are closed only after their
 * poll handles' close callbacks.
 */
#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_explain.h"
#include "capture_int.h"
#include "log.h"

#define COMP "capture"
#define DRAIN_ROUNDS 16

void kitchen_capture_end(struct kitchen_capture *c, int status)
{
	if (c->ended)
		return;
	c->ended = true;
	uv_idle_stop(&c->pump);
	uv_timer_stop(&c->pace);
	if (c->cfg.progress) {
		uv_timer_stop(&c->progress);
		fputs("\r\033[K", stderr);
	}
	if (c->cfg.on_end)
		c->cfg.on_end(c->cfg.arg, status);
}

/* A live source failed for good; when none is left, the capture ends. */
static void source_dead(struct kitchen_capture *c)
{
	if (++c->dead_sources == c->n_src)
		kitchen_capture_end(c, -EIO);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct kitchen_source *s = h->data;
	struct kitchen_capture *c = s->cap;

	/* libuv reports POLLERR on the packet socket (a pending socket error
	 * such as ENETDOWN) as UV_EBADF and stops the handle; libpcap reads
	 * and clears that error itself, so read, then poll again. */
	if (status < 0)
		nd_debug(COMP, "%s: poll reported %s", s->name, uv_strerror(status));
	for (int i = 0; i < DRAIN_ROUNDS && !c->paused && !c->stopped; i++) {
		int n;

		c->current = s;
		n = pcap_dispatch(s->pcap, -1, kitchen_capture_deliver, (u_char *)s);
		c->current = NULL;
		if (n == PCAP_ERROR) {
			nd_error(COMP, "%s: capture failed: %s", s->name, pcap_geterr(s->pcap));
			uv_poll_stop(h);
			source_dead(c);
			return;
		}
		if (n <= 0)
			break;
	}
	if (status < 0 && !c->paused && !c->stopped)
		uv_poll_start(h, UV_READABLE, on_readable);
}

/* Compiles and sets the filter; with `keep`, also keeps the program for
 * pcap_offline_filter (mapped reading). */
int kitchen_capture_set_filter(struct kitchen_source *s, const char *filter, bpf_u_int32 netmask,
		      struct bpf_program *keep)
{
	struct bpf_program prog;

	if (!filter || !*filter)
		return 0;
	if (pcap_compile(s->pcap, &prog, filter, 1, netmask) != 0) {
		nd_error(COMP, "%s: the filter \"%s\" does not compile: %s", s->name, filter,
			 pcap_geterr(s->pcap));
		return -EINVAL;
	}
	if (pcap_setfilter(s->pcap, &prog) != 0) {
		nd_error(COMP, "%s: cannot set the filter \"%s\": %s", s->name, filter,
			 pcap_geterr(s->pcap));
		pcap_freecode(&prog);
		return -EINVAL;
	}
	if (keep)
		*keep = prog;
	else
		pcap_freecode(&prog);
	return 0;
}

static int open_live(struct kitchen_capture *c, struct kitchen_source *s)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	const struct kitchen_capture_config *cfg = &c->cfg;
	int rc;

	s->live = true;
	s->pcap = pcap_create(s->name, errbuf);
	if (!s->pcap) {
		nd_error(COMP, "%s: cannot open: %s", s->name, errbuf);
		return -ENODEV;
	}
	pcap_set_snaplen(s->pcap, cfg->snaplen ? cfg->snaplen : 262144);
	pcap_set_promisc(s->pcap, cfg->promisc);
	pcap_set_timeout(s->pcap, 100);
	if (cfg->buffer_size > 0)
		pcap_set_buffer_size(s->pcap, cfg->buffer_size);
	if (cfg->immediate)
		pcap_set_immediate_mode(s->pcap, 1);
	rc = pcap_activate(s->pcap);
	if (rc != 0)
		kitchen_capture_explain_activate(s->name, rc, s->pcap);
	if (rc < 0)
		return -EIO;
	if (pcap_setnonblock(s->pcap, 1, errbuf) != 0) {
		nd_error(COMP, "%s: cannot make the capture non-blocking: %s", s->name, errbuf);
		return -EIO;
	}
	if (pcap_lookupnet(s->name, &net, &mask, errbuf) != 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (kitchen_capture_set_filter(s, cfg->filter, mask, NULL) != 0)
		return -EINVAL;
	if (pcap_get_selectable_fd(s->pcap) < 0) {
		nd_error(COMP, "%s: this capture has no pollable descriptor", s->name);
		return -EIO;
	}
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	struct kitchen_capture *c = h->data;

	if (h->type == UV_POLL) {
		struct kitchen_source *s = h->data;

		c = s->cap;
	}
	if (--c->handles_open > 0)
		return;
	for (size_t i = 0; i < c->n_src; i++)
		if (c->src[i].pcap)
			pcap_close(c->src[i].pcap);
	kitchen_capfile_free(c);
	free(c->src);
	free(c);
}

struct kitchen_capture *kitchen_capture_open(uv_loop_t *loop, const struct kitchen_capture_config *cfg)
{
	struct kitchen_capture *c = calloc(1, sizeof(*c));
	size_t n = cfg->read_file ? 1 : cfg->n_ifaces;

	if (!c || !n || !(c->src = calloc(n, sizeof(*c->src)))) {
		nd_error(COMP, n ? "out of memory" : "nothing to capture from");
		free(c);
		return NULL;
	}
	c->loop = loop;
	c->cfg = *cfg;
	c->n_src = n;
	for (size_t i = 0; i < n; i++) {
		struct kitchen_source *s = &c->src[i];
		int rc;

		s->cap = c;
		s->index = (unsigned)i;
		if (cfg->read_file) {
			s->name = cfg->read_file;
			rc = kitchen_capfile_open(c, s);
		} else {
			s->name = strcmp(cfg->ifaces[i], "all") == 0 ? "any" : cfg->ifaces[i];
			rc = open_live(c, s);
		}
		if (rc != 0)
			goto fail;
		s->linktype = pcap_datalink(s->pcap);
		if (!kitchen_capture_linktype_known(s->linktype))
			kitchen_capture_explain_linktype(s->name, s->linktype);
	}
	/* Handles are initialised only once everything opened. */
	uv_idle_init(loop, &c->pump);
	uv_timer_init(loop, &c->pace);
	uv_timer_init(loop, &c->progress);
	c->pump.data = c->pace.data = c->progress.data = c;
	c->handles_open = 3;
	for (size_t i = 0; i < n; i++) {
		struct kitchen_source *s = &c->src[i];

		if (!s->live)
			continue;
		uv_poll_init(loop, &s->poll, pcap_get_selectable_fd(s->pcap));
		s->poll.data = s;
		c->handles_open++;
	}
	return c;

fail:
	for (size_t i = 0; i < n; i++)
		if (c->src[i].pcap)
			pcap_close(c->src[i].pcap);
	kitchen_capfile_free(c);
	free(c->src);
	free(c);
	return NULL;
}

size_t kitchen_capture_source_count(const struct kitchen_capture *c)
{
	return c->n_src;
}

const struct kitchen_source *kitchen_capture_source(const struct kitchen_capture *c, size_t i)
{
	return i < c->n_src ? &c->src[i] : NULL;
}

static void start_reading(struct kitchen_capture *c)
{
	if (c->cfg.read_file) {
		if (c->cfg.realtime > 0)
			uv_timer_start(&c->pace, kitchen_capfile_on_pace, 0, 0);
		else
			uv_idle_start(&c->pump, kitchen_capfile_on_pump);
		return;
	}
	for (size_t i = 0; i < c->n_src; i++)
		uv_poll_start(&c->src[i].poll, UV_READABLE, on_readable);
}

static void stop_reading(struct kitchen_capture *c)
{
	if (c->current)
		pcap_breakloop(c->current->pcap);
	if (c->cfg.read_file) {
		uv_idle_stop(&c->pump);
		uv_timer_stop(&c->pace);
		return;
	}
	for (size_t i = 0; i < c->n_src; i++)
		uv_poll_stop(&c->src[i].poll);
}

int kitchen_capture_start(struct kitchen_capture *c)
{
	if (c->started)
		return -EALREADY;
	c->started = true;
	if (c->cfg.read_file && c->cfg.progress)
		uv_timer_start(&c->progress, kitchen_capfile_on_progress, 500, 500);
	start_reading(c);
	return 0;
}

void kitchen_capture_pause(struct kitchen_capture *c)
{
	if (c->paused || c->stopped)
		return;
	c->paused = true;
	stop_reading(c);
}

void kitchen_capture_resume(struct kitchen_capture *c)
{
	if (!c->paused)
		return;
	c->paused = false;
	if (!c->stopped && !c->ended && c->started)
		start_reading(c);
}

bool kitchen_capture_paused(const struct kitchen_capture *c)
{
	return c->paused;
}

void kitchen_capture_stop(struct kitchen_capture *c)
{
	if (c->stopped)
		return;
	c->stopped = true;
	stop_reading(c);
	uv_timer_stop(&c->progress);
	if (c->cfg.read_file && c->cfg.progress && c->started && !c->ended)
		fputs("\r\033[K", stderr);
}

void kitchen_capture_get_stats(struct kitchen_capture *c, struct kitchen_capture_stats *st)
{
	*st = c->st;
	st->recv = st->drop = st->ifdrop = 0;
	st->have_pcap_stats = false;
	for (size_t i = 0; i < c->n_src; i++) {
		struct pcap_stat ps;

		if (!c->src[i].live || pcap_stats(c->src[i].pcap, &ps) != 0)
			continue;
		st->have_pcap_stats = true;
		st->recv += ps.ps_recv;
		st->drop += ps.ps_drop;
		st->ifdrop += ps.ps_ifdrop;
	}
}

void kitchen_capture_close(struct kitchen_capture *c)
{
	if (!c || c->closing)
		return;
	kitchen_capture_stop(c);
	c->closing = true;
	uv_close((uv_handle_t *)&c->pump, on_closed);
	uv_close((uv_handle_t *)&c->pace, on_closed);
	uv_close((uv_handle_t *)&c->progress, on_closed);
	for (size_t i = 0; i < c->n_src; i++)
		if (c->src[i].live)
			uv_close((uv_handle_t *)&c->src[i].poll, on_closed);
}
