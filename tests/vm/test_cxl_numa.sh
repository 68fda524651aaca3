# Guest test of scx_cxl's CPU scoring on two CPU nodes (0-3, 4-7) with far
# memory nearest node 1 (ci/vm-run --mem-only-node): waking VectorDB tasks
# started on node 0 move to node 1's CPUs (+50), and with -c (the kernel's
# idle pick, which looks at the lowest CPUs first) they do not.
# Sourced by guest-main.sh with SCHED=scx_cxl in the numa suite.
LOG=/tmp/$SCHED-cxl-numa.log
echo "# CPU scoring under $SCHED"

# near_share SECS: the share of samples, every 0.2 s for SECS, in which the
# faiss tasks had last run on node 1 (CPUs 4-7); /proc/PID/stat field 39
near_share() {
	_near=0 _all=0 _t0=$(now)
	while awk -v e="$(elapsed "$_t0")" -v s="$1" 'BEGIN { exit !(e < s) }'; do
		for _p in $(pids_named faiss); do
			_c=$(awk '{ print $39 }' /proc/$_p/stat 2>/dev/null)
			[ -n "$_c" ] || continue
			_all=$((_all + 1))
			[ "$_c" -lt 4 ] || _near=$((_near + 1))
		done
		sleep 0.2
	done
	awk -v n=$_near -v a=$_all 'BEGIN { printf "%.2f", a ? n / a : 0 }'
}

# placed LABEL ARGS...: two VectorDB tasks that run 2 ms and sleep 2 ms,
# started on node 0 and then let go anywhere; prints their near_share
placed() {
	_label=$1
	shift
	start_sched "cxl $_label" $LOG --stats 1 "$@" || return 1
	taskset -c 0-3 tsr-hogs -y 2:2 -w 0 -- 14 "0:faiss" "0:faiss" >/dev/null 2>&1 &
	_hogs=$!
	sleep 1
	for _p in $(pids_named faiss); do taskset -p ff $_p >/dev/null; done
	sleep 1
	near_share 8
	wait $_hogs
	kill -INT $PID
	wait $PID
}

if [ -z "$(cat /sys/devices/system/node/node2/cpulist 2>/dev/null)" ] && [ -d /sys/devices/system/node/node2 ]; then
	scored=$(placed scored)
	check "cxl: the CPUs nearest far memory are said at start ($(grep -o 'nearest far memory.*' $LOG))" \
		grep -q 'CPU scoring on, nearest far memory (+50 for VectorDB): 4-7$' $LOG
	grep -E '^  classify:' $LOG | tail -n 2 | sed 's/^ */# /'
	plain=$(placed -c -c)
	check "cxl -c: CPU scoring off is said at start" grep -q 'CPU scoring off (-c)' $LOG
	echo "# waking VectorDB tasks started on node 0: on node 1 in $scored of samples scored, $plain with -c"
	check "cxl: waking VectorDB tasks go to the CPUs nearest far memory ($scored >= 0.8)" \
		awk -v s="$scored" 'BEGIN { exit !(s >= 0.8) }'
	check "cxl: and not by chance: with -c they stay put ($plain <= $scored - 0.3)" \
		awk -v s="$scored" -v p="$plain" 'BEGIN { exit !(p <= s - 0.3) }'
else
	echo "# no CPU-less node 2 in this guest: scoring by far memory not tested"
	check "cxl: a numa guest with far memory (ci/vm-run --mem-only-node)" false
fi
