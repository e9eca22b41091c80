/*
 * writer.c: pcap and pcapng output (see writer.h).
 */
#include "writer.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define SNAPLEN 65535
#define OUTBUF (4u << 20)

struct gencap_writer {
	FILE *fp;
	char *buf;
	pcap_t *dead;
	pcap_dumper_t *dumper;
	bool pcapng;
};

static int put_block(FILE *fp, uint32_t type, const void *body, size_t len)
{
	static const uint8_t pad[4];
	size_t padded = (len + 3) & ~(size_t)3;
	uint32_t total = (uint32_t)(12 + padded);

	if (fwrite(&type, 4, 1, fp) != 1 || fwrite(&total, 4, 1, fp) != 1 ||
	    fwrite(body, 1, len, fp) != len || fwrite(pad, 1, padded - len, fp) != padded - len ||
	    fwrite(&total, 4, 1, fp) != 1)
		return -EIO;
	return 0;
}

static int pcapng_header(FILE *fp)
{
	/* SHB: byte-order magic, version 1.0, section length unknown */
	const uint32_t shb[4] = {0x1a2b3c4d, 0x00000001, 0xffffffff, 0xffffffff};
	/* IDB: LINKTYPE_ETHERNET, reserved, snaplen; default resolution us */
	const uint32_t idb[2] = {1, SNAPLEN};

	if (put_block(fp, 0x0a0d0d0a, shb, sizeof(shb)) < 0)
		return -EIO;
	return put_block(fp, 0x00000001, idb, sizeof(idb));
}

struct gencap_writer *gencap_writer_open(const char *path, bool pcapng)
{
	struct gencap_writer *w = calloc(1, sizeof(*w));
	bool std = strcmp(path, "-") == 0;

	if (!w)
		return NULL;
	w->pcapng = pcapng;
	w->fp = std ? stdout : fopen(path, "wb");
	if (!w->fp) {
		nd_error("gencap", "cannot create %s: %s", path, strerror(errno));
		goto fail_w;
	}
	w->buf = malloc(OUTBUF);
	if (w->buf)
		setvbuf(w->fp, w->buf, _IOFBF, OUTBUF);
	if (pcapng) {
		if (pcapng_header(w->fp) < 0)
			goto fail_write;
		return w;
	}
	w->dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!w->dead)
		goto fail_write;
	w->dumper = pcap_dump_fopen(w->dead, w->fp);
	if (!w->dumper) {
		nd_error("gencap", "cannot write a pcap header to %s: %s", path, pcap_geterr(w->dead));
		pcap_close(w->dead);
		goto fail_file;
	}
	return w;
fail_write:
	nd_error("gencap", "cannot write to %s: %s", path, strerror(errno));
fail_file:
	if (!std)
		fclose(w->fp);
	free(w->buf);
fail_w:
	free(w);
	return NULL;
}

int gencap_writer_put(struct gencap_writer *w, uint64_t ts_us, const uint8_t *data, size_t len)
{
	if (!w->pcapng) {
		struct pcap_pkthdr h;

		h.ts.tv_sec = (time_t)(ts_us / 1000000);
		h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
		h.caplen = h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)w->dumper, &h, data);
		return 0;
	} else {
		uint8_t body[20 + 1600 + 4];
		uint32_t hdr[5] = {0, (uint32_t)(ts_us >> 32), (uint32_t)ts_us, (uint32_t)len,
				   (uint32_t)len};

		if (len > 1600)
			return -EINVAL;
		memcpy(body, hdr, sizeof(hdr));
		memcpy(body + 20, data, len);
		return put_block(w->fp, 0x00000006, body, 20 + len);
	}
}

int gencap_writer_close(struct gencap_writer *w)
{
	int rc = 0;

	if (!w)
		return 0;
	if (fflush(w->fp) != 0 || ferror(w->fp))
		rc = -EIO;
	if (w->dumper) {
		pcap_dump_close(w->dumper); /* closes fp, even stdout */
		pcap_close(w->dead);
	} else if (w->fp != stdout) {
		if (fclose(w->fp) != 0)
			rc = -EIO;
	}
	free(w->buf);
	free(w);
	return rc;
}
