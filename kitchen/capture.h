/*
 * capture.h: the kitchen's packet sources, read on its libuv loop.
 *
 * Live: one libpcap handle per interface ("all" means the "any" device),
 * non-blocking, its selectable fd polled with uv_poll; each wake-up drains
 * what the kernel has buffered with pcap_dispatch.  Offline (-r): one file,
 * pcap or pcapng, read in batches from an idle handle as fast as possible,
 * or paced at the recorded speed times a factor with a timer.  A progress
 * line can be shown on stderr while reading a file.
 *
 * Opening explains the errors people meet (no such interface, with the
 * list of interfaces; no permission; a filter that does not compile; a
 * link type the dissector does not know) and returns NULL.  Packets go to
 * the on_packet callback, borrowed for the duration of the call.
 */
#ifndef KITCHEN_CAPTURE_H
#define KITCHEN_CAPTURE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct kitchen_capture;

struct kitchen_source {
	pcap_t *pcap;
	const char *name;  /* interface or file name */
	int linktype;      /* DLT_ value */
	unsigned index;    /* position among the capture's sources */
	bool live;
	struct kitchen_capture *cap;
	uv_poll_t poll;    /* live only */
};

/* A packet from src; hdr and data are valid only during the call. */
typedef void (*kitchen_packet_cb)(void *arg, const struct kitchen_source *src,
				  const struct pcap_pkthdr *hdr, const unsigned char *data);
/* The capture file ended (status 0) or could not be read further
 * (status < 0, already logged), or every live source failed (status < 0). */
typedef void (*kitchen_capture_end_cb)(void *arg, int status);

struct kitchen_capture_config {
	const char *const *ifaces; /* live: interface names */
	size_t n_ifaces;
	const char *read_file;     /* offline instead of live when set */
	const char *filter;        /* NULL or "": every packet */
	int snaplen;               /* 0: 262144 */
	int buffer_size;           /* kernel buffer bytes; 0: libpcap's default */
	bool promisc;
	bool immediate;
	double realtime;           /* offline: 0 as fast as possible, else speed factor */
	bool loop;                 /* paced offline: start the file again at its end */
	bool progress;             /* offline: progress line on stderr */
	kitchen_packet_cb on_packet;
	kitchen_capture_end_cb on_end;
	void *arg;
};

struct kitchen_capture_stats {
	uint64_t packets;   /* delivered to on_packet */
	uint64_t bytes;     /* their wire lengths */
	uint64_t recv;      /* pcap_stats, summed over live sources */
	uint64_t drop;      /* dropped by the kernel */
	uint64_t ifdrop;    /* dropped by the interface or driver */
	bool have_pcap_stats;
};

/* Opens every source (nothing is read until start).  Returns NULL after
 * logging a clear error. */
struct kitchen_capture *kitchen_capture_open(uv_loop_t *loop, const struct kitchen_capture_config *cfg);

size_t kitchen_capture_source_count(const struct kitchen_capture *c);
const struct kitchen_source *kitchen_capture_source(const struct kitchen_capture *c, size_t i);

/* Starts reading.  Returns 0 or a negative errno. */
int kitchen_capture_start(struct kitchen_capture *c);

/* Stops delivering after the current packet until resume (a file reader
 * waiting for the hub).  Safe to call from on_packet. */
void kitchen_capture_pause(struct kitchen_capture *c);
void kitchen_capture_resume(struct kitchen_capture *c);
bool kitchen_capture_paused(const struct kitchen_capture *c);

/* Stops reading for good (signal, end of file).  Safe from on_packet. */
void kitchen_capture_stop(struct kitchen_capture *c);

void kitchen_capture_get_stats(struct kitchen_capture *c, struct kitchen_capture_stats *st);

/* Closes the handles and frees c once their close callbacks have run. */
void kitchen_capture_close(struct kitchen_capture *c);

#endif
