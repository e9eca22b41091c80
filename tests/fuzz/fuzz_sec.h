/*
 * fuzz_sec.h: fuzz inputs through the parsers of untrusted bytes outside
 * the dissector, with invariant checks.  Shared by the libFuzzer targets
 * (fuzz_sec_entry.c, one per function) and by the regression test that
 * replays every saved input (test_sec_regressions.c).
 *
 *   nd_fuzz_dumpling_one  nd_dumpling_parse (BASIC and STRICT), the
 *                         kitchen and eater hello checks
 *   nd_fuzz_hubmsg_one    the hub's per-message path: its one-pass
 *                         scanner against jansson (what the hub forwards
 *                         must parse for every eater, and be judged a
 *                         dumpling by the eater library), the shared
 *                         message and a queue
 *   nd_fuzz_eatermsg_one  the eater library: reassembly from fragments
 *                         (sizes from the input) and judging a message
 *   nd_fuzz_pcapfile_one  a capture file read by libpcap and every packet
 *                         dissected by our code
 * Each aborts on a broken invariant and returns 0.
 */
#ifndef ND_FUZZ_SEC_H
#define ND_FUZZ_SEC_H

#include <stddef.h>
#include <stdint.h>

int nd_fuzz_dumpling_one(const uint8_t *data, size_t size);
int nd_fuzz_hubmsg_one(const uint8_t *data, size_t size);
int nd_fuzz_eatermsg_one(const uint8_t *data, size_t size);
int nd_fuzz_pcapfile_one(const uint8_t *data, size_t size);

#endif
