/*
 * log.h: logging shared by every program.
 *
 * One line per event on stderr:
 *   2026-11-26T11:33:07.123Z nd-hub hub: INFO: kitchen connected: name=... 
 * with a UTC ISO-8601 timestamp (milliseconds), the program name, the
 * component and the level.  Lines are whole sentences; nothing is logged
 * per packet at INFO or above.  Not thread-safe beyond what stdio gives:
 * every program here logs from its one loop thread.
 */
#ifndef ND_LOG_H
#define ND_LOG_H

#include <stdbool.h>

enum nd_log_level {
	ND_LOG_ERROR = 0,
	ND_LOG_WARN = 1,
	ND_LOG_INFO = 2,
	ND_LOG_DEBUG = 3,
	ND_LOG_TRACE = 4,
};

/* Sets the program name printed on each line (not copied: pass a literal). */
void nd_log_init(const char *program);

void nd_log_set_level(enum nd_log_level level);
enum nd_log_level nd_log_get_level(void);

/* Raises verbosity one step (for each -v). */
void nd_log_more_verbose(void);

/* Parses "error|warn|info|debug|trace" (or 0-4).  Returns 0 or -EINVAL. */
int nd_log_parse_level(const char *s, enum nd_log_level *out);

bool nd_log_enabled(enum nd_log_level level);

/* Logs one line; `component` names the part of the program ("hub", ...). */
void nd_log(enum nd_log_level level, const char *component, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define nd_error(comp, ...) nd_log(ND_LOG_ERROR, comp, __VA_ARGS__)
#define nd_warn(comp, ...) nd_log(ND_LOG_WARN, comp, __VA_ARGS__)
#define nd_info(comp, ...) nd_log(ND_LOG_INFO, comp, __VA_ARGS__)
#define nd_debug(comp, ...)                                                    \
	do {                                                                   \
		if (nd_log_enabled(ND_LOG_DEBUG))                              \
			nd_log(ND_LOG_DEBUG, comp, __VA_ARGS__);               \
	} while (0)

/* Formats a UTC ISO-8601 timestamp with milliseconds ("...T..:..:..mmmZ")
 * for wall-clock time `t` (seconds since the epoch) into buf.  Returns buf. */
char *nd_log_format_time(double t, char *buf, unsigned size);

#endif
