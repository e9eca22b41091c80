/*
 * capture_file.c: reading a capture file on the kitchen's loop (see
 * capture.h).  As fast as possible, an idle handle reads BATCH packets per
 * loop iteration (so the WebSocket keeps being serviced): classic pcap
 * files mapped and read in place (pcapfile.c), pcapng and pipes through
 * pcap_dispatch.  Paced (--realtime), a timer delivers each packet when its
 * recorded time, scaled, comes.  Pausing stops after the current packet.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture_int.h"
#include "log.h"

#define COMP "capture"
#define BATCH 4096
#define PACED_MAX_PER_TICK 4096
#define FILE_BUFFER (1 << 20)

static void read_error(struct kitchen_capture *c, struct kitchen_source *s)
{
	nd_error(COMP, "%s: cannot read the capture file after %llu packets: %s", s->name,
		 (unsigned long long)c->st.packets, pcap_geterr(s->pcap));
	kitchen_capture_end(c, -EIO);
}

/* Mapped reading: records straight from the file, no copies. */
static void pump_mapped(struct kitchen_capture *c, struct kitchen_source *s)
{
	for (int n = 0; n < BATCH && !c->paused && !c->stopped; n++) {
		struct pcap_pkthdr h;
		const uint8_t *data;
		int rc = kitchen_pcapfile_next(&c->map, &h, &data);

		if (rc == 0) {
			kitchen_capture_end(c, 0);
			return;
		}
		if (rc < 0) {
			nd_error(COMP, "%s: cannot read the capture file after %llu packets: %s",
				 s->name, (unsigned long long)c->st.packets, c->map.err);
			kitchen_capture_end(c, -EIO);
			return;
		}
		if (c->have_prog && !pcap_offline_filter(&c->prog, &h, data))
			continue;
		kitchen_capture_deliver((u_char *)s, &h, data);
	}
}

void kitchen_capfile_on_pump(uv_idle_t *h)
{
	struct kitchen_capture *c = h->data;
	struct kitchen_source *s = &c->src[0];
	int n;

	if (c->use_map) {
		pump_mapped(c, s);
		return;
	}

	c->current = s;
	n = pcap_dispatch(s->pcap, BATCH, kitchen_capture_deliver, (u_char *)s);
	c->current = NULL;
	if (n == 0 && !c->paused && !c->stopped)
		kitchen_capture_end(c, 0);
	else if (n == PCAP_ERROR)
		read_error(c, s);
}

static double ts_seconds(const struct pcap_pkthdr *h)
{
	return (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;
}

/* --loop: opens the file again and paces its first packet as due now.
 * Returns false (the capture then ends) when the pass that just finished
 * delivered nothing (looping would spin) or the file cannot be reopened;
 * the old handle stays in place until the new one is ready. */
static bool rewind_file(struct kitchen_capture *c, struct kitchen_source *s)
{
	struct kitchen_source fresh = *s;

	if (c->st.packets == c->pace_pass_start) {
		nd_warn(COMP, "%s: no packet in the last pass; not looping", s->name);
		return false;
	}
	fresh.pcap = NULL;
	if (kitchen_capfile_open(c, &fresh) != 0)
		return false;
	pcap_close(s->pcap);
	s->pcap = fresh.pcap;
	c->pace_pass_start = c->st.packets;
	c->pace_have_origin = false;
	nd_debug(COMP, "%s: end of file after %llu packets; replaying it again", s->name,
		 (unsigned long long)c->st.packets);
	return true;
}

/* Paced reading: deliver every packet that is due, then sleep until the
 * next one is. */
void kitchen_capfile_on_pace(uv_timer_t *t)
{
	struct kitchen_capture *c = t->data;
	struct kitchen_source *s = &c->src[0];

	for (int n = 0; n < PACED_MAX_PER_TICK && !c->paused && !c->stopped; n++) {
		uint64_t now = uv_hrtime(), due;
		double offset;

		if (!c->held_hdr) {
			struct pcap_pkthdr *h;
			const u_char *d;
			int rc = pcap_next_ex(s->pcap, &h, &d);

			if (rc == PCAP_ERROR_BREAK) {
				if (c->cfg.loop && rewind_file(c, s))
					continue;
				kitchen_capture_end(c, 0);
				return;
			}
			if (rc < 0) {
				read_error(c, s);
				return;
			}
			if (rc == 0)
				continue;
			c->held_hdr = h;
			c->held_data = d;
		}
		if (!c->pace_have_origin) {
			c->pace_have_origin = true;
			c->pace_origin_ns = now;
			c->pace_first_ts = ts_seconds(c->held_hdr);
		}
		offset = (ts_seconds(c->held_hdr) - c->pace_first_ts) / c->cfg.realtime;
		if (offset < 0)
			offset = 0;
		due = c->pace_origin_ns + (uint64_t)(offset * 1e9);
		if (due > now + 1000000) {
			uv_timer_start(&c->pace, kitchen_capfile_on_pace, (due - now) / 1000000, 0);
			return;
		}
		kitchen_capture_deliver((u_char *)s, c->held_hdr, c->held_data);
		c->held_hdr = NULL;
		c->held_data = NULL;
	}
	if (!c->paused && !c->stopped)
		uv_timer_start(&c->pace, kitchen_capfile_on_pace, 0, 0);
}

void kitchen_capfile_on_progress(uv_timer_t *t)
{
	struct kitchen_capture *c = t->data;
	FILE *f = pcap_file(c->src[0].pcap);
	uint64_t now = uv_hrtime();
	double pct = 0, rate = 0;

	if (c->use_map) {
		pct = 100.0 * kitchen_pcapfile_progress(&c->map);
	} else if (f && c->file_size > 0) {
		off_t pos = ftello(f);

		if (pos >= 0)
			pct = 100.0 * (double)pos / (double)c->file_size;
	}
	if (c->progress_last_ns && now > c->progress_last_ns)
		rate = (double)(c->st.packets - c->progress_last_packets) * 1e9 /
		       (double)(now - c->progress_last_ns);
	c->progress_last_ns = now;
	c->progress_last_packets = c->st.packets;
	fprintf(stderr, "\r\033[K%s: %llu packets, %.1f%% of the file, %.0f packets/s",
		c->src[0].name, (unsigned long long)c->st.packets, pct, rate);
	fflush(stderr);
}

int kitchen_capfile_open(struct kitchen_capture *c, struct kitchen_source *s)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct stat sb;

	FILE *f = strcmp(s->name, "-") == 0 ? stdin : fopen(s->name, "rb");
	int rc;

	if (!f) {
		nd_error(COMP, "cannot read the capture file %s: %s", s->name, strerror(errno));
		return -EIO;
	}
	/* Large reads: libpcap reads each record with fread. */
	setvbuf(f, NULL, _IOFBF, FILE_BUFFER);
	s->pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!s->pcap) {
		nd_error(COMP, "cannot read the capture file %s: %s", s->name, errbuf);
		fclose(f);
		return -EIO;
	}
	if (stat(s->name, &sb) == 0)
		c->file_size = sb.st_size;
	/* As fast as possible: read classic pcap files mapped, without libpcap's
	 * copies (libpcap still gives the link type and compiles the filter). */
	if (c->cfg.realtime <= 0 && kitchen_pcapfile_open(&c->map, s->name) == 0)
		c->use_map = true;
	rc = kitchen_capture_set_filter(s, c->cfg.filter, PCAP_NETMASK_UNKNOWN, c->use_map ? &c->prog : NULL);
	if (rc == 0 && c->use_map && c->cfg.filter && *c->cfg.filter)
		c->have_prog = true;
	return rc;
}

void kitchen_capfile_free(struct kitchen_capture *c)
{
	if (c->use_map)
		kitchen_pcapfile_close(&c->map);
	if (c->have_prog)
		pcap_freecode(&c->prog);
	c->use_map = c->have_prog = false;
}
