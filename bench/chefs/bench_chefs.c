/*
 * bench_chefs.c: how long the standard chefs take per packet, through the
 * real loader and runtime.
 *
 * Builds a mix of 1024 typical frames (DNS queries, TLS ClientHellos, HTTP
 * requests, TCP data, ARP, ICMP, IPv6 UDP; distinct hosts and ports so the
 * chefs' tables see churn), dissects them all once, then times PASSES passes
 * of nd_chef_runtime_packet() over the mix, ROUNDS times, and prints the
 * median and minimum ns per packet for: the runtime with no chef
 * interested ("dispatch"), each chef alone, and every default chef
 * together (PacketInChef unlimited: rate=0, 128-byte base64).  The
 * app-layer cache is cleared before each call, so DNS/TLS/HTTP parsing is
 * paid on every pass as for a fresh packet.  Dumplings go to a sink that counts and frees them (encoding
 * and sending are the kitchen's cost, not measured here).
 * Usage: nd-chefs-bench CHEF_DIR [ROUNDS [PASSES]]
 */
#include "chef_runtime.h"
#include "frames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NPKT 1024

static struct ct_frame frames[NPKT];
static unsigned long long dumplings;

static int sink(void *user, const char *chef, enum nd_driver driver, json_t *payload)
{
	dumplings++;
	json_decref(payload);
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void build_mix(void)
{
	uint8_t app[512];
	char name[64], ip[32], req[128];

	for (int i = 0; i < NPKT; i++) {
		struct ct_frame *f = &frames[i];
		size_t n;

		snprintf(ip, sizeof(ip), "10.%d.%d.%d", (i >> 8) & 255, (i >> 4) & 15, i & 15);
		snprintf(name, sizeof(name), "host%d.example.com", i % 300);
		switch (i % 8) {
		case 0:
			n = ct_dns_message(app, sizeof(app), (uint16_t)i, name, 0);
			ct_udp(f, ip, (uint16_t)(30000 + i), "10.0.0.53", 53, app, n, 1700000000 + i / 100, 0);
			break;
		case 1:
			n = ct_tls_client_hello(app, sizeof(app), name);
			ct_tcp(f, ip, (uint16_t)(30000 + i), "93.184.216.34", 443, app, n, 1700000000 + i / 100, 0);
			break;
		case 2:
			n = (size_t)snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", name);
			ct_tcp(f, ip, (uint16_t)(30000 + i), "93.184.216.34", 80, req, n, 1700000000 + i / 100, 0);
			break;
		case 3:
			ct_arp(f, 2, "02:00:00:00:00:0a", ip, "02:00:00:00:00:0b", "10.0.0.1", 1700000000, 0);
			break;
		case 4:
			ct_icmp4(f, ip, "10.0.0.1", 1700000000, 0);
			break;
		case 5:
			ct_udp(f, "2001:db8::1", (uint16_t)(1000 + i), "2001:db8::2", 4000, "payload!", 8, 1700000000, 0);
			break;
		default:
			memset(app, 'x', 200);
			ct_tcp(f, ip, (uint16_t)(30000 + i), "10.0.0.2", 22, app, 200, 1700000000 + i / 100, 0);
			break;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Times the chefs named (n == 0: every default chef).  Prints one line. */
static void bench(const char *label, const char *dir, const char **names, size_t n,
		  const char **opts, size_t n_opts, int rounds, int passes)
{
	struct nd_chef_runtime_config cfg = {.emit = sink};
	struct nd_chef_catalog *cat = nd_chef_catalog_new();
	struct nd_chef_runtime *rt;
	double *t = calloc((size_t)rounds, sizeof(*t));
	char err[512];

	if (!cat || !t || nd_chef_catalog_add(cat, dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "nd-chefs-bench: %s\n", cat && t ? err : "out of memory");
		exit(1);
	}
	rt = nd_chef_runtime_new(cat, &cfg);
	if (!rt || nd_chef_runtime_start(rt, names, n, opts, n_opts, err, sizeof(err)) < 0) {
		fprintf(stderr, "nd-chefs-bench: %s: %s\n", label, err);
		exit(1);
	}
	dumplings = 0;
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ns();

		for (int p = 0; p < passes; p++) {
			for (int i = 0; i < NPKT; i++) {
				/* Forget the cached app-layer parse, as a new
				 * packet would, so every pass pays for it. */
				frames[i].pkt.app.tried = frames[i].pkt.app.ok = 0;
				nd_chef_runtime_packet(rt, &frames[i].pkt);
			}
		}
		t[r] = (now_ns() - t0) / ((double)passes * NPKT);
	}
	qsort(t, (size_t)rounds, sizeof(*t), cmp_double);
	printf("%-18s %8.1f ns/packet median %8.1f min  (%zu chefs, %.2f dumplings/packet)\n", label,
	       t[rounds / 2], t[0], nd_chef_runtime_count(rt),
	       (double)dumplings / ((double)rounds * passes * NPKT));
	nd_chef_runtime_free(rt);
	free(t);
}

int main(int argc, char **argv)
{
	static const char *each[] = {"PacketCountChef", "DNSLookupChef", "ARPChef",
				     "TLSSNIChef", "HTTPHostChef", "FlowChef",
				     "PacketInChef", "KitchenStatsChef"};
	const char *dispatch[] = {"KitchenStatsChef"}; /* no packet callback */
	int rounds = argc > 2 ? atoi(argv[2]) : 9;
	int passes = argc > 3 ? atoi(argv[3]) : 200;

	if (argc < 2 || rounds < 1 || passes < 1) {
		fprintf(stderr, "usage: nd-chefs-bench CHEF_DIR [ROUNDS [PASSES]]\n");
		return 2;
	}
	build_mix();
	const char *unlimited[] = {"PacketInChef.rate=0"}; /* measure every packet */

	bench("dispatch", argv[1], dispatch, 1, NULL, 0, rounds, passes);
	for (size_t i = 0; i < sizeof(each) / sizeof(each[0]); i++)
		bench(each[i], argv[1], &each[i], 1, unlimited, i == 6, rounds, passes);
	bench("all default chefs", argv[1], NULL, 0, NULL, 0, rounds, passes);
	return 0;
}
