/*
 * log.c: stderr logging with UTC millisecond timestamps.  See log.h.
 *
 * Each line is formatted into one buffer and written with a single
 * fwrite, so lines from several processes sharing a terminal do not
 * interleave mid-line.
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *log_program = "nd";
static enum nd_log_level log_level = ND_LOG_INFO;

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE"};

void nd_log_init(const char *program)
{
	if (program)
		log_program = program;
}

void nd_log_set_level(enum nd_log_level level)
{
	if (level > ND_LOG_TRACE)
		level = ND_LOG_TRACE;
	log_level = level;
}

enum nd_log_level nd_log_get_level(void)
{
	return log_level;
}

void nd_log_more_verbose(void)
{
	if (log_level < ND_LOG_TRACE)
		log_level++;
}

int nd_log_parse_level(const char *s, enum nd_log_level *out)
{
	if (!s || !*s)
		return -EINVAL;
	for (unsigned i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(s, level_names[i]) == 0 ||
		    (s[0] == (char)('0' + i) && s[1] == '\0')) {
			*out = (enum nd_log_level)i;
			return 0;
		}
	}
	if (strcasecmp(s, "warning") == 0) {
		*out = ND_LOG_WARN;
		return 0;
	}
	return -EINVAL;
}

bool nd_log_enabled(enum nd_log_level level)
{
	return level <= log_level;
}

char *nd_log_format_time(double t, char *buf, unsigned size)
{
	time_t secs = (time_t)t;
	long ms = (long)((t - (double)secs) * 1000.0);
	struct tm tm;

	if (ms < 0)
		ms = 0;
	if (ms > 999)
		ms = 999;
	gmtime_r(&secs, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ms);
	return buf;
}

void nd_log(enum nd_log_level level, const char *component, const char *fmt, ...)
{
	char line[2048];
	char ts[32];
	struct timespec now;
	va_list ap;
	int n, m;

	if (!nd_log_enabled(level))
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	nd_log_format_time((double)now.tv_sec + (double)now.tv_nsec / 1e9, ts, sizeof(ts));
	n = snprintf(line, sizeof(line), "%s %s %s: %s: ", ts, log_program,
		     component ? component : "main", level_names[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* truncated: keep the newline */
	line[n++] = '\n';
	fwrite(line, 1, (size_t)n, stderr);
}
