// SPDX-License-Identifier: GPL-2.0
/* The bounded MPMC queue over userspace memory, single- and multi-threaded. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include "arena/queue.h"

#define CAP 8

static struct tsr_queue q;
static struct tsr_queue_cell cells[CAP];

static void setup(void)
{
	cr_assert_eq(tsr_queue_init(&q, cells, CAP), 0);
}

TestSuite(queue, .init = setup);

Test(queue, rejects_bad_capacity)
{
	struct tsr_queue z = { 0 };
	__u64 v;

	cr_expect_eq(tsr_queue_init(&z, cells, 6), -EINVAL);
	cr_expect_eq(tsr_queue_init(&z, cells, 1), -EINVAL);
	cr_expect_eq(tsr_queue_push(&z, 1), -EINVAL, "not set up");
	cr_expect_eq(tsr_queue_pop(&z, &v), -EINVAL);
}

Test(queue, fifo_order_and_wraparound)
{
	__u64 v;

	for (int round = 0; round < 5; round++) {
		for (__u64 i = 0; i < 5; i++)
			cr_assert_eq(tsr_queue_push(&q, round * 100 + i), 0);
		for (__u64 i = 0; i < 5; i++) {
			cr_assert_eq(tsr_queue_pop(&q, &v), 0);
			cr_assert_eq(v, round * 100 + i);
		}
	}
	cr_expect_eq(q.nr_pushed, 25);
	cr_expect_eq(q.nr_popped, 25);
}

Test(queue, full_and_empty)
{
	__u64 v;

	cr_expect_eq(tsr_queue_pop(&q, &v), -2);
	for (int i = 0; i < CAP; i++)
		cr_assert_eq(tsr_queue_push(&q, i), 0);
	cr_expect_eq(tsr_queue_push(&q, 99), -ENOSPC);
	cr_expect_eq(q.nr_full, 1);
	cr_assert_eq(tsr_queue_pop(&q, &v), 0);
	cr_expect_eq(v, 0);
	cr_expect_eq(tsr_queue_push(&q, 99), 0, "room again after a pop");
}

#define PER_PRODUCER 100000
static struct tsr_queue bq;
static struct tsr_queue_cell bcells[64];
static __u64 sums[2];

static void *producer(void *arg)
{
	__u64 base = (__u64)(uintptr_t)arg * PER_PRODUCER;

	for (__u64 i = 1; i <= PER_PRODUCER;)
		if (!tsr_queue_push(&bq, base + i))
			i++;
	return NULL;
}

static void *consumer(void *arg)
{
	int id = (int)(uintptr_t)arg;
	__u64 v, got = 0;

	while (got < PER_PRODUCER)
		if (!tsr_queue_pop(&bq, &v)) {
			sums[id] += v;
			got++;
		}
	return NULL;
}

Test(queue, two_producers_two_consumers_lose_nothing)
{
	pthread_t p[2], c[2];
	__u64 expect = 0;

	cr_assert_eq(tsr_queue_init(&bq, bcells, 64), 0);
	for (int i = 0; i < 2; i++) {
		pthread_create(&p[i], NULL, producer, (void *)(uintptr_t)i);
		pthread_create(&c[i], NULL, consumer, (void *)(uintptr_t)i);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(p[i], NULL);
		pthread_join(c[i], NULL);
	}
	for (__u64 i = 1; i <= 2 * PER_PRODUCER; i++)
		expect += i;
	cr_expect_eq(sums[0] + sums[1], expect, "every value popped exactly once");
	cr_expect_eq(bq.nr_pushed, 2 * PER_PRODUCER);
	cr_expect_eq(bq.nr_popped, 2 * PER_PRODUCER);
}
