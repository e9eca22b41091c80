/*
 * writer.h: writes frames to a pcap file (through libpcap's dumper) or a
 * pcapng file (section header, one Ethernet interface with microsecond
 * timestamps, enhanced packet blocks; written here since libpcap 1.10
 * cannot).  "-" means standard output.  Output is buffered in large blocks.
 */
#ifndef GENCAP_WRITER_H
#define GENCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gencap_writer;

/* Constructor; NULL with errno set and a message logged on failure. */
struct gencap_writer *gencap_writer_open(const char *path, bool pcapng);
/* 0 or -errno. */
int gencap_writer_put(struct gencap_writer *w, uint64_t ts_us, const uint8_t *data, size_t len);
/* Flushes and closes; 0 or -errno (a short write shows up here). */
int gencap_writer_close(struct gencap_writer *w);

#endif
