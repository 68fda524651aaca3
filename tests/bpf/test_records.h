/* SPDX-License-Identifier: GPL-2.0 */
/* Records of a composition with no modules, for the host-kernel arena tests. */
#ifndef TSR_TEST_RECORDS_H
#define TSR_TEST_RECORDS_H

#include "framework/records.h"

struct tsr_task {
	struct tsr_task_core core;
};
struct tsr_cpu {
	struct tsr_cpu_core core;
} __tsr_aligned;
struct tsr_dom {
	struct tsr_dom_core core;
} __tsr_aligned;

#endif
