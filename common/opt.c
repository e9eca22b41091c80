/*
 * opt.c: value parsers and usage-error reporting for command lines.
 * See opt.h.  Nothing here allocates except nd_strv.
 */
#include "opt.h"

#include "log.h"
#include "version.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *opt_program = "nd";

void nd_opt_init(const char *program)
{
	opt_program = program;
	nd_log_init(program);
}

const char *nd_opt_program(void)
{
	return opt_program;
}

int nd_opt_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || *end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int nd_opt_parse_double(const char *s, double min, double max, double *out)
{
	double v;
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || isnan(v))
		return -EINVAL;
	if (errno == ERANGE || isinf(v) || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int nd_opt_parse_port(const char *s, int allow_zero, uint16_t *out)
{
	uint64_t v;
	int rc = nd_opt_parse_u64(s, allow_zero ? 0 : 1, 65535, &v);

	if (rc == 0)
		*out = (uint16_t)v;
	return rc;
}

static int size_shift(const char *suffix, unsigned *shift)
{
	static const struct {
		const char *name;
		unsigned shift;
	} units[] = {
		{"", 0}, {"b", 0}, {"k", 10}, {"kb", 10}, {"kib", 10},
		{"m", 20}, {"mb", 20}, {"mib", 20}, {"g", 30}, {"gb", 30}, {"gib", 30},
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(suffix, units[i].name) == 0) {
			*shift = units[i].shift;
			return 0;
		}
	}
	return -EINVAL;
}

int nd_opt_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	unsigned shift;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || size_shift(end, &shift) != 0)
		return -EINVAL;
	if (errno == ERANGE || (shift && v > (UINT64_MAX >> shift)))
		return -ERANGE;
	v <<= shift;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

void nd_opt_die(const char *flag, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (flag)
		fprintf(stderr, "%s: %s: %s\n", opt_program, flag, msg);
	else
		fprintf(stderr, "%s: %s\n", opt_program, msg);
	fprintf(stderr, "Try '%s --help' for more information.\n", opt_program);
	exit(ND_EXIT_USAGE);
}

static _Noreturn void die_value(const char *flag, const char *s, int rc,
				const char *what, double min, double max)
{
	if (rc == -ERANGE)
		nd_opt_die(flag, "\"%s\" is out of range (%g to %g)", s, min, max);
	nd_opt_die(flag, "\"%s\" is not %s", s ? s : "", what);
}

uint64_t nd_opt_u64_or_die(const char *flag, const char *s, uint64_t min, uint64_t max)
{
	uint64_t v = 0;
	int rc = nd_opt_parse_u64(s, min, max, &v);

	if (rc)
		die_value(flag, s, rc, "a whole number", (double)min, (double)max);
	return v;
}

double nd_opt_double_or_die(const char *flag, const char *s, double min, double max)
{
	double v = 0;
	int rc = nd_opt_parse_double(s, min, max, &v);

	if (rc)
		die_value(flag, s, rc, "a number", min, max);
	return v;
}

uint16_t nd_opt_port_or_die(const char *flag, const char *s, int allow_zero)
{
	uint16_t v = 0;
	int rc = nd_opt_parse_port(s, allow_zero, &v);

	if (rc)
		die_value(flag, s, rc, "a port number", allow_zero ? 0 : 1, 65535);
	return v;
}

uint64_t nd_opt_size_or_die(const char *flag, const char *s, uint64_t min, uint64_t max)
{
	uint64_t v = 0;
	int rc = nd_opt_parse_size(s, min, max, &v);

	if (rc)
		die_value(flag, s, rc, "a size (such as 512, 64k, 16M, 1G)",
			  (double)min, (double)max);
	return v;
}

void nd_opt_verbose(void)
{
	nd_log_more_verbose();
}

void nd_opt_log_level_or_die(const char *s)
{
	enum nd_log_level lvl;

	if (nd_log_parse_level(s, &lvl) != 0)
		nd_opt_die("--log-level", "\"%s\" is not one of error, warn, info, debug, trace",
			   s ? s : "");
	nd_log_set_level(lvl);
}

void nd_opt_print_version(void)
{
	printf("%s (netdumplings-c) %s\n", opt_program, ND_VERSION);
}

int nd_strv_push(struct nd_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		const char **v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	return 0;
}

int nd_strv_contains(const struct nd_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

void nd_strv_free(struct nd_strv *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}
