# Guest test: tasks beyond the task-record limit still get their share.
# With --max-tasks 256, thousands of sleeping threads take every record;
# a CPU hog started after them has no record and must get at least a
# quarter of an equal share for 25 s of saturation, with no watchdog
# ejection at the smallest watchdog the runner accepts (10 s: 2.5 of its
# periods). Sourced by guest-main.sh with SCHED set; needs tsr-hogs.
LOG=/tmp/$SCHED-limit.log
OUT=/tmp/$SCHED-limit.out
SLEEPERS=${LIMIT_SLEEPERS:-2000}
SECS=${LIMIT_SECS:-25}
NCPU=$(nproc)
NHOGS=$((2 * NCPU))
echo "# $SCHED: $SLEEPERS sleepers beyond --max-tasks 256, $NHOGS hogs and one late hog, ${SECS} s"

start_sched limit $LOG --max-tasks 256 --stats 5 --watchdog-ms 10000 || { return 0 2>/dev/null || exit 0; }
spec=""
for i in $(seq $NHOGS); do spec="$spec 0"; done
tsr-hogs -w 2 -s "$SLEEPERS" -l 0 -- "$SECS" $spec >$OUT 2>&1
sed 's/^/# /' $OUT
norec=$(grep "^$SCHED t=" $LOG | tr ' ' '\n' | sed -n 's/^norec=//p' | sort -n | tail -n 1)
check "limit: still enabled after ${SECS} s" [ "$(scx_state)" = enabled ]
check "limit: runner alive" alive $PID
check "limit: no stall exit" sh -c "! grep -q 'ERROR_STALL\|exit:' $LOG"
check "limit: stats count the tasks without a record ($norec >= $SLEEPERS / 2)" \
	[ "${norec:-0}" -ge $((SLEEPERS / 2)) ]
last=$(awk -v i=$NHOGS '$1 == "hog" && $2 == i { sub("share=", "", $5); print $5 }' $OUT)
equal=$(awk -v n=$NCPU -v h=$((NHOGS + 1)) 'BEGIN { printf "%.4f", n / h }')
if awk -v s="${last:-0}" -v e="$equal" 'BEGIN { exit !(s >= e / 4) }'; then
	pass "limit: the last task started (no record) got $last, equal share $equal"
else
	fail "limit: the last task started gets a quarter of an equal share" "got ${last:-none}, equal $equal"
fi
kill -INT $PID
wait $PID
check "limit: clean exit" [ $? -eq 0 ]
tail -n 3 $LOG | sed 's/^/# /'
