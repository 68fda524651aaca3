#!/usr/bin/env bash
# Reproduce mlmig's built-in models: boot the guest (8 vCPUs, two NUMA
# nodes), run scx_ml without a model collecting candidates while a parallel
# build, CPU hogs let loose from one node and hackbench take turns, train
# on them with a fixed seed (train-models.sh: the balancer's model and the
# steal model, each a file and the C array the schedulers embed). Usage: modules/mlmig/train-default.sh
# [--rounds N] (default 6; about 2 minutes each under emulation).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${TESSERA_BUILD:-$TOP/build}
rounds=6
[ "${1:-}" != --rounds ] || rounds=$2
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "train-default: --rounds '$rounds' is not a positive whole number" >&2; exit 2; }
for f in schedulers/scx_ml tools/tessera-train tests/tsr-hogs; do
	[ -x "$BUILD/$f" ] || { echo "train-default: $BUILD/$f is not built (./tessera build)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/tsr-mlmig-train.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$TOP/bench/build-payload.sh" "$work/payload"
cat >"$work/guest.sh" <<'GUEST'
. /tsr/tests/lib.sh
scx_ml --ml-model none --ml-collect /tmp/c.csv --stats 10 >/tmp/ml.log 2>&1 &
PID=$!
wait_state enabled 120 || { echo "MLCSV-ERROR scx_ml did not attach: $(tail -3 /tmp/ml.log)"; exit 1; }
for r in $(seq $ROUNDS); do
	(cd /tsr/buildsrc/src && make clean >/dev/null 2>&1; make -j8 >/dev/null 2>&1)
	stress-ng --cpu 8 --timeout 22 --quiet &
	s=$!
	for k in 1 2; do
		sleep 1
		for p in $(pidof stress-ng); do taskset -p 0f $p >/dev/null; done
		sleep 3
		for p in $(pidof stress-ng); do taskset -p ff $p >/dev/null; done
		sleep 6
	done
	wait $s
	hackbench -g 4 -l 200 >/dev/null 2>&1
done
sleep 8 # the last moves' outcomes
kill -INT $PID
wait $PID
sed 's/^/MLCSV /' /tmp/c.csv
echo MLCSV-DONE
GUEST
echo "ROUNDS=$rounds sh /tsr/guest.sh" >"$work/run.sh"
echo "train-default: collecting in the guest, $rounds rounds" >&2
"$TOP/ci/vm-run" --quiet --log "$work/guest.log" --accel mt --cpus 8 --smt 2:2:2 --nodes 2 \
	--timeout $((rounds * 600 + 300)) \
	--add "$TOP/tests/vm:/tsr/tests" --add "$BUILD/schedulers/scx_ml:/tsr/bin/scx_ml" \
	--add "$work/payload/src:/tsr/buildsrc" --add-list "$work/payload/headers.list" \
	--add "$(command -v make):/usr/bin/make" --add "$(command -v gcc):/usr/bin/gcc" \
	--add "$(gcc -print-prog-name=cc1):$(gcc -print-prog-name=cc1)" \
	--add "$(command -v x86_64-linux-gnu-as):/usr/bin/as" \
	--add "$work/guest.sh:/tsr/guest.sh" --script "$work/run.sh"
grep -q MLCSV-DONE "$work/guest.log" || { echo "train-default: collection failed: $(grep MLCSV-ERROR "$work/guest.log" || tail -5 "$work/guest.log")" >&2; exit 1; }
sed -n 's/^MLCSV \(.*\)\r\{0,1\}$/\1/p' "$work/guest.log" | tr -d '\r' >"$work/candidates.csv"
echo "train-default: $(grep -c ',[01]$' "$work/candidates.csv") judged moves of $(($(wc -l <"$work/candidates.csv") - 1)) candidates"
# the judged moves are what training reads: kept, so the training step can be rerun exactly
{ head -n 1 "$work/candidates.csv"; grep ',[01]$' "$work/candidates.csv"; } \
	>"$TOP/modules/mlmig/default-model.csv"
"$TOP/modules/mlmig/train-models.sh" "$BUILD" "$TOP/modules/mlmig/default-model.csv"
