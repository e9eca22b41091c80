/*
 * chef_table.h: a bounded map for chefs' per-key state (hosts seen, devices,
 * flows), with least-recently-used eviction.
 *
 * Keys are byte strings (copied); each entry carries a fixed-size value
 * area, zeroed on insertion, that the chef casts to its own struct.  The
 * table never holds more than `max` entries: inserting into a full table
 * evicts the least recently used entry and counts it.  Lookups and inserts
 * are O(1) on average; hashing is seeded per table so that crafted keys
 * cannot be aimed at one bucket.  Single-threaded, like every chef.
 */
#ifndef ND_CHEF_TABLE_H
#define ND_CHEF_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_CHEF_TABLE_KEY_MAX 1024

struct nd_chef_table;

/* A table of at most max (>= 1) entries with value_size bytes of value
 * each.  Returns NULL when out of memory or an argument is out of range. */
struct nd_chef_table *nd_chef_table_new(size_t max, size_t value_size);
void nd_chef_table_free(struct nd_chef_table *t);

/* The value of `key`, made the most recently used; NULL when absent. */
void *nd_chef_table_get(struct nd_chef_table *t, const void *key, size_t klen);

/* The value of `key`, inserted (zeroed) when absent, evicting the least
 * recently used entry when full; made the most recently used.  *created
 * (if given) says whether it was inserted.  NULL when out of memory or
 * klen is 0 or above ND_CHEF_TABLE_KEY_MAX. */
void *nd_chef_table_put(struct nd_chef_table *t, const void *key, size_t klen, bool *created);

size_t nd_chef_table_count(const struct nd_chef_table *t);
size_t nd_chef_table_max(const struct nd_chef_table *t);
/* Entries evicted to make room since the table was made. */
uint64_t nd_chef_table_evicted(const struct nd_chef_table *t);

/* Forgets every entry (the eviction count stays). */
void nd_chef_table_clear(struct nd_chef_table *t);

/* Iteration, least recently used first: start with it = NULL; each call
 * returns the next value and its key, or NULL at the end.  The table must
 * not change during an iteration. */
struct nd_chef_table_entry;
void *nd_chef_table_next(const struct nd_chef_table *t, const struct nd_chef_table_entry **it,
			 const void **key, size_t *klen);

/* The key of an entry, given its value pointer (from get, put, next or
 * top); *klen gets its length.  The key is not NUL-terminated. */
const void *nd_chef_table_key_of(const struct nd_chef_table *t, const void *value, size_t *klen);

/* The (up to) n values that sort first under cmp, into out[] (n slots),
 * best first.  Returns how many were written.  Ties are broken by key
 * bytes so the result does not depend on insertion order. */
size_t nd_chef_table_top(const struct nd_chef_table *t, int (*cmp)(const void *a, const void *b),
			 size_t n, void **out);

#endif
