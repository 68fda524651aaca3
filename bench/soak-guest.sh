# Inside the guest: soak one scheduler under mixed load for $MINUTES,
# taking a CPU offline and back every $HOTPLUG_S, and print one figures line
# a minute. Ends with the checks and "N passed, N failed".
. /tsr/tests/lib.sh
SCHED=${SCHED:?} MINUTES=${MINUTES:-30} HOTPLUG_S=${HOTPLUG_S:-180}
LOG=/tmp/soak-$SCHED.log
NCPU=$(nproc)
LAST=$((NCPU - 1))
SECS=$((MINUTES * 60))
echo "# soak: $SCHED for $MINUTES min on $NCPU CPUs, CPU $LAST off and on every ${HOTPLUG_S}s"

dmesg -c >/dev/null
$SCHED $SCHED_ARGS --stats 10 >$LOG 2>&1 &
PID=$!
wait_state enabled $ATTACH_S || { fail "soak $SCHED: attach" "$(tail -5 $LOG)"; tsr_summary; exit 0; }
sleep 12
# stat FIELD: FIELD=value of the newest stats line
stat() { grep "^$SCHED t=" $LOG | tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
rss() { awk '/^VmRSS/ { print $2 }' /proc/$PID/status 2>/dev/null; }
# total FIELD: FIELD summed over every stats line (per-interval counts)
total() { grep "^$SCHED t=" $LOG | tr ' ' '\n' | sed -n "s/^$1=//p" | awk '{ s += $1 } END { print s + 0 }'; }
base_tasks=$(stat tasks); base_tasks=${base_tasks%/*}
rss0=$(rss)
echo "# baseline: live records $base_tasks, runner RSS ${rss0} kB"

load_pids=""
stress-ng --cpu "$NCPU" --cpu-load 70 --timeout "$SECS" --quiet & load_pids="$load_pids $!"
stress-ng --fork 2 --timeout "$SECS" --quiet & load_pids="$load_pids $!"
stress-ng --affinity 2 --timeout "$SECS" --quiet & load_pids="$load_pids $!"
stress-ng --switch 2 --timeout "$SECS" --quiet & load_pids="$load_pids $!"
(end=$(($(cut -d. -f1 /proc/uptime) + SECS))
 while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do hackbench -g 4 -l 50 >/dev/null 2>&1; sleep 1; done) &
load_pids="$load_pids $!"

start=$(cut -d. -f1 /proc/uptime)
next_hp=$((start + HOTPLUG_S)) rss_first="" rss_max=0 min=0 offline_at=0
while :; do
	now=$(cut -d. -f1 /proc/uptime)
	[ $((now - start)) -lt $SECS ] || break
	if [ $offline_at -eq 0 ] && [ $now -ge $next_hp ]; then
		echo 0 >/sys/devices/system/cpu/cpu$LAST/online && offline_at=$now
	elif [ $offline_at -ne 0 ] && [ $now -ge $((offline_at + 20)) ]; then
		echo 1 >/sys/devices/system/cpu/cpu$LAST/online
		offline_at=0 next_hp=$((now + HOTPLUG_S))
	fi
	if [ $((now - start)) -ge $((min * 60)) ]; then
		r=$(rss)
		[ -n "$rss_first" ] || rss_first=$r
		[ $min -ne $((MINUTES / 2)) ] || rss_mid=$r
		[ "${r:-0}" -le $rss_max ] || rss_max=$r
		echo "SOAK min=$min state=$(scx_state) rss_kb=$r tasks=$(stat tasks) norec=$(stat norec) reloads=$(grep -c reloading $LOG) rescued=$(total rescued) rcu_boost=$(total rcu_boost) online=$(cat /sys/devices/system/cpu/online)"
		min=$((min + 1))
	fi
	alive $PID || break
	sleep 2
done
[ $offline_at -eq 0 ] || echo 1 >/sys/devices/system/cpu/cpu$LAST/online
for p in $load_pids; do kill $p 2>/dev/null; done
wait $load_pids 2>/dev/null
sleep 15
rss_end=$(rss)
end_tasks=$(stat tasks); end_tasks=${end_tasks%/*}
echo "SOAK end state=$(scx_state) rss_kb=$rss_end rss_first_kb=$rss_first rss_mid_kb=${rss_mid:-} rss_max_kb=$rss_max tasks=$end_tasks base_tasks=$base_tasks reloads=$(grep -c reloading $LOG) rescued=$(total rescued) rcu_boost=$(total rcu_boost)"
check "soak $SCHED: still enabled after $MINUTES min" [ "$(scx_state)" = enabled ]
check "soak $SCHED: runner alive" alive $PID
check "soak $SCHED: no error exit" sh -c "! grep -q 'exit: ERROR' $LOG"
dmesg >/tmp/dmesg.txt
bad=$(grep -E 'WARNING|BUG|stall|Oops|Call Trace' /tmp/dmesg.txt | head -n 1)
check "soak $SCHED: dmesg clean${bad:+: $bad}" [ -z "$bad" ]
if [ -n "$bad" ]; then
	# the whole story: every kernel line, who the stalled tasks are, the runner's last words
	sed 's/^/# dmesg: /' /tmp/dmesg.txt | tail -n 80
	for p in $(grep -o 'P[0-9]*/' /tmp/dmesg.txt | tr -d 'P/' | sort -u); do
		echo "# task $p: $(cat /proc/$p/comm 2>/dev/null || echo gone) policy $(awk '{ print $41 }' /proc/$p/stat 2>/dev/null) cpus $(grep Cpus_allowed_list /proc/$p/status 2>/dev/null | cut -f2)"
	done
	grep -v '^  ' $LOG | tail -n 20 | sed 's/^/# runner: /'
fi
# the first reloads grow the allocator's pools once; a leak keeps growing
# through the second half of the run
check "soak $SCHED: runner RSS flat over the second half (${rss_mid:-?} -> ${rss_end:-?} kB; first ${rss_first}, max ${rss_max})" \
	[ "${rss_end:-999999}" -le $((${rss_mid:-0} + 512)) ]
check "soak $SCHED: live records back to baseline ($base_tasks -> $end_tasks)" \
	[ "${end_tasks:-999999}" -le $((base_tasks + base_tasks / 10 + 5)) ]
kill -INT $PID
wait $PID
check "soak $SCHED: clean exit" [ $? -eq 0 ]
tsr_summary
