/*
 * bench_hub.c: nd-hub-bench, a load generator for nd-hub.
 *
 * Starts nd-hub on ephemeral loopback ports, optionally attaches one
 * stalled eater (registers, then never reads), runs E checking eaters (raw
 * WebSocket over libuv TCP, raweater.c; with --lws-eaters, lws clients) and
 * then K kitchens in two child processes, and prints the hub's forwarding
 * rate, deliveries per second, hub CPU per delivery (from /proc/<pid>/stat)
 * and the hub's peak RSS (VmHWM).  Nothing here asserts performance.
 *
 * With --rate the kitchens send at that many dumplings/s each, and with
 * --duration for that long; eaters report end-to-end latency percentiles
 * (receive time minus the send time carried in each dumpling, one
 * machine's CLOCK_MONOTONIC).  The hub's RSS is sampled from /proc every
 * second while the kitchens run (first/peak/last).  --hub may name any
 * program that takes nd-hub's -a/-i/-o/--no-web and logs its ports the
 * same way, such as nd-bench-relay (relay.c), the transport's ceiling.
 *
 *   nd-hub-bench --hub build/hub/nd-hub -k 1 -e 10 -n 200000
 *   nd-hub-bench --hub build/hub/nd-hub -k 1 -e 10 --rate 20000 --duration 5
 */
#include "loadgen.h"
#include "procstat.h"

#include "log.h"
#include "opt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_HUB_ARGS 32
#define MAX_RSS_SAMPLES 3600

static pid_t spawn_hub(const char *bin, char **extra, int n_extra, const char *logpath)
{
	char *argv[MAX_HUB_ARGS + 16];
	int a = 0;
	pid_t pid;

	argv[a++] = (char *)bin;
	argv[a++] = "-a";
	argv[a++] = "127.0.0.1";
	argv[a++] = "-i";
	argv[a++] = "0";
	argv[a++] = "-o";
	argv[a++] = "0";
	argv[a++] = "--no-web";
	for (int i = 0; i < n_extra; i++)
		argv[a++] = extra[i];
	argv[a] = NULL;
	pid = fork();
	if (pid == 0) {
		FILE *f = freopen(logpath, "w", stderr);

		(void)f;
		execv(bin, argv);
		_exit(127);
	}
	return pid;
}

static int hub_ports(const char *logpath, pid_t hub, int *in, int *out)
{
	for (int tries = 0; tries < 200; tries++) {
		char line[512];
		FILE *f = fopen(logpath, "r");

		while (f && fgets(line, sizeof(line), f)) {
			char *p = strstr(line, "listening: kitchens on ws://127.0.0.1:");

			if (p && sscanf(p, "listening: kitchens on ws://127.0.0.1:%d, eaters on ws://127.0.0.1:%d",
					in, out) == 2) {
				fclose(f);
				return 0;
			}
		}
		if (f)
			fclose(f);
		if (waitpid(hub, NULL, WNOHANG) == hub)
			return -ECHILD;
		usleep(50000);
	}
	return -ETIMEDOUT;
}

/* What each eater process shares with the parent. */
struct eater_share {
	struct loadgen_hist hist;
	struct sched sched; /* the process's own, at its end */
};

static void print_sched(const char *who, struct sched a, struct sched b)
{
	unsigned long long n = b.slices - a.slices;

	if (!n)
		return;
	printf("%s_runq_wait_ms=%.1f %s_slices=%llu %s_wait_per_slice_us=%.1f\n", who,
	       (double)(b.wait_ns - a.wait_ns) / 1e6, who, n, who,
	       (double)(b.wait_ns - a.wait_ns) / 1e3 / (double)n);
}

/* Registers an eater over a raw socket with a small receive buffer and
 * returns the socket, which is then never read. */
static int stalled_eater(int port)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
				  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				  "Sec-WebSocket-Version: 13\r\n\r\n";
	static const char hello[] = "{\"eater_name\":\"stalled\"}";
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	unsigned char frame[64] = {0x81, (unsigned char)(0x80 | (sizeof(hello) - 1)), 1, 2, 3, 4};
	int fd = socket(AF_INET, SOCK_STREAM, 0), rcv = 4096;
	char c, last4[4] = {0};

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)
		goto fail;
	while (memcmp(last4, "\r\n\r\n", 4) != 0) { /* the 101 reply, byte by byte */
		if (read(fd, &c, 1) != 1)
			goto fail;
		memmove(last4, last4 + 1, 3);
		last4[3] = c;
	}
	for (size_t i = 0; i < sizeof(hello) - 1; i++)
		frame[6 + i] = (unsigned char)(hello[i] ^ frame[2 + i % 4]);
	if (write(fd, frame, 6 + sizeof(hello) - 1) != (ssize_t)(6 + sizeof(hello) - 1))
		goto fail;
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int ready_fd = -1;

static void eaters_ready(void *arg)
{
	(void)arg;
	if (write(ready_fd, "R", 1) != 1)
		_exit(1);
}

int main(int argc, char **argv)
{
	struct loadgen_conf c = {.host = "127.0.0.1", .kitchens = 1, .eaters = 1,
				 .per_kitchen = 100000, .size = 300, .idle_ms = 5000};
	static const struct option opts[] = {
		{"hub", required_argument, NULL, 'H'}, {"kitchens", required_argument, NULL, 'k'},
		{"eaters", required_argument, NULL, 'e'}, {"count", required_argument, NULL, 'n'},
		{"size", required_argument, NULL, 's'}, {"stalled", no_argument, NULL, 'S'},
		{"hub-arg", required_argument, NULL, 'A'}, {"help", no_argument, NULL, 'h'},
		{"eater-procs", required_argument, NULL, 'P'},
		{"rate", required_argument, NULL, 'r'}, {"duration", required_argument, NULL, 'd'},
		{"lws-eaters", no_argument, NULL, 'L'},
		{NULL, 0, NULL, 0}};
	const char *hub_bin = NULL;
	char *hub_args[MAX_HUB_ARGS], logpath[] = "/tmp/nd-hub-bench-XXXXXX";
	int n_hub_args = 0, stalled = 0, sfd = -1, pfd[2], rfd[2], kfd[2], o, lfd, got = 0;
	unsigned procs = 2, n_rss = 0;
	struct loadgen_result r = {0}, part;
	struct eater_share *shares;
	struct loadgen_hist lat;
	struct sched hs0, hs1, es = {0, 0, 0}, zero = {0, 0, 0};
	pid_t hub, eaters[64], kitchens;
	double cpu0, cpu1, secs, duration = 0;
	uint64_t sent = 0, next_sample;
	long rss[MAX_RSS_SAMPLES], rss_peak = 0;
	bool count_given = false, lws_eaters = false;
	char ch;

	nd_opt_init("nd-hub-bench");
	while ((o = getopt_long(argc, argv, "H:k:e:n:s:SA:P:r:d:Lh", opts, NULL)) != -1) {
		switch (o) {
		case 'H': hub_bin = optarg; break;
		case 'k': c.kitchens = (unsigned)nd_opt_u64_or_die("--kitchens", optarg, 1, 64); break;
		case 'e': c.eaters = (unsigned)nd_opt_u64_or_die("--eaters", optarg, 1, 200); break;
		case 'n':
			c.per_kitchen = nd_opt_u64_or_die("--count", optarg, 1, 1ull << 40);
			count_given = true;
			break;
		case 'r': c.rate = nd_opt_u64_or_die("--rate", optarg, 1, 100000000); break;
		case 'L': lws_eaters = true; break;
		case 'd': duration = nd_opt_double_or_die("--duration", optarg, 0.1, 3600); break;
		case 's': c.size = (unsigned)nd_opt_u64_or_die("--size", optarg, 200, 4000); break;
		case 'S': stalled = 1; break;
		case 'P': procs = (unsigned)nd_opt_u64_or_die("--eater-procs", optarg, 1, 64); break;
		case 'A':
			if (n_hub_args >= MAX_HUB_ARGS)
				nd_opt_die("--hub-arg", "too many");
			hub_args[n_hub_args++] = optarg;
			break;
		case 'h':
			printf("Usage: nd-hub-bench --hub PATH [-k KITCHENS] [-e EATERS] [-n PER_KITCHEN]\n"
			       "                    [-s SIZE] [-P EATER_PROCS] [--stalled] [--hub-arg ARG]...\n"
			       "                    [--rate PER_KITCHEN_PER_S] [--duration SECONDS] [--lws-eaters]\n");
			return 0;
		default: return ND_EXIT_USAGE;
		}
	}
	if (!hub_bin)
		nd_opt_die("--hub", "the path of nd-hub is required");
	if (duration > 0) {
		c.duration_ms = (unsigned)(duration * 1000);
		if (!count_given)
			c.per_kitchen = 1ull << 40;
		c.idle_ms = stalled ? 2000 : 700; /* a stalled eater may pause kitchens 1 s */
	}
	if (c.rate)
		c.warmup_seq = c.rate / 2; /* the first half second: connections settle */
	lfd = mkstemp(logpath);
	if (lfd < 0)
		return 1;
	close(lfd);
	hub = spawn_hub(hub_bin, hub_args, n_hub_args, logpath);
	if (hub < 0 || hub_ports(logpath, hub, &c.in_port, &c.out_port)) {
		fprintf(stderr, "nd-hub-bench: nd-hub did not start; see %s\n", logpath);
		return 1;
	}
	if (stalled && (sfd = stalled_eater(c.out_port)) < 0)
		fprintf(stderr, "nd-hub-bench: cannot attach the stalled eater\n");
	if (pipe(pfd) || pipe(rfd) || pipe(kfd))
		return 1;
	if (procs > c.eaters)
		procs = c.eaters;
	shares = mmap(NULL, procs * sizeof(*shares), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shares == MAP_FAILED)
		return 1;
	/* Eaters spread over procs processes, each reporting one result. */
	for (unsigned i = 0, first = 0; i < procs; i++) {
		struct loadgen_conf pc = c;

		pc.eaters = c.eaters / procs + (i < c.eaters % procs);
		pc.first_eater = first;
		pc.hist = &shares[i].hist;
		first += pc.eaters;
		eaters[i] = fork();
		if (eaters[i] == 0) {
			ready_fd = rfd[1];
			int rc = lws_eaters ? loadgen_eaters(&pc, &part, eaters_ready, NULL)
					    : loadgen_raw_eaters(&pc, &part, eaters_ready, NULL);

			shares[i].sched = procstat_sched(getpid());
			_exit(rc || write(pfd[1], &part, sizeof(part)) != sizeof(part));
		}
	}
	close(rfd[1]); /* so that the reads below see the end when every eater is gone */
	close(pfd[1]);
	for (unsigned i = 0; i < procs; i++) {
		if (read(rfd[0], &ch, 1) != 1) {
			fprintf(stderr, "nd-hub-bench: eaters failed to connect\n");
			kill(hub, SIGTERM);
			return 1;
		}
	}
	usleep(300000); /* let the hub register the last hellos */
	cpu0 = procstat_cpu(hub);
	hs0 = procstat_sched(hub);
	kitchens = fork();
	if (kitchens == 0) {
		int rc = loadgen_kitchens_count(&c, &sent);

		_exit(rc || write(kfd[1], &sent, sizeof(sent)) != sizeof(sent));
	}
	close(kfd[1]);
	next_sample = loadgen_now_ns() + 1000000000ull;
	for (unsigned i = 0; i < procs;) {
		struct pollfd pf = {.fd = pfd[0], .events = POLLIN};
		uint64_t now = loadgen_now_ns();
		int wait_ms = now >= next_sample ? 0 : (int)((next_sample - now) / 1000000) + 1;

		if (poll(&pf, 1, wait_ms) < 0 && errno != EINTR)
			break;
		if (loadgen_now_ns() >= next_sample) { /* the hub's RSS, once a second */
			long kb = procstat_status_kb(hub, "VmRSS:");

			if (n_rss < MAX_RSS_SAMPLES && kb > 0)
				rss[n_rss++] = kb;
			if (kb > rss_peak)
				rss_peak = kb;
			next_sample += 1000000000ull;
		}
		if (!(pf.revents & (POLLIN | POLLHUP)))
			continue;
		i++;
		if (read(pfd[0], &part, sizeof(part)) != sizeof(part)) {
			fprintf(stderr, "nd-hub-bench: no result from an eater process\n");
			continue;
		}
		r.deliveries += part.deliveries;
		r.gaps += part.gaps;
		r.out_of_order += part.out_of_order;
		r.complete += part.complete;
		r.bytes += part.bytes;
		if (part.first_ns && (!r.first_ns || part.first_ns < r.first_ns))
			r.first_ns = part.first_ns;
		if (part.last_ns > r.last_ns)
			r.last_ns = part.last_ns;
	}
	cpu1 = procstat_cpu(hub);
	hs1 = procstat_sched(hub);
	long hwm = procstat_status_kb(hub, "VmHWM:"), rss_end = procstat_status_kb(hub, "VmRSS:");
	for (unsigned i = 0; i < procs; i++)
		waitpid(eaters[i], NULL, 0);
	got = read(kfd[0], &sent, sizeof(sent)) == sizeof(sent);
	waitpid(kitchens, NULL, 0);
	memset(&lat, 0, sizeof(lat));
	for (unsigned i = 0; i < procs; i++) {
		loadgen_hist_merge(&lat, &shares[i].hist);
		es.run_ns += shares[i].sched.run_ns;
		es.wait_ns += shares[i].sched.wait_ns;
		es.slices += shares[i].sched.slices;
	}
	munmap(shares, procs * sizeof(*shares));
	if (c.duration_ms && got && r.deliveries == sent * c.eaters && !r.gaps && !r.out_of_order)
		r.complete = c.eaters; /* eaters cannot know the count; the totals agree */
	kill(hub, SIGTERM);
	waitpid(hub, NULL, 0);
	if (sfd >= 0)
		close(sfd);
	secs = r.last_ns > r.first_ns ? (double)(r.last_ns - r.first_ns) / 1e9 : 0;
	printf("kitchens=%u eaters=%u%s per_kitchen=%llu size~%u rate=%llu duration=%.1f\n",
	       c.kitchens, c.eaters, stalled ? " (+1 stalled)" : "",
	       (unsigned long long)(c.duration_ms ? sent / c.kitchens : c.per_kitchen), c.size,
	       (unsigned long long)c.rate, duration);
	printf("sent=%llu eaters_client=%s\n", (unsigned long long)sent, lws_eaters ? "lws" : "raw");
	printf("complete_eaters=%u/%u deliveries=%llu gaps=%llu out_of_order=%llu\n", r.complete,
	       c.eaters, (unsigned long long)r.deliveries, (unsigned long long)r.gaps,
	       (unsigned long long)r.out_of_order);
	if (secs > 0) {
		printf("elapsed=%.3f s dumplings/s=%.0f deliveries/s=%.0f MB/s out=%.1f\n", secs,
		       (double)r.deliveries / c.eaters / secs, (double)r.deliveries / secs,
		       (double)r.bytes / secs / 1e6);
		printf("hub_cpu=%.3f s hub_cpu_per_delivery=%.3f us\n", cpu1 - cpu0,
		       r.deliveries ? (cpu1 - cpu0) * 1e6 / (double)r.deliveries : 0);
	}
	if (lat.n)
		printf("lat_n=%llu lat_p50_us=%.1f lat_p99_us=%.1f lat_p999_us=%.1f lat_max_us=%.1f "
		       "lat_mean_us=%.1f\n",
		       (unsigned long long)lat.n, loadgen_hist_quantile_us(&lat, 0.5),
		       loadgen_hist_quantile_us(&lat, 0.99), loadgen_hist_quantile_us(&lat, 0.999),
		       (double)lat.max_ns / 1e3, (double)lat.sum_ns / (double)lat.n / 1e3);
	print_sched("hub", hs0, hs1);
	print_sched("eaters", zero, es);
	printf("eaters_cpu_ms=%.1f\n", (double)es.run_ns / 1e6);
	printf("hub_peak_rss=%ld kB hub_rss_at_end=%ld kB\n", hwm, rss_end);
	if (n_rss) {
		printf("rss_samples=%u rss_first_kb=%ld rss_peak_kb=%ld rss_last_kb=%ld rss_series_kb=",
		       n_rss, rss[0], rss_peak, rss[n_rss - 1]);
		for (unsigned i = 0; i < n_rss; i++)
			printf("%s%ld", i ? "," : "", rss[i]);
		printf("\n");
	}
	if (r.complete == c.eaters) {
		unlink(logpath);
		return 0;
	}
	printf("hub log: %s\n", logpath);
	return 3;
}
