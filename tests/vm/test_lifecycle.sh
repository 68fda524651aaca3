# Guest integration test: a composed scheduler attaches, survives load,
# detaches on SIGINT, falls back within 2 s on SIGKILL, and refuses bad
# options without attaching. Sourced by guest-main.sh with SCHED set.
SCHED=${SCHED:-scx_basic}
NCPU=$(nproc)
LOG=/tmp/$SCHED.log

echo "# lifecycle of $SCHED on $NCPU CPUs"
check "sched_ext is present and idle" [ "$(scx_state)" = disabled ]

# -- attach, with the smallest watchdog the runner accepts (it must hold under load)
$SCHED --stats 2 --watchdog-ms 10000 >$LOG 2>&1 &
PID=$!
if wait_state enabled $ATTACH_S; then pass "attaches (state enabled)"; else
	fail "attaches (state enabled)" "state is $(scx_state)"; cat $LOG; fi
check "root/ops names $SCHED" [ "$(scx_ops)" = "$SCHED" ]

# -- load: stress-ng on every CPU plus hackbench, 20 s
stress-ng --cpu "$NCPU" --timeout 20 --quiet &
SPID=$!
hb_ok=0
start=$(now)
while before "$start" 18; do
	hackbench -g 4 -l 100 >/dev/null 2>&1 || hb_ok=1
done
wait $SPID
sng_rc=$?
check "stress-ng + hackbench complete under $SCHED" [ $sng_rc -eq 0 -a $hb_ok -eq 0 ]
check "still enabled after 20 s of load at the 10 s watchdog (the smallest accepted)" [ "$(scx_state)" = enabled ]
check "runner still alive" alive $PID
check "stats were printed" grep -q "^$SCHED t=" $LOG

# settle: wait until the scheduler is enabled and attached no more for 5 s
settle() {
	_i=0
	while [ $_i -lt 20 ]; do
		_n=$(grep -c "attached (" $LOG)
		wait_state enabled $ATTACH_S
		sleep 5
		[ "$(scx_state)" = enabled ] && [ "$(grep -c "attached (" $LOG)" = "$_n" ] && return 0
		_i=$((_i + 1))
	done
	return 1
}

# -- CPU hotplug: a CPU of the topology going and coming needs no reload; one
# the topology does not know (offline at start) asks for a reload
last=$((NCPU - 1))
if [ -w /sys/devices/system/cpu/cpu$last/online ]; then
	echo 0 >/sys/devices/system/cpu/cpu$last/online
	sleep 2
	check "hotplug: still enabled with CPU $last offline" [ "$(scx_state)" = enabled ]
	check "hotplug: no reload for a CPU going offline" sh -c "! grep -q reloading $LOG"
	check "hotplug: stats count $((NCPU - 1)) of $NCPU CPUs online" \
		sh -c "sleep 2.5; grep -q 'online=$((NCPU - 1))/$NCPU' $LOG"
	echo 1 >/sys/devices/system/cpu/cpu$last/online
	sleep 2
	check "hotplug: still enabled with CPU $last back, no reload" \
		sh -c "[ \"\$(cat $SCX/state)\" = enabled ] && ! grep -q reloading $LOG"
	check "hotplug: runner alive" alive $PID
	# a CPU unknown to the topology comes online: a reload, and a CPU that
	# comes and goes during that reload must not be missed (the kernel
	# refuses an attach whose topology predates the last hotplug)
	kill -INT $PID
	wait $PID
	echo 0 >/sys/devices/system/cpu/cpu$last/online
	start_sched lifecycle-hotplug $LOG --stats 1 || true
	# the runner says "attached" just after the kernel's state turns enabled
	check "hotplug: attached with $((NCPU - 1)) CPUs while CPU $last was offline" \
		wait_line "attached \(.*$((NCPU - 1)) CPUs" $LOG 5
	echo 1 >/sys/devices/system/cpu/cpu$last/online
	i=0
	# up to 90 s: the exit, its report, the detach and the runner's
	# reaction take seconds when the host is busy
	# (the exit report's own words end in "reloading": wait for the runner's line)
	while ! grep -q "reloading (restart 1)" $LOG && [ $i -lt 1800 ]; do sleep 0.05; i=$((i + 1)); done
	check "hotplug: an unknown CPU coming online asks for a reload" grep -q "reloading (restart 1)" $LOG
	sleep 0.2
	echo 0 >/sys/devices/system/cpu/cpu$last/online
	sleep 0.2
	echo 1 >/sys/devices/system/cpu/cpu$last/online
	settle
	att=$(grep "attached (" $LOG | tail -n 1)
	check "hotplug during reload: attached with all $NCPU CPUs ($(grep -c "reloading (restart" $LOG) reloads)" \
		sh -c "echo '$att' | grep -q '; $NCPU CPUs'"
	check "hotplug during reload: runner alive" alive $PID
else
	fail "hotplug" "cpu$last/online is not writable"
fi

# -- clean detach on SIGINT
kill -INT $PID
wait $PID
rc=$?
check "SIGINT: runner exits 0" [ $rc -eq 0 ]
check "SIGINT: detached" wait_state disabled 5
check "SIGINT: exit kind reported" grep -q "exit: UNREG" $LOG
# only what the runner printed after the final detach (earlier restarts print tasks=0/ too)
final=$(grep -n "exit:" $LOG | tail -n 1 | cut -d: -f1)
check "SIGINT: no task record leaked" sh -c "tail -n +${final:-1} $LOG | grep -q '^$SCHED t=.* tasks=0/'"
grep "exit:" $LOG | sed 's/^/# /'

# -- SIGKILL: the kernel falls back on its own within 2 s, tasks keep running
$SCHED >$LOG 2>&1 &
PID=$!
if wait_state enabled $ATTACH_S; then
	(while true; do :; done) &
	CPID=$!
	sleep 1
	start=$(now)
	kill -KILL $PID
	if wait_state disabled 2; then
		pass "SIGKILL: default scheduler back within 2 s ($(elapsed "$start") s)"
	else
		fail "SIGKILL: default scheduler back within 2 s" "state $(scx_state) after $(elapsed "$start") s"
	fi
	# CPU ticks (utime + stime) of a busy loop started under the scheduler
	a=$(awk '{ print $14 + $15 }' /proc/$CPID/stat); sleep 1
	b=$(awk '{ print $14 + $15 }' /proc/$CPID/stat)
	check "SIGKILL: tasks still make progress (busy loop at $a -> $b ticks)" [ "$b" -gt "$a" ]
	kill $CPID
else
	fail "SIGKILL: attach before kill" "state $(scx_state)"
fi

# -- bad input: one line, exit 2, nothing attached, not even briefly (the
# kernel counts every enable in enable_seq)
bad() {
	name=$1; shift
	seq0=$(cat $SCX/enable_seq)
	$SCHED "$@" >/tmp/out 2>/tmp/err
	rc=$?
	lines=$(wc -l </tmp/err)
	seq1=$(cat $SCX/enable_seq)
	if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ "$(scx_state)" = disabled ] && [ "$seq0" = "$seq1" ]; then
		pass "bad input $name: exit 2, one line: $(cat /tmp/err)"
	else
		fail "bad input $name" "rc=$rc lines=$lines state=$(scx_state) enable_seq $seq0 -> $seq1: $(cat /tmp/err)"
	fi
}
bad "--stats -1" --stats -1
bad "unknown option" --no-such-option
bad "out-of-range value" --watchdog-ms 99999999
if $SCHED --help | grep -q -- '--slice-us US'; then
	bad "module option out of range" --slice-us 99999999
fi
bad "not a number" --max-tasks lots
bad "missing cache level" --cache-level 4
bad "watchdog below what holds" --watchdog-ms 100
bad "stats interval below 10 ms" --stats 1e-300
check "no BPF link left behind" [ "$(scx_state)" = disabled ]
