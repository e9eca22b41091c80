/*
 * capture_explain.h: turn libpcap's failures into messages people can act on.
 */
#ifndef KITCHEN_CAPTURE_EXPLAIN_H
#define KITCHEN_CAPTURE_EXPLAIN_H

#include <pcap/pcap.h>

/* Logs why activating a live capture on `dev` failed (rc < 0 from
 * pcap_activate) or warns about a warning (rc > 0).  For a missing
 * interface it lists the ones available; for a permission problem it says
 * what privileges capture needs. */
void kitchen_capture_explain_activate(const char *dev, int rc, pcap_t *p);

/* Logs once that `name`'s link type cannot be dissected, naming it. */
void kitchen_capture_explain_linktype(const char *name, int linktype);

/* True when the dissector knows this link type. */
int kitchen_capture_linktype_known(int linktype);

#endif
