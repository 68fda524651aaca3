// SPDX-License-Identifier: GPL-2.0
/* The intrusive arena list over userspace memory. */
#include <criterion/criterion.h>
#include "arena/list.h"

struct item {
	int v;
	struct tsr_list node;
};

static int collect(struct tsr_list *head, int *out, int max)
{
	int n = 0;

	for (struct tsr_list *p = head->next; p != head && n < max; p = p->next)
		out[n++] = tsr_container_of(p, struct item, node)->v;
	return n;
}

Test(list, add_tail_keeps_order_add_pushes_front)
{
	struct tsr_list head;
	struct item a = { 1 }, b = { 2 }, c = { 3 };
	int got[4];

	tsr_list_init(&head);
	cr_expect(tsr_list_empty(&head));
	cr_expect_null(tsr_list_first(&head));
	tsr_list_add_tail(&head, &a.node);
	tsr_list_add_tail(&head, &b.node);
	tsr_list_add(&head, &c.node);
	cr_assert_eq(collect(&head, got, 4), 3);
	cr_expect_eq(got[0], 3);
	cr_expect_eq(got[1], 1);
	cr_expect_eq(got[2], 2);
	cr_expect_eq(tsr_container_of(tsr_list_first(&head), struct item, node), &c);
}

Test(list, del_unlinks_and_is_idempotent)
{
	struct tsr_list head;
	struct item a = { 1 }, b = { 2 }, c = { 3 };
	int got[4];

	tsr_list_init(&head);
	tsr_list_add_tail(&head, &a.node);
	tsr_list_add_tail(&head, &b.node);
	tsr_list_add_tail(&head, &c.node);
	tsr_list_del(&b.node);
	tsr_list_del(&b.node);
	cr_assert_eq(collect(&head, got, 4), 2);
	cr_expect_eq(got[0], 1);
	cr_expect_eq(got[1], 3);
	cr_expect_eq(head.prev, &c.node, "backward links intact");
	tsr_list_del(&a.node);
	tsr_list_del(&c.node);
	cr_expect(tsr_list_empty(&head));
}
