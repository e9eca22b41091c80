/*
 * chef_table.c: a bounded LRU map for chefs.  See chef_table.h.
 *
 * Chained hash buckets (a power of two, at least twice `max`, so chains stay
 * short) plus one doubly linked list in use order.  Each entry is one
 * allocation: header, value area (aligned), then the key bytes.  The hash is
 * 64-bit FNV-1a over a per-table random seed, finished with a
 * multiply-xorshift mix.
 */
#include "chef_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

struct nd_chef_table_entry {
	struct nd_chef_table_entry *chain;      /* next in bucket */
	struct nd_chef_table_entry *prev, *next; /* use order: head = LRU */
	uint64_t hash;
	size_t klen;
	max_align_t value[]; /* value_size bytes, then klen key bytes */
};

struct nd_chef_table {
	struct nd_chef_table_entry **buckets;
	size_t nbuckets; /* power of two */
	struct nd_chef_table_entry *lru, *mru;
	size_t count, max, value_size;
	uint64_t evicted;
	uint64_t seed;
};

static uint64_t hash_bytes(uint64_t seed, const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static uint8_t *key_of(const struct nd_chef_table *t, const struct nd_chef_table_entry *e)
{
	return (uint8_t *)e->value + t->value_size;
}

struct nd_chef_table *nd_chef_table_new(size_t max, size_t value_size)
{
	struct nd_chef_table *t;
	size_t nb = 16;

	if (max == 0 || max > (1u << 24) || value_size > (1u << 16))
		return NULL;
	while (nb < 2 * max)
		nb <<= 1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->buckets = calloc(nb, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	t->nbuckets = nb;
	t->max = max;
	/* Round the value area up so the key bytes after it stay aligned. */
	t->value_size = (value_size + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
			sizeof(max_align_t);
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) != (ssize_t)sizeof(t->seed))
		t->seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uintptr_t)t;
	return t;
}

static void unlink_use(struct nd_chef_table *t, struct nd_chef_table_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		t->lru = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		t->mru = e->prev;
	e->prev = e->next = NULL;
}

static void push_mru(struct nd_chef_table *t, struct nd_chef_table_entry *e)
{
	e->prev = t->mru;
	e->next = NULL;
	if (t->mru)
		t->mru->next = e;
	else
		t->lru = e;
	t->mru = e;
}

static void remove_entry(struct nd_chef_table *t, struct nd_chef_table_entry *e)
{
	struct nd_chef_table_entry **pp = &t->buckets[e->hash & (t->nbuckets - 1)];

	while (*pp && *pp != e)
		pp = &(*pp)->chain;
	if (*pp)
		*pp = e->chain;
	unlink_use(t, e);
	t->count--;
	free(e);
}

static struct nd_chef_table_entry *find(const struct nd_chef_table *t, const void *key,
					size_t klen, uint64_t h)
{
	struct nd_chef_table_entry *e = t->buckets[h & (t->nbuckets - 1)];

	for (; e; e = e->chain)
		if (e->hash == h && e->klen == klen && memcmp(key_of(t, e), key, klen) == 0)
			return e;
	return NULL;
}

void *nd_chef_table_get(struct nd_chef_table *t, const void *key, size_t klen)
{
	struct nd_chef_table_entry *e;

	if (!t || !key || klen == 0 || klen > ND_CHEF_TABLE_KEY_MAX)
		return NULL;
	e = find(t, key, klen, hash_bytes(t->seed, key, klen));
	if (!e)
		return NULL;
	unlink_use(t, e);
	push_mru(t, e);
	return e->value;
}

void *nd_chef_table_put(struct nd_chef_table *t, const void *key, size_t klen, bool *created)
{
	struct nd_chef_table_entry *e;
	uint64_t h;
	size_t b;

	if (created)
		*created = false;
	if (!t || !key || klen == 0 || klen > ND_CHEF_TABLE_KEY_MAX)
		return NULL;
	h = hash_bytes(t->seed, key, klen);
	e = find(t, key, klen, h);
	if (e) {
		unlink_use(t, e);
		push_mru(t, e);
		return e->value;
	}
	e = calloc(1, sizeof(*e) + t->value_size + klen);
	if (!e)
		return NULL;
	if (t->count >= t->max) {
		remove_entry(t, t->lru);
		t->evicted++;
	}
	e->hash = h;
	e->klen = klen;
	memcpy(key_of(t, e), key, klen);
	b = h & (t->nbuckets - 1);
	e->chain = t->buckets[b];
	t->buckets[b] = e;
	push_mru(t, e);
	t->count++;
	if (created)
		*created = true;
	return e->value;
}

size_t nd_chef_table_count(const struct nd_chef_table *t)
{
	return t ? t->count : 0;
}

size_t nd_chef_table_max(const struct nd_chef_table *t)
{
	return t ? t->max : 0;
}

uint64_t nd_chef_table_evicted(const struct nd_chef_table *t)
{
	return t ? t->evicted : 0;
}

void nd_chef_table_clear(struct nd_chef_table *t)
{
	while (t && t->lru)
		remove_entry(t, t->lru);
}

void nd_chef_table_free(struct nd_chef_table *t)
{
	if (!t)
		return;
	nd_chef_table_clear(t);
	free(t->buckets);
	free(t);
}

void *nd_chef_table_next(const struct nd_chef_table *t, const struct nd_chef_table_entry **it,
			 const void **key, size_t *klen)
{
	const struct nd_chef_table_entry *e;

	if (!t || !it)
		return NULL;
	e = *it ? (*it)->next : t->lru;
	*it = e;
	if (!e)
		return NULL;
	if (key)
		*key = key_of(t, e);
	if (klen)
		*klen = e->klen;
	return (void *)e->value;
}

const void *nd_chef_table_key_of(const struct nd_chef_table *t, const void *value, size_t *klen)
{
	const struct nd_chef_table_entry *e;

	if (!t || !value)
		return NULL;
	/* value points at e->value, which is max_align_t-aligned: going back
	 * to the entry keeps that alignment (the void * step says so to
	 * -Wcast-align). */
	e = (const void *)((const uint8_t *)value - offsetof(struct nd_chef_table_entry, value));
	if (klen)
		*klen = e->klen;
	return key_of(t, e);
}

struct top_ctx {
	const struct nd_chef_table *t;
	int (*cmp)(const void *a, const void *b);
};

/* Ordering of entries for top(): the chef's order, then key bytes. */
static int entry_cmp(const struct top_ctx *c, const struct nd_chef_table_entry *a,
		     const struct nd_chef_table_entry *b)
{
	int r = c->cmp(a->value, b->value);
	size_t n;

	if (r)
		return r;
	n = a->klen < b->klen ? a->klen : b->klen;
	r = memcmp(key_of(c->t, a), key_of(c->t, b), n);
	if (r)
		return r;
	return a->klen < b->klen ? -1 : (a->klen > b->klen ? 1 : 0);
}

size_t nd_chef_table_top(const struct nd_chef_table *t, int (*cmp)(const void *a, const void *b),
			 size_t n, void **out)
{
	struct top_ctx c = {t, cmp};
	const struct nd_chef_table_entry **best;
	size_t have = 0;

	if (!t || !cmp || !out || n == 0)
		return 0;
	best = calloc(n, sizeof(*best));
	if (!best)
		return 0;
	/* Insertion into a sorted array of n: O(count * n), n is small. */
	for (const struct nd_chef_table_entry *e = t->lru; e; e = e->next) {
		size_t pos = have;

		while (pos > 0 && entry_cmp(&c, e, best[pos - 1]) < 0)
			pos--;
		if (pos >= n)
			continue;
		if (have < n)
			have++;
		memmove(&best[pos + 1], &best[pos], (have - 1 - pos) * sizeof(*best));
		best[pos] = e;
	}
	for (size_t i = 0; i < have; i++)
		out[i] = (void *)best[i]->value;
	free(best);
	return have;
}
