// SPDX-License-Identifier: GPL-2.0
/* Exit information as the user reads it. */
#include <criterion/criterion.h>
#include <string.h>
#include "framework/exit_info.h"

static char out[2048];

static void print(const struct tsr_exit_info *ei)
{
	FILE *f = fmemopen(out, sizeof(out), "w");

	tsr_exit_print(ei, "scx_x", f);
	fclose(f);
}

Test(exit_info, stall_is_an_error_with_reason_and_message)
{
	struct tsr_exit_info ei = { .kind = TSR_EXIT_ERROR_STALL };

	strcpy(ei.reason, "runnable task stall");
	strcpy(ei.msg, "kworker/0:1[12] failed to run for 30.2s");
	print(&ei);
	cr_expect_str_eq(out, "scx_x: exit: ERROR_STALL (runnable task stall): kworker/0:1[12] "
			      "failed to run for 30.2s\n");
	cr_expect(tsr_exit_is_error(&ei));
	cr_expect_not(tsr_exit_wants_restart(&ei));
}

Test(exit_info, hotplug_restart_is_detected)
{
	struct tsr_exit_info ei = { .kind = TSR_EXIT_UNREG_BPF,
				    .exit_code = TSR_ECODE_ACT_RESTART | TSR_ECODE_RSN_HOTPLUG };

	print(&ei);
	cr_expect(tsr_exit_wants_restart(&ei));
	cr_expect_not(tsr_exit_is_error(&ei));
	cr_expect(strstr(out, "[restart requested]"), "%s", out);
	cr_expect(strstr(out, "code 0x1000100000000"), "%s", out);
}

Test(exit_info, clean_unregister)
{
	struct tsr_exit_info ei = { .kind = TSR_EXIT_UNREG };

	print(&ei);
	cr_expect_str_eq(out, "scx_x: exit: UNREG\n");
	cr_expect_not(tsr_exit_is_error(&ei));
}

Test(exit_info, unknown_kind_is_printed_by_number)
{
	char buf[32];

	cr_expect_str_eq(tsr_exit_kind_name(4242, buf, sizeof(buf)), "KIND_4242");
	cr_expect_str_eq(tsr_exit_kind_name(TSR_EXIT_ERROR_BPF, buf, sizeof(buf)), "ERROR_BPF");
}

/* Reason and message without a NUL: exactly the buffers are printed, never what follows. */
Test(exit_info, unterminated_message_is_bounded)
{
	struct {
		struct tsr_exit_info ei;
		char canary[64];
	} w;
	size_t xs = 0, rs = 0;

	memset(&w, 'C', sizeof(w));
	w.ei.kind = TSR_EXIT_ERROR;
	w.ei.exit_code = 0;
	memset(w.ei.reason, 'Q', sizeof(w.ei.reason));
	memset(w.ei.msg, 'Z', sizeof(w.ei.msg));
	print(&w.ei);
	cr_expect_null(strchr(out, 'C'), "read past the record: %s", out);
	for (const char *c = out; *c; c++) {
		xs += *c == 'Z';
		rs += *c == 'Q';
	}
	cr_expect_eq(xs, sizeof(w.ei.msg), "%zu of %zu message bytes", xs, sizeof(w.ei.msg));
	cr_expect_eq(rs, sizeof(w.ei.reason), "%zu of %zu reason bytes", rs, sizeof(w.ei.reason));
	cr_expect_eq(strlen(out), strlen("scx_x: exit: ERROR (") + sizeof(w.ei.reason) +
					  strlen("): ") + sizeof(w.ei.msg) + strlen("\n"));
}
