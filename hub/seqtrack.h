/*
 * seqtrack.h: gap accounting for kitchens' numbered dumplings.
 *
 * Our kitchens stamp each dumpling's metadata with "seq" (1, 2, 3, ... per
 * kitchen run) and "kitchen_start" (an id that changes when the kitchen
 * restarts).  From these the hub counts dumplings lost before they reached
 * it: a jump from seq n to n+k is one gap of k-1 missing dumplings; a new
 * kitchen_start is a restart, and a restarted kitchen whose first dumpling
 * seen is seq s > 1 lost s-1; a seq at or below the last one is counted as
 * out of order.  The first run of a kitchen the hub has never seen starts
 * wherever it is (a hub started after its kitchens reports no history as
 * lost).  Dumplings without both keys (netdumplings' kitchens) are not
 * tracked.
 *
 * A hub_seqtable keeps one tracker per kitchen name so that the counts
 * survive a kitchen reconnecting; it has a fixed number of slots, reuses
 * the least recently released one when full, and never moves an entry.
 */
#ifndef HUB_SEQTRACK_H
#define HUB_SEQTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HUB_SEQ_START_MAX 64
#define HUB_SEQ_NAME_MAX 128

struct hub_seqtrack {
	bool tracking;                 /* a numbered dumpling was seen */
	char start[HUB_SEQ_START_MAX]; /* kitchen_start, truncated */
	uint64_t first;                /* first seq seen of the first run */
	uint64_t last;                 /* last seq seen */
	uint64_t gaps;                 /* jumps forward */
	uint64_t missing;              /* dumplings skipped by those jumps */
	uint64_t restarts;             /* kitchen_start changes */
	uint64_t out_of_order;         /* seq not above the last */
};

/* Accounts one dumpling.  seq is ignored unless has_seq; start (start_len
 * bytes, not NUL-terminated) may be NULL.  Ids longer than
 * HUB_SEQ_START_MAX - 1 bytes are compared on that prefix. */
void hub_seqtrack_note(struct hub_seqtrack *t, bool has_seq, uint64_t seq, const char *start,
		       size_t start_len);

struct hub_seqentry {
	char name[HUB_SEQ_NAME_MAX];
	unsigned users;    /* connected kitchens using this entry */
	uint64_t released; /* tick of the last release, for reuse order */
	struct hub_seqtrack t;
};

struct hub_seqtable {
	struct hub_seqentry *v;
	size_t n, max;
	uint64_t tick;
};

int hub_seqtable_init(struct hub_seqtable *st, size_t max);
void hub_seqtable_fini(struct hub_seqtable *st);

/* The tracker for a kitchen name, created or reused; NULL when every slot
 * is in use.  Pair with hub_seqtable_release. */
struct hub_seqentry *hub_seqtable_acquire(struct hub_seqtable *st, const char *name);
void hub_seqtable_release(struct hub_seqtable *st, struct hub_seqentry *e);

#endif
