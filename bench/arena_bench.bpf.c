// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of the arena allocator and of per-task record lookup in BPF, next to
 * BPF hash maps doing the same job, as syscall programs on the host kernel.
 * Each program times its own loop (bpf_ktime_get_ns) and reports ns.
 */
#include "framework/common.bpf.h"
#include "tests/bpf/test_records.h"
#include "framework/state.bpf.h"
#include "framework/arena_pages.bpf.h"

char _license[] SEC("license") = "GPL";

struct bench_args {
	s32 iters;
	s32 pad;
	u64 ns;
	u64 fails;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, struct tsr_task);
} prealloc_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, struct tsr_task);
} dynamic_hash SEC(".maps");

SEC("syscall")
int slab_pairs(struct bench_args *a)
{
	u64 t0 = bpf_ktime_get_ns(), fails = 0;
	struct tsr_task __arena *t;
	int i;

	bpf_for(i, 0, a->iters) {
		t = tsr_slab_alloc(&tsr_task_slab);
		if (!t) {
			fails++;
			continue;
		}
		t->core.pid = i;
		tsr_slab_free(&tsr_task_slab, t);
	}
	a->ns = bpf_ktime_get_ns() - t0;
	a->fails = fails;
	return 0;
}

static __always_inline int hash_pairs(void *map, struct bench_args *a)
{
	struct tsr_task rec = {};
	u64 t0 = bpf_ktime_get_ns(), fails = 0;
	int i;

	bpf_for(i, 0, a->iters) {
		u32 key = i & 1023;

		rec.core.pid = i;
		if (bpf_map_update_elem(map, &key, &rec, BPF_ANY)) {
			fails++;
			continue;
		}
		bpf_map_delete_elem(map, &key);
	}
	a->ns = bpf_ktime_get_ns() - t0;
	a->fails = fails;
	return 0;
}

SEC("syscall")
int prealloc_hash_pairs(struct bench_args *a)
{
	return hash_pairs(&prealloc_hash, a);
}

SEC("syscall")
int dynamic_hash_pairs(struct bench_args *a)
{
	return hash_pairs(&dynamic_hash, a);
}

/* A record of the current task: task storage holds its arena pointer. */
SEC("syscall")
int task_lookup(struct bench_args *a)
{
	struct task_struct *p = bpf_get_current_task_btf();
	struct tsr_task_ref *ref;
	struct tsr_task __arena *t;
	s32 pid = p->pid;
	u64 t0, hits = 0;
	int i;

	ref = bpf_task_storage_get(&tsr_task_refs, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ref)
		return -ENOMEM;
	if (!ref->rec)
		ref->rec = tsr_slab_alloc(&tsr_task_slab);
	t = ref->rec;
	if (!t)
		return -ENOMEM;
	t->core.pid = pid;
	t0 = bpf_ktime_get_ns();
	bpf_for(i, 0, a->iters) {
		t = tsr_task_rec(p);
		if (t && t->core.pid == pid)
			hits++;
	}
	a->ns = bpf_ktime_get_ns() - t0;
	/* every lookup must find the record, or the time measured misses */
	a->fails = a->iters - hits;
	return 0;
}

/* The same record kept in a hash map keyed by pid, for comparison. */
SEC("syscall")
int hash_lookup(struct bench_args *a)
{
	struct task_struct *p = bpf_get_current_task_btf();
	struct tsr_task rec = {}, *v;
	u32 pid = p->pid;
	u64 t0, hits = 0;
	int i;

	rec.core.pid = pid;
	if (bpf_map_update_elem(&prealloc_hash, &pid, &rec, BPF_ANY))
		return -ENOMEM;
	t0 = bpf_ktime_get_ns();
	bpf_for(i, 0, a->iters) {
		v = bpf_map_lookup_elem(&prealloc_hash, &pid);
		if (v && v->core.pid == pid)
			hits++;
	}
	a->ns = bpf_ktime_get_ns() - t0;
	a->fails = a->iters - hits;
	return 0;
}
