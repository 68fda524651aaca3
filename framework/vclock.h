/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A task's place in virtual time, for modules that order each domain's
 * queue by weighted run time: its vtime and the domain whose clock that
 * vtime is measured against (framework/vclock.bpf.h).
 */
#ifndef TSR_VCLOCK_H
#define TSR_VCLOCK_H

#include "../arena/arena.h"

struct tsr_vtask {
	__u64 vtime; /* weighted ns run, against the clock of domain dom */
	__u32 dom; /* the domain it last queued in */
	__u32 pad;
};

TSR_CHECK_SIZE(struct tsr_vtask, 16);

#endif /* TSR_VCLOCK_H */
