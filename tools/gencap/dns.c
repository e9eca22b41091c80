/*
 * dns.c: builds DNS queries and responses (see dns.h).  Every pointer
 * written points backwards to a name already in the message, so a reader
 * following it terminates.
 */
#include "dns.h"

#include <stdio.h>
#include <string.h>

#include "names.h"

#define T_A 1
#define T_CNAME 5
#define T_MX 15
#define T_AAAA 28
#define T_OPT 41
#define T_HTTPS 65

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
	return 4;
}

/* Encodes a dotted name as labels + root. */
static size_t put_name(uint8_t *p, const char *name, size_t len)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || name[i] == '.') {
			size_t ll = i - start;

			p[n++] = (uint8_t)ll;
			memcpy(p + n, name + start, ll);
			n += ll;
			start = i + 1;
		}
	}
	p[n++] = 0;
	return n;
}

static size_t put_rr_head(uint8_t *p, uint16_t owner_ptr, uint16_t type, uint32_t ttl)
{
	size_t n = put16(p, (uint16_t)(0xc000 | owner_ptr));

	n += put16(p + n, type);
	n += put16(p + n, 1);
	n += put32(p + n, ttl);
	return n; /* rdlength follows */
}

static size_t put_addr_rr(uint8_t *p, uint16_t owner, uint16_t qtype, struct gencap_rng *r)
{
	size_t n = put_rr_head(p, owner, qtype, gencap_rng_range(r, 30, 86400));

	if (qtype == T_AAAA) {
		n += put16(p + n, 16);
		n += put32(p + n, 0x20010db8);
		n += put32(p + n, gencap_rng_below(r, 0x10000));
		n += put32(p + n, 0);
		n += put32(p + n, gencap_rng_range(r, 1, 0xffff));
	} else {
		n += put16(p + n, 4);
		p[n++] = 203;
		p[n++] = 0;
		p[n++] = 113;
		p[n++] = (uint8_t)gencap_rng_range(r, 1, 254);
	}
	return n;
}

static size_t build_answers(uint8_t *p, size_t off, struct gencap_dns_msg *m, struct gencap_rng *r)
{
	uint16_t dom = (uint16_t)(12 + gencap_names_domain_off(m->name));
	size_t n = off;
	uint16_t owner = 12;
	char label[16];

	if (m->qtype == T_MX) {
		unsigned k = gencap_rng_range(r, 1, 2);

		for (unsigned i = 0; i < k; i++) {
			int ll = snprintf(label, sizeof(label), "mx%u", i + 1);
			size_t rdl = 2 + 1 + (size_t)ll + 2;

			n += put_rr_head(p + n, 12, T_MX, 3600);
			n += put16(p + n, (uint16_t)rdl);
			n += put16(p + n, (uint16_t)(10 * (i + 1)));
			p[n++] = (uint8_t)ll;
			memcpy(p + n, label, (size_t)ll);
			n += (size_t)ll;
			n += put16(p + n, (uint16_t)(0xc000 | dom));
			m->ancount++;
		}
		return n;
	}
	if (m->qtype != T_A && m->qtype != T_AAAA)
		return n; /* NODATA */
	if (gencap_rng_chance(r, 300)) {
		/* CNAME to edge-N.<registrable domain>, then the addresses of
		 * the CNAME target, owner names pointing at the rdata. */
		int ll = snprintf(label, sizeof(label), "edge-%u", gencap_rng_below(r, 64));

		n += put_rr_head(p + n, 12, T_CNAME, 300);
		n += put16(p + n, (uint16_t)(1 + (size_t)ll + 2));
		owner = (uint16_t)n;
		p[n++] = (uint8_t)ll;
		memcpy(p + n, label, (size_t)ll);
		n += (size_t)ll;
		n += put16(p + n, (uint16_t)(0xc000 | dom));
		m->ancount++;
	}
	for (unsigned i = 0, k = gencap_rng_range(r, 1, 3); i < k; i++) {
		n += put_addr_rr(p + n, owner, m->qtype, r);
		m->ancount++;
	}
	return n;
}

size_t gencap_dns_build(uint8_t *out, size_t cap, struct gencap_dns_msg *m, struct gencap_rng *r)
{
	const char *name = gencap_names_get(m->name);
	size_t n = 0;
	uint16_t flags;

	(void)cap; /* names <= 200 bytes and <= 4 answers fit in 512 */
	m->ancount = 0;
	m->rcode = 0;
	if (m->response && gencap_rng_chance(r, 50))
		m->rcode = 3;
	flags = m->response ? (uint16_t)(0x8180 | m->rcode) : 0x0100;
	n += put16(out, m->id);
	n += put16(out + n, flags);
	n += put16(out + n, 1);
	n += put16(out + n, 0); /* ancount, patched below */
	n += put16(out + n, 0);
	n += put16(out + n, m->edns ? 1 : 0);
	n += put_name(out + n, name, gencap_names_len(m->name));
	n += put16(out + n, m->qtype);
	n += put16(out + n, 1);
	if (m->response && m->rcode == 0)
		n = build_answers(out, n, m, r);
	put16(out + 6, m->ancount);
	if (m->edns) {
		out[n++] = 0;
		n += put16(out + n, T_OPT);
		n += put16(out + n, 1232);
		n += put32(out + n, 0);
		n += put16(out + n, 0);
	}
	return n;
}

uint16_t gencap_dns_pick_qtype(struct gencap_rng *r)
{
	uint32_t x = gencap_rng_below(r, 100);

	if (x < 60)
		return T_A;
	if (x < 88)
		return T_AAAA;
	if (x < 96)
		return T_HTTPS;
	return T_MX;
}
