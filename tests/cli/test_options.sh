#!/usr/bin/env bash
# Option validation of every built scheduler binary, on the host (options are
# checked before anything touches the kernel): each bad value is refused in
# one line naming the value and the accepted range, with exit code 2.
# Usage: test_options.sh BUILD_DIR. Ends with "N passed, N failed".
set -u
BUILD=$1
passed=0 failed=0

# expect_bad SCHED EXPECTED_TEXT ARGS...
expect_bad() {
	local sched=$1 want=$2 out rc lines
	shift 2
	out=$("$BUILD/schedulers/$sched" "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$out" | wc -l)
	if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$want" <<<"$out"; then
		passed=$((passed + 1))
		echo "ok - $sched $*: $out"
	else
		failed=$((failed + 1))
		echo "not ok - $sched $*: rc=$rc lines=$lines: $out (wanted '$want')"
	fi
}

# expect_fail SCHED EXPECTED_TEXT ARGS...: refused at run time (exit 1) in one line
expect_fail() {
	local sched=$1 want=$2 out rc lines
	shift 2
	out=$(timeout 20 "$BUILD/schedulers/$sched" "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$out" | wc -l)
	if [ $rc -eq 1 ] && [ "$lines" -eq 1 ] && grep -qF -- "$want" <<<"$out"; then
		passed=$((passed + 1))
		echo "ok - $sched $*: $out"
	else
		failed=$((failed + 1))
		echo "not ok - $sched $*: rc=$rc lines=$lines: $out (wanted '$want')"
	fi
}

expect_ok() {
	local sched=$1 out rc
	shift
	out=$("$BUILD/schedulers/$sched" "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $sched $* exits 0"
	else
		failed=$((failed + 1))
		echo "not ok - $sched $*: rc=$rc: $out"
	fi
}

for bin in "$BUILD"/schedulers/scx_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	s=$(basename "$bin")
	expect_ok "$s" --help
	expect_ok "$s" --version
	expect_bad "$s" "'-1' is out of range (accepted: 0 or 0.01..3600)" --stats -1
	expect_bad "$s" "'1e-300' is out of range (accepted: 0 or 0.01..3600)" --stats 1e-300
	expect_bad "$s" "'0.001' is out of range" --stats 0.001
	expect_bad "$s" "option '--help' takes no value" --help=x
	expect_bad "$s" "option '--version' takes no value" --version=1
	expect_bad "$s" "option '--partial' takes no value" --partial=yes
	expect_bad "$s" "' 512' is not a whole number" --max-tasks " 512"
	expect_bad "$s" "'\t512' is not a whole number" --max-tasks "$(printf '\t512')"
	expect_bad "$s" "'+512' is not a whole number" --max-tasks +512
	expect_bad "$s" "'0x1p3' is not a number" --duration 0x1p3
	expect_bad "$s" "'inf' is not a number" --duration inf
	expect_bad "$s" "'512\nx' is not a whole number" --max-tasks "$(printf '512\nx')"
	expect_bad "$s" "'100' is out of range (accepted: 10000..30000)" --watchdog-ms 100
	expect_bad "$s" "'9999' is out of range" --watchdog-ms 9999
	expect_bad "$s" "--stats-format: 'xml' is not a format (accepted: text, json)" \
		--stats-format xml
	# past the 255th argument: every argument is still checked
	many=()
	for i in $(seq 300); do many+=(--partial); done
	expect_bad "$s" "--max-tasks: 'x' is not a whole number" "${many[@]}" --max-tasks x
	expect_bad "$s" "unknown option '--no-such-option'" --no-such-option
	expect_bad "$s" "needs a value" --duration
	expect_bad "$s" "'x' is not a whole number (accepted: 256.." --max-tasks x
	# the records may take half the 1 GiB arena: the bound follows the record's size
	most=$("$bin" --help | sed -n 's/.*--max-tasks N .*256\.\.\([0-9]*\)\]$/\1/p')
	if [ -n "$most" ] && [ "$most" -le 4194304 ]; then
		expect_bad "$s" "'$((most + 1))' is out of range (accepted: 256..$most)" \
			--max-tasks $((most + 1))
	else
		failed=$((failed + 1))
		echo "not ok - $s: --help gives no --max-tasks bound ('$most')"
	fi
	# the framework's --cache-level, whose letter a composition may take (scx_cxl: -L)
	cl=-c
	"$BUILD/schedulers/$s" --help | grep -q -- '-L, --cache-level' && cl=-L
	expect_bad "$s" "'5' is out of range (accepted: 0..4)" $cl 5
	expect_bad "$s" "unexpected argument 'stray'" stray
	# the framework's --monitor, which a composition may rename (scx_cxl: --watch)
	mon=--monitor
	"$BUILD/schedulers/$s" --help | grep -q -- '--watch SECS' && mon=--watch
	expect_bad "$s" "$mon: '0.01' is out of range (accepted: 0 or 0.1..3600)" $mon 0.01
	# asking a scheduler when none runs: one line, no BPF loaded
	sock=$(mktemp -u /tmp/tsr-cli-XXXXXX.sock)
	expect_fail "$s" "no tessera scheduler is running (nothing serves $sock)" \
		--control "$sock" --ctl help
	expect_fail "$s" "no tessera scheduler is running (nothing serves $sock)" \
		--control "$sock" $mon 1
done

# a composition's own letters, renames and hidden options (tests/schedulers/scx_test_faults.conf)
if [ -x "$BUILD/schedulers/scx_test_faults" ]; then
	f=scx_test_faults
	expect_bad $f "--watchdog-ms: '100' is out of range (accepted: 10000..30000)" -T 100
	expect_bad $f "unknown option '--topology'" --topology
	expect_bad $f "unknown option '--sysfs-root'" --sysfs-root /tmp
	expect_bad $f "--sys-dir: the value must not be empty" --sys-dir=
fi

if [ -x "$BUILD/schedulers/scx_wd40" ]; then
	w=scx_wd40
	expect_bad $w "--slice-us-underutil: '50' is out of range (accepted: 100..1000000)" -u 50
	expect_bad $w "--slice-us-overutil: '0' is out of range" -o 0
	expect_bad $w "--interval: '0' is out of range (accepted: 0.1..60)" -i 0
	expect_bad $w "--interval: 'fast' is not a number" --interval fast
	expect_bad $w "--tune-interval: '11' is out of range (accepted: 0.01..10)" -I 11
	expect_bad $w "--load-half-life: '-2' is out of range" -l -2
	expect_bad $w "--greedy-threshold: '-1' is not a whole number" -g -1
	expect_bad $w "--greedy-threshold-x-numa: '99999' is out of range (accepted: 0..10000)" \
		--greedy-threshold-x-numa 99999
	expect_bad $w "--direct-greedy-under: '101' is out of range (accepted: 0..100)" -D 101
	expect_bad $w "--kick-greedy-under: 'lots' is not a number" -K lots
	expect_bad $w "unknown option '-z'" -z
fi
if [ -x "$BUILD/schedulers/scx_cxl" ]; then
	x=scx_cxl
	expect_bad $x "--read-bw: '0' is out of range (accepted: 1..1000000)" -r 0
	expect_bad $x "--write-bw: '1000001' is out of range (accepted: 1..1000000)" -w 1000001
	expect_bad $x "--monitor: '0.01' is out of range (accepted: 0.1..3600)" -m 0.01
	expect_bad $x "--slice-us: '50' is out of range (accepted: 100..1000000)" -s 50
	expect_bad $x "--nr-cpus: 'all' is not a whole number" -n all
	expect_bad $x "--intensive-mbps: '0' is out of range" --intensive-mbps 0
	expect_bad $x "--vectordb-names: 'python,,faiss' has an empty name" \
		--vectordb-names python,,faiss
	expect_bad $x "--bwtest-names: 'a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q' has more than 16 names" \
		--bwtest-names a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q
	expect_bad $x "--watch: '0.01' is out of range" --watch 0.01
	expect_bad $x "--burst-ms: '5' is out of range (accepted: 10..3000)" --burst-ms 5
	expect_bad $x "--pmu-events: 'software:bogus' has no software event 'bogus'" \
		--pmu-events software:bogus
	expect_bad $x "--bw-source: 'mbm' is not a source (accepted: auto, pmu, resctrl, damon, feed)" \
		--bw-source mbm
	expect_bad $x "'cycles' is not KIND:EVENT" --pmu-events cycles
	expect_bad $x "has more than two events" \
		--pmu-events software:cpu-clock,software:cpu-clock,software:task-clock
	expect_bad $x "'raw:1,nopmu:x' 'nopmu:x' names no PMU 'nopmu'" --pmu-events raw:1,nopmu:x
	expect_bad $x "--pmu-bytes: '0' is out of range (accepted: 1..4096)" --pmu-bytes 0
	expect_bad $x "option '--disable-cxl' takes no value" --disable-cxl=1
	expect_bad $x "option '--tier-migrate' takes no value" --tier-migrate=yes
fi
# Refusals at start, provoked with a sysfs root of our own (the CPUs are the
# machine's): no sched_ext, another scheduler attached, and, on a kernel
# without sched_ext, its types missing from the kernel's BTF at load.
if [ -x "$BUILD/schedulers/scx_basic" ]; then
	fake=$(mktemp -d /tmp/tsr-sysfs.XXXXXX)
	ln -s /sys/devices "$fake/devices"
	expect_fail scx_basic "this kernel has no sched_ext ($fake/kernel/sched_ext is missing; it needs CONFIG_SCHED_CLASS_EXT): run it in the guest with './tessera run'" \
		--sysfs-root "$fake"
	mkdir -p "$fake/kernel/sched_ext/root"
	echo enabled >"$fake/kernel/sched_ext/state"
	echo scx_other >"$fake/kernel/sched_ext/root/ops"
	expect_fail scx_basic "another sched_ext scheduler is enabled (scx_other): stop it first" \
		--sysfs-root "$fake"
	echo disabled >"$fake/kernel/sched_ext/state"
	if [ ! -e /sys/kernel/sched_ext ] && [ "$(id -u)" = 0 ]; then
		expect_fail scx_basic "this kernel's BTF has no sched_ext: run it in the guest with './tessera run'); the verifier's log (" \
			--sysfs-root "$fake"
		vlog=$(ls -t /tmp/tessera-verifier-* 2>/dev/null | head -n 1)
		if [ -n "$vlog" ] && grep -q "sched_ext_ops is not found in kernel BTF" "$vlog"; then
			passed=$((passed + 1))
			echo "ok - the file named holds libbpf's reason ($vlog)"
		else
			failed=$((failed + 1))
			echo "not ok - no verifier log file with libbpf's reason (${vlog:-none})"
		fi
		rm -f "$vlog"
	fi
	rm -rf "$fake"
fi
# the benchmark's request load takes its options the same way
if [ -x "$BUILD/bench/tsr-reqlat" ]; then
	expect_bad ../bench/tsr-reqlat "-t: '0' is out of range (1..256)" -t 0
	expect_bad ../bench/tsr-reqlat "-m: '65' is out of range (1..64)" -m 65
	expect_bad ../bench/tsr-reqlat "-c: '1ms' is out of range (1..1000000)" -c 1ms
	expect_bad ../bench/tsr-reqlat "-s: '-1' is out of range (0..1000000)" -s -1
	expect_bad ../bench/tsr-reqlat "unexpected argument 'x'" x
	expect_bad ../bench/tsr-reqlat "unknown option or missing value: '-q'" -q
	expect_bad ../bench/tsr-reqlat "unknown option or missing value: '-r'" -r
fi
if [ "$passed" -eq 0 ]; then
	echo "not ok - no scheduler binary in $BUILD/schedulers"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
