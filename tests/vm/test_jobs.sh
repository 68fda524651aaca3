# Guest test: the jobs module counts process groups (or cgroups) as jobs (workers, run
# time, counters charged at context switches: software ones here, the
# guest has no PMU) and announces each long-running job once. Uses the
# test-only scx_test_jobs; needs tsr-hogs.
JS=scx_test_jobs
LOG=/tmp/jobs.log
echo "# jobs: process groups as jobs under $JS"

# stop_js NAME: SIGINT the scheduler, which must exit cleanly
stop_js() {
	kill -INT $PID
	wait $PID
	check "$1: clean exit" [ $? -eq 0 ]
}

# attach_failed NAME: the scheduler did not attach; say why, stop it
attach_failed() {
	fail "$1: attach" "$(tail -5 $LOG)"
	kill $PID 2>/dev/null
}

# field PGID NAME: NAME's value in the newest stats line of job PGID
field() {
	grep "^    pgid $1 " $LOG | tail -n 1 | tr -s ' ' '\n' | awk -v k="$2" 'p { print; exit } $0 == k { p = 1 }'
}

$JS --ipc-events bogus >$LOG 2>&1
rc=$?
check "jobs: a bad --ipc-events value exits 2 ($rc)" [ $rc -eq 2 ]
check "jobs: ... with one line naming it and the accepted values" \
	sh -c "[ \$(wc -l <$LOG) -eq 1 ] && grep -q \"'bogus' is unknown (accepted: hardware, software, none)\" $LOG"
check "jobs: ... and nothing attached" [ "$(scx_state)" = disabled ]

$JS --ipc-events hardware --duration 3 >$LOG 2>&1
check "jobs: without a PMU, one line says so and the scheduler runs" \
	grep -q "jobs: no PMU counters" $LOG

$JS --ipc-events software --long-running-s 3 --stats 1 >$LOG 2>&1 &
PID=$!
if wait_state enabled $ATTACH_S; then
	# three jobs of 1, 2 and 3 busy workers (plus tsr-hogs itself, asleep)
	setsid tsr-hogs -- 10 0 >/dev/null 2>&1 &
	h1=$!
	setsid tsr-hogs -- 10 0 0 >/dev/null 2>&1 &
	h2=$!
	setsid tsr-hogs -- 10 0 0 0 >/dev/null 2>&1 &
	h3=$!
	sleep 9
	pgids=$(grep -o 'long-running: pgid [0-9]*' $LOG | awk '{ print $3 }' | sort -n | uniq)
	check "jobs: three jobs announced as long-running ($(echo $pgids))" \
		[ "$(echo $pgids | wc -w)" -eq 3 ]
	check "jobs: each announced once" \
		[ "$(grep -c 'long-running: pgid' $LOG)" -eq "$(echo $pgids | wc -w)" ]
	n=1
	for g in $pgids; do
		workers=$(field $g workers)
		cpu=$(field $g cpu_ms)
		cyc=$(field $g cycles)
		echo "# job $g: workers $workers cpu_ms $cpu cycles $cyc"
		# cpu-clock stands in for cycles: ns of CPU charged at context switches
		check "jobs: job $g's counter agrees with its run time ($cyc ns vs $cpu ms)" \
			awk -v c="$cyc" -v r="$cpu" 'BEGIN { exit !(r > 1000 && c / 1e6 > 0.8 * r && c / 1e6 < 1.2 * r) }'
		n=$((n + 1))
	done
	w=$(for g in $pgids; do field $g workers; done | sort -n | tr '\n' ' ')
	check "jobs: workers per job are 2, 3 and 4 ($w)" [ "$w" = "2 3 4 " ]
	wait $h1 $h2 $h3
	check "jobs: still enabled" [ "$(scx_state)" = enabled ]
	stop_js jobs
else
	attach_failed jobs
fi

# the seed's runtime calls through the control socket: add, remove, threshold
# ctl REQUEST...: ask the running scheduler; the answer (or error) in $OUT
OUT=/tmp/jobs.out
ctl() { $JS --ctl "$*" >$OUT 2>&1; }
$JS --ipc-events none --long-running-s 1000 --stats 1 >$LOG 2>&1 &
PID=$!
if wait_state enabled $ATTACH_S; then
	setsid tsr-hogs -- 12 0 >/dev/null 2>&1 &
	ha=$!
	setsid tsr-hogs -- 12 0 >/dev/null 2>&1 &
	hb=$!
	sleep 1
	ctl jobs add $ha
	check "jobs add: registers a job before its threshold ($(cat $OUT))" \
		grep -q "^pgid $ha (tsr-hogs) registered" $OUT
	check "jobs add: ... said in the scheduler's log" \
		grep -q "jobs: registered on request: pgid $ha (tsr-hogs)" $LOG
	ctl jobs add $ha
	check "jobs add: twice is no second registration" grep -q "was already registered" $OUT
	ctl jobs add 0x10
	rc=$?
	check "jobs add: a bad pgid is refused (rc $rc): $(cat $OUT)" \
		sh -c "[ $rc -eq 1 ] && grep -q \"pgid: '0x10' is not a process group id (1..2147483647)\" $OUT"
	ctl jobs add 999999
	check "jobs add: a process group that does not exist is refused" \
		grep -q "pgid 999999: no such process group" $OUT
	ctl jobs threshold 0
	check "jobs threshold: out of range refused ($(cat $OUT))" \
		grep -q "threshold: '0' is not a number of seconds (0.1..1e7)" $OUT
	ctl jobs threshold 2
	check "jobs threshold: set at run time ($(cat $OUT))" grep -q "^2 s (was 1000 s)" $OUT
	sleep 3
	check "jobs threshold: the other job passes it and is announced" \
		grep -q "long-running: pgid $hb " $LOG
	check "jobs threshold: ... the registered one is not announced again" \
		sh -c "! grep -q 'long-running: pgid $ha ' $LOG"
	ctl jobs remove $hb
	check "jobs remove: unregisters ($(cat $OUT))" grep -q "^pgid $hb (tsr-hogs) unregistered" $OUT
	ctl jobs list
	sed 's/^/# list: /' $OUT
	check "jobs list: one registered, one removed" \
		sh -c "grep -q '^pgid $ha (tsr-hogs) *long-running ' $OUT && grep -q '^pgid $hb (tsr-hogs) *removed ' $OUT"
	sleep 2
	check "jobs remove: never announced again" [ "$(grep -c "long-running: pgid $hb " $LOG)" -eq 1 ]
	kill $ha $hb 2>/dev/null
	wait $ha $hb
	stop_js "jobs commands"
else
	attach_failed "jobs commands"
fi

# by cgroup: two process groups in one cgroup are one job, named by the cgroup
CG=/sys/fs/cgroup
[ -f $CG/cgroup.procs ] || mount -t cgroup2 none $CG 2>/dev/null
if [ -f $CG/cgroup.procs ] && mkdir -p $CG/tsrjob; then
	$JS --ipc-events none --job-by cgroup --long-running-s 2 --stats 1 >$LOG 2>&1 &
	PID=$!
	if wait_state enabled $ATTACH_S; then
		hogs=""
		for i in 1 2; do
			# joins the cgroup first, so the hog it forks is born there
			sh -c "echo \$\$ >$CG/tsrjob/cgroup.procs && exec setsid tsr-hogs -- 6 0" \
				>/dev/null 2>&1 &
			hogs="$hogs $!"
		done
		sleep 5
		grep "cgroup tsrjob" $LOG | tail -n 2 | sed 's/^/# /'
		check "jobs by cgroup: the cgroup announced once as a long-running job" \
			[ "$(grep -c 'long-running: cgroup tsrjob (id [0-9]*)' $LOG)" -eq 1 ]
		workers=$(grep "^    cgroup tsrjob " $LOG | tail -n 1 | awk '{ print $4 }')
		check "jobs by cgroup: both process groups are its workers (${workers:-none}, 4 expected)" \
			[ "$workers" = 4 ]
		wait $hogs
		stop_js "jobs by cgroup"
	else
		attach_failed "jobs by cgroup"
	fi
	rmdir $CG/tsrjob
else
	fail "jobs by cgroup" "no cgroup2 hierarchy in the guest"
fi
