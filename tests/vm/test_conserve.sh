# Guest test for lb's work conservation across NUMA nodes (8 vCPUs on two
# nodes, one domain each), with the balancer off so that only BPF's own
# paths act: one CPU hog a CPU, all forked in a burst by one process on one
# node, must use nearly every CPU with the defaults (new tasks start in the
# lighter node once theirs is full) and with --new-tasks parent (an idle
# CPU steals from a queue that has waited --x-numa-wait-us, 1 ms by
# default). With neither (--new-tasks parent --x-numa-wait-us 0) the
# burst stays on about one node's CPUs: the measure can tell them apart.
# Sourced with SCHED set to a scheduler that has lb; needs tsr-hogs.
LOG=/tmp/$SCHED-conserve.log
OUT=/tmp/$SCHED-conserve.out
NCPU=$(nproc)
echo "# $SCHED: $NCPU hogs forked at once, balancer off"

# cpus_used NAME ARGS...: the CPUs the hogs used together (sum of their shares)
cpus_used() {
	_cu=$1
	shift
	start_sched "conserve $_cu" $LOG --no-load-balance --stats 1 "$@" || { echo 0; return; }
	spec=""
	for i in $(seq "$NCPU"); do spec="$spec 0"; done
	tsr-hogs -w 1 -- 5 $spec >$OUT 2>&1
	kill -INT $PID
	wait $PID
	sed "s/^/# $_cu: /" $OUT >&2
	grep "^  lb: round" $LOG | tail -n 1 | sed "s/^/# $_cu: /" >&2
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^share=/) s += substr($i, 7) }
		END { printf "%.2f", s }' $OUT
}

on=$(cpus_used defaults)
steal=$(cpus_used steal --new-tasks parent)
off=$(cpus_used off --new-tasks parent --x-numa-wait-us 0)
check "conserve: $NCPU hogs forked at once use at least $((NCPU - 1)) CPUs, new tasks spread ($on)" \
	awk "BEGIN { exit !($on >= $NCPU - 1) }"
check "conserve: ... and kept where forked, with cross-node stealing ($steal)" \
	awk "BEGIN { exit !($steal >= $NCPU - 1) }"
check "conserve: kept where forked, no cross-node stealing: at most $((NCPU * 3 / 4)) ($off)" \
	awk "BEGIN { exit !($off <= $NCPU * 3 / 4) }"
