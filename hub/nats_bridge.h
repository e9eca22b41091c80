/*
 * nats_bridge.h: hubs sharing dumplings through NATS (optional).
 *
 * With --nats, every dumpling a hub accepts from its own kitchens is
 * published, bytes unchanged, to netdumplings.<kitchen>.<chef> (tokens made
 * subject-safe) with a header naming the hub; the hub subscribes to what
 * its eaters want (netdumplings.>, netdumplings.<kitchen>.>, or nothing)
 * and hands other hubs' dumplings to its eaters as if they came from a
 * kitchen of its own, never its own dumplings back.  Hubs
 * announce themselves on ndhub.status.<hub-id> for the cluster view in
 * status.  With --nats-stream, a JetStream stream keeps the dumplings for
 * a bounded age and size, and an eater whose hello carries
 * "replay_seconds" is fed from that stream: stored dumplings in stream
 * order, then live ones, from one ordered consumer (no seam to cross).
 *
 * Threads: libnats reads, delivers and reconnects on its own threads.
 * Nothing it calls touches hub state: messages go through a bounded,
 * counted hand-off ring to the hub's loop thread (uv_async_t); connection
 * events are atomics read by a loop timer.  Every function below runs on
 * the loop thread.  docs/nats.md says why the libuv adapter is not used.
 *
 * Built only when pkg-config finds libnats (ND_HAVE_NATS); otherwise the
 * functions below are no-ops and --nats is refused at start.
 */
#ifndef HUB_NATS_BRIDGE_H
#define HUB_NATS_BRIDGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct hub;
struct hub_msg;
struct hub_eater;

struct hub_nats_conf {
	const char *urls;        /* NULL: NATS off */
	const char *creds;       /* user credentials file */
	const char *tls_ca;      /* CA bundle; any TLS option implies TLS */
	const char *tls_cert, *tls_key;
	bool tls;
	const char *hub_id;      /* NULL: <host>-<pid>-<random> */
	const char *stream;      /* JetStream stream name; NULL: none */
	double stream_max_age;   /* seconds */
	uint64_t stream_max_bytes;
	int stream_replicas;
	uint64_t reconnect_buf;  /* libnats' reconnect buffer, bytes */
	uint64_t handoff_max;    /* hand-off ring slots */
	double replay_max;       /* longest replay_seconds honoured */
};

/* Option parsing (nats_opts.c, always built).  HUB_NATS_OPT_FIRST..LAST
 * are getopt values; hub_nats_option handles one (exits 2 on a bad
 * value).  hub_nats_conf_default fills the defaults. */
enum {
	HUB_NATS_OPT_FIRST = 0x4e00,
	HUB_NATS_OPT_URLS = HUB_NATS_OPT_FIRST,
	HUB_NATS_OPT_CREDS,
	HUB_NATS_OPT_TLS,
	HUB_NATS_OPT_TLS_CA,
	HUB_NATS_OPT_TLS_CERT,
	HUB_NATS_OPT_TLS_KEY,
	HUB_NATS_OPT_HUB_ID,
	HUB_NATS_OPT_STREAM,
	HUB_NATS_OPT_STREAM_AGE,
	HUB_NATS_OPT_STREAM_BYTES,
	HUB_NATS_OPT_STREAM_REPLICAS,
	HUB_NATS_OPT_RECONNECT_BUF,
	HUB_NATS_OPT_HANDOFF,
	HUB_NATS_OPT_REPLAY_MAX,
	HUB_NATS_OPT_LAST,
};

#define HUB_NATS_LONG_OPTIONS \
	{"nats", required_argument, NULL, HUB_NATS_OPT_URLS}, \
	{"nats-creds", required_argument, NULL, HUB_NATS_OPT_CREDS}, \
	{"nats-tls", no_argument, NULL, HUB_NATS_OPT_TLS}, \
	{"nats-tls-ca", required_argument, NULL, HUB_NATS_OPT_TLS_CA}, \
	{"nats-tls-cert", required_argument, NULL, HUB_NATS_OPT_TLS_CERT}, \
	{"nats-tls-key", required_argument, NULL, HUB_NATS_OPT_TLS_KEY}, \
	{"nats-hub-id", required_argument, NULL, HUB_NATS_OPT_HUB_ID}, \
	{"nats-stream", required_argument, NULL, HUB_NATS_OPT_STREAM}, \
	{"nats-stream-max-age", required_argument, NULL, HUB_NATS_OPT_STREAM_AGE}, \
	{"nats-stream-max-bytes", required_argument, NULL, HUB_NATS_OPT_STREAM_BYTES}, \
	{"nats-stream-replicas", required_argument, NULL, HUB_NATS_OPT_STREAM_REPLICAS}, \
	{"nats-reconnect-buffer", required_argument, NULL, HUB_NATS_OPT_RECONNECT_BUF}, \
	{"nats-handoff", required_argument, NULL, HUB_NATS_OPT_HANDOFF}, \
	{"nats-replay-max", required_argument, NULL, HUB_NATS_OPT_REPLAY_MAX}

void hub_nats_conf_default(struct hub_nats_conf *c);
void hub_nats_option(int opt, const char *arg, struct hub_nats_conf *c);
void hub_nats_check_conf(const struct hub_nats_conf *c); /* exits 2 when inconsistent */
void hub_nats_usage(void);

/* Connects (or keeps retrying in the background: the hub serves its own
 * kitchens and eaters without NATS).  Returns 0, or -errno when the
 * options cannot work at all (no libnats, bad credentials file). */
int hub_nats_start(struct hub *h);
/* Flushes what can be flushed within a second, closes the connection and
 * the loop handles.  Idempotent. */
void hub_nats_stop(struct hub *h);
/* After uv_run returned: waits for libnats' threads, frees the rest. */
void hub_nats_fini(struct hub *h);

/* Publishes a dumpling accepted from a local kitchen. */
void hub_nats_publish(struct hub *h, const struct hub_msg *m);

/* An eater registered with hello root (borrowed).  Returns true when the
 * eater asked for a replay and is now fed from the stream (the caller
 * then sends it nothing else: no retained dumplings, no live fan-out). */
bool hub_nats_eater_hello(struct hub *h, struct hub_eater *e, const json_t *hello);
/* The eater is going away (called for every eater; cheap when unknown). */
void hub_nats_eater_gone(struct hub *h, struct hub_eater *e);

/* Adds "nats" and "cluster" to a status payload (borrowed). */
void hub_nats_status(struct hub *h, json_t *payload);
/* The NATS counters in Prometheus text (malloc'd), or NULL. */
char *hub_nats_metrics(struct hub *h);

#endif
