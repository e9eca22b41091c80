/*
 * main.c: nd-hub, wiring only: options, the loop, the hub, teardown.
 */
#include "hub.h"

#include "log.h"
#include "opt.h"
#include "proto.h"
#include "version.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

enum {
	OPT_STRICT = 256,
	OPT_MAX_DUMPLING,
	OPT_MAX_MESSAGE,
	OPT_QUEUE_DUMPLINGS,
	OPT_QUEUE_BYTES,
	OPT_TOO_SLOW,
	OPT_FLOW_GRACE,
	OPT_HELLO_TIMEOUT,
	OPT_MAX_CONNS,
	OPT_MAX_PER_ADDR,
	OPT_RETAINED,
	OPT_RETAINED_BYTES,
	OPT_PING,
	OPT_DEFLATE,
	OPT_WEB_ROOT,
	OPT_NO_WEB,
	OPT_LOG_LEVEL,
	OPT_VERSION,
	OPT_HELP,
	OPT_TLS_CERT, /* security options: auth.c, tls.c */
	OPT_TLS_KEY,
	OPT_TLS_CA,
	OPT_KITCHEN_TOKENS,
	OPT_EATER_TOKENS,
	OPT_ALLOWED_ORIGIN,
};

#define MAX_ORIGINS 32

static const struct option long_opts[] = {
	{"address", required_argument, NULL, 'a'},
	{"in-port", required_argument, NULL, 'i'},
	{"out-port", required_argument, NULL, 'o'},
	{"status-freq", required_argument, NULL, 'f'},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"max-dumpling-bytes", required_argument, NULL, OPT_MAX_DUMPLING},
	{"max-message-bytes", required_argument, NULL, OPT_MAX_MESSAGE},
	{"queue-dumplings", required_argument, NULL, OPT_QUEUE_DUMPLINGS},
	{"queue-bytes", required_argument, NULL, OPT_QUEUE_BYTES},
	{"too-slow", required_argument, NULL, OPT_TOO_SLOW},
	{"flow-grace", required_argument, NULL, OPT_FLOW_GRACE},
	{"hello-timeout", required_argument, NULL, OPT_HELLO_TIMEOUT},
	{"max-connections", required_argument, NULL, OPT_MAX_CONNS},
	{"max-per-address", required_argument, NULL, OPT_MAX_PER_ADDR},
	{"retained", required_argument, NULL, OPT_RETAINED},
	{"retained-bytes", required_argument, NULL, OPT_RETAINED_BYTES},
	{"ping", required_argument, NULL, OPT_PING},
	{"deflate", no_argument, NULL, OPT_DEFLATE},
	{"web-root", required_argument, NULL, OPT_WEB_ROOT},
	{"no-web", no_argument, NULL, OPT_NO_WEB},
	{"verbose", no_argument, NULL, 'v'},
	{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
	{"version", no_argument, NULL, OPT_VERSION},
	{"help", no_argument, NULL, OPT_HELP},
	HUB_NATS_LONG_OPTIONS, /* nats_opts.c */
	{"tls-cert", required_argument, NULL, OPT_TLS_CERT},
	{"tls-key", required_argument, NULL, OPT_TLS_KEY},
	{"tls-ca", required_argument, NULL, OPT_TLS_CA},
	{"kitchen-tokens", required_argument, NULL, OPT_KITCHEN_TOKENS},
	{"eater-tokens", required_argument, NULL, OPT_EATER_TOKENS},
	{"allowed-origin", required_argument, NULL, OPT_ALLOWED_ORIGIN},
	{NULL, 0, NULL, 0},
};

static void usage(void)
{
	printf("Usage: nd-hub [OPTIONS]\n"
	       "\n"
	       "The dumpling hub.  Sends dumplings received from all kitchens (usually\n"
	       "nd-sniff) to all dumpling eaters.  Kitchens connect to --in-port, eaters\n"
	       "to --out-port, which also serves /status, /metrics and the dashboard.\n"
	       "\n"
	       "  -a, --address HOSTNAME      address to listen on [default: %s]\n"
	       "  -i, --in-port PORT          port for kitchens [default: %d]\n"
	       "  -o, --out-port PORT         port for eaters [default: %d]\n"
	       "  -f, --status-freq SECONDS   seconds between status dumplings [default: %d]\n"
	       "      --strict                also require metadata.kitchen, driver,\n"
	       "                              creation_time and payload in dumplings\n"
	       "      --max-dumpling-bytes N  larger dumplings are dropped [default: 1M]\n"
	       "      --max-message-bytes N   larger messages close the connection with\n"
	       "                              1009 [default: 16M]\n"
	       "      --queue-dumplings N     per-eater queue ceiling [default: 4096]\n"
	       "      --queue-bytes N         per-eater queue ceiling in bytes [default: 8M]\n"
	       "      --too-slow SECONDS      an eater whose queue stays full this long is\n"
	       "                              disconnected (code %d) [default: 10]\n"
	       "      --flow-grace SECONDS    longest one slow eater may pause kitchens\n"
	       "                              [default: 1]\n"
	       "      --hello-timeout SECONDS time allowed for a first message [default: 10]\n"
	       "      --max-connections N     WebSocket connections in all [default: 1024]\n"
	       "      --max-per-address N     WebSocket connections per peer address\n"
	       "                              [default: 256]\n"
	       "      --retained N            kitchen/chef pairs whose latest interval\n"
	       "                              dumpling new eaters get [default: 1024]\n"
	       "      --retained-bytes N      and their bytes in all [default: 16M]\n"
	       "      --ping SECONDS          ping idle peers; 0 disables [default: 20]\n"
	       "      --deflate               accept permessage-deflate\n"
	       "      --web-root DIR          dashboard files served at / [default: %s]\n"
	       "      --no-web                serve no dashboard files\n"
	       "\n"
	       "Security (see docs/security.md):\n"
	       "      --tls-cert FILE         serve wss:// and https:// with this certificate\n"
	       "                              (PEM, chain included)\n"
	       "      --tls-key FILE          its private key (not readable by others)\n"
	       "      --tls-ca FILE           require client certificates signed by this CA\n"
	       "      --kitchen-tokens FILE   kitchens need a bearer token from this file\n"
	       "                              (lines \"TOKEN KITCHEN_NAME\", * for any name)\n"
	       "      --eater-tokens FILE     eaters, /status and /metrics need a token\n"
	       "      --allowed-origin ORIGIN browser pages from ORIGIN may connect\n"
	       "                              (repeatable; * for any) [default: the hub's own]\n"
	       "\n"
	       "  -v, --verbose               more log output (repeatable)\n"
	       "      --log-level LEVEL       error, warn, info, debug or trace\n"
	       "      --version               print the version and exit\n"
	       "      --help                  print this help and exit\n",
	       ND_DEFAULT_HOST, ND_DEFAULT_IN_PORT, ND_DEFAULT_OUT_PORT, ND_DEFAULT_STATUS_FREQ,
	       ND_CLOSE_EATER_TOO_SLOW, ND_WEB_DIR);
	hub_nats_usage();
}

static unsigned ms_or_die(const char *flag, const char *s, double min)
{
	return (unsigned)(nd_opt_double_or_die(flag, s, min, 86400.0) * 1000.0 + 0.5);
}

static void parse(int argc, char **argv, struct hub_conf *c)
{
	static const char *origins[MAX_ORIGINS];
	bool no_web = false;
	int o;

	while ((o = getopt_long(argc, argv, "a:i:o:f:v", long_opts, NULL)) != -1) {
		switch (o) {
		case 'a': c->address = optarg; break;
		case 'i': c->in_port = nd_opt_port_or_die("--in-port", optarg, 1); break;
		case 'o': c->out_port = nd_opt_port_or_die("--out-port", optarg, 1); break;
		case 'f': c->status_freq = nd_opt_double_or_die("--status-freq", optarg, 0.01, 86400); break;
		case OPT_STRICT: c->check = ND_DUMPLING_STRICT; break;
		case OPT_MAX_DUMPLING:
			c->max_dumpling_bytes = nd_opt_size_or_die("--max-dumpling-bytes", optarg, 256, 1u << 30);
			break;
		case OPT_MAX_MESSAGE:
			c->max_message_bytes = nd_opt_size_or_die("--max-message-bytes", optarg, 256, 1u << 30);
			break;
		case OPT_QUEUE_DUMPLINGS:
			c->queue_count = nd_opt_u64_or_die("--queue-dumplings", optarg, 1, 1u << 24);
			break;
		case OPT_QUEUE_BYTES:
			c->queue_bytes = nd_opt_size_or_die("--queue-bytes", optarg, 1024, 1ull << 34);
			break;
		case OPT_TOO_SLOW: c->too_slow_ms = ms_or_die("--too-slow", optarg, 0.1); break;
		case OPT_FLOW_GRACE: c->flow_grace_ms = ms_or_die("--flow-grace", optarg, 0); break;
		case OPT_HELLO_TIMEOUT: c->hello_timeout_ms = ms_or_die("--hello-timeout", optarg, 0.1); break;
		case OPT_MAX_CONNS:
			c->max_conns = (unsigned)nd_opt_u64_or_die("--max-connections", optarg, 1, 100000);
			break;
		case OPT_MAX_PER_ADDR:
			c->max_per_addr = (unsigned)nd_opt_u64_or_die("--max-per-address", optarg, 1, 100000);
			break;
		case OPT_RETAINED: c->retained_max = nd_opt_u64_or_die("--retained", optarg, 0, 1u << 20); break;
		case OPT_RETAINED_BYTES:
			c->retained_bytes = nd_opt_size_or_die("--retained-bytes", optarg, 0, 1ull << 34);
			break;
		case OPT_PING: c->ping_secs = (unsigned)nd_opt_u64_or_die("--ping", optarg, 0, 3600); break;
		case OPT_DEFLATE: c->deflate = true; break;
		case OPT_WEB_ROOT: c->web_root = optarg; break;
		case OPT_NO_WEB: no_web = true; break;
		case OPT_TLS_CERT: c->tls_cert = optarg; break;
		case OPT_TLS_KEY: c->tls_key = optarg; break;
		case OPT_TLS_CA: c->tls_ca = optarg; break;
		case OPT_KITCHEN_TOKENS: c->kitchen_tokens = optarg; break;
		case OPT_EATER_TOKENS: c->eater_tokens = optarg; break;
		case OPT_ALLOWED_ORIGIN:
			if (c->n_origins >= MAX_ORIGINS)
				nd_opt_die("--allowed-origin", "at most %d origins", MAX_ORIGINS);
			origins[c->n_origins++] = optarg;
			c->origins = origins;
			break;
		case 'v': nd_opt_verbose(); break;
		case OPT_LOG_LEVEL: nd_opt_log_level_or_die(optarg); break;
		case OPT_VERSION: nd_opt_print_version(); exit(ND_EXIT_OK);
		case OPT_HELP: usage(); exit(ND_EXIT_OK);
		default:
			if (o >= HUB_NATS_OPT_FIRST && o < HUB_NATS_OPT_LAST) {
				hub_nats_option(o, optarg, &c->nats); /* nats_opts.c */
				break;
			}
			fprintf(stderr, "Try 'nd-hub --help' for more information.\n");
			exit(ND_EXIT_USAGE);
		}
	}
	if (optind < argc)
		nd_opt_die(argv[optind], "unexpected argument");
	if (c->max_message_bytes < c->max_dumpling_bytes)
		nd_opt_die("--max-message-bytes", "must be at least --max-dumpling-bytes (%zu)",
			   c->max_dumpling_bytes);
	if (no_web)
		c->web_root = NULL;
	if (!c->tls_cert != !c->tls_key)
		nd_opt_die(c->tls_cert ? "--tls-cert" : "--tls-key", "needs %s too",
			   c->tls_cert ? "--tls-key" : "--tls-cert");
	if (c->tls_ca && !c->tls_cert)
		nd_opt_die("--tls-ca", "needs --tls-cert and --tls-key");
	hub_nats_check_conf(&c->nats);
}

int main(int argc, char **argv)
{
	struct hub_conf conf = {
		.address = ND_DEFAULT_HOST,
		.in_port = ND_DEFAULT_IN_PORT,
		.out_port = ND_DEFAULT_OUT_PORT,
		.status_freq = ND_DEFAULT_STATUS_FREQ,
		.check = ND_DUMPLING_BASIC,
		.max_dumpling_bytes = ND_DUMPLING_MAX_BYTES_DEFAULT,
		.max_message_bytes = 16u << 20,
		.max_hello_bytes = 64u << 10,
		.queue_count = 4096,
		.queue_bytes = 8u << 20,
		.too_slow_ms = 10000,
		.flow_grace_ms = 1000,
		.hello_timeout_ms = 10000,
		.max_conns = 1024,
		.max_per_addr = 256,
		.retained_max = 1024,
		.retained_bytes = 16u << 20,
		.ping_secs = 20,
		.web_root = ND_WEB_DIR,
	};
	struct stat st;
	uv_loop_t loop;
	struct hub h;
	int rc;

	nd_opt_init("nd-hub");
	hub_nats_conf_default(&conf.nats);
	parse(argc, argv, &conf);
	if (conf.web_root && (stat(conf.web_root, &st) != 0 || !S_ISDIR(st.st_mode))) {
		nd_warn("hub", "no dashboard: %s is not a directory", conf.web_root);
		conf.web_root = NULL;
	}
	if (uv_loop_init(&loop)) {
		nd_error("hub", "cannot create the event loop");
		return ND_EXIT_FAILURE;
	}
	if (hub_init(&h, &conf, &loop)) {
		nd_error("hub", "out of memory");
		return ND_EXIT_FAILURE;
	}
	rc = hub_start(&h);
	if (rc)
		hub_abort(&h);
	else
		nd_info("hub", "dumpling hub %s running", ND_VERSION);
	uv_run(&loop, UV_RUN_DEFAULT);
	hub_fini(&h);
	if (uv_loop_close(&loop))
		nd_warn("hub", "event loop closed with handles still open");
	if (!rc)
		nd_info("hub", "dumpling hub signing off");
	return rc ? ND_EXIT_FAILURE : ND_EXIT_OK;
}
