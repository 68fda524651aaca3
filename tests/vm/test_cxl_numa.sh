# Guest test of scx_cxl's CPU scoring on two CPU nodes (0-3, 4-7) with far
# memory nearest node 1 (ci/vm-run --mem-only-node): waking VectorDB tasks
# started on node 0 move to node 1's CPUs (+50 beats the +20 and +15 of
# staying near their memory and cache), while regular tasks started there
# stay (the control: same load, same scheduler). -c is said at start; where
# the kernel's idle pick puts the VectorDB tasks is only reported.
# Sourced by guest-main.sh with SCHED=scx_cxl in the numa suite.
LOG=/tmp/$SCHED-cxl-numa.log
echo "# CPU scoring under $SCHED"

# near_share NAME SECS: the share of samples, every 0.2 s for SECS, in
# which the tasks named NAME had last run on node 1 (CPUs 4-7); /proc/PID/stat field 39
near_share() {
	_near=0 _all=0 _t0=$(now)
	while before "$_t0" "$2"; do
		for _p in $(pids_named "$1"); do
			_c=$(awk '{ print $39 }' /proc/$_p/stat 2>/dev/null)
			[ -n "$_c" ] || continue
			_all=$((_all + 1))
			[ "$_c" -lt 4 ] || _near=$((_near + 1))
		done
		sleep 0.2
	done
	awk -v n=$_near -v a=$_all 'BEGIN { printf "%.2f", a ? n / a : 0 }'
}

# placed NAME ARGS...: two tasks named NAME that run 2 ms and sleep 2 ms,
# started on node 0 and then let go anywhere, under $SCHED ARGS; prints
# their near_share (_task, not _name: start_sched sets that one)
placed() {
	_task=$1
	shift
	start_sched "cxl $_task $*" $LOG --stats 1 "$@" || return 1
	taskset -c 0-3 tsr-hogs -y 2:2 -w 0 -- 14 "0:$_task" "0:$_task" >/dev/null 2>&1 &
	_hogs=$!
	sleep 1
	# both let go: under CI's load one had not taken its name yet a second
	# in, stayed on node 0, and read as a quarter of the samples (0.75)
	_i=0
	while [ "$(pids_named "$_task" | wc -w)" -lt 2 ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	for _p in $(pids_named "$_task"); do taskset -p ff $_p >/dev/null; done
	sleep 1
	near_share "$_task" 8
	wait $_hogs
	kill -INT $PID
	wait $PID
}

if [ -z "$(cat /sys/devices/system/node/node2/cpulist 2>/dev/null)" ] && [ -d /sys/devices/system/node/node2 ]; then
	vdb=$(placed faiss)
	check "cxl: the CPUs nearest far memory are said at start ($(grep -o 'nearest far memory.*' $LOG))" \
		grep -q 'CPU scoring on, nearest far memory (+50 for VectorDB): 4-7$' $LOG
	grep -E '^  classify:' $LOG | tail -n 2 | sed 's/^ */# /'
	regular=$(placed plainjob)
	plain=$(placed faiss -c)
	check "cxl -c: CPU scoring off is said at start" grep -q 'CPU scoring off (-c)' $LOG
	echo "# waking tasks started on node 0, share of samples on node 1 (nearest far memory): VectorDB $vdb, regular $regular; VectorDB with -c (the kernel's pick) $plain"
	check "cxl: waking VectorDB tasks go to the CPUs nearest far memory ($vdb >= 0.8)" \
		awk -v s="$vdb" 'BEGIN { exit !(s >= 0.8) }'
	# regular tasks are moved only when node 0 has no idle CPU at a wake-up
	# and come back (their home node stays node 0): 0.00 in 7 runs; 0.62 when
	# the last node counted as home (one spill made node 1 "near memory")
	check "cxl: regular ones go there far less: the +50 moves them, not chance ($regular <= $vdb - 0.4)" \
		awk -v s="$regular" -v v="$vdb" 'BEGIN { exit !(s <= v - 0.4) }'
	# tier placement both ways on a plain memory-only node (RAM speed; the
	# main boot's emulated CXL memory is too slow for the way back)
	if [ -d /sys/kernel/mm/damon/admin/kdamonds ]; then
		stat=/sys/module/damon_stat/parameters/enabled
		stat_was=$(cat $stat 2>/dev/null || echo none)
		[ "$stat_was" != Y ] || echo N >$stat
		i=0
		while [ -n "$(pids_named kdamond)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		start_sched "cxl --tier-migrate" $LOG --stats 1 --tier-migrate || { return 0 2>/dev/null || exit 0; }
		. /tsr/tests/cxl_tiers.sh
		tier_checks 2 32 1
		kill -INT $PID
		wait $PID
		[ "$stat_was" != Y ] || echo Y >$stat
	fi
else
	echo "# no CPU-less node 2 in this guest: scoring by far memory not tested"
	check "cxl: a numa guest with far memory (ci/vm-run --mem-only-node)" false
fi
