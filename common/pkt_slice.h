/*
 * pkt_slice.h: strings taken from packets, as {pointer, length} slices.
 *
 * A slice points into captured bytes that the caller owns (for a packet
 * view: valid only during the chef's packet callback).  Slices are never
 * NUL-terminated and may hold any byte, so before one goes into JSON or a
 * log line, nd_slice_escape() turns it into printable ASCII (always valid
 * UTF-8) in a caller buffer.
 */
#ifndef ND_PKT_SLICE_H
#define ND_PKT_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nd_slice {
	const uint8_t *ptr; /* NULL when len is 0 and nothing was found */
	uint32_t len;
};

/* True when s holds exactly the len bytes of lit (case-sensitive). */
bool nd_slice_eq(struct nd_slice s, const char *lit);

/* True when s equals lit ignoring ASCII case. */
bool nd_slice_eq_nocase(struct nd_slice s, const char *lit);

/* Writes s into buf as printable ASCII: bytes 0x21..0x7e except '\\' are
 * copied, '\\' becomes "\\\\", every other byte (space included) becomes
 * "\\DDD" (three decimal digits, as in DNS presentation format).  Always
 * NUL-terminates when size > 0.  Returns the length written (without the
 * NUL), or -ENOSPC when buf was too small (buf then holds a truncated but
 * still well-formed prefix: no escape is cut in half). */
int nd_slice_escape(struct nd_slice s, char *buf, size_t size);

#endif
