/*
 * capture_int.h: what capture.c (opening, live sources, lifecycle) and
 * capture_file.c (reading files) share.  Internal to kitchen/.
 */
#ifndef KITCHEN_CAPTURE_INT_H
#define KITCHEN_CAPTURE_INT_H

#include "capture.h"
#include "pcapfile.h"

struct kitchen_capture {
	uv_loop_t *loop;
	struct kitchen_capture_config cfg;
	struct kitchen_source *src;
	size_t n_src;
	struct kitchen_source *current; /* inside pcap_dispatch */
	bool started, paused, stopped, closing, ended;
	int handles_open;
	size_t dead_sources;

	/* offline */
	struct kitchen_pcapfile map;    /* mapped classic pcap, when use_map */
	bool use_map;
	struct bpf_program prog;        /* the filter, for mapped reading */
	bool have_prog;
	uv_idle_t pump;
	uv_timer_t pace;
	uv_timer_t progress;
	off_t file_size;
	const struct pcap_pkthdr *held_hdr; /* paced: next packet, not yet due */
	const unsigned char *held_data;
	uint64_t pace_origin_ns;  /* uv_hrtime when the first packet was due */
	double pace_first_ts;     /* its recorded time */
	bool pace_have_origin;
	uint64_t pace_pass_start; /* --loop: packets delivered before this pass */
	uint64_t progress_last_packets;
	uint64_t progress_last_ns;

	struct kitchen_capture_stats st;
};

/* Counts one packet and hands it to the kitchen (a pcap_handler). */
static inline void kitchen_capture_deliver(u_char *arg, const struct pcap_pkthdr *h,
					   const u_char *data)
{
	struct kitchen_source *s = (struct kitchen_source *)arg;
	struct kitchen_capture *c = s->cap;

	c->st.packets++;
	c->st.bytes += h->len;
	c->cfg.on_packet(c->cfg.arg, s, h, data);
}

/* The file ended (0) or failed (< 0, logged), or every live source died:
 * stop reading and tell the kitchen, once. */
void kitchen_capture_end(struct kitchen_capture *c, int status);

/* Compiles and sets the filter ("" or NULL: none); with keep, also hands
 * back the program for pcap_offline_filter.  Logs and returns -EINVAL when
 * it does not compile. */
int kitchen_capture_set_filter(struct kitchen_source *s, const char *filter,
			       bpf_u_int32 netmask, struct bpf_program *keep);

/* capture_file.c: opens source s as the capture file; frees its reader. */
int kitchen_capfile_open(struct kitchen_capture *c, struct kitchen_source *s);
void kitchen_capfile_free(struct kitchen_capture *c);
/* libuv callbacks: read a batch; deliver paced packets; progress line. */
void kitchen_capfile_on_pump(uv_idle_t *h);
void kitchen_capfile_on_pace(uv_timer_t *t);
void kitchen_capfile_on_progress(uv_timer_t *t);

#endif
