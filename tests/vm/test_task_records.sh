# Guest test: per-task arena records survive a 10 s fork/exit storm without
# a leak or an allocation failure, growing the slab from init_task as needed.
# Sourced by guest-main.sh with SCHED set.
LOG=/tmp/$SCHED-records.log
echo "# task records of $SCHED under a fork/exit storm"

# last_stat FIELD: the FIELD=value of the newest stats line (value only)
last_stat() { grep "^$SCHED t=" $LOG | tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# threads: every thread alive now, kernel ones included (each has a record)
threads() { ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l; }

start_sched records $LOG --stats 1 || { return 0 2>/dev/null || exit 0; }
sleep 2.5
before=$(last_stat tasks)
threads_before=$(threads)
pages_before=$(last_stat pages)
stress-ng --fork 4 --timeout 10 --quiet &
SPID=$!
start=$(now)
while before "$start" 9; do
	hackbench -g 8 -l 20 >/dev/null 2>&1
done
wait $SPID
check "records: still enabled after the storm ($(grep -m1 'exit:' $LOG | cut -c1-160))" \
	[ "$(scx_state)" = enabled ]
# a record is freed when its task is, which may be a while after the thread
# left /proc (RCU, a slow guest): up to 20 s for the gap to settle; a leak
# does not settle
i=0
while :; do
	sleep 1
	after=$(last_stat tasks)
	threads_after=$(threads)
	gap_after=$((${after%/*} - threads_after))
	[ $i -ge 20 ] && break
	[ "$gap_after" -le $((${before%/*} - threads_before + 3)) ] && break
	i=$((i + 1))
done
peak=$(grep "^$SCHED t=" $LOG | tr ' ' '\n' | sed -n 's/^tasks=\([0-9]*\)\/.*/\1/p' | sort -n | tail -n 1)
echo "# live records: ${before%/*} before, peak $peak, ${after%/*} after; pages $pages_before -> $(last_stat pages)"
echo "# threads alive: $threads_before before, $threads_after after (${i} s to settle)"
# against the threads alive, not the count before: the storm may leave
# new kernel workers behind (they idle out after minutes), each with a record
gap_before=$((${before%/*} - threads_before))
check "records: live count back to the threads alive (records - threads: $gap_before before, $gap_after after)" \
	[ "$gap_after" -le $((gap_before + 3)) ]
check "records: the storm really created tasks (peak $peak)" [ "$peak" -gt $((${before%/*} + 20)) ]
check "records: no allocation failure" [ "$(last_stat alloc_fail)" = 0 ]
check "records: no failed growth" [ "$(last_stat grow_fail)" = 0 ]
check "records: no bad or double frees" [ -z "$(grep 'task records:' $LOG)" ]
kill -INT $PID
wait $PID
# the stats the runner printed after the detach, not any earlier line
final=$(grep -n "exit:" $LOG | tail -n 1 | cut -d: -f1)
check "records: detach frees every record" sh -c "tail -n +${final:-1} $LOG | grep -q '^$SCHED t=.* tasks=0/'"
