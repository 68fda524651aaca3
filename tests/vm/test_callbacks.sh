# Guest test: a callback no module needs in this run is not attached, one
# that some module needs is (scx_basic: vtime keeps runnable weight per
# domain only for balancing, so runnable, running and quiescent run with
# two domains or more; with one the clock moves where a run is charged,
# and none of the three is loaded). Read from --bpf-stats, which lists
# every loaded callback with its runs. scx_wd40: lb keeps no loads with
# one domain, so quiescent (lb's alone) is left out. Sourced by
# guest-main.sh in both suites.
LOG=/tmp/$SCHED-callbacks.log
echo "# callbacks attached under $SCHED"

if start_sched "callbacks" $LOG -v --bpf-stats --stats 1; then
	hackbench -g 2 -l 50 >/dev/null 2>&1
	sleep 2 # a stats line after the load
	kill -INT $PID
	wait $PID
	doms=$(sed -n 's/.*attached (.*CPUs, \([0-9]*\) domains).*/\1/p' $LOG)
	runs() { sed -n "s/.*bpf $1 *runs=\([0-9]*\).*/\1/p" $LOG; }
	check "callbacks: the run's domains are said ($doms)" [ -n "$doms" ]
	check "callbacks: stopping (the framework's) is attached and runs ($(runs tsr_stopping))" \
		[ "$(runs tsr_stopping)" -gt 0 ]
	if [ "$SCHED" = scx_wd40 ]; then
		# lb keeps no loads with one domain: quiescent is lb's alone, runnable also deadline's
		if [ "${doms:-1}" -eq 1 ]; then
			check "callbacks: quiescent not loaded with one domain (lb keeps no loads)" \
				[ -z "$(runs tsr_quiescent)" ]
			check "callbacks: runnable still attached for deadline ($(runs tsr_runnable) runs)" \
				[ "$(runs tsr_runnable)" -gt 0 ]
			check "callbacks: lb's stats say it keeps no loads" \
				grep -q "one domain: nothing to balance, no loads kept" $LOG
		else
			check "callbacks: quiescent attached with $doms domains ($(runs tsr_quiescent) runs)" \
				[ "$(runs tsr_quiescent)" -gt 0 ]
			check "callbacks: lb's stats show the domains' loads" grep -q "^  lb: node0 load=" $LOG
		fi
	else
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
fi
