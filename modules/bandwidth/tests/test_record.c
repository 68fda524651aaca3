// SPDX-License-Identifier: GPL-2.0
/*
 * The bandwidth module's per-task buckets under the host's verifier: bytes
 * reported through the feed are charged once each, a task that overspent
 * is in debt until the refill that clears it, and -b measures without
 * holding anyone back.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "tests/lib/host_task.h"
#include "record_test.skel.h"

static struct record_test *skel;

struct bw_args {
	uint64_t fed_rd, fed_wr;
	uint32_t fill;
	uint32_t in_debt;
	int64_t rd_tokens, wr_tokens;
	uint64_t wait_ns;
};

static void load(bool throttle)
{
	skel = record_test__open();
	cr_assert_not_null(skel);
	skel->rodata->bandwidth_rd_period = bw_per_period(100); /* 1 MB per 10 ms */
	skel->rodata->bandwidth_wr_period = bw_per_period(10);
	skel->rodata->bandwidth_throttle = throttle;
	cr_assert_eq(record_test__load(skel), 0,
		     "loading bandwidth test programs: %s (root and BPF arenas needed)",
		     strerror(errno));
	cr_assert_not_null(
		tsr_test_task_record(&skel->arena->tsr_task_slab, skel->progs.tsr_alloc_pages));
}

static void setup(void)
{
	load(true);
}

static void teardown(void)
{
	record_test__destroy(skel);
}

static struct bw_args op(uint64_t rd, uint64_t wr, bool fill)
{
	struct bw_args a = { .fed_rd = rd, .fed_wr = wr, .fill = fill };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.bw_op), &opts), 0);
	return a;
}

TestSuite(bw_bpf, .init = setup, .fini = teardown);

Test(bw_bpf, within_the_burst_no_debt)
{
	struct bw_args a = op(5000000, 0, true);

	cr_expect_eq(a.in_debt, 0);
	cr_expect_eq(a.rd_tokens, 10000000 - 5000000, "100 ms of 100 MB/s, less 5 MB");
	cr_expect_eq(a.wr_tokens, 1000000);
}

Test(bw_bpf, overspending_is_debt_until_the_refill_that_clears_it)
{
	struct bw_args a = op(10000000 + 3500000, 0, true);

	cr_expect_eq(a.in_debt, 1);
	cr_expect_eq(a.rd_tokens, -3500000);
	cr_expect_leq(a.wait_ns, 4 * 10000000ULL, "3.5 MB owed at 1 MB per 10 ms");
	cr_expect_gt(a.wait_ns, 2 * 10000000ULL);
	a = op(0, 0, false);
	cr_expect_eq(a.rd_tokens, -3500000, "fed bytes are charged once");
}

Test(bw_bpf, writes_have_their_own_bucket)
{
	struct bw_args a = op(0, 2000000, true);

	cr_expect_eq(a.in_debt, 1, "1 MB burst at 10 MB/s, 2 MB written");
	cr_expect_eq(a.rd_tokens, 10000000, "reads untouched");
}

Test(bw_bpf, disabled_control_measures_only)
{
	struct bw_args a;

	teardown();
	load(false);
	a = op(50000000, 0, true);
	cr_expect_eq(a.in_debt, 0, "never held back with -b");
	cr_expect_lt(a.rd_tokens, 0, "but still charged");
}
