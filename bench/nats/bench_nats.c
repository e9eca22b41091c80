/*
 * bench_nats.c: nd-nats-bench, dumplings per second from kitchens on one
 * hub to eaters on another (or the same) hub, for hubs already running.
 *
 * Runs E checking eaters on --out-port, then K kitchens on --in-port (the
 * load generator of bench/hub, loadgen.h), and prints the rate at which
 * eaters received dumplings complete and in order, and, given --pid, the
 * CPU each hub process used per dumpling.  bench/nats/run.sh starts NATS
 * and the hubs and runs it for the single-hub and the hub-to-hub paths.
 * Nothing here asserts performance.
 */
#include "loadgen.h"
#include "procstat.h"

#include "opt.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PIDS 4

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
		{"in-port", required_argument, NULL, 'i'}, {"out-port", required_argument, NULL, 'o'},
		{"kitchens", required_argument, NULL, 'k'}, {"eaters", required_argument, NULL, 'e'},
		{"count", required_argument, NULL, 'n'}, {"size", required_argument, NULL, 's'},
		{"pid", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	pid_t pids[MAX_PIDS], eaters, kitchens;
	double cpu0[MAX_PIDS], cpu1[MAX_PIDS], secs;
	struct loadgen_result r = {0};
	int n_pids = 0, pfd[2], rfd[2], o;
	char ch;

	nd_opt_init("nd-nats-bench");
	while ((o = getopt_long(argc, argv, "i:o:k:e:n:s:p:h", opts, NULL)) != -1) {
		switch (o) {
		case 'i': c.in_port = nd_opt_port_or_die("--in-port", optarg, 0); break;
		case 'o': c.out_port = nd_opt_port_or_die("--out-port", optarg, 0); break;
		case 'k': c.kitchens = (unsigned)nd_opt_u64_or_die("--kitchens", optarg, 1, 64); break;
		case 'e': c.eaters = (unsigned)nd_opt_u64_or_die("--eaters", optarg, 1, 200); break;
		case 'n': c.per_kitchen = nd_opt_u64_or_die("--count", optarg, 1, 1ull << 40); break;
		case 's': c.size = (unsigned)nd_opt_u64_or_die("--size", optarg, 200, 4000); break;
		case 'p':
			if (n_pids == MAX_PIDS)
				nd_opt_die("--pid", "at most %d", MAX_PIDS);
			pids[n_pids++] = (pid_t)nd_opt_u64_or_die("--pid", optarg, 1, 1u << 30);
			break;
		case 'h':
			printf("Usage: nd-nats-bench --in-port P --out-port Q [-k KITCHENS] [-e EATERS]\n"
			       "                     [-n PER_KITCHEN] [-s SIZE] [--pid HUB_PID]...\n");
			return 0;
		default: return ND_EXIT_USAGE;
		}
	}
	if (!c.in_port || !c.out_port)
		nd_opt_die("--in-port", "--in-port and --out-port are required");
	if (pipe(pfd) || pipe(rfd))
		return 1;
	eaters = fork();
	if (eaters == 0) {
		ready_fd = rfd[1];
		int rc = loadgen_eaters(&c, &r, eaters_ready, NULL);

		_exit(rc || write(pfd[1], &r, sizeof(r)) != sizeof(r));
	}
	if (read(rfd[0], &ch, 1) != 1) {
		fprintf(stderr, "nd-nats-bench: eaters failed to connect\n");
		return 1;
	}
	usleep(300000);
	for (int i = 0; i < n_pids; i++)
		cpu0[i] = procstat_cpu(pids[i]);
	kitchens = fork();
	if (kitchens == 0)
		_exit(loadgen_kitchens(&c) ? 1 : 0);
	if (read(pfd[0], &r, sizeof(r)) != sizeof(r)) {
		fprintf(stderr, "nd-nats-bench: no result from the eaters\n");
		kill(kitchens, SIGTERM);
		return 1;
	}
	for (int i = 0; i < n_pids; i++)
		cpu1[i] = procstat_cpu(pids[i]);
	waitpid(eaters, NULL, 0);
	waitpid(kitchens, NULL, 0);
	secs = r.last_ns > r.first_ns ? (double)(r.last_ns - r.first_ns) / 1e9 : 0;
	printf("kitchens=%u eaters=%u per_kitchen=%llu size~%u\n", c.kitchens, c.eaters,
	       (unsigned long long)c.per_kitchen, c.size);
	printf("complete_eaters=%u/%u deliveries=%llu gaps=%llu out_of_order=%llu\n", r.complete,
	       c.eaters, (unsigned long long)r.deliveries, (unsigned long long)r.gaps,
	       (unsigned long long)r.out_of_order);
	if (secs > 0)
		printf("elapsed=%.3f s dumplings/s=%.0f deliveries/s=%.0f\n", secs,
		       (double)r.deliveries / c.eaters / secs, (double)r.deliveries / secs);
	for (int i = 0; i < n_pids; i++)
		printf("pid %d cpu=%.3f s (%.2f us per dumpling)\n", (int)pids[i], cpu1[i] - cpu0[i],
		       r.deliveries ? (cpu1[i] - cpu0[i]) * 1e6 * c.eaters / (double)r.deliveries : 0);
	return r.complete == c.eaters ? 0 : 3;
}
