# Guest test: statistics as JSON lines (--stats-format json,
# docs/stats-json.md): what the scheduler prints and what a --monitor
# client prints are each one object a line of the schema, and the blocks
# they share are equal; the text form is unchanged beside it; there is one
# node object a NUMA node of the machine.
LOG=/tmp/$SCHED-json.log
OUT=/tmp/$SCHED-json.mon
echo "# statistics as JSON under $SCHED"

if start_sched json $LOG --stats 1 --stats-format json; then
	# a scheduler whose own option took --monitor calls the framework's --watch
	watch=--monitor
	! $SCHED --help 2>&1 | grep -q -- "--watch SECS" || watch=--watch
	$SCHED $watch 1 --stats-format json >$OUT 2>&1 &
	mon=$!
	sleep 4.5
	kill -INT $mon
	wait $mon
	$SCHED --ctl "stats" >$OUT.text 2>&1
	kill -INT $PID
	wait $PID
	head -c 300 $LOG | sed 's/^/# /'
	echo
	res=$(tsr-jsoncheck $LOG $OUT) || head -n 3 $OUT | cut -c 1-300 | sed 's/^/# monitor: /'
	check "json: printed and watched blocks are of the schema, the shared ones equal ($res)" \
		tsr-jsoncheck $LOG $OUT
	nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
	check "json: one node object a NUMA node ($nodes)" \
		sh -c "[ \$(grep -m 1 '^{' $LOG | grep -o '\"memory_only\"' | wc -l) -eq $nodes ]"
	check "json: no text line among the printed statistics" \
		sh -c "! grep -q '^$SCHED t=' $LOG"
	check "json: the control socket still answers in text" grep -q "^$SCHED t=" $OUT.text
fi
