# Guest test: a watchdog stall and a BPF-side error end the scheduler, the
# user reads kind, reason and message, the runner exits 1 and the machine is
# back on the default scheduler. Uses the test-only scx_test_faults.
FS=scx_test_faults
LOG=/tmp/faults.log
NCPU=$(nproc)
echo "# faults: watchdog stall and BPF error reach the user"

# fault_run NAME KIND TEXT: start $FS, start a task called NAME, expect KIND and TEXT
fault_run() {
	$FS --watchdog-ms 10000 >$LOG 2>&1 &
	pid=$!
	if ! wait_state enabled $ATTACH_S; then
		fail "$1: attach" "state $(scx_state): $(cat $LOG)"
		kill $pid 2>/dev/null
		return
	fi
	# keep every CPU contended so the faulty task goes through ops.enqueue
	# (a lone task on an idle CPU keeps running without it)
	stress-ng --cpu $((NCPU + 1)) --timeout 40 --quiet &
	spid=$!
	sh -c "printf $1 >/proc/\$\$/comm; while :; do :; done" &
	tpid=$!
	sleep 0.2
	echo "# task $tpid runs as '$(cat /proc/$tpid/comm)'"
	start=$(now)
	i=0
	while alive $pid && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	alive $pid && kill -INT $pid
	wait $pid
	rc=$?
	kill $tpid $spid 2>/dev/null
	wait $spid 2>/dev/null
	check "$1: runner exits 1 ($(elapsed "$start") s)" [ $rc -eq 1 ]
	if grep -q "exit: $2" $LOG && grep -q "$3" $LOG; then
		pass "$1: user sees $(grep 'exit:' $LOG | head -n 1)"
	else
		fail "$1: exit kind $2 and '$3' printed" "$(cat $LOG)"
	fi
	check "$1: back on the default scheduler" wait_state disabled 5
}

fault_run tsr_stall ERROR_STALL "tsr_stall"
fault_run tsr_error ERROR_BPF "faults: task [0-9]* asked for an error"

# a program the verifier refuses: one line naming the file its log went to,
# exit 1, nothing attached, the log in the file and not on the terminal
$FS --reject-at-load >$LOG 2>&1
rc=$?
vlog=$(sed -n 's/.*the verifier.s log ([0-9]* lines) is in \(\/tmp\/tessera-verifier-[A-Za-z0-9]*\)$/\1/p' $LOG)
echo "# $(grep 'refused' $LOG)"
check "verifier refusal: exit 1 ($rc)" [ $rc -eq 1 ]
check "verifier refusal: one line names the log file" sh -c "[ -n '$vlog' ] && [ -s '$vlog' ]"
check "verifier refusal: the file holds the verifier's complaint" \
	grep -q "invalid mem access" "${vlog:-/nonexistent}"
check "verifier refusal: the terminal gets no verifier log ($(wc -l <$LOG) lines)" \
	sh -c "! grep -q 'PROG LOAD LOG\|invalid mem access' $LOG"
check "verifier refusal: nothing attached" [ "$(scx_state)" = disabled ]
rm -f "$vlog"
