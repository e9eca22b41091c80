/*
 * dns.h: DNS message parsing (RFC 1035), zero-copy.
 *
 * nd_dns_parse() reads the header, the questions and the answer records of
 * one message and records where each name starts; it copies nothing.  Names
 * are turned into text only when asked, by nd_dns_name_text(), into a
 * caller buffer.  Limits enforced on every name: labels of at most 63
 * octets, at most 255 octets on the wire (length bytes and root included,
 * compression pointers followed), at most ND_DNS_MAX_HOPS compression
 * pointers, each pointing strictly backwards (so loops are impossible).
 * The answer/authority/additional counts are the message's claims; only the
 * first ND_DNS_MAX_QUESTIONS questions and ND_DNS_MAX_ANSWERS answers are
 * stored (`incomplete` says when something was left out or cut off).
 */
#ifndef ND_DNS_H
#define ND_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_DNS_HEADER_LEN 12
#define ND_DNS_LABEL_MAX 63
#define ND_DNS_NAME_MAX 255   /* wire octets of a whole name */
#define ND_DNS_MAX_HOPS 32    /* compression pointers per name */
#define ND_DNS_MAX_QUESTIONS 4
#define ND_DNS_MAX_ANSWERS 16
/* Enough for any name as text: every octet escaped as \DDD, plus dots/NUL. */
#define ND_DNS_NAME_TEXT_MAX 1024

/* Header flag bits (the second 16-bit word). */
#define ND_DNS_FLAG_QR 0x8000
#define ND_DNS_FLAG_AA 0x0400
#define ND_DNS_FLAG_TC 0x0200
#define ND_DNS_FLAG_RD 0x0100
#define ND_DNS_FLAG_RA 0x0080
#define ND_DNS_OPCODE(flags) (((flags) >> 11) & 0xf)
#define ND_DNS_RCODE(flags) ((flags)&0xf)

/* Record types worth naming. */
#define ND_DNS_TYPE_A 1
#define ND_DNS_TYPE_NS 2
#define ND_DNS_TYPE_CNAME 5
#define ND_DNS_TYPE_SOA 6
#define ND_DNS_TYPE_PTR 12
#define ND_DNS_TYPE_MX 15
#define ND_DNS_TYPE_TXT 16
#define ND_DNS_TYPE_AAAA 28
#define ND_DNS_TYPE_SRV 33
#define ND_DNS_TYPE_OPT 41
#define ND_DNS_TYPE_HTTPS 65

struct nd_dns_question {
	uint16_t name_off; /* offset of the name in the message */
	uint16_t qtype;
	uint16_t qclass;
};

struct nd_dns_rr {
	uint16_t name_off;
	uint16_t type;
	uint16_t rclass;
	uint16_t rdlen;
	uint32_t ttl;
	uint16_t rdata_off; /* rdlen bytes at msg + rdata_off, all captured */
};

struct nd_dns {
	const uint8_t *msg; /* the message (after TCP's length prefix) */
	uint32_t len;       /* bytes of it that were captured, <= 65535 */
	uint16_t id;
	uint16_t flags;
	uint16_t qdcount, ancount, nscount, arcount; /* as claimed */
	uint8_t nquestions; /* stored in question[] */
	uint8_t nanswers;   /* stored in answer[] */
	bool incomplete;    /* claimed records cut off, malformed or not stored */
	struct nd_dns_question question[ND_DNS_MAX_QUESTIONS];
	struct nd_dns_rr answer[ND_DNS_MAX_ANSWERS];
};

/* Parses the message in msg[0..len).  Returns 0 when the header and every
 * stored question are well-formed (answers are best effort: parsing stops
 * at the first bad one and sets `incomplete`), -EINVAL when it is not a
 * parseable DNS message (short header, more than 65535 bytes, or a bad
 * first question).  d borrows msg. */
int nd_dns_parse(struct nd_dns *d, const uint8_t *msg, size_t len);

/* Writes the name at name_off as text into buf: labels joined by '.', no
 * trailing dot, the root name as ".".  Label bytes outside 0x21..0x7e and
 * the bytes '.' and '\\' inside a label are escaped ("\\.", "\\\\", "\\DDD"),
 * so the text is printable ASCII and valid UTF-8.  Returns the text length,
 * -EINVAL for a malformed name (bad pointer, label, loop or length), or
 * -ENOSPC when buf is too small (ND_DNS_NAME_TEXT_MAX always suffices). */
int nd_dns_name_text(const struct nd_dns *d, uint32_t name_off, char *buf,
		     size_t size);

/* Checks the name at off and returns (via *end) the offset just after it
 * in the message.  Returns 0 or -EINVAL (same rules as above). */
int nd_dns_name_skip(const uint8_t *msg, uint32_t len, uint32_t off,
		     uint32_t *end);

/* The text of question i (see nd_dns_name_text).  -ENOENT if i is not a
 * stored question. */
int nd_dns_qname(const struct nd_dns *d, unsigned i, char *buf, size_t size);

/* Short name of a record type ("A", "AAAA", ...), or NULL if unknown. */
const char *nd_dns_type_name(uint16_t type);

#endif
