// SPDX-License-Identifier: GPL-2.0
/* sched_ext exit information for users: what ended the scheduler and why. */
#include <string.h>
#include "exit_info.h"

const char *tsr_exit_kind_name(int kind, char *buf, size_t len)
{
	switch (kind) {
	case TSR_EXIT_NONE:
		return "NONE";
	case TSR_EXIT_DONE:
		return "DONE";
	case TSR_EXIT_UNREG:
		return "UNREG";
	case TSR_EXIT_UNREG_BPF:
		return "UNREG_BPF";
	case TSR_EXIT_UNREG_KERN:
		return "UNREG_KERN";
	case TSR_EXIT_SYSRQ:
		return "SYSRQ";
	case TSR_EXIT_ERROR:
		return "ERROR";
	case TSR_EXIT_ERROR_BPF:
		return "ERROR_BPF";
	case TSR_EXIT_ERROR_STALL:
		return "ERROR_STALL";
	}
	snprintf(buf, len, "KIND_%d", kind);
	return buf;
}

bool tsr_exit_wants_restart(const struct tsr_exit_info *ei)
{
	return ei->kind && (ei->exit_code & TSR_ECODE_ACT_RESTART);
}

bool tsr_exit_is_error(const struct tsr_exit_info *ei)
{
	return ei->kind >= TSR_EXIT_ERROR;
}

void tsr_exit_print(const struct tsr_exit_info *ei, const char *prog, FILE *out)
{
	char kind[32];

	fprintf(out, "%s: exit: %s", prog, tsr_exit_kind_name(ei->kind, kind, sizeof(kind)));
	if (ei->reason[0])
		fprintf(out, " (%.*s)", (int)sizeof(ei->reason), ei->reason);
	if (ei->msg[0])
		fprintf(out, ": %.*s", (int)strnlen(ei->msg, sizeof(ei->msg)), ei->msg);
	if (ei->exit_code)
		fprintf(out, " [code 0x%llx]", (unsigned long long)ei->exit_code);
	if (tsr_exit_wants_restart(ei))
		fprintf(out, " [restart requested]");
	fputc('\n', out);
}
