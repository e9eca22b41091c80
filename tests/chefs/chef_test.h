/*
 * chef_test.h: what the chef tests share: a runtime over real modules with a
 * recording dumpling sink, a fixed clock and fixed capture statistics, and
 * builders for crafted frames.
 */
#ifndef ND_CHEF_TEST_H
#define ND_CHEF_TEST_H

#include "chef_runtime.h"

#include <stddef.h>
#include <stdint.h>

#define CT_NOW 1234567890.5 /* what host->now returns in tests */

struct chef_test {
	struct nd_chef_runtime *rt;
	json_t *out;        /* array of {"chef","driver","payload"} */
	int emit_rc;        /* what the sink returns (0, or -ENOBUFS to refuse) */
	int stats_calls;
	int stats_rc;       /* what the capture-stats callback returns */
	struct nd_chef_capture_stats stats; /* what it reports (tests may change it) */
	char err[512];
};

/* Loads `path` (file or directory) into a fresh catalog and starts the
 * runtime with the given names and options.  Returns the start result;
 * ct->err holds the error.  A catalog load error is returned as is (with
 * the runtime not created). */
int ct_open(struct chef_test *ct, const char *path, const char **names, size_t n_names,
	    const char **opts, size_t n_opts);
void ct_close(struct chef_test *ct);
/* ct_open on the standard chef module `stem` (build tree), all its chefs. */
int ct_open_chef(struct chef_test *ct, const char *stem, const char **opts, size_t n_opts);
/* Shows pkt to the chefs; returns how many were called. */
size_t ct_packet(struct chef_test *ct, const struct nd_packet *pkt);
size_t ct_poke(struct chef_test *ct, double interval);

/* The i-th recorded dumpling's payload (borrowed), checked to come from
 * `chef` with `driver` ("packet"/"interval"). */
json_t *ct_payload(const struct chef_test *ct, size_t i, const char *chef, const char *driver);
/* Number of recorded dumplings; ct_clear forgets them. */
size_t ct_count(const struct chef_test *ct);
void ct_clear(struct chef_test *ct);

/* True when payload encodes (sorted keys, compact) exactly as `expect`. */
int ct_json_eq(const json_t *payload, const char *expect);

/* The directory of the standard chefs in the build tree, and of the test
 * modules; a module file path in the latter. */
const char *ct_chef_dir(void);
const char *ct_module_path(const char *stem, char *buf, size_t size);
const char *ct_chef_path(const char *stem, char *buf, size_t size);

#endif
