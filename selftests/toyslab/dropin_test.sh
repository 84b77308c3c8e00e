#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: dropin_test.sh [MODULE...]
#
# The kernel's own test modules of the slab API, on toyslab and on the
# kernel's allocator: scripts/realfs-build.sh builds each unchanged file
# of lib/ twice, with toyslab_dropin.h (realfs/dropin/) and without
# (realfs/native/).  Each test runs at load time and says how it went;
# here each is loaded and unloaded, the kernel's build first, then
# toyslab's.  A case passes if both loads succeed and print the test's
# verdict of success, the same line; if toyslab's kmalloc classes served
# allocations during toyslab's run (they did not during the kernel's);
# if no cache is left behind; and if dmesg shows no report.
#
#   test_meminit    kmalloc, kmem_cache with and without ctor,
#                   SLAB_TYPESAFE_BY_RCU, bulk, init_on_alloc's zeroing
#   test_memcat_p   kcalloc and kmalloc, and kfree() of memory that the
#                   kernel's memcat_p() allocated
#   test_string     kmalloc'd buffers for memset16/32/64 and strchr (6.1)
#   test_user_copy  kmalloc'd buffers to and from user space (6.1)
#
# KTAP: one case per module, in MODULE... or every module built.
set -u

R=${REALFS_DIR:-/lib/toyslab/realfs}
T=/sys/kernel/debug/toyslab
ko=${TOYSLAB_KO:-/lib/toyslab/toyslab.ko}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/toyslab/kmsg.sh
. "$here/kmsg.sh"

# The line each test prints when every check passed.
verdict_of() {
	case $1 in
	test_meminit) echo 'all [0-9]* tests passed!' ;;
	test_memcat_p) echo 'test passed' ;;
	test_string) echo 'String selftests succeeded' ;;
	test_user_copy) echo 'tests passed.' ;;
	*) return 1 ;;
	esac
}

# Allocations toyslab's caches have served so far, hits and misses.
served() {
	cat "$T"/caches/*/stats 2>/dev/null |
		awk '$1 == "allochit" || $1 == "allocmiss" { n += $2 } END { print n + 0 }'
}

# The names of toyslab's caches, on one line.
cache_list() {
	for d in "$T"/caches/*/; do
		[ ! -d "$d" ] || printf '%s ' "$(basename "$d")"
	done
}

# load DIR MODULE: load and unload it; its verdict line, if it printed
# one, on stdout; fails if it did not load or unload.
load() {
	from=$(kmsg_mark)
	insmod "$1/$2.ko" || return 1
	rmmod "$2" || return 1
	kmsg_since "$from" | grep -e "$(verdict_of "$2")" | head -n 1
}

skip() {
	echo "1..0 # SKIP $*"
	exit 4
}
echo "TAP version 13"
[ "$(id -u)" = 0 ] || skip "needs root"
[ -d $T ] || [ ! -r "$ko" ] || insmod "$ko" || skip "cannot load $ko"
[ -d $T ] || skip "needs toyslab loaded, or \$TOYSLAB_KO (default $ko)"
[ -d "$R/dropin" ] || skip "no $R: scripts/realfs-build.sh lays it out (make realfs)"

list=$*
if [ -z "$list" ]; then
	for f in "$R"/dropin/*.ko; do
		list="$list $(basename "$f" .ko)"
	done
fi
echo "1..$(echo "$list" | wc -w)"
nr=0 pass=0 fail=0
for m in $list; do
	nr=$((nr + 1))
	ok=1
	problem() {
		echo "# $m: $*"
		ok=0
	}
	verdict_of "$m" > /dev/null || problem "no known verdict line"
	start=$(kmsg_mark)
	caches=$(cache_list)

	before=$(served)
	native=$(load "$R/native" "$m") || problem "the kernel's build failed to load or unload"
	[ "$(served)" = "$before" ] || problem "the kernel's build allocated from toyslab"
	before=$(served)
	dropin=$(load "$R/dropin" "$m") || problem "toyslab's build failed to load or unload"
	n=$(($(served) - before))
	echo "# $m on the kernel's allocator: ${native:-no verdict}"
	echo "# $m on toyslab: ${dropin:-no verdict} ($n allocations from toyslab's caches)"
	[ -n "$native" ] || problem "the kernel's build printed no verdict of success"
	[ -n "$dropin" ] || problem "toyslab's build printed no verdict of success"
	[ "$native" = "$dropin" ] || problem "the two builds' verdicts differ"
	[ "$n" -gt 0 ] || problem "toyslab's build made no allocation from toyslab"
	now=$(cache_list)
	[ "$now" = "$caches" ] || problem "caches before: $caches; after: $now"
	reports=$(kmsg_reports "$start" || true)
	[ -z "$reports" ] || problem "reports in dmesg: $reports"

	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok $nr dropin: $m"
	else
		fail=$((fail + 1))
		echo "not ok $nr dropin: $m"
	fi
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" = 0 ]
