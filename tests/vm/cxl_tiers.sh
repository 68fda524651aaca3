# Shared by the scx_cxl guest tests (sourced, with a scheduler started with
# --tier-migrate and LOG its log): tier placement through DAMOS.
#
# node_kb PID NODE: KB of PID's memory on NODE (/proc/PID/numa_maps, 4 KB pages)
node_kb() {
	awk -v n="N$2=" '{ for (i = 1; i <= NF; i++) if (index($i, n) == 1) s += substr($i, length(n) + 1) } END { print s * 4 }' /proc/$1/numa_maps 2>/dev/null
}

# wait_kb PID NODE CMP KB SECS: wait up to SECS until PID's KB on NODE is
# -ge / -lt (CMP) KB; NODE_KB is what it had at the end, NODE_S the seconds
wait_kb() {
	_t1=$(now)
	while :; do
		NODE_KB=$(node_kb $1 $2)
		NODE_KB=${NODE_KB:-0}
		NODE_S=$(elapsed "$_t1")
		[ ! "$NODE_KB" "$3" "$4" ] || return 0
		before "$_t1" "$5" || return 1
		sleep 1
	done
}

# migrations_counted: the last stats line in LOG counts DAMOS migrations
migrations_counted() {
	grep -o 'cxl_migrations=[0-9]*' $LOG | tail -n 1 | grep -q '=[1-9]'
}

# tier_checks FAR MB ROUND_TRIP: a watched task (named like a VectorDB
# worker) writes MB once and leaves them: DAMOS migrate_cold moves them to
# far node FAR; with ROUND_TRIP=1 it writes them again and again from 50 s
# on and migrate_hot brings them back off the far node, to the node it
# runs on. Counted in the stats. DAMON's regions take a while to isolate
# the untouched ones: 8-31 s from the kdamond's start were seen under
# emulation (with the set of watched tasks steady).
tier_checks() {
	_far=$1 _mb=$2 _half=$(($2 * 512))
	tsr-hogs -m "$_mb:50" -w 0 -- 80 "0:faiss_mem" >/dev/null 2>&1 &
	_th=$!
	_tm=$(now)
	sleep 1
	_mp=$(pids_named faiss_mem)
	wait_kb $_mp $_far -ge $_half 48
	check "cxl: memory left untouched for seconds moved to far node $_far ($NODE_KB KB of $_mb MB after $NODE_S s)" \
		[ "$NODE_KB" -ge $_half ]
	# the counters reach the log a memtier round and a stats line after the
	# move (up to ~2 s): wait for them rather than read the log once
	_tw=$(now)
	while ! migrations_counted && before "$_tw" 6; do
		sleep 0.5
	done
	grep -o 'cxl_migrations=[0-9]* migrated_mb=[0-9.]*' $LOG | tail -n 1 | sed 's/^/# /'
	check "cxl: and the stats count the migrations (within $(elapsed "$_tw") s of the move)" \
		migrations_counted
	if [ "$3" = 1 ]; then
		# just before it starts writing again (the hog's 30 s count from
		# its start, a little before _tm)
		while before "$_tm" 48.5; do sleep 0.5; done
		_before=$(node_kb $_mp $_far)
		wait_kb $_mp $_far -lt $_half 30
		check "cxl: written again, it came back off far node $_far ($_before KB there before, $NODE_KB KB $NODE_S s after)" \
			sh -c "[ ${_before:-0} -ge $_half ] && [ $NODE_KB -lt $_half ]"
	fi
	kill $_th
	wait $_th
}
