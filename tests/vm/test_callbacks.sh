# Guest test: a callback no module needs in this run is not attached, one
# that some module needs is (scx_basic: vtime keeps runnable weight per
# domain only for balancing, so runnable, running and quiescent run with
# two domains or more; with one the clock moves where a run is charged,
# and none of the three is loaded). Read from --bpf-stats, which lists
# every loaded callback with its runs. Sourced by guest-main.sh in both
# suites.
LOG=/tmp/$SCHED-callbacks.log
echo "# callbacks attached under $SCHED"

if start_sched "callbacks" $LOG -v --bpf-stats; then
	hackbench -g 2 -l 50 >/dev/null 2>&1
	sleep 1
	kill -INT $PID
	wait $PID
	doms=$(sed -n 's/.*attached (.*CPUs, \([0-9]*\) domains).*/\1/p' $LOG)
	runs() { sed -n "s/.*bpf $1 *runs=\([0-9]*\).*/\1/p" $LOG; }
	check "callbacks: the run's domains are said ($doms)" [ -n "$doms" ]
	check "callbacks: stopping (the framework's) is attached and runs ($(runs tsr_stopping))" \
		[ "$(runs tsr_stopping)" -gt 0 ]
	for cb in runnable running quiescent; do
		if [ "${doms:-1}" -gt 1 ]; then
			check "callbacks: $cb attached with $doms domains ($(runs tsr_$cb) runs)" \
				[ "$(runs tsr_$cb)" -gt 0 ]
			check "callbacks: $cb not said to be left out" \
				sh -c "! grep -q '$cb not attached' $LOG"
		else
			check "callbacks: $cb not loaded with one domain" [ -z "$(runs tsr_$cb)" ]
			check "callbacks: ... and -v says so" grep -q "$cb not attached: no module needs it" $LOG
		fi
	done
fi
