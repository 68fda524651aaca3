# Runs inside the guest: every workload under the default scheduler and under
# each scheduler in $SCHEDS, $REPS times, interleaved so drift hits all alike.
# Prints "BENCH <sched> <rep> <metric> <value>" lines (and BPF callback costs).
. /tsr/bench-lib.sh
NCPU=$(nproc)
now() { cut -d' ' -f1 /proc/uptime; }

run_build() { # label rep
	[ -n "$BUILD_DIR" ] || return 0
	work build
	make -s -C "$BUILD_DIR" -f Makefile.bench clean >/dev/null 2>&1
	t0=$(now)
	perf stat -a -e sched:sched_migrate_task -x, -o /tmp/perf.out -- \
		make -s -C "$BUILD_DIR" -f Makefile.bench -j"$NCPU" >/tmp/make.log 2>&1 || {
		echo "BENCH-ERROR $1 build failed: $(head -3 /tmp/make.log)"
		return 0
	}
	echo "BENCH $1 $2 build_s $(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')"
	echo "BENCH $1 $2 build_migrations $(grep sched_migrate_task /tmp/perf.out | cut -d, -f1)"
}

run_workloads() { # sched rep
	work hackbench
	t=$(hackbench -g 4 -l "$HB_LOOPS" 2>&1 | sed -n 's/^Time: *//p')
	echo "BENCH $1 $2 hackbench_s ${t:-nan}"
	work messaging
	t=$(perf bench sched messaging -g 4 -l "$HB_LOOPS" 2>&1 | sed -n 's/.*Total time: *\([0-9.]*\).*/\1/p')
	echo "BENCH $1 $2 messaging_s ${t:-nan}"
	work stress-ng
	b=$(stress-ng --cpu "$NCPU" --timeout "$STRESS_S" --metrics-brief 2>&1 |
		awk '/ cpu /{ print $(NF-1) }' | tail -n 1)
	echo "BENCH $1 $2 stressng_bogo_ops_s ${b:-nan}"
	run_build "$1" "$2"
}

each_scheduler run_workloads
