/*
 * opt.h: command-line conventions shared by every program.
 *
 * All programs use getopt_long with netdumplings' flag names where it has
 * them, accept --help and --version, and reject a bad value with one line
 * naming the flag and exit status ND_EXIT_USAGE:
 *
 *   nd-hub: --in-port: "abc" is not a number
 *
 * The parse functions return 0 or a negative errno and never exit; the
 * *_or_die wrappers are for main() and exit with ND_EXIT_USAGE on error.
 */
#ifndef ND_OPT_H
#define ND_OPT_H

#include <stddef.h>
#include <stdint.h>

#define ND_EXIT_OK 0
#define ND_EXIT_FAILURE 1 /* a runtime error: cannot bind, cannot capture, ... */
#define ND_EXIT_USAGE 2   /* a bad command line */

/* Sets the program name used in messages (and in log lines). */
void nd_opt_init(const char *program);
const char *nd_opt_program(void);

/* Unsigned decimal (or 0x hex) in [min, max]: 0, -EINVAL (not a number,
 * trailing junk, empty) or -ERANGE (outside [min, max] or overflow). */
int nd_opt_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* A finite real in [min, max]. */
int nd_opt_parse_double(const char *s, double min, double max, double *out);

/* A TCP/UDP port, 1-65535 (or 0-65535 when allow_zero). */
int nd_opt_parse_port(const char *s, int allow_zero, uint16_t *out);

/* A byte size with an optional binary suffix: 512, 64k, 16M, 1G (KiB,
 * MiB, GiB; "kb"/"KiB" spellings accepted), in [min, max]. */
int nd_opt_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Prints "program: flag: <message>" and a hint to stderr, exits 2. */
_Noreturn void nd_opt_die(const char *flag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

uint64_t nd_opt_u64_or_die(const char *flag, const char *s, uint64_t min, uint64_t max);
double nd_opt_double_or_die(const char *flag, const char *s, double min, double max);
uint16_t nd_opt_port_or_die(const char *flag, const char *s, int allow_zero);
uint64_t nd_opt_size_or_die(const char *flag, const char *s, uint64_t min, uint64_t max);

/* Handles -v and --log-level VALUE for every program (dies on a bad level). */
void nd_opt_verbose(void);
void nd_opt_log_level_or_die(const char *s);

/* Prints "<program> (netdumplings-c) <version>" to stdout. */
void nd_opt_print_version(void);

/* A growable list of borrowed strings for repeatable flags (-c, -k, -i).
 * The strings are not copied: they point into argv. */
struct nd_strv {
	const char **v;
	size_t n;
	size_t cap;
};

/* Appends s; returns 0 or -ENOMEM. */
int nd_strv_push(struct nd_strv *sv, const char *s);
/* True when sv holds a string equal to s. */
int nd_strv_contains(const struct nd_strv *sv, const char *s);
void nd_strv_free(struct nd_strv *sv);

#endif
