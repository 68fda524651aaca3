# Shared by the host halves of the guest benchmarks (bench/run, bench/cxl):
# booting the guest with a progress line a workload, and the report folder.

# clock SECS: as 1m05s
clock() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# follow_progress LOG REPS RUNS PID: until PID ends, a line on stderr each
# time the guest (bench/guest-lib.sh) starts a workload: which scheduler,
# repetition k of REPS, which workload, time so far and an estimate of
# what is left, from the mean length of the RUNS (scheduler x repetition)
# runs finished.
follow_progress() {
	local log=$1 reps=$2 runs=$3 pid=$4 start=$SECONDS t_first=0 t_step=0 k=0 now="" was=""
	local n label rep work left
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		now=$(awk '/^BENCH-STEP /{ k++; l = $2; r = $3; w = "starting" }
			/^BENCH-WORK /{ w = $2 } END { if (k) print k, l, r, w }' "$log" 2>/dev/null) || true
		[ -n "$now" ] && [ "$now" != "$was" ] || continue
		was=$now
		read -r n label rep work <<<"$now"
		if [ "$n" != "$k" ]; then
			# the first run, or the guest booted again (vm-run retries): time from here
			[ "$k" -gt 0 ] && [ "$n" -gt "$k" ] || t_first=$SECONDS
			k=$n t_step=$SECONDS
		fi
		left="estimate after the first run"
		if [ "$k" -ge 2 ]; then
			# a run longer than the mean so far: not below nothing
			left=$(((t_step - t_first) / (k - 1) * (runs - k + 1) - (SECONDS - t_step)))
			left="~$(clock $((left > 0 ? left : 0))) left"
		fi
		echo "bench: [$k/$runs] $label, repetition $rep/$reps: $work; $(clock $((SECONDS - start))) so far, $left" >&2
	done
}

# boot_with_progress LOG REPS RUNS VM-RUN-ARGS...: ci/vm-run with its
# console in LOG, showing progress; vm-run's status.
boot_with_progress() {
	local log=$1 reps=$2 runs=$3 pid rc=0
	shift 3
	"$TOP/ci/vm-run" --quiet --log "$log" "$@" &
	pid=$!
	follow_progress "$log" "$reps" "$runs" "$pid"
	wait "$pid" || rc=$?
	return $rc
}

# report_dir KIND: a new folder for this run's report, under the build
report_dir() { echo "$BUILD/bench-reports/$1-$(date +%Y%m%d-%H%M%S)"; }
