#!/usr/bin/env bash
# The scheduler benchmark end to end, short: bench/run boots the guest,
# shows progress a workload, measures busy CPUs, run-queue delay and
# migrations beside each, takes a peer scheduler built elsewhere (a copy of
# scx_basic under another name: its costs come from bpftool), and writes
# the report folder (summary.md, one SVG plot a metric and of the BPF
# callback costs, every repetition in samples.csv, costs.csv, and the
# costs under a light load alone in costs-quiet.csv); then
# report.py alone on logs written here:
# lost samples, a scheduler that did not attach, the parallel build's
# plot, and no gnuplot. Usage: test_report.sh TOP BUILD_DIR
set -uo pipefail
TOP=$1 BUILD=$2
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
tmp=$(mktemp -d /tmp/tsr-bench-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rep=$tmp/report

# an SVG that an XML parser reads, with a drawn path in it
svg_ok() { python3 -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
sys.exit(0 if r.tag.endswith("svg") and any(e.tag.endswith("path") for e in r.iter()) else 1)' "$1"; }
# lines of CSV $1 whose first fields are $2
csv_rows() { grep -c "^$2," "$1"; }

mkdir "$tmp/peers"
cp "$BUILD/schedulers/scx_basic" "$tmp/peers/scx_peer"
TESSERA_BUILD=$BUILD "$TOP/bench/run" --reps 2 --no-build --loops 3 --stress-secs 1 \
	--latency-secs 1 --schedulers scx_basic --peers "$tmp/peers" --accel single --cpus 2 \
	--smt 1:2:1 --report "$rep" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "bench/run exits 0 ($(tail -n 1 "$tmp/err"))" [ "$rc" -eq 0 ]
sed 's/^/# /' "$tmp/err"
check "progress names the scheduler, the repetition and the workload" \
	grep -Eq '^bench: \[6/6\] scx_peer, repetition 2/2: [a-z]+; ' "$tmp/err"
check "progress estimates what is left once a run has finished" \
	grep -Eq '^bench: \[[2-6]/6\] .*so far, ~[0-9]+m[0-9]{2}s left$' "$tmp/err"
check "and never a negative one" sh -c "! grep -q 'm-[0-9]' '$tmp/err'"
check "the table has each workload's ratio to the default" \
	grep -Eq '^hackbench_s +scx_basic +2 .*[0-9]x$' "$tmp/out"
for f in summary.md samples.csv costs.csv costs.svg; do
	check "the report folder has $f" [ -s "$rep/$f" ]
done
for m in hackbench_s messaging_s pipe_us_op stressng_bogo_ops_s wakeup_p99_us wakeup_max_us \
	reqlat_request_p99_us reqlat_wakeup_p99_us reqlat_migrations \
	hackbench_busy_cpus hackbench_rq_delay_ms hackbench_migrations wakeup_busy_cpus; do
	check "$m.svg is an SVG drawing" svg_ok "$rep/$m.svg"
	check "samples.csv has both repetitions of $m for every scheduler" \
		test "$(csv_rows "$rep/samples.csv" "$m,default")" -eq 2 -a \
		"$(csv_rows "$rep/samples.csv" "$m,scx_basic")" -eq 2 -a \
		"$(csv_rows "$rep/samples.csv" "$m,scx_peer")" -eq 2
	check "summary.md has $m's row for scx_basic" \
		grep -q "^| $m (.*) | scx_basic | 2 |.*x |$" "$rep/summary.md"
	check "summary.md shows $m's plot" grep -qF "]($m.svg)" "$rep/summary.md"
done
for k in wake pick moved steal; do
	check "samples.csv has scx_basic's hackbench migrations by kind ($k) in both repetitions" \
		test "$(csv_rows "$rep/samples.csv" "hackbench_migrated_by_$k,scx_basic")" -eq 2
done
check "hackbench's tasks under scx_basic migrated by some kind" \
	awk -F, '$1 ~ /^hackbench_migrated_by_/ && $2 == "scx_basic" { s += $4 } END { exit !(s > 0) }' \
	"$rep/samples.csv"
check "only tessera schedulers count by kind (not the default, not the peer)" \
	sh -c "! grep -Eq '^[a-z]+_migrated_by_[a-z]+,(default|scx_peer),' '$rep/samples.csv'"
check "costs.svg is an SVG drawing" svg_ok "$rep/costs.svg"
check "costs.csv has scx_basic's enqueue with its runs" \
	grep -Eq '^scx_basic,enqueue,[1-9][0-9]*,[0-9.]+,[0-9]+$' "$rep/costs.csv"
check "and the peer's, from the kernel's run-time statistics" \
	grep -Eq '^scx_peer,enqueue,[1-9][0-9]*,[1-9][0-9.]*,[1-9][0-9]*$' "$rep/costs.csv"
check "costs-quiet.csv has scx_basic's enqueue and select_cpu from the light load alone" \
	sh -c "grep -Eq '^scx_basic,enqueue,[1-9][0-9]*,[1-9][0-9.]*,[0-9]+$' '$rep/costs-quiet.csv' &&
		grep -Eq '^scx_basic,select_cpu,[1-9][0-9]*,[1-9][0-9.]*,[0-9]+$' '$rep/costs-quiet.csv'"
check "and the peer's" \
	grep -Eq '^scx_peer,enqueue,[1-9][0-9]*,[1-9][0-9.]*,[1-9][0-9]*$' "$rep/costs-quiet.csv"
check "summary.md has the light-load table with ratios to scx_basic" \
	grep -Eq '^\| scx_peer \| enqueue \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9.]+x \|$' "$rep/summary.md"
check "busy CPUs are within the guest's 2" \
	awk -F, '$1 ~ /_busy_cpus$/ && ($4 < 0 || $4 > 2.05) { bad = 1 } END { exit bad }' \
	"$rep/samples.csv"
check "summary.md says icount timings do not show parallel speed-ups" \
	grep -q 'do not show parallel speed-ups' "$rep/summary.md"

# report.py alone: a lost sample, a scheduler that never attached, a build
cat >"$tmp/log" <<'LOG'
BENCH-STEP default 1
BENCH default 1 build_s 50.0
BENCH default 1 build_migrations 600
BENCH-STEP scx_a 1
BENCH scx_a 1 build_s 40.0
BENCH scx_a 1 build_migrations 300
BENCH-STEP default 2
BENCH default 2 build_s 52.0
BENCH default 2 build_migrations 620
BENCH-STEP scx_a 2
BENCH scx_a 2 build_s nan
BENCH scx_a 2 build_migrations 310
BENCH-ERROR scx_b did not attach: no sched_ext
BENCH-ERROR scx_b did not attach: no sched_ext
BENCH-DONE
LOG
python3 "$TOP/bench/report.py" "$tmp/log" 2 --report "$tmp/r2" >"$tmp/out2" 2>&1
rc=$?
check "a scheduler that did not attach makes report.py exit 1" [ "$rc" -eq 1 ]
check "the lost sample is left out and the row marked" \
	grep -Eq '^build_s +scx_a +1 +40\.000 .* 0\.784x \*$' "$tmp/out2"
check "the scheduler that did not attach is named with its count" \
	grep -q 'ATTACH FAILED: scx_b did not attach in 2 repetition' "$tmp/out2"
check "the build's wall time and migrations are plotted side by side" svg_ok "$tmp/r2/build.svg"
check "the problems are in summary.md" grep -q 'ATTACH FAILED: scx_b' "$tmp/r2/summary.md"
check "samples.csv keeps each repetition, the lost one left out" \
	test "$(csv_rows "$tmp/r2/samples.csv" "build_s,scx_a")" -eq 1 -a \
	"$(csv_rows "$tmp/r2/samples.csv" "build_migrations,scx_a")" -eq 2

# without gnuplot: one line naming the package, exit 1, no traceback
mkdir -p "$tmp/bin"
ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$tmp/bin/python3"
PATH=$tmp/bin "$tmp/bin/python3" "$TOP/bench/report.py" "$tmp/log" 2 --report "$tmp/r3" \
	>/dev/null 2>"$tmp/err3"
rc=$?
check "without gnuplot report.py exits 1" [ "$rc" -eq 1 ]
check "and says which package to install, in one line" \
	sh -c "[ \$(wc -l <'$tmp/err3') -eq 1 ] && grep -q 'gnuplot-nox' '$tmp/err3'"
check_summary
