#!/usr/bin/env bash
# Build-time checks of the composer: each deliberate mistake of a module
# author (tests/fixtures/mistakes) gives a message naming the module and the
# hook or option, at the step that sees it. Usage: test_compose.sh TOP.
# Ends with "N passed, N failed".
set -u
TOP=$1
FIX=$TOP/tests/fixtures/mistakes
COMPOSE=$TOP/framework/compose.py
tmp=$(mktemp -d /tmp/tsr-compose.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect NAME RC_WANTED TEXT CMD...: CMD exits RC_WANTED (any non-zero for "fail") and prints TEXT
expect() {
	local name=$1 want_rc=$2 text=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if { [ "$want_rc" = fail ] && [ $rc -ne 0 ] || [ "$want_rc" = "$rc" ]; } &&
		grep -qF -- "$text" <<<"$out"; then
		passed=$((passed + 1))
		echo "ok - $name: $(grep -F -- "$text" <<<"$out" | head -n 1)"
	else
		failed=$((failed + 1))
		echo "not ok - $name: rc=$rc, wanted '$text' in: $out"
	fi
}

compose() { # ACTION MODULES
	python3 "$COMPOSE" "$1" --srcdir "$FIX" --outdir "$tmp" --name mistake --modules "$2"
}

expect "unknown module" fail 'compose: mistake: unknown module "nosuch"' compose check nosuch
expect "misspelled hook" 0 \
	'module typo: typo_stoping() is not a hook, so it is never called: did you mean typo_stopping()?' \
	compose check typo
expect "dead verdict hook" 0 \
	'hook enqueue: module always always decides (every return of always_enqueue does), so later after it can never run' \
	compose check always,later
expect "dispatch that ignores prev" 0 \
	'module noprev: noprev_dispatch ignores prev_t: a still-runnable prev is queued behind whatever it takes' \
	compose check noprev
expect "no warning when the order is right" 0 'mistake: enqueue (first_true): later -> always' \
	compose check later,always
expect "option clash with the framework" 1 'option --stats is defined by the framework and by module clash' \
	compose check clash
expect "option clash between modules" 1 'option -q is defined by module clash and by module clash2' \
	compose check clash,clash2
expect "generate refuses a clash too" fail 'option --stats is defined by the framework' \
	compose generate clash

expect "a required module missing" 1 \
	'mistake: module needy requires module later listed before it (modules/needy/requires)' \
	compose check needy
expect "a required module listed after" 1 'module needy requires module later listed before it' \
	compose check needy,later
expect "a required module listed before" 0 'mistake: running (all): needy' compose check later,needy
expect "requires lists what a module builds on" 0 'later' compose requires needy

expect "override of a missing option" 1 \
	'scx_badletters: the description changes option --no-such-option, which no module defines' \
	python3 "$COMPOSE" check --srcdir "$FIX" --conf "$FIX/schedulers/scx_badletters.conf"
# -c moves from the framework's --cache-level to --quiet: no clash left
sed '/no-such/d; s/^letters.*/letters = c=quiet/' "$FIX/schedulers/scx_badletters.conf" >"$tmp/scx_moved.conf"
expect "a letter moved by the description is no clash" 0 "" \
	python3 "$COMPOSE" check --srcdir "$FIX" --conf "$tmp/scx_moved.conf"

# a rename reaches the first definer, the framework: its --stats makes way for the module's
printf 'modules = clash\nrename = stats=stats-every\n' >"$tmp/scx_rename.conf"
expect "a rename moves the framework's option out of a module's way" 0 "" \
	python3 "$COMPOSE" check --srcdir "$FIX" --conf "$tmp/scx_rename.conf"

# a hook with the wrong type: the compiler names module, hook and the signature
compose generate badsig >/dev/null
expect "wrong hook signature" fail \
	'module badsig: hook enqueue must be: bool badsig_enqueue(struct task_struct *p, struct tsr_task __arena *t, u64 enq_flags)' \
	gcc -fsyntax-only -I"$TOP" -I"$TOP/tests/fixtures/compose" -I"$tmp" -I"$FIX" \
	-include userspace_bpf.h -include framework/hooks.h -include mistake_compose.h \
	-x c "$tmp/mistake_compose.bpf.h"
# (right signatures pass the same checks: tests/unit/test_chains.c compiles them)

# optional callbacks: a module with a userspace half may leave its own out
# (tsr_module_callbacks), one without is always attached (tsr_fixed_callbacks)
compose generate later,needy >/dev/null
expect "a BPF-only module's running hook is always attached" 0 \
	'const unsigned int tsr_fixed_callbacks = 0x2;' cat "$tmp/mistake_modules.c"
mkdir -p "$tmp/real"
python3 "$COMPOSE" generate --srcdir "$TOP" --outdir "$tmp/real" --name scx_basic --modules vtime \
	>/dev/null
expect "vtime's runnable, running, quiescent and set_cpumask are its own to leave out" 0 \
	'0x17, /* vtime */' cat "$tmp/real/scx_basic_modules.c"
expect "no module of scx_basic reads core.wake_flags: select_cpu does not store it" 0 \
	'#define TSR_USES_WAKE_FLAGS 0' cat "$tmp/real/scx_basic_compose.bpf.h"
python3 "$COMPOSE" generate --srcdir "$TOP" --outdir "$tmp/real" --name scx_wd40 \
	--modules lb,placement,deadline >/dev/null
expect "deadline reads core.wake_flags: scx_wd40 keeps it" 0 \
	'#define TSR_USES_WAKE_FLAGS 1' cat "$tmp/real/scx_wd40_compose.bpf.h"

# meson shows the composer's message itself, not only meson-log.txt
if [ -n "${TSR_CACHE_DIR:-}" ]; then
	expect "meson output names the unknown module" fail 'unknown module "nosuch"' \
		meson setup "$tmp/build" "$TOP" -Dcache_dir="$TSR_CACHE_DIR" -Dschedulers=scx_basic \
		-Dtests=false -Dcustom_name=scx_mistake -Dcustom_modules=nosuch
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
