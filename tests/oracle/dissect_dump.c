/*
 * dissect_dump.c: prints what our dissector finds in a capture file, one
 * tab-separated line per packet, for the tshark comparison in oracle.py.
 *
 * Columns: frame number, layers (short names joined by ':'), flags (hex),
 * ARP "op,sha,spa,tha,tpa", IP src, IP dst, sport, dport, DNS question
 * names (joined by ','), TLS SNI, HTTP method, HTTP Host, VLAN ids (','),
 * scapy layer names (joined by '|'), DNS answer owner names (',').  Empty
 * columns when absent.
 */
#include <pcap/pcap.h>
#include <stdio.h>

#include "addrfmt.h"
#include "packet.h"

static void print_slice(struct nd_slice s)
{
	char buf[1100];

	if (s.len && nd_slice_escape(s, buf, sizeof(buf)) >= 0)
		fputs(buf, stdout);
}

static void print_packet(unsigned long n, const struct nd_packet *p)
{
	char a[ND_IP_TEXT_MAX], b[ND_IP_TEXT_MAX], c[ND_MAC_TEXT_MAX],
		d[ND_MAC_TEXT_MAX];
	const struct nd_dns *dns;
	const struct nd_http_req *http;

	printf("%lu\t", n);
	for (unsigned i = 0; i < p->nlayers; i++)
		printf("%s%s", i ? ":" : "", nd_layer_name(p->layer[i].id));
	printf("\t%x\t", (unsigned)p->flags);
	if (nd_packet_has(p, ND_LAYER_ARP) && p->arp.is_eth_ipv4) {
		nd_fmt_mac(p->arp.sha, c, sizeof(c));
		nd_fmt_mac(p->arp.tha, d, sizeof(d));
		nd_fmt_ipv4(p->arp.spa, a, sizeof(a));
		nd_fmt_ipv4(p->arp.tpa, b, sizeof(b));
		printf("%u,%s,%s,%s,%s", p->arp.op, c, a, d, b);
	}
	putchar('\t');
	if (p->ip.version) {
		nd_fmt_ip(p->ip.version, p->ip.src, a, sizeof(a));
		nd_fmt_ip(p->ip.version, p->ip.dst, b, sizeof(b));
		printf("%s\t%s\t", a, b);
	} else {
		printf("\t\t");
	}
	if (nd_packet_has(p, ND_LAYER_TCP) || nd_packet_has(p, ND_LAYER_UDP))
		printf("%u\t%u\t", p->sport, p->dport);
	else
		printf("\t\t");
	dns = nd_packet_dns(p);
	for (unsigned i = 0; dns && i < dns->nquestions; i++) {
		char name[ND_DNS_NAME_TEXT_MAX];

		if (nd_dns_qname(dns, i, name, sizeof(name)) >= 0)
			printf("%s%s", i ? "," : "", name);
	}
	putchar('\t');
	print_slice(nd_packet_tls_sni(p));
	putchar('\t');
	http = nd_packet_http(p);
	if (http) {
		print_slice(http->method);
		putchar('\t');
		if (http->has_host)
			print_slice(http->host);
	} else {
		putchar('\t');
	}
	putchar('\t');
	for (unsigned i = 0; i < p->vlan.count; i++)
		printf("%s%u", i ? "," : "", p->vlan.tci[i] & 0xfff);
	putchar('\t');
	for (unsigned i = 0; i < p->nlayers; i++)
		printf("%s%s", i ? "|" : "", nd_packet_layer_name(p, i));
	putchar('\t');
	for (unsigned i = 0; dns && i < dns->nanswers; i++) {
		char name[ND_DNS_NAME_TEXT_MAX];

		if (nd_dns_name_text(dns, dns->answer[i].name_off, name,
				     sizeof(name)) >= 0)
			printf("%s%s", i ? "," : "", name);
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	struct nd_packet p;
	unsigned long n = 0;
	pcap_t *pc;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.pcap\n", argv[0]);
		return 2;
	}
	pc = pcap_open_offline(argv[1], err);
	if (!pc) {
		fprintf(stderr, "dissect_dump: %s\n", err);
		return 1;
	}
	nd_packet_init(&p);
	while ((rc = pcap_next_ex(pc, &h, &bytes)) == 1) {
		nd_packet_dissect(&p, pcap_datalink(pc), h, bytes);
		print_packet(++n, &p);
	}
	pcap_close(pc);
	return rc == PCAP_ERROR ? 1 : 0;
}
