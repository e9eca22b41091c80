/*
 * server.c: the hub's lws context on the caller's libuv loop, its vhosts,
 * timers and signals, and the clean shutdown sequence.
 *
 * Each address the -a name resolves to gets two vhosts: the in-port
 * (kitchens) and the out-port (eaters, /status, /metrics, dashboard files).
 * An IPv4 address is bound with IPv6 disabled on that vhost, so that
 * "127.0.0.1" means loopback only; "localhost" usually gives 127.0.0.1 and
 * ::1, like netdumplings' hub.  Port 0 binds an ephemeral port, and the
 * other addresses then reuse the number the first one got.
 *
 * Shutdown (SIGINT/SIGTERM): every connection is sent close code 1001;
 * once they are gone (or after a second) our handles are closed and
 * lws_context_destroy is called from a uv callback; uv_run then returns
 * and hub_fini destroys the context a second time and lets the loop run
 * once more, after which uv_loop_close succeeds.
 */
#include "hub.h"

#include "auth.h"
#include "log.h"
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

_Static_assert(LWS_PRE <= HUB_MSG_HEADROOM, "HUB_MSG_HEADROOM must cover LWS_PRE");

#define TICK_MS 100
#define STOP_POLL_MS 20
#define STOP_MAX_MS 1000
#define MAX_ADDRS 8

static struct lws_protocols in_protocols[2];
static struct lws_protocols out_protocols[3];
static struct lws_http_mount mount_status, mount_metrics, mount_root;
static const struct lws_extension deflate_exts[] = {
	{"permessage-deflate", lws_extension_callback_pm_deflate,
	 "permessage-deflate; client_max_window_bits"},
	{NULL, NULL, NULL},
};
static lws_retry_bo_t idle_policy;

uint64_t hub_now_ms(const struct hub *h)
{
	return uv_now(h->loop);
}

double hub_wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void lws_to_log(int level, const char *line)
{
	char buf[512];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", line);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (level & LLL_ERR)
		nd_warn("lws", "%s", buf);
	else
		nd_debug("lws", "%s", buf);
}

int hub_init(struct hub *h, const struct hub_conf *conf, uv_loop_t *loop)
{
	memset(h, 0, sizeof(*h));
	h->conf = *conf;
	h->loop = loop;
	hub_list_init(&h->kitchens);
	hub_list_init(&h->eaters);
	if (hub_retained_init(&h->retained, conf->retained_max, conf->retained_bytes) ||
	    hub_seqtable_init(&h->seqs, 1024))
		goto nomem;
	h->addrs = hub_addrtab_new(conf->max_conns);
	if (!h->addrs)
		goto nomem;
	uv_timer_init(loop, &h->status_timer);
	uv_timer_init(loop, &h->tick_timer);
	uv_timer_init(loop, &h->stop_timer);
	uv_signal_init(loop, &h->sigint);
	uv_signal_init(loop, &h->sigterm);
	h->start_ms = uv_now(loop);
	h->start_wall = hub_wall_now();
	return 0;
nomem:
	hub_retained_fini(&h->retained);
	hub_seqtable_fini(&h->seqs);
	return -ENOMEM;
}

static void on_status(uv_timer_t *t)
{
	struct hub *h = hub_container_of(t, struct hub, status_timer);
	struct hub_msg *m;

	if (!h->n_eaters)
		return;
	m = hub_status_dumpling(h);
	if (!m) {
		nd_error("hub", "cannot build the status dumpling (out of memory)");
		return;
	}
	h->c.status_sent++;
	hub_fanout(h, m, true);
	hub_msg_unref(m);
}

static void on_tick(uv_timer_t *t)
{
	struct hub *h = hub_container_of(t, struct hub, tick_timer);
	uint64_t now = hub_now_ms(h);

	hub_kitchens_tick(h, now);
	hub_refusals_tick(h, now); /* auth.c: summary of unlogged refusals */
	hub_eaters_tick(h, now);
}

static void on_signal(uv_signal_t *s, int signum)
{
	struct hub *h = s->data;

	nd_info("hub", "signal %d: shutting down", signum);
	hub_stop(h);
}

static void on_handle_closed(uv_handle_t *hd)
{
	(void)hd;
}

/* Runs from a uv callback, never from inside lws. */
static void finish(struct hub *h)
{
	uv_handle_t *hs[] = {(uv_handle_t *)&h->status_timer, (uv_handle_t *)&h->tick_timer,
			     (uv_handle_t *)&h->stop_timer};

	for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
		if (!uv_is_closing(hs[i]))
			uv_close(hs[i], on_handle_closed);
	/* The signal handles stay until hub_fini so that a repeated signal
	 * during shutdown is still ours, not the default action. */
	uv_unref((uv_handle_t *)&h->sigint);
	uv_unref((uv_handle_t *)&h->sigterm);
	hub_nats_stop(h); /* after the kitchens: their last dumplings are flushed */
	if (h->ctx)
		lws_context_destroy(h->ctx);
}

static void on_stop_poll(uv_timer_t *t)
{
	struct hub *h = hub_container_of(t, struct hub, stop_timer);

	if (h->n_conns && hub_now_ms(h) - h->stop_ms < STOP_MAX_MS)
		return;
	uv_timer_stop(t);
	finish(h);
}

static void close_all(struct hub_list *list)
{
	struct hub_list *pos, *tmp;

	hub_list_foreach_safe(pos, tmp, list) {
		struct hub_peer *p = hub_container_of(pos, struct hub_peer, link);

		hub_peer_close(p, LWS_CLOSE_STATUS_GOINGAWAY, "hub shutting down");
	}
}

void hub_stop(struct hub *h)
{
	if (h->stopping)
		return;
	h->stopping = true;
	uv_timer_stop(&h->status_timer);
	uv_timer_stop(&h->tick_timer);
	close_all(&h->kitchens);
	close_all(&h->eaters);
	h->stop_ms = hub_now_ms(h);
	uv_timer_start(&h->stop_timer, on_stop_poll, 0, STOP_POLL_MS);
}

static void setup_protocols(struct hub *h)
{
	in_protocols[0] = (struct lws_protocols){
		.name = "nd-kitchen",
		.callback = hub_kitchen_callback,
		.per_session_data_size = sizeof(struct hub_kitchen),
	};
	out_protocols[0] = (struct lws_protocols){
		.name = "nd-eater",
		.callback = hub_eater_callback,
		.per_session_data_size = sizeof(struct hub_eater),
		.tx_packet_size = HUB_BATCH_BYTES,
	};
	out_protocols[1] = (struct lws_protocols){
		.name = "nd-http",
		.callback = hub_http_callback,
		.per_session_data_size = hub_http_pss_size(),
	};
	mount_status = (struct lws_http_mount){
		.mount_next = &mount_metrics,
		.mountpoint = "/status",
		.mountpoint_len = 7,
		.origin = "nd-http",
		.origin_protocol = LWSMPRO_CALLBACK,
	};
	mount_metrics = (struct lws_http_mount){
		.mount_next = h->conf.web_root ? &mount_root : NULL,
		.mountpoint = "/metrics",
		.mountpoint_len = 8,
		.origin = "nd-http",
		.origin_protocol = LWSMPRO_CALLBACK,
	};
	mount_root = (struct lws_http_mount){
		.mountpoint = "/",
		.mountpoint_len = 1,
		.origin = h->conf.web_root,
		.def = "index.html",
		.origin_protocol = LWSMPRO_FILE,
	};
	idle_policy = (lws_retry_bo_t){
		.secs_since_valid_ping = (uint16_t)h->conf.ping_secs,
		.secs_since_valid_hangup = (uint16_t)(h->conf.ping_secs * 3),
	};
}

static struct lws_vhost *vhost(struct hub *h, const char *name, const char *iface, bool v4,
			       int port, bool out)
{
	struct lws_context_creation_info info;

	memset(&info, 0, sizeof(info));
	info.vhost_name = name;
	info.iface = iface;
	info.port = port;
	info.options = v4 ? LWS_SERVER_OPTION_DISABLE_IPV6 : 0;
	info.protocols = out ? out_protocols : in_protocols;
	info.mounts = out ? &mount_status : NULL;
	/* Eaters only: lws 4.1.6 on a foreign libuv loop can stall inflating a
	 * large compressed message until more data arrives, so kitchens'
	 * links stay uncompressed. */
	info.extensions = h->conf.deflate && out ? deflate_exts : NULL;
	info.retry_and_idle_policy = h->conf.ping_secs ? &idle_policy : NULL;
	hub_tls_vhost(h, &info);
	return lws_create_vhost(h->ctx, &info);
}

/* Resolves the listen address into up to MAX_ADDRS numeric ones. */
static int resolve(const char *address, char addrs[][INET6_ADDRSTRLEN], bool *v4, int *n)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE};
	struct addrinfo *res, *ai;
	int rc = getaddrinfo(address, NULL, &hints, &res);

	if (rc) {
		nd_error("hub", "cannot resolve listen address %s: %s", address, gai_strerror(rc));
		return -EINVAL;
	}
	*n = 0;
	for (ai = res; ai && *n < MAX_ADDRS; ai = ai->ai_next) {
		char buf[INET6_ADDRSTRLEN];
		bool dup = false;

		if (ai->ai_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, buf,
				  sizeof(buf));
		else if (ai->ai_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, buf,
				  sizeof(buf));
		else
			continue;
		for (int i = 0; i < *n; i++)
			dup |= strcmp(addrs[i], buf) == 0;
		if (dup)
			continue;
		snprintf(addrs[*n], INET6_ADDRSTRLEN, "%s", buf);
		v4[*n] = ai->ai_family == AF_INET;
		(*n)++;
	}
	freeaddrinfo(res);
	return *n ? 0 : -EINVAL;
}

static int listen_all(struct hub *h)
{
	char addrs[MAX_ADDRS][INET6_ADDRSTRLEN];
	bool v4[MAX_ADDRS];
	int n, in_port = h->conf.in_port, out_port = h->conf.out_port;

	if (resolve(h->conf.address, addrs, v4, &n))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		bool any = strcmp(addrs[i], "0.0.0.0") == 0 || strcmp(addrs[i], "::") == 0;
		const char *iface = any ? NULL : addrs[i];
		char name[32];
		struct lws_vhost *vin, *vout;

		snprintf(name, sizeof(name), "in-%d", i);
		vin = vhost(h, name, iface, v4[i], in_port, false);
		snprintf(name, sizeof(name), "out-%d", i);
		vout = vin ? vhost(h, name, iface, v4[i], out_port, true) : NULL;
		if (!vin || !vout) {
			nd_error("hub", "cannot listen on %s%s%s ports %d and %d (in use, or not a local address)",
				 v4[i] ? "" : "[", addrs[i], v4[i] ? "" : "]", in_port, out_port);
			return -EADDRINUSE;
		}
		in_port = lws_get_vhost_listen_port(vin);
		out_port = lws_get_vhost_listen_port(vout);
		nd_info("hub", "listening: kitchens on %s://%s%s%s:%d, eaters on %s://%s%s%s:%d",
			hub_tls_scheme(h), v4[i] ? "" : "[", addrs[i], v4[i] ? "" : "]", in_port,
			hub_tls_scheme(h), v4[i] ? "" : "[", addrs[i], v4[i] ? "" : "]", out_port);
		hub_auth_warn_exposed(h, addrs[i]);
	}
	return 0;
}

int hub_start(struct hub *h)
{
	struct lws_context_creation_info info;
	void *loops[1] = {h->loop};
	uint64_t status_ms = (uint64_t)(h->conf.status_freq * 1000.0);

	lws_set_log_level(LLL_ERR | LLL_WARN | (nd_log_enabled(ND_LOG_DEBUG) ? LLL_NOTICE : 0),
			  lws_to_log);
	if (hub_auth_init(h) || hub_tls_check(h))
		return -EINVAL;
	setup_protocols(h);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
		       hub_tls_context_options(h);
	info.foreign_loops = loops;
	info.user = h;
	info.pt_serv_buf_size = 32768;
	info.fd_limit_per_thread = h->conf.max_conns + 128;
	h->ctx = lws_create_context(&info);
	if (!h->ctx) {
		nd_error("hub", "cannot create the WebSocket context (is libwebsockets-evlib-uv installed?)");
		return -EIO;
	}
	/* Signals first: "listening" in the log means SIGTERM is handled. */
	h->sigint.data = h;
	h->sigterm.data = h;
	uv_signal_start(&h->sigint, on_signal, SIGINT);
	uv_signal_start(&h->sigterm, on_signal, SIGTERM);
	if (listen_all(h))
		return -EADDRINUSE;
	uv_timer_start(&h->status_timer, on_status, status_ms ? status_ms : 1,
		       status_ms ? status_ms : 1);
	uv_timer_start(&h->tick_timer, on_tick, TICK_MS, TICK_MS);
	return hub_nats_start(h) ? -EIO : 0; /* no-op without --nats */
}

void hub_abort(struct hub *h)
{
	finish(h);
}

void hub_fini(struct hub *h)
{
	if (h->ctx) {
		lws_context_destroy(h->ctx);
		h->ctx = NULL;
	}
	uv_close((uv_handle_t *)&h->sigint, on_handle_closed);
	uv_close((uv_handle_t *)&h->sigterm, on_handle_closed);
	uv_run(h->loop, UV_RUN_NOWAIT);
	hub_retained_fini(&h->retained);
	hub_seqtable_fini(&h->seqs);
	hub_addrtab_free(h->addrs);
	h->addrs = NULL;
	hub_auth_fini(h);
	hub_nats_fini(h);
}
