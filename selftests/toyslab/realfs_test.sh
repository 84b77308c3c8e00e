#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: realfs_test.sh [FS...]        FS: minix, vfat (default: both)
#
# Real filesystems on toyslab (make realfs): the kernel's own fs/minix and
# fs/fat, unchanged, built with toyslab_dropin.h by
# scripts/realfs-build.sh, each on a brd RAM disk made by mkfs, mounted,
# and worked from two CPUs at once.  Each worker, pinned to its CPU,
# unpacks a reference tree with tar (hundreds of files up to 20 KiB in
# ten directories), creates a thousand small files, then reads every file
# back and checks its MD5 against the reference, stats them (sizes),
# renames a directory and every file of another, unlinks a directory and
# half of the small files, counts what is left with find, and copies its
# tree with tar, checking the copy's sums too.  Then the filesystem is
# unmounted and its modules unloaded.
#
# For every toyslab cache the filesystem used (its own caches, and the
# kmalloc classes whose counters moved) it prints the slabinfo line and
# the counters: allochit, allocmiss, freehit, freemiss, allocs (objects
# refills took out of slabs), grown, reaped.  A filesystem fails on: a
# worker that failed or found a file that differs; an object of its own
# caches still allocated after umount (once RCU has freed the inodes),
# or a kmalloc class holding more objects than before; a cache not gone
# after rmmod; pages toyslab holds after rmmod that it did not hold
# before; any kernel report in dmesg (WARNING, BUG, ...) or toyslab
# report (the patterns of scripts/console-scan.sh, and "toyslab:").
#
# It needs the files scripts/realfs-build.sh lays out in the guest
# (/lib/toyslab/realfs, /usr/sbin/mkfs.minix), busybox's mkdosfs, and
# toyslab loaded or $TOYSLAB_KO; without them it skips.  KTAP: one case
# per filesystem.  REALFS_SMALL=N small files per worker (default 1000),
# REALFS_BIG=N reference files per directory (default 40).
set -u

R=${REALFS_DIR:-/lib/toyslab/realfs}
T=/sys/kernel/debug/toyslab
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/toyslab/kmsg.sh
. "$here/kmsg.sh"
ko=${TOYSLAB_KO:-/lib/toyslab/toyslab.ko}
small=${REALFS_SMALL:-500}
big=${REALFS_BIG:-25}
mnt=/mnt/realfs
ref=/tmp/realfs-ref
tmp=/tmp/realfs

# A worker: the workload on one CPU, in directory $1 of the filesystem.
# Its output is the list of its failures, if any; it exits non-zero on one.
if [ "${1:-}" = --worker ]; then
	d=$2
	bad=0
	fail() {
		echo "$d: $*"
		bad=1
	}
	# sums DIR: "md5 path" of every file under DIR, relative, sorted.
	sums() {
		(cd "$1" && find . -type f | sort | xargs -r md5sum)
	}

	mkdir -p "$d/small" || exit 1
	tar -C $ref -cf - . | tar -C "$d" -xf - || fail "tar into the filesystem failed"
	i=0
	while [ $i -lt "$small" ]; do
		echo "$d small file $i" > "$d/small/f$i" || { fail "create f$i"; break; }
		i=$((i + 1))
	done

	# Read back: every byte, against the reference; the small files
	# against the same lines written again on tmpfs.
	mkdir -p "$tmp$d.small"
	i=0
	while [ $i -lt "$small" ]; do
		echo "$d small file $i" > "$tmp$d.small/f$i"
		i=$((i + 1))
	done
	sums $ref > "$tmp$d.ref.sums"
	sums "$d" > "$tmp$d.sums"
	grep -v ' \./small/' "$tmp$d.sums" | cmp -s - "$tmp$d.ref.sums" ||
		fail "files differ from the reference after tar"
	(cd "$d/small" && md5sum -- *) | sort > "$tmp$d.small.sums"
	(cd "$tmp$d.small" && md5sum -- *) | sort | cmp -s - "$tmp$d.small.sums" ||
		fail "small files differ after writing"

	# stat: every size, against the reference's.
	(cd "$d" && find . -type f ! -path './small/*' | sort | xargs stat -c '%s %n') > "$tmp$d.sizes"
	(cd $ref && find . -type f | sort | xargs stat -c '%s %n') | cmp -s - "$tmp$d.sizes" ||
		fail "stat sizes differ from the reference"

	# rename: a directory, and every file of another.
	mv "$d/d0" "$d/d0-renamed" || fail "rename d0"
	for f in "$d"/d1/*; do
		mv "$f" "$f.r" || fail "rename $f"
	done
	(cd "$d/d0-renamed" && md5sum -- * | sort) > "$tmp$d.d0"
	(cd $ref/d0 && md5sum -- * | sort) | cmp -s - "$tmp$d.d0" ||
		fail "d0 differs after its rename"
	(cd "$d/d1" && md5sum -- * | sed 's/\.r$//' | sort) > "$tmp$d.d1"
	(cd $ref/d1 && md5sum -- * | sort) | cmp -s - "$tmp$d.d1" ||
		fail "d1's files differ after their renames"

	# unlink: a directory, and every odd small file.
	rm -r "$d/d2" || fail "rm -r d2"
	i=1
	while [ $i -lt "$small" ]; do
		rm "$d/small/f$i" || fail "unlink f$i"
		i=$((i + 2))
	done

	# find: what is left, file by file.
	want=$(( $(find $ref -type f | wc -l) - $(find $ref/d2 -type f | wc -l) + small / 2 ))
	got=$(find "$d" -type f | wc -l)
	[ "$got" = "$want" ] || fail "find counts $got files, not $want"
	[ "$(find "$d" -name 'f*.r' | wc -l)" = "$(find $ref/d1 -type f | wc -l)" ] ||
		fail "find does not see d1's renamed files"

	# tar: the tree out to tmpfs, and back in beside itself.
	tar -C "$d" -cf "$tmp$d.tar" . || fail "tar out"
	mkdir "$d-copy" || fail "mkdir the copy"
	tar -C "$d-copy" -xf "$tmp$d.tar" || fail "tar back in"
	sums "$d" > "$tmp$d.after"
	sums "$d-copy" | cmp -s - "$tmp$d.after" || fail "the tar copy differs"
	rm -r "$d-copy" || fail "rm -r the copy"
	rm -f "$tmp$d".*
	rm -rf "$tmp$d.small"
	exit $bad
fi

echo "TAP version 13"

# The reference tree, on tmpfs: ten directories of $big files each,
# random bytes, sizes from 0 to 20 KiB.
make_reference() {
	rm -rf $ref
	for dir in 0 1 2 3 4 5 6 7 8 9; do
		mkdir -p $ref/d$dir
		i=0
		while [ $i -lt "$big" ]; do
			head -c $(( (i * i * 37 + dir * 101) % 40 * 512 + i )) /dev/urandom \
				> $ref/d$dir/file$i
			i=$((i + 1))
		done
	done
}

# field FILE NAME: the value of line "NAME VALUE" of FILE.
field() {
	sed -n "s/^$2 //p" "$1"
}

# Active objects of cache $1, from slabinfo, after a shrink has emptied
# the per-CPU and shared arrays (their objects count as active).
active() {
	echo shrink > "$T/caches/$1/ctl"
	awk -v c="$1" '$1 == c { print $2 }' $T/slabinfo
}

# The caches and their active objects, and toyslab's pages, after
# shrinking every cache: what the filesystem must leave as it found it.
snapshot() {
	for dir in "$T"/caches/*/; do
		[ -d "$dir" ] || continue
		c=$(basename "$dir")
		echo "$c $(active "$c") $(xargs < "$dir/stats")"
	done > "$1"
	cat $T/pages > "$1.pages"
}

# What one cache did: its slabinfo line and its counters.
show_cache() {
	s=$T/caches/$1/stats
	echo "# $(grep "^$1 " $T/slabinfo | tr -s ' ')"
	echo "#   $1: allochit $(field "$s" allochit) allocmiss $(field "$s" allocmiss)" \
		"freehit $(field "$s" freehit) freemiss $(field "$s" freemiss)" \
		"allocs $(field "$s" allocs) grown $(field "$s" grown) reaped $(field "$s" reaped)"
}

# Run filesystem $1: its modules, mkfs, the workload, umount, rmmod.
run_fs() {
	fs=$1
	case $fs in
	minix)
		mods="$R/fs/minix.ko"
		mkfs="mkfs.minix -3 /dev/ram0"
		;;
	vfat)
		mods="$R/kernel/nls_cp437.ko $R/kernel/nls_ascii.ko $R/fs/fat.ko $R/fs/vfat.ko"
		mkfs="mkdosfs /dev/ram0"
		;;
	*)
		echo "# realfs: no filesystem $fs"
		return 1
		;;
	esac
	ok=0
	problem() {
		echo "# $fs: $*"
		ok=1
	}
	start=$(kmsg_mark)
	t0=$(cut -d' ' -f1 /proc/uptime)

	snapshot $tmp/before
	for m in $mods; do
		insmod "$m" || { problem "insmod $m failed"; return 1; }
	done
	own=
	for dir in "$T"/caches/*/; do
		[ -d "$dir" ] || continue
		c=$(basename "$dir")
		grep -q "^$c " $tmp/before || own="$own $c"
	done
	echo "# $fs: its caches:$own"

	$mkfs > $tmp/mkfs.out 2>&1 || { cat $tmp/mkfs.out; problem "$mkfs failed"; }
	mkdir -p $mnt
	mount -t "$fs" /dev/ram0 $mnt || { problem "mount failed"; return 1; }

	taskset -c 0 sh "$0" --worker $mnt/w0 > $tmp/w0.out 2>&1 &
	w0=$!
	taskset -c 1 sh "$0" --worker $mnt/w1 > $tmp/w1.out 2>&1 &
	w1=$!
	wait $w0 || problem "the worker on CPU 0 failed: $(cat $tmp/w0.out)"
	wait $w1 || problem "the worker on CPU 1 failed: $(cat $tmp/w1.out)"
	files=$(find $mnt -type f | wc -l)
	dirs=$(find $mnt -type d | wc -l)
	echo "# $fs: $files files in $dirs directories at the end; $(df -k $mnt | awk 'NR == 2 { print $3 }') KiB used"
	umount $mnt || problem "umount failed"

	# The inodes go back through RCU (the VFS's i_callback): wait for
	# them, a grace period or a few under a slow guest.
	for c in $own; do
		n=0
		while [ "$(active "$c")" != 0 ] && [ $n -lt 40 ]; do
			sleep 0.25
			n=$((n + 1))
		done
		show_cache "$c"
		a=$(active "$c")
		[ "$a" = 0 ] || problem "$c: $a objects still allocated after umount"
	done
	snapshot $tmp/after
	while read -r c a rest; do
		[ -e "$T/caches/$c" ] || continue
		grep -qxF "$c $a $rest" $tmp/after && continue
		show_cache "$c"
		now=$(awk -v c="$c" '$1 == c { print $2 }' $tmp/after)
		[ "$now" -le "$a" ] ||
			problem "$c: $now objects allocated after umount, $a before mount"
	done < $tmp/before

	for m in $(echo "$mods" | tr ' ' '\n' | sed -n '1!G;h;$p'); do
		name=$(basename "$m" .ko)
		rmmod "$name" || problem "rmmod $name failed"
	done
	for c in $own; do
		[ ! -e "$T/caches/$c" ] || problem "$c still exists after rmmod"
	done
	snapshot $tmp/unloaded
	pages=$(cat $tmp/before.pages) now=$(cat $tmp/unloaded.pages)
	[ "$now" -le "$pages" ] ||
		problem "toyslab holds $now pages after rmmod, $pages before insmod"
	if kmsg_reports "$start" > $tmp/reports; then
		problem "reports in dmesg:"
		sed 's/^/#   /' $tmp/reports
	fi
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "# $fs: $(echo "$t0 $t1" | awk '{ printf "%.0f", $2 - $1 }') s; pages $pages before insmod, $now after rmmod"
	return $ok
}

skip() {
	echo "1..0 # SKIP $*"
	exit 4
}
[ "$(id -u)" = 0 ] || skip "needs root"
[ -d $T ] || [ ! -r "$ko" ] || insmod "$ko" || skip "cannot load $ko"
[ -d $T ] || skip "needs toyslab loaded, or \$TOYSLAB_KO (default $ko)"
[ -d "$R/fs" ] || skip "no $R: scripts/realfs-build.sh lays it out (make realfs)"
command -v mkfs.minix >/dev/null || skip "no mkfs.minix"
command -v mkdosfs >/dev/null || skip "no mkdosfs"
[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"

list=${*:-minix vfat}
echo "1..$(echo "$list" | wc -w)"
mkdir -p $tmp
make_reference
insmod "$R/kernel/brd.ko" rd_nr=1 rd_size=65536 || skip "cannot load brd"
nr=0 pass=0 fail=0
for fs in $list; do
	nr=$((nr + 1))
	if run_fs "$fs"; then
		pass=$((pass + 1))
		echo "ok $nr realfs: $fs"
	else
		fail=$((fail + 1))
		echo "not ok $nr realfs: $fs"
	fi
done
rmmod brd
rm -rf $ref $tmp
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" = 0 ]
