/*
 * eater.h: the C eater library, for programs that read dumplings from a hub.
 *
 * An eater connects to a hub's eater port (HOST:PORT or a ws[s]:// URL),
 * sends its hello ({"eater_name":...}, plus our optional "chefs" and
 * "kitchens" server-side filters), and calls back once per dumpling with
 * both the parsed dumpling and its raw text.  The same filters are applied
 * again on the client side, so an eater of ours sees the same dumplings
 * from netdumplings' Python hub, which ignores the extra hello keys.
 *
 * It reconnects with exponential backoff (unless told not to), reports
 * each connection and each loss, and can stop by itself after N dumplings
 * (netdumplings' dumpling_count), closing with 4102 "dumpling eater is
 * full" as netdumplings does.  It runs on the caller's libuv loop or on
 * its own.  Everything happens on that loop's thread; nothing here is
 * thread-safe.
 *
 * Lifecycle (libuv's rules: a callback-taking call that fails never calls
 * back):
 *   nd_eater_new -> nd_eater_start -> ... callbacks ... -> nd_eater_stop
 *   (or the count, or a loss without reconnect) -> on_stopped fires once ->
 *   the loop runs dry (uv_run returns) -> nd_eater_free.
 * nd_eater_free must be called after uv_run has returned on a loop that
 * held the eater: libwebsockets needs a second teardown step then.
 *
 * A short complete example, a program that prints five DNS lookups:
 *
 *   #include "eater.h"
 *   #include <stdio.h>
 *
 *   static void on_dumpling(struct nd_eater *e, const struct nd_eater_dumpling *d,
 *                           void *user)
 *   {
 *           json_t *host = json_object_get(json_object_get(d->view.payload, "lookup"),
 *                                          "hostname");
 *           if (host)
 *                   printf("%s\n", json_string_value(host));
 *   }
 *
 *   int main(void)
 *   {
 *           static const char *const chefs[] = {"DNSLookupChef"};
 *           struct nd_eater_config cfg = {
 *                   .size = sizeof(cfg),
 *                   .hub = "localhost:11348",
 *                   .name = "dns-printer",
 *                   .chefs = chefs, .n_chefs = 1,
 *                   .drivers = ND_EATER_PACKET,
 *                   .dumpling_count = 5,
 *                   .on_dumpling = on_dumpling,
 *           };
 *           struct nd_eater *e = nd_eater_new(NULL, &cfg); // NULL: its own loop
 *           int rc = 1;
 *
 *           if (e && nd_eater_start(e) == 0 && nd_eater_run(e) == 0)
 *                   rc = nd_eater_result(e) == ND_EATER_DONE_COUNT ? 0 : 1;
 *           nd_eater_free(e);
 *           return rc;
 *   }
 *
 * Build: link libndeater.a, ndcommon, libwebsockets, libuv and jansson
 * (in this tree: target_link_libraries(prog PRIVATE ndeater)).
 */
#ifndef ND_EATER_H
#define ND_EATER_H

#include "dumpling.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct nd_eater;

/* Driver mask for nd_eater_config.drivers; 0 means every dumpling. */
#define ND_EATER_PACKET 0x1u
#define ND_EATER_INTERVAL 0x2u

/* Why an eater stopped (nd_eater_result). */
enum nd_eater_done {
	ND_EATER_RUNNING = 0,
	ND_EATER_DONE_COUNT,   /* ate dumpling_count dumplings */
	ND_EATER_DONE_STOPPED, /* nd_eater_stop was called */
	ND_EATER_DONE_REFUSED, /* could not connect, and reconnect is off */
	ND_EATER_DONE_LOST,    /* the connection ended, and reconnect is off */
	ND_EATER_DONE_INVALID, /* the hub sent something that is not a dumpling */
};

/* One received dumpling.  Everything is borrowed and valid only during the
 * on_dumpling call; json_incref(root) to keep the parsed form. */
struct nd_eater_dumpling {
	const char *text;  /* the raw JSON text as the hub sent it, NUL-terminated */
	size_t len;        /* its length in bytes */
	json_t *root;      /* parsed */
	struct nd_dumpling_view view; /* chef, kitchen (may be NULL), driver, payload... */
};

struct nd_eater_config {
	/* sizeof(struct nd_eater_config): lets the struct grow at the end. */
	size_t size;
	const char *hub;  /* "host:port" or ws[s]://host[:port]/path; NULL: localhost:11348 */
	const char *name; /* eater_name; NULL: "nameless_eater" */

	/* Only these chefs / kitchens (n == 0: all).  Sent to the hub and
	 * applied here as well.  Strings are copied. */
	const char *const *chefs;
	size_t n_chefs;
	const char *const *kitchens;
	size_t n_kitchens;
	unsigned drivers; /* ND_EATER_PACKET | ND_EATER_INTERVAL; 0: both */

	uint64_t dumpling_count; /* stop after this many delivered; 0: never */
	bool no_reconnect;       /* stop at the first failure or loss */
	unsigned backoff_min_ms; /* first reconnect delay; 0: 250 ms */
	unsigned backoff_max_ms; /* ceiling of the doubling delay; 0: 5000 ms */
	size_t max_message_bytes; /* larger messages close with 1009; 0: 4 MiB */
	unsigned idle_ping_s;    /* ping a silent hub after this long; 0: 20 s */
	unsigned idle_hangup_s;  /* and give up on it after this; 0: 30 s */

	/* wss only. */
	const char *ca_file;     /* CA bundle (PEM); NULL: the system's */
	bool tls_insecure;       /* accept self-signed certificates and any host name */

	/* Callbacks (all optional but on_dumpling).  `user` is passed back. */
	void (*on_connect)(struct nd_eater *e, const char *url, void *user);
	void (*on_dumpling)(struct nd_eater *e, const struct nd_eater_dumpling *d, void *user);
	/* A connection attempt failed (was_connected false) or an established
	 * connection ended (true); why is one line.  A reconnect follows unless
	 * no_reconnect is set or the eater is stopping. */
	void (*on_lost)(struct nd_eater *e, bool was_connected, const char *why, void *user);
	/* Fires once, when the eater has stopped for good (see nd_eater_result). */
	void (*on_stopped)(struct nd_eater *e, enum nd_eater_done why, void *user);
	void *user;

	/* A file holding the bearer token sent in the handshake (a private
	 * file, see token.h); NULL: none.  Read once, by nd_eater_new. */
	const char *token_file;

	/* wss: a client certificate and its key (PEM files), for hubs that
	 * require one (nd-hub --tls-ca); NULL: none.  Read when the eater
	 * starts. */
	const char *cert_file;
	const char *key_file;
};

/* Counters, for tests and status lines. */
struct nd_eater_stats {
	uint64_t connects;  /* established connections */
	uint64_t attempts;  /* connection attempts */
	uint64_t received;  /* messages received */
	uint64_t delivered; /* dumplings passed to on_dumpling */
	uint64_t filtered;  /* dumplings the client-side filter skipped */
	uint64_t invalid;   /* messages that were not dumplings */
};

/* Creates an eater on `loop`, or on a loop of its own when loop is NULL.
 * cfg is copied (strings too).  Returns NULL when the configuration is
 * invalid (the reason is logged: bad hub address, no on_dumpling, ...) or
 * memory or libwebsockets setup fails. */
struct nd_eater *nd_eater_new(uv_loop_t *loop, const struct nd_eater_config *cfg);

/* Starts the first connection attempt.  Returns 0 or a negative errno. */
int nd_eater_start(struct nd_eater *e);

/* Runs the eater's own loop until it stops.  Only for eaters created with
 * loop NULL.  Returns 0, or -EINVAL when the eater uses a caller's loop. */
int nd_eater_run(struct nd_eater *e);

/* Asks the eater to stop: closes the connection with close_code (0 means
 * 4101 "connection cancelled") and stops reconnecting; on_stopped fires
 * when done.  Safe to call more than once and from any callback. */
void nd_eater_stop(struct nd_eater *e, int close_code);

/* Why the eater stopped (ND_EATER_RUNNING while it runs). */
enum nd_eater_done nd_eater_result(const struct nd_eater *e);
/* The last loss or failure reason ("" when none), for error messages. */
const char *nd_eater_last_error(const struct nd_eater *e);
/* The loop the eater runs on (its own or the caller's). */
uv_loop_t *nd_eater_loop(struct nd_eater *e);
/* The hub URL, "ws://host:port/path". */
const char *nd_eater_url(const struct nd_eater *e);
void nd_eater_get_stats(const struct nd_eater *e, struct nd_eater_stats *out);

/* Frees an eater (NULL is fine).  Call after the eater has stopped and
 * uv_run has returned, or before nd_eater_start was ever called. */
void nd_eater_free(struct nd_eater *e);

/* A readable name for a result ("count reached", "connection lost", ...). */
const char *nd_eater_done_name(enum nd_eater_done why);

#endif
