// SPDX-License-Identifier: GPL-2.0
/*
 * MOD: the shared arithmetic in userspace, and the hooks under the host's
 * verifier (MOD_test.bpf.c; root and BPF arenas needed).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include TSR_COMPOSE_H
#include "tests/lib/host_task.h"
#include "MOD_test.skel.h"

Test(MOD, scales_and_floors_slices)
{
	cr_expect_eq(MOD_scale_slice(20000000, 50), 10000000);
	cr_expect_eq(MOD_scale_slice(20000000, 200), 40000000);
	cr_expect_eq(MOD_scale_slice(150000, 10), 100000, "never below 100 us");
}

Test(MOD, hooks_charge_run_time_and_shape_the_slice)
{
	struct MOD_test *skel = MOD_test__open();
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct tsr_task *t;

	cr_assert_not_null(skel);
	skel->rodata->MOD_slice_pct = 50;
	cr_assert_eq(MOD_test__load(skel), 0, "loading: %s (root and BPF arenas needed)",
		     strerror(errno));
	t = tsr_test_task_record(&skel->arena->tsr_task_slab, skel->progs.tsr_alloc_pages);
	cr_assert_not_null(t);
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.MOD_run), &opts), 0);
	cr_expect_eq(t->MOD.ran_ns, 3000, "two charges of 1000 and 2000 ns");
	cr_expect_eq(skel->bss->MOD_test_slice, 10000000, "20 ms at 50 %%");
	MOD_test__destroy(skel);
}
