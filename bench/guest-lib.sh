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

# under SPEC TAG CMD...: CMD with SPEC (NAME or NAME:ARG,ARG...) attached;
# with a TAG, its callbacks' costs follow as "TAG SPEC ..." lines, from
# --bpf-stats or, for a scheduler named in $PEERS (built elsewhere: no
# --bpf-stats), from the kernel's run-time statistics through bpftool.
# With $STATS_JSON set, a tessera scheduler prints its statistics as JSON
# lines every second into /tmp/NAME.log.
# Fails, saying so, when SPEC does not attach.
under() {
	spec=$1 tag=$2
	shift 2
	s=${spec%%:*}
	args=$(echo "${spec#"$s"}" | sed 's/^://; s/,/ /g')
	extra="" peer=""
	case " ${PEERS:-} " in *" $s "*) peer=1 ;; esac
	if [ -n "$tag" ] && [ -n "$peer" ]; then
		echo 1 >/proc/sys/kernel/bpf_stats_enabled
	elif [ -n "$tag" ]; then
		extra=--bpf-stats
	fi
	# with $STATS_JSON set, a tessera scheduler's counters every second (guest-sched.sh's migrated_by)
	[ -n "$peer" ] || [ -z "${STATS_JSON:-}" ] || extra="$extra --stats 1 --stats-format json"
	$s $args $extra >/tmp/$s.log 2>&1 &
	pid=$!
	if ! wait_state enabled; then
		echo "BENCH-ERROR $spec did not attach: $(tail -3 /tmp/$s.log)"
		kill $pid 2>/dev/null
		echo 0 >/proc/sys/kernel/bpf_stats_enabled
		return 1
	fi
	"$@"
	[ -z "$tag" ] || [ -z "$peer" ] || peer_costs "$spec" "$tag"
	kill -INT $pid
	wait $pid
	wait_state disabled
	[ -z "$tag" ] || sed -n "s/^$s: bpf /$tag $spec /p" /tmp/$s.log
}

# each_scheduler FN: FN default REP, then FN SPEC REP with SPEC attached,
# for each SPEC of $SCHEDS (the label keeping the arguments) and each REP
# of $REPS; the last repetition prints each callback's cost as "BPFSTAT
# SPEC ..." lines. "BENCH-STEP LABEL REP" starts each run (the host shows
# progress from them). With $QUIET_FN set, each scheduler then runs once
# more under QUIET_FN alone (a light load that leaves no CPU waiting for a
# lock), its costs as "BPFQUIET SPEC ..." lines: what a call costs without
# lock waits, which under load vary more between runs than the schedulers
# differ. Ends with BENCH-DONE.
each_scheduler() {
	for rep in $(seq 1 "$REPS"); do
		echo "BENCH-STEP default $rep"
		$1 default "$rep"
		for label in $SCHEDS; do
			echo "BENCH-STEP $label $rep"
			under "$label" "$([ "$rep" -ne "$REPS" ] || echo BPFSTAT)" $1 "$label" "$rep"
		done
	done
	if [ -n "${QUIET_FN:-}" ]; then
		for label in $SCHEDS; do
			under "$label" BPFQUIET $QUIET_FN
		done
	fi
	echo BENCH-DONE
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
