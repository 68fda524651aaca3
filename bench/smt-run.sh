# SMT pairing benchmark, the part that runs where the scheduler runs (the
# host, or the guest under bench/smt --guest); POSIX sh, busybox will do.
# Four jobs, two memory-bound (stress-ng stream) and two compute-bound
# (stress-ng matrix), each W workers: alone, then all four together under
# the default scheduler, under scx_smt, and under scx_smt --measure-only.
# Prints each job's slowdown against running alone and its co-run share.
#   SCX_SMT=path SMT_FIXTURE=tests/vm/smt-fixture.sh SECS=N [WORKERS=N]
#   [STREAM_ARGS=stress-ng options] sh smt-run.sh
SCX_SMT=${SCX_SMT:?} SECS=${SECS:-30}
D=/tmp/tsr-smt-bench
STRESS=$(command -v stress-ng) || { echo "SMT-ERROR no stress-ng"; exit 1; }
THREADS=$(grep -c ^processor /proc/cpuinfo)
# a worker of each job per hardware thread: four jobs fill every thread
if [ -z "${WORKERS:-}" ]; then
	WORKERS=$((THREADS / 4))
	[ "$WORKERS" -gt 0 ] || WORKERS=1
fi
JOBS="memA memB fpA fpB"
rm -rf $D
mkdir -p $D/profiles $D/models $D/bin

. "${SMT_FIXTURE:?}"
# profile NAME MEM FP ID: a profiled job, run as a copy of stress-ng so it goes by NAME
profile() {
	smt_profile $D/profiles "$@"
	cp "$STRESS" $D/bin/$1
}
profile memA 0.9 0.1 1
profile memB 0.85 0.1 2
profile fpA 0.1 0.6 3
profile fpB 0.2 0.6 4
smt_model $D/models

# start NAME TAG: job NAME in its own process group, metrics into $D/NAME.TAG.yaml
start() {
	case $1 in
	mem*) what="--stream $WORKERS ${STREAM_ARGS:-}" ;;
	*) what="--matrix $WORKERS" ;;
	esac
	setsid $D/bin/$1 $what -t "$SECS" --metrics-brief --yaml $D/$1.$2.yaml >/dev/null 2>&1 &
}

# rate NAME TAG: bogo-ops per second (real time) summed over its workers
rate() {
	awk '/bogo-ops-per-second-real-time/ { s += $2 } END { printf "%.2f", s }' $D/$1.$2.yaml 2>/dev/null
}

# together TAG: the four jobs at once (waiting for them only: a scheduler may run in the background)
together() {
	pids=""
	for j in $JOBS; do
		start $j $1
		pids="$pids $!"
	done
	wait $pids
}

echo "SMT-INFO $THREADS hardware threads, $WORKERS workers a job, $SECS s a run"
for j in $JOBS; do
	echo "SMT-INFO $j alone"
	start $j alone
	wait $!
done
echo "SMT-INFO all four under the default scheduler"
together default

# smt TAG ARGS...: the four jobs under scx_smt with ARGS; co-run shares into $D/TAG.corun
smt() {
	tag=$1
	shift
	$SCX_SMT --profiles $D/profiles --model-dir $D/models --long-running-s 2 --stats 1 "$@" \
		>$D/$tag.log 2>&1 &
	pid=$!
	i=0
	while [ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" != enabled ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 600 ] || { echo "SMT-ERROR $tag: scx_smt did not attach: $(tail -n 3 $D/$tag.log)"; kill $pid; return; }
	echo "SMT-INFO all four under scx_smt $*"
	together $tag
	kill -INT $pid
	wait $pid
}
smt steered
smt measured --measure-only

# corun TAG NAME: NAME's newest co-run percentage under TAG
corun() {
	pg=$(grep "long-running: pgid [0-9]* ($2)" $D/$1.log | head -n 1 | sed 's/.*pgid \([0-9]*\).*/\1/')
	[ -n "$pg" ] || { echo "-"; return; }
	grep "^    pgid $pg .*co-run" $D/$1.log | tail -n 1 | awk '{ print $4 }'
}

printf 'SMT-ROW %-6s %12s %10s %10s %10s %10s\n' job "alone ops/s" default scx_smt "co-run" "measured"
for j in $JOBS; do
	a=$(rate $j alone)
	printf 'SMT-ROW %-6s %12s %10s %10s %10s %10s\n' $j "$a" \
		"$(awk -v a="$a" -v r="$(rate $j default)" 'BEGIN { printf (r > 0 ? "%.2fx" : "-"), a / r }')" \
		"$(awk -v a="$a" -v r="$(rate $j steered)" 'BEGIN { printf (r > 0 ? "%.2fx" : "-"), a / r }')" \
		"$(corun steered $j)" "$(corun measured $j)"
done
echo "SMT-DONE"
