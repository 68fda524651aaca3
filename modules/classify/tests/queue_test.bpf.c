// SPDX-License-Identifier: GPL-2.0
/*
 * The classify module's decisions under the host's verifier: names matched
 * against the configured lists, marks from measured bandwidth with
 * hysteresis, and a boost as an earlier place in the class queue. Driven by
 * test_queue.c.
 */
#include "tests/lib/host_task.bpf.h"
#include "modules/classify/classify.bpf.h"

char _license[] SEC("license") = "GPL";

struct cls_args {
	char comm[CLS_NAME_LEN];
	u32 flags; /* in: the marks to give the task (with set_flags) */
	u32 set_flags;
	u64 rd_mbps, wr_mbps; /* measured rates to apply */
	u32 vectordb, bwtest; /* out: the name matched a list */
	u32 out_flags; /* out: the marks after the rates */
	u32 cls; /* out: the queue */
	u64 key; /* out: the place in it */
};

SEC("syscall")
int cls_op(struct cls_args *a)
{
	struct tsr_task __arena *t = tsr_test_task();
	u64 on = classify_intensive_mbps, off = on * 4 / 5;
	char comm[CLS_NAME_LEN];
	u32 f;

	/* on the stack, as the scheduler has it */
	__builtin_memcpy(comm, a->comm, sizeof(comm));
	a->vectordb = classify_name_in(comm, classify_vdb_names, classify_nr_vdb_names);
	a->bwtest = classify_name_in(comm, classify_bwt_names, classify_nr_bwt_names);
	if (a->set_flags)
		t->classify.flags = a->flags;
	t->bandwidth.rd_mbps = a->rd_mbps;
	t->bandwidth.wr_mbps = a->wr_mbps;
	f = classify_hysteresis(t->classify.flags, CLS_F_READ, a->rd_mbps, on, off);
	f = classify_hysteresis(f, CLS_F_WRITE, a->wr_mbps, on, off);
	t->classify.flags = f;
	a->out_flags = f;
	a->cls = classify_class_of(f, a->rd_mbps, a->wr_mbps);
	a->key = classify_key(bpf_get_current_task_btf(), t);
	return 0;
}
