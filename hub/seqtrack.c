/*
 * seqtrack.c: per-kitchen gap accounting.  See seqtrack.h.
 */
#include "seqtrack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_start(struct hub_seqtrack *t, const char *start, size_t n)
{
	if (n > sizeof(t->start) - 1)
		n = sizeof(t->start) - 1;
	memcpy(t->start, start, n);
	t->start[n] = '\0';
}

static bool same_start(const struct hub_seqtrack *t, const char *start, size_t n)
{
	if (n > sizeof(t->start) - 1)
		n = sizeof(t->start) - 1;
	return strlen(t->start) == n && memcmp(t->start, start, n) == 0;
}

void hub_seqtrack_note(struct hub_seqtrack *t, bool has_seq, uint64_t seq, const char *start,
		       size_t start_len)
{
	if (!has_seq || !start)
		return;
	if (!t->tracking) {
		t->tracking = true;
		set_start(t, start, start_len);
		t->first = t->last = seq;
		return;
	}
	if (!same_start(t, start, start_len)) {
		t->restarts++;
		set_start(t, start, start_len);
		if (seq > 1) {
			t->gaps++;
			t->missing += seq - 1;
		}
		t->last = seq;
		return;
	}
	if (seq <= t->last) {
		t->out_of_order++;
		return;
	}
	if (seq > t->last + 1) {
		t->gaps++;
		t->missing += seq - t->last - 1;
	}
	t->last = seq;
}

int hub_seqtable_init(struct hub_seqtable *st, size_t max)
{
	memset(st, 0, sizeof(*st));
	if (!max)
		return -EINVAL;
	st->v = calloc(max, sizeof(*st->v));
	if (!st->v)
		return -ENOMEM;
	st->max = max;
	return 0;
}

void hub_seqtable_fini(struct hub_seqtable *st)
{
	free(st->v);
	memset(st, 0, sizeof(*st));
}

struct hub_seqentry *hub_seqtable_acquire(struct hub_seqtable *st, const char *name)
{
	struct hub_seqentry *e = NULL;

	for (size_t i = 0; i < st->n; i++) {
		if (strncmp(st->v[i].name, name, sizeof(st->v[i].name) - 1) == 0) {
			e = &st->v[i];
			goto found;
		}
	}
	if (st->n < st->max) {
		e = &st->v[st->n++];
	} else {
		for (size_t i = 0; i < st->n; i++) {
			if (st->v[i].users)
				continue;
			if (!e || st->v[i].released < e->released)
				e = &st->v[i];
		}
		if (!e)
			return NULL;
	}
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
found:
	e->users++;
	return e;
}

void hub_seqtable_release(struct hub_seqtable *st, struct hub_seqentry *e)
{
	if (!e || !e->users)
		return;
	e->users--;
	e->released = ++st->tick;
}
