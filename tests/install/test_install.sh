#!/usr/bin/env bash
# meson install lays out every scheduler, its manual page (generated from
# its option table) and the systemd unit template; the pages render without
# warnings and name every option --help has; the unit passes systemd's own
# check for each scheduler. Usage: test_install.sh BUILD_DIR
set -uo pipefail
BUILD=$1
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

dest=$(mktemp -d /tmp/tsr-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
if ! out=$(meson install -C "$BUILD" --destdir "$dest" 2>&1); then
	bad "meson install --destdir: $(tail -n 3 <<<"$out")"
	check_summary
	exit 0
fi
prefix=$(meson introspect "$BUILD" --buildoptions | python3 -c \
	'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
root=$dest$prefix
unit=$root/lib/systemd/system/tessera@.service
check "the unit template is installed (lib/systemd/system/tessera@.service)" [ -f "$unit" ]

scheds=$(cd "$BUILD/schedulers" && ls scx_* 2>/dev/null | grep -v '\.' | grep -v '^scx_test_')
[ -n "$scheds" ] || bad "no scheduler built in $BUILD/schedulers"
for s in $scheds; do
	check "$s: installed in bin" [ -x "$root/bin/$s" ]
	page=$root/share/man/man8/$s.8
	check "$s: its manual page is installed (share/man/man8/$s.8)" [ -f "$page" ]
	[ -f "$page" ] || continue
	warn=$(MANWIDTH=100 man -l --warnings=all "$page" 2>&1 >/dev/null)
	check "$s: the page renders without warnings${warn:+ ($warn)}" [ -z "$warn" ]
	text=$(MANWIDTH=200 man -l "$page" 2>/dev/null)
	missing=""
	for o in $("$root/bin/$s" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
		grep -qF -- "$o" <<<"$text" || missing="$missing $o"
	done
	check "$s: the page names every option --help has${missing:+ (missing:$missing)}" [ -z "$missing" ]
	check "$s: the page gives the exit status and the exit kinds" \
		grep -qE 'EXIT STATUS' <<<"$text"
	# systemd's own check of the instance, with the binary where it was installed
	if [ -f "$unit" ]; then
		inst=$dest/tessera@$s.service
		sed "s#^ExecStart=$prefix/bin/#ExecStart=$root/bin/#" "$unit" >"$inst"
		out=$(MANPATH=$root/share/man systemd-analyze verify "$inst" 2>&1)
		check "$s: systemd-analyze verify tessera@$s.service${out:+ ($out)}" [ -z "$out" ]
	fi
done
check "the unit runs the instance's binary with TESSERA_ARGS from /etc/default" \
	grep -q "^ExecStart=$prefix/bin/%i \$TESSERA_ARGS" "$unit"
check "the unit does not hold up boot (nothing requires it; WantedBy multi-user)" \
	sh -c "! grep -qE '^(RequiredBy|Before)=' '$unit' && grep -q '^WantedBy=multi-user.target' '$unit'"
check "a bad option (exit 2) is not restarted" grep -q '^RestartPreventExitStatus=2' "$unit"
check_summary
