/*
 * pretty.h: print JSON the way netdumplings' console tools do.
 *
 * netdumplings prints payloads with Python's
 *   json.dumps(x, sort_keys=True, indent=4, separators=(',', ': '))
 * (ASCII only: other characters as \uXXXX; floats in their shortest
 * round-trip form, "1.0" for whole ones), optionally coloured for a
 * terminal.  nd_eater_pretty reproduces that text byte for byte.
 */
#ifndef ND_EATER_PRETTY_H
#define ND_EATER_PRETTY_H

#include <jansson.h>
#include <stdbool.h>

/* Returns a malloc'd NUL-terminated text (no trailing newline), or NULL
 * when memory runs out.  v is borrowed.  color adds ANSI colours. */
char *nd_eater_pretty(const json_t *v, bool color);

/* Writes a real as Python's repr does ("0.1", "1.0", "1e+16", "1.5e-05",
 * "NaN", "Infinity") into buf.  Returns buf. */
char *nd_eater_format_real(double d, char *buf, unsigned size);

#endif
