/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtier, BPF half: DAMON's access counts of each watched task, counted
 * as each aggregation ends (the damon_aggregated tracepoint, once per
 * region) and, when DAMON is the bandwidth source, charged to the task's
 * bucket there and then: every aggregation's bytes, at most 200 ms late,
 * instead of one aggregation read back and stretched over the seconds
 * between reads. A tracing program beside the struct_ops, attached by
 * userspace only when the kernel has the tracepoint and DAMON is in use.
 */
#ifndef TSR_MEMTIER_BPF_H
#define TSR_MEMTIER_BPF_H

/* Written by userspace as it makes and removes kdamonds. */
struct memtier_kdamond memtier_kdamonds[MEMTIER_KDAMONDS];
/* DAMON is the bandwidth source: its bytes are the task's reads. */
bool memtier_damon_charges;

/* Add @bytes to the reads the bandwidth module charges to the task of @k. */
static __always_inline void memtier_feed_read(struct memtier_kdamond *k, u64 bytes)
{
	struct tsr_task __arena *t;

	tsr_arena_use();
	t = tsr_slab_obj(&tsr_task_slab, k->task_idx);
	if (tsr_slab_same_gen(t, k->task_gen))
		__sync_fetch_and_add(&t->bandwidth.fed_rd, bytes);
}

/* Count @bytes an aggregation of kdamond thread @tid found; charge them if DAMON is the source. */
static __always_inline void memtier_count(__s32 tid, u64 bytes)
{
	if (!tid || !bytes)
		return;
	for (int i = 0; i < MEMTIER_KDAMONDS; i++) {
		struct memtier_kdamond *k = &memtier_kdamonds[i];

		if (*(volatile __s32 *)&k->tid != tid)
			continue;
		__sync_fetch_and_add(&k->bytes, bytes);
		if (memtier_damon_charges)
			memtier_feed_read(k, bytes);
		return;
	}
}

SEC("tp_btf/damon_aggregated")
int BPF_PROG(memtier_damon_aggregated, unsigned int target_id, struct damon_region *r,
	     unsigned int nr_regions)
{
	memtier_count((__s32)bpf_get_current_pid_tgid(),
		      (r->ar.end - r->ar.start) * r->nr_accesses);
	return 0;
}

#endif /* TSR_MEMTIER_BPF_H */
