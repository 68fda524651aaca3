#!/usr/bin/env bash
# Make a fresh Debian 12 machine able to build, test and run tessera.
#
# Idempotent: every step checks its result first and does nothing when it is
# already there. Needs root (or sudo) for the apt steps only.
#
# Results (all under $TESSERA_CACHE, default /var/cache/tessera):
#   libbpf/prefix/     libbpf >= 1.5, static, built from Debian's source package
#   kernel/vmlinuz     a sched_ext-enabled kernel from Debian unstable
#   kernel/config      its config
#   kernel/vmlinux     its uncompressed ELF image (BTF source)
#   vmlinux.h          BPF type header with struct sched_ext_ops
#   cxl/qemu/          QEMU >= 8 (emulated CXL Type 3 memory), unpacked from
#                      bookworm-backports beside the system's QEMU
#   cxl/modules/       the guest kernel's CXL and DAX drivers, in load order
set -euo pipefail

CACHE=${TESSERA_CACHE:-/var/cache/tessera}
APT_LIST_MAX_AGE_MIN=${APT_LIST_MAX_AGE_MIN:-1440}

step=""
fail() { echo "bootstrap: step '$step' failed: $*" >&2; exit 1; }
trap 'rc=$?; [ $rc -ne 0 ] && [ -n "$step" ] && echo "bootstrap: step \"$step\" failed (exit $rc)" >&2' EXIT
say() { [ -n "${QUIET:-}" ] || echo "bootstrap: $*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { step=root; fail "run as root (no sudo found)"; }
	SUDO=sudo
fi

HOST_PKGS=(clang-19 llvm-19 lld-19 libelf-dev zlib1g-dev libcriterion-dev libjansson-dev
	libncurses-dev pkg-config qemu-system-x86 busybox-static cpio zstd stress-ng rt-tests
	dpkg-dev make gcc binutils xz-utils linux-perf clang-format python3 file man-db systemd
	gnuplot-nox)
BACKPORT_PKGS=(bpftool meson)

write_if_changed() { # path content
	if [ ! -f "$1" ] || [ "$(cat "$1")" != "$2" ]; then
		printf '%s\n' "$2" | $SUDO tee "$1" >/dev/null
		APT_DIRTY=1
	fi
}

apt_sources() {
	step="apt sources"
	APT_DIRTY=0
	write_if_changed /etc/apt/sources.list.d/tessera-backports.sources "Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	# unstable only to download the sched_ext kernel and libbpf's source
	write_if_changed /etc/apt/sources.list.d/tessera-sid.sources "Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	write_if_changed /etc/apt/preferences.d/tessera-sid "Package: *
Pin: release n=sid
Pin-Priority: 1"
	local stamp=/var/lib/apt/lists/tessera.stamp
	if [ "$APT_DIRTY" = 1 ] || [ ! -f $stamp ] ||
		[ -n "$(find $stamp -mmin +"$APT_LIST_MAX_AGE_MIN" 2>/dev/null)" ]; then
		say "apt-get update"
		$SUDO apt-get update -qq || fail "apt-get update failed (no network to Debian's archive?)"
		$SUDO touch $stamp
	fi
}

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			echo "$p"
	done
}

apt_install() {
	step="packages"
	local need
	need=$(missing_pkgs "${HOST_PKGS[@]}")
	if [ -n "$need" ]; then
		say "installing:" $need
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need \
			>/dev/null || fail "apt-get install $need"
	fi
	step="backport packages"
	need=$(missing_pkgs "${BACKPORT_PKGS[@]}")
	local bpt_ver
	bpt_ver=$(bpftool version 2>/dev/null | sed -n 's/^bpftool v\([0-9]*\.[0-9]*\).*/\1/p' || true)
	if [ -n "$need" ] || [ "${bpt_ver%%.*}" != 7 ] || [ "${bpt_ver#*.}" -lt 5 ] 2>/dev/null; then
		say "installing from bookworm-backports:" "${BACKPORT_PKGS[@]}"
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
			-t bookworm-backports "${BACKPORT_PKGS[@]}" >/dev/null ||
			fail "apt-get install -t bookworm-backports ${BACKPORT_PKGS[*]}"
	fi
}

libbpf_build() {
	step="libbpf"
	local pfx=$CACHE/libbpf/prefix
	if [ -f "$pfx/lib64/libbpf.a" ] || [ -f "$pfx/lib/libbpf.a" ]; then
		return 0
	fi
	$SUDO mkdir -p "$CACHE" && $SUDO chown "$(id -u):$(id -g)" "$CACHE"
	local src=$CACHE/libbpf/src
	rm -rf "$src" && mkdir -p "$src"
	say "downloading libbpf source package from unstable"
	(cd "$src" && chmod 777 . && apt-get source -qq --download-only libbpf/sid >/dev/null) ||
		fail "apt-get source libbpf/sid (is the deb-src line for sid present?)"
	(cd "$src" && dpkg-source -x --no-check ./*.dsc tree >/dev/null) || fail "dpkg-source -x"
	local ver
	ver=$(sed -n 's/^#define LIBBPF_MINOR_VERSION \([0-9]*\)/\1/p' "$src/tree/src/libbpf_version.h")
	[ "${ver:-0}" -ge 5 ] || fail "libbpf source is 1.$ver; need >= 1.5"
	say "building libbpf 1.$ver"
	make -s -C "$src/tree/src" -j"$(nproc)" BUILD_STATIC_ONLY=1 OBJDIR="$src/obj" \
		PREFIX="$pfx" LIBDIR="$pfx/lib" install >/dev/null || fail "make libbpf"
	make -s -C "$src/tree/src" OBJDIR="$src/obj" PREFIX="$pfx" install_uapi_headers >/dev/null ||
		fail "make libbpf uapi headers"
}

kernel_fetch() {
	step="sched_ext kernel"
	local kdir=$CACHE/kernel
	if [ -f "$kdir/vmlinuz" ] && [ -f "$kdir/config" ] && [ -f "$kdir/vmlinux" ]; then
		return 0
	fi
	$SUDO mkdir -p "$CACHE" && $SUDO chown "$(id -u):$(id -g)" "$CACHE"
	local name
	name=$(apt-cache search --names-only '^linux-binary-[0-9].*-cloud-amd64$' | awk '{print $1}' |
		sort -V | tail -n 1)
	[ -n "$name" ] || fail "no linux-binary-*-cloud-amd64 package in the sid lists"
	local base=${name/linux-binary-/linux-base-}
	local dl=$kdir/dl
	rm -rf "$dl" && mkdir -p "$dl"
	say "downloading $name"
	(cd "$dl" && chmod 777 . && apt-get download -qq "$name" "$base" >/dev/null) || fail "apt-get download $name $base"
	mkdir -p "$dl/x"
	for d in "$dl"/*.deb; do dpkg-deb -x "$d" "$dl/x"; done
	local vz cfg
	vz=$(find "$dl/x" -name 'vmlinuz*' -type f | head -n 1)
	cfg=$(find "$dl/x" \( -name 'config-*' -o -name config \) -type f | head -n 1)
	[ -n "$vz" ] || fail "$name has no vmlinuz"
	[ -n "$cfg" ] || fail "$base has no config-*"
	grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$cfg" || fail "$name lacks CONFIG_SCHED_CLASS_EXT"
	cp "$vz" "$kdir/vmlinuz.tmp"
	cp "$cfg" "$kdir/config"
	echo "${name#linux-binary-}" >"$kdir/release"
	say "extracting vmlinux"
	local off
	off=$(python3 - "$kdir/vmlinuz.tmp" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
print(d.find(b'\x28\xb5\x2f\xfd'))
PY
)
	[ "$off" -ge 0 ] || fail "no zstd payload in $vz"
	tail -c +$((off + 1)) "$kdir/vmlinuz.tmp" | zstd -dcq --long=31 >"$kdir/vmlinux.tmp" 2>/dev/null || true
	file "$kdir/vmlinux.tmp" | grep -q ELF || fail "decompressed payload is not an ELF vmlinux"
	mv "$kdir/vmlinux.tmp" "$kdir/vmlinux"
	mv "$kdir/vmlinuz.tmp" "$kdir/vmlinuz"
	rm -rf "$dl"
}

# An emulated CXL memory expander for the scx_cxl guest tests (ci/vm-run
# --cxl-mem): bookworm's QEMU 7.2 has no volatile CXL memory, so QEMU 10
# from bookworm-backports is unpacked into the cache and used for those
# boots only (every other boot keeps the system's QEMU); the guest kernel
# has its CXL drivers as modules, taken from its modules package. Their
# load order follows each module's depends= line (checked here).
CXL_MODULES="nvdimm/libnvdimm cxl/cxl_pmem cxl/cxl_acpi cxl/cxl_mem cxl/cxl_pci dax/hmem/dax_hmem
	dax/dax_cxl dax/device_dax dax/kmem"

cxl_fetch() {
	step="CXL emulation"
	local dir=$CACHE/cxl rel kdir m f name dep loaded=" "
	rel=$(cat "$CACHE/kernel/release")
	if [ -x "$dir/qemu/usr/bin/qemu-system-x86_64" ] &&
		[ "$(cat "$dir/modules/release" 2>/dev/null)" = "$rel" ]; then
		return 0
	fi
	rm -rf "$dir" && mkdir -p "$dir/dl" "$dir/qemu" "$dir/x" "$dir/modules" && chmod 777 "$dir/dl"
	say "downloading QEMU from bookworm-backports and linux-modules-$rel (CXL drivers)"
	(cd "$dir/dl" && apt-get download -qq qemu-system-x86/bookworm-backports \
		qemu-system-common/bookworm-backports qemu-system-data/bookworm-backports \
		"linux-modules-$rel" >/dev/null) || fail "apt-get download of QEMU 10 or linux-modules-$rel"
	for f in "$dir"/dl/qemu-*.deb; do dpkg-deb -x "$f" "$dir/qemu"; done
	dpkg-deb -x "$dir"/dl/linux-modules-*.deb "$dir/x"
	"$dir/qemu/usr/bin/qemu-system-x86_64" --version >/dev/null 2>&1 ||
		fail "the QEMU from bookworm-backports does not run here (libraries?)"
	kdir=$(find "$dir/x" -type d -path "*/$rel/kernel" | head -n 1)
	[ -n "$kdir" ] || fail "linux-modules-$rel has no modules/$rel/kernel"
	for m in $CXL_MODULES; do
		name=${m##*/}
		f=$(ls "$kdir/drivers/$m".ko* 2>/dev/null | head -n 1)
		case $f in
		*.ko.xz) xz -dc "$f" ;;
		*.ko.zst) zstd -dcq "$f" ;;
		*.ko) cat "$f" ;;
		*) fail "linux-modules-$rel has no drivers/$m" ;;
		esac >"$dir/modules/$name.ko"
		for dep in $(strings "$dir/modules/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
			case $loaded in *" $dep "*) ;; *) fail "$name needs $dep before it" ;; esac
		done
		loaded="$loaded$name "
		echo "$name" >>"$dir/modules/order"
	done
	echo "$rel" >"$dir/modules/release"
	rm -rf "$dir/dl" "$dir/x"
}

vmlinux_h() {
	step="vmlinux.h"
	local out=$CACHE/vmlinux.h src
	if [ -f "$out" ] && grep -q 'struct sched_ext_ops {' "$out"; then
		return 0
	fi
	if [ -r /sys/kernel/btf/vmlinux ] && [ -d /sys/kernel/sched_ext ]; then
		src=/sys/kernel/btf/vmlinux
	else
		src=$CACHE/kernel/vmlinux
	fi
	say "generating vmlinux.h from $src"
	bpftool btf dump file "$src" format c >"$out.tmp" || fail "bpftool btf dump $src"
	grep -q 'struct sched_ext_ops {' "$out.tmp" || fail "$src has no struct sched_ext_ops"
	mv "$out.tmp" "$out"
}

main() {
	apt_sources
	apt_install
	libbpf_build
	kernel_fetch
	cxl_fetch
	vmlinux_h
	step=""
	say "ready (cache: $CACHE)"
}

main "$@"
