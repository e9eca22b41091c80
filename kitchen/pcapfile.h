/*
 * pcapfile.h: a zero-copy reader for classic pcap files, used for fast
 * offline reading (-r without --realtime).
 *
 * The file is mapped read-only and records are handed out in place: no read
 * system calls, no copies.  Only the classic format (both byte orders,
 * microsecond or nanosecond time stamps) is read here; pcapng, pipes and
 * anything unusual stay with libpcap.  The link type is libpcap's (the
 * caller keeps its libpcap handle for that and for filters).
 */
#ifndef KITCHEN_PCAPFILE_H
#define KITCHEN_PCAPFILE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kitchen_pcapfile {
	const uint8_t *base;
	size_t size;
	size_t off;       /* next record */
	size_t pf;        /* prefetched up to here */
	bool swap;        /* file written in the other byte order */
	bool nsec;        /* nanosecond time stamps */
	uint32_t snaplen;
	char err[256];    /* why reading stopped, when it did */
};

/* Maps `path` when it is a classic pcap file on a regular file.  Returns 0,
 * or -ENOTSUP when it is something libpcap should read instead (pcapng, a
 * pipe, "-"), or another negative errno. */
int kitchen_pcapfile_open(struct kitchen_pcapfile *f, const char *path);

/* The next record: 1 with *h and *data (valid until close), 0 at the end
 * of the file, -1 when the file is cut short or corrupt (f->err says how,
 * in libpcap's words). */
int kitchen_pcapfile_next(struct kitchen_pcapfile *f, struct pcap_pkthdr *h,
			  const uint8_t **data);

/* Fraction of the file consumed, 0..1. */
double kitchen_pcapfile_progress(const struct kitchen_pcapfile *f);

void kitchen_pcapfile_close(struct kitchen_pcapfile *f);

#endif
