/*
 * http_req.c: an HTTP/1.x request line and its Host header (RFC 9112
 * sections 3 and 5, RFC 9110 section 7.2).
 *
 *   request-line = method SP request-target SP "HTTP/1." DIGIT CRLF
 *   field-line   = field-name ":" OWS field-value OWS CRLF
 *
 * Methods are accepted as 1..ND_HTTP_METHOD_MAX of [A-Z_-] so that binary
 * payloads fail on their first bytes.  The target is any run of visible
 * bytes (0x21..0xff except DEL).  Bare LF is accepted as a line end, as
 * most servers do.  At most ND_HTTP_MAX_HEADERS header lines are looked at.
 */
#include <errno.h>
#include <string.h>

#include "http_req.h"

static bool nd_http_method_char(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-';
}

static bool nd_http_target_char(uint8_t ch)
{
	return ch > 0x20 && ch != 0x7f;
}

/* Cuts spaces and tabs from both ends of s. */
static struct nd_slice nd_http_trim(const uint8_t *s, uint32_t n)
{
	struct nd_slice r;

	while (n && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	r.ptr = s;
	r.len = n;
	return r;
}

static void nd_http_headers(struct nd_http_req *r, const uint8_t *buf,
			    uint32_t len, uint32_t off)
{
	for (unsigned i = 0; i < ND_HTTP_MAX_HEADERS && off < len; i++) {
		const uint8_t *lf = memchr(buf + off, '\n', len - off);
		const uint8_t *line = buf + off, *colon;
		uint32_t n;

		if (!lf)
			return; /* cut off */
		n = (uint32_t)(lf - line);
		off += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0) {
			r->headers_complete = true;
			return;
		}
		colon = memchr(line, ':', n);
		if (!colon || colon - line != 4 || r->has_host)
			continue;
		if ((line[0] | 0x20) == 'h' && (line[1] | 0x20) == 'o' &&
		    (line[2] | 0x20) == 's' && (line[3] | 0x20) == 't') {
			r->has_host = true;
			r->host = nd_http_trim(colon + 1, n - 5);
		}
	}
}

int nd_http_req_parse(struct nd_http_req *r, const uint8_t *buf, size_t len)
{
	static const char ver[] = "HTTP/1.";
	uint32_t cap, i, m, t0;

	memset(r, 0, sizeof(*r));
	if (!buf || len == 0)
		return -EINVAL;
	cap = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;

	for (i = 0; i < cap && nd_http_method_char(buf[i]); i++)
		if (i >= ND_HTTP_METHOD_MAX)
			return -EINVAL;
	if (i == cap)
		return -EAGAIN;
	if (i == 0 || buf[i] != ' ')
		return -EINVAL;
	m = i++;

	for (t0 = i; i < cap && nd_http_target_char(buf[i]); i++)
		;
	if (i == cap)
		return -EAGAIN;
	if (i == t0 || buf[i] != ' ')
		return -EINVAL;
	r->method.ptr = buf;
	r->method.len = m;
	r->target.ptr = buf + t0;
	r->target.len = i - t0;
	i++;

	for (unsigned k = 0; k < sizeof(ver) - 1; k++, i++) {
		if (i == cap)
			return -EAGAIN;
		if (buf[i] != (uint8_t)ver[k])
			return -EINVAL;
	}
	if (i == cap)
		return -EAGAIN;
	if (buf[i] < '0' || buf[i] > '9')
		return -EINVAL;
	r->version_minor = (uint8_t)(buf[i++] - '0');
	if (i < cap && buf[i] == '\r')
		i++;
	if (i == cap)
		return -EAGAIN;
	if (buf[i] != '\n')
		return -EINVAL;
	nd_http_headers(r, buf, cap, i + 1);
	return 0;
}
