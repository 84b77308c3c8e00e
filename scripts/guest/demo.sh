#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Usage: demo.sh - the guided tour of make demo: one 64-byte cache, driven
# step by step along the kmem_cache_alloc() walkthrough, inside the VM.
set -eu

D=/sys/kernel/debug/toyslab
C=$D/caches/demo64

# make tour boots with toyslab_tour=1: before each step, the cache's views
# go to the console between marker lines, for scripts/tour.py to draw.
tour_views() {
	[ "${toyslab_tour:-0}" = 1 ] && [ -d "$C" ] || return 0
	echo "toyslab-tour: views"
	for view in layout stats cpus nodes arrays slabs map; do
		[ -e "$C/$view" ] || continue
		echo "==> $view <=="
		cat "$C/$view"
	done
	echo "toyslab-tour: end"
}

# make demo LANG=zh_CN puts toyslab_lang=zh_CN on the kernel command line,
# which gives it to init and so to this script: the same tour, the prose
# in Chinese (demo-zh_CN.sh).
lang=${toyslab_lang:-en}
if [ "$lang" = zh_CN ]; then
	# shellcheck source=scripts/guest/demo-zh_CN.sh
	. "$(dirname "$0")/demo-zh_CN.sh"
fi

# A step: its title, then the lines of text explaining it.
print_step() {
	echo
	echo "=== $1"
	shift
	for line in "$@"; do
		echo "    $line"
	done
}

zh_step() {
	print_step "$@"
}

zh_note() {
	echo "    $1"
}

# In Chinese, a text without a translation shows in English, marked
# "[untranslated]", which scripts/demo-compare.sh does not let pass.
step() {
	tour_views
	if [ "$lang" = zh_CN ]; then
		tour_zh "$1" && return 0
		title="[untranslated] $1"
		shift
		set -- "$title" "$@"
	fi
	print_step "$@"
}

# A closing line of text.
note() {
	if [ "$lang" = zh_CN ]; then
		tour_zh "$1" && return 0
		set -- "[untranslated] $1"
	fi
	echo "    $1"
}

# Run a command as it would be typed, and show it.
run() {
	echo "  # $*"
	sh -c "$*"
}

show_cpus() {
	echo "  -- $C/cpus"
	sed -n "1p;$(( ${1:-0} + 2 ))p" "$C/cpus" | sed 's/^/     /'
	if [ $# -gt 1 ]; then
		sed -n "$(( $2 + 2 ))p" "$C/cpus" | sed 's/^/     /'
	fi
}

show_nodes() {
	echo "  -- $C/nodes"
	sed 's/^/     /' "$C/nodes"
}

show_stats() {
	echo "  -- $C/stats"
	for name in "$@"; do
		grep "^$name " "$C/stats" | sed 's/^/     /'
	done
}

# ctl commands run on the CPU of the task that writes: pin this shell
# itself (run() would pin a child), and show the command as typed in
# make vm, where $$ is the shell typing it.
on_cpu() {
	echo "  # taskset -p -c $1 \$\$ >/dev/null"
	taskset -p -c "$1" $$ >/dev/null
}

step "Loading toyslab, and pinning this shell to CPU 0" \
	"The two kernel lines after insmod are expected: the kernel marks itself" \
	"tainted by a module built outside its tree (O) and not signed (E)," \
	"the tainted=12288 (4096 + 8192) of the tour's last line.  A ctl command" \
	"works on the CPU of the shell that writes it: taskset picks that CPU."
run "insmod /lib/toyslab/toyslab.ko"
on_cpu 0

step "toyslab is loaded: its debugfs tree" \
	"Every cache appears under caches/; control creates and destroys them." \
	"toyslab's own kmalloc classes are caches too (Documentation/kmalloc.rst):" \
	"the tour counts them rather than list their directories."
run "echo 0 > $D/reap_interval_ms"
run "echo 'create demo64 64' > $D/control"
echo "  # find $D | grep -v kmalloc- | sort"
find "$D" | grep -v kmalloc- | sort | sed 's/^/     /'
echo "  # find $D/caches -mindepth 1 -maxdepth 1 -name '*kmalloc-*' | wc -l"
find "$D/caches" -mindepth 1 -maxdepth 1 -name '*kmalloc-*' | wc -l |
	sed 's/^ */     /'

step "kmem_cache_create(): the layout SLAB picks for 64-byte objects" \
	"64 objects fit an order-0 slab with nothing left over, so the freelist" \
	"lives in a free object (objfreelist) and there is no room to colour."
echo "  -- $C/layout"
sed 's/^/     /' "$C/layout"

step "Tunables: enable_cpucache() for a 64-byte object" \
	"limit 120 per CPU, batchcount (120+1)/2 = 60, a shared array of 8 batches."
echo "  -- $D/slabinfo"
grep demo64 "$D/slabinfo" | sed 's/^/     /'

step "kmem_cache_alloc() #1 on CPU 0: ac->avail is 0, so ALLOCMISS" \
	"cache_alloc_refill(): the array was never touched, so it refills only" \
	"BATCHREFILL_LIMIT = 16. No slab exists: cache_grow_begin() builds one," \
	"alloc_block() moves 16 of its objects into the array, and" \
	"cache_grow_end() puts it on slabs_partial with the 48 left." \
	"ac_get_obj() hands out entry[--avail]: 15 stay."
run "echo 'alloc 1' > $C/ctl"
show_cpus 0
show_nodes
show_stats allocmiss allochit grown allocs

step "15 more: ac->avail > 0, ac->touched = 1, ac_get_obj(): ALLOCHIT x15"
run "echo 'alloc 15' > $C/ctl"
show_cpus 0

step "One more: the array is empty again, ALLOCMISS" \
	"Now touched, the refill asks for batchcount = 60. The partial slab has" \
	"48 left: SLAB takes them and does not grow, since it got something." \
	"avail = 48 - 1 = 47; the slab moves to slabs_full."
run "echo 'alloc 1' > $C/ctl"
show_cpus 0
show_nodes

step "104 more (121 held): 47 hits, then a miss that grows slab 2" \
	"and moves 60 of its objects (a full batch), then 56 hits: avail 3."
run "echo 'alloc 104' > $C/ctl"
show_cpus 0
show_nodes

step "kmem_cache_free() all 121: ac_put_obj() while avail < limit: FREEHIT" \
	"After 117 frees the array holds 120 = limit. The next free is a" \
	"FREEMISS: cache_flusharray() moves the oldest batchcount = 60 objects" \
	"into the node's shared array, which has room. 3 more hits: avail 64."
run "echo 'free-all' > $C/ctl"
show_cpus 0
show_nodes
show_stats freehit freemiss

step "kmem_cache_alloc() on CPU 1: its array is empty and untouched" \
	"The refill looks at the shared array first: 16 objects come from it," \
	"no slab is touched and nothing grows."
on_cpu 1
run "echo 'alloc 1' > $C/ctl"
show_cpus 0 1
show_nodes
show_stats grown allocs
run "echo 'free-all' > $C/ctl"
on_cpu 0

step "cache_reap() on CPU 0, first pass" \
	"Arrays used since the last pass are spared; the pass only clears their" \
	"'touched'. The shared array (CPU 1 took from it) is spared the same way."
run "echo reap > $C/ctl"
show_cpus 0
show_nodes

step "cache_reap() again: now everything is idle" \
	"CPU 0's array gives back (limit + 4) / 5 = 24 objects. The shared" \
	"array's fifth, (480 + 4) / 5 = 96, is more than the 44 it holds, so" \
	"it gives back half of them, rounded up: 22. No slab is free: none is reaped."
run "echo reap > $C/ctl"
show_cpus 0
show_nodes
show_stats reaped

step "kmem_cache_shrink(): drain every array, free every free slab"
run "echo shrink > $C/ctl"
show_nodes
echo "  -- $D/slabinfo"
grep demo64 "$D/slabinfo" | sed 's/^/     /'
echo "  -- $D/pages"
sed 's/^/     /' "$D/pages"

step "kmem_cache_destroy(), and rmmod"
run "echo 'destroy demo64' > $D/control"
run "rmmod toyslab"
if [ -d "$D" ]; then
	echo "toyslab's debugfs tree is still there" >&2
	exit 1
fi
note "toyslab unloaded; its debugfs tree is gone."
