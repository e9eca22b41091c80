/*
 * errbuf.h: the one-line error message that parsers and loaders hand back
 * to their caller in a caller-owned buffer (err, errlen), for the caller
 * to log or print with its own context.
 */
#ifndef ND_ERRBUF_H
#define ND_ERRBUF_H

#include <stddef.h>

/* Formats into err (always NUL-terminated, truncated to errlen).  Does
 * nothing when err is NULL or errlen is 0. */
void nd_errbuf_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
