# Guest test: the framework counts a migration whenever a task's run ends
# on another CPU than its run before (stats "migrated=N/s"). A hog that
# moves itself between CPUs 1 and 2 every 50 ms for 3 s (60 moves, no
# process started for them: tsr-hogs -a) raises the count by 40 to 120
# over the same hog setting its CPU to 1 just as often. Sourced by
# guest-main.sh (scx_basic).
LOG=/tmp/$SCHED-migrations.log
echo "# migrations counted under $SCHED"

# moved_hog CPU: a 3 s hog setting its CPU to 1 and to CPU by turns every
# 50 ms; prints the migrations the scheduler counted (rate x run time),
# those it counted as picks from the queue, and the kinds' rates summed
# less the total rate (each rate is rounded to 1/s: within 2.5)
moved_hog() {
	start_sched "migrations" $LOG --stats 100 || return 1
	_t0=$(now)
	tsr-hogs -w 0 -a 1,$1:50 -- 3 0 >/dev/null 2>&1
	kill -INT $PID
	wait $PID
	awk -v e="$(elapsed "$_t0")" '/ migrated=/ { line = $0 } END {
		n = split(line, f, /[ =(),\/]+/)
		for (i = 1; i < n; i++) {
			if (f[i] == "migrated") r = f[i + 1]
			if (f[i] == "pick") p = f[i + 1]
			if (f[i] == "wake" || f[i] == "pick" || f[i] == "moved" || f[i] == "steal") k += f[i + 1]
		}
		printf "%.0f %.0f %.1f", r * e, p * e, k - r }' $LOG
}

set -- $(moved_hog 1)
still=$1 still_pick=$2
set -- $(moved_hog 2)
moved=$1 moved_pick=$2 kinds_off=$3
echo "# migrations counted: hog kept on CPU 1 $still ($still_pick picks), moved 60 times $moved ($moved_pick picks)"
check "migrations: the stats line counts them, by kind (migrated=N/s (wake, pick, moved, steal, cross-node))" \
	grep -q " migrated=[0-9.]*/s (wake [0-9]* pick [0-9]* moved [0-9]* steal [0-9]*, cross-node [0-9]*) " $LOG
check "migrations: 60 moves count 40 to 120 more ($moved vs $still)" \
	awk -v m="${moved:-0}" -v s="${still:-0}" 'BEGIN { exit !(m >= s + 40 && m <= s + 120) }'
# a task whose CPU was set for it is queued again and taken there: a pick
check "migrations: ... as picks from the queue ($moved_pick vs $still_pick)" \
	awk -v m="${moved_pick:-0}" -v s="${still_pick:-0}" 'BEGIN { exit !(m >= s + 40) }'
check "migrations: the kinds add up to the count, rounding aside (the rates differ by ${kinds_off:-none}/s)" \
	awk -v d="${kinds_off:-99}" 'BEGIN { exit !(d >= -2.5 && d <= 2.5) }'
