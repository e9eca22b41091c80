/*
 * chef_runtime.h: running chefs inside a kitchen (see chef.h for the ABI,
 * chef_loader.h for finding modules).
 *
 * The kitchen's side of the contract:
 *
 *     struct nd_chef_catalog *cat = nd_chef_catalog_new();
 *     for each -m PATH: nd_chef_catalog_add(cat, PATH, err, sizeof(err));
 *     if (-l) { nd_chef_catalog_print(cat, stdout); ... }
 *     struct nd_chef_runtime *rt = nd_chef_runtime_new(cat, &cfg);  // owns cat now
 *     nd_chef_runtime_start(rt, chef_names, n, options, m, err, sizeof(err));
 *     for each i < nd_chef_runtime_count(rt): register nd_chef_runtime_info(rt, i)->full_name
 *     per packet:         nd_chef_runtime_packet(rt, pkt);
 *     per poke interval:  nd_chef_runtime_poke(rt, interval);  (and once at
 *                         the end of an offline file)
 *     at exit:            nd_chef_runtime_free(rt);  // fini every chef, then dlclose
 *
 * Dispatch: chefs run in priority order (higher first, ties in load order).
 * A chef is skipped for a packet that does not match its interest flags or
 * its BPF filter (compiled once per link type, applied with
 * pcap_offline_filter), and for every packet after a higher-priority chef
 * returned ND_CHEF_HALT.  A chef's failure (a negative return, or an emit
 * the kitchen refused) is counted and logged at most once per few seconds
 * per chef with the count of suppressed lines; the kitchen keeps going.
 *
 * Everything here, and every chef call, runs on the kitchen's loop thread.
 */
#ifndef ND_CHEF_RUNTIME_H
#define ND_CHEF_RUNTIME_H

#include "chef.h"
#include "chef_loader.h"
#include "dumpling.h"

#include <stddef.h>
#include <stdint.h>

struct nd_packet;
struct nd_chef_runtime;

struct nd_chef_runtime_config {
	/* The kitchen's name, returned to chefs by host->kitchen_name (copied).
	 * NULL: "default_kitchen". */
	const char *kitchen_name;

	/* The sink for dumplings.  Called synchronously from inside a chef's
	 * emit: `chef` is the chef's name (borrowed, for metadata.chef),
	 * `driver` ND_DRIVER_PACKET or ND_DRIVER_INTERVAL.  Steals `payload`
	 * (a new reference; the sink must release it on every path).  The
	 * kitchen adds the metadata itself (kitchen, creation_time, seq, ...).
	 * Returns 0 or a negative errno, which is counted and handed back to
	 * the chef.  NULL: payloads are dropped (and counted as emitted). */
	int (*emit)(void *user, const char *chef, enum nd_driver driver, json_t *payload);

	/* Fills capture statistics for host->capture_stats.  The runtime has
	 * zeroed `out` and set out->struct_size; set `valid` bits for what you
	 * fill.  Returns 0 or a negative errno.  NULL: chefs get -ENOTSUP. */
	int (*capture_stats)(void *user, struct nd_chef_capture_stats *out);

	/* Wall-clock seconds since the epoch for host->now.  NULL: the system
	 * clock.  (Tests pass a fixed clock.) */
	double (*now)(void *user);

	void *user; /* handed to the three callbacks above */
};

/* One running chef.  Borrowed from the runtime. */
struct nd_chef_info {
	const char *name;      /* "ARPChef" */
	const char *module;    /* "arpchef" */
	const char *full_name; /* "arpchef.ARPChef", for the kitchen's registration */
	const char *path;      /* the module's file */
	int32_t priority;
};

/* Per-chef counters since start. */
struct nd_chef_counters {
	uint64_t packets;         /* packet calls made */
	uint64_t skipped;         /* packets not shown: interest flags or BPF */
	uint64_t halted_before;   /* packets not shown: a higher chef halted them */
	uint64_t halts;           /* packets this chef halted */
	uint64_t packet_failures; /* packet calls that returned a negative errno */
	uint64_t intervals;       /* interval calls made */
	uint64_t interval_failures;
	uint64_t emitted;         /* dumplings the sink accepted */
	uint64_t emit_failures;   /* emits refused (by the sink, or outside a call) */
};

/* Creates a runtime over `cat`, which it takes ownership of (even on
 * failure) and frees after every chef's fini.  `cfg` is copied.  Returns
 * NULL when out of memory. */
struct nd_chef_runtime *nd_chef_runtime_new(struct nd_chef_catalog *cat,
					    const struct nd_chef_runtime_config *cfg);

/* Selects and initialises chefs.  `names` (n_names entries; 0 means every
 * assignable chef, as netdumplings does, except those flagged
 * ND_CHEF_F_EXPLICIT) are "Chef" (every module's chef of
 * that name) or "module.Chef".  A requested chef that is not found, or is
 * not assignable, is logged as a warning and skipped.  `options` are
 * "Chef.key=value" or "module.Chef.key=value"; an option for a chef that
 * is not selected, or a key the chef does not declare, is an error (the
 * keys "bpf" and "priority" are the runtime's, for every chef: they replace
 * the chef's filter and priority).  Each
 * chef's BPF filter is compiled, then inits run in priority order.
 * Returns 0, or -ENOENT (no chef selected), -EINVAL (bad option or filter),
 * -ENOMEM, or a chef's failing init's -errno, with one line in err naming
 * the file and the chef; on failure every chef already initialised is
 * finalised again and the runtime runs no chef.  Call once. */
int nd_chef_runtime_start(struct nd_chef_runtime *rt, const char **names, size_t n_names,
			  const char **options, size_t n_options, char *err, size_t errlen);

/* Running chefs, in dispatch order. */
size_t nd_chef_runtime_count(const struct nd_chef_runtime *rt);
const struct nd_chef_info *nd_chef_runtime_info(const struct nd_chef_runtime *rt, size_t i);
/* Copies chef i's counters; returns 0 or -ERANGE. */
int nd_chef_runtime_counters(const struct nd_chef_runtime *rt, size_t i,
			     struct nd_chef_counters *out);

/* Shows one dissected packet to the chefs.  The packet view is borrowed for
 * the call only.  Returns how many chefs were called. */
size_t nd_chef_runtime_packet(struct nd_chef_runtime *rt, const struct nd_packet *pkt);

/* Pokes every chef's interval callback with the poke interval in seconds.
 * Returns how many chefs were called. */
size_t nd_chef_runtime_poke(struct nd_chef_runtime *rt, double interval);

/* Finalises every chef (in reverse order), frees filters, closes the
 * modules.  NULL is a no-op. */
void nd_chef_runtime_free(struct nd_chef_runtime *rt);

#endif
