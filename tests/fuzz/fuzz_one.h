/*
 * fuzz_one.h: one fuzz input through the whole dissector, with invariant
 * checks.  Shared by the libFuzzer target and by the regression test that
 * replays every saved input.
 *
 * Input: byte 0 picks the link type (index into a table of the supported
 * ones plus one unsupported), byte 1 bit 0 says "the wire length was
 * longer" (ND_PKT_TRUNCATED expected), the rest is the captured packet.
 * The rest is also fed straight to the DNS, TLS and HTTP parsers.
 */
#ifndef ND_FUZZ_ONE_H
#define ND_FUZZ_ONE_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input; aborts on any broken invariant.  Returns 0. */
int nd_fuzz_dissect_one(const uint8_t *data, size_t size);

#endif
