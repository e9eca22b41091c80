/*
 * hub.h: the hub's shared state, its connections and the internal API
 * between its files.
 *
 *   server.c   lws context and vhosts on the libuv loop, timers, signals,
 *              the shutdown sequence
 *   peer.c     what kitchens and eaters have in common: peer address,
 *              message reassembly with size ceilings, per-address counts,
 *              closing with a code
 *   kitchen.c  the in-port protocol: registration, validation, dispatch
 *   eater.c    the out-port WebSocket protocol: registration, filters,
 *              queues, writing, flow control, slow-eater policy
 *   status.c   the status payload (SystemStatusChef, /status) and /metrics
 *   http.c     the out-port HTTP endpoints
 *   fanout.c, retained.c, seqtrack.c: plain data structures
 *
 * Everything runs on one libuv loop thread; nothing here is locked.
 */
#ifndef HUB_HUB_H
#define HUB_HUB_H

#include "dumpling.h"
#include "fanout.h"
#include "list.h"
#include "nats_bridge.h"
#include "retained.h"
#include "seqtrack.h"

#include <jansson.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

/* Bytes of frames written to an eater in one raw write (see eater.c);
 * also the eater protocol's tx_packet_size, so lws sends them at once. */
#define HUB_BATCH_BYTES 65536

struct hub_conf {
	const char *address;
	uint16_t in_port, out_port;
	double status_freq;           /* seconds between status dumplings */
	enum nd_dumpling_check check; /* validation level */
	size_t max_dumpling_bytes;    /* larger dumplings are dropped, counted */
	size_t max_message_bytes;     /* larger messages close with 1009 */
	size_t max_hello_bytes;       /* first-message ceiling (1009 beyond) */
	size_t queue_count;           /* per-eater queue ceilings */
	size_t queue_bytes;
	unsigned too_slow_ms;         /* full this long: eater closed (4103) */
	unsigned flow_grace_ms;       /* longest one eater may pause kitchens */
	unsigned hello_timeout_ms;    /* time allowed for the first message */
	unsigned max_conns;           /* WebSocket connections, both ports */
	unsigned max_per_addr;        /* WebSocket connections per peer address */
	size_t retained_max;          /* kitchen/chef pairs retained */
	size_t retained_bytes;        /* bytes of retained dumplings */
	unsigned ping_secs;           /* idle peers pinged after this */
	bool deflate;                 /* offer permessage-deflate */
	const char *web_root;         /* dashboard files served at / */
	/* security (auth.c, tls.c) */
	const char *tls_cert, *tls_key; /* both ports speak TLS when set */
	const char *tls_ca;           /* client certificates required */
	const char *kitchen_tokens;   /* token files; NULL: no token needed */
	const char *eater_tokens;
	const char *const *origins;   /* --allowed-origin values */
	size_t n_origins;
	struct hub_nats_conf nats;    /* nats_bridge.h; urls NULL: off */
};

struct hub_counters {
	uint64_t dumplings_in;  /* valid dumplings received */
	uint64_t dumplings_out; /* deliveries to eaters, status ones included */
	uint64_t invalid;       /* dumplings refused by validation */
	uint64_t oversize;      /* dumplings refused for size (also invalid) */
	uint64_t bytes_in, bytes_out;
	uint64_t dropped;       /* per-eater drops, summed */
	uint64_t coalesced;
	uint64_t status_sent;   /* status dumplings made */
	uint64_t conns_refused; /* over a connection limit */
	uint64_t hello_refused; /* bad or missing first message */
	uint64_t eaters_too_slow;
	uint64_t kitchen_pauses;
	uint64_t auth_refused;   /* missing or unknown token, or name not admitted */
	uint64_t origin_refused; /* browser Origin not allowed */
	uint64_t tls_refused;    /* client certificate failed verification */
};

enum hub_rx {
	HUB_RX_MORE = 0,  /* part of a message; nothing to do yet */
	HUB_RX_MSG,       /* a whole message is in *msg, *len */
	HUB_RX_SKIPPED,   /* a whole message over the soft ceiling was discarded */
	HUB_RX_TOO_BIG,   /* over the hard ceiling: close with 1009 */
	HUB_RX_NOMEM,
};

/* What kitchens and eaters share.  Lives in lws's per-session memory
 * (zeroed at allocation); set up at ESTABLISHED, torn down at CLOSED. */
struct hub_peer {
	struct hub_list link;   /* in hub->kitchens or hub->eaters */
	struct hub *hub;
	struct lws *wsi;
	char host[64];          /* numeric address, no brackets */
	int port;
	uint64_t connected_ms;  /* loop time */
	bool established;
	bool registered;        /* first message accepted */
	bool closing;           /* a close is under way: send nothing more */
	int close_code;
	const char *close_reason;
	json_t *info;           /* the first message (new reference) */
	char *rx;               /* reassembly buffer */
	size_t rx_len, rx_cap;
	size_t rx_skip;         /* bytes of the message being discarded */
	bool rx_skipping;
	const char *auth_name;  /* name its token admits (auth.c); NULL: none needed */
};

struct hub_kitchen {
	struct hub_peer p;      /* first: pss casts */
	const char *name;       /* borrowed from p.info */
	struct hub_seqentry *seq;
	uint64_t dumplings_in, invalid, bytes_in;
	uint64_t log_window_ms; /* invalid-dumpling log rate limit */
	unsigned log_count;
	uint64_t log_suppressed;
};

struct hub_eater {
	struct hub_peer p;      /* first: pss casts */
	const char *name;       /* borrowed from p.info */
	struct hub_queue q;
	const json_t *chefs;    /* filters, borrowed from p.info; NULL = all */
	const json_t *kitchens;
	uint64_t dumplings_out, bytes_out;
	uint64_t full_since_ms; /* 0: not full since it last drained */
	uint64_t pressing_since_ms;
	bool pressing;          /* above high water, holding kitchens back */
	bool exempt;            /* pressed too long: no longer holds them back */
	bool writable_asked;
	bool nats_fed;          /* nats_replay.c feeds it from a stream: no fan-out */
};

struct hub {
	struct hub_conf conf;
	uv_loop_t *loop;
	struct lws_context *ctx;
	struct hub_list kitchens, eaters;  /* established connections */
	unsigned n_kitchens, n_eaters;     /* registered ones */
	unsigned n_conns;                  /* established ones */
	struct hub_counters c;
	struct hub_retained retained;
	struct hub_seqtable seqs;
	struct hub_addrtab *addrs;
	struct nd_tokens *kitchen_tokens, *eater_tokens; /* auth.c */
	struct hub_nats *nats;             /* nats_bridge.c; NULL: off */
	unsigned n_pressing;
	bool kitchens_paused;
	bool stopping;
	int exit_code;
	double start_wall;                 /* seconds since the epoch */
	uint64_t start_ms;                 /* loop time at start */
	uint64_t stop_ms;                  /* loop time hub_stop began */
	uv_timer_t status_timer, tick_timer, stop_timer;
	uv_signal_t sigint, sigterm;
	unsigned handles_open;
};

/* server.c */
int hub_init(struct hub *h, const struct hub_conf *conf, uv_loop_t *loop);
int hub_start(struct hub *h);     /* binds, starts timers and signals */
void hub_stop(struct hub *h);     /* begins the clean shutdown */
void hub_abort(struct hub *h);    /* after a failed hub_start: closes everything */
void hub_fini(struct hub *h);     /* after uv_run returned */
uint64_t hub_now_ms(const struct hub *h);
double hub_wall_now(void);

/* peer.c */
/* At ESTABLISHED: records the peer's address, counts the connection and
 * links p into list.  Returns 0, or -ENOSPC when the per-address table is
 * full (the caller then refuses the connection). */
int hub_peer_open(struct hub_peer *p, struct hub *h, struct lws *wsi,
		  struct hub_list *list);
/* Undoes hub_peer_open and frees the first message and the reassembly
 * buffer.  Harmless on a peer that was never opened or already released. */
void hub_peer_release(struct hub_peer *p);
/* Adds one received piece (final: the message's last).  HUB_RX_MSG: the
 * whole message is *msg, *msg_len, borrowed until the next call (the input
 * itself when it came in one piece).  HUB_RX_SKIPPED: a message over
 * soft_max was discarded as it streamed in (*msg_len its size).
 * HUB_RX_TOO_BIG: past hard_max, close with 1009.  Never holds more than
 * soft_max bytes. */
enum hub_rx hub_peer_rx(struct hub_peer *p, const void *in, size_t len, bool final,
			size_t soft_max, size_t hard_max, const char **msg, size_t *msg_len);
void hub_peer_rx_reset(struct hub_peer *p);
/* Closes with a code: at once when called from p's own callback (the
 * caller then returns -1), otherwise through its next WRITEABLE, with a
 * short kill timeout behind it for peers that never become writable. */
void hub_peer_close(struct hub_peer *p, int code, const char *reason);
int hub_peer_close_now(struct hub_peer *p);   /* in RECEIVE: sets the stored reason; returns -1 */
int hub_peer_close_writeable(struct hub_peer *p); /* in WRITEABLE: sends it; returns -1 */
/* True when one more WebSocket connection from wsi's peer is within the
 * limits; a refusal is logged with the address and counted. */
bool hub_conn_allowed(struct hub *h, struct lws *wsi);
struct hub_addrtab *hub_addrtab_new(size_t max);
void hub_addrtab_free(struct hub_addrtab *t);

/* kitchen.c */
int hub_kitchen_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);
/* Pauses (false) or resumes (true) every kitchen's receive. */
void hub_kitchens_flow(struct hub *h, bool enable);
void hub_kitchens_tick(struct hub *h, uint64_t now); /* first-message timeouts */

/* eater.c */
int hub_eater_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);
/* Queues a new reference to m for every registered eater that wants it
 * (status: m is a status dumpling, which passes kitchen filters); the
 * caller keeps its own reference. */
void hub_fanout(struct hub *h, struct hub_msg *m, bool status);
/* Queues m (a new reference is taken) for one registered eater, as the
 * fan-out does; for the NATS replay (nats_replay.c). */
void hub_eater_push(struct hub_eater *e, struct hub_msg *m);
/* First-message timeouts, slow-eater exemption, too-slow disconnects. */
void hub_eaters_tick(struct hub *h, uint64_t now);

/* status.c */
/* The status payload: a new reference, or NULL when memory ran out. */
json_t *hub_status_payload(struct hub *h);
/* A SystemStatusChef dumpling holding one reference, or NULL. */
struct hub_msg *hub_status_dumpling(struct hub *h);
/* /metrics text (malloc'd, *len bytes), or NULL. */
char *hub_metrics_text(struct hub *h, size_t *len);

/* http.c */
int hub_http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);
size_t hub_http_pss_size(void);

#endif
