# Runs inside the guest (bench/cxl): a latency-sensitive query loop named
# like a VectorDB worker beside one memory streamer per CPU, under the
# kernel's default scheduler and each scheduler of $SCHEDS, $REPS times,
# interleaved. Prints "BENCH <sched> <rep> <metric> <value>" lines, and the
# BPF callback costs of the last repetition as "BPFSTAT" lines.
. /tsr/bench-lib.sh
NCPU=$(nproc)
SOCK=/run/tessera/control.sock
# busy: CPU time of every CPU but idle and iowait so far, in USER_HZ ticks
busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

run_load() { # spec rep
	work query+streamers
	# the streamers report their bytes to a scheduler with the bandwidth module
	feed=""
	[ "$1" = default ] || ! ${1%%:*} --ctl "bandwidth show" >/dev/null 2>&1 || feed="--feed $SOCK"
	b0=$(busy)
	hogs=""
	for c in $(seq "$NCPU"); do
		tsr-noisy stream "$SECS" $feed >/tmp/stream.$c &
		hogs="$hogs $!"
	done
	tsr-noisy query "$SECS" >/tmp/query
	# these, not a bare wait: the scheduler runs in the background too
	wait $hogs
	b1=$(busy)
	set -- "$1" "$2" $(sed 's/^query //' /tmp/query)
	for kv in $3 $4 $5 $6 $7 $8; do echo "BENCH $1 $2 query_${kv%%=*} ${kv#*=}"; done
	cat /tmp/stream.* /tmp/query | awk -v s="$1" -v r="$2" -v secs="$SECS" '
		{ delete v; for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		$1 == "stream" { t += v["mbps"]; n++ }
		{ cpu += v["cpu_s"] }
		END {
			printf "BENCH %s %s hog_mbps_each %.0f\n", s, r, n ? t / n : 0
			printf "BENCH %s %s task_cpus %.2f\n", s, r, cpu / secs
		}'
	awk -v a="$b0" -v b="$b1" -v s="$SECS" -v l="$1" -v r="$2" \
		'BEGIN { printf "BENCH %s %s busy_cpus %.2f\n", l, r, (b - a) / 100 / s }'
}

each_scheduler run_load
