/*
 * test_dns.c: DNS message parsing: questions, answers, compression,
 * pointer loops and pointers past the end, RFC 1035 limits (63-octet
 * labels, 255-octet names), escaping to text, cut-off messages.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns.h"
#include "support/pkt_check.h"

/* Response: www.example.com A?, answers: CNAME -> ptr(12), A 192.0.2.1. */
#define RESPONSE                                                               \
	"abcd 8180 0001 0002 0000 0000 |"                                      \
	"03777777 076578616d706c65 03636f6d 00 0001 0001 |"                    \
	"c00c 0005 0001 00000e10 0006 03636463 c010 |"                         \
	"c02d 0001 0001 0000003c 0004 c0000201"

static void test_dns_response(void **state)
{
	uint8_t b[512];
	size_t n = pkt_hex(b, sizeof(b), RESPONSE);
	char t[ND_DNS_NAME_TEXT_MAX];
	struct nd_dns d;

	(void)state;
	assert_int_equal(nd_dns_parse(&d, b, n), 0);
	assert_int_equal(d.id, 0xabcd);
	assert_true(d.flags & ND_DNS_FLAG_QR);
	assert_int_equal(ND_DNS_RCODE(d.flags), 0);
	assert_int_equal(d.qdcount, 1);
	assert_int_equal(d.nquestions, 1);
	assert_int_equal(d.nanswers, 2);
	assert_false(d.incomplete);
	assert_int_equal(nd_dns_qname(&d, 0, t, sizeof(t)), 15);
	assert_string_equal(t, "www.example.com");
	assert_int_equal(d.question[0].qtype, ND_DNS_TYPE_A);
	assert_int_equal(d.answer[0].type, ND_DNS_TYPE_CNAME);
	assert_int_equal(d.answer[0].ttl, 3600);
	assert_int_equal(nd_dns_name_text(&d, d.answer[0].name_off, t, sizeof(t)),
			 15);
	/* CNAME target: "cdc" + pointer to "example.com". */
	assert_int_equal(nd_dns_name_text(&d, d.answer[0].rdata_off, t,
					  sizeof(t)), 15);
	assert_string_equal(t, "cdc.example.com");
	/* The A record's owner points at the CNAME target. */
	nd_dns_name_text(&d, d.answer[1].name_off, t, sizeof(t));
	assert_string_equal(t, "cdc.example.com");
	assert_int_equal(d.answer[1].rdlen, 4);
	assert_int_equal(b[d.answer[1].rdata_off], 192);
	assert_string_equal(nd_dns_type_name(d.answer[1].type), "A");
	assert_null(nd_dns_type_name(9999));
	assert_int_equal(nd_dns_qname(&d, 1, t, sizeof(t)), -ENOENT);
	assert_string_equal(t, "");
}

static void test_dns_cut_everywhere(void **state)
{
	uint8_t b[512];
	size_t n = pkt_hex(b, sizeof(b), RESPONSE);
	char t[ND_DNS_NAME_TEXT_MAX];
	struct nd_dns d;

	(void)state;
	for (size_t k = 0; k <= n; k++) {
		uint8_t *copy = malloc(k ? k : 1);
		int rc;

		memcpy(copy, b, k);
		rc = nd_dns_parse(&d, copy, k);
		if (k < 12 + 21) {
			assert_int_equal(rc, -EINVAL);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(d.incomplete, k < n);
			assert_int_equal(d.nquestions, 1);
			assert_int_equal(nd_dns_qname(&d, 0, t, sizeof(t)), 15);
			for (unsigned i = 0; i < d.nanswers; i++)
				assert_true(nd_dns_name_text(&d, d.answer[i].name_off,
							     t, sizeof(t)) > 0);
		}
		free(copy);
	}
	assert_int_equal(nd_dns_parse(&d, b, 11), -EINVAL);
	assert_int_equal(nd_dns_parse(&d, NULL, 0), -EINVAL);
	assert_int_equal(nd_dns_parse(&d, b, 70000), -EINVAL);
}

static void test_dns_pointer_loops(void **state)
{
	uint8_t b[512];
	uint32_t end;
	struct nd_dns d;
	size_t n;

	(void)state;
	/* Question name is a pointer to itself. */
	n = pkt_hex(b, sizeof(b), "0001 0100 0001 0000 0000 0000 c00c 0001 0001");
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	/* Label then a pointer back to the label: a -> a -> a ... */
	n = pkt_hex(b, sizeof(b),
		    "0001 0100 0001 0000 0000 0000 0161 c00c 0001 0001");
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	/* Two names pointing at each other (second question points to the
	 * first, which points forward to the second). */
	n = pkt_hex(b, sizeof(b),
		    "0001 0100 0002 0000 0000 0000 c012 0001 0001 c00c 0001 0001");
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	/* Pointer past the end of the message. */
	n = pkt_hex(b, sizeof(b), "0001 0100 0001 0000 0000 0000 c0ff 0001 0001");
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	/* Pointer cut in half by the end of the message. */
	n = pkt_hex(b, sizeof(b), "0001 0100 0001 0000 0000 0000 0161 c0");
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	/* Label running past the end. */
	n = pkt_hex(b, sizeof(b), "0001 0100 0001 0000 0000 0000 0561 62");
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	/* Reserved label types 01 and 10. */
	n = pkt_hex(b, sizeof(b), "0001 0100 0001 0000 0000 0000 4161 00 0001 0001");
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	b[12] = 0x81;
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);

	/* A chain of backward pointers: allowed up to ND_DNS_MAX_HOPS. */
	memset(b, 0, sizeof(b));
	b[12] = 1;
	b[13] = 'a';
	b[14] = 0;
	for (int k = 0; k < 40; k++) {
		uint32_t at = 15 + 2 * (uint32_t)k, to = k ? at - 2 : 12;

		b[at] = (uint8_t)(0xc0 | to >> 8);
		b[at + 1] = (uint8_t)to;
	}
	/* Pointer k needs k + 1 hops. */
	assert_int_equal(nd_dns_name_skip(b, 95, 15 + 2 * 31, &end), 0);
	assert_int_equal(end, 15 + 2 * 31 + 2);
	assert_int_equal(nd_dns_name_skip(b, 95, 15 + 2 * 32, &end), -EINVAL);
	assert_int_equal(nd_dns_name_skip(b, 95, 95, &end), -EINVAL);
}

/* Writes a name of labels with the given lengths (filled with 'a'..) at
 * b[12], a valid query around it; returns the message length. */
static size_t name_msg(uint8_t *b, const int *labels, int count, uint8_t fill)
{
	size_t o = 12;

	memset(b, 0, 12);
	b[5] = 1; /* qdcount 1 */
	for (int i = 0; i < count; i++) {
		b[o++] = (uint8_t)labels[i];
		memset(b + o, fill, (size_t)labels[i]);
		o += (size_t)labels[i];
	}
	b[o++] = 0;
	b[o++] = 0;
	b[o++] = 1;
	b[o++] = 0;
	b[o++] = 1;
	return o;
}

static void test_dns_limits(void **state)
{
	static const int max_name[] = {63, 63, 63, 61};   /* 255 octets */
	static const int over_name[] = {63, 63, 63, 62};  /* 256 octets */
	static const int label64[] = {64};
	uint8_t b[1024];
	char t[ND_DNS_NAME_TEXT_MAX];
	struct nd_dns d;
	size_t n;

	(void)state;
	n = name_msg(b, max_name, 4, 'a');
	assert_int_equal(nd_dns_parse(&d, b, n), 0);
	assert_int_equal(nd_dns_qname(&d, 0, t, sizeof(t)), 253);
	n = name_msg(b, over_name, 4, 'a');
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);
	n = name_msg(b, label64, 1, 'a');
	assert_int_equal(nd_dns_parse(&d, b, n), -EINVAL);

	/* The longest possible text: every octet escaped as \DDD. */
	n = name_msg(b, max_name, 4, 0xff);
	assert_int_equal(nd_dns_parse(&d, b, n), 0);
	assert_int_equal(nd_dns_qname(&d, 0, t, sizeof(t)), 250 * 4 + 3);
	assert_memory_equal(t, "\\255\\255", 8);
	/* Too small a buffer: -ENOSPC, whole labels only, NUL-terminated. */
	n = name_msg(b, max_name, 4, 'a');
	assert_int_equal(nd_dns_parse(&d, b, n), 0);
	assert_int_equal(nd_dns_qname(&d, 0, t, 100), -ENOSPC);
	assert_int_equal(strlen(t), 63);
	assert_int_equal(nd_dns_qname(&d, 0, t, 0), -ENOSPC);
}

static void test_dns_text_escapes(void **state)
{
	uint8_t b[256];
	char t[ND_DNS_NAME_TEXT_MAX];
	struct nd_dns d;
	size_t n;

	(void)state;
	/* Labels "a.b", "c\\d", "e f", "\x00", then root. */
	n = pkt_hex(b, sizeof(b),
		    "0001 0100 0001 0000 0000 0000 03612e62 03635c64 03652066"
		    " 0100 00 0001 0001");
	assert_int_equal(nd_dns_parse(&d, b, n), 0);
	assert_int_equal(nd_dns_qname(&d, 0, t, sizeof(t)),
			 (int)strlen("a\\.b.c\\\\d.e\\032f.\\000"));
	assert_string_equal(t, "a\\.b.c\\\\d.e\\032f.\\000");
	/* The root name. */
	n = pkt_hex(b, sizeof(b), "0001 0100 0001 0000 0000 0000 00 0002 0001");
	assert_int_equal(nd_dns_parse(&d, b, n), 0);
	assert_int_equal(nd_dns_qname(&d, 0, t, sizeof(t)), 1);
	assert_string_equal(t, ".");
	assert_int_equal(nd_dns_qname(&d, 0, t, 1), -ENOSPC);
}

static void test_dns_counts(void **state)
{
	uint8_t b[1024];
	struct nd_dns d;
	size_t o;

	(void)state;
	/* 6 questions ("q"), 20 answers: first 4 and 16 stored. */
	memset(b, 0, sizeof(b));
	b[5] = 6;
	b[7] = 20;
	o = 12;
	for (int i = 0; i < 6; i++) {
		memcpy(b + o, "\x01q\x00\x00\x01\x00\x01", 7);
		o += 7;
	}
	for (int i = 0; i < 20; i++) {
		memcpy(b + o, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04"
			      "\x0a\x00\x00", 15);
		b[o + 15] = (uint8_t)i;
		o += 16;
	}
	assert_int_equal(nd_dns_parse(&d, b, o), 0);
	assert_int_equal(d.nquestions, ND_DNS_MAX_QUESTIONS);
	assert_int_equal(d.nanswers, ND_DNS_MAX_ANSWERS);
	assert_true(d.incomplete);
	assert_int_equal(b[d.answer[15].rdata_off + 3], 15);
	/* Claims more answers than there are: parsed ones kept. */
	b[7] = 30;
	assert_int_equal(nd_dns_parse(&d, b, o), 0);
	assert_true(d.incomplete);
	/* rdlength past the end. */
	b[7] = 1;
	b[12 + 42 + 10] = 0xff;
	assert_int_equal(nd_dns_parse(&d, b, o), 0);
	assert_int_equal(d.nanswers, 0);
	assert_true(d.incomplete);
	/* Claims more questions than there are: the first parses. */
	b[5] = 200;
	b[7] = 0;
	assert_int_equal(nd_dns_parse(&d, b, 12 + 7 * 6), 0);
	assert_true(d.incomplete);
	assert_int_equal(d.nquestions, ND_DNS_MAX_QUESTIONS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_response),
		cmocka_unit_test(test_dns_cut_everywhere),
		cmocka_unit_test(test_dns_pointer_loops),
		cmocka_unit_test(test_dns_limits),
		cmocka_unit_test(test_dns_text_escapes),
		cmocka_unit_test(test_dns_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
