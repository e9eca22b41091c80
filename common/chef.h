/*
 * chef.h: the chef plugin ABI.  This header is installed; third-party chefs
 * are written against it and must keep loading across releases.
 *
 * A chef module is a shared object that exports exactly one entry symbol,
 *
 *     const struct nd_chef_module *nd_chef_module_entry(void);
 *
 * returning a pointer to a constant description of the module: the ABI
 * version it was built against, and a NULL-terminated list of chef
 * descriptions (a module may hold several chefs).  The kitchen opens modules
 * with dlopen(RTLD_NOW | RTLD_LOCAL), so a chef never links against kitchen
 * symbols: everything the kitchen offers (emit a dumpling, log, clocks,
 * options, capture statistics) is handed over at init in a table of host
 * services, struct nd_chef_host.
 *
 * Chefs read packets through the view in packet.h: its struct layout is
 * part of this ABI (ND_PACKET_VERSION, checked at load time), and its
 * accessors and parsers are linked into the module from the netdumplings
 * static library, so a module depends on no kitchen symbol.
 *
 * Versioning.  Every versioned struct starts with its size as compiled (the
 * module struct also with the ABI major version).  A change of
 * ND_CHEF_ABI_MAJOR breaks modules: the kitchen refuses them with one line
 * naming the file and both versions.  A minor version only ever appends
 * fields at the end of a struct (or gives a spare slot a meaning); the
 * kitchen reads a field only when the size the module reported covers it,
 * and a chef reads a host field only when host->struct_size covers it (use
 * ND_CHEF_HAS()).  Nothing is ever removed or reordered within a major,
 * and in every major, forever, struct nd_chef_module starts with abi_major
 * and struct_size, so any kitchen can tell any module's version.
 *
 * The contract, for every callback:
 *  - Thread: all calls (init, packet, interval, fini, and every host
 *    service) happen on the kitchen's one loop thread, never concurrently.
 *  - State: a chef keeps its state in the object it returns from init, never
 *    in mutable globals (a module may be instantiated more than once).
 *  - The packet view, and every pointer reached through it, is valid only for
 *    the duration of the packet call.  Copy what you keep.
 *  - A chef must not block, sleep, do I/O (files, sockets, DNS), print to
 *    stdout/stderr, install signal handlers, fork, exit or abort.  Logging
 *    goes through host->log; output goes through host->emit.
 *  - Memory: bound every table (cap it and count what you evict).
 *  - Errors: a callback returns 0 (or ND_CHEF_HALT) on success and a
 *    negative errno on failure.  At run time a failure is counted and logged
 *    (rate-limited) and the kitchen keeps going; a failing init is a load
 *    error that names the file and the chef.
 *  - JSON: payloads are jansson values.  Link jansson as a shared library
 *    (pkg-config jansson), never a static copy, so that host and chef agree
 *    on one allocator.
 */
#ifndef ND_CHEF_H
#define ND_CHEF_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version of this header.  Major: incompatible.  Minor: appended. */
#define ND_CHEF_ABI_MAJOR 1
#define ND_CHEF_ABI_MINOR 0

/* The one exported symbol.  Its name never changes between majors, so a
 * module built for another major is reported as a version mismatch rather
 * than as a missing symbol. */
#define ND_CHEF_ENTRY_SYMBOL "nd_chef_module_entry"

#define ND_CHEF_EXPORT __attribute__((visibility("default")))

/* True when a versioned struct `s`, whose reported size is s->struct_size,
 * contains `field` (a field appended in a later minor version). */
#define ND_CHEF_HAS(s, field)                                                  \
	((s)->struct_size >= offsetof(__typeof__(*(s)), field) + sizeof((s)->field))

struct nd_chef_ctx; /* the kitchen's handle on one chef instance (opaque) */

/* Return values of chef callbacks, besides a negative errno for failure. */
enum nd_chef_status {
	ND_CHEF_OK = 0,
	/* From a packet callback only: this packet is not shown to chefs of
	 * lower priority.  Chefs of higher priority have already seen it. */
	ND_CHEF_HALT = 1,
};

/* Levels for host->log; the same numbers as the kitchen's own log levels. */
enum nd_chef_log_level {
	ND_CHEF_LOG_ERROR = 0,
	ND_CHEF_LOG_WARN = 1,
	ND_CHEF_LOG_INFO = 2,
	ND_CHEF_LOG_DEBUG = 3,
};

/* nd_chef_desc.flags */
/* Listed by `nd-sniff -l` but never loaded into a kitchen (netdumplings'
 * `assignable_to_kitchen = False`): for base chefs and work in progress. */
#define ND_CHEF_F_UNASSIGNABLE (1u << 0)
/* Loaded only when named (`nd-sniff -c Chef`), not when the kitchen runs
 * every chef it finds: for chefs that are costly or send much (raw packet
 * forwarding). */
#define ND_CHEF_F_EXPLICIT (1u << 1)

/* A per-chef option, given on the kitchen's command line as
 * `-o ChefName.key=value`.  Options not declared by the chef are refused at
 * load time.  A list of options ends with an entry whose key is NULL.
 * Every chef also has the runtime's own keys, which no chef may declare:
 * `bpf` (replaces the chef's BPF filter; empty: none) and `priority`. */
#define ND_CHEF_OPT_BPF "bpf"
#define ND_CHEF_OPT_PRIORITY "priority"
struct nd_chef_option {
	const char *key;
	const char *default_value; /* NULL: unset unless given */
	const char *help;          /* one line */
};

/* Cheap interest flags: the kitchen calls the chef's packet callback only
 * for packets matching every non-empty list (within a list, any entry
 * matches).  All lists empty (the default, zero-initialised) means every
 * packet, as in netdumplings.
 *  - ethertypes: the network-layer ethertype after any VLAN tags (0x0800
 *    IPv4, 0x86dd IPv6, 0x0806 ARP), whatever the link type.
 *  - ip_protos: the transport protocol of IPv4/IPv6 (6 TCP, 17 UDP, ...).
 *  - ports: TCP or UDP source or destination port. */
#define ND_CHEF_MAX_INTEREST 8
struct nd_chef_interest {
	uint8_t n_ethertypes;
	uint8_t n_ip_protos;
	uint8_t n_ports;
	uint8_t reserved;
	uint16_t ethertypes[ND_CHEF_MAX_INTEREST];
	uint8_t ip_protos[ND_CHEF_MAX_INTEREST];
	uint16_t ports[ND_CHEF_MAX_INTEREST];
};

struct nd_chef_host;

/* One chef.  Declare it `static const` and initialise it with designated
 * initialisers; fields left out are zero, which means "default". */
struct nd_chef_desc {
	uint32_t struct_size; /* sizeof(struct nd_chef_desc) */
	uint32_t flags;       /* ND_CHEF_F_* */
	const char *name;     /* "DNSLookupChef": [A-Za-z0-9_]+, unique in the module */
	const char *summary;  /* one line, shown by `nd-sniff -l` */

	/* Higher runs first; equal priorities run in load order.  0 is the
	 * default; a blocklist chef that halts packets might use 100. */
	int32_t priority;
	uint32_t reserved0;

	/* Optional pcap filter expression ("udp port 53"), compiled once for the
	 * capture's link type and applied to each packet with
	 * pcap_offline_filter before the packet callback.  NULL: none.  A filter
	 * that does not compile is a load error. */
	const char *bpf;
	struct nd_chef_interest interest;

	const struct nd_chef_option *options; /* NULL or ended by {NULL} */

	/* Creates the chef's state.  `ctx` identifies this instance in every
	 * host call; `host` stays valid until fini returns.  Read options here
	 * (host->option).  Returns 0 and sets *state, or a negative errno (a
	 * load error; fini is then not called).  NULL: no state. */
	int (*init)(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state);

	/* Called for each captured packet the chef is interested in.  May emit
	 * zero, one or several dumplings (driver "packet").  Returns 0,
	 * ND_CHEF_HALT, or a negative errno.  NULL: not called. */
	int (*packet)(void *state, const struct nd_packet *pkt);

	/* Called every poke interval (and once more at the end of an offline
	 * capture) with the interval in seconds.  May emit dumplings (driver
	 * "interval").  Returns 0 or a negative errno.  NULL: not called. */
	int (*interval)(void *state, double interval);

	/* Frees the state.  No host service may be used after it returns. */
	void (*fini)(void *state);

	void *spare[8]; /* must be NULL */
};

/* What `nd_chef_module_entry` returns.  Declare it `static const`. */
struct nd_chef_module {
	uint32_t abi_major;   /* ND_CHEF_ABI_MAJOR */
	uint32_t struct_size; /* sizeof(struct nd_chef_module) */
	uint32_t abi_minor;   /* ND_CHEF_ABI_MINOR */
	/* ND_PACKET_VERSION: the layout of struct nd_packet the module reads.
	 * A module built against another layout is refused like a major
	 * mismatch. */
	uint32_t packet_version;
	/* The module name in `module.Chef` names; NULL: the file name without
	 * directory and ".so". */
	const char *name;
	const char *version;                     /* free text, may be NULL */
	const struct nd_chef_desc *const *chefs; /* NULL-terminated */
	void *spare[4];                          /* must be NULL */
};

/* Capture statistics, as the kitchen knows them when asked.  The counters
 * are totals since the kitchen started (summed over its interfaces); a
 * counter the kitchen cannot provide reads 0 and its ND_CHEF_STAT_* bit is
 * clear in `valid`. */
#define ND_CHEF_STAT_PCAP (1u << 0)    /* received, dropped_kernel, dropped_iface */
#define ND_CHEF_STAT_KITCHEN (1u << 1) /* the kitchen's own counters */
struct nd_chef_capture_stats {
	uint32_t struct_size; /* set by the caller: sizeof(its struct) */
	uint32_t valid;       /* ND_CHEF_STAT_* */
	uint64_t received;          /* pcap_stats ps_recv */
	uint64_t dropped_kernel;    /* pcap_stats ps_drop: no buffer space */
	uint64_t dropped_iface;     /* pcap_stats ps_ifdrop: by the interface */
	uint64_t packets_processed; /* handed to the chefs */
	uint64_t packets_dropped;   /* dropped by the kitchen itself */
	uint64_t dumplings_sent;    /* handed to the hub connection */
	uint64_t dumplings_dropped; /* dropped by the kitchen (queue full, no hub) */
	uint64_t spare[8];
};

/* The kitchen's services, handed to init.  All take the chef's ctx. */
struct nd_chef_host {
	uint32_t abi_major;   /* the kitchen's ND_CHEF_ABI_MAJOR */
	uint32_t struct_size; /* sizeof(struct nd_chef_host) in the kitchen */
	uint32_t abi_minor;   /* the kitchen's ND_CHEF_ABI_MINOR */
	uint32_t reserved;

	/* Makes a dumpling of `payload` (any JSON value, usually an object)
	 * with this chef's name, the kitchen's name, the current time and the
	 * driver of the call in progress.  Steals `payload`, even on failure.
	 * Only valid during a packet or interval call: -EPERM otherwise.
	 * Returns 0, -EINVAL (NULL payload) or the kitchen's -errno (for
	 * example -ENOBUFS when its queue is full). */
	int (*emit)(struct nd_chef_ctx *ctx, json_t *payload);

	/* Logs one line, prefixed with the chef's name.  A whole sentence, no
	 * newline.  Never per packet above ND_CHEF_LOG_DEBUG. */
	void (*log)(struct nd_chef_ctx *ctx, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* Wall-clock time, seconds since the epoch (what dumplings carry). */
	double (*now)(struct nd_chef_ctx *ctx);
	/* Monotonic time in nanoseconds, for rates and intervals. */
	uint64_t (*monotonic_ns)(struct nd_chef_ctx *ctx);

	/* The option's value as given, else its declared default, else NULL.
	 * The string lives as long as the chef. */
	const char *(*option)(struct nd_chef_ctx *ctx, const char *key);
	/* The option as an unsigned integer in [min, max] (decimal or 0x hex;
	 * "k"/"M" suffixes for powers of 1024).  Unset: *out = dflt, returns 0.
	 * Bad value: logs a line naming the chef and option, returns -EINVAL
	 * or -ERANGE. */
	int (*option_u64)(struct nd_chef_ctx *ctx, const char *key, uint64_t min,
			  uint64_t max, uint64_t dflt, uint64_t *out);

	/* Fills `out` (whose struct_size the chef has set) with the kitchen's
	 * capture statistics.  Returns 0 or -ENOTSUP when the kitchen has none. */
	int (*capture_stats)(struct nd_chef_ctx *ctx, struct nd_chef_capture_stats *out);

	/* The kitchen's name ("default_kitchen"). */
	const char *(*kitchen_name)(struct nd_chef_ctx *ctx);

	/* The kitchen's counters for every running chef, as a new JSON object
	 * keyed by "module.Chef": {"packets", "skipped", "halted_before",
	 * "halts", "packet_failures", "intervals", "interval_failures",
	 * "emitted", "emit_failures"} (see chef_runtime.h).  NULL when out of
	 * memory.  The caller owns the reference. */
	json_t *(*chef_counters)(struct nd_chef_ctx *ctx);

	void *spare[8];
};

/* The entry point every module exports (declared here so that a module's
 * definition is checked against it). */
ND_CHEF_EXPORT const struct nd_chef_module *nd_chef_module_entry(void);

/* Defines the entry point for a module `name` (a string literal, or NULL for
 * the file name) holding the chefs listed (pointers to static const
 * struct nd_chef_desc):
 *
 *     ND_CHEF_MODULE("mychefs", &hello_chef, &other_chef);
 */
#define ND_CHEF_MODULE(modname, ...)                                           \
	static const struct nd_chef_desc *const nd_chef_module_chefs_[] = {     \
		__VA_ARGS__, NULL};                                            \
	static const struct nd_chef_module nd_chef_module_desc_ = {             \
		.abi_major = ND_CHEF_ABI_MAJOR,                                \
		.struct_size = sizeof(struct nd_chef_module),                  \
		.abi_minor = ND_CHEF_ABI_MINOR,                                \
		.packet_version = ND_PACKET_VERSION,                           \
		.name = (modname),                                             \
		.chefs = nd_chef_module_chefs_,                                \
	};                                                                     \
	ND_CHEF_EXPORT const struct nd_chef_module *nd_chef_module_entry(void)  \
	{                                                                      \
		return &nd_chef_module_desc_;                                  \
	}

#ifdef __cplusplus
}
#endif

#endif
