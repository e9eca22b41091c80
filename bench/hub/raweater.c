/*
 * raweater.c: benchmark eaters that speak WebSocket over plain libuv TCP.
 *
 * lws 4.1.6's client parses received frames one byte at a time, which
 * costs an eater more CPU per message than the hub spends per delivery;
 * on a 2-core machine those clients, not the server, then set the pace.
 * These eaters do the upgrade by hand (the hub and the relay accept any
 * client key; the reply is not checked beyond its end), send their hello
 * as one masked frame, and then cut the byte stream into frames in place:
 * a text frame is checked by loadgen_check() straight from the read
 * buffer.  Servers send unmasked, unfragmented frames (nd-hub without
 * permessage-deflate, nd-bench-relay); a ping is answered with a pong
 * (the hub hangs up on eaters that never answer its pings), fragments,
 * masked frames and other control frames are skipped.  See loadgen.h.
 */
#include "loadgen.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define MAX_RAW 256
#define READ_ROOM 65536

struct reater {
	struct rrun *run;
	uv_tcp_t tcp;
	uv_connect_t creq;
	uv_write_t wreq, hreq; /* the upgrade request, the hello */
	unsigned idx;
	bool upgraded, closed;
	char *buf;
	size_t len, cap;
	uint64_t got, *last;
	char out[512], hout[128];
};

struct rrun {
	const struct loadgen_conf *c;
	struct loadgen_result *r;
	uv_loop_t loop;
	uv_timer_t timer;
	struct reater e[MAX_RAW];
	unsigned n, hellos, open;
	bool stopping;
	uint64_t start_ns;
	void (*ready)(void *);
	void *ready_arg;
};

static void on_close(uv_handle_t *h)
{
	(void)h;
}

static void close_eater(struct reater *e)
{
	if (e->closed)
		return;
	e->closed = true;
	e->run->open--;
	uv_close((uv_handle_t *)&e->tcp, on_close);
}

static void on_written(uv_write_t *w, int status)
{
	if (status < 0)
		close_eater(w->data);
}

struct pong {
	uv_write_t w;
	unsigned char f[6 + 125];
};

static void on_pong_written(uv_write_t *w, int status)
{
	struct pong *p = (struct pong *)w;

	if (status < 0)
		close_eater(w->data);
	free(p);
}

/* A masked pong carrying the ping's payload (at most 125 bytes). */
static int send_pong(struct reater *e, const unsigned char *data, size_t n)
{
	struct pong *p = malloc(sizeof(*p));
	uv_buf_t b;

	if (!p || n > 125) {
		free(p);
		return -1;
	}
	p->f[0] = 0x8a;
	p->f[1] = (unsigned char)(0x80 | n);
	memset(p->f + 2, 0, 4); /* a zero mask leaves the payload as it is */
	memcpy(p->f + 6, data, n);
	b = uv_buf_init((char *)p->f, (unsigned)(6 + n));
	p->w.data = e;
	if (uv_write(&p->w, (uv_stream_t *)&e->tcp, &b, 1, on_pong_written)) {
		free(p);
		return -1;
	}
	return 0;
}

static int send_bytes(struct reater *e, uv_write_t *w, const char *p, size_t n)
{
	uv_buf_t b = uv_buf_init((char *)p, (unsigned)n);

	w->data = e;
	return uv_write(w, (uv_stream_t *)&e->tcp, &b, 1, on_written);
}

/* The hello as one masked text frame (clients must mask). */
static int send_hello(struct reater *e)
{
	static const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
	char hello[96];
	int n = snprintf(hello, sizeof(hello), "{\"eater_name\":\"bench-e%u\"}",
			 e->run->c->first_eater + e->idx);
	unsigned char *f = (unsigned char *)e->hout;

	f[0] = 0x81;
	f[1] = (unsigned char)(0x80 | n);
	memcpy(f + 2, key, 4);
	for (int i = 0; i < n; i++)
		f[6 + i] = (unsigned char)(hello[i] ^ key[i % 4]);
	if (send_bytes(e, &e->hreq, e->hout, 6 + (size_t)n))
		return -1;
	if (++e->run->hellos == e->run->n && e->run->ready)
		e->run->ready(e->run->ready_arg);
	return 0;
}

/* Consumes whole frames at the start of the buffer; returns -1 to close. */
static int parse(struct reater *e)
{
	struct rrun *run = e->run;
	size_t off = 0;

	if (!e->upgraded) {
		char *end;

		e->buf[e->len] = '\0';
		end = strstr(e->buf, "\r\n\r\n");
		if (!end)
			return e->len > 4096 ? -1 : 0;
		if (strncmp(e->buf, "HTTP/1.1 101", 12) != 0)
			return -1;
		off = (size_t)(end + 4 - e->buf);
		e->upgraded = true;
		if (send_hello(e))
			return -1;
	}
	while (e->len - off >= 2) {
		unsigned char *f = (unsigned char *)e->buf + off;
		uint64_t plen = f[1] & 127;
		size_t hl = 2;

		if (plen == 126) {
			if (e->len - off < 4)
				break;
			plen = (uint64_t)f[2] << 8 | f[3];
			hl = 4;
		} else if (plen == 127) {
			if (e->len - off < 10)
				break;
			plen = 0;
			for (int i = 0; i < 8; i++)
				plen = plen << 8 | f[2 + i];
			hl = 10;
		}
		if (f[1] & 0x80)
			hl += 4;
		if (plen > (1u << 24))
			return -1;
		if (e->len - off < hl + plen)
			break;
		if ((f[0] & 0x0f) == 8)
			return -1; /* close */
		if ((f[0] & 0x0f) == 9 && !(f[1] & 0x80) && send_pong(e, f + hl, (size_t)plen))
			return -1;
		if (f[0] == 0x81 && !(f[1] & 0x80)) { /* FIN text, unmasked */
			char *m = (char *)f + hl, save = m[plen];

			m[plen] = '\0';
			loadgen_check(run->c, run->r, e->last, &e->got, m, (size_t)plen);
			m[plen] = save;
		}
		off += hl + (size_t)plen;
	}
	if (off) {
		memmove(e->buf, e->buf + off, e->len - off);
		e->len -= off;
	}
	return 0;
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct reater *e = h->data;

	(void)hint;
	if (e->cap - e->len < READ_ROOM + 1) {
		size_t cap = e->len + READ_ROOM + 1 > e->cap * 2 ? e->len + READ_ROOM + 1 : e->cap * 2;
		char *n = realloc(e->buf, cap);

		if (!n) {
			*b = uv_buf_init(NULL, 0);
			return;
		}
		e->buf = n;
		e->cap = cap;
	}
	*b = uv_buf_init(e->buf + e->len, (unsigned)(e->cap - e->len - 1));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct reater *e = s->data;

	(void)b;
	if (n < 0) {
		close_eater(e);
		return;
	}
	e->len += (size_t)n;
	if (parse(e))
		close_eater(e);
}

static void on_connect(uv_connect_t *req, int status)
{
	struct reater *e = req->data;
	const struct loadgen_conf *c = e->run->c;
	int n;

	if (status < 0) {
		nd_error("bench", "connection failed: %s", uv_strerror(status));
		close_eater(e);
		return;
	}
	n = snprintf(e->out, sizeof(e->out),
		     "GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
		     c->host, c->out_port);
	if (send_bytes(e, &e->wreq, e->out, (size_t)n) ||
	    uv_read_start((uv_stream_t *)&e->tcp, on_alloc, on_read))
		close_eater(e);
}

static void on_timer(uv_timer_t *t)
{
	struct rrun *run = t->data;
	uint64_t now = loadgen_now_ns();
	bool done = !run->open || run->r->complete == run->c->eaters;

	if (run->r->last_ns && now - run->r->last_ns > (uint64_t)run->c->idle_ms * 1000000ull &&
	    now - run->start_ns > (uint64_t)run->c->duration_ms * 1000000ull)
		done = true;
	if (!done || run->stopping)
		return;
	run->stopping = true;
	uv_close((uv_handle_t *)&run->timer, on_close);
	for (unsigned i = 0; i < run->n; i++)
		close_eater(&run->e[i]);
}

int loadgen_raw_eaters(const struct loadgen_conf *c, struct loadgen_result *r,
		       void (*ready)(void *), void *arg)
{
	struct rrun *run = calloc(1, sizeof(*run));
	struct sockaddr_in sa;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!run || c->eaters > MAX_RAW || uv_ip4_addr(c->host, c->out_port, &sa)) {
		free(run);
		return -EINVAL;
	}
	run->c = c;
	run->r = r;
	run->ready = ready;
	run->ready_arg = arg;
	uv_loop_init(&run->loop);
	for (unsigned i = 0; i < c->eaters; i++) {
		struct reater *e = &run->e[i];

		e->run = run;
		e->idx = i;
		e->last = calloc(c->kitchens ? c->kitchens : 1, sizeof(uint64_t));
		if (!e->last) {
			rc = -ENOMEM;
			break;
		}
		uv_tcp_init(&run->loop, &e->tcp);
		e->tcp.data = e;
		e->creq.data = e;
		run->n++;
		run->open++;
		if (uv_tcp_connect(&e->creq, &e->tcp, (const struct sockaddr *)&sa, on_connect))
			close_eater(e);
	}
	uv_timer_init(&run->loop, &run->timer);
	run->timer.data = run;
	run->start_ns = loadgen_now_ns();
	uv_timer_start(&run->timer, on_timer, 50, 50);
	uv_run(&run->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&run->loop) && !rc)
		rc = -EBUSY;
	for (unsigned i = 0; i < MAX_RAW; i++) {
		free(run->e[i].buf);
		free(run->e[i].last);
	}
	free(run);
	return rc;
}
