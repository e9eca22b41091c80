/*
 * nats_priv.h: the NATS bridge's state, shared by nats_bridge.c (life
 * cycle, publishing, the hand-off ring, live delivery), nats_conn.c (the
 * connection and libnats' callbacks), nats_interest.c (subscriptions from
 * eaters' filters), nats_cluster.c (hub announcements, remote kitchens),
 * nats_replay.c (the JetStream stream and replaying eaters) and
 * nats_status.c.  libnats' threads touch only the hand-off ring (under mu)
 * and the atomics; libuv workers write only their own result fields,
 * which the loop reads after they finish (and use the JetStream context,
 * never replaced while one runs); everything else belongs to the hub's
 * loop thread.
 */
#ifndef HUB_NATS_PRIV_H
#define HUB_NATS_PRIV_H

#include "hub.h"
#include "jscan.h"
#include "seqtrack.h"

#include <nats/nats.h>
#include <stdatomic.h>
#include <uv.h>

#define NATS_SUBJECT_PREFIX "netdumplings"
#define NATS_ANNOUNCE_PREFIX "ndhub.status"
#define NATS_HDR_HUB "Nd-Hub"
#define NATS_ID_MAX 80
#define NATS_TOKEN_MAX 128
#define NATS_MAX_PEERS 64
#define NATS_MAX_RKITCHENS 1024
#define NATS_MAX_REPLAYS 64

/* Hand-off tags: which subscription a message came from. */
#define NATS_TAG_LIVE 1u
#define NATS_TAG_CLUSTER 2u
#define NATS_TAG_REPLAY0 16u /* replay n has tag NATS_TAG_REPLAY0 + n */

struct nats_slot {
	natsMsg *m;
	uint64_t tag;
};

/* A connection and what hangs on it. */
struct nats_link {
	natsConnection *nc;
	natsSubscription *cluster; /* the live ones: nats_interest.c */
	jsCtx *js;
};

struct nats_counters {
	uint64_t published, publish_failed;
	uint64_t received, received_own, received_invalid;
	uint64_t announces_sent, announces_in;
	uint64_t replays, replays_refused, replayed;
};

struct nats_peer {
	char id[NATS_ID_MAX];
	json_t *info;     /* its latest announcement (new reference) */
	uint64_t seen_ms;
};

/* A kitchen of another hub, as seen from its dumplings. */
struct nats_rkitchen {
	char name[NATS_TOKEN_MAX];
	char hub_id[NATS_ID_MAX];
	struct hub_seqtrack t;
	uint64_t dumplings_in;
	uint64_t seen_ms;
};

/* A closure for one replay subscription's callback; freed at fini, when
 * no libnats thread can call it any more. */
struct nats_replay_cb {
	struct hub_nats *n;
	uint64_t tag;
	struct nats_replay_cb *next;
	/* Creating the consumer, on a worker thread. */
	uv_work_t work;
	jsCtx *js;
	int64_t start_ns;
	natsSubscription *sub;
	natsStatus status;
	jsErrCode jerr;
};

/* One live subscription: netdumplings.> or netdumplings.<kitchen>.> */
struct nats_interest {
	char subject[sizeof(NATS_SUBJECT_PREFIX) + NATS_TOKEN_MAX + 4];
	natsSubscription *sub;
};

#define NATS_MAX_INTERESTS 256

struct nats_replay {
	struct hub_eater *e; /* NULL: slot free */
	natsSubscription *sub;
	uint64_t tag;
	uint64_t last_sseq, delivered, dups;
	bool caught_up;
};

struct hub_nats {
	struct hub *h;
	const struct hub_nats_conf *conf;
	char id[NATS_ID_MAX];
	natsOptions *opts;
	struct nats_interest *interests; /* NATS_MAX_INTERESTS */
	size_t n_interests;
	uint64_t copies_until_ms, copies_dropped, interest_changes;
	struct nats_link l;        /* in use */
	struct nats_link fresh;    /* being opened by a worker after a close */
	natsStatus fresh_status;
	bool restarting, closed_logged;
	unsigned replay_busy;      /* consumers being created on workers */
	atomic_int link_closed;    /* libnats closed l.nc for good */
	uint64_t closed_seen_ms, restarts;
	uv_work_t restart_work;

	/* The hand-off ring (libnats threads push, the loop pops). */
	uv_mutex_t mu;
	struct nats_slot *ring;
	size_t head, count, cap;
	bool closed;
	uint64_t handoff_dropped;

	uv_async_t async;
	uv_timer_t timer;
	bool handles_open, stopped;

	atomic_int connected;
	atomic_uint_fast64_t disconnects, reconnects, async_errors;
	atomic_int last_async_error; /* natsStatus */
	atomic_int subs_open;        /* subscriptions libnats has not finished */
	int logged_connected;           /* -1 never logged */
	uint64_t logged_async_errors, logged_reconnects;
	uint64_t last_announce_ms, fail_log_ms, invalid_log_ms;
	unsigned fail_log_n;

	struct nats_counters c;
	struct nats_peer peers[NATS_MAX_PEERS];
	size_t n_peers;
	uint64_t peers_refused;
	struct nats_rkitchen *rk;
	size_t n_rk;

	/* JetStream */
	bool stream_ready, stream_busy;
	uint64_t stream_try_ms;
	uv_work_t stream_work;
	int stream_status;
	char stream_err[160];
	struct nats_replay replays[NATS_MAX_REPLAYS];
	struct nats_replay_cb *cbs;
	uint64_t next_tag;
};

/* nats_conn.c */
natsStatus nats_conn_init(struct hub_nats *n);   /* the id and the options */
/* Counts sub until libnats has finished with it (see hub_nats_fini). */
void nats_track_sub(struct hub_nats *n, natsSubscription *sub);
natsStatus nats_link_open(struct hub_nats *n, struct nats_link *l);
void nats_link_close(struct nats_link *l);
void nats_conn_tick(struct hub_nats *n, uint64_t now); /* logs; starts over if closed */

/* nats_bridge.c */
size_t nats_put_token(char *dst, size_t room, const char *s); /* subject-safe copy */
void nats_handoff(struct hub_nats *n, natsMsg *m, uint64_t tag);
/* Parses a dumpling that came through NATS; NULL (counted) when invalid.
 * subject is the NATS subject (the kitchen token is taken from it when the
 * dumpling names no kitchen). */
struct hub_msg *nats_dumpling(struct hub_nats *n, natsMsg *m, struct hub_jscan *v);

/* nats_cluster.c */
void nats_cluster_announce(struct hub_nats *n);
void nats_cluster_on_announce(struct hub_nats *n, natsMsg *m);
void nats_cluster_expire(struct hub_nats *n, uint64_t now);
/* Accounts a remote dumpling to its kitchen (gap tracking); false when
 * it is a copy to drop (nats_interest.c). */
bool nats_cluster_note(struct hub_nats *n, const struct hub_msg *m, const struct hub_jscan *v,
		       const char *from);
json_t *nats_cluster_status(struct hub_nats *n);
json_t *nats_rkitchens_status(struct hub_nats *n);
void nats_cluster_fini(struct hub_nats *n);

/* nats_interest.c */
/* Makes the live subscriptions match what the registered eaters want;
 * leaving (may be NULL) is an eater on its way out, not counted. */
void nats_interest_update(struct hub_nats *n, const struct hub_eater *leaving);
/* Subscribes what is wanted again on a new connection. */
void nats_interest_resubscribe(struct hub_nats *n);
/* True when a numbered remote dumpling must be dropped as a copy (only
 * shortly after the subscriptions changed). */
bool nats_interest_is_copy(struct hub_nats *n, const struct nats_rkitchen *r,
			   const struct hub_jscan *v);
void nats_interest_fini(struct hub_nats *n);
json_t *nats_interest_status(struct hub_nats *n);

/* nats_replay.c */
bool nats_replay_hello(struct hub *h, struct hub_eater *e, const json_t *hello);
void nats_replay_gone(struct hub *h, struct hub_eater *e);
void nats_stream_tick(struct hub_nats *n);
void nats_replay_on_msg(struct hub_nats *n, uint64_t tag, natsMsg *m);
void nats_replay_stop_all(struct hub_nats *n);
void nats_replay_fini(struct hub_nats *n);
json_t *nats_replay_status(struct hub_nats *n);

#endif
