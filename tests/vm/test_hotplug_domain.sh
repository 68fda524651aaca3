# Guest test (numa suite): a whole domain goes offline and comes back
# without a reload, and the tasks that belonged to it keep running (its
# queue is served by the CPUs still online). Sourced by guest-main.sh with
# SCHED set; needs tsr-hogs.
LOG=/tmp/$SCHED-hotplug-domain.log
OUT=/tmp/$SCHED-hotplug-hogs.out
NCPU=$(nproc)
half=$((NCPU / 2))
echo "# a domain offline under $SCHED: CPUs $half-$((NCPU - 1))"

# set_cpus STATE: CPUs half..NCPU-1 offline (0) or online (1)
set_cpus() {
	for c in $(seq $half $((NCPU - 1))); do echo "$1" >/sys/devices/system/cpu/cpu$c/online; done
}

start_sched hotplug-domain $LOG --stats 1 || { return 0 2>/dev/null || exit 0; }
# hogs that start on the second half, so their domain is that one
spec=""
for c in $(seq $half $((NCPU - 1))); do spec="$spec 0@$c 0@$c"; done
# measured from when the domain is gone: offlining four CPUs can take
# seconds under emulation, with the hogs crowding the last ones meanwhile
tsr-hogs -g -- 5 $spec >$OUT 2>&1 &
HPID=$!
sleep 2
set_cpus 0
kill -USR1 $HPID
check "domain offline: still enabled, no reload" \
	sh -c "[ \"\$(cat $SCX/state)\" = enabled ] && ! grep -q reloading $LOG"
wait $HPID
sed "s/^/# /" $OUT
# the hogs lost their affinity to the offline CPUs and share the others
# (0.5 each; 0.08 when only CPUs that happened to dispatch served them,
# 0.06 when the idle CPUs were not woken for tasks queued before the domain
# lost its last CPU)
lo=$(awk '$1 == "hog" { sub("share=", "", $5); print $5 }' $OUT | sort -n | head -n 1)
check "domain offline: every task of the lost domain kept running (least share ${lo:-none})" \
	awk -v s="${lo:-0}" 'BEGIN { exit !(s > 0.3) }'
set_cpus 1
sleep 2
check "domain back online: still enabled, no reload" \
	sh -c "[ \"\$(cat $SCX/state)\" = enabled ] && ! grep -q reloading $LOG"
check "domain back online: stats count all $NCPU CPUs" sh -c "sleep 1.5; grep 'online=' $LOG | tail -n 1 | grep -q 'online=$NCPU/$NCPU'"
kill -INT $PID
wait $PID
check "domain hotplug: clean exit" [ $? -eq 0 ]
