# Guest test: the control socket every scheduler serves (framework/control.c).
# Stats through --ctl and --monitor without loading anything, its errors in
# one line, a second start refused while the first runs on, the socket gone
# after SIGINT, and a socket left by SIGKILL no obstacle to the next start.
SOCK=/run/tessera/control.sock
LOG=/tmp/control.log
OUT=/tmp/control.out
echo "# control: $SCHED's control socket"

# ctl REQUEST...: ask the running scheduler; answer in $OUT, errors in $OUT.err
ctl() { $SCHED --ctl "$*" >$OUT 2>$OUT.err; }

if start_sched control $LOG; then
	check "control: the socket is root's alone ($(stat -c '%a %U' $SOCK 2>&1))" \
		[ "$(stat -c '%a %U' $SOCK)" = "600 root" ]
	sleep 2
	ctl stats
	rc=$?
	head -n 1 $OUT | sed 's/^/# /'
	check "control: --ctl stats answers with the latest block (rc $rc)" \
		grep -q "^$SCHED t=[0-9.]*s tasks=" $OUT
	check "control: ... which --stats 0 did not print" \
		sh -c "! grep -q 'select=' $LOG"
	ctl help
	check "control: --ctl help lists stats" grep -q "^  stats " $OUT
	ctl no-such-request
	rc=$?
	check "control: an unknown request fails (rc $rc) in one line" \
		sh -c "[ $rc -eq 1 ] && [ \$(wc -l <$OUT.err) -eq 1 ] && grep -q 'unknown request \"no-such-request\" (try: help)' $OUT.err"
	$SCHED --monitor 0.5 >$OUT 2>&1 &
	mon=$!
	sleep 3.5
	kill -INT $mon
	wait $mon
	rc=$?
	n=$(grep -c "^$SCHED t=" $OUT)
	check "control: --monitor 0.5 printed each new block once ($n blocks in 3.5 s, rc $rc)" \
		sh -c "[ $n -ge 2 ] && [ $n -le 5 ] && [ $rc -eq 0 ] && [ \$(grep '^$SCHED t=' $OUT | sort | uniq -d | wc -l) -eq 0 ]"
	$SCHED --duration 5 >$OUT 2>&1
	rc=$?
	sed 's/^/# second start: /' $OUT
	check "control: a second start is refused (rc $rc) in one line" \
		sh -c "[ $rc -eq 1 ] && [ \$(wc -l <$OUT) -eq 1 ]"
	alive $PID && [ "$(scx_state)" = enabled ] && $SCHED --ctl stats >/dev/null
	check "control: ... and the first runs on and still answers" [ $? -eq 0 ]
	kill -INT $PID
	wait $PID
	check "control: after SIGINT no socket is left" [ ! -e $SOCK ]
	wait_state disabled 20
fi

if start_sched "control after SIGKILL" $LOG; then
	kill -KILL $PID
	wait $PID 2>/dev/null
	wait_state disabled 30
	check "control: SIGKILL leaves the socket behind" [ -S $SOCK ]
	if start_sched "control restart" $LOG; then
		sleep 2
		ctl stats
		check "control: the next start replaced it and answers" \
			grep -q "^$SCHED t=" $OUT
		kill -INT $PID
		wait $PID
		check "control: ... and removed it at exit" [ ! -e $SOCK ]
		wait_state disabled 20
	fi
fi
