#!/usr/bin/env bash
# './tessera new-module' gives a module that builds into a scheduler and
# whose tests the build finds and passes, with no edit outside its folder.
# Usage: test_new_module.sh TOP CACHE_DIR. Ends with "N passed, N failed".
# With TSR_BPF_IN_GUEST=1 (the host kernel refuses BPF arenas) its BPF test
# runs in the QEMU guest.
set -u
TOP=$1 CACHE=$2
name=tsrnewmod
build=$(mktemp -d /tmp/tsr-newmod.XXXXXX)
trap 'rm -rf "$TOP/modules/$name" "$build"' EXIT
passed=0 failed=0
check() { # NAME CMD...
	local n=$1
	shift
	if "$@" >"$build/out" 2>&1; then
		passed=$((passed + 1))
		echo "ok - $n"
	else
		failed=$((failed + 1))
		echo "not ok - $n: $(tail -n 5 "$build/out")"
	fi
}
rm -rf "$TOP/modules/$name"
git -C "$TOP" status --porcelain >"$build/before"
check "new-module lays out the folder" "$TOP/tessera" new-module $name
check "it configures as a composition" meson setup "$build/b" "$TOP" -Dcache_dir="$CACHE" \
	-Dschedulers=scx_basic -Dcustom_name=scx_$name -Dcustom_modules=$name,vtime
check "it builds" ninja -C "$build/b"
# in_guest BIN: run BIN in the guest, passing when it prints criterion's all-passed synthesis
in_guest() {
	echo "/tsr/t -j1; echo TSR-RC \$?" >"$build/guest.sh"
	"$TOP/ci/vm-run" --quiet --log "$build/guest.log" --cpus 2 --accel single --timeout 300 \
		--add "$1:/tsr/t" --script "$build/guest.sh" >/dev/null 2>&1
	grep -a 'Synthesis' "$build/guest.log"
	grep -aq 'TSR-RC 0' "$build/guest.log"
}
if [ "${TSR_BPF_IN_GUEST:-0}" = 1 ]; then
	check "its test was found and passes (in the guest)" in_guest "$build/b/tests/modules/test_${name}_bpf"
else
	check "its test was found and passes" "$build/b/tests/modules/test_${name}_bpf"
fi
check "its option is offered" sh -c "'$build/b/schedulers/scx_$name' --help | grep -q -- '--$name-slice-pct PCT'"
check "its option is range-checked" sh -c "'$build/b/schedulers/scx_$name' --$name-slice-pct 5 2>&1 |
	grep -q \"'5' is out of range (accepted: 10..1000)\""
git -C "$TOP" status --porcelain >"$build/after"
check "nothing outside its folder changed" sh -c "diff '$build/before' '$build/after' | grep '^>' | grep -v 'modules/$name/\$' | (! grep .)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
