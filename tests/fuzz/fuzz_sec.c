/*
 * fuzz_sec.c: the fuzz_sec.h functions.  Invariants are checked with
 * CHECK, which aborts with the line, so that libFuzzer keeps the input.
 */
#include "fuzz_sec.h"

#include "dumpling.h"
#include "eater.h"
#include "eater_msg.h"
#include "fanout.h"
#include "hello.h"
#include "jscan.h"
#include "packet.h"

#include <errno.h>
#include <jansson.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "fuzz_sec: invariant broken at %s:%d: %s\n", __FILE__, \
				__LINE__, #cond);                                       \
			abort();                                                        \
		}                                                                       \
	} while (0)

#define MAX_PACKETS 2000

static bool slice_is(const struct hub_slice *s, const char *str)
{
	return str && s->p && strlen(str) == s->n && memcmp(s->p, str, s->n) == 0;
}

int nd_fuzz_dumpling_one(const uint8_t *data, size_t size)
{
	const struct nd_dumpling_limits lim = {.max_bytes = 1u << 20};
	enum nd_dumpling_check checks[] = {ND_DUMPLING_BASIC, ND_DUMPLING_STRICT};
	struct nd_dumpling_view v;
	char err[200];
	json_t *root;

	for (size_t i = 0; i < 2; i++) {
		err[0] = '\0';
		root = nd_dumpling_parse((const char *)data, size, &lim, checks[i], &v, err,
					 sizeof(err));
		if (root) {
			CHECK(json_is_object(root) && v.chef != NULL);
			CHECK(checks[i] != ND_DUMPLING_STRICT ||
			      (v.kitchen && v.driver != ND_DRIVER_UNKNOWN && v.payload));
			CHECK(!v.has_seq || v.seq > 0);
			json_decref(root);
		} else {
			CHECK(err[0] != '\0');
		}
	}
	root = json_loadb((const char *)data, size, 0, NULL);
	if (root) {
		if (nd_hello_kitchen_check(root, err, sizeof(err)) == 0)
			CHECK(json_is_string(json_object_get(root, "kitchen_name")));
		if (nd_hello_eater_check(root, err, sizeof(err)) == 0)
			CHECK(json_is_string(json_object_get(root, "eater_name")));
		json_decref(root);
	}
	return 0;
}

/* What the hub forwards must be a dumpling to the eater library. */
static void eater_accepts(const char *text, size_t len)
{
	struct eater_filter f = {0};
	struct nd_dumpling_view v;
	json_t *root = NULL;
	char err[200];
	enum eater_verdict r = eater_msg_judge(&f, text, len, 1u << 21, &root, &v, err, sizeof(err));

	if (r == EATER_INVALID)
		fprintf(stderr, "fuzz_sec: the eater refuses a forwarded dumpling: %s\n", err);
	CHECK(r != EATER_INVALID && root != NULL);
	json_decref(root);
}

int nd_fuzz_hubmsg_one(const uint8_t *data, size_t size)
{
	const struct nd_dumpling_limits lim = {.max_bytes = 1u << 20};
	const char *text = (const char *)data;
	struct nd_dumpling_view v;
	struct hub_jscan s;
	struct hub_msg *m = NULL;
	struct hub_queue q;
	char err[200], err2[200];
	json_t *root;
	int rc;

	rc = hub_jscan_dumpling(text, size, &lim, ND_DUMPLING_BASIC, &s, err, sizeof(err));
	root = nd_dumpling_parse(text, size, &lim, ND_DUMPLING_BASIC, &v, err2, sizeof(err2));
	if (rc == 0) {
		/* The fast path accepted: jansson must agree, field by field. */
		if (!root)
			fprintf(stderr, "fuzz_sec: scanner accepts, jansson says: %s\n", err2);
		CHECK(root != NULL);
		CHECK(slice_is(&s.chef, v.chef));
		CHECK(!s.kitchen.p || slice_is(&s.kitchen, v.kitchen));
		CHECK(s.driver == v.driver);
		CHECK(s.has_seq == v.has_seq && (!s.has_seq || s.seq == v.seq));
		m = hub_msg_new_n(text, size, s.driver == ND_DRIVER_INTERVAL ? HUB_MSG_INTERVAL
									      : HUB_MSG_PACKET,
				  s.chef.p, s.chef.n, s.kitchen.p ? s.kitchen.p : "k",
				  s.kitchen.p ? s.kitchen.n : 1);
	} else if (rc == -EINVAL) {
		/* Stricter than jansson only where jansson is lax: it skips a
		 * NUL byte after a number ({"a":1\0}), which is not JSON. */
		if (root && !memchr(data, 0, size))
			fprintf(stderr, "fuzz_sec: scanner refuses (%s), jansson accepts\n", err);
		CHECK(root == NULL || memchr(data, 0, size));
	} else {
		CHECK(rc == -EAGAIN); /* the slow path: jansson decides */
		if (root)
			m = hub_msg_new(text, size, HUB_MSG_PACKET, v.chef, v.kitchen);
	}
	if (root)
		eater_accepts(text, size);
	json_decref(root);
	if (m) {
		CHECK(m->len == size && memcmp(hub_msg_data(m), data, size) == 0);
		CHECK(hub_msg_data(m)[size] == '\0');
		CHECK(hub_queue_init(&q, 2, 1u << 22) == 0);
		hub_queue_push(&q, m);
		hub_queue_push(&q, m);
		hub_queue_push(&q, m);
		CHECK(q.count <= 2);
		hub_msg_unref(hub_queue_pop(&q));
		hub_queue_fini(&q);
		hub_msg_unref(m);
	}
	return 0;
}

int nd_fuzz_eatermsg_one(const uint8_t *data, size_t size)
{
	static const char *const chefs[] = {"DNSLookupChef", "PacketCountChef"};
	static const char *const kitchens[] = {"k1"};
	struct eater_rxbuf rb = {.max = 1u << 16};
	struct eater_filter f;
	struct nd_dumpling_view v;
	json_t *root = NULL;
	char err[200];
	enum eater_verdict r;
	size_t off = 1, piece;

	if (size < 1)
		return 0;
	/* Byte 0: bits 0-1 pick the filter, the rest the fragment size. */
	CHECK(eater_filter_init(&f, (data[0] & 1) ? chefs : NULL, (data[0] & 1) ? 2 : 0,
				(data[0] & 2) ? kitchens : NULL, (data[0] & 2) ? 1 : 0,
				(data[0] >> 2) & 3) == 0);
	piece = (size_t)(data[0] >> 4) + 1;
	while (off < size) {
		size_t n = size - off < piece ? size - off : piece;

		if (eater_rxbuf_append(&rb, data + off, n) != 0)
			break;
		CHECK(rb.buf[rb.len] == '\0');
		off += n;
	}
	if (off == size) {
		CHECK(rb.len == size - 1);
		CHECK(size == 1 || memcmp(rb.buf, data + 1, size - 1) == 0);
	}
	r = eater_msg_judge(&f, (const char *)data + 1, size - 1, 1u << 16, &root, &v, err,
			    sizeof(err));
	if (r == EATER_INVALID) {
		CHECK(root == NULL && err[0] != '\0');
	} else {
		CHECK(root != NULL && v.chef != NULL);
		json_decref(root);
	}
	eater_rxbuf_free(&rb);
	eater_filter_free(&f);
	return 0;
}

int nd_fuzz_pcapfile_one(const uint8_t *data, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	struct nd_packet p;
	unsigned n = 0;
	pcap_t *pc;
	FILE *f;
	int dlt, rc;

	if (!size)
		return 0;
	f = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (!f)
		return 0;
	pc = pcap_fopen_offline(f, errbuf); /* owns f once it succeeds */
	if (!pc) {
		fclose(f);
		return 0;
	}
	dlt = pcap_datalink(pc);
	nd_packet_init(&p);
	while (n++ < MAX_PACKETS && (rc = pcap_next_ex(pc, &h, &bytes)) == 1) {
		rc = nd_packet_dissect(&p, dlt, h, bytes);
		CHECK(rc == 0 || rc == -EPROTONOSUPPORT);
		CHECK(rc == 0 || !nd_packet_dlt_supported(dlt));
		if (rc == 0) {
			struct nd_slice pl = nd_packet_payload(&p);

			CHECK(pl.len <= h->caplen);
			CHECK(!pl.len || (pl.ptr >= bytes &&
					  pl.ptr + pl.len <= bytes + h->caplen));
			/* What chefs ask for: the application parsers, on demand. */
			(void)nd_packet_dns(&p);
			(void)nd_packet_tls_sni(&p);
			(void)nd_packet_http(&p);
			for (unsigned i = 0; i < p.nlayers; i++)
				CHECK(nd_packet_layer_name(&p, i)[0] != '\0');
		}
	}
	pcap_close(pc);
	return 0;
}
