/*
 * chef_runtime_priv.h: what the chef runtime's files share (chef_runtime.c,
 * chef_options.c, chef_host.c, chef_filter.c).  Not installed, not for chefs.
 *
 * One struct nd_chef_ctx per running chef: the handle chefs pass back to
 * every host service.  Its `in_call` says which callback is running, which
 * is how emit knows the driver and refuses calls outside a callback.
 */
#ifndef ND_CHEF_RUNTIME_PRIV_H
#define ND_CHEF_RUNTIME_PRIV_H

#include "chef_runtime.h"

#include <pcap/pcap.h>
#include <stdbool.h>

#define CHEF_BPF_SLOTS 4 /* link types a chef's filter is compiled for */

struct chef_bpf {
	int dlt;
	bool ok; /* false: does not compile for this link type */
	struct bpf_program prog;
};

/* A log rate limit: at most `burst` lines per window. */
struct chef_ratelimit {
	uint64_t window_start_ns;
	unsigned in_window;
	uint64_t suppressed;
};

struct nd_chef_ctx {
	struct nd_chef_runtime *rt;
	const struct nd_chef_entry *entry;
	const struct nd_chef_desc *desc;
	struct nd_chef_info info;
	size_t load_index; /* selection order, the tie-break of priorities */
	void *state;
	bool inited;
	enum nd_driver in_call; /* ND_DRIVER_UNKNOWN outside callbacks */
	struct nd_chef_counters counters;

	/* Options given on the command line (keys declared by the chef). */
	char **opt_keys;
	char **opt_vals;
	size_t n_opts;

	const char *bpf_expr; /* the filter in force: the chef's, or -o Chef.bpf */
	char *bpf_override;   /* owned copy of -o Chef.bpf */
	struct chef_bpf bpf[CHEF_BPF_SLOTS];
	size_t n_bpf;
	uint64_t bpf_uncached; /* packets of link types beyond the slots */

	struct chef_ratelimit fail_rl; /* failures of callbacks */
	struct chef_ratelimit log_rl;  /* the chef's own log lines */
};

struct nd_chef_runtime {
	struct nd_chef_catalog *cat;
	struct nd_chef_runtime_config cfg;
	char *kitchen_name;
	struct nd_chef_host host;
	struct nd_chef_ctx **chefs; /* dispatch order */
	size_t n;
	bool started;
	bool running; /* start succeeded: chefs are called */
};

/* chef_host.c */
void nd__chef_host_fill(struct nd_chef_host *host);
uint64_t nd__chef_monotonic_ns(void);
/* True when a line may be logged now under rl (burst lines per window). */
bool nd__chef_ratelimit_allow(struct chef_ratelimit *rl, unsigned burst, uint64_t window_ns);

/* chef_options.c */
/* Applies one "Chef.key=value" option to every selected chef it names.
 * Returns 0, or -EINVAL / -ENOMEM with err. */
int nd__chef_apply_option(struct nd_chef_runtime *rt, const char *opt, char *err, size_t errlen);

/* chef_filter.c */
/* Compiles ctx's BPF filter for DLT_EN10MB to check it.  Returns 0 or
 * -EINVAL with err naming the chef and the filter. */
int nd__chef_filter_check(const struct nd_chef_ctx *ctx, char *err, size_t errlen);
/* True when ctx wants pkt: interest flags, then its BPF filter. */
bool nd__chef_filter_match(struct nd_chef_ctx *ctx, const struct nd_packet *pkt);
void nd__chef_filter_free(struct nd_chef_ctx *ctx);

#endif
