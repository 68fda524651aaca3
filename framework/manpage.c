// SPDX-License-Identifier: GPL-2.0
/* The manual page of a composed scheduler (manpage.h). */
#include <stdlib.h>
#include <string.h>
#include "manpage.h"

/* @s as roff text: backslashes escaped, hyphens made minus signs, no line starting with a control character. */
static void text(const char *s, FILE *out)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

/* The option's default and range as --help has them, as roff text. */
static void default_text(const struct tsr_opt *o, FILE *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	tsr_opt_print_default(o, m);
	fclose(m);
	if (len) {
		fputs("\n", out);
		text(buf + 1, out); /* without the leading space */
	}
	free(buf);
}

static void option(const struct tsr_opt *o, FILE *out)
{
	fputs(".TP\n", out);
	if (o->short_name)
		fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
	fputs("\\fB\\-\\-", out);
	text(o->name, out);
	fputs("\\fR", out);
	if (o->type != TSR_OPT_FLAG) {
		fputs(" \\fI", out);
		text(o->metavar ? o->metavar : "VAL", out);
		fputs("\\fR", out);
	}
	fputs("\n", out);
	text(o->help ? o->help : "", out);
	default_text(o, out);
	fputs("\n", out);
}

static const char *const exit_kinds[][2] = {
	{ "DONE", "the scheduler detached itself (\\-\\-duration ran out)" },
	{ "UNREG", "unregistered from user space: SIGINT or SIGTERM" },
	{ "UNREG_BPF", "the BPF side asked to stop" },
	{ "UNREG_KERN", "the kernel unregistered it (e.g. CPU hotplug; it is loaded again)" },
	{ "SYSRQ", "an operator pressed SysRq\\-S" },
	{ "ERROR", "the kernel found an error; the reason follows" },
	{ "ERROR_BPF", "the BPF side reported an error; the reason follows" },
	{ "ERROR_STALL",
	  "a runnable task waited past the watchdog (\\-\\-watchdog\\-ms); the kernel "
	  "ejected the scheduler and the machine went on with its default one" },
};

void tsr_man_write(const struct tsr_man_info *info, const struct tsr_opt_group *groups,
		   int nr_groups, FILE *out)
{
	fputs(".TH ", out);
	text(info->prog, out);
	fprintf(out, " 8 \"\" \"tessera %s\" \"System Administration\"\n.SH NAME\n", info->version);
	text(info->prog, out);
	fputs(" \\- ", out);
	text(info->description, out);
	fputs("\n.SH SYNOPSIS\n.B ", out);
	text(info->prog, out);
	fputs("\n[\\fIOPTIONS\\fR]\n.SH DESCRIPTION\n.B ", out);
	text(info->prog, out);
	fputs("\nis a Linux sched_ext scheduler composed by tessera from the modules ", out);
	text(info->modules, out);
	fputs(". It loads its BPF programs, attaches them as the machine's scheduler and "
	      "stays in the foreground until SIGINT or SIGTERM (or \\-\\-duration), when it "
	      "detaches and the kernel's default scheduler takes over again. Only one "
	      "sched_ext scheduler runs at a time.\n",
	      out);
	fputs(".SH OPTIONS\n", out);
	for (int g = 0; g < nr_groups; g++) {
		if (!groups[g].opts || !groups[g].opts->name)
			continue;
		fputs(".SS ", out);
		text(groups[g].title, out);
		fputs("\n", out);
		for (const struct tsr_opt *o = groups[g].opts; o->name; o++)
			option(o, out);
	}
	fputs(".SS Built\\-in\n.TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nPrint the options "
	      "with their ranges and defaults.\n.TP\n\\fB\\-\\-version\\fR\nPrint the version "
	      "and the module list.\n.TP\n\\fB\\-\\-man\\fR\nPrint this page (roff).\n",
	      out);
	fputs(".SH EXIT STATUS\n.TP\n0\nDetached cleanly: a signal, \\-\\-duration, or a "
	      "request answered (\\-\\-ctl, \\-\\-topology).\n.TP\n1\nIt could not load or "
	      "attach, or the kernel ejected it with an error; one line says what happened.\n"
	      ".TP\n2\nA bad option or value; one line names it and the accepted range, and "
	      "nothing was loaded.\n",
	      out);
	fputs(".SH DIAGNOSTICS\nWhen it detaches it prints one line, \\fIprog\\fR: exit: "
	      "\\fIKIND\\fR (\\fIreason\\fR), where KIND is one of:\n",
	      out);
	for (size_t i = 0; i < sizeof(exit_kinds) / sizeof(exit_kinds[0]); i++)
		fprintf(out, ".TP\n%s\n%s\n", exit_kinds[i][0], exit_kinds[i][1]);
	fputs(".SH FILES\n.TP\n/run/tessera/control.sock\nThe control socket a running "
	      "scheduler serves (\\-\\-control); \\-\\-ctl and the statistics watcher ask it.\n"
	      ".TP\n/etc/default/tessera\\-\\fIprog\\fR\nOptions for the systemd unit "
	      "tessera@\\fIprog\\fR.service (TESSERA_ARGS=...).\n.SH SEE ALSO\n"
	      ".BR systemctl (1)\n",
	      out);
}
