/*
 * relay.c: nd-bench-relay, the hub benchmark's baseline.
 *
 * A trivial WebSocket relay on libwebsockets and libuv, the same stack as
 * nd-hub, that does nothing but move bytes: every message received on the
 * kitchens' port (hellos included) is sent to every connection on the
 * eaters' port, unvalidated; whatever eaters send is ignored.  It measures
 * the ceiling of the transport itself, so it uses the hub's cheapest write
 * path: each message is framed once when it arrives, and a WRITEABLE
 * callback copies as many queued frames as fit into 64 KiB and hands them
 * to lws in one raw write.
 *
 * Messages live in one ring shared by all eaters; each eater has a cursor.
 * When the slowest eater is more than 3/4 of the ring behind, kitchens'
 * receive is paused until it is back under 1/4: the same marks and, with
 * 4096 messages, the same depth as nd-hub's default per-eater queue, so
 * that the two differ only in what the hub does per message (no eater is
 * ever dropped,
 * so one stalled eater stops everything: never benchmark it with one).
 *
 * It takes nd-hub's options that nd-hub-bench passes (-a ADDR, -i PORT,
 * -o PORT, --no-web) and logs its ports in nd-hub's words, so nd-hub-bench
 * --hub can start either.  SIGTERM or SIGINT stops it cleanly.
 */
#include <errno.h>
#include <getopt.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define RING 4096u /* messages: nd-hub's default per-eater queue ceiling */
#define BATCH 65536u
#define MAX_CONNS 512
#define MAX_MSG (1u << 20)

struct rconn {
	bool eater, used, asked; /* asked: WRITEABLE requested, not yet served */
	struct lws *wsi;
	uint64_t cursor; /* eater: next ring index to send */
	unsigned char *rx;
	size_t rx_len;
};

struct relay {
	uv_loop_t loop;
	uv_signal_t sigterm, sigint;
	struct lws_context *ctx;
	struct lws_vhost *in_vh, *out_vh;
	unsigned char *ring[RING]; /* frame header + payload, length-prefixed */
	uint32_t ring_len[RING];
	uint64_t head, tail; /* messages [tail, head) are held */
	struct rconn *eaters[MAX_CONNS];
	unsigned n_eaters;
	struct rconn *kitchens[MAX_CONNS];
	unsigned n_kitchens;
	bool paused;
};

static struct relay R;
static unsigned char batch[LWS_PRE + BATCH];

static void set_paused(bool pause)
{
	if (R.paused == pause)
		return;
	R.paused = pause;
	for (unsigned i = 0; i < R.n_kitchens; i++)
		lws_rx_flow_control(R.kitchens[i]->wsi, pause ? 0 : 1);
}

/* Frees messages every eater has sent and resumes kitchens when the
 * slowest eater has caught up. */
static void trim(void)
{
	uint64_t min = R.head;

	for (unsigned i = 0; i < R.n_eaters; i++)
		if (R.eaters[i]->cursor < min)
			min = R.eaters[i]->cursor;
	while (R.tail < min) {
		free(R.ring[R.tail % RING]);
		R.ring[R.tail % RING] = NULL;
		R.tail++;
	}
	if (R.paused && R.head - R.tail < RING / 4)
		set_paused(false);
}

static int publish(const unsigned char *data, size_t len)
{
	size_t hl = len < 126 ? 2 : len < 65536 ? 4 : 10;
	unsigned char *m;

	if (R.head - R.tail >= RING) /* cannot happen while pausing works */
		return -ENOBUFS;
	m = malloc(hl + len);
	if (!m)
		return -ENOMEM;
	m[0] = 0x81; /* FIN, text */
	if (hl == 2) {
		m[1] = (unsigned char)len;
	} else if (hl == 4) {
		m[1] = 126;
		m[2] = (unsigned char)(len >> 8);
		m[3] = (unsigned char)len;
	} else {
		m[1] = 127;
		for (int i = 0; i < 8; i++)
			m[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	}
	memcpy(m + hl, data, len);
	R.ring[R.head % RING] = m;
	R.ring_len[R.head % RING] = (uint32_t)(hl + len);
	R.head++;
	for (unsigned i = 0; i < R.n_eaters; i++) {
		if (!R.eaters[i]->asked) {
			R.eaters[i]->asked = true;
			lws_callback_on_writable(R.eaters[i]->wsi);
		}
	}
	if (R.head - R.tail > RING / 4 * 3)
		set_paused(true);
	return 0;
}

static int kitchen_rx(struct rconn *c, struct lws *wsi, const void *in, size_t len)
{
	bool final = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
	unsigned char *n;

	if (final && !c->rx_len)
		return publish(in, len) ? -1 : 0;
	if (c->rx_len + len > MAX_MSG)
		return -1;
	n = realloc(c->rx, c->rx_len + len);
	if (!n)
		return -1;
	c->rx = n;
	memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;
	if (final) {
		size_t l = c->rx_len;

		c->rx_len = 0;
		return publish(c->rx, l) ? -1 : 0;
	}
	return 0;
}

static int eater_write(struct rconn *c, struct lws *wsi)
{
	size_t off = 0;

	c->asked = false;
	while (c->cursor < R.head) {
		uint32_t l = R.ring_len[c->cursor % RING];

		if (l > BATCH - off) {
			if (off)
				break;
			/* larger than a batch: send it alone */
			if (lws_write(wsi, R.ring[c->cursor % RING], l, LWS_WRITE_HTTP) < 0)
				return -1;
			c->cursor++;
			goto done;
		}
		memcpy(batch + LWS_PRE + off, R.ring[c->cursor % RING], l);
		off += l;
		c->cursor++;
	}
	if (off && lws_write(wsi, batch + LWS_PRE, off, LWS_WRITE_HTTP) < 0)
		return -1;
done:
	trim();
	if (c->cursor < R.head) {
		c->asked = true;
		lws_callback_on_writable(wsi);
	}
	return 0;
}

static void drop(struct rconn **arr, unsigned *n, struct rconn *c)
{
	for (unsigned i = 0; i < *n; i++) {
		if (arr[i] == c) {
			arr[i] = arr[--*n];
			return;
		}
	}
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct rconn *c = user;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof(*c));
		c->wsi = wsi;
		c->eater = lws_get_vhost(wsi) == R.out_vh;
		if (c->eater ? R.n_eaters >= MAX_CONNS : R.n_kitchens >= MAX_CONNS)
			return -1;
		c->used = true;
		if (c->eater) {
			c->cursor = R.head;
			R.eaters[R.n_eaters++] = c;
		} else {
			R.kitchens[R.n_kitchens++] = c;
			if (R.paused)
				lws_rx_flow_control(wsi, 0);
		}
		break;
	case LWS_CALLBACK_RECEIVE:
		if (!c->eater)
			return kitchen_rx(c, wsi, in, len);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c->eater)
			return eater_write(c, wsi);
		break;
	case LWS_CALLBACK_CLOSED:
		if (c && c->used) {
			c->used = false;
			free(c->rx);
			c->rx = NULL;
			if (c->eater) {
				drop(R.eaters, &R.n_eaters, c);
				trim();
			} else {
				drop(R.kitchens, &R.n_kitchens, c);
			}
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{"relay", callback, sizeof(struct rconn), 4096, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void on_signal(uv_signal_t *s, int signum)
{
	(void)signum;
	(void)s;
	uv_signal_stop(&R.sigterm);
	uv_signal_stop(&R.sigint);
	uv_close((uv_handle_t *)&R.sigterm, NULL);
	uv_close((uv_handle_t *)&R.sigint, NULL);
	lws_context_destroy(R.ctx);
}

static struct lws_vhost *vhost(const char *name, const char *addr, int port)
{
	struct lws_context_creation_info vi;

	memset(&vi, 0, sizeof(vi));
	vi.vhost_name = name;
	vi.iface = addr;
	vi.port = port;
	vi.protocols = protocols;
	vi.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	return lws_create_vhost(R.ctx, &vi);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"address", required_argument, NULL, 'a'}, {"in-port", required_argument, NULL, 'i'},
		{"out-port", required_argument, NULL, 'o'}, {"no-web", no_argument, NULL, 'W'},
		{NULL, 0, NULL, 0}};
	struct lws_context_creation_info info;
	const char *addr = "127.0.0.1";
	int in_port = 0, out_port = 0, o;
	void *loops[1];

	while ((o = getopt_long(argc, argv, "a:i:o:", opts, NULL)) != -1) {
		switch (o) {
		case 'a': addr = optarg; break;
		case 'i': in_port = atoi(optarg); break;
		case 'o': out_port = atoi(optarg); break;
		case 'W': break;
		default:
			fprintf(stderr, "Usage: nd-bench-relay [-a ADDR] [-i PORT] [-o PORT] [--no-web]\n");
			return 2;
		}
	}
	uv_loop_init(&R.loop);
	loops[0] = &R.loop;
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.foreign_loops = loops;
	info.pt_serv_buf_size = 65536;
	lws_set_log_level(LLL_ERR, NULL);
	R.ctx = lws_create_context(&info);
	if (!R.ctx)
		return 1;
	R.in_vh = vhost("in", addr, in_port);
	R.out_vh = vhost("out", addr, out_port);
	if (!R.in_vh || !R.out_vh) {
		fprintf(stderr, "nd-bench-relay: cannot listen on %s\n", addr);
		lws_context_destroy(R.ctx);
		return 1;
	}
	fprintf(stderr, "nd-bench-relay: listening: kitchens on ws://%s:%d, eaters on ws://%s:%d\n",
		addr, lws_get_vhost_listen_port(R.in_vh), addr, lws_get_vhost_listen_port(R.out_vh));
	fflush(stderr);
	uv_signal_init(&R.loop, &R.sigterm);
	uv_signal_init(&R.loop, &R.sigint);
	uv_signal_start(&R.sigterm, on_signal, SIGTERM);
	uv_signal_start(&R.sigint, on_signal, SIGINT);
	uv_run(&R.loop, UV_RUN_DEFAULT);
	lws_context_destroy(R.ctx);
	uv_run(&R.loop, UV_RUN_NOWAIT);
	while (R.tail < R.head)
		free(R.ring[R.tail++ % RING]);
	return uv_loop_close(&R.loop) ? 1 : 0;
}
