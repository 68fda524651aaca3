/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the kernel's sched_ext exit information: kind names, restart requests, messages. */
#ifndef TSR_EXIT_INFO_H
#define TSR_EXIT_INFO_H

#include <stdbool.h>
#include <stdio.h>
#include "records.h"

/* enum scx_exit_kind and exit-code bits, as the kernel defines them. */
enum {
	TSR_EXIT_NONE = 0,
	TSR_EXIT_DONE = 1,
	TSR_EXIT_UNREG = 64,
	TSR_EXIT_UNREG_BPF = 65,
	TSR_EXIT_UNREG_KERN = 66,
	TSR_EXIT_SYSRQ = 67,
	TSR_EXIT_ERROR = 1024,
	TSR_EXIT_ERROR_BPF = 1025,
	TSR_EXIT_ERROR_STALL = 1026,
};
#define TSR_ECODE_RSN_HOTPLUG (1ULL << 32)
#define TSR_ECODE_ACT_RESTART (1ULL << 48)

/* Short name of an exit kind ("ERROR_STALL"), "UNKNOWN(n)" style for others. */
const char *tsr_exit_kind_name(int kind, char *buf, size_t len);

/* The kernel asked userspace to load the scheduler again (e.g. after CPU hotplug). */
bool tsr_exit_wants_restart(const struct tsr_exit_info *ei);

/* The exit was an error (BPF error, watchdog stall, kernel error). */
bool tsr_exit_is_error(const struct tsr_exit_info *ei);

/* One line: "<prog>: exit: KIND (reason): message [code 0x...]". */
void tsr_exit_print(const struct tsr_exit_info *ei, const char *prog, FILE *out);

#endif /* TSR_EXIT_INFO_H */
