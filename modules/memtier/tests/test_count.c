// SPDX-License-Identifier: GPL-2.0
/*
 * memtier's BPF count of DAMON's aggregations: bytes go to the slot of
 * the kdamond that reported them and nowhere else, are charged as the
 * watched task's reads only when DAMON is the bandwidth source, and never
 * to a record that has since been freed and reused.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "tests/lib/host_task.h"
#include "count_test.skel.h"

static struct count_test *skel;
static struct tsr_task *task;

struct count_args {
	int32_t tid;
	uint64_t bytes;
};

static void setup(void)
{
	skel = count_test__open();
	cr_assert_not_null(skel);
	/* the tracepoint program needs DAMON in the host kernel; the count does not */
	bpf_program__set_autoload(skel->progs.memtier_damon_aggregated, false);
	cr_assert_eq(count_test__load(skel), 0,
		     "loading memtier test programs: %s (root and BPF arenas needed)",
		     strerror(errno));
	task = tsr_test_task_record(&skel->arena->tsr_task_slab, skel->progs.tsr_alloc_pages);
	cr_assert_not_null(task);
	skel->bss->memtier_kdamonds[3] = (struct memtier_kdamond){ .tid = 4100,
								   .task_idx = 0,
								   .task_gen = tsr_slab_gen(task) };
}

static void teardown(void)
{
	count_test__destroy(skel);
}

static void aggregated(int32_t tid, uint64_t bytes)
{
	struct count_args a = { .tid = tid, .bytes = bytes };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.count_op), &opts), 0);
}

TestSuite(memtier_count, .init = setup, .fini = teardown);

Test(memtier_count, counted_in_the_slot_of_the_reporting_kdamond_only)
{
	aggregated(4100, 2 << 20);
	aggregated(4101, 5 << 20); /* not one of ours */
	aggregated(0, 7 << 20);
	aggregated(4100, 1 << 20);
	cr_expect_eq(skel->bss->memtier_kdamonds[3].bytes, 3 << 20);
	for (int i = 0; i < MEMTIER_KDAMONDS; i++)
		if (i != 3)
			cr_expect_eq(skel->bss->memtier_kdamonds[i].bytes, 0, "slot %d", i);
	cr_expect_eq(task->bandwidth.fed_rd, 0, "not charged: DAMON is not the source");
}

Test(memtier_count, charged_as_reads_when_damon_is_the_source)
{
	skel->bss->memtier_damon_charges = true;
	aggregated(4100, 4 << 20);
	aggregated(4100, 0);
	aggregated(4101, 1 << 20);
	cr_expect_eq(task->bandwidth.fed_rd, 4 << 20);
	cr_expect_eq(task->bandwidth.fed_wr, 0);
	cr_expect_eq(skel->bss->memtier_kdamonds[3].bytes, 4 << 20);
}

Test(memtier_count, a_record_freed_and_reused_is_not_charged)
{
	skel->bss->memtier_damon_charges = true;
	skel->bss->memtier_kdamonds[3].task_gen += 2; /* the watched task's record was reused */
	aggregated(4100, 4 << 20);
	cr_expect_eq(task->bandwidth.fed_rd, 0);
	cr_expect_eq(skel->bss->memtier_kdamonds[3].bytes, 4 << 20,
		     "still counted for the kdamond");
}
