/*
 * chef_names.h: the shared core of chefs that tally the names hosts reach
 * (HTTPHostChef: Host headers; TLSSNIChef: TLS server names).  It reads
 * their common options, counts each name in a bounded table, and makes
 * both of their dumplings; the chef only finds the name in the packet.
 *
 * Per name seen (unless per_packet=0), under the chef's packet key:
 *
 *     {"<packet_key>": {"hostname": "example.com", ["<extra>": "...",]
 *                       "when": 1499040017.81, "client": "10.0.0.5",
 *                       "server": "93.184.216.34", "server_port": 443}}
 *
 * Every interval, the `top` names by count since start (ties: by name),
 * under the chef's top key:
 *
 *     {"<top_key>": [{"hostname": "example.com", "count": 12, "latest": 1499040017.81}],
 *      "hosts_tracked": 57, "hosts_evicted": 0}
 *
 * Names are lowercased; bytes outside printable ASCII are escaped ("\\DDD",
 * nd_slice_escape).  At most max_hosts names are tracked, the least
 * recently seen forgotten first (counted in hosts_evicted).  Keys are kept
 * in the order shown.  Like every chef, single-threaded.
 */
#ifndef ND_CHEF_NAMES_H
#define ND_CHEF_NAMES_H

#include "chef.h"
#include "pkt_slice.h"

/* The options every name chef declares, with the defaults that
 * nd_chef_names_init applies; `per_what` names what a per-packet dumpling
 * is made for ("request").  Use inside the chef's option list:
 *
 *     static const struct nd_chef_option opts[] = {
 *             ND_CHEF_NAMES_OPTIONS("request"),
 *             {NULL, NULL, NULL},
 *     };
 */
#define ND_CHEF_NAMES_OPTIONS(per_what)                                                       \
	{"top", "10", "names in each interval dumpling"},                                     \
	{"max_hosts", "2000", "names tracked; the least recently seen is forgotten beyond"},  \
	{"per_packet", "1", "0: no dumpling per " per_what ", only the interval top list"}

/* Room for a name as text, escaped, with its NUL. */
#define ND_CHEF_NAME_TEXT_MAX 1024

struct nd_chef_names;

/* Reads the options above through host and makes the tally.  packet_key
 * and top_key ("tls_sni", "tls_sni_top") must outlive it (string
 * literals).  Returns 0 and sets *out, or a negative errno (a bad option
 * value, already logged by the host, or -ENOMEM); *out is then NULL. */
int nd_chef_names_init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host,
		       const char *packet_key, const char *top_key, struct nd_chef_names **out);

/* The packet step: counts `name` (seen now, from pkt's client to its
 * server) and, with per_packet on, emits the per-packet dumpling, with
 * extra_key: extra_value after "hostname" when neither is NULL.  An
 * empty name, or one whose escaped form is longer than
 * ND_CHEF_NAME_TEXT_MAX - 1 bytes, is ignored.  Returns 0, or a negative errno
 * (-ENOMEM, or what host->emit returned). */
int nd_chef_names_packet(struct nd_chef_names *n, const struct nd_packet *pkt,
			 struct nd_slice name, const char *extra_key, const char *extra_value);

/* Emits the interval top list.  Shaped as nd_chef_desc.interval (names is
 * the struct nd_chef_names), so a chef may point its interval at it.
 * Returns 0 or a negative errno. */
int nd_chef_names_interval(void *names, double interval);

/* Frees the tally (NULL is fine).  Shaped as nd_chef_desc.fini. */
void nd_chef_names_fini(void *names);

#endif
