/*
 * loadgen.c: benchmark kitchens and eaters as lws clients on a libuv loop.
 * See loadgen.h.
 *
 * Kitchens rebuild each dumpling from a template into a fresh buffer
 * (a client's lws_write masks the payload in place).  Eaters find the
 * kitchen index and seq with a string scan rather than a JSON parser, so
 * the clients stay cheap next to the hub being measured.
 *
 * Each dumpling's payload starts with "t": its send time in CLOCK_MONOTONIC
 * nanoseconds, taken just before lws_write; an eater's latency is its
 * receive time minus that (both on this machine's clock).
 */
#include "loadgen.h"

#include "log.h"

#include <errno.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#define MAX_CONNS 256

struct conn {
	struct lg *lg;
	struct lws *wsi;
	bool kitchen;
	unsigned idx;
	bool hello_sent, closed;
	uint64_t sent;
	uint64_t start_ns; /* kitchen: when its hello went out */
	/* eater */
	uint64_t got;
	uint64_t *last;    /* per kitchen */
	char *rx;
	size_t rx_len;
	unsigned char *tx; /* kitchen send buffer, LWS_PRE + text */
};

struct lg {
	const struct loadgen_conf *c;
	struct loadgen_result *r;
	uv_loop_t loop;
	uv_timer_t timer;
	uv_timer_t pace; /* paced kitchens: releases what is due every 1 ms */
	bool pacing;
	uint64_t sent_total;
	struct lws_context *ctx;
	struct conn conns[MAX_CONNS];
	unsigned n, open, hellos;
	bool stopping;
	uint64_t last_rx_ns;
	uint64_t start_ns; /* eaters do not idle out before start + duration */
	void (*ready)(void *);
	void *ready_arg;
	char pad[4096];
};

uint64_t loadgen_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int write_text(struct lws *wsi, unsigned char *buf, const char *text, size_t len)
{
	memcpy(buf + LWS_PRE, text, len);
	return lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT) < (int)len ? -1 : 0;
}

/* How many dumplings kitchen k may have sent by now (paced or not). */
static uint64_t kitchen_due(const struct conn *k, uint64_t now)
{
	const struct loadgen_conf *c = k->lg->c;
	uint64_t due = c->per_kitchen;

	if (c->rate) {
		uint64_t el = now - k->start_ns;
		uint64_t r = el / 1000000000ull * c->rate +
			     (el % 1000000000ull) * c->rate / 1000000000ull + 1;

		if (r < due)
			due = r;
	}
	return due;
}

static bool kitchen_finished(const struct conn *k, uint64_t now)
{
	const struct loadgen_conf *c = k->lg->c;

	return k->sent >= c->per_kitchen ||
	       (c->duration_ms && now - k->start_ns >= (uint64_t)c->duration_ms * 1000000ull);
}

static int kitchen_write(struct conn *k)
{
	const struct loadgen_conf *c = k->lg->c;
	char *text = (char *)k->tx + LWS_PRE;
	size_t cap = c->size + 512;
	uint64_t now = loadgen_now_ns(), due = kitchen_due(k, now);

	if (kitchen_finished(k, now)) {
		/* done: a close frame, queued after every dumpling written */
		lws_close_reason(k->wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
		return -1;
	}
	while (k->sent < due && !lws_send_pipe_choked(k->wsi)) {
		int n = snprintf(text, cap,
				 "{\"metadata\":{\"chef\":\"BenchChef\",\"kitchen\":\"bench-k%u\","
				 "\"creation_time\":1732620000.123456,\"driver\":\"packet\","
				 "\"seq\":%llu,\"kitchen_start\":\"bench\"},\"payload\":{\"t\":%llu,"
				 "\"pad\":\"%s\"}}",
				 k->idx, (unsigned long long)(k->sent + 1),
				 (unsigned long long)loadgen_now_ns(), k->lg->pad);

		if (n < 0 || (size_t)n >= cap)
			return -1;
		if (lws_write(k->wsi, (unsigned char *)text, (size_t)n, LWS_WRITE_TEXT) < n)
			return -1;
		k->sent++;
		k->lg->sent_total++;
		if (c->duration_ms && !(k->sent & 63) && kitchen_finished(k, loadgen_now_ns())) {
			lws_close_reason(k->wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
	}
	if (k->sent < due || !c->rate)
		lws_callback_on_writable(k->wsi); /* paced: the tick asks when more is due */
	return 0;
}

static void on_pace(uv_timer_t *t)
{
	struct lg *lg = t->data;
	uint64_t now = loadgen_now_ns();

	for (unsigned i = 0; i < lg->n; i++) {
		struct conn *k = &lg->conns[i];

		if (k->kitchen && k->hello_sent && !k->closed && k->wsi &&
		    (k->sent < kitchen_due(k, now) || kitchen_finished(k, now)))
			lws_callback_on_writable(k->wsi);
	}
}

static void eater_latency(const struct loadgen_conf *c, const char *p, unsigned long long seq,
			  uint64_t now)
{
	unsigned long long t;

	if (!c->hist || seq <= c->warmup_seq)
		return;
	p = strstr(p, "\"t\":");
	if (!p)
		return;
	t = strtoull(p + 4, NULL, 10);
	if (t && t <= now)
		loadgen_hist_add(c->hist, now - t);
}

bool loadgen_check(const struct loadgen_conf *c, struct loadgen_result *r, uint64_t *last,
		   uint64_t *got, const char *m, size_t len)
{
	const char *p;
	unsigned long long seq;
	unsigned kidx;
	uint64_t now;

	p = strstr(m, "\"kitchen\":\"bench-k");
	if (!p)
		return false; /* status dumplings, hellos and anything else */
	kidx = (unsigned)strtoul(p + 18, NULL, 10);
	p = strstr(p, "\"seq\":");
	if (!p || kidx >= c->kitchens)
		return false;
	seq = strtoull(p + 6, NULL, 10);
	now = loadgen_now_ns();
	eater_latency(c, p, seq, now);
	if (seq == last[kidx] + 1)
		last[kidx] = seq;
	else if (seq > last[kidx]) {
		r->gaps++;
		last[kidx] = seq;
	} else {
		r->out_of_order++;
	}
	++*got;
	r->deliveries++;
	r->bytes += len;
	if (!r->first_ns)
		r->first_ns = now;
	r->last_ns = now;
	if (*got == c->per_kitchen * c->kitchens)
		r->complete++;
	return true;
}

static void eater_msg(struct conn *e, const char *m, size_t len)
{
	struct lg *lg = e->lg;

	if (loadgen_check(lg->c, lg->r, e->last, &e->got, m, len))
		lg->last_rx_ns = lg->r->last_ns;
}

static int eater_rx(struct conn *e, const void *in, size_t len)
{
	bool final = lws_is_final_fragment(e->wsi) && !lws_remaining_packet_payload(e->wsi);
	char *n;

	if (final && !e->rx_len) {
		char buf[8192];

		if (len < sizeof(buf)) {
			memcpy(buf, in, len);
			buf[len] = '\0';
			eater_msg(e, buf, len);
			return 0;
		}
	}
	n = realloc(e->rx, e->rx_len + len + 1);
	if (!n)
		return -1;
	e->rx = n;
	memcpy(e->rx + e->rx_len, in, len);
	e->rx_len += len;
	if (final) {
		e->rx[e->rx_len] = '\0';
		eater_msg(e, e->rx, e->rx_len);
		e->rx_len = 0;
	}
	return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct conn *c = user;
	char hello[128];
	int n;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c->lg->stopping)
			return -1;
		if (!c->hello_sent) {
			n = c->kitchen
				    ? snprintf(hello, sizeof(hello), "{\"kitchen_name\":\"bench-k%u\"}", c->idx)
				    : snprintf(hello, sizeof(hello), "{\"eater_name\":\"bench-e%u\"}",
					       c->lg->c->first_eater + c->idx);
			if (write_text(wsi, c->tx, hello, (size_t)n))
				return -1;
			c->hello_sent = true;
			if (++c->lg->hellos == c->lg->n && c->lg->ready)
				c->lg->ready(c->lg->ready_arg);
			if (c->kitchen) {
				c->start_ns = loadgen_now_ns();
				lws_callback_on_writable(wsi);
			}
			return 0;
		}
		return c->kitchen ? kitchen_write(c) : 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return c->kitchen ? 0 : eater_rx(c, in, len);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		nd_error("bench", "connection failed: %s", in ? (const char *)in : "?");
		/* fall through */
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c && !c->closed) {
			c->closed = true;
			c->lg->open--;
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{"bench", callback, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void on_timer(uv_timer_t *t)
{
	struct lg *lg = t->data;
	bool done = !lg->open;

	if (lg->r && lg->r->complete == lg->c->eaters)
		done = true;
	if (lg->r && lg->last_rx_ns &&
	    loadgen_now_ns() - lg->last_rx_ns > (uint64_t)lg->c->idle_ms * 1000000ull &&
	    loadgen_now_ns() - lg->start_ns > (uint64_t)lg->c->duration_ms * 1000000ull)
		done = true;
	if (!done || lg->stopping)
		return;
	lg->stopping = true;
	uv_close((uv_handle_t *)&lg->timer, NULL);
	if (lg->pacing)
		uv_close((uv_handle_t *)&lg->pace, NULL);
	lws_context_destroy(lg->ctx);
}

static int run(const struct loadgen_conf *c, bool kitchens, struct loadgen_result *r,
	       void (*ready)(void *), void *arg, uint64_t *sent)
{
	struct lws_context_creation_info info;
	struct lg *lg = calloc(1, sizeof(*lg));
	void *loops[1];
	unsigned n = kitchens ? c->kitchens : c->eaters;
	int rc = 0;

	if (!lg || n > MAX_CONNS || c->size > sizeof(lg->pad) - 1) {
		free(lg);
		return -EINVAL;
	}
	lg->c = c;
	lg->r = r;
	lg->ready = ready;
	lg->ready_arg = arg;
	memset(lg->pad, 'x', c->size - 165); /* ~165 bytes of envelope */
	uv_loop_init(&lg->loop);
	loops[0] = &lg->loop;
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_LIBUV;
	info.foreign_loops = loops;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.pt_serv_buf_size = 65536;
	lws_set_log_level(LLL_ERR, NULL);
	lg->ctx = lws_create_context(&info);
	if (!lg->ctx) {
		rc = -EIO;
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		struct conn *cn = &lg->conns[i];
		struct lws_client_connect_info ci;

		cn->lg = lg;
		cn->kitchen = kitchens;
		cn->idx = i;
		cn->tx = malloc(LWS_PRE + c->size + 512);
		cn->last = calloc(c->kitchens ? c->kitchens : 1, sizeof(uint64_t));
		memset(&ci, 0, sizeof(ci));
		ci.context = lg->ctx;
		ci.address = c->host;
		ci.port = kitchens ? c->in_port : c->out_port;
		ci.path = "/";
		ci.host = c->host;
		ci.origin = c->host;
		ci.local_protocol_name = "bench";
		ci.userdata = cn;
		ci.pwsi = &cn->wsi;
		if (!cn->tx || !cn->last || !lws_client_connect_via_info(&ci)) {
			nd_error("bench", "cannot start connection %u", i);
			cn->closed = true;
			continue;
		}
		lg->n++;
		lg->open++;
	}
	uv_timer_init(&lg->loop, &lg->timer);
	lg->timer.data = lg;
	lg->start_ns = loadgen_now_ns();
	uv_timer_start(&lg->timer, on_timer, 50, 50);
	if (kitchens && (c->rate || c->duration_ms)) {
		uv_timer_init(&lg->loop, &lg->pace);
		lg->pace.data = lg;
		uv_timer_start(&lg->pace, on_pace, 1, 1);
		lg->pacing = true;
	}
	uv_run(&lg->loop, UV_RUN_DEFAULT);
	lws_context_destroy(lg->ctx);
	uv_run(&lg->loop, UV_RUN_NOWAIT);
	if (sent)
		*sent = lg->sent_total;
out:
	uv_loop_close(&lg->loop);
	for (unsigned i = 0; i < MAX_CONNS; i++) {
		free(lg->conns[i].tx);
		free(lg->conns[i].last);
		free(lg->conns[i].rx);
	}
	free(lg);
	return rc;
}

int loadgen_kitchens(const struct loadgen_conf *c)
{
	return run(c, true, NULL, NULL, NULL, NULL);
}

int loadgen_kitchens_count(const struct loadgen_conf *c, uint64_t *sent)
{
	*sent = 0;
	return run(c, true, NULL, NULL, NULL, sent);
}

int loadgen_eaters(const struct loadgen_conf *c, struct loadgen_result *r,
		   void (*ready)(void *), void *arg)
{
	memset(r, 0, sizeof(*r));
	return run(c, false, r, ready, arg, NULL);
}

static unsigned hist_bucket(uint64_t ns)
{
	uint64_t us = ns / 1000;

	if (us < LOADGEN_HIST_FINE)
		return (unsigned)us;
	us = LOADGEN_HIST_FINE + (us - LOADGEN_HIST_FINE) / 1000;
	return us < LOADGEN_HIST_BUCKETS ? (unsigned)us : LOADGEN_HIST_BUCKETS - 1;
}

static double bucket_us(unsigned b)
{
	return b < LOADGEN_HIST_FINE ? (double)b
				     : (double)LOADGEN_HIST_FINE + (double)(b - LOADGEN_HIST_FINE) * 1000.0;
}

void loadgen_hist_add(struct loadgen_hist *h, uint64_t ns)
{
	h->b[hist_bucket(ns)]++;
	h->n++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

void loadgen_hist_merge(struct loadgen_hist *into, const struct loadgen_hist *from)
{
	for (unsigned i = 0; i < LOADGEN_HIST_BUCKETS; i++)
		into->b[i] += from->b[i];
	into->n += from->n;
	into->sum_ns += from->sum_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
}

double loadgen_hist_quantile_us(const struct loadgen_hist *h, double q)
{
	uint64_t want, acc = 0;

	if (!h->n)
		return 0;
	want = (uint64_t)(q * (double)h->n);
	if (want >= h->n)
		want = h->n - 1;
	for (unsigned i = 0; i < LOADGEN_HIST_BUCKETS; i++) {
		acc += h->b[i];
		if (acc > want)
			return bucket_us(i);
	}
	return bucket_us(LOADGEN_HIST_BUCKETS - 1);
}
