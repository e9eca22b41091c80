/*
 * retained.c: latest interval dumpling per kitchen/chef.  See retained.h.
 * A flat array searched linearly: interval dumplings arrive once per chef
 * per poke interval, so this is far from any hot path.
 */
#include "retained.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int hub_retained_init(struct hub_retained *r, size_t max, size_t max_bytes)
{
	memset(r, 0, sizeof(*r));
	r->max = max;
	r->max_bytes = max_bytes;
	if (!max)
		return 0;
	r->v = calloc(max, sizeof(*r->v));
	return r->v ? 0 : -ENOMEM;
}

void hub_retained_fini(struct hub_retained *r)
{
	for (size_t i = 0; i < r->n; i++)
		hub_msg_unref(r->v[i].msg);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static void remove_at(struct hub_retained *r, size_t i)
{
	r->bytes -= r->v[i].msg->len;
	hub_msg_unref(r->v[i].msg);
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(r->v[0]));
	r->n--;
}

int hub_retained_put(struct hub_retained *r, struct hub_msg *m, const void *owner)
{
	for (size_t i = 0; i < r->n; i++) {
		if (!hub_msg_same_source(r->v[i].msg, m))
			continue;
		if (m->len > r->max_bytes - (r->bytes - r->v[i].msg->len)) {
			remove_at(r, i); /* a stale value is worse than none */
			r->refused++;
			return -ENOSPC;
		}
		r->bytes = r->bytes - r->v[i].msg->len + m->len;
		hub_msg_unref(r->v[i].msg);
		r->v[i].msg = hub_msg_ref(m);
		r->v[i].owner = owner;
		return 0;
	}
	if (r->n >= r->max || m->len > r->max_bytes - r->bytes) {
		r->refused++;
		return -ENOSPC;
	}
	r->v[r->n].msg = hub_msg_ref(m);
	r->v[r->n].owner = owner;
	r->n++;
	r->bytes += m->len;
	return 0;
}

void hub_retained_drop_owner(struct hub_retained *r, const void *owner)
{
	size_t j = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].owner == owner) {
			r->bytes -= r->v[i].msg->len;
			hub_msg_unref(r->v[i].msg);
		} else
			r->v[j++] = r->v[i];
	}
	r->n = j;
}
