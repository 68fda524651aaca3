# Helpers for tests that run inside the guest (busybox sh). Source it.
# Each check prints "ok N - name" or "not ok N - name: why"; tsr_summary
# prints the "N passed, N failed" line the host collects.

TSR_PASSED=${TSR_PASSED:-0}
TSR_FAILED=${TSR_FAILED:-0}
TSR_N=${TSR_N:-0}
SCX=/sys/kernel/sched_ext
# Attach (load, verify, enable) takes 2-4 s under TCG emulation (each
# composition, 4 and 8 vCPUs; up to 10 s before lb's steals and smt_pair's
# pick were global functions), more on a busy host: a wide bound.
ATTACH_S=${ATTACH_S:-60}

pass() {
	TSR_N=$((TSR_N + 1)); TSR_PASSED=$((TSR_PASSED + 1))
	echo "ok $TSR_N - $1"
}

fail() {
	TSR_N=$((TSR_N + 1)); TSR_FAILED=$((TSR_FAILED + 1))
	echo "not ok $TSR_N - $1: $2"
}

# check NAME COMMAND...: pass when COMMAND succeeds
check() {
	name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "'$*' failed"; fi
}

# seconds since boot, with centiseconds
now() { cut -d' ' -f1 /proc/uptime; }

# elapsed START: seconds since START (from now), as a decimal
elapsed() { awk -v s="$1" -v n="$(now)" 'BEGIN { printf "%.2f", n - s }'; }

# before START SECS: true while fewer than SECS seconds passed since START
# (a polling loop's condition: while before "$t0" 20; do ...; done)
before() { awk -v s="$1" -v n="$(now)" -v l="$2" 'BEGIN { exit !(n - s < l) }'; }

scx_state() { cat $SCX/state 2>/dev/null || echo missing; }
scx_ops() { cat $SCX/root/ops 2>/dev/null; }

# wait_state STATE SECS: poll until sched_ext is in STATE; fails after SECS
wait_state() {
	_ws_want=$1 _ws_limit=$2 _ws_start=$(now)
	while [ "$(scx_state)" != "$_ws_want" ]; do
		if awk -v e="$(elapsed "$_ws_start")" -v l="$_ws_limit" 'BEGIN { exit !(e > l) }'; then
			return 1
		fi
		sleep 0.05
	done
}

# wait_line PATTERN FILE SECS: poll until FILE has a line matching PATTERN
# (grep -E); fails after SECS. A scheduler writes its "attached" line after
# sched_ext says enabled, so a look right after wait_state can miss it.
wait_line() {
	_wl_start=$(now)
	until grep -qE "$1" "$2" 2>/dev/null; do
		before "$_wl_start" "$3" || return 1
		sleep 0.05
	done
}

# start_sched NAME LOG ARGS...: start $SCHED with ARGS (output to LOG), wait
# until it is enabled, set PID; otherwise fail "NAME: attach" and return 1
start_sched() {
	_name=$1 _log=$2
	shift 2
	$SCHED "$@" >$_log 2>&1 &
	PID=$!
	wait_state enabled $ATTACH_S && return 0
	fail "$_name: attach" "state $(scx_state): $(tail -5 $_log)"
	kill $PID 2>/dev/null
	return 1
}

# pids_named PREFIX: the tasks (processes and kernel threads) whose name starts with PREFIX
pids_named() {
	for _f in /proc/[0-9]*/comm; do
		case "$(cat "$_f" 2>/dev/null)" in
		"$1"*) _p=${_f#/proc/}; echo "${_p%/comm}" ;;
		esac
	done
}

# alive PID: the process exists and is not a zombie
alive() { [ -d /proc/$1 ] && ! grep -q '^State:.*Z' /proc/$1/status 2>/dev/null; }

tsr_summary() {
	echo "$TSR_PASSED passed, $TSR_FAILED failed"
}
