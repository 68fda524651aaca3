#!/bin/sh
# Inside the guest (ci/vm-run --cxl-mem): load the CXL drivers, make the
# emulated Type 3 device's volatile memory a RAM region (what `cxl
# create-region -t ram` does, through sysfs), and online it movable, so
# that it is a CPU-less NUMA node that holds user memory only. Says what
# came of it in one line, "TSR-CXL: ...".
B=/sys/bus/cxl/devices
M=/sys/devices/system/memory

fail() {
	echo "TSR-CXL: no CXL memory: $*"
	echo online >$M/auto_online_blocks 2>/dev/null
	exit 0
}

for m in $(cat /lib/modules/cxl/order); do
	insmod /lib/modules/cxl/$m.ko 2>/dev/null || fail "insmod $m failed"
done
# the drivers probe the device's ports and decoders asynchronously
i=0
while ! ls -d $B/endpoint*/decoder*.0 >/dev/null 2>&1; do
	[ $i -lt 50 ] || fail "no endpoint decoder appeared under $B"
	i=$((i + 1))
	sleep 0.1
done
root=$(ls -d $B/decoder*.0 | head -n 1)
ep=$(basename "$(ls -d $B/endpoint*/decoder*.0 | head -n 1)")
mem=$(ls -d $B/mem* | head -n 1)
sz=$(cat $mem/ram/size)

# kmem onlines what it adds as the kernel's default says; the kernel's own
# allocations must not land in memory the emulator reaches through MMIO
echo offline >$M/auto_online_blocks
ls $M >/tmp/cxl-blocks-before
r=$(cat $root/create_ram_region)
put() { echo "$1" >"$2" 2>/dev/null || fail "writing $1 to $2 failed"; }
put "$r" $root/create_ram_region
put 256 $B/$r/interleave_granularity
put 1 $B/$r/interleave_ways
put ram $B/$ep/mode
put "$sz" $B/$ep/dpa_size
put "$sz" $B/$r/size
put "$ep" $B/$r/target0
put 1 $B/$r/commit
put "$r" /sys/bus/cxl/drivers/cxl_region/bind
i=0
while [ "$(ls $M | wc -l)" = "$(wc -l </tmp/cxl-blocks-before)" ]; do
	[ $i -lt 50 ] || fail "$r made no memory blocks (dax/kmem)"
	i=$((i + 1))
	sleep 0.1
done
for b in $(ls $M | grep -vxF -f /tmp/cxl-blocks-before); do
	put online_movable $M/$b/state
	node=$(basename "$(ls -d $M/$b/node* | head -n 1)")
done
echo online >$M/auto_online_blocks
echo "TSR-CXL: $r of $(basename $mem) ($((sz / 1048576)) MB) online as ${node:-no node}"
