/*
 * dns.c: DNS message parsing (RFC 1035 sections 4.1 and 4.1.4), zero-copy.
 *
 *   Header (12 bytes)                       Question
 *   +--------+--------+--------+--------+   +------ name ------+-------+--------+
 *   |   ID   | flags  |QDCOUNT |ANCOUNT |   | labels / pointer | QTYPE | QCLASS |
 *   +--------+--------+--------+--------+   +------------------+-------+--------+
 *   |NSCOUNT |ARCOUNT |                     Resource record: name TYPE CLASS
 *   +--------+--------+                     TTL(32) RDLENGTH RDATA[RDLENGTH]
 *
 * A name is a sequence of labels (length octet 1..63, then the bytes),
 * ended by a zero octet or by a two-octet pointer (top bits 11) to a
 * previous occurrence.  Loop protection: every pointer must point strictly
 * before the start of the name segment that contains it, so targets
 * strictly decrease; on top of that ND_DNS_MAX_HOPS pointers per name and
 * ND_DNS_NAME_MAX wire octets.  Label types 01 and 10 are rejected.
 */
#include <errno.h>
#include <string.h>

#include "dns.h"
#include "pkt_cursor.h"

/* Writes one label's octets as text at out (at most 4 * n bytes). */
static size_t nd_dns_label_text(const uint8_t *lab, uint32_t n, char *out)
{
	size_t t = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint8_t ch = lab[i];

		if (ch == '.' || ch == '\\') {
			out[t++] = '\\';
			out[t++] = (char)ch;
		} else if (ch >= 0x21 && ch <= 0x7e) {
			out[t++] = (char)ch;
		} else {
			out[t++] = '\\';
			out[t++] = (char)('0' + ch / 100);
			out[t++] = (char)('0' + ch / 10 % 10);
			out[t++] = (char)('0' + ch % 10);
		}
	}
	return t;
}

/* The length nd_dns_label_text would write. */
static size_t nd_dns_label_len(const uint8_t *lab, uint32_t n)
{
	size_t t = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint8_t ch = lab[i];

		t += ch == '.' || ch == '\\' ? 2 : (ch >= 0x21 && ch <= 0x7e) ? 1 : 4;
	}
	return t;
}

/* Walks the name at off.  When out is not NULL, writes its text there (see
 * nd_dns_name_text), *outlen receiving the length.  *end receives the
 * offset after the name where it sits in the message.  0, -EINVAL, or
 * -ENOSPC (out too small; the walk still validated the name up to there). */
static int nd_dns_walk(const uint8_t *msg, uint32_t len, uint32_t off,
		       uint32_t *end, char *out, size_t size, size_t *outlen)
{
	uint32_t pos = off, seg = off, wire = 1, hops = 0;
	size_t o = 0;
	bool jumped = false, nospace = false;

	if (end)
		*end = 0;
	for (;;) {
		uint8_t l;

		if (pos >= len)
			return -EINVAL;
		l = msg[pos];
		if ((l & 0xc0) == 0xc0) {
			uint32_t target;

			if (len - pos < 2 || ++hops > ND_DNS_MAX_HOPS)
				return -EINVAL;
			target = (uint32_t)(l & 0x3f) << 8 | msg[pos + 1];
			if (target >= seg)
				return -EINVAL;
			if (!jumped && end)
				*end = pos + 2;
			jumped = true;
			pos = seg = target;
			continue;
		}
		if (l & 0xc0)
			return -EINVAL;
		if (l == 0) {
			if (!jumped && end)
				*end = pos + 1;
			break;
		}
		wire += (uint32_t)l + 1;
		if (wire > ND_DNS_NAME_MAX || l > len - pos - 1)
			return -EINVAL;
		if (out && !nospace) {
			/* Worst case for this label: a dot, 4 bytes per octet
			 * and the NUL.  Short of that, count exactly; stop
			 * writing when it does not fit (whole labels only). */
			if (size - o < 4u * l + 2 &&
			    size - o <= nd_dns_label_len(msg + pos + 1, l) + (o ? 1 : 0)) {
				nospace = true;
			} else {
				if (o)
					out[o++] = '.';
				o += nd_dns_label_text(msg + pos + 1, l, out + o);
			}
		}
		pos += (uint32_t)l + 1;
	}
	if (out) {
		if (!nospace && o == 0) {
			if (size - o < 2)
				nospace = true;
			else
				out[o++] = '.';
		}
		out[o] = '\0';
		*outlen = o;
	}
	return nospace ? -ENOSPC : 0;
}

int nd_dns_name_skip(const uint8_t *msg, uint32_t len, uint32_t off,
		     uint32_t *end)
{
	return nd_dns_walk(msg, len, off, end, NULL, 0, NULL);
}

int nd_dns_name_text(const struct nd_dns *d, uint32_t name_off, char *buf,
		     size_t size)
{
	size_t n = 0;
	int rc;

	if (!buf || size == 0)
		return -ENOSPC;
	buf[0] = '\0';
	rc = nd_dns_walk(d->msg, d->len, name_off, NULL, buf, size, &n);
	if (rc == -EINVAL)
		buf[0] = '\0';
	return rc < 0 ? rc : (int)n;
}

int nd_dns_qname(const struct nd_dns *d, unsigned i, char *buf, size_t size)
{
	if (i >= d->nquestions) {
		if (buf && size)
			buf[0] = '\0';
		return -ENOENT;
	}
	return nd_dns_name_text(d, d->question[i].name_off, buf, size);
}

/* Reads a name and the fixed fields after it; false if malformed/short. */
static bool nd_dns_name_at(struct nd_cursor *c, uint16_t *name_off)
{
	uint32_t end;

	if (nd_dns_name_skip(c->base, c->len, c->off, &end) < 0)
		return false;
	*name_off = (uint16_t)c->off;
	c->off = end;
	return true;
}

int nd_dns_parse(struct nd_dns *d, const uint8_t *msg, size_t len)
{
	struct nd_cursor c;
	uint32_t i;

	d->msg = msg;
	d->len = 0;
	d->nquestions = d->nanswers = 0;
	d->incomplete = false;
	if (!msg || len < ND_DNS_HEADER_LEN || len > 0xffff)
		return -EINVAL;
	d->len = (uint32_t)len;
	nd_cur_init(&c, msg, (uint32_t)len, 0);
	d->id = nd_cur_be16(&c);
	d->flags = nd_cur_be16(&c);
	d->qdcount = nd_cur_be16(&c);
	d->ancount = nd_cur_be16(&c);
	d->nscount = nd_cur_be16(&c);
	d->arcount = nd_cur_be16(&c);

	/* Each question takes at least 5 octets: the loop ends by length. */
	for (i = 0; i < d->qdcount; i++) {
		struct nd_dns_question q;

		if (!nd_dns_name_at(&c, &q.name_off))
			goto bad_question;
		q.qtype = nd_cur_be16(&c);
		q.qclass = nd_cur_be16(&c);
		if (c.err)
			goto bad_question;
		if (i < ND_DNS_MAX_QUESTIONS)
			d->question[d->nquestions++] = q;
		else
			d->incomplete = true;
	}
	/* Each record takes at least 11 octets: the loop ends by length. */
	for (i = 0; i < d->ancount; i++) {
		struct nd_dns_rr rr;

		if (!nd_dns_name_at(&c, &rr.name_off))
			goto bad_answer;
		rr.type = nd_cur_be16(&c);
		rr.rclass = nd_cur_be16(&c);
		rr.ttl = nd_cur_be32(&c);
		rr.rdlen = nd_cur_be16(&c);
		rr.rdata_off = (uint16_t)c.off;
		if (!nd_cur_skip(&c, rr.rdlen) || c.err)
			goto bad_answer;
		if (i < ND_DNS_MAX_ANSWERS)
			d->answer[d->nanswers++] = rr;
		else
			d->incomplete = true;
	}
	return 0;

bad_question:
	d->incomplete = true;
	if (i == 0)
		return -EINVAL;
	return 0;
bad_answer:
	d->incomplete = true;
	return 0;
}

const char *nd_dns_type_name(uint16_t type)
{
	switch (type) {
	case ND_DNS_TYPE_A: return "A";
	case ND_DNS_TYPE_NS: return "NS";
	case ND_DNS_TYPE_CNAME: return "CNAME";
	case ND_DNS_TYPE_SOA: return "SOA";
	case ND_DNS_TYPE_PTR: return "PTR";
	case ND_DNS_TYPE_MX: return "MX";
	case ND_DNS_TYPE_TXT: return "TXT";
	case ND_DNS_TYPE_AAAA: return "AAAA";
	case ND_DNS_TYPE_SRV: return "SRV";
	case ND_DNS_TYPE_OPT: return "OPT";
	case ND_DNS_TYPE_HTTPS: return "HTTPS";
	case 64: return "SVCB";
	case 255: return "ANY";
	default: return NULL;
	}
}
