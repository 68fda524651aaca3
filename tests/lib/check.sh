# The host test scripts' counting: "ok - ..." / "not ok - ..." a check, and
# the "N passed, N failed" line ./tessera test reads (check_summary).
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
check_summary() { echo "$passed passed, $failed failed"; }
