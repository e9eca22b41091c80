/*
 * main.c: nd-gencap, the deterministic capture generator.  Options,
 * then the loop: pick one of the open conversations at random, emit its
 * next frame at the next Poisson arrival time, replace it when it ends.
 * Output depends only on the options (same options, same bytes).
 */
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flows.h"
#include "log.h"
#include "names.h"
#include "opt.h"
#include "truth.h"
#include "writer.h"

#define OPEN_CONVS 24

struct profile {
	const char *name;
	const char *about;
	uint16_t weight[GK_COUNT]; /* relative rate of new conversations */
};

/*                                    dns  dnstcp tls http bulk udp arp icmp */
static const struct profile profiles[] = {
	{"mixed", "every kind of traffic, TCP-heavy like a LAN uplink", {300, 8, 140, 60, 60, 80, 60, 30}},
	{"dns", "mostly DNS lookups over UDP, some over TCP", {900, 40, 20, 10, 0, 0, 20, 10}},
	{"web", "TLS and HTTP connections with their DNS lookups", {300, 0, 400, 250, 0, 40, 10, 0}},
	{"arp", "ARP only: requests, replies, address changes", {0, 0, 0, 0, 0, 0, 1, 0}},
};

struct options {
	uint64_t count;
	uint64_t seed;
	const char *out;
	const char *truth;
	bool lists;
	bool pcapng;
	bool stats;
	double rate;
	uint64_t start;
	const struct profile *profile;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: nd-gencap --out FILE [options]\n"
		"Writes a deterministic capture (Ethernet) with a realistic traffic mix and,\n"
		"with --truth, its ground truth as JSON.\n\n"
		"  -o, --out FILE        capture to write (\"-\" for standard output)\n"
		"  -n, --count N         packets to write (default 100000)\n"
		"  -s, --seed N          seed (default 1); same options, same bytes\n"
		"  -t, --truth FILE      ground truth JSON to write\n"
		"      --no-truth-lists  only counts in the truth (no per-packet lists)\n"
		"  -p, --profile NAME    traffic mix (default mixed; see below)\n"
		"  -r, --rate PPS        mean packet rate of the timestamps (default 200)\n"
		"      --start SECONDS   time of the first packet, Unix epoch (default 1700000000)\n"
		"      --pcapng          write pcapng instead of pcap\n"
		"      --stats           print the generation rate on standard error\n"
		"  -h, --help            this help\n"
		"  -V, --version         print the version\n\n"
		"Profiles:\n");
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		fprintf(fp, "  %-8s %s\n", profiles[i].name, profiles[i].about);
}

static void parse(int argc, char **argv, struct options *o)
{
	enum { OPT_NO_LISTS = 256, OPT_START, OPT_PCAPNG, OPT_STATS };
	static const struct option longs[] = {
		{"out", required_argument, NULL, 'o'},
		{"count", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"truth", required_argument, NULL, 't'},
		{"no-truth-lists", no_argument, NULL, OPT_NO_LISTS},
		{"profile", required_argument, NULL, 'p'},
		{"rate", required_argument, NULL, 'r'},
		{"start", required_argument, NULL, OPT_START},
		{"pcapng", no_argument, NULL, OPT_PCAPNG},
		{"stats", no_argument, NULL, OPT_STATS},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	*o = (struct options){.count = 100000, .seed = 1, .lists = true, .rate = 200,
			      .start = 1700000000, .profile = &profiles[0]};
	while ((ch = getopt_long(argc, argv, "o:n:s:t:p:r:hV", longs, NULL)) != -1) {
		switch (ch) {
		case 'o':
			o->out = optarg;
			break;
		case 'n':
			o->count = nd_opt_u64_or_die("--count", optarg, 1, 1000000000);
			break;
		case 's':
			o->seed = nd_opt_u64_or_die("--seed", optarg, 0, UINT64_MAX);
			break;
		case 't':
			o->truth = optarg;
			break;
		case OPT_NO_LISTS:
			o->lists = false;
			break;
		case 'p':
			o->profile = NULL;
			for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
				if (strcmp(optarg, profiles[i].name) == 0)
					o->profile = &profiles[i];
			if (!o->profile)
				nd_opt_die("--profile", "unknown profile \"%s\"", optarg);
			break;
		case 'r':
			o->rate = nd_opt_double_or_die("--rate", optarg, 0.001, 1e9);
			break;
		case OPT_START:
			o->start = nd_opt_u64_or_die("--start", optarg, 0, 4000000000ULL);
			break;
		case OPT_PCAPNG:
			o->pcapng = true;
			break;
		case OPT_STATS:
			o->stats = true;
			break;
		case 'h':
			usage(stdout);
			exit(ND_EXIT_OK);
		case 'V':
			nd_opt_print_version();
			exit(ND_EXIT_OK);
		default:
			usage(stderr);
			exit(ND_EXIT_USAGE);
		}
	}
	if (optind < argc)
		nd_opt_die(argv[optind], "unexpected argument");
	if (!o->out)
		nd_opt_die("--out", "is required");
}

static enum gencap_kind pick_kind(struct gencap_rng *r, const struct profile *p)
{
	uint32_t total = 0, x;

	for (int k = 0; k < GK_COUNT; k++)
		total += p->weight[k];
	x = gencap_rng_below(r, total);
	for (int k = 0; k < GK_COUNT; k++) {
		if (x < p->weight[k])
			return (enum gencap_kind)k;
		x -= p->weight[k];
	}
	return GK_DNS_UDP;
}

static int generate(const struct options *o, struct gencap_ctx *c, struct gencap_writer *w)
{
	static struct gencap_conv convs[OPEN_CONVS];
	static struct gencap_frame f;
	/* Time in nanoseconds, integer arithmetic only: same on every machine. */
	uint64_t t = o->start * 1000000000ULL, mean_ns = (uint64_t)llround(1e9 / o->rate);

	for (int i = 0; i < OPEN_CONVS; i++)
		gencap_conv_start(c, &convs[i], pick_kind(&c->rng, o->profile));
	for (uint64_t n = 0; n < o->count; n++) {
		struct gencap_conv *v = &convs[gencap_rng_below(&c->rng, OPEN_CONVS)];
		int rc;

		c->ts_us = t / 1000;
		gencap_conv_next(c, v, &f);
		rc = gencap_writer_put(w, c->ts_us, f.buf, f.len);
		if (rc < 0)
			return rc;
		if (v->done)
			gencap_conv_start(c, v, pick_kind(&c->rng, o->profile));
		t += mean_ns * gencap_rng_exp_q16(&c->rng) >> 16;
	}
	return 0;
}

static int write_truth(const struct options *o, const struct gencap_truth *t)
{
	struct gencap_truth_meta m = {o->profile->name, o->pcapng ? "pcapng" : "pcap", o->seed, o->rate};
	FILE *fp = fopen(o->truth, "w");
	int rc;

	if (!fp) {
		nd_error("gencap", "cannot create %s: %m", o->truth);
		return -1;
	}
	rc = gencap_truth_write(t, fp, &m);
	if (fclose(fp) != 0 && rc == 0)
		rc = -1;
	if (rc < 0)
		nd_error("gencap", "cannot write the ground truth to %s", o->truth);
	return rc;
}

int main(int argc, char **argv)
{
	static struct gencap_ctx ctx;
	struct options o;
	struct gencap_writer *w;
	struct timespec t0, t1;
	int rc = ND_EXIT_FAILURE;

	nd_opt_init("nd-gencap");
	parse(argc, argv, &o);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	gencap_rng_seed(&ctx.rng, o.seed);
	gencap_rng_fill(&ctx.rng, ctx.noise, sizeof(ctx.noise));
	gencap_net_init(&ctx.net, &ctx.rng);
	ctx.truth = gencap_truth_new(o.lists && o.truth);
	if (!ctx.truth || gencap_names_init(o.seed) < 0) {
		nd_error("gencap", "out of memory");
		goto out_truth;
	}
	w = gencap_writer_open(o.out, o.pcapng);
	if (!w)
		goto out_names;
	if (generate(&o, &ctx, w) < 0) {
		nd_error("gencap", "cannot write to %s", o.out);
		gencap_writer_close(w);
		goto out_names;
	}
	if (gencap_writer_close(w) < 0) {
		nd_error("gencap", "cannot finish writing %s", o.out);
		goto out_names;
	}
	if (o.truth && write_truth(&o, ctx.truth) < 0)
		goto out_names;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o.stats) {
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		fprintf(stderr, "nd-gencap: %llu packets in %.3f s: %.0f packets/s\n",
			(unsigned long long)o.count, s, (double)o.count / s);
	}
	rc = ND_EXIT_OK;
out_names:
	gencap_names_free();
out_truth:
	gencap_truth_free(ctx.truth);
	return rc;
}
