// SPDX-License-Identifier: GPL-2.0
/*
 * The bandwidth module's buckets in a task's arena record under the host's
 * verifier: fed bytes charged, debt seen, the time it clears. Driven by
 * test_record.c.
 */
#include "tests/lib/host_task.bpf.h"
#include "modules/bandwidth/bandwidth.bpf.h"

char _license[] SEC("license") = "GPL";

struct bw_args {
	u64 fed_rd, fed_wr; /* add to the feed first */
	u32 fill; /* start from full buckets */
	u32 in_debt; /* out */
	s64 rd_tokens, wr_tokens; /* out */
	u64 wait_ns; /* out: release time - now */
};

SEC("syscall")
int bw_op(struct bw_args *a)
{
	struct tsr_task __arena *t = tsr_test_task();
	u64 now = bpf_ktime_get_ns(), rel;

	if (a->fill) {
		bw_fill(&t->bandwidth.rd, bandwidth_rd_period, bandwidth_burst, now);
		bw_fill(&t->bandwidth.wr, bandwidth_wr_period, bandwidth_burst, now);
	}
	t->bandwidth.fed_rd += a->fed_rd;
	t->bandwidth.fed_wr += a->fed_wr;
	a->in_debt = bandwidth_in_debt(t);
	a->rd_tokens = t->bandwidth.rd.tokens;
	a->wr_tokens = t->bandwidth.wr.tokens;
	rel = bandwidth_release_at(t);
	a->wait_ns = rel > now ? rel - now : 0;
	return 0;
}
