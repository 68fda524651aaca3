# Guest test (main suite, 2 cores x 2 threads): scx_smt pairs four profiled
# jobs as their profiles predict and keeps each pair on one physical core,
# so partners run side by side on sibling threads far more than when it only
# measures (--measure-only: the same pairing, no steering); a bad model file
# is refused and the pairing kept. Needs tsr-hogs.
LOG=/tmp/smt.log
D=/tmp/smt
echo "# scx_smt: pairing four jobs on $(nproc) CPUs"
rm -rf $D
mkdir -p $D/profiles $D/models $D/bin

# profile NAME USAGE: one sequential resource used USAGE of the time
profile() {
	cat >$D/profiles/$1.json <<JSON
{ "job_id": $3, "name": "$1", "single_ipc": 1.0, "l3_cache_ipc": 1.0,
  "resources": { "mem": { "sensitivity": $2, "intensity": $2, "usage": $2, "base_slowdown": 0.1 } } }
JSON
	cp /tsr/bin/tsr-hogs $D/bin/$1
}
# memA+fpA and memB+fpB contend on nothing (usage sums <= 1); any other
# pairing contends somewhere: the optimum is unique
profile memA 0.9 1
profile memB 0.8 2
profile fpA 0.1 3
profile fpB 0.2 4
cat >$D/models/prediction_model_20261127-000000.json <<JSON
{ "intercept": 0.0, "coefficients": [0.1, 1.0],
  "resources": [ { "name": "mem", "activation": "sequential" } ] }
JSON

# corun PGID: the co-run percentage of job PGID in the newest stats block
corun() {
	grep "^    pgid $1 .*co-run" $LOG | tail -n 1 | awk '{ sub("%", "", $4); print $4 }'
}

# run_jobs ARGS...: scx_smt with ARGS and the four jobs (one busy thread each)
run_jobs() {
	scx_smt --profiles $D/profiles --model-dir $D/models --long-running-s 1 --stats 1 "$@" \
		>$LOG 2>&1 &
	PID=$!
	wait_state enabled $ATTACH_S || { fail "smt: attach" "$(tail -5 $LOG)"; return 1; }
	# started from a script, each is its own process group leader: pgid = pid
	setsid $D/bin/memA -- 16 0 >/dev/null 2>&1 &
	a=$!
	setsid $D/bin/memB -- 16 0 >/dev/null 2>&1 &
	b=$!
	setsid $D/bin/fpA -- 16 0 >/dev/null 2>&1 &
	fa=$!
	setsid $D/bin/fpB -- 16 0 >/dev/null 2>&1 &
	fb=$!
	sleep 14
}

stop_jobs() {
	kill $a $b $fa $fb 2>/dev/null
	wait $a $b $fa $fb 2>/dev/null
	kill -INT $PID
	wait $PID
}

if run_jobs; then
	pairs=$(grep "share the cores" $LOG | tail -n 2)
	echo "$pairs" | sed 's/^/# /'
	check "smt: the predicted pairs (memA+fpA, memB+fpB)" sh -c \
		"echo '$pairs' | grep -Eq 'pgid ($a \+ pgid $fa|$fa \+ pgid $a) ' && echo '$pairs' | grep -Eq 'pgid ($b \+ pgid $fb|$fb \+ pgid $b) '"
	steered=""
	for g in $a $b $fa $fb; do steered="$steered $(corun $g)"; done
	echo "# co-run % steered (memA memB fpA fpB):$steered"
	# a bad newer model: refused in one line, pairs kept
	echo '{ "intercept": 0, "resources": 7 }' >$D/models/prediction_model_20261128-000000.json
	sleep 2
	check "smt: a bad model file is refused and named" \
		grep -q "model refused, keeping .*prediction_model_20261127-000000.json: .*20261128" $LOG
	check "smt: ... and the pairs stay" [ "$(grep -c 'share the cores' $LOG)" -eq 2 ]
	rm $D/models/prediction_model_20261128-000000.json
	stop_jobs
	check "smt: clean exit" [ $? -eq 0 ]
fi
if run_jobs --measure-only; then
	measured=""
	for g in $a $b $fa $fb; do measured="$measured $(corun $g)"; done
	echo "# co-run % measured only (memA memB fpA fpB):$measured"
	stop_jobs
	lo_s=$(echo $steered | tr ' ' '\n' | sort -n | head -n 1)
	hi_m=$(echo $measured | tr ' ' '\n' | sort -n | tail -n 1)
	check "smt: steered, every job co-runs with its partner at least 70 % of its time (least ${lo_s:-none} %)" \
		awk -v s="${lo_s:-0}" 'BEGIN { exit !(s >= 70) }'
	check "smt: ... against at most ${hi_m:-?} % when only measured" \
		awk -v s="${lo_s:-0}" -v m="${hi_m:-100}" 'BEGIN { exit !(s > m + 15) }'
fi
