#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: bench.sh - make bench's mode (scripts/bench.sh boots it): loads
# toyslab_bench.ko four times, each load one run of workloads:
#   single   pair, batch and memory, with every CPU but CPU 0 offline;
#            then the pages each allocator holds for the memory workload
#   trace    the 64-byte pair again, with the trace events of both
#            allocators on (toyslab:toyslab_alloc/free and
#            kmem:kmem_cache_alloc/free)
#   cpus     cpus and remote, every CPU online (remote only under
#            icount, below)
#   notrace  the 64-byte pair against toyslab built without trace events
# and checks after each that unloading the bench leaves toyslab no pages.
#
# Every line for the host starts with "toyslab_bench: " (the module's own
# lines come through the console); "toyslab_bench: run=NAME" starts a run.
# From the kernel command line:
#   bench_clock=icount|tsc  icount: the VM runs under -icount (ICOUNT=1)
#   bench_params=A=1:B=2    more module parameters, ':' between them
#   bench_runs=single       the single run alone (make BENCH=quick bench)
# Files, in /root/guest (vm.sh's EXTRA): toyslab_bench.ko and
# toyslab-notrace.ko.
set -eu

G=/root/guest
T=/sys/kernel/debug/toyslab
S=/sys/kernel/slab
E=/sys/kernel/tracing/events
icount=0
[ "${bench_clock:-tsc}" = icount ] && icount=1
params=$(echo "${bench_params:-}" | tr : ' ')

say() {
	echo "toyslab_bench: $*"
}

bench() {
	# shellcheck disable=SC2086 # one word per parameter
	insmod $G/toyslab_bench.ko icount=$icount $params "$@"
}

# Unload the bench, then check that toyslab holds no page any more.
unload_bench() {
	rmmod toyslab_bench
	pages=$(cat $T/pages)
	if [ "$pages" != 0 ]; then
		echo "bench: toyslab still holds $pages pages after rmmod toyslab_bench" >&2
		return 1
	fi
}

# Under icount the vCPUs share one clock: an idle CPU that wakes up for
# a timer would add its instructions to CPU 0's figures.  Offline, it
# does not wake.
other_cpus() {
	for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ ! -e "$f" ] || [ "$f" = /sys/devices/system/cpu/cpu0/online ] ||
			echo "$1" > "$f"
	done
}

# A / B with three decimals, in integers: busybox sh has no floating point.
ratio() {
	r=$((($1 * 1000 + $2 / 2) / $2))
	printf '%d.%03d' $((r / 1000)) $((r % 1000))
}

# Hundredths as a decimal number.
hundredths() {
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

# A kernel cache's pages and object size: SLUB's sysfs, or the real
# SLAB's /proc/slabinfo (num_slabs times pagesperslab; objsize).
kernel_pages() {
	if [ -d $S ]; then
		echo $(($(cut -d' ' -f1 "$S/$1/slabs") << $(cat "$S/$1/order")))
	else
		awk -v c="$1" '$1 == c { print $15 * $6 }' /proc/slabinfo
	fi
}

kernel_objsize() {
	if [ -d $S ]; then
		cat "$S/$1/slab_size"
	else
		awk -v c="$1" '$1 == c { print $4 }' /proc/slabinfo
	fi
}

# The pages each allocator holds for the memory workload's objects, from
# its own accounting: toyslab's debugfs, and the kernel's (whose cache is
# its own, unmerged, thanks to slab_nomerge).  toyslab keeps its slab in
# the head page's struct page, as SLUB and SLAB keep struct slab there;
# only a tracked cache (a kmalloc class, or one with debugging flags:
# Documentation/architecture.rst) also has an extension per slab, from
# the kernel cache toyslab_slab_ext (or toyslab_slab_ext_debug).
memory_rows() {
	c=$T/caches/bench_memory
	size=$(sed -n 's/^object_size //p' "$c/layout")
	objs=$(sed -n 's/^active_objs //p' "$c/stats")
	slabs=$(sed -n 's/^num_slabs //p' "$c/stats")
	tpages=$((slabs << $(sed -n 's/^gfporder //p' "$c/layout")))
	kpages=$(kernel_pages bench_memory)
	ext=0
	if sed -n 's/^flags //p' "$c/layout" | grep -qE 'poison|red_zone|store_user'; then
		ext=$(kernel_objsize toyslab_slab_ext_debug)
	fi
	with_desc=$(((tpages * 4096 + slabs * ext) * 100 / 4096))
	say "memory,$size,10000,pages,$tpages.00,$kpages.00,$(ratio "$tpages" "$kpages")"
	say "memory,$size,10000,pages+desc,$(hundredths $with_desc),$kpages.00,$(ratio "$with_desc" $((kpages * 100)))"
	say "memory: toyslab: $slabs slabs, $objs objects out of them, $ext bytes beside each slab"
}

trace_events() {
	for ev in toyslab/toyslab_alloc toyslab/toyslab_free \
		  kmem/kmem_cache_alloc kmem/kmem_cache_free; do
		echo "$1" > "$E/$ev/enable"
	done
}

# The trace buffer of a tracefs user (the boot-time one is a page or so).
echo 1408 > /sys/kernel/tracing/buffer_size_kb
insmod /lib/toyslab/toyslab.ko
# The real SLAB's comparison kernel runs no periodic reaper
# (patches/slab-stats): toyslab's is stopped too, so that neither one
# reaps between repetitions, or during a remote workload's turn.
[ -d $S ] || echo 0 > $T/reap_interval_ms

say "run=single"
other_cpus 0
bench workloads=pair,batch,memory
[ ! -d $T/caches/bench_memory ] || memory_rows
unload_bench
if [ "${bench_runs:-all}" = single ]; then
	rmmod toyslab
	say "run=end"
	exit 0
fi

say "run=trace"
trace_events 1
bench workloads=pair sizes=64 pairs=100000
trace_events 0
unload_bench

# Under icount QEMU runs the vCPUs one after the other, so "every CPU at
# once" measures nothing the pair does not; and switching vCPUs in the
# middle of SLUB's cmpxchg16b fast path is where QEMU 7.2's icount was
# seen to corrupt EFLAGS and crash the guest (a double fault, garbage in
# the flags' upper bits).  cpus runs under plain TCG only.
say "run=cpus"
other_cpus 1
if [ $icount = 1 ]; then
	bench workloads=remote
else
	bench workloads=cpus,remote
fi
unload_bench
rmmod toyslab

say "run=notrace"
other_cpus 0
insmod $G/toyslab-notrace.ko
[ -d $S ] || echo 0 > $T/reap_interval_ms
bench workloads=pair sizes=64
unload_bench
rmmod toyslab
other_cpus 1
say "run=end"
