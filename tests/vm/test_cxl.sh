# Guest test of scx_cxl: the bandwidth source said in one line, a task named
# like a VectorDB worker in its class and queue, a streaming task held to its
# read limit through the feed (and not with -b), VectorDB hogs leaving a
# regular task its share, -n keeping work on its CPUs, and the seed's
# tuning presets. Sourced by guest-main.sh with SCHED=scx_cxl.
LOG=/tmp/$SCHED-cxl.log
. /tsr/tests/cxl_tiers.sh
echo "# classes and bandwidth under $SCHED"

# stream SECS: a busy loop whose every CPU-ns is reported as 2 bytes read
# (2000 MB/s while it runs) through the feed; prints the MB/s it reached
stream() {
	sh -c 'while :; do :; done' &
	_h=$!
	_prev=$(cut -d' ' -f1 /proc/$_h/schedstat)
	_total=0
	_t0=$(now)
	while before "$_t0" "$1"; do
		sleep 0.05
		_cur=$(cut -d' ' -f1 /proc/$_h/schedstat)
		_bytes=$(((_cur - _prev) * 2))
		_prev=$_cur
		$SCHED --ctl "bandwidth feed $_h $_bytes 0" >/dev/null || echo "# feed refused"
		_total=$((_total + _bytes))
	done
	kill $_h
	wait $_h 2>/dev/null
	awk -v b=$_total -v e="$(elapsed "$_t0")" 'BEGIN { printf "%.0f", b / e / 1e6 }'
}

# the kernel's damon_stat (on by default in this kernel) keeps DAMON's admin
# interface busy: off for the first run's DAMON checks, back on after it,
# when the -b run must say that DAMON is busy
stat=/sys/module/damon_stat/parameters/enabled
stat_was=$(cat $stat 2>/dev/null || echo none)
if [ "$stat_was" = Y ]; then
	echo N >$stat
	i=0
	while [ -n "$(pids_named kdamond)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
fi

# --burst-ms 500: this feeder, a shell loop, reports every 0.3-0.5 s in the
# emulated guest; with the default 100 ms burst the refills it cannot see in
# between are lost and the task is held 10-25 % under its limit
start_sched cxl $LOG --stats 1 -r 500 --burst-ms 500 --tier-migrate --bw-source feed ||
	{ return 0 2>/dev/null || exit 0; }
check "cxl: the bandwidth source asked for in one line: $(grep -o 'bandwidth source:.*' $LOG | head -c 120)" \
	grep -q "bandwidth source: using feed (the control socket: .*) (--bw-source)" $LOG

# far memory: the nodes with memory and no CPUs, as sysfs has them
far=""
for n in /sys/devices/system/node/node[0-9]*; do
	[ -z "$(cat $n/cpulist)" ] && far="$far ${n##*node}"
done
if [ -n "$far" ]; then
	cxl=$(ls -d /sys/bus/cxl/devices/region* 2>/dev/null | head -n 1)
	if [ -n "$cxl" ]; then
		echo "# far memory: node(s)$far, an emulated CXL Type 3 device's region ($cxl)"
	else
		echo "# far memory: node(s)$far, a plain memory-only node (no emulated CXL device)"
	fi
	for n in $far; do
		check "cxl: memtier finds node $n as memory only" \
			grep -q "memtier: .*node $n: memory only" $LOG
	done
	if [ -n "$cxl" ]; then
		r=${cxl##*region}
		check "cxl: and tells the CXL node from other memory-only ones ($(grep -o 'memtier: .*' $LOG | head -n 1 | cut -c1-150))" \
			grep -q "memtier: .*node ${far# }: memory only.*, CXL region$r" $LOG
		i=0
		while ! grep -q 'cxl_nodes=' $LOG && [ $i -lt 20 ]; do sleep 0.2; i=$((i + 1)); done
		check "cxl: the stats count it as a CXL node" \
			sh -c "grep -o 'cxl_nodes=[0-9]*' $LOG | tail -n 1 | grep -q '=1$'"
	fi
	check "cxl: memtier answers on request" sh -c "$SCHED --ctl 'memtier tiers' | grep -q 'memory only'"
else
	echo "# no far memory in this guest"
	check "cxl: memtier finds no far memory" \
		sh -c "grep -q 'memtier: ' $LOG && ! grep -q 'memtier: .*memory only' $LOG"
fi

# DAMON: a task named like a VectorDB worker (watched first) gets a kdamond
# of its own, whose regions give its working set: tsr-hogs -m writes its
# 64 MB over and over, so every aggregation sees all of it (stress-ng's vm
# methods touched 6-66 MB an aggregation under emulation)
if [ -d /sys/kernel/mm/damon/admin/kdamonds ]; then
	# Each read is one 200 ms aggregation's regions; once in about ten CXL
	# boots one of them saw 7.5 MB, and under CI's load two reads of three
	# (once all three) came back without the task: reads a second apart,
	# up to ten, until one is within the bound; each is shown, with what
	# the control call said on stderr
	tsr-hogs -m 64:0.01 -w 0 -- 25 "0:faiss_ws" >/dev/null 2>&1 &
	SPID=$!
	sleep 10
	wp=$(pids_named faiss_ws)
	ws=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		$SCHED --ctl "memtier damon" >/tmp/cxl-damon.out 2>&1
		sed "s/^/# damon read $i: /" /tmp/cxl-damon.out
		w=$(awk -v p="$wp" '$1 == "pid" && $2 == p { print $4 }' /tmp/cxl-damon.out)
		[ "${w:-0}" -le "$ws" ] || ws=$w
		[ "$ws" -lt 32768 ] || break
		sleep 1
	done
	grep -E "DAMON|memtier: .*damon=" $LOG | tail -n 1 | sed 's/^ */# /'
	check "cxl: DAMON's working set of a task writing 64 MB is within 2x of it (${ws:-none} KB)" \
		awk -v w="${ws:-0}" 'BEGIN { exit !(w >= 32768 && w <= 131072) }'
	check "cxl: and the stats count DAMON updates" \
		sh -c "grep -o 'damon_updates=[0-9]*' $LOG | tail -n 1 | grep -qv '=0$'"
	kill $wp $SPID 2>/dev/null
	wait $SPID

	# --tier-migrate (tests/vm/cxl_tiers.sh). Emulated CXL memory is
	# reached through QEMU's MMIO path, some 100x slower than RAM: pages
	# move there slowly, and a task writing them cannot touch them often
	# enough to count as hot, so on a CXL region only the way out is
	# checked (8 MB); the round trip runs on a plain memory-only node (here
	# without a CXL device, and in the numa boot)
	if [ -n "$cxl" ]; then
		tier_checks "${far# }" 8 0
	elif [ -n "$far" ]; then
		tier_checks "${far# }" 32 1
	fi

else
	echo "# no DAMON sysfs in this guest"
	check "cxl: DAMON missing is said in one line" grep -q "memtier: DAMON not available" $LOG
fi

# two on one CPU, so that they take turns through the VectorDB queue (a lone
# hog on an idle machine may never wait in it: one CI run counted 0/s)
tsr-hogs -w 0.5 -- 3 "0@1:faiss_worker" "0@1:faiss_worker" >/dev/null 2>&1 &
HOGS=$!
sleep 2.5
grep -E '^  (classify|bandwidth):' $LOG | tail -n 3 | sed 's/^ */# /'
check "cxl: a task named faiss_worker is in the VectorDB class" \
	sh -c "grep 'classify: tasks' $LOG | tail -n 1 | grep -q 'vectordb=[1-9]'"
check "cxl: and queued in the VectorDB queue" \
	sh -c "grep -o 'q_vectordb=[0-9.]*' $LOG | tail -n 2 | grep -qv 'q_vectordb=0$'"
wait $HOGS

rate=$(stream 10)
echo "# a 2000 MB/s reader limited to -r 500 reached $rate MB/s"
check "cxl: a streaming task is held to -r 500 MB/s within 15 % ($rate MB/s)" \
	awk -v r="$rate" 'BEGIN { exit !(r >= 425 && r <= 575) }'
check "cxl: it was throttled ($(grep -o ' throttle=[0-9.]*' $LOG | sort -t= -k2 -n | tail -n 1))" \
	sh -c "grep -o ' throttle=[0-9.]*' $LOG | grep -qv '=0$'"

# four VectorDB hogs and one regular task on one CPU for 10 s: at least 1/15
# of it for the regular one (a boost makes a key earlier by at most 1.2
# slices, so starving would show within a second; 0.20 each seen)
tsr-hogs -w 1 -- 10 "0@1:faiss" "0@1:faiss" "0@1:faiss" "0@1:faiss" "0@1" >/tmp/cxl-hogs.out 2>&1
sed 's/^/# vectordb hogs: /' /tmp/cxl-hogs.out
reg=$(awk '$1 == "hog" && $2 == 4 { sub("share=", "", $5); print $5 }' /tmp/cxl-hogs.out)
check "cxl: a regular task beside four VectorDB hogs gets at least 1/15 of its CPU ($reg)" \
	awk -v s="${reg:-0}" 'BEGIN { exit !(s >= 1 / 15) }'

kill -INT $PID
wait $PID
check "cxl: clean exit" [ "$(scx_state)" = disabled ]
if [ -d /sys/kernel/mm/damon/admin/kdamonds ]; then
	check "cxl: SIGINT leaves no kdamond and DAMON's sysfs as it was" \
		sh -c "[ \"\$(cat /sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds)\" = 0 ] && [ -z \"$(pids_named kdamond)\" ]"

	# the damon source, chosen when no PMU events are named and resctrl is
	# absent: a task writing its 64 MB over and over (~800 MB/s free under
	# emulation) is charged what DAMON counts at the end of every
	# aggregation and held to -r 100 by that count. DAMON counts whole
	# pages, here 2 MB ones (THP: 64 MB of anonymous memory), so its count
	# ran 1.3-2.6x the bytes written (quiet and beside busy host CPUs):
	# the count is checked against the limit (an 11 s window may hold the
	# 500 ms burst spent and up to 3 s of the rate owed: 132 MB/s; 95-129
	# seen), the written bytes against that error
	start_sched cxl-damon $LOG --stats 1 -r 100 --burst-ms 500 || { return 0 2>/dev/null || exit 0; }
	check "cxl: with DAMON free and no PMU or resctrl the damon source is chosen, counting every aggregation" \
		grep -q "resctrl unavailable (.*), using damon (estimated from DAMON's access counts .*, every aggregation's" $LOG
	tsr-hogs -m 64:0.01 -w 4 -- 15 "0:streamer" >/tmp/cxl-damon-src.out 2>&1 &
	hogs=$!
	# the writer is the watched task DAMON counted most for
	counted() { $SCHED --ctl "memtier damon" | awk '$(NF - 2) == "counted" && $(NF - 1) > m { m = $(NF - 1) } END { print m + 0 }'; }
	sleep 6
	c0=$(counted) t0=$(now)
	sleep 11
	c1=$(counted)
	dt=$(elapsed "$t0")
	wait $hogs
	sed 's/^/# damon source: /' /tmp/cxl-damon-src.out
	got=$(grep -o 'mem_mb_s=[0-9.]*' /tmp/cxl-damon-src.out | cut -d= -f2)
	rate=$(awk -v a="$c0" -v b="$c1" -v t="$dt" 'BEGIN { printf "%.1f", (b - a) / t }')
	check "cxl: a 64 MB writer is held to -r 100 MB/s as DAMON counts it (70..160: $rate MB/s, $c0 to $c1 MB in $dt s)" \
		awk -v r="$rate" 'BEGIN { exit !(r >= 70 && r <= 160) }'
	check "cxl: ... and what it wrote is under the limit by at most DAMON's page error (25..125, free ~800: ${got:-none} MB/s)" \
		awk -v r="${got:-0}" 'BEGIN { exit !(r >= 25 && r <= 125) }'
	check "cxl: and it was throttled for it" \
		sh -c "grep -o ' throttle=[0-9.]*' $LOG | grep -qv '=0$'"
	kill -INT $PID
	wait $PID

	# a bad -D: one line, the scheduler runs without DAMON
	start_sched cxl-D $LOG -D /nonexistent || { return 0 2>/dev/null || exit 0; }
	check "cxl: a bad -D path is one line and DAMON is left out" \
		sh -c "[ \"\$(grep -c 'DAMON not available' $LOG)\" = 1 ] && grep -q '/nonexistent' $LOG"
	kill -INT $PID
	wait $PID
fi
[ "$stat_was" != Y ] || echo Y >$stat

# a source asked for by name that this machine lacks stops the start, saying why once
$SCHED --bw-source resctrl >$LOG 2>&1
rc=$?
grep -v '^#' $LOG | sed 's/^/# --bw-source resctrl: /'
check "cxl: --bw-source resctrl without resctrl: exit 1, the reason in one line, nothing attached (rc $rc)" \
	sh -c "[ $rc -eq 1 ] && grep -q 'bandwidth source: --bw-source resctrl: unavailable (resctrl not mounted' $LOG && ! grep -q 'init failed' $LOG && [ \"\$(cat /sys/kernel/sched_ext/state)\" = disabled ]"

start_sched cxl-b $LOG --stats 1 -r 500 --burst-ms 500 -b --bw-source feed || { return 0 2>/dev/null || exit 0; }
if [ "$stat_was" = Y ]; then
	check "cxl: DAMON kept busy by the kernel's damon_stat is said in one line" \
		sh -c "[ \"\$(grep -c 'DAMON busy' $LOG)\" = 1 ] && grep -q \"DAMON busy: the kernel's damon_stat runs\" $LOG"
fi
rate=$(stream 6)
echo "# the same reader with -b reached $rate MB/s"
check "cxl: with -b the streaming task is not held ($rate MB/s > 750)" \
	awk -v r="$rate" 'BEGIN { exit !(r > 750) }'
kill -INT $PID
wait $PID

# the pmu source's mechanism, a software counter standing in for a memory
# PMU (none in this guest): cpu-clock at 1 byte a count charges a CPU hog
# 1000 MB/s of reads while it runs, read in BPF when it starts and stops
# running and at each tick; held to -r 500 it gets half its CPU, with -b all
# pmu_share LABEL ARGS...: the share of CPU 2 a hog pinned there gets
pmu_share() {
	_label=$1
	shift
	start_sched "cxl $_label" $LOG --stats 1 -r 500 --pmu-events software:cpu-clock --pmu-bytes 1 "$@" ||
		return 1
	tsr-hogs -w 1 -- 8 "0@2" >/tmp/cxl-pmu.out 2>&1
	kill -INT $PID
	wait $PID
	awk '$1 == "hog" { sub("share=", "", $5); print $5 }' /tmp/cxl-pmu.out
}
share=$(pmu_share pmu)
check "cxl: the pmu source is said in the start line ($(grep -o 'using pmu.*' $LOG))" \
	grep -q 'using pmu (reads software:cpu-clock, no write event, 1 bytes a count, [0-9]* CPUs)' $LOG
check "cxl: a hog charged 1 byte a ns of cpu-clock, held to -r 500 MB/s, gets half its CPU within 15 % (${share:-none})" \
	awk -v s="${share:-0}" 'BEGIN { exit !(s >= 0.425 && s <= 0.575) }'
share=$(pmu_share pmu-b -b)
check "cxl: with -b it is not held (${share:-none} > 0.9)" \
	awk -v s="${share:-0}" 'BEGIN { exit !(s > 0.9) }'

# the resctrl source's mechanism, on a resctrl that this test plays (the
# guest's CPU has no bandwidth monitoring): a tmpfs over /sys/fs/resctrl
# with MBM's info files; the scheduler makes a monitoring group for the
# busiest task and writes it into the group's tasks, and the test counts
# 1 byte a ns of that task's CPU time into the group's mbm_total_bytes
# (1000 MB/s while it runs). Held to -r 150, it gets 15 % of its CPU
# once charged: from its third monitor interval (its CPU use, then the
# group's first count, then the first difference), later when the guest
# is slow, so the share is measured from a second after the scheduler
# first says it held the task back. The counter is written with shell
# builtins only, so that a loaded guest does not leave it stale.
# Without RDT the kernel makes no /sys/fs/resctrl: then a tmpfs over
# /sys/fs for the test's span (nothing scx_cxl uses lives there).
RC=/sys/fs/resctrl
fake_on=$RC
[ -d $RC ] || fake_on=/sys/fs
if mount -t tmpfs tsr-fake-resctrl $fake_on 2>/dev/null; then
	mkdir -p $RC/info/L3_MON $RC/mon_groups
	printf 'llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n' >$RC/info/L3_MON/mon_features
	echo 8 >$RC/info/L3_MON/num_rmids
	start_sched cxl-resctrl $LOG --stats 1 -r 150 --burst-ms 300 -d || { return 0 2>/dev/null || exit 0; }
	check "cxl: with MBM (and DAMON off) the resctrl source is chosen" \
		grep -q "pmu unavailable (.*), using resctrl (MBM, one monitoring group a watched task)" $LOG
	tsr-hogs -g -- 8 "0@2:mbm_hog" >/tmp/cxl-mbm.out 2>&1 &
	HOGS=$!
	sleep 0.5
	hp=$(pids_named mbm_hog)
	grp=$RC/mon_groups/tessera-$PID-$hp
	mkdir -p $grp/mon_data/mon_L3_00
	(
		while alive $HOGS; do
			read -r ran _ 2>/dev/null </proc/$hp/schedstat &&
				echo "$ran" >$grp/mon_data/mon_L3_00/mbm_total_bytes
			sleep 0.1
		done
	) &
	COUNTER=$!
	held=0
	for _ in $(seq 40); do
		held=$($SCHED --ctl "bandwidth show" 2>/dev/null |
			awk -v p="$hp" '$1 == "pid" && $2 == p { print $(NF - 1) }')
		[ "${held:-0}" -gt 0 ] && break
		sleep 0.5
	done
	echo "# resctrl: held back ${held:-0} times before measuring"
	sleep 1
	kill -USR1 $HOGS
	wait $HOGS
	wait $COUNTER
	sed 's/^/# resctrl: /' /tmp/cxl-mbm.out
	share=$(awk '$1 == "hog" { sub("share=", "", $5); print $5 }' /tmp/cxl-mbm.out)
	check "cxl: the busiest task got a monitoring group holding it ($(cat $grp/tasks 2>/dev/null))" \
		grep -qx "$hp" $grp/tasks
	grep -o 'resctrl_groups=[0-9/]*' $LOG | tail -n 1 | sed 's/^/# /'
	check "cxl: counted 1000 MB/s while it runs and held to -r 150, it gets 15 % of its CPU within 15 % (${share:-none})" \
		awk -v s="${share:-0}" 'BEGIN { exit !(s >= 0.1275 && s <= 0.1725) }'
	kill -INT $PID
	wait $PID
	umount $fake_on
else
	echo "# no /sys/fs/resctrl to stand a fake resctrl on"
fi

# busy_ms CPU: the CPU's busy time so far (/proc/stat, all but idle and
# iowait, in USER_HZ ticks: 10 ms on Linux), in ms
busy_ms() {
	awk -v c="cpu$1" '$1 == c { print ($2 + $3 + $4 + $7 + $8 + $9) * 10 }' /proc/stat
}

# in_list CPU LIST: CPU is in LIST ("0,2-3")
in_list() {
	echo "$2" | tr ',' '\n' | awk -F- -v c="$1" '{ hi = NF > 1 ? $2 : $1; if (c >= $1 && c <= hi) f = 1 } END { exit !f }'
}

# -n 2: unpinned hogs stay on the two CPUs chosen; one pinned elsewhere still runs there
NCPU=$(nproc)
start_sched cxl-n $LOG -n 2 || { return 0 2>/dev/null || exit 0; }
use=$(sed -n 's/.*classify: placing on 2 of [0-9]* CPUs: //p' $LOG)
check "cxl -n 2: the CPUs chosen are printed ($use)" [ -n "$use" ]
out=""
for c in $(seq 0 $((NCPU - 1))); do in_list $c "$use" || out="$out $c"; done
pin=${out##* }
for c in $(seq 0 $((NCPU - 1))); do eval "b0_$c=$(busy_ms $c)"; done
tsr-hogs -w 0.5 -- 4 0 0 0 0 "0@$pin" >/tmp/cxl-n.out 2>&1
for c in $(seq 0 $((NCPU - 1))); do
	eval "d=\$(( $(busy_ms $c) - b0_$c ))"
	# (this guest's tick accounting counts about half of a busy CPU's time)
	if in_list $c "$use"; then
		check "cxl -n 2: chosen CPU $c kept busy ($d ms in /proc/stat)" [ "$d" -gt 1000 ]
	elif [ "$c" != "$pin" ]; then
		check "cxl -n 2: left-out CPU $c kept (nearly) idle ($d ms in /proc/stat)" \
			[ "$d" -lt 300 ]
	fi
done
sed 's/^/# -n 2: /' /tmp/cxl-n.out
most=$(awk '$1 == "hog" && $2 < 4 { sub("share=", "", $5); if ($5 > m) m = $5 } END { print m + 0 }' \
	/tmp/cxl-n.out)
check "cxl -n 2: four unpinned hogs share two CPUs (largest share $most)" \
	awk -v s="$most" 'BEGIN { exit !(s > 0.35 && s < 0.6) }'
p=$(awk '$1 == "hog" && $2 == 4 { sub("share=", "", $5); print $5 }' /tmp/cxl-n.out)
check "cxl -n 2: a task pinned to left-out CPU $pin still runs there ($p)" \
	awk -v s="${p:-0}" 'BEGIN { exit !(s > 0.8) }'
kill -INT $PID
wait $PID

# the seed's tuning presets all start
for preset in "-r 1500 -w 800 -s 15000" "-r 2000 -w 500 -s 10000" "-r 500 -w 2000 -s 10000" \
	"-s 5000 -n 8"; do
	# shellcheck disable=SC2086 # the preset is a list of options
	if start_sched "cxl preset $preset" $LOG $preset; then
		pass "cxl: the seed's preset $preset starts"
		kill -INT $PID
		wait $PID
	fi
done
