/*
 * pcapcount.c: nd-pcapcount, the ceiling of offline reading.  Opens a
 * capture with libpcap and counts its packets and captured bytes, doing
 * nothing else with them, so that any reader of the same file through
 * libpcap is at best this fast.
 *
 * Usage: nd-pcapcount FILE   prints "<packets> packets <bytes> bytes".
 * Exit status: 0, 1 when the file cannot be read, 2 on a bad command line.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

struct tally {
	unsigned long long packets;
	unsigned long long bytes;
};

static void count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct tally *t = (struct tally *)(void *)user;

	(void)data;
	t->packets++;
	t->bytes += h->caplen;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct tally t = {0, 0};
	pcap_t *p;
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "Usage: nd-pcapcount FILE\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "nd-pcapcount: %s\n", err);
		return 1;
	}
	rc = pcap_loop(p, -1, count, (u_char *)&t);
	if (rc == PCAP_ERROR)
		fprintf(stderr, "nd-pcapcount: %s: %s\n", argv[1], pcap_geterr(p));
	pcap_close(p);
	printf("%llu packets %llu bytes\n", t.packets, t.bytes);
	return rc == PCAP_ERROR ? 1 : 0;
}
