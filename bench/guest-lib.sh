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
# them). Ends with BENCH-DONE.
each_scheduler() {
	for rep in $(seq 1 "$REPS"); do
		echo "BENCH-STEP default $rep"
		$1 default "$rep"
		for spec in $SCHEDS; do
			echo "BENCH-STEP $spec $rep"
			s=${spec%%:*}
			args=$(echo "${spec#"$s"}" | sed 's/^://; s/,/ /g')
			extra=""
			[ "$rep" -ne "$REPS" ] || extra=--bpf-stats
			$s $args $extra >/tmp/$s.log 2>&1 &
			pid=$!
			if ! wait_state enabled; then
				echo "BENCH-ERROR $spec did not attach: $(tail -3 /tmp/$s.log)"
				kill $pid 2>/dev/null
				continue
			fi
			$1 "$spec" "$rep"
			kill -INT $pid
			wait $pid
			wait_state disabled
			sed -n "s/^$s: bpf /BPFSTAT $spec /p" /tmp/$s.log
		done
	done
	echo BENCH-DONE
}

# work NAME: the workload about to run (the host's progress line names it)
work() { echo "BENCH-WORK $1"; }
