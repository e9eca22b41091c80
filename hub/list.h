/*
 * list.h: a minimal intrusive doubly linked list for the hub's connection
 * sets.  A node is either linked into exactly one list or self-linked
 * (after hub_list_init or hub_list_del), so deleting twice is harmless.
 */
#ifndef HUB_LIST_H
#define HUB_LIST_H

#include <stddef.h>

struct hub_list {
	struct hub_list *prev, *next;
};

#define hub_container_of(ptr, type, member)                                    \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define hub_list_foreach_safe(pos, tmp, head)                                  \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);           \
	     (pos) = (tmp), (tmp) = (pos)->next)

static inline void hub_list_init(struct hub_list *l)
{
	l->prev = l->next = l;
}

static inline int hub_list_empty(const struct hub_list *l)
{
	return l->next == l;
}

static inline void hub_list_add_tail(struct hub_list *head, struct hub_list *n)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

static inline void hub_list_del(struct hub_list *n)
{
	if (!n->next)
		return; /* never linked (zeroed memory) */
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

#endif
