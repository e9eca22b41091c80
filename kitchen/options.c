/*
 * options.c: nd-sniff's command line (see options.h).  Only parsing and
 * the help text; nothing here opens, loads or connects anything.
 */
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_auth.h"
#include "fileperm.h"
#include "log.h"
#include "proto.h"
#include "token.h"
#include "version.h"

enum {
	OPT_HELP = 1000,
	OPT_VERSION,
	OPT_LOG_LEVEL,
	OPT_REALTIME,
	OPT_LOOP,
	OPT_NO_PROMISC,
	OPT_IMMEDIATE,
	OPT_STDOUT,
	OPT_QUEUE_COUNT,
	OPT_QUEUE_BYTES,
	OPT_FLUSH_TIMEOUT,
	OPT_STATS_INTERVAL,
	OPT_RECONNECT_MAX,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_HUB_CA,
	OPT_HUB_INSECURE,
	OPT_TOKEN_FILE,
	OPT_CERT,
	OPT_KEY,
};

static void usage(void)
{
	printf("Usage: %s [OPTIONS]\n"
	       "\n"
	       "A dumpling kitchen: captures packets, hands them to chefs, and sends the\n"
	       "dumplings they make to nd-hub (or to standard output).\n"
	       "Live capture needs root, or the CAP_NET_RAW and CAP_NET_ADMIN capabilities.\n"
	       "\n"
	       "netdumplings' options:\n"
	       "  -n, --kitchen-name NAME   kitchen name [default_kitchen]\n"
	       "  -h, --hub HOST:PORT       where nd-hub receives dumplings, or ws[s]://HOST:PORT\n"
	       "                            [%s:%d]\n"
	       "  -i, --interface IFACE     interface to capture on; repeatable; \"all\" means\n"
	       "                            every interface [all]\n"
	       "  -f, --filter FILTER       pcap filter [%s]\n"
	       "  -m, --chef-module PATH    chef module (.so) or a directory of them; repeatable\n"
	       "                            [%s]\n"
	       "  -c, --chef NAME           chef to use (Chef or module.Chef); repeatable\n"
	       "                            [every chef]\n"
	       "  -l, --chef-list           list the chefs in the chef modules and exit\n"
	       "  -p, --poke-interval SECS  seconds between interval pokes; 0 disables [%d]\n"
	       "\n"
	       "Chefs:\n"
	       "  -o, --chef-opt CHEF.KEY=VALUE  a chef's option; repeatable\n"
	       "\n"
	       "Capture:\n"
	       "  -r, --read FILE           read a pcap or pcapng file instead of capturing\n"
	       "      --realtime[=FACTOR]   with -r: replay at the recorded speed (times FACTOR)\n"
	       "      --loop                with --realtime: start the file again at its end\n"
	       "  -s, --snaplen BYTES       bytes captured per packet [262144]\n"
	       "  -B, --buffer-size SIZE    kernel capture buffer (e.g. 8M) [libpcap's default]\n"
	       "      --no-promisc          do not put interfaces into promiscuous mode\n"
	       "      --immediate           deliver each packet at once rather than in batches\n"
	       "  -Z, --user USER           drop privileges to USER once the capture is open\n"
	       "      --progress, --no-progress  progress line while reading a file\n"
	       "                            [when standard error is a terminal]\n"
	       "\n"
	       "Delivery:\n"
	       "      --stdout              write dumplings to standard output as JSON lines;\n"
	       "                            also send them to the hub only when -h is given\n"
	       "      --queue-count N       dumplings kept while the hub is away [100000]\n"
	       "      --queue-bytes SIZE    bytes kept while the hub is away [64M]\n"
	       "      --flush-timeout SECS  time allowed for the final flush [5]\n"
	       "      --reconnect-max SECS  longest wait between reconnection attempts [10]\n"
	       "      --hub-ca FILE         wss: CA certificates to verify the hub with\n"
	       "      --hub-insecure        wss: do not verify the hub's certificate\n"
	       "                            (tests only; also --ca-file, --insecure)\n"
	       "      --token-file FILE     send the bearer token in FILE to the hub\n"
	       "      --cert FILE, --key FILE  wss: client certificate and key, for a hub\n"
	       "                            that requires them (--tls-ca)\n"
	       "      --stats-interval SECS seconds between statistics log lines; 0: at exit\n"
	       "                            only [60]\n"
	       "\n"
	       "  -v, --verbose             more log output (repeatable)\n"
	       "      --log-level LEVEL     error, warn, info, debug or trace [info]\n"
	       "      --help                show this help and exit\n"
	       "      --version             show the version and exit\n",
	       nd_opt_program(), ND_DEFAULT_HOST, ND_DEFAULT_IN_PORT, ND_DEFAULT_FILTER,
	       ND_CHEF_DIR, ND_DEFAULT_POKE_INTERVAL);
}

static const struct option longopts[] = {
	{ "kitchen-name", required_argument, NULL, 'n' },
	{ "hub", required_argument, NULL, 'h' },
	{ "interface", required_argument, NULL, 'i' },
	{ "filter", required_argument, NULL, 'f' },
	{ "chef-module", required_argument, NULL, 'm' },
	{ "chef", required_argument, NULL, 'c' },
	{ "chef-list", no_argument, NULL, 'l' },
	{ "poke-interval", required_argument, NULL, 'p' },
	{ "chef-opt", required_argument, NULL, 'o' },
	{ "read", required_argument, NULL, 'r' },
	{ "realtime", optional_argument, NULL, OPT_REALTIME },
	{ "loop", no_argument, NULL, OPT_LOOP },
	{ "snaplen", required_argument, NULL, 's' },
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "no-promisc", no_argument, NULL, OPT_NO_PROMISC },
	{ "immediate", no_argument, NULL, OPT_IMMEDIATE },
	{ "user", required_argument, NULL, 'Z' },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "stdout", no_argument, NULL, OPT_STDOUT },
	{ "queue-count", required_argument, NULL, OPT_QUEUE_COUNT },
	{ "queue-bytes", required_argument, NULL, OPT_QUEUE_BYTES },
	{ "flush-timeout", required_argument, NULL, OPT_FLUSH_TIMEOUT },
	{ "reconnect-max", required_argument, NULL, OPT_RECONNECT_MAX },
	{ "hub-ca", required_argument, NULL, OPT_HUB_CA },
	{ "hub-insecure", no_argument, NULL, OPT_HUB_INSECURE },
	{ "ca-file", required_argument, NULL, OPT_HUB_CA },
	{ "insecure", no_argument, NULL, OPT_HUB_INSECURE },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void push(struct nd_strv *sv, const char *s)
{
	if (nd_strv_push(sv, s) != 0) {
		fprintf(stderr, "%s: out of memory\n", nd_opt_program());
		exit(ND_EXIT_FAILURE);
	}
}

static void check_chef_opt(const char *s)
{
	const char *eq = strchr(s, '=');
	const char *dot = strchr(s, '.');

	if (!eq || !dot || dot > eq || dot == s || dot + 1 == eq)
		nd_opt_die("--chef-opt", "\"%s\" is not CHEF.KEY=VALUE", s);
}

void kitchen_options_parse(struct kitchen_options *o, int argc, char **argv)
{
	static char default_hub[64];
	int ch;

	memset(o, 0, sizeof(*o));
	snprintf(default_hub, sizeof(default_hub), "%s:%d", ND_DEFAULT_HOST, ND_DEFAULT_IN_PORT);
	o->kitchen_name = "default_kitchen";
	o->hub = default_hub;
	o->filter = ND_DEFAULT_FILTER;
	o->poke_interval = ND_DEFAULT_POKE_INTERVAL;
	o->promisc = true;
	o->progress = -1;
	o->queue_count = 100000;
	o->queue_bytes = 64u << 20;
	o->flush_timeout = 5;
	o->stats_interval = 60;
	o->reconnect_max = 10;

	while ((ch = getopt_long(argc, argv, "n:h:i:f:m:c:lp:o:r:s:B:Z:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (!*optarg)
				nd_opt_die("--kitchen-name", "the name is empty");
			o->kitchen_name = optarg;
			break;
		case 'h':
			o->hub = optarg;
			o->hub_given = true;
			break;
		case 'i':
			if (!*optarg)
				nd_opt_die("--interface", "the name is empty");
			push(&o->ifaces, optarg);
			break;
		case 'f':
			o->filter = optarg;
			break;
		case 'm':
			push(&o->modules, optarg);
			break;
		case 'c':
			push(&o->chefs, optarg);
			break;
		case 'l':
			o->list_chefs = true;
			break;
		case 'p':
			o->poke_interval = nd_opt_double_or_die("--poke-interval", optarg, 0, 86400);
			break;
		case 'o':
			check_chef_opt(optarg);
			push(&o->chef_opts, optarg);
			break;
		case 'r':
			o->read_file = optarg;
			break;
		case OPT_REALTIME:
			o->realtime = optarg ? nd_opt_double_or_die("--realtime", optarg, 0.001, 1e6)
					     : 1.0;
			break;
		case OPT_LOOP:
			o->loop = true;
			break;
		case 's':
			o->snaplen = (int)nd_opt_u64_or_die("--snaplen", optarg, 1, 262144);
			break;
		case 'B':
			o->buffer_size = (int)nd_opt_size_or_die("--buffer-size", optarg, 4096,
								 1u << 30);
			break;
		case OPT_NO_PROMISC:
			o->promisc = false;
			break;
		case OPT_IMMEDIATE:
			o->immediate = true;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			o->progress = 0;
			break;
		case OPT_STDOUT:
			o->to_stdout = true;
			break;
		case OPT_QUEUE_COUNT:
			o->queue_count = nd_opt_u64_or_die("--queue-count", optarg, 1, 100000000);
			break;
		case OPT_QUEUE_BYTES:
			o->queue_bytes = nd_opt_size_or_die("--queue-bytes", optarg, 1024,
							    (uint64_t)16 << 30);
			break;
		case OPT_FLUSH_TIMEOUT:
			o->flush_timeout = nd_opt_double_or_die("--flush-timeout", optarg, 0.001, 3600);
			break;
		case OPT_RECONNECT_MAX:
			o->reconnect_max = nd_opt_double_or_die("--reconnect-max", optarg, 0.01, 3600);
			break;
		case OPT_HUB_CA:
			o->hub_ca = optarg;
			break;
		case OPT_HUB_INSECURE:
			o->hub_insecure = true;
			break;
		case OPT_TOKEN_FILE:
			o->token_file = optarg;
			break;
		case OPT_CERT:
			o->cert_file = optarg;
			break;
		case OPT_KEY:
			o->key_file = optarg;
			break;
		case OPT_STATS_INTERVAL:
			o->stats_interval = nd_opt_double_or_die("--stats-interval", optarg, 0, 86400);
			break;
		case 'v':
			nd_opt_verbose();
			break;
		case OPT_LOG_LEVEL:
			nd_opt_log_level_or_die(optarg);
			break;
		case OPT_HELP:
			usage();
			exit(ND_EXIT_OK);
		case OPT_VERSION:
			nd_opt_print_version();
			exit(ND_EXIT_OK);
		default:
			nd_opt_die(NULL, "unknown or incomplete option");
		}
	}
	if (optind < argc)
		nd_opt_die(NULL, "unexpected argument \"%s\"", argv[optind]);
	if (o->realtime > 0 && !o->read_file)
		nd_opt_die("--realtime", "only applies when reading a file with -r");
	if (o->loop && (!o->read_file || o->realtime <= 0))
		nd_opt_die("--loop", "only applies when replaying a file with -r and --realtime");
	if (o->read_file && o->ifaces.n)
		nd_opt_die("--read", "cannot be combined with -i");
	if (!o->ifaces.n)
		push(&o->ifaces, "all");
	if (!o->modules.n)
		push(&o->modules, ND_CHEF_DIR);
	o->use_hub = !o->to_stdout || o->hub_given;
	if (o->use_hub) {
		const char *why = NULL;

		if (nd_addr_parse(o->hub, ND_DEFAULT_IN_PORT, &o->hub_addr, &why) != 0)
			nd_opt_die("--hub", "\"%s\" is not HOST:PORT or ws[s]://HOST:PORT%s%s", o->hub,
				   why ? ": " : "", why ? why : "");
	}
	if (!o->cert_file != !o->key_file)
		nd_opt_die(o->cert_file ? "--cert" : "--key", "needs %s too",
			   o->cert_file ? "--key" : "--cert");
	if (o->use_hub && o->key_file) {
		char err[256];

		if (nd_fileperm_check(o->key_file, ND_FILEPERM_SECRET, err, sizeof(err))) {
			nd_error("kitchen", "cannot use --key: %s", err);
			exit(ND_EXIT_FAILURE);
		}
	}
	if (o->use_hub && o->token_file) { /* now, while the file is still readable */
		char tok[ND_TOKEN_MAX + 1];

		if (nd_client_auth_load("kitchen", o->token_file, tok, sizeof(tok)) ||
		    !(o->token = strdup(tok)))
			exit(ND_EXIT_FAILURE);
	}
}

void kitchen_options_free(struct kitchen_options *o)
{
	nd_strv_free(&o->ifaces);
	nd_strv_free(&o->modules);
	nd_strv_free(&o->chefs);
	nd_strv_free(&o->chef_opts);
	free(o->token);
	o->token = NULL;
}
