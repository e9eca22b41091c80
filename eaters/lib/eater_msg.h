/*
 * eater_msg.h: what an eater does with received bytes, without any
 * WebSocket code: reassembling a message from fragments under a size
 * ceiling, and judging a whole message (parse, validate, filter).
 * Internal to the eater library; tested directly.
 */
#ifndef ND_EATER_MSG_H
#define ND_EATER_MSG_H

#include "dumpling.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A message being reassembled.  buf stays NUL-terminated. */
struct eater_rxbuf {
	char *buf;
	size_t len;
	size_t cap;
	size_t max; /* ceiling on len */
};

/* Appends n bytes.  Returns 0, -EMSGSIZE when the message would pass the
 * ceiling (nothing is appended), or -ENOMEM. */
int eater_rxbuf_append(struct eater_rxbuf *rb, const void *p, size_t n);
/* Empties the buffer for the next message (keeps the memory). */
void eater_rxbuf_reset(struct eater_rxbuf *rb);
void eater_rxbuf_free(struct eater_rxbuf *rb);

/* Client-side filter; owns copies of its strings. */
struct eater_filter {
	char **chefs;
	size_t n_chefs;
	char **kitchens;
	size_t n_kitchens;
	unsigned drivers; /* ND_EATER_PACKET | ND_EATER_INTERVAL; 0: all */
};

/* Copies the lists.  Returns 0 or -ENOMEM (f is then empty). */
int eater_filter_init(struct eater_filter *f, const char *const *chefs, size_t n_chefs,
		      const char *const *kitchens, size_t n_kitchens, unsigned drivers);
void eater_filter_free(struct eater_filter *f);
/* True when a dumpling with this view passes.  A kitchen filter never
 * passes a dumpling without a kitchen (the hub's own status dumplings);
 * a driver filter never passes an unknown driver. */
bool eater_filter_match(const struct eater_filter *f, const struct nd_dumpling_view *v);

enum eater_verdict {
	EATER_DELIVER, /* a dumpling that passes the filter */
	EATER_SKIP,    /* a dumpling the filter rejects */
	EATER_INVALID, /* not a dumpling: err says why */
};

/* Judges one whole message text[0..len).  On DELIVER and SKIP, *root is a
 * new reference (the caller decrefs) and view is filled; on INVALID *root
 * is NULL.  A dumpling needs what netdumplings needs: a JSON object whose
 * metadata.chef is a string. */
enum eater_verdict eater_msg_judge(const struct eater_filter *f, const char *text, size_t len,
				   size_t max_bytes, json_t **root, struct nd_dumpling_view *view,
				   char *err, size_t errlen);

#endif
