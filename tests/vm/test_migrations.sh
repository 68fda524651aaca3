# Guest test: the framework counts a migration whenever a task's run ends
# on another CPU than its run before (stats "migrated=N/s"). A hog that
# moves itself between CPUs 1 and 2 every 50 ms for 3 s (60 moves, no
# process started for them: tsr-hogs -a) raises the count by 40 to 120
# over the same hog setting its CPU to 1 just as often. Sourced by
# guest-main.sh (scx_basic).
LOG=/tmp/$SCHED-migrations.log
echo "# migrations counted under $SCHED"

# moved_hog CPU: a 3 s hog setting its CPU to 1 and to CPU by turns every
# 50 ms; prints the migrations the scheduler counted (rate x run time)
moved_hog() {
	start_sched "migrations" $LOG --stats 100 || return 1
	_t0=$(now)
	tsr-hogs -w 0 -a 1,$1:50 -- 3 0 >/dev/null 2>&1
	kill -INT $PID
	wait $PID
	awk -v e="$(elapsed "$_t0")" '{ for (i = 1; i <= NF; i++) if ($i ~ /^migrated=/) {
		sub(/^migrated=/, "", $i); sub(/\/s$/, "", $i); r = $i } }
		END { printf "%.0f", r * e }' $LOG
}

still=$(moved_hog 1)
moved=$(moved_hog 2)
echo "# migrations counted: hog kept on CPU 1 $still, moved 60 times $moved"
check "migrations: the stats line counts them (migrated=)" grep -q " migrated=[0-9.]*/s " $LOG
check "migrations: 60 moves count 40 to 120 more ($moved vs $still)" \
	awk -v m="${moved:-0}" -v s="${still:-0}" 'BEGIN { exit !(m >= s + 40 && m <= s + 120) }'
