# Runs inside the guest: every workload under the default scheduler and under
# each scheduler in $SCHEDS, $REPS times, interleaved so drift hits all alike.
# Prints "BENCH <sched> <rep> <metric> <value>" lines (and BPF callback costs):
# each workload's own figure, and beside it the CPUs busy on average, the
# run-queue delay summed over all tasks and the migrations while it ran,
# which emulation speed does not distort.
. /tsr/bench-lib.sh
NCPU=$(nproc)
STATS_JSON=1 # tessera schedulers print JSON statistics, read by migrated_by below
now() { cut -d' ' -f1 /proc/uptime; }
# CPU ticks of every CPU so far: "busy total" (busy: all but idle and iowait)
ticks() { awk '$1 == "cpu" { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' /proc/stat; }
# ns tasks waited on a run queue so far, summed over the CPUs (nan: no schedstat)
rq_wait() { awk '/^cpu/ { s += $9; n++ } END { print n ? s : "nan" }' /proc/schedstat 2>/dev/null || echo nan; }

# stats_lines LABEL: how many lines the log of tessera scheduler LABEL holds
# (nothing for the default and for peers, which print no statistics)
stats_lines() {
	case " default ${PEERS:-} " in *" ${1%%:*} "*) return ;; esac
	[ -f "/tmp/${1%%:*}.log" ] && wc -l <"/tmp/${1%%:*}.log"
}

# migrated_by LABEL REP NAME FROM: a tessera scheduler's migrations by kind
# (its migrated_by_per_s times the interval, summed over the JSON lines
# after line FROM of its log, the one printed after the work ended
# included); nothing for a scheduler without such lines (the default, peers)
migrated_by() {
	log=/tmp/${1%%:*}.log
	# wait for the line of the interval that holds the end of the work
	end=$(wc -l <"$log") i=0
	while [ "$(wc -l <"$log")" -le "$end" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
	tail -n +"$(($4 + 1))" "$log" | awk -v l="$1" -v r="$2" -v m="$3" '
		# num STR KEY: the number after "KEY": in STR (0 without one)
		function num(str, key,   v) {
			if (!match(str, "\"" key "\":[-0-9.e+]+")) return 0
			v = substr(str, RSTART, RLENGTH); sub(/.*:/, "", v); return v + 0
		}
		/^\{"schema":"tessera-stats/ {
			n++
			iv = num($0, "interval")
			if (!match($0, /"migrated_by_per_s":\{[^}]*\}/)) next
			by = substr($0, RSTART, RLENGTH)
			split("wake pick moved steal", k, " ")
			for (j = 1; j <= 4; j++)
				s[k[j]] += num(by, k[j]) * iv
		}
		END {
			if (!n) exit
			for (j = 1; j <= 4; j++)
				printf "BENCH %s %s %s_migrated_by_%s %.0f\n", l, r, m, k[j], s[k[j]]
		}'
}

# measured LABEL REP NAME CMD...: CMD (output in /tmp/work.out), then NAME's
# busy CPUs, run-queue delay and migrations (a tessera scheduler's also by
# kind); CMD's status
measured() {
	label=$1 rep=$2 name=$3
	shift 3
	work "$name"
	m_from=$(stats_lines "$label")
	set -- "$(ticks)" "$(rq_wait)" "$@"
	m_ticks=$1 m_wait=$2
	shift 2
	perf stat -a -e sched:sched_migrate_task -x, -o /tmp/perf.out -- "$@" >/tmp/work.out 2>&1
	rc=$?
	awk -v a="$m_ticks" -v b="$(ticks)" -v n="$NCPU" -v l="$label" -v r="$rep" -v m="$name" '
		BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2]
			printf "BENCH %s %s %s_busy_cpus %.2f\n", l, r, m, (t > 0 ? n * (y[1] - x[1]) / t : 0) }'
	awk -v a="$m_wait" -v b="$(rq_wait)" -v l="$label" -v r="$rep" -v m="$name" '
		BEGIN { v = (a == "nan" || b == "nan") ? "nan" : sprintf("%.1f", (b - a) / 1e6)
			printf "BENCH %s %s %s_rq_delay_ms %s\n", l, r, m, v }'
	echo "BENCH $label $rep ${name}_migrations $(grep sched_migrate_task /tmp/perf.out | cut -d, -f1)"
	[ -z "$m_from" ] || migrated_by "$label" "$rep" "$name" "$m_from"
	return $rc
}

run_build() { # label rep
	[ -n "$BUILD_DIR" ] || return 0
	make -s -C "$BUILD_DIR" -f Makefile.bench clean >/dev/null 2>&1
	t0=$(now)
	measured "$1" "$2" build make -s -C "$BUILD_DIR" -f Makefile.bench -j"$NCPU" || {
		echo "BENCH-ERROR $1 build failed: $(head -3 /tmp/work.out)"
		return 0
	}
	echo "BENCH $1 $2 build_s $(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')"
}

# cyclictest's wake-up latency, one SCHED_OTHER thread a CPU, under
# hackbench: p99 and max over all threads, from its histogram (us)
run_wakeup() { # label rep
	(while :; do hackbench -g 2 -l 50 >/dev/null 2>&1; done) &
	load=$!
	measured "$1" "$2" wakeup cyclictest -q -p 0 -t "$NCPU" -i 1000 -D "$LAT_S" -h 20000
	kill $load 2>/dev/null
	wait $load 2>/dev/null
	killall hackbench 2>/dev/null
	awk -v l="$1" -v r="$2" '
		/^[0-9]+/ { for (i = 2; i <= NF; i++) { c[$1 + 0] += $i; n += $i } }
		/^# Max Latencies/ { for (i = 4; i <= NF; i++) if ($i + 0 > max) max = $i + 0 }
		/^# Histogram Overflows/ { for (i = 4; i <= NF; i++) over += $i }
		END {
			if (!n) { printf "BENCH %s %s wakeup_p99_us nan\n", l, r; exit }
			for (us = 0; us < 20000 && seen < 0.99 * (n + over); us++) seen += c[us]
			printf "BENCH %s %s wakeup_p99_us %s\n", l, r, seen < 0.99 * (n + over) ? "nan" : us - 1
			printf "BENCH %s %s wakeup_max_us %d\n", l, r, max
		}' /tmp/work.out
}

# tsr-reqlat (bench/reqlat.c): two message threads each waking one
# worker a CPU per round, 1 ms of CPU a request; wake-up and request
# (post to done) tails, schbench's two figures (us)
run_request() { # label rep
	measured "$1" "$2" reqlat tsr-reqlat -r "$LAT_S"
	awk -v l="$1" -v r="$2" '/^(wakeup|request)_p(50|99)_us / { printf "BENCH %s %s reqlat_%s %s\n", l, r, $1, $2 }' \
		/tmp/work.out
}

run_workloads() { # sched rep
	measured "$1" "$2" hackbench hackbench -g 4 -l "$HB_LOOPS"
	t=$(sed -n 's/^Time: *//p' /tmp/work.out)
	echo "BENCH $1 $2 hackbench_s ${t:-nan}"
	measured "$1" "$2" messaging perf bench sched messaging -g 4 -l "$HB_LOOPS"
	t=$(sed -n 's/.*Total time: *\([0-9.]*\).*/\1/p' /tmp/work.out)
	echo "BENCH $1 $2 messaging_s ${t:-nan}"
	measured "$1" "$2" pipe perf bench sched pipe -l $((HB_LOOPS * 100))
	t=$(sed -n 's/^ *\([0-9.]*\) usecs\/op.*/\1/p' /tmp/work.out)
	echo "BENCH $1 $2 pipe_us_op ${t:-nan}"
	measured "$1" "$2" stressng stress-ng --cpu "$NCPU" --timeout "$STRESS_S" --metrics-brief
	b=$(awk '/ cpu /{ print $(NF-1) }' /tmp/work.out | tail -n 1)
	echo "BENCH $1 $2 stressng_bogo_ops_s ${b:-nan}"
	run_wakeup "$1" "$2"
	run_request "$1" "$2"
	run_build "$1" "$2"
}

# the quiet costs' load: a pipe pinned to one CPU (enqueue, dispatch,
# running, stopping with nothing else queued), then one free to use two
# (select_cpu: each wake-up finds the other CPU idle)
run_quiet() {
	taskset -c 1 perf bench sched pipe -l "$QUIET_LOOPS" >/dev/null 2>&1
	taskset -c 0,1 perf bench sched pipe -l "$QUIET_LOOPS" >/dev/null 2>&1
}

QUIET_FN=run_quiet each_scheduler run_workloads
