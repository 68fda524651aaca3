# Shared by the guest halves of the benchmarks (bench/guest-sched.sh,
# bench/cxl-run.sh): sched_ext's state, and the loop that runs a workload
# under the kernel's default scheduler and under each scheduler of $SCHEDS,
# $REPS times, interleaved so that drift hits all alike.
state() { cat /sys/kernel/sched_ext/state; }
wait_state() {
	i=0
	while [ "$(state)" != "$1" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
	[ "$(state)" = "$1" ]
}

# each_scheduler FN: FN default REP, then FN SPEC REP with SPEC attached,
# for each SPEC of $SCHEDS (NAME or NAME:ARG,ARG..., the label keeping the
# arguments) and each REP of $REPS; the last repetition runs with
# --bpf-stats and prints each callback's cost as "BPFSTAT SPEC ..." lines.
# "BENCH-STEP LABEL REP" starts each run (the host shows progress from
# them). A scheduler named in $PEERS (built elsewhere: no --bpf-stats) gets
# its costs from the kernel's run-time statistics through bpftool instead.
# Ends with BENCH-DONE.
each_scheduler() {
	for rep in $(seq 1 "$REPS"); do
		echo "BENCH-STEP default $rep"
		$1 default "$rep"
		for spec in $SCHEDS; do
			echo "BENCH-STEP $spec $rep"
			s=${spec%%:*}
			args=$(echo "${spec#"$s"}" | sed 's/^://; s/,/ /g')
			extra="" peer=""
			case " ${PEERS:-} " in *" $s "*) peer=1 ;; esac
			[ "$rep" -ne "$REPS" ] || [ -n "$peer" ] || extra=--bpf-stats
			[ "$rep" -ne "$REPS" ] || [ -z "$peer" ] || echo 1 >/proc/sys/kernel/bpf_stats_enabled
			$s $args $extra >/tmp/$s.log 2>&1 &
			pid=$!
			if ! wait_state enabled; then
				echo "BENCH-ERROR $spec did not attach: $(tail -3 /tmp/$s.log)"
				kill $pid 2>/dev/null
				continue
			fi
			$1 "$spec" "$rep"
			[ "$rep" -ne "$REPS" ] || [ -z "$peer" ] || peer_costs "$spec" BPFSTAT
			kill -INT $pid
			wait $pid
			wait_state disabled
			sed -n "s/^$s: bpf /BPFSTAT $spec /p" /tmp/$s.log
		done
	done
	[ -z "${QUIET_FN:-}" ] || quiet_costs "$QUIET_FN"
	echo BENCH-DONE
}

# quiet_costs FN: each scheduler of $SCHEDS once more, under FN alone (a
# light load that leaves no CPU waiting for a lock), its callbacks' costs
# as "BPFQUIET SPEC ..." lines: what a call costs without lock waits,
# which under load vary more between runs than the schedulers differ
quiet_costs() {
	for spec in $SCHEDS; do
		s=${spec%%:*}
		args=$(echo "${spec#"$s"}" | sed 's/^://; s/,/ /g')
		extra=--bpf-stats peer=""
		case " ${PEERS:-} " in *" $s "*) peer=1 extra="" ;; esac
		[ -z "$peer" ] || echo 1 >/proc/sys/kernel/bpf_stats_enabled
		$s $args $extra >/tmp/$s.log 2>&1 &
		pid=$!
		if ! wait_state enabled; then
			echo "BENCH-ERROR $spec did not attach for the quiet costs: $(tail -3 /tmp/$s.log)"
			kill $pid 2>/dev/null
			continue
		fi
		$1 >/dev/null 2>&1
		[ -z "$peer" ] || peer_costs "$spec" BPFQUIET
		kill -INT $pid
		wait $pid
		wait_state disabled
		sed -n "s/^$s: bpf /BPFQUIET $spec /p" /tmp/$s.log
	done
}

# work NAME: the workload about to run (the host's progress line names it)
work() { echo "BENCH-WORK $1"; }

# peer_costs SPEC TAG: the attached struct_ops programs' run-time statistics
# (bpftool), as the TAG lines --bpf-stats gives; statistics off again
peer_costs() {
	bpftool prog show 2>/dev/null | awk -v s="$1" -v tag="$2" '
		/^[0-9]+: struct_ops/ { name = ""; ns = cnt = 0; for (i = 1; i < NF; i++) {
				if ($i == "name") name = $(i + 1)
				if ($i == "run_time_ns") ns = $(i + 1)
				if ($i == "run_cnt") cnt = $(i + 1) } next }
		name != "" && /xlated/ { for (i = 1; i < NF; i++) if ($i == "xlated") b = $(i + 1) + 0
			printf "%s %s %s runs=%d mean_ns=%.0f insns=%d\n", tag, s, name, cnt,
				cnt ? ns / cnt : 0, b / 8
			name = "" }'
	echo 0 >/proc/sys/kernel/bpf_stats_enabled
}
