// SPDX-License-Identifier: GPL-2.0
/*
 * Hook-chain rules (framework/hooks.h), checked on chains that
 * framework/compose.py generated for three fixture modules (alpha, beta,
 * gamma in that order; tests/fixtures/compose), compiled for userspace.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "userspace_bpf.h"

static char chain_log[256];
static s32 alpha_cpu = -1, beta_cpu = 3, beta_init_ret;
static bool beta_claims = true;

static void chain_note(const char *who)
{
	if (chain_log[0])
		strcat(chain_log, " ");
	strcat(chain_log, who);
}

#include "framework/hooks.h"
#include "chain_compose.h"
#include "chain_compose.bpf.h"

static struct task_struct task;
static struct tsr_task rec;

static void reset(void)
{
	chain_log[0] = '\0';
	alpha_cpu = -1;
	beta_cpu = 3;
	beta_init_ret = 0;
	beta_claims = true;
}

TestSuite(chains, .init = reset);

Test(chains, select_cpu_first_decision_wins)
{
	struct tsr_placement pl = {};

	cr_expect_eq(tsr_chain_select_cpu(&task, &rec, 0, 0, &pl), 3);
	cr_expect_str_eq(chain_log, "alpha beta", "gamma must not be asked");
	cr_expect(pl.direct);
}

Test(chains, select_cpu_earlier_module_wins)
{
	struct tsr_placement pl = {};

	alpha_cpu = 1;
	cr_expect_eq(tsr_chain_select_cpu(&task, &rec, 0, 0, &pl), 1);
	cr_expect_str_eq(chain_log, "alpha");
}

Test(chains, select_cpu_nobody_decides)
{
	struct tsr_placement pl = {};

	beta_cpu = TSR_PASS;
	/* gamma always decides 7: every module was asked, in order */
	cr_expect_eq(tsr_chain_select_cpu(&task, &rec, 0, 0, &pl), 7);
	cr_expect_str_eq(chain_log, "alpha beta gamma");
}

Test(chains, enqueue_and_dispatch_stop_at_first_claim)
{
	cr_expect(tsr_chain_enqueue(&task, &rec, 0));
	cr_expect_str_eq(chain_log, "alpha beta");
	chain_log[0] = '\0';
	cr_expect(tsr_chain_dispatch(0, NULL, NULL));
	cr_expect_str_eq(chain_log, "alpha beta");
}

Test(chains, dispatch_unclaimed_falls_through)
{
	beta_claims = false;
	cr_expect_not(tsr_chain_dispatch(0, NULL, NULL),
		      "gamma has no dispatch: framework fallback");
	cr_expect_str_eq(chain_log, "alpha beta");
}

Test(chains, notifications_reach_everyone_in_order)
{
	rec.alpha.seen = 0;
	tsr_chain_running(&task, &rec);
	cr_expect_str_eq(chain_log, "alpha beta gamma");
	cr_expect_eq(rec.alpha.seen, 1, "module extension of the record is writable");
}

Test(chains, init_stops_at_first_error)
{
	beta_init_ret = -5;
	cr_expect_eq(tsr_chain_init(), -5);
	cr_expect_str_eq(chain_log, "alpha beta");
	reset();
	cr_expect_eq(tsr_chain_init(), 0);
	cr_expect_str_eq(chain_log, "alpha beta gamma");
}

Test(chains, teardown_runs_in_reverse)
{
	tsr_chain_exit_task(&task, &rec, NULL);
	cr_expect_str_eq(chain_log, "gamma beta alpha");
	chain_log[0] = '\0';
	tsr_chain_exit(NULL);
	cr_expect_str_eq(chain_log, "beta alpha");
}

Test(chains, unused_hooks_are_marked_and_empty)
{
	cr_expect_eq(TSR_HOOK_USED_tick, 0);
	cr_expect_eq(TSR_HOOK_USED_running, 1);
	tsr_chain_tick(&task, &rec);
	cr_expect_str_eq(chain_log, "");
}

Test(chains, records_put_core_first_then_modules)
{
	cr_expect_eq(__builtin_offsetof(struct tsr_task, core), 0);
	cr_expect_eq(__builtin_offsetof(struct tsr_task, alpha), sizeof(struct tsr_task_core));
	cr_expect_eq(sizeof(struct tsr_task), sizeof(struct tsr_task_core) + sizeof(__u64));
	cr_expect_eq(TSR_MODIDX_gamma, 3);
	cr_expect_eq(TSR_DSQ_ID(beta, 5), (2ULL << 24) | 5);
}

/* slice is a fold: each module gets the previous one's answer, in order. */
Test(chains, slice_folds_in_order)
{
	reset();
	cr_expect_eq(tsr_chain_slice(&task, &rec, 100), 201, "(100 * 2) + 1, not (100 + 1) * 2");
	cr_expect_str_eq(chain_log, "alpha gamma");
}
