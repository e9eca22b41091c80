/*
 * pcapcount.c: nd-pcapcount, the ceiling of capture.  Reads a capture file
 * (or captures live on an interface) with libpcap and counts packets and
 * captured bytes, doing nothing else with them, so that any program reading
 * the same file or interface through libpcap is at best this fast and
 * drops at least as little.
 *
 * Usage:
 *   nd-pcapcount FILE
 *       prints "<packets> packets <bytes> bytes"
 *   nd-pcapcount -i IFACE [-B BYTES]
 *       captures (promiscuous, snaplen 262144, libpcap's default buffer
 *       unless -B) until SIGINT or SIGTERM; prints "listening on IFACE" on
 *       stderr once capturing, then on stdout
 *       "<packets> packets <bytes> bytes recv=<n> drop=<n> ifdrop=<n>"
 *       from pcap_stats.
 * Exit status: 0, 1 when the file or interface cannot be read, 2 on a bad
 * command line.
 */
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
	unsigned long long packets;
	unsigned long long bytes;
};

static pcap_t *live;

static void count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct tally *t = (struct tally *)(void *)user;

	(void)data;
	t->packets++;
	t->bytes += h->caplen;
}

static void on_signal(int sig)
{
	(void)sig;
	if (live)
		pcap_breakloop(live); /* async-signal-safe: sets a flag */
}

static int usage(void)
{
	fprintf(stderr, "Usage: nd-pcapcount FILE | nd-pcapcount -i IFACE [-B BYTES]\n");
	return 2;
}

static int read_file(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct tally t = {0, 0};
	pcap_t *p = pcap_open_offline(path, err);
	int rc;

	if (!p) {
		fprintf(stderr, "nd-pcapcount: %s\n", err);
		return 1;
	}
	rc = pcap_loop(p, -1, count, (u_char *)&t);
	if (rc == PCAP_ERROR)
		fprintf(stderr, "nd-pcapcount: %s: %s\n", path, pcap_geterr(p));
	pcap_close(p);
	printf("%llu packets %llu bytes\n", t.packets, t.bytes);
	return rc == PCAP_ERROR ? 1 : 0;
}

static int capture(const char *iface, long buffer)
{
	char err[PCAP_ERRBUF_SIZE];
	struct tally t = {0, 0};
	struct pcap_stat st = {0};
	struct sigaction sa;
	int rc;

	live = pcap_create(iface, err);
	if (!live) {
		fprintf(stderr, "nd-pcapcount: %s\n", err);
		return 1;
	}
	pcap_set_snaplen(live, 262144);
	pcap_set_promisc(live, 1);
	pcap_set_timeout(live, 100);
	if (buffer > 0)
		pcap_set_buffer_size(live, (int)buffer);
	rc = pcap_activate(live);
	if (rc < 0) {
		fprintf(stderr, "nd-pcapcount: %s: %s\n", iface, pcap_geterr(live));
		pcap_close(live);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "listening on %s\n", iface);
	rc = pcap_loop(live, -1, count, (u_char *)&t);
	if (rc == PCAP_ERROR)
		fprintf(stderr, "nd-pcapcount: %s: %s\n", iface, pcap_geterr(live));
	pcap_stats(live, &st);
	pcap_close(live);
	printf("%llu packets %llu bytes recv=%u drop=%u ifdrop=%u\n", t.packets, t.bytes,
	       st.ps_recv, st.ps_drop, st.ps_ifdrop);
	return rc == PCAP_ERROR ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && argv[1][0] != '-')
		return read_file(argv[1]);
	if (argc == 3 && strcmp(argv[1], "-i") == 0)
		return capture(argv[2], 0);
	if (argc == 5 && strcmp(argv[1], "-i") == 0 && strcmp(argv[3], "-B") == 0)
		return capture(argv[2], strtol(argv[4], NULL, 10));
	return usage();
}
