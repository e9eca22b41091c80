/*
 * pcapfile.c: mapped classic pcap reading (see pcapfile.h).
 *
 * File header (24 bytes): magic, version 2.4, thiszone, sigfigs, snaplen,
 * linktype.  Each record: ts_sec, ts_usec (or ts_nsec), incl_len,
 * orig_len (16 bytes), then incl_len bytes.  Every length from the file is
 * checked against what remains before it is used; the checks are written
 * as `n <= size - off` so they cannot overflow.
 */
#include "pcapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du
#define FILE_HDR 24u
#define REC_HDR 16u
/* libpcap refuses records larger than this (its maximum snapshot length
 * for most link types, 262144, with room for the odd larger one). */
#define MAX_RECORD (1u << 20)
#define PREFETCH_AHEAD (16u << 10)

static uint32_t rd32(const struct kitchen_pcapfile *f, size_t off)
{
	uint32_t v;

	memcpy(&v, f->base + off, 4);
	return f->swap ? __builtin_bswap32(v) : v;
}

int kitchen_pcapfile_open(struct kitchen_pcapfile *f, const char *path)
{
	struct stat sb;
	uint32_t magic;
	void *map;
	int fd, rc = 0;

	memset(f, 0, sizeof(*f));
	if (strcmp(path, "-") == 0)
		return -ENOTSUP;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < (off_t)FILE_HDR) {
		close(fd);
		return -ENOTSUP;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	rc = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	f->base = map;
	f->size = (size_t)sb.st_size;
	memcpy(&magic, f->base, 4);
	if (magic == MAGIC_USEC || magic == MAGIC_NSEC) {
		f->nsec = magic == MAGIC_NSEC;
	} else if (__builtin_bswap32(magic) == MAGIC_USEC || __builtin_bswap32(magic) == MAGIC_NSEC) {
		f->swap = true;
		f->nsec = __builtin_bswap32(magic) == MAGIC_NSEC;
	} else {
		kitchen_pcapfile_close(f);
		return -ENOTSUP;
	}
	f->snaplen = rd32(f, 16);
	f->off = FILE_HDR;
	madvise(map, f->size, MADV_SEQUENTIAL);
	return 0;
}

int kitchen_pcapfile_next(struct kitchen_pcapfile *f, struct pcap_pkthdr *h,
			  const uint8_t **data)
{
	size_t left = f->size - f->off;
	uint32_t caplen, frac;

	if (left == 0)
		return 0;
	if (left < REC_HDR) {
		snprintf(f->err, sizeof(f->err),
			 "truncated dump file; tried to read %u header bytes, only got %zu", REC_HDR,
			 left);
		return -1;
	}
	caplen = rd32(f, f->off + 8);
	if (caplen > MAX_RECORD) {
		snprintf(f->err, sizeof(f->err),
			 "invalid packet capture length %u, bigger than the maximum of %u", caplen,
			 MAX_RECORD);
		return -1;
	}
	if (caplen > left - REC_HDR) {
		snprintf(f->err, sizeof(f->err),
			 "truncated dump file; tried to read %u captured bytes, only got %zu", caplen,
			 left - REC_HDR);
		return -1;
	}
	frac = rd32(f, f->off + 4);
	h->ts.tv_sec = (time_t)rd32(f, f->off);
	h->ts.tv_usec = (suseconds_t)(f->nsec ? frac / 1000 : frac);
	h->caplen = caplen;
	h->len = rd32(f, f->off + 12);
	*data = f->base + f->off + REC_HDR;
	f->off += REC_HDR + caplen;
	/* Keep every cache line PREFETCH_AHEAD bytes ahead on its way: only
	 * headers are read, so the hardware would not stream the file. */
	while (f->pf < f->off + PREFETCH_AHEAD && f->pf < f->size) {
		__builtin_prefetch(f->base + f->pf);
		f->pf += 64;
	}
	return 1;
}

double kitchen_pcapfile_progress(const struct kitchen_pcapfile *f)
{
	return f->size ? (double)f->off / (double)f->size : 0;
}

void kitchen_pcapfile_close(struct kitchen_pcapfile *f)
{
	if (f->base)
		munmap((void *)f->base, f->size);
	f->base = NULL;
	f->size = f->off = 0;
}
