/*
 * nats_opts.c: nd-hub's --nats* options, their defaults and help text.
 *
 * Built whether or not libnats is, so that the options are always known
 * and a hub without NATS support refuses --nats with a clear message.
 */
#include "nats_bridge.h"

#include "opt.h"

#include <stdio.h>
#include <string.h>

void hub_nats_conf_default(struct hub_nats_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->stream_max_age = 3600.0;
	c->stream_max_bytes = 256ull << 20;
	c->stream_replicas = 1;
	c->reconnect_buf = 8u << 20;
	c->handoff_max = 65536;
	c->replay_max = 86400.0;
}

/* Subject tokens and stream names: printable ASCII without '.', '*', '>'
 * (and, for stream names, no path separators). */
static bool token_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '.' || *s == '*' || *s == '>' ||
		    *s == '/' || *s == '\\')
			return false;
	return true;
}

void hub_nats_option(int opt, const char *arg, struct hub_nats_conf *c)
{
	switch (opt) {
	case HUB_NATS_OPT_URLS: c->urls = arg; break;
	case HUB_NATS_OPT_CREDS: c->creds = arg; break;
	case HUB_NATS_OPT_TLS: c->tls = true; break;
	case HUB_NATS_OPT_TLS_CA: c->tls_ca = arg; c->tls = true; break;
	case HUB_NATS_OPT_TLS_CERT: c->tls_cert = arg; c->tls = true; break;
	case HUB_NATS_OPT_TLS_KEY: c->tls_key = arg; c->tls = true; break;
	case HUB_NATS_OPT_HUB_ID:
		if (!token_ok(arg, 64))
			nd_opt_die("--nats-hub-id", "\"%s\" must be 1-64 printable characters without . * > / or spaces", arg);
		c->hub_id = arg;
		break;
	case HUB_NATS_OPT_STREAM:
		if (!token_ok(arg, 64))
			nd_opt_die("--nats-stream", "\"%s\" must be 1-64 printable characters without . * > / or spaces", arg);
		c->stream = arg;
		break;
	case HUB_NATS_OPT_STREAM_AGE:
		c->stream_max_age = nd_opt_double_or_die("--nats-stream-max-age", arg, 1, 365 * 86400.0);
		break;
	case HUB_NATS_OPT_STREAM_BYTES:
		c->stream_max_bytes = nd_opt_size_or_die("--nats-stream-max-bytes", arg, 1u << 20, 1ull << 42);
		break;
	case HUB_NATS_OPT_STREAM_REPLICAS:
		c->stream_replicas = (int)nd_opt_u64_or_die("--nats-stream-replicas", arg, 1, 5);
		break;
	case HUB_NATS_OPT_RECONNECT_BUF:
		c->reconnect_buf = nd_opt_size_or_die("--nats-reconnect-buffer", arg, 64u << 10, 1u << 30);
		break;
	case HUB_NATS_OPT_HANDOFF:
		c->handoff_max = nd_opt_u64_or_die("--nats-handoff", arg, 64, 1u << 24);
		break;
	case HUB_NATS_OPT_REPLAY_MAX:
		c->replay_max = nd_opt_double_or_die("--nats-replay-max", arg, 0, 365 * 86400.0);
		break;
	default:
		break;
	}
}

void hub_nats_check_conf(const struct hub_nats_conf *c)
{
	if (!c->urls && (c->creds || c->tls || c->stream || c->hub_id))
		nd_opt_die("--nats", "the other --nats-* options need --nats URL[,URL...]");
#ifndef ND_HAVE_NATS
	if (c->urls)
		nd_opt_die("--nats", "this nd-hub was built without NATS support (libnats-dev was not found)");
#endif
	if (!!c->tls_cert != !!c->tls_key)
		nd_opt_die("--nats-tls-cert", "--nats-tls-cert and --nats-tls-key go together");
}

void hub_nats_usage(void)
{
	printf("\n"
	       "Sharing dumplings with other hubs through NATS (see docs/nats.md):\n"
	       "      --nats URL[,URL...]     NATS servers (nats://host:4222); dumplings from\n"
	       "                              this hub's kitchens go to netdumplings.<kitchen>.<chef>,\n"
	       "                              other hubs' dumplings come to this hub's eaters\n"
	       "      --nats-creds FILE       NATS user credentials file\n"
	       "      --nats-tls              require TLS to the NATS servers\n"
	       "      --nats-tls-ca FILE      CA certificates for the servers (implies TLS)\n"
	       "      --nats-tls-cert FILE    client certificate chain (with --nats-tls-key)\n"
	       "      --nats-tls-key FILE     client private key\n"
	       "      --nats-hub-id ID        this hub's id [default: <host>-<pid>-<random>]\n"
	       "      --nats-stream NAME      keep dumplings in a JetStream stream; eaters may\n"
	       "                              ask for \"replay_seconds\" in their hello\n"
	       "      --nats-stream-max-age SECONDS  [default: 3600]\n"
	       "      --nats-stream-max-bytes N      [default: 256M]\n"
	       "      --nats-stream-replicas N       [default: 1]\n"
	       "      --nats-reconnect-buffer N  dumplings buffered while NATS is away\n"
	       "                              [default: 8M]; beyond it they are counted lost\n"
	       "      --nats-handoff N        received dumplings waiting for the hub's loop\n"
	       "                              [default: 65536]; beyond it they are counted lost\n"
	       "      --nats-replay-max SECONDS  longest replay an eater may ask [default: 86400]\n");
}
