#!/usr/bin/env bash
# Prepare the "parallel build of a real C code base" workload for the guest:
# libbpf's sources (already in the tessera cache), a Makefile that compiles
# every file with gcc -O2, and the list of system headers they include.
# Usage: build-payload.sh OUTDIR; writes OUTDIR/src, OUTDIR/headers.list.
set -euo pipefail
CACHE=${TESSERA_CACHE:-/var/cache/tessera}
out=$1
src=$CACHE/libbpf/src/tree
[ -d "$src/src" ] || { echo "build-payload: no libbpf source in $CACHE (run ci/bootstrap.sh)" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$out/src"
cp -r "$src/src" "$src/include" "$out/src/"
flags="-O2 -g0 -I. -I../include -I../include/uapi -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64"
cat >"$out/src/src/Makefile.bench" <<MK
# Compile libbpf's sources into objects (no link): the bench's build workload.
OBJS := \$(patsubst %.c,obj/%.o,\$(wildcard *.c))
all: \$(OBJS)
obj/%.o: %.c
	@mkdir -p obj
	gcc $flags -c \$< -o \$@
clean:
	rm -rf obj
MK
(cd "$out/src/src" && for f in *.c; do gcc -M $flags "$f"; done) | tr ' \\' '\n\n' |
	grep '^/' | sort -u >"$out/headers.list"
# gcc -M names files behind directory symlinks by their real path; the guest
# needs the symlinked directory itself (Debian's multiarch asm/)
for d in /usr/include/x86_64-linux-gnu/asm; do
	[ -e "$d" ] && echo "$d" >>"$out/headers.list"
done
echo "build-payload: $(ls "$out"/src/src/*.c | wc -l) sources, $(wc -l <"$out/headers.list") system headers" >&2
