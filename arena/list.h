/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intrusive circular doubly linked list in the arena. Not concurrent: one
 * writer at a time (the owner serialises), any number of racy readers that
 * tolerate a node moving under them.
 */
#ifndef TSR_LIST_H
#define TSR_LIST_H

#include "arena.h"

struct tsr_list {
	struct tsr_list __arena *next;
	struct tsr_list __arena *prev;
};

#define tsr_container_of(ptr, type, member) \
	((type __arena *)((char __arena *)(ptr) - __builtin_offsetof(type, member)))

static inline void tsr_list_init(struct tsr_list __arena *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool tsr_list_empty(struct tsr_list __arena *head)
{
	return head->next == head;
}

static inline void tsr_list_insert(struct tsr_list __arena *node, struct tsr_list __arena *prev,
				   struct tsr_list __arena *next)
{
	node->next = next;
	node->prev = prev;
	prev->next = node;
	next->prev = node;
}

/* Add @node right after @head (stack order). */
static inline void tsr_list_add(struct tsr_list __arena *head, struct tsr_list __arena *node)
{
	tsr_list_insert(node, head, head->next);
}

/* Add @node right before @head (queue order). */
static inline void tsr_list_add_tail(struct tsr_list __arena *head, struct tsr_list __arena *node)
{
	tsr_list_insert(node, head->prev, head);
}

/* Unlink @node and leave it pointing at itself (so a second del is harmless). */
static inline void tsr_list_del(struct tsr_list __arena *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	tsr_list_init(node);
}

/* First node after @head, or NULL when empty. */
static inline struct tsr_list __arena *tsr_list_first(struct tsr_list __arena *head)
{
	return tsr_list_empty(head) ? NULL : head->next;
}

#endif /* TSR_LIST_H */
