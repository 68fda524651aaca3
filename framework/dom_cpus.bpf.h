/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUs of each domain, listed together: for a pass over one domain's
 * CPUs (their wait queues) without a pass over all CPUs.
 */
#ifndef TSR_DOM_CPUS_BPF_H
#define TSR_DOM_CPUS_BPF_H

/* The CPUs of domain d are tsr_dom_cpu_list[TSR_DOM_AT(d) .. TSR_DOM_AT(d + 1)). */
__u16 tsr_dom_cpu_list[TSR_MAX_CPUS];
__u16 tsr_dom_cpu_at[2 * TSR_MAX_DOMS];
#define TSR_DOM_AT(d) tsr_dom_cpu_at[(d) & (2 * TSR_MAX_DOMS - 1)]

/* The @i-th CPU of the list (an index from TSR_DOM_AT()). */
static __always_inline u32 tsr_dom_cpu(u32 i)
{
	return tsr_dom_cpu_list[i & (TSR_MAX_CPUS - 1)];
}

/* At init, from the topology: a counting sort of the CPUs by domain. */
static __always_inline void tsr_dom_cpus_init(void)
{
	u32 n = tsr_nr_cpu_ids < TSR_MAX_CPUS ? tsr_nr_cpu_ids : TSR_MAX_CPUS;
	u32 i, d, sum = 0;

	bpf_for(i, 0, n) {
		if (tsr_topo.cpu_core[i] >= 0)
			TSR_DOM_AT(tsr_cpu_dom(i) + 1)++;
	}
	bpf_for(d, 0, TSR_MAX_DOMS) {
		sum += TSR_DOM_AT(d + 1);
		TSR_DOM_AT(d + 1) = sum;
	}
	/* place each CPU at its domain's next free slot, then shift the starts back */
	bpf_for(i, 0, n) {
		u32 dom = tsr_cpu_dom(i);

		if (tsr_topo.cpu_core[i] < 0)
			continue;
		tsr_dom_cpu_list[TSR_DOM_AT(dom) & (TSR_MAX_CPUS - 1)] = i;
		TSR_DOM_AT(dom)++;
	}
	bpf_for(d, 0, TSR_MAX_DOMS) {
		u32 k = TSR_MAX_DOMS - d;

		TSR_DOM_AT(k) = TSR_DOM_AT(k - 1);
	}
	TSR_DOM_AT(0) = 0;
}

#endif /* TSR_DOM_CPUS_BPF_H */
