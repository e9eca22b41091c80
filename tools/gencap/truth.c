/*
 * truth.c: ground-truth bookkeeping and its JSON writer (see truth.h).
 * Lists hold pool indexes and raw addresses, not strings, so ten million
 * packets stay cheap; they are expanded when the document is written.
 */
#include "truth.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

struct ev_dns {
	uint64_t frame, ts;
	uint32_t name;
	uint16_t qtype, ancount;
	uint8_t qr, rcode, tcp;
};

struct ev_arp {
	uint64_t frame, ts;
	uint16_t op;
	uint8_t sha[6], spa[4], tha[6], tpa[4];
	uint8_t note; /* 0 none, 1 new, 2 new IP address */
};

struct ev_name {
	uint64_t frame, ts;
	int64_t name;
	uint16_t port;
};

#define ARP_SLOTS 4096 /* IPv4 -> MAC, open addressing; LAN-sized */

struct gencap_truth {
	bool lists;
	bool oom;
	uint64_t packets, bytes, first_ts, last_ts;
	uint64_t layers[GL_COUNT];
	uint64_t dns_q, dns_r, dns_tcp, arp_req, arp_rep, hellos, hellos_nosni, http, tcp_conns;
	struct ev_dns *dns;
	size_t ndns, capdns;
	struct ev_arp *arp;
	size_t narp, caparp;
	struct ev_name *sni;
	size_t nsni, capsni;
	struct ev_name *host;
	size_t nhost, caphost;
	/* ARPChef's ip_mac map, to compute notes */
	uint32_t arp_ip[ARP_SLOTS];
	uint8_t arp_mac[ARP_SLOTS][6];
	bool arp_used[ARP_SLOTS];
};

struct gencap_truth *gencap_truth_new(bool lists)
{
	struct gencap_truth *t = calloc(1, sizeof(*t));

	if (t)
		t->lists = lists;
	return t;
}

void gencap_truth_free(struct gencap_truth *t)
{
	if (!t)
		return;
	free(t->dns);
	free(t->arp);
	free(t->sni);
	free(t->host);
	free(t);
}

/* Returns array v (n elements of size sz, capacity *cap) with room for one
 * more, reallocated if needed; NULL and t->oom on ENOMEM (v stays valid). */
static void *room(struct gencap_truth *t, void *v, size_t n, size_t *cap, size_t sz)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 1024;
	nv = realloc(v, ncap * sz);
	if (!nv) {
		t->oom = true;
		return NULL;
	}
	*cap = ncap;
	return nv;
}

void gencap_truth_packet(struct gencap_truth *t, const struct gencap_frame *f, uint64_t ts_us)
{
	if (t->packets == 0)
		t->first_ts = ts_us;
	t->last_ts = ts_us;
	t->packets++;
	t->bytes += f->len;
	for (unsigned i = 0; i < f->nlayers; i++)
		t->layers[f->layers[i]]++;
}

void gencap_truth_dns(struct gencap_truth *t, uint32_t name, int qr, uint16_t qtype,
		      uint16_t ancount, uint8_t rcode, bool tcp)
{
	struct ev_dns *e;
	void *nv;

	if (qr)
		t->dns_r++;
	else
		t->dns_q++;
	t->dns_tcp += tcp;
	if (!t->lists)
		return;
	nv = room(t, t->dns, t->ndns, &t->capdns, sizeof(*t->dns));
	if (!nv)
		return;
	t->dns = nv;
	e = &t->dns[t->ndns++];
	*e = (struct ev_dns){t->packets, t->last_ts, name, qtype, ancount, (uint8_t)qr, rcode, tcp};
}

static size_t arp_slot(const struct gencap_truth *t, uint32_t ip)
{
	size_t i = (ip * 2654435761u) % ARP_SLOTS;

	for (size_t k = 0; k < ARP_SLOTS; k++, i = (i + 1) % ARP_SLOTS)
		if (!t->arp_used[i] || t->arp_ip[i] == ip)
			return i;
	return ARP_SLOTS;
}

/* ARPChef: on a reply, "source device is new" when the sender IP was never
 * seen in a reply, "source device has new IP address" when it was seen with
 * another MAC; then it remembers IP -> MAC.  Requests carry no note. */
static uint8_t arp_note(struct gencap_truth *t, uint16_t op, const uint8_t sha[6],
			const uint8_t spa[4])
{
	uint32_t ip = (uint32_t)spa[0] << 24 | (uint32_t)spa[1] << 16 | (uint32_t)spa[2] << 8 | spa[3];
	size_t s;
	uint8_t note = 0;

	if (op != 2)
		return 0;
	s = arp_slot(t, ip);
	if (s == ARP_SLOTS)
		return 0; /* cannot happen with a LAN-sized address space */
	if (!t->arp_used[s])
		note = 1;
	else if (memcmp(t->arp_mac[s], sha, 6) != 0)
		note = 2;
	t->arp_used[s] = true;
	t->arp_ip[s] = ip;
	memcpy(t->arp_mac[s], sha, 6);
	return note;
}

void gencap_truth_arp(struct gencap_truth *t, uint16_t op, const uint8_t sha[6],
		      const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4])
{
	uint8_t note = arp_note(t, op, sha, spa);
	struct ev_arp *e;
	void *nv;

	if (op == 1)
		t->arp_req++;
	else
		t->arp_rep++;
	if (!t->lists)
		return;
	nv = room(t, t->arp, t->narp, &t->caparp, sizeof(*t->arp));
	if (!nv)
		return;
	t->arp = nv;
	e = &t->arp[t->narp++];
	e->frame = t->packets;
	e->ts = t->last_ts;
	e->op = op;
	memcpy(e->sha, sha, 6);
	memcpy(e->spa, spa, 4);
	memcpy(e->tha, tha, 6);
	memcpy(e->tpa, tpa, 4);
	e->note = note;
}

void gencap_truth_sni(struct gencap_truth *t, int64_t name)
{
	struct ev_name *e;
	void *nv;

	t->hellos++;
	if (name < 0) {
		t->hellos_nosni++;
		return;
	}
	if (!t->lists)
		return;
	nv = room(t, t->sni, t->nsni, &t->capsni, sizeof(*t->sni));
	if (!nv)
		return;
	t->sni = nv;
	e = &t->sni[t->nsni++];
	*e = (struct ev_name){t->packets, t->last_ts, name, 0};
}

void gencap_truth_http(struct gencap_truth *t, uint32_t name, uint16_t port)
{
	struct ev_name *e;
	void *nv;

	t->http++;
	if (!t->lists)
		return;
	nv = room(t, t->host, t->nhost, &t->caphost, sizeof(*t->host));
	if (!nv)
		return;
	t->host = nv;
	e = &t->host[t->nhost++];
	*e = (struct ev_name){t->packets, t->last_ts, name, port};
}

void gencap_truth_tcp_open(struct gencap_truth *t)
{
	t->tcp_conns++;
}

static void put_str(FILE *fp, const char *s, size_t n)
{
	fputc('"', fp);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static void put_name(FILE *fp, uint32_t name)
{
	put_str(fp, gencap_names_get(name), gencap_names_len(name));
}

static void put_lower_name(FILE *fp, uint32_t name)
{
	put_str(fp, gencap_names_lower(name), gencap_names_len(name));
}

static void put_ts(FILE *fp, uint64_t ts)
{
	fprintf(fp, "%llu.%06llu", (unsigned long long)(ts / 1000000),
		(unsigned long long)(ts % 1000000));
}

static void put_mac(FILE *fp, const uint8_t m[6])
{
	fprintf(fp, "\"%02x:%02x:%02x:%02x:%02x:%02x\"", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void put_ip(FILE *fp, const uint8_t a[4])
{
	fprintf(fp, "\"%u.%u.%u.%u\"", a[0], a[1], a[2], a[3]);
}

static void write_counts(const struct gencap_truth *t, FILE *fp)
{
	bool first = true;

	fprintf(fp, "  \"layers\": {");
	for (int l = 0; l < GL_COUNT; l++) {
		if (!t->layers[l])
			continue;
		fprintf(fp, "%s\n    \"%s\": %llu", first ? "" : ",", gencap_layer_name(l),
			(unsigned long long)t->layers[l]);
		first = false;
	}
	fprintf(fp, "\n  },\n  \"counts\": {\n");
	fprintf(fp, "    \"dns_queries\": %llu,\n    \"dns_responses\": %llu,\n"
		    "    \"dns_over_tcp\": %llu,\n    \"arp_requests\": %llu,\n"
		    "    \"arp_replies\": %llu,\n    \"tls_client_hellos\": %llu,\n"
		    "    \"tls_client_hellos_without_sni\": %llu,\n    \"http_requests\": %llu,\n"
		    "    \"tcp_connections\": %llu\n  }",
		(unsigned long long)t->dns_q, (unsigned long long)t->dns_r,
		(unsigned long long)t->dns_tcp, (unsigned long long)t->arp_req,
		(unsigned long long)t->arp_rep, (unsigned long long)t->hellos,
		(unsigned long long)t->hellos_nosni, (unsigned long long)t->http,
		(unsigned long long)t->tcp_conns);
}

static void write_lists(const struct gencap_truth *t, FILE *fp)
{
	static const char *const notes[] = {"null", "\"source device is new\"",
					    "\"source device has new IP address\""};

	fprintf(fp, ",\n  \"dns\": [");
	for (size_t i = 0; i < t->ndns; i++) {
		const struct ev_dns *e = &t->dns[i];

		fprintf(fp, "%s\n    {\"frame\": %llu, \"ts\": ", i ? "," : "",
			(unsigned long long)e->frame);
		put_ts(fp, e->ts);
		fprintf(fp, ", \"qname\": ");
		put_name(fp, e->name);
		fprintf(fp, ", \"qr\": %u, \"qtype\": %u, \"rcode\": %u, \"ancount\": %u, "
			    "\"transport\": \"%s\"}",
			e->qr, e->qtype, e->rcode, e->ancount, e->tcp ? "tcp" : "udp");
	}
	fprintf(fp, "\n  ],\n  \"arp\": [");
	for (size_t i = 0; i < t->narp; i++) {
		const struct ev_arp *e = &t->arp[i];

		fprintf(fp, "%s\n    {\"frame\": %llu, \"ts\": ", i ? "," : "",
			(unsigned long long)e->frame);
		put_ts(fp, e->ts);
		fprintf(fp, ", \"op\": %u, \"src_hw\": ", e->op);
		put_mac(fp, e->sha);
		fprintf(fp, ", \"src_ip\": ");
		put_ip(fp, e->spa);
		fprintf(fp, ", \"dst_hw\": ");
		put_mac(fp, e->tha);
		fprintf(fp, ", \"dst_ip\": ");
		put_ip(fp, e->tpa);
		fprintf(fp, ", \"note\": %s}", notes[e->note]);
	}
	fprintf(fp, "\n  ],\n  \"tls_sni\": [");
	for (size_t i = 0; i < t->nsni; i++) {
		fprintf(fp, "%s\n    {\"frame\": %llu, \"sni\": ", i ? "," : "",
			(unsigned long long)t->sni[i].frame);
		put_lower_name(fp, (uint32_t)t->sni[i].name);
		fputc('}', fp);
	}
	fprintf(fp, "\n  ],\n  \"http_host\": [");
	for (size_t i = 0; i < t->nhost; i++) {
		char host[300];
		int n = snprintf(host, sizeof(host), "%s", gencap_names_lower((uint32_t)t->host[i].name));

		if (t->host[i].port)
			n += snprintf(host + n, sizeof(host) - (size_t)n, ":%u", t->host[i].port);
		fprintf(fp, "%s\n    {\"frame\": %llu, \"host\": ", i ? "," : "",
			(unsigned long long)t->host[i].frame);
		put_str(fp, host, (size_t)n);
		fputc('}', fp);
	}
	fprintf(fp, "\n  ]");
}

int gencap_truth_write(const struct gencap_truth *t, FILE *fp, const struct gencap_truth_meta *m)
{
	fprintf(fp, "{\n  \"generator\": \"nd-gencap\",\n  \"profile\": \"%s\",\n  \"seed\": %llu,\n"
		    "  \"format\": \"%s\",\n  \"linktype\": \"EN10MB\",\n  \"rate\": %.3f,\n"
		    "  \"packets\": %llu,\n  \"bytes\": %llu,\n  \"first_ts\": ",
		m->profile, (unsigned long long)m->seed, m->format, m->rate,
		(unsigned long long)t->packets, (unsigned long long)t->bytes);
	put_ts(fp, t->first_ts);
	fprintf(fp, ",\n  \"last_ts\": ");
	put_ts(fp, t->last_ts);
	fprintf(fp, ",\n  \"lists\": %s,\n", t->lists ? "true" : "false");
	write_counts(t, fp);
	if (t->lists)
		write_lists(t, fp);
	fprintf(fp, "\n}\n");
	if (t->oom)
		return -ENOMEM;
	return ferror(fp) ? -EIO : 0;
}
