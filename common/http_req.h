/*
 * http_req.h: the request line and Host header of an HTTP/1.x request.
 *
 * Reads from the start of a TCP payload (no reassembly): "METHOD SP target
 * SP HTTP/1.x CRLF", then header lines up to the blank line or the end of
 * the captured bytes, keeping the first Host header.  Method must be an
 * RFC 7230 token of known shape (uppercase letters, at most 16), so that
 * arbitrary binary payloads are rejected fast.  Zero-copy slices.
 */
#ifndef ND_HTTP_REQ_H
#define ND_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt_slice.h"

#define ND_HTTP_METHOD_MAX 16
#define ND_HTTP_MAX_HEADERS 100 /* header lines looked at for Host */

struct nd_http_req {
	struct nd_slice method;  /* "GET" */
	struct nd_slice target;  /* "/index.html" (request-target, raw) */
	uint8_t version_minor;   /* HTTP/1.<minor> */
	bool has_host;
	struct nd_slice host;    /* Host header value, surrounding spaces cut */
	bool headers_complete;   /* the blank line ending the headers was seen */
};

/* Parses buf[0..len).  Returns 0 once the request line is complete (Host is
 * filled if a Host header line was complete in the captured bytes),
 * -EAGAIN if what is there looks like the start of a request line but it
 * is cut off, -EINVAL if it is not an HTTP/1.x request.  r borrows buf. */
int nd_http_req_parse(struct nd_http_req *r, const uint8_t *buf, size_t len);

#endif
