#!/usr/bin/env bash
# Build the kernel's example sched_ext schedulers (scx_simple, scx_central,
# scx_sdt) as peers for `bench/run --peers DIR`: from Debian's
# linux-source package of the guest kernel's version, with that kernel's
# vmlinux.h. Their code is the kernel's; it is built here, never kept in
# the repository.
# Usage: build-peers.sh [DIR]   (default: build/peers)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${TESSERA_CACHE:-/var/cache/tessera}
out=$(realpath -m "${1:-$TOP/build/peers}")
# not scx_qmap: clang-19's code for its arena lists fails the verifier
# (qmap_dequeue: "R7 invalid mem access 'scalar'", no address-space cast)
peers="scx_simple scx_central scx_sdt"

die() { echo "build-peers: $*" >&2; exit 1; }

[ -f "$CACHE/kernel/release" ] && [ -f "$CACHE/vmlinux.h" ] ||
	die "no guest kernel in $CACHE (run ci/bootstrap.sh first)"
command -v clang-19 >/dev/null || die "clang-19 is missing (run ci/bootstrap.sh first)"
release=$(cat "$CACHE/kernel/release")
series=$(echo "$release" | cut -d. -f1,2)
pkg=linux-source-$series
src=$CACHE/peers/$pkg

if [ ! -f "$src/tools/sched_ext/Makefile" ]; then
	dl=$CACHE/peers/dl
	rm -rf "$dl" "$src" && mkdir -p "$dl" && chmod 777 "$dl"
	echo "build-peers: downloading $pkg (the guest kernel is $release)" >&2
	(cd "$dl" && apt-get download -qq "$pkg" >/dev/null) ||
		die "apt-get download $pkg failed (is the sid list present? ci/bootstrap.sh adds it)"
	echo "build-peers: unpacking tools/ and headers" >&2
	dpkg-deb --fsys-tarfile "$dl"/"$pkg"_*.deb | tar -xO "./usr/src/$pkg.tar.xz" |
		tar -xJ -C "$CACHE/peers" --wildcards "$pkg/tools/*" "$pkg/scripts/*" \
			"$pkg/include/*" "$pkg/arch/x86/include/*" "$pkg/Makefile" ||
		die "unpacking $pkg failed"
	rm -rf "$dl"
fi

work=$CACHE/peers/obj-$series
mkdir -p "$work" "$out"
echo "build-peers: building $peers" >&2
# shellcheck disable=SC2086
make -s -C "$src/tools/sched_ext" -j"$(nproc)" O="$work" LLVM=-19 \
	VMLINUX_BTF="$CACHE/kernel/vmlinux" VMLINUX_H="$CACHE/vmlinux.h" \
	BPFTOOL="$(command -v bpftool)" $peers >"$work/make.log" 2>&1 ||
	{ tail -n 20 "$work/make.log" >&2; die "make failed (log: $work/make.log)"; }
for p in $peers; do
	install -m 755 "$work/build/bin/$p" "$out/$p"
done
echo "build-peers: $peers in $out (kernel $series's tools/sched_ext)" >&2
echo "$out"
