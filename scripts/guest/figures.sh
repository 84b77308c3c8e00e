#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Usage: figures.sh - inside the VM (make figures): plays the steps of the
# labs that show a picture of their cache, and at each such step dumps the
# cache's views to the console between "toyslab-figure: NAME" and
# "toyslab-figure: end", for scripts/record-figures.sh to keep.
set -eu

D=/sys/kernel/debug/toyslab

snapshot() {
	echo "toyslab-figure: $1"
	for view in layout stats cpus nodes arrays slabs map; do
		echo "==> $view <=="
		cat "$D/caches/$2/$view"
	done
	echo "toyslab-figure: end"
}

insmod /lib/toyslab/toyslab.ko
# ctl commands run on the CPU of the task that writes, as in the labs.
taskset -p 1 $$ >/dev/null
echo 0 > $D/reap_interval_ms

# Lab 5: a 64-byte cache with limit 8, batchcount 4, no shared array.
echo 'create c64 64' > $D/control
echo 'c64 8 4 0' > $D/slabinfo
echo 'alloc 192' > $D/caches/c64/ctl
echo free-all > $D/caches/c64/ctl
snapshot lab05-freed c64
echo drain > $D/caches/c64/ctl
echo shrink > $D/caches/c64/ctl
echo 'c64 8 4 1' > $D/slabinfo
echo 'alloc 16' > $D/caches/c64/ctl
echo 'free 16' > $D/caches/c64/ctl
snapshot lab05-shared c64
echo free-all > $D/caches/c64/ctl
echo 'destroy c64' > $D/control

# Lab 8: three slabs of 3000-byte objects, three colours.
echo 'create c3000 3000' > $D/control
echo 'alloc 6' > $D/caches/c3000/ctl
snapshot lab08-colour c3000
echo free-all > $D/caches/c3000/ctl
echo 'destroy c3000' > $D/control

rmmod toyslab
