/*
 * test_pcapfile.c: the mapped pcap reader (kitchen/pcapfile.c) against
 * libpcap itself: same records, same time stamps, for both byte orders and
 * both time stamp precisions; cut at every byte, it stops with an error
 * exactly where libpcap does; pcapng and pipes are left to libpcap.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "pcapfile.h"

#define NPKT 20

static char dir[] = "/tmp/nd-test-pcapfile.XXXXXX";

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

/* Writes NPKT packets of varying length with libpcap. */
static void write_capture(const char *path, int precision)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, (u_int)precision);
	pcap_dumper_t *d = pcap_dump_open(p, path);
	unsigned char pkt[1600];

	assert_non_null(d);
	for (int i = 0; i < NPKT; i++) {
		struct pcap_pkthdr h;

		memset(pkt, i, sizeof(pkt));
		h.ts.tv_sec = 1700000000 + i;
		/* tv_usec holds nanoseconds in a nanosecond dump */
		h.ts.tv_usec = precision == PCAP_TSTAMP_PRECISION_NANO ? 123456789 : 123456;
		h.caplen = (bpf_u_int32)(60 + i * 70);
		h.len = h.caplen + (i % 3);
		pcap_dump((u_char *)d, &h, pkt);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = malloc(1 << 20);

	assert_non_null(f);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void write_all(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* Reads path both ways; returns how many packets matched.  *lib_err and
 * *map_err say whether each reader stopped with an error. */
static int compare(const char *path, int *lib_err, int *map_err)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	struct kitchen_pcapfile f;
	int n = 0, rc;

	*lib_err = *map_err = 0;
	rc = kitchen_pcapfile_open(&f, path);
	if (!p) {
		/* libpcap refuses the header: so must we (or leave it to libpcap). */
		if (rc == 0) {
			struct pcap_pkthdr h;
			const uint8_t *d;

			assert_true(kitchen_pcapfile_next(&f, &h, &d) < 0 || f.size < 24);
			kitchen_pcapfile_close(&f);
		}
		*lib_err = *map_err = 1;
		return 0;
	}
	assert_int_equal(rc, 0);
	for (;;) {
		struct pcap_pkthdr *lh, mh;
		const u_char *ld;
		const uint8_t *md;
		int lr = pcap_next_ex(p, &lh, &ld);
		int mr = kitchen_pcapfile_next(&f, &mh, &md);

		if (lr == PCAP_ERROR_BREAK) {
			assert_int_equal(mr, 0);
			break;
		}
		if (lr < 0) {
			*lib_err = 1;
			*map_err = mr < 0;
			assert_true(mr < 0);
			assert_non_null(strstr(f.err, "truncated dump file"));
			break;
		}
		assert_int_equal(mr, 1);
		assert_int_equal(mh.ts.tv_sec, lh->ts.tv_sec);
		assert_int_equal(mh.ts.tv_usec, lh->ts.tv_usec);
		assert_int_equal(mh.caplen, lh->caplen);
		assert_int_equal(mh.len, lh->len);
		assert_memory_equal(md, ld, mh.caplen);
		n++;
	}
	kitchen_pcapfile_close(&f);
	pcap_close(p);
	return n;
}

static void test_same_as_libpcap(void **state)
{
	char path[256];
	int le, me;

	path_of(path, sizeof(path), "micro.pcap");
	write_capture(path, PCAP_TSTAMP_PRECISION_MICRO);
	assert_int_equal(compare(path, &le, &me), NPKT);
	assert_false(le);
	path_of(path, sizeof(path), "nano.pcap");
	write_capture(path, PCAP_TSTAMP_PRECISION_NANO);
	assert_int_equal(compare(path, &le, &me), NPKT);
	assert_false(le);
}

static void swap32_at(unsigned char *b, size_t off)
{
	unsigned char t[4];

	memcpy(t, b + off, 4);
	for (int i = 0; i < 4; i++)
		b[off + (size_t)i] = t[3 - i];
}

static void test_other_byte_order(void **state)
{
	char path[256], swapped[256];
	unsigned char *b;
	size_t len, off = 24;
	int le, me;

	path_of(path, sizeof(path), "native.pcap");
	path_of(swapped, sizeof(swapped), "swapped.pcap");
	write_capture(path, PCAP_TSTAMP_PRECISION_MICRO);
	b = read_all(path, &len);
	swap32_at(b, 0);
	b[4] ^= b[5], b[5] ^= b[4], b[4] ^= b[5];
	b[6] ^= b[7], b[7] ^= b[6], b[6] ^= b[7];
	for (size_t o = 8; o < 24; o += 4)
		swap32_at(b, o);
	while (off < len) {
		uint32_t caplen;

		memcpy(&caplen, b + off + 8, 4);
		for (size_t o = 0; o < 16; o += 4)
			swap32_at(b, off + o);
		off += 16 + caplen;
	}
	write_all(swapped, b, len);
	free(b);
	assert_int_equal(compare(swapped, &le, &me), NPKT);
	assert_false(le);
}

static void test_cut_at_every_byte(void **state)
{
	char path[256], cut[256];
	unsigned char *b;
	size_t len;

	path_of(path, sizeof(path), "whole.pcap");
	path_of(cut, sizeof(cut), "cut.pcap");
	write_capture(path, PCAP_TSTAMP_PRECISION_MICRO);
	b = read_all(path, &len);
	for (size_t n = 0; n < len; n += (n < 200 ? 1 : 7)) {
		int le, me;

		write_all(cut, b, n);
		compare(cut, &le, &me);
		assert_int_equal(le, me);
	}
	free(b);
}

static void test_left_to_libpcap(void **state)
{
	struct kitchen_pcapfile f;
	char path[256];
	unsigned char ng[64] = { 0x0a, 0x0d, 0x0d, 0x0a };

	path_of(path, sizeof(path), "x.pcapng");
	write_all(path, ng, sizeof(ng));
	assert_int_equal(kitchen_pcapfile_open(&f, path), -ENOTSUP);
	assert_int_equal(kitchen_pcapfile_open(&f, "-"), -ENOTSUP);
	assert_int_equal(kitchen_pcapfile_open(&f, "/dev/null"), -ENOTSUP);
	path_of(path, sizeof(path), "missing.pcap");
	assert_int_equal(kitchen_pcapfile_open(&f, path), -ENOENT);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_libpcap),
		cmocka_unit_test(test_other_byte_order),
		cmocka_unit_test(test_cut_at_every_byte),
		cmocka_unit_test(test_left_to_libpcap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
